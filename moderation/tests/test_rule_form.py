"""The rules editor refuses a rule that could never match, where the moderator can fix it: a
regular expression that does not compile, a domain that is not a host name. A web address pasted
as a domain keeps its host."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from discussion.errors import CommentRefused
from discussion.models import Comment
from discussion.services import comment_create
from discussion.tests.factories import make_thread
from moderation.models import Rule

pytestmark = pytest.mark.django_db

ADD = "/admin/snippets/moderation/rule/add/"


@pytest.fixture
def staff_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("boss", "b@example.com", "pw"))
    return client


def _add(client, kind: str, pattern: str, *, is_regex: bool = False):
    form = {"kind": kind, "pattern": pattern, "note": "", "is_active": "on"}
    if is_regex:
        form["is_regex"] = "on"
    return client.post(ADD, form)


def _errors(response) -> str:
    page = BeautifulSoup(response.content, "html.parser")
    return " ".join(error.get_text(" ", strip=True) for error in page.select(".error-message"))


def test_a_regular_expression_asking_for_the_older_regex_syntax_is_refused_not_a_500(
    staff_client,
):
    """Rules compile in the regex module's newer syntax (VERSION1); a pattern that asks for the
    older one with ``(?V0)`` cannot compile at all, which the module says as a ValueError, not
    as its own error: that was a 500 for the moderator, and nothing told them why."""
    response = _add(staff_client, "banned", "(?V0)spam", is_regex=True)

    assert response.status_code == 200
    assert "This regular expression does not compile: VERSION0 and VERSION1" in _errors(response)
    assert not Rule.objects.filter(pattern="(?V0)spam").exists()


def test_a_regular_expression_that_does_not_compile_is_refused_with_the_reason(staff_client):
    response = _add(staff_client, "banned", "([", is_regex=True)

    assert "This regular expression does not compile: unterminated" in _errors(response)
    assert not Rule.objects.filter(pattern="([").exists()


@pytest.mark.parametrize(
    "pattern",
    [
        "spam{100000}",
        "(?:(?:buy now ){100}){200}",
        "(?:x{1000}){11}",
        "(a{1000}){1000}",
        "x{99999999}",
        # Repeats that follow each other add up: past 10,000 steps together.
        "a{5000}b{4000}c{1001}",
        # Two nested in a third: (100 + 100) x 50 steps, and the third's own 50.
        "(?:a{100}|b{100}){50}",
        # Spaces inside the braces are a repeat in a verbose pattern.
        "(?x)spam{ 100000 }",
        # Braces after a character class, or after an escaped backslash, repeat it.
        "[{}]{100000}",
        r"\\{100000}",
    ],
)
def test_a_regular_expression_whose_counted_repeats_would_fill_memory_is_refused(
    staff_client, pattern
):
    # Compiled, these are written out a step at a time: "x{99999999}" took 23 GB on the demo
    # and the app server's worker was killed for memory. (The ones here are small enough to
    # compile in a test, were the check missing.)
    response = _add(staff_client, "banned", pattern, is_regex=True)

    assert response.status_code == 200
    assert "This regular expression repeats too much" in _errors(response)
    assert "Use a smaller count, or an open one such as {3,}." in _errors(response)
    assert not Rule.objects.filter(pattern=pattern).exists()


def test_a_regular_expression_with_small_or_open_counts_is_saved(staff_client):
    patterns = ["spam{3,}", "(?:buy now ){2}!{1,100000}", r"\{100000\}"]
    for pattern in patterns:
        assert _add(staff_client, "banned", pattern, is_regex=True).status_code == 302
    assert Rule.objects.filter(pattern__in=patterns).count() == 3


@pytest.mark.parametrize(
    "pattern",
    [
        "a{100}b{101}",
        "a{5000}b{4000}c{1000}",
        r"\d{3}-\d{3}-\d{4}",
        # Nested, but under 10,000 steps: 9,900 + 99.
        "(?:a{100}){99}",
        # Inside a repeat only by name: a lookahead and a lookbehind beside it.
        "(?=a{3000})b{3000}(?<=c{3000})",
        "(?:a{10}(?:b{10}){10}c{10}){30}d{10}(?:e{10}){10}",
    ],
)
def test_a_regular_expression_whose_repeats_follow_each_other_is_saved(staff_client, pattern):
    # Repeats one after another are each written out once: their counts add, where they were
    # multiplied and "a{100}b{101}" was refused as 10,100 steps.
    response = _add(staff_client, "banned", pattern, is_regex=True)

    assert response.status_code == 302, _errors(response)
    assert Rule.objects.filter(pattern=pattern).exists()


@pytest.mark.parametrize(
    "pattern",
    [
        "[{100000}]",
        "[]{100000}]",
        r"[\]{100000}]",
        "[[a-z]{100000}]",
        "(?#{100000})spam",
        "(?x)spam  # {100000} times over",
        "(?:[{100}]x){200}",
    ],
)
def test_braces_that_are_text_not_a_repeat_are_not_counted_as_one(staff_client, pattern):
    # In a character class or in a comment, "{100000}" is text the rule matches,
    # written out once: such rules were refused as repeating too much.
    response = _add(staff_client, "banned", pattern, is_regex=True)

    assert response.status_code == 302, _errors(response)
    assert Rule.objects.filter(pattern=pattern).exists()


def test_a_rule_with_braces_in_a_character_class_screens_comments(staff_client):
    assert _add(staff_client, "banned", "buy[{100000}]now", is_regex=True).status_code == 302

    with pytest.raises(CommentRefused):
        comment_create(thread=make_thread(), body="Buy{now, cheap.", author_name="Spam")


def test_an_allowed_domain_pasted_as_a_web_address_lets_its_links_through(staff_client):
    assert _add(staff_client, "allow_domain", "https://www.pravda.com.ua/").status_code == 302

    comment = comment_create(
        thread=make_thread(),
        body="See https://www.pravda.com.ua/eng/news/2022/03/29/ for the talks.",
        author_name="Olena",
    )

    assert comment.status == Comment.Status.PUBLISHED
    assert Rule.objects.filter(pattern="www.pravda.com.ua").exists()


@pytest.mark.parametrize("kind", ["allow_domain", "banned_email_domain"])
def test_a_domain_rule_that_names_no_host_is_refused(staff_client, kind):
    response = _add(staff_client, kind, "Kyiv Independent")

    assert "Give a domain such as bbc.co.uk" in _errors(response)
    assert not Rule.objects.filter(pattern="Kyiv Independent").exists()


@pytest.mark.parametrize("pattern", ["!!!", "$$$", "@"])
def test_a_word_rule_of_signs_read_as_letters_is_refused(staff_client, pattern):
    response = _add(staff_client, "banned", pattern)

    assert "Rules read signs as the letters they stand for" in _errors(response)
    assert not Rule.objects.filter(pattern=pattern).exists()
    # So comments with the words those signs read as still post.
    comment = comment_create(
        thread=make_thread(), body="I agree, as a reader who says so.", author_name="Olena"
    )
    assert comment.status == Comment.Status.PUBLISHED


@pytest.mark.parametrize("pattern", ["...", "💩", "1d10t"])
def test_a_word_rule_of_signs_that_stay_signs_or_with_letters_or_digits_is_saved(
    staff_client, pattern
):
    assert _add(staff_client, "suspect", pattern).status_code == 302
    assert Rule.objects.filter(pattern=pattern).exists()


def test_signs_are_taken_in_a_regular_expression(staff_client):
    assert _add(staff_client, "suspect", "!{3,}", is_regex=True).status_code == 302


@pytest.mark.parametrize("pattern", ["aaa", "IIII"])
def test_a_word_rule_that_shrinks_to_one_letter_is_refused(staff_client, pattern):
    response = _add(staff_client, "banned", pattern)

    assert "would match the word" in _errors(response)
    assert not Rule.objects.filter(pattern=pattern).exists()
    comment = comment_create(
        thread=make_thread(), body="I have a question about the talks.", author_name="Olena"
    )
    assert comment.status == Comment.Status.PUBLISHED


@pytest.mark.parametrize("pattern", ["x", "looool", "zzz!"])
def test_a_one_letter_rule_or_one_that_keeps_more_than_a_letter_is_saved(staff_client, pattern):
    assert _add(staff_client, "suspect", pattern).status_code == 302


@pytest.mark.parametrize("pattern", ["idiot|", "(moron)?", "x*", "^", r"\b"])
def test_a_regular_expression_that_matches_empty_text_is_refused(staff_client, pattern):
    """A pattern that matches an empty stretch of text matches every comment: a banned "idiot|"
    (a stray bar left after taking a word out) refused every comment posted to the site."""
    response = _add(staff_client, "banned", pattern, is_regex=True)

    assert "This regular expression can match without matching any text" in _errors(response)
    assert not Rule.objects.filter(pattern=pattern).exists()
    comment = comment_create(thread=make_thread(), body="Good reporting.", author_name="Olena")
    assert comment.status == Comment.Status.PUBLISHED


@pytest.mark.parametrize(
    ("kind", "first", "again"),
    [
        ("banned", "scumbag", " Scumbag "),
        ("allow_domain", "example.org", "https://example.org/news"),
    ],
)
def test_a_rule_that_is_there_already_is_refused_naming_the_one_to_edit(
    staff_client, kind, first, again
):
    """Two rules for one word: turning one off left the other on, so the word was still refused
    while the list showed its rule switched off. The second is refused, and the form keeps it."""
    assert _add(staff_client, kind, first).status_code == 302

    response = _add(staff_client, kind, again)

    assert response.status_code == 200
    assert "There is already a rule for this, which is on: edit that one." in _errors(response)
    assert Rule.objects.filter(kind=kind, pattern__iexact=first).count() == 1
    assert (
        BeautifulSoup(response.content, "html.parser").select_one("#id_pattern")["value"] == again
    )
