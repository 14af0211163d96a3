"""Forms for the peer-support workflow. They only check shape; the services hold the rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from marketplace.forms import add_service_errors  # noqa: F401  (the views import it from here)
from profiles.models import Organisation

from .models import CheckIn, MatchProposal, MembershipRole, Referral
from .organisations import approved_organisations

WHAT_WOULD_HELP_MAX = Referral._meta.get_field("what_would_help").max_length
NOTE_MAX = CheckIn._meta.get_field("note").max_length
CLOSING_NOTE_MAX = Referral._meta.get_field("closing_note").max_length


class ReferralForm(forms.Form):
    seeker_profile = forms.ModelChoiceField(
        label=_("Who is the peer advisor for?"),
        queryset=None,
        empty_label=None,
        help_text=_("Your own profile, or the profile of someone you act for."),
    )
    organisation = forms.ModelChoiceField(
        label=_("Which organisation should find a peer advisor?"),
        queryset=Organisation.objects.none(),
        empty_label=_("Choose an organisation"),
    )
    what_would_help = forms.CharField(
        label=_("What would help, in your own words"),
        max_length=WHAT_WOULD_HELP_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "For example: someone who has managed a direct payment and can explain how to employ a PA. "
            "Please do not include health details or a diagnosis: the coordinator will ask if they need to know more."
        ),
    )

    def __init__(self, *args, seeker_profiles, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["seeker_profile"].queryset = seeker_profiles
        self.fields["organisation"].queryset = approved_organisations()


class ProposeForm(forms.Form):
    supporter = forms.CharField(label=_("Peer advisor reference"), max_length=64, widget=forms.HiddenInput)


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("Your answer"), choices=[(MatchProposal.Answer.YES, _("Yes")), (MatchProposal.Answer.NO, _("No"))]
    )


class CheckInForm(forms.Form):
    how_it_is_going = forms.ChoiceField(
        label=_("How is it going?"), choices=CheckIn.HowItIsGoing.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["note"].help_text = gettext(
            "What each person said, and anything to follow up (up to %(max)s characters). No health details."
        ) % {"max": NOTE_MAX}


class RematchForm(forms.Form):
    """Ending a match: a reason and a confirmation, which the service requires when the match is going well."""

    reason = forms.CharField(
        label=_("Why are you ending this match?"),
        required=False,
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example “Sara has moved away”. Do not include health details."),
    )
    confirm = forms.BooleanField(label=_("Yes, end this match so that I can propose someone else"), required=False)


class CloseForm(forms.Form):
    closing_note = forms.CharField(
        label=_("Closing note"),
        max_length=CLOSING_NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["closing_note"].help_text = gettext(
            "Why the referral is closing, for example “the match ended well after 3 months” (up to %(max)s characters)."
        ) % {"max": CLOSING_NOTE_MAX}


# Organisations ------------------------------------------------------------------------------


class InviteForm(forms.Form):
    email = forms.EmailField(
        label=_("Their email address"),
        help_text=_("We email them a link. Only the person with this address can accept."),
    )
    role = forms.ChoiceField(
        label=_("Invite them as"),
        choices=MembershipRole.choices,
        widget=forms.RadioSelect,
        initial=MembershipRole.VOLUNTEER,
    )


class JoinForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        empty_label=_("Choose an organisation"),
        help_text=_("A coordinator of the organisation will approve or decline your request."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = approved_organisations()


class OrganisationRequestForm(forms.Form):
    name = forms.CharField(label=_("Organisation name"), max_length=120)
    outcode = forms.CharField(
        label=_("Postcode district (optional)"),
        max_length=4,
        required=False,
        help_text=_("The first part of the postcode, like BB1."),
    )
    about = forms.CharField(
        label=_("What the organisation does (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class OrganisationCreateForm(OrganisationRequestForm):
    first_coordinator_email = forms.EmailField(
        label=_("First coordinator's email address"),
        help_text=_(
            "If they have an account with this verified address they become coordinator now; otherwise we invite them."
        ),
    )


class CoordinatorForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none(), empty_label=_("Choose an organisation")
    )
    email = forms.EmailField(label=_("Their email address"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = approved_organisations()
