"""Typing a new page's headline in the admin fills in its slug, so it publishes first time."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from wagtail.admin.panels import TitleFieldPanel
from wagtail.models import get_page_models

from newsroom.tests.factories import make_section

pytestmark = pytest.mark.django_db

NEWSROOM_PAGE_MODELS = [model for model in get_page_models() if model._meta.app_label == "newsroom"]


def _panels(panel):
    yield panel
    for child in getattr(panel, "children", []):
        yield from _panels(child)


@pytest.mark.parametrize("model", NEWSROOM_PAGE_MODELS, ids=lambda model: model.__name__)
def test_every_page_types_title_is_edited_through_a_title_field_panel(model):
    title_panels = [
        panel
        for panel in _panels(model.get_edit_handler())
        if getattr(panel, "field_name", None) == "title"
    ]

    assert len(title_panels) == 1
    assert isinstance(title_panels[0], TitleFieldPanel)


@pytest.mark.parametrize("model_name", ["articlepage", "liveblogpage"])
def test_a_new_articles_headline_input_is_wired_to_fill_in_the_slug(admin_client, model_name):
    section = make_section()
    url = reverse("wagtailadmin_pages:add", args=["newsroom", model_name, section.pk])

    response = admin_client.get(url)

    assert response.status_code == 200
    headline = BeautifulSoup(response.content, "html.parser").select_one("input[name=title]")
    assert "w-sync" in headline.get("data-controller", "").split()
    assert headline.get("data-w-sync-target-value") == "#id_slug"
    assert "keyup->w-sync#apply" in headline.get("data-action", "").split()
