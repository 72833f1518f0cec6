"""Test data built through the same services readers use."""

from __future__ import annotations

import itertools

from wagtail.models import Page

from discussion.models import Comment, Thread
from discussion.services import comment_create, thread_ensure

_counter = itertools.count(1)


def make_thread(*, title: str = "A story", closed: bool = False) -> Thread:
    root = Page.get_first_root_node()
    page = root.add_child(instance=Page(title=title, slug=f"story-{next(_counter)}"))
    thread = thread_ensure(page=page)
    if closed:
        Thread.objects.filter(pk=thread.pk).update(is_closed=True)
        thread.refresh_from_db()
    return thread


def make_comment(
    thread: Thread,
    body: str = "A fair point.",
    *,
    name: str = "Reader",
    parent: Comment | None = None,
    **kwargs,
) -> Comment:
    return comment_create(
        thread=thread,
        body=body,
        author_name=name,
        parent_id=parent.pk if parent else None,
        **kwargs,
    )
