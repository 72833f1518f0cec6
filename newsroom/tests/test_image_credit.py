"""An image's credit is the name and agency alone: every figure prints "CREDIT:" before it."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from wagtail.models import Collection

from newsroom.tests.factories import make_image

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client):
    client.force_login(
        get_user_model().objects.create_superuser("editor", "e@example.invalid", "x" * 16)
    )
    return client


def _edit(editor, image, *, credit: str):
    return editor.post(
        reverse("wagtailimages:edit", args=[image.pk]),
        {
            "title": image.title,
            "description": image.description,
            "collection": Collection.get_first_root_node().pk,
            "caption": image.caption,
            "credit": credit,
        },
    )


def test_a_credit_typed_with_credit_in_front_is_refused_saying_why(editor):
    """Saved, the caption read "CREDIT: CREDIT: Jane Doe/Reuters" on the page, and its JSON-LD's
    creditText "CREDIT: Jane Doe/Reuters"."""
    image = make_image(credit="Test Maker/Test Agency")

    answer = _edit(editor, image, credit="Credit: Jane Doe/Reuters")

    assert answer.status_code == 200  # the form again, with what was typed
    (problem,) = answer.context["form"].errors["credit"]
    assert problem.startswith("Leave out “Credit:”: each figure puts “CREDIT:” before the credit.")
    image.refresh_from_db()
    assert image.credit == "Test Maker/Test Agency"


def test_a_credit_of_name_and_agency_saves(editor):
    image = make_image(credit="Test Maker/Test Agency")

    _edit(editor, image, credit="Jane Doe/Reuters")

    image.refresh_from_db()
    assert image.credit == "Jane Doe/Reuters"
