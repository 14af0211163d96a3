from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .models import (
    MESSAGE_MAX_CHARS,
    REQUEST_MAX_CHARS,
    ContactRequest,
    ModerationAction,
    NotificationPreference,
    Report,
)


class ContactRequestForm(forms.Form):
    message = forms.CharField(
        label=_("Your message"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=lazy(
            lambda: (
                gettext(
                    "Say briefly who you are and what support you are looking for (up to %(max)s characters). "
                    "Do not include phone numbers or addresses yet: you can share them later if you both choose."
                )
                % {"max": REQUEST_MAX_CHARS}
            ),
            str,
        )(),
    )


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Your message"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=lazy(lambda: gettext("Up to %(max)s characters.") % {"max": f"{MESSAGE_MAX_CHARS:,}"}, str)(),
    )


class DeclineForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Reason (optional)"),
        choices=ContactRequest.DeclineReason.choices,
        required=False,
        widget=forms.RadioSelect,
        help_text=_("The person will see this reason. It is always sent kindly."),
    )


class ShareContactForm(forms.Form):
    details = forms.CharField(
        label=_("Contact details to share"),
        max_length=300,
        help_text=_(
            "For example a phone number or email. The other person sees them only after they choose to share too."
        ),
    )


class ReportForm(forms.Form):
    reason = forms.ChoiceField(label=_("What is the problem?"), choices=Report.Reason.choices, widget=forms.RadioSelect)
    details = forms.CharField(
        label=_("Tell us more (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The person you report will not see your report or know who made it."),
    )


class NotificationForm(forms.Form):
    frequency = forms.ChoiceField(
        label=_("When should we email you about new messages?"),
        choices=NotificationPreference.Frequency.choices,
        widget=forms.RadioSelect,
        help_text=_("The email only says you have a new message. It never includes what anyone wrote."),
    )


class ModerationActionForm(forms.Form):
    action = forms.ChoiceField(
        label=_("Action"),
        choices=[c for c in ModerationAction.Action.choices if c[0] != ModerationAction.Action.OPENED],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note for the audit trail"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
