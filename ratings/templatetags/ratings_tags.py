from django import template

from ratings import selectors

register = template.Library()


@register.simple_tag
def rating_summary(profile):
    return selectors.summary_for(profile)
