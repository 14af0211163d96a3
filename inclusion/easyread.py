"""The easy-read versions of the main journeys, written by people (never generated), one list per journey.

Each point is one idea in short, common words, with a picture drawn for the project
(inclusion/static/easy_read/) and the picture's text alternative. Pages show them with
``{% easy_read "journey" %}`` (inclusion/templatetags/easy_read.py) placed next to the standard text they
explain. docs/inclusion.md says how to keep them in step when a page changes.

Every title, picture text and point goes through gettext (lazily: they are read when a page is shown, in
the person's language), like the standard text beside them. Each point is marked whole, never in pieces.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Point:
    picture: str  # a file in inclusion/static/easy_read/, without .svg
    alt: str | Promise  # what the picture shows
    text: str | Promise


@dataclass(frozen=True)
class Journey:
    title: str | Promise
    points: tuple[Point, ...]


JOURNEYS: dict[str, Journey] = {
    "find-support": Journey(
        _("Finding support"),
        (
            Point("search", _("A magnifying glass"), _("You can look for people who can help you.")),
            Point("person", _("A person"), _("A PA is a personal assistant. A PA helps you with your day.")),
            Point("people", _("Two people"), _("A peer advisor has been where you are. They help for free.")),
            Point("map-pin", _("A map pin"), _("We show people who live near you.")),
            Point("money", _("Money"), _("Each card says how much they cost an hour. Some help for free.")),
            Point("tick", _("A tick"), _("The card says what we have checked about them, and who checked it.")),
        ),
    ),
    "listing": Journey(
        _("About this person"),
        (
            Point("person", _("A person"), _("This page tells you about one person who can help.")),
            Point("calendar", _("A calendar"), _("It says which days they are free.")),
            Point("money", _("Money"), _("It says how much they cost. Volunteers are free.")),
            Point("tick", _("A tick"), _("It says what we checked, who checked it and when.")),
            Point("star", _("A star"), _("It shows what other people said about them.")),
            Point("stop", _("A stop sign"), _("You can block or report them. The buttons are on this page.")),
        ),
    ),
    "get-in-touch": Journey(
        _("Getting in touch"),
        (
            Point("speech", _("A speech bubble"), _("Write a short message to say hello.")),
            Point("lock", _("A padlock"), _("Do not put your address or phone number in the first message.")),
            Point("handshake", _("Two hands shaking"), _("If they say yes, you can send messages to each other.")),
            Point("stop", _("A stop sign"), _("If they say no, that is all right. You can try someone else.")),
        ),
    ),
    "stay-safe": Journey(
        _("Staying safe"),
        (
            Point("shield", _("A shield"), _("Meet in a safe public place the first time.")),
            Point("people", _("Two people"), _("You can bring someone you trust.")),
            Point("lock", _("A padlock"), _("Never give anyone your bank card or passwords.")),
            Point("stop", _("A stop sign"), _("If something feels wrong, stop. You can block them at any time.")),
            Point("phone", _("A phone"), _("If you are in danger now, call 999.")),
        ),
    ),
    "rate": Journey(
        _("Saying how it went"),
        (
            Point("star", _("A star"), _("You can give a score from 1 to 5. 5 is the best.")),
            Point("speech", _("A speech bubble"), _("You can write a few words about what went well or badly.")),
            Point(
                "lock", _("A padlock"), _("They only see your review after they have written theirs, or after 14 days.")
            ),
            Point("shield", _("A shield"), _("If you are worried about someone's safety, tell us. Do not wait.")),
        ),
    ),
    "write-a-plan": Journey(
        _("Writing your plan"),
        (
            Point("heart", _("A heart"), _("Your plan says what is important to you.")),
            Point("clipboard", _("A clipboard"), _("It says what help you want and who will give it.")),
            Point("money", _("Money"), _("It shows how much the help costs. It checks this fits your budget.")),
            Point("calendar", _("A calendar"), _("You can stop and come back later. We save each part.")),
            Point("people", _("Two people"), _("You can ask someone you trust to help you write it.")),
            Point("lock", _("A padlock"), _("Only you and the people you choose can see your plan.")),
        ),
    ),
}
