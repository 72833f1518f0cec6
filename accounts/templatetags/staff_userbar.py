"""``{% staff_userbar %}``: Wagtail's userbar (``{% wagtailuserbar %}``, "Edit this page" and the
admin's other quick actions) for the newsroom's staff, drawn by Wagtail's own tag.

Wagtail's tag asks ``user.has_perm`` of its admin for every reader: nothing for an anonymous
one, but two queries on every page a signed-in reader opens (the account's permissions, then its
groups'). This asks first (``accounts.selectors.user_may_use_admin``): answered by the reader
profile the masthead read to name a signed-in reader, with no query of its own, or in one query
for an account with none; for an anonymous reader it reads nothing at all. So the bar is only
ever in a page drawn for a signed-in member of the staff, who carries the session cookie:
core.pagecache never keeps such a page, nor serves them one it kept.
"""

from __future__ import annotations

from django import template
from wagtail.admin.templatetags.wagtailuserbar import wagtailuserbar

from accounts.selectors import user_may_use_admin

register = template.Library()


@register.simple_tag(takes_context=True)
def staff_userbar(context: template.Context, position: str = "bottom-right") -> str:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user_may_use_admin(user):
        return ""
    return wagtailuserbar(context, position)


@register.filter
def may_use_admin(user) -> bool:
    """Whether ``user`` may open the admin (``user_may_use_admin``): the masthead's Admin link
    shows to exactly those the userbar shows to, not by ``is_staff``, which Wagtail's admin does
    not go by (an editor given access through a group without it was offered no link, and an
    account with the flag alone a link to a page that turned it away)."""
    return bool(user.is_authenticated and user_may_use_admin(user))
