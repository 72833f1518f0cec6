"""Background work queued by a reader's request to allauth: its emails (accounts.account_emails)."""

from __future__ import annotations

from django_tasks import TaskContext, task

from accounts import account_emails
from core.email_tasks import email_task_failed, not_sent, task_run


@task(takes_context=True)
def account_email_send(context: TaskContext, *, template: str, sealed: str, retry: int = 0) -> bool:
    """Send one of allauth's emails (``template``, "account/email/password_reset_key", says
    which), ``sealed`` by the request that wrote it (account_emails.seal: its row holds neither
    the address nor the link or code in it, in clear), once however many times this runs
    (account_emails.account_email_send); True when it went out, False when it had gone already. A
    mail server that refuses it for now has it tried again later, ``retry`` counting the tries
    before this one (core.email_tasks)."""
    try:
        return account_emails.account_email_send(sealed=sealed, sender=task_run(context))
    except Exception as error:
        email_task_failed(
            account_email_send,
            context,
            kwargs={"template": template, "sealed": sealed},
            retry=retry,
            error=error,
            what=f"allauth's {template}",
        )
        raise not_sent(error) from None
