"""Errors the discussion services raise; views turn them into messages beside the fields."""

from __future__ import annotations

from django.core.exceptions import ValidationError


class CommentRefused(ValidationError):
    """The comment was not saved; ``message_dict`` maps a form field to what is wrong."""
