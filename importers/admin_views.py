"""Exporting and importing the site's comments in the Wagtail admin, for staff without a shell.

The export is the same file ``manage.py export_comments`` writes, streamed as it is read. An
import is uploaded here and run by the task worker (importers.tasks) through the same path as
``manage.py import_comments``; its page shows how far it has got and then its report. The whole
site's comments are the newsroom's data (and, with emails, its readers' personal data), so only
superusers see either."""

from __future__ import annotations

import json

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from core import ratelimit
from core.cache import UNREACHABLE
from core.middleware import RETRY_AFTER_SECONDS, UNREACHABLE_DETAIL
from importers import selectors, services
from importers.exports import export_lines
from importers.forms import ImportUploadForm
from importers.models import ImportRun


def _require_superuser(request: HttpRequest, what: str = "export") -> None:
    if not request.user.is_superuser:
        raise PermissionDenied(f"Only an administrator can {what} the site's comments.")


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


def _too_many_imports(request: HttpRequest, *, refused_upload: bool = False) -> bool:
    """Count one import started by this administrator, an upload or a run again, against
    IMPORT_RATE; True when it is over. Redis not answering raises (core.cache.UNREACHABLE).

    An upload the form refuses (another platform's file, no export at all, too big) is stored
    and queued for nothing, so it is not an import: it counts on a counter of its own, at the
    same rate. A staff member who picks the wrong file a few times can still import the right
    one, and a script that sends refused uploads over and over is still told to wait."""
    prefix = "import-refused" if refused_upload else "import-start"
    return ratelimit.over_rates([(f"user:{request.user.pk}", settings.IMPORT_RATE)], prefix=prefix)


def _too_many_imports_message(*, refused_upload: bool = False) -> str:
    # The wait said is the answer's Retry-After (import_page), in words.
    wait = ratelimit.wait_in_words(ratelimit.seconds_to_next_window(settings.IMPORT_RATE))
    if refused_upload:
        return (
            f"You have sent as many files that cannot be imported as this site allows for now "
            f"(IMPORT_RATE is {settings.IMPORT_RATE}). An export of the platform chosen is "
            f"still imported; {wait}, then send any other file again."
        )
    return (
        f"You have started as many imports as this site allows for now (IMPORT_RATE is "
        f"{settings.IMPORT_RATE}), so nothing was imported. {wait.capitalize()}, then try again."
    )


@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest) -> HttpResponse:
    _require_superuser(request, "import")
    # Bound for every POST, one with no fields too (sent as text/plain, or empty): refused as a
    # form sent empty, where ``request.POST or None`` read it as no form at all.
    if request.method == "POST":
        form = ImportUploadForm(request.POST, request.FILES)
    else:
        form = ImportUploadForm()
    status = 400 if form.is_bound else 200
    refused = ""
    if request.method == "POST":
        # The form is checked first: only an upload it takes is an import, and counted as one.
        refused_upload = not form.is_valid()
        try:
            if _too_many_imports(request, refused_upload=refused_upload):
                refused = _too_many_imports_message(refused_upload=refused_upload)
                status = 429
        except UNREACHABLE:
            refused, status = UNREACHABLE_DETAIL, 503
        if refused:
            # The platform stays chosen; a browser never keeps a chosen file, so it says so.
            form.add_error(None, f"{refused} Choose the file again to upload it.")
        elif not refused_upload:
            run = services.import_run_create(
                platform=form.cleaned_data["platform"],
                upload=form.cleaned_data["file"],
                user=request.user,
            )
            return redirect("importers_import:run", run_id=run.pk)
    response = render(
        request,
        "importers/admin/import.html",
        {
            "page_title": "Import comments",
            "header_title": "Import comments",
            "header_icon": "upload",
            "form": form,
            "runs": selectors.import_runs_recent(),
        },
        status=status,
    )
    if status == 429:
        response["Retry-After"] = str(ratelimit.seconds_to_next_window(settings.IMPORT_RATE))
    elif status == 503:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


@require_http_methods(["GET"])
def import_run(request: HttpRequest, run_id: int) -> HttpResponse:
    _require_superuser(request, "import")
    run = get_object_or_404(ImportRun, pk=run_id)
    return render(
        request,
        "importers/admin/import_run.html",
        {
            "page_title": f"Import of {run.file_name}",
            "header_title": "Import comments",
            "header_icon": "upload",
            "run": run,
            "percent": run.read_bytes * 100 // run.size if run.size else 0,
            "can_run_again": selectors.import_run_can_run_again(run),
        },
    )


@require_http_methods(["POST"])
def import_run_again(request: HttpRequest, run_id: int) -> HttpResponse:
    """Run again an import whose task worker stopped part-way (services.import_run_again)."""
    _require_superuser(request, "import")
    get_object_or_404(ImportRun, pk=run_id)
    if _too_many_imports(request):  # Redis not answering: the 503 of UnreachableCacheAnswers
        messages.error(request, _too_many_imports_message())
    else:
        try:
            services.import_run_again(run_id=run_id)
        except services.RunAgainRefused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, "The import is queued again for the task worker.")
    return redirect("importers_import:run", run_id=run_id)


app_name = "importers_admin"
urlpatterns = [path("", export, name="export")]
import_urlpatterns = [
    path("", import_upload, name="upload"),
    path("<int:run_id>/", import_run, name="run"),
    path("<int:run_id>/again/", import_run_again, name="again"),
]
