"""What happens when editors publish: readers see it at once, and the article can be discussed.

The anonymous page cache (``core.pagecache``) keeps article pages until a version token they
depend on changes. Anything an editor does that can change what a page shows (publishing,
unpublishing, moving or deleting a page, editing an author, an image or a snippet) bumps the
``site`` token once the change has committed. Scheduled publishing goes through the same
``page_published`` signal, so an embargoed article appears the moment it goes live.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_delete
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move

from core import pagecache
from discussion import live
from discussion.services import thread_page_deleting, thread_published
from newsroom import routing


def _site_changed(**_kwargs) -> None:
    routing.routes_forget()
    transaction.on_commit(lambda: pagecache.bump("site"))


def _published(sender, instance, **kwargs) -> None:
    """Bump the site token, and give a published article its thread, so the live stream and
    the comment counts exist before the first comment does; the thread takes the headline just
    published, so a corrected headline is corrected wherever the thread names the article."""
    from newsroom.models import ArticlePage, LiveBlogPage

    _site_changed()
    if isinstance(instance, ArticlePage):
        thread = thread_published(page=instance)
        if isinstance(instance, LiveBlogPage):
            # Open readers learn of new entries through the page's live stream.
            latest = max(instance.entries.values_list("pk", flat=True), default=0)
            live.thread_touched(
                thread.pk, page_id=instance.pk, kind="entries", data={"latest": latest}
            )


def _model_changed(sender, **kwargs) -> None:
    meta = sender._meta
    # A rendition is made the first time a page shows an image at some size: that changes no
    # page, and bumping for it would empty the whole cache on every new article's first view.
    if meta.app_label in ("newsroom", "wagtailcore", "wagtailimages") and not (
        meta.model_name.endswith("rendition")
    ):
        _site_changed()


def _page_deleting(sender, instance, **kwargs) -> None:
    """Before a page goes (alone, or with the section above it), its thread notes whether
    readers could read it then (``thread_page_deleting``)."""
    thread_page_deleting(page=instance)


def connect() -> None:
    page_published.connect(_published, dispatch_uid="pagecache-published")
    page_unpublished.connect(_site_changed, dispatch_uid="pagecache-unpublished")
    post_page_move.connect(_site_changed, dispatch_uid="pagecache-moved")
    # Authors, images, corrections and the like: cheap to bump, and never stale.
    post_save.connect(_model_changed, dispatch_uid="pagecache-saved")
    post_delete.connect(_model_changed, dispatch_uid="pagecache-deleted")
    pre_delete.connect(_page_deleting, sender=Page, dispatch_uid="thread-page-deleting")
