"""The Google News sitemap's <news:language> is what Google's spec asks for: an ISO 639 code
(two or three letters), except Chinese, which is ``zh-cn`` (Simplified) or ``zh-tw``
(Traditional), never ``zh``, for whatever LANGUAGE_CODE the site has."""

from __future__ import annotations

from xml.etree import ElementTree

import pytest

from newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db

NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"


@pytest.mark.parametrize(
    ("site_language", "news_language"),
    [
        ("en-gb", "en"),
        ("pt-br", "pt"),
        ("sr-latn", "sr"),
        ("ast", "ast"),
        # Django's codes for Chinese, and the older region codes it still knows.
        ("zh-hans", "zh-cn"),
        ("zh-hant", "zh-tw"),
        ("zh-cn", "zh-cn"),
        ("zh-sg", "zh-cn"),
        ("zh-my", "zh-cn"),
        ("zh-tw", "zh-tw"),
        ("zh-hk", "zh-tw"),
        ("zh-mo", "zh-tw"),
        ("zh-Hant-HK", "zh-tw"),
        ("zh", "zh-cn"),
    ],
)
def test_news_sitemap_names_the_language_as_google_news_reads_it(
    client, settings, site_language, news_language
):
    settings.LANGUAGE_CODE = site_language
    make_article()

    response = client.get("/sitemap-news.xml")

    root = ElementTree.fromstring(response.content)  # noqa: S314 - our own response
    assert [element.text for element in root.iter(f"{NEWS}language")] == [news_language]
