"""Signals other apps listen to, so that profiles imports none of them."""

from django.dispatch import Signal

# Sent after commit whenever a listing is created, changed or removed (matching keeps its index current).
profile_changed = Signal()
# Sent after a bulk import: listeners rebuild rather than apply row by row.
register_reloaded = Signal()
# Sent after commit when one person blocks another (messaging closes their open sockets).
user_blocked = Signal()
# Sent before an account is deleted, so every app can remove what it holds.
user_deleting = Signal()
# Sent after commit when a coordinator's proposed match is agreed by both people: messaging opens the
# introduction conversation (matching does not import messaging). Args: coordinator_id, seeker_id,
# supporter_id, proposal_id.
match_introduced = Signal()
