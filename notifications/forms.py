from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Kind


class EmailPreferencesForm(forms.Form):
    kinds = forms.MultipleChoiceField(
        label=_("Email me when"),
        choices=Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Untick a box to stop those emails. You will still see every notification on your notifications page."
        ),
    )
