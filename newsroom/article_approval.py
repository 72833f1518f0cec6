"""A reviewer's Approve keeps the rules an article's edit form keeps.

An article will not publish an image without alt text, nor a lead image narrower than
``LEAD_IMAGE_MIN_WIDTH`` (``newsroom.forms``). Submitting it for review checks them, but a draft
saved while it waits for review is not checked (a draft may hold such an image), and the
reviewer's Approve on the dashboard, the page listing or the review's preview publishes the
latest draft with no form at all (Wagtail's workflow action). So Approve, when it would end the
review and publish, first checks that draft as bulk Publish does: if an image must be fixed,
nothing is approved or published and the reviewer is told which image and why ("Approve with
comment" says it in its dialog, the comment kept). Wagtail routes the action through the
viewset of the page's type, registered for articles (and so live blogs) in
``newsroom.wagtail_hooks``.
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from wagtail.admin.views.pages.workflow import WorkflowActionView
from wagtail.admin.viewsets.pages import PageViewSet
from wagtail.models import Task

from newsroom.images import article_image_problems

NOT_APPROVED = "Not approved, and nothing was published: an image must be fixed first."


def approval_publishes(task_state) -> bool:
    """Whether approving ``task_state`` ends its workflow, which publishes the page: no other
    active task of the workflow is left to approve."""
    workflow_state = task_state.workflow_state
    return not (
        Task.objects.filter(workflow_tasks__workflow=workflow_state.workflow, active=True)
        .exclude(task_states__in=workflow_state.successful_task_states)
        .exclude(pk=task_state.task_id)
        .exists()
    )


class ArticleWorkflowActionView(WorkflowActionView):
    def post(self, request, *args, **kwargs):
        if self.action_name == "approve" and approval_publishes(self.task_state):
            problems = article_image_problems(self.object)
            if problems:
                return self._refuse(request, " ".join([NOT_APPROVED, *problems]))
        return super().post(request, *args, **kwargs)

    def _refuse(self, request, message: str):
        if self.form_class and request.headers.get("x-requested-with") == "XMLHttpRequest":
            # "Approve with comment": its dialog again, saying why, with the comment typed.
            form = self.form_class(request.POST)
            form.add_error(None, message)
            return self.render_modal_form(request, form)
        messages.error(request, message)
        return redirect(self.redirect_url)


class ArticleViewSet(PageViewSet):
    workflow_action_view_class = ArticleWorkflowActionView

    @property
    def parent_models(self):
        # The sections' page listings stay Wagtail's own: this viewset changes one action only.
        return []


def article_viewset() -> ArticleViewSet:
    from newsroom.models import ArticlePage

    return ArticleViewSet(model=ArticlePage)
