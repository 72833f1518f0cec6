"""The rules a new password must meet, in the site's words: Django's own validators (what they
check is unchanged), whose help text allauth lists under the password box and whose error
messages it shows by the box when a password is refused. Django's say "Your password can’t be
entirely numeric."; these speak as the site's pages do, without contractions, and name what a
reader can act on.

Listed in AUTH_PASSWORD_VALIDATORS (broadsheet/settings.py), the length first: the order the
rules are listed and a refused password's problems are said in.
"""

from __future__ import annotations

import copy
import re

from django.contrib.auth import password_validation

# The user name the site makes for an account nobody named (accounts.services
# .user_create_verified: publisher sign-on, the demo reader): random, and never shown to the
# reader, so a password is not held against it.
_GENERATED_USERNAME = re.compile(r"reader-[0-9a-f]{12}")


class MinimumLength(password_validation.MinimumLengthValidator):
    def get_help_text(self) -> str:
        return f"It must be at least {self.min_length} characters long."

    def get_error_message(self) -> str:
        return f"This password is too short: it must be at least {self.min_length} characters long."


class NotLikeTheAccount(password_validation.UserAttributeSimilarityValidator):
    """A reader's account has an email address and a user name made from it (allauth), and
    only staff have first and last names: the message names what a reader knows they gave."""

    def validate(self, password, user=None) -> None:
        generated = user is not None and _GENERATED_USERNAME.fullmatch(
            getattr(user, "username", "") or ""
        )
        if not generated:
            super().validate(password, user)
            return
        # Compared with what the reader gave (their address, a staff member's names), not with
        # a random name they never saw: "too like your email address or your name" would be
        # untrue, and it refused some passwords of digits for that alone.
        rule = copy.copy(self)
        rule.user_attributes = tuple(name for name in self.user_attributes if name != "username")
        super(NotLikeTheAccount, rule).validate(password, user)

    def get_help_text(self) -> str:
        return "It must not be too like your email address or your name."

    def get_error_message(self) -> str:
        return "This password is too like your email address or your name."


class NotCommon(password_validation.CommonPasswordValidator):
    def get_help_text(self) -> str:
        return "It must not be a password many people use."

    def get_error_message(self) -> str:
        return "Many people use this password, so it is easy to guess: choose another."


class NotOnlyNumbers(password_validation.NumericPasswordValidator):
    def get_help_text(self) -> str:
        return "It must not be numbers only."

    def get_error_message(self) -> str:
        return "This password is numbers only: add some letters or other characters."
