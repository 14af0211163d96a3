"""The parts of a support plan, each with its standard prompt, an example and an easy-read prompt.

The order follows good support planning practice (docs/planning.md): start from what matters to the person,
then what they want to change, then how support, money, safety, decisions and people fit around that.
Every part is optional and can be skipped and come back to. The "Inclusion" work adds translations on top
of these texts; keep each prompt short and in plain words.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    prompt: str
    example: str
    easy_read: str


SECTIONS: tuple[Section, ...] = (
    Section(
        "important_to",
        "What is important to me",
        "What makes a good day for you? The people, places, routines and things you enjoy and want to keep.",
        "Example: Seeing my sister on Sundays. Going to the allotment. A lie-in at weekends.",
        "What do you like? Who do you like to see? What makes you happy?",
    ),
    Section(
        "important_for",
        "What is important for me",
        "What do you need to stay well and safe? Health, medicines, eating, moving about, getting out.",
        "Example: Help to shower every morning. My tablets at 8am and 8pm. Someone to drive me to clinic.",
        "What help do you need to be well and safe?",
    ),
    Section(
        "outcomes",
        "The outcomes I want",
        "What do you want to change or achieve in the next year because of your support?",
        "Example: Get back to my choir once a week. Stay living in my own flat. Cook two meals a week myself.",
        "What do you want to be different? What do you want to do?",
    ),
    Section(
        "how_supported",
        "How I will be supported",
        "Who and what will help you: family and friends, personal assistants, peer support, community groups, "
        "equipment, a broker. Add the paid parts on the costing page.",
        "Example: A PA in the mornings. My neighbour helps with shopping. A peer advisor to talk things through.",
        "Who will help you? What things will help you?",
    ),
    Section(
        "budget_use",
        "How I will use my budget",
        "In your own words, how you want to spend your personal budget. The costing page works out the figures.",
        "Example: Most of it on my own PA, so I choose who helps me. A little for a gym pass.",
        "How do you want to spend your money for support?",
    ),
    Section(
        "keeping_safe",
        "Keeping myself safe",
        "What could go wrong, and what will you or your circle do if it does? For example if a PA is ill, "
        "if money runs short, or if you become unwell.",
        "Example: If my PA cannot come, I ring my brother, and the agency has my details for cover.",
        "What could go wrong? What will you do? Who will help?",
    ),
    Section(
        "decisions",
        "Who decides what",
        "Which decisions do you make yourself, which do you make with help, and who helps? "
        "This is your decision-making agreement.",
        "Example: I choose my PAs. My daughter helps me with money decisions. I decide what I eat.",
        "What do you decide? Who helps you decide?",
    ),
    Section(
        "circle",
        "My circle of support",
        "The people around you who help you get what you want from life: family, friends, neighbours, "
        "people from groups you go to.",
        "Example: My sister Jo, my friend Amir from choir, my neighbour Pat.",
        "Who are the people who help you?",
    ),
    Section(
        "action_plan",
        "Action plan",
        "What needs to happen to put the plan in place, who will do it and by when?",
        "Example: Advertise for a PA by 1 May (me and my broker). Set up payroll by 15 May (me).",
        "What needs to happen? Who will do it? When?",
    ),
)

SECTION_KEYS: tuple[str, ...] = tuple(section.key for section in SECTIONS)
BY_KEY: dict[str, Section] = {section.key: section for section in SECTIONS}

# How much help a person wants with each part (good practice: three levels of brokerage support).
HELP_LEVELS: dict[int, str] = {
    1: "Level 1: I will do it myself with information, guides and forms",
    2: "Level 2: I want someone to plan with me (a broker or peer advisor)",
    3: "Level 3: I want a broker to do most of it with me",
}
HELP_LEVELS_EASY: dict[int, str] = {
    1: "I will do it. Give me information.",
    2: "Help me do it.",
    3: "Do most of it for me, with me.",
}
