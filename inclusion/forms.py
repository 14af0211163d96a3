from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Contrast, Reading, TextSize


class DisplayForm(forms.Form):
    text_size = forms.TypedChoiceField(
        label=_("Text size"), choices=TextSize.choices, coerce=int, widget=forms.RadioSelect, initial=TextSize.STANDARD
    )
    contrast = forms.ChoiceField(label=_("Colours"), choices=Contrast.choices, widget=forms.RadioSelect)
    reading = forms.ChoiceField(label=_("Reading"), choices=Reading.choices, widget=forms.RadioSelect)
    easy_read = forms.BooleanField(
        label=_("Easy read"),
        required=False,
        help_text=_("Short sentences and pictures on the main pages, where we have written them."),
    )
