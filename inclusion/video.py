"""Checks and cleaning for uploaded video introductions, the video counterpart of ``profiles.images``.

``check_video`` refuses a file that is too many bytes, is not an MP4 by its first bytes (the name and the
browser's stated type are ignored), cannot be read, or is too long. The length comes from the file's own
header (mutagen reads the MP4 ``mvhd`` box; nothing is decoded). WebM is refused with a plain message: a
WebM file need not say how long it is (phones' and browsers' recordings often do not), so its length
cannot be checked without decoding it.

``strip_metadata`` blanks the boxes where phones put location and other metadata (``udta`` and ``meta``,
at the top level and inside ``moov`` and each track) by overwriting them in place with a ``free`` box of
the same size full of zeros: the media data does not move, so its offsets stay right, and nothing of the
metadata survives. The same idea as ``profiles.images.clean_photo``: only what is needed to play is kept.

``check_captions`` accepts WebVTT only: it must start with ``WEBVTT`` and have at least one cue whose
timings parse and run forwards.
"""

from __future__ import annotations

import re
import struct

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext, gettext_lazy
from mutagen import MutagenError
from mutagen.mp4 import MP4

from marketplace.validators import contains_nul

from .video_models import length_in_words

CAPTIONS_MAX_BYTES = 200 * 1024
TRANSCRIPT_MAX_CHARS = 20_000
_UNREADABLE = gettext_lazy(
    "We could not read that file as a video. Choose an MP4 video (most phones save videos as MP4)."
)
_WEBM = gettext_lazy(
    "We can only take MP4 videos for now: we cannot check how long a WebM video is. "
    "Save or export it as MP4 (most phones do this already) and try again."
)
_UNREADABLE_CAPTIONS = gettext_lazy("We could not read that captions file. Save it as a WebVTT (.vtt) file in UTF-8.")
_METADATA_BOXES = {b"udta", b"meta", b"uuid", b"XMP_"}
_CONTAINERS = {b"moov", b"trak"}


def _error(field: str, message) -> ValidationError:
    return ValidationError({field: [message]})


def check_video(upload, *, field: str = "video") -> int:
    """Refuse an upload that is too big, not an MP4 by its contents, unreadable or too long.

    Returns its length in whole seconds (rounded up).
    """
    max_bytes = settings.VIDEO_MAX_BYTES
    if upload.size > max_bytes:
        raise _error(
            field,
            gettext("That video is too big. Choose one under %(mb)s MB, or make it shorter.")
            % {"mb": max_bytes // 2**20},
        )
    upload.seek(0)
    head = upload.read(12)
    if head[:4] == b"\x1a\x45\xdf\xa3":
        raise _error(field, _WEBM)
    if len(head) < 12 or head[4:8] != b"ftyp" or head[8:12] == b"qt  ":
        raise _error(field, _UNREADABLE)
    try:
        upload.seek(0)
        info = MP4(upload).info
        length = float(info.length) if info is not None else 0.0
    except (MutagenError, ValueError, struct.error, OSError, OverflowError):
        raise _error(field, _UNREADABLE) from None
    if not 0 < length < 10**7:
        raise _error(field, _UNREADABLE)
    seconds = int(-(-length // 1))
    max_seconds = settings.VIDEO_MAX_SECONDS
    if seconds > max_seconds:
        raise _error(
            field,
            gettext(
                "That video is %(length)s long. Keep it to %(limit)s or less: "
                "trim it on your phone first, or record a shorter one."
            )
            % {"length": length_in_words(seconds), "limit": length_in_words(max_seconds)},
        )
    return seconds


def _boxes(file, start: int, end: int):
    """(offset, size, type, header size) of each box between ``start`` and ``end``; stops at anything malformed."""
    offset = start
    while offset + 8 <= end:
        file.seek(offset)
        size, kind = struct.unpack(">I4s", file.read(8))
        header = 8
        if size == 1:
            (size,) = struct.unpack(">Q", file.read(8))
            header = 16
        elif size == 0:
            size = end - offset
        if size < header or offset + size > end:
            return
        yield offset, size, kind, header
        offset += size


def strip_metadata(file) -> int:
    """Overwrite every metadata box with an empty ``free`` box of the same size, in place. Returns how many."""
    file.seek(0, 2)
    end = file.tell()
    blanked = 0

    def walk(start: int, stop: int) -> None:
        nonlocal blanked
        for offset, size, kind, header in list(_boxes(file, start, stop)):
            if kind in _METADATA_BOXES:
                file.seek(offset + 4)
                file.write(b"free")
                file.seek(offset + header)
                remaining = size - header
                while remaining:
                    chunk = min(remaining, 1 << 16)
                    file.write(b"\x00" * chunk)
                    remaining -= chunk
                blanked += 1
            elif kind in _CONTAINERS:
                walk(offset + header, offset + size)

    walk(0, end)
    file.seek(0)
    return blanked


_TIMING = re.compile(
    r"^(?:(\d{2,}):)?([0-5]\d):([0-5]\d)\.(\d{3})[ \t]+-->[ \t]+(?:(\d{2,}):)?([0-5]\d):([0-5]\d)\.(\d{3})(?:[ \t].*)?$"
)


def _ms(hours, minutes, seconds, millis) -> int:
    return ((int(hours or 0) * 60 + int(minutes)) * 60 + int(seconds)) * 1000 + int(millis)


def check_captions(upload, *, field: str = "captions") -> str:
    """Return the captions as text if they are WebVTT with at least one well-timed cue; refuse them otherwise."""
    if upload.size > CAPTIONS_MAX_BYTES:
        raise _error(
            field,
            gettext("That captions file is too big. Captions files are small: under %(kb)s KB.")
            % {"kb": CAPTIONS_MAX_BYTES // 1024},
        )
    upload.seek(0)
    try:
        text = upload.read().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _error(field, _UNREADABLE_CAPTIONS) from None
    if contains_nul(text):
        raise _error(field, _UNREADABLE_CAPTIONS)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    first = text.split("\n", 1)[0]
    if not (first == "WEBVTT" or first.startswith(("WEBVTT ", "WEBVTT\t"))):
        raise _error(
            field,
            gettext(
                "That is not a WebVTT captions file: its first line must be WEBVTT. Most captioning tools can save "
                "captions as WebVTT (.vtt); or type a transcript instead."
            ),
        )
    cues = 0
    for number, line in enumerate(text.split("\n"), start=1):
        if "-->" not in line:
            continue
        match = _TIMING.match(line.strip())
        if not match:
            raise _error(
                field,
                gettext(
                    "Line %(number)s of the captions has a timing we cannot read. Write it like 00:01.000 --> 00:04.000."
                )
                % {"number": number},
            )
        start, end = _ms(*match.group(1, 2, 3, 4)), _ms(*match.group(5, 6, 7, 8))
        if end <= start:
            raise _error(
                field,
                gettext("On line %(number)s of the captions, a caption ends before it starts. Check its times.")
                % {"number": number},
            )
        cues += 1
    if not cues:
        raise _error(
            field, gettext("That captions file has no captions in it. Add at least one, or type a transcript instead.")
        )
    return text


def clean_transcript(text: str, *, field: str = "transcript") -> str:
    text = (text or "").strip()
    if contains_nul(text):
        from marketplace.validators import NUL_MESSAGE

        raise _error(field, NUL_MESSAGE)
    if len(text) > TRANSCRIPT_MAX_CHARS:
        raise _error(
            field,
            gettext("Keep the transcript to %(count)s characters or fewer.") % {"count": f"{TRANSCRIPT_MAX_CHARS:,}"},
        )
    return text
