"""``{{ value|ltr }}``: show a postcode, price, phone number or other run of Latin letters and digits as an
isolated left-to-right run, so it reads correctly inside right-to-left (Urdu, Arabic) text."""

from django import template
from django.utils.html import format_html

register = template.Library()


@register.filter
def ltr(value):
    if value is None or value == "":
        return ""
    return format_html('<bdi dir="ltr">{}</bdi>', value)
