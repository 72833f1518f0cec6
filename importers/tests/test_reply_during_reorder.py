"""A reader's reply to an imported comment at the moment an import's batch puts that comment's
siblings in date order (discussion.services.thread_replies_by_date, which gives the comment
another place, and so another path): the reply goes under the comment where it now is.

It used to take its path from the comment as it read it before the batch committed: the stale
path put the reply under the comment's old place (under another comment, or nowhere), until a
later batch happened to write that part of the thread again."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connections, transaction

from core.tests.processes import database_shared_with_processes
from discussion.models import Comment
from discussion.services import thread_replies_by_date
from discussion.tests.factories import make_comment, make_thread

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

WRITTEN = datetime(2024, 5, 1, 9, 0, tzinfo=UTC)
BATCH_HOLDS = 1.0  # seconds the batch keeps its transaction open after reordering


def test_a_reply_made_while_a_batch_moves_its_parent_goes_under_the_parent_where_it_now_is(
    tmp_path,
):
    with database_shared_with_processes(tmp_path):
        thread = make_thread()
        top = make_comment(thread, "The first comment.", created_at=WRITTEN)
        # Saved in the export's order, newest first: the batch's reordering moves both.
        parent = make_comment(
            thread, "A later reply.", parent=top, created_at=WRITTEN + timedelta(hours=2)
        )
        make_comment(
            thread, "An earlier reply.", parent=top, created_at=WRITTEN + timedelta(hours=1)
        )
        database = connections["default"]
        settings_dict = dict(database.settings_dict)
        reordered = threading.Event()

        def batch() -> None:
            # The import's batch, on its own connection to the same database.
            connections["default"] = type(database)(settings_dict, "default")
            try:
                with transaction.atomic():
                    thread_replies_by_date(thread_id=thread.pk, parent_ids=[top.pk])
                    reordered.set()
                    time.sleep(BATCH_HOLDS)  # the reader's reply comes now
            finally:
                connections["default"].close()

        importing = threading.Thread(target=batch)
        importing.start()
        try:
            assert reordered.wait(10)
            reply = make_comment(thread, "A reader's reply.", parent=parent)
        finally:
            importing.join()

        parent.refresh_from_db()
        reply.refresh_from_db()
        assert parent.path != f"{top.path}/{parent.pk:012d}", "the batch did not move it"
        assert reply.path == f"{parent.path}/{reply.pk:012d}"
        assert list(Comment.objects.filter(path__startswith=f"{parent.path}/")) == [reply]
