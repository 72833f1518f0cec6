"""A moderator's note to an author over the limit (1,000 characters) is refused with a message
that says so, never cut short: nothing is done, the form comes back with the whole text to
shorten and the note marked, and every note box says the limit with ``maxlength``."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from discussion.models import Comment
from discussion.services import comment_create
from discussion.tests.factories import make_thread
from moderation.actions import ActionError, RejectComment
from moderation.campaigns import campaigns_scan
from moderation.models import Appeal, Campaign, ModerationAction, ReaderStanding

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("email_tasks_run_as_queued")]

QUEUE = "/admin/moderation/queue/pending/"
LIMIT = 1000  # moderation.actions.NOTE_MAX_LENGTH
# The last words of a note are often the ones that matter: the cut took them silently.
TOO_LONG = "x" * LIMIT + " And this is why."


@pytest.fixture
def moderator_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("boss", "boss@example.com", "pw-long-enough")
    client.force_login(user)
    return client


def _held(thread=None, body="The minister is a moron.", name="Olena"):
    return comment_create(thread=thread or make_thread(), body=body, author_name=name)


def _card(response, review_pk: int):
    return BeautifulSoup(response.content, "html.parser").select_one(f"#review-{review_pk}")


def _says_the_note_is_too_long(text: str) -> bool:
    return f"The note has {len(TOO_LONG):,} characters, and a note can have at most 1,000" in text


def test_an_action_refuses_a_note_over_the_limit_and_names_the_note(django_user_model):
    boss = django_user_model.objects.create_superuser("boss", "boss@example.com", "pw-long")
    comment = _held()

    with pytest.raises(ActionError) as refused:
        RejectComment(comment=comment, user=boss, reason_code="abuse", note=TOO_LONG).execute()

    assert refused.value.field == "note"
    assert _says_the_note_is_too_long(str(refused.value))
    assert Comment.objects.get(pk=comment.pk).status == Comment.Status.PENDING


def test_a_note_of_exactly_the_limit_is_kept_whole(moderator_client):
    comment = _held()
    note = "y" * LIMIT

    moderator_client.post(
        f"/admin/moderation/reviews/{comment.review.pk}/act/",
        {"action": "reject", "reason_code": "abuse", "note": note, "next": QUEUE},
    )

    assert ModerationAction.objects.get(kind="reject").note == note


def test_a_reject_with_a_note_over_the_limit_is_refused_and_comes_back_whole(moderator_client):
    comment = _held()

    response = moderator_client.post(
        f"/admin/moderation/reviews/{comment.review.pk}/act/",
        {"action": "reject", "reason_code": "abuse", "note": TOO_LONG, "next": QUEUE},
        follow=True,
    )

    assert _says_the_note_is_too_long(response.content.decode())
    assert Comment.objects.get(pk=comment.pk).status == Comment.Status.PENDING
    assert not ModerationAction.objects.filter(kind="reject").exists()
    card = _card(response, comment.review.pk)
    note = card.select_one('form.mod-reject input[name="note"]')
    assert note["value"] == TOO_LONG
    assert note["maxlength"] == "1000"
    assert note["aria-invalid"] == "true"
    assert _says_the_note_is_too_long(card.select_one(f"#{note['aria-describedby']}").get_text())
    # The reason the moderator chose stays chosen, and is not the field marked.
    reason = card.select_one('form.mod-reject select[name="reason_code"]')
    assert reason.select_one("option[selected]")["value"] == "abuse"
    assert not reason.has_attr("aria-invalid")


def test_an_author_action_with_a_note_over_the_limit_is_refused_and_comes_back_whole(
    moderator_client,
):
    comment = _held()

    response = moderator_client.post(
        f"/admin/moderation/reviews/{comment.review.pk}/act/",
        {"action": "warn", "reason_code": "abuse", "note": TOO_LONG, "next": QUEUE},
        follow=True,
    )

    assert _says_the_note_is_too_long(response.content.decode())
    assert not ReaderStanding.objects.filter(warnings__gt=0).exists()
    assert not ModerationAction.objects.filter(kind="warn").exists()
    card = _card(response, comment.review.pk)
    assert card.select_one("details").has_attr("open")
    note = card.select_one('details input[name="note"]')
    assert (note["value"], note["maxlength"], note["aria-invalid"]) == (TOO_LONG, "1000", "true")


def _appeal(moderator) -> Appeal:
    comment = _held()
    entry = RejectComment(comment=comment, user=moderator, reason_code="abuse").execute()
    return Appeal.objects.create(action=entry, comment=comment, text="It was about a minister.")


def test_the_appeal_note_box_says_the_limit(moderator_client, django_user_model):
    _appeal(django_user_model.objects.get(username="boss"))

    page = BeautifulSoup(
        moderator_client.get("/admin/moderation/queue/appeals/").content, "html.parser"
    )

    assert page.select_one('[data-mod-card] input[name="note"]')["maxlength"] == "1000"


def test_turning_down_an_appeal_with_a_note_over_the_limit_is_refused_and_comes_back_whole(
    moderator_client, django_user_model, mailoutbox, django_capture_on_commit_callbacks
):
    appeal = _appeal(django_user_model.objects.get(username="boss"))

    with django_capture_on_commit_callbacks(execute=True):
        response = moderator_client.post(
            f"/admin/moderation/appeals/{appeal.pk}/decide/",
            {"decision": "deny", "note": TOO_LONG, "next": "/admin/moderation/queue/appeals/"},
            follow=True,
        )

    assert _says_the_note_is_too_long(response.content.decode())
    assert Appeal.objects.get(pk=appeal.pk).status == Appeal.Status.OPEN
    assert mailoutbox == []
    card = BeautifulSoup(response.content, "html.parser").select_one(f"#appeal-{appeal.pk}")
    note = card.select_one('input[name="note"]')
    assert (note["value"], note["aria-invalid"]) == (TOO_LONG, "true")
    assert _says_the_note_is_too_long(card.select_one(f"#{note['aria-describedby']}").get_text())


def test_removing_a_campaign_with_a_note_over_the_limit_removes_nothing(moderator_client):
    copies = [
        "The so-called talks in Istanbul are a western trick and everyone should see through it.",
        "The so called talks in Istanbul are a western trick and everybody should see through it!",
        "These so-called talks in Istanbul are a western trick and everyone should see through.",
    ]
    for n, text in enumerate(copies):
        comment_create(thread=make_thread(), body=text, author_name=f"Reader {n}",
                       source="reader", guest_key=f"guest-{n}")  # fmt: skip
    campaigns_scan()
    campaign = Campaign.objects.get()

    response = moderator_client.post(
        f"/admin/moderation/campaigns/{campaign.pk}/decide/",
        {"decision": "remove", "confirm": "yes", "note": TOO_LONG},
        follow=True,
    )

    assert _says_the_note_is_too_long(response.content.decode())
    assert not ModerationAction.objects.filter(kind="reject").exists()
    assert Campaign.objects.get(pk=campaign.pk).status == Campaign.Status.OPEN
    note = BeautifulSoup(response.content, "html.parser").select_one("#campaign-note")
    assert (note["value"], note["maxlength"], note["aria-invalid"]) == (TOO_LONG, "1000", "true")
