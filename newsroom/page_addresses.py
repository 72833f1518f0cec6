"""Every way of putting a page at an address passes one check: not at an address the site keeps.

``newsroom.reserved_slugs`` says whether a slug under a parent lands where one of the site's own
views answers (``/api/``, ``/feeds/``, ``/c/5/``). This module makes every write of a page ask:

- **Saving a page** (``KeptAddressCheck``, a base of every newsroom page type). Wagtail validates
  a page on each save that places, renames or publishes it, as it checks that a slug is unique
  among its siblings: ``clean`` for a live page, ``minimal_clean`` for a draft. The page editor,
  the Copy form and an alias, the admin API's copy, publish and alias actions, bulk Publish,
  publishing at a scheduled time, ``load_demo`` and the shell (``add_child``, ``save()``,
  ``save_revision()``, ``revision.publish()``) all save that way. A page already at such an
  address (put there before the check, or by a queryset ``update()``) is refused each such save
  until it is given another slug; unpublishing and deleting it still work.
- **Moving a page** (``refuse_a_move_to_a_kept_address``, on Wagtail's ``pre_page_move``).
  Wagtail's move saves the page as a plain ``Page``, whose ``clean`` is not newsroom's, so the
  move is refused before anything changes from the signal every ``MovePageAction`` sends first:
  the admin's Move and bulk Move, the admin API's move and ``page.move()`` in the shell. Putting
  a page in another order among the same siblings keeps its address and is let through.

The refusal is a ``ValidationError`` keyed by what to change, which the admin API's actions
answer as a 400 with that error as JSON. Screens with a form or a confirmation check first
(``newsroom.forms``, ``newsroom.wagtail_hooks``) to say it there, with what the editor typed
kept; this check is what holds when they are not used.

A publish scheduled for a page at such an address is cancelled when it falls due, with a line
from the scheduler (``due_publishing_at_kept_addresses_cancel``), rather than refused in the
middle of Wagtail's ``publish_scheduled``, which would stop there.

Writes that skip validation on purpose are not checked: ``save(clean=False)`` (Wagtail's own,
for fields that do not move a page, and a recursive copy's subpages, which only a refused copy
could hide) and queryset ``update()``.
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from wagtail.models import Page, Revision
from wagtail.signals import pre_page_move

from newsroom.reserved_slugs import choose_another_slug, reserved_slug_problem, reserved_slug_reason


def refuse_a_kept_address(
    *, slug: str, parent: Page | None, field: str = "slug", lead: str = ""
) -> None:
    """Raise a ``ValidationError`` on ``field`` where a page at ``slug`` under ``parent`` would
    be at an address the site keeps: ``lead``, then "'api' is used by the site's API; choose
    another slug." """
    reason = reserved_slug_reason(slug=slug, parent=parent)
    if reason is not None:
        raise ValidationError({field: [lead + choose_another_slug(reason)]})


class KeptAddressCheck:
    """A base of every newsroom page type, ahead of ``Page``: a page is refused on any
    validated save at an address the site keeps (see the module's note)."""

    def clean(self) -> None:
        super().clean()
        refuse_a_kept_address(slug=self.slug, parent=self.get_parent())

    def minimal_clean(self) -> None:
        super().minimal_clean()
        refuse_a_kept_address(slug=self.slug, parent=self.get_parent())


def refuse_a_move_to_a_kept_address(
    sender,
    instance: Page,
    parent_page_after: Page,
    url_path_before: str,
    url_path_after: str,
    **kwargs,
) -> None:
    """Wagtail's ``pre_page_move``, sent before anything is moved: a move that would put the
    page at an address the site keeps is refused, and nothing moves."""
    if url_path_after == url_path_before:
        return  # put in another order among the same siblings: the address stays
    refuse_a_kept_address(
        slug=instance.slug,
        parent=parent_page_after,
        field="destination_page_id",
        lead=f"“{instance.title}” was not moved: ",
    )


def due_publishing_at_kept_addresses_cancel(*, now: datetime) -> list[str]:
    """Cancel the scheduled publishing, due by ``now``, of each page revision that would be
    published at an address the site keeps; a line for each, saying why, for the scheduler.

    Publishing it would be refused (``KeptAddressCheck``), and Wagtail's ``publish_scheduled``
    stops at the first refusal, publishing none of the pages due after it, pass after pass; so
    the scheduler cancels these first. Wagtail records each cancellation in the page's history
    ("Unschedule publication"), and the editor who publishes it again is told to choose another
    slug.
    """
    cancelled = []
    for revision in Revision.objects.page_revisions().filter(approved_go_live_at__lt=now):
        page = revision.as_object()
        problem = reserved_slug_problem(slug=page.slug, parent=page.get_parent())
        if problem is None:
            continue
        revision.approved_go_live_at = None
        revision.save(update_fields=["approved_go_live_at"])
        cancelled.append(
            f"“{page.title}” was not published at its scheduled time, and its schedule is "
            f"cancelled: {problem}"
        )
    return cancelled


def connect() -> None:
    pre_page_move.connect(refuse_a_move_to_a_kept_address, dispatch_uid="kept-address-move")
