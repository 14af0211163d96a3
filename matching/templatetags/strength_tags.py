from django import template

register = template.Library()


@register.simple_tag
def profile_strength(profile):
    """{% profile_strength profile as strength %}: matching.strength for a supporter's own listing."""
    from matching.strength import profile_strength as strength

    return strength(profile)
