"""Publisher sign-on: verify a host site's HS256 token and find or make the linked reader.

The token is a JWT signed with ``SSO_SHARED_SECRET`` and carries ``sub`` (the publisher's user
id), ``email``, ``name``, ``iat``, ``exp`` and ``jti``. Each ``jti`` is accepted once: it is
stored until the token expires, so a token copied from a log or a browser history is refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import jwt
from django.conf import settings
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import SsoTokenUse

_REQUIRED = ["exp", "iat", "jti", "sub", "email", "name"]
_LEEWAY = timedelta(seconds=30)  # clock skew between the host site and us


class SsoRefused(Exception):
    """The token cannot sign anyone in; ``str()`` is the message shown to the reader."""


@dataclass(frozen=True)
class SsoClaims:
    subject: str
    email: str
    name: str
    jti: str
    expires_at: datetime


def sso_enabled() -> bool:
    return bool(settings.SSO_SHARED_SECRET)


def sso_token_read(token: str) -> SsoClaims:
    """Check signature, shape and times (not yet replay); raise :class:`SsoRefused` if bad."""
    if not sso_enabled():
        raise SsoRefused("Sign-on from the publisher's site is not switched on here.")
    if not token or len(token) > 4096:
        raise SsoRefused("The sign-on link is missing its token, or the token is malformed.")
    try:
        claims = jwt.decode(
            token,
            settings.SSO_SHARED_SECRET,
            algorithms=["HS256"],
            options={"require": _REQUIRED},
            leeway=_LEEWAY,
        )
    except jwt.ExpiredSignatureError as exc:
        raise SsoRefused(
            "This sign-on link has expired. Go back to the publisher's site and try again."
        ) from exc
    except jwt.InvalidSignatureError as exc:
        raise SsoRefused(
            "This sign-on token's signature does not match, so it was not accepted."
        ) from exc
    except jwt.MissingRequiredClaimError as exc:
        raise SsoRefused(f"This sign-on token is missing the {exc.claim!r} claim.") from exc
    except jwt.ImmatureSignatureError as exc:
        raise SsoRefused("This sign-on token was issued in the future; check the clocks.") from exc
    except jwt.InvalidTokenError as exc:
        raise SsoRefused("This sign-on token is malformed, so it was not accepted.") from exc
    for claim in ("sub", "email", "name", "jti"):
        value = claims[claim]
        if not isinstance(value, str | int) or not str(value).strip() or len(str(value)) > 255:
            raise SsoRefused(f"This sign-on token's {claim!r} claim is not valid.")
    try:
        validate_email(claims["email"])
    except Exception as exc:  # noqa: BLE001 - any validation failure reads the same
        raise SsoRefused("This sign-on token's email address is not valid.") from exc
    issued, expires = claims["iat"], claims["exp"]
    if not isinstance(issued, int | float) or not isinstance(expires, int | float):
        raise SsoRefused("This sign-on token's times are malformed.")
    if expires - issued > settings.SSO_MAX_TOKEN_AGE_SECONDS:
        raise SsoRefused(
            "This sign-on token lives too long; the publisher must issue tokens that expire "
            f"within {settings.SSO_MAX_TOKEN_AGE_SECONDS} seconds."
        )
    return SsoClaims(
        subject=str(claims["sub"]),
        email=str(claims["email"]).strip(),
        name=str(claims["name"]),
        jti=str(claims["jti"]),
        expires_at=datetime.fromtimestamp(expires, tz=UTC),
    )


_REPLAYED = (
    "This sign-on token has already been used. Go back to the publisher's site and sign in again."
)


def sso_token_check_unused(claims: SsoClaims) -> None:
    """Refuse a token already spent (before showing the confirmation page)."""
    if SsoTokenUse.objects.filter(jti=claims.jti).exists():
        raise SsoRefused(_REPLAYED)


def sso_token_spend(claims: SsoClaims) -> None:
    """Record the token as used; raise :class:`SsoRefused` if it was used before."""
    now = timezone.now()
    SsoTokenUse.objects.filter(expires_at__lt=now - _LEEWAY).delete()
    try:
        with transaction.atomic():
            SsoTokenUse.objects.create(jti=claims.jti, expires_at=claims.expires_at)
    except IntegrityError as exc:
        raise SsoRefused(_REPLAYED) from exc
