"""What the moderators' open queues hear while they work: a comment entering a queue, and a
decision on a comment, each the moment its change commits.

The events go out on one feed of ``discussion.live`` (``FEED``), the machinery a thread's readers
hear new comments by: in-process, or across app processes through Redis, resumed after a
dropped connection from ``Last-Event-ID``. Only a moderator's admin session may open it
(``admin_views.queue_events``, checked by ``discussion.live.LiveEvents`` when the stream opens).

Every event names the queue the comment is in now (``selectors.QUEUES``) and ids only, never a
reader's words: a browser keeps what it is sent. The page (``queue_live.js``) counts the
comments new to the queue it shows into an "N new in this queue — show" button and marks a card
it shows as decided since, which the decision itself refuses (``actions.DecidedSince``).
An event does not say which queue a comment left, so the page's tab counts are read again
(``admin_views.tab_counts``) as events arrive, not carried in them.

- ``decided``: a decision on a comment (``{"comment", "thread", "queue", "action"}``): a hold by
  screening (on posting or on an edit), by a campaign or after reader reports, or a moderator's
  decision; ``action`` is its audit entry, whose words a card shown before it asks for
  (``admin_views.decision_said``);
- ``reported``: a reader reported a comment (``{"comment", "thread", "queue": "reported",
  "report"}``);
- ``appealed``: its author appealed a rejection (``{"comment", "queue": "appeals", "appeal"}``;
  the Appeals queue has no article filter);
- ``entered``: comments that entered a queue together (``{"queue", "comments": [[comment,
  thread], ...]}``): an import's batch, whose holds are told in one event when it commits
  (:func:`decisions_gathered`), not one each. An import of 20,000 held comments sent 20,000
  events, which pushed every other decision out of the feed's log (``LIVE_EVENTS_KEEP``) and
  left an open queue far behind (``live.QUEUE_LIMIT``); one a batch names at most a batch's
  comments.

A comment published with no hold enters the Unmoderated queue unannounced: posting pays nothing
for this, and that queue is read afterwards, not watched.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from discussion import live
from moderation.models import Appeal, CommentReview, ModerationAction, Report

FEED = "moderation"

Kind = ModerationAction.Kind
State = CommentReview.State

# The queue a decision leaves a comment in (a hold says its own: Pending, or Reported when reader
# reports took the comment down).
_QUEUE_AFTER = {
    Kind.HOLD: State.PENDING,
    Kind.APPROVE: State.APPROVED,
    Kind.FEATURE: State.APPROVED,
    Kind.REJECT: State.REJECTED,
    Kind.APPEAL_UPHELD: State.APPROVED,
    Kind.APPEAL_DENIED: State.REJECTED,
}


# The decisions gathered by decisions_gathered() open now, by queue: [comment, thread] pairs.
_gathered: ContextVar[dict[str, list[list[int]]] | None] = ContextVar(
    "moderation_live_queue_gathered", default=None
)


@contextmanager
def decisions_gathered() -> Iterator[None]:
    """Inside a transaction, for a writer that decides many comments in it (an import's batch):
    the decisions made within are told to the open queues as one ``entered`` event per queue,
    after the transaction commits, rather than a ``decided`` event each. Nothing is told if the
    block raises, or the transaction rolls back."""
    outer = _gathered.get()
    gathered: dict[str, list[list[int]]] = defaultdict(list)
    token = _gathered.set(gathered)
    try:
        yield
    finally:
        _gathered.reset(token)
    for queue, comments in gathered.items():
        if outer is not None:  # inside another gathering: told with its comments
            outer[queue].extend(comments)
        else:
            live.feed_touched(FEED, kind="entered", data={"queue": queue, "comments": comments})


def decision_made(entry: ModerationAction, *, thread_id: int, queue: str = "") -> None:
    """After commit: the decision ``entry`` (an audit entry on a comment) to every open queue.
    Anything else the audit log keeps (a warning, a ban) decides nothing about a comment."""
    if entry.comment_id is None or entry.kind not in _QUEUE_AFTER:
        return
    if (gathered := _gathered.get()) is not None:
        gathered[queue or _QUEUE_AFTER[entry.kind]].append([entry.comment_id, thread_id])
        return
    live.feed_touched(
        FEED,
        kind="decided",
        data={
            "comment": entry.comment_id,
            "thread": thread_id,
            "queue": queue or _QUEUE_AFTER[entry.kind],
            "action": entry.pk,
        },
    )


def report_sent(report: Report, *, thread_id: int) -> None:
    """After commit: a reader's report, which puts its comment in the Reported queue."""
    live.feed_touched(
        FEED,
        kind="reported",
        data={
            "comment": report.comment_id,
            "thread": thread_id,
            "queue": State.REPORTED,
            "report": report.pk,
        },
    )


def appeal_sent(appeal: Appeal) -> None:
    """After commit: an author's appeal, which enters the Appeals queue."""
    live.feed_touched(
        FEED,
        kind="appealed",
        data={"comment": appeal.comment_id, "queue": "appeals", "appeal": appeal.pk},
    )
