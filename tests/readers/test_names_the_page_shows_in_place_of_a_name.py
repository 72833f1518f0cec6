"""The words a thread shows in a name's place ("Deleted account" for an erased member's kept
comments; "Comment deleted", "Comment removed" and "Comment held for review" for shells) are not
names a reader may take: a guest or member under one would pass for an erased reader, or for the
site's own note, with words of their own under it."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from accounts.services import display_name_problem, reader_create
from discussion.models import Comment
from discussion.tests.readers import make_reader
from newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db


def test_a_guest_may_not_post_as_a_deleted_account():
    article = make_article()

    response = Client().post(
        article.url,
        {"body": "I never said that, whatever they claim.", "author_name": "Deleted account"},
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "in place of a name" in page
    assert "I never said that, whatever they claim." in page  # the text is kept to send again
    assert not Comment.objects.exists()


@pytest.mark.parametrize(
    "name", ["Deleted account", "deleted-account", "Comment deleted", "Comment removed"]
)
def test_a_member_may_not_take_a_name_the_page_shows_in_place_of_one(name):
    user = make_reader("Ada").__class__.objects.create_user("someone", "someone@example.com")

    with pytest.raises(ValidationError, match="in place of a name"):
        reader_create(user=user, display_name=name)


@pytest.mark.parametrize("name", ["Deleted", "Account", "Comment"])
def test_a_name_that_only_shares_a_word_with_them_is_kept(name):
    assert display_name_problem(name) is None
