"""A reader's pages: profile, data export and account deletion (under /readers/)."""

from django.urls import path

import core.converters  # noqa: F401  (registers <id:...>)
from discussion import reader_views

urlpatterns = [
    path("<id:reader_id>/", reader_views.profile, name="reader_profile"),
    path("me/export/", reader_views.export, name="reader_export"),
    path("me/delete/", reader_views.delete, name="reader_delete"),
]
