from django import template
from django.template.loader import render_to_string

from inclusion.easyread import JOURNEYS
from inclusion.preferences import for_request

register = template.Library()


@register.simple_tag(takes_context=True)
def easy_read(context, journey: str) -> str:
    """The easy-read version of a journey when the person has easy read on, else a switch to turn it on."""
    request = context.get("request")
    if request is None or journey not in JOURNEYS:
        return ""
    display = for_request(request)
    return render_to_string(
        "inclusion/easy_read.html",
        {"journey": JOURNEYS[journey], "on": display.easy_read, "next": request.get_full_path()},
        request=request,
    )
