"""A member deletes their account: an anonymous reader of the article, whose page was cached and
whose comments were drawn while the member's name was on them, sees their comment under "Deleted
account" (or its shell, when DELETED_ACCOUNT_COMMENTS removes it) at once, and the name nowhere."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.test import Client

from discussion.services import thread_ensure
from discussion.tests.factories import make_comment
from discussion.tests.readers import make_reader, reauthenticate
from newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db


def _authors(html: bytes) -> list[str]:
    page = BeautifulSoup(html, "html.parser")
    return [author.get_text(strip=True) for author in page.select("#comment-list .comment__author")]


@pytest.mark.parametrize("mode", ["keep", "remove"])
def test_the_cached_article_drops_the_name_of_a_member_who_deleted_their_account(
    settings, django_capture_on_commit_callbacks, mode
):
    settings.DELETED_ACCOUNT_COMMENTS = mode
    member = make_reader("Ada Quillfeather")
    article = make_article()
    thread = thread_ensure(page=article)
    comment = make_comment(thread, "A view worth answering.", name="Ada Quillfeather",
                           user_id=member.pk)  # fmt: skip
    make_comment(thread, "An answer.", name="Grace", parent=comment)
    anonymous = Client()
    anonymous.get(article.url)
    assert _authors(anonymous.get(article.url).content) == ["Ada Quillfeather", "Grace"]

    own = Client()
    own.force_login(member)
    reauthenticate(own)
    with django_capture_on_commit_callbacks(execute=True):
        own.post("/readers/me/delete/", {"confirm": "yes"})

    html = anonymous.get(article.url).content
    # Kept under "Deleted account", or removed, leaving a shell for the reply to hang from.
    shown = {"keep": "Deleted account", "remove": "Comment deleted"}[mode]
    assert _authors(html) == [shown, "Grace"]
    assert b"Ada Quillfeather" not in html
