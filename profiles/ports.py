"""Questions one app answers for another without importing it.

The apps above ``profiles`` (matching, peer_support, messaging, payments, ratings, notifications)
may not import each other sideways (the import-linter contracts in pyproject.toml check this).
When one needs a fact that another owns, the question is declared here, in the app every other
app may import; the owning app registers its answer in its ``AppConfig.ready()``; the asking app
calls the function here. A question nobody has answered raises ``ImproperlyConfigured`` at once:
it never quietly answers "no" (an ``except ImportError`` used to hide a missing answer this way).

Questions:

- ``booking_agreed_between(a_id, b_id)``: have these two people an agreed booking, either way
  round (accepted, hours recorded or completed)? Asked by messaging (no money warning once a
  booking is agreed here); answered by payments (``payments.selectors.booking_exists_between``).

And one request:

- ``introductions_leave(seeker_id, supporter_id)``: a coordinator's match between these two has ended,
  so the peer advisor leaves every introduction conversation they share with the seeker (the seeker and
  the coordinator keep it), inside the caller's transaction. Asked by peer_support (ending a match);
  answered by messaging (``messaging.introductions.introductions_leave``).
- ``interest_shown(from_user_id, to_user_id, first_words)``: someone has just shown interest in another
  person outside messaging (a supporter responded to a seeker's advert), inside the caller's
  transaction. If both are now interested their conversation opens; the answer is its path (or None).
  Asked by matching (``advert_respond``); answered by messaging (``messaging.services.interest_shown``).
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ImproperlyConfigured

BookingCheck = Callable[[int, int], bool]

IntroductionsLeave = Callable[[int, int], None]

InterestShown = Callable[[int, int, str], "str | None"]

_booking_check: BookingCheck | None = None
_introductions_leave: IntroductionsLeave | None = None
_interest_shown: InterestShown | None = None


def register_booking_check(check: BookingCheck) -> None:
    global _booking_check
    _booking_check = check


def booking_agreed_between(a_id: int, b_id: int) -> bool:
    if _booking_check is None:
        raise ImproperlyConfigured("No app answers booking_agreed_between: is payments in INSTALLED_APPS?")
    return _booking_check(a_id, b_id)


def register_introductions_leave(leave: IntroductionsLeave) -> None:
    global _introductions_leave
    _introductions_leave = leave


def introductions_leave(seeker_id: int, supporter_id: int) -> None:
    if _introductions_leave is None:
        raise ImproperlyConfigured("No app answers introductions_leave: is messaging in INSTALLED_APPS?")
    _introductions_leave(seeker_id, supporter_id)


def register_interest_shown(answer: InterestShown) -> None:
    global _interest_shown
    _interest_shown = answer


def interest_shown(from_user_id: int, to_user_id: int, first_words: str = "") -> str | None:
    if _interest_shown is None:
        raise ImproperlyConfigured("No app answers interest_shown: is messaging in INSTALLED_APPS?")
    return _interest_shown(from_user_id, to_user_id, first_words)
