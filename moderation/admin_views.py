"""The moderation queues, dashboard and action endpoints inside the Wagtail admin.

Thin: every change goes through an action class in ``moderation.actions``, which checks the
permission again and writes the audit entry.
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    JsonResponse,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_POST

from core.numbers import ascii_int
from core.text import full_stop
from discussion import live
from discussion.models import Comment
from moderation import actions, live_queue, pace, selectors, services
from moderation.forms import RejectForm
from moderation.models import Appeal, CommentReview, ModerationAction
from moderation.reasons import REJECT_REASONS, action_label

PAGE_SIZE = 25
# The longest ``seen`` a card's form sends (actions.card_token: a 32-character digest and two
# ids); anything past it is not from a card.
SEEN_MAX_LENGTH = 96
# A reject refused for want of a reason keeps the moderator's note here until the queue shows it.
REJECT_DRAFT = "moderation_reject_draft"
# So does a refused author action (a ban without a reason, or unconfirmed): its reason and note.
AUTHOR_DRAFT = "moderation_author_draft"
# And a refused decision on an appeal (turned down without a note, or a note too long): the note.
APPEAL_DRAFT = "moderation_appeal_draft"
# And a refused note on a reader's record: its text and why.
NOTE_DRAFT = "moderation_note_draft"
# A bulk reject refused for want of a reason keeps the comments the moderator ticked here.
BULK_DRAFT = "moderation_bulk_draft"
# The actions of a card's "Author actions" form.
_AUTHOR_ACTIONS = (
    "warn",
    "premoderate",
    "unpremoderate",
    "ban",
    "ban_day",
    "ban_week",
    "unban",
    "reject_recent",
)


def _require_moderator(request: HttpRequest) -> None:
    if not request.user.has_perm(actions.PERMISSION):
        raise PermissionDenied("You do not have permission to moderate comments.")


def may_follow_queues(request: HttpRequest) -> bool:
    """Whether this request may hear the queues' live events (``live_queue``): a signed-in
    account that may use the Wagtail admin and moderate comments, as the queues themselves ask.
    Asked by ``discussion.live.LiveEvents`` when a stream opens, from the admin session."""
    user = request.user
    return bool(
        user.is_authenticated
        and user.is_active
        and user.has_perm("wagtailadmin.access_admin")
        and user.has_perm(actions.PERMISSION)
    )


def queue_events(request: HttpRequest) -> StreamingHttpResponse:
    """The queues' live events as Server-Sent Events. In production ``discussion.live.LiveEvents``
    answers this address before Django sees it (one coroutine a stream); this view serves the
    same stream where Django is called directly. A plain view, as Wagtail's admin-access check
    around every admin URL is: it would not await an async one."""
    if not may_follow_queues(request):
        raise PermissionDenied("You do not have permission to moderate comments.")
    response = StreamingHttpResponse(
        live.stream(
            live_queue.FEED,
            request.headers.get("Last-Event-ID", "")[:64],
            request.GET.get("since", "")[:64],
        ),
        content_type="text/event-stream",
    )
    response["Cache-Control"] = "no-cache, no-transform"
    response["X-Accel-Buffering"] = "no"
    return response


def decision_said(request: HttpRequest, action_id: int) -> JsonResponse:
    """What a decision was and who made it, for a card shown before it (``queue_live.js``):
    ``{"said": "Approved by another moderator (ola)"}``. The live event carried its id alone."""
    _require_moderator(request)
    entry = selectors.decision(action_id=action_id)
    if entry is None:
        raise Http404("No such decision")
    return JsonResponse({"said": actions.decision_said(entry, user=request.user)})


def tab_counts(request: HttpRequest) -> JsonResponse:
    """What each queue's tab counts now, for a page whose live events say the queues changed
    (``queue_live.js``, at most once a second however many events arrive): ``{"counts":
    {"pending": 3, ...}}``, for the author the page is filtered to (``?author=``) as its tabs
    are. Counts alone: the events carry ids, and this carries no reader's words either."""
    _require_moderator(request)
    reader_key = _typed(request, "author")[:160]
    return JsonResponse({"counts": selectors.queue_counts(reader_key=reader_key)})


def _back(request: HttpRequest, *, anchor: str = "") -> HttpResponseRedirect:
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
        target = reverse("moderation_admin:queue", args=["pending"])
    if anchor:
        target = f"{target.split('#')[0]}#{anchor}"
    return HttpResponseRedirect(target)


def _positive(raw: str | None) -> int | None:
    value = ascii_int(raw or "")
    return value or None


def _typed(request: HttpRequest, name: str) -> str:
    """A filter as typed or pasted, without NUL characters: they match no comment, and
    PostgreSQL refuses any text holding one (a database error, not an empty queue)."""
    return request.GET.get(name, "").replace("\x00", "")


def moderator_note(request: HttpRequest) -> str:
    """The note a moderator's form sends for the author, without NUL characters, which
    PostgreSQL refuses in the audit entry. Whole: the action refuses one over
    ``actions.NOTE_MAX_LENGTH`` (``actions.check_note``), and the form keeps it to be shortened."""
    return request.POST.get("note", "").replace("\x00", "")


def queue(request: HttpRequest, state: str) -> HttpResponse:
    _require_moderator(request)
    states = dict(selectors.QUEUES)
    if state not in states:
        raise Http404("No such queue")
    filters = {
        "thread_id": _positive(request.GET.get("article")),
        "reader_key": _typed(request, "author")[:160],
        "reason": _typed(request, "reason")[:40],
        "search": _typed(request, "q")[:200],
    }
    before = _positive(request.GET.get("before"))
    # Where the queues' live events stand, read before the queue is: the page's stream starts
    # from here, so a comment held while the page was drawn is still announced.
    live_since = live.position(live_queue.FEED)
    context = {
        "live_since": live_since,
        # Wagtail's generic admin layout draws the header (padded clear of the sidebar and of
        # the menu button on a phone) from these.
        "page_title": f"Comments: {states[state]}",
        "header_title": f"Comments: {states[state]}",
        "header_icon": "comment",
        "state": state,
        "state_label": states[state],
        "queues": [(key, label) for key, label in selectors.QUEUES],
        # What each tab lists: the queue for the author filtered to, which the tabs keep.
        "counts": selectors.queue_counts(reader_key=filters["reader_key"]),
        "filters": filters,
        "reject_reasons": REJECT_REASONS,
        "here": request.get_full_path(),
        "reject_draft": request.session.pop(REJECT_DRAFT, None),
        "author_draft": request.session.pop(AUTHOR_DRAFT, None),
        "bulk_draft": request.session.pop(BULK_DRAFT, None),
        "note_max_length": actions.NOTE_MAX_LENGTH,
        # A comment from another year says which (imported archives go back years).
        "this_year": str(timezone.localdate().year),
    }
    if state == "appeals":
        # One appeal alone, as a rejected comment's card links to it (it may not be among the
        # oldest the queue shows).
        context["appeal_id"] = _positive(request.GET.get("appeal"))
        appeals = selectors.open_appeals(appeal_id=context["appeal_id"])
        appeal_draft = request.session.pop(APPEAL_DRAFT, None)
        for appeal in appeals:  # what was decided, in the words the author read, not its codes
            appeal.decision = action_label(appeal.action.kind, appeal.action.reason_code)
            appeal.draft = _draft_for(appeal_draft, "appeal", appeal.pk)
        context["appeals"] = appeals
    else:
        page = selectors.queue_page(state=state, before=before, limit=PAGE_SIZE, **filters)
        ticked = set(context["bulk_draft"]["reviews"]) if context["bulk_draft"] else set()
        for review in page.reviews:
            # Sent back with Approve, Feature and Reject: the text this card shows, the newest
            # decision on it and its newest report (actions.card_token), so that neither an
            # edit, another moderator's decision nor a reader's report since is overturned or
            # dismissed unseen.
            review.seen = actions.card_token(
                body=review.comment.body, decided=review.decided, reported=review.last_report_id
            )
            # Ticked again after a refused bulk reject, as the moderator left it.
            review.ticked = review.pk in ticked
            # A refused reject or author action comes back in its card as it was sent.
            review.reject_draft = _draft_for(context["reject_draft"], "review", review.pk)
            review.author_draft = _draft_for(context["author_draft"], "review", review.pk)
        context["reviews"] = page.reviews
        context["bulk_approve_label"] = _bulk_approve_label(state, page.reviews)
        context["next_before"] = page.older
        context["search_stopped"] = page.stopped
        context["before"] = before
        context["threads"] = selectors.waiting_threads(also=filters["thread_id"])
        if filters["reader_key"]:
            context["author_label"] = selectors.reader_label(filters["reader_key"])
            context["author_earlier"] = selectors.earlier_names(filters["reader_key"])
    return render(request, "moderation/admin/queue.html", context)


def _bulk_approve_label(state: str, reviews: list[CommentReview]) -> str:
    """The bulk approve's button, in the words of what it will do to the comments listed: on a
    reported comment that is up it publishes nothing, it dismisses the reports (what its message,
    ``_bulk_approved``, then says). Every comment in the Reported queue has reports to answer;
    in another queue, those on the page may."""
    if state == CommentReview.State.REPORTED:
        return "Dismiss reports on selected (publishes any taken down)"
    if any(review.last_report_id for review in reviews):
        return "Approve selected (dismisses reports on any reported)"
    return "Approve selected"


def _draft_for(draft: dict | None, key: str, pk: int) -> dict | None:
    """A refused form's draft (``REJECT_DRAFT`` and the others), if it is this card's."""
    return draft if draft and draft.get(key) == pk else None


def _no_reason(request: HttpRequest) -> bool:
    """A reject names one of the reasons on purpose: nothing is assumed for the author."""
    form = RejectForm(request.POST)
    return not form.is_valid() and "reason_code" in form.errors


def _done(action: str, comment: Comment, result: object = None) -> str:
    """What a moderator reads after an action: what happened, to whose comment. ``result`` is
    what the action answered (for "Reject their last 7 days", how many it rejected)."""
    name = comment.author_name
    if action == "reject_recent" and isinstance(result, actions.RecentRejected):
        return _recent_rejected(name, result)
    evidence = getattr(result, "evidence", None) or {}
    if action == "approve" and getattr(result, "kind", "") == ModerationAction.Kind.APPEAL_UPHELD:
        # Its author had appealed the rejection: the approval upheld the appeal.
        return f"Upheld the appeal by {name}: their comment is published again."
    if action == "approve" and evidence.get("reports_dismissed"):
        # Approving a reported comment answers its reports; one that was up all along stays up,
        # and nothing is published: the Reported queue's "Keep (dismiss reports)".
        if evidence.get("kept_up"):
            return f"Reports dismissed; the comment by {name} stays up."
        return f"Approved the comment by {name}: it is published again, and its reports dismissed."
    return {
        "approve": full_stop(f"Approved the comment by {name}"),
        "reject": full_stop(f"Rejected the comment by {name}"),
        "feature": full_stop(f"Featured the comment by {name}"),
        "unfeature": f"Took the comment by {name} out of the featured comments.",
        "ban": f"Banned {name} permanently.",
        "ban_day": f"Banned {name} for a day.",
        "ban_week": f"Banned {name} for 7 days.",
        "warn": full_stop(f"Warned {name}"),
        "premoderate": f"A moderator will now read {name}'s comments before they appear.",
        "unpremoderate": (
            f"{name}'s comments no longer wait for a moderator (other checks still apply)."
        ),
        "unban": f"Lifted the ban on {name}: they can comment again.",
    }[action]


def _recent_rejected(name: str, result: actions.RecentRejected) -> str:
    """What "Reject their last 7 days" did: "Rejected 4 comments by Olena from the last 7 days
    (1 was already removed or deleted)."."""
    said = (
        f"Rejected {result.rejected:,} comment{'' if result.rejected == 1 else 's'} by {name} "
        "from the last 7 days"
    )
    if result.already_gone:
        gone = result.already_gone
        said += f" ({gone:,} {'was' if gone == 1 else 'were'} already removed or deleted)"
    return f"{said}."


# The actions that put a comment's text before readers: each carries the text the moderator
# read (the card's ``seen``), and is refused if its author has edited it since, or if the
# comment was decided since the card was shown.
_PUBLISHING = ("approve", "feature")


def _seen(request: HttpRequest, field: str) -> str:
    """The text the moderator read, as their form's ``field`` says (the card's own form's
    "seen"; in a bulk action, "seen-<review id>", which each card adds to it). Refused, doing
    nothing, when the form says none."""
    seen = request.POST.get(field, "")[:SEEN_MAX_LENGTH]
    if not seen:
        raise actions.TextChanged(actions.TEXT_UNSEEN)
    return seen


def _act(request: HttpRequest, review: CommentReview, action: str, *, seen_field: str) -> object:
    """Do ``action`` on the card's comment or its author; what the action answered."""
    comment = review.comment
    common = {"user": request.user, "note": moderator_note(request)}
    reason = request.POST.get("reason_code", "")
    seen = _seen(request, seen_field) if action in _PUBLISHING else None
    if action == "reject":
        # The decision the card was shown with, checked when the form says it (a reject
        # publishes no text, so a form from an older page that says nothing is not refused).
        seen = request.POST.get(seen_field, "")[:SEEN_MAX_LENGTH] or None
    if action == "approve":
        return actions.ApproveComment(comment=comment, seen=seen, **common).execute()
    elif action == "reject":
        return actions.RejectComment(
            comment=comment, seen=seen, reason_code=reason, **common
        ).execute()
    elif action == "feature":
        return actions.FeatureComment(comment=comment, seen=seen, **common).execute()
    elif action == "unfeature":
        return actions.UnfeatureComment(comment=comment, **common).execute()
    elif action in ("ban", "ban_day", "ban_week"):
        days = {"ban": None, "ban_day": 1, "ban_week": 7}[action]
        until = timezone.now() + timedelta(days=days) if days else None
        # The comment the ban was made from goes with it: a ban's appeal shows it (selectors
        # .open_appeals), as what the appeal most often answers.
        return actions.BanReader(
            reader_key=review.reader_key,
            until=until,
            reason_code=reason,
            evidence={"comment": comment.pk},
            **common,
        ).execute()
    elif action == "warn":
        return actions.WarnReader(
            reader_key=review.reader_key, comment=comment, reason_code=reason, **common
        ).execute()
    elif action == "premoderate":
        return actions.ForcePremoderation(reader_key=review.reader_key, **common).execute()
    elif action == "unpremoderate":
        return actions.StopPremoderation(reader_key=review.reader_key, **common).execute()
    elif action == "unban":
        return actions.LiftBan(reader_key=review.reader_key, **common).execute()
    elif action == "reject_recent":
        # The number its confirming box said (act() refuses a form without one).
        shown = _positive(request.POST.get("recent_count"))
        return actions.RejectRecentComments(
            reader_key=review.reader_key, reason_code=reason, shown=shown, **common
        ).execute()
    else:
        raise actions.ActionError(f"Unknown action {action!r}.")


@require_POST
def act(request: HttpRequest, review_id: int) -> HttpResponse:
    _require_moderator(request)
    review = get_object_or_404(CommentReview.objects.select_related("comment"), pk=review_id)
    action = request.POST.get("action", "")
    if refused := _too_fast_on_card(request, review, action):
        return refused
    if action == "reject" and _no_reason(request):
        # The author is told the reason, so none is assumed; the note waits for the reason.
        field = _keep_draft(
            request,
            REJECT_DRAFT,
            review=review.pk,
            field="reason_code",
            error="Choose a reason: the author is told it.",
        )
        messages.error(
            request,
            f"Choose a reason to reject the comment by {review.comment.author_name}: its author "
            "is told the reason. Your note is kept.",
        )
        return _back(request, anchor=field)
    if action == "ban" and request.POST.get("permanent") != "yes":
        # One click must not ban a reader for good: the box beside the button confirms it.
        messages.error(
            request,
            f"A permanent ban has no end. To ban {review.comment.author_name} permanently, tick "
            "“Yes, with no end date” beside the button, or choose a ban of 1 or 7 days.",
        )
        field = _keep_draft(
            request,
            AUTHOR_DRAFT,
            review=review.pk,
            field="permanent",
            error="Tick “Yes, with no end date” to ban permanently, or choose 1 or 7 days.",
        )
        return _back(request, anchor=field)
    if action == "reject_recent" and request.POST.get("confirm_recent") != "yes":
        # One click must not reject a week of a reader's comments, each author emailed: the box
        # beside the button, which says how many, confirms it, as a permanent ban's does.
        return _recent_unconfirmed(request, review)
    if action == "reject_recent" and _positive(request.POST.get("recent_count")) is None:
        # The box confirms the number it said: a form that does not say it (an older page, or
        # tampered with) confirms no number, and rejects nothing.
        return _recent_count_changed(request, review, shown=None)
    try:
        result = _act(request, review, action, seen_field="seen")
    except actions.RecentCountChanged as problem:
        return _recent_count_changed(request, review, shown=problem.shown, now=problem.now)
    except actions.TextChanged as problem:
        # Back to the card, which now shows the text as it stands.
        messages.error(request, str(problem))
        return _back(request, anchor=f"review-{review.pk}")
    except actions.ActionError as problem:
        messages.error(request, str(problem))
        if action in _AUTHOR_ACTIONS or action == "reject":
            # A ban or a rejection of their comments without a reason, a note too long: the
            # card's form comes back (its author actions open), with what the moderator chose
            # and typed, and the field to put right marked. A reject refused with no field to
            # put right (the comment was decided since the page was shown) comes back with
            # them too, at the card, for the moderator to send again or change.
            draft = AUTHOR_DRAFT if action in _AUTHOR_ACTIONS else REJECT_DRAFT
            return _back(
                request,
                anchor=_keep_draft(
                    request, draft, review=review.pk, field=problem.field, error=str(problem)
                ),
            )
    else:
        messages.success(request, _done(action, review.comment, result))
    return _back(request)


def _recent_unconfirmed(request: HttpRequest, review: CommentReview) -> HttpResponseRedirect:
    """Sent as "Reject their last 7 days" without its box ticked: nothing is rejected, and the
    card's author actions come back with the reason and note as sent and the box marked."""
    name = review.comment.author_name
    count = selectors.recent_to_reject(reader_keys=[review.reader_key]).get(review.reader_key, 0)
    if not count:
        error = f"{name} has no comments from the last 7 days left to reject."
        messages.error(request, f"Nothing was rejected: {error}")
        field = ""
    else:
        comments = f"{count:,} comment{'' if count == 1 else 's'}"
        box = f"“Yes, reject their {comments} from the last 7 days”"
        error = f"Tick {box} to reject them."
        messages.error(
            request,
            f"Nothing was rejected. To reject {name}'s {comments} from the last 7 days, tick "
            f"{box} beside the button. Your reason and note are kept.",
        )
        field = "confirm_recent"
    anchor = _keep_draft(request, AUTHOR_DRAFT, review=review.pk, field=field, error=error)
    return _back(request, anchor=anchor)


def _recent_count_changed(
    request: HttpRequest, review: CommentReview, *, shown: int | None, now: int | None = None
) -> HttpResponseRedirect:
    """Sent as "Reject their last 7 days", ticked, when the number the box showed (``shown``,
    None when the form did not say it) is not the number it would reject ``now``: nothing is
    rejected, and the card's author actions come back with the reason and note as sent, at the
    box, which says the new number."""
    name = review.comment.author_name
    if now is None:
        now = selectors.recent_to_reject(reader_keys=[review.reader_key]).get(review.reader_key, 0)
    if not now:
        error = f"{name} has no comments from the last 7 days left to reject."
        messages.error(request, f"Nothing was rejected: {error}")
        anchor = _keep_draft(request, AUTHOR_DRAFT, review=review.pk, field="", error=error)
        return _back(request, anchor=anchor)
    comments = f"{now:,} comment{'' if now == 1 else 's'}"
    again = f"check the box again to reject {'it' if now == 1 else f'all {now:,}'}"
    if shown is None:
        said = (
            "This form did not say how many comments its box showed (it may be from an older "
            f"page), so nothing was rejected. {name} has {comments} from the last 7 days to "
            f"reject: {again}."
        )
    elif now > shown:
        more = now - shown
        said = (
            f"{name} has written {more:,} more comment{'' if more == 1 else 's'} since this page "
            f"was shown: {comments} now, not {shown:,}. Nothing was rejected; {again}."
        )
    else:
        fewer = shown - now
        said = (
            f"{fewer:,} of {name}'s comments this page counted {'is' if fewer == 1 else 'are'} no "
            f"longer there to reject (removed, deleted, or older than 7 days): {comments} now, "
            f"not {shown:,}. Nothing was rejected; {again}."
        )
    messages.error(request, f"{said} Your reason and note are kept.")
    error = f"{comments} now, not {shown:,}." if shown is not None else ""
    error = f"{error} Tick “Yes, reject their {comments} from the last 7 days” to reject them."
    anchor = _keep_draft(
        request, AUTHOR_DRAFT, review=review.pk, field="confirm_recent", error=error.strip()
    )
    return _back(request, anchor=anchor)


def _too_fast_on_card(
    request: HttpRequest, review: CommentReview, action: str
) -> HttpResponse | None:
    """A card's action counted against the moderator's limit (moderation.pace): past it, the
    card comes back with the reason and note as they were sent, and nothing is done."""
    draft = {"reject": REJECT_DRAFT, **dict.fromkeys(_AUTHOR_ACTIONS, AUTHOR_DRAFT)}.get(action)
    message = pace.too_fast_message(kept="Your note is kept." if draft else "")

    def keep() -> None:
        if draft:
            _keep_draft(request, draft, review=review.pk, field="", error=message)

    if not pace.over_limit(request, keep=keep):
        return None
    messages.error(request, message)
    return _back(request, anchor=f"review-{review.pk}")  # no one field to put right: the card


# The ids queue.html gives the fields a refusal can mark, after the card's own ("review-7-note").
_FIELD_IDS = {
    REJECT_DRAFT: {"reason_code": "reason", "note": "note"},
    AUTHOR_DRAFT: {
        "reason_code": "author-reason",
        "note": "author-note",
        "permanent": "permanent",
        "confirm_recent": "confirm-recent",
    },
    APPEAL_DRAFT: {"note": "note"},
}


def _keep_draft(request: HttpRequest, name: str, *, field: str, error: str, **card: int) -> str:
    """Keep a refused form's reason and note (whole, however long), the field to put right and
    what is wrong with it, until the queue shows the card (``card``: its review or appeal)
    again; and say where the queue should open: at the field to put right, or at the card when
    no one field is wrong.

    At the field, not its card: a card is focusable (tabindex -1, for j and k), and a browser
    focuses the element a page's address ends at (#review-7) after the page's own scripts have
    run, so the focus queue.js put on the field went back to the card. Opened at the field, the
    browser itself focuses it, with or without JavaScript (WCAG 3.3.1, 2.4.3)."""
    request.session[name] = {
        **card,
        "reason": request.POST.get("reason_code", "")[:40],
        "note": moderator_note(request),
        "field": field,
        "error": error,
    }
    [(key, pk)] = card.items()
    suffix = _FIELD_IDS[name].get(field)
    return f"{key}-{pk}-{suffix}" if suffix else f"{key}-{pk}"


@require_POST
def bulk(request: HttpRequest) -> HttpResponse:
    _require_moderator(request)
    ids = [i for i in (_positive(raw) for raw in request.POST.getlist("review")) if i][:200]
    action = request.POST.get("action", "")
    if action not in ("approve", "reject"):
        messages.error(request, "Bulk actions are approve and reject.")
        return _back(request)
    if not ids:
        messages.warning(request, "Select at least one comment.")
        return _back(request)
    # One decision, however many comments it ticks (at most 200): it counts once.
    message = pace.too_fast_message(kept="The comments you ticked are still ticked.")
    if pace.over_limit(request, keep=lambda: _keep_bulk_draft(request, ids, message)):
        messages.error(request, message)
        return _back(request, anchor="bulk-form")
    if action == "reject" and _no_reason(request):
        # The comments stay ticked for the reason: choosing them again, card by card, in a
        # busy queue is how one is missed or a wrong one caught.
        _keep_bulk_draft(
            request,
            ids,
            "Choose a reason to reject the selected comments: each author is told it.",
            field="reason_code",
        )
        messages.error(
            request,
            "Choose a reason to reject the selected comments: each author is told it. Your "
            "selection is kept.",
        )
        return _back(request, anchor="bulk-reason")
    done: list[object] = []
    changed: list[str] = []
    decided: list[tuple[str, actions.DecidedSince]] = []
    refused: list[tuple[str, actions.ActionError]] = []
    reviews = list(CommentReview.objects.filter(pk__in=ids).select_related("comment"))
    for review in reviews:
        try:
            done.append(_act(request, review, action, seen_field=f"seen-{review.pk}"))
        except actions.TextChanged:
            changed.append(review.comment.author_name)
        except actions.DecidedSince as problem:
            decided.append((review.comment.author_name, problem))
        except actions.ActionError as problem:
            refused.append((review.comment.author_name, problem))
    if not done:
        # Nothing to report as done: a warning says so, and why where it is known, instead of
        # "Approved 0 comments." as if something had been.
        refused = _warn_nothing_done(
            request, action, ids=ids, found=len(reviews), refused=refused, decided=decided
        )
    selected = len(set(ids))
    passed: list[tuple[int, str]] = []
    if done and action == "approve":
        # Those approved or deleted meanwhile are counted in its message, not refused one by one.
        passed, refused = _approval_passed_over(
            request.POST.get("queue", ""), selected=selected, found=len(reviews), refused=refused
        )
    for name, problem in refused:
        messages.error(request, f"The comment by {name}: {problem}")
    if done and action == "approve":
        messages.success(request, _bulk_approved(done) + _said_passed_over(passed, selected))
    elif done:
        messages.success(request, f"Rejected {_comments(len(done))}.")
    if done and decided:
        messages.warning(request, _skipped_as_decided(action, decided))
    if changed:
        messages.warning(request, _skipped_as_changed(changed))
    return _back(request)


def _warn_nothing_done(
    request: HttpRequest,
    action: str,
    *,
    ids: list[int],
    found: int,
    refused: list[tuple[str, actions.ActionError]],
    decided: list[tuple[str, actions.DecidedSince]],
) -> list[tuple[str, actions.ActionError]]:
    """Warn that a bulk action did nothing to any comment ticked, and why where it is known;
    answer the refusals it did not explain, for their own messages.

    Known, for an approval or a rejection: the comment was decided since the page was shown
    (``actions.DecidedSince``), counted by what was done and by whom ("2 were rejected by
    another moderator since this page was shown. Open them again to approve them.").

    Known, for an approval: what ``_approval_passed_over`` counts (approved already, deleted by
    its author), said first: "Nothing was done: the reports on the 3 selected comments were
    dismissed already, by another moderator or in another tab." in the Reported queue. Those
    its author edited since are told apart after, with their names (``_skipped_as_changed``)."""
    selected = len(set(ids))
    queue = request.POST.get("queue", "")
    passed: list[tuple[int, str]] = []
    if action == "approve":
        passed, refused = _approval_passed_over(
            queue, selected=selected, found=found, refused=refused
        )
    said: list[str] = []

    def which(n: int) -> str:
        """The comments a clause is about: the first says of how many selected."""
        if said:
            return f"{n:,}"
        if n == selected:
            return "the selected comment" if n == 1 else f"the {n:,} selected comments"
        return f"{n:,} of the {selected:,} selected comments"

    for n, clause in passed:
        said.append(clause.format(which=which(n), were=_were(n)))
    for what, n in Counter(problem.what for _name, problem in decided).items():
        # Counted by what was done and by whom: "2 were rejected by another moderator".
        said.append(f"{which(n)} {_were(n)} {what} since this page was shown")
    if action != "approve":
        head = "Nothing was rejected"
    elif queue == CommentReview.State.REPORTED:
        head = "Nothing was done"
    else:
        head = "Nothing was approved"
    messages.warning(request, _nothing_done(head, said, action, decided))
    return refused


def _were(n: int) -> str:
    return "was" if n == 1 else "were"


def _approval_passed_over(
    queue: str, *, selected: int, found: int, refused: list[tuple[str, actions.ActionError]]
) -> tuple[list[tuple[int, str]], list[tuple[str, actions.ActionError]]]:
    """The comments a bulk approval passed over for a reason it can count, as ``(n, clause)``
    pairs (a clause to fill with ``which``, the comments it is about, and ``were``); and the
    refusals it did not count, for their own messages.

    Counted: another moderator (or another tab) approved the comment first, or dismissed its
    reports (``actions.AlreadyApproved``); its author deleted it (a shell, or gone with its
    review, so not found). In the Reported queue, whose button dismisses reports, the first is
    said in its words ("the reports on 3 were dismissed already, by another moderator or in
    another tab"); in the Approved queue, which lists approved comments (so approved before the
    page was shown, most likely), as "approved already, with no reports to dismiss"."""
    already = sum(isinstance(problem, actions.AlreadyApproved) for _name, problem in refused)
    deleted = (actions.CommentDeleted, actions.NothingToReject)
    # A comment deleted with no reply to keep it as a shell leaves no review to be found.
    gone = selected - found + sum(isinstance(problem, deleted) for _name, problem in refused)
    elsewhere = "by another moderator or in another tab"
    passed: list[tuple[int, str]] = []
    if already and queue == CommentReview.State.REPORTED:
        passed.append((already, f"the reports on {{which}} were dismissed already, {elsewhere}"))
    elif already and queue == CommentReview.State.APPROVED:
        passed.append((already, "{which} {were} approved already, with no reports to dismiss"))
    elif already:
        passed.append((already, f"{{which}} {{were}} approved already, {elsewhere}"))
    if gone:
        passed.append(
            (
                gone,
                f"{{which}} {{were}} deleted by {'its author' if gone == 1 else 'their authors'}",
            )
        )
    explained = (actions.AlreadyApproved, actions.CommentDeleted, actions.NothingToReject)
    rest = [(name, problem) for name, problem in refused if not isinstance(problem, explained)]
    return passed, rest


def _said_passed_over(passed: list[tuple[int, str]], selected: int) -> str:
    """A bulk approval's word, after what it did, on the comments it passed over and why
    (``_approval_passed_over``): " Passed over 2 of the 5 selected: 1 was approved already, by
    another moderator or in another tab; 1 was deleted by its author."; nothing if none."""
    if not passed:
        return ""
    count = sum(n for n, _clause in passed)
    why = "; ".join(clause.format(which=f"{n:,}", were=_were(n)) for n, clause in passed)
    return f" Passed over {count:,} of the {selected:,} selected: {why}."


def _nothing_done(
    head: str, said: list[str], action: str, decided: list[tuple[str, actions.DecidedSince]]
) -> str:
    """A bulk action's "Nothing was approved: ..." warning, from its clauses, and what to do
    about the comments decided since the page was shown."""
    sentence = f"{head}: {'; '.join(said)}." if said else f"{head}."
    if decided:
        them = "it" if len(decided) == 1 else "them"
        sentence += f" Open {them} again to {action} {them}."
    return sentence


def _skipped_as_decided(action: str, decided: list[tuple[str, actions.DecidedSince]]) -> str:
    """A bulk action's word on the comments it left alone, because they were decided after the
    page was shown (``actions.DecidedSince``), beside those it did: "Skipped 1 comment (by
    Olena): it was rejected by another moderator since this page was shown, and left as it
    was; open it again to approve it."."""
    count = len(decided)
    names = [name for name, _problem in decided]
    whose = ", ".join(names[:5]) + (f" and {count - 5:,} more" if count > 5 else "")
    head = f"Skipped {_comments(count)} (by {whose}): "
    if count == 1:
        [(_name, problem)] = decided
        return (
            f"{head}it was {problem.what} since this page was shown, and left as it was; open "
            f"it again to {action} it."
        )
    counts = Counter(problem.what for _name, problem in decided)
    what = "; ".join(f"{n:,} {'was' if n == 1 else 'were'} {said}" for said, n in counts.items())
    return (
        f"{head}since this page was shown, {what}. They were left as they were; open them "
        f"again to {action} them."
    )


def _comments(n: int) -> str:
    return f"{n:,} comment{'' if n == 1 else 's'}"


def _bulk_approved(entries: list[object]) -> str:
    """What a bulk approval did, from each audit entry: in the Reported queue, the comments
    that were up all along stay up with their reports dismissed, and those the reports took
    down are published again ("Reports dismissed on 3 comments, which stay up; 1 comment
    published again."). Comments with no reports to answer (the Pending queue's) are approved:
    "Approved 2 comments." as before."""
    evidence = [getattr(entry, "evidence", None) or {} for entry in entries]
    answered = [each for each in evidence if each.get("reports_dismissed")]
    kept = sum(1 for each in answered if each.get("kept_up"))
    again = len(answered) - kept
    approved = len(entries) - len(answered)
    if not answered:
        return f"Approved {_comments(approved)}."
    said = []
    if kept:
        said.append(
            f"Reports dismissed on {_comments(kept)}, which stay{'s' if kept == 1 else ''} up"
        )
    if again:
        said.append(f"{_comments(again)} published again")
    if approved:
        said.append(f"{_comments(approved)} approved")
    sentence = "; ".join(said)
    return f"{sentence[0].upper()}{sentence[1:]}."


def _keep_bulk_draft(request: HttpRequest, ids: list[int], error: str, *, field: str = "") -> None:
    """Keep a refused bulk action's ticked comments and reason, and what was wrong (``field``:
    the one to put right, if any), until the queue shows them again."""
    request.session[BULK_DRAFT] = {
        "reviews": ids,
        "reason": request.POST.get("reason_code", "")[:40],
        "field": field,
        "error": error,
    }


def _skipped_as_changed(names: list[str]) -> str:
    """A bulk approval's word on the comments it left alone, because their text is not what the
    moderator read (the queue's bulk form always says what each card showed)."""
    count = len(names)
    whose = ", ".join(names[:5]) + (f" and {count - 5:,} more" if count > 5 else "")
    return (
        f"Skipped {count:,} comment{'' if count == 1 else 's'} (by {whose}): "
        f"{'it was' if count == 1 else 'they were'} edited after you opened the queue; read the "
        "new text and decide again."
    )


@require_POST
def decide_appeal(request: HttpRequest, appeal_id: int) -> HttpResponse:
    _require_moderator(request)
    appeal = get_object_or_404(Appeal.objects.select_related("comment", "action"), pk=appeal_id)
    uphold = request.POST.get("decision") == "uphold"
    message = pace.too_fast_message(kept="Your note is kept.")

    def keep() -> None:
        _keep_draft(request, APPEAL_DRAFT, appeal=appeal.pk, field="", error=message)

    if pace.over_limit(request, keep=keep):
        messages.error(request, message)
        return _back(request, anchor=f"appeal-{appeal.pk}")
    try:
        actions.DecideAppeal(
            appeal=appeal,
            uphold=uphold,
            user=request.user,
            note=moderator_note(request),
        ).execute()
    except actions.ActionError as problem:
        messages.error(request, str(problem))
        if problem.field:
            # Turned down without a note, or with one too long: the note comes back to be
            # written or shortened.
            field = _keep_draft(
                request, APPEAL_DRAFT, appeal=appeal.pk, field=problem.field, error=str(problem)
            )
            return _back(request, anchor=field)
    else:
        if appeal.comment is None:  # a ban's appeal
            reader_key = appeal.action.reader_key
            name = selectors.reader_names([reader_key]).get(reader_key) or "the reader"
            done = f"Upheld the appeal by {name}: their ban is lifted."
        else:
            name = appeal.comment.author_name
            done = f"Upheld the appeal by {name}: their comment is published again."
        messages.success(request, done if uphold else f"Turned down the appeal by {name}.")
    return _back(request)


def _percent(part: int, whole: int) -> str:
    """A share in whole percent, but never "0" for a share that is not nothing."""
    if not whole or not part:
        return "0"
    share = round(100 * part / whole)
    return str(share) if share else "under 1"


def dashboard(request: HttpRequest) -> HttpResponse:
    _require_moderator(request)
    hours = selectors.hourly_activity(hours=48)
    top = max([row["total"] for row in hours] + [1])
    bars = [
        {
            "x": 30 + i * 12,
            "total": row["total"],
            "held": row["held"],
            "h_total": 100 * row["total"] / top,
            "h_held": 100 * row["held"] / top,
            "y_total": 110 - 100 * row["total"] / top,
            "y_held": 110 - 100 * row["held"] / top,
            "hour": row["hour"],
            "rate": _percent(row["held"], row["total"]),
        }
        for i, row in enumerate(hours)
    ]
    total = sum(row["total"] for row in hours)
    held = sum(row["held"] for row in hours)
    # Under the bars: where the window starts, its middle, and the current hour.
    ticks = [(bars[0], bars[0]["hour"]), (bars[len(bars) // 2], bars[len(bars) // 2]["hour"])]
    axis = [{"x": bar["x"], "hour": hour, "now": False} for bar, hour in ticks]
    axis.append({"x": bars[-1]["x"] + 10, "hour": bars[-1]["hour"], "now": True})
    return render(
        request,
        "moderation/admin/dashboard.html",
        {
            "page_title": "Moderation dashboard",
            "header_title": "Moderation dashboard",
            "header_icon": "view",
            "bars": bars,
            "axis": axis,
            "busy_hours": [bar for bar in bars if bar["total"]],
            "chart_width": 40 + 12 * len(bars),
            "counts": selectors.queue_counts(),
            "total": total,
            "held": held,
            "held_rate": _percent(held, total),
        },
    )


def reader_record(request: HttpRequest) -> HttpResponse:
    """One reader's record (``?reader=<reader key>``, the key the cards' links carry): what
    holds now, their comments by queue, and every decision about them, newest first, with who
    made it and the note the reader was given. A key nothing carries is a 404."""
    _require_moderator(request)
    record = selectors.reader_record(
        reader_key=_typed(request, "reader")[:160], before=_positive(request.GET.get("before"))
    )
    if record is None:
        raise Http404("No comment or decision is about this reader.")
    who = record.name or "A reader"
    draft = request.session.pop(NOTE_DRAFT, None)
    return render(
        request,
        "moderation/admin/reader.html",
        {
            "page_title": f"Record of {who}",
            "header_title": f"Record of {who}",
            "header_icon": "user",
            "record": record,
            # A refused note comes back as it was typed, with why (WCAG 3.3.1).
            "note_draft": draft if draft and draft.get("reader") == record.reader_key else None,
            "note_max_length": actions.NOTE_MAX_LENGTH,
        },
    )


@require_POST
def reader_note(request: HttpRequest) -> HttpResponse:
    """Keep a moderator's note on a reader's record (``services.reader_note_add``), counted
    against the staff limit; refused, the note comes back in the form, whole, with why."""
    _require_moderator(request)
    # Without NUL characters, which PostgreSQL refuses in any text (an error, not a miss).
    reader_key = request.POST.get("reader", "").replace("\x00", "")[:160]
    text = request.POST.get("text", "")
    back = f"{reverse('moderation_admin:reader')}?{urlencode({'reader': reader_key})}"

    def keep(error: str) -> None:
        request.session[NOTE_DRAFT] = {"reader": reader_key, "text": text, "error": error}

    too_fast = pace.too_fast_message(kept="Your note is kept.")
    if pace.over_limit(request, keep=lambda: keep(too_fast)):
        messages.error(request, too_fast)
        return HttpResponseRedirect(f"{back}#note-text")
    try:
        services.reader_note_add(reader_key=reader_key, text=text, user=request.user)
    except services.ModerationRefused as refusal:
        keep(str(refusal))
        messages.error(request, str(refusal))
        return HttpResponseRedirect(f"{back}#note-text")
    messages.success(request, "Note kept with their record.")
    return HttpResponseRedirect(f"{back}#notes")


@require_POST
def reader_note_delete(request: HttpRequest, note_id: int) -> HttpResponse:
    """Delete a moderator's note from a reader's record, counted against the staff limit."""
    _require_moderator(request)
    reader_key = request.POST.get("reader", "").replace("\x00", "")[:160]
    back = f"{reverse('moderation_admin:reader')}?{urlencode({'reader': reader_key})}#notes"
    too_fast = pace.too_fast_message(kept="")
    if pace.over_limit(request):
        messages.error(request, too_fast)
        return HttpResponseRedirect(back)
    try:
        services.reader_note_delete(note_id=note_id, user=request.user)
    except services.ModerationRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, "Note deleted.")
    return HttpResponseRedirect(back)


app_name = "moderation_admin"
urlpatterns = [
    path("", dashboard, name="dashboard"),
    path("queue/<slug:state>/", queue, name="queue"),
    path("events/", queue_events, name="events"),
    path("decisions/<int:action_id>/", decision_said, name="decision"),
    path("counts/", tab_counts, name="counts"),
    path("reviews/<int:review_id>/act/", act, name="act"),
    path("bulk/", bulk, name="bulk"),
    path("appeals/<int:appeal_id>/decide/", decide_appeal, name="decide_appeal"),
    path("readers/", reader_record, name="reader"),
    path("readers/notes/", reader_note, name="reader_note"),
    path("readers/notes/<int:note_id>/delete/", reader_note_delete, name="reader_note_delete"),
]
