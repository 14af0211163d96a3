"""The parts of a support plan, each with its standard prompt, an example and an easy-read prompt.

The order follows good support planning practice (docs/planning.md): start from what matters to the person,
then what they want to change, then how support, money, safety, decisions and people fit around that.
Every part is optional and can be skipped and come back to. The "Inclusion" work adds translations on top
of these texts; keep each prompt short and in plain words.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Section:
    key: str
    title: str | Promise
    prompt: str | Promise
    example: str | Promise
    easy_read: str | Promise


SECTIONS: tuple[Section, ...] = (
    Section(
        "important_to",
        _("What is important to me"),
        _("What makes a good day for you? The people, places, routines and things you enjoy and want to keep."),
        _("Example: Seeing my sister on Sundays. Going to the allotment. A lie-in at weekends."),
        _("What do you like? Who do you like to see? What makes you happy?"),
    ),
    Section(
        "important_for",
        _("What is important for me"),
        _("What do you need to stay well and safe? Health, medicines, eating, moving about, getting out."),
        _("Example: Help to shower every morning. My tablets at 8am and 8pm. Someone to drive me to clinic."),
        _("What help do you need to be well and safe?"),
    ),
    Section(
        "outcomes",
        _("The outcomes I want"),
        _("What do you want to change or achieve in the next year because of your support?"),
        _("Example: Get back to my choir once a week. Stay living in my own flat. Cook two meals a week myself."),
        _("What do you want to be different? What do you want to do?"),
    ),
    Section(
        "how_supported",
        _("How I will be supported"),
        _(
            "Who and what will help you: family and friends, personal assistants, peer support, community groups, "
            "equipment, a broker. Add the paid parts on the costing page."
        ),
        _("Example: A PA in the mornings. My neighbour helps with shopping. A peer advisor to talk things through."),
        _("Who will help you? What things will help you?"),
    ),
    Section(
        "budget_use",
        _("How I will use my budget"),
        _("In your own words, how you want to spend your personal budget. The costing page works out the figures."),
        _("Example: Most of it on my own PA, so I choose who helps me. A little for a gym pass."),
        _("How do you want to spend your money for support?"),
    ),
    Section(
        "keeping_safe",
        _("Keeping myself safe"),
        _(
            "What could go wrong, and what will you or your circle do if it does? For example if a PA is ill, "
            "if money runs short, or if you become unwell."
        ),
        _("Example: If my PA cannot come, I ring my brother, and the agency has my details for cover."),
        _("What could go wrong? What will you do? Who will help?"),
    ),
    Section(
        "decisions",
        _("Who decides what"),
        _(
            "Which decisions do you make yourself, which do you make with help, and who helps? "
            "This is your decision-making agreement."
        ),
        _("Example: I choose my PAs. My daughter helps me with money decisions. I decide what I eat."),
        _("What do you decide? Who helps you decide?"),
    ),
    Section(
        "circle",
        _("My circle of support"),
        _(
            "The people around you who help you get what you want from life: family, friends, neighbours, "
            "people from groups you go to."
        ),
        _("Example: My sister Jo, my friend Amir from choir, my neighbour Pat."),
        _("Who are the people who help you?"),
    ),
    Section(
        "action_plan",
        _("Action plan"),
        _("What needs to happen to put the plan in place, who will do it and by when?"),
        _("Example: Advertise for a PA by 1 May (me and my broker). Set up payroll by 15 May (me)."),
        _("What needs to happen? Who will do it? When?"),
    ),
)

SECTION_KEYS: tuple[str, ...] = tuple(section.key for section in SECTIONS)
BY_KEY: dict[str, Section] = {section.key: section for section in SECTIONS}

# How much help a person wants with each part (good practice: three levels of brokerage support).
HELP_LEVELS: dict[int, str | Promise] = {
    1: _("Level 1: I will do it myself with information, guides and forms"),
    2: _("Level 2: I want someone to plan with me (a broker or peer advisor)"),
    3: _("Level 3: I want a broker to do most of it with me"),
}
HELP_LEVELS_EASY: dict[int, str | Promise] = {
    1: _("I will do it. Give me information."),
    2: _("Help me do it."),
    3: _("Do most of it for me, with me."),
}
