"""An upload that is really a page or a script is refused, and nothing uploaded is served as HTML
from the site's own origin (shared/design/bad-input.md, "Files and imports").

An image is read for what it is, not for its name: an HTML file called ``photo.jpg`` or an SVG
would otherwise sit in the media library, and a browser shown it as a page runs its scripts with
the site's cookies. Documents take only PDF, text and CSV, and are sent as attachments with
``nosniff``, so a text file holding markup stays text.

What is in the media folder is served at /media/ (``SERVE_MEDIA``, core.media) with ``nosniff``
and a sandbox, an image as an image and anything else as an attachment; documents only through
Wagtail's view, which checks a private collection's password.
"""

from __future__ import annotations

import json

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction

from newsroom.models import NewsImage
from newsroom.tests.factories import make_image

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


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _document(name: str, content: bytes, collection=None):
    """A document as it may sit in the library: uploaded before the extensions rule, or by a
    script, so never through the form that refuses it."""
    document = get_document_model()(
        title=name, collection=collection or Collection.get_first_root_node()
    )
    document.file.save(name, ContentFile(content))
    return document


def _sandboxed(answer) -> bool:
    return (
        answer["X-Content-Type-Options"] == "nosniff"
        and "sandbox" in answer["Content-Security-Policy"].split("; ")
        and "default-src 'none'" in answer["Content-Security-Policy"]
    )


def test_an_image_and_its_rendition_are_shown_from_media_as_images_in_a_sandbox(client, media_root):
    image = make_image()
    rendition = image.get_rendition("fill-200x100")

    for url in (image.file.url, rendition.url):
        answer = client.get(url)

        assert answer.status_code == 200, url
        assert answer["Content-Type"] == "image/jpeg"
        assert answer["Content-Disposition"].startswith("inline")
        assert _sandboxed(answer)


@pytest.mark.parametrize(
    ("name", "content"), [("chart.svg", _SVG), ("page.html", _PAGE), ("photo.xml", _SVG)]
)
def test_a_file_in_media_that_is_not_an_image_is_saved_never_shown(
    client, media_root, name, content
):
    # Put in the folder by hand, or by a version of the site before the image uploader read
    # files for what they are.
    (media_root / "original_images").mkdir()
    (media_root / "original_images" / name).write_bytes(content)

    answer = client.get(f"/media/original_images/{name}")

    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/octet-stream"
    assert answer["Content-Disposition"] == f'attachment; filename="{name}"'
    assert _sandboxed(answer)


@pytest.mark.parametrize("address", ["/media/documents/{}", "/media/images/../documents/{}"])
def test_a_private_collections_document_is_not_served_at_media(client, media_root, address):
    private = Collection.get_first_root_node().add_child(name="Embargoed")
    CollectionViewRestriction.objects.create(
        collection=private, restriction_type=CollectionViewRestriction.PASSWORD, password="x"
    )
    document = _document("figures.txt", b"embargoed figures", collection=private)
    assert document.file.url == "/media/documents/figures.txt"

    assert client.get(address.format("figures.txt")).status_code == 404
    # Its own address asks for the password.
    asked = client.get(document.url)
    assert asked.status_code == 200 and b"embargoed figures" not in asked.content
    assert asked["Content-Type"].startswith("text/html")


def test_a_pdf_document_is_shown_by_wagtails_view_with_nothing_it_may_load(client, media_root):
    document = _document("report.pdf", b"%PDF-1.4\n%%EOF\n")

    answer = client.get(document.url)

    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/pdf"
    assert answer["Content-Disposition"].startswith("inline")
    assert answer["Content-Security-Policy"] == "default-src 'none'"
    assert answer["X-Content-Type-Options"] == "nosniff"


def test_an_html_document_from_before_the_extensions_rule_is_an_attachment_that_runs_nothing(
    client, media_root
):
    document = _document("briefing.html", _PAGE)

    answer = client.get(document.url)

    assert answer.status_code == 200
    assert answer["Content-Disposition"].startswith("attachment")
    assert answer["X-Content-Type-Options"] == "nosniff"
    # Wagtail's own policy, which the site's (core.csp) does not loosen with its script-src.
    policy = answer["Content-Security-Policy"].split("; ")
    assert "default-src 'none'" in policy
    assert not [d for d in policy if d.split(" ")[0] in ("script-src", "style-src", "img-src")]
