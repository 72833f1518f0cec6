"""The controls that load more replies, in real Chromium: where focus goes and what is said.

"Show N more replies" and "Show N earlier replies" replace the control that was pressed, so
without care focus would fall back to the top of the page. Focus moves to the first reply that
arrived, and the status region says how many came.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from newsroom.demo.content import RELATED_ARTICLES
from tests.e2e.conftest import manage_shell
from tests.e2e.helpers import moderator_tab

pytestmark = pytest.mark.browser

LONG_THREAD_SLUG = next(spec["slug"] for spec in RELATED_ARTICLES if spec.get("long_thread"))
# Another article, so that the long thread's tests (test_long_thread) do not find its comment.
QUIET_SLUG = next(spec["slug"] for spec in RELATED_ARTICLES if not spec.get("long_thread"))

# A top-level comment with 60 replies straight under it; prints its id.
_SIXTY_REPLIES = """
from discussion.services import comment_create, thread_ensure
from newsroom.models import ArticlePage
thread = thread_ensure(page=ArticlePage.objects.get(slug={slug!r}))
root = comment_create(thread=thread, body="Sixty answers to this one.", author_name="Asker")
for n in range(60):
    comment_create(thread=thread, body=f"Answer {{n}} to the question.",
                   author_name=f"Answerer {{n % 5}}", parent_id=root.pk)
print(root.pk)
"""


def _manage_shell(live_site, script: str, *, slug: str = LONG_THREAD_SLUG) -> str:
    return manage_shell(live_site, script.format(slug=slug))


def _article_path(page: Page) -> str:
    page.goto("/")
    return page.locator(f'.article-card__headline a[href$="/{LONG_THREAD_SLUG}/"]').get_attribute(
        "href"
    )


def test_show_more_replies_moves_focus_to_the_first_new_reply_and_says_how_many(page: Page):
    page.goto(_article_path(page))
    first = page.locator("#comment-list > li.comment").first
    root_id = first.get_attribute("id").removeprefix("c-")
    more = page.locator(f"#replies-more-{root_id} a")
    shown = page.locator(f"#replies-{root_id} > li").count()

    more.click()

    arrived = page.locator(f"#replies-{root_id} > li").nth(shown)
    expect(arrived).to_be_focused()
    expect(page.locator("#discussion-status")).to_have_text("50 more replies shown.")
    assert page.errors == []


def test_show_more_replies_after_posting_a_reply_there_still_moves_focus_to_the_first_new_one(
    page: Page,
):
    # The reply the reader posted sits last in the list until the next replies bring it in its
    # own place; focus used to be lost with it, and fell on the next "Show more replies".
    page.goto(_article_path(page))
    first = page.locator("#comment-list > li.comment").first
    root_id = first.get_attribute("id").removeprefix("c-")
    replies = page.locator(f"#replies-{root_id} > li")
    shown = replies.evaluate_all("items => items.map(item => item.id)")
    answered = replies.first
    answered.locator(".comment__reply").first.click()
    form = answered.locator(".reply-slot form")
    form.locator("textarea").fill("A reply posted before reading on.")
    form.locator("input[name=author_name]").fill("Reader Reading On")
    form.get_by_role("button", name="Post reply").click()
    expect(page.locator("#discussion-status")).to_contain_text("Your reply was")
    mine = page.locator("li.comment--focus").get_attribute("id")

    page.locator(f"#replies-more-{root_id} a").click()

    expect(page.locator("#discussion-status")).to_have_text("50 more replies shown.")
    ids = replies.evaluate_all("items => items.map(item => item.id)")
    arrived = next(item for item in ids if item not in shown and item != mine)
    expect(page.locator(f"#{arrived}")).to_be_focused()
    assert page.errors == []


def _last_more_replies(page: Page) -> tuple[str, object]:
    """A top-level comment whose "Show N more replies" offers fewer than a page: pressing it
    brings the last of its replies, and leaves no control in its place."""
    more = page.locator(".replies__more a", has_text=re.compile(r"^Show [1-9] more repl")).first
    holder = more.evaluate("link => link.closest('.replies__more').id")
    return holder.removeprefix("replies-more-"), more


def test_the_last_show_more_replies_moves_focus_to_the_first_new_reply(page: Page):
    # The answer puts nothing where the control was, and htmx then said nothing the page heard:
    # focus fell to the top of the page.
    page.goto(_article_path(page))
    root_id, more = _last_more_replies(page)
    replies = page.locator(f"#replies-{root_id} > li")
    shown = replies.count()

    more.click()

    expect(page.locator("#discussion-status")).to_contain_text("shown.")
    expect(page.locator(f"#replies-more-{root_id}")).to_have_count(0)
    expect(replies.nth(shown)).to_be_focused()
    assert page.errors == []


def test_a_reply_posted_before_the_last_show_more_replies_is_shown_once(page: Page):
    page.goto(_article_path(page))
    root_id, more = _last_more_replies(page)
    page.locator(f"#c-{root_id} > article .comment__reply").click()
    form = page.locator(f"#reply-slot-{root_id} form")
    form.locator("textarea").fill("A reply posted before reading the last replies.")
    form.locator("input[name=author_name]").fill("Reader Reading To The End")
    form.get_by_role("button", name="Post reply").click()
    expect(page.locator("#discussion-status")).to_contain_text("Your reply was")
    mine = page.locator("li.comment--focus").get_attribute("id")

    more.click()

    expect(page.locator(f"#replies-more-{root_id}")).to_have_count(0)
    expect(page.locator(f"[id='{mine}']")).to_have_count(1)
    assert page.errors == []


def test_a_link_far_down_a_long_argument_offers_the_replies_it_skipped(page: Page, long_argument):
    root_id, last_id = long_argument
    page.goto(f"/c/{last_id}/")
    expect(page.locator(f"#c-{last_id}")).to_be_focused()
    gap = page.locator(f"#replies-gap-{root_id} a")
    expect(gap).to_have_text("Show 57 earlier replies")
    before = page.locator(f"#replies-{root_id} > li").count()

    gap.click()

    expect(page.locator(f"#replies-{root_id} > li").nth(3)).to_be_focused()
    expect(page.locator("#discussion-status")).to_have_text("50 earlier replies shown.")
    # 50 replies came and a control for the other 7 took the pressed one's place.
    expect(page.locator(f"#replies-{root_id} > li")).to_have_count(before + 50)
    expect(page.locator(f"#replies-gap-{root_id} a")).to_have_text("Show 7 earlier replies")
    assert page.errors == []


def test_after_posting_a_reply_each_show_more_replies_says_how_many_new_ones_it_brings(
    browser, live_site
):
    # The reply posted sits at the end of the list, already read; the counts said after it used
    # to include it ("Show 8 more replies", and 7 came, with the reader's own moving down).
    root_id = int(_manage_shell(live_site, _SIXTY_REPLIES, slug=QUIET_SLUG).split()[-1])
    page = moderator_tab(browser, live_site)  # the newsroom's staff: their reply is published
    page.goto(f"/c/{root_id}/")
    page.locator(f"#c-{root_id} > article .comment__reply").click()
    form = page.locator(f"#reply-slot-{root_id} form")
    form.locator("textarea").fill("A reply posted before reading the other answers.")
    form.get_by_role("button", name="Post reply").click()
    expect(page.locator("#discussion-status")).to_have_text("Your reply was posted.")
    mine = page.locator(f"#replies-{root_id} > li.comment--focus").get_attribute("id")
    replies = page.locator(f"#replies-{root_id} > li.comment")
    more = page.locator(f"#replies-more-{root_id} a")
    status = page.locator("#discussion-status")

    said, arrived = [], []
    while more.count():
        said.append(more.inner_text())
        before = set(replies.evaluate_all("items => items.map(item => item.id)"))
        status.evaluate("status => { status.textContent = ''; }")
        more.click()
        expect(status).to_have_text(re.compile(r"^\d+ more replies shown\.$"))
        now = replies.evaluate_all("items => items.map(item => item.id)")
        arrived.append(len(set(now) - before))
        assert status.inner_text() == f"{arrived[-1]} more replies shown."

    assert said == ["Show 57 more replies", "Show 7 more replies"]
    assert arrived == [50, 7]
    expect(page.locator(f"[id='{mine}']")).to_have_count(1)
    expect(replies.last).to_have_id(mine)


# A top-level comment with five replies straight under it, three shown at first; prints its id
# and its replies' ids in reading order.
_FIVE_REPLIES = """
from discussion.services import comment_create, thread_ensure
from newsroom.models import ArticlePage
thread = thread_ensure(page=ArticlePage.objects.get(slug={slug!r}))
root = comment_create(thread=thread, body="Five answers to this one.", author_name="Asker")
replies = [comment_create(thread=thread, body=f"Answer {{n}} to the question.",
                          author_name=f"Answerer {{n}}", parent_id=root.pk) for n in range(5)]
print(root.pk, *(reply.pk for reply in replies))
"""


def test_a_reply_to_an_earlier_reply_takes_its_place_when_the_other_replies_are_shown(
    page: Page, live_site
):
    # The reply went at the end of the list, and "Show 2 more replies" put the other two after
    # it: a reply to the first answer sat between the third and the fourth.
    root_id, *answers = _manage_shell(live_site, _FIVE_REPLIES, slug=QUIET_SLUG).split()[-6:]
    page.goto(f"/c/{root_id}/")
    replies = page.locator(f"#replies-{root_id} > li.comment")
    expect(replies).to_have_count(3)
    first_answer = page.locator(f"#c-{answers[0]}")
    first_answer.locator("> article .comment__reply").click()
    form = page.locator(f"#reply-slot-{answers[0]} form")
    form.locator("textarea").fill("A reply to the first answer, before reading the others.")
    form.locator("input[name=author_name]").fill("Reader Answering Back")
    form.get_by_role("button", name="Post reply").click()
    expect(page.locator("#discussion-status")).to_contain_text("Your reply was")
    mine = page.locator(f"#replies-{root_id} > li.comment--focus").get_attribute("id")
    more = page.locator(f"#replies-more-{root_id} a")
    expect(more).to_have_text("Show 2 more replies")

    more.click()

    expect(page.locator("#discussion-status")).to_have_text("2 more replies shown.")
    expect(page.locator(f"#c-{answers[3]}")).to_be_focused()
    ids = replies.evaluate_all("items => items.map(item => item.id)")
    assert ids == [f"c-{answers[0]}", mine, *(f"c-{answer}" for answer in answers[1:])]
    assert page.errors == []
