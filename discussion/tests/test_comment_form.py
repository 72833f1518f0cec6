"""The comment form's fields are each form's own, copied quickly (discussion.forms._QuickCopy)."""

from __future__ import annotations

import copy

from django.core.validators import ProhibitNullCharactersValidator
from django.forms import Field

from discussion.forms import CommentForm


def test_each_form_has_its_own_fields_widgets_and_lists():
    first, second = CommentForm(), CommentForm({"body": "x"})
    for name in CommentForm.base_fields:
        mine, theirs, kept = first.fields[name], second.fields[name], CommentForm.base_fields[name]
        assert mine is not theirs and mine is not kept
        assert mine.widget is not theirs.widget and mine.widget is not kept.widget
        assert mine.widget.attrs is not kept.widget.attrs
        assert mine.validators is not kept.validators
        assert mine.error_messages is not kept.error_messages
    first.fields["author_name"].widget.attrs["data-x"] = "1"
    first.fields["body"].validators.append(lambda value: None)
    assert "data-x" not in second.fields["author_name"].widget.attrs
    assert "data-x" not in CommentForm.base_fields["author_name"].widget.attrs
    assert len(second.fields["body"].validators) == len(CommentForm.base_fields["body"].validators)


def test_a_field_copies_as_djangos_own_copy_would():
    for name, field in CommentForm.base_fields.items():
        ours = copy.deepcopy(field)
        django_copy = Field.__deepcopy__(field, {})
        assert type(ours) is type(django_copy), name
        assert type(ours.widget) is type(django_copy.widget), name
        assert vars(ours).keys() == vars(django_copy).keys(), name
        assert vars(ours.widget) == vars(django_copy.widget), name
        assert ours.validators == django_copy.validators, name


def test_no_field_refuses_a_nul_in_djangos_words():
    for field in CommentForm().fields.values():
        assert not any(isinstance(v, ProhibitNullCharactersValidator) for v in field.validators)
