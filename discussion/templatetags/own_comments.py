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
