from django import template
from django.utils.safestring import SafeString

from accounts import services
from accounts.avatars import avatar_svg
from accounts.models import Reader

register = template.Library()


@register.simple_tag
def avatar(name: str, seed: object, size: int = 40) -> SafeString:
    """``{% avatar comment.author_name comment.author_id %}``: initials and a colour."""
    return avatar_svg(name=str(name), seed=str(seed), size=size)


@register.simple_tag
def comment_name(user) -> str:
    """``{% comment_name user as name %}``: the name a signed-in account comments under, its
    reader profile's display name or, for an account with none yet (staff made in the admin),
    the one its first comment will give it (``services.reader_name_for_account``)."""
    try:
        return user.reader.display_name
    except Reader.DoesNotExist:
        return services.reader_name_for_account(user=user)
