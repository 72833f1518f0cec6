"""Reads of readers."""

from __future__ import annotations

from accounts.models import Reader


def reader_for_user(*, user_id: int | None) -> Reader | None:
    if user_id is None:
        return None
    return Reader.objects.filter(user_id=user_id).select_related("user").first()


def reader_get(*, reader_id: int) -> Reader | None:
    return Reader.objects.filter(pk=reader_id).select_related("user").first()


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
