"""Threads in the Wagtail admin: staff close a discussion or choose whether guests may post."""

from __future__ import annotations

from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel
from wagtail.admin.ui.tables import Column
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from discussion.models import Thread
from discussion.services import thread_update


class ThreadForm(WagtailAdminModelForm):
    """Saves through ``thread_update`` so the change also bumps the thread's version."""

    def save(self, commit: bool = True) -> Thread:
        if not commit or self.instance.pk is None:
            return super().save(commit=commit)
        return thread_update(
            thread=self.instance,
            is_closed=self.cleaned_data["is_closed"],
            guests_allowed=self.cleaned_data["guests_allowed"],
        )


def _discussion_state(thread: Thread) -> str:
    return "Closed" if thread.is_closed else "Open"


def _guests_state(thread: Thread) -> str:
    if thread.guests_allowed is None:
        return "As the site"  # COMMENTS_REQUIRE_ACCOUNT decides
    return "Allowed" if thread.guests_allowed else "Accounts only"


class ThreadViewSet(SnippetViewSet):
    model = Thread
    icon = "comment"
    menu_label = "Discussions"
    add_to_admin_menu = True
    menu_order = 250
    # Words, not the fields' raw True/False/None.
    list_display = [
        "title",
        "comment_count",
        Column("is_closed", label="Discussion", accessor=_discussion_state, sort_key="is_closed"),
        Column("guests_allowed", label="Guests", accessor=_guests_state, sort_key="guests_allowed"),
    ]
    list_filter = ["is_closed"]
    search_fields = ["title"]
    base_form_class = ThreadForm
    panels = [FieldPanel("is_closed"), FieldPanel("guests_allowed")]


register_snippet(ThreadViewSet)
