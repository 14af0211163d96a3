"""Forms for the matching pages. Nothing sensitive goes in a query string: the filters and the
"what matters most" choices are factor names and numbers; lived experience comes from the
seeker's stored profile, never from a form field here."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from profiles import vocabulary as vocab
from profiles.forms import TagField
from profiles.models import MAX_TRAVEL_KM

from .scoring import features as F
from .search_services import RESPONSE_MAX_CHARS
from .selectors import FACTOR_NAMES, SORTS

IMPORTANCE = [("0", _("Doesn't matter")), ("0.5", _("Less")), ("1", _("Normal")), ("2", _("More"))]
MUST_LABELS = {
    "lived_experience": _("Shared lived experience"),
    "skills": _("Every skill I asked for"),
    "interests": _("At least one shared interest"),
    "languages": _("At least one language I asked for"),
    "availability": _("Free at one of my times at least"),
}


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError beside its field, the rest at the top of the form."""
    if hasattr(error, "error_dict"):
        for name, messages in error.message_dict.items():
            form.add_error(name if name in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


def _role_choices(blank: str):
    return [("", blank), *((r, vocab.ROLES[r]) for r in vocab.SUPPORTER_ROLES)]


class MatchFilterForm(forms.Form):
    role = forms.ChoiceField(label=_("Who are you looking for?"), choices=_role_choices(_("Anyone")), required=False)
    max_km = forms.IntegerField(
        label=_("No further than (km)"),
        required=False,
        min_value=1,
        max_value=MAX_TRAVEL_KM,
        help_text=_("Leave empty to use the distance in your profile."),
    )
    language = forms.ChoiceField(
        label=_("They must speak"),
        required=False,
        choices=[("", _("Any language")), *((code, name) for code, name in vocab.LANGUAGES.items())],
    )
    max_rate = forms.DecimalField(
        label=_("Most you will pay an hour (£)"),
        required=False,
        min_value=Decimal("0.01"),
        max_value=Decimal("500"),
        decimal_places=2,
    )
    must = forms.MultipleChoiceField(
        label=_("Only show people who match on"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[(f, MUST_LABELS[f]) for f in F.MUSTABLE],
        help_text=_("Anything you tick is a must: people without it are left out rather than ranked lower."),
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        choices=list(SORTS.items()),
        required=False,
        widget=forms.RadioSelect,
        help_text=_("Best match means the highest match score: the total of the factors below."),
    )


class WeightsForm(forms.Form):
    """One choice per factor; kept in the query string as weight_<factor>=0.5 and so on."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for factor in F.FACTORS:
            self.fields[f"weight_{factor}"] = forms.TypedChoiceField(
                label=FACTOR_NAMES[factor],
                choices=IMPORTANCE,
                coerce=float,
                required=False,
                empty_value=1.0,
                initial="1",
            )

    def multipliers(self) -> dict[str, float]:
        """The factors set to something other than Normal (invalid choices count as Normal)."""
        if not self.is_bound or not self.is_valid():
            return {}
        chosen = {f: self.cleaned_data[f"weight_{f}"] for f in F.FACTORS}
        return {f: v for f, v in chosen.items() if v != 1.0}


# "What matters most to you": a few plain choices, each raising one factor of the score. Unchosen
# factors keep their normal weight. The weight_<factor> parameters (WeightsForm) still work in links.
PRIORITIES = {
    "nearby": (_("Someone near me"), "locality"),
    "lived": (_("Someone who has been where I am (shared lived experience)"), "lived_experience"),
    "interests": (_("Things in common"), "interests"),
    "times": (_("Free when I need them"), "availability"),
    "price": (_("A lower price"), "price"),
    "ratings": (_("Good ratings from other people"), "quality"),
}
PRIORITY_MULTIPLIER = 2.0


class PrioritiesForm(forms.Form):
    matters = forms.MultipleChoiceField(
        label=_("What matters most to you?"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[(key, label) for key, (label, _factor) in PRIORITIES.items()],
        help_text=_("Tick any. People who fit what you tick come higher."),
    )

    def is_valid_or_unbound(self) -> bool:
        return not self.is_bound or self.is_valid()

    def multipliers(self, base: dict[str, float] | None = None) -> dict[str, float]:
        """``base`` (from weight_<factor> links) with every ticked choice's factor counted double."""
        chosen = dict(base or {})
        if self.is_bound and self.is_valid():
            for key in self.cleaned_data["matters"]:
                factor = PRIORITIES[key][1]
                chosen[factor] = max(chosen.get(factor, 1.0), PRIORITY_MULTIPLIER)
        return chosen


class WhyNotForm(forms.Form):
    """Type a name, then pick from the people found who are not in your matches. The person is one of
    the choices listed (never a reference typed or carried in from elsewhere)."""

    name = forms.CharField(
        label=_("Their name"),
        min_length=2,
        max_length=60,
        help_text=_("The name on their listing, or part of it."),
    )
    person = forms.ChoiceField(
        label=_("Who do you mean?"),
        required=False,
        widget=forms.RadioSelect,
        choices=(),
        error_messages={"invalid_choice": _("Choose one of the people listed.")},
    )

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [
            (p.ref, f"{p.display_name}: {p.get_role_display()}, {p.outcode}") for p in people
        ]


class ModelRestoreForm(forms.Form):
    """Staff: put a recorded version of the matching weights live again (approving it if it is held)."""

    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    approve = forms.BooleanField(
        label=_("I approve giving the factors named above less weight than the floor"),
        required=False,
    )
    note = forms.CharField(
        label=_("Why (kept in the history)"),
        max_length=300,
        required=False,
        help_text=_("Needed when you approve a version held below the floor."),
    )


class AdvertForm(forms.Form):
    title = forms.CharField(
        label=_("Title"), max_length=120, help_text=_("A short summary, like “PA wanted for weekday mornings”.")
    )
    what = forms.CharField(
        label=_("What support you are looking for"),
        max_length=1500,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Say what would help. Do not include your address, phone number or health details."),
    )
    availability = forms.CharField(
        label=_("When"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One time slot per line, like: mon 09:00-13:00"),
    )
    roles = forms.MultipleChoiceField(
        label=_("Who you are looking for"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[(r, vocab.ROLES[r]) for r in vocab.SUPPORTER_ROLES],
        help_text=_("Leave all empty for anyone."),
    )
    skills = TagField({**vocab.SKILLS, **vocab.BROKERAGE_FUNCTIONS}, label=_("Skills wanted"))
    interests = TagField(vocab.INTERESTS, label=_("Shared interests you would like"))
    languages = TagField(vocab.LANGUAGES, label=_("Languages"))
    max_km = forms.IntegerField(
        label=_("How far away they can be (km)"),
        required=False,
        min_value=1,
        max_value=MAX_TRAVEL_KM,
        help_text=_("We show only your postcode district, never your address."),
    )
    max_rate = forms.DecimalField(
        label=_("Most you will pay an hour (£)"),
        required=False,
        min_value=Decimal("0.01"),
        max_value=Decimal("500"),
        decimal_places=2,
    )

    def __init__(self, *args, seeker_profiles=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.seeker_profiles = {str(p.pk): p for p in seeker_profiles}
        if len(self.seeker_profiles) > 1:
            self.fields = {
                "profile": forms.ChoiceField(
                    label=_("Who is this advert for?"),
                    choices=[(pk, p.display_name) for pk, p in self.seeker_profiles.items()],
                ),
                **self.fields,
            }

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("profile", None)
        data["availability"] = [line.strip() for line in (data.get("availability") or "").splitlines() if line.strip()]
        return data

    def seeker_profile(self):
        if "profile" in self.cleaned_data:
            return self.seeker_profiles[self.cleaned_data["profile"]]
        return next(iter(self.seeker_profiles.values()))


class AdvertResponseForm(forms.Form):
    message = forms.CharField(
        label=_("Your message"),
        max_length=RESPONSE_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["message"].help_text = _(
            "Say who you are and why this suits you (up to %(count)s characters). "
            "Do not include phone numbers or addresses yet."
        ) % {"count": RESPONSE_MAX_CHARS}
