from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Appeal, BadgeProposal, ModerationDecision, PollAnswer, Rating, RatingFlag

SCORE_CHOICES = [
    (5, _("5: excellent")),
    (4, _("4: good")),
    (3, _("3: all right")),
    (2, _("2: poor")),
    (1, _("1: very poor")),
]


def _score(label: str, hint: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label, help_text=hint, choices=SCORE_CHOICES, coerce=int, widget=forms.RadioSelect
    )


class RatingForm(forms.Form):
    about_safeguarding = forms.BooleanField(
        required=False,
        label=_("This is about a safeguarding concern (someone may be at risk of harm)"),
        help_text=_("If you tick this, we will not save a rating. We take you to the safeguarding report instead."),
    )
    reliability = _score(_("Reliability"), _("Did they turn up when they said, and do what they agreed?"))
    communication = _score(_("Communication"), _("Did they listen, explain things and keep you informed?"))
    respect = _score(
        _("Respect and dignity"), _("Did they treat you with respect and protect your dignity and choices?")
    )
    skills = _score(_("Skills"), _("Did they have the skills the support needed?"))
    overall = _score(
        _("Overall"), _("Taking everything together. A score of 1 or 2 is read by a moderator before it shows.")
    )
    comment = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        label=_("Comment"),
        help_text=_("What went well, and what could be better. Do not include health details."),
    )
    attribution = forms.ChoiceField(
        label=_("Your name with your comment"),
        choices=Rating.Attribution.choices,
        widget=forms.RadioSelect,
        initial=Rating.Attribution.FIRST_NAME,
        help_text=_("We only ever show the first word of your preferred name."),
    )
    scores_anonymous = forms.BooleanField(
        required=False,
        initial=True,
        label=_("Keep my scores anonymous"),
        help_text=_("Your scores are added to the average without your name."),
    )

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("about_safeguarding")
        return data


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Your reply"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Shown beside the review. Keep it calm and factual."),
    )


class FlagForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why are you flagging this review?"), choices=RatingFlag.Reason.choices, widget=forms.RadioSelect
    )
    detail = forms.CharField(
        label=_("Anything else the moderator should know"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ModerationForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=ModerationDecision.Decision.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(label=_("Note for the record"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))


class SafeguardingForm(forms.Form):
    someone_in_danger_now = forms.BooleanField(
        required=False,
        label=_("Someone is in danger right now"),
        help_text=_(
            "If someone is in immediate danger, call 999 first. "
            "If you are deaf or cannot speak, you can text 999 once you have registered with emergencySMS."
        ),
    )
    about = forms.CharField(
        label=_("What is happening?"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Say who is at risk, what you saw or heard, and when. A moderator reads every report."),
    )


class CloseConcernForm(forms.Form):
    note = forms.CharField(label=_("What was done"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class PollForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("Would you recommend them to someone like you?"),
        choices=PollAnswer.Answer.choices,
        widget=forms.RadioSelect,
        help_text=_("Only totals are published, and only once at least 10 people in the area have answered."),
    )


class ProposalForm(forms.Form):
    action = forms.ChoiceField(label=_("Proposal"), choices=BadgeProposal.Action.choices, widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("How the listing meets, or no longer meets, the criteria"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class AppealForm(forms.Form):
    grounds = forms.CharField(
        label=_("Why the decision was wrong"), max_length=4000, widget=forms.Textarea(attrs={"rows": 5})
    )


class AppealDecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=Appeal.Decision.choices, widget=forms.RadioSelect)
    note = forms.CharField(label=_("Your reasons"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))


class QualityForm(forms.Form):
    area = forms.RegexField(
        label=_("Postcode area"),
        regex=r"^[A-Za-z]{1,2}$",
        max_length=2,
        help_text=_("The letters at the start of a postcode, like BB for Blackburn."),
        error_messages={"invalid": _("Enter the one or two letters at the start of a postcode, like BB.")},
    )
    role = forms.ChoiceField(
        label=_("Type of support"),
        choices=[
            ("pa", _("Personal assistants")),
            ("peer_advisor", _("Peer advisors")),
            ("broker", _("Support brokers")),
        ],
    )
