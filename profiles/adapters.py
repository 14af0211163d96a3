from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """Emails say only what the person needs to act on; never anything from their profile."""

    def get_login_redirect_url(self, request):
        user = request.user
        if user.is_authenticated and not user.profiles.exists():
            return "/onboarding/"
        return super().get_login_redirect_url(request)

    def get_signup_redirect_url(self, request):
        return "/onboarding/"


def user_display(user) -> str:
    """How allauth names a person in its pages and emails: the name others see (User.display_name)."""
    return user.display_name
