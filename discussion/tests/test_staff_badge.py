"""A comment by the newsroom's staff carries a badge beside the author's name, so readers can tell
a reporter's answer from anyone's; nobody else can have it, whatever name they type."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import reverse

from accounts import selectors as reader_selectors
from discussion.models import Comment
from discussion.services import comment_create, thread_ensure
from discussion.tests.readers import make_reader
from newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _post(client: Client, article, body: str, **extra) -> Comment:
    response = client.post(article.url, {"body": body, "idempotency_key": "", **extra})
    assert response.status_code == 302
    return Comment.objects.get(body=body)


def _badges(article) -> dict[str, list[str]]:
    """Each comment's author, with the badges shown beside it, as an anonymous reader sees it."""
    page = BeautifulSoup(Client().get(article.url).content, "html.parser")
    return {
        meta.select_one(".comment__author").get_text(strip=True): [
            badge.get_text(strip=True) for badge in meta.select(".comment__badge")
        ]
        for meta in page.select("#comment-list .comment__meta")
    }


@pytest.fixture
def reporter():
    """A member of the newsroom: one of Wagtail's Editors, who may use the admin."""
    user = make_reader("Olha Koval")
    user.groups.add(Group.objects.get(name="Editors"))
    return user


def test_a_reporters_comment_shows_the_staff_badge_and_a_readers_does_not(reporter):
    article = make_article()
    _post(_signed_in(reporter), article, "We have asked the ministry and will update this piece.")
    _post(_signed_in(make_reader("Ada")), article, "Thanks for following up.")
    _post(Client(), article, "Me too.", author_name="Olha Koval Staff")

    assert _badges(article) == {"Olha Koval": ["Staff"], "Ada": [], "Olha Koval Staff": []}


def test_a_member_given_the_admin_themselves_or_a_superuser_is_staff_and_one_in_another_group_not():
    # Staff is read with the reader (accounts.selectors.reader_may_use_admin), not asked of the
    # account: each way the admin is granted, and a group without it, says the same as has_perm.
    article = make_article()
    given = make_reader("Given Directly")
    given.user_permissions.add(Permission.objects.get(codename="access_admin"))
    boss = make_reader("Ada Boss")
    boss.is_superuser = True
    boss.save(update_fields=["is_superuser"])
    other = make_reader("Other Group")
    other.groups.add(Group.objects.create(name="Newsletter readers"))
    for user in (given, boss, other):
        _post(_signed_in(user), article, f"Written by {user.reader.display_name}.")

    assert _badges(article) == {
        "Given Directly": ["Staff"],
        "Ada Boss": ["Staff"],
        "Other Group": [],
    }


def test_the_api_says_which_comments_the_staff_wrote(reporter):
    article = make_article()
    _post(_signed_in(reporter), article, "A correction has been added.")
    _post(Client(), article, "Good.", author_name="Guest")

    answer = Client().get(f"/api/v1/threads/comments?article={article.pk}&sort=oldest")

    assert answer.status_code == 200
    staff = {c["author_name"]: c["author_is_staff"] for c in answer.json()["comments"]}
    assert staff == {"Olha Koval": True, "Guest": False}


def test_the_badge_marks_what_was_written_as_staff_after_the_reporter_leaves(reporter):
    article = make_article()
    _post(_signed_in(reporter), article, "Written while on the desk.")
    reporter.groups.clear()
    reporter = type(reporter).objects.get(pk=reporter.pk)  # permissions read afresh
    _post(_signed_in(reporter), article, "Written after leaving.")

    page = BeautifulSoup(Client().get(article.url).content, "html.parser")
    marked = {
        li.select_one(".comment__body").get_text(strip=True): bool(li.select(".comment__badge"))
        for li in page.select("#comment-list li.comment")
    }
    assert marked == {"Written while on the desk.": True, "Written after leaving.": False}


def test_an_empty_label_shows_no_badge(reporter, settings):
    settings.STAFF_BADGE_LABEL = ""
    article = make_article()
    _post(_signed_in(reporter), article, "No badge on this site.")

    assert _badges(article) == {"Olha Koval": []}


def test_a_reporters_first_comments_are_not_held_as_a_newcomers_are(reporter, settings):
    settings.MODERATION_TRUST_FIRST_COMMENTS = 2
    article = make_article()

    staff = _post(_signed_in(reporter), article, "The ministry has now replied; see the update.")
    reader = _post(_signed_in(make_reader("Ada")), article, "Thanks, that helps.")

    assert staff.status == Comment.Status.PUBLISHED
    assert reader.status == Comment.Status.PENDING


def test_a_reporters_banned_word_is_refused_all_the_same(reporter):
    from moderation.models import Rule

    Rule.objects.create(kind=Rule.Kind.BANNED, pattern="zorkbat")
    article = make_article()

    response = _signed_in(reporter).post(
        article.url, {"body": "What a zorkbat.", "idempotency_key": ""}
    )

    assert response.status_code == 400
    assert not Comment.objects.exists()


def _profile_badges(user) -> list[str]:
    """The badges beside the name at the top of ``user``'s reader profile, as anyone sees it."""
    reader = reader_selectors.reader_for_user(user_id=user.pk)
    page = BeautifulSoup(
        Client().get(reverse("reader_profile", args=[reader.pk])).content, "html.parser"
    )
    return [badge.get_text(strip=True) for badge in page.select("h1 .comment__badge")]


def test_a_reporters_profile_shows_the_staff_badge_and_a_readers_does_not(reporter):
    assert _profile_badges(reporter) == ["Staff"]
    assert _profile_badges(make_reader("Ada")) == []


def test_the_profile_badge_goes_when_the_reporter_leaves_the_newsroom(reporter):
    reporter.groups.clear()
    assert _profile_badges(reporter) == []


def test_a_guest_may_not_post_as_the_newsroom(settings):
    article = make_article()

    response = Client().post(
        article.url, {"body": "Comments are closed.", "author_name": "Moderator"}
    )

    assert response.status_code == 400
    assert "newsroom speaking" in response.content.decode()
    assert not Comment.objects.exists()


def test_an_import_keeps_a_sites_own_admin_as_the_author():
    comment = comment_create(
        thread=thread_ensure(page=make_article()),
        body="Thanks for reading, we fixed the typo.",
        author_name="admin",
    )  # as an import makes it (source "direct")

    assert comment.author_name == "admin"
