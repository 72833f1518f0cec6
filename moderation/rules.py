"""The operator's rules, read once per change: word and domain rules, matched with a time limit,
and the scorer thresholds that override a scorer's default.

Plain words and phrases are normalised the same way as the text (moderation.normalise) and
matched on word boundaries, with an optional plural "s". Regular expressions run through the
``regex`` package with ``timeout=``: a pattern that backtracks catastrophically gives up after
``MODERATION_REGEX_TIMEOUT_MS`` and the comment is held for a person instead of hanging posting.

The limit is CPU time, the time the search itself ran, not time on the clock. On a busy server
(a breaking story, exactly when moderation matters most) a harmless rule can wait its turn for
the CPU for longer than the limit: counted by the clock, it "timed out" and an ordinary comment
was held (seen in CI: the demo's reply to such a held comment then failed to load). So the search
runs on a worker thread (``concurrent=True`` releases the GIL), and posting waits until the
search has used up the limit in CPU time, or until ``_WALL_FACTOR`` times the limit has passed
on the clock, whichever is first. A search still running then is abandoned, and stops itself
through ``regex``'s own timeout, set to that same wall-clock cap.
"""

from __future__ import annotations

import logging
import secrets
import threading
import time
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import regex
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Q

from core import pagecache
from moderation.models import (
    RULE_REGEX_FLAGS,
    ModerationSettings,
    Rule,
    ScorerThreshold,
)
from moderation.normalise import Normalised, normalise, squeeze
from moderation.repeats import regex_repeats_too_much

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class CompiledRule:
    rule_id: int
    kind: str
    pattern: str
    # None: a regex that does not compile (never matches; saved before Rule.clean refused it)
    compiled: regex.Pattern | None
    is_regex: bool
    literals: tuple[str, ...] = ()  # a plain rule's normalised forms, for spelled-out runs


@dataclass(frozen=True)
class Match:
    rule: CompiledRule
    timed_out: bool = False
    # What a regular expression found (of the form it searched): the words to quote to the
    # author, where a plain rule's own word is quoted.
    found: str = ""


@dataclass(frozen=True)
class Threshold:
    """An operator's threshold for one scorer, in place of the one it registered with."""

    hold_at: float
    ask_first: bool


@dataclass(frozen=True)
class Snapshot:
    """The rules and scorer thresholds in force, as of one version of them."""

    rules: tuple[CompiledRule, ...]
    thresholds: Mapping[str, Threshold]  # by scorer name; a scorer not named keeps its own
    # Whether any page's moderation settings close its comments by age: while none does (and
    # the site's MODERATION_CLOSE_AFTER_DAYS is 0), drawing a thread asks nothing more of them.
    pages_close: bool = False
    # Whether any page has moderation settings of its own (a mode, or days after which its
    # comments close, 0 included): while none has, a comment's screening reads the site's
    # settings alone, not the nearest page's (moderation.pipeline._history_read).
    pages_moderated: bool = False

    def rules_of(self, kind: str) -> list[CompiledRule]:
        return [rule for rule in self.rules if rule.kind == kind]


# The snapshot in force in this process, the version token it was read at, when that token was
# last checked against the cache (``MODERATION_RULES_MAX_STALE_MS``), and the page cache's
# ``site`` token this process had seen then.
_cache: dict[str, object] = {
    "stamp": None,
    "snapshot": None,
    "checked": float("-inf"),
    "site": None,
}
_regex_workers = ThreadPoolExecutor(max_workers=4, thread_name_prefix="moderation-regex")
# How long posting waits on the clock, as a multiple of the CPU-time limit, for a search that
# the machine is too busy to run at once.
_WALL_FACTOR = 4
_THREAD_CPU_CLOCKS = hasattr(time, "pthread_getcpuclockid")


class _Search:
    """One regex search on a worker thread, and the CPU time that thread has spent on it."""

    def __init__(self, compiled: regex.Pattern, text: str, wall_timeout: float) -> None:
        self._clock: int | None = None
        self._started = self._finished = 0.0
        self.future = _regex_workers.submit(self._run, compiled, text, wall_timeout)

    def _run(self, compiled: regex.Pattern, text: str, wall_timeout: float):
        if _THREAD_CPU_CLOCKS:
            self._clock = time.pthread_getcpuclockid(threading.get_ident())
        self._started = self._now()
        try:
            return compiled.search(text, timeout=wall_timeout, concurrent=True)
        finally:
            self._finished = self._now()

    def _now(self) -> float:
        # Where threads have no CPU clock of their own (not Linux), the clock on the wall.
        return time.clock_gettime(self._clock) if self._clock is not None else time.monotonic()

    def cpu_seconds(self) -> float:
        """CPU time the search has used so far (0 until its thread has picked it up)."""
        if not self._started:
            return 0.0
        if self.future.done():
            return self._finished - self._started
        return self._now() - self._started


def _compile(rule: Rule) -> CompiledRule:
    if rule.is_regex:
        try:
            if regex_repeats_too_much(rule.pattern, flags=RULE_REGEX_FLAGS):
                # Saved before Rule.clean refused it: compiling it could take every process
                # that screens comments down for memory, so it never matches instead.
                raise regex.error("its counted repeats are too large to compile")
            compiled = regex.compile(rule.pattern, RULE_REGEX_FLAGS)
        except (regex.error, ValueError) as problem:  # ValueError: (?V0) against VERSION1
            logger.warning(
                "moderation rule %s is not a usable regular expression: %s", rule.pk, problem
            )
            compiled = None
    else:
        words = normalise(rule.pattern).forms[0]
        variants = sorted({words, squeeze(words)}, key=len, reverse=True)
        alternatives = "|".join(regex.escape(variant) for variant in variants)
        compiled = regex.compile(rf"(?<!\w)(?:{alternatives})s?(?!\w)")
        return CompiledRule(rule.pk, rule.kind, rule.pattern, compiled, False, tuple(variants))
    return CompiledRule(rule.pk, rule.kind, rule.pattern, compiled, True)


_VERSION_KEY = "moderation:rules-version"


def rules_changed(**_kwargs) -> None:
    """Every process reads the rules (and thresholds) again at its next screening.

    Connected to the saves and deletes of ``Rule``, ``ScorerThreshold`` and
    ``ModerationSettings``. Bumped at once (this
    process, and tests) and again after commit, so a process that read the rules between the two
    cannot keep the old ones.
    """
    _changed()
    transaction.on_commit(_changed)


def _changed() -> None:
    cache.set(_VERSION_KEY, secrets.token_hex(8), timeout=None)
    local_clear()


def local_clear() -> None:
    """Ask the cache at the next use whether the rules changed (tests, after emptying it)."""
    _cache["checked"] = float("-inf")


def page_settings_changed(**_kwargs) -> None:
    """A page's moderation settings were saved or deleted: screening reads them afresh (as for
    a rule), and anonymous readers' cached pages are drawn again once the change has committed,
    since a page closed by age shows that instead of its comment form."""
    rules_changed()
    transaction.on_commit(lambda: pagecache.bump("site"))


def current() -> Snapshot:
    """The rules and thresholds in force, read again only when one was added, changed or removed.

    Costs at most one cache read (the version token), not a query, and none while the token was
    checked less than ``MODERATION_RULES_MAX_STALE_MS`` ago and the page cache's ``site`` token
    has not moved since: screening calls it once per comment, and drawing a thread (the page,
    the read API) once per request. A page's moderation settings bump ``site`` once saved, and
    every drawing that the page cache may keep reads ``site`` first, so what it draws never
    trusts rules older than the token it is kept under (it would be kept, stale, until it
    expired).
    """
    now = time.monotonic()
    trusted_for = settings.MODERATION_RULES_MAX_STALE_MS / 1000
    site = pagecache.last_seen("site")
    if (
        _cache["snapshot"] is not None
        and now - _cache["checked"] < trusted_for  # type: ignore[operator]
        and site == _cache["site"]
    ):
        return _cache["snapshot"]  # type: ignore[return-value]
    token = cache.get(_VERSION_KEY)
    if token is None:
        cache.add(_VERSION_KEY, secrets.token_hex(8), timeout=None)
        token = cache.get(_VERSION_KEY)
    if token is None or token != _cache["stamp"]:
        snapshot = Snapshot(
            rules=tuple(_compile(rule) for rule in Rule.objects.filter(is_active=True)),
            thresholds={
                row.scorer: Threshold(row.hold_at, row.ask_first)
                for row in ScorerThreshold.objects.all()
            },
            pages_close=ModerationSettings.objects.filter(close_after_days__gt=0).exists(),
            pages_moderated=ModerationSettings.objects.filter(
                Q(close_after_days__isnull=False) | ~Q(mode="")
            ).exists(),
        )
        _cache.update(stamp=token, snapshot=snapshot)
    _cache.update(checked=now, site=site)
    return _cache["snapshot"]  # type: ignore[return-value]


def rules_of(kind: str) -> list[CompiledRule]:
    return current().rules_of(kind)


def find(rule: CompiledRule, text: Normalised, raw: str) -> Match | None:
    """Whether ``rule`` matches any normalised form (a regex also sees the raw text).

    Letters spelled out one by one ("you are a z o r k") have lost their word boundaries, so a
    plain rule is also looked for anywhere inside each such run.
    """
    if rule.compiled is None:
        return None
    if any(literal in run for literal in rule.literals for run in text.runs):
        return Match(rule)
    forms = text.forms
    # One budget for the rule across every form, so a slow pattern costs at most its limit.
    budget = settings.MODERATION_REGEX_TIMEOUT_MS / 1000
    deadline = time.monotonic() + budget * _WALL_FACTOR
    spent = 0.0  # CPU seconds the rule's searches have used
    texts = (*forms, raw) if rule.is_regex else forms
    for text in texts:
        try:
            if not rule.is_regex:
                found = rule.compiled.search(text)  # our own escaped literals: linear time
            else:
                found, used = _search_within(rule.compiled, text, budget - spent, deadline)
                spent += used
            if found:
                return Match(rule, found=_matched_text(found) if rule.is_regex else "")
        except TimeoutError:  # from regex itself, or the wait for the worker
            logger.warning("moderation rule %s ran past its time limit", rule.rule_id)
            return Match(rule, timed_out=True)
    return None


def _matched_text(found: object) -> str:
    """The text a regular expression's search matched (its whole match), or "" when what the
    search answered is not a match object."""
    group = getattr(found, "group", None)
    return str(group(0) or "") if callable(group) else ""


def _search_within(compiled: regex.Pattern, text: str, cpu_left: float, deadline: float):
    """(the match or None, CPU seconds used): TimeoutError once the search has used ``cpu_left``
    seconds of CPU, or the clock has reached ``deadline``."""
    wall_left = deadline - time.monotonic()
    if cpu_left <= 0 or wall_left <= 0:
        raise TimeoutError
    search = _Search(compiled, text, wall_left)
    while True:
        # At full speed the search uses CPU as fast as the clock runs: wait for what is left of
        # the CPU budget, then see how much it really had.
        wait = min(cpu_left - search.cpu_seconds(), deadline - time.monotonic())
        try:
            found = search.future.result(timeout=max(wait, 0.001))
        except TimeoutError:
            if search.cpu_seconds() >= cpu_left or time.monotonic() >= deadline:
                raise
            continue
        return found, search.cpu_seconds()


def email_domain_banned(address: str, *, snapshot: Snapshot | None = None) -> str | None:
    """Why an email address is refused, if its domain (or a parent domain) is banned."""
    domain = address.rpartition("@")[2].strip().lower().rstrip(".")
    in_force = snapshot or current()
    banned = [rule.pattern for rule in in_force.rules_of(Rule.Kind.BANNED_EMAIL_DOMAIN)]
    if domain and domain_allowed(domain, banned):
        return "Addresses at that email domain are not accepted here. Please use another."
    return None


def domain_allowed(host: str, allowed: list[str]) -> bool:
    """Exact or dot-boundary match: news.bbc.co.uk is bbc.co.uk; evil-bbc.co.uk is not."""
    host = host.rstrip(".").lower()
    for domain in allowed:
        domain = domain.strip().lstrip(".").rstrip(".").lower()
        if domain and (host == domain or host.endswith("." + domain)):
            return True
    return False
