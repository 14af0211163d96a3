"""Forms only collect and type the input; the services decide what is allowed."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from marketplace.validators import validate_sensible_date

from .models import Booking, Budget, Payment

MONEY = {"max_digits": 9, "decimal_places": 2, "min_value": Decimal("0.01")}


class DateInput(forms.DateInput):
    """A browser date field. Its value must be ISO (2026-01-05): the en-GB format (05/01/2026) is
    dropped by the browser, which then submits pre-filled dates as empty."""

    input_type = "date"

    def __init__(self, attrs=None, format="%Y-%m-%d"):
        super().__init__(attrs, format=format)


class TimeInput(forms.TimeInput):
    input_type = "time"


class RateForm(forms.Form):
    hourly_rate = forms.DecimalField(
        label=_("Hourly rate (£)"),
        max_digits=6,
        decimal_places=2,
        required=False,
        help_text=_("For example 14.50. Leave empty if you only offer packages."),
    )


class PackageForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=80, help_text=_("For example: Full support plan."))
    price = forms.DecimalField(label=_("Price (£)"), **MONEY)
    hours = forms.DecimalField(label=_("Hours included"), max_digits=6, decimal_places=2, min_value=Decimal("0.25"))
    included = forms.CharField(
        label=_("What is included"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Say in plain words what the person gets, for example: two meetings, a written support plan."),
    )


class BookingForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What do you want to book?"), choices=Booking.Kind.choices, widget=forms.RadioSelect
    )
    package = forms.TypedChoiceField(label=_("Package"), coerce=int, required=False, empty_value=None)
    hours = forms.DecimalField(
        label=_("Hours"),
        max_digits=6,
        decimal_places=2,
        required=False,
        help_text=_("In quarter hours, for example 2.5. At most 24 hours a day."),
    )
    start_date = forms.DateField(validators=[validate_sensible_date], label=_("First day"), widget=DateInput)
    start_time = forms.TimeField(label=_("Start time"), widget=TimeInput, help_text=_("For example 09:30."))
    end_date = forms.DateField(
        validators=[validate_sensible_date],
        label=_("Last day"),
        widget=DateInput,
        required=False,
        help_text=_("Only if the booking runs over several days."),
    )
    note = forms.CharField(
        label=_("Anything the supporter should know"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Do not include health details here; you can share those with the supporter directly."),
    )

    def __init__(self, *args, packages=(), has_rate=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["package"].choices = [("", gettext("Choose a package"))] + [(p.pk, str(p)) for p in packages]
        kinds = [
            (k, label)
            for k, label in Booking.Kind.choices
            if (k == "hours" and has_rate) or (k == "package" and packages)
        ]
        self.fields["kind"].choices = kinds
        if len(kinds) == 1:
            self.fields["kind"].initial = kinds[0][0]
        if not packages:
            del self.fields["package"]
        if not has_rate:
            del self.fields["hours"]


class TimesheetForm(forms.Form):
    worked_hours = forms.DecimalField(
        label=_("Hours worked"), max_digits=6, decimal_places=2, help_text=_("In quarter hours, for example 3.25.")
    )
    note = forms.CharField(
        label=_("Short note"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class QueryForm(forms.Form):
    note = forms.CharField(
        label=_("What looks wrong?"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: we finished at 3pm, so it was 5 hours, not 6."),
    )


class PaidOutsideForm(forms.Form):
    paid_by = forms.CharField(
        label=_("Who paid"),
        max_length=120,
        help_text=_("For example: my council-managed account, my payroll service, or my own name."),
    )
    paid_how = forms.ChoiceField(label=_("How it was paid"), choices=Payment.PaidHow.choices, widget=forms.RadioSelect)
    paid_on = forms.DateField(
        validators=[validate_sensible_date], label=_("Date paid"), widget=DateInput, initial=timezone.localdate
    )
    amount = forms.DecimalField(
        label=_("Amount paid (£)"), required=False, help_text=_("Leave empty to use the booking total."), **MONEY
    )


class BudgetForm(forms.Form):
    amount = forms.DecimalField(label=_("Budget amount (£)"), **MONEY)
    period = forms.ChoiceField(label=_("Each"), choices=Budget.Period.choices, widget=forms.RadioSelect)
    starts_on = forms.DateField(
        validators=[validate_sensible_date],
        label=_("First day of a budget period"),
        widget=DateInput,
        help_text=_("For example the day your direct payment arrives, or 1 April for a yearly budget."),
    )


class BudgetEntryForm(forms.Form):
    spent_on = forms.DateField(validators=[validate_sensible_date], label=_("Date"), widget=DateInput)
    description = forms.CharField(
        label=_("What it was for"), max_length=120, help_text=_("For example: PA wages, week 12.")
    )
    paid_to = forms.CharField(label=_("Paid to"), max_length=120)
    amount = forms.DecimalField(label=_("Amount (£)"), **MONEY)


class ExportForm(forms.Form):
    start = forms.DateField(validators=[validate_sensible_date], label=_("From"), widget=DateInput)
    end = forms.DateField(validators=[validate_sensible_date], label=_("To"), widget=DateInput)

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            raise forms.ValidationError(gettext("The end date must be on or after the start date."))
        return data
