"""Replies that come before their parents in the export (a thread written newest first, or a
reply chain in reverse) are imported in batches, as the rest of a file is: each is screened as
it is read, then placed in the transaction that places its parent. One transaction per reply
made an import of such a thread many times slower (each a commit, on SQLite a sync to disk) and
wrote it in as many steps."""

from __future__ import annotations

import io
import math
from itertools import pairwise

import pytest

from discussion.models import Comment
from importers.services import BATCH, file_import
from importers.tests.exports import wordpress, wp_comment, wp_item
from newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db

CHAINS = 5
LENGTH = Comment.MAX_DEPTH  # replies in each chain, under its first comment: as deep as it goes


def _key(chain: int, level: int) -> str:
    return str(chain * 1000 + level + 1)


def test_reply_chains_in_reverse_order_are_saved_whole_a_batch_at_a_time():
    article = make_article()
    comments = [
        wp_comment(
            _key(chain, level),
            f"Chain {chain}, level {level}.",
            parent=_key(chain, level - 1) if level else "0",
        )
        for chain in range(CHAINS)
        for level in reversed(range(LENGTH + 1))  # the deepest reply first, its root last
    ]
    data = wordpress(
        wp_item("41", f"https://old.example.com{article.url}", article.slug, *comments)
    )
    imported_by_each_transaction = []

    report = file_import(
        io.BytesIO(data),
        platform="wordpress",
        size=len(data),
        progress=lambda report, _read: imported_by_each_transaction.append(report.imported),
    )

    total = CHAINS * (LENGTH + 1)
    assert report.imported == total and report.refused == 0 and report.orphans == 0
    saved = {c.body: c for c in Comment.objects.filter(thread__page=article)}
    for chain in range(CHAINS):
        for level in range(LENGTH + 1):
            comment = saved[f"Chain {chain}, level {level}."]
            assert comment.depth == level
            parent = saved[f"Chain {chain}, level {level - 1}."] if level else None
            assert comment.parent_id == (parent.pk if parent else None)
    # Written as a file in parents-first order is: each batch the file is read in, and no more
    # than BATCH comments in any one transaction.
    items = 1 + total  # the post, and its comments
    assert len(imported_by_each_transaction) <= math.ceil(items / BATCH) + math.ceil(
        total / BATCH
    ), imported_by_each_transaction
    counts = [0, *imported_by_each_transaction]
    assert max(after - before for before, after in pairwise(counts)) <= BATCH


def test_a_reply_read_before_its_parent_is_sent_to_akismet_as_a_reply(settings, akismet):
    # Screened as it is read, before its parent is saved (comment_screen's reply_to_unsaved),
    # and kept so: Akismet weighs a reply against the comment it answers, not as a new comment.
    settings.AKISMET_API_KEY = "test-key"
    settings.AKISMET_URL = akismet.url
    article = make_article()
    data = wordpress(
        wp_item(
            "41",
            f"https://old.example.com{article.url}",
            article.slug,
            wp_comment("2", "A reply, read first.", parent="1"),
            wp_comment("1", "The comment it answers."),
        )
    )

    report = file_import(io.BytesIO(data), platform="wordpress", size=len(data))

    assert report.imported == 2
    sent = {form["comment_content"][0]: form["comment_type"] for form in akismet.seen}
    assert sent == {"A reply, read first.": ["reply"], "The comment it answers.": ["comment"]}
    assert len(akismet.seen) == 2  # each screened once, the reply as a reply
