"""Download my data and delete my account.

Each app registers what it holds about a person with ``register_exporter``; the export is
their union, so a new app cannot be forgotten silently (a test lists every personal field).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.forms.models import model_to_dict
from django.utils.translation import gettext as _

from .models import Block, Connection, ConsentRecord, Profile, ProxyLink, User
from .signals import user_deleting

Exporter = Callable[[User], Any]
_exporters: dict[str, Exporter] = {}


def register_exporter(name: str, exporter: Exporter) -> None:
    _exporters[name] = exporter


def _profile_data(profile: Profile) -> dict[str, Any]:
    data = model_to_dict(profile, exclude=["user", "organisation"])
    data["hourly_rate"] = str(profile.hourly_rate) if profile.hourly_rate is not None else None
    data["organisation"] = profile.organisation.name if profile.organisation else None
    data["photos"] = [
        {
            "order": photo.order,
            "description": photo.alt_text,
            "demo_picture": photo.demo,
            "files": [file.name for file in (photo.image, photo.small, photo.large) if file],
        }
        for photo in profile.photos.all()
    ]
    data["created_at"], data["updated_at"] = profile.created_at.isoformat(), profile.updated_at.isoformat()
    for key in ("sensitive_consent_at", "dbs_checked_on"):
        data[key] = data[key].isoformat() if data[key] else None
    data["claims"] = [{"kind": c.kind, "detail": c.detail, "status": c.honest_status} for c in profile.claims.all()]
    data["consent_history"] = [
        {"action": r.action, "wording_version": r.wording_version, "at": r.at.isoformat()}
        for r in ConsentRecord.objects.filter(profile=profile)
    ]
    return data


def _account_data(user: User) -> dict[str, Any]:
    return {
        "email": user.email,
        "preferred_name": user.preferred_name,
        "date_joined": user.date_joined.isoformat(),
        "last_login": user.last_login.isoformat() if user.last_login else None,
        "email_addresses": list(user.emailaddress_set.values("email", "verified", "primary")),
        "memberships": [
            {"organisation": m.organisation.name, "role": m.role}
            for m in user.memberships.select_related("organisation")
        ],
        "people_who_act_for_me": [
            {
                "proxy": str(link.proxy),
                "relationship": link.relationship,
                "revoked_at": link.revoked_at and link.revoked_at.isoformat(),
            }
            for link in ProxyLink.objects.filter(seeker=user).select_related("proxy")
        ],
        "people_i_act_for": [
            str(link.seeker) for link in ProxyLink.objects.filter(proxy=user).select_related("seeker")
        ],
        "connections": Connection.objects.filter(user_low=user).count()
        + Connection.objects.filter(user_high=user).count(),
        "people_i_blocked": [str(b.blocked) for b in Block.objects.filter(blocker=user).select_related("blocked")],
    }


def user_export_data(user: User) -> dict[str, Any]:
    export = {
        "about": _("Everything Open Circle holds about you, as of this download."),
        "account": _account_data(user),
        "profiles": [_profile_data(p) for p in user.profiles.select_related("organisation")],
    }
    for name, exporter in sorted(_exporters.items()):
        export[name] = exporter(user)
    return export


@transaction.atomic
def user_delete(*, user: User, actor: User) -> None:
    """Delete the account and everything personal. What is kept, and why, is in the README."""
    from django.core.exceptions import PermissionDenied

    if actor.pk != user.pk and not actor.is_staff:
        raise PermissionDenied(_("You can only delete your own account."))
    user_deleting.send(sender=User, user=user)
    from .services import photos_delete_files

    profile_ids = list(user.profiles.values_list("pk", flat=True))
    photos_delete_files(profile_ids)
    user.delete()
    from . import changelog

    changelog.record_profiles(profile_ids)
