"""Moderation actions as classes: ``check()`` asks whether this may be done, ``execute()`` does it
and writes the audit entry, in one transaction.

Every path that moderates (the admin queues, bulk actions, reader reports reaching their
threshold, a future API) goes through these classes, so every change leaves a
:class:`~moderation.models.ModerationAction`: who or what did it, when, the reason code, the rule
or score behind it. That entry is also the author's statement of reasons, and what they appeal.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from core.numbers import ascii_int
from core.task_queue import task_enqueue
from discussion.models import Comment, Thread
from discussion.services import comment_set_featured, comment_set_status
from moderation import live_queue, selectors
from moderation.models import Appeal, CommentReview, ModerationAction, ReaderStanding, Report
from moderation.reasons import BAN_REASONS
from moderation.tasks import decision_email_send

PERMISSION = "moderation.moderate_comments"
State = CommentReview.State
Kind = ModerationAction.Kind


# The longest note to an author a moderator may write (the queue's, the appeal's and a
# campaign's boxes say so with ``maxlength``). A longer one is refused, never cut short: the
# author would read a sentence that stops halfway, as the moderator's words.
NOTE_MAX_LENGTH = 1000


class ActionError(Exception):
    """The action cannot be done as asked; the message says why, for the moderator. ``field``
    names the form field to put right, where there is one ("reason_code", "note"), so the form
    can come back with it marked."""

    def __init__(self, message: str, *, field: str = ""):
        super().__init__(message)
        self.field = field


class NothingToReject(ActionError):
    """The comment is no longer there to reject: its author deleted it, or it is rejected
    already. A rejection of several comments passes over it and goes on with the rest."""


class NothingToHold(ActionError):
    """The comment is no longer published when an automatic hold comes to take it down: a
    moderator decided it, or its author deleted it, after the reports or the scan that led to
    the hold read it. It is with the moderators or gone already, so nothing is done."""


class AlreadyApproved(ActionError):
    """The comment is approved already, with no report since (another moderator, or another
    tab, decided it first): approving it again would change nothing, so nothing is done."""


class CommentDeleted(ActionError):
    """Its author deleted the comment (a shell kept for its replies): there is nothing to
    approve."""


class TextChanged(ActionError):
    """The comment's text is not the text the moderator read: its author edited it since."""


class DecidedSince(ActionError):
    """Another moderator (or the moderator, in another tab; or reader reports, automatically)
    decided the comment after the moderator's card was shown: the card's approve or reject
    would silently overturn a decision they never saw, so nothing is done. ``what`` says what
    happened, for a bulk action's count ("rejected by another moderator")."""

    def __init__(self, message: str, *, what: str):
        super().__init__(message)
        self.what = what


class ReportedSince(DecidedSince):
    """A reader reported the comment after the moderator's card was shown: an approve (the
    Reported queue's "Keep (dismiss reports)") or a feature would dismiss a report they never
    read, perhaps for a graver reason than those they did, so nothing is done. A rejection is
    not refused for it: a new report does not make removing the comment wrong."""


TEXT_CHANGED = (
    "This comment was edited after you opened the queue; read the new text and decide again."
)
TEXT_UNSEEN = (
    "This form did not say which text of the comment you read (it may be from an older page), "
    "so nothing was done; read the comment in the queue again and decide."
)


def check_note(note: str) -> None:
    """Refuse a note to an author longer than :data:`NOTE_MAX_LENGTH`, saying by how much."""
    if len(note) > NOTE_MAX_LENGTH:
        raise ActionError(
            f"The note has {len(note):,} characters, and a note can have at most "
            f"{NOTE_MAX_LENGTH:,}: shorten it, then send it again. Nothing was done.",
            field="note",
        )


def text_token(body: str) -> str:
    """What a moderator's form says they read: a digest of the comment's text as the card showed
    it. An action that publishes compares it with the text it would publish (``seen``)."""
    return hashlib.sha256(body.encode()).hexdigest()[:32]


def card_token(*, body: str, decided: int | None, reported: int | None = None) -> str:
    """What a queue card's forms send back as ``seen``: the text it showed (:func:`text_token`),
    the newest decision on the comment when it was shown (the audit entry's id,
    ``selectors.DECISIONS``; 0 for none) and the newest unanswered report it showed
    (``CommentReview.last_report``; 0 for none), as "<text>.<decision>.<report>"."""
    return f"{text_token(body)}.{decided or 0}.{reported or 0}"


def _read_seen(seen: str | None) -> tuple[str | None, int | None, int | None]:
    """A form's ``seen`` as (the text's token, the decision it was shown with, the newest report
    it showed). A token without its decision, or without its report (a page from before cards
    carried them), checks what it has."""
    if seen is None:
        return None, None, None
    text, _, rest = seen.partition(".")
    decided, _, reported = rest.partition(".")
    return (
        text,
        ascii_int(decided),
        ascii_int(reported),
    )


class Action:
    """Base class. ``user`` is the moderator; ``automated=True`` is the system acting on a rule."""

    kind: str = ""
    human_only = False  # appeals: a person must decide

    def __init__(self, *, user=None, automated: bool = False, note: str = "", **kwargs: Any):
        self.user = user
        self.automated = automated
        self.note = note
        self.evidence: dict = kwargs.pop("evidence", {}) or {}
        self.reason_code: str = kwargs.pop("reason_code", "") or ""
        if kwargs:
            raise TypeError(f"unexpected arguments: {', '.join(kwargs)}")

    def check(self) -> None:
        if self.automated:
            if self.human_only:
                raise PermissionDenied("Only a person can decide this.")
        elif self.user is None or not self.user.has_perm(PERMISSION):
            raise PermissionDenied("You do not have permission to moderate comments.")
        check_note(self.note)

    def execute(self) -> ModerationAction:
        self.check()
        with transaction.atomic():
            return self._execute()

    def _execute(self) -> ModerationAction:  # pragma: no cover - subclasses say what they do
        raise NotImplementedError(f"{type(self).__name__} must define _execute()")

    def _log(self, *, comment: Comment | None = None, reader_key: str = "") -> ModerationAction:
        if comment is not None and not reader_key:
            reader_key = (
                CommentReview.objects.filter(comment=comment)
                .values_list("reader_key", flat=True)
                .first()
                or ""
            )
        entry = ModerationAction.objects.create(
            kind=self.kind,
            comment=comment,
            reader_key=reader_key,
            reason_code=self.reason_code,
            note=self.note,
            automated=self.automated,
            evidence=self.evidence,
            actor=None if self.automated else self.user,
        )
        if comment is not None:
            # The moderators' open queues hear of it once it commits (a hold says where it put
            # the comment: HoldComment's state).
            live_queue.decision_made(
                entry, thread_id=comment.thread_id, queue=getattr(self, "state", "")
            )
        return entry


def _review(comment: Comment) -> CommentReview:
    review, _ = CommentReview.objects.get_or_create(
        comment=comment,
        defaults={"thread_id": comment.thread_id, "state": State.UNMODERATED, "outcome": ""},
    )
    return review


def _decided(comment: Comment, *, state: str, **fields: Any) -> None:
    """A moderator's decision moves the comment to ``state`` and answers its open reports, so it
    leaves the Reported queue (until a reader reports it again)."""
    CommentReview.objects.filter(pk=_review(comment).pk).update(
        state=state, last_report=None, **fields
    )


def _approved_and_unreported(comment: Comment) -> bool:
    """Whether a moderator's approval stands on ``comment`` with no report since: approving it
    again would change nothing. One with a report since is approved again on purpose, which
    answers the report (it leaves the Reported queue)."""
    return CommentReview.objects.filter(
        comment=comment, state=State.APPROVED, last_report__isnull=True
    ).exists()


def _tell_author(comment: Comment, action: ModerationAction) -> None:
    """Email the author, if they gave an address (account or guest), of ``action``: queued as a
    task (moderation.tasks), its row written in the action's transaction (core.task_queue), so
    a worker sends it once the decision commits, and never without it; the moderator's request
    never waits for the mail server, and a refusal for now is tried again later.

    The task is given ids only (the action's, and the author's account's): its row, which the
    task backend keeps, holds neither the address, nor the comment's words, nor the statement's
    key. It writes the email from the database when it runs (moderation.author_emails), so an
    account deleted, or a comment removed, by then is emailed nothing."""
    author_id = comment.author_id
    if author_id is None and not comment.author_email:
        return
    task_enqueue(decision_email_send, action_id=action.pk, user_id=author_id)


def _tell_member(action: ModerationAction) -> None:
    """Email a member of a decision about them with no comment (their ban, its appeal's answer),
    as ``_tell_author`` does a comment's author: queued with the action, written when it runs. A
    guest's ban names no address to write to: they read it where their comment was refused."""
    user_id = ascii_int(action.reader_key.removeprefix("user:"))
    if action.reader_key.startswith("user:") and user_id is not None:
        task_enqueue(decision_email_send, action_id=action.pk, user_id=user_id)


class _CommentAction(Action):
    def __init__(self, *, comment: Comment, seen: str | None = None, **kwargs: Any):
        """``seen`` is what the moderator's card showed, from their form (:func:`card_token`):
        an action that puts the comment before readers refuses (:class:`TextChanged`) when its
        text is no longer that, and an approve, feature or reject refuses
        (:class:`DecidedSince`) when the comment was decided after the card was shown. None (a
        rule, a campaign's dismissal) checks nothing. An approve or feature also refuses
        (:class:`ReportedSince`) when it would dismiss a report newer than those the card
        showed."""
        super().__init__(**kwargs)
        self.comment = comment
        self.seen, self.seen_decision, self.seen_report = _read_seen(seen)

    def _as_it_stands(self) -> Comment:
        """The comment's row as it stands now, locked with its thread (the order an edit and
        ``comment_set_status`` take them in) until the action commits.

        A decision is checked against this, not against the copy the moderator's page loaded:
        a card sent twice (a double click, a second tab, the Rejected queue's own Reject) or two
        moderators on one card must decide once, or the author is told twice and the
        transparency report counts the decision twice."""
        Thread.objects.select_for_update().only("id").get(pk=self.comment.thread_id)
        current = (
            Comment.objects.select_for_update()
            .only("id", "status", "is_featured")
            .filter(pk=self.comment.pk)
            .first()
        )
        if current is None:  # its author deleted it, with no reply to keep its shell
            raise NothingToReject("Its author deleted this comment, so nothing was done.")
        return current

    def _text_as_seen(self) -> None:
        """Refuse unless the comment's text is still the one the moderator read.

        Checked with the thread and then the comment locked (the order an edit takes them in),
        until the action commits: an edit saved after this check waits for the action, and is
        then screened as an edit of an approved comment (moderation.pipeline.step_trust)."""
        if self.seen is None:
            return
        Thread.objects.select_for_update().only("id").get(pk=self.comment.thread_id)
        body = (
            Comment.objects.select_for_update()
            .filter(pk=self.comment.pk)
            .values_list("body", flat=True)
            .first()
        )
        if body is None or text_token(body) != self.seen:
            raise TextChanged(TEXT_CHANGED)

    def _decision_as_seen(self, current: Comment, *, doing: str) -> None:
        """Refuse unless the comment stands as decided when the moderator's card was shown: no
        approval, rejection, hold, feature or appeal decision since (``selectors.DECISIONS``).

        Called with the thread and comment locked (:meth:`_as_it_stands`), which every decision
        locks first too, until the action commits: one made after this check waits for this
        action, and then overturns it knowingly. ``doing`` is this action, for the message
        ("approve")."""
        if self.seen_decision is None:
            return
        since = selectors.decision_since(comment_id=self.comment.pk, seen=self.seen_decision)
        if since is None:
            return
        what, who, who_in_short = _decision_words(since, user=self.user)
        review = CommentReview.objects.filter(comment=self.comment).first()
        queue = selectors.queue_listing(review, status=current.status) if review else ""
        where = f" in the {queue} queue" if queue else ""
        standing = _STANDING.get(current.status, "as it is")
        raise DecidedSince(
            f"{self.comment.author_name}'s comment was {' '.join(filter(None, [what, who]))} "
            f"since this page was shown, so it was left {standing}. To {doing} it, open it "
            f"again{where}.",
            what=" ".join(filter(None, [what, who_in_short])),
        )

    def _reports_as_seen(self) -> None:
        """Refuse to dismiss a report the moderator's card did not show: one a reader sent after
        the page was shown (newer than ``seen_report``), and still unanswered.

        The review row is locked until the action commits (after the thread and the comment,
        the order in which the action then updates it): a report sent after this check waits
        for the action, and then stays unanswered, in the Reported queue."""
        if self.seen_report is None:
            return
        newest = (
            CommentReview.objects.select_for_update()
            .filter(comment=self.comment)
            .values_list("last_report_id", flat=True)
            .first()
        )
        if newest is None or newest <= self.seen_report:
            return
        reasons = list(
            Report.objects.filter(comment=self.comment, id__gt=self.seen_report, id__lte=newest)
            .order_by("id")
            .values_list("reason", flat=True)
        )
        words = dict.fromkeys(str(Report.Reason(reason).label).lower() for reason in reasons)
        again = "reported again" if self.seen_report else "reported"
        report = "the new reports" if len(reasons) > 1 else "the new report"
        raise ReportedSince(
            f"{self.comment.author_name}'s comment was {again} since this page was shown "
            f"({', '.join(words)}); nothing was changed. Open it again to see {report}.",
            what=again,
        )


# Where a comment a refused action left alone stands, in a moderator's words.
_STANDING = {
    Comment.Status.PUBLISHED: "published",
    Comment.Status.PENDING: "hidden from readers",
    Comment.Status.REJECTED: "rejected",
}


def _decision_words(entry: ModerationAction, *, user) -> tuple[str, str, str]:
    """What a decision did, who made it, and who in a bulk action's count (no names), for a
    moderator told about it: ("rejected", "by another moderator (ola)", "by another moderator")."""
    evidence = entry.evidence or {}
    if entry.kind == Kind.HOLD and entry.reason_code == "reported":  # services._HELD_BY_REPORTS
        return "taken down after reader reports", "", ""
    if entry.kind == Kind.APPROVE and evidence.get("kept_up"):
        what = "kept up, its reports dismissed,"
    else:
        what = {
            Kind.HOLD: "held for review",
            Kind.APPROVE: "approved",
            Kind.REJECT: "rejected",
            Kind.FEATURE: "featured",
            Kind.APPEAL_UPHELD: "restored on appeal",
            Kind.APPEAL_DENIED: "kept removed on appeal",
        }.get(entry.kind, "decided")
    if entry.automated:
        return what, "automatically", "automatically"
    if user is not None and entry.actor_id == user.pk:
        return what, "by you, in another tab or window,", "by you, in another tab"
    name = entry.actor.get_username() if entry.actor is not None else ""
    who = f"by another moderator ({name})" if name else "by another moderator"
    return what, who, "by another moderator"


def decision_said(entry: ModerationAction, *, user) -> str:
    """A decision in a line, for a card shown before it: "Approved by another moderator (ola)",
    "Held for review automatically", "Rejected by you, in another tab or window"."""
    what, who, _short = _decision_words(entry, user=user)
    said = " ".join(filter(None, [what, who])).rstrip(",")
    return said[:1].upper() + said[1:]


class HoldComment(_CommentAction):
    """Take a comment down for review (reader reports reaching their threshold)."""

    kind = Kind.HOLD

    def __init__(self, *, state: str = State.PENDING, unless_approved: bool = False, **kwargs: Any):
        super().__init__(**kwargs)
        self.state = state
        # A hold that must give way to a moderator's approval (the campaign scan's): the scan
        # read the comment as not yet moderated, and a moderator may have approved it since.
        self.unless_approved = unless_approved

    def _execute(self) -> ModerationAction:
        # As it stands now, not as the report's page or the campaign scan read it: a rejection
        # (or its author's deletion) since must not be turned back into "waiting".
        try:
            current = self._as_it_stands()
        except NothingToReject as gone:
            raise NothingToHold(str(gone)) from gone
        if current.status != Comment.Status.PUBLISHED:
            raise NothingToHold("This comment is not published, so there is nothing to hold.")
        # Read with the thread and the comment locked, as an approval takes them: one that
        # committed first is seen here, and one that comes later waits for this hold.
        if self.unless_approved and _review(self.comment).state == State.APPROVED:
            raise NothingToHold("A moderator approved this comment, so it stays up.")
        comment_set_status(comment=self.comment, status=Comment.Status.PENDING)
        CommentReview.objects.filter(pk=_review(self.comment).pk).update(state=self.state)
        return self._log(comment=self.comment)


class ApproveComment(_CommentAction):
    """Publish a comment, or keep one up; either way its open reports are answered.

    On a comment with open reports the audit entry says so (evidence ``reports_dismissed``, and
    ``kept_up`` when it was published all along): approving one that readers reported and left
    up publishes nothing, it dismisses the reports, and the moderator is told that."""

    kind = Kind.APPROVE

    def _execute(self) -> ModerationAction:
        current = self._as_it_stands()
        if current.status == Comment.Status.DELETED:
            raise CommentDeleted("A deleted comment cannot be approved.")
        if current.status == Comment.Status.PUBLISHED and _approved_and_unreported(current):
            raise AlreadyApproved("This comment is approved already, so nothing was done.")
        self._text_as_seen()
        self._decision_as_seen(current, doing="approve")
        self._reports_as_seen()
        if current.status == Comment.Status.REJECTED and not self.automated:
            appeal = Appeal.objects.filter(comment=self.comment, status=Appeal.Status.OPEN).first()
            if appeal is not None:
                # Its author has appealed the rejection: publishing it again is the appeal
                # upheld, by this moderator, so it leaves the Appeals queue, its author is told
                # (not, later, that a moderator turned it down), and the report counts a reversal.
                return DecideAppeal(appeal=appeal, uphold=True, user=self.user).execute()
        if CommentReview.objects.filter(comment=self.comment, last_report__isnull=False).exists():
            kept_up = current.status == Comment.Status.PUBLISHED
            self.evidence = {**self.evidence, "reports_dismissed": True, "kept_up": kept_up}
        comment_set_status(comment=self.comment, status=Comment.Status.PUBLISHED)
        _decided(self.comment, state=State.APPROVED)
        return self._log(comment=self.comment)


class RejectComment(_CommentAction):
    """Reject with a reason code (see moderation.reasons) and an optional note to the author."""

    kind = Kind.REJECT

    def check(self) -> None:
        super().check()
        if not self.reason_code:
            raise ActionError("Choose a reason: the author is told it.", field="reason_code")

    def _execute(self) -> ModerationAction:
        current = self._as_it_stands()
        if current.status == Comment.Status.DELETED:
            # Its author took it down: rejecting the shell would tell them it was not published,
            # offer an appeal, and an upheld appeal would publish an empty comment in their name.
            raise NothingToReject("Its author deleted this comment, so there is nothing to reject.")
        if current.status == Comment.Status.REJECTED:
            # A second rejection would email the author again, give them a second decision to
            # appeal, and count twice in the transparency report.
            raise NothingToReject(
                "This comment is rejected already, so nothing was done: its author was told once."
            )
        self._decision_as_seen(current, doing="reject")
        if current.status == Comment.Status.PUBLISHED:
            # Readers had it: its author is told it was removed, not that it was not published.
            self.evidence = {**self.evidence, "was_published": True}
        comment_set_status(comment=self.comment, status=Comment.Status.REJECTED)
        _decided(self.comment, state=State.REJECTED)
        entry = self._log(comment=self.comment)
        _tell_author(self.comment, entry)
        return entry


class FeatureComment(_CommentAction):
    kind = Kind.FEATURE

    def _execute(self) -> ModerationAction:
        current = self._as_it_stands()
        if current.status != Comment.Status.PUBLISHED:
            raise ActionError("Only a published comment can be featured.")
        if current.is_featured:
            raise ActionError("This comment is featured already, so nothing was done.")
        self._text_as_seen()
        self._decision_as_seen(current, doing="feature")
        self._reports_as_seen()
        # The flag readers see lives on the comment, so the thread can show its featured strip
        # without reading moderation's tables; the review keeps its copy for the queue.
        comment_set_featured(comment=self.comment, featured=True)
        _decided(self.comment, state=State.APPROVED, is_featured=True)
        return self._log(comment=self.comment)


class UnfeatureComment(_CommentAction):
    """Take a comment out of the featured strip (it stays published where it was)."""

    kind = Kind.UNFEATURE

    def _execute(self) -> ModerationAction:
        if not Comment.objects.filter(pk=self.comment.pk, is_featured=True).exists():
            raise ActionError("This comment is not featured.")
        comment_set_featured(comment=self.comment, featured=False)
        CommentReview.objects.filter(comment=self.comment).update(is_featured=False)
        return self._log(comment=self.comment)


class _ReaderAction(Action):
    def __init__(self, *, reader_key: str, **kwargs: Any):
        super().__init__(**kwargs)
        if not reader_key:
            raise ActionError("This comment's author cannot be identified.")
        self.reader_key = reader_key

    def _standing(self) -> ReaderStanding:
        standing, _ = ReaderStanding.objects.select_for_update().get_or_create(
            reader_key=self.reader_key
        )
        return standing


class BanReader(_ReaderAction):
    """Ban a reader site-wide: permanently (``until=None``) or until a time."""

    kind = Kind.BAN

    def __init__(self, *, until: datetime | None = None, **kwargs: Any):
        super().__init__(**kwargs)
        self.until = until

    def check(self) -> None:
        super().check()
        # The banned reader reads it each time a comment is refused (moderation.selectors
        # .ban_refusal), and may have no email address to be told any other way.
        if self.reason_code not in BAN_REASONS:
            raise ActionError(
                "Choose a reason for the ban: the reader is told it.", field="reason_code"
            )

    def _execute(self) -> ModerationAction:
        standing = self._standing()
        if self.until is None and standing.banned and standing.banned_until is None:
            raise ActionError("This reader is banned permanently already, so nothing was done.")
        if self.until is not None and _ban_in_force_until(standing, after=self.until):
            # A moderator on a card shown before a colleague banned the reader (it said nothing
            # of a ban) would otherwise cut that ban short, never knowing: a ban for good ending
            # tomorrow. Shortening one on purpose is lifting it, then banning again.
            ends = (
                "permanently"
                if standing.banned_until is None
                else f"until {timezone.localtime(standing.banned_until):%-d %b %Y, %H:%M}"
            )
            raise ActionError(
                f"This reader is banned {ends} already, so nothing was done: a shorter ban would "
                "cut it short. To shorten a ban, lift it first, then ban again."
            )
        standing.banned, standing.banned_until = True, self.until
        standing.save()
        self.evidence = {**self.evidence, "until": self.until.isoformat() if self.until else None}
        entry = self._log(reader_key=self.reader_key)
        _tell_member(entry)
        return entry


def _ban_in_force_until(standing: ReaderStanding, *, after: datetime) -> bool:
    """Whether ``standing`` holds a ban in force that ends later than ``after`` (or never)."""
    if not standing.banned:
        return False
    if standing.banned_until is None:
        return True
    return standing.banned_until > max(after, timezone.now())


class WarnReader(_ReaderAction):
    """Warn a reader about one of their comments. A warning no one reads warns no one: the
    reader is told the reason and the note, by email where they gave an address, and on that
    comment's statement of reasons (the action is logged against it)."""

    kind = Kind.WARN

    def __init__(self, *, comment: Comment, **kwargs: Any):
        super().__init__(**kwargs)
        self.comment = comment

    def check(self) -> None:
        super().check()
        if self.reason_code not in BAN_REASONS:
            raise ActionError(
                "Choose a reason for the warning: the reader is told it.", field="reason_code"
            )

    def _execute(self) -> ModerationAction:
        standing = self._standing()
        # Checked with the reader's standing locked, so two presses at once warn once: a double
        # click, a second tab or a colleague's card shown before the first warning would email
        # the reader the same warning again, and count it twice.
        if ModerationAction.objects.filter(comment=self.comment, kind=Kind.WARN).exists():
            raise ActionError(
                "This reader was warned about this comment already, so nothing was done: they "
                "were told once."
            )
        standing.warnings += 1
        standing.save()
        entry = self._log(comment=self.comment, reader_key=self.reader_key)
        _tell_author(self.comment, entry)
        return entry


class ForcePremoderation(_ReaderAction):
    kind = Kind.PREMODERATE

    def _execute(self) -> ModerationAction:
        standing = self._standing()
        if standing.premoderate:
            raise ActionError(
                "This reader's comments already wait for a moderator before they appear, so "
                "nothing was done."
            )
        standing.premoderate = True
        standing.save()
        return self._log(reader_key=self.reader_key)


class LiftBan(_ReaderAction):
    """End a reader's ban, timed or permanent, before its time: a ban given to the wrong reader,
    or for good where a week was meant, is undone by the moderators, not in the database."""

    kind = Kind.UNBAN

    def _execute(self) -> ModerationAction:
        standing = self._standing()
        if not (
            standing.banned
            and (standing.banned_until is None or standing.banned_until > timezone.now())
        ):
            raise ActionError("This reader is not banned, so nothing was done.")
        standing.banned, standing.banned_until = False, None
        standing.save()
        return self._log(reader_key=self.reader_key)


class StopPremoderation(_ReaderAction):
    """Take a reader off pre-moderation: their comments are screened as anyone's again."""

    kind = Kind.UNPREMODERATE

    def _execute(self) -> ModerationAction:
        standing = self._standing()
        if not standing.premoderate:
            raise ActionError("This reader is not on pre-moderation, so nothing was done.")
        standing.premoderate = False
        standing.save()
        return self._log(reader_key=self.reader_key)


@dataclass(frozen=True)
class RecentRejected:
    """What :class:`RejectRecentComments` did: how many of the reader's comments it rejected,
    and how many of the window's it found removed or deleted already (rejected before, or
    while it ran; deleted by their author with a shell left), which it passed over."""

    rejected: int
    already_gone: int


class RecentCountChanged(ActionError):
    """ "Reject their last 7 days" would now reject ``now`` comments, not the ``shown`` the
    moderator's confirming box said (the reader wrote more since, or some were removed, deleted
    or left the window): nothing is rejected, and the moderator confirms the new number."""

    def __init__(self, *, shown: int, now: int):
        super().__init__(
            f"This reader has {now:,} comments from the last {selectors.RECENT_DAYS} days to "
            f"reject now, not the {shown:,} you were shown, so nothing was rejected.",
            field="confirm_recent",
        )
        self.shown = shown
        self.now = now


class RejectRecentComments(_ReaderAction):
    """Reject every comment a reader posted in the last ``days`` (after banning a spammer).

    Each comment is rejected on its own (:class:`RejectComment`, its own transaction and email).
    One that is no longer there to reject when its turn comes (its author deleted it, another
    moderator rejected it, meanwhile) is passed over and counted, and the rest are still
    rejected: stopping there left the reader's comments half rejected, and said only why one
    could not be.

    ``shown`` is how many the moderator agreed to reject (the number their confirming box
    said): when the reader's window now holds another number to reject, nothing is rejected
    (:class:`RecentCountChanged`). The comments it rejects are the ones it counted, listed once,
    so one the reader posts while it runs is not among them. None (a command) checks nothing."""

    kind = Kind.REJECT

    def __init__(
        self, *, days: int = selectors.RECENT_DAYS, shown: int | None = None, **kwargs: Any
    ):
        super().__init__(**kwargs)
        self.days = days
        self.shown = shown

    def check(self) -> None:
        super().check()
        if not self.reason_code:
            raise ActionError("Choose a reason: each author is told it.", field="reason_code")

    def execute(self) -> RecentRejected:  # type: ignore[override]
        self.check()
        # The window, and what is gone from it, as the card's confirming box counted them: read
        # together, and compared with the number the moderator agreed to before anything is
        # rejected. What is rejected is this list, never a second look at the window.
        with transaction.atomic():
            window = selectors.recent_reviews(reader_keys=[self.reader_key], days=self.days)
            gone = selectors.GONE
            already_gone = window.filter(gone).count()
            to_reject = list(window.exclude(gone).select_related("comment").order_by("pk"))
        if self.shown is not None and len(to_reject) != self.shown:
            raise RecentCountChanged(shown=self.shown, now=len(to_reject))
        rejected = 0
        for review in to_reject:
            try:
                RejectComment(
                    comment=review.comment,
                    user=self.user,
                    automated=self.automated,
                    reason_code=self.reason_code,
                    note=self.note,
                    evidence={"bulk": "recent comments of a reader"},
                ).execute()
            except NothingToReject:
                already_gone += 1
            else:
                rejected += 1
        if not rejected:
            raise ActionError("This reader has no recent comments left to reject.")
        return RecentRejected(rejected=rejected, already_gone=already_gone)


_WITHDRAWN = (
    "Its author deleted the comment, so the appeal was withdrawn: there is nothing to decide, "
    "and nothing was done."
)


class DecideAppeal(Action):
    """A person, never a rule, decides an appeal. Upheld: the comment is restored."""

    human_only = True

    def __init__(self, *, appeal: Appeal, uphold: bool, **kwargs: Any):
        super().__init__(**kwargs)
        self.appeal = appeal
        self.uphold = uphold
        self.kind = Kind.APPEAL_UPHELD if uphold else Kind.APPEAL_DENIED
        self.reason_code = "appeal_upheld" if uphold else self.reason_code

    def check(self) -> None:
        super().check()
        if self.appeal.status == Appeal.Status.WITHDRAWN:
            raise ActionError(_WITHDRAWN)
        if self.appeal.status != Appeal.Status.OPEN:
            raise ActionError("This appeal has been decided already.")
        if not self.uphold and not self.note.strip():
            raise ActionError(
                "Write a note to turn down an appeal: its author is told it.", field="note"
            )

    def _execute(self) -> ModerationAction:
        if self.appeal.action.kind == Kind.BAN:
            return self._ban_decided()
        comment = self.appeal.comment
        if comment is None:  # gone with no reply to keep its shell: withdrawn as it went
            raise ActionError(_WITHDRAWN)
        # Checked again with the appeal locked: an Uphold sent twice decides it once, and one
        # sent as its author deletes the comment finds the appeal withdrawn. The thread is
        # locked first, as a deletion locks it before it withdraws the appeal.
        Thread.objects.select_for_update().only("id").get(pk=comment.thread_id)
        status = (
            Appeal.objects.select_for_update()
            .filter(pk=self.appeal.pk)
            .values_list("status", flat=True)
            .first()
        )
        if status == Appeal.Status.WITHDRAWN:
            raise ActionError(_WITHDRAWN)
        if status != Appeal.Status.OPEN:
            raise ActionError("This appeal has been decided already.")
        if self.uphold:
            statuses = Comment.objects.select_for_update().values_list("status", flat=True)
            if statuses.get(pk=comment.pk) == Comment.Status.DELETED:
                # Its author deleted it after appealing; with replies it stays as an empty
                # shell, which restoring would publish as an empty comment in their name.
                raise ActionError(
                    "Its author deleted this comment after appealing, so there is nothing to "
                    "restore. Turn the appeal down to close it."
                )
            comment_set_status(comment=comment, status=Comment.Status.PUBLISHED)
            _decided(comment, state=State.APPROVED)
        Appeal.objects.filter(pk=self.appeal.pk).update(
            status=Appeal.Status.UPHELD if self.uphold else Appeal.Status.DENIED,
            decided_by=self.user,
            decided_at=timezone.now(),
        )
        entry = self._log(comment=comment)
        _tell_author(comment, entry)
        return entry

    def _ban_decided(self) -> ModerationAction:
        """A ban's appeal: upheld, the ban ends now (as ``LiftBan`` ends one); turned down, it
        runs its course. Decided with the reader's standing and the appeal locked, so a ban
        lifted by a colleague meanwhile is not lifted twice, and an appeal is decided once. The
        reader reads the answer, and the note, on their ban's statement (``/moderation/ban/``)."""
        reader_key = self.appeal.action.reader_key
        standing = ReaderStanding.objects.select_for_update().filter(reader_key=reader_key).first()
        status = (
            Appeal.objects.select_for_update()
            .filter(pk=self.appeal.pk)
            .values_list("status", flat=True)
            .first()
        )
        if status != Appeal.Status.OPEN:
            raise ActionError("This appeal has been decided already.")
        newest = (
            ModerationAction.objects.filter(kind=Kind.BAN, reader_key=reader_key)
            .order_by("-id")
            .values_list("pk", flat=True)
            .first()
        )
        if self.uphold and newest != self.appeal.action_id:
            # Upholding would end a ban the appeal never spoke of, and that the card did not show.
            raise ActionError(
                "This reader was banned again after appealing, so the ban in force is not the one "
                "appealed, and nothing was done. Turn the appeal down with a note, or lift the "
                "newer ban from the reader's card."
            )
        if self.uphold and standing is not None and standing.banned:
            standing.banned, standing.banned_until = False, None
            standing.save()
        Appeal.objects.filter(pk=self.appeal.pk).update(
            status=Appeal.Status.UPHELD if self.uphold else Appeal.Status.DENIED,
            decided_by=self.user,
            decided_at=timezone.now(),
        )
        self.evidence = {**self.evidence, "appeal": self.appeal.pk, "ban": self.appeal.action_id}
        entry = self._log(reader_key=reader_key)
        _tell_member(entry)
        return entry
