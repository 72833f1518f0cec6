"""Editors write, preview and publish articles in the Wagtail admin."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.test import override_settings
from django.urls import reverse
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from newsroom.models import ArticlePage, Author
from newsroom.tests.factories import make_article, make_image, make_section


# The factories' images are small; the lead image's width is test_lead_image_width's.
@override_settings(LEAD_IMAGE_MIN_WIDTH=0)
class EditorWorkflowTests(WagtailPageTestCase):
    def setUp(self) -> None:
        self.editor = get_user_model().objects.create_superuser(
            "editor", "editor@example.invalid", "a-long-test-password"
        )
        self.client.force_login(self.editor)
        self.section = make_section()

    def _article_form(self, **overrides) -> dict:
        author = Author.objects.create(name="Desk Writer", slug="desk-writer")
        image = make_image()
        data = {
            "title": "Editors publish from the admin",
            "slug": "editors-publish",
            "standfirst": "A summary written in the admin.",
            "hero_image": image.pk,
            "article_authors": inline_formset([{"author": author.pk}]),
            "corrections": inline_formset([]),
            "body": streamfield(
                [
                    ("paragraph", rich_text("<p>Written in the editor.</p>")),
                    ("pull_quote", "Written in the editor."),
                ]
            ),
        }
        data.update(overrides)
        return nested_form_data(data)

    def test_an_editor_creates_and_publishes_an_article(self):
        self.assertCanCreate(self.section, ArticlePage, self._article_form())
        article = ArticlePage.objects.get(slug="editors-publish")
        assert article.live
        response = self.client.get(article.url)
        assert b"Written in the editor." in response.content
        assert b"Desk Writer" in response.content

    def test_an_author_chosen_twice_in_the_byline_is_refused(self):
        form = self._article_form()
        author = Author.objects.get(slug="desk-writer")
        twice = nested_form_data(
            {"article_authors": inline_formset([{"author": author.pk}, {"author": author.pk}])}
        )
        form.update(twice)
        form["action-publish"] = "publish"

        response = self.client.post(
            reverse("wagtailadmin_pages:add", args=["newsroom", "articlepage", self.section.pk]),
            form,
        )

        assert response.status_code == 200
        self.assertContains(response, "Desk Writer is in this byline already.")
        assert not ArticlePage.objects.filter(slug="editors-publish").exists()

    def test_a_draft_is_not_public_until_published(self):
        self.assertCanCreate(self.section, ArticlePage, self._article_form(), publish=False)
        article = ArticlePage.objects.get(slug="editors-publish")
        assert not article.live
        self.client.logout()
        assert self.client.get(article.url).status_code == 404

    def test_an_editor_previews_an_unpublished_change(self):
        article = make_article(section=self.section, title="Original headline")
        url = reverse("wagtailadmin_pages:preview_on_edit", args=[article.pk])
        form = self._article_form(title="Headline seen only in preview", slug=article.slug)
        assert self.client.post(url, form).json()["is_valid"] is True
        preview = self.client.get(url)
        assert b"Headline seen only in preview" in preview.content
        self.client.logout()
        assert b"Original headline" in self.client.get(article.url).content

    def test_an_editor_previews_a_new_article_before_it_is_first_saved(self):
        """The preview of an article not yet saved (it has no id) answered 500, "Something went
        wrong on our side", where the editor expected the article: its comments feed and ninjs
        links are made from its id."""
        url = reverse(
            "wagtailadmin_pages:preview_on_add",
            args=["newsroom", "articlepage", self.section.pk],
        )
        form = self._article_form(title="A new article seen in preview", slug="new-in-preview")
        assert self.client.post(url, form).json()["is_valid"] is True

        preview = self.client.get(url)

        assert preview.status_code == 200
        self.assertContains(preview, "A new article seen in preview")
        self.assertContains(preview, "Written in the editor.")
        assert not ArticlePage.objects.filter(slug="new-in-preview").exists()

    def test_an_editor_previews_a_new_live_blog_before_it_is_first_saved(self):
        url = reverse(
            "wagtailadmin_pages:preview_on_add",
            args=["newsroom", "liveblogpage", self.section.pk],
        )
        form = self._article_form(title="A new live blog seen in preview", slug="live-preview")
        form.update(
            nested_form_data(
                {"entries": inline_formset([{"headline": "First entry", "body": rich_text("")}])}
            )
        )
        assert self.client.post(url, form).json()["is_valid"] is True

        preview = self.client.get(url)

        assert preview.status_code == 200
        self.assertContains(preview, "A new live blog seen in preview")
        self.assertContains(preview, "First entry")

    def test_articles_may_only_live_in_sections(self):
        self.assertCanNotCreateAt(ArticlePage, ArticlePage)
