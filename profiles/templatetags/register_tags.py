from django import template

from profiles import vocabulary as vocab

register = template.Library()

_VOCABULARIES = {
    "skills": vocab.SKILLS,
    "interests": vocab.INTERESTS,
    "languages": vocab.LANGUAGES,
    "brokerage": vocab.BROKERAGE_FUNCTIONS,
    "lived": vocab.LIVED_EXPERIENCE,
}


@register.filter
def labels(tags, kind: str) -> str:
    """Tags in the page's language, joined: ["personal_care", "bsl"] -> "Personal care, British Sign Language"."""
    vocabulary = _VOCABULARIES[kind]
    return ", ".join(vocab.translated_label(vocabulary, tag) for tag in tags or [])


@register.filter
def slot_label(slot: str) -> str:
    return vocab.slot_label(slot)
