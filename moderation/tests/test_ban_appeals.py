"""A banned reader can read why they were banned and appeal the ban, as an author can a removed
comment: the refusal links to the ban's statement of reasons (``/moderation/ban/``), the appeal
enters the Appeals queue, and a moderator's answer ends the ban or says why it stays."""

from __future__ import annotations

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.test import Client
from django.utils import timezone

from discussion.models import Comment
from moderation.actions import BanReader, DecideAppeal, LiftBan
from moderation.models import Appeal, CommentReview, ModerationAction, ReaderStanding
from moderation.tests.bob import ban_bob, post_as_bob, queries_answering
from newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db

BAN_PAGE = "/moderation/ban/"


@pytest.fixture
def article():
    return make_article()


@pytest.fixture
def banned(client, admin_client, article) -> CommentReview:
    """Bob (a guest, in ``client``) commented once, then a moderator banned him for a day."""
    return ban_bob(admin_client, client, article)


def _text(response) -> str:
    return " ".join(BeautifulSoup(response.content, "html.parser").get_text().split())


def _appeal(client, text: str):
    return client.post(BAN_PAGE, {"text": text})


def _decide(admin_client, appeal, decision: str, note: str = "") -> str:
    """A moderator's decision on ``appeal`` from the Appeals queue; what the admin said."""
    page = admin_client.post(
        f"/admin/moderation/appeals/{appeal.pk}/decide/",
        {"decision": decision, "note": note, "next": "/admin/moderation/queue/appeals/"},
        follow=True,
    )
    return " ".join(m.message for m in page.context["messages"])


def test_a_banned_readers_refused_comment_links_to_the_bans_statement(client, article, banned):
    response = post_as_bob(client, article, "Bob again, with more to sell.")

    error = BeautifulSoup(response.content, "html.parser").select_one("#comment-form-body-error")
    link = error.find("a")
    assert link["href"] == BAN_PAGE
    assert link.get_text() == "Why, and how to appeal the ban"


def test_the_bans_statement_says_why_until_when_and_by_whom(client, banned):
    page = _text(client.get(BAN_PAGE))

    assert "Why you cannot comment" in page
    assert "Status: Banned until" in page
    assert "Reader banned by a moderator" in page
    assert "The moderators' reason: spam or advertising." in page
    assert "The moderator’s note: Stop the adverts." in page
    assert "You can appeal until" in page


def test_the_bans_statement_quotes_the_comment_it_was_made_over(client, article, banned):
    page = BeautifulSoup(client.get(BAN_PAGE).content, "html.parser")

    said = " ".join(page.get_text().split())
    assert f"It was made over your comment on {article.title} of" in said
    assert page.select_one(".statement__comment").get_text().strip() == (
        "Bob's first comment on the talks."
    )


def test_a_member_never_banned_is_told_nothing_bars_them_and_has_no_appeal_form(member):
    reader = Client()
    reader.force_login(member)

    page = reader.get(BAN_PAGE)

    assert page.status_code == 200
    assert "You are not banned from commenting on this site." in _text(page)
    assert BeautifulSoup(page.content, "html.parser").select_one("form.appeal-form") is None


def test_a_banned_member_signed_out_is_sent_to_sign_in_then_sees_their_ban(member, moderator):
    BanReader(reader_key=f"user:{member.pk}", user=moderator, reason_code="abuse").execute()
    browser = Client()

    signed_out = BeautifulSoup(browser.get(BAN_PAGE).content, "html.parser")

    link = signed_out.find("a", string="sign in")
    assert link["href"] == "/accounts/login/?next=/moderation/ban/"
    assert signed_out.select_one("form.appeal-form") is None
    browser.force_login(member)
    assert "The moderators' reason: abuse or harassment." in _text(browser.get(BAN_PAGE))


def test_a_banned_readers_appeal_is_sent_once_and_waits_in_the_appeals_queue(
    client, admin_client, banned
):
    response = _appeal(client, "I was quoting the advert to warn people about it.")

    assert response.status_code == 200
    assert "Your appeal was sent." in _text(response)
    appeal = Appeal.objects.get()
    assert (appeal.comment_id, appeal.action.kind) == (None, ModerationAction.Kind.BAN)
    assert "waiting for a moderator" in _text(client.get(BAN_PAGE))
    card = BeautifulSoup(
        admin_client.get("/admin/moderation/queue/appeals/").content, "html.parser"
    ).select_one(f"#appeal-{appeal.pk}")
    assert "Bob appeals their ban" in " ".join(card.get_text().split())
    assert "I was quoting the advert" in card.get_text()


def _appeal_card(admin_client, appeal):
    page = admin_client.get("/admin/moderation/queue/appeals/").content
    return BeautifulSoup(page, "html.parser").select_one(f"#appeal-{appeal.pk}")


def test_a_ban_appeals_card_shows_the_comment_the_ban_was_made_from(
    client, admin_client, article, banned
):
    _appeal(client, "I was quoting the advert to warn people about it.")

    card = _appeal_card(admin_client, Appeal.objects.get())

    said = " ".join(card.get_text().split())
    assert f"The ban was made from their comment on {article.title}:" in said
    assert card.select_one(".mod-body").get_text().strip() == "Bob's first comment on the talks."


def test_a_ban_appeals_card_counts_the_readers_comments_by_queue_each_linking_there(
    client, admin_client, article, banned
):
    post_as_bob(client, article, "Bob's second comment, refused as he is banned.")
    _appeal(client, "I was quoting the advert to warn people about it.")

    line = _appeal_card(admin_client, Appeal.objects.get()).select_one(".mod-history")

    assert " ".join(line.get_text().split()) == (
        # Published as he posted it, never reviewed; the refused one was never saved.
        "Their comments: 0 pending, 0 approved, 1 unmoderated, 0 rejected. Their record"
    )
    queue = line.find("a", string="1 unmoderated")["href"]
    assert queue.startswith("/admin/moderation/queue/unmoderated/?author=")
    assert "Bob's first comment" in admin_client.get(queue).content.decode()


def test_a_second_appeal_of_the_same_ban_is_refused_with_its_text_kept(client, banned):
    _appeal(client, "First appeal.")

    again = _appeal(client, "Second appeal, written in another tab.")

    assert again.status_code == 400
    assert "You have appealed this ban already." in _text(again)
    assert "Second appeal, written in another tab." in again.content.decode()
    assert Appeal.objects.count() == 1


def test_an_empty_appeal_is_refused_and_sends_nothing(client, banned):
    response = _appeal(client, "   ")

    assert response.status_code == 400
    assert "the box is empty" in _text(response)
    assert not Appeal.objects.exists()


def test_another_reader_cannot_appeal_someone_elses_ban(article, banned):
    stranger = Client()

    response = _appeal(stranger, "Please let Bob back in.")

    assert response.status_code == 400
    assert "You are not banned, so there is nothing to appeal." in _text(response)
    assert "Please let Bob back in." in response.content.decode()
    assert not Appeal.objects.exists()


def test_a_ban_lifted_before_the_appeal_is_sent_has_nothing_left_to_appeal(
    client, banned, django_user_model
):
    moderator = django_user_model.objects.get(username="admin")
    LiftBan(reader_key=banned.reader_key, user=moderator).execute()

    response = _appeal(client, "Written while the ban still held.")

    assert response.status_code == 400
    assert "This ban no longer holds" in _text(response)
    assert "Written while the ban still held." in response.content.decode()
    assert not Appeal.objects.exists()


def test_appeals_over_the_rate_limit_are_refused_with_their_text_kept(client, banned, settings):
    settings.MODERATION_APPEAL_RATE = "1/h"
    _appeal(client, "")  # refused as empty, but counted

    response = _appeal(client, "My appeal, in full.")

    assert response.status_code == 429
    assert "My appeal, in full." in response.content.decode()
    assert not Appeal.objects.exists()


def test_upholding_a_ban_appeal_lifts_the_ban_and_the_reader_may_comment_again(
    client, admin_client, article, banned
):
    _appeal(client, "I was quoting the advert to warn people about it.")
    appeal = Appeal.objects.get()

    said = _decide(admin_client, appeal, "uphold")

    assert "Upheld the appeal by Bob: their ban is lifted." in said
    assert not ReaderStanding.objects.get(reader_key=banned.reader_key).banned
    assert post_as_bob(client, article, "Thank you for reading my appeal.").status_code == 302
    assert Comment.objects.filter(body="Thank you for reading my appeal.").exists()
    statement = _text(client.get(BAN_PAGE))
    assert "upheld, and the ban lifted" in statement
    assert "You can comment again." in statement


def test_the_readers_record_names_an_answered_appeal_as_the_bans(
    client, admin_client, article, banned
):
    _appeal(client, "I was quoting the advert to warn people about it.")
    _decide(admin_client, Appeal.objects.get(), "uphold")

    record = BeautifulSoup(
        admin_client.get("/admin/moderation/readers/", {"reader": banned.reader_key}).content,
        "html.parser",
    )
    decisions = [
        " ".join(row.select("td")[1].get_text().split())
        for row in record.select("[data-record-actions] tbody tr")
    ]
    assert decisions[0] == "Ban appeal upheld"


def test_turning_down_a_ban_appeal_keeps_the_ban_and_tells_the_reader_the_note(
    client, admin_client, article, banned
):
    _appeal(client, "I did nothing wrong.")
    appeal = Appeal.objects.get()

    _decide(admin_client, appeal, "deny", "Five adverts in an hour.")

    assert ReaderStanding.objects.get(reader_key=banned.reader_key).banned
    assert post_as_bob(client, article, "Still here.").status_code == 400
    statement = _text(client.get(BAN_PAGE))
    assert "turned down" in statement
    assert "The moderator’s answer: Five adverts in an hour." in statement
    assert (
        BeautifulSoup(client.get(BAN_PAGE).content, "html.parser").select_one("form.appeal-form")
        is None
    )


def test_a_ban_appeal_turned_down_without_a_note_is_refused_and_stays_open(
    client, admin_client, banned
):
    _appeal(client, "I did nothing wrong.")
    appeal = Appeal.objects.get()

    _decide(admin_client, appeal, "deny")

    assert Appeal.objects.get().status == Appeal.Status.OPEN
    assert ReaderStanding.objects.get(reader_key=banned.reader_key).banned


@pytest.fixture
def member(django_user_model):
    return django_user_model.objects.create_user(
        "dana", "dana@example.com", "a-long-password-1", is_active=True
    )


@pytest.mark.usefixtures("email_tasks_run_as_queued")
def test_a_banned_member_is_emailed_the_ban_and_the_answer_to_their_appeal(
    member, moderator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        BanReader(
            reader_key=f"user:{member.pk}",
            user=moderator,
            reason_code="abuse",
            note="Three insults in one thread.",
            until=timezone.now() + timedelta(days=7),
        ).execute()
    [ban_email] = mail.outbox
    assert ban_email.to == ["dana@example.com"]
    assert ban_email.subject == "You cannot comment for now"
    assert "The moderators' reason: abuse or harassment." in ban_email.body
    assert "The moderator's note: Three insults in one thread." in ban_email.body
    assert "/moderation/ban/" in ban_email.body

    ban = ModerationAction.objects.get(kind=ModerationAction.Kind.BAN)
    appeal = Appeal.objects.create(action=ban, text="I was provoked.")
    with django_capture_on_commit_callbacks(execute=True):
        DecideAppeal(
            appeal=appeal, uphold=False, user=moderator, note="That is no excuse."
        ).execute()

    answer = mail.outbox[-1]
    assert answer.subject == "Your appeal was decided"
    assert "Your appeal of your ban was turned down. That is no excuse." in answer.body


def test_an_appeal_of_a_ban_replaced_by_a_longer_one_cannot_lift_the_newer_ban(
    client, admin_client, banned, django_user_model
):
    _appeal(client, "The day's ban was a mistake.")
    moderator = django_user_model.objects.get(username="admin")
    BanReader(reader_key=banned.reader_key, user=moderator, reason_code="abuse").execute()
    appeal = Appeal.objects.get()

    said = _decide(admin_client, appeal, "uphold")

    assert "banned again after appealing" in said
    standing = ReaderStanding.objects.get(reader_key=banned.reader_key)
    assert standing.banned and standing.banned_until is None
    assert Appeal.objects.get().status == Appeal.Status.OPEN


def test_the_banned_readers_cards_link_to_the_open_appeal_of_their_ban(
    client, admin_client, banned
):
    _appeal(client, "I was quoting the advert to warn people about it.")
    appeal = Appeal.objects.get()
    banned.refresh_from_db()

    queue = admin_client.get(f"/admin/moderation/queue/{banned.state}/?author={banned.reader_key}")

    card = BeautifulSoup(queue.content, "html.parser").select_one(".mod-history")
    assert "They appealed the ban: open the appeal." in " ".join(card.get_text().split())
    link = card.find("a", string="open the appeal")
    assert link["href"] == f"/admin/moderation/queue/appeals/?appeal={appeal.pk}#appeal-{appeal.pk}"


def test_an_appeal_left_open_after_its_ban_was_lifted_says_so_on_its_card(
    client, admin_client, banned, django_user_model
):
    _appeal(client, "I was quoting the advert.")
    LiftBan(
        reader_key=banned.reader_key, user=django_user_model.objects.get(username="admin")
    ).execute()
    appeal = Appeal.objects.get()

    queue = admin_client.get("/admin/moderation/queue/appeals/")

    card = BeautifulSoup(queue.content, "html.parser").select_one(f"#appeal-{appeal.pk} header")
    assert "(the ban no longer holds)" in card.get_text()


def test_the_json_apis_refusal_of_a_banned_readers_comment_links_to_the_bans_statement(
    client, article, banned
):
    response = client.post(
        "/api/v1/comments",
        {"article": article.pk, "body": "Bob, through the API now.", "author_name": "Bob"},
        content_type="application/json",
    )

    assert response.status_code == 400
    refusal = response.json()
    assert "banned_reader" in refusal["codes"]
    assert refusal["links"] == {"banned_reader": f"http://testserver{BAN_PAGE}"}
    assert not Comment.objects.filter(body="Bob, through the API now.").exists()


def test_the_appeals_queue_reads_ban_appeals_in_the_same_queries_however_many(
    client, admin_client, article, banned
):
    _appeal(client, "Bob's appeal.")
    admin_client.get("/admin/moderation/queue/appeals/")  # the session as a second request has it
    one = queries_answering(admin_client, "/admin/moderation/queue/appeals/")
    ann = Client()
    post_as_bob(ann, article, "Ann's comment, which a moderator will ban her for.")
    review = CommentReview.objects.get(comment__body__startswith="Ann's comment")
    admin_client.post(
        f"/admin/moderation/reviews/{review.pk}/act/",
        {"next": "/", "action": "ban_week", "reason_code": "spam", "note": ""},
    )
    ann.post(BAN_PAGE, {"text": "Ann's appeal."})
    assert Appeal.objects.count() == 2

    two = queries_answering(admin_client, "/admin/moderation/queue/appeals/")

    assert two == one
    page = admin_client.get("/admin/moderation/queue/appeals/")
    assert len(BeautifulSoup(page.content, "html.parser").select("[data-ban-appeal]")) == 2
