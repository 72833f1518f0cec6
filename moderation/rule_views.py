"""The editors of moderation's rules, scorer thresholds and page settings (Wagtail snippets),
with each save and deletion counted against the staff member's limit (moderation.pace).

A save refused for it comes back as a form with what was typed, and the reason at its top (429);
one that cannot be counted, Redis not answering, comes back the same way with a 503, as a reader's
refused comment does. Nothing is saved either way.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from wagtail.snippets.views import snippets

from core import ratelimit
from core.cache import UNREACHABLE
from core.middleware import RETRY_AFTER_SECONDS, UNREACHABLE_DETAIL
from moderation import pace


class _Paced:
    """Counts a create or edit form's save before it is validated: over the limit, or not
    counted, the form is invalid with the reason, and keeps every field as typed."""

    refused_status: int | None = None

    def is_valid(self, form) -> bool:
        try:
            over = pace.over_limit(self.request)
        except UNREACHABLE:
            return self._refuse(form, UNREACHABLE_DETAIL, status=503)
        if over:
            return self._refuse(
                form, pace.too_fast_message(kept="What you typed is kept below."), status=429
            )
        return super().is_valid(form)

    def _refuse(self, form, reason: str, *, status: int) -> bool:
        form.add_error(None, reason)
        self.produced_error_code = "rate_limited"
        self.produced_error_message = "Nothing was saved."
        self.refused_status = status
        return False

    def form_invalid(self, form) -> HttpResponse:
        response = super().form_invalid(form)
        if self.refused_status is not None:
            response.status_code = self.refused_status
            response["Retry-After"] = str(
                RETRY_AFTER_SECONDS
                if self.refused_status == 503
                else ratelimit.seconds_to_next_window(settings.MODERATION_STAFF_RATE)
            )
        return response


class CreateView(_Paced, snippets.CreateView):
    pass


class CopyView(snippets.CopyView, CreateView):
    pass


class EditView(_Paced, snippets.EditView):
    pass


class DeleteView(snippets.DeleteView):
    """A deletion over the limit goes back to its confirmation page, saying why; nothing was
    typed there to keep. Not counted (Redis not answering): the 503 of
    core.middleware.UnreachableCacheAnswers."""

    def form_valid(self, form) -> HttpResponse:
        if pace.over_limit(self.request):
            messages.error(self.request, pace.too_fast_message(kept=""))
            return HttpResponseRedirect(self.request.get_full_path())
        return super().form_valid(form)


def bulk_action_paced(request, action_type, objects, action_view):
    """Wagtail's ``before_bulk_action`` hook: a bulk deletion of rules, thresholds or page
    settings counts once, as the queue's bulk actions do."""
    from moderation.models import ModerationSettings, Rule, ScorerThreshold

    if getattr(action_view, "model", None) not in (Rule, ScorerThreshold, ModerationSettings):
        return None
    if pace.over_limit(request):
        messages.error(request, pace.too_fast_message(kept=""))
        return HttpResponseRedirect(request.get_full_path())
    return None
