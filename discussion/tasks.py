"""Background work queued after a comment commits: the reply notification email."""

from __future__ import annotations

from django_tasks import TaskContext, task

from discussion import notifications


@task(takes_context=True)
def reply_notification_send(context: TaskContext, *, comment_id: int) -> bool:
    """Email the author of the parent comment, if they want it, once however many times this
    runs (notifications.reply_notification_send); True when a mail went out."""
    return notifications.reply_notification_send(
        comment_id=comment_id, sender=f"{context.task_result.id}#{context.attempt}"
    )
