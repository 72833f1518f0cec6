"""A reader's pages: profile, display name, data export and account deletion (under
/readers/)."""

from django.urls import path

import core.converters  # noqa: F401  (registers <id:...>)
from discussion import ignore_views, reader_views

urlpatterns = [
    path("<id:reader_id>/", reader_views.profile, name="reader_profile"),
    # A member's name in a thread links here: a comment knows its author's account, not the
    # reader profile's id.
    path("member/<id:user_id>/", reader_views.profile_of_member, name="reader_profile_of_member"),
    path("me/name/", reader_views.name_change, name="reader_name_change"),
    path("me/ignoring/", ignore_views.ignoring_stop, name="reader_ignoring_stop"),
    path("me/export/", reader_views.export, name="reader_export"),
    path("me/delete/", reader_views.delete, name="reader_delete"),
]
