"""Small exports in Disqus's and WordPress's formats, written as those platforms write them."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from django.core.management import call_command

DISQUS_HEAD = (
    '<?xml version="1.0" encoding="utf-8"?>\n'
    '<disqus xmlns="http://disqus.com" '
    'xmlns:dsq="http://disqus.com/disqus-internals" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
)


def disqus_thread(key: str, link: str, title: str = "An article") -> str:
    return (
        f'<thread dsq:id="{key}"><id>{key}</id><forum>oldpaper</forum>'
        f"<link>{escape(link)}</link><title>{escape(title)}</title>"
        "<createdAt>2024-05-01T08:00:00Z</createdAt>"
        "<author><name>Desk</name><isAnonymous>false</isAnonymous></author>"
        "<isClosed>false</isClosed><isDeleted>false</isDeleted></thread>\n"
    )


def disqus_post(
    key: str,
    thread: str,
    message: str,
    *,
    name: str = "Olena",
    parent: str | None = None,
    spam: bool = False,
    deleted: bool = False,
    when: str = "2024-05-01T09:00:00Z",
    email: str = "olena@example.org",
    ip: str = "192.0.2.7",
    extra: str = "",
) -> str:
    parent_xml = f'<parent dsq:id="{parent}" />' if parent else ""
    return (
        f'<post dsq:id="{key}"><id /><message><![CDATA[{message}]]></message>'
        f"<createdAt>{when}</createdAt><isDeleted>{str(deleted).lower()}</isDeleted>"
        f"<isSpam>{str(spam).lower()}</isSpam>"
        f"<author><email>{escape(email)}</email><name>{escape(name)}</name>"
        f"<isAnonymous>true</isAnonymous>{extra}</author><ipAddress>{ip}</ipAddress>"
        f'<thread dsq:id="{thread}" />{parent_xml}</post>\n'
    )


def disqus(*parts: str, head: str = DISQUS_HEAD) -> bytes:
    return (head + "".join(parts) + "</disqus>\n").encode()


def wp_comment(
    key: str,
    content: str,
    *,
    author: str = "Mykola",
    parent: str = "0",
    approved: str = "1",
    kind: str = "comment",
    when: str = "2024-05-02 10:00:00",
    url: str = "",
) -> str:
    return (
        f"<wp:comment><wp:comment_id>{key}</wp:comment_id>"
        f"<wp:comment_author><![CDATA[{author}]]></wp:comment_author>"
        "<wp:comment_author_email><![CDATA[mykola@example.org]]></wp:comment_author_email>"
        f"<wp:comment_author_url>{escape(url)}</wp:comment_author_url>"
        "<wp:comment_author_IP><![CDATA[198.51.100.4]]></wp:comment_author_IP>"
        f"<wp:comment_date><![CDATA[{when}]]></wp:comment_date>"
        f"<wp:comment_date_gmt><![CDATA[{when}]]></wp:comment_date_gmt>"
        f"<wp:comment_content><![CDATA[{content}]]></wp:comment_content>"
        f"<wp:comment_approved><![CDATA[{approved}]]></wp:comment_approved>"
        f"<wp:comment_type><![CDATA[{kind}]]></wp:comment_type>"
        f"<wp:comment_parent>{parent}</wp:comment_parent>"
        "<wp:comment_user_id>0</wp:comment_user_id></wp:comment>\n"
    )


def wp_item(post_id: str, link: str, slug: str, *comments: str) -> str:
    return (
        f"<item><title>A post</title><link>{escape(link)}</link>"
        f"<wp:post_id>{post_id}</wp:post_id><wp:post_name><![CDATA[{slug}]]></wp:post_name>"
        "<wp:post_type><![CDATA[post]]></wp:post_type><wp:status><![CDATA[publish]]></wp:status>"
        + "".join(comments)
        + "</item>\n"
    )


def wordpress(*items: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8" ?>\n'
        '<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:wp="http://wordpress.org/export/1.2/">\n<channel><title>Old paper</title>'
        "<wp:wxr_version>1.2</wp:wxr_version>\n" + "".join(items) + "</channel></rss>\n"
    ).encode()


def run_import(tmp_path, platform: str, data: bytes, *, filename: str = "export.xml") -> str:
    """``manage.py import_comments PLATFORM FILE --quiet`` on ``data`` written to a file, as an
    operator runs it; what it printed."""
    path = tmp_path / filename
    path.write_bytes(data)
    out = io.StringIO()
    call_command("import_comments", platform, str(path), "--quiet", stdout=out)
    return out.getvalue()
