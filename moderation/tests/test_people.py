"""The checks about the person posting: rate limits, first-comment trust, bans, pre-moderation.

They apply to readers posting through the site (``source="reader"``), not to the demo loader or
importers.
"""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from core.client import client_ip
from core.envsettings import parse_networks
from discussion.errors import CommentRefused
from discussion.models import Comment
from discussion.services import comment_create, comment_set_status
from discussion.tests.factories import make_thread
from moderation.models import ModerationSettings, ReaderStanding

pytestmark = pytest.mark.django_db


def _post(thread, body="A fair point about the talks.", **kwargs):
    kwargs.setdefault("author_name", "Olena")
    kwargs.setdefault("source", "reader")
    kwargs.setdefault("ip_address", "203.0.113.5")
    return comment_create(thread=thread, body=body, **kwargs)


def test_a_new_guests_first_two_comments_are_held(settings):
    settings.MODERATION_TRUST_FIRST_COMMENTS = 2
    thread = make_thread()
    first = _post(thread, "First thoughts on the talks.", guest_key="g1")
    assert first.status == Comment.Status.PENDING
    assert "new_commenter" in first.review.codes


def test_once_two_comments_are_published_the_reader_posts_straight_away(settings):
    settings.MODERATION_TRUST_FIRST_COMMENTS = 2
    thread = make_thread()
    for n in range(2):
        held = _post(thread, f"Comment number {n} on the talks.", guest_key="g1")
        comment_set_status(comment=held, status=Comment.Status.PUBLISHED)
        held.review.state = "approved"
        held.review.save()
    third = _post(thread, "A third comment on the talks.", guest_key="g1")
    assert third.status == Comment.Status.PUBLISHED


def test_trust_holds_do_not_apply_to_the_demo_loader_or_imports(settings):
    settings.MODERATION_TRUST_FIRST_COMMENTS = 2
    comment = comment_create(thread=make_thread(), body="Imported comment.", author_name="Ann")
    assert comment.status == Comment.Status.PUBLISHED


def test_a_guest_without_a_cookie_is_known_by_name_and_address(settings):
    settings.MODERATION_TRUST_FIRST_COMMENTS = 1
    thread = make_thread()
    held = _post(thread, "Hello from a new guest.")
    assert held.review.reader_key == "name:olena@203.0.113.5"


def test_one_reader_is_rate_limited(settings):
    settings.MODERATION_RATE_PER_READER = "2/h"
    thread = make_thread()
    for n in range(2):
        _post(thread, f"Post {n}", guest_key="g1", ip_address=f"198.51.100.{n}")
    with pytest.raises(CommentRefused) as refusal:
        _post(thread, "Post 3", guest_key="g1", ip_address="198.51.100.9")
    assert "faster than this site allows" in refusal.value.message_dict["body"][0]


def test_one_address_is_rate_limited_whatever_names_it_uses(settings):
    settings.MODERATION_RATE_PER_IP = "2/h"
    thread = make_thread()
    for n in range(2):
        _post(thread, f"Post {n}", author_name=f"Name {n}")
    with pytest.raises(CommentRefused):
        _post(thread, "Post 3", author_name="Yet another name")


def test_rate_limits_do_not_apply_to_imports(settings):
    settings.MODERATION_RATE_PER_READER = "1/h"
    thread = make_thread()
    for n in range(3):
        comment_create(thread=thread, body=f"Imported {n}", author_name="Ann")
    assert Comment.objects.count() == 3


def test_x_forwarded_for_is_ignored_from_a_client_that_is_not_a_trusted_proxy(settings):
    settings.TRUSTED_PROXIES = parse_networks("10.0.0.0/8")
    request = RequestFactory().post(
        "/", REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="198.51.100.1"
    )
    assert client_ip(request) == "203.0.113.7"


def test_x_forwarded_for_is_read_from_a_trusted_proxy(settings):
    settings.TRUSTED_PROXIES = parse_networks("10.0.0.0/8")
    request = RequestFactory().post(
        "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.7, 10.0.0.9"
    )
    # Right to left, past our own proxies: the first address not ours is the client's.
    assert client_ip(request) == "203.0.113.7"


def test_a_banned_reader_is_refused():
    ReaderStanding.objects.create(reader_key="guest:g1", banned=True)
    with pytest.raises(CommentRefused) as refusal:
        _post(make_thread(), guest_key="g1")
    assert "cannot comment" in refusal.value.message_dict["body"][0]


def test_a_reader_put_on_pre_moderation_is_held():
    ReaderStanding.objects.create(reader_key="guest:g1", premoderate=True)
    assert _post(make_thread(), guest_key="g1").status == Comment.Status.PENDING


def test_pre_moderation_set_on_a_section_holds_comments_on_its_articles():
    thread = make_thread()
    section = thread.page.get_parent()
    ModerationSettings.objects.create(page=section, mode=ModerationSettings.Mode.PRE)
    comment = _post(thread, guest_key="g1")
    assert comment.status == Comment.Status.PENDING
    assert "premoderated_page" in comment.review.codes


def test_pre_moderation_set_on_a_section_holds_the_next_comment_after_one_published_there():
    # The first comment was screened while no page had settings of its own (the rules' snapshot
    # then skips reading them); the section's new setting must reach the next one.
    thread = make_thread()
    assert _post(thread, guest_key="g1").status == Comment.Status.PUBLISHED
    ModerationSettings.objects.create(page=thread.page.get_parent(), mode="pre")

    assert _post(thread, guest_key="g2").status == Comment.Status.PENDING


def test_an_article_can_stay_post_moderated_inside_a_pre_moderated_section():
    thread = make_thread()
    ModerationSettings.objects.create(page=thread.page.get_parent(), mode="pre")
    ModerationSettings.objects.create(page=thread.page, mode="post")
    assert _post(thread, guest_key="g1").status == Comment.Status.PUBLISHED


def test_site_wide_pre_moderation_comes_from_the_environment(settings):
    settings.MODERATION_MODE = "pre"
    assert _post(make_thread(), guest_key="g1").status == Comment.Status.PENDING


def test_comments_close_automatically_days_after_publication(settings):
    from datetime import timedelta

    from django.utils import timezone

    thread = make_thread()
    type(thread.page).objects.filter(pk=thread.page.pk).update(
        first_published_at=timezone.now() - timedelta(days=8)
    )
    ModerationSettings.objects.create(page=thread.page, close_after_days=7)
    with pytest.raises(CommentRefused) as refusal:
        _post(thread, guest_key="g1")
    assert "closed 7 days after" in refusal.value.message_dict["body"][0]


def test_an_article_past_its_closing_age_refuses_a_comment_posted_to_it(client):
    """Screening judges the age of the article the form was posted to, as the request read it."""
    from datetime import timedelta

    from django.utils import timezone

    from newsroom.models import ArticlePage
    from newsroom.tests.factories import make_article

    article = make_article()
    ArticlePage.objects.filter(pk=article.pk).update(
        first_published_at=timezone.now() - timedelta(days=8)
    )
    ModerationSettings.objects.create(page=article.get_parent(), close_after_days=7)
    response = client.post(
        article.url, {"body": "Too late?", "author_name": "Olena", "idempotency_key": ""}
    )
    assert response.status_code == 400
    assert b"closed 7 days after it was published" in response.content
    assert not Comment.objects.exists()
