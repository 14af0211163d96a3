"""The interchange format's vocabulary (docs/register-format.md), with plain-English labels.

A tag outside the vocabulary is kept as a free tag: it still matches the same tag elsewhere.

The labels are plain English strings, marked with ``gettext_noop`` so the catalogues carry them: exports and
stored data keep the English, and pages translate them where they show them (``translated_label``,
``slot_label``).
"""

import re

from django.utils.translation import gettext


def gettext_noop(message: str) -> str:
    """Marks a label for the catalogues (makemessages knows this name) and returns it untranslated. Django's
    own needs settings, and this module is imported without them (worker subprocesses, the format docs)."""
    return message


ROLES = {
    "seeker": gettext_noop("Looking for support"),
    "pa": gettext_noop("Personal assistant (PA)"),
    "peer_advisor": gettext_noop("Peer advisor (volunteer)"),
    "broker": gettext_noop("Independent support broker"),
}
SUPPORTER_ROLES = ("pa", "peer_advisor", "broker")
PAID_ROLES = ("pa", "broker")

LIVED_EXPERIENCE = {
    "visual_impairment": gettext_noop("Visually impaired"),
    "hearing_impairment": gettext_noop("Hearing impaired"),
    "deaf": gettext_noop("Deaf"),
    "physical_disability": gettext_noop("Physical disability"),
    "spinal_injury": gettext_noop("Spinal injury"),
    "learning_disability": gettext_noop("Learning disability"),
    "autism": gettext_noop("Autism"),
    "mental_health": gettext_noop("Mental health"),
    "dementia": gettext_noop("Dementia"),
    "acquired_brain_injury": gettext_noop("Acquired brain injury"),
    "long_term_condition": gettext_noop("Long-term condition"),
    "older_person": gettext_noop("Older person"),
    "family_carer": gettext_noop("Family carer"),
    "direct_payments": gettext_noop("Managed a direct payment"),
    "personal_budget": gettext_noop("Managed a personal budget"),
    "personal_health_budget": gettext_noop("Managed a personal health budget"),
    "employing_pas": gettext_noop("Employed PAs"),
    "individual_trust": gettext_noop("Individual service trust"),
    "circle_of_support": gettext_noop("Circle of support"),
    "self_funder": gettext_noop("Self-funder"),
}

SKILLS = {
    "personal_care": gettext_noop("Personal care"),
    "medication_support": gettext_noop("Medication support"),
    "moving_and_handling": gettext_noop("Moving and handling"),
    "cooking": gettext_noop("Cooking"),
    "household": gettext_noop("Household tasks"),
    "shopping": gettext_noop("Shopping"),
    "driving": gettext_noop("Driving"),
    "community_access": gettext_noop("Getting out in the community"),
    "employment_support": gettext_noop("Support with work"),
    "bsl": gettext_noop("British Sign Language"),
    "sighted_guide": gettext_noop("Sighted guiding"),
    "mental_health_support": gettext_noop("Mental health support"),
    "dementia_care": gettext_noop("Dementia care"),
    "autism_support": gettext_noop("Autism support"),
    "learning_disability_support": gettext_noop("Learning disability support"),
    "admin_and_paperwork": gettext_noop("Admin and paperwork"),
    "befriending": gettext_noop("Befriending"),
}

BROKERAGE_FUNCTIONS = {
    "information_advice": gettext_noop("Information and advice"),
    "signposting": gettext_noop("Signposting"),
    "researching_options": gettext_noop("Researching options"),
    "facilitation": gettext_noop("Facilitation"),
    "technical_advice": gettext_noop("Technical advice"),
    "support_planning": gettext_noop("Support planning"),
    "negotiation_mediation": gettext_noop("Negotiation and mediation"),
    "advocacy": gettext_noop("Advocacy"),
    "coordinating_support": gettext_noop("Coordinating support"),
    "budget_management": gettext_noop("Budget management"),
    "recruitment_of_pas": gettext_noop("Recruiting PAs"),
    "circle_of_support_facilitation": gettext_noop("Circle of support facilitation"),
}

INTERESTS = {
    "walking": gettext_noop("Walking"),
    "rambling": gettext_noop("Rambling"),
    "football": gettext_noop("Football"),
    "music": gettext_noop("Music"),
    "karaoke": gettext_noop("Karaoke"),
    "cooking": gettext_noop("Cooking"),
    "gardening": gettext_noop("Gardening"),
    "faith_community": gettext_noop("Faith community"),
    "cycling": gettext_noop("Cycling"),
    "reading": gettext_noop("Reading"),
    "art": gettext_noop("Art"),
    "theatre": gettext_noop("Theatre"),
    "gaming": gettext_noop("Gaming"),
}

LANGUAGES = {
    "en": gettext_noop("English"),
    "bfi": gettext_noop("British Sign Language"),
    "cy": gettext_noop("Welsh"),
    "gd": gettext_noop("Scottish Gaelic"),
    "pl": gettext_noop("Polish"),
    "pa": gettext_noop("Punjabi"),
    "ur": gettext_noop("Urdu"),
    "bn": gettext_noop("Bengali"),
    "gu": gettext_noop("Gujarati"),
    "ar": gettext_noop("Arabic"),
    "ro": gettext_noop("Romanian"),
    "pt": gettext_noop("Portuguese"),
    "es": gettext_noop("Spanish"),
    "fr": gettext_noop("French"),
    "it": gettext_noop("Italian"),
    "so": gettext_noop("Somali"),
    "lt": gettext_noop("Lithuanian"),
    "ta": gettext_noop("Tamil"),
    "tr": gettext_noop("Turkish"),
    "zh": gettext_noop("Chinese"),
    "hi": gettext_noop("Hindi"),
    "fa": gettext_noop("Persian"),
    "ku": gettext_noop("Kurdish"),
    "ti": gettext_noop("Tigrinya"),
    "uk": gettext_noop("Ukrainian"),
}

SUPPORT_LEVELS = {
    1: gettext_noop("Light touch: information, guidance, do-it-yourself"),
    2: gettext_noop("Medium: adds facilitation and support planning"),
    3: gettext_noop("Full: every task to get and keep a personal budget working"),
}

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_NAMES = dict(
    zip(
        DAYS,
        (
            gettext_noop("Monday"),
            gettext_noop("Tuesday"),
            gettext_noop("Wednesday"),
            gettext_noop("Thursday"),
            gettext_noop("Friday"),
            gettext_noop("Saturday"),
            gettext_noop("Sunday"),
        ),
        strict=True,
    )
)

DBS_LEVELS = {
    "basic": gettext_noop("Basic"),
    "standard": gettext_noop("Standard"),
    "enhanced": gettext_noop("Enhanced"),
}

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
