"""Where to go after a form: a ``next`` the page sent, only if it stays on this site.

Every view that honours ``next`` uses ``safe_next``; an off-site or malformed ``next``
(``https://evil.example/``, ``//evil.example``, ``javascript:...``) falls back to the page's own default.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def is_same_site(request: HttpRequest, target: str | None) -> bool:
    return bool(target) and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )


def safe_next(request: HttpRequest, fallback: str) -> str:
    """The ``next`` from the form (or query string) if it is on this site, otherwise ``fallback``."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    return target if is_same_site(request, target) else fallback
