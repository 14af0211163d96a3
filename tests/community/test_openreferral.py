"""Open Referral UK both ways: exports match the bundled schema; imports are idempotent and name bad lines."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from community import openreferral, services
from community.models import Service
from community.services import ResourceInput, ScheduleInput
from tests.community.factories import make_coordinator, make_resource

pytestmark = pytest.mark.django_db
SAMPLE = Path(__file__).with_name("openreferral_sample.jsonl")


def run_import(path, *args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_openreferral", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def run_export(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("export_openreferral", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_export_matches_the_bundled_schema():
    make_resource(
        name="Walk",
        accessibility=["step_free"],
        accessibility_notes="Flat paths",
        languages=["pl", "en"],
        schedules=[ScheduleInput("sun"), ScheduleInput("wed", "MONTHLY")],
        url="https://walks.example.org/",
        email="walks@example.org",
        phone="01422 000000",
        online=True,
    )
    make_resource(name="Chat", postcode="", online=True, cost="price", price_pence=250)
    make_resource(name="Not yet", publish=False)
    out, err = run_export()
    document = json.loads(out)
    assert set(document) == {"organizations", "services", "locations", "schedules", "taxonomy"}
    assert sorted(s["name"] for s in document["services"]) == ["Chat", "Walk"]
    assert "every record matches the bundled schema" in err
    for record in document["services"]:
        assert openreferral.schema_errors("service", record) == []
        assert openreferral.schema_errors("service_list", record) == []
    for record in document["organizations"]:
        assert openreferral.schema_errors("organization", record) == []
    for record in document["taxonomy"]:
        assert openreferral.schema_errors("taxonomy_term", record) == []
    walk = next(s for s in document["services"] if s["name"] == "Walk")
    assert [s["byday"] for s in walk["schedules"]] == ["SU", "WE"]
    assert walk["service_at_locations"][0]["location"]["external_identifier"] == "HX1"
    assert {t["taxonomy_term"]["term"] for t in walk["attributes"]} == {"walking", "step_free"}


def test_the_schema_check_catches_a_broken_record():
    assert openreferral.schema_errors("service", {"id": "not-a-uuid", "name": "x"})  # no status, bad id


def test_export_then_import_round_trip_keeps_what_matters(tmp_path):
    make_resource(
        name="Walk",
        accessibility=["hearing_loop"],
        languages=["pl"],
        cost="price",
        price_pence=300,
        schedules=[ScheduleInput("sat")],
    )
    path = tmp_path / "export.jsonl"
    run_export("--output", str(path), "--jsonl")
    Service.objects.all().delete()
    out, _err = run_import(path)
    assert "1 created" in out
    service = Service.objects.get()
    assert (service.name, service.outcode, service.cost, service.price_pence) == ("Walk", "HX1", "price", 300)
    assert service.accessibility == ["hearing_loop"] and service.languages == ["pl"]
    assert [s.day for s in service.schedules.all()] == ["sat"]
    assert set(service.topics.values_list("code", flat=True)) == {"walking"}


def test_import_sample_then_edited_sample_counts_created_updated_unchanged(tmp_path):
    out, err = run_import(SAMPLE)
    assert "4 created, 0 updated, 0 unchanged" in out, out + err
    walks = Service.objects.get(external_id="a3c1e4f0-5b6d-4e7f-8a9b-0c1d2e3f0001")
    assert walks.is_published and walks.outcode == "HX7" and walks.cost == "free"
    assert walks.last_checked_at.date().isoformat() == "2026-10-01"
    lunch = Service.objects.get(name="Lunch club")
    assert lunch.cost == "price" and lunch.price_pence == 450
    timebank = Service.objects.get(name="Halifax Time Bank")
    assert timebank.cost == "pwyc" and sorted(timebank.languages) == ["en", "pl"]
    assert {s.day for s in timebank.schedules.all()} == {"tue", "thu"}
    assert Service.objects.get(name="Sing for your lungs").cost == "ask"

    out, _ = run_import(SAMPLE)
    assert "0 created, 0 updated, 4 unchanged" in out

    records = [json.loads(line) for line in SAMPLE.read_text().splitlines()]
    records[1]["description"] = "Swap an hour of help for an hour of help. New: Saturday sessions."
    records.append(
        {**records[0], "id": "a3c1e4f0-5b6d-4e7f-8a9b-0c1d2e3f0099", "name": "Calder Valley Ramblers: midweek"}
    )
    edited = tmp_path / "edited.jsonl"
    edited.write_text("".join(json.dumps(r) + "\n" for r in records))
    out, _ = run_import(edited)
    assert "1 created, 1 updated, 3 unchanged" in out
    assert "New: Saturday sessions" in Service.objects.get(name="Halifax Time Bank").description


def test_a_local_edit_is_kept_and_named_unless_overwrite_is_asked_for(tmp_path):
    run_import(SAMPLE)
    service = Service.objects.get(name="Lunch club")
    data = ResourceInput.from_service(service)
    data.how_to_join = "Ring Jean the day before."
    services.resource_edit(actor=make_coordinator(), service=service, data=data)
    records = [json.loads(line) for line in SAMPLE.read_text().splitlines()]
    records[2]["description"] = "A hot lunch."
    edited = tmp_path / "edited.jsonl"
    edited.write_text("".join(json.dumps(r) + "\n" for r in records))
    out, err = run_import(edited)
    assert "0 created, 0 updated, 3 unchanged, 1 kept as edited here" in out
    assert "line 3: service a3c1e4f0-5b6d-4e7f-8a9b-0c1d2e3f0003 (Lunch club) was changed here" in err
    assert Service.objects.get(name="Lunch club").how_to_join == "Ring Jean the day before."
    out, err = run_import(edited, "--overwrite-local")
    assert "1 updated" in out
    assert Service.objects.get(name="Lunch club").description == "A hot lunch."


def test_bad_lines_are_reported_by_number_and_the_rest_imported(tmp_path):
    good = SAMPLE.read_text().splitlines()
    bad = tmp_path / "bad.jsonl"
    bad.write_text(
        "\n".join(
            [
                good[0],
                "{not json",
                json.dumps({"id": "a3c1e4f0-5b6d-4e7f-8a9b-0c1d2e3f0010", "status": "active"}),  # no name
                "",
                json.dumps({**json.loads(good[1]), "status": "defunct"}),
                json.dumps({**json.loads(good[2]), "email": "not an email"}),
                good[3],
            ]
        )
        + "\n"
    )
    out, err = run_import(bad)
    assert "2 created" in out and "1 skipped" in out and "3 with problems" in out
    assert "line 2: is not valid JSON" in err
    assert "line 3: does not match the Open Referral UK service schema" in err and "'name' is a required" in err
    assert "line 5: service a3c1e4f0-5b6d-4e7f-8a9b-0c1d2e3f0002 is 'defunct'" in err
    assert "line 6: does not match" in err and "email" in err


def test_a_json_list_reports_the_line_each_record_starts_on(tmp_path):
    records = [json.loads(line) for line in SAMPLE.read_text().splitlines()]
    records[1]["name"] = 42
    path = tmp_path / "list.json"
    path.write_text(json.dumps({"contents": records}, indent=2))
    openings = [n for n, line in enumerate(path.read_text().splitlines(), start=1) if line == "    {"]
    expected_line = openings[1]  # where the second record's opening brace is
    out, err = run_import(path)
    assert "3 created" in out
    assert f"line {expected_line}: does not match" in err


def test_missing_file_is_a_plain_error():
    with pytest.raises(CommandError, match="There is no file"):
        run_import("/nonexistent/file.jsonl")


def test_api_pages_match_the_list_schema(client):
    for n in range(3):
        make_resource(name=f"Group {n}")
    response = client.get(reverse("api-openreferral-services"), {"per_page": 2})
    assert response.status_code == 200
    body = response.json()
    assert (body["total_items"], body["total_pages"], body["size"], body["last_page"]) == (3, 2, 2, False)
    for record in body["contents"]:
        assert openreferral.schema_errors("service_list", record) == []
    second = client.get(reverse("api-openreferral-services"), {"per_page": 2, "page": 2}).json()
    assert second["last_page"] and [s["name"] for s in second["contents"]] == ["Group 2"]
    one = body["contents"][0]
    assert client.get(reverse("api-openreferral-service", args=[one["id"]])).json()["name"] == one["name"]
    assert client.get(reverse("api-openreferral-services"), {"per_page": 1000}).status_code == 400


def test_search_api_uses_the_same_search_and_rejects_bad_input(client):
    make_resource(name="Walk", postcode="HX1")
    response = client.get(reverse("api-community-resources"), {"postcode": "HX1", "day": "sun"})
    assert response.status_code == 200
    assert [r["name"] for r in response.json()["results"]] == ["Walk"]
    bad = client.get(reverse("api-community-resources"), {"postcode": "nowhere", "day": "someday"})
    assert bad.status_code == 400 and {"postcode", "day"} <= set(bad.json())
