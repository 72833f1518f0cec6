"""The admin home page's "Comments waiting" panel: what waits for a moderator, linked to its
queue, at the top of the page staff land on after signing in. Shown only to those who may
moderate."""

from __future__ import annotations

from django.urls import reverse
from wagtail.admin.ui.components import Component

from moderation import actions, selectors


class CommentsWaitingPanel(Component):
    name = "comments_waiting"
    template_name = "moderation/admin/home_waiting.html"
    order = 90  # above Wagtail's own panels (workflows 210 and on)

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        waiting = selectors.waiting_for_moderators()
        queue = "moderation_admin:queue"
        context["waiting"] = waiting
        context["cap"] = selectors.COUNT_CAP
        context["rows"] = [
            ("Pending review", waiting.pending, reverse(queue, args=["pending"])),
            ("Reported by readers", waiting.reported, reverse(queue, args=["reported"])),
            ("Appeals", waiting.appeals, reverse(queue, args=["appeals"])),
            ("Coordinated campaigns", waiting.campaigns, reverse("moderation_campaigns:list")),
        ]
        return context


def add_panel(request, panels) -> None:
    if request.user.has_perm(actions.PERMISSION):
        panels.append(CommentsWaitingPanel())
