"""Wagtail's Sites settings, with a root page refused where it would hide pages from readers.

A page's address is read below its site's root page, so pointing a site at another root moves
every address under it: a new root whose child is slugged ``api`` would put that page at
``/api/``, where the site's API answers and no reader could reach it. The page editor refuses
such a slug (``newsroom.reserved_slugs``); the Site form refuses such a root, naming the pages.

Wagtail gives its Sites settings no setting or hook for their form, so ``wagtail.sites`` is
left out of ``INSTALLED_APPS`` and its viewset (its views, under its own URL names) and menu
item are registered from here with this form (``newsroom.wagtail_hooks``).
"""

from __future__ import annotations

from django import forms
from django.urls import reverse
from wagtail.admin.menu import MenuItem
from wagtail.models import Page, Site
from wagtail.permissions import policy_registry
from wagtail.sites.forms import SiteForm
from wagtail.sites.views import SiteViewSet

from core.envsettings import ascii_host
from newsroom.reserved_slugs import pages_hidden_below


class NewsroomSiteForm(SiteForm):
    """Wagtail's Site form, refusing a new root page with pages below it at an address one of
    the site's own views answers. A site saved with the root it has is let through: the pages
    already below it are each refused by their own edit form until renamed.

    A host name typed as it reads (zeitung-für-alle.example) is kept in the ASCII form browsers
    send in the Host header (IDNA, xn--zeitung-fr-alle-7vb.example), which is what a request is
    matched against: kept as typed, the site never answered its own readers."""

    def clean_hostname(self) -> str:
        hostname = self.cleaned_data["hostname"].strip()
        try:
            return ascii_host(hostname)
        except ValueError as exc:
            raise forms.ValidationError(
                f"{exc}. Type the host name readers type, such as news.example.org."
            ) from None

    def clean_root_page(self) -> Page:
        root = self.cleaned_data["root_page"]
        if self.instance.pk is not None and root.pk == self.instance.root_page_id:
            return root
        hidden = pages_hidden_below(root)
        if hidden:
            pages = ", ".join(
                f"“{found.page.title}” at {found.address} ({found.reason})" for found in hidden
            )
            that = "that page" if len(hidden) == 1 else "those pages"
            raise forms.ValidationError(
                f"“{root.title}” cannot be this site's root page: readers could not reach "
                f"{pages}. Rename or move {that} first, or choose another root page."
            )
        return root


class NewsroomSiteViewSet(SiteViewSet):
    def get_form_class(self, for_update: bool = False) -> type[SiteForm]:
        return NewsroomSiteForm


def site_viewset() -> NewsroomSiteViewSet:
    """Wagtail's own Sites viewset, at its own address and URL names, with the form above."""
    return NewsroomSiteViewSet("wagtailsites", url_prefix="sites")


class SitesMenuItem(MenuItem):
    """The Settings menu's "Sites", shown as ``wagtail.sites`` shows it."""

    def is_shown(self, request) -> bool:
        return policy_registry.get_by_type(Site).user_has_any_permission(
            request.user, ["add", "change", "delete"]
        )


def sites_menu_item() -> SitesMenuItem:
    return SitesMenuItem(
        "Sites", reverse("wagtailsites:index"), name="sites", icon_name="site", order=602
    )
