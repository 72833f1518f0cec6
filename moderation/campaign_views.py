"""Coordinated campaigns in the Wagtail admin (Comments > Campaigns): what detection found
(moderation.campaigns), and a moderator's two answers to each, remove its comments or dismiss it.
Thin: the changes go through moderation.campaigns, which goes through the action classes."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.views.decorators.http import require_GET, require_POST

from moderation import actions, brigades, campaigns, pace, selectors
from moderation.admin_views import _require_moderator, moderator_note
from moderation.models import Campaign
from moderation.reasons import plain

_HEADER = {"header_title": "Comments: campaigns", "header_icon": "group"}
# A removal refused for its note (too long) keeps the note here until the campaign's page shows it.
NOTE_DRAFT = "moderation_campaign_note_draft"


@require_GET
def campaign_list(request: HttpRequest) -> HttpResponse:
    _require_moderator(request)
    open_, decided = selectors.campaigns_for_review()
    return render(
        request,
        "moderation/admin/campaigns.html",
        {"page_title": "Campaigns", **_HEADER, "open": open_, "decided": decided},
    )


@require_GET
def campaign_detail(request: HttpRequest, campaign_id: int) -> HttpResponse:
    _require_moderator(request)
    campaign = get_object_or_404(Campaign, pk=campaign_id)
    if campaign.kind != Campaign.Kind.TEXT:
        return _brigade_detail(request, campaign)
    draft = request.session.pop(NOTE_DRAFT, None)
    return render(
        request,
        "moderation/admin/campaign.html",
        {
            "page_title": f"Campaign {campaign.pk}",
            **_HEADER,
            "campaign": campaign,
            "comments": selectors.campaign_comments(campaign_id=campaign.pk),
            "where": selectors.campaign_networks(campaign_id=campaign.pk),
            "ip_retention_days": settings.IP_RETENTION_DAYS,
            "shown": selectors.CAMPAIGN_COMMENTS_SHOWN,
            "authors_read": plain(campaigns.REASON),
            "note_draft": draft if draft and draft["campaign"] == campaign.pk else None,
            "note_max_length": actions.NOTE_MAX_LENGTH,
        },
    )


@require_POST
def campaign_decide(request: HttpRequest, campaign_id: int) -> HttpResponse:
    _require_moderator(request)
    campaign = get_object_or_404(Campaign, pk=campaign_id)
    if campaign.kind != Campaign.Kind.TEXT:
        return _brigade_decide(request, campaign)
    decision = request.POST.get("decision")
    message = pace.too_fast_message(kept="Your note is kept." if decision == "remove" else "")

    def keep() -> None:
        if decision == "remove":
            request.session[NOTE_DRAFT] = {
                "campaign": campaign.pk,
                "note": moderator_note(request),
                "error": message,
            }

    if pace.over_limit(request, keep=keep):
        messages.error(request, message)
        return HttpResponseRedirect(
            reverse("moderation_campaigns:detail", args=[campaign.pk]) + "#campaign-note"
        )
    if decision == "remove" and request.POST.get("confirm") != "yes":
        # One click must not reject every comment of a campaign, each author emailed: the box
        # beside the button confirms it, as it does a permanent ban.
        messages.error(
            request,
            "Nothing was removed: to reject this campaign's comments, tick “Yes, reject them "
            "all” beside the button.",
        )
        request.session[NOTE_DRAFT] = {
            "campaign": campaign.pk,
            "note": moderator_note(request),
            "field": "confirm",
            "error": "Tick “Yes, reject them all” to remove its comments.",
        }
        return HttpResponseRedirect(
            reverse("moderation_campaigns:detail", args=[campaign.pk]) + "#campaign-confirm"
        )
    if decision == "remove":
        note = moderator_note(request)
        try:
            count = campaigns.campaign_remove(campaign=campaign, user=request.user, note=note)
        except actions.ActionError as problem:
            messages.error(request, str(problem))
            if not problem.field:  # decided already: there is nothing to put right
                return HttpResponseRedirect(
                    reverse("moderation_campaigns:detail", args=[campaign.pk])
                )
            request.session[NOTE_DRAFT] = {
                "campaign": campaign.pk,
                "note": note,
                "error": str(problem),
            }
            return HttpResponseRedirect(
                reverse("moderation_campaigns:detail", args=[campaign.pk]) + "#campaign-note"
            )
        messages.success(
            request,
            f"Removed {count:,} comment{'' if count == 1 else 's'} of campaign {campaign.pk}; "
            "each author can read why and appeal.",
        )
    elif decision == "dismiss":
        try:
            dismissed = campaigns.campaign_dismiss(campaign=campaign, user=request.user)
        except actions.ActionError as problem:
            messages.error(request, str(problem))
            return HttpResponseRedirect(reverse("moderation_campaigns:detail", args=[campaign.pk]))
        count = dismissed.published
        messages.success(
            request,
            f"Campaign {campaign.pk} dismissed: {count:,} held comment"
            f"{' is' if count == 1 else 's are'} published again, and later copies are left "
            "alone.",
        )
        if dismissed.edited:
            edited = dismissed.edited
            messages.warning(
                request,
                f"{edited:,} held comment{' was' if edited == 1 else 's were'} edited by "
                f"{'its author' if edited == 1 else 'their authors'} after the campaign was "
                f"found, so {'it waits' if edited == 1 else 'they wait'} in the Pending queue "
                "for you to read the new text.",
            )
    else:
        messages.error(request, "Choose to remove the comments or to dismiss the campaign.")
    return HttpResponseRedirect(reverse("moderation_campaigns:detail", args=[campaign.pk]))


def _brigade_detail(request: HttpRequest, campaign: Campaign) -> HttpResponse:
    """Coordinated recommending or reporting (moderation.brigades): the numbers, the comments,
    and the moderator's answers."""
    return render(
        request,
        "moderation/admin/brigade.html",
        {
            "page_title": f"Campaign {campaign.pk}",
            **_HEADER,
            "campaign": campaign,
            "comments": selectors.brigade_comments(campaign=campaign),
            "authors_read": plain(brigades.RECOMMENDING_REASON),
            "note_max_length": actions.NOTE_MAX_LENGTH,
        },
    )


def _brigade_decide(request: HttpRequest, campaign: Campaign) -> HttpResponse:
    back = HttpResponseRedirect(reverse("moderation_campaigns:detail", args=[campaign.pk]))
    if pace.over_limit(request):
        messages.error(request, pace.too_fast_message(kept=""))
        return back
    decision = request.POST.get("decision")
    recommending = campaign.kind == Campaign.Kind.RECOMMENDING
    try:
        if decision == "discount" and recommending:
            removed = brigades.recommending_discount(
                campaign=campaign, user=request.user, note=moderator_note(request)
            )
            messages.success(
                request,
                f"Discounted {removed:,} recommendation{'' if removed == 1 else 's'} of campaign "
                f"{campaign.pk}; the comment's count and its place under “Most reactions” "
                "follow.",
            )
        elif decision == "keep" and not recommending:
            kept = brigades.reporting_keep(campaign=campaign, user=request.user)
            messages.success(
                request,
                f"Kept {kept.kept:,} comment{'' if kept.kept == 1 else 's'} of campaign "
                f"{campaign.pk} up, their reports dismissed.",
            )
            if kept.skipped:
                messages.warning(
                    request,
                    f"{kept.skipped:,} of its comments were left as they are (held for another "
                    "reason, decided, edited or deleted since): decide on them from the queues.",
                )
        elif decision == "dismiss":
            brigades.brigade_dismiss(campaign=campaign, user=request.user)
            messages.success(request, f"Campaign {campaign.pk} dismissed; nothing was changed.")
        else:
            messages.error(request, "Choose one of the answers below.")
    except actions.ActionError as problem:
        messages.error(request, str(problem))
    return back


app_name = "moderation_campaigns"
urlpatterns = [
    path("", campaign_list, name="list"),
    path("<int:campaign_id>/", campaign_detail, name="detail"),
    path("<int:campaign_id>/decide/", campaign_decide, name="decide"),
]
