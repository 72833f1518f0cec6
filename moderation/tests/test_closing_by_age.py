"""An article whose comments closed by age (moderation settings of the page, its section or the
site) says so where its comment form was, rather than offering a form that would refuse the
reader's comment only once they had written it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from discussion.services import thread_ensure
from discussion.tests.factories import make_comment
from moderation.models import ModerationSettings
from newsroom.models import ArticlePage
from newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db

AGE_NOTICE = "Comments on this article closed 7 days after it was published."


def _article(days_old: int, *, replies: int = 0) -> ArticlePage:
    article = make_article()
    ArticlePage.objects.filter(pk=article.pk).update(
        first_published_at=timezone.now() - timedelta(days=days_old)
    )
    article.refresh_from_db()
    thread = thread_ensure(page=article)
    root = make_comment(thread, "Written while it was open.")
    for n in range(replies):
        make_comment(thread, f"Reply {n}", parent=root)
    return article


def _discussion(client, url: str) -> BeautifulSoup:
    response = client.get(url)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser").select_one("#comments")


def test_an_article_past_its_sections_closing_age_says_why_instead_of_a_form(client):
    article = _article(days_old=8)
    ModerationSettings.objects.create(page=article.get_parent(), close_after_days=7)
    comments = _discussion(client, article.url)
    assert AGE_NOTICE in comments.get_text()
    assert comments.find("textarea") is None
    assert comments.select_one("a.comment__reply") is None


def test_an_article_younger_than_its_closing_age_still_takes_comments(client):
    article = _article(days_old=6)
    ModerationSettings.objects.create(page=article.get_parent(), close_after_days=7)
    comments = _discussion(client, article.url)
    assert comments.find("textarea", attrs={"name": "body"}) is not None
    assert comments.select_one("a.comment__reply") is not None


def test_the_sites_own_closing_age_closes_old_articles(client, settings):
    settings.MODERATION_CLOSE_AFTER_DAYS = 7
    comments = _discussion(client, _article(days_old=8).url)
    assert AGE_NOTICE in comments.get_text()
    assert comments.find("textarea") is None


def test_a_page_that_never_closes_overrides_the_sites_closing_age(client, settings):
    settings.MODERATION_CLOSE_AFTER_DAYS = 7
    article = _article(days_old=8)
    ModerationSettings.objects.create(page=article, close_after_days=0)
    comments = _discussion(client, article.url)
    assert comments.find("textarea", attrs={"name": "body"}) is not None


def test_taking_the_sections_closing_away_brings_the_form_back(client):
    article = _article(days_old=8)
    closing = ModerationSettings.objects.create(page=article.get_parent(), close_after_days=7)
    assert _discussion(client, article.url).find("textarea") is None
    closing.delete()
    assert _discussion(client, article.url).find("textarea", attrs={"name": "body"}) is not None


def test_more_replies_of_an_article_closed_by_age_offer_no_reply_link(client):
    article = _article(days_old=8, replies=8)
    ModerationSettings.objects.create(page=article.get_parent(), close_after_days=7)
    more = _discussion(client, article.url).select_one("a[hx-get*='/replies/']")
    assert more is not None
    answer = client.get(more["hx-get"], HTTP_HX_REQUEST="true")  # as the button asks
    fragment = BeautifulSoup(answer.content, "html.parser")
    assert fragment.select("li") and fragment.select_one("a.comment__reply") is None
