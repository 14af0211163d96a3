from django.utils.functional import SimpleLazyObject

from .languages import is_draft, offered
from .preferences import for_request


def display(request):
    """``display``: the person's reading and seeing choices (base.html puts ``display.html_class`` on <html>)."""
    return {
        "display": SimpleLazyObject(lambda: for_request(request)),
        # The footer's language switcher and its "machine-drafted, not yet reviewed" note (inclusion.languages).
        "languages_offered": offered(),
        "language_is_draft": is_draft(getattr(request, "LANGUAGE_CODE", "en-gb")),
    }
