"""The easy-read versions of the main journeys, written by people (never generated), one list per journey.

Each point is one idea in short, common words, with a picture drawn for the project
(inclusion/static/easy_read/) and the picture's text alternative. Pages show them with
``{% easy_read "journey" %}`` (inclusion/templatetags/easy_read.py) placed next to the standard text they
explain. docs/inclusion.md says how to keep them in step when a page changes.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Point:
    picture: str  # a file in inclusion/static/easy_read/, without .svg
    alt: str  # what the picture shows
    text: str


@dataclass(frozen=True)
class Journey:
    title: str
    points: tuple[Point, ...]


JOURNEYS: dict[str, Journey] = {
    "find-support": Journey(
        "Finding support",
        (
            Point("search", "A magnifying glass", "You can look for people who can help you."),
            Point("person", "A person", "A PA is a personal assistant. A PA helps you with your day."),
            Point("people", "Two people", "A peer advisor has been where you are. They help for free."),
            Point("map-pin", "A map pin", "We show people who live near you."),
            Point("money", "Money", "Each card says how much they cost an hour. Some help for free."),
            Point("tick", "A tick", "The card says what we have checked about them, and who checked it."),
        ),
    ),
    "listing": Journey(
        "About this person",
        (
            Point("person", "A person", "This page tells you about one person who can help."),
            Point("calendar", "A calendar", "It says which days they are free."),
            Point("money", "Money", "It says how much they cost. Volunteers are free."),
            Point("tick", "A tick", "It says what we checked, who checked it and when."),
            Point("star", "A star", "It shows what other people said about them."),
            Point("stop", "A stop sign", "You can block or report them. The buttons are on this page."),
        ),
    ),
    "get-in-touch": Journey(
        "Getting in touch",
        (
            Point("speech", "A speech bubble", "Write a short message to say hello."),
            Point("lock", "A padlock", "Do not put your address or phone number in the first message."),
            Point("handshake", "Two hands shaking", "If they say yes, you can send messages to each other."),
            Point("stop", "A stop sign", "If they say no, that is all right. You can try someone else."),
        ),
    ),
    "stay-safe": Journey(
        "Staying safe",
        (
            Point("shield", "A shield", "Meet in a safe public place the first time."),
            Point("people", "Two people", "You can bring someone you trust."),
            Point("lock", "A padlock", "Never give anyone your bank card or passwords."),
            Point("stop", "A stop sign", "If something feels wrong, stop. You can block them at any time."),
            Point("phone", "A phone", "If you are in danger now, call 999."),
        ),
    ),
    "rate": Journey(
        "Saying how it went",
        (
            Point("star", "A star", "You can give a score from 1 to 5. 5 is the best."),
            Point("speech", "A speech bubble", "You can write a few words about what went well or badly."),
            Point("lock", "A padlock", "They only see your review after they have written theirs, or after 14 days."),
            Point("shield", "A shield", "If you are worried about someone's safety, tell us. Do not wait."),
        ),
    ),
    "write-a-plan": Journey(
        "Writing your plan",
        (
            Point("heart", "A heart", "Your plan says what is important to you."),
            Point("clipboard", "A clipboard", "It says what help you want and who will give it."),
            Point("money", "Money", "It shows how much the help costs. It checks this fits your budget."),
            Point("calendar", "A calendar", "You can stop and come back later. We save each part."),
            Point("people", "Two people", "You can ask someone you trust to help you write it."),
            Point("lock", "A padlock", "Only you and the people you choose can see your plan."),
        ),
    ),
}
