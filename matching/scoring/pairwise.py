"""One query against one candidate: hard filters (in words) and the feature vector.

The naive reference scorer, training and explanations call these; the index computes the
same quantities on arrays with the functions in ``features`` and must agree with them.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np
from django.utils.translation import gettext, ngettext

from profiles import locality
from profiles import vocabulary as vocab
from profiles.sensitive import sensitive_visible

from . import features as F
from .records import Candidate, MatchQuery


@dataclass
class RegisterStats:
    """Rarity over the register: document frequency of lived experiences and words."""

    n: int = 0
    lived_df: Counter = field(default_factory=Counter)
    token_df: Counter = field(default_factory=Counter)

    @classmethod
    def of(cls, candidates) -> RegisterStats:
        stats = cls()
        for c in candidates:
            stats.n += 1
            stats.lived_df.update(c.lived)
            stats.token_df.update(set(c.tokens))
        return stats

    def lived_idf(self, tag: str) -> float:
        return float(F.idf(self.lived_df.get(tag, 0), self.n))

    def token_idf(self, token: int) -> float:
        return float(F.idf(self.token_df.get(token, 0), self.n))


class Rarity(Protocol):
    """What scoring asks of rarity figures: ``RegisterStats`` above, or ``matching.index.IndexStats`` read
    from the live index."""

    def lived_idf(self, tag: str) -> float: ...

    def token_idf(self, token: int) -> float: ...


def distance_km(q: MatchQuery, c: Candidate) -> float:
    return float(F.haversine_km(q.lat, q.lon, c.lat, c.lon))


def limit_km(q: MatchQuery, c: Candidate) -> float:
    """The nearer of the two people's limits; when neither set one, the default radius."""
    limits = [float(x) for x in (q.max_km, c.travel_km) if x is not None]
    return min(limits) if limits else F.DEFAULT_RADIUS_KM


def lived_visible(q: MatchQuery, c: Candidate) -> bool:
    """Only experience the viewer may see is matched on: the one rule, profiles.sensitive.sensitive_visible
    (a candidate's ``lived`` is already empty without sensitive-data consent: records.candidate_from_profile)."""
    if not c.lived:
        return False
    return sensitive_visible(
        c.lived_visibility,
        signed_in=bool(q.viewer_id),
        owner=bool(c.user_id) and c.user_id == q.viewer_id,
        coordinator=lambda: bool(c.organisation_id) and c.organisation_id in q.viewer_coordinator_org_ids,
        connected=lambda: c.user_id in q.viewer_connection_ids,
    )


def _labels(tags, table) -> str:
    words = [_label(table, t) for t in sorted(tags)]
    if len(words) == 1:
        return words[0]
    return gettext("%(items)s or %(last)s") % {"items": ", ".join(words[:-1]), "last": words[-1]}


def _label(table: dict, tag) -> str:
    """A tag's label in the page's language (free tags read as words)."""
    text = table.get(tag)
    return gettext(text) if text else vocab.label(table, tag)


def _money(amount_pence: int) -> str:
    pounds, rest = divmod(int(amount_pence), 100)
    return f"£{pounds}" if rest == 0 else f"£{pounds}.{rest:02d}"


SKILL_LABELS = {**vocab.SKILLS, **vocab.BROKERAGE_FUNCTIONS}


def failed_filters(q: MatchQuery, c: Candidate, distance: float):
    """The names of the hard filters this candidate fails, cheapest first (a generator)."""
    if c.role not in q.roles:
        yield "role"
    if q.max_km is not None and distance > q.max_km:
        yield "max_km"
    if c.travel_km is not None and distance > c.travel_km:
        yield "travel_km"
    if q.max_km is None and c.travel_km is None and distance > F.DEFAULT_RADIUS_KM:
        yield "default_radius"
    if q.max_rate_pence is not None and c.rate_pence is not None and c.rate_pence > q.max_rate_pence:
        yield "max_rate"
    yield from _failed_musts(q, c)


def _failed_musts(q: MatchQuery, c: Candidate):
    if "lived_experience" in q.must and q.lived and not (lived_visible(q, c) and set(q.lived) & c.lived):
        yield "must_lived_experience"
    if "skills" in q.must and q.skills and not q.skills <= c.skills:
        yield "must_skills"
    if "interests" in q.must and q.interests and not q.interests & c.interests:
        yield "must_interests"
    if "languages" in q.must and q.languages and not q.languages & c.languages:
        yield "must_languages"
    if "availability" in q.must and q.availability and not q.availability & c.availability:
        yield "must_availability"


def _away(distance: float) -> str:
    return locality.rounded_distance(distance)


def _travel_sentence(travel_km, distance: float) -> str:
    """A whole sentence for each case, with the number in it (rounded like locality.rounded_distance), so each
    language can word the distance its own way."""
    miles = distance / locality.KM_PER_MILE
    if miles < 1:
        return gettext("They travel up to %(km)s km, and you are less than a mile from them.") % {"km": travel_km}
    number = round(miles) if miles < 10 else int(round(miles / 5.0) * 5)
    return ngettext(
        "They travel up to %(km)s km, and you are about %(number)d mile from them.",
        "They travel up to %(km)s km, and you are about %(number)d miles from them.",
        number,
    ) % {"km": travel_km, "number": number}


def _role(role: str) -> str:
    return _label(vocab.ROLES, role).lower()


SENTENCES = {
    "role": lambda q, c, d: (
        gettext("They are listed as a %(role)s, and you asked for: %(roles)s.")
        % {"role": _role(c.role), "roles": ", ".join(_role(r) for r in sorted(q.roles))}
    ),
    "max_km": lambda q, c, d: (
        gettext("They are %(distance)s, beyond the %(km)s km you set.") % {"distance": _away(d), "km": f"{q.max_km:g}"}
    ),
    "travel_km": lambda q, c, d: _travel_sentence(c.travel_km, d),
    "default_radius": lambda q, c, d: (
        gettext("Neither of you set a distance, so we look within %(km)s km, and they are %(distance)s.")
        % {"km": f"{F.DEFAULT_RADIUS_KM:g}", "distance": _away(d)}
    ),
    "max_rate": lambda q, c, d: (
        gettext("They charge %(rate)s an hour, over your %(limit)s limit.")
        % {"rate": _money(c.rate_pence), "limit": _money(q.max_rate_pence)}
    ),
    "must_lived_experience": lambda q, c, d: gettext(
        "You made shared lived experience a must, and they have not shared a matching experience with you."
    ),
    "must_skills": lambda q, c, d: (
        gettext("You made skills a must, and they do not offer %(skills)s.")
        % {"skills": _labels(q.skills - c.skills, SKILL_LABELS).lower()}
    ),
    "must_interests": lambda q, c, d: (
        gettext("You made shared interests a must, and they did not list %(interests)s.")
        % {"interests": _labels(q.interests, vocab.INTERESTS).lower()}
    ),
    "must_languages": lambda q, c, d: (
        gettext("You asked for someone who speaks %(languages)s, and they do not list it.")
        % {"languages": _labels(q.languages, vocab.LANGUAGES)}
    ),
    "must_availability": lambda q, c, d: gettext(
        "You made availability a must, and they are not free at any of the times you gave."
    ),
}


def exclusions(q: MatchQuery, c: Candidate, distance: float) -> list[str]:
    """Every hard filter that leaves this candidate out, as sentences (empty: they are in)."""
    return [SENTENCES[name](q, c, distance) for name in failed_filters(q, c, distance)]


def passes(q: MatchQuery, c: Candidate, distance: float) -> bool:
    return next(failed_filters(q, c, distance), None) is None


def text_similarity(q: MatchQuery, c: Candidate, stats: Rarity) -> float:
    """TF-IDF cosine of the two ``about`` texts, with word rarity taken over the register."""
    if not q.token_counts or not c.tokens:
        return 0.0
    cand = Counter(c.tokens)
    dot = sum(n * stats.token_idf(t) * cand.get(t, 0) * stats.token_idf(t) for t, n in q.token_counts.items())
    if dot == 0:
        return 0.0
    q_norm = np.sqrt(sum((n * stats.token_idf(t)) ** 2 for t, n in q.token_counts.items()))
    c_norm = np.sqrt(sum((n * stats.token_idf(t)) ** 2 for t, n in cand.items()))
    return float(dot / (q_norm * c_norm))


def feature_vector(q: MatchQuery, c: Candidate, distance: float, stats: Rarity) -> dict[str, float]:
    shared_idf = 0.0
    if lived_visible(q, c):
        for tag in q.lived:
            if tag in c.lived:
                shared_idf = shared_idf + stats.lived_idf(tag)
    total_idf = 0.0
    for tag in q.lived:
        total_idf = total_idf + stats.lived_idf(tag)
    return {
        "lived_experience": float(F.lived_experience(shared_idf, total_idf)),
        "locality": float(F.locality(distance, limit_km(q, c))),
        "skills": float(F.overlap(len(q.skills & c.skills), len(q.skills))),
        "interests": float(
            F.interests(F.overlap(len(q.interests & c.interests), len(q.interests)), text_similarity(q, c, stats))
        ),
        "languages": float(F.overlap(len(q.languages & c.languages), len(q.languages))),
        "availability": float(F.overlap(F.popcount(q.availability & c.availability), F.popcount(q.availability))),
        "price": float(
            F.price(-1 if c.rate_pence is None else c.rate_pence, q.max_rate_pence or F.DEFAULT_RATE_REF_PENCE)
        ),
        "quality": float(F.quality(c.quality_score)),
    }


def total(features: dict[str, float], weights: dict[str, float]) -> float:
    score = 0.0
    for factor in F.FACTORS:
        score = F.add_term(score, weights[factor], features[factor])
    return score


class Scored:
    """One ranked candidate: its features, its score and how far away it is.

    The index passes a loader instead of a record, so that decoding a row into a record is
    only paid for results someone reads.
    """

    __slots__ = ("_candidate", "_load", "_ref", "distance_km", "features", "score")

    def __init__(self, candidate, distance_km: float, features: dict[str, float], score: float, load=None, ref=None):
        self._candidate, self._load, self._ref = candidate, load, ref
        self.distance_km, self.features, self.score = distance_km, features, score

    @property
    def candidate(self) -> Candidate:
        if self._candidate is None:
            self._candidate = self._load()
        return self._candidate

    @property
    def ref(self) -> str:
        return self._ref or self.candidate.ref

    def contributions(self, weights: dict[str, float]) -> dict[str, float]:
        return {f: weights[f] * self.features[f] for f in F.FACTORS}


def sort_key(item: Scored):
    return (-float(F.round_score(item.score)), item.ref)
