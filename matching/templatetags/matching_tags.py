"""Template tags for matching's includes (the shortlist button on the profile page)."""

from django import template

from matching.models import Shortlist

register = template.Library()


@register.simple_tag(takes_context=True)
def shortlist_entry_id(context, profile):
    """The signed-in person's shortlist entry id for this listing, or None."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    return Shortlist.objects.filter(user=user, profile=profile).values_list("pk", flat=True).first()


@register.filter
def role_label(role: str) -> str:
    from django.utils.translation import gettext

    from profiles.vocabulary import ROLES

    return gettext(ROLES[role]) if role in ROLES else role
