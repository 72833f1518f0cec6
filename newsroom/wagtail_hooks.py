"""Newsroom's admin hooks: Wagtail's bulk Publish keeps the rules an article's edit form keeps.

An article's form will not publish an image without alt text, nor a lead image narrower than
``LEAD_IMAGE_MIN_WIDTH`` (``newsroom.forms``, ``newsroom.blocks``), but the page listing's bulk
Publish publishes each page's latest revision without a form. So before it runs, every article
it would publish (with "include descendants", a section's unpublished articles too) is checked
the same way, and if any fails nothing is published and the editor is told which images to fix.

A move to where the page's address would be one the site's own views answer is refused
(``newsroom.reserved_slugs``), as is a bulk Publish or Move that would leave a page at such an
address, with a message naming each page (the pages refuse it too, on any save or move, in
``newsroom.page_addresses``). Wagtail's Sites settings are registered from here with a form
that refuses a root page putting pages at such addresses (``newsroom.site_settings``).
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from wagtail import hooks
from wagtail.models import Page

from newsroom import admin_panels
from newsroom.article_approval import article_viewset
from newsroom.images import article_image_problems
from newsroom.reserved_slugs import reserved_slug_problem
from newsroom.site_settings import site_viewset, sites_menu_item


def _pages_bulk_publish_would_publish(objects, action) -> list[Page]:
    """The pages chosen, and with "include descendants" their pages not live."""
    pages = list(objects)
    form = getattr(action, "cleaned_form", None)
    if form is not None and form.cleaned_data.get("include_descendants"):
        for page in objects:
            pages += list(page.get_descendants().not_live())
    return pages


@hooks.register("before_bulk_action")
def refuse_bulk_publish_of_images_unfit_to_publish(request, action_type, objects, action):
    if action_type != "publish" or not all(isinstance(item, Page) for item in objects):
        return None
    pages = _pages_bulk_publish_would_publish(objects, action)
    problems = [
        f"“{page.title}”: {problem}" for page in pages for problem in article_image_problems(page)
    ]
    if not problems:
        return None
    messages.error(
        request,
        "Nothing was published, because of an image without alt text or a lead image too "
        "narrow. " + " ".join(problems),
    )
    return redirect(action.next_url)


@hooks.register("before_bulk_action")
def refuse_bulk_publish_or_move_to_an_address_the_site_answers(
    request, action_type, objects, action
):
    """Bulk Publish of a page whose latest revision is at an address the site's own views
    answer, or bulk Move of a page to such an address, is refused before anything changes,
    naming each page. The pages' own check (``newsroom.page_addresses``) would refuse it too,
    but as an error page, the bulk action's transaction rolled back."""
    if action_type not in ("publish", "move") or not all(
        isinstance(item, Page) for item in objects
    ):
        return None
    if action_type == "publish":
        problems = []
        for page in _pages_bulk_publish_would_publish(objects, action):
            draft = page.get_latest_revision_as_object()
            problem = reserved_slug_problem(slug=draft.slug, parent=page.get_parent())
            if problem is not None:
                problems.append(f"“{draft.title}”: {problem}")
        done = "Nothing was published, because a page is at an address the site keeps."
    else:
        destination = action.cleaned_form.cleaned_data.get("chooser")
        problems = [
            f"“{page.title}”: {problem}"
            for page in objects
            if (problem := reserved_slug_problem(slug=page.slug, parent=destination))
        ]
        done = "Nothing was moved, because a page would be at an address the site keeps there."
    if not problems:
        return None
    messages.error(request, " ".join([done, *problems]))
    return redirect(action.next_url)


@hooks.register("before_move_page")
def refuse_a_move_to_an_address_the_site_answers(request, page_to_move, destination):
    """A page moved where its slug's address is one of the site's own (``/api/`` under a site's
    root, say) would be unreachable there: the move is refused with the reason, as Wagtail
    refuses a slug already taken at the destination (``newsroom.reserved_slugs``)."""
    problem = reserved_slug_problem(slug=page_to_move.slug, parent=destination)
    if problem is None:
        return None
    messages.error(request, f"“{page_to_move.title}” was not moved: {problem}")
    return redirect("wagtailadmin_pages:move", page_to_move.id)


# Wagtail's Sites settings, with a root page refused where it would hide pages from readers
# (newsroom.site_settings; wagtail.sites is left out of INSTALLED_APPS for these).
hooks.register("register_admin_viewset", site_viewset)
# A reviewer's Approve checks an article's images as bulk Publish does (newsroom.article_approval).
hooks.register("register_admin_viewset", article_viewset)
hooks.register("register_settings_menu_item", sites_menu_item)


hooks.register("construct_homepage_panels", admin_panels.add_panel)
