from django.apps import AppConfig


class ProfilesConfig(AppConfig):
    name = "profiles"
    verbose_name = "Register and profiles"

    def ready(self) -> None:
        from allauth.account.decorators import secure_admin_login
        from django.contrib import admin

        # The admin uses the same login as everyone (rate limits, email verification, MFA).
        admin.site.login = secure_admin_login(admin.site.login)

        from . import handlers  # noqa: F401  (API tokens end with a password change or account deletion)
