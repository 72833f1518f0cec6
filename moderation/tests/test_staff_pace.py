"""Every write a staff member makes in the moderation admin counts against their limit
(MODERATION_STAFF_RATE): past it the change is refused with the reason, nothing is done, and what
the moderator typed and ticked is kept. The default is never met at a real moderator's pace.

The limits below are a day's (n/d), not a minute's, so a test cannot straddle two windows."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.contrib.messages import get_messages

from core.ratelimit import wait_in_words
from discussion.models import Comment
from discussion.services import comment_create
from discussion.tests.factories import make_thread
from moderation.actions import RejectComment, text_token
from moderation.campaigns import campaigns_scan
from moderation.models import Appeal, Campaign, CommentReview, ModerationAction, Rule

pytestmark = pytest.mark.django_db

TOO_FAST = "faster than this site allows"
APPEALS = "/admin/moderation/queue/appeals/"


@pytest.fixture
def one_change_a_day(settings):
    settings.MODERATION_STAFF_RATE = "1/d"


def _held(body: str = "The minister is a moron.", name: str = "Olena") -> Comment:
    return comment_create(thread=make_thread(), body=body, author_name=name)


def _review(comment: Comment) -> CommentReview:
    return CommentReview.objects.get(comment=comment)


def _approve(client, comment: Comment, **extra):
    body = Comment.objects.get(pk=comment.pk).body
    return client.post(
        f"/admin/moderation/reviews/{_review(comment).pk}/act/",
        {"action": "approve", "seen": text_token(body)},
        **extra,
    )


def _page(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


def _status(comment: Comment) -> str:
    return Comment.objects.get(pk=comment.pk).status


def test_a_reject_over_the_limit_is_refused_with_the_note_kept_and_nothing_rejected(
    moderator_client, one_change_a_day
):
    first, second = _held(), _held("The mayor is a moron.", "Taras")
    assert _approve(moderator_client, first).status_code == 302

    response = moderator_client.post(
        f"/admin/moderation/reviews/{_review(second).pk}/act/",
        {"action": "reject", "reason_code": "abuse", "note": "Name-calling, again."},
        follow=True,
    )

    assert TOO_FAST in response.content.decode()
    assert "nothing was done" in response.content.decode()
    note = _page(response).select_one(f"#review-{_review(second).pk}-note")
    assert note["value"] == "Name-calling, again."
    assert _status(second) == Comment.Status.PENDING
    assert not ModerationAction.objects.filter(kind=ModerationAction.Kind.REJECT).exists()


def test_a_bulk_reject_over_the_limit_keeps_the_comments_ticked_and_rejects_none(
    moderator_client, one_change_a_day
):
    used, *ticked = [_held(f"The minister is a moron, says reader {n}.", f"R{n}") for n in range(3)]
    assert _approve(moderator_client, used).status_code == 302

    response = moderator_client.post(
        "/admin/moderation/bulk/",
        {"action": "reject", "reason_code": "abuse", "review": [_review(c).pk for c in ticked]},
        follow=True,
    )

    page = _page(response)
    assert TOO_FAST in page.select_one("#bulk-reason-error").get_text()
    checked = {int(box["value"]) for box in page.select("input[name=review][checked]")}
    assert checked == {_review(c).pk for c in ticked}
    assert page.select_one("#bulk-reason option[selected]")["value"] == "abuse"
    assert [_status(c) for c in ticked] == [Comment.Status.PENDING] * 2


def test_a_bulk_action_counts_once_however_many_comments_it_ticks(moderator_client, settings):
    settings.MODERATION_STAFF_RATE = "2/d"
    ticked = [_held(f"The minister is a moron, says reader {n}.", f"R{n}") for n in range(5)]
    last = _held("The mayor is a moron.", "Taras")

    moderator_client.post(
        "/admin/moderation/bulk/",
        {
            "action": "approve",
            "review": [_review(c).pk for c in ticked],
            **{f"seen-{_review(c).pk}": text_token(c.body) for c in ticked},
        },
    )
    _approve(moderator_client, last)

    assert [_status(c) for c in [*ticked, last]] == [Comment.Status.PUBLISHED] * 6


def test_an_appeal_decision_over_the_limit_keeps_the_note_and_leaves_the_appeal_open(
    moderator_client, moderator, one_change_a_day
):
    comment = _held("Buy cheap pills at my shop.", "Taras")
    entry = RejectComment(comment=comment, user=moderator, reason_code="spam").execute()
    appeal = Appeal.objects.create(action=entry, comment=comment, text="It was not spam.")
    assert _approve(moderator_client, _held()).status_code == 302

    response = moderator_client.post(
        f"/admin/moderation/appeals/{appeal.pk}/decide/",
        {
            "decision": "deny",
            "note": "It links to a shop.",
            "next": "/admin/moderation/queue/appeals/",
        },
        follow=True,
    )

    assert TOO_FAST in response.content.decode()
    assert _page(response).select_one(f"#appeal-{appeal.pk}-note")["value"] == "It links to a shop."
    assert Appeal.objects.get(pk=appeal.pk).status == Appeal.Status.OPEN


def test_a_campaign_removal_over_the_limit_keeps_the_note_and_removes_nothing(
    moderator_client, one_change_a_day
):
    copies = [
        "The so-called talks in Istanbul are a western trick and everyone should see through it.",
        "The so called talks in Istanbul are a western trick and everybody should see through it!",
        "These so-called talks in Istanbul are a western trick and everyone should see through it",
    ]
    comments = [
        comment_create(
            thread=make_thread(),
            body=text,
            author_name=f"Reader {n}",
            source="reader",
            guest_key=f"guest-{n}",
        )  # fmt: skip
        for n, text in enumerate(copies)
    ]
    campaigns_scan()
    campaign = Campaign.objects.get()
    assert _approve(moderator_client, _held()).status_code == 302

    response = moderator_client.post(
        f"/admin/moderation/campaigns/{campaign.pk}/decide/",
        {"decision": "remove", "confirm": "yes", "note": "Copied talking points."},
        follow=True,
    )

    assert TOO_FAST in response.content.decode()
    assert _page(response).select_one("#campaign-note")["value"] == "Copied talking points."
    assert Campaign.objects.get(pk=campaign.pk).status == Campaign.Status.OPEN
    assert Comment.Status.REJECTED not in [_status(c) for c in comments]


def test_a_rule_saved_over_the_limit_is_refused_with_what_was_typed(
    moderator_client, one_change_a_day
):
    form = {"kind": "banned", "note": "", "is_active": "on"}
    add = "/admin/snippets/moderation/rule/add/"
    assert moderator_client.post(add, {**form, "pattern": "nitwit"}).status_code == 302

    response = moderator_client.post(add, {**form, "pattern": "numpty"})

    assert response.status_code == 429
    assert TOO_FAST in response.content.decode()
    wait = wait_in_words(int(response["Retry-After"])).capitalize()  # a day's window: in hours
    assert f"{wait}, then try again." in response.content.decode()
    assert _page(response).select_one("input[name=pattern]")["value"] == "numpty"
    assert not Rule.objects.filter(pattern="numpty").exists()


def test_a_moderator_working_a_busy_queue_at_speed_is_never_refused(moderator_client):
    """Sixty decisions as fast as the test client sends them, then a bulk approval: far past
    the pace of a person with the keyboard shortcuts, and every one is done."""
    comments = [_held(f"The minister is a moron, says reader {n}.", f"R{n}") for n in range(80)]
    one_by_one, in_bulk = comments[:60], comments[60:]

    # Not followed to the queue, whose every rendering cost more than the decision: a refusal
    # is a message queued for it, read here, and a comment left pending.
    answers = [_approve(moderator_client, c) for c in one_by_one]
    moderator_client.post(
        "/admin/moderation/bulk/",
        {
            "action": "approve",
            "review": [_review(c).pk for c in in_bulk],
            **{f"seen-{_review(c).pk}": text_token(c.body) for c in in_bulk},
        },
    )

    said = [str(message) for answer in answers for message in get_messages(answer.wsgi_request)]
    assert not any(TOO_FAST in message for message in said)
    assert [_status(c) for c in comments] == [Comment.Status.PUBLISHED] * 80
