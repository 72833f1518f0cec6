"""The demo loader builds the reference newsroom once, and a second run keeps what readers wrote."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from discussion.models import Comment, Thread
from discussion.services import comment_create
from newsroom.demo import content
from newsroom.models import ArticlePage, NewsImage

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_output(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    out = StringIO()
    call_command("load_demo", long_thread=40, stdout=out)
    return out.getvalue()


def test_prints_the_reference_article_url_and_a_staff_login(demo_output):
    reference = ArticlePage.objects.get(slug=content.REFERENCE_ARTICLE["slug"])
    assert f"Reference article: http://127.0.0.1:8000{reference.url}" in demo_output
    assert "Staff login: http://127.0.0.1:8000/admin/  user editor  password " in demo_output


def test_the_reference_article_has_the_reference_anatomy(demo_output):
    article = ArticlePage.objects.get(slug=content.REFERENCE_ARTICLE["slug"])
    kinds = [block.block_type for block in article.body]
    assert 35 <= kinds.count("paragraph") <= 45
    assert kinds.count("image") == 1 and article.hero_image is not None
    assert kinds.count("pull_quote") == 1
    assert article.article_authors.count() >= 1


def test_demo_images_are_credited_truthfully_as_generated(demo_output):
    for image in NewsImage.objects.all():
        assert "Generated graphic" in image.credit
        assert image.description and image.caption and image.description != image.caption


def test_the_reference_thread_and_the_long_thread_are_loaded(demo_output):
    reference = Thread.objects.get(page__slug=content.REFERENCE_ARTICLE["slug"])
    assert reference.comments.filter(depth=0).count() == len(content.REFERENCE_COMMENTS)
    assert reference.comments.filter(depth__gt=0).exists()
    long_slug = next(a["slug"] for a in content.RELATED_ARTICLES if a.get("long_thread"))
    long_thread = Thread.objects.get(page__slug=long_slug)
    assert long_thread.comment_count == 40
    assert long_thread.comments.filter(depth__gt=0).exists()


def test_running_it_again_keeps_reader_comments_and_duplicates_nothing(demo_output, settings):
    thread = Thread.objects.get(page__slug=content.REFERENCE_ARTICLE["slug"])
    mine = comment_create(thread=thread, body="A reader's own words", author_name="Reader")
    articles, comments = ArticlePage.objects.count(), Comment.objects.count()
    again = StringIO()
    call_command("load_demo", stdout=again)
    assert "already loaded" in again.getvalue()
    assert Comment.objects.filter(pk=mine.pk).exists()
    assert (ArticlePage.objects.count(), Comment.objects.count()) == (articles, comments)
    first_password = demo_output.split("password ")[1].strip()
    assert again.getvalue().split("password ")[1].strip() == first_password


def test_demo_image_texts_fit_their_database_columns():
    limits = {
        "alt": NewsImage._meta.get_field("description").max_length,
        "caption": NewsImage._meta.get_field("caption").max_length,
        "credit": NewsImage._meta.get_field("credit").max_length,
        "title": NewsImage._meta.get_field("title").max_length,
    }
    for meta in content.IMAGES.values():
        for key, limit in limits.items():
            assert len(meta[key]) <= limit, (key, meta[key])
