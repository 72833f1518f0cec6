"""A photo's IPTC and XMP metadata fill its caption, creator, credit and copyright on upload."""

from __future__ import annotations

import struct
from io import BytesIO

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from newsroom.models import NewsImage
from newsroom.tests.factories import make_image

pytestmark = pytest.mark.django_db


def _iim(datasets: dict[int, str]) -> bytes:
    """IPTC IIM record 2 datasets, wrapped as a Photoshop 8BIM resource in a JPEG APP13."""
    records = b"\x1c\x01\x5a\x00\x03\x1b\x25\x47"  # 1:90 coded character set = UTF-8
    for dataset, text in datasets.items():
        value = text.encode("utf-8")
        records += struct.pack(">BBBH", 0x1C, 2, dataset, len(value)) + value
    if len(records) % 2:
        records += b"\x00"
    resource = b"8BIM" + struct.pack(">H", 0x0404) + b"\x00\x00" + struct.pack(">I", len(records))
    payload = b"Photoshop 3.0\x00" + resource + records
    return b"\xff\xed" + struct.pack(">H", len(payload) + 2) + payload


def _jpeg(*, iim: dict[int, str] | None = None, xmp: bytes | None = None) -> bytes:
    buffer = BytesIO()
    options = {"xmp": xmp} if xmp else {}
    Image.new("RGB", (64, 48), (90, 120, 30)).save(buffer, "JPEG", **options)
    data = buffer.getvalue()
    if iim:
        data = data[:2] + _iim(iim) + data[2:]  # right after the start-of-image marker
    return data


IIM = {
    120: "Delegates arrive at the Dolmabahçe palace, Istanbul.",
    80: "Ayşe Demir",
    110: "Example Agency",
    116: "© 2022 Example Agency",
}

XMP = b"""<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF
 xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
 xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/">
<rdf:Description photoshop:Credit="XMP Wire">
 <dc:description><rdf:Alt>
  <rdf:li xml:lang="x-default">Caption from XMP</rdf:li>
 </rdf:Alt></dc:description>
 <dc:creator><rdf:Seq><rdf:li>Jo Lens</rdf:li></rdf:Seq></dc:creator>
 <dc:rights><rdf:Alt><rdf:li xml:lang="x-default">(c) XMP Wire</rdf:li></rdf:Alt></dc:rights>
</rdf:Description></rdf:RDF></x:xmpmeta>"""


def test_uploading_a_jpeg_with_iptc_fills_caption_creator_credit_and_copyright(client):
    editor = get_user_model().objects.create_superuser("ed", "ed@example.invalid", "pw-long-1")
    client.force_login(editor)
    upload = SimpleUploadedFile("talks.jpg", _jpeg(iim=IIM), content_type="image/jpeg")
    response = client.post(
        reverse("wagtailimages:add"), {"title": "Talks", "file": upload, "description": "Alt"}
    )
    assert response.status_code == 302, response.content[:500]
    image = NewsImage.objects.get(title="Talks")
    assert image.caption == "Delegates arrive at the Dolmabahçe palace, Istanbul."
    assert image.creator == "Ayşe Demir"
    assert image.credit == "Ayşe Demir/Example Agency"
    assert image.copyright == "© 2022 Example Agency"


def test_xmp_wins_over_iptc_iim_when_both_are_present():
    image = make_image(caption="", credit="", copyright="", file_bytes=_jpeg(iim=IIM, xmp=XMP))
    assert image.caption == "Caption from XMP"
    assert image.credit == "Jo Lens/XMP Wire"
    assert image.copyright == "(c) XMP Wire"


def test_fields_the_editor_typed_are_kept():
    image = make_image(caption="Our own caption", credit="", file_bytes=_jpeg(iim=IIM))
    assert image.caption == "Our own caption"
    assert image.credit == "Ayşe Demir/Example Agency"


def test_a_photo_without_metadata_or_with_a_hostile_packet_uploads_cleanly():
    bomb = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>'
    for data in (_jpeg(), _jpeg(xmp=bomb)):
        image = make_image(caption="", credit="", copyright="", file_bytes=data)
        assert (image.caption, image.credit, image.copyright) == ("", "", "")
