"""Reason codes in plain words: what an author reads in their statement of reasons."""

from __future__ import annotations

PLAIN_WORDS: dict[str, str] = {
    "banned_word": "It uses a word or phrase this site does not allow.",
    "suspect_word": "It uses a word or phrase that a moderator checks before it is published.",
    "rule_timeout": "One of our word rules could not be checked in time, so a person will read it.",
    "link": "It links to a site that is not on our list of known sites.",
    "new_commenter": "New commenters' first comments are read by a moderator before they appear.",
    "premoderated_reader": "A moderator reads your comments before they appear.",
    "premoderated_page": "Every comment on this article is read by a moderator before it appears.",
    "edited_after_approval": (
        "It was edited after a moderator approved it, so it is waiting for a moderator to read "
        "the new text."
    ),
    "closed": "This discussion is closed.",
    "banned_reader": "You are not able to comment at the moment.",
    "banned_email_domain": "Its email address is at a domain this site does not allow.",
    "posting_too_fast": "It was sent faster than this site allows.",
    "confirm_needed": (
        "Our automatic checks asked you to read it again before posting it, so it was not sent."
    ),
    "imported_pending": (
        "It was waiting for a moderator's approval on the site it was brought here from, so a "
        "moderator here reads it before it appears."
    ),
    "reported": "It was reported to the moderators, so a moderator will look at it.",
    "coordinated": (
        "It is one of many near-identical comments posted by different readers within a few "
        "hours, which is how a coordinated campaign looks, so a moderator reads them first."
    ),
    "abuse": "It attacks or insults a person.",
    "spam": "It is spam or advertising.",
    "off_topic": "It is off topic.",
    "personal_information": "It shares someone's personal information.",
    "other": "It breaks the community rules.",
    "appeal_upheld": "A moderator reviewed your appeal and restored your comment.",
    "coordinated_recommending": (
        "Many of its recommendations came within minutes from a few places or from readers new "
        "to the site, which is how a coordinated push looks, so a moderator took them out of its "
        "count. The comment itself stays as it was."
    ),
}

# Reasons a moderator picks when rejecting a comment.
REJECT_REASONS: list[tuple[str, str]] = [
    ("abuse", "Abuse or harassment"),
    ("spam", "Spam or advertising"),
    ("off_topic", "Off topic"),
    ("personal_information", "Personal information"),
    ("other", "Other (explain in the note)"),
]

# A ban's reason as the banned reader reads it: "The moderators' reason: spam or advertising."
BAN_REASONS: dict[str, str] = {
    "abuse": "abuse or harassment",
    "spam": "spam or advertising",
    "off_topic": "comments off topic",
    "personal_information": "sharing someone's personal information",
    "other": "breaking the community rules",
}

# The transparency report's words for what was done and why: "Held: new commenter's first
# comments", "Rejected: spam". Short, for a table; the sentences above are for the author.
ACTION_LABELS: dict[str, str] = {
    "hold": "Held",
    "approve": "Approved",
    "reject": "Rejected",
    "feature": "Featured",
    "unfeature": "No longer featured",
    "ban": "Reader banned",
    "warn": "Reader warned",
    "premoderate": "Reader put on pre-moderation",
    "unban": "Ban lifted",
    "unpremoderate": "Pre-moderation of a reader ended",
    "appeal_upheld": "Appeal upheld",
    "appeal_denied": "Appeal turned down",
    "discount": "Recommendations discounted",
}
REASON_LABELS: dict[str, str] = {
    "banned_word": "a word or phrase this site does not allow",
    "suspect_word": "a word or phrase a moderator checks",
    "rule_timeout": "a word rule that could not be checked in time",
    "link": "a link to a site not on our list",
    "new_commenter": "new commenter's first comments",
    "premoderated_reader": "reader on pre-moderation",
    "premoderated_page": "article on pre-moderation",
    "edited_after_approval": "edited after a moderator approved it",
    "closed": "discussion closed",
    "banned_reader": "banned reader",
    "banned_email_domain": "an email domain this site does not allow",
    "posting_too_fast": "sent too fast",
    "confirm_needed": "asked to read it again before posting",
    "imported_pending": "waiting for approval where it was imported from",
    "scorer": "automatic checks",
    "reported": "reported by readers",
    "coordinated": "part of a coordinated campaign",
    "coordinated_recommending": "a coordinated push of recommendations",
    "abuse": "abuse or harassment",
    "spam": "spam",
    "off_topic": "off topic",
    "personal_information": "personal information",
    "other": "other reasons",
}


def action_label(kind: str, reason_code: str = "") -> str:
    """An action and its reason as the public reads them, never as codes: "Rejected: spam"."""
    what = ACTION_LABELS.get(kind, kind.replace("_", " ").capitalize())
    reason = reason_code.split(":")[0]
    if not reason or reason == kind:
        return what
    return f"{what}: {REASON_LABELS.get(reason, reason.replace('_', ' '))}"


def plain(code: str) -> str:
    """The sentence an author reads for ``code`` (a reason code, or a scorer's ``scorer:<name>``);
    every code the site uses has its own (moderation/tests/test_reason_codes.py checks)."""
    reason = code.split(":")[0]  # "banned_word:12": the rule's number is for the moderators
    if reason == "scorer":
        return "Our automatic checks rated it likely to break the community rules."
    return PLAIN_WORDS.get(reason, "It breaks the community rules.")
