"""Errors the discussion services raise; views turn them into messages beside the fields."""

from __future__ import annotations

from django.core.exceptions import ValidationError


class CommentRefused(ValidationError):
    """The comment was not saved; ``message_dict`` maps a form field to what is wrong."""

    def __init__(
        self, message, *, codes: tuple[str, ...] = (), retry_after: int | None = None
    ) -> None:
        super().__init__(message)
        # Screening's reason codes, e.g. "confirm_needed" asks the reader to confirm and resend.
        self.codes = tuple(codes)
        # With the code "posting_too_fast": the seconds until every rate limit the comment was
        # over counts afresh (an answer's Retry-After), when they are known.
        self.retry_after = retry_after


class CommentForbidden(Exception):
    """The reader may not change this comment (not theirs, or no longer theirs to change)."""
