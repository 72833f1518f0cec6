"""Word and link rules as an operator edits them in the admin."""

from __future__ import annotations

import time

import pytest

from discussion.errors import CommentRefused
from discussion.models import Comment
from discussion.services import comment_create
from discussion.tests.factories import make_thread
from moderation import rules
from moderation.models import CommentReview, Rule
from moderation.normalise import normalise
from moderation.rules import domain_allowed

pytestmark = pytest.mark.django_db


def test_a_suspect_word_holds_the_comment_and_records_why():
    comment = comment_create(
        thread=make_thread(), body="What a moron the minister is.", author_name="Ann"
    )
    assert comment.status == Comment.Status.PENDING
    review = CommentReview.objects.get(comment=comment)
    assert review.state == CommentReview.State.PENDING
    assert any(code.startswith("suspect_word:") for code in review.codes)
    assert "moron" in " ".join(review.reasons)


def test_a_regex_rule_matches():
    Rule.objects.create(kind=Rule.Kind.BANNED, pattern=r"buy\s+cheap\s+\w+", is_regex=True)
    with pytest.raises(CommentRefused):
        comment_create(thread=make_thread(), body="Buy   cheap watches here", author_name="Spam")


CATASTROPHIC = r"(a|aa)+$"  # exponential backtracking on a run of a's that does not end the text
SLOW_BODY = "a" * 60 + "!"


def test_a_catastrophic_regex_gives_up_within_its_time_limit(settings):
    settings.MODERATION_REGEX_TIMEOUT_MS = 100
    Rule.objects.create(kind=Rule.Kind.BANNED, pattern=CATASTROPHIC, is_regex=True)
    [rule] = [rule for rule in rules.rules_of(Rule.Kind.BANNED) if rule.is_regex]
    normalised = normalise(SLOW_BODY)
    started = time.monotonic()
    match = rules.find(rule, normalised, SLOW_BODY)
    elapsed = time.monotonic() - started
    assert match is not None and match.timed_out
    # At most the clock's cap on a busy machine (the limit in CPU time comes first on a quiet
    # one), plus slack for a 2-core CI machine; unbounded, this pattern runs for hours.
    assert elapsed < 0.1 * rules._WALL_FACTOR + 0.15


class _WaitsForTheCpu:
    """A pattern whose search waits (as a thread the busy machine has not scheduled yet does,
    using no CPU) and then matches."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds

    def search(self, text, timeout=None, concurrent=False):
        time.sleep(self.seconds)
        return text


def test_a_rule_that_waits_for_a_busy_cpu_longer_than_its_limit_is_not_timed_out(settings):
    settings.MODERATION_REGEX_TIMEOUT_MS = 40
    rule = rules.CompiledRule(
        rule_id=1, kind=Rule.Kind.SUSPECT, pattern="x", compiled=_WaitsForTheCpu(0.1), is_regex=True
    )

    match = rules.find(rule, normalise("An ordinary comment."), "An ordinary comment.")

    assert match is not None and not match.timed_out


def test_posting_waits_for_a_search_no_longer_than_the_clocks_cap(settings):
    settings.MODERATION_REGEX_TIMEOUT_MS = 40
    rule = rules.CompiledRule(
        rule_id=1, kind=Rule.Kind.SUSPECT, pattern="x", compiled=_WaitsForTheCpu(1.0), is_regex=True
    )
    started = time.monotonic()

    match = rules.find(rule, normalise("An ordinary comment."), "An ordinary comment.")

    assert match is not None and match.timed_out
    assert time.monotonic() - started < 0.04 * rules._WALL_FACTOR + 0.15


def test_a_comment_that_times_a_rule_out_is_held_for_a_person_not_refused(settings):
    settings.MODERATION_REGEX_TIMEOUT_MS = 50
    Rule.objects.create(kind=Rule.Kind.BANNED, pattern=CATASTROPHIC, is_regex=True)
    comment = comment_create(thread=make_thread(), body=SLOW_BODY, author_name="Ann")
    assert comment.status == Comment.Status.PENDING
    assert any(code.startswith("rule_timeout:") for code in comment.review.codes)


def test_an_invalid_regex_is_ignored_rather_than_breaking_posting():
    Rule.objects.create(kind=Rule.Kind.BANNED, pattern="(unclosed", is_regex=True)
    comment = comment_create(thread=make_thread(), body="Just a comment.", author_name="Ann")
    assert comment.status == Comment.Status.PUBLISHED


def test_a_regex_rule_saved_with_repeats_too_large_to_compile_is_skipped_not_compiled():
    # Saved before the rules editor refused it: every process that screens comments compiles
    # the rules, and this one would be written out in memory 100,000 times in each.
    Rule.objects.create(kind=Rule.Kind.BANNED, pattern="spam{100000}", is_regex=True)

    (rule,) = [rule for rule in rules.rules_of(Rule.Kind.BANNED) if rule.pattern == "spam{100000}"]

    assert rule.compiled is None
    comment = comment_create(thread=make_thread(), body="spam" * 3, author_name="Ann")
    assert comment.status == Comment.Status.PUBLISHED


def test_a_rule_edited_in_the_admin_applies_to_the_next_comment():
    thread = make_thread()
    comment_create(thread=thread, body="A glorp here.", author_name="Ann")
    Rule.objects.create(kind=Rule.Kind.BANNED, pattern="glorp")
    with pytest.raises(CommentRefused):
        comment_create(thread=thread, body="Another glorp here.", author_name="Ann")


@pytest.mark.parametrize(
    ("host", "allowed"),
    [
        ("bbc.co.uk", True),
        ("www.bbc.co.uk", True),
        ("news.bbc.co.uk", True),
        ("BBC.CO.UK", True),
        ("evil-bbc.co.uk", False),
        ("bbc.co.uk.evil.example", False),
        ("notbbc.co.uk", False),
    ],
)
def test_link_allow_list_matches_exactly_or_on_a_dot_boundary(host, allowed):
    assert domain_allowed(host, ["bbc.co.uk"]) is allowed


def test_a_link_to_an_allowed_domain_publishes():
    comment = comment_create(
        thread=make_thread(),
        body="Background: [BBC](https://www.bbc.co.uk/news/world-60506682).",
        author_name="Ann",
    )
    assert comment.status == Comment.Status.PUBLISHED


@pytest.mark.parametrize(
    "body",
    [
        "See https://evil-bbc.co.uk/x",
        "See [BBC](https://bbc.co.uk@evil.example/x)",
        "See www.cheap-pills.example",
        "See ｈｔｔｐｓ://evil.example/",
    ],
)
def test_a_link_to_an_unknown_domain_is_held(body):
    comment = comment_create(thread=make_thread(), body=body, author_name="Ann")
    assert comment.status == Comment.Status.PENDING
    assert "link" in comment.review.codes
