"""Background work queued after a comment commits: the reply notification email."""

from __future__ import annotations

from django_tasks import task

from discussion import notifications


@task()
def reply_notification_send(*, comment_id: int) -> bool:
    """Email the author of the parent comment, if they want it; True when a mail went out."""
    return notifications.reply_notification_send(comment_id=comment_id)
