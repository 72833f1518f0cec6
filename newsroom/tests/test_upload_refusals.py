"""An upload that is really a page or a script is refused, and nothing uploaded is served as HTML
from the site's own origin (shared/design/bad-input.md, "Files and imports").

An image is read for what it is, not for its name: an HTML file called ``photo.jpg`` or an SVG
would otherwise sit in the media library, and a browser shown it as a page runs its scripts with
the site's cookies. Documents take only PDF, text and CSV, and are sent as attachments with
``nosniff``, so a text file holding markup stays text.
"""

from __future__ import annotations

import json

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.models import Collection

from newsroom.models import NewsImage

pytestmark = pytest.mark.django_db

_PAGE = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"
_SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(document.cookie)"></svg>'


@pytest.fixture
def editor(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(
        get_user_model().objects.create_superuser("editor", "e@example.invalid", "x" * 16)
    )
    return client


def _stored_files(settings) -> list:
    return [path for path in settings.MEDIA_ROOT.rglob("*") if path.is_file()]


def test_an_html_page_named_as_a_photo_is_refused_by_the_image_form(editor, settings):
    upload = SimpleUploadedFile("photo.jpg", _PAGE, content_type="image/jpeg")

    answer = editor.post(
        reverse("wagtailimages:add"),
        {"title": "Talks venue", "description": "The venue", "file": upload},
    )

    assert answer.status_code == 200
    assert answer.context["form"].errors["file"]
    # The form comes back filled in: only the file has to be chosen again.
    assert answer.context["form"]["title"].value() == "Talks venue"
    assert not NewsImage.objects.exists()
    assert _stored_files(settings) == []


def test_an_html_page_named_as_a_photo_is_refused_by_the_drag_and_drop_uploader(editor, settings):
    upload = SimpleUploadedFile("photo.jpg", _PAGE, content_type="image/jpeg")

    answer = editor.post(
        reverse("wagtailimages:add_multiple"),
        {"files[]": upload},
        headers={"x-requested-with": "XMLHttpRequest"},
    )

    reply = json.loads(answer.content)
    assert reply["success"] is False
    assert "image" in reply["error_message"]
    assert not NewsImage.objects.exists()
    assert _stored_files(settings) == []


@pytest.mark.parametrize("name", ["chart.svg", "chart.png"])
def test_an_svg_is_refused_as_an_image_whatever_it_is_called(editor, settings, name):
    upload = SimpleUploadedFile(name, _SVG, content_type="image/svg+xml")

    answer = editor.post(
        reverse("wagtailimages:add"),
        {"title": "Chart", "description": "A chart", "file": upload},
    )

    assert answer.status_code == 200
    assert answer.context["form"].errors["file"]
    assert not NewsImage.objects.exists()
    assert _stored_files(settings) == []


def test_an_html_document_is_refused(editor, settings):
    upload = SimpleUploadedFile("briefing.html", _PAGE, content_type="text/html")

    answer = editor.post(
        reverse("wagtaildocs:add"),
        {"title": "Briefing", "file": upload, "collection": Collection.get_first_root_node().pk},
    )

    assert answer.status_code == 200
    assert answer.context["form"].errors["file"]
    assert not get_document_model().objects.exists()
    assert _stored_files(settings) == []


def test_a_text_document_holding_markup_is_sent_as_a_text_attachment_never_as_a_page(
    editor, client
):
    upload = SimpleUploadedFile("notes.txt", _PAGE, content_type="text/html")
    editor.post(
        reverse("wagtaildocs:add"),
        {"title": "Notes", "file": upload, "collection": Collection.get_first_root_node().pk},
    )
    document = get_document_model().objects.get()
    client.logout()

    answer = client.get(document.url)

    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("text/plain")
    assert answer["X-Content-Type-Options"] == "nosniff"
    assert answer["Content-Disposition"].startswith("attachment")
