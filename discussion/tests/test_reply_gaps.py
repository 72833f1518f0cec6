"""A link to a reply far down a long sub-thread shows the root's first replies and the ones just
before the linked reply; the replies between are not lost: "Show N earlier replies" stands where
they were left out, loads them in place with htmx, and is a plain link to them without it."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from discussion import selectors
from discussion.models import Comment, Thread
from discussion.services import thread_ensure
from discussion.tests.factories import make_comment
from newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def _bulk_replies(
    root: Comment, count: int, *, status: str = Comment.Status.PUBLISHED
) -> list[Comment]:
    """``count`` direct replies to ``root``, oldest first, stored as ``comment_create`` would.

    Written in two statements: through the service (twenty-odd queries each) a test with the
    site's real page sizes would spend most of a minute building its sub-thread.
    """
    now = timezone.now()
    made = Comment.objects.bulk_create(
        Comment(
            thread_id=root.thread_id,
            parent=root,
            root=root,
            depth=1,
            author_name=f"Replier {n}",
            body=f"Reply {n}.",
            html=f"<p>Reply {n}.</p>",
            status=status,
            created_at=now,
        )
        for n in range(count)
    )
    for reply in made:
        reply.path = f"{root.path}/{reply.pk:0{Comment.PATH_STEP}d}"
    Comment.objects.bulk_update(made, ["path"], batch_size=500)
    if status == Comment.Status.PUBLISHED:
        Comment.objects.filter(pk=root.pk).update(reply_count=F("reply_count") + count)
        Thread.objects.filter(pk=root.thread_id).update(
            comment_count=F("comment_count") + count, version=F("version") + 1
        )
    return made


def _sub_thread(count: int):
    """An article whose one comment has ``count`` replies, and those replies in reading order."""
    article = make_article()
    root = make_comment(thread_ensure(page=article), "The argument of the day.")
    return article, root, _bulk_replies(root, count)


def _soup(response) -> BeautifulSoup:
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def _ids(items) -> list[str]:
    return [li["id"] for li in items]


def _c(replies: list[Comment]) -> list[str]:
    return [f"c-{reply.pk}" for reply in replies]


def _gap(soup: BeautifulSoup, root: Comment):
    return soup.select_one(f"#replies-gap-{root.pk} a")


def _linked_page(client, article, reply: Comment) -> BeautifulSoup:
    return _soup(client.get(article.url, {"c": reply.pk}))


@pytest.fixture
def small(settings, monkeypatch):
    """Three replies first, a block of twenty up to a linked one, pages of ten."""
    settings.REPLIES_SHOWN = 3
    settings.REPLIES_PAGE_SIZE = 10
    monkeypatch.setattr(selectors, "THROUGH_SHOWN", 20)


def test_a_linked_reply_far_down_shows_how_many_replies_were_left_out_where_they_were(
    client, small
):
    # 3 first replies, then 30 the page leaves out, then the 20 up to the linked reply
    article, root, replies = _sub_thread(53)

    soup = _linked_page(client, article, replies[-1])

    items = soup.select(f"#replies-{root.pk} > li")
    assert _ids(items) == [*_c(replies[:3]), f"replies-gap-{root.pk}", *_c(replies[33:])]
    gap = _gap(soup, root)
    assert gap.get_text() == "Show 30 earlier replies"
    expected = (
        f"{reverse('discussion:replies_more', args=[root.pk])}"
        f"?after={replies[2].path}&before={replies[33].path}"
    )
    assert gap["href"] == gap["hx-get"] == expected
    assert gap["hx-target"] == f"#replies-gap-{root.pk}" and gap["hx-swap"] == "outerHTML"
    assert "button" in gap["class"]


@pytest.mark.parametrize(("linked", "gap"), [(5, None), (22, None), (23, 1), (24, 2)])
def test_only_a_link_whose_block_stops_short_of_the_first_replies_leaves_a_gap(
    client, small, linked, gap
):
    """The 23rd reply's block of 20 starts right after the first three: nothing is skipped."""
    article, root, replies = _sub_thread(30)

    soup = _linked_page(client, article, replies[linked])

    items = soup.select(f"#replies-{root.pk} > li.comment")
    if gap is None:
        assert _gap(soup, root) is None
        assert _ids(items) == _c(replies[: linked + 1])
    else:
        assert _gap(soup, root).get_text() == f"Show {gap} earlier repl{'y' if gap == 1 else 'ies'}"
        assert _ids(items) == _c(replies[:3] + replies[3 + gap : linked + 1])


def test_show_more_replies_after_a_linked_reply_does_not_count_the_gap(client, small):
    article, root, replies = _sub_thread(60)

    soup = _linked_page(client, article, replies[40])  # 3 first, 18 left out, 20 shown, 19 after

    assert _gap(soup, root).get_text() == "Show 18 earlier replies"
    assert soup.select_one(f"#replies-more-{root.pk} a").get_text() == "Show 19 more replies"


def test_without_javascript_the_control_leads_page_by_page_through_the_left_out_replies(
    client, small
):
    article, root, replies = _sub_thread(53)
    link = _gap(_linked_page(client, article, replies[-1]), root)

    pages = []
    while link is not None:
        soup = _soup(client.get(link["href"]))
        pages.append(_ids(soup.select(f"#replies-{root.pk} > li.comment")))
        link = _gap(soup, root)
        assert soup.select_one(f"#replies-more-{root.pk}") is None  # the gap ends at the link

    assert pages == [_c(replies[3:13]), _c(replies[13:23]), _c(replies[23:33])]


def test_with_htmx_each_step_brings_the_next_replies_of_the_gap_and_a_control_while_some_remain(
    client, small
):
    article, root, replies = _sub_thread(53)
    control = _gap(_linked_page(client, article, replies[-1]), root)

    steps = []
    while control is not None:
        soup = _soup(client.get(control["hx-get"], **HTMX))
        # list items to put in place of the control: replies in reading order, then the next
        # control while the gap has more
        items = soup.find_all("li", recursive=False)
        control = _gap(soup, root)
        steps.append((_ids(items), soup.select_one("#discussion-status").get_text()))
        if control is not None:
            assert items[-1]["id"] == f"replies-gap-{root.pk}"

    gap_control = f"replies-gap-{root.pk}"
    assert steps == [
        ([*_c(replies[3:13]), gap_control], "10 earlier replies shown."),
        ([*_c(replies[13:23]), gap_control], "10 earlier replies shown."),
        (_c(replies[23:33]), "10 earlier replies shown."),
    ]


def test_the_gap_counts_and_shows_only_replies_the_reader_may_see(client, small):
    article, root, replies = _sub_thread(53)
    held = replies[10]
    Comment.objects.filter(pk=held.pk).update(status=Comment.Status.PENDING)
    deleted = replies[11]
    Comment.objects.filter(pk=deleted.pk).update(status=Comment.Status.DELETED)

    soup = _linked_page(client, article, replies[-1])
    step = _soup(client.get(_gap(soup, root)["hx-get"], **HTMX))

    assert _gap(soup, root).get_text() == "Show 29 earlier replies"  # the deleted one stays
    assert step.select_one(f"#c-{held.pk}") is None
    assert step.select_one(f"#c-{deleted.pk}") is not None


@pytest.mark.parametrize(
    "before",
    [
        "garbage",
        "' OR 1=1 --",
        "000000000001/x",
        "<script>alert(1)</script>",
        "9" * 5000,
        "١٢٣",  # digits, but not ASCII ones
    ],
)
def test_a_malformed_before_is_ignored(client, small, before):
    article, root, replies = _sub_thread(15)
    url = reverse("discussion:replies_more", args=[root.pk])

    fragment = _soup(client.get(url, {"after": replies[2].path, "before": before}, **HTMX))
    page = _soup(client.get(url, {"after": replies[2].path, "before": before}))

    # read as a plain "more replies" step: the next page after the cursor, unbounded
    assert _ids(fragment.select("li.comment")) == _c(replies[3:13])
    assert fragment.select_one(f"#replies-more-{root.pk}") is not None
    assert _ids(page.select(f"#replies-{root.pk} > li.comment")) == _c(replies[3:13])


def test_the_gap_costs_the_linked_page_one_query_to_count_it(client, small):
    article, root, replies = _sub_thread(53)
    client.get(article.url)  # Wagtail caches the site list on the first request

    with CaptureQueriesContext(connection) as adjacent:
        assert _gap(_linked_page(client, article, replies[22]), root) is None
    with CaptureQueriesContext(connection) as far:
        assert _gap(_linked_page(client, article, replies[-1]), root) is not None

    assert len(far) == len(adjacent) + 1


def test_a_cursor_deep_in_a_long_chain_of_replies_is_kept(client, settings):
    """A reply 20 levels down has a path longer than 255 characters; the next page follows it."""
    settings.REPLIES_SHOWN = 3
    settings.REPLIES_PAGE_SIZE = 20
    article = make_article()
    thread = thread_ensure(page=article)
    parent = root = make_comment(thread, "Start.")
    chain = []
    for n in range(25):
        parent = make_comment(thread, f"Level {n + 1}.", parent=parent)
        chain.append(parent)
    url = reverse("discussion:replies_more", args=[root.pk])
    first = _soup(client.get(url, {"after": chain[2].path}, **HTMX))

    cursor = first.select_one(f"#replies-more-{root.pk} a")["hx-get"]
    second = _soup(client.get(cursor, **HTMX))

    assert len(chain[22].path) > 255
    assert _ids(second.select("li.comment")) == _c(chain[23:])


def test_with_the_sites_page_sizes_a_reply_600_down_offers_its_left_out_replies(client, settings):
    settings.REPLIES_SHOWN = 3
    settings.REPLIES_PAGE_SIZE = 50
    # 3 first, 60 left out, THROUGH_SHOWN up to the link, then 20 more
    article, root, replies = _sub_thread(3 + 60 + selectors.THROUGH_SHOWN + 20)
    linked = replies[3 + 60 + selectors.THROUGH_SHOWN - 1]

    soup = _linked_page(client, article, linked)
    control = _gap(soup, root)
    first = _soup(client.get(control["hx-get"], **HTMX))
    second = _soup(client.get(_gap(first, root)["hx-get"], **HTMX))

    assert control.get_text() == "Show 60 earlier replies"
    assert len(soup.select(f"#replies-{root.pk} > li.comment")) == 3 + selectors.THROUGH_SHOWN
    assert soup.select_one(f"#replies-more-{root.pk} a").get_text() == "Show 20 more replies"
    assert _ids(first.select("li.comment")) == _c(replies[3:53])
    assert _ids(second.select("li.comment")) == _c(replies[53:63])
    assert _gap(second, root) is None
