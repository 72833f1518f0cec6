"""What moderation stores: rules, per-page modes, the review of each comment, reports, the audit
log of actions (which is also each author's statement of reasons), reader standing and appeals.

Queue counts read ``CommentReview.state`` through an index, so they never scan the comments table;
the Reported queue reads ``CommentReview.last_report`` (a comment's newest unanswered report)
through its own index.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urlsplit

import regex
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from wagtail.admin.panels import FieldPanel

from moderation.repeats import (
    REGEX_REPEAT_MAX,
    REGEX_REPEATS_COUNTED_MAX,
    regex_repeats_too_much,
)


class Rule(models.Model):
    class Kind(models.TextChoices):
        BANNED = "banned", "Banned word (refuse)"
        SUSPECT = "suspect", "Suspect word (hold for review)"
        ALLOW_DOMAIN = "allow_domain", "Allowed link domain"
        BANNED_EMAIL_DOMAIN = "banned_email_domain", "Banned email domain"

    kind = models.CharField(max_length=24, choices=Kind.choices)
    pattern = models.CharField(
        max_length=200,
        help_text="A word or phrase, matched after normalising (case, spacing tricks, look-alike "
        "letters), or a regular expression when 'is regex' is ticked.",
    )
    is_regex = models.BooleanField(
        default=False,
        help_text="Each regular expression gets a time limit; one that runs over holds the "
        "comment for review instead of delaying it.",
    )
    note = models.CharField(max_length=200, blank=True)
    is_active = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    panels = [
        FieldPanel("kind"),
        FieldPanel("pattern"),
        FieldPanel("is_regex"),
        FieldPanel("note"),
        FieldPanel("is_active"),
    ]

    class Meta:
        ordering = ["kind", "pattern"]
        indexes = [models.Index(fields=["kind", "is_active"], name="rule_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.pattern}"

    def clean(self) -> None:
        """A rule that could never match is refused here, where the moderator is, rather than
        saved to be skipped in silence: a regular expression must compile, and a domain rule
        must name a host (a pasted address keeps only its host)."""
        if self.kind in DOMAIN_KINDS:
            if self.is_regex:
                raise ValidationError(
                    {"is_regex": "Domains are matched as host names, not regular expressions."}
                )
            host = domain_rule_host(self.pattern, email=self.kind == self.Kind.BANNED_EMAIL_DOMAIN)
            if host is None:
                raise ValidationError(
                    {
                        "pattern": "Give a domain such as bbc.co.uk (a pasted web address is "
                        "fine: its host is kept). It also covers the domain's subdomains."
                    }
                )
            self.pattern = host
        elif self.is_regex:
            if regex_repeats_too_much(self.pattern, flags=RULE_REGEX_FLAGS):
                raise ValidationError(
                    {
                        "pattern": "This regular expression repeats too much: its counted "
                        "repeats (such as {1000}, multiplied where one is inside another, added "
                        f"where one follows another) come to more than {REGEX_REPEAT_MAX:,}, or "
                        f"there are more than {REGEX_REPEATS_COUNTED_MAX} of them, and each "
                        "step is written out in "
                        "memory when the rule is loaded, in every process that screens comments. "
                        "Use a smaller count, or an open one such as {3,}."
                    }
                )
            try:
                compiled = regex.compile(self.pattern, RULE_REGEX_FLAGS)
            except (regex.error, ValueError) as error:  # ValueError: (?V0) against VERSION1
                raise ValidationError(
                    {"pattern": f"This regular expression does not compile: {error}."}
                ) from error
            if _matches_empty_text(compiled):
                raise ValidationError(
                    {
                        "pattern": "This regular expression can match without matching any "
                        "text (an empty alternative, as in “idiot|”, a part that may be left "
                        "out altogether, as in “(moron)?” or “x*”, or an anchor alone), so it "
                        "would match every comment. Make every alternative match at least one "
                        "character."
                    }
                )
        elif problem := _symbols_read_as_letters(self.pattern) or _shrinks_to_one_letter(
            self.pattern
        ):
            raise ValidationError({"pattern": problem})
        self._refuse_a_second_rule_for_the_same()

    def _refuse_a_second_rule_for_the_same(self) -> None:
        """Two rules for one word or domain: turning one off left the other on, so the word was
        still refused while the list showed its rule switched off. A word is matched without
        regard to case or the spaces around it, so neither makes it another rule."""
        twin = (
            Rule.objects.filter(
                kind=self.kind,
                is_regex=self.is_regex,
                pattern__iexact=self.pattern if self.is_regex else self.pattern.strip(),
            )
            .exclude(pk=self.pk)
            .first()
        )
        if twin is not None:
            raise ValidationError(
                {
                    "pattern": "There is already a rule for this, which is "
                    f"{'on' if twin.is_active else 'off'}: edit that one."
                }
            )


# Text a rule's regular expression is tried on when it is saved: empty, and a sentence with
# every letter, digit and common sign, at whose word edges and letters a pattern that can match
# nothing (``\b``, a lookahead alone) shows itself.
_EMPTY_MATCH_SAMPLES = ("", "The quick brown fox jumps over the lazy dog: 0123456789, ok?! '\"-")


def _matches_empty_text(compiled: regex.Pattern) -> bool:
    """Whether ``compiled`` finds a match of no characters in ordinary text: such a rule matches
    every comment (matching is a search, and an empty match is a match)."""
    try:
        return any(
            found.end() == found.start()
            for sample in _EMPTY_MATCH_SAMPLES
            for found in compiled.finditer(sample, timeout=0.5)
        )
    except TimeoutError:  # screening gives such a rule its own limit, and holds for a person
        return False


def _shrinks_to_one_letter(pattern: str) -> str | None:
    """Why a word rule that normalising shrinks to one letter would match far more than it
    shows, or None: runs of a letter shrink to one (so "fuuuck" is caught by "fuck"), and "aaa"
    then reads as "a", which a banned rule refused in every comment with the word "a" in it. A
    rule typed as one letter means that letter, and is kept."""
    from moderation.normalise import normalise

    typed = pattern.strip()
    read_as = min((form.strip() for form in normalise(typed).forms), key=len)
    if len(typed) <= 1 or len(read_as) != 1:
        return None
    return (
        f"Rules read a run of one letter as that letter once, so “{typed}” would match the word "
        f"“{read_as}” in every comment that has it. To match “{typed}” alone, tick “is regex” "
        "and write a regular expression."
    )


def _symbols_read_as_letters(pattern: str) -> str | None:
    """Why a word rule of signs alone would match words it does not show, or None.

    Rules are matched on normalised text, where signs used as letters read as those letters
    ("!" as "i", "@" as "a", "$" as "s") and runs of a letter shrink to one: "!!!" would match
    "iii" and "i", so a banned "!!!" refused every comment with the word "I" in it. A pattern
    with letters or digits means them, and one whose signs stay signs ("...", an emoji) matches
    them; only signs that turn into letters are refused."""
    from moderation.normalise import normalise

    if any(ch.isalnum() for ch in pattern):
        return None
    read_as = normalise(pattern).forms[0]
    if not any(ch.isalnum() for ch in read_as):
        return None
    return (
        f"Rules read signs as the letters they stand for, so “{pattern.strip()}” would match the "
        f"word “{read_as}” and its shorter forms (“!!!” matches “I”). To match the signs "
        "themselves, tick “is regex” and write a regular expression."
    )


# How a rule's regular expression is compiled (moderation.rules), and checked when it is saved.
RULE_REGEX_FLAGS = regex.IGNORECASE | regex.VERSION1
DOMAIN_KINDS = (Rule.Kind.ALLOW_DOMAIN, Rule.Kind.BANNED_EMAIL_DOMAIN)
# A host name: dot-separated labels of letters, digits and inner hyphens, two labels at least.
_LABEL = r"(?!-)[^\W_](?:[^\W_]|-){0,62}(?<!-)"
_HOST = re.compile(rf"{_LABEL}(?:\.{_LABEL})+")


def domain_rule_host(text: str, *, email: bool = False) -> str | None:
    """The host a domain rule means, lower case, as links are matched (moderation.rules
    .domain_allowed: exact or on a dot boundary, so ``www.`` is kept and covers only itself):
    "https://www.pravda.com.ua/eng/" gives "www.pravda.com.ua", and for an email domain
    "someone@mail.example" or "@mail.example" gives "mail.example". None if it names no host."""
    text = text.strip()
    if email and "://" not in text:
        text = text.rpartition("@")[2]
    if "://" not in text and not text.startswith("//"):
        text = "//" + text.lstrip(".")
    try:
        host = urlsplit(text).hostname or ""
    except ValueError:
        return None
    host = host.strip(".").lower()
    return host if len(host) <= 253 and _HOST.fullmatch(host) else None


class ScorerThreshold(models.Model):
    scorer = models.CharField(max_length=40, unique=True)
    hold_at = models.FloatField(help_text="Hold the comment for review at or above this score.")
    ask_first = models.BooleanField(
        default=True,
        help_text="Warn the reader before posting and let them rephrase; if they post anyway, "
        "the comment is held.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    panels = [FieldPanel("scorer"), FieldPanel("hold_at"), FieldPanel("ask_first")]

    def __str__(self) -> str:
        return f"{self.scorer} ≥ {self.hold_at}"

    def clean(self) -> None:
        """A threshold that could never apply is refused where the moderator is, as a rule that
        could never match is: one for a scorer with another name (a typo, "abuse model"), or
        below the lowest score (a scorer rates from 0 to 1, so it would hold every comment)."""
        from moderation.scorers import registered

        names = [scorer.name for scorer in registered()]
        errors = {}
        if self.scorer not in names:
            errors["scorer"] = (
                f"No scorer is called “{self.scorer}”. Give one of: {', '.join(names)}."
            )
        if self.hold_at is not None and self.hold_at < 0:
            errors["hold_at"] = (
                "Scores run from 0 to 1, so a threshold below 0 would hold every comment. "
                "Give a number from 0 to 1 (above 1 never holds)."
            )
        if errors:
            raise ValidationError(errors)


# The longest "close after days" the settings form takes: a century. Anything longer is a typo, and
# the date it gives can pass the last one Python has.
MAX_CLOSE_AFTER_DAYS = 36500


class ModerationSettings(models.Model):
    """Moderation mode and closing for a page and everything under it (site, section, article)."""

    class Mode(models.TextChoices):
        INHERIT = "", "As the page above (or the site default)"
        POST = "post", "Post-moderation: publish, review afterwards"
        PRE = "pre", "Pre-moderation: hold every comment for review"

    page = models.OneToOneField(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="moderation_settings"
    )
    mode = models.CharField(max_length=8, choices=Mode.choices, blank=True, default="")
    close_after_days = models.PositiveIntegerField(
        null=True, blank=True, help_text="Close comments this many days after first publication."
    )

    panels = [FieldPanel("page"), FieldPanel("mode"), FieldPanel("close_after_days")]

    class Meta:
        verbose_name = "moderation by page"
        verbose_name_plural = "moderation by page"

    def __str__(self) -> str:
        return f"Moderation of {self.page}"

    def clean(self) -> None:
        # In clean() rather than a field validator, which would need a migration.
        if self.close_after_days is not None and self.close_after_days > MAX_CLOSE_AFTER_DAYS:
            raise ValidationError(
                {
                    "close_after_days": f"At most {MAX_CLOSE_AFTER_DAYS:,} days (100 years). "
                    "Use 0 for comments that never close, or leave it empty to follow the "
                    "page above."
                }
            )


# The states of a review whose comment stands published (CommentReview.State): what screening
# counts towards a reader's trust (moderation.selectors.reader_history_read).
PUBLISHED_REVIEW_STATES = ("unmoderated", "approved")


class CommentReview(models.Model):
    """Moderation's view of one comment: its screening verdict and where it sits in the queues."""

    class State(models.TextChoices):
        PENDING = "pending", "Pending"
        REPORTED = "reported", "Reported"
        UNMODERATED = "unmoderated", "Unmoderated"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"

    comment = models.OneToOneField(
        "discussion.Comment", on_delete=models.CASCADE, related_name="review"
    )
    # Indexed by review_thread_queue, which it begins.
    thread = models.ForeignKey(
        "discussion.Thread", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    state = models.CharField(max_length=16, choices=State.choices)
    outcome = models.CharField(max_length=8)  # the screening verdict: publish, hold
    reasons = models.JSONField(default=list)
    codes = models.JSONField(default=list)
    scores = models.JSONField(default=dict)
    reader_key = models.CharField(max_length=160, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    text_hash = models.CharField(max_length=64, blank=True)
    report_count = models.PositiveIntegerField(default=0)
    # The newest report no moderator has answered yet: set by every report, cleared by a
    # moderator's decision (approve, reject, feature). Not null is the Reported queue, and its id
    # orders that queue newest report first.
    last_report = models.ForeignKey(
        "Report",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    is_featured = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Campaign detection (moderation.campaigns), after the comment is saved: whether its text
    # has been looked at, its MinHash bands (moderation.lookalike; null for a short text), and
    # the campaign it turned out to belong to.
    # The database's default too, for rows written by hand (a bulk seeder, a script).
    lookalike_checked = models.BooleanField(default=False, db_default=False)
    lookalike_0 = models.IntegerField(null=True, blank=True)
    lookalike_1 = models.IntegerField(null=True, blank=True)
    lookalike_2 = models.IntegerField(null=True, blank=True)
    lookalike_3 = models.IntegerField(null=True, blank=True)
    lookalike_4 = models.IntegerField(null=True, blank=True)
    lookalike_5 = models.IntegerField(null=True, blank=True)
    campaign = models.ForeignKey(
        "Campaign",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reviews",
        db_index=False,  # review_campaign, partial: few comments belong to one
    )

    class Meta:
        permissions = [("moderate_comments", "Can moderate reader comments")]
        indexes = [
            models.Index(fields=["state", "-id"], name="review_queue"),
            models.Index(fields=["thread", "state"], name="review_thread_queue"),
            models.Index(fields=["reader_key", "-id"], name="review_reader"),
            # A reader's published comments alone, for the trust count screening makes on every
            # comment: through ``review_reader`` it stepped past each of the reader's held and
            # rejected comments to find published ones, so a reader whose comments were all held
            # made each next post read them all again (9,200 held: 6.3 ms of the database's time).
            models.Index(
                fields=["reader_key", "-id"],
                condition=models.Q(state__in=PUBLISHED_REVIEW_STATES),
                name="review_reader_published",
            ),
            models.Index(fields=["reader_key", "text_hash"], name="review_repeat"),
            # How many of a reader's comments each queue holds (a card's author line, their
            # record), counted from the index alone however long their history.
            models.Index(fields=["reader_key", "state"], name="review_reader_state"),
            models.Index(fields=["created_at"], name="review_created"),
            models.Index(
                fields=["campaign"],
                condition=models.Q(campaign__isnull=False),
                name="review_campaign",
            ),
            # The Reported queue, newest report first; a review with no report is not in it.
            models.Index(
                fields=["-last_report"],
                condition=models.Q(last_report__isnull=False),
                name="review_reported",
            ),
        ]

    def __str__(self) -> str:
        return f"Review of comment {self.comment_id}: {self.state}"


class Report(models.Model):
    """One reader's report of a comment.

    Its row outlives the comment: when the comment's author deletes it (or their account, with
    its comments), the report keeps its reason and its date, for the transparency report's count
    of the month's reports, and loses the reporter's words and network (``reports_close`` in
    moderation.services). One still waiting for a moderator is closed as "comment deleted"."""

    class Reason(models.TextChoices):
        ABUSE = "abuse", "Abuse or harassment"
        SPAM = "spam", "Spam"
        OFF_TOPIC = "off_topic", "Off topic"
        PERSONAL_INFORMATION = "personal_information", "Personal information"
        OTHER = "other", "Something else"

    class Closed(models.TextChoices):
        # Empty: answered by a moderator's decision on the comment, or still waiting for one
        # (``CommentReview.last_report``).
        NO = "", "Not closed on its own"
        COMMENT_DELETED = "comment_deleted", "Closed: the comment was deleted"

    # Empty once its author deleted the comment and no reply kept its shell.
    comment = models.ForeignKey(
        "discussion.Comment",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports",
    )
    reason = models.CharField(max_length=24, choices=Reason.choices)
    text = models.CharField(max_length=500, blank=True)
    closed_as = models.CharField(
        max_length=16, choices=Closed.choices, blank=True, default="", db_default=""
    )
    reporter_key = models.CharField(max_length=160)
    # Where the report came from: ``core.client.client_network`` (an IPv4 address or an IPv6
    # /64), the key the comment rate limit uses. A guest is only a cookie, and cookies can be
    # cleared, so reports take a comment down only from enough different networks. Null: sent
    # before networks were recorded (migration 0011), so not known. Empty: cleared after
    # IP_RETENTION_DAYS (moderation.kept_addresses).
    network = models.CharField(max_length=64, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "reporter_key"], name="report_once_per_reader"
            )
        ]
        indexes = [
            models.Index(fields=["created_at"], name="report_created"),
            # A reader deleting their account empties the notes of their reports
            # (services.reports_of_reader_empty), found by this key alone: without it, every
            # deletion read the whole table inside the deletion's transaction.
            models.Index(fields=["reporter_key"], name="report_reporter"),
        ]

    def __str__(self) -> str:
        return f"Report of comment {self.comment_id}: {self.reason}"


def report_networks(networks: Iterable[str | None]) -> int:
    """How many different networks a comment's reports came from (their ``Report.network``).

    A report from before networks were recorded (None) counts as a network of its own, as it
    counted as one report towards the hold when it was sent. Those whose network was cleared
    after IP_RETENTION_DAYS ("") count as one network together: they may have come from one, and
    counted each as its own, one reader's old reports and a new one would take the comment down.
    """
    networks = list(networks)
    return len({network for network in networks if network is not None}) + networks.count(None)


class ModerationAction(models.Model):
    """One thing done to a comment or reader, by a person or automatically, and why.

    Shown to the comment's author as the statement of reasons, and counted in the transparency
    report.
    """

    class Kind(models.TextChoices):
        HOLD = "hold", "Held for review"
        APPROVE = "approve", "Approved"
        REJECT = "reject", "Rejected"
        FEATURE = "feature", "Featured"
        UNFEATURE = "unfeature", "No longer featured"
        BAN = "ban", "Reader banned"
        WARN = "warn", "Reader warned"
        PREMODERATE = "premoderate", "Reader put on pre-moderation"
        UNBAN = "unban", "Ban lifted"
        UNPREMODERATE = "unpremoderate", "Pre-moderation of a reader ended"
        APPEAL_UPHELD = "appeal_upheld", "Appeal upheld"
        APPEAL_DENIED = "appeal_denied", "Appeal turned down"
        DISCOUNT = "discount", "Recommendations discounted"

    kind = models.CharField(max_length=16, choices=Kind.choices)
    comment = models.ForeignKey(
        "discussion.Comment",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="moderation_actions",
    )
    reader_key = models.CharField(max_length=160, blank=True)
    reason_code = models.CharField(max_length=40, blank=True)
    note = models.TextField(blank=True)
    automated = models.BooleanField(default=False)
    evidence = models.JSONField(default=dict, help_text="The rule or scores behind the action.")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["created_at"], name="action_created"),
            models.Index(fields=["comment", "-id"], name="action_comment"),
            # A reader's bans and what answered them (selectors.ban_statement, ban_refusal).
            models.Index(fields=["reader_key", "-id"], name="action_reader"),
        ]

    def __str__(self) -> str:
        who = "automated" if self.automated else "moderator"
        return f"{self.get_kind_display()} ({who})"


class DecisionEmail(models.Model):
    """A moderation decision emailed to its comment's author (the statement of reasons, a
    warning, an appeal's answer): one row per action and recipient, so that its task run a second
    time (its worker was lost, and the scheduler queued it again) sends nothing more
    (moderation.author_emails). The recipient is kept as a digest of the address, not the
    address: the row outlives an account that is deleted."""

    action = models.ForeignKey(ModerationAction, on_delete=models.CASCADE, related_name="+")
    recipient = models.CharField(max_length=64, help_text="SHA-256 of the address, lowercased.")
    sender = models.CharField(
        max_length=80,
        blank=True,
        help_text="The task run sending the email (task id#attempt): a later attempt of the "
        "same task, whose worker was lost while sending, sends it again.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the mail server took the email; empty while it is being sent.",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["action", "recipient"], name="decision_emailed_once"),
        ]

    def __str__(self) -> str:
        return f"Moderation action {self.action_id} emailed to its author"


class ReaderStanding(models.Model):
    """Restrictions on one reader (an account, a guest cookie, or a name at an address)."""

    reader_key = models.CharField(max_length=160, unique=True)
    premoderate = models.BooleanField(default=False)
    banned = models.BooleanField(default=False)
    banned_until = models.DateTimeField(null=True, blank=True, help_text="Empty: permanent.")
    warnings = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.reader_key


class ReaderNote(models.Model):
    """A moderator's note about a reader, kept with their record (``selectors.reader_record``):
    what the next moderator should know ("posts the same link under several names"). Written for
    the staff, but personal data all the same: a member's "Download my data" carries the text and
    its date, and deleting the account deletes the notes (``moderation.apps``)."""

    reader_key = models.CharField(max_length=160)
    text = models.TextField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["reader_key", "-id"], name="note_reader")]

    def __str__(self) -> str:
        return f"Note on {self.reader_key}"


class Appeal(models.Model):
    """A reader's appeal of a decision to remove their comment, until a moderator decides it,
    or its author deletes the comment (withdrawn: moderation.services.appeals_withdraw).

    An appeal keeps its row, without the reader's words, when its author deletes the comment
    (whether it was withdrawn or decided before): the transparency report counts it among the
    month's appeals, as it counted before."""

    class Status(models.TextChoices):
        OPEN = "open", "Waiting for a moderator"
        UPHELD = "upheld", "Upheld: the comment is restored"
        DENIED = "denied", "Turned down"
        WITHDRAWN = "withdrawn", "Withdrawn: the comment was deleted"

    action = models.ForeignKey(ModerationAction, on_delete=models.CASCADE, related_name="appeals")
    # Empty once its author deleted the comment and no reply kept its shell.
    comment = models.ForeignKey(
        "discussion.Comment", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["status", "-id"], name="appeal_queue")]
        constraints = [models.UniqueConstraint(fields=["action"], name="appeal_once_per_action")]

    def __str__(self) -> str:
        return f"Appeal of comment {self.comment_id}: {self.status}"


class Campaign(models.Model):
    """Near-identical comments posted by several different readers within a few hours: what a
    coordinated campaign (a troll farm, a brigade, a paid push) looks like from inside one site.
    Found by moderation.campaigns; moderators remove its comments or dismiss it."""

    class Kind(models.TextChoices):
        TEXT = "text", "Near-identical comments"
        # moderation.brigades: one comment recommended in a burst, from few networks or readers
        # new to the site; and several of one author's comments reported from the same places.
        RECOMMENDING = "recommending", "Coordinated recommending"
        REPORTING = "reporting", "Coordinated reporting"

    class Status(models.TextChoices):
        OPEN = "open", "Waiting for a moderator"
        REMOVED = "removed", "Comments removed"
        DISMISSED = "dismissed", "Not a campaign"
        DISCOUNTED = "discounted", "Recommendations discounted"
        KEPT = "kept", "Comments kept up, reports dismissed"

    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.TEXT)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    sample = models.TextField(help_text="The text of its first comment, as its author wrote it.")
    comment = models.ForeignKey(
        "discussion.Comment",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Coordinated recommending: the comment recommended.",
    )
    reader_key = models.CharField(
        max_length=160, blank=True, help_text="Coordinated reporting: the author reported."
    )
    evidence = models.JSONField(
        default=dict,
        blank=True,
        help_text="What recommending or reporting detection counted, and the rows it found.",
    )
    comment_count = models.PositiveIntegerField(default=0)
    author_count = models.PositiveIntegerField(default=0)
    thread_count = models.PositiveIntegerField(default=0)
    first_seen = models.DateTimeField()
    last_seen = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["status", "-last_seen"], name="campaign_queue"),
            models.Index(fields=["kind", "comment"], name="campaign_comment"),
            models.Index(fields=["kind", "reader_key"], name="campaign_reader"),
        ]

    def __str__(self) -> str:
        return f"Campaign {self.pk}: {self.comment_count} comments by {self.author_count} readers"
