"""Request rates as written in settings and the environment: "60/min", "1000/hour", "10/30s", or several
that must all hold, separated by commas: "60/min,15/10s" (at most 60 a minute, and at most 15 of them in
any 10 seconds, so the minute's allowance cannot all arrive at once).

No Django imports: settings.py checks each rate with :func:`parse_rate` as it loads, so a mistyped
rate stops the server at start with a clear message instead of failing requests.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

_UNITS = {
    "s": 1,
    "sec": 1,
    "second": 1,
    "m": 60,
    "min": 60,
    "minute": 60,
    "h": 3600,
    "hour": 3600,
    "d": 86400,
    "day": 86400,
}
_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([a-z]+?)s?\s*$")


@dataclass(frozen=True)
class Rate:
    limit: int
    period: int  # seconds

    def describe(self) -> str:
        """ "60 a minute", "1,000 an hour", "10 every 30 seconds", in the page's language. (Django is
        imported here, not at the top: settings.py imports this module as it loads.)"""
        from django.utils.formats import number_format
        from django.utils.translation import gettext, ngettext

        count = number_format(self.limit, force_grouping=True)
        named = {
            1: gettext("%(count)s a second"),
            60: gettext("%(count)s a minute"),
            3600: gettext("%(count)s an hour"),
            86400: gettext("%(count)s a day"),
        }
        if self.period in named:
            return named[self.period] % {"count": count}
        values = {"count": count}
        if self.period % 86400 == 0:
            values["n"] = self.period // 86400
            return ngettext("%(count)s every %(n)s day", "%(count)s every %(n)s days", values["n"]) % values
        if self.period % 3600 == 0:
            values["n"] = self.period // 3600
            return ngettext("%(count)s every %(n)s hour", "%(count)s every %(n)s hours", values["n"]) % values
        if self.period % 60 == 0:
            values["n"] = self.period // 60
            return ngettext("%(count)s every %(n)s minute", "%(count)s every %(n)s minutes", values["n"]) % values
        values["n"] = self.period
        return ngettext("%(count)s every %(n)s second", "%(count)s every %(n)s seconds", values["n"]) % values


@functools.lru_cache(maxsize=64)
def parse_rate(text: str) -> Rate:
    """ "60/min" -> Rate(60, 60). Raises ValueError with a plain message (settings.py checks rates at start)."""
    match = _RATE.match(text.lower())
    if not match or match.group(3) not in _UNITS or int(match.group(1)) < 1:
        raise ValueError(
            f"{text!r} is not a rate: write a number of requests, a slash and a period, such as 60/min, "
            "1000/hour or 10/30s (at least 1 request)."
        )
    return Rate(int(match.group(1)), int(match.group(2) or 1) * _UNITS[match.group(3)])


@functools.lru_cache(maxsize=64)
def parse_rates(text: str) -> tuple[Rate, ...]:
    """ "60/min,15/10s" -> (Rate(60, 60), Rate(15, 10)); the same checks as parse_rate, for each part."""
    parts = [part for part in text.split(",") if part.strip()]
    if not parts:
        raise ValueError(f"{text!r} is not a rate: write one such as 60/min, or several separated by commas.")
    return tuple(parse_rate(part) for part in parts)
