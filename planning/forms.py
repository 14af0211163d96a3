"""Forms only collect and type the input; planning.services decides what is allowed."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from marketplace.validators import validate_sensible_date
from payments.forms import DateInput
from payments.models import pounds, to_pence

from .models import AgeBand, PlanShare, SupportLine
from .prompts import HELP_LEVELS, SECTIONS

POUNDS = {"max_digits": 9, "decimal_places": 2, "min_value": Decimal("0")}
SECTION_CHOICES = [("", _("Not one part in particular"))] + [(s.key, s.title) for s in SECTIONS]


def pence_or_none(value: Decimal | None) -> int | None:
    return None if value is None else to_pence(value)


def pounds_or_blank(pence: int | None) -> str:
    return "" if pence is None else f"{Decimal(pence) / 100:.2f}"


class StartForm(forms.Form):
    starts_on = forms.DateField(
        label=_("When does the plan start?"),
        widget=DateInput(),
        validators=[validate_sensible_date],
        help_text=_("For example the day your budget starts. It chooses the tax year for wages and tax."),
    )
    consent = forms.BooleanField(
        label=_(
            "I agree that Open Circle keeps my plan. Only I, people acting for me and people I share it with "
            "can see it. I can download it or delete it at any time."
        ),
        required=False,
    )


class ConsentForm(forms.Form):
    consent = forms.BooleanField(label=StartForm.base_fields["consent"].label, required=False)


class SectionForm(forms.Form):
    text = forms.CharField(label=_("In your own words"), required=False, widget=forms.Textarea(attrs={"rows": 10}))
    help_level = forms.TypedChoiceField(
        label=_("How much help do you want with this part?"),
        choices=list(HELP_LEVELS.items()),
        coerce=int,
        widget=forms.RadioSelect,
        initial=1,
    )


class LineForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What kind of support is it?"), choices=SupportLine.Kind.choices, widget=forms.RadioSelect
    )
    title = forms.CharField(
        label=_("Name"), max_length=120, help_text=_("For example: Morning PA, Choir subs, Shower chair.")
    )
    hours_per_week = forms.DecimalField(
        label=_("Hours a week"),
        max_digits=5,
        decimal_places=2,
        required=False,
        min_value=Decimal("0"),
        help_text=_("For a PA or an agency. In quarter hours, for example 12.5."),
    )
    hourly = forms.DecimalField(
        label=_("Hourly pay or rate (£)"), required=False, help_text=_("For example 13.00."), **POUNDS
    )
    weekly = forms.DecimalField(
        label=_("Cost a week (£)"),
        required=False,
        help_text=_("For a community resource or peer advisor. 0 if free."),
        **POUNDS,
    )
    amount = forms.DecimalField(
        label=_("Cost (£)"), required=False, help_text=_("For a one-off purchase or a package."), **POUNDS
    )
    times_per_year = forms.IntegerField(
        label=_("How many times a year"), min_value=1, max_value=365, initial=1, required=False
    )
    age_band = forms.ChoiceField(
        label=_("Employed PA's age"), choices=AgeBand.choices, initial=AgeBand.ADULT, required=False,
        help_text=_("The legal minimum wage depends on age."),
    )  # fmt: skip
    irregular_hours = forms.BooleanField(
        label=_("Employed PA works irregular hours (holiday at 12.07%)"), required=False
    )
    pension = forms.ChoiceField(
        label=_("Employed PA's workplace pension"), choices=SupportLine.Pension.choices, required=False,
        initial=SupportLine.Pension.RULES,
    )  # fmt: skip
    section = forms.ChoiceField(
        label=_("Which part of your plan does it help with?"), choices=SECTION_CHOICES, required=False
    )

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "hours_per_week": data.get("hours_per_week"),
            "hourly_pence": pence_or_none(data.get("hourly")),
            "weekly_pence": pence_or_none(data.get("weekly")),
            "amount_pence": pence_or_none(data.get("amount")),
            "times_per_year": data.get("times_per_year") or 1,
            "age_band": data.get("age_band") or AgeBand.ADULT,
            "irregular_hours": data.get("irregular_hours", False),
            "pension": data.get("pension") or SupportLine.Pension.RULES,
            "section": data.get("section") or "",
        }

    @classmethod
    def initial_for(cls, line: SupportLine) -> dict:
        return {
            "kind": line.kind,
            "title": line.title,
            "hours_per_week": line.hours_per_week,
            "hourly": pounds_or_blank(line.hourly_pence),
            "weekly": pounds_or_blank(line.weekly_pence),
            "amount": pounds_or_blank(line.amount_pence),
            "times_per_year": line.times_per_year,
            "age_band": line.age_band,
            "irregular_hours": line.irregular_hours,
            "pension": line.pension,
            "section": line.section,
        }


class EditLineForm(LineForm):
    """The kind of a line stays as it was added."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["kind"]


class EmployerForm(forms.Form):
    title = forms.CharField(label=_("Name of this plan"), max_length=80)
    starts_on = StartForm.base_fields["starts_on"]
    employment_allowance = forms.BooleanField(
        label=_("I can claim the Employment Allowance (employers of care and support workers usually can)"),
        required=False,
    )
    insurance = forms.DecimalField(
        label=_("Employer's liability insurance, a year (£)"),
        required=False,
        help_text=_("0 if you employ nobody."),
        **POUNDS,
    )
    payroll = forms.DecimalField(label=_("Payroll service fee, a month (£)"), required=False, **POUNDS)
    contingency_percent = forms.IntegerField(
        label=_("Contingency (%)"), min_value=0, max_value=50, required=False,
        help_text=_("Money kept aside for sickness cover and surprises, as a share of your employed PAs' costs."),
    )  # fmt: skip
    easy_read = forms.BooleanField(label=_("Show the easy-read questions first"), required=False)


class RegisterLineForm(forms.Form):
    """Add someone found through the plan's suggestions."""

    ref = forms.SlugField(max_length=64, widget=forms.HiddenInput)
    package = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1, max_value=2**31)
    hours_per_week = forms.DecimalField(
        label=_("Hours a week"), max_digits=5, decimal_places=2, required=False, min_value=Decimal("0.25")
    )


class ShareForm(forms.Form):
    person = forms.ChoiceField(label=_("Someone on your plan"), required=False, widget=forms.RadioSelect)
    email = forms.EmailField(
        label=_("Or their email address"),
        required=False,
        help_text=_("They need an Open Circle account with this email."),
    )
    role = forms.ChoiceField(label=_("Who are they to you?"), choices=PlanShare.Role.choices, widget=forms.RadioSelect)

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [(str(user_id), label) for user_id, label in people]
        if not people:
            del self.fields["person"]
            self.fields["email"].label = _("Their email address")

    def clean(self):
        data = super().clean()
        if not data.get("person") and not data.get("email"):
            raise ValidationError(_("Choose someone on your plan or enter their email address."))
        return data


class CommentForm(forms.Form):
    text = forms.CharField(label=_("Your comment"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))


def add_service_errors(form: forms.Form, error: ValidationError, mapping: dict[str, str] | None = None) -> None:
    """Put a service's ValidationError on the form: on the field it names if the form has it, else on the form."""
    mapping = mapping or {}
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            field = mapping.get(name, name)
            for message in errors:
                form.add_error(field if field in form.fields else None, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


__all__ = ["pounds"]
