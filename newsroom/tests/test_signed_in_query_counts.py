"""What an article and the home page cost a signed-in reader and a staff member, in queries,
pinned: the anonymous reader's article is pinned in test_article_page.py, and these pages are
drawn for each signed-in reader (core.pagecache keeps none of them). Each count says where its
queries go; a query added to any of them fails its test."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from discussion.services import thread_ensure
from discussion.tests.factories import make_comment
from discussion.tests.readers import make_reader
from newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    """An article with a few comments, so that the reader's own reactions and reports on them
    are read, as on any discussed story."""
    article = make_article(title="Talks offer hope")
    thread = thread_ensure(page=article)
    for n in range(3):
        make_comment(thread, f"Comment {n}")
    return article


@pytest.fixture
def signed_in_reader(client):
    client.force_login(make_reader("Ines"))
    return client


@pytest.fixture
def signed_in_editor(client):
    """A member of Wagtail's Editors group, with a reader profile: may use the admin, is no
    superuser, so gets Wagtail's userbar."""
    user = make_reader("Nadia")
    user.groups.add(Group.objects.get(name="Editors"))
    client.force_login(user)
    return client


@pytest.fixture
def signed_in_editor_made_in_the_admin(client, django_user_model):
    """An editor as the admin makes one: an account in the Editors group with no reader
    profile, named in the masthead by its username."""
    user = django_user_model.objects.create_user("omar", "omar@example.com", "pw-1234567890")
    user.groups.add(Group.objects.get(name="Editors"))
    client.force_login(user)
    return client


def _page_queries(client, url: str, django_assert_num_queries, count: int) -> str:
    client.get(url)  # warm the per-site caches and the fragments, as a running server has them
    with django_assert_num_queries(count):
        answer = client.get(url)
    assert answer.status_code == 200
    return answer.content.decode()


# A signed-in reader's page adds to what an anonymous reader's costs: the session, the account,
# and its reader profile (the masthead's name, with whether it may use the admin: no more for
# the userbar); on the article, the reader again for the comment form, and their reactions and
# reports on the comments shown.


def test_a_signed_in_readers_article_costs_twelve_queries(
    signed_in_reader, article, django_assert_num_queries
):
    page = _page_queries(signed_in_reader, article.url, django_assert_num_queries, 12)

    assert "Sign out" in page and "<wagtail-userbar>" not in page


def test_a_signed_in_readers_home_page_costs_eleven_queries(
    signed_in_reader, article, django_assert_num_queries
):
    page = _page_queries(signed_in_reader, "/", django_assert_num_queries, 11)

    assert "Sign out" in page and "<wagtail-userbar>" not in page


# A staff member's adds Wagtail's userbar, drawn by Wagtail's tag: the account's permissions and
# its groups' (ModelBackend), its Wagtail profile (twice), and on the article its groups' page
# permissions, or on the home page the home page itself.


def test_an_editors_article_costs_seventeen_queries(
    signed_in_editor, article, django_assert_num_queries
):
    page = _page_queries(signed_in_editor, article.url, django_assert_num_queries, 17)

    assert "<wagtail-userbar>" in page


def test_an_editors_home_page_costs_seventeen_queries(
    signed_in_editor, article, django_assert_num_queries
):
    page = _page_queries(signed_in_editor, "/", django_assert_num_queries, 17)

    assert "<wagtail-userbar>" in page


# An editor made in the admin, with no reader profile: the masthead's read finds none, so whether
# the account may use the admin is a query of its own; on the article, the comment form also
# looks up the name the account's first comment will take (accounts.services.
# reader_name_for_account).


def test_an_editor_with_no_reader_profiles_article_costs_nineteen_queries(
    signed_in_editor_made_in_the_admin, article, django_assert_num_queries
):
    page = _page_queries(
        signed_in_editor_made_in_the_admin, article.url, django_assert_num_queries, 19
    )

    assert "<wagtail-userbar>" in page


def test_an_editor_with_no_reader_profiles_home_page_costs_eighteen_queries(
    signed_in_editor_made_in_the_admin, article, django_assert_num_queries
):
    page = _page_queries(signed_in_editor_made_in_the_admin, "/", django_assert_num_queries, 18)

    assert "<wagtail-userbar>" in page
