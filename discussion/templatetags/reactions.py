from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def reaction_label() -> str:
    """The word on the reaction button (REACTION_LABEL), read per render, never at import."""
    return settings.REACTION_LABEL


@register.simple_tag
def staff_badge_label() -> str:
    """The badge beside a staff member's name (STAFF_BADGE_LABEL; empty for none), read per
    render, never at import."""
    return settings.STAFF_BADGE_LABEL
