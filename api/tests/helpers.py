"""Articles with threads for the API tests, built through the same services readers use."""

from __future__ import annotations

from discussion.models import Comment, Thread
from discussion.services import thread_ensure
from discussion.tests.factories import make_comment
from newsroom.models import ArticlePage, SectionPage
from newsroom.tests.factories import make_article


def article_with_comments(
    count: int, *, replies_each: int = 0, section: SectionPage | None = None
) -> tuple[ArticlePage, Thread]:
    article = make_article(section=section)
    thread = thread_ensure(page=article)
    for number in range(count):
        comment = make_comment(thread, f"Comment number {number}.", name=f"Reader {number}")
        for reply_number in range(replies_each):
            make_comment(thread, f"Reply {reply_number}.", name="Replier", parent=comment)
    thread.refresh_from_db()
    return article, thread


def top_level_ids(thread: Thread) -> list[int]:
    return list(
        Comment.objects.filter(thread=thread, depth=0).order_by("id").values_list("id", flat=True)
    )
