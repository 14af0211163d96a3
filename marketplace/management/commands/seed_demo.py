"""manage.py seed_demo: a realistic, deterministic synthetic register (same --profiles and --seed, same bytes).

Districts are weighted by how many postcodes they hold; roles, rates, skills, languages and lived
experience follow rough UK social-care shapes. Loading goes through the interchange import, so it is
as fast (and as validated) as ``import_register``.

Then every demo listing but one in ``NOT_ON_OPEN_CIRCLE_EVERY`` gets an account of its own that cannot
sign in (no usable password), so contact requests, bookings and peer matching work with them. The rest
stay as listings imported from another register with no account: their pages say so, and offer "Is
this you? Claim this listing" instead of a contact button that would fail. Six demo logins with a
public password (seeker, PA, broker, coordinator of a demo organisation, moderator, community panel
member) are made through the same services as real accounts.
"""

from __future__ import annotations

import csv
import functools
import math
import random
import re
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from marketplace.sql import column, table
from profiles import changelog, locality, services
from profiles.management.commands.import_register import print_report
from profiles.models import Organisation, Profile, User
from profiles.register_format import dumps_record, register_import

ROLE_WEIGHTS = {"pa": 60, "peer_advisor": 20, "broker": 8, "seeker": 12}
REF_PREFIX = {"pa": "pa", "peer_advisor": "peer", "broker": "broker", "seeker": "seeker"}
REFERENCE_DAY = date(2026, 1, 1)  # a fixed "today", so the output never depends on the clock

FIRST_NAMES = [
    "Alex",
    "Sam",
    "Jo",
    "Chris",
    "Jamie",
    "Sarah",
    "Emma",
    "Olivia",
    "Amelia",
    "Grace",
    "Ruth",
    "Helen",
    "Margaret",
    "Susan",
    "Priya",
    "Aisha",
    "Fatima",
    "Zainab",
    "Mohammed",
    "Ahmed",
    "Imran",
    "Bilal",
    "Hassan",
    "Yusuf",
    "Daniel",
    "James",
    "Tom",
    "Harry",
    "George",
    "Jack",
    "Oliver",
    "David",
    "Peter",
    "Michael",
    "Paul",
    "Mark",
    "Gareth",
    "Rhys",
    "Dylan",
    "Siân",
    "Cerys",
    "Iain",
    "Fiona",
    "Morag",
    "Kasia",
    "Piotr",
    "Tomasz",
    "Agnieszka",
    "Andrei",
    "Ioana",
    "Maria",
    "Ana",
    "Chloe",
    "Megan",
    "Lucy",
    "Sophie",
    "Hannah",
    "Ellie",
    "Kwame",
    "Ama",
    "Chidi",
    "Ngozi",
    "Mei",
    "Wei",
    "Raj",
    "Sunita",
    "Anil",
    "Deepa",
    "Nasrin",
    "Rahim",
]
SURNAME_INITIALS = "ABCDEFGHIJKLMNOPRSTWY"

PA_SKILLS = {
    "personal_care": 60,
    "household": 45,
    "shopping": 45,
    "cooking": 45,
    "community_access": 40,
    "driving": 35,
    "medication_support": 30,
    "moving_and_handling": 30,
    "befriending": 30,
    "admin_and_paperwork": 15,
    "dementia_care": 15,
    "learning_disability_support": 15,
    "autism_support": 12,
    "mental_health_support": 12,
    "employment_support": 8,
    "sighted_guide": 5,
    "bsl": 3,
}
PEER_SKILLS = {"befriending": 30, "admin_and_paperwork": 30, "community_access": 15, "mental_health_support": 8}
INTERESTS = {
    "walking": 30,
    "music": 30,
    "cooking": 25,
    "gardening": 20,
    "reading": 20,
    "football": 15,
    "art": 12,
    "theatre": 10,
    "cycling": 10,
    "gaming": 10,
    "faith_community": 10,
    "karaoke": 6,
    "rambling": 6,
    "swimming": 8,
    "films": 8,
    "baking": 6,
    "crafts": 5,
    "animals": 5,
    "fishing": 4,
    "dancing": 4,
    "history": 4,
    "photography": 3,
    "bingo": 3,
}
# Chance of speaking each language besides English (Welsh and Gaelic depend on the area; see _languages).
OTHER_LANGUAGES = {
    "pl": 0.04,
    "ur": 0.03,
    "pa": 0.03,
    "bn": 0.02,
    "bfi": 0.015,
    "gu": 0.015,
    "ar": 0.015,
    "ro": 0.015,
    "hi": 0.01,
    "pt": 0.01,
    "es": 0.01,
    "fr": 0.008,
    "uk": 0.008,
    "so": 0.007,
    "lt": 0.007,
    "zh": 0.007,
    "it": 0.006,
    "ta": 0.005,
    "tr": 0.005,
    "fa": 0.004,
    "ku": 0.003,
    "ti": 0.002,
}
WELSH_AREAS = ("CF", "SA", "LL", "NP", "LD", "SY")
GAELIC_AREAS = ("HS", "IV", "PA", "PH", "KW")
CONDITIONS = {
    "physical_disability": 20,
    "visual_impairment": 10,
    "hearing_impairment": 6,
    "deaf": 5,
    "spinal_injury": 5,
    "learning_disability": 10,
    "autism": 10,
    "mental_health": 15,
    "dementia": 4,
    "acquired_brain_injury": 5,
    "long_term_condition": 15,
    "older_person": 10,
    "family_carer": 18,
}
BUDGET_EXPERIENCE = {
    "direct_payments": 0.65,
    "personal_budget": 0.45,
    "employing_pas": 0.3,
    "personal_health_budget": 0.12,
    "individual_trust": 0.05,
    "circle_of_support": 0.08,
}
PEER_FUNCTIONS = {
    "information_advice": 40,
    "signposting": 35,
    "researching_options": 15,
    "support_planning": 15,
    "circle_of_support_facilitation": 8,
    "advocacy": 8,
}
BROKER_FUNCTIONS = {
    "support_planning": 40,
    "information_advice": 30,
    "researching_options": 25,
    "facilitation": 25,
    "coordinating_support": 20,
    "negotiation_mediation": 15,
    "advocacy": 15,
    "recruitment_of_pas": 15,
    "budget_management": 12,
    "technical_advice": 10,
    "signposting": 20,
    "circle_of_support_facilitation": 8,
}
ORGANISATIONS = (
    "Lancashire Peer Support Network",
    "Manchester Disabled People's Forum",
    "Leeds User-Led Circle",
    "Bristol Independent Living Group",
    "Norfolk Direct Payments Peers",
    "Cardiff Disability Voice",
    "Glasgow Self-Directed Support Forum",
    "Birmingham Personal Budgets Network",
    "Kent Carers Together",
    "London Peer Advisors Collective",
    "Tyneside Independent Living Peers",
    "Devon Circles of Support",
)
LOCAL_ORGANISATIONS = {
    **dict.fromkeys(("BB", "BL", "FY", "LA", "PR", "WN"), "Lancashire Peer Support Network"),
    "M": "Manchester Disabled People's Forum",
    "LS": "Leeds User-Led Circle",
    "BS": "Bristol Independent Living Group",
    "NR": "Norfolk Direct Payments Peers",
    "CF": "Cardiff Disability Voice",
    "G": "Glasgow Self-Directed Support Forum",
    "B": "Birmingham Personal Budgets Network",
    **dict.fromkeys(("CT", "DA", "ME", "TN"), "Kent Carers Together"),
}
TRAITS = (
    "patient",
    "cheerful",
    "calm",
    "reliable",
    "chatty",
    "organised",
    "easy-going",
    "kind",
    "practical",
    "down to earth",
    "good humoured",
    "thoughtful",
    "punctual",
    "adaptable",
    "warm",
    "quiet",
    "energetic",
)
OPENINGS = {
    "pa": (
        "I have been a personal assistant for {years} years.",
        "I work as a PA and love helping people live the way they choose.",
        "I am a PA with {years} years of experience in care and support.",
        "I started as a PA after caring for a relative.",
    ),
    "peer_advisor": (
        "I volunteer as a peer advisor because I know what managing a personal budget is like.",
        "I have managed my own support for {years} years and like to share what I learned.",
        "I am a volunteer who has been through the direct payments process myself.",
    ),
    "broker": (
        "I am an independent support broker with {years} years of experience.",
        "I help people plan and arrange support with their personal budget.",
        "As an independent broker I work for you, not for the council or a provider.",
    ),
    "seeker": (
        "I am looking for someone to help me day to day.",
        "We are looking for support for my mum.",
        "I would like help to get out more and do the things I enjoy.",
        "I need a PA for a few hours a week.",
    ),
}
INTEREST_LINES = (
    "In my spare time I enjoy {a} and {b}.",
    "I love {a}, and I am always happy to talk about {b}.",
    "Outside work you will find me {a_ing}.",
    "I am a big fan of {a}.",
    "{A} and {b} keep me happy.",
)
TRAIT_LINES = (
    "People say I am {t1} and {t2}.",
    "Friends would describe me as {t1}.",
    "I am {t1}, {t2} and {t3}.",
    "I try to be {t1} and {t2} in everything I do.",
)
WORK_LINES = {
    "pa": (
        "I am happy to help with {skill}.",
        "I have experience with {skill} and {skill2}.",
        "I am happy to fit around your routine.",
        "I respect your choices and work the way you want.",
    ),
    "peer_advisor": (
        "I can help you understand your options and fill in forms.",
        "I can listen and share what worked for me.",
        "I know how confusing the paperwork can be.",
    ),
    "broker": (
        "I can write your support plan with you.",
        "I help you find and recruit PAs.",
        "I will explain every step in plain English.",
    ),
    "seeker": (
        "I need help with {skill}.",
        "It matters to me that we get on.",
        "Someone who shares my love of {a} would be great.",
    ),
}

DEMO_PASSWORD = "demo-password-123"
DEMO_DOMAIN = "demo.opencircle.test"  # .test never delivers: emails to demo people go nowhere
# One demo listing in this many keeps no account, as if imported from another register (claimable).
NOT_ON_OPEN_CIRCLE_EVERY = 50
DEMO_ORGANISATION = ORGANISATIONS[0]  # a user-led organisation many demo peer advisors belong to
DEMO_ACCOUNTS = (
    (
        "seeker@demo.opencircle.test",
        "Demo Seeker",
        "seeker",
        {
            "seeking": {"roles": ["pa"], "skills": ["personal_care", "shopping"], "interests": ["music"], "max_km": 15},
            "interests": ["music", "gardening"],
            "languages": ["en"],
        },
    ),
    (
        "pa@demo.opencircle.test",
        "Demo PA",
        "pa",
        {
            "travel_km": 15,
            "hourly_rate": Decimal("14.00"),
            "skills": ["personal_care", "shopping", "cooking"],
            "interests": ["music", "walking"],
            "languages": ["en"],
            "availability": ["mon 09:00-13:00", "thu 14:00-18:00"],
            "about": "I am a demo PA. I enjoy music and walking, and I am patient and cheerful.",
        },
    ),
    (
        "broker@demo.opencircle.test",
        "Demo Broker",
        "broker",
        {
            "travel_km": 30,
            "hourly_rate": Decimal("20.00"),
            "support_levels": [1, 2, 3],
            "brokerage_functions": ["support_planning", "information_advice", "recruitment_of_pas"],
            "languages": ["en"],
            "independence": {"funding_decisions": False, "provides_direct_support": False, "affiliations": []},
        },
    ),
)
# Logins without a listing: (email, name, what they are).
DEMO_STAFF = (
    ("coordinator@demo.opencircle.test", "Demo Coordinator", "coordinator"),
    ("moderator@demo.opencircle.test", "Demo Moderator", "moderator"),
    ("panel@demo.opencircle.test", "Demo Panel Member", "panel"),
)
WHAT_THEY_CAN_DO = {
    "seeker@demo.opencircle.test": "looks for support: matches, contact requests, bookings, peer support",
    "pa@demo.opencircle.test": "a personal assistant: answers requests, takes bookings, records hours",
    "broker@demo.opencircle.test": "an independent support broker",
    "coordinator@demo.opencircle.test": f"coordinates peer support for {DEMO_ORGANISATION}: referrals, proposals, check-ins",
    "moderator@demo.opencircle.test": "moderates reports, reviews and listing claims",
    "panel@demo.opencircle.test": "sits on a community panel that awards 'community recommended'",
}


def load_districts() -> tuple[list[str], list[int]]:
    """Districts and cumulative weights by postcode count (rows without a count are skipped)."""
    outcodes, cumulative, total = [], [], 0
    with locality.TABLE_PATH.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(line for line in handle if not line.startswith("#")):
            weight = int(row.get("postcodes") or 0)
            if weight > 0:
                total += weight
                outcodes.append(row["outcode"])
                cumulative.append(total)
    return outcodes, cumulative


def weighted_sample(rng: random.Random, weights: dict[str, float], k: int) -> list[str]:
    """k distinct keys, more popular ones more often (Efraimidis-Spirakis keys)."""
    keyed = sorted(weights, key=lambda key: -(rng.random() ** (1.0 / weights[key])))
    return keyed[:k]


class DemoRegister:
    """Deterministic records: every choice comes from one seeded Random, in a fixed order."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.outcodes, self.cumulative = load_districts()

    def records(self, count: int) -> Iterator[dict[str, Any]]:
        roles, weights = list(ROLE_WEIGHTS), list(ROLE_WEIGHTS.values())
        for number in range(1, count + 1):
            role = self.rng.choices(roles, weights)[0]
            yield self.record(number, role)

    def record(self, number: int, role: str) -> dict[str, Any]:
        rng = self.rng
        outcode = rng.choices(self.outcodes, cum_weights=self.cumulative)[0]
        record: dict[str, Any] = {
            "ref": f"{REF_PREFIX[role]}-{number:06d}",
            "role": role,
            "display_name": f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAME_INITIALS)}.",
            "outcode": outcode,
        }
        lived = self.lived_experience(role)
        skills = self.skills(role)
        interests = weighted_sample(rng, INTERESTS, rng.choice((1, 2, 2, 3, 3, 4)))
        record.update(skills=skills, interests=interests, languages=self.languages(outcode, skills, lived))
        if lived:
            record["lived_experience"] = lived
        record["about"] = self.about(role, interests, skills)
        record["availability"] = self.availability()
        getattr(self, f"add_{role}")(record)
        return record

    def skills(self, role: str) -> list[str]:
        if role == "pa":
            return weighted_sample(self.rng, PA_SKILLS, self.rng.randint(2, 6))
        if role == "peer_advisor":
            return weighted_sample(self.rng, PEER_SKILLS, self.rng.randint(0, 2))
        return []

    def lived_experience(self, role: str) -> list[str]:
        rng = self.rng
        chance = {"peer_advisor": 0.9, "seeker": 0.4, "broker": 0.3, "pa": 0.1}[role]
        if rng.random() >= chance:
            return []
        tags = weighted_sample(rng, CONDITIONS, rng.choice((1, 1, 2, 2, 3)))
        if role == "peer_advisor":
            tags += [tag for tag, p in BUDGET_EXPERIENCE.items() if rng.random() < p]
        return tags

    def languages(self, outcode: str, skills: list[str], lived: list[str]) -> list[str]:
        rng = self.rng
        languages = ["en"] if rng.random() < 0.97 else []
        area = re.match(r"[A-Z]+", outcode).group(0)
        if rng.random() < (0.2 if area in WELSH_AREAS else 0.003):
            languages.append("cy")
        if rng.random() < (0.05 if area in GAELIC_AREAS else 0.0005):
            languages.append("gd")
        languages += [code for code, p in OTHER_LANGUAGES.items() if rng.random() < p and code not in languages]
        if ("bsl" in skills or "deaf" in lived) and "bfi" not in languages:
            languages.append("bfi")
        return languages or [rng.choice(["pl", "ro", "ur", "bn"])]

    def availability(self) -> list[str]:
        rng = self.rng
        days = sorted(rng.sample(range(7), rng.choice((1, 2, 2, 3, 3, 4))))
        slots = []
        for day in days:
            start = rng.choice((7, 8, 9, 9, 10, 13, 14, 17, 18))
            end = min(24, start + rng.choice((2, 3, 4, 4, 5, 6)))
            slots.append(f"{('mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun')[day]} {start:02d}:00-{end:02d}:00")
        return slots

    def about(self, role: str, interests: list[str], skills: list[str]) -> str:
        rng = self.rng
        a = interests[0].replace("_", " ")
        b = interests[1].replace("_", " ") if len(interests) > 1 else rng.choice(("a good chat", "being outdoors"))
        traits = rng.sample(TRAITS, 3)
        skill_words = [s.replace("_", " ") for s in skills] or ["everyday tasks", "getting out"]
        words = {
            "years": rng.randint(2, 25),
            "a": a,
            "b": b,
            "A": a.capitalize(),
            "a_ing": f"enjoying {a}",
            "t1": traits[0],
            "t2": traits[1],
            "t3": traits[2],
            "skill": skill_words[0],
            "skill2": skill_words[-1],
        }
        lines = [rng.choice(OPENINGS[role]), rng.choice(INTEREST_LINES), rng.choice(TRAIT_LINES)]
        lines += rng.sample(WORK_LINES[role], rng.randint(1, 2))
        return " ".join(line.format(**words) for line in lines)

    def dbs(self, chance: float) -> dict[str, str] | None:
        rng = self.rng
        if rng.random() >= chance:
            return None
        level = rng.choices(("enhanced", "standard", "basic"), (8, 1, 2))[0]
        return {"level": level, "checked_on": (REFERENCE_DAY - timedelta(days=rng.randint(10, 1100))).isoformat()}

    def add_pa(self, record: dict[str, Any]) -> None:
        rng = self.rng
        rate = rng.uniform(18, 26) if rng.random() < 0.05 else rng.triangular(11.5, 18, 13)
        record["travel_km"] = self.travel_km()
        record["hourly_rate_gbp"] = Decimal(f"{round(rate * 4) / 4:.2f}")
        if dbs := self.dbs(0.75):
            record["dbs"] = dbs

    def add_peer_advisor(self, record: dict[str, Any]) -> None:
        rng = self.rng
        record["travel_km"] = self.travel_km()
        record["brokerage_functions"] = weighted_sample(rng, PEER_FUNCTIONS, rng.randint(1, 3))
        if rng.random() < 0.6:
            # User-led organisations are local: most peer advisors in an organisation's home areas belong to it.
            local = LOCAL_ORGANISATIONS.get(re.match(r"[A-Z]+", record["outcode"]).group(0))
            record["organisation"] = local if local and rng.random() < 0.8 else rng.choice(ORGANISATIONS)
        if dbs := self.dbs(0.4):
            record["dbs"] = dbs

    def add_broker(self, record: dict[str, Any]) -> None:
        rng = self.rng
        # £20 an hour is the National Brokerage Network's suggested figure, so it is the most common.
        rate = 20.0 if rng.random() < 0.4 else round(rng.uniform(18, 45) * 2) / 2
        levels = sorted(rng.sample((1, 2, 3), rng.randint(1, 3)))
        record.update(
            travel_km=self.travel_km(),
            hourly_rate_gbp=Decimal(f"{rate:.2f}"),
            brokerage_functions=weighted_sample(rng, BROKER_FUNCTIONS, rng.randint(3, 8)),
            support_levels=levels,
            independence={
                "funding_decisions": False,
                "provides_direct_support": rng.random() < 0.1,
                "affiliations": [rng.choice(ORGANISATIONS)] if rng.random() < 0.2 else [],
            },
        )
        if rng.random() < 0.3:
            hours = rng.choice((10, 20, 30))
            record["packages"] = [{"name": "Support plan", "price_gbp": Decimal(hours * 20), "hours": hours}]
        if dbs := self.dbs(0.6):
            record["dbs"] = dbs

    def add_seeker(self, record: dict[str, Any]) -> None:
        rng = self.rng
        seeking: dict[str, Any] = {
            "roles": weighted_sample(rng, {"pa": 70, "peer_advisor": 20, "broker": 10}, rng.choice((1, 1, 2))),
            "skills": weighted_sample(rng, PA_SKILLS, rng.randint(1, 3)),
            "interests": record["interests"][:2],
            "max_km": rng.choice((5, 10, 10, 15, 20)),
        }
        if rng.random() < 0.4:
            seeking["max_rate_gbp"] = Decimal(rng.choice((14, 15, 16, 18, 20)))
        if record["languages"] != ["en"]:
            seeking["languages"] = [code for code in record["languages"] if code != "en"]
        if rng.random() < 0.25:
            seeking["lived_experience"] = weighted_sample(rng, {**CONDITIONS, "direct_payments": 15}, 1)
        record["seeking"] = seeking

    def travel_km(self) -> int:
        return self.rng.choices((3, 5, 8, 10, 15, 20, 25, 30), (6, 14, 14, 16, 12, 8, 4, 4))[0]


def demo_lines(
    count: int, seed: int, skip: frozenset[str] = frozenset(), refs: list[str] | None = None
) -> Iterator[str]:
    """The register as JSON Lines, leaving out the refs in ``skip``; every ref made is added to ``refs``."""
    for record in DemoRegister(seed).records(count):
        if refs is not None:
            refs.append(record["ref"])
        if record["ref"] not in skip:
            yield dumps_record(record) + "\n"


def keeps_no_account(ref: str) -> bool:
    """Whether this demo listing stays "listed from another register" (deterministic, by its number)."""
    return int(ref.rsplit("-", 1)[1]) % NOT_ON_OPEN_CIRCLE_EVERY == 0


def demo_member_email(ref: str) -> str:
    return f"{ref}@{DEMO_DOMAIN}"


def refs_with_accounts() -> frozenset[str]:
    """Demo listings already attached to their demo account (a second run leaves them as they are)."""
    return frozenset(Profile.objects.filter(user__email__endswith=f"@{DEMO_DOMAIN}").values_list("ref", flat=True))


@transaction.atomic
def give_demo_listings_accounts(refs: list[str]) -> int:
    """An account that cannot sign in (no usable password) for each of these listings still without one.

    Written in bulk (the accounts, then one UPDATE per listing in one executemany), with a rebuild row
    in the change log in the same transaction, so running servers pick up the new owners at once.
    """
    rows = [
        (pk, ref, name)
        for pk, ref, name in Profile.objects.filter(ref__in=refs, user__isnull=True).values_list(
            "pk", "ref", "display_name"
        )
        if not keeps_no_account(ref)
    ]
    if not rows:
        return 0
    users = []
    for _, ref, name in rows:
        user = User(email=demo_member_email(ref), preferred_name=name)
        user.set_unusable_password()
        users.append(user)
    User.objects.bulk_create(users, batch_size=1000, ignore_conflicts=True)
    user_ids = dict(User.objects.filter(email__in=[u.email for u in users]).values_list("email", "pk"))
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {table(Profile)} SET {column(Profile, 'user')} = %s WHERE {column(Profile, 'pk')} = %s AND {column(Profile, 'user')} IS NULL",
            [(user_ids[demo_member_email(ref)], pk) for pk, ref, _ in rows],
        )
    changelog.record_rebuild()
    return len(rows)


DEMO_PICTURE_SKIP_EVERY = 5  # one supporter in five keeps the initials avatar, so both kinds of card show


def give_demo_pictures() -> int:
    """A drawn demo avatar (marketplace.demo_avatars; never a photo) on most demo supporters' cards.

    A small pool of pictures is drawn once and shared; each listing gets a ProfilePhoto row marked
    ``demo`` (the pages say "Demo picture"), written in bulk. Listings that have photos are left alone.
    """
    from marketplace.demo_avatars import POOL, SIDE, SMALL, avatar_files
    from profiles.models import ProfilePhoto

    pool = avatar_files()
    with_photos = ProfilePhoto.objects.values("profile_id")
    rows = (
        Profile.objects.filter(role__in=("pa", "peer_advisor", "broker"))
        .exclude(pk__in=with_photos)
        .values_list("pk", flat=True)
        .order_by("pk")
    )
    photos = [
        ProfilePhoto(
            profile_id=pk,
            order=0,
            demo=True,
            small=pool[pk % POOL]["small"],
            small_width=SMALL,
            small_height=SMALL,
            large=pool[pk % POOL]["large"],
            large_width=SIDE,
            large_height=SIDE,
        )
        for pk in rows.iterator(chunk_size=5000)
        if pk % DEMO_PICTURE_SKIP_EVERY
    ]
    ProfilePhoto.objects.bulk_create(photos, batch_size=2000)
    return len(photos)


@functools.cache
def _demo_password_hash() -> str:
    # The password is public and the same for every demo login, so it is hashed once (each hash takes
    # most of a second on purpose; six of them were most of seed_demo's time after the import).
    return make_password(DEMO_PASSWORD)


def _demo_login(email: str, name: str, **fields) -> User:
    from allauth.account.models import EmailAddress

    user = User.objects.create_user(email, None, preferred_name=name, **fields)
    user.password = _demo_password_hash()
    user.save(update_fields=["password"])
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


@transaction.atomic
def create_demo_accounts() -> list[str]:
    """Six signed-up, verified demo logins, made through the same services as real accounts."""
    created = []
    for email, name, role, data in DEMO_ACCOUNTS:
        if User.objects.filter(email=email).exists():
            continue
        user = _demo_login(email, name)
        profile = services.profile_create(actor=user, role=role, display_name=name, postcode="BB1", **data)
        services.profile_publish(profile=profile, actor=user)
        created.append(email)
    for email, name, kind in DEMO_STAFF:
        if User.objects.filter(email=email).exists():
            continue
        user = _demo_login(email, name, is_moderator=kind == "moderator")
        if kind == "coordinator":
            _demo_organisation_with_referrals(user)
        elif kind == "panel":
            _demo_panel(user)
        created.append(email)
    return created


def _demo_organisation_with_referrals(coordinator: User) -> None:
    """The demo organisation, approved, with the coordinator and two people waiting for a peer advisor."""
    from peer_support.models import OrganisationApproval
    from peer_support.services import referral_create

    organisation = Organisation.objects.get_or_create(name=DEMO_ORGANISATION)[0]
    # Approving an organisation is the operator's step (peer_support.organisations); the demo has no
    # operator, so its one made-up organisation is recorded as approved here.
    OrganisationApproval.objects.update_or_create(
        organisation=organisation,
        defaults={"status": OrganisationApproval.Status.APPROVED, "decided_at": timezone.now()},
    )
    services.organisation_add_coordinator(organisation=organisation, user=coordinator)
    peers = list(
        Profile.objects.listed()
        .filter(role=Profile.Role.PEER_ADVISOR, organisation=organisation, user__isnull=False)
        .values_list("latitude", "longitude")
    )
    seekers = Profile.objects.listed().filter(role=Profile.Role.SEEKER, user__email__endswith=f"@{DEMO_DOMAIN}")
    # The two demo seekers nearest one of its peer advisors, so the coordinator has suggestions to look at.
    nearest = sorted(seekers.select_related("user"), key=lambda seeker: (_nearest_km(seeker, peers), seeker.ref))
    for seeker in nearest[:2]:
        referral_create(
            actor=seeker.user,
            seeker_profile=seeker,
            organisation=organisation,
            what_would_help="Someone who has managed a personal budget and can explain how direct payments work.",
        )


def _nearest_km(profile: Profile, points: list[tuple[float, float]]) -> float:
    return min(
        (locality.distance_km(profile.latitude, profile.longitude, lat, lon) for lat, lon in points), default=math.inf
    )


def _demo_panel(member: User) -> None:
    """A community panel for the demo organisation: the demo login and two demo peer advisors."""
    from ratings.models import Panel, PanelMember

    organisation = Organisation.objects.get_or_create(name=DEMO_ORGANISATION)[0]
    panel, _ = Panel.objects.get_or_create(
        name=f"{DEMO_ORGANISATION} community panel",
        defaults={
            "organisation": organisation,
            "criteria": "Reliable, respectful and kind: people we would recommend to a friend.",
        },
    )
    PanelMember.objects.get_or_create(
        panel=panel, user=member, left_at=None, defaults={"kind": PanelMember.Kind.EMPLOYER}
    )
    peers = User.objects.filter(
        email__endswith=f"@{DEMO_DOMAIN}", profiles__role=Profile.Role.PEER_ADVISOR, profiles__organisation=organisation
    ).order_by("pk")[:2]
    for peer in peers:
        PanelMember.objects.get_or_create(
            panel=panel, user=peer, left_at=None, defaults={"kind": PanelMember.Kind.PEER_ADVISOR}
        )


class Command(BaseCommand):
    help = "Make a realistic synthetic register (deterministic), load it, or write it as JSON Lines."

    def add_arguments(self, parser):
        parser.add_argument("--profiles", type=int, default=2000, help="How many profiles (default 2000).")
        parser.add_argument("--seed", type=int, default=1, help="Random seed: the same seed gives the same register.")
        parser.add_argument("--if-empty", action="store_true", help="Do nothing if the register already has profiles.")
        parser.add_argument("--output", type=Path, help="Write the JSON Lines file here instead of loading it.")

    def handle(self, *args, profiles: int, seed: int, if_empty: bool, output: Path | None, **options):
        if profiles < 0:
            raise CommandError("--profiles must be 0 or more.")
        if output is not None:
            self.write_file(Path(output), profiles, seed)
            return
        if not settings.DEMO_DATA_ALLOWED:
            raise CommandError(
                "seed_demo loads made-up people and demo accounts whose password is public, so it does not run "
                "under production settings. To look at the data, write it to a file with --output instead."
            )
        if if_empty and Profile.objects.exists():
            self.stdout.write("The register already has profiles, so nothing was added (--if-empty).")
            return
        kept = refs_with_accounts()
        refs: list[str] = []
        print_report(self, register_import(demo_lines(profiles, seed, skip=kept, refs=refs)))
        if skipped := sum(ref in kept for ref in refs):
            self.stdout.write(f"{skipped} demo listings already had their accounts and were left as they are.")
        attached = give_demo_listings_accounts(refs)
        unclaimed = sum(keeps_no_account(ref) for ref in refs)
        self.stdout.write(
            f"{attached} demo listings got an account that cannot sign in; {unclaimed} stay as listed from "
            "another register, with no account (anyone can ask to claim them)."
        )
        created = create_demo_accounts()
        pictures = give_demo_pictures()
        self.stdout.write(f"{pictures} demo supporters show a drawn demo picture (marked as one).")
        self.print_accounts(created)

    def write_file(self, output: Path, count: int, seed: int) -> None:
        try:
            with output.open("w", encoding="utf-8", newline="\n") as handle:
                handle.writelines(demo_lines(count, seed))
        except OSError as error:
            raise CommandError(f"Could not write {output}: {error.strerror or error}.") from None
        self.stdout.write(f"Wrote {count} synthetic profiles to {output}.")

    def print_accounts(self, created: list[str]) -> None:
        self.stdout.write(
            "Demo accounts (for the local quick start only: this password is public, so never create "
            f"these on a real site). Password for each: {DEMO_PASSWORD}"
        )
        for email, *_ in (*DEMO_ACCOUNTS, *DEMO_STAFF):
            existed = "" if email in created else " (already existed)"
            self.stdout.write(f"  {email}{existed}: {WHAT_THEY_CAN_DO[email]}")
        self.stdout.write(
            "The coordinator, moderator and panel member are asked to set up a second factor (an authenticator "
            "app) the first time they sign in, as on a real site."
        )
