"""Demo standards content: the policy pages, datelines and one correction.

Plain data, like ``content``; every sentence was written for this demo.
"""

from __future__ import annotations

from typing import Any

POLICY_PAGES: list[dict[str, str]] = [
    {
        "slug": "corrections-policy",
        "kind": "corrections",
        "title": "Corrections policy",
        "body": (
            "<p>When we get something wrong, we say so plainly and fix it quickly. A correction "
            "is added as a dated note at the foot of the article, saying what was wrong and "
            "what is right; we do not quietly rewrite published text.</p>"
            "<p>Readers can point out errors in the comments under any article or by writing "
            "to the desk. An editor reviews every report within one working day.</p>"
        ),
    },
    {
        "slug": "ethics-policy",
        "kind": "ethics",
        "title": "Ethics policy",
        "body": (
            "<p>We report facts we can check, name our sources wherever their safety allows, "
            "and give the people we write about a fair chance to respond before we "
            "publish.</p>"
            "<p>Our journalists accept no gifts or paid travel from people they cover, declare "
            "any interest that touches a story, and keep news separate from opinion and from "
            "advertising.</p>"
        ),
    },
]

# Where each demo story was reported from (the dateline), keyed by article slug.
LOCATED: dict[str, str] = {
    "russia-pledges-to-scale-back-around-kyiv-after-istanbul-talks": "Istanbul",
    "markets-rally-on-hopes-for-ukraine-talks": "London",
}

CORRECTION: dict[str, Any] = {
    "article": "markets-rally-on-hopes-for-ukraine-talks",
    "corrected_at": "2022-03-29T20:10:00+01:00",
    "text": (
        "An earlier version of this article said oil fell about 7 per cent. It fell about "
        "5 per cent."
    ),
}
