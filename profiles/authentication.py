"""Who is calling: API tokens (``Authorization: Token <token>``) and the second-factor rule for every way in.

The second-factor rule: a person who holds a role in ``settings.MFA_REQUIRED_FOR`` (coordinator, moderator,
panel member, staff) may use nothing but their account pages until they have set up two-step sign-in. It is
written once, as SQL (``second_factor_missing_sql``), and used by the HTML middleware
(profiles/middleware.py, through ``second_factor_missing``) and inside the token statement below, so the API
and the pages cannot disagree. ``User.roles`` is its Python twin for display; tests/profiles/
test_mfa_every_way_in.py checks they agree for every role.
"""

from __future__ import annotations

import functools

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from marketplace.sql import column, table

from . import tokens
from .models import ApiToken, OrganisationMembership, Profile, User

SECOND_FACTOR_NEEDED = (
    "Your role (coordinator, moderator, panel member or staff) needs two-step sign-in. "
    'Set it up on your account page under "Two-step verification" (/accounts/2fa/), then try again.'
)


def _role_conditions(user_alias: str, roles: frozenset[str]) -> tuple[list[str], list]:
    """SQL that is true when the person ``user_alias`` holds each role (the rule behind ``User.roles``)."""
    pk = column(User, "pk", user_alias)
    conditions: list[str] = []
    params: list = []
    profile_roles = sorted(roles & set(Profile.Role.values))
    for role in sorted(roles - set(profile_roles)):
        if role == "coordinator":
            conditions.append(
                f"EXISTS (SELECT 1 FROM {table(OrganisationMembership)} om WHERE {column(OrganisationMembership, 'user', 'om')} = {pk} "
                f"AND {column(OrganisationMembership, 'role', 'om')} = %s)"
            )
            params.append(OrganisationMembership.Role.COORDINATOR.value)
        elif role == "moderator":
            conditions.append(f"{column(User, 'is_moderator', user_alias)} = %s")
            params.append(True)
        elif role == "staff":
            conditions.append(f"{column(User, 'is_staff', user_alias)} = %s")
            params.append(True)
        elif role == "panel_member":
            seat = apps.get_model("ratings", "PanelMember")
            conditions.append(
                f"EXISTS (SELECT 1 FROM {table(seat)} ps WHERE {column(seat, 'user', 'ps')} = {pk} "
                f"AND {column(seat, 'left_at', 'ps')} IS NULL)"
            )
        else:
            raise ImproperlyConfigured(f"MFA_REQUIRED_FOR names a role nobody can hold: {role!r}.")
    if profile_roles:
        placeholders = ", ".join(["%s"] * len(profile_roles))
        conditions.append(
            f"EXISTS (SELECT 1 FROM {table(Profile)} pr WHERE {column(Profile, 'user', 'pr')} = {pk} "
            f"AND {column(Profile, 'role', 'pr')} IN ({placeholders}))"
        )
        params.extend(profile_roles)
    return conditions, params


@functools.cache
def _second_factor_missing_sql(user_alias: str, roles: frozenset[str], vendor: str) -> tuple[str, tuple]:
    from allauth.mfa.models import Authenticator

    conditions, params = _role_conditions(user_alias, roles)
    if not conditions:
        return "(1 = 0)", ()
    has_totp = (
        f"EXISTS (SELECT 1 FROM {table(Authenticator)} au WHERE {column(Authenticator, 'user', 'au')} = {column(User, 'pk', user_alias)} "
        f"AND {column(Authenticator, 'type', 'au')} = %s)"
    )
    params.append(Authenticator.Type.TOTP.value)
    return f"(({' OR '.join(conditions)}) AND NOT {has_totp})", tuple(params)


def second_factor_missing_sql(user_alias: str) -> tuple[str, tuple]:
    """The rule as an SQL boolean over the person aliased ``user_alias``, with its parameters."""
    return _second_factor_missing_sql(user_alias, frozenset(settings.MFA_REQUIRED_FOR), connection.vendor)


def second_factor_missing(user_id: int) -> bool:
    """Whether this person must set up two-step sign-in before using anything but their account pages."""
    sql, params = second_factor_missing_sql("u")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {sql} FROM {table(User)} u WHERE {column(User, 'pk', 'u')} = %s", [*params, user_id])
        row = cursor.fetchone()
    return bool(row and row[0])


class TokenAuthentication(authentication.TokenAuthentication):
    """``Authorization: Token <token>`` for the named tokens people make on their account page
    (profiles/tokens.py; only the token's SHA-256 digest is stored).

    The token, its person, whether it has expired or been revoked, whether its last use needs recording, and
    the second-factor rule all come from one fixed statement: every API request pays for this lookup, and
    building the ORM query cost far more than running it (measured in docs/decisions/hand-written-sql.md).
    Last use is written at most once a minute per token.
    """

    keyword = "Token"

    def authenticate_credentials(self, key):
        now = timezone.now()
        sql, fixed = _token_user_sql(frozenset(settings.MFA_REQUIRED_FOR), connection.vendor)
        params = [_db_time(now), _db_time(now - tokens.LAST_USED_PRECISION), *fixed, tokens.digest_of(key)]
        user = next(iter(User.objects.raw(sql, params)), None)
        if user is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        if user.oc_token_revoked:
            raise exceptions.AuthenticationFailed("This token was revoked. Make a new one on your account page.")
        if user.oc_token_expired:
            raise exceptions.AuthenticationFailed("This token has expired. Make a new one on your account page.")
        if not user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        if user.oc_second_factor_missing:
            raise exceptions.PermissionDenied(SECOND_FACTOR_NEEDED)
        if user.oc_token_stale:
            tokens.api_token_touch(token_id=user.oc_token_id, now=now)
        # request.auth is the token; its other fields load if something reads them.
        token = ApiToken.from_db(user._state.db, ["id", "user_id"], [user.oc_token_id, user.pk])
        token.user = user
        return user, token


def _db_time(value):
    return ApiToken._meta.get_field("expires_at").get_db_prep_value(value, connection)


@functools.cache
def _token_user_sql(roles: frozenset[str], vendor: str) -> tuple[str, tuple]:
    """The token statement; its parameters are (now, now - last-use precision, *the returned ones, digest)."""
    columns = ", ".join(column(User, field.name, "u") for field in User._meta.concrete_fields)
    missing, params = _second_factor_missing_sql("u", roles, vendor)
    t = lambda name: column(ApiToken, name, "t")  # noqa: E731
    return (
        f"SELECT {columns}, {t('pk')} AS oc_token_id, "
        f"({t('expires_at')} <= %s) AS oc_token_expired, ({t('revoked_at')} IS NOT NULL) AS oc_token_revoked, "
        f"({t('last_used_at')} IS NULL OR {t('last_used_at')} < %s) AS oc_token_stale, "
        f"{missing} AS oc_second_factor_missing "
        f"FROM {table(User)} u JOIN {table(ApiToken)} t ON {t('user')} = {column(User, 'pk', 'u')} "
        f"WHERE {t('digest')} = %s"
    ), params
