"""Video introduction pages: the owner's page at /me/profiles/<id>/video/, and the file and captions, served
only to people who may see them (``video_selectors``). No JavaScript: the browser's own player plays it."""

from __future__ import annotations

import re

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from marketplace.forms import add_service_errors
from profiles.selectors import owned_profile

from . import video_selectors, video_services
from .video_forms import VideoTextForm, VideoUploadForm
from .video_models import length_in_words

_MAX_PART = 4 * 2**20
_RANGE = re.compile(r"^bytes=(\d{0,15})-(\d{0,15})$")


@login_required
def video_manage(request, pk: int):
    profile = owned_profile(viewer=request.user, pk=pk)
    if not profile.is_supporter:
        raise Http404
    intro = video_selectors.own_video(profile)
    upload_form = VideoUploadForm(prefix="upload")
    text_form = VideoTextForm(prefix="text", initial={"transcript": intro.transcript if intro else ""})
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "upload":
                upload_form = VideoUploadForm(request.POST, request.FILES, prefix="upload")
                if upload_form.is_valid():
                    data = upload_form.cleaned_data
                    intro = video_services.video_upload(
                        profile=profile,
                        actor=request.user,
                        upload=data["video"],
                        kind=data["kind"],
                        captions=data["captions"],
                        transcript=data["transcript"],
                    )
                    messages.success(request, _saved_message(intro))
                    return redirect(request.path)
            elif action == "text" and intro is not None:
                text_form = VideoTextForm(request.POST, request.FILES, prefix="text")
                if text_form.is_valid():
                    data = text_form.cleaned_data
                    intro = video_services.video_text_set(
                        intro=intro,
                        actor=request.user,
                        captions=data["captions"],
                        transcript=data["transcript"],
                        remove_captions=data["remove_captions"],
                    )
                    messages.success(request, _saved_message(intro))
                    return redirect(request.path)
            elif action == "remove" and intro is not None:
                video_services.video_remove(intro=intro, actor=request.user)
                messages.success(request, _("Your video introduction is removed."))
                return redirect(request.path)
            else:
                return redirect(request.path)
        except ValidationError as error:
            add_service_errors(upload_form if action == "upload" else text_form, error)
    return render(
        request,
        "inclusion/video_manage.html",
        {
            "profile": profile,
            "intro": intro,
            "upload_form": upload_form,
            "text_form": text_form,
            "signs_by_listing": video_selectors.signs_bsl_by_listing(profile),
            "max_length": length_in_words(settings.VIDEO_MAX_SECONDS),
            "max_mb": settings.VIDEO_MAX_BYTES // 2**20,
        },
    )


def _saved_message(intro) -> str:
    if intro.is_shown:
        return _("Your video introduction is saved and shown on your listing.")
    return _(
        "Your video is saved, but it is not shown yet: add captions or a transcript so that everyone can follow it."
    )


@require_GET
def video_file(request, ref: str, pk: int):
    """The video itself, with byte ranges so the browser's player can seek."""
    intro = video_selectors.video_for_viewer(ref=ref, pk=pk, viewer=request.user)
    try:
        handle = intro.video.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    size = intro.video.size
    response: HttpResponseBase
    match = _RANGE.match(request.headers.get("Range", ""))
    if match and (match.group(1) or match.group(2)):
        first, last = match.group(1), match.group(2)
        if first:
            start, end = int(first), min(int(last) if last else size - 1, size - 1)
        else:
            start, end = max(size - int(last), 0), size - 1
        end = min(end, start + _MAX_PART - 1)  # a part at a time: the player asks for the rest
        if start > end or start >= size:
            handle.close()
            response = HttpResponse(status=416)
            response["Content-Range"] = f"bytes */{size}"
            return response
        handle.seek(start)
        body = handle.read(end - start + 1)
        handle.close()
        response = HttpResponse(body, status=206, content_type="video/mp4")
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
    else:
        response = FileResponse(handle, content_type="video/mp4")
    response["Accept-Ranges"] = "bytes"
    response["Cache-Control"] = "private, no-cache"
    response["Content-Disposition"] = "inline"
    return response


@require_GET
def video_captions(request, ref: str, pk: int):
    intro = video_selectors.video_for_viewer(ref=ref, pk=pk, viewer=request.user)
    if not intro.captions:
        raise Http404
    response = HttpResponse(intro.captions, content_type="text/vtt; charset=utf-8")
    response["Cache-Control"] = "private, no-cache"
    return response
