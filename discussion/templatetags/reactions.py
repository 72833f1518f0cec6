from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def reaction_label() -> str:
    """The word on the reaction button (REACTION_LABEL), read per render, never at import."""
    return settings.REACTION_LABEL
