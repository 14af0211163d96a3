"""Person cards: the "you both ..." chips, from the reasons the match explanation already gives.

Only the kinds a person shares with the seeker become chips: lived experience (explain names it only
when the supporter's chosen visibility lets this viewer see it, the one rule in pairwise.lived_visible),
interests, language and times. Nothing here re-decides what may be shown; it rewords reasons.
"""

from __future__ import annotations

from django.utils.translation import gettext

MAX_CHIPS = 3
_HAVE = ("both managed ", "both employed ")


def _chip_from_parts(reason) -> str | None:
    """A reason built by matching.scoring.explain (an ``explain.Reason``), worded as its own whole
    sentence in the page's language; None for a plain string."""
    kind = getattr(reason, "kind", "")
    if not kind:
        return None
    values = reason.values
    if kind == "lived":
        from .scoring.explain import lived_chip

        return lived_chip(values["tags"])
    if kind == "interests":
        return gettext("You both enjoy %(interests)s") % values
    if kind == "languages":
        return gettext("Speaks your language: %(languages)s") % values
    if kind == "availability":
        return gettext("Free when you need: %(times)s") % values
    return ""


def chip(reason: str) -> str:
    """One reason as a "you both" chip, or "" for reasons that are not something shared."""
    worded = _chip_from_parts(reason)
    if worded is not None:
        return worded
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


def listing_chips(*, viewer, profiles: list) -> dict[int, list[str]]:
    """The "you both" chips for register cards (``profiles``: one page of listings), for a signed-in person
    with a seeker listing of their own (or of someone they act for, as on their matches page): the same
    query, score and explanation as their matches, so the chips say what their matches would say. Nobody
    else gets chips (the register is open: a visitor shares nothing known with anyone)."""
    if viewer is None or not viewer.is_authenticated or not profiles:
        return {}
    from . import live, selectors, services
    from .index import IndexStats
    from .quality import quality_for
    from .scoring import explain, pairwise
    from .scoring.records import candidate_from_profile

    seeker = selectors.seeker_profile_for(viewer, None)
    if seeker is None:
        return {}
    query = services.match_query(seeker_profile=seeker, viewer=viewer)
    stats = IndexStats(live.get_index())
    weights = services.effective_weights()
    qualities = quality_for(p.pk for p in profiles)
    out = {}
    for profile in profiles:
        candidate = candidate_from_profile(profile, qualities[profile.pk])
        distance = pairwise.distance_km(query, candidate)
        features = pairwise.feature_vector(query, candidate, distance, stats)
        item = pairwise.Scored(candidate, distance, features, pairwise.total(features, weights))
        out[profile.pk] = chips(explain.reasons(query, item, weights, stats.lived_idf))
    return out


COUNT_CAP = 100  # services.MAX_TOP: the most results a search gives


def match_count(*, seeker_profile, viewer, filters, weights: dict[str, float]) -> int:
    """How many people these filters give (up to ``COUNT_CAP``), from the same engine and query as the cards,
    without building any card: the filter panel says it before the person applies the filters."""
    from . import live, selectors, services

    query = selectors.filtered_query(seeker_profile, viewer, filters)
    return len(live.get_index().search(query, weights=services.effective_weights(weights), top=COUNT_CAP))
