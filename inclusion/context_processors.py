from django.utils.functional import SimpleLazyObject

from .preferences import for_request


def display(request):
    """``display``: the person's reading and seeing choices (base.html puts ``display.html_class`` on <html>)."""
    return {"display": SimpleLazyObject(lambda: for_request(request))}
