"""Who may see a person's lived experience and health details: the one rule.

Plain Python (no Django), so the match scorer can import it; profiles.models.Visibility holds the
same three values as choices.
"""

from __future__ import annotations

SIGNED_IN, CONNECTIONS, PRIVATE = "signed_in", "connections", "private"


def sensitive_visible(visibility: str, *, signed_in: bool, owner: bool, coordinator, connected) -> bool:
    """The lived-experience (and health details) visibility rule, written once
    (docs/decisions/rules-written-once.md), for a profile whose owner has given sensitive-data consent.

    Nobody signed out sees it; the owner and a coordinator of the profile's organisation always do;
    otherwise "signed_in" shows it to every signed-in member, "connections" to the owner's connections,
    "private" to nobody else. ``coordinator`` and ``connected`` are zero-argument callables, asked only
    when the answer depends on them (each may be a database read). Profile.sensitive_visible_to and
    matching.scoring.pairwise.lived_visible call this; the match index's compiled loop
    (matching.kernels.score_rows) is tested against it on every visibility and viewer kind
    (tests/matching/test_visibility_one_rule.py).
    """
    if not signed_in:
        return False
    if owner or coordinator():
        return True
    if visibility == SIGNED_IN:
        return True
    return visibility == CONNECTIONS and connected()
