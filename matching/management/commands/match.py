"""Print the best matches for a seeker on the register: manage.py match --ref REF [--format json]."""

import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from matching import services
from profiles.models import Profile


class Command(BaseCommand):
    help = "Rank supporters for a seeker profile (seeker queries only) and print them with their reasons."

    def add_arguments(self, parser):
        parser.add_argument("--ref", required=True, help="The seeker profile's ref.")
        parser.add_argument(
            "--role", action="append", choices=["pa", "peer_advisor", "broker"], help="Only this role (repeatable)."
        )
        parser.add_argument("--top", type=int, default=20)
        parser.add_argument("--weights", default="", help="Multipliers, e.g. locality:2,price:0.")
        parser.add_argument("--format", choices=["json", "text"], default="text")

    def handle(self, *args, **options):
        profile = Profile.objects.filter(ref=options["ref"]).select_related("user").first()
        if profile is None:
            raise CommandError(f"No profile has the ref {options['ref']}.")
        viewer = profile.user
        if viewer is None:
            viewer = services.record_holder(profile)
            if viewer is None:
                self.stderr.write(
                    "This record has no account and no coordinator holds it, so it is ranked as an anonymous visitor "
                    "would see the register: lived experience shared with members does not count."
                )
            else:
                self.stderr.write(
                    f"This record has no account: ranked as its coordinator, {viewer.display_name}, would see the register."
                )
        try:
            results = services.match_rank(
                seeker_profile_or_query=profile,
                viewer=viewer,
                top=options["top"],
                weights=services.parse_weights(options["weights"]),
                roles=options["role"],
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        if options["format"] == "json":
            rows = [{"ref": r.ref, "score": r.score, "reasons": r.reasons, "factors": r.factors} for r in results]
            self.stdout.write(json.dumps(rows, indent=2))
            return
        for number, r in enumerate(results, 1):
            self.stdout.write(
                f"{number}. {r.display_name} ({r.ref}), score {r.score:.2f}: {'; '.join(r.reasons) or 'no stand-out reasons'}"
            )
        if not results:
            self.stdout.write("Nobody matched. Try a larger distance or fewer musts.")
