"""An import's held comments reach a moderator's open Pending queue as one event for each batch
(moderation.live_queue's ``entered``), behind the same "N new in this queue" button as a reader's
held comment, in real Chromium.

The import runs as its own process (``manage.py import_comments``), as an operator runs it: its
events reach the app process's streams through Redis, so this runs where REDIS_URL is set (the
CI's second run). In-process events (the embedded default) stay in the process that sent them.
"""

from __future__ import annotations

import subprocess
import time

import pytest
from playwright.sync_api import expect

from importers.tests.exports import disqus, disqus_post, disqus_thread
from tests.e2e.conftest import PROJECT_DIR, VENV_BIN
from tests.e2e.helpers import moderator_tab

pytestmark = pytest.mark.browser


def test_comments_an_import_holds_show_as_one_button_in_the_open_pending_queue(
    browser, live_site, tmp_path
):
    if not live_site.env.get("REDIS_URL"):
        pytest.skip("an import's process reaches the app's live queues through Redis only")
    moderator = moderator_tab(browser, live_site)
    moderator.goto("/admin/moderation/queue/pending/")
    expect(moderator.locator("#mod-live")).to_have_attribute("data-state", "open")
    stamp = time.time_ns()
    export = tmp_path / "disqus.xml"
    export.write_bytes(
        disqus(
            disqus_thread("t1", live_site.reference_url),
            *(
                disqus_post(f"{stamp}-{n}", "t1", f"<p>The minister is a moron, {stamp} {n}.</p>")
                for n in range(3)
            ),
        )
    )

    subprocess.run(  # noqa: S603 - fixed command line, our own venv
        [
            str(VENV_BIN / "python"),
            "manage.py",
            "import_comments",
            "disqus",
            str(export),
            "--quiet",
        ],
        cwd=PROJECT_DIR,
        env=live_site.env,
        check=True,
        timeout=120,
        capture_output=True,
    )

    button = moderator.locator("#mod-live-show")
    expect(button).to_have_text("3 new in this queue \u2014 show", timeout=5_000)
    button.click()
    expect(moderator.locator("[data-mod-card]", has_text=str(stamp))).to_have_count(3)
    expect(moderator.locator("#mod-live-status")).to_have_text("3 new comments shown.")
