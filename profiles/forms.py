from __future__ import annotations

from decimal import Decimal

from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.core.exceptions import ValidationError
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from marketplace.validators import validate_sensible_date

from . import locality
from . import vocabulary as vocab
from .models import MAX_HOURLY_RATE, MAX_TRAVEL_KM, Audience, Profile, TrustClaim, Visibility
from .prompts import MAX_ANSWERS, PROMPTS

# Vocabulary labels are plain English (exports keep them); forms show them in the page's language, looked up
# when the form is drawn.
_translated_label = lazy(vocab.translated_label, str)


def _choices(vocabulary: dict) -> list[tuple[str, str]]:
    return [(key, _translated_label(vocabulary, key)) for key in vocabulary]


def _level_label(level: int, text: str) -> str:
    return gettext("Level %(level)d: %(text)s") % {"level": level, "text": gettext(text)}


_level_label_lazy = lazy(_level_label, str)
_gettext_lazy_text = lazy(gettext, str)  # a label held in English elsewhere (vocabulary, prompts)


def _prompt_choices() -> list[tuple[str, str]]:
    return [(key, _gettext_lazy_text(text)) for key, text in PROMPTS.items()]


class TagField(forms.MultipleChoiceField):
    """Checkboxes from the vocabulary; free tags the person already has stay selectable."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, vocabulary: dict, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(choices=_choices(vocabulary), **kwargs)
        self.vocabulary = vocabulary

    def valid_value(self, value) -> bool:
        return vocab.is_tag(str(value))


def split_free_tags(text: str) -> list[str]:
    return [vocab.normalise_tag(part) for part in (text or "").split(",") if vocab.normalise_tag(part)]


class PostcodeField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 10)
        kwargs.setdefault(
            "help_text", _("Your postcode, or just its first part (like BB1). We keep only the first part.")
        )
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("dir", "ltr")  # a postcode reads left to right, also on Urdu and Arabic pages

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return value
        locality.outcode_of(value)  # raises a clear ValidationError for text that is not a postcode
        return value


class StartProfileForm(forms.Form):
    role = forms.ChoiceField(
        label=_("What do you want to do?"),
        choices=[
            ("seeker", _("Find support for me or someone I care for")),
            ("pa", _("Offer my work as a personal assistant (PA)")),
            ("peer_advisor", _("Volunteer as a peer advisor")),
            ("broker", _("Offer my services as an independent support broker")),
        ],
        widget=forms.RadioSelect,
    )
    display_name = forms.CharField(
        label=_("The name others will see"),
        max_length=60,
        help_text=_("For example your first name and the first letter of your surname, like Alex B."),
    )
    postcode = PostcodeField(label=_("Postcode"))


# Availability: a day <select> and from/to <input type="time"> per slot (profiles/includes/availability.html).
# Without JavaScript, EMPTY_SLOT_ROWS empty rows are there to fill; with it, "Add another slot" adds more.
# The stored strings are unchanged: "mon 09:00-13:00".
EMPTY_SLOT_ROWS = 3
MAX_SLOT_ROWS = 28


def slot_parts(slot: str) -> tuple[str, str, str]:
    """'mon 09:00-13:00' -> ('mon', '09:00', '13:00'); a malformed slot keeps its text in the day part."""
    if vocab.parse_slot(slot):
        day, times = slot.strip().lower().split(" ")
        start, end = times.split("-")
        return day, start, end
    return slot, "", ""


def availability_rows(value) -> list[dict]:
    rows = [{"day": d, "start": f, "end": t} for d, f, t in (value or []) if d or f or t]
    rows += [{"day": "", "start": "", "end": ""}] * EMPTY_SLOT_ROWS
    return [{"index": i, "number": i + 1, **row} for i, row in enumerate(rows[:MAX_SLOT_ROWS])]


class AvailabilityWidget(forms.Widget):
    """Reads rows named <name>_day_<i>, <name>_start_<i>, <name>_end_<i>; a plain "<name>" text (one slot
    per line, as the old textarea sent) is still understood."""

    def value_from_datadict(self, data, files, name):
        if name in data:
            return [slot_parts(line) for line in str(data.get(name, "")).splitlines() if line.strip()]
        rows = []
        for i in range(MAX_SLOT_ROWS):
            parts = tuple(str(data.get(f"{name}_{part}_{i}", "")).strip() for part in ("day", "start", "end"))
            rows.append(parts)
        return rows

    def value_omitted_from_data(self, data, files, name):
        return False


class AvailabilityField(forms.Field):
    widget = AvailabilityWidget

    def to_python(self, value) -> list[str]:
        slots, problems = [], []
        for number, (day, start, end) in enumerate(value or [], start=1):
            if not (day or start or end):
                continue
            if start == "" and end == "" and " " in day:  # a typed line: "mon 09:00-13:00"
                if vocab.parse_slot(day):
                    slots.append(day.strip().lower())
                else:
                    problems.append(
                        gettext(
                            "“%(text)s” is not a time slot. Choose a day and the times you are free, "
                            "like Monday 09:00 to 13:00."
                        )
                        % {"text": day}
                    )
                continue
            if day not in vocab.DAYS:
                problems.append(gettext("Slot %(number)d: choose a day.") % {"number": number})
                continue
            if not start or not end:
                problems.append(
                    gettext("Slot %(number)d: give the time you start and the time you finish, like 09:00 and 13:00.")
                    % {"number": number}
                )
                continue
            slot = f"{day} {start[:5]}-{end[:5]}"
            if not vocab.parse_slot(slot):
                problems.append(
                    gettext(
                        "Slot %(number)d: the finishing time must be later than the starting time, on the same day."
                    )
                    % {"number": number}
                )
                continue
            slots.append(slot)
        if problems:
            raise ValidationError(problems)
        return slots


class ProfileForm(forms.Form):
    display_name = forms.CharField(label=_("The name others will see"), max_length=60)
    postcode = PostcodeField(
        label=_("Postcode"),
        required=False,
        help_text=_("Leave empty to keep your district. We keep only the first part."),
    )
    about = forms.CharField(
        label=_("About you"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Your personality, what you enjoy and how you like to work. Do not include your address or phone number."
        ),
    )
    skills = TagField(vocab.SKILLS, label=_("Skills"))
    interests = TagField(vocab.INTERESTS, label=_("Interests"))
    other_interests = forms.CharField(
        label=_("Other interests"), required=False, help_text=_("Separate them with commas, like chess, bird watching.")
    )
    languages = TagField(vocab.LANGUAGES, label=_("Languages you use"))
    availability = AvailabilityField(
        label=_("When you are free"),
        required=False,
        help_text=_("Choose a day and the times you are free. Leave a slot empty if you do not need it."),
    )
    travel_km = forms.IntegerField(
        label=_("How far you will travel (km)"), required=False, min_value=0, max_value=MAX_TRAVEL_KM
    )
    capacity = forms.IntegerField(
        label=_("How many people you can support at once"),
        min_value=1,
        max_value=20,
        initial=1,
        help_text=_("Your coordinator will not suggest you to more people than this."),
    )
    hourly_rate = forms.DecimalField(
        label=_("Your hourly rate (£)"),
        required=False,
        min_value=Decimal("0.01"),
        max_value=MAX_HOURLY_RATE,
        decimal_places=2,
        help_text=_("What you charge for an hour, in pounds, like 15.50."),
    )
    brokerage_functions = TagField(vocab.BROKERAGE_FUNCTIONS, label=_("Brokerage functions you offer"))
    support_levels = forms.TypedMultipleChoiceField(
        label=_("Levels of support you offer"),
        coerce=int,
        required=False,
        choices=[(level, _level_label_lazy(level, text)) for level, text in vocab.SUPPORT_LEVELS.items()],
        widget=forms.CheckboxSelectMultiple,
    )
    funding_decisions = forms.BooleanField(
        label=_("I make decisions about people's funding (for example I work for the council's assessment team)"),
        required=False,
    )
    provides_direct_support = forms.BooleanField(
        label=_("I also provide direct support or care services"), required=False
    )
    affiliations = forms.CharField(
        label=_("Organisations I am linked to"), required=False, help_text=_("Separate them with commas.")
    )
    organisation_name = forms.CharField(
        label=_("Organisation that supports you (if any)"), required=False, max_length=120
    )
    dbs_level = forms.ChoiceField(
        label=_("DBS check level (if you have one)"),
        required=False,
        choices=[("", _("No DBS check")), *_choices(vocab.DBS_LEVELS)],
    )
    dbs_checked_on = forms.DateField(
        label=_("Date of your DBS check"),
        required=False,
        validators=[validate_sensible_date],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Shown as self-declared until someone sees the certificate."),
    )
    # Up to three prompts the person chooses and answers (profiles.prompts), after "About you" on the page.
    prompt_1 = forms.ChoiceField(
        label=_("Prompt 1"), required=False, choices=[("", _("No prompt")), *_prompt_choices()]
    )
    answer_1 = forms.CharField(
        label=_("Your answer to prompt 1"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
    prompt_2 = forms.ChoiceField(
        label=_("Prompt 2"), required=False, choices=[("", _("No prompt")), *_prompt_choices()]
    )
    answer_2 = forms.CharField(
        label=_("Your answer to prompt 2"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
    prompt_3 = forms.ChoiceField(
        label=_("Prompt 3"), required=False, choices=[("", _("No prompt")), *_prompt_choices()]
    )
    answer_3 = forms.CharField(
        label=_("Your answer to prompt 3"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
    seeking_skills = TagField(vocab.SKILLS, label=_("Skills you are looking for"))
    seeking_max_km = forms.IntegerField(
        label=_("Furthest distance (km)"), required=False, min_value=1, max_value=MAX_TRAVEL_KM
    )
    seeking_max_rate = forms.DecimalField(
        label=_("Most you want to pay per hour (£)"),
        required=False,
        min_value=Decimal("0.01"),
        max_value=MAX_HOURLY_RATE,
    )

    ROLE_FIELDS = {
        "seeker": {"seeking_skills", "seeking_max_km", "seeking_max_rate"},
        "pa": {"travel_km", "hourly_rate", "dbs_level", "dbs_checked_on"},
        "peer_advisor": {
            "travel_km",
            "capacity",
            "brokerage_functions",
            "organisation_name",
            "dbs_level",
            "dbs_checked_on",
        },
        "broker": {
            "travel_km",
            "hourly_rate",
            "brokerage_functions",
            "support_levels",
            "funding_decisions",
            "provides_direct_support",
            "affiliations",
            "dbs_level",
            "dbs_checked_on",
        },
    }
    ALL_ROLE_FIELDS = set().union(*ROLE_FIELDS.values())

    def __init__(self, *args, role: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.role = role
        for name in self.ALL_ROLE_FIELDS - self.ROLE_FIELDS[role]:
            del self.fields[name]
        if role in self.RATE_HELP:
            self.fields["hourly_rate"].help_text = self.RATE_HELP[role]

    day_choices = tuple(_choices(vocab.DAY_NAMES))

    # Only PAs and brokers set a rate (peer advisors are volunteers and never see the field).
    RATE_HELP = {
        "pa": _(
            "What you charge for an hour of support, in pounds, like 15.50. People see it on your listing. "
            "Until you add a rate, people cannot book you through Open Circle."
        ),
        "broker": _(
            "What you charge for an hour of brokerage, in pounds, like 30.00. You can also offer "
            "fixed-price packages on your offers page."
        ),
    }

    def availability_rows(self) -> list[dict]:
        """The slot rows the edit page shows: the slots given (or saved), then EMPTY_SLOT_ROWS empty ones."""
        return availability_rows(self["availability"].value())

    @classmethod
    def initial_for(cls, profile: Profile) -> dict:
        seeking = profile.seeking or {}
        independence = profile.independence or {}
        known_interests = [t for t in profile.interests if t in vocab.INTERESTS]
        return {
            "display_name": profile.display_name,
            "about": profile.about,
            "skills": profile.skills,
            "interests": known_interests,
            "other_interests": ", ".join(t for t in profile.interests if t not in vocab.INTERESTS),
            "languages": profile.languages,
            "availability": [slot_parts(slot) for slot in profile.availability],
            "travel_km": profile.travel_km,
            "capacity": profile.capacity,
            "hourly_rate": profile.hourly_rate,
            "brokerage_functions": profile.brokerage_functions,
            "support_levels": profile.support_levels,
            "funding_decisions": independence.get("funding_decisions", False),
            "provides_direct_support": independence.get("provides_direct_support", False),
            "affiliations": ", ".join(independence.get("affiliations", [])),
            "organisation_name": profile.organisation.name if profile.organisation else "",
            "dbs_level": profile.dbs_level,
            "dbs_checked_on": profile.dbs_checked_on,
            "seeking_skills": seeking.get("skills", []),
            "seeking_max_km": seeking.get("max_km"),
            "seeking_max_rate": seeking.get("max_rate_gbp"),
            **{
                f"{part}_{i}": answer[part]
                for i, answer in enumerate(profile.prompts or [], start=1)
                for part in ("prompt", "answer")
                if i <= MAX_ANSWERS
            },
        }

    PROMPT_FIELDS = tuple(f"{part}_{i}" for i in range(1, MAX_ANSWERS + 1) for part in ("prompt", "answer"))

    def service_data(self, profile: Profile) -> dict:
        data = dict(self.cleaned_data)
        data["prompts"] = [
            {"prompt": data.pop(f"prompt_{i}", ""), "answer": data.pop(f"answer_{i}", "")}
            for i in range(1, MAX_ANSWERS + 1)
        ]
        data["interests"] = list(data.get("interests", [])) + split_free_tags(data.pop("other_interests", ""))
        if not data.get("postcode"):
            data.pop("postcode", None)
        if self.role == "broker":
            data["independence"] = {
                "funding_decisions": data.pop("funding_decisions"),
                "provides_direct_support": data.pop("provides_direct_support"),
                "affiliations": [a.strip() for a in data.pop("affiliations").split(",") if a.strip()],
            }
        if self.role == "seeker":
            seeking = dict(profile.seeking or {})
            seeking.update(
                skills=data.pop("seeking_skills"),
                max_km=data.pop("seeking_max_km"),
                max_rate_gbp=float(r) if (r := data.pop("seeking_max_rate")) is not None else None,
            )
            data["seeking"] = {k: v for k, v in seeking.items() if v not in (None, [], "")}
        return data


class SensitiveForm(forms.Form):
    lived_experience = TagField(vocab.LIVED_EXPERIENCE, label=_("Your lived experience"))
    lived_experience_visibility = forms.ChoiceField(
        label=_("Who can see your lived experience"), choices=Visibility.choices, widget=forms.RadioSelect
    )
    health_details = forms.CharField(
        label=_("Health details you want to share"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    health_details_visibility = forms.ChoiceField(
        label=_("Who can see your health details"), choices=Visibility.choices, widget=forms.RadioSelect
    )


class ConsentForm(forms.Form):
    agree = forms.BooleanField(
        label=_(
            "I agree to Open Circle holding my lived experience and health details, to use them only as I choose below."
        ),
        required=True,
        error_messages={"required": _("Tick the box to give your consent, or go back if you do not want to.")},
    )


class PhotoForm(forms.Form):
    photo = forms.FileField(
        label=_("Choose a photo"),
        help_text=_("A JPEG, PNG or WebP file under 5 MB. We remove hidden details such as location from it."),
    )
    alt_text = forms.CharField(
        label=_("Describe the photo"),
        required=False,
        max_length=200,
        help_text=_("For people who cannot see it, for example: Me smiling on a walk by the canal."),
    )


class PhotoDescriptionForm(forms.Form):
    alt_text = forms.CharField(label=_("Description"), required=False, max_length=200)


class ClaimForm(forms.Form):
    kind = forms.ChoiceField(label=_("What kind of claim"), choices=TrustClaim.Kind.choices)
    detail = forms.CharField(
        label=_("Details"), max_length=200, help_text=_("For example: Level 3 Diploma in Health and Social Care, 2021.")
    )


class ProxyForm(forms.Form):
    proxy_email = forms.EmailField(
        label=_("Their email address"),
        help_text=_("We email them an invitation. They accept it with their own Open Circle account."),
    )
    relationship = forms.CharField(
        label=_("How they know you"), required=False, max_length=60, help_text=_("For example: my daughter.")
    )
    can_see_payments = forms.BooleanField(label=_("They can see my bookings and payments"), required=False)


class RegisterSearchForm(forms.Form):
    role = forms.ChoiceField(
        label=_("Looking for"),
        required=False,
        choices=[
            ("", _("Any kind of supporter")),
            ("pa", _("Personal assistants")),
            ("peer_advisor", _("Peer advisors")),
            ("broker", _("Support brokers")),
        ],
    )
    postcode = PostcodeField(label=_("Near postcode"), required=False, help_text=_("For example BB1 or BB1 2AB."))
    within_km = forms.TypedChoiceField(
        label=_("Within"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[
            ("", _("Any distance")),
            (3, _("3 km (about 2 miles)")),
            (8, _("8 km (about 5 miles)")),
            (16, _("16 km (about 10 miles)")),
            (40, _("40 km (about 25 miles)")),
        ],
    )
    skills = TagField(vocab.SKILLS, label=_("Skills"))
    language = forms.ChoiceField(
        label=_("Speaks or signs"), required=False, choices=[("", _("Any language")), *_choices(vocab.LANGUAGES)]
    )
    interest = forms.ChoiceField(
        label=_("Shares an interest"), required=False, choices=[("", _("Any")), *_choices(vocab.INTERESTS)]
    )
    day = forms.ChoiceField(
        label=_("Free on"), required=False, choices=[("", _("Any day")), *_choices(vocab.DAY_NAMES)]
    )
    max_rate = forms.DecimalField(
        label=_("Most per hour (£)"), required=False, min_value=Decimal("0.01"), max_value=MAX_HOURLY_RATE
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[("distance", _("Nearest first")), ("rate", _("Lowest rate first")), ("newest", _("Newest first"))],
    )

    def to_query(self):
        """The selector's query from valid input, and where the postcode is (with any fallback message)."""
        from .selectors import RegisterQuery

        data = self.cleaned_data
        place = locality.locate(data["postcode"]) if data.get("postcode") else None
        query = RegisterQuery(
            role=data.get("role") or "",
            near=place,
            within_km=data.get("within_km") if place else None,
            skills=data.get("skills") or [],
            languages=[data["language"]] if data.get("language") else [],
            interests=[data["interest"]] if data.get("interest") else [],
            day=data.get("day") or "",
            max_rate=data.get("max_rate"),
            sort=data.get("sort") or "distance",
        )
        return query, place


# The name others see (issue 13) ----------------------------------------------------------------

NAME_LABEL = _("Your name, as others will see it")
NAME_HELP = _(
    "Shown in conversations, bookings, ratings and emails. A first name, or a first name and initial, is fine."
)


def _name_field() -> forms.CharField:
    return forms.CharField(
        label=NAME_LABEL,
        help_text=NAME_HELP,
        max_length=200,  # the service says what the limit is, in words
        error_messages={"required": _("Enter your name, as you would like others to see it. A first name is fine.")},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )


def _clean_name(form: forms.Form) -> str:
    from .services import clean_person_name

    try:
        return clean_person_name(form.cleaned_data.get("name"))
    except ValidationError as error:
        raise ValidationError(error.message_dict["name"]) from None


class NameForm(forms.Form):
    name = _name_field()

    def clean_name(self) -> str:
        return _clean_name(self)


class SignupForm(AllauthSignupForm):
    """allauth's sign-up form, asking first for the name others will see (settings.ACCOUNT_FORMS["signup"])."""

    name = _name_field()
    field_order = ["name", "email", "password1", "password2"]

    def clean_name(self) -> str:
        return _clean_name(self)

    def custom_signup(self, request, user) -> None:
        from .services import user_rename

        user_rename(user=user, actor=user, name=self.cleaned_data["name"])
        super().custom_signup(request, user)


class RegisterSharingForm(forms.Form):
    share = forms.BooleanField(required=False)

    def __init__(self, *args, **kwargs):
        from .services import REGISTER_SHARING_WORDING

        super().__init__(*args, **kwargs)
        self.fields["share"].label = gettext(REGISTER_SHARING_WORDING)  # plain English in services; shown translated


class PreviewForm(forms.Form):
    audience = forms.ChoiceField(
        label=_("Show my page as it looks to"),
        choices=Audience.choices,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choose one of the kinds of viewer listed.")},
    )
