"""A queue filtered to one author counts, on each tab, that author's comments in that queue: what
the tab lists when the moderator follows it (the tabs keep the author filter), not the whole
queue. Appeals, whose tab has no filters, counts every open appeal."""

from __future__ import annotations

import itertools

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext

from discussion.models import Comment
from discussion.tests.factories import make_comment, make_thread
from moderation.actions import ApproveComment, RejectComment
from moderation.models import Appeal, CommentReview, ModerationAction
from moderation.selectors import queue_counts
from moderation.services import report_create

pytestmark = pytest.mark.django_db
PENDING = "/admin/moderation/queue/pending/"
_networks = itertools.count(1)


def _report(comment: Comment) -> None:
    network = f"2001:db8:0:{next(_networks):x}::/64"
    report_create(comment=comment, reporter_key=f"guest:r{comment.pk}", network=network,
                  reason="abuse")  # fmt: skip


@pytest.fixture
def olena(moderator) -> str:
    """Olena's reader key. She has 1 comment held, 2 up unmoderated (1 of them reported), 1
    approved and 1 rejected; Taras, on the same article, has more in every queue."""
    thread = make_thread()
    for name, extra in (("Olena", 0), ("Taras", 2)):
        for n in range(1 + extra):
            make_comment(thread, f"The minister is a moron, {name} says ({n}).", name=name)
        up = [make_comment(thread, f"A fair point from {name} ({n}).", name=name)
              for n in range(4 + extra)]  # fmt: skip
        _report(up[0])
        ApproveComment(comment=up[2], user=moderator).execute()
        RejectComment(comment=up[3], user=moderator, reason_code="spam").execute()
    return CommentReview.objects.filter(comment__author_name="Olena").first().reader_key


def _page(response) -> BeautifulSoup:
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def _tabs(page: BeautifulSoup) -> dict[str, tuple[str, str]]:
    """Each tab's queue: (its link, the count it shows)."""
    return {
        count["data-queue-count"]: (link["href"], count.get_text())
        for link in page.select('nav[aria-label="Queues"] a')
        for count in link.select("[data-queue-count]")
    }


def test_filtered_to_one_author_each_tab_counts_the_comments_it_lists(moderator_client, olena):
    tabs = _tabs(_page(moderator_client.get(PENDING, {"author": olena})))

    listed = {
        queue: str(len(_page(moderator_client.get(link)).select("[data-mod-card]")))
        for queue, (link, _count) in tabs.items()
        if queue != "appeals"
    }
    assert {queue: count for queue, (_link, count) in tabs.items() if queue != "appeals"} == listed
    assert listed == {
        "pending": "1", "reported": "1", "unmoderated": "2", "approved": "1", "rejected": "1"
    }  # fmt: skip


def test_filtered_to_one_author_the_appeals_tab_still_counts_every_open_appeal(
    moderator_client, olena
):
    for entry in ModerationAction.objects.filter(kind="reject"):  # Olena's, and Taras's
        Appeal.objects.create(action=entry, comment=entry.comment, text="It was on topic.")

    tabs = _tabs(_page(moderator_client.get(PENDING, {"author": olena})))

    assert tabs["appeals"] == ("/admin/moderation/queue/appeals/", "2")


def test_one_authors_counts_are_one_grouped_query_and_the_appeals_count(olena):
    with CaptureQueriesContext(connection) as queries:
        counts = queue_counts(reader_key=olena)

    assert len(queries) == 2
    assert counts == {"pending": 1, "reported": 1, "unmoderated": 2, "approved": 1,
                      "rejected": 1, "appeals": 0}  # fmt: skip


@pytest.mark.parametrize(
    "filtered, queries",
    [
        # The session, the moderator and their Wagtail profile; the five queues' capped counts
        # and the open appeals'; the page of cards and what each card shows (its author's
        # history, standing, comments of the last 7 days to reject, moderators' notes about them,
        # and reports); the articles of the filter; and Wagtail's menu (locales and the
        # explorer's pages).
        (False, 19),
        # The same, but one grouped count for the author's five queues instead of five counts,
        # and the author's name on their newest comment, for the filter line (a guest has no
        # earlier names to read).
        (True, 16),
    ],
)
def test_the_queue_page_costs_a_fixed_number_of_queries(
    moderator_client, olena, django_assert_num_queries, filtered, queries
):
    params = {"author": olena} if filtered else {}
    moderator_client.get(PENDING, params)  # the session as a second request reads it

    with django_assert_num_queries(queries):
        moderator_client.get(PENDING, params)


def test_the_counts_a_live_page_reads_again_keep_its_author_filter(moderator_client, olena):
    """What queue_live.js asks for as events arrive: the same counts the filtered page's tabs
    show, not the whole queues'."""
    tabs = _tabs(_page(moderator_client.get(PENDING, {"author": olena})))

    answer = moderator_client.get("/admin/moderation/counts/", {"author": olena})

    assert {key: str(n) for key, n in answer.json()["counts"].items()} == {
        key: shown for key, (_link, shown) in tabs.items()
    }
