"""A signed-in person's saved language wins over the browser's cookie and languages (inclusion.languages)."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation

from .languages import has_catalogue, known, language_save, saved_language


class PersonLanguageMiddleware:
    """After AuthenticationMiddleware (and LocaleMiddleware, which has already chosen from the cookie)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        if signed_in:
            code = saved_language(user)
            if known(code) and has_catalogue(code):
                translation.activate(code)
                request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        # The stock set_language view is the only thing that sets the language cookie: when a signed-in
        # person uses the switcher, save the choice on their account too.
        if signed_in and settings.LANGUAGE_COOKIE_NAME in response.cookies:
            language_save(user=user, code=response.cookies[settings.LANGUAGE_COOKIE_NAME].value)
        return response
