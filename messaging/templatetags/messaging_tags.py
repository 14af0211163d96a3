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


@register.simple_tag(takes_context=True)
def interest_with(context, other_user_id):
    """For a listing's page: ``{"mutual": bool, "conversation": url or ""}`` between the viewer and its owner."""
    from messaging import interest, services
    from profiles.models import User

    user = context.get("user")
    if user is None or not user.is_authenticated or not other_user_id or other_user_id == user.pk:
        return {"mutual": False, "conversation": ""}
    if not interest.both_interested(user.pk, other_user_id):
        return {"mutual": False, "conversation": ""}
    other = User.objects.filter(pk=other_user_id).first()
    conversation = services.conversation_direct_between(user, other) if other else None
    return {"mutual": True, "conversation": conversation.get_absolute_url() if conversation else ""}
