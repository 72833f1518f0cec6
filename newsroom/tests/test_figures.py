"""Article figures are a <picture>: AVIF first, then WebP, then a JPEG every browser shows."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from PIL import Image, features

from newsroom.models import ArticlePage, LiveBlogEntry, LiveBlogPage, NewsImage
from newsroom.tests.factories import make_article, make_image, make_section

pytestmark = pytest.mark.django_db


def _photo_bytes() -> bytes:
    """A 1600x900 JPEG, wide enough for every width the figure offers (Wagtail never upscales)."""
    buffer = BytesIO()
    Image.linear_gradient("L").resize((1600, 900)).convert("RGB").save(buffer, "JPEG")
    return buffer.getvalue()


def _file_format(url: str) -> str:
    path = Path(settings.MEDIA_ROOT) / url.removeprefix(settings.MEDIA_URL)
    with Image.open(path) as image:
        return image.format


def test_figures_offer_avif_then_webp_then_a_jpeg_fallback_at_three_widths(client):
    assert features.check("avif"), "this Pillow cannot write AVIF; figures would be WebP + JPEG"
    article = make_article()
    photo = make_image(file_bytes=_photo_bytes())
    ArticlePage.objects.filter(pk=article.pk).update(hero_image=photo)
    soup = BeautifulSoup(client.get(article.url).content, "html.parser")
    hero = soup.select_one("figure.figure--hero picture")

    sources = hero.find_all("source", media=False)
    assert [source["type"] for source in sources] == ["image/avif", "image/webp"]
    for source, expected in zip(sources, ("AVIF", "WEBP"), strict=True):
        candidates = [part.strip().split(" ") for part in source["srcset"].split(",")]
        assert [width for _, width in candidates] == ["480w", "800w", "1200w"]
        assert {_file_format(url) for url, _ in candidates} == {expected}
        assert source["sizes"]
    img = hero.img
    assert _file_format(img["src"]) == "JPEG"
    assert [part.strip().split(" ")[1] for part in img["srcset"].split(",")] == [
        "480w",
        "800w",
        "1200w",
    ]
    assert img["alt"] == "A blue rectangle standing in for a photo"
    assert "loading" not in img.attrs  # the lead image is above the fold
    inline = soup.select_one(".article__body figure picture")
    assert [s["type"] for s in inline.find_all("source", media=False)] == [
        "image/avif",
        "image/webp",
    ]
    assert inline.img["loading"] == "lazy"


def test_a_phone_is_offered_each_format_at_no_more_than_800_pixels_wide(client):
    article = make_article()
    photo = make_image(file_bytes=_photo_bytes())
    ArticlePage.objects.filter(pk=article.pk).update(hero_image=photo)
    soup = BeautifulSoup(client.get(article.url).content, "html.parser")
    picture = soup.select_one("figure.figure--hero picture")

    sources = picture.find_all("source")
    phone = [source for source in sources if source.get("media") == "(max-width: 40em)"]
    # first, so a phone's browser takes them before the sources with every width
    assert sources[: len(phone)] == phone
    assert [source["type"] for source in phone] == ["image/avif", "image/webp", "image/jpeg"]
    for source in phone:
        assert [part.strip().split(" ")[1] for part in source["srcset"].split(",")] == [
            "480w",
            "800w",
        ]


def test_a_figure_is_drawn_once_and_drawn_again_when_its_image_is_cropped_anew(client, monkeypatch):
    from newsroom.templatetags import newsroom_images

    article = make_article()
    looked_up: list[int] = []
    real = newsroom_images.get_renditions_or_not_found

    def counted(image, specs):
        looked_up.append(image.pk)
        return real(image, specs)

    monkeypatch.setattr(newsroom_images, "get_renditions_or_not_found", counted)

    def pictures() -> list[str]:
        soup = BeautifulSoup(client.get(article.url).content, "html.parser")
        return [str(picture) for picture in soup.select("figure picture")]

    first = pictures()
    assert sorted(looked_up) == sorted([article.hero_image_id, *_inline_image_ids(article)])
    assert pictures() == first  # the same figures, drawn from what was kept
    assert len(looked_up) == 2

    hero = article.hero_image
    hero.focal_point_x, hero.focal_point_y = 40, 30
    hero.focal_point_width = hero.focal_point_height = 20
    hero.save()
    pictures()
    assert looked_up[2:] == [hero.pk]  # the re-cropped image only


def _inline_image_ids(article: ArticlePage) -> list[int]:
    return [block.value["image"].pk for block in article.body if block.block_type == "image"]


def test_a_figure_whose_image_was_deleted_draws_nothing_on_any_of_the_articles_pages(client):
    article = make_article()
    [inline_id] = _inline_image_ids(article)
    NewsImage.objects.get(pk=inline_id).delete()  # as Wagtail's Delete does, page left as it was

    response = client.get(article.url)

    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.select(".article__body figure") == []
    assert soup.select_one("figure.figure--hero picture") is not None
    ninjs = client.get(f"/api/v1/ninjs/articles/{article.pk}.json")
    assert ninjs.status_code == 200
    assert [a["name"] for a in ninjs.json()["associations"]] == ["lead image"]
    assert client.get("/feeds/rss/").status_code == 200


def test_a_live_blog_whose_figure_and_entry_images_were_deleted_still_reads(client):
    section = make_section()
    figure, entry_image = make_image(), make_image()
    page = LiveBlogPage(
        title="Storm live",
        slug="storm-live",
        standfirst="Updates as the storm passes.",
        body=[{"type": "image", "value": {"image": figure.pk, "caption": "Kept words"}}],
    )
    page.entries.add(LiveBlogEntry(body="<p>Rain eases.</p>", image=entry_image))
    section.add_child(instance=page)
    page.save_revision().publish()
    figure.delete()
    entry_image.delete()

    response = client.get(page.url)

    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.select("figure") == []
    assert "Kept words" not in response.content.decode()
    entries = client.get(f"/live/{page.pk}/entries/?after=0")
    assert entries.status_code == 200
    assert "<figure" not in entries.content.decode()


def _busy_photo_bytes() -> bytes:
    """A 960x540 JPEG with a photograph's fine detail (noise over a gradient): what the AVIF
    encoder's speed shows on, where a flat graphic compresses alike at any speed."""
    noise = Image.effect_noise((960, 540), 60).convert("RGB")
    gradient = Image.linear_gradient("L").resize((960, 540)).convert("RGB")
    buffer = BytesIO()
    Image.blend(noise, gradient, 0.5).save(buffer, "JPEG", quality=95)
    return buffer.getvalue()


def _avif_rendition(photo: bytes) -> bytes:
    rendition = make_image(file_bytes=photo).get_rendition("format-avif|width-480")
    assert _file_format(rendition.url) == "AVIF"
    with rendition.file.open("rb") as kept:
        return kept.read()


def test_the_avif_renditions_are_made_at_the_speed_the_operator_set(settings):
    assert features.check("avif"), "this Pillow cannot write AVIF; figures would be WebP + JPEG"
    photo = _busy_photo_bytes()
    settings.IMAGE_AVIF_SPEED = 6  # Pillow's own default: five times the work of 8
    careful = _avif_rendition(photo)
    settings.IMAGE_AVIF_SPEED = 10
    fastest = _avif_rendition(photo)
    settings.IMAGE_AVIF_SPEED = 6
    careful_again = _avif_rendition(photo)

    # The encoder gives the same picture the same bytes at one speed, other bytes at another.
    assert careful_again == careful
    assert fastest != careful
