from django import forms

from .models import Kind


class EmailPreferencesForm(forms.Form):
    kinds = forms.MultipleChoiceField(
        label="Email me when",
        choices=Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Untick a box to stop those emails. You will still see every notification on your notifications page.",
    )
