"""The admin home page's "Scheduled to publish" panel: what goes live next, and when, for the
pages the signed-in editor may edit. Wagtail shows a scheduled page's status on the page itself;
a newsroom also wants the day's timetable in one place."""

from __future__ import annotations

from wagtail.admin.ui.components import Component

from newsroom import selectors


class ScheduledPanel(Component):
    name = "scheduled_pages"
    template_name = "newsroom/admin/home_scheduled.html"
    order = 95  # after "Comments waiting" (90), above Wagtail's own panels

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context["scheduled"] = selectors.scheduled_pages(user=parent_context["request"].user)
        return context


def add_panel(request, panels) -> None:
    panels.append(ScheduledPanel())
