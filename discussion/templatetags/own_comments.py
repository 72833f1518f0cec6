from django import template

from discussion.edit_window import edit_window_open

register = template.Library()


@register.filter
def owned_by(comment, viewer) -> bool:
    """``{% if comment|owned_by:viewer %}``: the viewer wrote it (viewer from thread_context)."""
    return bool(viewer) and viewer.owns(comment)


@register.filter
def editable(comment) -> bool:
    return edit_window_open(comment)


@register.filter
def reply_emails_off_by_profile(viewer) -> bool:
    """``{% if viewer|reply_emails_off_by_profile %}``: the viewer's profile email choice is
    Never, which sends no reply email for any comment (discussion.notifications), so a comment's
    own switch would change nothing they could notice."""
    reader = getattr(viewer, "reader", None)
    return reader is not None and not reader.notify_replies
