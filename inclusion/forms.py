from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Contrast, Reading, TextSize

# What people read for each text size, smallest first, so the order is plain. The stored values (and the model's
# own choices, kept as they are so no migration is needed) do not change.
TEXT_SIZE_LABELS = {
    TextSize.STANDARD: _("Standard (100%)"),
    TextSize.LARGER: _("Big (125%)"),
    TextSize.LARGE: _("Bigger (150%)"),
    TextSize.LARGEST: _("Biggest (200%)"),
}
TEXT_SIZE_CHOICES = [(value, TEXT_SIZE_LABELS[value]) for value in TextSize.values]


class DisplayForm(forms.Form):
    text_size = forms.TypedChoiceField(
        label=_("Text size"), choices=TEXT_SIZE_CHOICES, coerce=int, widget=forms.RadioSelect, initial=TextSize.STANDARD
    )
    contrast = forms.ChoiceField(label=_("Colours"), choices=Contrast.choices, widget=forms.RadioSelect)
    reading = forms.ChoiceField(label=_("Reading"), choices=Reading.choices, widget=forms.RadioSelect)
    easy_read = forms.BooleanField(
        label=_("Easy read"),
        required=False,
        help_text=_("Short sentences and pictures on the main pages, where we have written them."),
    )
