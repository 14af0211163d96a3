"""DRF authentication for API clients that send ``Authorization: Token <key>``."""

import functools

from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions
from rest_framework.authtoken.models import Token

from marketplace.sql import column, table

from .models import User


class TokenAuthentication(authentication.TokenAuthentication):
    """DRF's token authentication with the same rules (an unknown key or an inactive person fails), reading
    the token's person in one fixed statement.

    Every API request pays for this lookup. DRF's ``select_related`` query cost about 0.45 ms to build for a
    20 µs statement: 12% of a search request's CPU under load (py-spy, bench/bench_search_api.py).
    """

    def authenticate_credentials(self, key):
        user = next(iter(User.objects.raw(_token_user_sql(), [key])), None)
        if user is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        if not user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        # request.auth is the token, as with DRF's class; its other fields load if something reads them.
        token = Token.from_db(user._state.db, ["key", "user_id"], [key, user.pk])
        token.user = user
        return user, token


@functools.cache
def _token_user_sql() -> str:
    columns = ", ".join(column(User, field.name, "u") for field in User._meta.concrete_fields)
    return (
        f"SELECT {columns} FROM {table(User)} u JOIN {table(Token)} t ON {column(Token, 'user', 't')} = {column(User, 'pk', 'u')} "
        f"WHERE {column(Token, 'key', 't')} = %s"
    )
