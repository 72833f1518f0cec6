"""The demo's live blog of the day: written about 29 March 2022, the day of the Istanbul talks.

The data below was written for this demo from the facts listed in the reference note. Times are
local (UTC+1 that day); ``author`` is an AUTHORS slug. The loader creates the live blog on those
dates, then :func:`bring_to_today` moves it forward by whole days so that its last entry is less
than a day old: the demo always has a live blog of the day, which the Google News sitemap (last
two days only) lists.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

LIVE_BLOG: dict[str, Any] = {
    "slug": "ukraine-war-live-istanbul-talks-day",
    "section": "world",
    "headline": "Ukraine war live: talks in Istanbul, pledges on Kyiv",
    "standfirst": (
        "Follow the day as Russian and Ukrainian negotiators meet in Istanbul, Moscow promises "
        "to scale back around Kyiv and Chernihiv, and markets react."
    ),
    "authors": ["mara-ellison", "tomas-reyes"],
    "first_published": "2022-03-29T08:00:00+01:00",
    "hero": "ukraine-cities-map",
    "located": "Istanbul",
    # Shown above the entries; a live blog's body is required like any article's, so an editor
    # can publish the demo live blog from the admin without first writing one.
    "intro": (
        "Our reporters in Istanbul, Kyiv and London follow the talks as they happen. The newest "
        "update is at the top; each has its own link."
    ),
}

ENTRIES: list[dict[str, Any]] = [
    {
        "at": "08:00",
        "author": "mara-ellison",
        "headline": "Welcome",
        "body": "Good morning. Delegations from Russia and Ukraine meet in Istanbul today for "
        "their first face-to-face talks in more than two weeks. We will follow the day here.",
    },
    {
        "at": "09:10",
        "author": "mara-ellison",
        "headline": "Delegations arrive",
        "body": "Both delegations have arrived at the venue on the Bosphorus. Turkey's president "
        "is expected to greet them before the talks begin.",
    },
    {
        "at": "09:45",
        "author": "tomas-reyes",
        "headline": "Strike in Mykolaiv",
        "body": "Officials in Mykolaiv say a missile hit the regional government building this "
        "morning. Rescue teams are searching the rubble; there is no confirmed toll yet.",
    },
    {
        "at": "10:30",
        "author": "mara-ellison",
        "headline": "Talks under way",
        "body": "The talks have started. Our correspondent at the venue says neither side has "
        "briefed reporters, and no timetable has been given for a statement.",
    },
    {
        "at": "11:20",
        "author": "tomas-reyes",
        "headline": "Embassy expulsions",
        "body": "Several EU countries have announced they are expelling Russian diplomats, "
        "citing activities incompatible with their status. Moscow says it will respond.",
    },
    {
        "at": "12:40",
        "author": "tomas-reyes",
        "headline": "Mykolaiv toll rises",
        "body": "The regional governor says the number of people killed in the Mykolaiv strike "
        "has risen. Part of the building collapsed from the roof to the ground floor.",
    },
    {
        "at": "13:30",
        "author": "mara-ellison",
        "headline": "Talks end for the day",
        "body": "The session has ended after about three hours. Both sides are preparing "
        "statements, and a Ukrainian negotiator says written proposals were handed over.",
    },
    {
        "at": "14:15",
        "author": "mara-ellison",
        "headline": "Ukraine's offer",
        "body": "Ukraine's delegation says it proposed neutrality, with no foreign bases on its "
        "soil, in return for binding security guarantees from a group of countries.",
    },
    {
        "at": "15:05",
        "author": "mara-ellison",
        "headline": "Russia's pledge",
        "body": "Russia's deputy defence minister says Moscow will sharply cut military "
        "activity around Kyiv and Chernihiv to build trust for further talks.",
    },
    {
        "at": "16:00",
        "author": "priya-natarajan",
        "headline": "Markets rally",
        "body": "European shares rose and oil fell by about 5 per cent as investors reacted to "
        "signs of progress. The rouble gained about 10 per cent against the dollar.",
    },
    {
        "at": "17:20",
        "author": "tomas-reyes",
        "headline": "Western caution",
        "body": "Western officials say they will judge Russia by its actions. One calls the "
        "move around Kyiv a regrouping of forces rather than a retreat.",
    },
    {
        "at": "18:40",
        "author": "mara-ellison",
        "headline": "Our full report",
        "body": "Our full report on the day's talks and what each side offered is now "
        "published in the World section. This live blog continues tomorrow.",
    },
]


def _days_later(moment: datetime, days: int) -> datetime:
    """``moment`` the same wall-clock time ``days`` later in the newsroom's time zone (so 08:00
    stays 08:00 across a change of summer time)."""
    return timezone.localtime(moment) + timedelta(days=days)


def bring_to_today(*, now: datetime | None = None) -> int:
    """Move the demo live blog forward by whole days so its last entry is under a day old.

    Entries keep their order, ids (so their anchors) and times of day; the page's first and last
    publish times move with them. It goes through a published revision, as an editor's change
    would, so the admin shows the same times. Nothing else (comments included) is touched, and a
    live blog already of the day is left alone, so running the loader again is safe. Returns the
    number of days moved (0 when nothing changed).
    """
    from newsroom.models import LiveBlogPage

    now = now or timezone.now()
    page = LiveBlogPage.objects.filter(slug=LIVE_BLOG["slug"]).first()
    if page is None or page.first_published_at is None:
        return 0
    entries = list(page.entries.all())
    latest = max((entry.posted_at for entry in entries), default=page.first_published_at)
    days = (now - latest).days
    # A clock change can make whole days a little longer than 24 hours: never move past now.
    while days > 0 and _days_later(latest, days) > now:
        days -= 1
    if days <= 0:
        return 0
    for entry in entries:
        entry.posted_at = _days_later(entry.posted_at, days)
    page.entries = entries
    first_published = _days_later(page.first_published_at, days)
    page.save_revision().publish()
    LiveBlogPage.objects.filter(pk=page.pk).update(
        first_published_at=first_published,
        last_published_at=_days_later(latest, days),
    )
    return days
