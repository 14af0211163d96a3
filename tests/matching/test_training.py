"""Learning from outcomes: a better model is adopted and used; a worse one is recorded, not used."""

import hashlib
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from matching import services
from matching.models import ModelVersion, Outcome
from matching.scoring import model
from matching.scoring.features import DEFAULT_WEIGHTS


def test_a_model_that_beats_the_hand_set_weights_is_adopted_and_used(db):
    out = io.StringIO()
    call_command("train_matching", "--synthetic", "600", stdout=out)
    row = ModelVersion.objects.get()
    assert row.adopted, row.metrics
    assert row.metrics["model"]["roc_auc"] > row.metrics["serving"]["roc_auc"]
    assert row.metrics["model"]["ndcg_at_10"] > row.metrics["serving"]["ndcg_at_10"]
    path = model.model_dir() / row.filename
    assert hashlib.sha256(path.read_bytes()).hexdigest() == row.checksum
    model.reset_cache()
    weights, version = model.serving_weights()
    assert version == row.version and weights == row.metrics["weights"]
    assert services.effective_weights({"locality": 2}) == {**weights, "locality": weights["locality"] * 2}
    assert all(w >= 0 for w in weights.values())
    assert "Adopted" in out.getvalue()


def test_a_model_that_does_not_beat_the_baseline_is_recorded_but_not_used(db):
    services.outcomes_synthetic_create(count=400, preference=DEFAULT_WEIGHTS, noise=0.0)
    row = services.model_train()
    assert not row.adopted
    assert "not adopted" in row.decision
    model.reset_cache()
    assert model.serving_weights() == (DEFAULT_WEIGHTS, None)


def test_a_weights_file_whose_checksum_does_not_match_is_never_loaded(db):
    row = services.outcomes_synthetic_create(count=600) and services.model_train()
    assert row.adopted
    (model.model_dir() / row.filename).write_text('{"weights": {"locality": 100}}')
    model.reset_cache()
    assert model.serving_weights() == (DEFAULT_WEIGHTS, None)


def test_training_with_too_few_outcomes_says_what_is_needed(db):
    with pytest.raises(ValidationError, match="at least 40 outcomes"):
        services.model_train()


def test_an_outcome_records_the_features_at_the_time(busy_register, seeker_user):
    from tests.factories import make_profile

    seeker = make_profile(seeker_user, role="seeker", postcode="BB1", seeking={"max_km": 20, "languages": ["en"]})
    outcome = services.outcome_record(
        seeker_profile=seeker, supporter_profile=busy_register[0], kind="contact_accepted"
    )
    assert outcome.label == 1.0
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
