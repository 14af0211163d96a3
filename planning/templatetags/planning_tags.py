from django import template

from payments.models import pounds as _pounds

register = template.Library()


@register.filter
def pounds(pence) -> str:
    """£1,234.50 from 123450 pence."""
    return _pounds(pence)


@register.filter
def get_line(lines: dict, pk):
    return lines.get(pk)
