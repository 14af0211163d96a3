"""Strings on the sign-in and sign-up pages that come from django-allauth's and Django's own templates and
forms (docs/languages.md). Listing them here lets ``makemessages`` keep them in locale/, so our catalogues
translate them where the packages ship no translation (Welsh, Urdu, Punjabi, Bengali) and say them the same
way as the rest of the site everywhere. Nothing imports this module; the msgids must match the packages'
exactly (check them when allauth or Django is upgraded).
"""

from django.utils.translation import gettext_noop, ngettext_lazy

ALLAUTH = (
    gettext_noop("Sign Up"),
    gettext_noop("Signup"),
    gettext_noop("Sign In"),
    gettext_noop("Sign in with a passkey"),
    gettext_noop("Sign up using a passkey"),
    gettext_noop("Send me a sign-in code"),
    gettext_noop("Already have an account? Then please %(link)ssign in%(end_link)s."),
    gettext_noop("If you have not created an account yet, then please %(link)ssign up%(end_link)s first."),
    gettext_noop("Email"),
    gettext_noop("Password"),
    gettext_noop("Password (again)"),
    gettext_noop("Remember Me"),
    gettext_noop("Forgot your password?"),
)

DJANGO_PASSWORD_RULES = (
    gettext_noop("Your password can’t be too similar to your other personal information."),
    ngettext_lazy(
        "Your password must contain at least %(min_length)d character.",
        "Your password must contain at least %(min_length)d characters.",
        "min_length",
    ),
    gettext_noop("Your password can’t be a commonly used password."),
    gettext_noop("Your password can’t be entirely numeric."),
)
