"""manage.py seed_demo: a deterministic, realistic synthetic register for demos, tests and benchmarks."""

from __future__ import annotations

import itertools
import json
from collections import Counter
from decimal import Decimal
from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command

from marketplace.management.commands.seed_demo import DEMO_PASSWORD, load_districts
from profiles.models import Profile, User

SIZE = 3000


def run(**options) -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out, stderr=StringIO(), **options)
    return out.getvalue()


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> list[dict]:
    path = tmp_path_factory.mktemp("demo") / "demo.jsonl"
    run(profiles=SIZE, seed=5, output=str(path))
    return [json.loads(text, parse_float=Decimal) for text in path.read_text(encoding="utf-8").splitlines()]


def by_role(records: list[dict], role: str) -> list[dict]:
    return [r for r in records if r["role"] == role]


def test_the_same_size_and_seed_give_byte_identical_files_and_another_seed_does_not(tmp_path):
    paths = [tmp_path / name for name in ("a.jsonl", "b.jsonl", "c.jsonl")]
    for path, seed in zip(paths, (3, 3, 4), strict=True):
        run(profiles=300, seed=seed, output=str(path))
    assert paths[0].read_bytes() == paths[1].read_bytes()
    assert paths[0].read_bytes() != paths[2].read_bytes()


def test_the_role_mix_is_roughly_sixty_twenty_eight_twelve(demo):
    share = {role: n / SIZE for role, n in Counter(r["role"] for r in demo).items()}
    assert share["pa"] == pytest.approx(0.60, abs=0.04)
    assert share["peer_advisor"] == pytest.approx(0.20, abs=0.03)
    assert share["broker"] == pytest.approx(0.08, abs=0.02)
    assert share["seeker"] == pytest.approx(0.12, abs=0.02)
    assert demo[0]["ref"].endswith("-000001") and len({r["ref"] for r in demo}) == SIZE


def test_districts_follow_where_people_live(demo):
    outcodes, cumulative = load_districts()
    weight = dict(zip(outcodes, [b - a for a, b in itertools.pairwise([0, *cumulative])], strict=True))
    assert all(r["outcode"] in weight for r in demo)  # never a district without a postcode count
    plain_mean = sum(weight.values()) / len(weight)
    population_mean = sum(w * w for w in weight.values()) / sum(weight.values())
    sampled_mean = sum(weight[r["outcode"]] for r in demo) / len(demo)
    assert abs(sampled_mean - population_mean) < abs(sampled_mean - plain_mean) / 3


def test_rates_look_like_the_market(demo):
    pa_rates = [r["hourly_rate_gbp"] for r in by_role(demo, "pa")]
    in_band = sum(Decimal("11.50") <= rate <= Decimal("18") for rate in pa_rates) / len(pa_rates)
    assert 0.9 < in_band < 1 and max(pa_rates) > Decimal("18")
    broker_rates = [r["hourly_rate_gbp"] for r in by_role(demo, "broker")]
    assert all(Decimal("18") <= rate <= Decimal("45") for rate in broker_rates)
    assert Counter(broker_rates).most_common(1)[0][0] == Decimal("20")
    assert not any("hourly_rate_gbp" in r for r in by_role(demo, "peer_advisor") + by_role(demo, "seeker"))


def test_travel_is_mostly_short(demo):
    distances = [r["travel_km"] for r in demo if r["role"] != "seeker"]
    assert min(distances) >= 3 and max(distances) <= 30
    assert sorted(distances)[len(distances) // 2] <= 10


def test_languages_and_lived_experience_have_realistic_shapes(demo):
    languages = Counter(code for r in demo for code in r["languages"])
    assert languages["en"] / SIZE > 0.93
    assert all(0 < languages[code] / SIZE < 0.08 for code in ("pl", "ur", "pa", "bn", "bfi"))
    peers = by_role(demo, "peer_advisor")
    with_lived = [r for r in peers if r.get("lived_experience")]
    assert len(with_lived) / len(peers) > 0.8
    assert sum("direct_payments" in r["lived_experience"] for r in with_lived) / len(with_lived) > 0.5


def test_every_profile_has_some_availability_an_about_text_and_a_short_name(demo):
    assert all(1 <= len(r["availability"]) <= 4 for r in demo)
    assert len({r["about"] for r in demo}) > SIZE * 0.9
    assert all(r["display_name"].endswith(".") and len(r["display_name"].split()[-1]) == 2 for r in demo)


def test_seekers_say_what_they_are_looking_for(demo):
    seekers = by_role(demo, "seeker")
    assert all(r["seeking"]["roles"] and r["seeking"]["max_km"] for r in seekers)
    assert 0.2 < sum("max_rate_gbp" in r["seeking"] for r in seekers) / len(seekers) < 0.6


@pytest.mark.django_db
def test_loading_goes_through_the_import_and_adds_three_demo_logins():
    out = run(profiles=400, seed=2)
    assert "400 loaded (new), 0 updated, 0 unchanged, 0 rejected." in out
    assert "local quick start only" in out and DEMO_PASSWORD in out
    assert Profile.objects.filter(source="import", status="listed").count() == 400
    for email in ("seeker@demo.opencircle.test", "pa@demo.opencircle.test", "broker@demo.opencircle.test"):
        user = User.objects.get(email=email)
        assert user.check_password(DEMO_PASSWORD)
        assert EmailAddress.objects.filter(user=user, email=email, verified=True).exists()
        assert user.profiles.get().is_listed


@pytest.mark.django_db
def test_if_empty_leaves_a_register_that_already_has_profiles_alone():
    run(profiles=50, seed=2, if_empty=True)
    count = Profile.objects.count()
    out = run(profiles=50, seed=9, if_empty=True)
    assert "nothing was added" in out
    assert Profile.objects.count() == count == 53


@pytest.mark.django_db
def test_under_production_settings_it_refuses_to_load_made_up_people_or_public_password_accounts(settings, tmp_path):
    from django.core.management.base import CommandError

    settings.DEMO_DATA_ALLOWED = False
    with pytest.raises(CommandError, match="--output"):
        run(profiles=50, seed=1)
    assert not Profile.objects.exists() and not User.objects.exists()
    run(profiles=50, seed=1, output=str(tmp_path / "demo.jsonl"))  # writing a file is still fine
    assert len((tmp_path / "demo.jsonl").read_text(encoding="utf-8").splitlines()) == 50


@pytest.fixture
def loaded(db):
    out = run(profiles=300, seed=4)
    return out


def test_demo_listings_get_accounts_that_cannot_sign_in_except_a_few_listed_from_another_register(loaded):
    from marketplace.management.commands.seed_demo import keeps_no_account

    demo = Profile.objects.filter(ref__regex=r"-[0-9]{6}$")
    assert demo.count() == 300
    without = [p.ref for p in demo.filter(user__isnull=True)]
    assert without and all(keeps_no_account(ref) for ref in without) and len(without) == 300 // 50
    owners = User.objects.filter(profiles__in=demo).distinct()
    assert owners.count() == 300 - len(without)
    assert not any(user.has_usable_password() for user in owners)
    assert not EmailAddress.objects.filter(user__in=owners).exists()
    assert "294 demo listings got an account that cannot sign in; 6 stay as listed from another register" in loaded


def test_a_contact_request_to_a_demo_pa_succeeds(loaded, client):
    from messaging.models import ContactRequest

    seeker = User.objects.get(email="seeker@demo.opencircle.test")
    pa = Profile.objects.filter(role="pa", user__email__endswith="@demo.opencircle.test").exclude(user=seeker).first()
    client.force_login(seeker)
    response = client.post(f"/register/{pa.ref}/contact/", {"message": "Hello, I am looking for help on Mondays."})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert ContactRequest.objects.filter(sender=seeker, recipient=pa.user, status="open").exists()


@pytest.mark.django_db
def test_a_coordinator_moderator_and_panel_member_can_sign_in_and_the_coordinator_has_peer_advisors():
    loaded = run(profiles=1500, seed=1)
    from marketplace.management.commands.seed_demo import DEMO_ORGANISATION
    from ratings.models import PanelMember

    assert "coordinator@demo.opencircle.test" in loaded and "moderator@demo.opencircle.test" in loaded
    coordinator = User.objects.get(email="coordinator@demo.opencircle.test")
    moderator = User.objects.get(email="moderator@demo.opencircle.test")
    panel_member = User.objects.get(email="panel@demo.opencircle.test")
    for user in (coordinator, moderator, panel_member):
        assert user.check_password(DEMO_PASSWORD)
        assert EmailAddress.objects.filter(user=user, verified=True).exists()
    assert "coordinator" in coordinator.roles and moderator.is_moderator
    organisation = coordinator.memberships.get().organisation
    assert organisation.name == DEMO_ORGANISATION
    from peer_support import selectors as peer_support

    referrals = list(peer_support.referral_queue(viewer=coordinator))
    assert len(referrals) == 2  # two demo seekers are waiting for a peer advisor
    suggestions = peer_support.referral_suggestions(referral=referrals[0], viewer=coordinator)
    assert suggestions.shown and all(s.profile.user_id for s in suggestions.shown)  # people who can say yes
    seat = PanelMember.objects.get(user=panel_member, left_at__isnull=True)
    assert seat.panel.organisation == organisation and seat.panel.members.count() >= 2


def test_loading_writes_the_change_log_so_running_servers_see_the_new_register(loaded):
    from profiles.models import RegisterChange

    assert RegisterChange.objects.filter(kind=RegisterChange.Kind.REBUILD).count() >= 2  # the import, then the owners


@pytest.mark.django_db
def test_a_second_run_leaves_demo_listings_with_accounts_alone_without_rejecting_them():
    run(profiles=100, seed=4)
    owners = dict(Profile.objects.values_list("ref", "user_id"))
    out = run(profiles=100, seed=4)
    assert "0 rejected" in out and "98 demo listings already had their accounts" in out
    assert dict(Profile.objects.values_list("ref", "user_id")) == owners
