"""The comment form: what a reader types, plus the hidden reply target and idempotency key."""

from __future__ import annotations

import uuid

from django import forms
from django.conf import settings
from django.core.validators import ProhibitNullCharactersValidator


def _plain_copy(obj):
    """``copy.copy`` of an object that copies as a plain one does (no ``__slots__``, no
    ``__copy__`` or ``__reduce__`` of its own): its class and a copy of its attributes, without
    the look-ups ``copy.copy`` makes first."""
    copied = object.__new__(type(obj))
    copied.__dict__.update(obj.__dict__)
    return copied


class _QuickCopy:
    """A field copied for each form instance as Django copies it (``Field.__deepcopy__`` with
    ``Widget.__deepcopy__``: the field, its widget and the widget's attributes, its error messages
    and its validators), by :func:`_plain_copy`. Every form made copies each of its fields: for
    the six of the comment form, ``copy.copy``'s generic path was half the cost of making the
    form on each comment's POST."""

    def __deepcopy__(self, memo):
        result = _plain_copy(self)
        memo[id(self)] = result
        widget = _plain_copy(self.widget)
        widget.attrs = self.widget.attrs.copy()
        memo[id(self.widget)] = widget
        result.widget = widget
        result.error_messages = self.error_messages.copy()
        result.validators = self.validators[:]
        return result


class _CharField(_QuickCopy, forms.CharField):
    pass


class _IntegerField(_QuickCopy, forms.IntegerField):
    pass


class _BooleanField(_QuickCopy, forms.BooleanField):
    pass


class CommentForm(forms.Form):
    body = _CharField(
        label="Enter comments here:",
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,  # comment_create explains an empty comment in its own words
        strip=False,
    )
    author_name = _CharField(label="Your display name", required=False, strip=False)
    # Checked by comment_create, so a mistyped address comes back with the reader's text.
    author_email = _CharField(label="Email (optional)", required=False, max_length=254)
    parent = _IntegerField(
        required=False, widget=forms.HiddenInput, min_value=1, max_value=2**63 - 1
    )
    idempotency_key = _CharField(required=False, widget=forms.HiddenInput, max_length=64)
    confirm = _BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Limits come from settings at request time. The body's limit is only told in the hint:
        # a maxlength would make the browser cut a long paste silently, losing the reader's words,
        # where comment_create says how much to shorten it and the form comes back with it all.
        self.body_max_length = f"{settings.COMMENT_MAX_LENGTH:,}"  # as the refusal writes it
        self.fields["author_name"].widget.attrs.update(
            {"maxlength": settings.DISPLAY_NAME_MAX_LENGTH, "autocomplete": "nickname"}
        )
        if not self.is_bound:
            self.initial.setdefault("idempotency_key", uuid.uuid4().hex)


# Django's own check refuses a NUL in its own words ("Null characters are not allowed.");
# comment_create and comment_preview refuse it in the words the edit page and the API use ("Your
# comment contains a NUL character, ..."), each on its field, so the form leaves it to them. Taken
# off the class's fields once, so that no form made from them has it.
for _field in CommentForm.base_fields.values():
    _field.validators = [
        validator
        for validator in _field.validators
        if not isinstance(validator, ProhibitNullCharactersValidator)
    ]
del _field
