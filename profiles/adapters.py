from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.forms import RequestLoginCodeForm as AllauthRequestLoginCodeForm
from allauth.core import context
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from marketplace import throttling
from marketplace.client_ip import client_ip


def _login_of(credentials: dict) -> str:
    return credentials.get("email") or credentials.get("username") or ""


class AccountAdapter(DefaultAccountAdapter):
    """Emails say only what the person needs to act on; never anything from their profile."""

    def get_login_redirect_url(self, request):
        user = request.user
        if user.is_authenticated and not user.profiles.exists():
            return "/onboarding/"
        return super().get_login_redirect_url(request)

    def get_signup_redirect_url(self, request):
        return "/onboarding/"

    # Sign-in limits -------------------------------------------------------------------------------------
    # allauth keeps its per-IP limits (ACCOUNT_RATE_LIMITS); the per-account limit is ours: a backoff per
    # account and address (marketplace/throttling.py), so wrong passwords from one place never stop the
    # owner signing in from another, or by emailed code.

    def get_client_ip(self, request):
        """allauth's rate limits take the address from the same helper as every other limit."""
        return client_ip(request)

    def pre_authenticate(self, request, **credentials):
        super().pre_authenticate(request, **credentials)  # allauth's failed sign-ins per IP
        verdict = throttling.signin_attempt(request, _login_of(credentials))
        if verdict.wait:
            raise ValidationError(throttling.signin_refusal_message(verdict), code="too_many_login_attempts")

    def authenticate(self, request, **credentials):
        user = super().authenticate(request, **credentials)
        if user is not None:
            throttling.signin_succeeded(request, _login_of(credentials))
        return user


class RequestLoginCodeForm(AllauthRequestLoginCodeForm):
    """Asking for an emailed sign-in code, limited per email and address together (ACCOUNT_FORMS).

    allauth's own limit counts per email from anywhere, so one place asking for someone's codes three
    times a minute would keep the owner from ever getting one."""

    def clean_email(self):
        email = self.cleaned_data["email"]
        if email and not throttling.login_code_request_allowed(context.request, email):
            raise ValidationError(
                _(
                    "We have sent several sign-in codes to this email address recently. Use the newest code in your "
                    "email, or wait a few minutes and ask again."
                ),
                code="too_many_login_attempts",
            )
        return super().clean_email()


def user_display(user) -> str:
    """How allauth names a person in its pages and emails: the name others see (User.display_name)."""
    return user.display_name
