"""The comment form: what a reader types, plus the hidden reply target and idempotency key."""

from __future__ import annotations

import uuid

from django import forms
from django.conf import settings
from django.core.validators import ProhibitNullCharactersValidator


class CommentForm(forms.Form):
    body = forms.CharField(
        label="Enter comments here:",
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,  # comment_create explains an empty comment in its own words
        strip=False,
    )
    author_name = forms.CharField(label="Your display name", required=False, strip=False)
    # Checked by comment_create, so a mistyped address comes back with the reader's text.
    author_email = forms.CharField(label="Email (optional)", required=False, max_length=254)
    parent = forms.IntegerField(
        required=False, widget=forms.HiddenInput, min_value=1, max_value=2**63 - 1
    )
    idempotency_key = forms.CharField(required=False, widget=forms.HiddenInput, max_length=64)
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Limits come from settings at request time. The body's limit is only told in the hint:
        # a maxlength would make the browser cut a long paste silently, losing the reader's words,
        # where comment_create says how much to shorten it and the form comes back with it all.
        self.body_max_length = f"{settings.COMMENT_MAX_LENGTH:,}"  # as the refusal writes it
        self.fields["author_name"].widget.attrs.update(
            {"maxlength": settings.DISPLAY_NAME_MAX_LENGTH, "autocomplete": "nickname"}
        )
        # Django's own check refuses a NUL in its own words ("Null characters are not
        # allowed."); comment_create and comment_preview refuse it in the words the edit page and
        # the API use ("Your comment contains a NUL character, ..."), each on its field, so the
        # form leaves it to them.
        for field in self.fields.values():
            field.validators = [
                validator
                for validator in field.validators
                if not isinstance(validator, ProhibitNullCharactersValidator)
            ]
        if not self.is_bound:
            self.initial.setdefault("idempotency_key", uuid.uuid4().hex)
