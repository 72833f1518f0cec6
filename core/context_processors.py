from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, str]:
    """The publication's name for the masthead, read per request (never at import time)."""
    return {"site_name": settings.WAGTAIL_SITE_NAME}
