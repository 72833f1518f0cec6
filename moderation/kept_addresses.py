"""Where comments and reports came from is cleared after IP_RETENTION_DAYS (core.retention).

A comment's review keeps the address it was posted from (``CommentReview.ip_address``: a
campaign's page counts its networks) and a report its network (``Report.network``: reports take
a comment down only from enough different networks). Once the days have passed, the review's
address is set to null, as an imported comment's is, and the report's network to "" ("cleared":
null is kept for reports sent before networks were recorded, which count differently, see
``models.report_networks``). Neither row goes, nor anything else on it.

A reader who deletes their account does not wait for those days: the addresses of their
comments' reviews and the networks of their reports are cleared the same way inside the
deletion's transaction (:func:`addresses_of_reader_clear`, through ``accounts.erasures``).
"""

from __future__ import annotations

from datetime import datetime

from core import retention
from moderation.models import CommentReview, Report


def review_addresses_clear(*, before: datetime, batch: int, mark: str) -> int:
    """Null the address of comments whose review was written before ``before`` (for an imported
    comment, when it was imported), found through the ``review_created`` index."""
    return retention.clear_before(
        CommentReview.objects.filter(ip_address__isnull=False),
        before=before,
        cleared={"ip_address": None},
        batch=batch,
        time_field="created_at",
        mark=mark,
    )


def report_networks_clear(*, before: datetime, batch: int, mark: str) -> int:
    """Empty the network of reports sent before ``before``, found through ``report_created``."""
    return retention.clear_before(
        Report.objects.filter(network__gt=""),
        before=before,
        cleared={"network": ""},
        batch=batch,
        time_field="created_at",
        mark=mark,
    )


def addresses_of_reader_clear(*, user_id: int) -> int:
    """A reader is deleting their account (``accounts.erasures``, inside the deletion's
    transaction): where their comments and reports came from goes now, as it would after
    IP_RETENTION_DAYS; the rows stay, counted as before. Their comments' reviews are theirs by
    the reader key screening gave them (the comments themselves have lost their author by the
    time this runs). Returns how many rows changed."""
    key = f"user:{user_id}"
    reviews = CommentReview.objects.filter(reader_key=key, ip_address__isnull=False).update(
        ip_address=None
    )
    reports = Report.objects.filter(reporter_key=key, network__gt="").update(network="")
    return reviews + reports
