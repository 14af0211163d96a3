from django import template

from ratings import selectors

register = template.Library()


@register.simple_tag
def rating_summary(profile):
    """The listing's summary: fetched with its neighbours by prefetch_rating_summaries when on a list page."""
    cached = getattr(profile, "_rating_summary", None)
    return cached if cached is not None else selectors.summary_for(profile)


@register.simple_tag
def prefetch_rating_summaries(items) -> str:
    """Fetch the summaries of a page of listings (profiles, or objects with a .profile) in two queries."""
    profiles = [getattr(item, "profile", item) for item in items]
    summaries = selectors.summaries_for(profiles)
    for profile in profiles:
        profile._rating_summary = summaries[profile.pk]
    return ""


@register.simple_tag(takes_context=True)
def panels_to_propose(context, profile):
    """Panels the viewer sits on that could recommend this listing (the listing page's "Propose" links)."""
    request = context.get("request")
    return selectors.panels_that_may_propose(getattr(request, "user", None), profile) if request else []
