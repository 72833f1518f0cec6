"""A document is sent as it is stored: the bytes in the library, with no ``Content-Encoding``
guessed from its name. Wagtail's view set that header from ``mimetypes.guess_type``, so every
document went out with the literal ``Content-Encoding: None``, and a name ending ``.gz`` would
have a browser unpack what the reader asked to download (newsroom.documents)."""

from __future__ import annotations

import gzip

import pytest
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model
from wagtail.models import Collection

pytestmark = pytest.mark.django_db

GZIP = {"HTTP_ACCEPT_ENCODING": "gzip"}


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _document(name: str, content: bytes):
    """A document as a script or an older version of the site may have put it in the library,
    not through the upload form (which takes only PDF, text and CSV)."""
    document = get_document_model()(title=name, collection=Collection.get_first_root_node())
    document.file.save(name, ContentFile(content))
    return document


def _body(answer) -> bytes:
    return b"".join(answer.streaming_content) if answer.streaming else answer.content


@pytest.mark.parametrize("name", ["report.pdf", "notes.txt", "figures.csv"])
def test_a_document_is_sent_with_no_content_encoding(client, name):
    document = _document(name, b"%PDF-1.4\n%%EOF\n" if name.endswith("pdf") else b"a,b\n1,2\n")

    answer = client.get(document.url)

    assert answer.status_code == 200
    assert "Content-Encoding" not in answer, answer["Content-Encoding"]


@pytest.mark.parametrize("name", ["figures.csv.gz", "archive.tar.bz2", "dump.xz"])
def test_a_compressed_file_is_sent_as_the_stored_bytes_to_download(client, name):
    stored = gzip.compress(b"a,b\n1,2\n" * 50)
    document = _document(name, stored)

    answer = client.get(document.url, **GZIP)

    assert answer.status_code == 200
    assert "Content-Encoding" not in answer
    assert answer["Content-Type"] == "application/octet-stream"
    assert answer["Content-Disposition"].startswith("attachment")
    assert _body(answer) == stored


def test_a_text_document_comes_gzipped_to_a_reader_who_takes_gzip(client):
    text = b"year,readers\n" + b"2026,1000\n" * 400
    document = _document("readers.csv", text)

    answer = client.get(document.url, **GZIP)

    assert answer.status_code == 200
    assert answer["Content-Encoding"] == "gzip"
    assert gzip.decompress(_body(answer)) == text
