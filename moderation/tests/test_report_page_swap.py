"""A report sent from the report's own page (htmx) asks for no out-of-band swap: the "Reported"
label replaces the Report link under the comment in its thread, and that page has no such link
(htmx logged htmx:oobErrorNoTarget)."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from discussion.services import thread_ensure
from discussion.tests.factories import make_comment
from newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db


def test_a_report_sent_from_the_reports_own_page_asks_for_no_out_of_band_swap(client):
    comment = make_comment(thread_ensure(page=make_article()), "A comment some readers dislike.")
    url = f"/moderation/comments/{comment.pk}/report/"

    answer = client.post(
        url,
        {"reason": "abuse", "text": ""},
        HTTP_HX_REQUEST="true",
        HTTP_HX_CURRENT_URL=f"http://testserver{url}",
    )

    fragment = BeautifulSoup(answer.content, "html.parser")
    assert "Your report was sent" in fragment.get_text()
    assert fragment.select_one("[hx-swap-oob]") is None
