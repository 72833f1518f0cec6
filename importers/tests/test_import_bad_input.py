"""The import rows of shared/design/bad-input.md: hostile XML, huge files, interrupted runs, and
remote files named in an export."""

from __future__ import annotations

import gzip
import http.server
import io
import threading
import tracemalloc

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from discussion.models import Comment
from importers.formats import READERS, read_disqus
from importers.services import comments_import
from importers.tests.exports import (
    DISQUS_HEAD,
    disqus,
    disqus_post,
    disqus_thread,
    wordpress,
    wp_comment,
    wp_item,
)
from newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db


def _run(tmp_path, data: bytes, platform: str = "disqus", *flags: str) -> tuple[str, str]:
    path = tmp_path / "export.xml"
    path.write_bytes(data)
    out, err = io.StringIO(), io.StringIO()
    call_command("import_comments", platform, str(path), *flags, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


DOCTYPE_ATTACKS = {
    "billion laughs": (
        '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>\n'
    ),
    "file entity": '<?xml version="1.0"?>\n<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n',
    "plain doctype": '<?xml version="1.0"?>\n<!DOCTYPE disqus>\n',
}


@pytest.mark.parametrize("prolog", DOCTYPE_ATTACKS.values(), ids=DOCTYPE_ATTACKS.keys())
def test_an_export_with_a_doctype_is_refused_and_nothing_is_saved(tmp_path, prolog):
    article = make_article()
    head = prolog + DISQUS_HEAD.split("\n", 1)[1]
    data = disqus(
        disqus_thread("t1", f"https://old.example.com{article.url}"),
        disqus_post("p1", "t1", "<p>&lol2; or &x;</p>" if "ENTITY" in prolog else "<p>Hi.</p>"),
        head=head,
    )

    with pytest.raises(CommandError) as refused:
        _run(tmp_path, data)

    # In words, not the parser's exception: "DTDForbidden(name='lolz', system_id=None, ...)".
    assert "The export cannot be read: it declares a document type (<!DOCTYPE " in str(
        refused.value
    )
    assert "Forbidden" not in str(refused.value)
    assert not Comment.objects.exists()


def test_a_file_over_the_size_limit_is_refused_before_anything_is_read(tmp_path, settings):
    settings.IMPORT_MAX_MB = 1
    article = make_article()
    posts = [disqus_post(f"p{n}", "t1", "<p>" + "x" * 2000 + "</p>") for n in range(600)]
    data = disqus(disqus_thread("t1", f"https://old.example.com{article.url}"), *posts)
    assert len(data) > 1024 * 1024

    with pytest.raises(CommandError, match="the import limit is 1,048,576"):
        _run(tmp_path, data)

    assert not Comment.objects.exists()


def test_a_long_import_shows_its_progress(tmp_path):
    article = make_article()
    posts = [disqus_post(f"p{n}", "t1", f"<p>Comment {n}.</p>") for n in range(450)]
    data = disqus(disqus_thread("t1", f"https://old.example.com{article.url}"), *posts)

    _out, progress = _run(tmp_path, data)

    shown = [part for part in progress.split("\r") if "read:" in part]
    assert len(shown) >= 3  # a line at least every 200 comments
    assert "100.0% read: 450 imported" in shown[-1]


def _huge_export(platform: str, comments: int) -> bytes:
    words = "<p>" + "A long and careful comment about the council's plan. " * 20 + "</p>"
    link = "https://old.example.com/world/a-story/"
    if platform == "disqus":
        posts = (disqus_post(f"p{n}", "t1", words) for n in range(comments))
        return disqus(disqus_thread("t1", link), *posts)
    items = (wp_item(str(n), link, "a-story", wp_comment(str(n), words)) for n in range(comments))
    return wordpress(*items)


@pytest.mark.parametrize("platform", ["disqus", "wordpress"])
def test_a_huge_export_is_read_as_it_streams_in_bounded_memory(tmp_path, platform):
    """Each comment is handed on as it is reached and what was read is let go: reading a 6 MB
    export holds a small part of it at once. (An element kept after it is read, as a parse of
    the whole document keeps it, holds it all.)"""
    path = tmp_path / "export.xml"
    path.write_bytes(_huge_export(platform, 5000))
    size = path.stat().st_size
    assert size > 6_000_000

    tracemalloc.start()
    try:
        with path.open("rb") as stream:
            read = sum(1 for item in READERS[platform](stream) if hasattr(item, "body"))
        _now, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert read == 5000
    assert peak < size / 6


def test_a_file_cut_short_is_refused_and_nothing_is_imported(tmp_path):
    article = make_article()
    thread = disqus_thread("t1", f"https://old.example.com{article.url}")
    posts = [disqus_post(f"p{n}", "t1", f"<p>Comment {n}.</p>") for n in range(500)]
    whole = disqus(thread, *posts)
    cut_off = whole[: whole.index(b'dsq:id="p450"')]  # ends mid-way, as a failed copy does

    with pytest.raises(CommandError, match="Nothing was imported"):
        _run(tmp_path, cut_off)

    assert not Comment.objects.exists()


def test_an_interrupted_import_carries_on_when_run_again(tmp_path):
    article = make_article()
    thread = disqus_thread("t1", f"https://old.example.com{article.url}")
    whole = disqus(
        thread, *(disqus_post(f"p{n}", "t1", f"<p>Comment {n}.</p>") for n in range(500))
    )

    batches = []

    def ctrl_c(report):  # as the second batch is written: the first is committed, it is not
        batches.append(report.imported)
        if len(batches) == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        comments_import(read_disqus(io.BytesIO(whole)), platform="disqus", progress=ctrl_c)
    saved_first = Comment.objects.count()
    out, _ = _run(tmp_path, whole)

    assert 0 < saved_first < 500
    assert Comment.objects.count() == 500
    assert f"{500 - saved_first} comments imported" in out
    assert f"{saved_first} already here" in out


class _Recorder(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self):  # noqa: N802 (the standard library's name)
        _Recorder.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def recorder():
    _Recorder.hits = []
    server = http.server.HTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_avatars_images_and_websites_named_in_an_export_are_never_fetched(tmp_path, recorder):
    article = make_article()
    disqus_data = disqus(
        disqus_thread("t1", f"https://old.example.com{article.url}"),
        disqus_post(
            "p1",
            "t1",
            f'<p>Look <img src="{recorder}/photo.png" alt="my photo"></p>',
            extra=f"<avatar><permalink>{recorder}/avatar.png</permalink></avatar>",
        ),
    )
    wp_data = wordpress(
        wp_item(
            "41",
            "https://old.example.com/x/",
            article.slug,
            wp_comment("6", f'See <img src="{recorder}/wp.png">', url=f"{recorder}/site"),
        )
    )

    _run(tmp_path, disqus_data)
    _run(tmp_path, wp_data, "wordpress")

    assert _Recorder.hits == []
    assert Comment.objects.count() == 2
    assert not Comment.objects.filter(html__contains="<img").exists()
    assert Comment.objects.get(idempotency_key="disqus:p1").html == "<p>Look my photo</p>"


def test_script_and_javascript_links_in_an_export_do_not_survive(tmp_path):
    article = make_article()
    data = disqus(
        disqus_thread("t1", f"https://old.example.com{article.url}"),
        disqus_post(
            "p1",
            "t1",
            '<p><script>alert(1)</script><a href="javascript:alert(2)">click</a> '
            '<a href="https://example.org/ok" onclick="x()">fine</a>'
            '<svg onload="alert(3)"></svg><math><mtext><style><img src=x onerror=alert(4)>'
            "</style></mtext></math></p>",
        ),
    )

    _run(tmp_path, data)

    html = Comment.objects.get().html
    assert "script" not in html and "javascript" not in html and "onload" not in html
    assert "onerror" not in html and "onclick" not in html and "<img" not in html
    assert '<a href="https://example.org/ok" rel="nofollow ugc noopener">fine</a>' in html


def _disqus_export(article) -> bytes:
    return disqus(
        disqus_thread("t1", f"https://old.example.com{article.url}"),
        disqus_post("p1", "t1", "<p>Hello.</p>"),
    )


def _wordpress_export(article) -> bytes:
    return wordpress(
        wp_item("41", f"https://old.example.com{article.url}", "x", wp_comment("6", "Hello."))
    )


@pytest.mark.parametrize(
    "export,named,found",
    [(_disqus_export, "wordpress", "disqus"), (_wordpress_export, "disqus", "wordpress")],
)
def test_an_export_of_the_other_xml_platform_is_refused_up_front_naming_the_one_to_pass(
    tmp_path, export, named, found
):
    # As the admin's upload is, from the file's first bytes: the Disqus export named as
    # WordPress was read to its end, then refused with "no <channel> in it".
    path = tmp_path / "export.xml"
    path.write_bytes(export(make_article()))
    err = io.StringIO()

    with pytest.raises(CommandError) as refused:
        call_command("import_comments", named, str(path), stdout=io.StringIO(), stderr=err)

    names = {"disqus": "Disqus", "wordpress": "WordPress"}
    assert str(refused.value) == (
        f"This file looks like a {names[found]} export, not a {names[named]} one: name {found} "
        f"instead (manage.py import_comments {found} {path}). Nothing was imported."
    )
    assert "Checking" not in err.getvalue()  # not read through first
    assert not Comment.objects.exists()


def test_a_disqus_export_imported_as_broadsheet_is_refused_naming_the_platform_to_choose(tmp_path):
    article = make_article()
    data = disqus(
        disqus_thread("t1", f"https://old.example.com{article.url}"),
        disqus_post("p1", "t1", "<p>Hello.</p>"),
    )

    with pytest.raises(CommandError) as refused:
        _run(tmp_path, data, "broadsheet")

    assert str(refused.value) == (
        "This file looks like a Disqus export, not a Broadsheet one: name disqus instead "
        f"(manage.py import_comments disqus {tmp_path / 'export.xml'}). Nothing was imported."
    )
    assert not Comment.objects.exists()


@pytest.mark.parametrize("platform,name", [("disqus", "Disqus"), ("wordpress", "WordPress")])
def test_a_broadsheet_export_imported_as_xml_is_refused_naming_the_platform_to_choose(
    tmp_path, platform, name
):
    article = make_article()
    data = (
        b'{"format": "broadsheet-comments", "version": 1, "site": "another-site"}\n'
        b'{"type": "thread", "id": 1, "url": "https://old.example.com'
        + article.url.encode()
        + b'"}\n{"type": "comment", "id": 10, "thread_id": 1, "author_name": "Olena", '
        b'"status": "published", "body": "Hello.", "created_at": "2024-05-01T09:00:00Z"}\n'
    )

    with pytest.raises(CommandError) as refused:
        _run(tmp_path, data, platform)

    assert str(refused.value) == (
        f"This file looks like a Broadsheet export, not a {name} one: name broadsheet instead "
        f"(manage.py import_comments broadsheet {tmp_path / 'export.xml'}). Nothing was imported."
    )
    assert not Comment.objects.exists()


def test_a_file_that_is_not_xml_is_refused_with_a_reason(tmp_path):
    with pytest.raises(CommandError, match="cannot be read: it is not well-formed XML"):
        _run(tmp_path, b"this is not xml at all", "wordpress")


def test_an_export_cut_short_is_refused_saying_it_is_not_well_formed(tmp_path):
    article = make_article()
    whole = disqus(disqus_thread("t1", f"https://old.example.com{article.url}"))
    with pytest.raises(CommandError, match=r"not well-formed XML \(.+: line \d+, column \d+\)"):
        _run(tmp_path, whole[: len(whole) // 2])
    assert not Comment.objects.exists()


def test_a_reply_chain_deeper_than_the_stack_in_reverse_order_is_placed_without_a_crash(tmp_path):
    article = make_article()
    depth = 1_500  # far past Python's recursion limit and the site's nesting limit (50)
    posts = [
        disqus_post(f"p{n}", "t1", f"<p>Level {n}.</p>", parent=f"p{n - 1}" if n else None)
        for n in reversed(range(depth))
    ]
    data = disqus(disqus_thread("t1", f"https://old.example.com{article.url}"), *posts)

    out, _ = _run(tmp_path, data, "disqus", "--quiet")

    deepest = Comment.objects.order_by("-depth").first()
    assert deepest.depth == Comment.MAX_DEPTH
    assert Comment.objects.count() == Comment.MAX_DEPTH + 1
    assert f"{depth - Comment.MAX_DEPTH - 1:,} refused by this site's rules" in out
    assert "nested as deeply as it can go" in out


def test_a_disqus_root_without_its_namespace_is_refused_saying_so(tmp_path):
    data = disqus(head='<?xml version="1.0" encoding="utf-8"?>\n<disqus>\n')

    with pytest.raises(CommandError, match="lacks Disqus's namespace"):
        _run(tmp_path, data, "disqus")


@pytest.mark.parametrize("platform", ["disqus", "wordpress"])
def test_an_empty_file_is_refused_saying_it_is_empty(tmp_path, platform):
    # It said "not well-formed XML (no element found: line 1, column 0)".
    with pytest.raises(CommandError) as refused:
        _run(tmp_path, b"\n", platform)
    assert str(refused.value) == "The export is empty. Nothing was imported."


def test_a_gzipped_export_is_refused_saying_to_unpack_it(tmp_path):
    # Disqus emails its export gzipped; the command said "not well-formed XML (invalid token)".
    article = make_article()
    data = gzip.compress(disqus(disqus_thread("t1", f"https://old.example.com{article.url}")))
    with pytest.raises(CommandError) as refused:
        _run(tmp_path, data)
    assert str(refused.value) == (
        "The export cannot be read: it is compressed (a .gz or .zip archive); unpack it and "
        "import the export file inside. Nothing was imported."
    )


def test_an_export_in_another_encoding_than_it_declares_is_refused_saying_so(tmp_path):
    # A Latin-1 "é" in a file that declares UTF-8 (or nothing, which means UTF-8) was "not
    # well-formed (invalid token)", as if the file were cut short or not XML.
    article = make_article()
    data = disqus(
        disqus_thread("t1", f"https://old.example.com{article.url}"),
        disqus_post("p1", "t1", "<p>Un café, merci.</p>"),
    ).replace("é".encode(), "é".encode("latin-1"))
    with pytest.raises(CommandError) as refused:
        _run(tmp_path, data)
    assert str(refused.value).startswith(
        "The export cannot be read: it is not in UTF-8, the encoding it declares (line 4, "
    )
    assert "save it as UTF-8" in str(refused.value)
    assert not Comment.objects.exists()


def test_an_export_that_declares_its_encoding_is_read_in_it(tmp_path):
    article = make_article()
    data = disqus(
        disqus_thread("t1", f"https://old.example.com{article.url}"),
        disqus_post("p1", "t1", "<p>Un café, merci.</p>"),
        head=DISQUS_HEAD.replace('encoding="utf-8"', 'encoding="iso-8859-1"'),
    ).replace("é".encode(), "é".encode("latin-1"))
    _run(tmp_path, data)
    assert Comment.objects.get().body == "Un café, merci."


def test_an_export_that_declares_latin_1_but_is_utf_8_is_refused_saying_so(tmp_path):
    # It was read in Latin-1, as it says, and every "é" imported as "Ã©".
    article = make_article()
    data = disqus(
        disqus_thread("t1", f"https://old.example.com{article.url}"),
        disqus_post("p1", "t1", "<p>Un café, merci.</p>"),
        head=DISQUS_HEAD.replace('encoding="utf-8"', 'encoding="iso-8859-1"'),
    )
    with pytest.raises(CommandError) as refused:
        _run(tmp_path, data)
    assert str(refused.value) == (
        "The export cannot be read: it declares its encoding as iso-8859-1 in its first line, "
        "but it is in UTF-8, and read as it declares, its accented letters would be imported "
        'garbled ("é" as "Ã©"). Change its first line to <?xml version="1.0" '
        'encoding="utf-8"?>, and import it again. Nothing was imported.'
    )
    assert not Comment.objects.exists()
