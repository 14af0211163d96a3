from django import forms
from django.conf import settings

from .video_models import VideoIntroduction, length_in_words


class VideoUploadForm(forms.Form):
    kind = forms.ChoiceField(
        label="How do you introduce yourself in the video?",
        choices=VideoIntroduction.Kind.choices,
        widget=forms.RadioSelect,
    )
    video = forms.FileField(
        label="Your video (MP4)",
        widget=forms.ClearableFileInput(attrs={"accept": "video/mp4"}),
    )
    captions = forms.FileField(
        label="Captions for this video (a WebVTT .vtt file)",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".vtt,text/vtt"}),
    )
    transcript = forms.CharField(
        label="Transcript of this video",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Everything you say or sign in the video, written down.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["video"].help_text = (
            f"Up to {length_in_words(settings.VIDEO_MAX_SECONDS)} long and {settings.VIDEO_MAX_BYTES // 2**20} MB. "
            "Most phones save videos as MP4."
        )


class VideoTextForm(forms.Form):
    captions = forms.FileField(
        label="Captions (a WebVTT .vtt file)",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".vtt,text/vtt"}),
    )
    transcript = forms.CharField(
        label="Transcript",
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Everything you say or sign in the video, written down.",
    )
    remove_captions = forms.BooleanField(label="Remove the captions", required=False)
