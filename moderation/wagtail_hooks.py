"""Moderation in the Wagtail admin: the queues and dashboard, the rules editor, and the
"moderate comments" permission for groups."""

from __future__ import annotations

from django.contrib.auth.models import Permission
from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from moderation import actions, admin_panels, admin_views, campaign_views, rule_views
from moderation.models import ModerationSettings, Rule, ScorerThreshold


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("moderation/", include((admin_views.urlpatterns, "moderation_admin")))]


class _ModeratorMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(actions.PERMISSION)


@hooks.register("register_admin_menu_item")
def register_menu_item():
    return _ModeratorMenuItem(
        "Comments",
        reverse("moderation_admin:queue", args=["pending"]),
        icon_name="comment",
        order=250,
    )


@hooks.register("register_admin_menu_item")
def register_dashboard_item():
    return _ModeratorMenuItem(
        "Moderation",
        reverse("moderation_admin:dashboard"),
        icon_name="view",
        order=251,
    )


@hooks.register("register_permissions")
def register_permissions():
    return Permission.objects.filter(
        content_type__app_label="moderation", codename="moderate_comments"
    )


class _PacedViewSet(SnippetViewSet):
    """Saves and deletions count against the staff member's limit (moderation.pace)."""

    add_view_class = rule_views.CreateView
    copy_view_class = rule_views.CopyView
    edit_view_class = rule_views.EditView
    delete_view_class = rule_views.DeleteView


hooks.register("before_bulk_action", rule_views.bulk_action_paced)


class RuleViewSet(_PacedViewSet):
    model = Rule
    icon = "warning"
    menu_label = "Moderation rules"
    list_display = ["pattern", "kind", "is_regex", "is_active", "updated_at"]
    list_filter = ["kind", "is_regex", "is_active"]
    search_fields = ["pattern", "note"]


class ScorerThresholdViewSet(_PacedViewSet):
    model = ScorerThreshold
    icon = "cog"
    menu_label = "Scorer thresholds"
    list_display = ["scorer", "hold_at", "ask_first"]


class ModerationSettingsViewSet(_PacedViewSet):
    model = ModerationSettings
    icon = "doc-full"
    menu_label = "Moderation by page"
    list_display = ["page", "mode", "close_after_days"]


register_snippet(RuleViewSet)
register_snippet(ScorerThresholdViewSet)
register_snippet(ModerationSettingsViewSet)


@hooks.register("register_admin_urls")
def register_campaign_urls():
    return [
        path(
            "moderation/campaigns/",
            include((campaign_views.urlpatterns, "moderation_campaigns")),
        )
    ]


@hooks.register("register_admin_menu_item")
def register_campaigns_item():
    return _ModeratorMenuItem(
        "Campaigns",
        reverse("moderation_campaigns:list"),
        icon_name="group",
        order=252,
    )


hooks.register("construct_homepage_panels", admin_panels.add_panel)


@hooks.register("register_reports_menu_item")
def register_transparency_report_item():
    """The public transparency report (/transparency/), under the admin's Reports with Wagtail's
    own: moderators otherwise met it only in the site's footer."""
    return _ModeratorMenuItem(
        "Transparency report",
        reverse("transparency"),
        icon_name="doc-full",
        order=1300,  # after Wagtail's own reports (700 to 1200)
    )
