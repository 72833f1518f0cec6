"""The screening steps moderation registers with discussion, in the order they run.

Checks about the text (words, links, scorers) apply to every comment, however it arrives. Checks
about the person and the moment (closed by age, bans, rate limits, first-comment trust,
pre-moderation) apply only to ``source="reader"``, a person posting through the site: the demo
loader and importers bring content that has no reader behind it to rate-limit or trust. An
author's edit (``source="edit"``) is a person too: bans, and the trust step's holds, apply to it.
"""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from functools import lru_cache
from urllib.parse import urlsplit

import regex
from django.conf import settings
from django.utils import timezone
from wagtail.models import Page

from core import ratelimit
from core.db import Read, read_together
from discussion import screening
from discussion.models import Comment
from discussion.screening import Submission, Verdict
from moderation import live_queue, rules, scorers, selectors
from moderation.models import (
    CommentReview,
    ModerationAction,
    ModerationSettings,
    Rule,
)
from moderation.normalise import Normalised, normalise
from moderation.scorers.heuristics import text_hash

_URL = regex.compile(r"(?:https?://|www\.)[^\s<>()\[\]\"']+")


@lru_cache(maxsize=32)
def _normalised(body: str) -> Normalised:
    return normalise(body)


def reader_key(submission: Submission) -> str:
    """Who wrote it: an account, a guest cookie, or (no cookie) a display name at an address."""
    if submission.user_id:
        return f"user:{submission.user_id}"
    if submission.guest_key:
        return f"guest:{submission.guest_key}"
    name = " ".join(submission.author_name.casefold().split())
    return f"name:{name}@{submission.ip_address or ''}"[:160]


def link_hosts(text: str) -> tuple[str, ...]:
    hosts = []
    for match in _URL.finditer(text):
        url = match.group(0)
        if url.startswith("www."):
            url = "http://" + url
        try:
            host = urlsplit(url).hostname or ""
        except ValueError:
            host = "?"
        hosts.append(host)
    return tuple(hosts)


def _reader(submission: Submission) -> bool:
    return submission.source == "reader"


def _edit(submission: Submission) -> bool:
    """A reader's edit of their own comment (discussion.own_comments.comment_edit)."""
    return submission.source == "edit"


# --- steps ---------------------------------------------------------------------------------


def step_normalise(submission: Submission) -> Verdict | None:
    _normalised(submission.body)  # computed once; later steps reuse it
    return None


def _page(submission: Submission) -> Page | None:
    """The page commented on: the one the caller read (the article a reader posted to), else
    read here once per submission."""
    memo = submission.memo
    if "page" not in memo:
        memo["page"] = submission.page or (
            Page.objects.filter(discussion_thread__id=submission.thread_id)
            .only("path", "first_published_at")
            .first()
        )
    return memo["page"]


def _page_settings_for(submission: Submission) -> tuple[str, int, Page | None]:
    """The moderation mode and close-after days in force for a reader's comment (the nearest
    page that says, else the site's settings), and the page. Read with the reader's history."""
    past = history(submission)
    mode = past.mode or settings.MODERATION_MODE
    close_after = past.close_after_days
    if close_after is None:
        close_after = settings.MODERATION_CLOSE_AFTER_DAYS
    return mode, close_after, _page(submission)


def closed_after(close_after: int, page: Page | None) -> str | None:
    """Why ``page`` takes no more comments, ``close_after`` days after it was first published
    (0: it never closes); None while it does."""
    if not (close_after and page is not None and page.first_published_at):
        return None
    try:
        closes_at = page.first_published_at + timedelta(days=close_after)
    except OverflowError:
        # Past the last date Python has (the year 9999): it never closes. A value stored before
        # the settings form refused it must not make the article fail.
        return None
    if timezone.now() > closes_at:
        return f"Comments on this article closed {close_after} days after it was published."
    return None


def step_closed(submission: Submission) -> Verdict | None:
    if not _reader(submission):
        return None
    _mode, close_after, page = _page_settings_for(submission)
    if reason := closed_after(close_after, page):
        return Verdict("reject", (reason,), ("closed",))
    return None


def page_closed(page: Page) -> str | None:
    """discussion's closing check (discussion.closing): the comment form gives way to this
    sentence once the page's discussion has closed by age, as screening would refuse it.

    No query while no page's settings close comments by age and the site's setting does not
    (the rules' snapshot knows: one cache read)."""
    if not settings.MODERATION_CLOSE_AFTER_DAYS and not rules.current().pages_close:
        return None
    close_after = selectors.page_close_after_days(page_path=page.path)
    if close_after is None:
        close_after = settings.MODERATION_CLOSE_AFTER_DAYS
    return closed_after(close_after, page)


def history(submission: Submission) -> selectors.ReaderHistory:
    """The reader's standing and past comments, and for a reader's comment the moderation
    settings of its page, read once per submission in one query (the closed, ban and trust
    steps and the same-text scorer share it): read ahead with the comment's own reads for a
    reader's comment (:func:`read_history`), else here when a step first asks."""
    memo = submission.memo
    if "history" not in memo:
        memo["history"] = read_together([_history_read(submission)], alias=Comment.objects.db)[0]
    return memo["history"]


def _history_read(submission: Submission) -> Read:
    # An edit reads its page's settings too: new words in an old comment are held where a new
    # comment would be (step_trust). While no page has settings of its own (the rules'
    # snapshot knows), the site's are in force everywhere: the page and its ancestors are not
    # looked up (two subqueries fewer for PostgreSQL on every comment).
    page = (
        _page(submission)
        if (_reader(submission) or _edit(submission)) and rules.current().pages_moderated
        else None
    )
    return selectors.reader_history_read(
        reader_key=reader_key(submission),
        text_hash=text_hash(_normalised(submission.body).folded),
        trusted_limit=settings.MODERATION_TRUST_FIRST_COMMENTS,
        page_path=page.path if page is not None else None,
    )


def read_history(submission: Submission) -> Read | None:
    """The history of a reader's comment, to be read with the comment's own reads before it is
    screened (discussion.screening.register_read): every reader's comment needs it (the closed,
    ban and trust steps). Content with no reader behind it (the demo, an import) is left to
    read it only if a step asks."""
    if not _reader(submission) or "history" in submission.memo:
        return None
    read = _history_read(submission)

    def keep(row: tuple) -> None:
        submission.memo["history"] = read.take(row)

    return dataclasses.replace(read, take=keep)


def step_banned(submission: Submission) -> Verdict | None:
    # An edit too: a reader banned since they posted may not put new words in an old comment.
    if not (_reader(submission) or submission.source == "edit"):
        return None
    if not history(submission).banned:
        return None
    # Banned (a rare path): the standing and the ban, for when it ends and why.
    refusal = selectors.ban_refusal(reader_key=reader_key(submission))
    if refusal is None:  # lifted a moment ago
        return None
    return Verdict("reject", (refusal,), ("banned_reader",))


def over_rate(key: str, rate: str) -> bool:
    """Count one hit on ``key`` in a fixed window; True when it is over ``rate`` (count/period)."""
    return over_rates([(key, rate)])


def over_rates(checks: list[tuple[str, str]]) -> bool:
    """Count one hit on each (key, rate) of ``checks`` (core.ratelimit); True when any is over."""
    return ratelimit.over_rates(checks, prefix="moderation-rate")


def rate_limits(submission: Submission) -> list[tuple[str, str, str]]:
    """A reader's comment's rate limits, per reader and per address (none for other content):
    counted by discussion's screening with the caller's own, in one round trip
    (discussion.screening.register_limits)."""
    if not _reader(submission):
        return []
    checks = [
        ("moderation-rate", f"author:{reader_key(submission)}", settings.MODERATION_RATE_PER_READER)
    ]
    if submission.ip_address:
        checks.append(
            ("moderation-rate", f"ip:{submission.ip_address}", settings.MODERATION_RATE_PER_IP)
        )
    return checks


def step_rate_limits(submission: Submission) -> Verdict | None:
    checks = rate_limits(submission)
    # Every counter is counted, so a reader cannot rotate names at one address, or addresses.
    if checks and screening.limits_over(submission, checks):
        # The code of every rate-limit refusal of a comment, whichever limit it was over: the
        # form and the API answer it with a 429 with Retry-After, and say the wait themselves
        # (discussion.screening.retry_after).
        return Verdict(
            "reject",
            ("You are posting faster than this site allows.",),
            ("posting_too_fast",),
        )
    return None


def _rules(submission: Submission) -> rules.Snapshot:
    """The operator's rules and thresholds, read once per submission (one cache read)."""
    memo = submission.memo
    if "rules" not in memo:
        memo["rules"] = rules.current()
    return memo["rules"]


def step_words(submission: Submission) -> Verdict | None:
    text = _normalised(submission.body)
    in_force = _rules(submission)
    held: list[str] = []
    codes: list[str] = []
    for rule in in_force.rules_of(Rule.Kind.BANNED):
        match = rules.find(rule, text, submission.body)
        if match and not match.timed_out:
            return Verdict(
                "reject",
                # The rule's number is for the moderators (it is in the code), not the reader.
                (
                    "Your comment uses a word or phrase this site does not allow. "
                    "Please rephrase it.",
                ),
                (f"banned_word:{rule.rule_id}",),
            )
        if match:
            held.append("A word rule could not be checked in time.")
            codes.append(f"rule_timeout:{rule.rule_id}")
    for rule in in_force.rules_of(Rule.Kind.SUSPECT):
        match = rules.find(rule, text, submission.body)
        if match:
            held.append(
                "A word rule could not be checked in time."
                if match.timed_out
                else _suspect_sentence(rule, match)
            )
            codes.append(f"{'rule_timeout' if match.timed_out else 'suspect_word'}:{rule.rule_id}")
    return Verdict("hold", tuple(held), tuple(codes)) if held else None


def _suspect_sentence(rule: rules.CompiledRule, match: rules.Match) -> str:
    """Why a suspect-word rule held a comment, as its author and the moderator read it, quoting
    a plain rule's own word, and for a regular expression what it matched (at most 60
    characters): never the expression, which reads as gibberish to a reader and would publish
    the operator's rule."""
    found = rule.pattern if not rule.is_regex else " ".join(match.found.split())
    if not found:
        return "It uses a word or phrase a moderator checks first."
    found = found if len(found) <= 60 else found[:59].rstrip() + "…"
    return f"It uses “{found}”, which a moderator checks first."


def step_links(submission: Submission) -> Verdict | None:
    hosts = link_hosts(_normalised(submission.body).folded)
    allowed = [rule.pattern for rule in _rules(submission).rules_of(Rule.Kind.ALLOW_DOMAIN)]
    unknown = sorted({host for host in hosts if not rules.domain_allowed(host, allowed)})
    if unknown:
        return Verdict(
            "hold",
            (f"It links to {', '.join(unknown[:3])}, which a moderator checks first.",),
            ("link",),
        )
    return None


def step_email_domain(submission: Submission) -> Verdict | None:
    """A guest's optional address at a banned domain is refused, as it would be at sign-up."""
    if not submission.author_email:
        return None
    if problem := rules.email_domain_banned(submission.author_email, snapshot=_rules(submission)):
        return Verdict("reject", (problem,), ("banned_email_domain",))
    return None


def step_trust(submission: Submission) -> Verdict | None:
    """Holds on who is writing and where: a reader on pre-moderation, a page (or the site) in
    pre-moderation, a new commenter's first comments (the last two not for the newsroom's staff,
    ``Submission.staff``). An edit is held on the same grounds as a
    new comment would be now, and also when a moderator approved the comment's earlier text:
    otherwise one edit after a moderator's approval would put words before readers that no
    moderator read."""
    if not (_reader(submission) or _edit(submission)):
        return None
    reasons: list[str] = []
    codes: list[str] = []
    if _edit(submission) and selectors.moderator_approved(comment_id=submission.comment_id):
        reasons.append(
            "It was edited after a moderator approved it: the new text waits for a moderator."
        )
        codes.append("edited_after_approval")
    past = history(submission)
    mode, _close, _page = _page_settings_for(submission)
    first_n = settings.MODERATION_TRUST_FIRST_COMMENTS
    if past.premoderate:
        reasons.append("A moderator reads your comments first.")
        codes.append("premoderated_reader")
    elif submission.staff:
        pass  # the newsroom's own staff: neither a new commenter nor held by the page's mode
    elif mode == ModerationSettings.Mode.PRE:
        reasons.append("Comments here are read by a moderator first.")
        codes.append("premoderated_page")
    elif first_n and past.trusted < first_n:
        reasons.append(f"A moderator reads a new commenter's first {first_n} comments.")
        codes.append("new_commenter")
    return Verdict("hold", tuple(reasons), tuple(codes)) if codes else None


def step_scorers(submission: Submission) -> Verdict | None:
    text = _normalised(submission.body)
    ctx = scorers.ScoringContext(
        submission=submission,
        text=text,
        hosts=link_hosts(text.folded),
        reader_key=reader_key(submission),
    )
    overrides = _rules(submission).thresholds
    found: dict[str, float] = {}
    held: list[str] = []
    codes: list[str] = []
    ask: list[str] = []
    for scorer in scorers.registered():
        score = scorer.score(ctx)
        if score is None:
            continue
        found[scorer.name] = round(score, 3)
        override = overrides.get(scorer.name)
        hold_at = override.hold_at if override else scorer.hold_at
        ask_first = override.ask_first if override else scorer.ask_first
        if score >= hold_at:
            if ask_first and _reader(submission) and not submission.confirmed:
                ask.append(scorer.reason)
            held.append(f"Our automatic checks found that it {scorer.reason}.")
            codes.append(f"scorer:{scorer.name}")
    if ask:
        return Verdict(
            "reject",
            (
                f"Before you post: your comment {' and '.join(ask)}. You can change it, or send "
                "it as it is and a moderator will read it before it appears.",
            ),
            ("confirm_needed", *codes),
            found,
        )
    return Verdict("hold" if held else "publish", tuple(held), tuple(codes), found)


STEPS = [
    ("moderation.normalise", step_normalise, 10),
    ("moderation.closed", step_closed, 20),
    ("moderation.banned", step_banned, 30),
    ("moderation.email_domain", step_email_domain, 35),
    ("moderation.rate_limits", step_rate_limits, 40),
    ("moderation.words", step_words, 50),
    ("moderation.links", step_links, 60),
    ("moderation.trust", step_trust, 70),
    ("moderation.scorers", step_scorers, 80),
]


def record_verdict(
    comment: Comment, submission: Submission, verdict: Verdict
) -> list[CommentReview | ModerationAction] | None:
    """The verdict's record, saved with the comment (discussion.screening.register_on_saved): its
    review row, and for a hold the automated action its author's statement of reasons quotes.
    An edit's hold is recorded here, in the edit's transaction."""
    if submission.source == "edit":
        _record_edit_hold(comment, verdict)
        return None
    held = comment.status == Comment.Status.PENDING
    rows: list[CommentReview | ModerationAction] = [
        CommentReview(
            comment=comment,
            thread_id=comment.thread_id,
            state=CommentReview.State.PENDING if held else CommentReview.State.UNMODERATED,
            outcome=verdict.outcome,
            reasons=list(verdict.reasons),
            codes=list(verdict.codes),
            scores=dict(verdict.scores),
            reader_key=reader_key(submission),
            ip_address=submission.ip_address or None,
            text_hash=text_hash(_normalised(submission.body).folded),
            # Campaign detection (moderation.campaigns) looks at what readers post; the demo's
            # and an import's comments have no reader behind them to coordinate.
            lookalike_checked=not _reader(submission),
        )
    ]
    if held:
        hold = ModerationAction(
            kind=ModerationAction.Kind.HOLD,
            comment=comment,
            reader_key=reader_key(submission),
            reason_code=(verdict.codes[0].split(":")[0] if verdict.codes else ""),
            note=" ".join(verdict.reasons),
            automated=True,
            evidence=_hold_evidence(verdict),
        )
        submission.memo[_HOLD] = hold  # announced once saved (announce_hold)
        rows.append(hold)
    return rows


_HOLD = "moderation:hold"  # the submission's memo: the hold record_verdict wrote


def announce_hold(comment: Comment, submission: Submission, verdict: Verdict) -> None:
    """Once a held comment is saved (discussion.screening.register_after_saved), tell the open
    moderation queues when it commits: its hold has its id by then."""
    hold = submission.memo.get(_HOLD)
    if hold is not None and hold.pk is not None:
        live_queue.decision_made(hold, thread_id=comment.thread_id)


def _hold_evidence(verdict: Verdict) -> dict:
    """A hold's evidence: its codes with screening's sentence for each (the author's page quotes
    what a word or link check found from here), and the scores."""
    return {
        "codes": list(verdict.codes),
        "reasons": list(verdict.reasons),
        "scores": dict(verdict.scores),
    }


def _record_edit_hold(comment: Comment, verdict: Verdict) -> None:
    """An edit a check holds: the comment goes to the Pending queue with the edit's reasons, and
    the hold is logged, as for a new comment, so its author can read why. An edit that passes
    changes nothing here: a comment still waiting is read as its author left it."""
    if verdict.outcome != "hold" or comment.status != Comment.Status.PENDING:
        return
    review, _ = CommentReview.objects.get_or_create(
        comment=comment,
        defaults={"thread_id": comment.thread_id, "state": CommentReview.State.PENDING},
    )
    waiting = (CommentReview.State.PENDING, CommentReview.State.REPORTED)
    CommentReview.objects.filter(pk=review.pk).update(
        # Reported and taken down already: it stays in the Reported queue, with its reports.
        state=review.state if review.state in waiting else CommentReview.State.PENDING,
        outcome=verdict.outcome,
        reasons=list(verdict.reasons),
        codes=list(verdict.codes),
        scores=dict(verdict.scores),
        text_hash=text_hash(_normalised(comment.body).folded),
    )
    hold = ModerationAction.objects.create(
        kind=ModerationAction.Kind.HOLD,
        comment=comment,
        reader_key=review.reader_key,
        reason_code=(verdict.codes[0].split(":")[0] if verdict.codes else ""),
        note=" ".join(verdict.reasons),
        automated=True,
        evidence={**_hold_evidence(verdict), "edit": True},
    )
    live_queue.decision_made(hold, thread_id=comment.thread_id)  # after the edit commits
