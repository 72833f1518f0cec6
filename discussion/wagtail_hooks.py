"""Threads in the Wagtail admin: staff close a discussion or choose whether guests may post.

A thread comes from its page (made when the page is published or first commented on), so the
admin neither adds nor deletes one: an added thread belonged to no page, and a deleted one would
take its comments, reports and appeals with it, rewriting the published transparency report.
Deleting the page leaves the thread, without a page (``Thread.page`` is SET_NULL), and the
page's delete confirmation (and the bulk Delete's, for several pages) says how many comments
that keeps out of readers' sight.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils.functional import cached_property
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel
from wagtail.admin.ui.tables import BulkActionsCheckboxColumn, Column
from wagtail.admin.views.pages.bulk_actions.delete import DeleteBulkAction
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import IndexView, SnippetViewSet

from discussion.models import Thread
from discussion.selectors import comments_under_page_count
from discussion.services import thread_update

# Closing and reopening a thread, without the rest of editing it (Thread.Meta.permissions).
CLOSE_PERMISSION = "discussion.close_thread"
CHANGE_PERMISSION = "discussion.change_thread"


class ThreadPermissionPolicy(ModelPermissionPolicy):
    """Edit only: nobody, superusers included, may add or delete a thread in the admin. With no
    permission for them Wagtail shows no Add or Delete button and refuses those URLs.

    "change" is also granted by ``discussion.close_thread`` alone (the Moderators group has it):
    such a user lists and opens threads, and the edit form shows them the Closed box only
    (``ThreadViewSet.panels``)."""

    REFUSED = frozenset({"add", "delete"})

    def user_has_permission(self, user, action: str) -> bool:
        if action in self.REFUSED:
            return False
        if action == "change" and user.has_perm(CLOSE_PERMISSION):
            return True
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions) -> bool:
        return super().user_has_any_permission(user, [a for a in actions if a not in self.REFUSED])

    def users_with_any_permission(self, actions):
        allowed = [a for a in actions if a not in self.REFUSED]
        if not allowed:  # Wagtail's own would still list every superuser
            return get_user_model().objects.none()
        codenames = self._get_permission_codenames(allowed)
        if "change" in allowed:
            codenames.add(CLOSE_PERMISSION.partition(".")[2])
        return self._get_users_with_any_permission_codenames(codenames)


# Before anything asks Wagtail for Thread's policy (which would make the default one).
register_permission_policy(Thread, ThreadPermissionPolicy(Thread))


class ThreadForm(WagtailAdminModelForm):
    """Saves through ``thread_update`` so the change also bumps the thread's version. A user who
    may only close and reopen threads has no "guests allowed" field (Wagtail leaves out a panel's
    field its ``permission`` does not grant), and the thread keeps its setting."""

    def save(self, commit: bool = True) -> Thread:
        if not commit or self.instance.pk is None:
            return super().save(commit=commit)
        return thread_update(
            thread=self.instance,
            is_closed=self.cleaned_data["is_closed"],
            guests_allowed=self.cleaned_data.get("guests_allowed", self.instance.guests_allowed),
        )


class ThreadIndexView(IndexView):
    """The list without its tick boxes: a snippet's only bulk action is Delete."""

    @cached_property
    def columns(self):
        return [c for c in super().columns if not isinstance(c, BulkActionsCheckboxColumn)]


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
    index_view_class = ThreadIndexView
    index_template_name = "wagtailadmin/generic/index.html"  # no bulk actions' footer
    panels = [
        FieldPanel("is_closed"),
        # Who may post is the newsroom's choice, not the moderators' (they may close a thread).
        FieldPanel("guests_allowed", permission=CHANGE_PERMISSION),
    ]


register_snippet(ThreadViewSet)


def _warn_of_comments(request, count: int, *, pages: int, beneath: bool) -> None:
    """``beneath``: the pages have pages under them (a section's articles), whose comments the
    count takes in."""
    if not count:
        return
    it = "it" if pages == 1 else "them"
    if beneath:
        what = f"{'This page' if pages == 1 else 'These pages'} and the pages under {it} have"
    else:
        what = "This page has" if pages == 1 else "These pages have"
    messages.warning(
        request,
        f"{what} {count:,} reader comment{'s' if count != 1 else ''}. Deleting {it} keeps the "
        "comments, with their reports, appeals and moderation decisions, for the record (the "
        "transparency report does not change), but readers will no longer see them.",
    )


@hooks.register("before_delete_page")
def say_what_happens_to_the_comments(request, page):
    """On the delete confirmation (GET), tell the editor how many reader comments the page and
    the pages beneath it have, and that deleting keeps them for the record but shows them to
    nobody. The POST that deletes goes ahead as Wagtail's own."""
    if request.method == "GET":
        _warn_of_comments(
            request, comments_under_page_count(page=page), pages=1, beneath=page.numchild > 0
        )
    return None


class DeleteSayingWhatHappensToTheComments(DeleteBulkAction):
    """Wagtail's bulk Delete of pages, whose confirmation says the same as a single page's."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.request.method == "GET":
            pages = [entry["item"] for entry in context["items"]]
            # A page chosen with its section is counted once, in the section's count.
            tops = [
                p for p in pages if not any(p.path.startswith(q.path) and p != q for q in pages)
            ]
            count = sum(comments_under_page_count(page=page) for page in tops)
            _warn_of_comments(
                self.request, count, pages=len(pages), beneath=any(p.numchild for p in tops)
            )
        return context


# After Wagtail's own registration (order 0), so this class takes the "delete" action's place.
hooks.register("register_bulk_action", DeleteSayingWhatHappensToTheComments, order=1)
