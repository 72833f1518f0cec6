"""Background work queued after a moderation action commits: its email to the comment's author."""

from __future__ import annotations

from django_tasks import TaskContext, task

from core.email_tasks import email_task_failed, not_sent, task_run
from moderation import author_emails


@task(takes_context=True)
def decision_email_send(
    context: TaskContext,
    *,
    action_id: int,
    user_id: int | None = None,
    retry: int = 0,
) -> bool:
    """Email a moderation decision to its comment's author (the account ``user_id``, None for a
    guest), once however many times this runs (author_emails.decision_email_send); True when a
    mail went out. Given ids only: its row keeps no address, nor anything the email says. A
    mail server that refuses it for now has it tried again later, ``retry`` counting the tries
    before this one (core.email_tasks)."""
    email = {"action_id": action_id, "user_id": user_id}
    try:
        return author_emails.decision_email_send(**email, sender=task_run(context))
    except Exception as error:
        email_task_failed(
            decision_email_send,
            context,
            kwargs=email,
            retry=retry,
            error=error,
            what=f"moderation action {action_id} to its author",
        )
        raise not_sent(error) from None
