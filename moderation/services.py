"""Writes readers make to moderation: reports and appeals."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, OuterRef, Q, Subquery
from django.utils import timezone

from core.text import direction_control_problem
from discussion.models import Comment, Thread
from moderation import live_queue
from moderation.actions import HoldComment, NothingToHold
from moderation.models import (
    Appeal,
    CommentReview,
    ModerationAction,
    ReaderNote,
    ReaderStanding,
    Report,
    report_networks,
)


class ModerationRefused(Exception):
    """What the reader asked cannot be done; the message says why, in plain words."""


class AlreadyReported(ModerationRefused):
    """This reader has reported the comment before: the page may say "Reported" in its place."""


def report_check(*, comment: Comment, reporter_key: str) -> None:
    """Raise :class:`ModerationRefused` if this reader may not report ``comment`` at all.

    The report form asks this before it is offered, and :func:`report_create` before it counts a
    report. A comment that is not published (held, rejected) takes no reports: it is with the
    moderators already. Nor does one's own comment: its author can edit or delete it. Nor does
    one this reader has reported already: one report per reader per comment.
    """
    if comment.status != Comment.Status.PUBLISHED:
        raise ModerationRefused("This comment is already with the moderators.")
    if _written_by(comment, reporter_key=reporter_key):
        raise ModerationRefused("This is your own comment. You can edit or delete it instead.")
    if reporter_key and Report.objects.filter(comment=comment, reporter_key=reporter_key).exists():
        raise AlreadyReported(_ALREADY_REPORTED)


_ALREADY_REPORTED = "You have already reported this comment. Thank you."
# The reason code of the automatic hold that reports make, in the audit log.
_HELD_BY_REPORTS = "reported"


def _written_by(comment: Comment, *, reporter_key: str) -> bool:
    """Whether ``reporter_key`` ("user:N" or "guest:K", as ``views.requester_key`` makes it) is
    the comment's author: its account, or the reader screening recorded on its review row."""
    if not reporter_key:
        return False
    if comment.author_id is not None and reporter_key == f"user:{comment.author_id}":
        return True
    return CommentReview.objects.filter(comment_id=comment.pk, reader_key=reporter_key).exists()


def report_create(
    *, comment: Comment, reporter_key: str, network: str, reason: str, text: str = ""
) -> Report:
    """Record one reader's report: every report puts the comment in the Reported queue, and
    reports from ``MODERATION_REPORTS_TO_HOLD`` different networks also take it down until a
    moderator looks.

    ``network`` is where the report came from (``core.client.client_network``). A guest reader is
    only a cookie, which anyone can clear, so one person could otherwise send the N reports that
    take any comment down; readers on one network (an office, a household) likewise count once.

    One report per reader per comment: a second one is refused, not counted. What
    :func:`report_check` refuses is refused here too.
    """
    report_check(comment=comment, reporter_key=reporter_key)
    if reason not in Report.Reason.values:
        raise ModerationRefused("Choose a reason for the report.")
    if reason == Report.Reason.OTHER and not text.strip():
        raise ModerationRefused("Please say what is wrong with this comment.")
    if problem := direction_control_problem(text, what="Your report"):
        raise ModerationRefused(problem)
    try:
        with transaction.atomic():
            _still_published(comment)
            report = Report.objects.create(
                comment=comment,
                reporter_key=reporter_key,
                network=network[:64],  # a valid one is at most 43 characters
                reason=reason,
                text=text.strip()[:500],
            )
            review, _ = CommentReview.objects.get_or_create(
                comment=comment,
                defaults={"thread_id": comment.thread_id, "state": "unmoderated", "outcome": ""},
            )
            # The update locks the review row until this report commits, so two reports sent at
            # once count each other below, and only one of them can take the comment down.
            CommentReview.objects.filter(pk=review.pk).update(
                report_count=F("report_count") + 1, last_report=report
            )
            review.refresh_from_db(fields=["report_count"])
            if review.report_count >= settings.MODERATION_REPORTS_TO_HOLD:
                _hold_if_reported_enough(comment, report_count=review.report_count)
            live_queue.report_sent(report, thread_id=comment.thread_id)  # once it commits
    except IntegrityError as exc:
        raise AlreadyReported(_ALREADY_REPORTED) from exc
    return report


def _still_published(comment: Comment) -> None:
    """Refuse a report on ``comment`` unless it is published as the report commits: the reader's
    page (and :func:`report_check`) read it before, and a moderator may have rejected it since,
    or its author deleted it. A report recorded then would put a comment no reader can see in
    the Reported queue, unanswerable (``CommentReview.last_report`` is cleared by every path
    that rejects or deletes a comment, and the queue's count trusts it). The thread, then the
    comment, are locked for the rest of the report's transaction, in the order a decision takes
    them (``comment_set_status``), so a rejection waits for the report or the report sees it."""
    Thread.objects.select_for_update().only("id").get(pk=comment.thread_id)
    status = (
        Comment.objects.select_for_update()
        .filter(pk=comment.pk)
        .values_list("status", flat=True)
        .first()
    )
    if status in (None, Comment.Status.DELETED):
        raise ModerationRefused("Its author deleted this comment, so there is nothing to report.")
    if status != Comment.Status.PUBLISHED:
        raise ModerationRefused("This comment is already with the moderators.")


def _hold_if_reported_enough(comment: Comment, *, report_count: int) -> None:
    """Take ``comment`` down if its reports came from ``MODERATION_REPORTS_TO_HOLD`` different
    networks, unless reports have taken it down before.

    Only once: after a moderator has looked and put it back, more reports bring it back to the
    Reported queue but do not take it down again on their own. The audit log's automatic hold
    "reported" is the record that they did.
    """
    rows = list(Report.objects.filter(comment=comment).values_list("network", "reason"))
    networks = report_networks(network for network, _ in rows)
    if networks < settings.MODERATION_REPORTS_TO_HOLD:
        return
    if ModerationAction.objects.filter(
        comment=comment, kind=ModerationAction.Kind.HOLD, reason_code=_HELD_BY_REPORTS
    ).exists():
        return
    try:
        HoldComment(
            comment=comment,
            automated=True,
            state=CommentReview.State.REPORTED,
            reason_code=_HELD_BY_REPORTS,
            evidence={
                "reports": report_count,
                "networks": networks,
                "reasons": [reason for _, reason in rows],
            },
        ).execute()
    except NothingToHold:
        # Rejected by a moderator, or deleted by its author, since the reporter's page read it:
        # the report is counted, and the comment stays as they left it.
        return


def appeal_create(*, action: ModerationAction, reader_key: str, text: str) -> Appeal:
    """Appeal a rejection: only its author, once, within the appeal window, while the comment is
    still rejected. A hold is not a decision yet (a moderator reads the comment anyway), so it
    cannot be appealed; neither can a rejection a moderator has since undone.

    A ban (``BanReader``) is appealed the same way, by the reader banned, while it holds
    (:func:`_ban_appeal_create`)."""
    if action.kind == ModerationAction.Kind.BAN:
        return _ban_appeal_create(action=action, reader_key=reader_key, text=text)
    if action.kind != ModerationAction.Kind.REJECT:
        raise ModerationRefused(
            "Only a decision to remove a comment can be appealed; a comment waiting for review "
            "will be read by a moderator anyway."
        )
    if not reader_key or action.reader_key != reader_key or action.comment_id is None:
        raise ModerationRefused("Only the comment's author can appeal.")
    _appeal_in_time_and_said(action, text)
    if not Comment.objects.filter(pk=action.comment_id, status=Comment.Status.REJECTED).exists():
        raise ModerationRefused("This comment is no longer removed, so there is nothing to appeal.")
    try:
        with transaction.atomic():
            appeal = Appeal.objects.create(action=action, comment_id=action.comment_id, text=text)
            live_queue.appeal_sent(appeal)  # once it commits
            return appeal
    except IntegrityError as exc:
        raise ModerationRefused("You have appealed this decision already.") from exc


def _appeal_in_time_and_said(action: ModerationAction, text: str) -> None:
    """Refuse an appeal sent after ``MODERATION_APPEAL_DAYS``, or one that says nothing (or
    carries a text-direction control), whatever the decision appealed."""
    if timezone.now() > action.created_at + timedelta(days=settings.MODERATION_APPEAL_DAYS):
        raise ModerationRefused("The time to appeal this decision has passed.")
    if not text.strip():
        raise ModerationRefused("Please say why the decision was wrong.")
    if problem := direction_control_problem(text, what="Your appeal"):
        raise ModerationRefused(problem)


def _ban_appeal_create(*, action: ModerationAction, reader_key: str, text: str) -> Appeal:
    """Appeal a ban: only the reader banned, once, within the appeal window, while this ban (their
    newest) still holds. A ban that has ended, or been lifted, has nothing left to appeal."""
    if not reader_key or action.reader_key != reader_key:
        raise ModerationRefused("Only the reader banned can appeal the ban.")
    _appeal_in_time_and_said(action, text)
    with transaction.atomic():
        # Read with the reader's standing locked, as a lifting or a new ban takes it, so an
        # appeal never lands on a ban a moderator lifted or replaced a moment before.
        standing = ReaderStanding.objects.select_for_update().filter(reader_key=reader_key).first()
        newest = (
            ModerationAction.objects.filter(kind=ModerationAction.Kind.BAN, reader_key=reader_key)
            .order_by("-id")
            .values_list("pk", flat=True)
            .first()
        )
        holds = (
            standing is not None
            and standing.banned
            and (standing.banned_until is None or standing.banned_until > timezone.now())
        )
        if not holds or newest != action.pk:
            raise ModerationRefused(
                "This ban no longer holds, so there is nothing to appeal: you can comment again."
                if not holds
                else "This ban was replaced by a newer one: appeal that one instead."
            )
        try:
            with transaction.atomic():
                appeal = Appeal.objects.create(action=action, comment=None, text=text)
        except IntegrityError as exc:
            raise ModerationRefused("You have appealed this ban already.") from exc
        live_queue.appeal_sent(appeal)  # once it commits
        return appeal


def appeals_withdraw(comment_ids: list[int]) -> int:
    """Their author is deleting these comments: close the appeals still open on them, as
    withdrawn (discussion.author_removals calls this inside the deletion's transaction).

    A withdrawn appeal leaves the Appeals queue, so no moderator has to turn it down (with a
    note, emailing "Your appeal was turned down" about a comment its author took down), and no
    one is emailed. The words of every appeal on these comments go with them, a decided one's
    too; each row stays, for the transparency report's count of appeals. Returns how many were
    withdrawn."""
    withdrawn = Appeal.objects.filter(comment_id__in=comment_ids, status=Appeal.Status.OPEN).update(
        status=Appeal.Status.WITHDRAWN, text="", decided_at=timezone.now()
    )
    Appeal.objects.filter(comment_id__in=comment_ids).exclude(text="").update(text="")
    return withdrawn


# The actions that answer a comment's reports (``actions._decided``): after one, the reports sent
# before it are no longer waiting for a moderator.
_ANSWERING_REPORTS = (
    ModerationAction.Kind.APPROVE,
    ModerationAction.Kind.REJECT,
    ModerationAction.Kind.FEATURE,
    ModerationAction.Kind.APPEAL_UPHELD,
)


def reports_close(comment_ids: list[int]) -> int:
    """Their author is deleting these comments: close the reports on them still waiting for a
    moderator, as "comment deleted", and keep of every report on them only what the
    transparency report counts (discussion.author_removals calls this inside the deletion's
    transaction).

    Closed, the comments leave the Reported queue (a shell kept for its replies too), and the
    queue's count. Each report's row stays, also when the comment's row goes (``Report.comment``
    is then empty), with its reason and date, so the month's "Reports received" does not drop
    afterwards. The reporter's note, which may quote the comment, goes with the comment, and so
    does the network the report came from (it served only to count reports towards a hold).
    Returns how many reports were closed."""
    answered_at = (
        ModerationAction.objects.filter(
            comment_id=OuterRef("comment_id"), kind__in=_ANSWERING_REPORTS
        )
        .order_by("-created_at")
        .values("created_at")[:1]
    )
    waiting = (
        Report.objects.filter(
            comment_id__in=comment_ids,
            comment__review__last_report__isnull=False,
            closed_as=Report.Closed.NO,
        )
        .alias(answered_at=Subquery(answered_at))
        .filter(Q(answered_at__isnull=True) | Q(created_at__gt=F("answered_at")))
    )
    closed = Report.objects.filter(pk__in=list(waiting.values_list("pk", flat=True))).update(
        closed_as=Report.Closed.COMMENT_DELETED
    )
    Report.objects.filter(comment_id__in=comment_ids).update(text="", network=None)
    CommentReview.objects.filter(comment_id__in=comment_ids, last_report__isnull=False).update(
        last_report=None
    )
    return closed


def reports_of_reader_empty(*, user_id: int) -> int:
    """A reader is deleting their account: the notes they wrote in their reports go with it
    (accounts.erasures calls this inside the deletion's transaction). Each report stays, with
    its reason, for the Reported queue and the transparency report's count of the month's
    reports. Returns how many notes were emptied."""
    return Report.objects.filter(reporter_key=f"user:{user_id}").exclude(text="").update(text="")


def reader_note_add(*, reader_key: str, text: str, user) -> ReaderNote:
    """Keep a moderator's note about the reader ``reader_key`` with their record; raises
    :class:`ModerationRefused`, saving nothing, for an empty note, one over
    ``actions.NOTE_MAX_LENGTH``, or a reader no comment or decision is about. ``user`` must be
    allowed to moderate (``PermissionDenied`` otherwise); the view counts the staff limit."""
    from django.core.exceptions import PermissionDenied

    from moderation.actions import NOTE_MAX_LENGTH, PERMISSION

    if not (user.is_active and user.has_perm(PERMISSION)):
        raise PermissionDenied("You do not have permission to moderate comments.")
    text = text.replace("\x00", "").strip()
    if not text:
        raise ModerationRefused("Write the note first: it was empty, so nothing was kept.")
    if len(text) > NOTE_MAX_LENGTH:
        raise ModerationRefused(
            f"The note has {len(text):,} characters, and a note can have at most "
            f"{NOTE_MAX_LENGTH:,}: shorten it, then send it again. Nothing was kept."
        )
    known = (
        CommentReview.objects.filter(reader_key=reader_key).exists()
        or ModerationAction.objects.filter(reader_key=reader_key).exists()
    )
    if not reader_key or not known:
        raise ModerationRefused("No comment or decision is about this reader, so nothing was kept.")
    return ReaderNote.objects.create(reader_key=reader_key, text=text, author=user)


def reader_note_delete(*, note_id: int, user) -> str:
    """Delete a moderator's note (one written about the wrong reader, or no longer true): it
    leaves the record and the reader's data download at once. Any moderator may; returns the
    reader key it was about. Raises :class:`ModerationRefused` when it is gone already."""
    from django.core.exceptions import PermissionDenied

    from moderation.actions import PERMISSION

    if not (user.is_active and user.has_perm(PERMISSION)):
        raise PermissionDenied("You do not have permission to moderate comments.")
    note = ReaderNote.objects.filter(pk=note_id).first()
    if note is None:
        raise ModerationRefused("That note was deleted already, so nothing was done.")
    note.delete()
    return note.reader_key


def reader_notes_delete(*, user_id: int) -> int:
    """A reader is deleting their account: the moderators' notes about them go with it
    (accounts.erasures calls this inside the deletion's transaction). Returns how many."""
    deleted, _ = ReaderNote.objects.filter(reader_key=f"user:{user_id}").delete()
    return deleted
