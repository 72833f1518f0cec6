"""Akismet, only when an operator sets ``AKISMET_API_KEY``: the one scorer that sends text out.

A failure (timeout, bad answer) never blocks posting: the scorer abstains and logs it.
"""

from __future__ import annotations

import logging
import urllib.parse
import urllib.request

from django.conf import settings

from moderation.scorers import ScoringContext, register

logger = logging.getLogger(__name__)


def akismet(ctx: ScoringContext) -> float | None:
    if not settings.AKISMET_API_KEY:
        return None
    submission = ctx.submission
    data = urllib.parse.urlencode(
        {
            "api_key": settings.AKISMET_API_KEY,
            "blog": settings.SITE_BASE_URL,
            "user_ip": submission.ip_address or "",
            "comment_type": "reply" if submission.is_reply else "comment",
            "comment_author": submission.author_name,
            "comment_content": submission.body,
        }
    ).encode()
    url = f"{settings.AKISMET_URL.rstrip('/')}/1.1/comment-check"
    request = urllib.request.Request(url, data=data, method="POST")  # noqa: S310 (operator URL)
    try:
        with urllib.request.urlopen(request, timeout=settings.AKISMET_TIMEOUT) as response:  # noqa: S310
            answer = response.read(64).decode("ascii", "replace").strip()
    except OSError as exc:
        logger.warning("Akismet did not answer: %s", exc)
        return None
    if answer == "true":
        return 1.0
    if answer == "false":
        return 0.0
    logger.warning("Akismet answered %r", answer)
    return None


def register_scorer() -> None:
    register("akismet", akismet, hold_at=1.0, reason="looks like spam to Akismet")
