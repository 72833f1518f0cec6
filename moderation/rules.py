"""The operator's rules, read once per change: word and domain rules, matched with a time limit,
and the scorer thresholds that override a scorer's default.

Plain words and phrases are normalised the same way as the text (moderation.normalise) and
matched on word boundaries, with an optional plural "s". Regular expressions run through the
``regex`` package with ``timeout=``: a pattern that backtracks catastrophically gives up after
``MODERATION_REGEX_TIMEOUT_MS`` and the comment is held for a person instead of hanging posting.

``regex`` checks its timeout only now and then, and was measured overrunning it two- to
fourfold under load. So the search runs on a worker thread (``concurrent=True`` releases the GIL)
and posting waits at most the limit: a search still running then is abandoned, and stops itself
shortly after through its own timeout.
"""

from __future__ import annotations

import logging
import secrets
import time
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import regex
from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from moderation.models import Rule, ScorerThreshold
from moderation.normalise import Normalised, normalise, squeeze

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class CompiledRule:
    rule_id: int
    kind: str
    pattern: str
    compiled: regex.Pattern | None  # None: a regex that does not compile (never matches)
    is_regex: bool
    literals: tuple[str, ...] = ()  # a plain rule's normalised forms, for spelled-out runs


@dataclass(frozen=True)
class Match:
    rule: CompiledRule
    timed_out: bool = False


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

    def rules_of(self, kind: str) -> list[CompiledRule]:
        return [rule for rule in self.rules if rule.kind == kind]


_cache: dict[str, object] = {"stamp": None, "snapshot": None}
_regex_workers = ThreadPoolExecutor(max_workers=4, thread_name_prefix="moderation-regex")


def _compile(rule: Rule) -> CompiledRule:
    if rule.is_regex:
        try:
            compiled = regex.compile(rule.pattern, regex.IGNORECASE | regex.VERSION1)
        except regex.error:
            logger.warning("moderation rule %s is not a valid regular expression", rule.pk)
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

    Connected to the saves and deletes of ``Rule`` and ``ScorerThreshold``. Bumped at once (this
    process, and tests) and again after commit, so a process that read the rules between the two
    cannot keep the old ones.
    """
    cache.set(_VERSION_KEY, secrets.token_hex(8), timeout=None)
    transaction.on_commit(lambda: cache.set(_VERSION_KEY, secrets.token_hex(8), timeout=None))


def current() -> Snapshot:
    """The rules and thresholds in force, read again only when one was added, changed or removed.

    Costs one cache read (the version token), not a query; screening calls it once per comment.
    """
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
        )
        _cache.update(stamp=token, snapshot=snapshot)
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
    deadline = time.monotonic() + settings.MODERATION_REGEX_TIMEOUT_MS / 1000
    texts = (*forms, raw) if rule.is_regex else forms
    for text in texts:
        try:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError
            if not rule.is_regex:
                found = rule.compiled.search(text)  # our own escaped literals: linear time
            else:
                future = _regex_workers.submit(
                    rule.compiled.search, text, timeout=remaining, concurrent=True
                )
                found = future.result(timeout=remaining)
            if found:
                return Match(rule)
        except TimeoutError:  # from regex itself, or the wait for the worker
            logger.warning("moderation rule %s ran past its time limit", rule.rule_id)
            return Match(rule, timed_out=True)
    return None


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
