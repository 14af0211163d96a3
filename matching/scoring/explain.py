"""Plain-English reasons for one result, ordered by how much each factor added to the score.

Lived experience is named only when the supporter's chosen visibility lets the viewer see it
(``pairwise.lived_visible``); otherwise it did not count either (see matching/README.md), so
there is nothing to say. Reasons never quote anyone's free text.
"""

from __future__ import annotations

from django.utils.translation import gettext, ngettext

from profiles import locality
from profiles import vocabulary as vocab
from profiles.vocabulary import gettext_noop

from . import features as F
from .pairwise import Scored, _money, lived_visible
from .records import MatchQuery


class Reason(str):
    """One reason as the seeker reads it (in the page's language), remembering what it is made of.

    ``kind`` and ``values`` let other wordings (the "you both" chips, the supporter's voice on adverts)
    be translated as whole sentences of their own, rather than by rewording the text. A Reason is a str,
    so it compares, joins and serialises as its text.
    """

    kind: str
    values: dict

    def __new__(cls, text: str, kind: str = "", values: dict | None = None):
        reason = super().__new__(cls, text)
        reason.kind = kind
        reason.values = dict(values or {})
        return reason


# English keys (also the peer-support prefixes); shown through gettext.
LIVED_PHRASES = {
    "visual_impairment": gettext_noop("both visually impaired"),
    "hearing_impairment": gettext_noop("both hearing impaired"),
    "deaf": gettext_noop("both Deaf"),
    "direct_payments": gettext_noop("both managed a direct payment"),
    "personal_budget": gettext_noop("both managed a personal budget"),
    "personal_health_budget": gettext_noop("both managed a personal health budget"),
    "employing_pas": gettext_noop("both employed PAs"),
    "older_person": gettext_noop("both older people"),
    "family_carer": gettext_noop("both family carers"),
    "self_funder": gettext_noop("both self-funders"),
}
# The same, as a "you both" chip on a person card (matching.cards).
LIVED_CHIPS = {
    "visual_impairment": gettext_noop("You are both visually impaired"),
    "hearing_impairment": gettext_noop("You are both hearing impaired"),
    "deaf": gettext_noop("You are both Deaf"),
    "direct_payments": gettext_noop("You have both managed a direct payment"),
    "personal_budget": gettext_noop("You have both managed a personal budget"),
    "personal_health_budget": gettext_noop("You have both managed a personal health budget"),
    "employing_pas": gettext_noop("You have both employed PAs"),
    "older_person": gettext_noop("You are both older people"),
    "family_carer": gettext_noop("You are both family carers"),
    "self_funder": gettext_noop("You are both self-funders"),
}
PARTS_OF_DAY = ((0, 12, "mornings"), (12, 17, "afternoons"), (17, 24, "evenings"))
PART_PHRASES = {
    "mornings": gettext_noop("%(day)s mornings"),
    "afternoons": gettext_noop("%(day)s afternoons"),
    "evenings": gettext_noop("%(day)s evenings"),
}
SKILL_LABELS = {**vocab.SKILLS, **vocab.BROKERAGE_FUNCTIONS}
COMMON_LANGUAGE = "en"


def _join(items: list[str]) -> str:
    if len(items) == 1:
        return items[0]
    return gettext("%(items)s and %(last)s") % {"items": ", ".join(items[:-1]), "last": items[-1]}


def _lower(text: str) -> str:
    return text[:1].lower() + text[1:]


def _label(table: dict, tag) -> str:
    """A tag's label in the page's language (free tags read as words)."""
    text = table.get(tag)
    return gettext(text) if text else vocab.label(table, tag)


def lived_phrase(tag: str) -> str:
    if tag in LIVED_PHRASES:
        return gettext(LIVED_PHRASES[tag])
    return gettext("both have lived experience of %(experience)s") % {
        "experience": _lower(_label(vocab.LIVED_EXPERIENCE, tag))
    }


def lived_chip(tags: list[str]) -> str:
    """Shared lived experience as a "you both" chip (the first named whole, a second one added)."""
    first = tags[0]
    if first in LIVED_CHIPS:
        text = gettext(LIVED_CHIPS[first])
    else:
        text = gettext("You both have lived experience of %(experience)s") % {
            "experience": _lower(_label(vocab.LIVED_EXPERIENCE, first))
        }
    if len(tags) > 1:
        text = gettext("%(first)s and %(second)s") % {"first": text, "second": lived_phrase(tags[1])}
    return text


def lived_reason(q: MatchQuery, item: Scored, stats_idf) -> str:
    shared = sorted((t for t in q.lived if t in item.candidate.lived), key=lambda t: (-stats_idf(t), t))
    if not shared:
        return ""
    return Reason(_join([lived_phrase(t) for t in shared[:2]]), "lived", {"tags": shared[:2]})


def _part_masks() -> tuple[tuple[int, str, str], ...]:
    """(hour bits, "Monday", "mornings") for each day and part of the day, in week order."""
    masks = []
    for day, day_name in enumerate(vocab.DAY_NAMES.values()):
        for start, end, part in PARTS_OF_DAY:
            masks.append((((1 << (end - start)) - 1) << (day * 24 + start), str(day_name), part))
    return tuple(masks)


PART_MASKS = _part_masks()


def availability_reason(q: MatchQuery, item: Scored) -> str:
    both = q.availability & item.candidate.availability
    if not both:
        return ""
    # A part of a day counts when any of its hours is shared (one mask per part, not hour by hour).
    phrases = [
        gettext(PART_PHRASES[part]) % {"day": gettext(day_name)} for mask, day_name, part in PART_MASKS if both & mask
    ]
    if not phrases:
        return ""
    times = _join(phrases[:3])
    return Reason(gettext("free on %(times)s") % {"times": times}, "availability", {"times": times})


def price_reason(q: MatchQuery, item: Scored) -> str:
    rate = item.candidate.rate_pence
    if rate is None:
        if item.candidate.role == "peer_advisor":
            return Reason(gettext("a volunteer, so there is no charge"), "volunteer")
        return ""
    if q.max_rate_pence:
        values = {"rate": _money(rate), "limit": _money(q.max_rate_pence)}
        return Reason(gettext("%(rate)s an hour, under your %(limit)s limit") % values, "rate_under", values)
    return Reason(gettext("%(rate)s an hour") % {"rate": _money(rate)}, "rate", {"rate": _money(rate)})


def _reason(factor: str, q: MatchQuery, item: Scored, stats_idf) -> str:
    c = item.candidate
    if factor == "lived_experience":
        return lived_reason(q, item, stats_idf) if lived_visible(q, c) else ""
    if factor == "locality":
        return Reason(locality.rounded_distance(item.distance_km), "locality")
    if factor == "skills":
        shared = sorted(q.skills & c.skills)
        if not shared:
            return ""
        skills = _join([_lower(_label(SKILL_LABELS, t)) for t in shared])
        return Reason(gettext("offers %(skills)s") % {"skills": skills}, "skills", {"skills": skills})
    if factor == "interests":
        shared = sorted(q.interests & c.interests)
        if shared:
            interests = _join([_lower(_label(vocab.INTERESTS, t)) for t in shared])
            return Reason(
                gettext("both enjoy %(interests)s") % {"interests": interests}, "interests", {"interests": interests}
            )
        if item.features["interests"] > 0:
            return Reason(gettext("writes about similar things to you"), "about")
        return ""
    if factor == "languages":
        # English alone is not named: nearly everyone lists it, so "speaks English" on every card says
        # nothing (it still counts in the score, and the factor list shows it).
        shared = sorted(q.languages & c.languages)
        if not shared or shared == [COMMON_LANGUAGE]:
            return ""
        languages = _join([_label(vocab.LANGUAGES, t) for t in shared])
        return Reason(gettext("speaks %(languages)s") % {"languages": languages}, "languages", {"languages": languages})
    if factor == "availability":
        return availability_reason(q, item)
    if factor == "price":
        return price_reason(q, item)
    if factor == "quality" and c.quality_count:
        count = c.quality_count
        text = ngettext("rated by %(count)s person", "rated by %(count)s people", count) % {"count": count}
        return Reason(text, "quality", {"count": count})
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
