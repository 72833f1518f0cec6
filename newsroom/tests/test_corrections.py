"""Editors add dated corrections to a published article; readers see them at its foot."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

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


def test_the_demo_has_one_corrected_article_whose_json_ld_says_so(client, settings, tmp_path):
    import extruct
    from django.core.management import call_command

    from newsroom.demo import standards
    from newsroom.models import ArticlePage

    settings.VAR_DIR = tmp_path
    call_command("load_demo", long_thread=0, prepare_images=False, stdout=StringIO())
    call_command(
        "load_demo", long_thread=0, prepare_images=False, stdout=StringIO()
    )  # a second run adds nothing
    assert Correction.objects.count() == 1
    article = ArticlePage.objects.get(slug=standards.CORRECTION["article"])
    html = client.get(article.url).content.decode()
    (data,) = [
        item
        for item in extruct.extract(html, syntaxes=["json-ld"])["json-ld"]
        if item["@type"] == "NewsArticle"
    ]
    assert data["correction"][0]["text"] == standards.CORRECTION["text"]
    assert data["dateModified"] == standards.CORRECTION["corrected_at"]
