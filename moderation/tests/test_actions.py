"""Moderation actions: permission checked, state changed, counters kept, an audit entry written."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.urls import clear_script_prefix, set_script_prefix
from django.utils import timezone

from discussion.errors import CommentRefused
from discussion.models import Comment, Thread
from discussion.services import comment_create
from discussion.tests.factories import make_thread
from moderation.actions import (
    ActionError,
    ApproveComment,
    BanReader,
    DecideAppeal,
    FeatureComment,
    ForcePremoderation,
    RejectComment,
    RejectRecentComments,
    WarnReader,
)
from moderation.models import Appeal, CommentReview, ModerationAction, ReaderStanding

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("email_tasks_run_as_queued")]


@pytest.fixture
def moderator(django_user_model):
    user = django_user_model.objects.create_user("mod", "mod@example.com", "pw-long-enough")
    user.user_permissions.add(Permission.objects.get(codename="moderate_comments"))
    return django_user_model.objects.get(pk=user.pk)


@pytest.fixture
def reader(django_user_model):
    return django_user_model.objects.create_user("reader", "", "pw-long-enough")


def _held(thread=None, body="What a moron the minister is.", **kwargs):
    return comment_create(
        thread=thread or make_thread(), body=body, author_name="Olena", source="reader",
        guest_key="g1", ip_address="203.0.113.5", **kwargs,
    )  # fmt: skip


def test_approving_a_held_comment_publishes_it_counts_it_and_logs_who(moderator):
    comment = _held()
    ApproveComment(comment=comment, user=moderator).execute()
    assert Comment.objects.get(pk=comment.pk).status == Comment.Status.PUBLISHED
    assert Thread.objects.get(pk=comment.thread_id).comment_count == 1
    entry = ModerationAction.objects.get(kind="approve")
    assert entry.actor == moderator and not entry.automated
    assert CommentReview.objects.get(comment=comment).state == "approved"


def test_someone_without_the_permission_cannot_moderate(reader):
    with pytest.raises(PermissionDenied):
        ApproveComment(comment=_held(), user=reader).execute()
    assert not ModerationAction.objects.filter(kind="approve").exists()


def test_rejecting_needs_a_reason_and_records_it_with_the_note(moderator):
    comment = _held()
    with pytest.raises(ActionError):
        RejectComment(comment=comment, user=moderator).execute()
    RejectComment(
        comment=comment, user=moderator, reason_code="abuse", note="Name-calling."
    ).execute()
    entry = ModerationAction.objects.get(kind="reject")
    assert (entry.reason_code, entry.note, entry.reader_key) == (
        "abuse",
        "Name-calling.",
        "guest:g1",
    )
    assert Comment.objects.get(pk=comment.pk).status == Comment.Status.REJECTED


def test_rejecting_a_published_reply_keeps_the_counters_right(moderator):
    thread = make_thread()
    root = comment_create(thread=thread, body="Root", author_name="A")
    reply = comment_create(thread=thread, body="Reply", author_name="B", parent_id=root.pk)
    RejectComment(comment=reply, user=moderator, reason_code="spam").execute()
    assert Thread.objects.get(pk=thread.pk).comment_count == 1
    assert Comment.objects.get(pk=root.pk).reply_count == 0


def test_featuring_marks_a_published_comment(moderator):
    comment = comment_create(thread=make_thread(), body="Insightful.", author_name="A")
    FeatureComment(comment=comment, user=moderator).execute()
    assert CommentReview.objects.get(comment=comment).is_featured


def test_a_timed_ban_refuses_comments_until_it_ends(moderator):
    BanReader(reader_key="guest:g1", user=moderator, until=timezone.now() + timedelta(days=1),
              reason_code="abuse").execute()  # fmt: skip
    with pytest.raises(CommentRefused):
        _held(body="Hello again.")
    ReaderStanding.objects.update(banned_until=timezone.now() - timedelta(minutes=1))
    assert _held(body="Hello, the ban is over.").pk


def test_warning_and_forced_premoderation_are_logged(moderator):
    comment = _held()
    WarnReader(
        reader_key="guest:g1",
        comment=comment,
        user=moderator,
        reason_code="abuse",
        note="Keep it civil.",
    ).execute()
    ForcePremoderation(reader_key="guest:g1", user=moderator).execute()
    standing = ReaderStanding.objects.get(reader_key="guest:g1")
    assert standing.warnings == 1 and standing.premoderate
    assert set(ModerationAction.objects.values_list("kind", flat=True)) >= {"warn", "premoderate"}


def test_rejecting_a_readers_recent_comments_rejects_each_with_an_entry(moderator, settings):
    settings.MODERATION_RATE_PER_READER = "100/m"
    thread = make_thread()
    made = [_held(thread, body=f"Spam number {n} here.") for n in range(3)]
    RejectRecentComments(reader_key="guest:g1", user=moderator, reason_code="spam").execute()
    assert set(
        Comment.objects.filter(pk__in=[c.pk for c in made]).values_list("status", flat=True)
    ) == {"rejected"}  # noqa: E501
    assert ModerationAction.objects.filter(kind="reject").count() == 3


def test_an_appeal_cannot_be_decided_automatically(moderator):
    comment = _held()
    entry = RejectComment(comment=comment, user=moderator, reason_code="abuse").execute()
    appeal = Appeal.objects.create(action=entry, comment=comment, text="It was about a minister.")
    with pytest.raises(PermissionDenied):
        DecideAppeal(appeal=appeal, uphold=True, automated=True).execute()


def test_an_upheld_appeal_restores_the_comment_and_says_so(moderator):
    comment = _held()
    entry = RejectComment(comment=comment, user=moderator, reason_code="abuse").execute()
    appeal = Appeal.objects.create(action=entry, comment=comment, text="It was about a minister.")
    DecideAppeal(appeal=appeal, uphold=True, user=moderator).execute()
    assert Comment.objects.get(pk=comment.pk).status == Comment.Status.PUBLISHED
    assert Appeal.objects.get(pk=appeal.pk).status == "upheld"
    assert ModerationAction.objects.filter(kind="appeal_upheld", comment=comment).exists()


def test_a_rejected_account_holder_is_emailed_after_commit(
    moderator, django_user_model, mailoutbox, django_capture_on_commit_callbacks
):  # noqa: E501
    author = django_user_model.objects.create_user("olena", "olena@example.com", "pw-long-enough")
    comment = comment_create(
        thread=make_thread(), body="Hi", author_name="Olena", user_id=author.pk
    )
    with django_capture_on_commit_callbacks(execute=True):
        RejectComment(comment=comment, user=moderator, reason_code="spam").execute()
    assert mailoutbox[0].to == ["olena@example.com"]
    assert "spam" in mailoutbox[0].body


def test_a_rejected_guest_who_gave_an_email_is_told_why(
    moderator, mailoutbox, django_capture_on_commit_callbacks
):
    comment = comment_create(
        thread=make_thread(), body="Hi", author_name="Taras", author_email="taras@example.com"
    )
    with django_capture_on_commit_callbacks(execute=True):
        RejectComment(comment=comment, user=moderator, reason_code="spam").execute()
    assert mailoutbox[0].to == ["taras@example.com"]
    assert "spam" in mailoutbox[0].body


def test_a_rejected_guest_without_an_email_gets_no_mail(
    moderator, mailoutbox, django_capture_on_commit_callbacks
):
    comment = comment_create(thread=make_thread(), body="Hi", author_name="Taras")
    with django_capture_on_commit_callbacks(execute=True):
        RejectComment(comment=comment, user=moderator, reason_code="spam").execute()
    assert mailoutbox == []


def _deleted_with_a_reply(reader):
    """A member's comment they deleted after someone replied: the shell stays for the reply."""
    from discussion.own_comments import comment_delete

    thread = make_thread()
    mine = comment_create(thread=thread, body="My point.", author_name="R", user_id=reader.pk)
    comment_create(thread=thread, body="A reply.", author_name="B", parent_id=mine.pk)
    comment_delete(comment=mine, user_id=reader.pk)
    return Comment.objects.get(pk=mine.pk)


def test_a_comment_its_author_deleted_cannot_be_rejected(
    moderator, reader, mailoutbox, django_capture_on_commit_callbacks
):
    shell = _deleted_with_a_reply(reader)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ActionError):
        RejectComment(comment=shell, user=moderator, reason_code="spam").execute()
    # Not turned into a rejection its author could appeal (and an upheld appeal would publish
    # the empty shell under their name), and nobody is told of a decision.
    assert Comment.objects.get(pk=shell.pk).status == Comment.Status.DELETED
    assert not ModerationAction.objects.filter(kind="reject").exists()
    assert mailoutbox == []


def test_rejecting_a_readers_recent_comments_leaves_the_ones_they_deleted(moderator, reader):
    shell = _deleted_with_a_reply(reader)
    kept = comment_create(
        thread=shell.thread, body="Another one.", author_name="R", user_id=reader.pk
    )
    RejectRecentComments(
        reader_key=f"user:{reader.pk}", user=moderator, reason_code="spam"
    ).execute()
    assert Comment.objects.get(pk=shell.pk).status == Comment.Status.DELETED
    assert Comment.objects.get(pk=kept.pk).status == Comment.Status.REJECTED


def test_the_rejection_email_says_which_comment_and_links_to_its_statement(
    moderator, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.SITE_BASE_URL = "https://news.example"
    comment = comment_create(
        thread=make_thread(title="Talks resume in Istanbul"),
        body="Buy cheap pills at my shop, today only.",
        author_name="Taras",
        author_email="taras@example.com",
    )
    with django_capture_on_commit_callbacks(execute=True):
        RejectComment(
            comment=comment, user=moderator, reason_code="spam", note="Adverts are not allowed."
        ).execute()

    body = mailoutbox[0].body
    # A reader with comments on several stories can tell which one, and find the page where
    # they read why and appeal.
    assert "Your comment on “Talks resume in Istanbul”" in body
    assert "“Buy cheap pills at my shop, today only.”" in body
    assert "The moderator's note: Adverts are not allowed." in body
    assert f"https://news.example/moderation/comments/{comment.pk}/why/" in body


def test_the_rejection_email_links_to_its_statement_once_under_a_path_prefix(
    moderator, mailoutbox, django_capture_on_commit_callbacks, settings
):
    """A site served at https://news.example/news/ has SITE_BASE_URL end in /news, and a
    moderator's request reverses its addresses under /news/ too: the link has the prefix once."""
    settings.SITE_BASE_URL = "https://news.example/news"
    comment = comment_create(
        thread=make_thread(), body="Hi", author_name="Taras", author_email="taras@example.com"
    )
    # What Django's handler does with the moderator's request's SCRIPT_NAME.
    set_script_prefix("/news/")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            RejectComment(comment=comment, user=moderator, reason_code="spam").execute()
    finally:
        clear_script_prefix()

    assert f"https://news.example/news/moderation/comments/{comment.pk}/why/" in mailoutbox[0].body


def test_the_email_on_an_appeals_decision_links_to_the_statement(
    moderator, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.SITE_BASE_URL = "https://news.example"
    comment = comment_create(
        thread=make_thread(), body="Hi", author_name="Taras", author_email="taras@example.com"
    )
    entry = RejectComment(comment=comment, user=moderator, reason_code="spam").execute()
    appeal = Appeal.objects.create(action=entry, comment=comment, text="It was not spam.")
    with django_capture_on_commit_callbacks(execute=True):
        DecideAppeal(appeal=appeal, uphold=False, user=moderator, note="It was.").execute()

    assert f"https://news.example/moderation/comments/{comment.pk}/why/" in mailoutbox[-1].body
    assert "Your appeal was turned down. It was." in mailoutbox[-1].body


def test_the_email_on_an_appeal_turned_down_does_not_offer_another_appeal(
    moderator, mailoutbox, django_capture_on_commit_callbacks, settings
):
    """The statement offers no second appeal of a decision whose appeal was turned down, so the
    email must not send its reader there "to appeal"."""
    settings.SITE_BASE_URL = "https://news.example"
    comment = comment_create(
        thread=make_thread(), body="Hi", author_name="Taras", author_email="taras@example.com"
    )
    entry = RejectComment(comment=comment, user=moderator, reason_code="spam").execute()
    appeal = Appeal.objects.create(action=entry, comment=comment, text="It was not spam.")
    with django_capture_on_commit_callbacks(execute=True):
        DecideAppeal(appeal=appeal, uphold=False, user=moderator, note="It was.").execute()

    body = mailoutbox[-1].body
    assert "appeal:" not in body.lower()
    assert (
        f"The decision, on the site: https://news.example/moderation/comments/{comment.pk}/why/"
        in body
    )
