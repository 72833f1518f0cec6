"""A moderator's Approve or Feature publishes the text their card showed, or nothing: a card
loaded before the author edited the comment is refused, and says why (the security report's
"toctou.py": the approve from the old card published words the moderator never saw)."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.test import Client

from discussion.models import Comment
from discussion.tests.readers import make_reader
from moderation.models import ModerationAction
from newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db

SEEN = "A measured third comment about the ceasefire talks."
SWAPPED = "SWAPPED while the moderator was reading: totally different words."
CHANGED = "This comment was edited after you opened the queue; read the new text and decide again."


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


@pytest.fixture
def author(client, settings) -> Client:
    """A signed-in reader whose comments a moderator reads first (site-wide pre-moderation)."""
    settings.MODERATION_MODE = "pre"
    client.force_login(make_reader("Olena"))
    return client


def _post(client, article, body: str) -> Comment:
    client.post(article.url, {"body": body, "idempotency_key": "", "parent": ""})
    return Comment.objects.get(body=body)


def _edit(client, comment, body: str = SWAPPED) -> None:
    assert client.post(f"/discussion/comments/{comment.pk}/edit/", {"body": body}).status_code == (
        302
    )


def _queue(moderator, name: str = "pending") -> BeautifulSoup:
    page = moderator.get(f"/admin/moderation/queue/{name}/")
    return BeautifulSoup(page.content, "html.parser")


def _card_form(queue: BeautifulSoup, comment) -> dict:
    """What the card's Approve / Feature form sends, as the moderator loaded it."""
    card = queue.find(id=f"review-{comment.review.pk}")
    form = card.select_one("button[value=approve]").find_parent("form")
    return {field["name"]: field.get("value", "") for field in form.select("input[name]")}


def _press(moderator, comment, form: dict, action: str = "approve"):
    return moderator.post(
        f"/admin/moderation/reviews/{comment.review.pk}/act/",
        {**form, "action": action},
        follow=True,
    )


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_an_approve_from_a_card_loaded_before_the_authors_edit_is_refused(
    author, moderator, article
):
    comment = _post(author, article, SEEN)
    assert comment.status == Comment.Status.PENDING
    queue = _queue(moderator)  # the moderator reads the card: the text A
    card = queue.find(id=f"review-{comment.review.pk}")
    assert SEEN in card.select_one(".mod-body").get_text()
    _edit(author, comment)  # the author swaps in B

    response = _press(moderator, comment, _card_form(queue, comment))

    comment.refresh_from_db()
    assert (comment.status, comment.body) == (Comment.Status.PENDING, SWAPPED)
    assert _messages(response) == [CHANGED]
    assert not ModerationAction.objects.filter(comment=comment, kind="approve").exists()
    answer = Client().get("/api/v1/threads/comments", {"article": article.pk})
    assert answer.json()["comments"] == []
    # Back at the card, which now shows the new text.
    new_card = BeautifulSoup(response.content, "html.parser").find(id=f"review-{comment.review.pk}")
    assert SWAPPED in new_card.select_one(".mod-body").get_text()


def test_approving_from_the_card_that_shows_the_new_text_publishes_it(author, moderator, article):
    comment = _post(author, article, SEEN)
    _edit(author, comment)

    response = _press(moderator, comment, _card_form(_queue(moderator), comment))

    comment.refresh_from_db()
    assert (comment.status, comment.body) == (Comment.Status.PUBLISHED, SWAPPED)
    assert _messages(response) == ["Approved the comment by Olena."]


def test_an_approve_that_does_not_say_what_was_read_does_nothing(author, moderator, article):
    comment = _post(author, article, SEEN)

    response = moderator.post(
        f"/admin/moderation/reviews/{comment.review.pk}/act/",
        {"action": "approve", "next": "/admin/moderation/queue/pending/"},
        follow=True,
    )

    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING
    [message] = _messages(response)
    assert "did not say which text of the comment you read" in message


def test_a_feature_from_a_card_loaded_before_an_edit_is_refused(
    client, moderator, article, settings
):
    """A published comment: its author's edit stays up (a trusted reader), but a moderator does
    not put words they never read into the featured strip."""
    client.force_login(make_reader("Olena"))
    comment = _post(client, article, SEEN)
    assert comment.status == Comment.Status.PUBLISHED
    queue = _queue(moderator, "unmoderated")
    _edit(client, comment)

    response = _press(moderator, comment, _card_form(queue, comment), action="feature")

    comment.refresh_from_db()
    assert _messages(response) == [CHANGED]
    assert not comment.is_featured
    assert not ModerationAction.objects.filter(comment=comment, kind="feature").exists()


def test_a_bulk_approve_approves_the_unchanged_and_says_how_many_it_skipped(
    author, moderator, article
):
    kept = [_post(author, article, f"Comment number {n} about the talks.") for n in range(2)]
    edited = _post(author, article, SEEN)
    queue = _queue(moderator)
    bulk = queue.find(id="bulk-form")
    form = {field["name"]: field.get("value", "") for field in bulk.select("input[type=hidden]")}
    form.update(
        {
            field["name"]: field["value"]
            for field in queue.select("input[form=bulk-form][type=hidden]")
        }
    )
    _edit(author, edited)

    response = moderator.post(
        "/admin/moderation/bulk/",
        {**form, "action": "approve", "review": [c.review.pk for c in [*kept, edited]]},
        follow=True,
    )

    statuses = dict(Comment.objects.values_list("pk", "status"))
    assert [statuses[c.pk] for c in kept] == [Comment.Status.PUBLISHED] * 2
    assert statuses[edited.pk] == Comment.Status.PENDING
    assert _messages(response) == [
        "Approved 2 comments.",
        "Skipped 1 comment (by Olena): it was edited after you opened the queue; read the new "
        "text and decide again.",
    ]
