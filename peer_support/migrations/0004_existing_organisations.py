"""Existing organisations and self-declared memberships, under the new rule.

- An organisation that has a coordinator was set up by the operator: it is approved.
- Others (typed in on a profile, or imported) are not offered anywhere until the operator approves them.
- A peer advisor who typed an organisation's name without being its member loses the link; the claim
  becomes a request to join that its coordinators can approve (nothing the person said is lost).
Search and matching caches rebuild from the change log.
"""

from django.db import migrations
from django.utils import timezone


def forwards(apps, schema_editor):
    Organisation = apps.get_model("profiles", "Organisation")
    Membership = apps.get_model("profiles", "OrganisationMembership")
    Profile = apps.get_model("profiles", "Profile")
    RegisterChange = apps.get_model("profiles", "RegisterChange")
    Approval = apps.get_model("peer_support", "OrganisationApproval")
    Request = apps.get_model("peer_support", "MembershipRequest")
    now = timezone.now()
    coordinated = set(Membership.objects.filter(role="coordinator").values_list("organisation_id", flat=True))
    for organisation_id in Organisation.objects.filter(pk__in=coordinated).values_list("pk", flat=True):
        Approval.objects.get_or_create(
            organisation_id=organisation_id, defaults={"status": "approved", "decided_at": now}
        )
    members = set(Membership.objects.values_list("user_id", "organisation_id"))
    changed = False
    for profile in Profile.objects.filter(organisation__isnull=False).only("pk", "user_id", "organisation_id"):
        if profile.user_id and (profile.user_id, profile.organisation_id) in members:
            continue
        if profile.user_id and profile.organisation_id in coordinated:
            Request.objects.get_or_create(
                organisation_id=profile.organisation_id, user_id=profile.user_id, status="pending"
            )
        if profile.user_id:
            Profile.objects.filter(pk=profile.pk).update(organisation=None)
            changed = True
    if changed:
        RegisterChange.objects.create(kind="rebuild")


class Migration(migrations.Migration):
    dependencies = [
        ("peer_support", "0003_organisation_membership"),
        ("profiles", "0004_register_change"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
