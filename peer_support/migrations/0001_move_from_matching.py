"""Referrals, proposals, check-ins and referral events move from the matching app to peer_support.

State only: the tables stay as they are (``matching_*``), so no row is copied or lost; matching
0004 removes the models from matching's state. 0002 then renames the tables to this app's names.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

MOVED = ("referral", "matchproposal", "checkin", "referralevent")


def move_content_types(apps, schema_editor):
    """Admin history and permissions follow the models to their new app."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MOVED:
        if not ContentType.objects.filter(app_label="peer_support", model=model).exists():
            ContentType.objects.filter(app_label="matching", model=model).update(app_label="peer_support")


def move_content_types_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MOVED:
        if not ContentType.objects.filter(app_label="matching", model=model).exists():
            ContentType.objects.filter(app_label="peer_support", model=model).update(app_label="matching")


ANSWERS = [("pending", "Not answered yet"), ("yes", "Yes"), ("no", "No")]

STATE = [
    migrations.CreateModel(
        name="Referral",
        fields=[
            ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
            ("what_would_help", models.TextField(blank=True, max_length=1500)),
            (
                "status",
                models.CharField(
                    choices=[
                        ("waiting", "Waiting for a match"),
                        ("proposed", "Match proposed, waiting for both to agree"),
                        ("introduced", "Introduced"),
                        ("closed", "Closed"),
                    ],
                    default="waiting",
                    max_length=12,
                ),
            ),
            ("created_at", models.DateTimeField(auto_now_add=True)),
            ("closed_at", models.DateTimeField(blank=True, null=True)),
            ("closing_note", models.CharField(blank=True, max_length=300)),
            (
                "organisation",
                models.ForeignKey(
                    on_delete=django.db.models.deletion.CASCADE, related_name="referrals", to="profiles.organisation"
                ),
            ),
            (
                "requested_by",
                models.ForeignKey(
                    null=True,
                    on_delete=django.db.models.deletion.SET_NULL,
                    related_name="+",
                    to=settings.AUTH_USER_MODEL,
                ),
            ),
            (
                "seeker_profile",
                models.ForeignKey(
                    on_delete=django.db.models.deletion.CASCADE, related_name="referrals", to="profiles.profile"
                ),
            ),
        ],
        options={"ordering": ["created_at"], "db_table": "matching_referral"},
    ),
    migrations.CreateModel(
        name="MatchProposal",
        fields=[
            ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
            ("reasons", models.JSONField(blank=True, default=list)),
            ("seeker_answer", models.CharField(choices=ANSWERS, default="pending", max_length=8)),
            ("supporter_answer", models.CharField(choices=ANSWERS, default="pending", max_length=8)),
            (
                "status",
                models.CharField(
                    choices=[
                        ("proposed", "Proposed"),
                        ("agreed", "Both agreed"),
                        ("declined", "Declined"),
                        ("introduced", "Introduced"),
                        ("ended", "Ended"),
                    ],
                    default="proposed",
                    max_length=10,
                ),
            ),
            ("proposed_at", models.DateTimeField(auto_now_add=True)),
            ("introduced_at", models.DateTimeField(blank=True, null=True)),
            ("ended_at", models.DateTimeField(blank=True, null=True)),
            (
                "proposed_by",
                models.ForeignKey(
                    null=True,
                    on_delete=django.db.models.deletion.SET_NULL,
                    related_name="+",
                    to=settings.AUTH_USER_MODEL,
                ),
            ),
            (
                "referral",
                models.ForeignKey(
                    on_delete=django.db.models.deletion.CASCADE, related_name="proposals", to="peer_support.referral"
                ),
            ),
            (
                "supporter_profile",
                models.ForeignKey(
                    on_delete=django.db.models.deletion.CASCADE, related_name="match_proposals", to="profiles.profile"
                ),
            ),
        ],
        options={
            "ordering": ["-proposed_at"],
            "db_table": "matching_matchproposal",
            "constraints": [
                models.UniqueConstraint(
                    condition=models.Q(("status__in", ["proposed", "agreed", "introduced"])),
                    fields=("referral",),
                    name="one_live_proposal_per_referral",
                )
            ],
        },
    ),
    migrations.CreateModel(
        name="CheckIn",
        fields=[
            ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
            ("week", models.PositiveSmallIntegerField()),
            ("due_on", models.DateField()),
            ("done_at", models.DateTimeField(blank=True, null=True)),
            (
                "how_it_is_going",
                models.CharField(
                    blank=True,
                    choices=[("well", "Going well"), ("mixed", "Some problems"), ("badly", "Not working")],
                    max_length=8,
                ),
            ),
            ("note", models.CharField(blank=True, max_length=500)),
            (
                "done_by",
                models.ForeignKey(
                    null=True,
                    on_delete=django.db.models.deletion.SET_NULL,
                    related_name="+",
                    to=settings.AUTH_USER_MODEL,
                ),
            ),
            (
                "proposal",
                models.ForeignKey(
                    on_delete=django.db.models.deletion.CASCADE,
                    related_name="check_ins",
                    to="peer_support.matchproposal",
                ),
            ),
        ],
        options={
            "ordering": ["due_on"],
            "db_table": "matching_checkin",
            "constraints": [models.UniqueConstraint(fields=("proposal", "week"), name="one_check_in_per_week")],
        },
    ),
    migrations.CreateModel(
        name="ReferralEvent",
        fields=[
            ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
            ("action", models.CharField(max_length=40)),
            ("detail", models.CharField(blank=True, max_length=300)),
            ("at", models.DateTimeField(auto_now_add=True)),
            (
                "actor",
                models.ForeignKey(
                    null=True,
                    on_delete=django.db.models.deletion.SET_NULL,
                    related_name="+",
                    to=settings.AUTH_USER_MODEL,
                ),
            ),
            (
                "referral",
                models.ForeignKey(
                    on_delete=django.db.models.deletion.CASCADE, related_name="events", to="peer_support.referral"
                ),
            ),
        ],
        options={"ordering": ["at"], "db_table": "matching_referralevent"},
    ),
]


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("matching", "0003_adverts_shortlists_referrals"),
        ("profiles", "0003_capacity"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=STATE, database_operations=[]),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
