"""Reader-facing moderation pages: report a comment, read why a comment was held or rejected and
appeal, and the public transparency report. Thin: each calls a service or a selector."""

from __future__ import annotations

import csv
import secrets
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from accounts.session_ended import unsent_session_ended
from core import ratelimit
from core.cache import UNREACHABLE
from core.client import client_ip, client_network, guest_key, guest_key_ensure
from core.middleware import UNREACHABLE_DETAIL, unreachable_in_place
from discussion import identity
from discussion import selectors as discussion_selectors
from discussion.edit_window import edit_window_ends, edit_window_open
from discussion.models import Comment
from moderation import selectors, services, statement_links
from moderation.forms import AppealForm, ReportForm
from moderation.models import CommentReview, ModerationAction
from moderation.pipeline import over_rate, over_rates
from moderation.reasons import plain


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _in_thread(request: HttpRequest) -> bool:
    """Whether the report form was sent from under the comment in its thread (htmx), where the
    answer also turns the comment's Report link into "Reported"; not from the report's own page,
    which has no such link for htmx to find."""
    if not _is_htmx(request):
        return False
    return urlsplit(request.headers.get("HX-Current-URL", "")).path != request.path


def requester_key(request: HttpRequest) -> str:
    """The reader asking, in the same terms screening records authors (see pipeline.reader_key)."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    key = guest_key(request)
    return f"guest:{key}" if key else ""


def _comment_page_url(comment: Comment) -> str:
    return f"/c/{comment.pk}/"


@require_http_methods(["GET", "POST"])
def report(request: HttpRequest, comment_id: int) -> HttpResponse:
    """A small form: its own page without JavaScript, a fragment under the comment with htmx."""
    comment = get_object_or_404(Comment, pk=comment_id, status=Comment.Status.PUBLISHED)
    if discussion_selectors.readable_thread(request=request, thread_id=comment.thread_id) is None:
        # Under an article this reader may not open (private, or no longer published): the
        # page would show the comment, so it is as missing as the article's discussion.
        raise Http404("No such comment")
    template = "moderation/_report_form.html" if _is_htmx(request) else "moderation/report.html"
    context = {"comment": comment, "back_url": _comment_page_url(comment)}
    if request.method == "GET":
        try:
            services.report_check(comment=comment, reporter_key=requester_key(request))
        except services.ModerationRefused as refusal:
            # No form to fill in for nothing: the reason instead, where the form would be. As
            # with a refused report, htmx gets 422 so that site.js lets it swap the message in.
            if _is_htmx(request):
                template, status = "moderation/_report_refused.html", 422
            else:
                status = 403
            context["already_reported"] = isinstance(refusal, services.AlreadyReported)
            return render(request, template, {**context, "refused": str(refusal)}, status=status)
        return render(request, template, {**context, "form": ReportForm(comment_id=comment.pk)})

    form = ReportForm(request.POST, comment_id=comment.pk)
    key = requester_key(request)
    new_guest = ""
    if not key:  # a guest's first report: one report per reader needs to know the reader
        new_guest = secrets.token_urlsafe(16)
        key = f"guest:{new_guest}"
    saved = False
    status = 400
    try:
        too_fast = any(
            [
                over_rate(f"report:{key}", settings.MODERATION_REPORT_RATE),
                over_rate(f"report-ip:{client_ip(request)}", settings.MODERATION_REPORT_RATE),
            ]
        )
    except UNREACHABLE:
        too_fast = None  # not counted, Redis not answering (core.cache)
    if too_fast is None:
        # Nothing is saved, and the form comes back with the reader's reason and words, as the
        # comment form does.
        form.is_valid()
        form.add_error(None, UNREACHABLE_DETAIL + " Your text is still here.")
        status = 503
    elif too_fast:
        form.is_valid()
        wait = ratelimit.seconds_to_next_window(settings.MODERATION_REPORT_RATE)
        said = "You are sending reports faster than this site allows. {Wait}."
        form.add_error(None, ratelimit.say_wait(said, wait))
        status = 429
    elif form.is_valid():
        try:
            services.report_create(
                comment=comment,
                reporter_key=key,
                network=client_network(request),
                reason=form.cleaned_data["reason"],
                text=form.cleaned_data["text"],
            )
        except services.ModerationRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            saved = True
            status = 200
            if _is_htmx(request):
                template = "moderation/_report_thanks.html"
            context["done"] = True
            context["in_thread"] = _in_thread(request)
    if status == 400 and _is_htmx(request):
        # htmx swaps only the refusals site.js lets through (422, 429, and the 503 marked by
        # unreachable_in_place): the form comes back in place with the message beside the field
        # and the reader's reason and words kept.
        status = 422
    response = render(request, template, {**context, "form": form}, status=status)
    if status == 503:
        unreachable_in_place(response)
    if status == 429:
        response["Retry-After"] = str(wait)  # the wait the message says
    if new_guest and saved:
        # The cookie that says which reader sent the report, handed out only with a report
        # saved under it: a refused or rate-limited report hands out nothing, so this form is no
        # source of fresh guest identities (each of which could recommend a comment once).
        guest_key_ensure(request, response, key=new_guest)
    return response


# Checks whose own sentence names what they found (the word, the site linked to, what the
# scorer saw): that sentence says the reason, so it stands instead of the general one.
_SPECIFIC_CHECKS = ("suspect_word", "link", "scorer")


def _codes(decision: ModerationAction) -> list[str]:
    """The reason codes behind a decision: every check that held it, for screening's hold."""
    codes = (decision.evidence or {}).get("codes") if decision.automated else None
    if codes:
        return list(codes)
    if decision.reason_code:
        return [decision.reason_code]
    if decision.kind in (ModerationAction.Kind.HOLD, ModerationAction.Kind.REJECT):
        return [decision.kind]
    return []  # an approval or a feature needs no reason, and is not given "breaks the rules"


def _found(decision: ModerationAction, review: CommentReview) -> list[str] | None:
    """Screening's own sentence for each of a hold's codes, in order, or None if unknown.

    A hold keeps its sentences in its evidence; an older one shares them with the review, whose
    ``reasons`` pair with its ``codes`` only while they are this hold's codes.
    """
    evidence = decision.evidence or {}
    codes = evidence.get("codes") if decision.automated else None
    if not codes:
        return None
    reasons = evidence.get("reasons")
    if reasons is None and list(codes) == list(review.codes):
        reasons = review.reasons
    return list(reasons) if reasons is not None and len(reasons) == len(codes) else None


def _reasons_in_plain_words(decision: ModerationAction, review: CommentReview) -> list[str]:
    """Why a decision was made, each reason said once: what a word, link or scorer check found
    ("It uses “moron”, which a moderator checks first."), else moderation.reasons' sentence.
    An approval that answered reports says what it did: one that kept the comment up
    published nothing."""
    evidence = decision.evidence or {}
    if decision.kind == ModerationAction.Kind.APPROVE and evidence.get("reports_dismissed"):
        if evidence.get("kept_up"):
            return ["Readers reported it. A moderator read it and left it up."]
        return ["Readers reported it. A moderator read it and published it again."]
    found = _found(decision, review)
    sentences: list[str] = []
    for i, code in enumerate(_codes(decision)):
        check = code if code.startswith("scorer:") else code.split(":")[0]
        if found is not None and code.split(":")[0] in _SPECIFIC_CHECKS:
            sentence = found[i]
        else:
            sentence = plain(check)
        if sentence not in sentences:
            sentences.append(sentence)
    return sentences


def _found_in_text(decision: ModerationAction, review: CommentReview) -> bool:
    """Whether the page quotes what a check found in the text (a word, a site)."""
    return _found(decision, review) is not None and any(
        code.split(":")[0] in _SPECIFIC_CHECKS for code in _codes(decision)
    )


def _while_waiting(request: HttpRequest, comment: Comment, hold: ModerationAction | None) -> dict:
    """What the author of a held comment can do while it waits, as the own-comment views allow:
    edit it within the edit window, delete it (a guest only within that window)."""
    owner = identity.commenter(request).owns(comment)
    window_open = edit_window_open(comment)
    author = comment.author if comment.author_id else None
    codes = (hold.evidence or {}).get("codes", []) if hold is not None else []
    return {
        "can_edit": owner and window_open,
        "can_delete": owner and (comment.author_id is not None or window_open),
        "edit_until": edit_window_ends(comment),
        "emailed_if_rejected": bool(
            getattr(author, "email", "") if author is not None else comment.author_email
        ),
        "first_comments": settings.MODERATION_TRUST_FIRST_COMMENTS
        if "new_commenter" in codes
        else 0,
    }


def _statement_link_expired(request: HttpRequest, comment: Comment) -> HttpResponse:
    """The emailed link to a statement, opened after its lifetime (``statement_links``): a page
    that says so, and how its author sees the statement now (signed in, for a member; in the
    browser they commented in, for a guest), with any appeal text the request sent, to copy.
    410: the address worked once and no longer does."""
    path = reverse("moderation:statement", args=[comment.pk])
    context = {
        "member": comment.author_id is not None,
        "sign_in_url": redirect_to_login(path).url,
        "days": settings.MODERATION_APPEAL_DAYS,
        "text": request.POST.get("text", "") if request.method == "POST" else "",
    }
    return render(request, "moderation/statement_link_expired.html", context, status=410)


def _appeal_counted(request: HttpRequest, key: str, form: AppealForm) -> tuple[int, int] | None:
    """Count an appeal against ``MODERATION_APPEAL_RATE``, per reader and per address: None when
    it may be read, else the answer's status and, for a 429, the wait in seconds, with ``form``
    given the reason (its text kept: nothing is sent)."""
    try:
        too_fast = over_rates(
            [
                (f"appeal:{key}", settings.MODERATION_APPEAL_RATE),
                (f"appeal-ip:{client_ip(request)}", settings.MODERATION_APPEAL_RATE),
            ]
        )
    except UNREACHABLE:
        # Not counted, Redis not answering (core.cache): nothing is sent, and the form comes back
        # with the reader's text, as a report's does.
        form.is_valid()
        form.add_error(None, UNREACHABLE_DETAIL + " Your text is kept below.")
        return 503, 0
    if not too_fast:
        return None
    form.is_valid()
    wait = ratelimit.seconds_to_next_window(settings.MODERATION_APPEAL_RATE)
    said = (
        "You are sending appeals faster than this site allows. {Wait}, then send it again: your "
        "text is kept below."
    )
    form.add_error(None, ratelimit.say_wait(said, wait))
    return 429, wait


@require_http_methods(["GET", "POST"])
def statement(request: HttpRequest, comment_id: int) -> HttpResponse:
    """The statement of reasons for one comment, shown only to its author, with the appeal form.

    A held comment's page says why it waits, what happens next and what its author can do; a
    rejected one's offers the appeal. A hold is not offered for appeal: a moderator reads the
    comment anyway, and there is nothing to appeal until one has decided.
    """
    comment = get_object_or_404(
        Comment.objects.select_related("author", "thread__page"), pk=comment_id
    )
    review = CommentReview.objects.filter(comment=comment).first()
    key = requester_key(request)
    if review is None:
        raise Http404("No such comment")
    browser_guest = guest_key(request)
    if key != review.reader_key and browser_guest and review.reader_key == f"guest:{browser_guest}":
        # Written in this browser as a guest, before its reader signed up or in: the thread still
        # shows it to them as its author (the guest cookie lists it), with this page's link.
        key = review.reader_key
    link = request.GET.get("key", "")
    if (not key or review.reader_key != key) and link:
        state = statement_links.link_state(
            comment_id=comment.pk,
            reader_key=review.reader_key,
            key=link,
            undated_since=lambda: selectors.newest_decision_at(comment_id=comment.pk),
        )
        if state is statement_links.Link.OPENS:
            # The link emailed to its author, opened where their cookie or sign-in is not.
            key = review.reader_key
        elif state is statement_links.Link.EXPIRED:
            return _statement_link_expired(request, comment)
    if not key or review.reader_key != key:
        if (
            request.method == "POST"
            and comment.author_id is not None
            and not request.user.is_authenticated
        ):
            # The member's session ended as they wrote (a browser that restored its tabs keeps
            # the form's token but no session): their words back, and the way to sign in.
            return unsent_session_ended(
                request,
                text=request.POST.get("text", ""),
                unsent="Your appeal was not sent",
                form_named="the appeal form",
            )
        raise Http404("No such comment")
    decisions = selectors.statement_for(comment.pk)
    rejected = comment.status == Comment.Status.REJECTED
    appealable = next(
        (d for d in decisions if rejected and d.kind == ModerationAction.Kind.REJECT), None
    )
    form = AppealForm()
    status = 200
    appealed = False
    nothing_to_appeal = False
    if request.method == "POST":
        form = AppealForm(request.POST)
        if refused := _appeal_counted(request, key, form):
            status, wait = refused  # the form comes back with why, and the text
        elif form.is_valid() and appealable is not None:
            try:
                services.appeal_create(
                    action=appealable, reader_key=key, text=form.cleaned_data["text"]
                )
                appealed = True
                decisions = selectors.statement_for(comment.pk)
                appealable = next(d for d in decisions if d.pk == appealable.pk)
            except services.ModerationRefused as refusal:
                form.add_error(None, str(refusal))
                status = 400
        elif appealable is None:
            # Sent from a page loaded while the comment was removed, which a moderator has
            # since published (or the form was sent for a comment never removed): no form to
            # come back to, so the page says why nothing was sent.
            nothing_to_appeal = True
            status = 400
        else:
            status = 400
    for decision in decisions:
        decision.plain_reasons = _reasons_in_plain_words(decision, review)
        # What a check found was true of the text it read: an edit since may have taken the
        # word or link out, so the page says when it was found rather than that it is there.
        decision.found_before_edit = _found_in_text(decision, review) and bool(
            comment.edited_at and comment.edited_at > decision.created_at
        )
    pending = comment.status == Comment.Status.PENDING
    thread = comment.thread
    # Until when the decision may be appealed (services.appeal_create refuses one after): past
    # it, the page says so rather than offering a form whose appeal would be refused once
    # written. One sent from a page loaded in time comes back with its text and the refusal.
    appeal_ends = (
        appealable.created_at + timedelta(days=settings.MODERATION_APPEAL_DAYS)
        if appealable is not None
        else None
    )
    context = {
        "comment": comment,
        # The thread's title follows the published headline, and stays when the page is
        # deleted (then there is no article to link to).
        "article_title": thread.title,
        # Unpublished, the article and the comment's link are 404s: named, not linked.
        "article_live": thread.page is not None and thread.page.live,
        "review": review,
        "decisions": decisions,
        "pending": pending,
        "rejected": rejected,
        # Taken down after readers had it, rather than kept from them (actions.RejectComment).
        "removed": rejected
        and appealable is not None
        and bool((appealable.evidence or {}).get("was_published")),
        "appealable": appealable,
        # Whether the decision open to appeal has one already: an earlier rejection's appeal,
        # upheld, leaves a later rejection (after an edit, say) its own appeal.
        "has_appeal": appealable is not None and bool(appealable.appeals.all()),
        "form": form,
        "appealed": appealed,
        "nothing_to_appeal": nothing_to_appeal,
        "appeal_ends": appeal_ends,
        "appeal_closed": appeal_ends is not None and timezone.now() > appeal_ends,
    }
    if pending:
        hold = next((d for d in decisions if d.kind == ModerationAction.Kind.HOLD), None)
        context.update(_while_waiting(request, comment, hold))
    response = render(request, "moderation/statement.html", context, status=status)
    if status == 503:
        unreachable_in_place(response)
    if status == 429:
        response["Retry-After"] = str(wait)  # the wait the message says
    return response


@require_http_methods(["GET", "POST"])
def ban(request: HttpRequest) -> HttpResponse:
    """The statement of reasons for the asking reader's ban, with the form to appeal it.

    The reader is who the site knows them as (their account, or a guest's cookie), as screening
    knows them when it refuses their comment: the refusal links here. It says when and why they
    were banned, by a moderator or automatically, until when, and, once a moderator has decided
    their appeal, the answer and its note. A reader never banned reads that nothing bars them.
    """
    key = requester_key(request)
    said = selectors.ban_statement(reader_key=key)
    form = AppealForm()
    status = 200
    appealed = False
    wait = 0
    if request.method == "POST":
        form = AppealForm(request.POST)
        if refused := _appeal_counted(request, key, form):
            status, wait = refused  # the form comes back with why, and the text
        elif said is None:
            form.is_valid()
            form.add_error(None, "You are not banned, so there is nothing to appeal.")
            status = 400
        elif form.is_valid():
            try:
                services.appeal_create(
                    action=said.ban, reader_key=key, text=form.cleaned_data["text"]
                )
                appealed = True
                said = selectors.ban_statement(reader_key=key)
            except services.ModerationRefused as refusal:
                form.add_error(None, str(refusal))
                status = 400
        else:
            status = 400
    appeal_ends = (
        said.ban.created_at + timedelta(days=settings.MODERATION_APPEAL_DAYS) if said else None
    )
    context = {
        "said": said,
        "form": form,
        "appealed": appealed,
        "appeal_ends": appeal_ends,
        "appeal_closed": appeal_ends is not None and timezone.now() > appeal_ends,
        # An appeal already sent keeps its form away; so does a ban that no longer holds, unless
        # the form came back refused (its text kept, with why).
        "can_appeal": (form.is_bound and not appealed)
        or (said is not None and said.appeal is None and said.in_force),
        # Signed out, a member's ban is not theirs to see here (a banned member's email links
        # here): the page says so, with the way to sign in and come back.
        "sign_in_url": ""
        if request.user.is_authenticated
        else redirect_to_login(request.get_full_path()).url,
    }
    response = render(request, "moderation/ban.html", context, status=status)
    if status == 503:
        unreachable_in_place(response)
    if status == 429:
        response["Retry-After"] = str(wait)
    return response


def transparency(request: HttpRequest) -> HttpResponse:
    """Monthly counts of moderation, as a page with a chart, or CSV (?format=csv)."""
    months = selectors.transparency_report()
    if request.GET.get("format") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="moderation-transparency.csv"'
        writer = csv.writer(response)
        writer.writerow(["month", "action", "count"])
        for month in months:
            label = month["month"].strftime("%Y-%m")
            for action, n in sorted(month["actions"].items()):
                writer.writerow([label, action, n])
            for field in ("automated", "human", "reports", "appeals", "reversals"):
                writer.writerow([label, field, month[field]])
            # Appeals withdrawn that month (their author deleted the comment before a decision).
            writer.writerow([label, "appeals_withdrawn", month["withdrawn"]])
        return response
    top = max([m["automated"] + m["human"] for m in months] + [1])
    bars = []
    for i, month in enumerate(reversed(months)):
        height_a = 120 * month["automated"] / top
        height_h = 120 * month["human"] / top
        # Each bar is a month: "Dec 2026", never "Dec 26", which reads as the 26th of December.
        bars.append(
            {"x": 10 + i * 56, "label": month["month"].strftime("%b %Y"),
             "title": month["month"].strftime("%B %Y"),
             "automated": month["automated"], "human": month["human"],
             "a": height_a, "h": height_h, "ya": 130 - height_a, "yh": 130 - height_a - height_h}
        )  # fmt: skip
    return render(
        request,
        "moderation/transparency.html",
        {
            "months": months,
            "bars": bars,
            "chart_width": 20 + 56 * len(bars),
            "behind": _how_long(settings.MODERATION_TRANSPARENCY_CACHE_SECONDS),
        },
    )


def _how_long(seconds: int) -> str:
    """``seconds`` in words: "5 minutes", "90 seconds", "" for none."""
    if not seconds:
        return ""
    number, unit = (seconds // 60, "minute") if seconds % 60 == 0 else (seconds, "second")
    return f"{number} {unit}{'' if number == 1 else 's'}"
