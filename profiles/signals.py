"""Signals other apps listen to, so that profiles imports none of them."""

from django.dispatch import Signal

# Changes that search must see go to the change log (profiles/changelog.py), not to signals: a signal
# reaches only the process that sent it.
# Sent after commit when one person blocks another (messaging closes their open sockets).
user_blocked = Signal()
# Sent before an account is deleted, so every app can remove what it holds.
user_deleting = Signal()
# Sent after commit when a coordinator's proposed match is agreed by both people: messaging opens the
# introduction conversation (matching does not import messaging). Args: coordinator_id, seeker_id,
# supporter_id, proposal_id.
match_introduced = Signal()
# Sent when someone asks to claim a listing imported without an account (event "created") and when a
# moderator decides (event "decided"; ``declined`` lists other claims declined with it): notifications
# tells the people concerned. Args: claim, event, declined.
listing_claim_changed = Signal()
# Sent after commit when a listing is published (``profile_publish``): matching queues the check of
# people's saved searches in the task worker. Args: profile_id.
profile_published = Signal()
# Sent inside the caller's transaction when a person's details change through the register's service functions
# (a listing started, edited, or its lived experience changed), so assisted mode (inclusion) can note who helped.
# Args: person_id, actor_id, area ("sign-up", "profile", "lived experience"), fields (a list of field names).
person_details_changed = Signal()
# Sent when someone who is not the person tries to agree for them (a proxy on a consent page): the person is
# asked to confirm it themselves. inclusion keeps the "waiting for you to confirm" item; notifications tells
# the person. Args: person_id, helper_id, key (what to agree to, e.g. "profile-consent:12"), link (a path).
consent_requested = Signal()
# Sent inside the caller's transaction when the person gives a consent themselves. Args: person_id, key.
consent_confirmed = Signal()
