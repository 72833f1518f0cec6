"""The live "N new comments — show" answer says where each new reply goes in reading order (the
reply that follows it, ``data-before``), in a fixed number of queries however many come."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from discussion.services import thread_ensure
from discussion.tests.factories import make_comment
from newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db


def _new(client, thread, comments) -> tuple[dict[str, str | None], int]:
    ids = ",".join(str(comment.pk) for comment in comments)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/discussion/threads/{thread.pk}/comments/new/?ids={ids}")
    assert response.status_code == 200
    places = {}
    for tag in re.findall(r'<li class="comment[^>]*>', response.content.decode()):
        comment_id = re.search(r'id="(c-\d+)"', tag).group(1)
        before = re.search(r'data-before="(c-\d+)"', tag)
        places[comment_id] = before.group(1) if before else None
    return places, len(queries)


def test_each_new_reply_names_the_reply_it_goes_before_in_a_fixed_number_of_queries(client):
    thread = thread_ensure(page=make_article())
    root = make_comment(thread, "The first comment.")
    first, second, third = (
        make_comment(thread, f"Reply {n}.", parent=root) for n in ("one", "two", "three")
    )
    to_first = make_comment(thread, "An answer to the first reply.", parent=first)
    to_second = make_comment(thread, "An answer to the second reply.", parent=second)
    to_root = make_comment(thread, "A late reply to the comment itself.", parent=root)

    _new(client, thread, [to_root])  # what a first request reads once (the site's routes)
    places, many = _new(client, thread, [to_first, to_second, to_root])
    _one_place, one = _new(client, thread, [to_first])

    assert places == {
        f"c-{to_first.pk}": f"c-{second.pk}",
        f"c-{to_second.pk}": f"c-{third.pk}",
        f"c-{to_root.pk}": None,  # last in reading order: it goes at the end
    }
    assert many == one
