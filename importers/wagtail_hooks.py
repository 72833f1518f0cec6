"""The comment export and import in the Wagtail admin, under Settings, for superusers."""

from __future__ import annotations

from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from importers import admin_views


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path("comments-export/", include((admin_views.urlpatterns, "importers_admin"))),
        path("comments-import/", include((admin_views.import_urlpatterns, "importers_import"))),
    ]


class _SuperuserMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.is_superuser


@hooks.register("register_settings_menu_item")
def register_export_item():
    return _SuperuserMenuItem(
        "Export comments", reverse("importers_admin:export"), icon_name="download", order=900
    )


@hooks.register("register_settings_menu_item")
def register_import_item():
    return _SuperuserMenuItem(
        "Import comments", reverse("importers_import:upload"), icon_name="upload", order=901
    )
