"""Readers: the public face of an account, and the publisher sign-on tokens already used."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class Reader(models.Model):
    """One per account that comments: the display name other readers see, and mail choices."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reader"
    )
    display_name = models.CharField(max_length=100)
    name_key = models.CharField(
        max_length=200,
        unique=True,
        help_text="The display name folded for comparison (accounts.names.name_key).",
    )
    name_loose = models.CharField(
        max_length=200,
        help_text=(
            "The folded name without punctuation, symbols or spaces "
            "(accounts.names.name_loose_key); no two members share one, and guests may not "
            "use a member's."
        ),
    )
    created_at = models.DateTimeField(default=timezone.now)
    notify_replies = models.BooleanField(
        default=True, help_text="Email this reader when someone replies to their comments."
    )
    reply_digest = models.BooleanField(
        default=False,
        help_text="Collect reply emails into one a day instead of one per reply.",
    )
    sso_subject = models.CharField(
        max_length=255,
        null=True,
        blank=True,
        unique=True,
        help_text="The user id the publisher's sign-on gave, when the reader came that way.",
    )

    class Meta:
        ordering = ["id"]
        # Not unique: members who signed up before loose keys were checked may share one. A
        # plain index (no PostgreSQL "_like" twin) as it is only ever compared for equality.
        indexes = [models.Index(fields=["name_loose"], name="reader_name_loose")]

    def __str__(self) -> str:
        return self.display_name


class ReaderNameChange(models.Model):
    """A member's display name before and after a change, kept for moderators (the member's
    earlier comments show the name they have now) and for the limit on how often a member may
    change it (DISPLAY_NAME_CHANGE_DAYS). Never rewritten; it goes with the account."""

    reader = models.ForeignKey(Reader, on_delete=models.CASCADE, related_name="name_changes")
    old_name = models.CharField(max_length=100)
    new_name = models.CharField(max_length=100)
    chosen_by_reader = models.BooleanField(
        help_text=(
            "Changed by the member on their profile; false when the publisher's sign-on "
            "changed it. Only the member's own changes count towards the limit."
        )
    )
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-changed_at", "-id"]
        indexes = [models.Index(fields=["reader", "-changed_at"], name="reader_name_change")]

    def __str__(self) -> str:
        return f"{self.old_name} → {self.new_name}"


class SsoTokenUse(models.Model):
    """A publisher sign-on token already used, kept until it expires so it cannot be replayed."""

    jti = models.CharField(max_length=255, unique=True)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return self.jti


class AccountEmail(models.Model):
    """One of allauth's emails (a confirmation, a password reset, a login code) sent by its task
    (accounts.tasks.account_email_send): one row per email, keyed by the ``Message-ID`` sealed
    with it, so that its task run a second time (its worker was lost, and the scheduler queued it
    again) sends nothing more (accounts.account_emails.account_email_send), as a moderation
    decision's ``DecisionEmail`` and a reply's ``ReplyNotification`` do. Nothing of the reader's
    is kept: the ``Message-ID`` is made of a random id and the site's own address."""

    message_id = models.CharField(
        max_length=255,
        unique=True,
        help_text="The email's Message-ID, the same for every copy of it (a random id).",
    )
    sender = models.CharField(
        max_length=80,
        blank=True,
        help_text="The task run sending the email (task id#attempt): a later attempt of the "
        "same task, whose worker was lost while sending, sends it again.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the mail server took the email; empty while it is being sent.",
    )

    def __str__(self) -> str:
        return f"Account email {self.message_id}"


class IgnoredMember(models.Model):
    """A member whose comments a signed-in reader has chosen to see collapsed ("Ignore", as
    Coral's "Ignore user" and Disqus's "Block user"). It changes that reader's pages alone: the
    member is not told, their comments and counts stay as they are for everyone else. Only
    members can be ignored (a guest has no identity that lasts from one comment to the next),
    never staff nor oneself (``accounts.services.member_ignore``). Goes with either account."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="members_ignored",
        db_index=False,  # the unique constraint's index begins with it
        help_text="The reader who ignores.",
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="ignored_by",
        help_text="The member whose comments they see collapsed.",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "member"], name="ignored_member_once"),
            models.CheckConstraint(
                condition=~models.Q(user=models.F("member")), name="ignored_member_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} ignores {self.member_id}"
