"""The profile-strength meter: which missing details would bring a supporter into more people's matches.

Worked out from what the engine scores and filters on (matching.scoring.features.FACTORS, the weights in
use, and the "must" filters in features.MUSTABLE), read from the listing as the index sees it
(records.candidate_from_profile). A factor whose weight is zero today is not mentioned: filling it in
would change nothing. Nothing here is stored; it is read when the owner opens their edit page.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext

from profiles.models import Profile

from . import services
from .quality import quality_for
from .scoring import features as F
from .scoring.records import candidate_from_profile

# Factors the supporter's own details decide (distance and price are about both people).
OWN_FACTORS = ("skills", "interests", "languages", "availability", "lived_experience", "quality")
ABOUT_MIN_WORDS = 20


@dataclass
class Tip:
    factor: str
    weight: float
    text: str


@dataclass
class Strength:
    percent: int
    listed: bool
    tips: list[Tip] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return self.listed and not self.tips


def _must(factor: str) -> str:
    return " " + gettext("People who make it a must only see those who have it.") if factor in F.MUSTABLE else ""


def profile_strength(profile: Profile) -> Strength:
    """For a supporter's own listing: a share of the scored details filled in, and tips, most valuable first."""
    weights = services.effective_weights()
    candidate = candidate_from_profile(profile, quality_for([profile.pk])[profile.pk])
    about_words = len(F.words(profile.about or ""))
    missing: dict[str, str] = {}
    if not candidate.skills:
        missing["skills"] = gettext(
            "Add your skills: people looking for help with personal care, shopping or driving are matched on them."
        ) + _must("skills")
    if not candidate.interests and about_words < ABOUT_MIN_WORDS:
        missing["interests"] = gettext(
            "Add your interests and a few sentences about yourself: people who share an interest, or write about "
            "similar things, rank you higher."
        ) + _must("interests")
    elif not candidate.interests:
        missing["interests"] = gettext("Add your interests: people who share one rank you higher.") + _must("interests")
    elif about_words < ABOUT_MIN_WORDS:
        missing["interests"] = gettext(
            "Write a few more sentences about yourself: what you write is compared with what people say they are "
            "looking for."
        )
    if not candidate.languages:
        missing["languages"] = gettext(
            "Add the languages you speak or sign: people who need someone who speaks their language, or uses BSL, "
            "rank you higher when you share one."
        ) + _must("languages")
    if not candidate.availability:
        missing["availability"] = gettext(
            "Add the days and times you are free: people searching for help on weekdays, evenings or weekends will "
            "see you higher."
        ) + _must("availability")
    if not profile.lived_experience:
        missing["lived_experience"] = gettext(
            "If you want to, add your lived experience (you choose who sees it): people who share it, and can see "
            "it, rank you higher."
        )
    if not candidate.quality_count:
        missing["quality"] = gettext(
            "After you work with someone, ask them to rate you on Open Circle: ratings count in the score."
        )
    counted = {f: weights.get(f, 0.0) for f in OWN_FACTORS if weights.get(f, 0.0) > 0}
    total = sum(counted.values()) or 1.0
    have = sum(w for f, w in counted.items() if f not in missing)
    tips = sorted(
        (Tip(f, counted[f], text) for f, text in missing.items() if f in counted),
        key=lambda tip: (-tip.weight, OWN_FACTORS.index(tip.factor)),
    )
    return Strength(percent=round(100 * have / total), listed=profile.is_listed, tips=tips)
