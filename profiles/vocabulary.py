"""The interchange format's vocabulary (docs/register-format.md), with plain-English labels.

A tag outside the vocabulary is kept as a free tag: it still matches the same tag elsewhere.
"""

import re

ROLES = {
    "seeker": "Looking for support",
    "pa": "Personal assistant (PA)",
    "peer_advisor": "Peer advisor (volunteer)",
    "broker": "Independent support broker",
}
SUPPORTER_ROLES = ("pa", "peer_advisor", "broker")
PAID_ROLES = ("pa", "broker")

LIVED_EXPERIENCE = {
    "visual_impairment": "Visually impaired",
    "hearing_impairment": "Hearing impaired",
    "deaf": "Deaf",
    "physical_disability": "Physical disability",
    "spinal_injury": "Spinal injury",
    "learning_disability": "Learning disability",
    "autism": "Autism",
    "mental_health": "Mental health",
    "dementia": "Dementia",
    "acquired_brain_injury": "Acquired brain injury",
    "long_term_condition": "Long-term condition",
    "older_person": "Older person",
    "family_carer": "Family carer",
    "direct_payments": "Managed a direct payment",
    "personal_budget": "Managed a personal budget",
    "personal_health_budget": "Managed a personal health budget",
    "employing_pas": "Employed PAs",
    "individual_trust": "Individual service trust",
    "circle_of_support": "Circle of support",
    "self_funder": "Self-funder",
}

SKILLS = {
    "personal_care": "Personal care",
    "medication_support": "Medication support",
    "moving_and_handling": "Moving and handling",
    "cooking": "Cooking",
    "household": "Household tasks",
    "shopping": "Shopping",
    "driving": "Driving",
    "community_access": "Getting out in the community",
    "employment_support": "Support with work",
    "bsl": "British Sign Language",
    "sighted_guide": "Sighted guiding",
    "mental_health_support": "Mental health support",
    "dementia_care": "Dementia care",
    "autism_support": "Autism support",
    "learning_disability_support": "Learning disability support",
    "admin_and_paperwork": "Admin and paperwork",
    "befriending": "Befriending",
}

BROKERAGE_FUNCTIONS = {
    "information_advice": "Information and advice",
    "signposting": "Signposting",
    "researching_options": "Researching options",
    "facilitation": "Facilitation",
    "technical_advice": "Technical advice",
    "support_planning": "Support planning",
    "negotiation_mediation": "Negotiation and mediation",
    "advocacy": "Advocacy",
    "coordinating_support": "Coordinating support",
    "budget_management": "Budget management",
    "recruitment_of_pas": "Recruiting PAs",
    "circle_of_support_facilitation": "Circle of support facilitation",
}

INTERESTS = {
    "walking": "Walking",
    "rambling": "Rambling",
    "football": "Football",
    "music": "Music",
    "karaoke": "Karaoke",
    "cooking": "Cooking",
    "gardening": "Gardening",
    "faith_community": "Faith community",
    "cycling": "Cycling",
    "reading": "Reading",
    "art": "Art",
    "theatre": "Theatre",
    "gaming": "Gaming",
}

LANGUAGES = {
    "en": "English",
    "bfi": "British Sign Language",
    "cy": "Welsh",
    "gd": "Scottish Gaelic",
    "pl": "Polish",
    "pa": "Punjabi",
    "ur": "Urdu",
    "bn": "Bengali",
    "gu": "Gujarati",
    "ar": "Arabic",
    "ro": "Romanian",
    "pt": "Portuguese",
    "es": "Spanish",
    "fr": "French",
    "it": "Italian",
    "so": "Somali",
    "lt": "Lithuanian",
    "ta": "Tamil",
    "tr": "Turkish",
    "zh": "Chinese",
    "hi": "Hindi",
    "fa": "Persian",
    "ku": "Kurdish",
    "ti": "Tigrinya",
    "uk": "Ukrainian",
}

SUPPORT_LEVELS = {
    1: "Light touch: information, guidance, do-it-yourself",
    2: "Medium: adds facilitation and support planning",
    3: "Full: every task to get and keep a personal budget working",
}

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_NAMES = dict(zip(DAYS, ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"), strict=True))

DBS_LEVELS = {"basic": "Basic", "standard": "Standard", "enhanced": "Enhanced"}

_SLUG = re.compile(r"^[a-z0-9][a-z0-9_]{0,48}$")
_SLOT = re.compile(r"^(mon|tue|wed|thu|fri|sat|sun) ([01][0-9]|2[0-3]):([0-5][0-9])-([01][0-9]|2[0-4]):([0-5][0-9])$")


def label(vocabulary: dict, tag) -> str:
    """A plain-English label for a tag; free tags read as words."""
    return vocabulary.get(tag) or str(tag).replace("_", " ").capitalize()


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
    return f"{DAY_NAMES[DAYS[day]]} {start // 60:02d}:{start % 60:02d} to {end // 60:02d}:{end % 60:02d}"
