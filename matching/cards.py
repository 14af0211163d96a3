"""Person cards: the "you both ..." chips, from the reasons the match explanation already gives.

Only the kinds a person shares with the seeker become chips: lived experience (explain names it only
when the supporter's chosen visibility lets this viewer see it, the one rule in pairwise.lived_visible),
interests, language and times. Nothing here re-decides what may be shown; it rewords reasons.
"""

from __future__ import annotations

MAX_CHIPS = 3
_HAVE = ("both managed ", "both employed ")


def chip(reason: str) -> str:
    """One reason as a "you both" chip, or "" for reasons that are not something shared."""
    if reason.startswith(("both enjoy ", "both have ")):
        return "You " + reason
    if reason.startswith(_HAVE):
        return "You have " + reason
    if reason.startswith("both "):
        return "You are " + reason
    if reason.startswith("speaks "):
        return "Speaks your language: " + reason.removeprefix("speaks ")
    if reason.startswith("free on "):
        return "Free when you need: " + reason.removeprefix("free on ")
    return ""


def chips(reasons: list[str]) -> list[str]:
    found = [text for text in (chip(r) for r in reasons) if text]
    return found[:MAX_CHIPS]


def card_chips(cards: list) -> list:
    """Give each matching card its chips (``card.chips``), in the order its reasons come."""
    for card in cards:
        card.chips = chips(card.result.reasons)
    return cards


COUNT_CAP = 100  # services.MAX_TOP: the most results a search gives


def match_count(*, seeker_profile, viewer, filters, weights: dict[str, float]) -> int:
    """How many people these filters give (up to ``COUNT_CAP``), from the same engine and query as the cards,
    without building any card: the filter panel says it before the person applies the filters."""
    from . import live, selectors, services

    query = selectors.filtered_query(seeker_profile, viewer, filters)
    return len(live.get_index().search(query, weights=services.effective_weights(weights), top=COUNT_CAP))
