"""A member's new display name on their comments: every comment they wrote shows the name they
have now, as on peer platforms (Coral, Disqus, Discourse), changed in one UPDATE, with every
cached page and drawn comment of those threads made stale after commit. Moderation's records are
left as they were."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.selectors import reader_for_user
from accounts.services import reader_name_choose
from core import pagecache
from discussion.models import Comment, Thread
from discussion.services import thread_ensure
from discussion.tests.factories import make_comment, make_thread
from discussion.tests.readers import make_reader
from moderation.models import ModerationAction
from newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db


def _rename(user, name: str) -> None:
    reader_name_choose(reader=reader_for_user(user_id=user.pk), display_name=name)


def _authors(article) -> list[str]:
    """The names over the comments, as an anonymous reader sees the article."""
    page = BeautifulSoup(Client().get(article.url).content, "html.parser")
    return [author.get_text(strip=True) for author in page.select("#comment-list .comment__author")]


def test_every_comment_of_the_member_shows_the_new_name_and_no_one_elses_changes():
    ada, grace = make_reader("Ada"), make_reader("Grace")
    first, second = make_thread(), make_thread()
    mine = [
        make_comment(first, "One.", name="Ada", user_id=ada.pk),
        make_comment(second, "Two.", name="Ada", user_id=ada.pk),
    ]
    held = make_comment(first, "Three.", name="Ada", user_id=ada.pk)
    Comment.objects.filter(pk=held.pk).update(status=Comment.Status.PENDING)
    theirs = make_comment(first, "Not hers.", name="Grace", user_id=grace.pk)
    guest = make_comment(first, "A guest.", name="Ada's fan")

    _rename(ada, "Ada Lovelace")

    names = dict(Comment.objects.values_list("pk", "author_name"))
    assert [names[c.pk] for c in [*mine, held]] == ["Ada Lovelace"] * 3
    assert names[theirs.pk] == "Grace" and names[guest.pk] == "Ada's fan"


def test_the_comments_are_renamed_in_one_update(django_capture_on_commit_callbacks):
    ada = make_reader("Ada")
    for _ in range(3):
        thread = make_thread()
        make_comment(thread, "A view.", name="Ada", user_id=ada.pk)
        make_comment(thread, "Another view.", name="Ada", user_id=ada.pk)

    with CaptureQueriesContext(connection) as queries:
        _rename(ada, "Ada Lovelace")

    updates = [q["sql"] for q in queries if q["sql"].startswith('UPDATE "discussion_comment"')]
    assert len(updates) == 1
    assert Comment.objects.filter(author_name="Ada Lovelace").count() == 6


def test_each_thread_gets_a_new_version_and_its_cached_pages_go_stale_after_commit(
    django_capture_on_commit_callbacks,
):
    ada = make_reader("Ada")
    threads = [make_thread(), make_thread()]
    untouched = make_thread()
    for thread in threads:
        make_comment(thread, "A view.", name="Ada", user_id=ada.pk)
    make_comment(untouched, "Someone else's.", name="Grace")
    versions = dict(Thread.objects.values_list("pk", "version"))
    tokens = [pagecache.thread_token(t.pk) for t in threads]
    tokens += [pagecache.page_token(t.page_id) for t in threads]
    others = [pagecache.thread_token(untouched.pk), pagecache.page_token(untouched.page_id)]
    before = pagecache.tokens(tokens + others)

    with django_capture_on_commit_callbacks(execute=False) as after_commit:
        _rename(ada, "Ada Lovelace")
    assert pagecache.tokens(tokens) == {name: before[name] for name in tokens}
    for callback in after_commit:
        callback()

    after = pagecache.tokens(tokens + others)
    assert all(after[name] != before[name] for name in tokens)
    assert all(after[name] == before[name] for name in others)
    now = dict(Thread.objects.values_list("pk", "version"))
    assert [now[t.pk] - versions[t.pk] for t in threads] == [1, 1]
    assert now[untouched.pk] == versions[untouched.pk]


def test_the_article_shows_the_new_name_though_its_comments_were_drawn_before(
    django_capture_on_commit_callbacks,
):
    ada = make_reader("Ada")
    article = make_article()
    thread = thread_ensure(page=article)
    comment = make_comment(thread, "A view worth answering.", name="Ada", user_id=ada.pk)
    make_comment(thread, "An answer.", name="Grace", parent=comment)
    assert _authors(article) == ["Ada", "Grace"]
    assert len(caches["fragments"]._cache) > 0  # the comment's block was drawn and kept

    with django_capture_on_commit_callbacks(execute=True):
        _rename(ada, "Ada Lovelace")

    assert _authors(article) == ["Ada Lovelace", "Grace"]
    page = Client().get(article.url).content.decode()
    assert "Replies to Ada Lovelace" in page and "Replies to Ada<" not in page


def test_moderations_record_is_left_as_it_was():
    ada = make_reader("Ada")
    comment = make_comment(make_thread(), "A view.", name="Ada", user_id=ada.pk)
    ModerationAction.objects.create(
        kind=ModerationAction.Kind.REJECT,
        comment=comment,
        reader_key=f"user:{ada.pk}",
        note="Ada, please keep to the topic.",
    )
    before = list(ModerationAction.objects.values())

    _rename(ada, "Ada Lovelace")

    assert list(ModerationAction.objects.values()) == before


def test_a_name_the_publishers_sign_on_brings_is_shown_on_the_comments_too():
    from accounts.services import reader_rename

    ada = make_reader("Ada")
    comment = make_comment(make_thread(), "A view.", name="Ada", user_id=ada.pk)

    reader_rename(reader=reader_for_user(user_id=ada.pk), display_name="Ada Lovelace")

    assert Comment.objects.get(pk=comment.pk).author_name == "Ada Lovelace"
