"""Exporting the site's comments from the Wagtail admin, for staff without a shell: the same
file ``manage.py export_comments`` writes, streamed as it is read. The whole site's comments are
the newsroom's data (and, with emails, its readers' personal data), so only superusers see it."""

from __future__ import annotations

import json

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from importers.exports import export_lines


def _require_superuser(request: HttpRequest) -> None:
    if not request.user.is_superuser:
        raise PermissionDenied("Only an administrator can export the site's comments.")


@require_http_methods(["GET", "POST"])
def export(request: HttpRequest) -> HttpResponse:
    _require_superuser(request)
    if request.method == "GET":
        return render(
            request,
            "importers/admin/export.html",
            {
                "page_title": "Export comments",
                "header_title": "Export comments",
                "header_icon": "download",
            },
        )
    with_emails = request.POST.get("with_emails") == "on"
    lines = (
        json.dumps(line, ensure_ascii=False) + "\n"
        for line in export_lines(with_emails=with_emails)
    )
    response = StreamingHttpResponse(lines, content_type="application/x-ndjson; charset=utf-8")
    stamp = timezone.now().strftime("%Y-%m-%d")
    response["Content-Disposition"] = f'attachment; filename="comments-{stamp}.jsonl"'
    response["Cache-Control"] = "no-store"
    return response


app_name = "importers_admin"
urlpatterns = [path("", export, name="export")]
