from django import forms
from django.conf import settings
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .video_models import VideoIntroduction, length_in_words


class VideoUploadForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("How do you introduce yourself in the video?"),
        choices=VideoIntroduction.Kind.choices,
        widget=forms.RadioSelect,
    )
    video = forms.FileField(
        label=_("Your video (MP4)"),
        widget=forms.ClearableFileInput(attrs={"accept": "video/mp4"}),
    )
    captions = forms.FileField(
        label=_("Captions for this video (a WebVTT .vtt file)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".vtt,text/vtt"}),
    )
    transcript = forms.CharField(
        label=_("Transcript of this video"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Everything you say or sign in the video, written down."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["video"].help_text = gettext(
            "Up to %(length)s long and %(mb)s MB. Most phones save videos as MP4."
        ) % {"length": length_in_words(settings.VIDEO_MAX_SECONDS), "mb": settings.VIDEO_MAX_BYTES // 2**20}


class VideoTextForm(forms.Form):
    captions = forms.FileField(
        label=_("Captions (a WebVTT .vtt file)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".vtt,text/vtt"}),
    )
    transcript = forms.CharField(
        label=_("Transcript"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Everything you say or sign in the video, written down."),
    )
    remove_captions = forms.BooleanField(label=_("Remove the captions"), required=False)
