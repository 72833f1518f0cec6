from django import template
from django.utils.safestring import SafeString

from accounts.avatars import avatar_svg

register = template.Library()


@register.simple_tag
def avatar(name: str, seed: object, size: int = 40) -> SafeString:
    """``{% avatar comment.author_name comment.author_id %}``: initials and a colour."""
    return avatar_svg(name=str(name), seed=str(seed), size=size)
