"""Forms for the community pages: they only translate input into the services' and selectors' terms."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from profiles import locality
from profiles import vocabulary as vocab

from .models import ACCESSIBILITY, Schedule, Service, Taxonomy
from .selectors import DEFAULT_RADIUS_KM, ResourceQuery
from .services import ResourceInput, ScheduleInput

DISTANCES = [
    ("3", _("2 miles")),
    ("8", _("5 miles")),
    ("16", _("10 miles")),
    ("32", _("20 miles")),
    ("80", _("50 miles")),
]
DAY_CHOICES = [(d, vocab.DAY_NAMES[d]) for d in vocab.DAYS]
# The features' English names (kept as they are for the Open Referral exchange), translated when the form is shown.
ACCESSIBILITY_CHOICES = [(code, _(label)) for code, label in ACCESSIBILITY.items()]


def topic_choices() -> list[tuple[str, str]]:
    known = dict(vocab.INTERESTS)
    known.update(dict(Taxonomy.objects.values_list("code", "label")))  # a small table: every term once
    return sorted(known.items(), key=lambda item: item[1].lower())


class ResourceSearchForm(forms.Form):
    postcode = forms.CharField(
        label=_("Near postcode"),
        max_length=10,
        required=False,
        help_text=_("A postcode or its first part, such as BB1."),
    )
    within_km = forms.TypedChoiceField(
        label=_("Within"), choices=DISTANCES, coerce=int, required=False, initial=str(DEFAULT_RADIUS_KM)
    )
    topic = forms.ChoiceField(label=_("Topic"), required=False)
    cost = forms.MultipleChoiceField(
        label=_("Cost"), choices=Service.Cost.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    day = forms.ChoiceField(label=_("Day"), choices=[("", _("Any day")), *DAY_CHOICES], required=False)
    accessibility = forms.MultipleChoiceField(
        label=_("Accessibility"),
        choices=ACCESSIBILITY_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Show only places with every feature you tick."),
    )
    page = forms.IntegerField(min_value=1, max_value=10_000, required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].choices = [("", _("Any topic")), *topic_choices()]

    def clean_postcode(self) -> locality.Place | None:
        text = self.cleaned_data.get("postcode", "").strip()
        if not text:
            return None
        return locality.locate(text)

    def to_query(self) -> ResourceQuery:
        data = self.cleaned_data
        return ResourceQuery(
            place=data.get("postcode"),
            within_km=data.get("within_km") or DEFAULT_RADIUS_KM,
            topic=data.get("topic") or "",
            cost=list(data.get("cost") or []),
            day=data.get("day") or "",
            accessibility=list(data.get("accessibility") or []),
            page=data.get("page") or 1,
        )


class ResourceForm(forms.Form):
    """Suggest or edit a resource. One meeting pattern (days, times, how often) covers most groups."""

    name = forms.CharField(label=_("Name of the group or service"), max_length=200)
    organisation_name = forms.CharField(
        label=_("Who runs it"), max_length=200, help_text=_("The organisation, club or group, as it calls itself.")
    )
    description = forms.CharField(label=_("What it is"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000)
    who_for = forms.CharField(label=_("Who it is for"), max_length=500, required=False)
    how_to_join = forms.CharField(
        label=_("How to join"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000, required=False
    )
    topics = forms.MultipleChoiceField(
        label=_("Topics"), required=False, widget=forms.CheckboxSelectMultiple, choices=list(vocab.INTERESTS.items())
    )
    cost = forms.ChoiceField(label=_("Cost"), choices=Service.Cost.choices, widget=forms.RadioSelect, initial="free")
    price = forms.CharField(
        label=_("Price a session, in pounds"),
        required=False,
        max_length=8,
        help_text=_("Only for a set price, e.g. 3.50."),
    )
    postcode = forms.CharField(
        label=_("Postcode where it meets"),
        max_length=10,
        required=False,
        help_text=_("We keep only the first part (the district), such as HX1."),
    )
    venue = forms.CharField(
        label=_("Venue"), max_length=200, required=False, help_text=_("A public place, such as a library.")
    )
    online = forms.BooleanField(label=_("It meets online (too)"), required=False)
    days = forms.MultipleChoiceField(
        label=_("Days it meets"), choices=DAY_CHOICES, required=False, widget=forms.CheckboxSelectMultiple
    )
    frequency = forms.ChoiceField(label=_("How often"), choices=Schedule.Frequency.choices, initial="WEEKLY")
    opens_at = forms.TimeField(label=_("Starts at"), required=False, help_text=_("For example 10:00."))
    closes_at = forms.TimeField(label=_("Ends at"), required=False, help_text=_("For example 12:00."))
    schedule_note = forms.CharField(
        label=_("Anything else about when"), max_length=200, required=False, help_text=_("For example: first Sunday.")
    )
    accessibility = forms.MultipleChoiceField(
        label=_("Accessibility"),
        choices=ACCESSIBILITY_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    accessibility_notes = forms.CharField(
        label=_("Accessibility notes"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000, required=False
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages used"),
        choices=list(vocab.LANGUAGES.items()),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    url = forms.CharField(label=_("Web page"), max_length=300, required=False)
    email = forms.CharField(
        label=_("Email"),
        max_length=254,
        required=False,
        help_text=_("Only contact details the organisation publishes."),
    )
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)

    def clean_price(self) -> int | None:
        text = (self.cleaned_data.get("price") or "").strip().lstrip("£")
        if not text:
            return None
        try:
            pounds = Decimal(text)
        except InvalidOperation:
            raise ValidationError(_("Give the price in pounds, such as 3.50.")) from None
        if not pounds.is_finite() or pounds <= 0 or pounds > 1000:
            raise ValidationError(_("Give a price between 1p and £1,000."))
        return int((pounds * 100).quantize(Decimal("1")))

    def to_input(self) -> ResourceInput:
        data = self.cleaned_data
        schedules = [
            ScheduleInput(
                day, data["frequency"], data.get("opens_at"), data.get("closes_at"), data.get("schedule_note", "")
            )
            for day in data.get("days") or []
        ]
        return ResourceInput(
            organisation_name=data["organisation_name"],
            name=data["name"],
            description=data["description"],
            who_for=data.get("who_for", ""),
            how_to_join=data.get("how_to_join", ""),
            topics=list(data.get("topics") or []),
            cost=data["cost"],
            price_pence=data.get("price"),
            accessibility=list(data.get("accessibility") or []),
            accessibility_notes=data.get("accessibility_notes", ""),
            languages=list(data.get("languages") or []),
            url=data.get("url", ""),
            email=data.get("email", ""),
            phone=data.get("phone", ""),
            online=data.get("online", False),
            venue=data.get("venue", ""),
            postcode=data.get("postcode", ""),
            schedules=schedules,
        )

    @classmethod
    def initial_for(cls, service: Service) -> dict:
        data = ResourceInput.from_service(service)
        first = data.schedules[0] if data.schedules else None
        price = data.price_pence
        return {
            **{k: getattr(data, k) for k in ("name", "organisation_name", "description", "who_for", "how_to_join")},
            "topics": data.topics,
            "cost": data.cost,
            "price": f"{price / 100:.2f}" if price else "",
            "postcode": data.postcode,
            "venue": data.venue,
            "online": data.online,
            "days": [s.day for s in data.schedules],
            "frequency": first.frequency if first else "WEEKLY",
            "opens_at": first.opens_at if first else None,
            "closes_at": first.closes_at if first else None,
            "schedule_note": first.note if first else "",
            "accessibility": data.accessibility,
            "accessibility_notes": data.accessibility_notes,
            "languages": data.languages,
            "url": data.url,
            "email": data.email,
            "phone": data.phone,
        }

    def add_service_errors(self, error: ValidationError) -> None:
        """Put the service's field errors on the matching form fields (price and schedules map across)."""
        mapping = {"price_pence": "price", "schedules": "days"}
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for name, messages in error.message_dict.items():
            target = mapping.get(name, name)
            self.add_error(target if target in self.fields else None, messages)
