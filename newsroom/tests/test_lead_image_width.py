"""An article will not publish a lead image too narrow for the social card it becomes."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from PIL import Image
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from newsroom.models import ArticlePage
from newsroom.tests.factories import make_article, make_image, make_section

pytestmark = pytest.mark.django_db


def _image(width: int, height: int, title: str):
    buffer = BytesIO()
    Image.new("RGB", (width, height), (40, 90, 140)).save(buffer, "JPEG")
    return make_image(file_bytes=buffer.getvalue(), title=title)


@pytest.fixture
def editor() -> Client:
    client = Client()
    client.force_login(get_user_model().objects.create_superuser("ed", "ed@example.com", "pw-1"))
    return client


def _form(image, **extra) -> dict:
    return nested_form_data(
        {
            "title": "Council approves new sea wall for Folkestone",
            "slug": "sea-wall",
            "standfirst": "The wall is to be finished by 2028.",
            "hero_image": image.pk,
            "article_authors": inline_formset([]),
            "corrections": inline_formset([]),
            "body": streamfield([("paragraph", rich_text("<p>The council voted.</p>"))]),
            **extra,
        }
    )


def _add(editor: Client, section, image, **extra):
    return editor.post(
        f"/admin/pages/add/newsroom/articlepage/{section.pk}/", _form(image, **extra)
    )


def test_publishing_with_a_tiny_lead_image_is_refused_on_its_field(editor):
    section = make_section()
    tiny = _image(10, 10, "Tiny image")

    answer = _add(editor, section, tiny, **{"action-publish": "publish"})

    assert answer.status_code == 200
    assert answer.context["form"].errors["hero_image"] == [
        "The image “Tiny image” is 10 pixels wide; a lead image must be at least 1,200 pixels "
        "wide, because it is the picture shown when the article is shared and in search results. "
        "Choose a wider image, or upload a larger copy of this one."
    ]
    assert not ArticlePage.objects.exists()


def test_a_draft_may_hold_it_while_a_wider_image_is_found(editor):
    answer = _add(editor, make_section(), _image(10, 10, "Tiny image"))
    assert answer.status_code == 302
    assert not ArticlePage.objects.get().live


def test_a_lead_image_at_the_least_width_is_published(editor):
    answer = _add(
        editor, make_section(), _image(1200, 675, "Wide enough"), **{"action-publish": "p"}
    )
    assert answer.status_code == 302
    assert ArticlePage.objects.get().live


def test_the_least_width_is_a_setting_and_0_turns_the_check_off(editor, settings):
    settings.LEAD_IMAGE_MIN_WIDTH = 0
    answer = _add(editor, make_section(), _image(10, 10, "Tiny image"), **{"action-publish": "p"})
    assert answer.status_code == 302
    settings.LEAD_IMAGE_MIN_WIDTH = 400
    answer = _add(
        editor,
        make_section(),
        _image(320, 180, "Small"),
        **{"action-publish": "p", "slug": "another"},
    )
    assert "at least 400 pixels wide" in answer.context["form"].errors["hero_image"][0]


def test_bulk_publish_refuses_a_draft_with_a_tiny_lead_image(editor):
    article = make_article(title="Sea wall")
    article.unpublish()
    article.hero_image = _image(10, 10, "Tiny image")
    article.save_revision()

    url = reverse("wagtail_bulk_action", args=("wagtailcore", "page", "publish"))
    answer = editor.post(f"{url}?id={article.pk}&next=/admin/", {}, follow=True)

    assert "Nothing was published" in answer.content.decode()
    assert "“Tiny image” is 10 pixels wide" in answer.content.decode()
    assert not ArticlePage.objects.get(pk=article.pk).live
