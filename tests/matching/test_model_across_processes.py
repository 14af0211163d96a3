"""A change of the live matching weights made by a command in a process of its own ranks server B's very
next search: the weights are in the database and every worker reloads them through the change log."""

from __future__ import annotations

import pytest

from tests.matching.test_two_processes import manage, matches, servers  # noqa: F401 (the two servers)

pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")

RECORD_VERSION_1 = (
    "from matching.models import ModelVersion; from matching.scoring.features import DEFAULT_WEIGHTS; "
    "ModelVersion.objects.create(version=1, weights={**DEFAULT_WEIGHTS, 'locality': 6.0})"
)


def test_a_rollback_by_command_reaches_the_other_servers_next_search(servers):  # noqa: F811
    peer = servers["people"]["peer"]["ref"]
    before = matches(servers)[peer]["factors"]["locality"]
    assert before > 0
    manage(servers, "shell", "-c", RECORD_VERSION_1)
    assert "v1 is live again" in manage(servers, "train_matching", "--rollback", "1")
    assert matches(servers)[peer]["factors"]["locality"] == pytest.approx(before * 3, abs=1e-3)
    assert "v0 is live again" in manage(servers, "train_matching", "--rollback")
    assert matches(servers)[peer]["factors"]["locality"] == pytest.approx(before, abs=1e-4)
