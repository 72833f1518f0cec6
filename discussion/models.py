"""Threads and comments.

A thread belongs to one Wagtail page (or, for embeds, one external URL). Comments form a tree:
top-level comments carry a ``number`` (their place in the numbered list, oldest first) and
replies carry their ``root`` and a materialised ``path`` of zero-padded ids, so that a root's
replies sort in reading order (depth first) with one index scan, and any page of them is a
keyset query instead of an offset.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class Thread(models.Model):
    # A deleted page leaves its thread, with every comment, report, appeal and moderation
    # decision under it, as the record they are (the transparency report counts them): the
    # thread keeps its title and loses its page, and nothing shows it to readers again.
    page = models.OneToOneField(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="discussion_thread",
    )
    title = models.CharField(
        max_length=255, help_text="The article's headline as last published; kept if it goes."
    )
    listed = models.BooleanField(
        default=True,
        help_text=(
            "Whether readers' profiles may name the article once it is deleted: false when it "
            "was withdrawn or private at the time, so deleting it does not bring its headline "
            "back into sight."
        ),
    )
    is_closed = models.BooleanField(
        default=False, help_text="A closed thread shows its comments but takes no new ones."
    )
    guests_allowed = models.BooleanField(
        null=True,
        blank=True,
        default=None,
        help_text="May guests comment here? Empty follows the site (COMMENTS_REQUIRE_ACCOUNT).",
    )
    comment_count = models.PositiveIntegerField(default=0, editable=False)
    top_level_count = models.PositiveIntegerField(default=0, editable=False)
    version = models.PositiveBigIntegerField(
        default=1, editable=False, help_text="Bumped by every write; cache keys carry it."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        # Closing and reopening alone, without the rest of "change" (whether guests may post):
        # the moderators' night-shift lever (Admin > Discussions), granted to Wagtail's
        # "Moderators" group by moderation's migration 0012.
        permissions = [("close_thread", "Can close and reopen a discussion")]

    def __str__(self) -> str:
        return self.title


class Comment(models.Model):
    class Status(models.TextChoices):
        PUBLISHED = "published", "Published"
        PENDING = "pending", "Pending review"
        REJECTED = "rejected", "Rejected"
        DELETED = "deleted", "Deleted (replies kept)"

    PATH_STEP = 12  # digits per id in ``path``: room for a trillion comments
    MAX_DEPTH = 50  # replies nest at most this deep, so ``path`` stays within its column

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="comments")
    # The indexes of the three nullable keys are in Meta: partial, or (root) part of another.
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
        db_index=False,
    )
    root = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="descendants",
        db_index=False,
    )
    depth = models.PositiveSmallIntegerField(default=0)
    path = models.CharField(max_length=700, blank=True)
    number = models.PositiveIntegerField(
        null=True, blank=True, help_text="Place in the numbered list of top-level comments."
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="comments",
        db_index=False,
    )
    author_name = models.CharField(max_length=100)
    author_is_staff = models.BooleanField(
        default=False,
        db_default=False,
        help_text=(
            "Written by a member of the newsroom's staff (one who may use the admin), as they "
            "were when they wrote it: shown as a badge beside their name (STAFF_BADGE_LABEL)."
        ),
    )
    author_email = models.EmailField(
        blank=True,
        help_text="A guest's optional address: never shown, used only to tell them about "
        "moderation decisions.",
    )
    body = models.TextField(help_text="As the reader typed it (markdown).")
    html = models.TextField(help_text="The body rendered and sanitised when it was written.")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PUBLISHED)
    reply_count = models.PositiveIntegerField(
        default=0, help_text="Published replies under a top-level comment, at any depth."
    )
    reaction_count = models.PositiveIntegerField(default=0)
    is_featured = models.BooleanField(
        default=False, help_text="Chosen by staff to show in the strip above the thread."
    )
    idempotency_key = models.CharField(max_length=64, blank=True)
    notify_replies = models.BooleanField(
        default=True, help_text="Email the author about replies to this comment (if they want)."
    )
    created_at = models.DateTimeField()
    edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [
            # Oldest and newest first read top-level comments by their place in the thread
            # (discussion.selectors._page_rows says why not by id).
            models.Index(
                fields=["thread", "number"],
                condition=Q(depth=0),
                name="comment_top_level",
            ),
            # A thread's replies in order; also every lookup by ``root`` alone.
            models.Index(fields=["root", "path"], name="comment_replies"),
            # Every comment is written to each index of this table, so the keys that are empty
            # for most comments (a top-level comment has no parent, a guest's no author) index
            # only the comments that have one: the lookups by them ask for a value.
            models.Index(
                fields=["parent"], condition=Q(parent__isnull=False), name="comment_parent"
            ),
            models.Index(
                fields=["author"], condition=Q(author__isnull=False), name="comment_author"
            ),
            # One per sort of top-level comments, so every sort is a keyset scan whose cost does
            # not grow with the thread ("newest" reads comment_top_level backwards).
            models.Index(
                fields=["thread", "reaction_count", "id"],
                condition=Q(depth=0),
                name="comment_top_by_reactions",
            ),
            models.Index(
                fields=["thread", "reply_count", "id"],
                condition=Q(depth=0),
                name="comment_top_by_replies",
            ),
            # The featured strip reads only the few featured comments of a thread.
            models.Index(
                fields=["thread", "id"], condition=Q(is_featured=True), name="comment_featured"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["thread", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="comment_idempotency_key",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.author_name}: {self.body[:40]}"

    @property
    def root_id_or_self(self) -> int:
        return self.root_id or self.pk


class Reaction(models.Model):
    """One reader's "Recommend" (the label is REACTION_LABEL) on one comment.

    ``reader_key`` is "u<user id>" for a signed-in reader and "g<guest cookie>" for a guest, so the
    unique constraint is what keeps it to one per reader even when requests race.
    """

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="reactions")
    # No link to the account: a reader who deletes theirs leaves the count as it was.
    reader_key = models.CharField(max_length=64)
    # Where the press came from (``core.client.client_network``: an IPv4 address or an IPv6
    # /64), for moderation's look for coordinated recommending (moderation.brigades). Null:
    # recommended before it was recorded (migration 0017), or loaded in bulk (the demo).
    network = models.CharField(max_length=64, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["comment", "reader_key"], name="reaction_once"),
        ]
        indexes = [
            # The recent reactions, for the scheduler's look for bursts (moderation.brigades).
            models.Index(fields=["created_at"], name="reaction_created"),
            # Whether a reader recommended anything before a burst (a reader new to the site).
            models.Index(fields=["reader_key", "created_at"], name="reaction_reader"),
        ]

    def __str__(self) -> str:
        return f"Reaction by {self.reader_key} on comment {self.comment_id}"


class ReplyDigest(models.Model):
    """A reader's daily digest being sent (``send_reply_digests``): its replies
    (``ReplyDigestItem.digest``) are taken into it, and committed, before the email is sent, and
    it goes with them once the mail server took it, so a digest is sent once and no transaction
    waits on the mail server (discussion.notifications.reply_digests_send)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sender = models.CharField(
        max_length=80,
        help_text="The run sending it; a later run takes over one left unsent by a run that died.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Reply digest {self.pk} for user {self.user_id}"


class ReplyDigestItem(models.Model):
    """A reply waiting for its reader's daily digest email (``send_reply_digests``)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="+")
    digest = models.ForeignKey(
        ReplyDigest,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="items",
        help_text="The digest being sent with this reply in it; empty while it waits.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["user", "id"]

    def __str__(self) -> str:
        return f"Reply {self.comment_id} for user {self.user_id}"


class ReplyNotification(models.Model):
    """A reply told to its parent's author, by email or in their daily digest: one row per reply
    and recipient, so that a task run a second time (its worker was lost, and the scheduler
    queued it again) or a second task for the same reply (held after it was published, and
    approved again) tells them nothing more (discussion.notifications)."""

    class Via(models.TextChoices):
        EMAIL = "email", "Email"
        DIGEST = "digest", "Daily digest"

    reply = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    via = models.CharField(max_length=10, choices=Via.choices)
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
        help_text="When the mail server took the email, or the reply was put in the digest; "
        "empty while it is being sent.",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["reply", "user"], name="reply_notified_once"),
        ]

    def __str__(self) -> str:
        return f"Reply {self.reply_id} told to user {self.user_id} by {self.via}"


class CommentRevision(models.Model):
    """A comment's text before an edit or a deletion by its author, kept for moderators."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField()
    html = models.TextField()
    written_at = models.DateTimeField(help_text="When this text was first shown.")
    replaced_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["comment", "id"]

    def __str__(self) -> str:
        return f"Revision of comment {self.comment_id}"
