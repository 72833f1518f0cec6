"""The demo's members-only article: a short briefing that only signed-in readers may open.

The loader puts it behind a Wagtail login restriction, so a new demo shows a private article
as each reader meets it: a guest is asked to sign in, a signed-in reader reads it and its
discussion, and no listing, feed or sitemap names it.

Plain data, like ``content``; every sentence was written for this demo from the facts in the
reference note. Its picture is one of the demo's generated graphics (an ``IMAGES`` key), which a
public article also shows, so the loader's image sizes serve it too.
"""

from __future__ import annotations

from typing import Any

MEMBERS_ARTICLE: dict[str, Any] = {
    "slug": "members-briefing-the-guarantees-kyiv-wants",
    "section": "world",
    "headline": "Members' briefing: the guarantees Kyiv wants",
    "standfirst": (
        "For signed-in readers: who Ukraine wants as its guarantors, what they would be "
        "promising, and what to watch before any of them says yes."
    ),
    "authors": ["mara-ellison"],
    "first_published": "2022-03-29T21:15:00+01:00",
    "last_updated": "2022-03-29T21:40:00+01:00",
    "hero": "guarantor-states",
    "body": [
        (
            "paragraph",
            "The whole of Ukraine's Istanbul offer turns on a single exchange. Kyiv would stay "
            "outside Nato for good, with no nuclear arms and no foreign troops based on its "
            "soil, provided that other countries commit in law to defending it.",
        ),
        (
            "paragraph",
            "Its negotiators, David Arakhamia and Oleksandr Chaly among them, named eight "
            "possible guarantors: the UK, the US, China, France, Turkey, Germany, Poland and "
            "Israel. They likened the promise they want from them to Article 5 of the Nato "
            "treaty, the clause that makes an attack on one member an attack on every member.",
        ),
        (
            "paragraph",
            "No capital on that list had taken the role on by nightfall, and the plan still "
            "waits on Moscow. Vladimir Medinsky, at the head of the Russian team, would say only "
            "that it would be studied and answered with proposals of Russia's own, adding that "
            "scaling down is not the same thing as a ceasefire.",
        ),
        (
            "paragraph",
            "Two things are worth watching in the days ahead: whether Russian forces really do "
            "ease off around Kyiv and Chernihiv, and whether any of the eight spells out what "
            "it would be willing to do. President Volodymyr Zelensky's advice to the world is "
            "to believe Moscow's pledges only once they are kept.",
        ),
    ],
}


# Readers' comments under the briefing, posted through the same path as the reference thread.
MEMBERS_COMMENTS: list[dict[str, Any]] = [
    {
        "name": "Oksana L.",
        "body": (
            "Helpful to see all eight in one place. China is the one that surprises me: would "
            "Beijing ever promise to defend anyone against Moscow?"
        ),
        "minutes_after": 12,
        "replies": [
            {
                "name": "Martin H.",
                "body": (
                    "Perhaps that is the idea. A guarantor Russia cannot wave away makes the "
                    "offer harder to turn down, even if Beijing never signs."
                ),
                "minutes_after": 26,
                "replies": [],
            }
        ],
    },
    {
        "name": "sofia_in_lviv",
        "body": (
            "Budapest was a page of signatures too. This time the guarantees have to mean "
            "troops and equipment when they are needed, not another statement of concern."
        ),
        "minutes_after": 19,
        "replies": [],
    },
    {
        "name": "R. Okafor",
        "body": (
            "What happens if one guarantor simply refuses to act? Article 5 works because Nato "
            "members plan together in peacetime. Eight countries with such different interests "
            "would be something else entirely."
        ),
        "minutes_after": 34,
        "replies": [],
    },
]
