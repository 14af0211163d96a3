from django import template

from messaging import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_messages(context) -> int:
    """Unread messages for the signed-in person (0 for anyone else)."""
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return 0
    return selectors.unread_total(viewer=user)
