"""URL converters shared by the apps, registered once on import."""

from django.urls import register_converter


class IdConverter:
    """A database id: digits that fit in a 64-bit integer, so no lookup can overflow."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(IdConverter, "id")
