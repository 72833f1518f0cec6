"""The statement of reasons as its author finds their way around it: which article the comment was
on, where the appeal's confirmation appears, and what a check found once the text was edited."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from core.ratelimit import wait_in_words
from discussion.models import Comment
from discussion.tests.readers import make_reader
from moderation.actions import RejectComment
from moderation.models import Appeal
from newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    return make_article(title="Talks in Istanbul end without a ceasefire")


def _post(client, article, body: str) -> Comment:
    client.post(article.url, {"body": body, "author_name": "Olena", "idempotency_key": ""})
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.PENDING
    return comment


def _why(client, comment, **post) -> BeautifulSoup:
    url = f"/moderation/comments/{comment.pk}/why/"
    response = client.post(url, post) if post else client.get(url)
    return BeautifulSoup(response.content, "html.parser").select_one("main")


def test_the_page_names_the_article_and_links_to_the_comment_on_it(client, article):
    comment = _post(client, article, "Read http://evil.example/ for the real story.")

    on = _why(client, comment).select_one(".statement__article")

    assert " ".join(on.get_text(" ", strip=True).split()) == (
        "On: Talks in Istanbul end without a ceasefire"
    )
    assert on.a["href"] == f"/c/{comment.pk}/"


def test_the_appeal_is_confirmed_at_the_top_of_the_page_in_a_status_message(
    client, article, django_user_model
):
    comment = _post(client, article, "The minister is a moron.")
    moderator = django_user_model.objects.create_superuser("boss", "b@example.com", "pw-long-1")
    RejectComment(comment=comment, user=moderator, reason_code="abuse").execute()
    assert _why(client, comment).select_one("form.appeal-form")["action"] == "#appeal"

    page = _why(client, comment, text="It is about a minister's policy.")

    first = page.select_one("h1").find_next_sibling()
    assert first["role"] == "status" and first["id"] == "appeal"
    assert first.get_text(strip=True).startswith("Your appeal was sent.")


def test_a_link_taken_out_by_an_edit_is_reported_as_found_before_the_edit(client, article):
    comment = _post(client, article, "Read http://evil.example/ for the real story.")
    client.post(f"/discussion/comments/{comment.pk}/edit/", {"body": "Read the real story."})

    reasons = _why(client, comment).select_one(".statement > li")

    assert "It links to evil.example, which a moderator checks first." in reasons.get_text()
    assert reasons.select_one(".statement__detail").get_text(strip=True) == (
        "Our checks found this in your comment as it was when it was held, before you edited it."
    )


def test_a_hold_of_the_edited_text_says_it_came_after_the_edit(client, article):
    # Two holds that read the same ("Held for review by our automatic checks", twice) left the
    # author wondering why their comment was held twice.
    comment = _post(client, article, "Read http://evil.example/ for the real story.")
    client.post(
        f"/discussion/comments/{comment.pk}/edit/", {"body": "See http://evil.example/ first."}
    )

    decisions = _why(client, comment).select(".statement > li > p:first-child")

    said = [" ".join(p.get_text(" ", strip=True).split()) for p in decisions]
    assert len(said) == 2
    assert said[0].startswith("Held for review after you edited it, by our automatic checks,")
    assert said[1].startswith("Held for review by our automatic checks,")


@pytest.fixture
def rejected(client, article, django_user_model) -> Comment:
    comment = _post(client, article, "The minister is a moron.")
    moderator = django_user_model.objects.create_superuser("boss", "b@example.com", "pw-long-1")
    RejectComment(comment=comment, user=moderator, reason_code="abuse").execute()
    return comment


def _described_by(page: BeautifulSoup, box) -> list[str]:
    """The texts a screen reader reads as the box's description: every id must be on the page."""
    ids = box["aria-describedby"].split()
    assert all(page.find(id=i) is not None for i in ids), ids
    return [page.find(id=i).get_text(strip=True) for i in ids]


def test_an_empty_appeal_is_asked_for_its_reasons_in_words_that_name_them(client, rejected):
    page = _why(client, rejected, text="   ")

    error = page.select_one("form.appeal-form .field__error")
    assert error.get_text(strip=True) == (
        "Please say why the decision should be changed: the box is empty."
    )


def test_the_appeal_box_says_its_limit_before_anything_is_sent(client, rejected):
    page = _why(client, rejected)

    box = page.select_one("form.appeal-form textarea[name=text]")
    assert _described_by(page, box) == ["Up to 2,000 characters."]
    assert not box.has_attr("autofocus") and not box.has_attr("aria-invalid")


def test_a_refused_appeal_ties_its_error_to_the_box_and_opens_with_focus_on_it(client, rejected):
    text = "It is about a policy, not a person. " * 60 + "Thanks."  # 2,167 characters

    page = _why(client, rejected, text=text)

    box = page.select_one("form.appeal-form textarea[name=text]")
    assert box["aria-invalid"] == "true" and box.has_attr("autofocus")
    assert _described_by(page, box) == [
        "Up to 2,000 characters.",
        "Your appeal is 2,167 characters long; the limit is 2,000. Please shorten it by 167.",
    ]
    assert "field--error" in box.find_parent(class_="field")["class"]
    # The address ends in #appeal: no element may hold that id, or the browser would skip
    # autofocus and put focus there instead.
    assert page.find(id="appeal") is None


def test_an_appeal_sent_in_bytes_that_are_not_utf8_is_refused_with_the_reason(client, rejected):
    """Bytes of another encoding (Latin-1's "é", 0xE9) read as U+FFFD: a moderator would read
    "caf� owner" where the reader wrote a word, so the appeal is refused, not saved garbled."""
    response = client.post(
        f"/moderation/comments/{rejected.pk}/why/",
        "text=I+own+the+caf%E9+and+was+quoting+a+customer.",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 400
    error = BeautifulSoup(response.content, "html.parser").select_one(".field__error")
    assert "not valid text (UTF-8)" in error.get_text()
    assert not Appeal.objects.exists()


def test_an_appeal_sent_after_the_session_ended_keeps_the_text_and_asks_to_sign_in_again(
    client, article, django_user_model
):
    """A member's appeal, written while their session ran out (a browser that restored its tabs
    keeps no session but the form's token): not a 404, and the words are theirs to copy."""
    ada = make_reader("Ada")
    client.force_login(ada)
    comment = _post(client, article, "The minister is a moron.")
    moderator = django_user_model.objects.create_superuser("boss", "b@example.com", "pw-long-1")
    RejectComment(comment=comment, user=moderator, reason_code="abuse").execute()
    client.logout()
    words = "It was about a policy & its <author>, not a person."

    refused = client.post(f"/moderation/comments/{comment.pk}/why/", {"text": words})

    assert refused.status_code == 403
    page = BeautifulSoup(refused.content, "html.parser")
    assert "your session had ended" in page.select_one("[role=alert]").get_text()
    assert page.select_one("textarea[readonly]").get_text() == words
    sign_in = client.get(page.find("a", string="Sign in again")["href"])
    assert "Sign in again to finish" in sign_in.content.decode()
    assert not Appeal.objects.exists()


def test_a_comment_rejected_again_after_an_upheld_appeal_offers_an_appeal_of_the_new_decision(
    client, article, django_user_model
):
    from moderation.actions import DecideAppeal
    from moderation.models import Appeal

    comment = _post(client, article, "The minister is a moron.")
    moderator = django_user_model.objects.create_superuser("boss", "b@example.com", "pw-long-1")
    RejectComment(comment=comment, user=moderator, reason_code="abuse").execute()
    _why(client, comment, text="It is about a minister's policy.")
    DecideAppeal(appeal=Appeal.objects.get(), uphold=True, user=moderator).execute()
    RejectComment(
        comment=Comment.objects.get(pk=comment.pk), user=moderator, reason_code="spam"
    ).execute()

    page = _why(client, comment)

    assert page.select_one("form.appeal-form textarea[name=text]") is not None
    sent = _why(client, comment, text="It is not advertising anything.")
    assert sent.select_one("#appeal[role=status]") is not None
    assert Appeal.objects.filter(status=Appeal.Status.OPEN).count() == 1


def test_appeals_sent_faster_than_the_site_allows_are_refused_with_the_text_kept(
    client, rejected, settings
):
    from moderation.models import Appeal

    settings.MODERATION_APPEAL_RATE = "2/m"
    url = f"/moderation/comments/{rejected.pk}/why/"
    for _ in range(2):
        client.post(url, {"text": "   "})  # refused for being empty, but still sent

    response = client.post(url, {"text": "It is about a minister's policy."})

    assert response.status_code == 429
    page = BeautifulSoup(response.content, "html.parser").select_one("main")
    said = page.select_one("form.appeal-form").get_text(" ")
    assert "faster than this site allows" in said
    # The wait said is the one Retry-After carries (it said "Wait a while").
    assert f"{wait_in_words(int(response['Retry-After'])).capitalize()}, then send it" in said
    box = page.select_one("textarea[name=text]")
    assert box.get_text().strip() == "It is about a minister's policy."
    assert not Appeal.objects.exists()


def test_an_appeal_sent_after_a_moderator_published_the_comment_says_there_is_nothing_to_appeal(
    client, rejected, django_user_model
):
    from moderation.actions import ApproveComment
    from moderation.models import Appeal

    moderator = django_user_model.objects.get(username="boss")
    ApproveComment(comment=Comment.objects.get(pk=rejected.pk), user=moderator).execute()

    page = _why(client, rejected, text="It is about a minister's policy.")

    notice = page.select_one("[role=alert]")
    assert notice is not None and "nothing to appeal" in notice.get_text()
    assert not Appeal.objects.exists()
