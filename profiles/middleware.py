from django.shortcuts import redirect
from django.urls import reverse

ALWAYS_ALLOWED_PREFIXES = ("/accounts/", "/static/", "/media/", "/about-the-data/", "/accessibility/")


class RequireMFAMiddleware:
    """Coordinators, moderators and staff see other people's details, so they must set up a second factor first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(ALWAYS_ALLOWED_PREFIXES)
            and user.needs_mfa
            and not self._has_totp(user)
        ):
            if request.path.startswith("/api/"):
                from django.http import JsonResponse

                return JsonResponse(
                    {"detail": "Your role needs two-step verification. Set it up at /accounts/2fa/ first."}, status=403
                )
            return redirect(reverse("mfa_activate_totp") + "?next=" + request.path)
        return self.get_response(request)

    @staticmethod
    def _has_totp(user) -> bool:
        from allauth.mfa.models import Authenticator

        return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
