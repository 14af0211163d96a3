"""The plan as a Word document: it opens with python-docx and holds the person's words, the costing line by line,
the totals against the budget, the version and a sign-off block; it is the owner's (and shared people's) only."""

from __future__ import annotations

import logging
from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.core import mail
from django.urls import reverse
from docx import Document

from payments import services as payments_services
from planning import services
from planning.documents import CONTENT_TYPE
from planning.models import Plan
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
CANARY = "CANARY-docx-4418"


def _plan(client, user) -> Plan:
    client.force_login(user)
    client.post(reverse("planning:home"), {"starts_on": "2026-06-01", "consent": "on"})
    return Plan.objects.get(owner=user)


def _text(response) -> tuple[str, list[list[str]]]:
    document = Document(BytesIO(response.content))
    paragraphs = "\n".join(p.text for p in document.paragraphs)
    rows = [[cell.text for cell in row.cells] for table in document.tables for row in table.rows]
    return paragraphs, rows


def test_the_word_document_holds_the_words_each_line_and_the_totals_against_the_budget(client, user):
    plan = _plan(client, user)
    payments_services.budget_set(
        seeker=user, actor=user, amount=Decimal("100"), period="weekly", starts_on=date(2026, 6, 1)
    )
    services.section_save(plan=plan, actor=user, key="outcomes", text="Back to choir.\nA job by spring.")
    services.section_save(plan=plan, actor=user, key="keeping_safe", text="Ring Jo if I fall.")
    # £20 a week x 52 = £1,040.00; a £150 chair once; total £1,190.00, £22.88 a week (1190/52 = 22.884...).
    services.line_add(plan=plan, actor=user, kind="community", title="Choir subs", weekly_pence=2000)
    services.line_add(plan=plan, actor=user, kind="one_off", title="Shower chair", amount_pence=15000)

    overview = client.get(reverse("planning:overview", args=[plan.pk])).content.decode()
    url = reverse("planning:download-docx", args=[plan.pk])
    assert url in overview and reverse("planning:download", args=[plan.pk]) in overview
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == CONTENT_TYPE
    assert response["Content-Disposition"] == 'attachment; filename="support-plan.docx"'
    assert response["Cache-Control"] == "no-store"

    paragraphs, rows = _text(response)
    assert "Back to choir." in paragraphs and "A job by spring." in paragraphs and "Ring Jo if I fall." in paragraphs
    assert "Version 5, saved" in paragraphs  # started (1), two parts (2, 3), two lines (4, 5)
    assert "Not written." in paragraphs
    flat = [" | ".join(row) for row in rows]
    assert any(r.startswith("Choir subs |") and r.endswith("£1,040.00") for r in flat), flat
    assert any(r.startswith("Shower chair |") and r.endswith("£150.00") for r in flat), flat
    assert any(r.startswith("Total a year") and r.endswith("£1,190.00") for r in flat), flat
    assert any(r.startswith("Total a week") and r.endswith("£22.88") for r in flat), flat
    # Budget £100 a week = £5,200 a year; under by £77.12 a week (£4,010.00 a year).
    assert any(r.startswith("Budget a week") and r.endswith("£100.00 (£5,200.00 a year)") for r in flat), flat
    assert "Under budget by £77.12 a week (£4,010.00 a year)." in paragraphs
    assert "For the council" in paragraphs and "Signature:" in paragraphs


def test_the_word_document_is_404_for_anyone_else_and_readable_by_people_it_is_shared_with(client, user, other_user):
    plan = _plan(client, user)
    services.section_save(plan=plan, actor=user, key="outcomes", text="Back to choir.")
    family = UserFactory()
    services.plan_share(plan=plan, actor=user, user=family, role="family")
    url = reverse("planning:download-docx", args=[plan.pk])
    client.force_login(other_user)
    assert client.get(url).status_code == 404
    client.force_login(family)
    assert "Back to choir." in _text(client.get(url))[0]


def test_the_word_document_keeps_the_plan_out_of_logs_and_emails(client, user, caplog):
    caplog.set_level(logging.DEBUG)
    plan = _plan(client, user)
    services.section_save(plan=plan, actor=user, key="important_for", text=CANARY)
    response = client.get(reverse("planning:download-docx", args=[plan.pk]))
    assert CANARY in _text(response)[0]
    assert CANARY not in Document(BytesIO(response.content)).core_properties.title
    assert CANARY not in response["Content-Disposition"] and CANARY not in response.request["PATH_INFO"]
    assert CANARY not in "\n".join(record.getMessage() + str(record.args) for record in caplog.records)
    assert not any(CANARY in m.subject + m.body for m in mail.outbox)
