"""A whole site's comments as JSON Lines: what ``manage.py export_comments`` writes and
``manage.py import_comments broadsheet`` reads back (importers.formats.read_broadsheet).

The first line says what the file is; then each thread's line comes before its first comment's,
and every comment comes after its parent (by id), so the file can be read in one pass. Readers'
email addresses are personal data and stay out unless asked for.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.utils import timezone
from django.utils.crypto import salted_hmac
from wagtail.models import Site

from core.secret_keys import made_by_any_key
from discussion.selectors import comments_for_site_export, threads_for_site_export
from newsroom import links

FORMAT = "broadsheet-comments"
VERSION = 1
CHUNK = 1000


def site_fingerprint(secret: str | None = None) -> str:
    """Which site wrote an export, without saying anything else about it: an HMAC under this
    site's SECRET_KEY (or ``secret``), so an import can tell an export of this very site (whose
    comments it would copy) from another's (:func:`made_by_this_site`)."""
    return salted_hmac("broadsheet.export.site", "site", secret=secret).hexdigest()[:20]


def made_by_this_site(mark: object) -> bool:
    """Whether ``mark`` (an export's ``site``) is this site's :func:`site_fingerprint`, made with
    SECRET_KEY or with a key of SECRET_KEY_FALLBACKS: an export made before the key was changed
    is still known for this site's while the old key is kept as a fallback."""
    return isinstance(mark, str) and made_by_any_key(mark, site_fingerprint)


def _page_url(url_path: str, roots: list, default_site_id: int | None) -> str:
    """The page's public address: under SITE_BASE_URL on the default site (as every link the
    site writes), under its own site's root URL on another (its path alone if none holds it)."""
    for root in roots:
        if url_path.startswith(root.root_path):
            path = url_path[len(root.root_path) :]
            if root.site_id == default_site_id:
                return links.absolute(path)
            return root.root_url.rstrip("/") + "/" + path
    return url_path


def export_lines(*, with_emails: bool = False) -> Iterator[dict]:
    """The export, a JSON-ready object per line, read ``CHUNK`` comments at a time."""
    yield {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": timezone.now().isoformat(),
        "with_emails": with_emails,
        "site": site_fingerprint(),
    }
    roots = Site.get_site_root_paths()
    default_site_id = Site.objects.filter(is_default_site=True).values_list("pk", flat=True).first()
    seen: set[int] = set()
    after = 0
    while rows := comments_for_site_export(after_id=after, limit=CHUNK):
        new = {row["thread_id"] for row in rows} - seen
        for thread in threads_for_site_export(thread_ids=new) if new else []:
            seen.add(thread["id"])
            yield {
                "type": "thread",
                "id": thread["id"],
                # A thread whose article was deleted keeps its comments and its last headline,
                # and has no article: no id, slug or address.
                "article_id": thread["page_id"],
                "title": thread["title"],
                "slug": thread["page__slug"] or "",
                "url": (
                    _page_url(thread["page__url_path"], roots, default_site_id)
                    if thread["page_id"] is not None
                    else ""
                ),
                "is_closed": thread["is_closed"],
            }
        for row in rows:
            deleted = row["status"] == "deleted"
            line = {
                "type": "comment",
                "id": row["id"],
                "thread_id": row["thread_id"],
                "parent_id": row["parent_id"],
                "member": row["author_id"] is not None,
                "author_name": row["author_name"],
                "status": row["status"],
                "body": "" if deleted else row["body"],
                "reaction_count": row["reaction_count"],
                "created_at": row["created_at"].isoformat(),
                "edited_at": row["edited_at"].isoformat() if row["edited_at"] else None,
            }
            if with_emails:
                line["author_email"] = row["author_email"]
            yield line
        after = rows[-1]["id"]
