"""Background work queued after a comment commits: the reply notification email."""

from __future__ import annotations

from django_tasks import TaskContext, task

from core.email_tasks import email_task_failed, not_sent, task_run
from discussion import notifications


@task(takes_context=True)
def reply_notification_send(context: TaskContext, *, comment_id: int, retry: int = 0) -> bool:
    """Email the author of the parent comment, if they want it, once however many times this
    runs (notifications.reply_notification_send); True when a mail went out. A mail server that
    refuses it for now has it tried again later, ``retry`` counting the tries before this one
    (core.email_tasks)."""
    try:
        return notifications.reply_notification_send(
            comment_id=comment_id, sender=task_run(context)
        )
    except Exception as error:
        email_task_failed(
            reply_notification_send,
            context,
            kwargs={"comment_id": comment_id},
            retry=retry,
            error=error,
            what=f"reply {comment_id} to its parent's author",
        )
        raise not_sent(error) from None
