"""manage.py seed_demo: a realistic, deterministic synthetic register (same --profiles and --seed, same bytes).

Districts are weighted by how many postcodes they hold; roles, rates, skills, languages and lived
experience follow rough UK social-care shapes. Loading goes through the interchange import, so it is
as fast (and as validated) as ``import_register``.
"""

from __future__ import annotations

import csv
import random
import re
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from profiles import locality, services
from profiles.models import Profile, User
from profiles.register_format import dumps_record, register_import

from .import_register import print_report

ROLE_WEIGHTS = {"pa": 60, "peer_advisor": 20, "broker": 8, "seeker": 12}
REF_PREFIX = {"pa": "pa", "peer_advisor": "peer", "broker": "broker", "seeker": "seeker"}
REFERENCE_DAY = date(2026, 1, 1)  # a fixed "today", so the output never depends on the clock

FIRST_NAMES = (
    "Alex Sam Jo Chris Jamie Sarah Emma Olivia Amelia Grace Ruth Helen Margaret Susan Priya Aisha Fatima Zainab "
    "Mohammed Ahmed Imran Bilal Hassan Yusuf Daniel James Tom Harry George Jack Oliver David Peter Michael Paul "
    "Mark Gareth Rhys Dylan Siân Cerys Iain Fiona Morag Kasia Piotr Tomasz Agnieszka Andrei Ioana Maria Ana "
    "Chloe Megan Lucy Sophie Hannah Ellie Kwame Ama Chidi Ngozi Mei Wei Raj Sunita Anil Deepa Nasrin Rahim"
).split()
SURNAME_INITIALS = "ABCDEFGHIJKLMNOPRSTWY"

PA_SKILLS = {
    "personal_care": 60, "household": 45, "shopping": 45, "cooking": 45, "community_access": 40, "driving": 35,
    "medication_support": 30, "moving_and_handling": 30, "befriending": 30, "admin_and_paperwork": 15,
    "dementia_care": 15, "learning_disability_support": 15, "autism_support": 12, "mental_health_support": 12,
    "employment_support": 8, "sighted_guide": 5, "bsl": 3,
}
PEER_SKILLS = {"befriending": 30, "admin_and_paperwork": 30, "community_access": 15, "mental_health_support": 8}
INTERESTS = {
    "walking": 30, "music": 30, "cooking": 25, "gardening": 20, "reading": 20, "football": 15, "art": 12,
    "theatre": 10, "cycling": 10, "gaming": 10, "faith_community": 10, "karaoke": 6, "rambling": 6,
    "swimming": 8, "films": 8, "baking": 6, "crafts": 5, "animals": 5, "fishing": 4, "dancing": 4, "history": 4,
    "photography": 3, "bingo": 3,
}
# Chance of speaking each language besides English (Welsh and Gaelic depend on the area; see _languages).
OTHER_LANGUAGES = {
    "pl": 0.04, "ur": 0.03, "pa": 0.03, "bn": 0.02, "bfi": 0.015, "gu": 0.015, "ar": 0.015, "ro": 0.015,
    "hi": 0.01, "pt": 0.01, "es": 0.01, "fr": 0.008, "uk": 0.008, "so": 0.007, "lt": 0.007, "zh": 0.007,
    "it": 0.006, "ta": 0.005, "tr": 0.005, "fa": 0.004, "ku": 0.003, "ti": 0.002,
}
WELSH_AREAS = ("CF", "SA", "LL", "NP", "LD", "SY")
GAELIC_AREAS = ("HS", "IV", "PA", "PH", "KW")
CONDITIONS = {
    "physical_disability": 20, "visual_impairment": 10, "hearing_impairment": 6, "deaf": 5, "spinal_injury": 5,
    "learning_disability": 10, "autism": 10, "mental_health": 15, "dementia": 4, "acquired_brain_injury": 5,
    "long_term_condition": 15, "older_person": 10, "family_carer": 18,
}
BUDGET_EXPERIENCE = {"direct_payments": 0.65, "personal_budget": 0.45, "employing_pas": 0.3,
                     "personal_health_budget": 0.12, "individual_trust": 0.05, "circle_of_support": 0.08}
PEER_FUNCTIONS = {"information_advice": 40, "signposting": 35, "researching_options": 15, "support_planning": 15,
                  "circle_of_support_facilitation": 8, "advocacy": 8}
BROKER_FUNCTIONS = {
    "support_planning": 40, "information_advice": 30, "researching_options": 25, "facilitation": 25,
    "coordinating_support": 20, "negotiation_mediation": 15, "advocacy": 15, "recruitment_of_pas": 15,
    "budget_management": 12, "technical_advice": 10, "signposting": 20, "circle_of_support_facilitation": 8,
}
ORGANISATIONS = (
    "Lancashire Peer Support Network", "Manchester Disabled People's Forum", "Leeds User-Led Circle",
    "Bristol Independent Living Group", "Norfolk Direct Payments Peers", "Cardiff Disability Voice",
    "Glasgow Self-Directed Support Forum", "Birmingham Personal Budgets Network", "Kent Carers Together",
    "London Peer Advisors Collective", "Tyneside Independent Living Peers", "Devon Circles of Support",
)
TRAITS = ("patient", "cheerful", "calm", "reliable", "chatty", "organised", "easy-going", "kind", "practical",
          "down to earth", "good humoured", "thoughtful", "punctual", "adaptable", "warm", "quiet", "energetic")
OPENINGS = {
    "pa": ("I have been a personal assistant for {years} years.", "I work as a PA and love helping people live the way they choose.",
           "I am a PA with {years} years of experience in care and support.", "I started as a PA after caring for a relative."),
    "peer_advisor": ("I volunteer as a peer advisor because I know what managing a personal budget is like.",
                     "I have managed my own support for {years} years and like to share what I learned.",
                     "I am a volunteer who has been through the direct payments process myself."),
    "broker": ("I am an independent support broker with {years} years of experience.",
               "I help people plan and arrange support with their personal budget.",
               "As an independent broker I work for you, not for the council or a provider."),
    "seeker": ("I am looking for someone to help me day to day.", "We are looking for support for my mum.",
               "I would like help to get out more and do the things I enjoy.", "I need a PA for a few hours a week."),
}
INTEREST_LINES = ("In my spare time I enjoy {a} and {b}.", "I love {a}, and I am always happy to talk about {b}.",
                  "Outside work you will find me {a_ing}.", "I am a big fan of {a}.", "{A} and {b} keep me happy.")
TRAIT_LINES = ("People say I am {t1} and {t2}.", "Friends would describe me as {t1}.", "I am {t1}, {t2} and {t3}.",
               "I try to be {t1} and {t2} in everything I do.")
WORK_LINES = {
    "pa": ("I am happy to help with {skill}.", "I have experience with {skill} and {skill2}.",
           "I am happy to fit around your routine.", "I respect your choices and work the way you want."),
    "peer_advisor": ("I can help you understand your options and fill in forms.", "I can listen and share what worked for me.",
                     "I know how confusing the paperwork can be."),
    "broker": ("I can write your support plan with you.", "I help you find and recruit PAs.",
               "I will explain every step in plain English."),
    "seeker": ("I need help with {skill}.", "It matters to me that we get on.", "Someone who shares my love of {a} would be great."),
}

DEMO_PASSWORD = "demo-password-123"
DEMO_ACCOUNTS = (
    ("seeker@demo.opencircle.test", "Demo Seeker", "seeker",
     {"seeking": {"roles": ["pa"], "skills": ["personal_care", "shopping"], "interests": ["music"], "max_km": 15},
      "interests": ["music", "gardening"], "languages": ["en"]}),
    ("pa@demo.opencircle.test", "Demo PA", "pa",
     {"travel_km": 15, "hourly_rate": Decimal("14.00"), "skills": ["personal_care", "shopping", "cooking"],
      "interests": ["music", "walking"], "languages": ["en"], "availability": ["mon 09:00-13:00", "thu 14:00-18:00"],
      "about": "I am a demo PA. I enjoy music and walking, and I am patient and cheerful."}),
    ("broker@demo.opencircle.test", "Demo Broker", "broker",
     {"travel_km": 30, "hourly_rate": Decimal("20.00"), "support_levels": [1, 2, 3],
      "brokerage_functions": ["support_planning", "information_advice", "recruitment_of_pas"], "languages": ["en"],
      "independence": {"funding_decisions": False, "provides_direct_support": False, "affiliations": []}}),
)


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
            "ref": f"{REF_PREFIX[role]}-{number:06d}", "role": role,
            "display_name": f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAME_INITIALS)}.", "outcode": outcode,
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
        words = {"years": rng.randint(2, 25), "a": a, "b": b, "A": a.capitalize(), "a_ing": f"enjoying {a}",
                 "t1": traits[0], "t2": traits[1], "t3": traits[2], "skill": skill_words[0], "skill2": skill_words[-1]}
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
            record["organisation"] = rng.choice(ORGANISATIONS)
        if dbs := self.dbs(0.4):
            record["dbs"] = dbs

    def add_broker(self, record: dict[str, Any]) -> None:
        rng = self.rng
        # £20 an hour is the National Brokerage Network's suggested figure, so it is the most common.
        rate = 20.0 if rng.random() < 0.4 else round(rng.uniform(18, 45) * 2) / 2
        levels = sorted(rng.sample((1, 2, 3), rng.randint(1, 3)))
        record.update(
            travel_km=self.travel_km(), hourly_rate_gbp=Decimal(f"{rate:.2f}"),
            brokerage_functions=weighted_sample(rng, BROKER_FUNCTIONS, rng.randint(3, 8)), support_levels=levels,
            independence={"funding_decisions": False, "provides_direct_support": rng.random() < 0.1,
                          "affiliations": [rng.choice(ORGANISATIONS)] if rng.random() < 0.2 else []},
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


def demo_lines(count: int, seed: int) -> Iterator[str]:
    for record in DemoRegister(seed).records(count):
        yield dumps_record(record) + "\n"


@transaction.atomic
def create_demo_accounts() -> list[str]:
    """Three signed-up, verified people with listed profiles, made through the same services as real ones."""
    from allauth.account.models import EmailAddress

    created = []
    for email, name, role, data in DEMO_ACCOUNTS:
        if User.objects.filter(email=email).exists():
            continue
        user = User.objects.create_user(email, DEMO_PASSWORD, preferred_name=name)
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        profile = services.profile_create(actor=user, role=role, display_name=name, postcode="BB1", **data)
        services.profile_publish(profile=profile, actor=user)
        created.append(email)
    return created


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
        print_report(self, register_import(demo_lines(profiles, seed)))
        self.print_accounts(create_demo_accounts())

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
        for email, *_ in DEMO_ACCOUNTS:
            self.stdout.write(f"  {email}" + ("" if email in created else " (already existed)"))
