"""Reads of readers."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from accounts.models import Reader, ReaderNameChange


def reader_for_user(*, user_id: int | None) -> Reader | None:
    if user_id is None:
        return None
    return Reader.objects.filter(user_id=user_id).select_related("user").first()


def reader_get(*, reader_id: int) -> Reader | None:
    return Reader.objects.filter(pk=reader_id).select_related("user").first()


def reader_name_change_from(*, reader_id: int, now: datetime | None = None) -> datetime | None:
    """When the member may next change their display name on their profile, or None when they
    may now: ``DISPLAY_NAME_CHANGE_DAYS`` after their last change of it (changes made by the
    publisher's sign-on are not theirs, so do not count)."""
    days = settings.DISPLAY_NAME_CHANGE_DAYS
    if not days:
        return None
    last = (
        ReaderNameChange.objects.filter(reader_id=reader_id, chosen_by_reader=True)
        .values_list("changed_at", flat=True)
        .first()  # the newest: ordered by -changed_at
    )
    if last is None:
        return None
    allowed_from = last + timedelta(days=days)
    return allowed_from if allowed_from > (now or timezone.now()) else None


def reader_names_before(*, user_ids: Iterable[int]) -> dict[int, list[ReaderNameChange]]:
    """Each account's earlier display names, newest change first, for moderators: a member's
    comments show the name they have now. One query; accounts with no change are left out."""
    changes: dict[int, list[ReaderNameChange]] = {}
    rows = ReaderNameChange.objects.filter(reader__user_id__in=set(user_ids)).annotate(
        account_id=F("reader__user_id")
    )
    for change in rows:
        changes.setdefault(change.account_id, []).append(change)
    return changes


def reader_has_verified_email(*, user_id: int) -> bool:
    from allauth.account.models import EmailAddress

    return EmailAddress.objects.filter(user_id=user_id, verified=True, primary=True).exists()


def reader_primary_email(*, user_id: int) -> str | None:
    from allauth.account.models import EmailAddress

    return (
        EmailAddress.objects.filter(user_id=user_id, verified=True, primary=True)
        .values_list("email", flat=True)
        .first()
    )


def user_display(user) -> str:
    """How allauth names a signed-in account ("Signed in as ..."): the reader's display name,
    not the generated username; an account with no reader profile (staff) by its username."""
    try:
        return user.reader.display_name
    except Reader.DoesNotExist:
        return user.get_username()
