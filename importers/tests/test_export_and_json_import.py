"""``export_comments`` writes the site's comments as JSON Lines; ``import_comments broadsheet``
reads them back, and refuses a file that is not one with the line and the reason."""

from __future__ import annotations

import io
import json
import os
import stat

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from discussion.models import Comment
from discussion.services import comment_set_status, thread_ensure
from discussion.tests.factories import make_comment
from newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db

HEADER = {"format": "broadsheet-comments", "version": 1}


def _export(tmp_path, *flags: str) -> list[dict]:
    path = tmp_path / "comments.jsonl"
    call_command("export_comments", str(path), *flags, stderr=io.StringIO())
    return [json.loads(line) for line in path.read_text().splitlines()]


def _import_lines(tmp_path, lines: list) -> str:
    path = tmp_path / "import.jsonl"
    path.write_bytes(
        b"".join(
            (
                line
                if isinstance(line, bytes)
                else (line if isinstance(line, str) else json.dumps(line)).encode()
            )
            + b"\n"
            for line in lines
        )
    )
    out = io.StringIO()
    call_command("import_comments", "broadsheet", str(path), "--quiet", stdout=out)
    return out.getvalue()


def _shape() -> list[tuple]:
    by_id = {c.pk: c for c in Comment.objects.all()}
    return sorted(
        (
            c.author_name,
            c.body,
            c.status,
            c.created_at,
            by_id[c.parent_id].body if c.parent_id else None,
        )
        for c in by_id.values()
    )


def test_a_sites_comments_come_back_whole_from_its_export(tmp_path, settings):
    article = make_article()
    thread = thread_ensure(page=article)
    first = make_comment(thread, "The first comment.", name="Olena")
    reply = make_comment(thread, "A reply to it.", name="Petro", parent=first)
    make_comment(thread, "A reply to the reply.", name="Olena", parent=reply)
    make_comment(thread, "Second **thought**.", name="Iryna")
    lines = _export(tmp_path)
    before = _shape()
    Comment.objects.all().delete()
    settings.SECRET_KEY = "another site's key, " + "x" * 40  # imported by another site

    out = _import_lines(tmp_path, lines)

    assert _shape() == before
    assert "4 comments imported" in out


def test_the_export_leaves_out_emails_and_deleted_words_unless_asked(tmp_path):
    thread = thread_ensure(page=make_article())
    kept = make_comment(thread, "Kept.", name="Olena")
    Comment.objects.filter(pk=kept.pk).update(author_email="olena@example.org")
    gone = make_comment(thread, "Words the author took back.", name="Petro")
    comment_set_status(comment=gone, status=Comment.Status.DELETED)

    plain = _export(tmp_path)
    with_emails = _export(tmp_path, "--with-emails")

    assert plain[0]["format"] == "broadsheet-comments"
    assert [line["type"] for line in plain[1:]] == ["thread", "comment", "comment"]
    assert "author_email" not in plain[2]
    assert plain[3]["body"] == "" and plain[3]["status"] == "deleted"
    assert with_emails[2]["author_email"] == "olena@example.org"


def _thread_line(article) -> dict:
    return {"type": "thread", "id": 1, "url": f"https://old.example.com{article.url}"}


def _comment_line(**fields) -> dict:
    line = {
        "type": "comment",
        "id": 10,
        "thread_id": 1,
        "parent_id": None,
        "author_name": "Olena",
        "status": "published",
        "body": "Hello.",
        "created_at": "2024-05-01T09:00:00+00:00",
    }
    line.update(fields)
    return line


BAD_LINES = {
    "malformed JSON": ('{"type": "comment", "id": 10,', "Line 3 is not valid JSON"),
    "not UTF-8": (b'{"type": "comment", "body": "\xff"}', "Line 3 is not valid JSON"),
    "deep nesting": ('{"type": "comment", "x": ' + "[" * 100_000 + "]" * 100_000 + "}", "nested"),
    # Said as JSON's kinds of value, not Python's types ("must be int, not str").
    "id as text": (
        json.dumps(_comment_line(id="10")),
        r"Line 3: 'id' must be a whole number, not text \(a JSON string\)\.",
    ),
    "body as a number": (
        json.dumps(_comment_line(body=5)),
        r"'body' must be text \(a JSON string\), not a whole number\.",
    ),
    "id as a boolean": (
        json.dumps(_comment_line(id=True)),
        "'id' must be a whole number, not true or false.",
    ),
    "status missing": (
        json.dumps({k: v for k, v in _comment_line().items() if k != "status"}),
        r"Line 3: 'status' is missing; it must be text \(a JSON string\)\.",
    ),
    "body null": (
        json.dumps(_comment_line(body=None)),
        r"Line 3: 'body' is null; it must be text \(a JSON string\)\.",
    ),
    "not an object": ("[1, 2, 3]", "Line 3 is not a JSON object"),
    "unknown status": (json.dumps(_comment_line(status="featured")), "not a comment's status"),
    "bad time": (json.dumps(_comment_line(created_at="yesterday")), "not a date and time"),
}


@pytest.mark.parametrize("line,message", BAD_LINES.values(), ids=BAD_LINES.keys())
def test_a_line_of_the_wrong_shape_refuses_the_file_and_nothing_is_imported(
    tmp_path, line, message
):
    article = make_article()
    lines = [HEADER, _thread_line(article), line, _comment_line(id=11)]

    with pytest.raises(CommandError, match=message):
        _import_lines(tmp_path, lines)

    assert not Comment.objects.exists()


def test_unknown_fields_are_ignored_never_assigned(tmp_path):
    article = make_article()
    line = _comment_line(
        html="<script>alert(1)</script>",
        is_featured=True,
        reaction_count=9999,
        idempotency_key="forged",
        author_id=1,
    )

    _import_lines(tmp_path, [HEADER, _thread_line(article), line])

    comment = Comment.objects.get()
    assert comment.html == "<p>Hello.</p>"
    assert not comment.is_featured and comment.reaction_count == 0
    assert comment.idempotency_key == "broadsheet:10" and comment.author_id is None


def test_a_lone_surrogate_or_a_nul_in_a_body_refuses_that_comment_with_a_reason(tmp_path):
    article = make_article()
    lines = [
        HEADER,
        _thread_line(article),
        '{"type": "comment", "id": 10, "thread_id": 1, "author_name": "Olena", '
        '"status": "published", "body": "bad \\ud800 text", "created_at": "2024-05-01T09:00:00Z"}',
        json.dumps(_comment_line(id=11, body="A NUL \u0000 in it")),
        json.dumps(_comment_line(id=12, body="Fine.")),
    ]

    out = _import_lines(tmp_path, lines)

    assert list(Comment.objects.values_list("body", flat=True)) == ["Fine."]
    assert "10: Your comment contains invalid unicode (a lone surrogate)." in out
    assert "11: Your comment contains a NUL character, which is not allowed." in out


def test_a_file_that_is_not_a_broadsheet_export_is_refused(tmp_path):
    make_article()
    with pytest.raises(CommandError, match="not a Broadsheet export"):
        _import_lines(tmp_path, [{"format": "something-else"}, _comment_line()])


def test_an_export_of_this_very_site_is_refused_rather_than_copied(tmp_path):
    thread = thread_ensure(page=make_article())
    make_comment(thread, "Already here.", name="Olena")
    lines = _export(tmp_path)

    with pytest.raises(CommandError, match="made by this site"):
        _import_lines(tmp_path, lines)

    assert Comment.objects.count() == 1


def test_the_export_gives_each_discussion_its_public_address(tmp_path, settings):
    settings.SITE_BASE_URL = "https://news.example.org"
    article = make_article()
    make_comment(thread_ensure(page=article), "First.", name="Olena")

    thread_line = next(line for line in _export(tmp_path) if line.get("type") == "thread")

    assert thread_line["url"] == f"https://news.example.org{article.url}"


def test_a_deleted_comments_replies_come_back_under_its_shell(tmp_path, settings):
    # The deleted comment was left out, and its replies moved up a level: under the comment
    # above it, or to the top.
    thread = thread_ensure(page=make_article())
    first = make_comment(thread, "The first comment.", name="Olena")
    gone = make_comment(thread, "Words its author took back.", name="Petro", parent=first)
    make_comment(thread, "A reply to the deleted one.", name="Iryna", parent=gone)
    comment_set_status(comment=gone, status=Comment.Status.DELETED)
    lines = _export(tmp_path)
    before = [
        (c.author_name, c.status, c.depth, c.created_at) for c in Comment.objects.order_by("path")
    ]
    Comment.objects.all().delete()
    settings.SECRET_KEY = "another site's key, " + "x" * 40

    out = _import_lines(tmp_path, lines)

    after = Comment.objects.order_by("path")
    assert [(c.author_name, c.status, c.depth, c.created_at) for c in after] == before
    shell = after.get(status=Comment.Status.DELETED)
    assert shell.body == "" and shell.html == ""
    assert "1 deleted comment kept as an empty shell for its replies" in out


def test_the_export_file_is_readable_by_its_owner_alone(tmp_path):
    """With the usual umask (022) it was made -rw-r--r--: every user of the machine could read
    guests' addresses (--with-emails) and comments that were never published."""
    thread = thread_ensure(page=make_article())
    make_comment(thread, "Kept.", name="Olena")
    path = tmp_path / "comments.jsonl"
    before = os.umask(0o022)
    try:
        call_command("export_comments", "--with-emails", str(path), stderr=io.StringIO())
    finally:
        os.umask(before)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert "Kept." in path.read_text()
