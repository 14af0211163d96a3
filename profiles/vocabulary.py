"""The interchange format's vocabulary (docs/register-format.md), with plain-English labels.

A tag outside the vocabulary is kept as a free tag: it still matches the same tag elsewhere.

The labels are plain English strings, marked with ``gettext_noop`` so the catalogues carry them: exports and
stored data keep the English, and pages translate them where they show them (``translated_label``,
``slot_label``).
"""

import re

from django.utils.translation import gettext
from django.utils.translation import gettext_noop as N_

ROLES = {
    "seeker": N_("Looking for support"),
    "pa": N_("Personal assistant (PA)"),
    "peer_advisor": N_("Peer advisor (volunteer)"),
    "broker": N_("Independent support broker"),
}
SUPPORTER_ROLES = ("pa", "peer_advisor", "broker")
PAID_ROLES = ("pa", "broker")

LIVED_EXPERIENCE = {
    "visual_impairment": N_("Visually impaired"),
    "hearing_impairment": N_("Hearing impaired"),
    "deaf": N_("Deaf"),
    "physical_disability": N_("Physical disability"),
    "spinal_injury": N_("Spinal injury"),
    "learning_disability": N_("Learning disability"),
    "autism": N_("Autism"),
    "mental_health": N_("Mental health"),
    "dementia": N_("Dementia"),
    "acquired_brain_injury": N_("Acquired brain injury"),
    "long_term_condition": N_("Long-term condition"),
    "older_person": N_("Older person"),
    "family_carer": N_("Family carer"),
    "direct_payments": N_("Managed a direct payment"),
    "personal_budget": N_("Managed a personal budget"),
    "personal_health_budget": N_("Managed a personal health budget"),
    "employing_pas": N_("Employed PAs"),
    "individual_trust": N_("Individual service trust"),
    "circle_of_support": N_("Circle of support"),
    "self_funder": N_("Self-funder"),
}

SKILLS = {
    "personal_care": N_("Personal care"),
    "medication_support": N_("Medication support"),
    "moving_and_handling": N_("Moving and handling"),
    "cooking": N_("Cooking"),
    "household": N_("Household tasks"),
    "shopping": N_("Shopping"),
    "driving": N_("Driving"),
    "community_access": N_("Getting out in the community"),
    "employment_support": N_("Support with work"),
    "bsl": N_("British Sign Language"),
    "sighted_guide": N_("Sighted guiding"),
    "mental_health_support": N_("Mental health support"),
    "dementia_care": N_("Dementia care"),
    "autism_support": N_("Autism support"),
    "learning_disability_support": N_("Learning disability support"),
    "admin_and_paperwork": N_("Admin and paperwork"),
    "befriending": N_("Befriending"),
}

BROKERAGE_FUNCTIONS = {
    "information_advice": N_("Information and advice"),
    "signposting": N_("Signposting"),
    "researching_options": N_("Researching options"),
    "facilitation": N_("Facilitation"),
    "technical_advice": N_("Technical advice"),
    "support_planning": N_("Support planning"),
    "negotiation_mediation": N_("Negotiation and mediation"),
    "advocacy": N_("Advocacy"),
    "coordinating_support": N_("Coordinating support"),
    "budget_management": N_("Budget management"),
    "recruitment_of_pas": N_("Recruiting PAs"),
    "circle_of_support_facilitation": N_("Circle of support facilitation"),
}

INTERESTS = {
    "walking": N_("Walking"),
    "rambling": N_("Rambling"),
    "football": N_("Football"),
    "music": N_("Music"),
    "karaoke": N_("Karaoke"),
    "cooking": N_("Cooking"),
    "gardening": N_("Gardening"),
    "faith_community": N_("Faith community"),
    "cycling": N_("Cycling"),
    "reading": N_("Reading"),
    "art": N_("Art"),
    "theatre": N_("Theatre"),
    "gaming": N_("Gaming"),
}

LANGUAGES = {
    "en": N_("English"),
    "bfi": N_("British Sign Language"),
    "cy": N_("Welsh"),
    "gd": N_("Scottish Gaelic"),
    "pl": N_("Polish"),
    "pa": N_("Punjabi"),
    "ur": N_("Urdu"),
    "bn": N_("Bengali"),
    "gu": N_("Gujarati"),
    "ar": N_("Arabic"),
    "ro": N_("Romanian"),
    "pt": N_("Portuguese"),
    "es": N_("Spanish"),
    "fr": N_("French"),
    "it": N_("Italian"),
    "so": N_("Somali"),
    "lt": N_("Lithuanian"),
    "ta": N_("Tamil"),
    "tr": N_("Turkish"),
    "zh": N_("Chinese"),
    "hi": N_("Hindi"),
    "fa": N_("Persian"),
    "ku": N_("Kurdish"),
    "ti": N_("Tigrinya"),
    "uk": N_("Ukrainian"),
}

SUPPORT_LEVELS = {
    1: N_("Light touch: information, guidance, do-it-yourself"),
    2: N_("Medium: adds facilitation and support planning"),
    3: N_("Full: every task to get and keep a personal budget working"),
}

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_NAMES = dict(
    zip(
        DAYS,
        (N_("Monday"), N_("Tuesday"), N_("Wednesday"), N_("Thursday"), N_("Friday"), N_("Saturday"), N_("Sunday")),
        strict=True,
    )
)

DBS_LEVELS = {"basic": N_("Basic"), "standard": N_("Standard"), "enhanced": N_("Enhanced")}

_SLUG = re.compile(r"^[a-z0-9][a-z0-9_]{0,48}$")
_SLOT = re.compile(r"^(mon|tue|wed|thu|fri|sat|sun) ([01][0-9]|2[0-3]):([0-5][0-9])-([01][0-9]|2[0-4]):([0-5][0-9])$")


def label(vocabulary: dict, tag) -> str:
    """A plain-English label for a tag; free tags read as words."""
    return vocabulary.get(tag) or str(tag).replace("_", " ").capitalize()


def translated_label(vocabulary: dict, tag) -> str:
    """``label`` in the language of the page (for showing to people; exports keep ``label``'s English)."""
    text = vocabulary.get(tag)
    return gettext(text) if text else label(vocabulary, tag)


def normalise_tag(text: str) -> str:
    return re.sub(r"[^a-z0-9_]+", "_", str(text).strip().lower()).strip("_")


def is_tag(text: str) -> bool:
    return bool(_SLUG.match(text))


def parse_slot(text: str) -> tuple[int, int, int] | None:
    """'mon 09:00-13:00' -> (day index, start minute, end minute); None if malformed."""
    match = _SLOT.match(text.strip().lower())
    if not match:
        return None
    day, h1, m1, h2, m2 = match.groups()
    start, end = int(h1) * 60 + int(m1), int(h2) * 60 + int(m2)
    if end > 24 * 60 or end <= start:
        return None
    return DAYS.index(day), start, end


def slot_label(text: str) -> str:
    parsed = parse_slot(text)
    if not parsed:
        return text
    day, start, end = parsed
    return gettext("%(day)s %(start)s to %(end)s") % {
        "day": gettext(DAY_NAMES[DAYS[day]]),
        "start": f"{start // 60:02d}:{start % 60:02d}",
        "end": f"{end // 60:02d}:{end % 60:02d}",
    }
