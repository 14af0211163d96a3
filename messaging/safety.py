"""Gentle safety checks on message text: money requests and moves off the platform.

The message is still sent; the sender sees a friendly warning and the recipient a safety note.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext_lazy

from .models import Message

_MONEY = re.compile(
    r"\b(bank\s*(details|account|transfer)|sort\s*code|account\s*number|card\s*(details|number)|"
    r"credit\s*card|debit\s*card|cvv|pin\s*number|paypal|western\s*union|moneygram|gift\s*cards?|"
    r"crypto|bitcoin|pay\s*(me|upfront|up\s*front|in\s*advance)|send\s*(me\s*)?(the\s*)?money|"
    r"deposit|cash\s*in\s*hand|transfer\s*(the\s*)?money|lend\s*me|loan)\b",
    re.IGNORECASE,
)
_OFF_PLATFORM = re.compile(
    r"(\bwhats\s*app\b|\btelegram\b|\bsignal\s*me\b|\bsnapchat\b|\bfacebook\s*messenger\b|"
    r"\b(text|call|ring|phone|email|e-mail)\s*me\b|\bmy\s*(number|mobile|email)\b|"
    r"[\w.+-]+@[\w-]+\.[\w.-]+|"
    r"(?:\+44\s?7\d{3}|\b07\d{3})\s?\d{3}\s?\d{3}\b|\b0\d{2,4}[\s-]?\d{3,4}[\s-]?\d{3,4}\b)",
    re.IGNORECASE,
)

SENDER_WARNING = gettext_lazy(
    "Your message was sent. A friendly reminder: for your safety, keep talking on Open Circle and never "
    "share bank or card details or send money before a booking is agreed here."
)
# The recipient's note, one whole sentence for each combination of flags (so each translates as a whole).
_NOTES = {
    frozenset({Message.Flag.MONEY.value}): gettext_lazy(
        "Safety note: this message asks about money, bank or card details. Take care: never send money or "
        "share bank or card details, and you can keep talking here. If something feels wrong, report it."
    ),
    frozenset({Message.Flag.OFF_PLATFORM.value}): gettext_lazy(
        "Safety note: this message moves the conversation off Open Circle. Take care: never send money or "
        "share bank or card details, and you can keep talking here. If something feels wrong, report it."
    ),
    frozenset({Message.Flag.MONEY.value, Message.Flag.OFF_PLATFORM.value}): gettext_lazy(
        "Safety note: this message asks about money, bank or card details and moves the conversation off "
        "Open Circle. Take care: never send money or share bank or card details, and you can keep talking "
        "here. If something feels wrong, report it."
    ),
}


def flags_for(body: str) -> list[str]:
    flags = []
    if _MONEY.search(body):
        flags.append(Message.Flag.MONEY.value)
    if _OFF_PLATFORM.search(body):
        flags.append(Message.Flag.OFF_PLATFORM.value)
    return flags


def note_for_flags(flags) -> str:
    """The safety note the recipient sees for a message with these flags ('' for none)."""
    known = frozenset(flag for flag in flags or () if flag in Message.Flag.values)
    return str(_NOTES[known]) if known else ""


def recipient_note(message: Message) -> str:
    if not message.safety_flags:
        return ""
    return note_for_flags(message.safety_flags)
