"""Reactions: one per reader per comment, toggled, counted exactly, throttled, and answered both
as a plain form post and as an htmx swap."""

from __future__ import annotations

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.utils import timezone

from accounts.services import reader_erase
from core.ratelimit import wait_in_words
from discussion.models import Comment, Reaction, Thread
from discussion.services import (
    ReactionRefused,
    comment_set_status,
    reaction_toggle,
    reactions_add_many,
    reactions_remove,
    thread_ensure,
)
from discussion.tests.factories import make_comment, make_thread
from discussion.tests.readers import make_reader
from moderation.models import ModerationSettings
from newsroom.models import ArticlePage
from newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def _count(comment) -> int:
    return Comment.objects.get(pk=comment.pk).reaction_count


def _react(client, comment, **extra):
    return client.post(f"/discussion/comments/{comment.pk}/react/", **extra)


@pytest.fixture
def article_comment():
    article = make_article()
    return article, make_comment(thread_ensure(page=article), "Worth reading.")


def test_toggling_adds_then_takes_back_one_reaction_and_bumps_the_version_each_time():
    thread = make_thread()
    comment = make_comment(thread)
    version = Thread.objects.get(pk=thread.pk).version
    reader = make_reader()
    first = reaction_toggle(comment=comment, reader_key="", user_id=reader.pk)
    assert (first.pressed, first.count, _count(comment)) == (True, 1, 1)
    second = reaction_toggle(comment=comment, reader_key="", user_id=reader.pk)
    assert (second.pressed, second.count, _count(comment)) == (False, 0, 0)
    assert Thread.objects.get(pk=thread.pk).version == version + 2


def test_two_readers_each_count_once():
    comment = make_comment(make_thread())
    reaction_toggle(comment=comment, reader_key="guest-a", user_id=None)
    reaction_toggle(comment=comment, reader_key="guest-b", user_id=None)
    reaction_toggle(comment=comment, reader_key="", user_id=make_reader().pk)
    assert _count(comment) == Reaction.objects.filter(comment=comment).count() == 3


def test_a_recommendation_records_the_network_it_came_from(article_comment):
    _article, comment = article_comment
    _react(Client(REMOTE_ADDR="2001:db8:5:6::9"), comment)
    # The /64, as reports and rate limits count places (for moderation.brigades).
    assert Reaction.objects.get(comment=comment).network == "2001:db8:5:6::/64"


def test_removing_reactions_sets_the_count_again_bumps_the_version_and_tells_open_pages(
    django_capture_on_commit_callbacks,
):
    thread = make_thread()
    comment = make_comment(thread)
    for key in ("a", "b", "c"):
        reaction_toggle(comment=comment, reader_key=key, user_id=None)
    pushed = list(Reaction.objects.filter(comment=comment, reader_key__in=["ga", "gb"]))
    version = Thread.objects.get(pk=thread.pk).version
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        removed = reactions_remove(comment_id=comment.pk, reaction_ids=[r.pk for r in pushed])
    assert (removed, _count(comment)) == (2, 1)
    assert Thread.objects.get(pk=thread.pk).version == version + 1
    assert callbacks  # the live event and cache purge, after commit
    # Asked again, nothing is left to remove and nothing changes.
    assert reactions_remove(comment_id=comment.pk, reaction_ids=[r.pk for r in pushed]) == 0
    assert Thread.objects.get(pk=thread.pk).version == version + 1


def test_a_deleted_accounts_recommendations_stay_counted_without_their_networks():
    comment = make_comment(make_thread())
    member = make_reader()
    reaction_toggle(comment=comment, reader_key="", user_id=member.pk, network="198.51.100.4")
    reaction_toggle(comment=comment, reader_key="guest-a", user_id=None, network="198.51.100.5")

    key = f"u{member.pk}"

    reader_erase(user=member)

    assert _count(comment) == 2
    assert dict(Reaction.objects.values_list("reader_key", "network")) == {
        key: None,
        "gguest-a": "198.51.100.5",
    }


def test_only_a_published_comment_can_be_recommended():
    comment = make_comment(make_thread())
    comment_set_status(comment=comment, status=Comment.Status.PENDING)
    with pytest.raises(ReactionRefused):
        reaction_toggle(comment=comment, reader_key="guest-a", user_id=None)
    assert _count(comment) == 0


def test_plain_post_redirects_back_to_the_comment_and_the_page_shows_it_pressed(
    client, article_comment
):
    article, comment = article_comment
    response = _react(client, comment)
    assert response.status_code == 302
    assert response["Location"] == f"{article.url}?c={comment.pk}#c-{comment.pk}"
    page = BeautifulSoup(client.get(response["Location"]).content, "html.parser")
    button = page.select_one(f"#react-{comment.pk} button")
    assert button["aria-pressed"] == "true"
    assert button.select_one(".reaction__count").get_text() == "1"


def test_htmx_gets_the_button_back_pressed_with_the_count_and_an_announcement(
    client, article_comment
):
    _article, comment = article_comment
    soup = BeautifulSoup(_react(client, comment, **HTMX).content, "html.parser")
    assert soup.select_one(f"#react-{comment.pk} button")["aria-pressed"] == "true"
    assert soup.select_one(".reaction__count").get_text() == "1"
    assert "Recommend" in soup.find(id="discussion-status").get_text()
    again = BeautifulSoup(_react(client, comment, **HTMX).content, "html.parser")
    assert again.select_one("button")["aria-pressed"] == "false"
    assert _count(comment) == 0


def test_a_guest_is_told_apart_by_the_signed_cookie(article_comment):
    _article, comment = article_comment
    first, second = Client(), Client()
    _react(first, comment)
    _react(first, comment, **HTMX)  # the same browser again: takes it back
    _react(first, comment)
    _react(second, comment)
    assert _count(comment) == 2


def test_the_page_carries_the_answers_sentence_once_for_the_tap_to_say_before_the_answer(
    client, settings
):
    # site.js says the sentence at the tap, filling in the blanks; the answer's own words are
    # then not said again only if they are the same (one wording: _reaction_said.html).
    settings.REACTION_LABEL = "Applaud"
    article = make_article()
    comment = make_comment(thread_ensure(page=article), "Worth reading.", name="Graham W.")
    make_comment(comment.thread, "Another view.", name="Olena")
    page = BeautifulSoup(client.get(article.url).content, "html.parser")
    region = page.find(id="discussion-status")
    assert len(page.select("[data-said-chose]")) == 1  # once for the page, not on each comment

    def filled(sentence: str, count: int) -> str:
        # "Graham W." ends in a mark that ends a sentence (data-said-ends): no second stop.
        assert "." in region["data-said-ends"]
        return sentence.replace("{name}", "Graham W.").replace("{count}", str(count))

    for pressed, key in ((True, "data-said-chose"), (False, "data-said-took-back")):
        answer = BeautifulSoup(_react(client, comment, **HTMX).content, "html.parser")
        said = answer.find(id="discussion-status").get_text()
        assert said == filled(region[key], 1 if pressed else 0)
        assert said.startswith("You chose Applaud" if pressed else "You took back your Applaud")


def test_the_label_comes_from_the_setting(client, article_comment, settings):
    settings.REACTION_LABEL = "Applaud"
    article, comment = article_comment
    soup = BeautifulSoup(client.get(article.url).content, "html.parser")
    assert soup.select_one(f"#react-{comment.pk} button").get_text().startswith("Applaud")


def test_a_hundred_reactions_from_one_guest_are_throttled_and_count_at_most_once(
    client, article_comment, settings
):
    settings.REACTION_RATE_LIMIT = "30/h"
    _article, comment = article_comment
    statuses = [_react(client, comment, **HTMX).status_code for _ in range(100)]
    # The first post (no cookie yet) is counted against the address, the rest against the cookie.
    assert statuses.count(200) == 31
    assert statuses.count(429) == 69
    assert _count(comment) == Reaction.objects.filter(comment=comment).count() == 1
    assert _react(Client(), comment).status_code == 302  # another reader is not throttled
    assert _count(comment) == 2


def test_a_signed_in_reader_is_throttled_by_account(client, article_comment, settings):
    settings.REACTION_RATE_LIMIT = "6/h"
    # Below the account's: a member's press counted against their address as a new guest's
    # would show as fewer let through.
    settings.REACTION_NEW_GUEST_RATE = "2/h"
    _article, comment = article_comment
    client.force_login(make_reader())
    statuses = [_react(client, comment, **HTMX).status_code for _ in range(20)]
    assert (statuses.count(200), statuses.count(429)) == (6, 14)
    assert _count(comment) == Reaction.objects.filter(comment=comment).count() == 0


def test_a_press_over_the_rate_limit_by_htmx_keeps_the_button_pressed_with_its_count(
    client, article_comment, settings
):
    # The refusal took the button's place: the reader had to reload the page to press again.
    settings.REACTION_RATE_LIMIT = "1/h"
    _article, comment = article_comment
    client.force_login(make_reader())
    assert _react(client, comment, **HTMX).status_code == 200  # recommended: pressed, 1

    refused = _react(client, comment, **HTMX)

    assert refused.status_code == 429
    holder = BeautifulSoup(refused.content, "html.parser").select_one(f"#react-{comment.pk}")
    button = holder.select_one("button.reaction__button")
    assert button["aria-pressed"] == "true"
    assert button.select_one(".reaction__count").get_text() == "1"
    alert = holder.select_one("[role=alert]")
    assert "faster than this site allows" in alert.get_text()
    assert button["aria-describedby"] == alert["id"]
    assert _count(comment) == 1


def test_a_press_over_an_hourly_limit_says_the_wait_its_retry_after_carries(
    client, article_comment, settings
):
    # It said "wait a minute" whatever the limit's window.
    settings.REACTION_RATE_LIMIT = "1/h"
    _article, comment = article_comment
    client.force_login(make_reader())
    _react(client, comment, **HTMX)

    refused = _react(client, comment, **HTMX)

    assert refused.status_code == 429
    wait = int(refused["Retry-After"])
    assert 1 <= wait <= 3600
    alert = BeautifulSoup(refused.content, "html.parser").select_one("[role=alert]")
    assert alert.get_text(strip=True) == (
        f"You are reacting faster than this site allows; {wait_in_words(wait)}, then try again."
    )


def test_guests_cannot_react_where_guests_may_not_comment(client, article_comment, settings):
    settings.COMMENTS_REQUIRE_ACCOUNT = True
    article, comment = article_comment
    assert _react(client, comment).status_code == 403
    assert _count(comment) == 0
    soup = BeautifulSoup(client.get(article.url).content, "html.parser")
    assert soup.select_one(f"#react-{comment.pk} button") is None


def test_a_held_comment_cannot_be_reacted_to(client, article_comment):
    _article, comment = article_comment
    comment_set_status(comment=comment, status=Comment.Status.PENDING)
    assert _react(client, comment).status_code == 404


def test_reacting_needs_a_post_with_a_csrf_token(article_comment):
    _article, comment = article_comment
    strict = Client(enforce_csrf_checks=True)
    assert _react(strict, comment).status_code == 403
    assert strict.get(f"/discussion/comments/{comment.pk}/react/").status_code == 405
    assert _count(comment) == 0


def test_a_client_dropping_its_cookie_after_every_press_adds_only_a_few_an_hour(
    article_comment, settings
):
    """Each cookie-less press is a new guest; new guests are limited per address."""
    settings.REACTION_NEW_GUEST_RATE = "3/h"
    _article, comment = article_comment

    statuses = [_react(Client(REMOTE_ADDR="203.0.113.7"), comment).status_code for _ in range(8)]

    assert statuses == [302] * 3 + [429] * 5
    assert _count(comment) == Reaction.objects.filter(comment=comment).count() == 3
    assert _react(Client(REMOTE_ADDR="198.51.100.20"), comment).status_code == 302  # elsewhere
    assert _count(comment) == 4


def test_guests_who_keep_their_cookie_and_members_are_not_held_by_the_new_guest_limit(
    article_comment, settings
):
    settings.REACTION_NEW_GUEST_RATE = "1/h"
    _article, comment = article_comment
    guest = Client(REMOTE_ADDR="203.0.113.7")
    member = Client(REMOTE_ADDR="203.0.113.7")
    member.force_login(make_reader())

    statuses = [_react(guest, comment).status_code for _ in range(3)]  # on, off, on
    statuses.append(_react(member, comment).status_code)

    assert statuses == [302, 302, 302, 302]
    assert _count(comment) == 2


def test_an_ipv6_client_rotating_addresses_within_its_64_is_one_address(article_comment, settings):
    settings.REACTION_NEW_GUEST_RATE = "2/h"
    _article, comment = article_comment
    addresses = ["2001:db8:1:2::1", "2001:db8:1:2::aaaa", "2001:db8:1:2:ffff::3"]

    statuses = [_react(Client(REMOTE_ADDR=ip), comment).status_code for ip in addresses]

    assert statuses == [302, 302, 429]
    assert _react(Client(REMOTE_ADDR="2001:db8:1:3::1"), comment).status_code == 302


def test_a_closed_discussion_takes_no_recommendation_and_its_counts_stand(client, article_comment):
    article, comment = article_comment
    _react(Client(), comment)  # a reader recommended it while it was open
    Thread.objects.filter(page=article).update(is_closed=True)

    plain = _react(client, comment)
    swapped = _react(client, comment, **HTMX)

    assert plain.status_code == 409
    assert "This discussion is closed" in plain.content.decode()
    assert swapped.status_code == 422
    assert "This discussion is closed" in swapped.content.decode()
    assert _count(comment) == Reaction.objects.filter(comment=comment).count() == 1


def test_a_discussion_closed_by_the_articles_age_takes_no_recommendation(client, article_comment):
    article, comment = article_comment
    ArticlePage.objects.filter(pk=article.pk).update(
        first_published_at=timezone.now() - timedelta(days=8)
    )
    ModerationSettings.objects.create(page=article.get_parent(), close_after_days=7)

    assert _react(client, comment).status_code == 409
    assert _count(comment) == 0


def test_the_service_refuses_a_thread_closed_after_the_reader_read_it():
    comment = make_comment(make_thread())
    Thread.objects.filter(pk=comment.thread_id).update(is_closed=True)
    with pytest.raises(ReactionRefused, match="closed"):
        reaction_toggle(comment=comment, reader_key="guest-a", user_id=None)
    assert _count(comment) == 0


def test_a_closed_discussions_page_shows_the_count_without_a_recommend_button(
    client, article_comment
):
    article, comment = article_comment
    _react(Client(), comment)
    Thread.objects.filter(page=article).update(is_closed=True)

    page = BeautifulSoup(client.get(article.url).content, "html.parser")

    reaction = page.select_one(f"#react-{comment.pk}")
    assert reaction.find("button") is None
    assert reaction.get_text(" ", strip=True) == "Recommend: 1"


# --- Many at once (the demo's readers) ---------------------------------------------------------


def test_many_guests_recommendations_at_once_count_as_the_button_would_count_them():
    thread = make_thread()
    first, second = make_comment(thread), make_comment(thread, "Another view.")
    reaction_toggle(comment=first, reader_key="guest-a", user_id=None)
    version = Thread.objects.get(pk=thread.pk).version

    added = reactions_add_many(
        thread_id=thread.pk,
        guest_reactions=[
            (first.pk, "guest-a"),  # already there: not twice
            (first.pk, "guest-b"),
            (second.pk, "guest-a"),
            (second.pk, "guest-b"),
            (second.pk, "guest-b"),  # asked twice: once
        ],
    )

    assert added == 3
    assert (_count(first), _count(second)) == (2, 2)
    for comment in (first, second):
        assert _count(comment) == Reaction.objects.filter(comment=comment).count()
    assert Thread.objects.get(pk=thread.pk).version == version + 1


def test_many_at_once_pass_by_a_held_comment_and_one_of_another_thread():
    thread = make_thread()
    held = make_comment(thread)
    comment_set_status(comment=held, status=Comment.Status.PENDING)
    elsewhere = make_comment(make_thread())

    added = reactions_add_many(
        thread_id=thread.pk, guest_reactions=[(held.pk, "guest-a"), (elsewhere.pk, "guest-a")]
    )

    assert added == 0
    assert not Reaction.objects.exists()
    assert (_count(held), _count(elsewhere)) == (0, 0)


def test_many_at_once_are_refused_by_a_closed_discussion_and_change_nothing():
    comment = make_comment(make_thread())
    Thread.objects.filter(pk=comment.thread_id).update(is_closed=True)
    with pytest.raises(ReactionRefused, match="closed"):
        reactions_add_many(thread_id=comment.thread_id, guest_reactions=[(comment.pk, "guest-a")])
    assert _count(comment) == 0
    assert not Reaction.objects.exists()
