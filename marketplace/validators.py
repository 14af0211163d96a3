"""Validators shared by every app, so each rule is written once.

- ``reject_nul``: text (or JSON: every key and string inside it) must not contain a NUL
  character. PostgreSQL cannot store one, so without this check it became a server error.
- ``check_date``: a date must be in a sensible range (``DATE_MIN_YEAR`` to ``DATE_MAX_YEAR``);
  year 1 and year 9999 are typing mistakes, and date arithmetic on them overflows.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError

NUL_MESSAGE = "This contains a hidden null character that we cannot store. Remove it, or type the text again."
DATE_MIN_YEAR = 1900
DATE_MAX_YEAR = 2100


def contains_nul(value) -> bool:
    """True if ``value`` (a string, or JSON made of dicts, lists and strings) has a NUL anywhere. No recursion."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, (list, tuple)):
            stack.extend(item)
    return False


def reject_nul(value, field: str | None = None):
    """Raise a ValidationError (on ``field`` when given) if ``value`` contains a NUL; return it otherwise."""
    if contains_nul(value):
        raise ValidationError({field: [NUL_MESSAGE]} if field else NUL_MESSAGE, code="null_characters_not_allowed")
    return value


def date_range_message() -> str:
    return f"Enter a date between the years {DATE_MIN_YEAR} and {DATE_MAX_YEAR}, for example 14/3/2026."


def check_date(value, field: str | None = None):
    """Raise a ValidationError (on ``field`` when given) if the date (or datetime) is outside the sensible range."""
    if value is None:
        return value
    if isinstance(value, datetime.datetime):
        value = value.date()
    if not (DATE_MIN_YEAR <= value.year <= DATE_MAX_YEAR):
        raise ValidationError(
            {field: [date_range_message()]} if field else date_range_message(), code="date_out_of_range"
        )
    return value


def validate_sensible_date(value) -> None:
    """For a form or model field's ``validators=[...]``."""
    check_date(value)
