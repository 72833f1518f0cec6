"""Featured comments: staff mark them, and they show in a strip above the thread."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from discussion.models import Comment, Thread
from discussion.selectors import featured_comments
from discussion.services import comment_set_featured, comment_set_status, thread_ensure
from discussion.tests.factories import make_comment, make_thread
from newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db


def test_featuring_sets_the_flag_and_bumps_the_version():
    thread = make_thread()
    comment = make_comment(thread)
    version = Thread.objects.get(pk=thread.pk).version
    comment_set_featured(comment=comment, featured=True)
    assert Comment.objects.get(pk=comment.pk).is_featured
    assert Thread.objects.get(pk=thread.pk).version == version + 1


def test_the_strip_holds_at_most_ten_published_featured_comments():
    thread = make_thread()
    comments = [make_comment(thread, f"c{i}") for i in range(12)]
    for comment in comments:
        comment_set_featured(comment=comment, featured=True)
    comment_set_status(comment=comments[0], status=Comment.Status.REJECTED)
    shown = featured_comments(thread=thread)
    assert [c.pk for c in shown] == [c.pk for c in comments[1:11]]


def test_the_moderation_feature_action_puts_the_comment_in_the_strip(django_user_model):
    from django.contrib.auth.models import Permission

    from moderation.actions import FeatureComment

    moderator = django_user_model.objects.create_user("mod", password="pw")
    moderator.user_permissions.add(Permission.objects.get(codename="moderate_comments"))
    thread = make_thread()
    comment = make_comment(thread, "Insightful.")
    FeatureComment(comment=comment, user=moderator).execute()
    assert [c.pk for c in featured_comments(thread=thread)] == [comment.pk]


def test_the_article_shows_the_featured_strip_with_links_to_each_place(client):
    article = make_article()
    thread = thread_ensure(page=article)
    make_comment(thread, "Ordinary")
    chosen = make_comment(thread, "Chosen words", name="Iryna")
    comment_set_featured(comment=chosen, featured=True)
    soup = BeautifulSoup(client.get(article.url).content, "html.parser")
    strip = soup.select_one("section.featured-comments")
    assert strip.find("h3").get_text() == "Featured comments"
    links = strip.select("ul li a")
    assert [a["href"] for a in links] == [f"/c/{chosen.pk}/"]
    assert "Chosen words" in strip.get_text()


def test_no_strip_without_featured_comments(client):
    article = make_article()
    make_comment(thread_ensure(page=article), "Ordinary")
    soup = BeautifulSoup(client.get(article.url).content, "html.parser")
    assert soup.select_one("section.featured-comments") is None
