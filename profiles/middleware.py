from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

from .authentication import SECOND_FACTOR_NEEDED, second_factor_missing

ALWAYS_ALLOWED_PREFIXES = ("/accounts/", "/static/", "/media/", "/about-the-data/", "/accessibility/")


class RequireMFAMiddleware:
    """Coordinators, moderators, panel members and staff see other people's details, so they must set up a
    second factor first. The rule is profiles.authentication.second_factor_missing, which API token
    authentication applies too (a token request reaches this middleware signed out)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(ALWAYS_ALLOWED_PREFIXES)
            and second_factor_missing(user.pk)
        ):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": SECOND_FACTOR_NEEDED}, status=403)
            return redirect(reverse("mfa_activate_totp") + "?next=" + request.path)
        return self.get_response(request)
