"""What a screen reader reads with a box of a refused account form, as a reader tabs to it: the
problem first (the box's aria-describedby, in its order), and the box said to be invalid."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from discussion.tests.readers import make_reader

pytestmark = pytest.mark.django_db

REFUSED_SIGN_IN = "The email address or the password is not correct: check both and try again."


def _box(response, name: str):
    assert response.status_code == 200, response.status_code  # the form again, not a redirect
    soup = BeautifulSoup(response.content, "html.parser")
    return soup, soup.select_one(f"main input[name={name}]")


def _read_with(soup: BeautifulSoup, box) -> list[str]:
    """The text of each element the box is described by, in the order a screen reader reads
    them."""
    return [
        " ".join(soup.find(id=id_).get_text().split())
        for id_ in box.get("aria-describedby", "").split()
    ]


@pytest.mark.parametrize("name", ["login", "password"])
def test_each_box_of_a_refused_sign_in_is_read_with_why_it_was_refused(client, name):
    make_reader("Ada Lovelace", email="ada@example.com")
    response = client.post("/accounts/login/", {"login": "ada@example.com", "password": "not-it"})

    soup, box = _box(response, name)

    assert box.get("aria-invalid") == "true"
    assert _read_with(soup, box)[:1] == [REFUSED_SIGN_IN]


def test_a_refused_new_password_is_read_with_its_error_before_the_rules(client):
    response = client.post(
        "/accounts/signup/",
        {
            "email": "ada@example.com",
            "display_name": "Ada",
            "password1": "40917263548",
            "password2": "40917263548",
        },
    )

    soup, box = _box(response, "password1")

    read = _read_with(soup, box)
    assert read[0] == "This password is numbers only: add some letters or other characters."
    assert read[1].startswith("It must be at least 8 characters long.")
