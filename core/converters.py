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


class PageSlugConverter:
    """A Wagtail page's slug, which may be in any script: Wagtail makes "новини" of a page
    titled "Новини" (WAGTAIL_ALLOW_UNICODE_SLUGS, on by default). Django's ``slug`` takes ASCII
    alone, so an address naming such a page could neither be reversed nor matched."""

    regex = r"[-\w]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(PageSlugConverter, "page_slug")
