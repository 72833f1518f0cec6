"""What moderators see on a big site, added to the bench's seeded one (``bench.seed``): staff
accounts, members with long histories, a queue of held comments, reported comments, decisions
with their audit entries, appeals, bans and campaigns.

    python -m bench.staff_seed OUT.json

Run with the bench seeder's environment (DATABASE_URL, SECRET_KEY, BROADSHEET_VAR_DIR, unlimited
rate limits), after ``bench.seed small`` and ``large``. A part of each kind goes through the
project's own paths (``comment_create`` held by a suspect-word rule, ``report_create``, the
moderation actions, ``appeal_create``, ``BanReader``), so its rows are exactly what the site
writes; the volume behind it is bulk-inserted in the same shape (what ``HoldComment``,
``RejectComment``, ``ApproveComment`` and ``BanReader`` would have written, actor and all).
"""

from __future__ import annotations

import json
import os
import sys
import time
from datetime import timedelta

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "broadsheet.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Max  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts import names  # noqa: E402
from accounts.models import Reader, ReaderNameChange  # noqa: E402
from discussion.models import Comment, Thread  # noqa: E402
from discussion.services import comment_create  # noqa: E402
from moderation import actions  # noqa: E402
from moderation.models import (  # noqa: E402
    Appeal,
    Campaign,
    CommentReview,
    ModerationAction,
    ReaderStanding,
    Report,
    Rule,
)
from moderation.services import appeal_create, reader_note_add, report_create  # noqa: E402

PASSWORD = "bench-staff-password"  # noqa: S105 - a throwaway database on 127.0.0.1
MEMBERS = int(os.environ.get("STAFF_SEED_MEMBERS", "20000"))
HEAVY_COMMENTS = 5000  # one member's history
PENDING_REAL = int(os.environ.get("STAFF_SEED_PENDING_REAL", "300"))
PENDING_BULK = int(os.environ.get("STAFF_SEED_PENDING_BULK", "3000"))
REPORTED_REAL = 300
REPORTED_BULK = 2000
REJECTED_BULK = 20000
APPROVED_BULK = 30000
BANS_BULK = 2000
CAMPAIGNS_BULK = 1000
T: dict[str, float] = {}


def timed(name):
    def wrap(fn):
        def run(*a, **k):
            t0 = time.perf_counter()
            result = fn(*a, **k)
            T[name] = round(time.perf_counter() - t0, 1)
            print(f"  {name}: {T[name]} s", file=sys.stderr)
            return result

        return run

    return wrap


@timed("staff")
def staff() -> dict:
    User = get_user_model()
    editor = User.objects.filter(username="bench-editor").first() or User.objects.create_superuser(
        "bench-editor", "bench-editor@example.invalid", PASSWORD
    )
    moderator = User.objects.filter(username="bench-moderator").first()
    if moderator is None:
        moderator = User.objects.create_user(
            "bench-moderator", "bench-moderator@example.invalid", PASSWORD, is_staff=True
        )
        moderator.groups.add(Group.objects.get(name="Moderators"))
    return {"editor": editor.pk, "moderator": moderator.pk}


@timed("members")
def members() -> list[int]:
    """MEMBERS accounts with reader profiles, bulk (as reader_create makes each)."""
    User = get_user_model()
    done = list(
        User.objects.filter(username__startswith="member-")
        .order_by("id")
        .values_list("id", flat=True)
    )
    if done:  # a run stopped part-way made them already
        return done
    start = User.objects.aggregate(m=Max("id"))["m"] or 0
    users = User.objects.bulk_create(
        User(
            username=f"member-{start + i}",
            email=f"member-{start + i}@example.invalid",
            password="!",  # noqa: S106 - unusable, as set_unusable_password makes it
            date_joined=timezone.now() - timedelta(days=i % 900),
        )
        for i in range(MEMBERS)
    )
    readers = []
    for user in users:
        name = f"Member {user.pk}"
        readers.append(
            Reader(
                user=user,
                display_name=names.normalise(name),
                name_key=names.name_key(name),
                name_loose=names.name_loose_key(name),
            )
        )
    Reader.objects.bulk_create(readers, batch_size=5000)
    return [u.pk for u in users]


@timed("member comments")
def member_comments(member_ids: list[int]) -> int:
    """Existing archive comments become members': one heavy member with HEAVY_COMMENTS, and
    five each for the rest (comment author and name, review reader key)."""
    heavy = member_ids[0]
    if Comment.objects.filter(author_id=heavy).exists():  # a run stopped part-way
        return heavy
    with connection.cursor() as cur:
        # The heavy member's: spread across the site (every 40th comment).
        cur.execute(
            "SELECT id FROM discussion_comment WHERE id %% 40 = 7 ORDER BY id LIMIT %s",
            [HEAVY_COMMENTS],
        )
        heavy_ids = [r[0] for r in cur.fetchall()]
        cur.execute(
            "UPDATE discussion_comment SET author_id = %s, author_name = %s WHERE id = ANY(%s)",
            [heavy, f"Member {heavy}", heavy_ids],
        )
        cur.execute(
            "UPDATE moderation_commentreview SET reader_key = %s WHERE comment_id = ANY(%s)",
            [f"user:{heavy}", heavy_ids],
        )
        # The others: five comments each, every 40th comment offset 13.
        cur.execute(
            "SELECT id FROM discussion_comment WHERE id %% 40 = 13 ORDER BY id LIMIT %s",
            [5 * (len(member_ids) - 1)],
        )
        ids = [r[0] for r in cur.fetchall()]
        pairs = [(cid, member_ids[1 + i % (len(member_ids) - 1)]) for i, cid in enumerate(ids)]
        cur.execute(
            "UPDATE discussion_comment c SET author_id = v.uid, author_name = 'Member ' || v.uid "
            "FROM unnest(%s::bigint[], %s::int[]) AS v(cid, uid) WHERE c.id = v.cid",
            [[p[0] for p in pairs], [p[1] for p in pairs]],
        )
        cur.execute(
            "UPDATE moderation_commentreview r SET reader_key = 'user:' || v.uid "
            "FROM unnest(%s::bigint[], %s::int[]) AS v(cid, uid) WHERE r.comment_id = v.cid",
            [[p[0] for p in pairs], [p[1] for p in pairs]],
        )
    # The heavy member renamed themselves a few times.
    reader = Reader.objects.get(user_id=heavy)
    ReaderNameChange.objects.bulk_create(
        ReaderNameChange(
            reader=reader,
            old_name=f"Old name {i}",
            new_name=f"Old name {i + 1}",
            chosen_by_reader=True,
        )
        for i in range(20)
    )
    return heavy


@timed("pending (comment_create)")
def pending_real(threads: list[Thread], heavy: int) -> None:
    """Held by a suspect-word rule, through comment_create: the rows the site writes."""
    Rule.objects.get_or_create(
        pattern="benchsuspect", kind=Rule.Kind.SUSPECT, defaults={"is_active": True}
    )
    for i in range(PENDING_REAL):
        thread = threads[i % len(threads)]
        user = heavy if i % 10 == 0 else None
        comment_create(
            thread=thread,
            body=f"A benchsuspect comment number {i} about the story, held for a moderator.",
            author_name=f"Member {heavy}" if user else f"Held guest {i % 97}",
            user_id=user,
            guest_key="" if user else f"heldguest{i % 97}",
            ip_address=f"10.1.{i % 250}.{i % 200 + 1}",
            source="reader",
        )


def _bulk_comments(threads, n: int, *, status: str, state: str, outcome: str, codes, prefix: str):
    """``n`` top-level comments with their reviews (the shape comment_create writes)."""
    now = timezone.now()
    comments = []
    for i in range(n):
        thread = threads[i % len(threads)]
        comments.append(
            Comment(
                thread_id=thread.pk,
                depth=0,
                author_name=f"{prefix} {i % 500}",
                body=f"{prefix} comment {i}: what a reader wrote about this story.",
                html=f"<p>{prefix} comment {i}: what a reader wrote about this story.</p>",
                status=status,
                created_at=now - timedelta(minutes=i),
            )
        )
    with transaction.atomic():
        made = Comment.objects.bulk_create(comments, batch_size=5000)
        Comment.objects.bulk_update(
            [_with_path(c) for c in made], ["path", "root_id"], batch_size=5000
        )
        CommentReview.objects.bulk_create(
            (
                CommentReview(
                    comment=c,
                    thread_id=c.thread_id,
                    state=state,
                    outcome=outcome,
                    reasons=[],
                    codes=list(codes),
                    scores={},
                    reader_key=f"guest:{prefix.lower().replace(' ', '')}{i % 500}",
                    text_hash=f"{i:064x}"[-64:],
                    lookalike_checked=True,
                )
                for i, c in enumerate(made)
            ),
            batch_size=5000,
        )
    return made


def _with_path(comment: Comment) -> Comment:
    comment.path = f"{comment.pk:012d}"
    return comment


@timed("pending (bulk)")
def pending_bulk(threads, actor) -> None:
    made = _bulk_comments(
        threads,
        PENDING_BULK,
        status=Comment.Status.PENDING,
        state=CommentReview.State.PENDING,
        outcome="hold",
        codes=["suspect_word"],
        prefix="Held reader",
    )
    ModerationAction.objects.bulk_create(
        (
            ModerationAction(
                kind=ModerationAction.Kind.HOLD,
                comment=c,
                reader_key=f"guest:heldreader{i % 500}",
                reason_code="suspect_word",
                automated=True,
                evidence={},
            )
            for i, c in enumerate(made)
        ),
        batch_size=5000,
    )


@timed("reports (report_create)")
def reports_real(heavy: int) -> None:
    comments = list(
        Comment.objects.filter(status=Comment.Status.PUBLISHED, depth=0)
        .order_by("-id")
        .values_list("id", flat=True)[:REPORTED_REAL]
    )
    for i, cid in enumerate(comments):
        comment = Comment.objects.get(pk=cid)
        for j in range(1 + i % 2):
            report_create(
                comment=comment,
                reporter_key=f"guest:reporter{i}-{j}",
                network=f"10.2.{i % 250}.{j}",
                reason=Report.Reason.ABUSE if j else Report.Reason.SPAM,
                text="",
            )


@timed("reports (bulk)")
def reports_bulk() -> None:
    """REPORTED_BULK published comments with one to three reports each, and their reviews'
    ``last_report`` and ``report_count`` as report_create sets them."""
    ids = list(
        CommentReview.objects.filter(state=CommentReview.State.UNMODERATED, last_report=None)
        .order_by("comment_id")
        .values_list("comment_id", flat=True)[1000 : 1000 + REPORTED_BULK * 50 : 50]
    )
    reports = []
    for i, cid in enumerate(ids):
        for j in range(1 + i % 3):
            reports.append(
                Report(
                    comment_id=cid,
                    reason=Report.Reason.values[j % 5],
                    reporter_key=f"guest:bulkreporter{i}-{j}",
                    network=f"10.3.{i % 250}.{j}",
                )
            )
    with transaction.atomic():
        Report.objects.bulk_create(reports, batch_size=5000)
        with connection.cursor() as cur:
            cur.execute(
                "UPDATE moderation_commentreview r SET last_report_id = x.last, "
                "report_count = x.n FROM (SELECT comment_id, MAX(id) AS last, COUNT(*) AS n "
                "FROM moderation_report WHERE comment_id = ANY(%s) GROUP BY comment_id) x "
                "WHERE r.comment_id = x.comment_id",
                [ids],
            )


@timed("decisions (bulk)")
def decisions_bulk(moderator_id: int, heavy: int) -> None:
    """REJECTED_BULK rejections and APPROVED_BULK approvals of archive comments, as
    RejectComment and ApproveComment leave them: comment status, review state, audit entry. The
    heavy member's comments get a share, so their record is long."""
    User = get_user_model()
    actor = User.objects.get(pk=moderator_id)
    with connection.cursor() as cur:
        cur.execute(
            "SELECT r.comment_id, r.reader_key FROM moderation_commentreview r "
            "WHERE r.state = 'unmoderated' AND r.last_report_id IS NULL AND r.comment_id %% 7 = 3 "
            "ORDER BY r.comment_id LIMIT %s",
            [REJECTED_BULK + APPROVED_BULK],
        )
        rows = cur.fetchall()
    rejected, approved = rows[:REJECTED_BULK], rows[REJECTED_BULK:]
    now = timezone.now()
    with transaction.atomic():
        Comment.objects.filter(pk__in=[r[0] for r in rejected]).update(
            status=Comment.Status.REJECTED
        )
        CommentReview.objects.filter(comment_id__in=[r[0] for r in rejected]).update(
            state=CommentReview.State.REJECTED
        )
        CommentReview.objects.filter(comment_id__in=[r[0] for r in approved]).update(
            state=CommentReview.State.APPROVED
        )
        reasons = ["abuse", "spam", "off_topic", "personal_information"]
        entries = [
            ModerationAction(
                kind=ModerationAction.Kind.REJECT,
                comment_id=cid,
                reader_key=key,
                reason_code=reasons[i % 4],
                note="",
                automated=False,
                evidence={},
                actor=actor,
            )
            for i, (cid, key) in enumerate(rejected)
        ] + [
            ModerationAction(
                kind=ModerationAction.Kind.APPROVE,
                comment_id=cid,
                reader_key=key,
                automated=False,
                evidence={},
                actor=actor,
            )
            for cid, key in approved
        ]
        made = ModerationAction.objects.bulk_create(entries, batch_size=5000)
        # Spread over the past year, for the transparency report's months.
        with connection.cursor() as cur:
            cur.execute(
                "UPDATE moderation_moderationaction SET created_at = %s - "
                "((id %% 365) * interval '1 day') WHERE id = ANY(%s)",
                [now, [m.pk for m in made]],
            )


@timed("decisions (actions)")
def decisions_real(moderator_id: int, heavy: int) -> None:
    """Some of each through the actions themselves, the heavy member's included."""
    User = get_user_model()
    actor = User.objects.get(pk=moderator_id)
    reviews = list(
        CommentReview.objects.filter(reader_key=f"user:{heavy}", state="unmoderated")
        .select_related("comment")
        .order_by("id")[:300]
    )
    for i, review in enumerate(reviews):
        if i % 3 == 0:
            actions.RejectComment(comment=review.comment, user=actor, reason_code="abuse").execute()
        elif i % 3 == 1:
            actions.HoldComment(comment=review.comment, user=actor).execute()
        else:
            actions.WarnReader(
                comment=review.comment,
                reader_key=review.reader_key,
                user=actor,
                reason_code="off_topic",
            ).execute()
    for i in range(60):
        reader_note_add(reader_key=f"user:{heavy}", text=f"Note {i} about this reader.", user=actor)


@timed("appeals")
def appeals(moderator_id: int) -> None:
    """Open appeals (appeal_create) of rejections, and decided ones in bulk."""
    User = get_user_model()
    actor = User.objects.get(pk=moderator_id)
    rejections = list(
        ModerationAction.objects.filter(
            kind=ModerationAction.Kind.REJECT, appeals__isnull=True, comment__isnull=False
        ).order_by("-id")[:2600]
    )
    # appeal_create checks the window since the decision: the bulk ones' created_at is spread
    # over a year, so the open appeals are made on recent ones only.
    recent = [a for a in rejections if a.created_at > timezone.now() - timedelta(days=10)][:500]
    for action in recent:
        appeal_create(action=action, reader_key=action.reader_key, text="Please look again.")
    rest = [a for a in rejections if a not in recent][:2000]
    Appeal.objects.bulk_create(
        Appeal(
            action=a,
            comment_id=a.comment_id,
            text="Please look again.",
            status=Appeal.Status.DENIED if i % 2 else Appeal.Status.UPHELD,
            decided_by=actor,
            decided_at=timezone.now(),
        )
        for i, a in enumerate(rest)
    )


@timed("bans")
def bans(moderator_id: int) -> None:
    User = get_user_model()
    actor = User.objects.get(pk=moderator_id)
    for i in range(100):
        actions.BanReader(
            reader_key=f"guest:bannedguest{i}",
            user=actor,
            reason_code="spam",
            until=None if i % 2 else timezone.now() + timedelta(days=30),
        ).execute()
    keys = [f"guest:bulkbanned{i}" for i in range(BANS_BULK)]
    ReaderStanding.objects.bulk_create(
        ReaderStanding(reader_key=k, banned=True, banned_until=None) for k in keys
    )
    ModerationAction.objects.bulk_create(
        ModerationAction(
            kind=ModerationAction.Kind.BAN,
            reader_key=k,
            reason_code="abuse",
            automated=False,
            evidence={"until": None},
            actor=actor,
        )
        for k in keys
    )
    # Ban appeals, open.
    for ban in ModerationAction.objects.filter(
        kind=ModerationAction.Kind.BAN, reader_key__startswith="guest:bannedguest"
    )[:40]:
        appeal_create(action=ban, reader_key=ban.reader_key, text="I was not spamming.")


@timed("campaigns")
def campaigns() -> None:
    now = timezone.now()
    made = Campaign.objects.bulk_create(
        Campaign(
            kind=Campaign.Kind.TEXT,
            status=Campaign.Status.OPEN if i < 200 else Campaign.Status.DISMISSED,
            sample=f"Buy the thing number {i}",
            comment_count=5,
            author_count=5,
            thread_count=3,
            first_seen=now - timedelta(hours=i),
            last_seen=now - timedelta(hours=i) + timedelta(minutes=30),
            decided_at=None if i < 200 else now - timedelta(hours=i),
        )
        for i in range(CAMPAIGNS_BULK)
    )
    ids = list(
        CommentReview.objects.filter(state="unmoderated", campaign=None)
        .order_by("-id")
        .values_list("id", flat=True)[: 5 * len(made)]
    )
    with connection.cursor() as cur:
        cur.execute(
            "UPDATE moderation_commentreview r SET campaign_id = v.cid FROM "
            "unnest(%s::bigint[], %s::bigint[]) AS v(rid, cid) WHERE r.id = v.rid",
            [ids, [made[i // 5].pk for i in range(len(ids))]],
        )


def main(out: str) -> None:
    info = staff()
    member_ids = members()
    heavy = member_comments(member_ids)
    threads = list(Thread.objects.filter(page__isnull=False).order_by("id")[:300])
    pending_real(threads, heavy)
    pending_bulk(threads, info["moderator"])
    reports_real(heavy)
    reports_bulk()
    decisions_bulk(info["moderator"], heavy)
    decisions_real(info["moderator"], heavy)
    appeals(info["moderator"])
    bans(info["moderator"])
    campaigns()
    with connection.cursor() as cur:
        for table in (
            "discussion_comment",
            "moderation_commentreview",
            "moderation_moderationaction",
            "moderation_report",
            "moderation_appeal",
            "auth_user",
        ):
            cur.execute(f"VACUUM (ANALYZE) {table}")
    info.update(heavy_member=heavy, heavy_reader_key=f"user:{heavy}", times=T)
    with open(out, "w") as handle:
        json.dump(info, handle, indent=1)


if __name__ == "__main__":
    main(sys.argv[1])
