"""Support plans in the notification centre: sharing a plan tells the person it was shared with; a comment tells
the other side (the owner, or the people it is shared with). Titles, links and emails carry no plan content."""

from __future__ import annotations

from datetime import date

import pytest
from django.core import mail
from django.urls import reverse

from notifications.models import Kind, Notification
from planning import services as planning
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
CANARY = "CANARY-depression-6604"


@pytest.fixture
def plan(seeker):
    plan = planning.plan_create(owner=seeker, actor=seeker, consent=True, starts_on=date(2026, 6, 1))
    planning.section_save(plan=plan, actor=seeker, key="important_for", text=CANARY)
    return planning.plan_settings_save(
        plan=plan, actor=seeker, title=f"Plan {CANARY}", starts_on=date(2026, 6, 1), employment_allowance=False,
        insurance_pence=0, payroll_pence_month=0, contingency_percent=0,
    )  # fmt: skip


def test_sharing_and_commenting_reach_the_other_side_without_plan_content(run_on_commit, seeker, supporter, plan):
    broker = UserFactory(preferred_name="Bob Broker")
    with run_on_commit():
        planning.plan_share(plan=plan, actor=seeker, user=supporter, role="peer_advisor")
        planning.plan_share(plan=plan, actor=seeker, user=broker, role="broker")
        planning.plan_share(plan=plan, actor=seeker, user=broker, role="broker")  # already shared: nothing new
    shared = Notification.objects.filter(kind=Kind.PLAN_SHARED)
    assert sorted(shared.values_list("recipient_id", flat=True)) == sorted([supporter.pk, broker.pk])
    assert shared.first().link == reverse("planning:overview", args=[plan.pk])

    with run_on_commit():
        planning.comment_add(plan=plan, actor=supporter, text=f"About {CANARY}: ask Sara's GP")
    comments = Notification.objects.filter(kind=Kind.PLAN_COMMENT)
    # The owner and the other person it is shared with hear of it; the author does not.
    assert sorted(comments.values_list("recipient_id", flat=True)) == sorted([seeker.pk, broker.pk])
    assert comments.first().link == reverse("planning:overview", args=[plan.pk]) + "#comments"

    with run_on_commit():
        planning.comment_add(plan=plan, actor=seeker, text="Thanks")
    assert sorted(
        Notification.objects.filter(kind=Kind.PLAN_COMMENT, recipient__in=[supporter, broker]).values_list(
            "recipient_id", flat=True
        )
    ) == sorted([supporter.pk, broker.pk, broker.pk])

    assert len(mail.outbox) == Notification.objects.count() == 6  # two shares, two comments to two people each
    everything = "".join(n.title + n.link for n in Notification.objects.all()) + "".join(
        m.subject + m.body + "".join(str(a) for a in m.alternatives) for m in mail.outbox
    )
    for private in (CANARY, "depression", "Sara", "Seeker", seeker.email, "GP"):
        assert private not in everything


def test_a_stopped_share_hears_no_more_comments(run_on_commit, seeker, supporter, plan):
    with run_on_commit():
        share = planning.plan_share(plan=plan, actor=seeker, user=supporter, role="family")
    planning.share_revoke(share=share, actor=seeker)
    with run_on_commit():
        planning.comment_add(plan=plan, actor=seeker, text="Note to self")
    assert not Notification.objects.filter(kind=Kind.PLAN_COMMENT).exists()


def test_the_people_told_can_switch_the_emails_off(client, run_on_commit, seeker, supporter, plan):
    client.force_login(supporter)
    kinds = [k for k in Kind.values if k != Kind.PLAN_SHARED]
    client.post(reverse("notifications:settings"), {"kinds": kinds})
    with run_on_commit():
        planning.plan_share(plan=plan, actor=seeker, user=supporter, role="family")
    assert Notification.objects.filter(recipient=supporter, kind=Kind.PLAN_SHARED).exists()
    assert mail.outbox == []
