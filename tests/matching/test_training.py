"""Learning from outcomes cannot quietly change what matching promises.

Made-up outcomes never put weights live; real outcomes do only when there are enough of them and
the new weights rank held-out real outcomes better; a factor pushed below its floor waits for a
member of staff; any earlier version can be put back, and every worker follows through the change log.
"""

import io
import random

import pytest
from allauth.mfa.models import Authenticator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from matching import live, services
from matching.models import ModelChange, ModelVersion, Outcome
from matching.scoring import model
from matching.scoring.features import DEFAULT_WEIGHTS, FACTORS
from profiles.models import RegisterChange
from tests.factories import UserFactory

LOCALITY_FIRST = {**DEFAULT_WEIGHTS, "locality": 5.0}
NO_LIVED_EXPERIENCE = {**DEFAULT_WEIGHTS, "lived_experience": 0.0, "locality": 5.0}


@pytest.fixture(autouse=True)
def small_minimum(settings):
    settings.MATCHING_MIN_REAL_OUTCOMES = 300
    settings.MATCHING_WEIGHT_FLOOR = 0.5


def record_real_outcomes(preference, *, seekers=40, shown=15, seed=1, noise=0.3):
    """Outcomes as ``outcome_record`` stores them (feature numbers and a label per person shown), from
    seekers whose choices follow ``preference``: each one's four best, by that preference, went well."""
    rng = random.Random(seed)
    rows = []
    for s in range(seekers):
        people = [{f: round(rng.random(), 6) for f in FACTORS} for _ in range(shown)]
        people.sort(key=lambda x: -(sum(preference[f] * x[f] for f in FACTORS) + rng.gauss(0, noise)))
        for rank, features in enumerate(people):
            good = rank < 4
            rows.append(
                Outcome(
                    seeker_key=f"profile:{seed}-{s}",
                    kind=Outcome.Kind.CONTACT_ACCEPTED if good else Outcome.Kind.CONTACT_DECLINED,
                    label=1.0 if good else 0.0,
                    features=features,
                )
            )
    Outcome.objects.bulk_create(rows)


def live_weights():
    """The weights a worker ranks with after catching up with the change log (no cache reset by hand)."""
    live.get_index()
    return model.serving_weights()


def train_real(preference, seed=1) -> ModelVersion:
    Outcome.objects.filter(synthetic=False).delete()
    record_real_outcomes(preference, seed=seed)
    return services.model_train()


def test_weights_learned_from_enough_real_outcomes_that_rank_better_are_adopted_and_reach_every_worker(db):
    assert live_weights() == (DEFAULT_WEIGHTS, None)  # this worker has the hand-set weights cached
    record_real_outcomes(LOCALITY_FIRST)
    row = services.model_train()
    assert row.live and row.source == ModelVersion.Source.TRAINED and row.below_floor == []
    assert row.metrics["model"]["roc_auc"] > row.metrics["serving"]["roc_auc"]
    assert row.metrics["model"]["ndcg_at_10"] > row.metrics["serving"]["ndcg_at_10"]
    assert "Adopted" in row.decision
    assert RegisterChange.objects.filter(kind=RegisterChange.Kind.MODEL).exists()
    weights, version = live_weights()
    assert version == row.version and weights == row.weights
    assert weights["locality"] > DEFAULT_WEIGHTS["locality"]
    assert services.effective_weights({"locality": 2}) == {**weights, "locality": weights["locality"] * 2}


def test_synthetic_training_leaves_the_live_model_unchanged(db):
    adopted = (record_real_outcomes(LOCALITY_FIRST), services.model_train())[1]
    before = live_weights()
    changes_before = RegisterChange.objects.filter(kind=RegisterChange.Kind.MODEL).count()
    out = io.StringIO()
    call_command("train_matching", "--synthetic", "600", stdout=out)
    synthetic = ModelVersion.objects.get(source=ModelVersion.Source.SYNTHETIC)
    assert not synthetic.live
    assert "never used for ranking" in out.getvalue()
    assert live_weights() == before == (adopted.weights, adopted.version)
    assert RegisterChange.objects.filter(kind=RegisterChange.Kind.MODEL).count() == changes_before
    # Nor can anyone put it live afterwards.
    with pytest.raises(ValidationError, match="made-up outcomes"):
        services.model_restore(version=synthetic.version)


def test_made_up_outcomes_do_not_count_towards_the_real_outcomes_adoption_needs(db):
    services.outcomes_synthetic_create(count=600)
    with pytest.raises(ValidationError, match="at least 300 real outcomes"):
        services.model_train()
    with pytest.raises(CommandError, match="MATCHING_MIN_REAL_OUTCOMES"):
        call_command("train_matching", stdout=io.StringIO())
    assert not ModelVersion.objects.filter(live=True, version__gt=0).exists()
    assert live_weights() == (DEFAULT_WEIGHTS, None)


def test_weights_that_do_not_rank_held_out_outcomes_better_are_recorded_but_not_used(db):
    record_real_outcomes(DEFAULT_WEIGHTS, noise=0.0)
    row = services.model_train()
    assert not row.live and "not adopted" in row.decision
    assert live_weights() == (DEFAULT_WEIGHTS, 0)  # version 0: the hand-set weights, kept in the history


def test_a_factor_below_the_floor_is_held_for_a_member_of_staffs_approval(db):
    row = train_real(NO_LIVED_EXPERIENCE)
    assert row.metrics["model"]["roc_auc"] > row.metrics["serving"]["roc_auc"]  # it did rank better...
    assert "lived_experience" in row.below_floor and row.held_for_approval and not row.live
    assert "shared lived experience" in row.decision and "staff" in row.decision
    assert live_weights() == (DEFAULT_WEIGHTS, 0)  # ...but the site still ranks as before
    assert list(row.changes.values_list("action", flat=True)) == [ModelChange.Action.HELD]

    with pytest.raises(CommandError, match="member of staff must approve"):
        call_command("train_matching", "--rollback", str(row.version), stdout=io.StringIO())
    staff = UserFactory(is_staff=True)
    with pytest.raises(ValidationError, match="member of staff must approve"):
        services.model_restore(version=row.version, actor=staff)
    with pytest.raises(ValidationError):
        services.model_restore(version=row.version, actor=staff, approve=True, note="")
    with pytest.raises(PermissionDenied):  # not staff: refused outright
        services.model_restore(version=row.version, actor=UserFactory(), approve=True, note="Fine")

    services.model_restore(version=row.version, actor=staff, approve=True, note="Checked with the members' panel.")
    row.refresh_from_db()
    assert row.live and row.approved_by == staff
    assert live_weights() == (row.weights, row.version)
    approval = row.changes.get(action=ModelChange.Action.APPROVED)
    assert approval.actor == staff and approval.note == "Checked with the members' panel."


def test_rollback_restores_the_previous_version_and_any_version_by_number(db):
    first = train_real(LOCALITY_FIRST, seed=1)
    second = train_real({**DEFAULT_WEIGHTS, "locality": 5.0, "interests": 4.0, "quality": 0.6}, seed=2)
    assert first.live is True and second.version == first.version + 1
    second.refresh_from_db()
    assert second.live, second.decision
    assert live_weights() == (second.weights, second.version)

    out = io.StringIO()
    call_command("train_matching", "--rollback", stdout=out)
    assert f"v{first.version} is live again" in out.getvalue()
    assert live_weights() == (first.weights, first.version)
    assert f"v{second.version} (Trained on real outcomes, not in use)" in out.getvalue()  # the history follows

    call_command("train_matching", "--rollback", stdout=io.StringIO())  # back to the hand-set weights
    assert live_weights() == (DEFAULT_WEIGHTS, 0)
    with pytest.raises(CommandError, match="no earlier version"):
        call_command("train_matching", "--rollback", stdout=io.StringIO())

    call_command("train_matching", "--rollback", str(second.version), stdout=io.StringIO())
    assert live_weights() == (second.weights, second.version)
    with pytest.raises(CommandError, match="no version 99"):
        call_command("train_matching", "--rollback", "99", stdout=io.StringIO())
    restored = ModelChange.objects.filter(action=ModelChange.Action.RESTORED).count()
    assert restored == 3


@pytest.fixture
def staff(db):
    user = UserFactory(is_staff=True, preferred_name="Sam Staff")
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"})
    return user


def test_the_model_page_is_for_staff_with_a_second_factor_and_restores_through_the_service(client, staff):
    first = train_real(LOCALITY_FIRST, seed=1)
    held = train_real(NO_LIVED_EXPERIENCE, seed=3)
    assert held.held_for_approval
    url = reverse("matching:model-history")

    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    assert client.post(url, {"version": 0}).status_code == 404
    client.force_login(UserFactory(is_staff=True))  # staff without a second factor set up
    assert "/accounts/" in client.get(url)["Location"]

    client.force_login(staff)
    page = client.get(url).content.decode()
    assert f"Version {first.version}: in use now" in page
    assert f"Version {held.version}: held for approval" in page
    assert "below the floor" in page and "Version 0" in page

    response = client.post(url, {"version": held.version, "note": ""})
    assert response.status_code == 400 and "must approve" in response.content.decode()
    assert live_weights()[1] == first.version

    response = client.post(url, {"version": 0, "note": "Back to the start while we look."})
    assert response.status_code == 302
    assert live_weights() == (DEFAULT_WEIGHTS, 0)
    page = client.get(url).content.decode()
    assert "Version 0: in use now" in page and "Restored by Sam Staff" in page


def test_an_outcome_records_the_features_at_the_time(busy_register, seeker_user):
    from tests.factories import make_profile

    seeker = make_profile(seeker_user, role="seeker", postcode="BB1", seeking={"max_km": 20, "languages": ["en"]})
    outcome = services.outcome_record(
        seeker_profile=seeker, supporter_profile=busy_register[0], kind="contact_accepted"
    )
    assert outcome.label == 1.0 and not outcome.synthetic
    assert set(outcome.features) == set(DEFAULT_WEIGHTS)
    assert outcome.features["languages"] == 1.0
    with pytest.raises(ValidationError, match="from 0"):
        services.outcome_record(seeker_profile=seeker, supporter_profile=busy_register[0], kind="rated", label=4)
    assert Outcome.objects.count() == 1


def test_my_data_download_includes_match_outcomes_without_tags(busy_register, seeker_user):
    from profiles.privacy import user_export_data
    from tests.factories import make_profile

    seeker = make_profile(seeker_user, role="seeker", postcode="BB1", lived_experience=["deaf"], seeking={"max_km": 20})
    services.outcome_record(seeker_profile=seeker, supporter_profile=busy_register[1], kind="contact_declined")
    exported = user_export_data(seeker_user)["matching"]["match_outcomes"]
    assert [(o["as"], o["kind"], o["label"]) for o in exported] == [("seeker", "contact_declined", 0.0)]
    assert "deaf" not in str(exported)
