"""Request limits: DRF throttles for the API, a per-IP limit on the HTML search pages, sign-in backoff.

Every counter lives in the default cache (Redis when REDIS_URL is set), so all workers share it, and every
per-IP count takes the address from marketplace.client_ip, so all limiters agree on who is asking.
Rates are in ``settings.THROTTLE_RATES`` ("60/min", "1000/hour", "10/30s", or several that must all hold:
"60/min,15/10s"), read from the environment in settings.py; docs/security-limits.md lists them.

Counting is a sliding window of two fixed windows (the previous window's count, weighted by how much of it
is still inside the last ``period`` seconds, plus the current one): one cache read for a refused request,
three for an allowed one, and no list of timestamps to rewrite. A refused request is not counted, so a
client that slows down gets through again as soon as its recent rate is under the limit.
"""

from __future__ import annotations

import hashlib
import math
import time
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render
from django.utils.translation import gettext, ngettext
from rest_framework.exceptions import ErrorDetail, Throttled
from rest_framework.throttling import BaseThrottle

from .client_ip import client_ip, limit_key
from .rates import Rate, parse_rates

# --- rates and the counter --------------------------------------------------------------------------------


def rates_for(scope: str) -> tuple[Rate, ...]:
    return parse_rates(settings.THROTTLE_RATES[scope])


def _hashed(*parts: str) -> str:
    """Cache keys never hold an email address or an IP address as such."""
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]


def _estimate(previous: int, current: int, elapsed: float) -> float:
    return previous * (1.0 - elapsed) + current


def _wait(previous: int, current: int, elapsed: float, rate: Rate) -> int:
    """Seconds until one more request fits, given ``current`` allowed so far in this window."""
    if current + 1 <= rate.limit and previous:
        needed = 1.0 - (rate.limit - current - 1) / previous  # fraction of this window that must pass
        seconds = (needed - elapsed) * rate.period
    else:  # only after this window ends, when ``current`` becomes the weighted previous window
        needed = 1.0 - (rate.limit - 1) / current if current else 0.0
        seconds = (1.0 - elapsed) * rate.period + max(0.0, needed) * rate.period
    return max(1, math.ceil(seconds))


def _windows(base: str, rate: Rate, now: float) -> tuple[str, str, float]:
    window, offset = divmod(now, rate.period)
    return f"{base}:{int(window) - 1}", f"{base}:{int(window)}", offset / rate.period


def _peek(base: str, rate: Rate, now: float) -> tuple[int, int, int]:
    """(seconds to wait before one more fits or 0, previous count, current count)."""
    previous_key, current_key, elapsed = _windows(base, rate, now)
    seen = cache.get_many([previous_key, current_key])
    previous, current = int(seen.get(previous_key, 0)), int(seen.get(current_key, 0))
    if _estimate(previous, current + 1, elapsed) > rate.limit:
        return _wait(previous, current, elapsed, rate), previous, current
    return 0, previous, current


def _add(base: str, rate: Rate, now: float, delta: int = 1) -> int:
    """Add ``delta`` to the current window's count (atomic in every cache backend); the new count."""
    _previous_key, current_key, _elapsed = _windows(base, rate, now)
    timeout = 2 * rate.period + 1
    cache.add(current_key, 0, timeout=timeout)
    try:
        return cache.incr(current_key, delta) if delta >= 0 else cache.decr(current_key, -delta)
    except ValueError:  # expired between add and incr
        cache.set(current_key, max(0, delta), timeout=timeout)
        return max(0, delta)


def hit(
    scope: str, ident: str, rates: tuple[Rate, ...] | None = None, now: float | None = None
) -> tuple[int, Rate | None]:
    """Count one request for ``ident`` under every rate of ``scope``: (0, None) if it may go ahead, else
    (seconds to wait, the rate that refused it), and then it is not counted at all."""
    rates = rates or rates_for(scope)
    now = time.time() if now is None else now
    bases = [f"throttle:{scope}:{rate.period}:{_hashed(ident)}" for rate in rates]
    peeked = [_peek(base, rate, now) for base, rate in zip(bases, rates, strict=True)]
    refusals = [(wait, rate) for (wait, _previous, _current), rate in zip(peeked, rates, strict=True) if wait]
    if refusals:
        return max(refusals, key=lambda refusal: refusal[0])
    counted = []
    for base, rate, (_wait, previous, _current) in zip(bases, rates, peeked, strict=True):
        current = _add(base, rate, now)
        counted.append((base, rate))
        elapsed = _windows(base, rate, now)[2]
        if _estimate(previous, current, elapsed) > rate.limit:  # others got there first
            for done_base, done_rate in counted:
                _add(done_base, done_rate, now, -1)
            return _wait(previous, current - 1, elapsed, rate), rate
    return 0, None


def _in_words(seconds: int) -> str:
    if seconds < 120:
        return ngettext("%(count)d second", "%(count)d seconds", seconds) % {"count": seconds}
    minutes = math.ceil(seconds / 60)
    return ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}


# --- the API (DRF) ---------------------------------------------------------------------------------------

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class _ScopedThrottle(BaseThrottle):
    """Raises DRF's Throttled itself, with a message saying which limit and what to do; DRF adds Retry-After."""

    scope = ""

    def ident(self, request) -> str | None:  # None: this throttle does not apply
        raise NotImplementedError

    def message(self, rate: Rate, wait: int) -> str:
        raise NotImplementedError

    def get_ident(self, request):  # DRF's own helper would read X-Forwarded-For its own way
        return limit_key(client_ip(request))

    def allow_request(self, request, view):
        ident = self.ident(request)
        if ident is None:
            return True
        wait, rate = hit(self.scope, ident)
        if wait:
            refusal = Throttled(wait=wait)  # the API's error handler turns ``wait`` into Retry-After
            refusal.detail = ErrorDetail(
                self.message(rate, wait), code=refusal.default_code
            )  # DRF would add its own sentence
            raise refusal
        return True


class AnonThrottle(_ScopedThrottle):
    """Anyone not signed in (no session, no token), counted per IP address."""

    scope = "anon"

    def ident(self, request):
        return None if request.user.is_authenticated else self.get_ident(request)

    def message(self, rate, wait):
        return (
            f"Too many requests from your network address: the limit without signing in is {rate.describe()}. "
            f"Wait {_in_words(wait)} and try again, or use an API token, which has a higher limit."
        )


class UserThrottle(_ScopedThrottle):
    """Signed-in people (session or token), counted per person wherever they connect from."""

    scope = "user"

    def ident(self, request):
        return f"user:{request.user.pk}" if request.user.is_authenticated else None

    def message(self, rate, wait):
        return f"Too many requests from your account: the limit is {rate.describe()}. Wait {_in_words(wait)} and try again."


class WriteThrottle(_ScopedThrottle):
    """A stricter limit on changes (POST, PUT, PATCH, DELETE): per person, or per IP when not signed in."""

    scope = "write"

    def ident(self, request):
        if request.method not in UNSAFE_METHODS:
            return None
        return f"user:{request.user.pk}" if request.user.is_authenticated else self.get_ident(request)

    def message(self, rate, wait):
        return (
            f"Too many changes in a short time: the limit is {rate.describe()}. Wait {_in_words(wait)} and try again."
        )


# --- the HTML search pages -------------------------------------------------------------------------------

# The pages that search or look up the register (profiles/urls.py, matching/urls.py), by URL name.
SEARCH_PAGES = frozenset(
    {"profiles:browse", "profiles:detail", "matching:matches", "matching:why-not", "matching:adverts"}
)


class SearchPageLimitMiddleware:
    """Limits the HTML search pages per IP address (scope "search_pages"), answering a friendly 429 page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None or match.view_name not in SEARCH_PAGES:
            return None
        wait, rate = hit("search_pages", limit_key(client_ip(request)))
        if not wait:
            return None
        response = render(request, "429.html", {"wait_words": _in_words(wait), "rate": rate.describe()}, status=429)
        response["Retry-After"] = str(wait)
        return response


# --- sign-in backoff (used by profiles.adapters.AccountAdapter) -----------------------------------------


@contextmanager
def _locked(key: str, timeout: float = 1.0):
    """A short critical section shared by every worker (cache.add is atomic); yields False if it timed out."""
    lock = f"{key}:lock"
    deadline = time.monotonic() + timeout
    pause = 0.005
    while not cache.add(lock, 1, timeout=5):
        if time.monotonic() >= deadline:
            yield False
            return
        time.sleep(pause)
        pause = min(pause * 2, 0.05)
    try:
        yield True
    finally:
        cache.delete(lock)


@dataclass(frozen=True)
class SigninVerdict:
    wait: int  # 0: the password may be checked
    reason: str = ""  # "here" (this account from this address) or "account" (this account from everywhere)


def _signin_keys(request, login: str) -> tuple[str, str]:
    login = login.strip().lower()
    return (
        f"signin:backoff:{_hashed(login, limit_key(client_ip(request)))}",
        f"signin:account:{_hashed(login)}",
    )


def _backoff_seconds(failures: int) -> int:
    """After the free attempts, each failure doubles the wait: 30 s, 1 min, 2 min ... up to 15 minutes."""
    free = settings.SIGNIN_FREE_ATTEMPTS
    if failures < free:
        return 0
    return min(settings.SIGNIN_BACKOFF_MAX_SECONDS, settings.SIGNIN_BACKOFF_BASE_SECONDS * 2 ** (failures - free))


def signin_attempt(request, login: str) -> SigninVerdict:
    """Before a password is checked: may this address try this account's password now?

    A permitted attempt is counted as a failure at once (so parallel attempts cannot all slip through one
    gap); ``signin_succeeded`` takes it back. Only the password route is limited: signing in by emailed code
    has its own limits, so nobody can keep the owner out by getting their password wrong.
    """
    here, account = _signin_keys(request, login)
    now = time.time()
    account_rate = _account_rate()
    if account_rate:
        wait = _peek(account, account_rate, now)[0]
        if wait:
            return SigninVerdict(wait, "account")
    with _locked(here) as locked:
        if not locked:
            return SigninVerdict(1, "here")
        state = cache.get(here) or {"failures": 0, "next": 0.0}
        if now < state["next"]:
            return SigninVerdict(max(1, math.ceil(state["next"] - now)), "here")
        state["failures"] += 1
        state["next"] = now + _backoff_seconds(state["failures"])
        cache.set(here, state, timeout=settings.SIGNIN_FORGET_AFTER_SECONDS)
    if account_rate:
        _add(account, account_rate, now)
    return SigninVerdict(0)


def _account_rate() -> Rate | None:
    cap = settings.SIGNIN_ACCOUNT_FAILURES_PER_HOUR
    return Rate(cap, 3600) if cap else None


def signin_succeeded(request, login: str) -> None:
    """The right password from this address: forget its failures here and take back the provisional count."""
    here, account = _signin_keys(request, login)
    with _locked(here):
        cache.delete(here)
    account_rate = _account_rate()
    if account_rate:
        _add(account, account_rate, time.time(), -1)


def signin_refusal_message(verdict: SigninVerdict) -> str:
    # The first sentence is allauth's own wording, which people (and a test) already know.
    first = gettext("Too many failed login attempts. Try again later.")
    if verdict.reason == "account":
        when = gettext("Password sign-in for this account is paused for %(wait)s because of many failed attempts.") % {
            "wait": _in_words(verdict.wait)
        }
    else:
        when = gettext("You can try the password again from here in %(wait)s.") % {"wait": _in_words(verdict.wait)}
    code = gettext("You can sign in now with a code sent to your email: choose “Send me a sign-in code”.")
    return f"{first} {when} {code}"


def login_code_request_allowed(request, email: str) -> bool:
    """Asking for an emailed sign-in code: limited per address and email together, so one place asking
    for someone's codes cannot stop the owner asking from theirs; plus a ceiling per email from everywhere
    (scope "login_code_email") so nobody can flood an inbox."""
    email = email.strip().lower()
    here = limit_key(client_ip(request))
    if hit("login_code_here", f"{email}|{here}")[0]:
        return False
    return not hit("login_code_email", email)[0]
