"""manage.py import_register and export_register, as an operator runs them."""

from __future__ import annotations

import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError
from django.template.loader import render_to_string

from profiles import changelog, register_format, services
from profiles.models import ConsentRecord, Organisation, Profile, RegisterChange, TrustClaim
from tests.factories import make_profile

pytestmark = pytest.mark.django_db

PA = {
    "ref": "pa-000123",
    "role": "pa",
    "display_name": "Alex B.",
    "outcode": "BB1",
    "travel_km": 15,
    "skills": ["personal_care", "driving"],
    "interests": ["walking"],
    "languages": ["en", "pl"],
    "about": "Cheerful and patient.",
    "availability": ["mon 09:00-13:00"],
    "hourly_rate_gbp": 13.50,
    "dbs": {"level": "enhanced", "checked_on": "2026-01-10"},
}
BROKER = {
    "ref": "broker-000001",
    "role": "broker",
    "display_name": "Sam K.",
    "outcode": "PR1",
    "travel_km": 30,
    "hourly_rate_gbp": 20,
    "brokerage_functions": ["support_planning"],
    "support_levels": [1, 2],
    "packages": [{"name": "Full support plan", "price_gbp": 600, "hours": 30}],
    "independence": {"funding_decisions": False, "provides_direct_support": False, "affiliations": []},
}
PEER = {
    "ref": "peer-000002",
    "role": "peer_advisor",
    "display_name": "Jo P.",
    "outcode": "M1",
    "travel_km": 10,
    "lived_experience": ["visual_impairment", "direct_payments"],
    "organisation": "Manchester Peer Network",
    "brokerage_functions": ["information_advice"],
}
SEEKER = {
    "ref": "seeker-000003",
    "role": "seeker",
    "display_name": "Ann C.",
    "outcode": "LS1",
    "seeking": {"roles": ["pa"], "skills": ["cooking"], "max_km": 10, "max_rate_gbp": 16.50},
}


def line(record: dict, **changes) -> str:
    return json.dumps({**record, **changes})


def write(tmp_path, *lines: str, name="register.jsonl"):
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def run(command: str, *args, **options) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command(command, *args, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def mixed_file(tmp_path):
    return write(
        tmp_path,
        line(PA),  # 1 good
        '{"ref": "pa-2", "role": "pa",',  # 2 bad JSON
        line({k: v for k, v in PA.items() if k != "ref"}),  # 3 missing ref
        line(PA, ref="pa-4", role="nurse"),  # 4 bad role
        line(PA, ref="pa-5", outcode="hello"),  # 5 not a postcode
        line(PA, ref="pa-6", hourly_rate_gbp=-3),  # 6 negative rate
        line(PEER, ref="peer-7", hourly_rate_gbp=12),  # 7 peer advisor with a rate
        line(PA, ref="pa-8", availability=["monday 9 till 5"]),  # 8 malformed slot
        line(BROKER),  # 9 good
        "",  # 10 blank: skipped quietly
        line(PA),  # 11 repeat of line 1
        line(SEEKER),  # 12 good
    )


def test_a_mixed_file_loads_the_good_lines_and_names_each_bad_line_with_its_reason(mixed_file):
    out, err = run("import_register", str(mixed_file))
    assert sorted(Profile.objects.values_list("ref", flat=True)) == ["broker-000001", "pa-000123", "seeker-000003"]
    assert "line 2: this is not valid JSON" in err
    assert "line 3: ref is missing" in err
    assert "line 4: role:" in err and "nurse" in err
    assert "line 5: outcode 'hello'" in err and "does not look like a UK postcode" in err
    assert "line 6: hourly_rate_gbp: Enter an hourly rate between" in err
    assert "line 7: hourly_rate_gbp: Peer advisors are volunteers" in err
    assert "line 8: availability:" in err and "mon 09:00-13:00" in err
    assert "line 10" not in err and "line 11" not in err
    assert "3 loaded (new), 0 updated, 1 unchanged, 7 rejected." in out


def test_a_second_run_of_the_same_file_changes_nothing(mixed_file):
    run("import_register", str(mixed_file))
    before = dict(Profile.objects.values_list("ref", "updated_at"))
    consents = ConsentRecord.objects.count()
    out, _ = run("import_register", str(mixed_file))
    assert "0 loaded (new), 0 updated, 4 unchanged, 7 rejected." in out
    assert dict(Profile.objects.values_list("ref", "updated_at")) == before
    assert ConsentRecord.objects.count() == consents


def test_the_same_ref_with_new_values_updates_the_listing_instead_of_adding_one(tmp_path):
    run("import_register", str(write(tmp_path, line(PA))))
    created = Profile.objects.get(ref=PA["ref"])
    out, _ = run(
        "import_register", str(write(tmp_path, line(PA, hourly_rate_gbp=14.25, outcode="E1W"), name="b.jsonl"))
    )
    updated = Profile.objects.get(ref=PA["ref"])
    assert "0 loaded (new), 1 updated, 0 unchanged, 0 rejected." in out
    assert Profile.objects.count() == 1
    assert (updated.pk, updated.hourly_rate, updated.outcode) == (created.pk, Decimal("14.25"), "E1W")
    assert updated.updated_at > created.updated_at and updated.created_at == created.created_at


def test_unknown_keys_are_ignored_with_one_warning_per_key_naming_its_first_line(tmp_path):
    path = write(tmp_path, line(PA, colour="blue"), line(BROKER, colour="red", shoe_size=9))
    out, err = run("import_register", str(path))
    assert "2 loaded (new)" in out
    assert "line 1: unknown key 'colour' ignored" in err
    assert "line 2: unknown key 'shoe_size' ignored" in err
    assert err.count("colour") == 1


def test_a_full_postcode_is_stored_only_as_its_district(tmp_path):
    run("import_register", str(write(tmp_path, line(PA, outcode="bb1 2ab"))))
    stored = Profile.objects.filter(ref=PA["ref"]).values().get()
    assert stored["outcode"] == "BB1"
    assert not any("2AB" in str(value).upper() for value in stored.values())


def test_an_unknown_district_is_placed_in_its_postcode_area(tmp_path):
    run("import_register", str(write(tmp_path, line(PA, outcode="BB99"))))
    profile = Profile.objects.get(ref=PA["ref"])
    assert profile.outcode == "BB99" and profile.location_is_approximate


def test_imported_profiles_are_listed_without_an_owner_and_their_dbs_shows_as_self_declared(tmp_path):
    run("import_register", str(write(tmp_path, line(PA))))
    profile = Profile.objects.get(ref=PA["ref"])
    assert (profile.user, profile.source, profile.status) == (None, "import", "listed")
    assert not TrustClaim.objects.exclude(status=TrustClaim.Status.SELF_DECLARED).exists()
    html = render_to_string("profiles/includes/claims_list.html", {"profile": profile, "claims": []})
    assert "Self-declared: nobody has seen the certificate (imported from another register)" in html


def test_rates_and_prices_are_kept_exactly_as_written(tmp_path):
    run("import_register", str(write(tmp_path, line(PA).replace("13.5", "13.10"), line(BROKER), line(SEEKER))))
    assert Profile.objects.get(ref=PA["ref"]).hourly_rate == Decimal("13.10")
    assert Profile.objects.get(ref=BROKER["ref"]).packages[0]["price_gbp"] == 600
    assert str(Profile.objects.get(ref=SEEKER["ref"]).seeking["max_rate_gbp"]) == "16.5"


def test_lived_experience_on_a_line_is_stored_with_the_consent_the_exporting_register_held(tmp_path):
    run("import_register", str(write(tmp_path, line(PEER))))
    profile = Profile.objects.get(ref=PEER["ref"])
    assert profile.lived_experience == ["visual_impairment", "direct_payments"]
    assert profile.has_sensitive_consent and profile.sensitive_consent_version == "interchange-v1"
    record = ConsentRecord.objects.get(profile=profile)
    assert (record.action, record.wording_version, record.recorded_by) == ("given", "interchange-v1", None)


def test_organisations_are_matched_by_name(tmp_path):
    existing = Organisation.objects.create(name="Manchester Peer Network")
    path = write(tmp_path, line(PEER), line(PEER, ref="peer-000009", organisation="Leeds Circle"))
    run("import_register", str(path))
    assert Profile.objects.get(ref=PEER["ref"]).organisation == existing
    assert sorted(Organisation.objects.values_list("name", flat=True)) == ["Leeds Circle", "Manchester Peer Network"]


def test_an_import_cannot_change_a_listing_its_owner_wrote(tmp_path):
    own = make_profile(display_name="My own words")
    out, err = run("import_register", str(write(tmp_path, line(PA, ref=own.ref))))
    assert "line 1: this ref belongs to a listing its owner wrote here" in err
    assert "1 rejected" in out
    own.refresh_from_db()
    assert own.display_name == "My own words" and own.source == "self"


def test_an_import_logs_one_rebuild_in_the_change_log_and_nothing_when_nothing_changed(tmp_path):
    before = changelog.latest_id()
    path = write(tmp_path, line(PA), line(BROKER), line(SEEKER))
    run("import_register", str(path))
    kinds = list(RegisterChange.objects.filter(id__gt=before).values_list("kind", flat=True))
    assert kinds == [RegisterChange.Kind.REBUILD]
    again = changelog.latest_id()
    run("import_register", str(path))  # the same file again: every line unchanged
    assert changelog.latest_id() == again


def test_a_line_the_database_refuses_leaves_no_partial_profile_and_the_rest_still_loads(tmp_path, monkeypatch):
    original = register_format._consent_record

    def failing(profile, now):  # the disk fills up while this line's consent record is written
        if profile.ref == "peer-000002":
            raise DatabaseError("database or disk is full")
        return original(profile, now)

    monkeypatch.setattr(register_format, "_consent_record", failing)
    out, err = run("import_register", str(write(tmp_path, line(PA), line(PEER), line(SEEKER))))
    assert "line 2: the database refused this line" in err
    assert "2 loaded (new), 0 updated, 0 unchanged, 1 rejected." in out
    assert not Profile.objects.filter(ref="peer-000002").exists()
    assert sorted(Profile.objects.values_list("ref", flat=True)) == ["pa-000123", "seeker-000003"]


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="There is no file at"):
        run("import_register", str(tmp_path / "nowhere.jsonl"))


def test_a_line_that_is_not_utf8_is_rejected_and_the_rest_loads(tmp_path):
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(line(PA).encode() + b"\n" + b'{"ref": "caf\xe9"}\n' + line(BROKER).encode() + b"\n")
    out, err = run("import_register", str(path))
    assert "line 2: this line is not UTF-8 text" in err
    assert "2 loaded (new)" in out


# ---------------------------------------------------------------- export


def test_the_export_holds_listed_profiles_only(tmp_path):
    listed = make_profile()
    draft = make_profile(listed=False)
    output = tmp_path / "out.jsonl"
    _, err = run("export_register", output=str(output))
    refs = [json.loads(text)["ref"] for text in output.read_text().splitlines()]
    assert refs == [listed.ref] and draft.ref not in refs
    assert "Wrote 1 profiles" in err


def test_the_export_shares_lived_experience_only_with_consent_and_never_health_details(tmp_path):
    shared = make_profile(lived_experience=["autism"])
    services.profile_update(profile=shared, actor=shared.user, data={"lived_experience_visibility": "signed_in"})
    services.register_sharing_set(profile=shared, actor=shared.user, share=True)  # the separate choice (issue 13)
    services.sensitive_update(profile=shared, actor=shared.user, health_details="Insulin twice a day")
    connections_only = make_profile(lived_experience=["deaf"])
    no_consent = make_profile()
    out, _ = run("export_register")
    records = {record["ref"]: record for record in map(json.loads, out.splitlines())}
    assert records[shared.ref]["lived_experience"] == ["autism"]
    assert "lived_experience" not in records[connections_only.ref]
    assert "lived_experience" not in records[no_consent.ref]
    assert "Insulin" not in out and "health" not in out


def test_export_then_import_into_an_empty_database_round_trips(tmp_path):
    run("import_register", str(write(tmp_path, line(PA), line(BROKER), line(PEER), line(SEEKER))))
    first = tmp_path / "first.jsonl"
    run("export_register", output=str(first))
    Profile.objects.all().delete()
    Organisation.objects.all().delete()
    out, _ = run("import_register", str(first))
    second = tmp_path / "second.jsonl"
    run("export_register", output=str(second))
    # Seekers are never in the open export, and lived experience only goes out for people who chose,
    # here, to share it with other registers; an imported line is not that choice (issue 13 item 7).
    assert "3 loaded (new), 0 updated, 0 unchanged, 0 rejected." in out
    assert second.read_text() == first.read_text()
    exported = {r["ref"]: r for r in map(json.loads, first.read_text().splitlines())}
    assert SEEKER["ref"] not in exported
    assert "lived_experience" not in exported[PEER["ref"]]
    assert exported[PA["ref"]]["hourly_rate_gbp"] == 13.5 and exported[PA["ref"]]["dbs"] == PA["dbs"]
