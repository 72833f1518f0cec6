"""Reads of readers."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_backends, get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group
from django.db.models import Exists, F, OuterRef, Prefetch, Q, prefetch_related_objects
from django.utils import timezone

from accounts.models import IgnoredMember, Reader, ReaderNameChange

# Wagtail's permission to use its admin: who holds it is on the newsroom's staff.
ADMIN_ACCESS_APP, ADMIN_ACCESS_CODENAME = "wagtailadmin", "access_admin"


def reader_for_user(
    *, user_id: int | None, with_admin_access: bool = False, with_ignoring: bool = False
) -> Reader | None:
    """The reader of the account ``user_id``, with it; ``with_admin_access`` adds
    ``has_admin_permission``, in the same query (see :func:`reader_may_use_admin`), and
    ``with_ignoring`` adds ``ignores_members``, whether they ignore anyone (so the thread's
    read of whom, :func:`members_ignored_among`, is left out for the many who ignore nobody)."""
    if user_id is None:
        return None
    readers = Reader.objects.filter(user_id=user_id).select_related("user")
    if with_admin_access:
        readers = readers.annotate(has_admin_permission=_admin_permission_held())
    if with_ignoring:
        readers = readers.annotate(
            ignores_members=Exists(IgnoredMember.objects.filter(user_id=OuterRef("user_id")))
        )
    return readers.first()


def members_ignored_among(*, user_id: int, member_ids: Iterable[int]) -> frozenset[int]:
    """Which of ``member_ids`` the account ``user_id`` ignores: one query, on the index of
    (user, member)."""
    wanted = set(member_ids)
    wanted.discard(user_id)
    if not wanted:
        return frozenset()
    return frozenset(
        IgnoredMember.objects.filter(user_id=user_id, member_id__in=wanted).values_list(
            "member_id", flat=True
        )
    )


def member_ignored_by_entry(*, user_id: int, entry: int) -> dict | None:
    """``user_id``'s ignore list line ``entry`` (as :func:`members_ignored` gives each), or None
    when it is not theirs or no longer there."""
    rows = _ignored_lines(IgnoredMember.objects.filter(user_id=user_id, pk=entry))
    return rows[0] if rows else None


def members_ignored(*, user_id: int) -> list[dict]:
    """The members ``user_id`` ignores, the latest first, each with the display name and since
    when: for their profile's list and their data download. Bounded by IGNORED_MEMBERS_MAX."""
    rows = IgnoredMember.objects.filter(user_id=user_id).order_by("-created_at", "-id")
    return _ignored_lines(rows[: settings.IGNORED_MEMBERS_MAX])


def _ignored_lines(rows) -> list[dict]:
    return [
        {
            "entry": row["pk"],  # what the profile's Stop ignoring sends: no account's id
            "member_id": row["member_id"],
            "display_name": row["member__reader__display_name"] or "A member",
            "since": row["created_at"],
        }
        for row in rows.values("pk", "member_id", "member__reader__display_name", "created_at")
    ]


def _admin_permission_held(*, account: str = "user_id") -> Q:
    """Whether the account (``account``, the outer query's field that holds its id: a reader's
    ``user_id``, an account's ``pk``) holds ADMIN_ACCESS itself or through one of its groups:
    the two rows Django's ModelBackend reads for ``has_perm``, in two queries of its own."""
    permission = {
        "permission__content_type__app_label": ADMIN_ACCESS_APP,
        "permission__codename": ADMIN_ACCESS_CODENAME,
    }
    own = get_user_model().user_permissions.through.objects.filter(
        user_id=OuterRef(account), **permission
    )
    through_groups = Group.permissions.through.objects.filter(
        group__user=OuterRef(account), **permission
    )
    return Q(Exists(own)) | Q(Exists(through_groups))


def reader_may_use_admin(reader: Reader) -> bool:
    """``reader.user.has_perm`` of ADMIN_ACCESS without a query, for a reader read with
    ``with_admin_access``: an active superuser, or an active account that holds it. Where the
    site has an authentication backend that is no ModelBackend (which may grant permissions of
    its own), the account itself is asked."""
    user = reader.user
    if not all(isinstance(backend, ModelBackend) for backend in get_backends()):
        return user.has_perm(f"{ADMIN_ACCESS_APP}.{ADMIN_ACCESS_CODENAME}")
    return user.is_active and (user.is_superuser or reader.has_admin_permission)


def reader_of_account(user) -> Reader | None:
    """``user.reader``, or None for an account with no reader profile (staff made in the admin),
    read in the one query ``user.reader`` makes, with whether the account may use the admin
    (``has_admin_permission``, as ``with_admin_access`` reads it: :func:`reader_may_use_admin`).
    Kept on ``user`` as Django keeps ``user.reader``, its absence too, so asking again, or
    reading ``user.reader``, costs nothing: on every page, the masthead names the signed-in
    account (:func:`user_display`) and the userbar then asks whether it may use the admin
    (:func:`user_may_use_admin`) from this one read."""
    with_admin_access = Reader.objects.annotate(has_admin_permission=_admin_permission_held())
    # Reads nothing when user.reader has been read already (then without the admin's answer).
    prefetch_related_objects([user], Prefetch("reader", queryset=with_admin_access))
    try:
        return user.reader
    except Reader.DoesNotExist:
        return None


def user_may_use_admin(user) -> bool:
    """``user.has_perm`` of ADMIN_ACCESS (Wagtail's access to its admin) without a query of its
    own for an account with a reader profile (answered by :func:`reader_of_account`, which the
    page's masthead has read), in one query rather than ModelBackend's two (the account's
    permissions, then its groups') for one without, and none for an account that is not active
    or is a superuser. Asked on every page a signed-in reader opens (the userbar), where nearly
    every answer is no. Where the site has an authentication backend that is no ModelBackend,
    the account itself is asked."""
    if not all(isinstance(backend, ModelBackend) for backend in get_backends()):
        return user.has_perm(f"{ADMIN_ACCESS_APP}.{ADMIN_ACCESS_CODENAME}")
    if not user.is_active:
        return False
    if user.is_superuser:
        return True
    reader = reader_of_account(user)
    if reader is not None and hasattr(reader, "has_admin_permission"):
        return reader.has_admin_permission
    # Asked by the masthead (its Admin link) and the userbar on one page: read once.
    answer = getattr(user, "_may_use_admin", None)
    if answer is None:
        held = _admin_permission_held(account="pk")
        answer = user._may_use_admin = get_user_model().objects.filter(held, pk=user.pk).exists()
    return answer


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


def reader_email_addresses(*, user_id: int) -> list[dict]:
    """Every address kept for the account, for its data download: the one it signs in with and
    any other allauth keeps, such as a new one waiting for its confirmation link. One query."""
    from allauth.account.models import EmailAddress

    return [
        {"email": row["email"], "verified": row["verified"], "primary": row["primary"]}
        for row in EmailAddress.objects.filter(user_id=user_id)
        .order_by("-primary", "id")
        .values("email", "verified", "primary")
    ]


def reader_sign_in_providers(*, user_id: int) -> list[dict]:
    """Each sign-in provider connected to the account (allauth's ``SocialAccount``), for its data
    download: which, the account's id there, when connected and last used, and the claims it
    sent, which allauth keeps (a name, an address). One query."""
    from allauth.socialaccount.models import SocialAccount

    return [
        {
            "provider": row["provider"],
            "id_there": row["uid"],
            "connected_at": row["date_joined"].isoformat(),
            "last_used_at": row["last_login"].isoformat(),
            "sent": row["extra_data"],
        }
        for row in SocialAccount.objects.filter(user_id=user_id)
        .order_by("id")
        .values("provider", "uid", "date_joined", "last_login", "extra_data")
    ]


def user_display(user) -> str:
    """How allauth names a signed-in account ("Signed in as ..."): the reader's display name,
    not the generated username; an account with no reader profile (staff) by its username.
    Read with whether the account may use the admin (:func:`reader_of_account`), which the
    page's userbar asks next."""
    reader = reader_of_account(user)
    return reader.display_name if reader is not None else user.get_username()
