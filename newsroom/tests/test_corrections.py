"""Editors add dated corrections to a published article; readers see them at its foot."""

from __future__ import annotations

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from newsroom.models import Correction
from newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db


def test_a_correction_shows_at_the_foot_of_the_article_with_its_date(client):
    article = make_article()
    corrected_at = timezone.now() + timedelta(hours=1)
    article.corrections.add(Correction(corrected_at=corrected_at, text="The vote was 52-48."))
    article.save_revision().publish()

    soup = BeautifulSoup(client.get(article.url).content, "html.parser")
    aside = soup.select_one("article aside.corrections")
    assert aside is not None
    assert aside.find_previous_sibling("div", class_="article__body") is not None
    assert "The vote was 52-48." in aside.get_text()
    assert aside.time["datetime"] == timezone.localtime(corrected_at).isoformat()
    updated = soup.select_one(".dateline__updated time")
    assert updated["datetime"] == timezone.localtime(corrected_at).isoformat()


def test_an_article_without_corrections_shows_no_corrections_box(client):
    soup = BeautifulSoup(client.get(make_article().url).content, "html.parser")
    assert soup.select_one("aside.corrections") is None
