"""Every picture a reader is shown has alt text: the image form asks for it, an article will not
publish with an image lacking it, and an image from before the rule reads as its caption."""

from __future__ import annotations

from io import BytesIO

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from wagtail.models import Collection, UploadedFile
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from newsroom.models import ArticlePage, Author, LiveBlogPage, NewsImage
from newsroom.tests.factories import make_article, make_image, make_section

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _any_lead_image_width(settings):
    """The factories' images are small; the lead image's width is test_lead_image_width's."""
    settings.LEAD_IMAGE_MIN_WIDTH = 0


_NO_ALT_TEXT = "The image “Talks venue” has no alt text."


@pytest.fixture
def editor(client):
    client.force_login(
        get_user_model().objects.create_superuser("editor", "e@example.invalid", "x" * 16)
    )
    return client


def _jpeg(name: str = "talks.jpg") -> SimpleUploadedFile:
    buffer = BytesIO()
    Image.new("RGB", (64, 48), (40, 90, 140)).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def _image_without_alt_text() -> NewsImage:
    """As an image uploaded before alt text was required was left."""
    return make_image(title="Talks venue", description="", caption="Delegates outside the talks")


def test_an_image_without_alt_text_is_described_by_its_caption_wherever_the_article_shows_it(
    client,
):
    article = make_article()
    NewsImage.objects.update(description="")  # its lead image and its figure's

    page = BeautifulSoup(client.get(article.url).content, "html.parser")

    figures = page.select("figure")
    assert len(figures) == 2
    for figure in figures:
        assert figure.img["alt"] == figure.figcaption.contents[0].strip()
    social = [
        page.find("meta", property="og:image:alt"),
        page.find("meta", {"name": "twitter:image:alt"}),
    ]
    assert [tag["content"] for tag in social] == [article.hero_image.caption] * 2


def test_the_image_form_will_not_save_an_image_without_alt_text(editor):
    answer = editor.post(reverse("wagtailimages:add"), {"title": "Talks", "file": _jpeg()})

    assert answer.status_code == 200
    assert answer.context["form"].errors["description"] == ["This field is required."]
    assert not NewsImage.objects.exists()


def test_an_image_dropped_on_the_multiple_uploader_waits_for_its_alt_text(editor):
    answer = editor.post(reverse("wagtailimages:add_multiple"), {"files[]": _jpeg()})

    assert answer.json()["success"] is True
    assert not NewsImage.objects.exists()
    upload = UploadedFile.objects.get()
    edit = reverse("wagtailimages:create_multiple_from_uploaded_image", args=[upload.pk])
    prefix = f"uploaded-image-{upload.pk}"
    editor.post(
        edit,
        {
            f"{prefix}-title": "Talks",
            f"{prefix}-description": "Delegates at a long table",
            f"{prefix}-collection": Collection.get_first_root_node().pk,
        },
    )
    assert NewsImage.objects.get().description == "Delegates at a long table"


def _article_form(*, hero: NewsImage, figure: NewsImage | None = None, **more) -> dict:
    body = [("paragraph", rich_text("<p>Negotiators met for three hours.</p>"))]
    if figure is not None:
        body.append(("image", {"image": figure.pk, "caption": ""}))
    return nested_form_data(
        {
            "title": "Talks resume in Istanbul",
            "slug": "talks-resume",
            "standfirst": "Negotiators met for three hours.",
            "hero_image": hero.pk,
            "article_authors": inline_formset([]),
            "corrections": inline_formset([]),
            "body": streamfield(body),
            **more,
        }
    )


def _add_url(model, section) -> str:
    return reverse("wagtailadmin_pages:add", args=("newsroom", model._meta.model_name, section.pk))


def test_an_article_with_a_lead_image_lacking_alt_text_saves_as_a_draft_but_will_not_publish(
    editor,
):
    section = make_section()
    image = _image_without_alt_text()
    url = _add_url(ArticlePage, section)

    published = editor.post(url, {**_article_form(hero=image), "action-publish": "publish"})

    assert published.status_code == 200  # the form again, with the editor's work
    (problem,) = published.context["form"].errors["hero_image"]
    assert problem.startswith(_NO_ALT_TEXT)
    assert not ArticlePage.objects.exists()

    editor.post(url, _article_form(hero=image))
    draft = ArticlePage.objects.get()
    assert (draft.live, draft.hero_image) == (False, image)


def test_a_figure_whose_image_lacks_alt_text_is_refused_on_that_figure(editor):
    section = make_section()
    form = _article_form(hero=make_image(), figure=_image_without_alt_text())

    answer = editor.post(_add_url(ArticlePage, section), {**form, "action-publish": "publish"})

    (body_error,) = answer.context["form"].errors["body"].as_data()
    figure_error = body_error.block_errors[1]  # the second block: the figure
    (problem,) = figure_error.block_errors["image"].messages
    assert problem.startswith(_NO_ALT_TEXT)
    assert not ArticlePage.objects.exists()


def test_a_live_blog_entry_whose_image_lacks_alt_text_is_refused_on_that_entry(editor):
    section = make_section()
    author = Author.objects.create(name="Desk Writer", slug="desk-writer")
    entry = {
        "posted_at": "2022-03-29 10:00",
        "headline": "Delegates arrive",
        "body": rich_text("<p>The delegations are here.</p>"),
        "author": author.pk,
        "image": _image_without_alt_text().pk,
    }
    form = _article_form(hero=make_image(), entries=inline_formset([entry]))

    answer = editor.post(_add_url(LiveBlogPage, section), {**form, "action-publish": "publish"})

    entry_form = answer.context["form"].formsets["entries"].forms[0]
    (problem,) = entry_form.errors["image"]
    assert problem.startswith(_NO_ALT_TEXT)
    assert not LiveBlogPage.objects.exists()


def _bulk_publish(editor, *pages, include_descendants=False):
    url = reverse("wagtail_bulk_action", args=("wagtailcore", "page", "publish"))
    query = "&".join(f"id={page.pk}" for page in pages)
    data = {"include_descendants": "on"} if include_descendants else {}
    return editor.post(f"{url}?{query}&next=/admin/", data, follow=True)


def test_bulk_publish_refuses_an_article_whose_lead_image_has_no_alt_text(editor):
    ready = make_article(title="Ready to go")
    ready.unpublish()
    blocked = make_article(title="Blocked story")
    blocked.unpublish()
    NewsImage.objects.filter(pk=blocked.hero_image_id).update(title="Talks venue", description="")

    response = _bulk_publish(editor, ready, blocked)

    text = BeautifulSoup(response.content, "html.parser").get_text(" ", strip=True)
    assert "Nothing was published" in text
    assert f"“Blocked story”: {_NO_ALT_TEXT}" in text
    assert not ArticlePage.objects.filter(live=True).exists()


def test_bulk_publish_of_a_section_with_its_drafts_checks_the_figures_of_each(editor):
    section = make_section("World")
    draft = make_article(section=section, title="Draft with a figure")
    draft.unpublish()
    NewsImage.objects.filter(pk=draft.body[2].value["image"].pk).update(
        title="Talks venue", description=""
    )
    section.unpublish()

    _bulk_publish(editor, section, include_descendants=True)

    draft.refresh_from_db()
    section.refresh_from_db()
    assert not draft.live and not section.live


def test_bulk_publish_publishes_articles_whose_images_all_have_alt_text(editor):
    ready = make_article(title="Ready to go")
    ready.unpublish()

    _bulk_publish(editor, ready)

    ready.refresh_from_db()
    assert ready.live
