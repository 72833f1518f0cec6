"""Writes to readers. Views, sign-up, publisher sign-on and the demo loader all come here."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts import erasures, names, renames, selectors
from accounts.models import IgnoredMember, Reader, ReaderNameChange
from core import locks

DEMO_READER_EMAIL = "reader@example.com"

IGNORE_YOURSELF = "You cannot ignore yourself."
IGNORE_STAFF = (
    "Staff cannot be ignored: their comments speak for the newsroom, so every reader sees them."
)
IGNORE_NOT_A_MEMBER = (
    "Only members can be ignored. A guest's comments carry no account, so nothing links one of "
    "them to the next."
)


def display_name_problem(display_name: str, *, exclude_reader_id: int | None = None) -> str | None:
    """Why ``display_name`` cannot be used (refused or taken), or None when it is free."""
    problem = names.name_problem(
        display_name, max_length=settings.DISPLAY_NAME_MAX_LENGTH
    ) or names.reserved_problem(display_name)
    if problem:
        return problem
    key = names.name_key(display_name)
    # The loose key is the name key with punctuation, symbols and spaces dropped, so one read of
    # its index finds both a name taken outright and one that differs from it only by those.
    near = Reader.objects.filter(name_loose=names.loose_key_from_key(key))
    if exclude_reader_id is not None:
        near = near.exclude(pk=exclude_reader_id)
    # Few rows: members may share a loose key only from before it was checked.
    keys = set(near.values_list("name_key", flat=True))
    if key in keys:
        return (
            "That display name is taken, or looks too much like one that is. Please choose another."
        )
    if keys:
        return (
            "That display name differs from a member's only in punctuation, symbols or spaces, "
            "so readers could take one for the other. Please choose another."
        )
    return None


def _refuse_if_bad(display_name: str, *, exclude_reader_id: int | None = None) -> None:
    if problem := display_name_problem(display_name, exclude_reader_id=exclude_reader_id):
        raise ValidationError({"display_name": problem})


def _claim(display_name: str, *, exclude_reader_id: int | None = None) -> None:
    """Inside the transaction that saves ``display_name``: wait for any other sign-up or rename
    to a name with the same loose key to finish, then check the name against what is saved
    (ValidationError if refused or taken). Two readers can then not take "Ada Lovelace" and
    "Ada-Lovelace" at the same instant: the second finds the first's name and is refused.
    (``name_loose`` itself cannot be unique: members who signed up before it was checked may
    share one.)"""
    locks.wait_in_transaction(f"reader-name:{names.name_loose_key(display_name)}")
    _refuse_if_bad(display_name, exclude_reader_id=exclude_reader_id)


def reader_create(*, user: AbstractBaseUser, display_name: str) -> Reader:
    """Give ``user`` a public display name; raises ValidationError if refused or taken."""
    try:
        with transaction.atomic():
            _claim(display_name)
            return Reader.objects.create(
                user=user,
                display_name=names.normalise(display_name),
                name_key=names.name_key(display_name),
                name_loose=names.name_loose_key(display_name),
            )
    except IntegrityError as exc:  # taken between the check and the insert
        raise ValidationError({"display_name": "That display name was just taken."}) from exc


def reader_rename(*, reader: Reader, display_name: str) -> Reader:
    """Give the member ``display_name`` as the publisher's sign-on names them (no limit on how
    often: the name follows the publisher's). See :func:`_rename`."""
    return _rename(reader=reader, display_name=display_name, chosen_by_reader=False)


def reader_name_choose(*, reader: Reader, display_name: str, now: datetime | None = None) -> Reader:
    """The member's own change of their display name, from their profile.

    The name is held to sign-up's rules (``_claim``: refused, taken, or a look-alike of a
    member's). A member may change it once every ``DISPLAY_NAME_CHANGE_DAYS`` (0: at any time),
    so nobody can hop between names to dodge readers or moderators; the refusal says from when.
    A name that comes from the publisher's sign-on is changed there, not here. The same name
    again (after the spacing is tidied) changes nothing and counts for nothing. Raises
    ValidationError, on ``display_name``, changing nothing.
    """
    if reader.sso_subject:
        raise ValidationError(
            {
                "display_name": "Your display name comes from your account with the publisher, "
                "so change it there: it is brought here the next time you sign in."
            }
        )
    return _rename(reader=reader, display_name=display_name, chosen_by_reader=True, now=now)


def _rename(
    *, reader: Reader, display_name: str, chosen_by_reader: bool, now: datetime | None = None
) -> Reader:
    """In one transaction: the profile's name and keys, an entry in its name history
    (``ReaderNameChange``, for moderators and for the limit), and the rename hooks
    (``accounts.renames``: discussion shows the new name on the member's comments)."""
    now = now or timezone.now()
    shown = names.normalise(display_name)
    try:
        with transaction.atomic():
            # The row's lock makes two changes of one member's name wait for each other, so the
            # limit is checked against the change before, and the history names it rightly.
            current = Reader.objects.select_for_update().get(pk=reader.pk)
            if shown != current.display_name:
                _rename_locked(current, display_name, chosen_by_reader=chosen_by_reader, now=now)
    except IntegrityError as exc:
        raise ValidationError({"display_name": "That display name was just taken."}) from exc
    reader.display_name = current.display_name
    reader.name_key = current.name_key
    reader.name_loose = current.name_loose
    return reader


def _rename_locked(
    current: Reader, display_name: str, *, chosen_by_reader: bool, now: datetime
) -> None:
    shown = names.normalise(display_name)
    if chosen_by_reader and (
        allowed_from := selectors.reader_name_change_from(reader_id=current.pk, now=now)
    ):
        raise ValidationError({"display_name": _too_soon(allowed_from)})
    _claim(display_name, exclude_reader_id=current.pk)
    ReaderNameChange.objects.create(
        reader=current,
        old_name=current.display_name,
        new_name=shown,
        chosen_by_reader=chosen_by_reader,
        changed_at=now,
    )
    current.display_name = shown
    current.name_key = names.name_key(display_name)
    current.name_loose = names.name_loose_key(display_name)
    current.save(update_fields=["display_name", "name_key", "name_loose"])
    renames.run(user_id=current.user_id, display_name=shown)


def _too_soon(allowed_from: datetime) -> str:
    days = settings.DISPLAY_NAME_CHANGE_DAYS
    changed = timezone.localtime(allowed_from - timedelta(days=days))
    every = "once a day" if days == 1 else f"once every {days} days"
    return (
        f"You changed your display name on {changed:%-d %B %Y}, and it can be changed {every}. "
        f"You can change it again from {timezone.localtime(allowed_from):%-d %B %Y, %H:%M}."
    )


def reader_set_notifications(
    *, reader: Reader, notify_replies: bool, reply_digest: bool | None = None
) -> Reader:
    """The global reply-email switches: on or off, and (when given) one email a day or each."""
    reader.notify_replies = notify_replies
    if reply_digest is not None:
        reader.reply_digest = reply_digest
    Reader.objects.filter(pk=reader.pk).update(
        notify_replies=reader.notify_replies, reply_digest=reader.reply_digest
    )
    return reader


def member_ignore(*, user: AbstractBaseUser, member_id: int) -> bool:
    """``user`` sees ``member_id``'s comments collapsed from now on, on every page drawn for
    them (and nobody else's page changes). True when this made the row, False when they already
    ignored the member. Refused with a ValidationError saying why, nothing written: oneself,
    staff (Coral's rule: the newsroom's voice is never hidden), a guest or a deleted account,
    and past ``IGNORED_MEMBERS_MAX``."""
    if member_id == user.pk:
        raise ValidationError(IGNORE_YOURSELF, code="ignore_self")
    member = get_user_model().objects.filter(pk=member_id, is_active=True).first()
    if member is None or selectors.reader_of_account(member) is None:
        raise ValidationError(IGNORE_NOT_A_MEMBER, code="ignore_not_a_member")
    if selectors.user_may_use_admin(member):
        raise ValidationError(IGNORE_STAFF, code="ignore_staff")
    most = settings.IGNORED_MEMBERS_MAX
    with transaction.atomic():
        # The account's row locked, so two presses at once cannot both pass the cap.
        get_user_model().objects.select_for_update().filter(pk=user.pk).exists()
        ignoring = IgnoredMember.objects.filter(user_id=user.pk)
        if ignoring.filter(member_id=member_id).exists():
            return False
        if ignoring.count() >= most:
            raise ValidationError(
                f"You already ignore {most} readers, the most you can. Stop ignoring someone "
                "on your profile first; nothing was changed.",
                code="ignore_too_many",
            )
        IgnoredMember.objects.create(user_id=user.pk, member_id=member_id)
    return True


def member_unignore(*, user: AbstractBaseUser, member_id: int) -> bool:
    """``user`` sees ``member_id``'s comments again. True when they had ignored the member."""
    deleted, _ = IgnoredMember.objects.filter(user_id=user.pk, member_id=member_id).delete()
    return bool(deleted)


def reader_free_name(*, wanted: str) -> str:
    """``wanted`` if free, else ``wanted`` with the first free number after it (for sign-on)."""
    base = names.normalise(wanted)[: settings.DISPLAY_NAME_MAX_LENGTH - 4] or "Reader"
    if names.name_problem(base, max_length=settings.DISPLAY_NAME_MAX_LENGTH):
        base = "Reader"
    candidate = base
    for number in range(2, 1000):
        if display_name_problem(candidate) is None:
            return candidate
        candidate = f"{base} {number}"
    return f"Reader {secrets.token_hex(3)}"


def reader_name_for_account(*, user: AbstractBaseUser) -> str:
    """The display name ``reader_ensure`` would give ``user`` now: its full name, else its
    username (only the part before any "@", so an address used as a username is not shown),
    or the first free variant of it; "Reader" (numbered) when that is not a name a member may
    take."""
    full_name = user.get_full_name().strip() if hasattr(user, "get_full_name") else ""
    wanted = full_name or user.get_username().split("@", 1)[0]
    return reader_free_name(wanted=wanted)


def reader_ensure(*, user: AbstractBaseUser) -> Reader:
    """The account's reader profile, made the first time it needs one (a staff account made in
    the admin or by ``createsuperuser`` has none until it comments), under the name
    ``reader_name_for_account`` picks. Through ``reader_create``, so the name is claimed by the
    same rules as a sign-up's; if it is taken meanwhile, the next free one is used."""
    for _attempt in range(5):
        reader = Reader.objects.filter(user=user).first()
        if reader is not None:
            return reader
        try:
            return reader_create(user=user, display_name=reader_name_for_account(user=user))
        except ValidationError:
            continue  # the name (or this account's profile) was taken between check and insert
    reader = Reader.objects.filter(user=user).first()
    if reader is not None:
        return reader
    return reader_create(user=user, display_name=f"Reader {secrets.token_hex(3)}")


def user_create_verified(*, email: str, password: str | None = None):
    """An account whose email is already verified (publisher sign-on, the demo reader)."""
    user_model = get_user_model()
    user = user_model.objects.create_user(
        username=f"reader-{secrets.token_hex(6)}", email=email, password=password
    )
    if password is None:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def user_email_verified_ensure(*, user: AbstractBaseUser) -> None:
    """Mark the account's own address as its verified, primary one, for an account made where no
    mail can be confirmed (the demo's staff account): every sign-in, staff's included, is on
    allauth's page, which lets in verified addresses only."""
    address = EmailAddress.objects.filter(user=user, email__iexact=user.email).first()
    if address is None:
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    elif not (address.verified and address.primary):
        address.verified = address.primary = True
        address.save(update_fields=["verified", "primary"])


def reader_ensure_demo() -> tuple[str, str]:
    """The demo reader (verified email, display name "Demo Reader"); returns email, password.

    The password is kept in the var folder so that running the demo loader again prints the
    same one.
    """
    secret = settings.VAR_DIR / "demo-reader-password"
    existing = EmailAddress.objects.filter(email__iexact=DEMO_READER_EMAIL).first()
    if existing is not None and secret.exists():
        return DEMO_READER_EMAIL, secret.read_text().strip()
    password = secrets.token_urlsafe(12)
    with transaction.atomic():
        if existing is None:
            user = user_create_verified(email=DEMO_READER_EMAIL, password=password)
            reader_create(user=user, display_name=reader_free_name(wanted="Demo Reader"))
        else:
            user = existing.user
            user.set_password(password)
            user.save(update_fields=["password"])
    secret.touch(mode=0o600)
    secret.write_text(password)
    return DEMO_READER_EMAIL, password


def reader_joined_by(*, user_id: int, when: datetime) -> None:
    """Date an account and its reader profile no later than ``when``. For the demo's accounts,
    whose comments are dated with their stories (March 2022) while the accounts are made on the
    day the demo is loaded: a profile said "Member since December 2026" above its own comment of
    2022, and a moderator's card "account since" a day after the comment it showed."""
    get_user_model().objects.filter(pk=user_id, date_joined__gt=when).update(date_joined=when)
    Reader.objects.filter(user_id=user_id, created_at__gt=when).update(created_at=when)


def reader_erase(*, user: AbstractBaseUser) -> None:
    """Delete the account and every piece of personal data held with it.

    The reader's comments are handled first by the caller (``discussion`` owns them); other
    apps then drop what the reader wrote that they keep (``accounts.erasures``: moderation
    empties the notes of the reader's reports, which stay counted); the account row's deletion
    then cascades to the profile, email addresses, sessions' owner and social logins.
    """
    with transaction.atomic():
        erasures.run(user_id=user.pk)
        user.delete()


def reader_sign_on(*, claims) -> AbstractBaseUser:
    """The account linked to a verified publisher token, made or updated from its claims.

    Spends the token (a replay raises ``SsoRefused``) in the same transaction as the account
    change, so a refused token changes nothing.
    """
    from accounts.sso import SsoRefused, sso_token_spend

    with transaction.atomic():
        sso_token_spend(claims)
        reader = Reader.objects.filter(sso_subject=claims.subject).select_related("user").first()
        if reader is None:
            if EmailAddress.objects.filter(email__iexact=claims.email).exists():
                raise SsoRefused(
                    "An account with this email address already exists here. Sign in with "
                    "your email and password instead."
                )
            user = user_create_verified(email=claims.email)
            reader = reader_create(user=user, display_name=reader_free_name(wanted=claims.name))
            Reader.objects.filter(pk=reader.pk).update(sso_subject=claims.subject)
            return user
        user = reader.user
        if user.email != claims.email:
            if EmailAddress.objects.filter(email__iexact=claims.email).exclude(user=user).exists():
                raise SsoRefused("Another account here already uses that email address.")
            user.email = claims.email
            user.save(update_fields=["email"])
            EmailAddress.objects.filter(user=user).delete()
            EmailAddress.objects.create(user=user, email=claims.email, verified=True, primary=True)
        if names.normalise(claims.name) != reader.display_name:
            wanted = claims.name
            if display_name_problem(wanted, exclude_reader_id=reader.pk) is None:
                reader_rename(reader=reader, display_name=wanted)
        return user
