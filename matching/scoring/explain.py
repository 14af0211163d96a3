"""Plain-English reasons for one result, ordered by how much each factor added to the score.

Lived experience is named only when the supporter's chosen visibility lets the viewer see it
(``pairwise.lived_visible``); otherwise it did not count either (see matching/README.md), so
there is nothing to say. Reasons never quote anyone's free text.
"""

from __future__ import annotations

from profiles import locality
from profiles import vocabulary as vocab

from . import features as F
from .pairwise import Scored, _money, lived_visible
from .records import MatchQuery

LIVED_PHRASES = {
    "visual_impairment": "both visually impaired",
    "hearing_impairment": "both hearing impaired",
    "deaf": "both Deaf",
    "direct_payments": "both managed a direct payment",
    "personal_budget": "both managed a personal budget",
    "personal_health_budget": "both managed a personal health budget",
    "employing_pas": "both employed PAs",
    "older_person": "both older people",
    "family_carer": "both family carers",
    "self_funder": "both self-funders",
}
PARTS_OF_DAY = ((0, 12, "mornings"), (12, 17, "afternoons"), (17, 24, "evenings"))
SKILL_LABELS = {**vocab.SKILLS, **vocab.BROKERAGE_FUNCTIONS}
COMMON_LANGUAGE = "en"


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _lower(text: str) -> str:
    return text[:1].lower() + text[1:]


def lived_reason(q: MatchQuery, item: Scored, stats_idf) -> str:
    shared = sorted((t for t in q.lived if t in item.candidate.lived), key=lambda t: (-stats_idf(t), t))
    return _join(
        [
            LIVED_PHRASES.get(t) or f"both have lived experience of {_lower(vocab.label(vocab.LIVED_EXPERIENCE, t))}"
            for t in shared[:2]
        ]
    )


def _part_masks() -> tuple[tuple[int, str], ...]:
    """(hour bits, "Monday mornings") for each day and part of the day, in week order."""
    masks = []
    for day, day_name in enumerate(vocab.DAY_NAMES.values()):
        for start, end, part in PARTS_OF_DAY:
            masks.append((((1 << (end - start)) - 1) << (day * 24 + start), f"{day_name} {part}"))
    return tuple(masks)


PART_MASKS = _part_masks()


def availability_reason(q: MatchQuery, item: Scored) -> str:
    both = q.availability & item.candidate.availability
    if not both:
        return ""
    # A part of a day counts when any of its hours is shared (one mask per part, not hour by hour).
    phrases = [phrase for mask, phrase in PART_MASKS if both & mask]
    return f"free on {_join(phrases[:3])}" if phrases else ""


def price_reason(q: MatchQuery, item: Scored) -> str:
    rate = item.candidate.rate_pence
    if rate is None:
        return "a volunteer, so there is no charge" if item.candidate.role == "peer_advisor" else ""
    if q.max_rate_pence:
        return f"{_money(rate)} an hour, under your {_money(q.max_rate_pence)} limit"
    return f"{_money(rate)} an hour"


def _reason(factor: str, q: MatchQuery, item: Scored, stats_idf) -> str:
    c = item.candidate
    if factor == "lived_experience":
        return lived_reason(q, item, stats_idf) if lived_visible(q, c) else ""
    if factor == "locality":
        return locality.rounded_distance(item.distance_km)
    if factor == "skills":
        shared = sorted(q.skills & c.skills)
        return f"offers {_join([_lower(vocab.label(SKILL_LABELS, t)) for t in shared])}" if shared else ""
    if factor == "interests":
        shared = sorted(q.interests & c.interests)
        if shared:
            return f"both enjoy {_join([_lower(vocab.label(vocab.INTERESTS, t)) for t in shared])}"
        return "writes about similar things to you" if item.features["interests"] > 0 else ""
    if factor == "languages":
        # English alone is not named: nearly everyone lists it, so "speaks English" on every card says
        # nothing (it still counts in the score, and the factor list shows it).
        shared = sorted(q.languages & c.languages)
        if shared == [COMMON_LANGUAGE]:
            return ""
        return f"speaks {_join([vocab.label(vocab.LANGUAGES, t) for t in shared])}" if shared else ""
    if factor == "availability":
        return availability_reason(q, item)
    if factor == "price":
        return price_reason(q, item)
    if factor == "quality" and c.quality_count:
        return f"rated by {c.quality_count} {'person' if c.quality_count == 1 else 'people'}"
    return ""


def reasons(q: MatchQuery, item: Scored, weights: dict[str, float], stats_idf=None, contributions=None) -> list[str]:
    """Reasons for the factors that added something, biggest contribution first.

    ``contributions``: ``item.contributions(weights)`` when the caller has it already.
    """
    stats_idf = stats_idf or (lambda tag: 1.0)
    contributions = item.contributions(weights) if contributions is None else contributions
    order = sorted(
        (f for f in F.FACTORS if contributions[f] > 0), key=lambda f: (-contributions[f], F.FACTORS.index(f))
    )
    return [text for text in (_reason(f, q, item, stats_idf) for f in order) if text]
