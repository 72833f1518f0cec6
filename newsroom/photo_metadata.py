"""Read a photo's caption, creator, credit line and copyright from its IPTC and XMP metadata.

Photographers and agencies put these inside the file (IPTC IIM in JPEG's APP13 segment, and the
newer XMP packet). Reading them on upload means the credit travels with the picture instead of
being retyped. XMP wins over IIM when both are present, as the IPTC Photo Metadata standard
advises. XMP is parsed with defusedxml, so a hostile packet cannot expand entities.
"""

from __future__ import annotations

from dataclasses import dataclass

from defusedxml import ElementTree
from PIL import Image, IptcImagePlugin

# IPTC IIM datasets in record 2 (application record).
_IIM = {"caption": (2, 120), "creator": (2, 80), "credit_line": (2, 110), "copyright": (2, 116)}

_NS = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "photoshop": "http://ns.adobe.com/photoshop/1.0/",
}
_MAX_LENGTH = 500


@dataclass(frozen=True)
class PhotoMetadata:
    caption: str = ""
    creator: str = ""
    credit_line: str = ""
    copyright: str = ""

    @property
    def credit(self) -> str:
        """'Creator/Credit line', the shape the site prints after 'CREDIT:'."""
        if self.creator and self.credit_line and self.creator not in self.credit_line:
            return f"{self.creator}/{self.credit_line}"
        return self.credit_line or self.creator


def _clean(value: str) -> str:
    """One line of printable text, bounded; metadata is untrusted input like any other."""
    text = " ".join("".join(ch if ch.isprintable() else " " for ch in value).split())
    return text[:_MAX_LENGTH]


def _decode(raw) -> str:
    if isinstance(raw, list):  # repeatable datasets, e.g. several creators
        return ", ".join(_decode(item) for item in raw)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def _from_iim(image: Image.Image) -> dict[str, str]:
    info = IptcImagePlugin.getiptcinfo(image) or {}
    return {name: _clean(_decode(info[key])) for name, key in _IIM.items() if key in info}


def _xmp_text(root, tag: str) -> str:
    """A dc:/photoshop: property, whether written as an element (with rdf:Alt/Seq items) or as
    an attribute of rdf:Description."""
    prefix, local = tag.split(":")
    name = f"{{{_NS[prefix]}}}{local}"
    for description in root.iter(f"{{{_NS['rdf']}}}Description"):
        if name in description.attrib:
            return description.attrib[name]
    for element in root.iter(name):
        items = [li.text or "" for li in element.iter(f"{{{_NS['rdf']}}}li")]
        return ", ".join(item for item in items if item) if items else element.text or ""
    return ""


def _from_xmp(image: Image.Image) -> dict[str, str]:
    packet = image.info.get("xmp")
    if not packet:
        return {}
    try:
        root = ElementTree.fromstring(packet, forbid_dtd=True)
    except Exception:  # a broken packet is ignored, never fatal to the upload
        return {}
    found = {
        "caption": _xmp_text(root, "dc:description"),
        "creator": _xmp_text(root, "dc:creator"),
        "credit_line": _xmp_text(root, "photoshop:Credit"),
        "copyright": _xmp_text(root, "dc:rights"),
    }
    return {name: _clean(value) for name, value in found.items() if value.strip()}


def read_photo_metadata(file) -> PhotoMetadata:
    """The metadata in an open image file; empty fields when there is none or it is unreadable."""
    position = file.tell()
    try:
        file.seek(0)
        with Image.open(file) as image:
            fields = {**_from_iim(image), **_from_xmp(image)}
    except Exception:  # Wagtail validates the image itself; metadata is best effort
        fields = {}
    finally:
        file.seek(position)
    return PhotoMetadata(**fields)
