from django import forms

from .models import Contrast, Reading, TextSize


class DisplayForm(forms.Form):
    text_size = forms.TypedChoiceField(
        label="Text size", choices=TextSize.choices, coerce=int, widget=forms.RadioSelect, initial=TextSize.STANDARD
    )
    contrast = forms.ChoiceField(label="Colours", choices=Contrast.choices, widget=forms.RadioSelect)
    reading = forms.ChoiceField(label="Reading", choices=Reading.choices, widget=forms.RadioSelect)
    easy_read = forms.BooleanField(
        label="Easy read",
        required=False,
        help_text="Short sentences and pictures on the main pages, where we have written them.",
    )
