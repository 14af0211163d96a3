"""Support plans through their pages and services: writing, skipping, costing against the budget, what-if copies,
suggestions through the matching engine, sharing (comment, not change), consent, export, deletion, canaries and
object checks (another person's plan is a 404)."""

from __future__ import annotations

import json
import logging
from datetime import date
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from payments import services as payments_services
from payments.models import Package
from planning import services
from planning.models import Plan, PlanComment, PlanVersion, SupportLine
from profiles.models import ProxyLink, User
from tests.factories import UserFactory, make_profile

pytestmark = pytest.mark.django_db
CANARY = "CANARY-seizures-7731"


def start_plan(client, user, starts_on="2026-06-01") -> Plan:
    client.force_login(user)
    response = client.post(reverse("planning:home"), {"starts_on": starts_on, "consent": "on"})
    assert response.status_code == 302
    return Plan.objects.get(owner=user)


def test_nothing_is_saved_without_consent(client, user):
    client.force_login(user)
    response = client.post(reverse("planning:home"), {"starts_on": "2026-06-01"})
    assert response.status_code == 200
    assert "Tick the box to agree" in response.content.decode()
    assert not Plan.objects.exists()


def test_a_person_writes_skips_and_returns_to_parts(client, user):
    plan = start_plan(client, user)
    url = reverse("planning:section", args=[plan.pk, "important_to"])
    page = client.get(url).content.decode()
    assert "What makes a good day for you?" in page and "Easy read" in page
    response = client.post(url, {"text": "Seeing my sister on Sundays.", "help_level": "1", "save": ""})
    assert response["Location"] == reverse("planning:section", args=[plan.pk, "important_for"])
    response = client.post(reverse("planning:section", args=[plan.pk, "important_for"]), {"skip": ""})
    assert response["Location"] == reverse("planning:section", args=[plan.pk, "outcomes"])
    client.post(reverse("planning:section", args=[plan.pk, "keeping_safe"]), {"text": "Ring Jo.", "help_level": "2"})
    plan.refresh_from_db()
    assert plan.important_to == "Seeing my sister on Sundays."
    assert plan.important_for == ""
    assert plan.help_level("keeping_safe") == 2
    overview = client.get(reverse("planning:overview", args=[plan.pk])).content.decode()
    assert "Seeing my sister on Sundays." in overview and "Not written yet" in overview
    # Each save is a dated version, the first written when the plan started.
    assert list(plan.versions.order_by("number").values_list("number", flat=True)) == [1, 2, 3]
    assert plan.versions.get(number=2).snapshot["sections"]["important_to"] == "Seeing my sister on Sundays."


def test_a_part_too_long_says_what_to_do(client, user):
    plan = start_plan(client, user)
    response = client.post(
        reverse("planning:section", args=[plan.pk, "outcomes"]), {"text": "x" * 5001, "help_level": "1"}
    )
    assert response.status_code == 200
    assert "Keep this part under 5,000 characters" in response.content.decode()


def test_costing_page_shows_each_line_and_the_budget_going_from_over_to_under(client, user):
    plan = start_plan(client, user)
    payments_services.budget_set(
        seeker=user, actor=user, amount=Decimal("1800"), period="four_weekly", starts_on=date(2026, 6, 1)
    )
    url = reverse("planning:costing", args=[plan.pk])
    client.post(
        url,
        {"form": "employer", "title": "My plan", "starts_on": "2026-06-01", "employment_allowance": "on",
         "insurance": "0", "payroll": "0", "contingency_percent": "0"},
    )  # fmt: skip
    base = {"form": "line", "times_per_year": "1", "age_band": "21_plus", "pension": "rules"}
    client.post(url, {**base, "kind": "employed_pa", "title": "Morning PA", "hours_per_week": "20", "hourly": "13.00"})
    client.post(url, {**base, "kind": "self_employed", "title": "Sam", "hours_per_week": "10", "hourly": "16"})
    client.post(url, {**base, "kind": "one_off", "title": "Support plan", "amount": "350"})
    page = client.get(url).content.decode()
    for words in ("Holiday pay", "Employer National Insurance", "Workplace pension", "Employment Allowance"):
        assert words in page
    assert "Over budget by £39.08 every four weeks (£508.08 a year)." in page
    line = SupportLine.objects.get(title="Sam")
    response = client.post(
        reverse("planning:line-edit", args=[line.pk]),
        {"title": "Sam", "hours_per_week": "9", "hourly": "16", "times_per_year": "1", "age_band": "21_plus",
         "pension": "rules"},
    )  # fmt: skip
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "Under budget by £24.92 every four weeks (£323.92 a year)." in page


def test_pay_below_the_legal_minimum_is_warned_on_the_page(client, user):
    plan = start_plan(client, user)
    url = reverse("planning:costing", args=[plan.pk])
    client.post(url, {"form": "line", "kind": "employed_pa", "title": "PA", "hours_per_week": "5", "hourly": "11",
                      "age_band": "21_plus", "pension": "rules"})  # fmt: skip
    page = client.get(url).content.decode()
    assert "below the legal minimum of £12.71" in page
    assert "https://www.gov.uk/guidance/check-employment-status-for-tax" in page


def test_bad_line_input_gets_a_message_not_a_500(client, user):
    plan = start_plan(client, user)
    url = reverse("planning:costing", args=[plan.pk])
    response = client.post(url, {"form": "line", "kind": "employed_pa", "title": "PA", "hours_per_week": "3.3"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "quarter hours" in page and "Enter the hourly rate" in page
    response = client.post(url, {"form": "line", "kind": "nonsense", "title": ""})
    assert response.status_code == 200 and "There is a problem" in response.content.decode()
    assert not plan.lines.exists()


def test_what_if_copy_is_compared_with_the_plan(client, user):
    plan = start_plan(client, user)
    services.line_add(
        plan=plan, actor=user, kind="agency", title="Agency", hours_per_week=Decimal("4"), hourly_pence=2400
    )
    response = client.post(reverse("planning:what-if", args=[plan.pk]))
    copy = Plan.objects.get(what_if_of=plan)
    assert response["Location"] == reverse("planning:costing", args=[copy.pk])
    line = copy.lines.get()
    services.line_update(line=line, actor=user, hours_per_week=Decimal("2"))
    assert plan.lines.get().hours_per_week == 4  # the original is untouched
    page = client.get(reverse("planning:compare", args=[plan.pk])).content.decode()
    assert "£4,992.00" in page and "£2,496.00" in page  # 4 h x £24 x 52; 2 h x £24 x 52


def test_suggestions_come_from_the_matching_engine_and_a_package_goes_into_the_costing(client, user, monkeypatch):
    from matching import selectors as matching_selectors

    make_profile(user, role="seeker", postcode="BB1", seeking={"max_km": 30})
    broker = make_profile(
        role="broker", postcode="BB1", travel_km=30, display_name="Bea Broker", hourly_rate=Decimal("30")
    )
    package = Package.objects.create(
        profile=broker, name="Support plan with you", price_pence=350_00, hours=Decimal("10")
    )
    peer = make_profile(role="peer_advisor", postcode="BB1", travel_km=30, display_name="Asha Peer")
    plan = start_plan(client, user)
    page = client.get(reverse("planning:suggestions", args=[plan.pk])).content.decode()
    assert "You have not asked for help" in page and "Bea Broker" not in page

    calls = []
    real = matching_selectors.match_cards
    monkeypatch.setattr(
        matching_selectors, "match_cards", lambda **kw: (calls.append(kw["filters"].role), real(**kw))[1]
    )
    services.section_save(plan=plan, actor=user, key="budget_use", text="", help_level=3)
    page = client.get(reverse("planning:suggestions", args=[plan.pk])).content.decode()
    assert calls == ["broker", "peer_advisor"]  # the one engine, asked for each role
    assert "Bea Broker" in page and "Asha Peer" in page and "Support plan with you" in page

    response = client.post(
        reverse("planning:add-from-register", args=[plan.pk]), {"ref": broker.ref, "package": package.pk}
    )
    assert response.status_code == 302
    client.post(reverse("planning:add-from-register", args=[plan.pk]), {"ref": peer.ref})
    lines = {line.kind: line for line in plan.lines.all()}
    assert lines["package"].amount_pence == 350_00 and lines["package"].package == package
    assert lines["peer"].weekly_pence == 0
    page = client.get(reverse("planning:costing", args=[plan.pk])).content.decode()
    assert "£350.00" in page

    # A package that is not on that person's offer is a 404, not a line.
    other = make_profile(role="broker", postcode="BB1", travel_km=30)
    other_package = Package.objects.create(profile=other, name="Other", price_pence=100, hours=Decimal("1"))
    response = client.post(
        reverse("planning:add-from-register", args=[plan.pk]), {"ref": broker.ref, "package": other_package.pk}
    )
    assert response.status_code == 404


def test_shared_people_comment_but_cannot_change(client, user):
    plan = start_plan(client, user)
    services.section_save(plan=plan, actor=user, key="outcomes", text="Back to choir.")
    family = UserFactory(email="jo@example.org")
    response = client.post(reverse("planning:share", args=[plan.pk]), {"email": "JO@example.org", "role": "family"})
    assert response.status_code == 302
    client.force_login(family)
    assert "Back to choir." in client.get(reverse("planning:overview", args=[plan.pk])).content.decode()
    assert reverse("planning:overview", args=[plan.pk]) in client.get(reverse("planning:home")).content.decode()
    client.post(reverse("planning:comment", args=[plan.pk]), {"text": "Lovely. Add the bus fare?"})
    assert PlanComment.objects.get(plan=plan).author == family
    for name in ("costing", "share", "suggestions", "compare", "consent"):
        assert client.get(reverse(f"planning:{name}", args=[plan.pk])).status_code == 404, name
    assert (
        client.post(reverse("planning:section", args=[plan.pk, "outcomes"]), {"text": "x", "help_level": 1}).status_code
        == 404
    )
    assert client.post(reverse("planning:what-if", args=[plan.pk])).status_code == 404
    assert client.get(reverse("planning:print", args=[plan.pk])).status_code == 200
    with pytest.raises(PermissionDenied):
        services.section_save(plan=plan, actor=family, key="outcomes", text="changed")
    # Stopping sharing hides it again.
    share = plan.shares.get()
    client.force_login(user)
    client.post(reverse("planning:share-revoke", args=[share.pk]))
    client.force_login(family)
    assert client.get(reverse("planning:overview", args=[plan.pk])).status_code == 404


def test_another_persons_plan_lines_and_shares_are_404(client, user, other_user):
    plan = start_plan(client, user)
    line = services.line_add(plan=plan, actor=user, kind="one_off", title="Chair", amount_pence=5000)
    share = services.plan_share(plan=plan, actor=user, user=UserFactory(), role="family")
    client.force_login(other_user)
    gets = [reverse(f"planning:{n}", args=[plan.pk]) for n in
            ("overview", "costing", "suggestions", "compare", "share", "print", "download", "consent")]  # fmt: skip
    gets += [reverse("planning:section", args=[plan.pk, "outcomes"]), reverse("planning:line-edit", args=[line.pk])]
    for url in gets:
        assert client.get(url).status_code == 404, url
    posts = [
        reverse("planning:line-remove", args=[line.pk]),
        reverse("planning:share-revoke", args=[share.pk]),
        reverse("planning:comment", args=[plan.pk]),
        reverse("planning:what-if", args=[plan.pk]),
        reverse("planning:add-from-register", args=[plan.pk]),
    ]
    for url in posts:
        assert client.post(url, {"text": "hi", "ref": "x"}).status_code == 404, url
    assert SupportLine.objects.filter(pk=line.pk).exists() and not PlanComment.objects.exists()
    assert client.get(reverse("planning:overview", args=[2**62])).status_code == 404
    assert reverse("planning:overview", args=[plan.pk]) not in client.get(reverse("planning:home")).content.decode()


def test_a_proxy_may_write_the_plan_they_act_for(client, user):
    proxy = UserFactory()
    ProxyLink.objects.create(seeker=user, proxy=proxy, relationship="daughter")
    plan = start_plan(client, user)
    client.force_login(proxy)
    response = client.post(
        reverse("planning:section", args=[plan.pk, "circle"]), {"text": "Me and Pat.", "help_level": 1}
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.circle == "Me and Pat."


def test_community_can_add_a_resource_line_which_starts_a_plan_awaiting_consent(client, user):
    line = services.add_resource_line(user=user, resource_id=42, title="Tuesday walking group")
    plan = line.plan
    assert (line.kind, line.community_resource_id, line.weekly_pence) == ("community", 42, 0)
    assert plan.consent_given_at is None
    with pytest.raises(ValidationError):
        services.section_save(plan=plan, actor=user, key="outcomes", text="x")
    again = services.add_resource_line(user=user, resource_id=43, title="Choir", weekly_cost_pence=300)
    assert again.plan == plan and plan.lines.count() == 2
    client.force_login(user)
    assert client.get(reverse("planning:overview", args=[plan.pk]))["Location"] == reverse(
        "planning:consent", args=[plan.pk]
    )
    client.post(reverse("planning:consent", args=[plan.pk]), {"consent": "on"})
    assert client.get(reverse("planning:costing", args=[plan.pk])).status_code == 200
    with pytest.raises(ValidationError):
        services.add_resource_line(user=user, resource_id=0, title="x")


def test_download_my_data_has_the_plan_and_deleting_the_account_removes_it(client, user):
    plan = start_plan(client, user)
    services.section_save(plan=plan, actor=user, key="important_for", text=CANARY)
    broker = UserFactory()
    services.plan_share(plan=plan, actor=user, user=broker, role="broker")
    services.comment_add(plan=plan, actor=broker, text="Looks good")
    export = json.loads(client.get(reverse("profiles:data-download")).content)
    mine = export["planning"]["plans"][0]
    assert mine["sections"]["important_for"] == CANARY
    assert mine["versions"][-1]["snapshot"]["sections"]["important_for"] == CANARY
    assert mine["comments"][0]["text"] == "Looks good"
    assert client.post(reverse("profiles:account-delete"), {"confirm": "yes"}).status_code == 302
    assert not User.objects.filter(pk=user.pk).exists()
    assert not Plan.objects.exists() and not PlanVersion.objects.exists() and not PlanComment.objects.exists()
    from tests.profiles.test_privacy import _rows_mentioning

    assert _rows_mentioning(CANARY) == []


def test_a_canary_in_a_plan_never_reaches_logs_urls_or_emails(client, user, caplog):
    caplog.set_level(logging.DEBUG)
    plan = start_plan(client, user)
    family = UserFactory()
    responses = [
        client.post(reverse("planning:section", args=[plan.pk, key]), {"text": CANARY, "help_level": "2"})
        for key in ("important_for", "keeping_safe")
    ]
    responses.append(client.post(reverse("planning:section", args=[plan.pk, "outcomes"]), {"text": CANARY * 400}))
    responses.append(
        client.post(
            reverse("planning:costing", args=[plan.pk]),
            {"form": "line", "kind": "one_off", "title": CANARY, "amount": "5"},
        )
    )
    responses.append(client.post(reverse("planning:share", args=[plan.pk]), {"email": family.email, "role": "family"}))
    client.force_login(family)
    responses.append(client.post(reverse("planning:comment", args=[plan.pk]), {"text": CANARY}))
    responses.append(client.get(reverse("planning:overview", args=[plan.pk])))
    client.force_login(user)
    responses.append(client.get(reverse("planning:download", args=[plan.pk])))
    responses.append(client.post(reverse("planning:what-if", args=[plan.pk])))
    assert CANARY in responses[-2].content.decode()  # the person's own download does hold it
    for response in responses:
        for place in (
            response.get("Location") or "",
            response.request["PATH_INFO"],
            response.request.get("QUERY_STRING", ""),
        ):
            assert CANARY not in place
    logged = "\n".join(record.getMessage() + str(record.args) for record in caplog.records)
    assert CANARY not in logged
    for message in mail.outbox:
        assert CANARY not in message.subject + message.body + "".join(str(a) for a in message.alternatives)
    assert CANARY not in str(plan) and CANARY not in str(plan.lines.first())


def test_download_is_a_file_and_printing_is_a_page(client, user):
    plan = start_plan(client, user)
    services.section_save(plan=plan, actor=user, key="outcomes", text="Back to choir.")
    response = client.get(reverse("planning:download", args=[plan.pk]))
    assert response["Content-Disposition"] == 'attachment; filename="support-plan.html"'
    assert "Back to choir." in response.content.decode() and response["Cache-Control"] == "no-store"
    page = client.get(reverse("planning:print", args=[plan.pk])).content.decode()
    assert "Back to choir." in page and "For the council" in page


def test_an_unknown_part_is_404(client, user):
    plan = start_plan(client, user)
    assert client.get(reverse("planning:section", args=[plan.pk, "nonsense"])).status_code == 404


def test_only_staff_change_rates(user):
    from planning.models import RatesTable

    table = RatesTable.objects.get(label="2026/27")
    with pytest.raises(PermissionDenied):
        services.rates_table_save(table=table, actor=user)


def test_a_person_deletes_their_plan_and_nobody_else_can(client, user, other_user):
    plan = start_plan(client, user)
    client.force_login(other_user)
    assert client.post(reverse("planning:delete", args=[plan.pk])).status_code == 404
    client.force_login(user)
    assert "You cannot undo this." in client.get(reverse("planning:delete", args=[plan.pk])).content.decode()
    assert client.post(reverse("planning:delete", args=[plan.pk]))["Location"] == reverse("planning:home")
    assert not Plan.objects.exists() and not PlanVersion.objects.exists()


def test_easy_read_shows_the_easy_prompts_first(client, user):
    plan = start_plan(client, user)
    Plan.objects.filter(pk=plan.pk).update(easy_read=True)
    page = client.get(reverse("planning:section", args=[plan.pk, "keeping_safe"])).content.decode()
    assert page.index("What could go wrong? What will you do? Who will help?") < page.index("More about this part")
    assert "Help me do it." in page


def test_suggestions_without_a_seeker_profile_say_what_to_do(client, user):
    plan = start_plan(client, user)
    services.section_save(plan=plan, actor=user, key="outcomes", text="", help_level=2)
    page = client.get(reverse("planning:suggestions", args=[plan.pk])).content.decode()
    assert "Set up your profile" in page


def test_a_long_resource_name_is_shortened_not_refused(user):
    line = services.add_resource_line(user=user, resource_id=7, title="A" * 200, weekly_cost_pence=450)
    assert len(line.title) == 120 and line.weekly_pence == 450
