"""An edit cannot take a comment past the review a new comment would get: new words in a comment
a moderator approved, or by a reader or on a page under pre-moderation, or by a reader still
within their first held comments, go back to the Pending queue (the security report's
"premod.py": approved, then edited into something no moderator read, and it stayed up)."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.test import Client

from discussion import screening
from discussion.models import Comment, Thread
from discussion.services import comment_set_status
from discussion.tests.readers import make_reader
from moderation.actions import text_token
from moderation.models import CommentReview, ModerationAction, ModerationSettings
from newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db

BEFORE = "A remark held for review, and being edited."
SWAPPED = "EDITED AFTER APPROVAL: never seen by a moderator. Buy followers cheap, DM me."


@pytest.fixture
def moderator(django_user_model) -> Client:
    client = Client()
    client.force_login(
        django_user_model.objects.create_superuser("boss", "boss@example.com", "pw-long-enough")
    )
    return client


@pytest.fixture
def article():
    return make_article()


def _post(client, article, body: str, **extra) -> Comment:
    client.post(article.url, {"body": body, "idempotency_key": "", "parent": "", **extra})
    return Comment.objects.filter(body=body).get()


def _act(moderator, comment, action: str, **form):
    comment.refresh_from_db()
    return moderator.post(
        f"/admin/moderation/reviews/{comment.review.pk}/act/",
        {"action": action, "seen": text_token(comment.body), "next": "/admin/", **form},
    )


def _edit(client, comment, body: str = SWAPPED):
    response = client.post(f"/discussion/comments/{comment.pk}/edit/", {"body": body})
    comment.refresh_from_db()
    return response


def _public_bodies(article) -> list[str]:
    answer = Client().get("/api/v1/threads/comments", {"article": article.pk, "sort": "newest"})
    return [c["html"] for c in answer.json()["comments"]]


def _pending_queue(moderator) -> str:
    return moderator.get("/admin/moderation/queue/pending/").content.decode()


def _statement(client, comment) -> str:
    page = BeautifulSoup(
        client.get(f"/moderation/comments/{comment.pk}/why/").content, "html.parser"
    )
    return " ".join(page.select_one("ol.statement").get_text(" ", strip=True).split())


def test_an_approved_comment_of_a_premoderated_reader_edited_goes_back_to_pending(
    client, moderator, article
):
    """The report's premod.py: the reader posts, is put on pre-moderation, posts again (held),
    a moderator approves it, and the reader edits it."""
    client.force_login(make_reader("Olena"))
    first = _post(client, article, "First, a reasonable remark about the talks in Istanbul.")
    assert _act(moderator, first, "premoderate", reason_code="other").status_code == 302
    second = _post(client, article, "Second remark, calm and on topic about the negotiations.")
    assert second.status == Comment.Status.PENDING
    _act(moderator, second, "approve")
    second.refresh_from_db()
    assert second.status == Comment.Status.PUBLISHED

    response = _edit(client, second)

    assert response.status_code == 302
    assert (second.status, second.body) == (Comment.Status.PENDING, SWAPPED)
    assert not any("EDITED AFTER APPROVAL" in html for html in _public_bodies(article))
    assert f'id="review-{second.review.pk}"' in _pending_queue(moderator)
    assert CommentReview.objects.get(comment=second).state == CommentReview.State.PENDING
    statement = _statement(client, second)
    assert "edited after a moderator approved it" in statement
    assert "waiting for a moderator to read the new text" in statement
    # Counted as published no more: the thread's count is of what readers see.
    assert Thread.objects.get(pk=second.thread_id).comment_count == 1


def test_an_edit_on_a_page_in_pre_moderation_is_held(client, moderator, article):
    ModerationSettings.objects.create(page=article, mode=ModerationSettings.Mode.PRE)
    client.force_login(make_reader("Olena"))
    comment = _post(client, article, "A first remark, read by a moderator first.")
    _act(moderator, comment, "approve")

    _edit(client, comment)

    assert comment.status == Comment.Status.PENDING
    codes = CommentReview.objects.get(comment=comment).codes
    assert {"edited_after_approval", "premoderated_page"} <= set(codes)


def test_an_edit_while_the_site_is_in_pre_moderation_is_held(client, moderator, article, settings):
    settings.MODERATION_MODE = "pre"
    client.force_login(make_reader("Olena"))
    comment = _post(client, article, "A remark, read by a moderator first.")
    _act(moderator, comment, "approve")

    _edit(client, comment)

    assert comment.status == Comment.Status.PENDING
    assert "premoderated_page" in CommentReview.objects.get(comment=comment).codes


def test_a_new_commenters_approved_first_comment_edited_is_held(
    client, moderator, article, settings
):
    settings.MODERATION_TRUST_FIRST_COMMENTS = 2
    comment = _post(client, article, "First time here: a fair report.", author_name="Olena")
    assert comment.status == Comment.Status.PENDING
    _act(moderator, comment, "approve")

    _edit(client, comment)

    assert comment.status == Comment.Status.PENDING
    codes = CommentReview.objects.get(comment=comment).codes
    assert {"edited_after_approval", "new_commenter"} <= set(codes)
    hold = ModerationAction.objects.filter(comment=comment, kind="hold").latest("id")
    assert hold.reason_code == "edited_after_approval"


def test_a_reader_on_pre_moderation_editing_a_comment_published_before_is_held(
    client, moderator, article
):
    """Put on pre-moderation after posting: the old comment's new words wait too."""
    reader = make_reader("Olena")
    client.force_login(reader)
    comment = _post(client, article, "Posted while nobody read my comments first.")
    assert comment.status == Comment.Status.PUBLISHED
    _act(moderator, comment, "premoderate", reason_code="other")

    _edit(client, comment)

    assert comment.status == Comment.Status.PENDING
    assert CommentReview.objects.get(comment=comment).codes == ["premoderated_reader"]


def test_a_featured_comment_edited_leaves_the_strip_until_a_moderator_reads_it(
    client, moderator, article
):
    from discussion.selectors import featured_comments

    client.force_login(make_reader("Olena"))
    comment = _post(client, article, "Worth everyone's time, a moderator says.")
    _act(moderator, comment, "feature")

    _edit(client, comment)

    assert comment.status == Comment.Status.PENDING
    assert featured_comments(thread=Thread.objects.get(pk=comment.thread_id)) == []


def test_a_trusted_readers_published_comment_is_still_edited_in_place(client, moderator, article):
    client.force_login(make_reader("Olena"))
    comment = _post(client, article, "A fair point about the talks.")
    assert comment.status == Comment.Status.PUBLISHED

    response = _edit(client, comment, "A fair point about the talks, with a typo fixed.")

    assert response.status_code == 302
    assert comment.status == Comment.Status.PUBLISHED
    assert comment.body == "A fair point about the talks, with a typo fixed."
    assert any("typo fixed" in html for html in _public_bodies(article))
    assert not ModerationAction.objects.filter(comment=comment, kind="hold").exists()
    assert CommentReview.objects.get(comment=comment).state == CommentReview.State.UNMODERATED
    assert f'id="review-{comment.review.pk}"' not in _pending_queue(moderator)


def test_an_edit_screened_before_a_moderators_decision_is_not_saved_after_it(client, article):
    """A moderator approves the held comment while its edit is being screened: the edit's
    verdict was about a comment waiting for review, so it is refused rather than saved over
    the decision (it would otherwise publish words the approval never covered)."""
    client.force_login(make_reader("Olena"))
    comment = _post(client, article, BEFORE)
    comment_set_status(comment=comment, status=Comment.Status.PENDING)

    def approve_meanwhile(submission):
        if submission.source == "edit":
            comment_set_status(comment=comment, status=Comment.Status.PUBLISHED)
        return None

    screening.register_step("test.approve_meanwhile", approve_meanwhile, order=1)
    try:
        response = _edit(client, comment)
    finally:
        screening.unregister_step("test.approve_meanwhile")

    assert response.status_code == 400
    assert "A moderator acted on this comment while you were editing it" in (
        response.content.decode()
    )
    assert (comment.status, comment.body) == (Comment.Status.PUBLISHED, BEFORE)
