"""The thread's htmx fragments cost a fixed number of queries, whatever the thread's size.

"Show more comments" and "Show more replies" are what a reader of a huge thread clicks again and
again; their cost is pinned here for a small and a large thread, for a guest and for a reader who
has recommended something (whose reactions are one more query).
"""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from discussion.models import Comment
from discussion.services import reaction_toggle, thread_ensure
from discussion.tests.factories import make_comment
from discussion.tests.readers import make_reader
from newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
PAGE = 5
REPLY_EMAIL = "discussion.tasks.reply_notification_send"


@pytest.fixture(autouse=True)
def _small_pages(settings):
    settings.COMMENTS_PAGE_SIZE = PAGE
    settings.REPLIES_SHOWN = 2
    settings.REPLIES_PAGE_SIZE = PAGE


@pytest.fixture(params=[12, 150], ids=["12-comments", "150-comments"])
def thread(request):
    article = make_article()
    thread = thread_ensure(page=article)
    roots = [
        make_comment(thread, f"Comment {n}.", name=f"Reader {n}") for n in range(request.param)
    ]
    # Every root of the second page has replies, and the first root a long sub-thread.
    for root in roots[PAGE : 2 * PAGE]:
        make_comment(thread, "A reply.", parent=make_comment(thread, "Reply.", parent=root))
    for n in range(2 * PAGE + request.param // 2):
        make_comment(thread, f"Reply {n}.", parent=roots[0])
    thread.refresh_from_db()
    return thread


def _first_root(thread) -> Comment:
    return Comment.objects.filter(thread=thread, depth=0).order_by("id").first()


def _react_as_guest(client, comment: Comment) -> None:
    """A guest who has recommended a comment carries a guest cookie from then on."""
    response = client.post(reverse("discussion:comment_react", args=[comment.pk]), **HTMX)
    assert response.status_code == 200


@pytest.mark.parametrize("sort", ["oldest", "newest", "reactions", "replies"])
def test_show_more_comments_costs_the_same_queries_however_long_the_thread(
    client, django_assert_num_queries, thread, sort
):
    url = reverse("discussion:comments_more", args=[thread.pk])
    first = client.get(url, {"sort": sort}, **HTMX)
    cursor = BeautifulSoup(first.content, "html.parser").select_one("#comments-more a")
    next_url = cursor["hx-get"]

    # the thread with its page, then top-level comments with their first replies (one query);
    # no reactions query without a reader to ask about
    with django_assert_num_queries(2):
        response = client.get(next_url, **HTMX)

    soup = BeautifulSoup(response.content, "html.parser")
    assert len(soup.select("li.comment:not(.comment--reply)")) == PAGE


def test_show_more_comments_for_a_reader_with_reactions_adds_two_queries(
    client, django_assert_num_queries, thread
):
    _react_as_guest(client, _first_root(thread))
    url = reverse("discussion:comments_more", args=[thread.pk])
    after = Comment.objects.filter(thread=thread, depth=0).order_by("id")[PAGE - 1].pk
    client.get(url, **HTMX)  # Wagtail caches the site list on the first request

    # ... and which of these the reader recommended, and which they reported
    with django_assert_num_queries(4):
        response = client.get(url, {"after": after}, **HTMX)

    assert response.status_code == 200


def test_show_more_replies_costs_the_same_queries_however_many_replies(
    client, django_assert_num_queries, thread
):
    root = _first_root(thread)
    url = reverse("discussion:replies_more", args=[root.pk])
    first = BeautifulSoup(client.get(url, **HTMX).content, "html.parser")
    next_url = first.select_one(f"#replies-more-{root.pk} a")["hx-get"]

    # the root, the thread with its page, a page of replies, the names of their parents, and
    # how many replies are left (for "Show N more replies": a range of the replies index)
    with django_assert_num_queries(5):
        response = client.get(next_url, **HTMX)

    soup = BeautifulSoup(response.content, "html.parser")
    assert len(soup.select("li.comment--reply")) == PAGE


def test_show_more_replies_for_a_reader_with_reactions_adds_two_queries(
    client, django_assert_num_queries, thread
):
    root = _first_root(thread)
    _react_as_guest(client, root)
    url = reverse("discussion:replies_more", args=[root.pk])
    client.get(url, **HTMX)  # Wagtail caches the site list on the first request

    # ... and which of these the reader recommended, and which they reported
    with django_assert_num_queries(7):
        response = client.get(url, **HTMX)

    assert response.status_code == 200


def test_a_reaction_toggle_costs_the_same_however_many_reactions_the_comment_has(
    django_assert_num_queries, thread
):
    root = _first_root(thread)
    for n in range(20):
        reaction_toggle(comment=root, reader_key=f"guest-{n}", user_id=None)

    # savepoint, thread lock, comment lock, delete attempt, whether the reader is banned
    # (moderation's check, discussion.reaction_checks), insert, count, version, read back, release
    with django_assert_num_queries(10):
        state = reaction_toggle(comment=root, reader_key="guest-new", user_id=None)

    assert state.pressed and state.count == 21


def _comment(body: str, **data) -> dict:
    return {"body": body, "author_name": "Olena", "idempotency_key": "", "parent": "", **data}


@pytest.mark.parametrize("reply", [False, True], ids=["top-level", "reply"])
def test_a_guest_comment_posted_to_the_article_costs_a_fixed_number_of_queries(
    client, django_assert_num_queries, thread, reply
):
    url = thread.page.url
    # The guest's first comment brings them their cookie (and Wagtail caches the site list).
    assert client.post(url, _comment("My first comment.", idempotency_key="1")).status_code == 302
    root = _first_root(thread)
    before = Comment.objects.filter(thread=thread).count()

    # Routing the article URL costs nothing: the app process keeps the article it routed for
    # the first comment (newsroom.routing; 2 before: the article with its section and whether a
    # view restriction can apply, then the article's own fields), and its thread with it
    # (discussion.services.thread_for_comment). Then the idempotency key and the guest's name
    # against members' (1; two before); screening (1: the page's moderation settings, the
    # reader's standing and same text again in one query, with their trusted comments when the
    # site holds newcomers' first comments; 3 before; the page is the one routed, the scorer
    # thresholds come with the rules); then the savepoint, the thread counters (which lock the
    # thread), the comment, its number and path, its review row, and the release. A reply reads
    # its parent and bumps its root's count. On PostgreSQL the reads (the key and name, the
    # parent, the id the comment takes, screening's) are one statement, and the counters, the
    # comment whole, its review row and the root's count another (served, outside a test's
    # transaction, there is no savepoint: test_one_statement.py).
    expected = 4 if connection.vendor == "postgresql" else (10 if reply else 8)
    with django_assert_num_queries(expected):
        response = client.post(
            url,
            _comment("And another thought.", idempotency_key="2", parent=root.pk if reply else ""),
        )

    assert response.status_code == 302
    assert Comment.objects.filter(thread=thread).count() == before + 1


def test_a_guests_reply_to_a_member_costs_one_insert_more_for_its_email_task(
    client, django_assert_num_queries, thread
):
    # What a guest's reply costs (test_a_guest_comment_posted_to_the_article_costs_a_fixed_
    # number_of_queries), and the row of the task that emails the member: one insert more on
    # SQLite, in the comment's transaction; none on PostgreSQL, where it is part of the
    # statement that writes the comment (queued after the commit, it was one more there too).
    members = make_comment(thread, "A member's view.", name="Ada", user_id=make_reader("Ada").pk)
    url = thread.page.url
    assert client.post(url, _comment("My first comment.", idempotency_key="1")).status_code == 302

    expected = 4 if connection.vendor == "postgresql" else 11
    with django_assert_num_queries(expected):
        response = client.post(
            url, _comment("And another thought.", idempotency_key="2", parent=members.pk)
        )

    assert response.status_code == 302
    reply = Comment.objects.get(parent=members)
    assert DBTaskResult.objects.get(task_path=REPLY_EMAIL).args_kwargs["kwargs"] == {
        "comment_id": reply.pk
    }


def test_a_members_comment_costs_no_queries_to_learn_whether_they_are_staff(
    client, django_assert_num_queries, thread
):
    # The session, the account, and the member's reader with whether their account may use the
    # admin (one query: accounts.selectors.reader_for_user; has_perm asked two more, their own
    # permissions and their groups', on every comment); then what a guest's comment costs
    # (test_a_guest_comment_posted_to_the_article_costs_a_fixed_number_of_queries).
    client.force_login(make_reader("Ada"))
    url = thread.page.url
    assert client.post(url, _comment("My first comment.", idempotency_key="1")).status_code == 302
    before = Comment.objects.filter(thread=thread).count()

    expected = 7 if connection.vendor == "postgresql" else 11
    with django_assert_num_queries(expected):
        response = client.post(url, _comment("And another thought.", idempotency_key="2"))

    assert response.status_code == 302
    assert Comment.objects.filter(thread=thread).count() == before + 1
