"""The reply-email switches are writes, and limited like every other (COMMENT_EDIT_RATE_LIMIT,
counted per address): past the limit the switch is refused with a message and stays as it was."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from accounts.models import Reader
from core.ratelimit import seconds_to_next_window, wait_in_words
from discussion.models import Comment
from discussion.tests.factories import make_comment, make_thread
from discussion.tests.readers import make_reader

pytestmark = pytest.mark.django_db


def _switched_on(kind: str, comment: Comment, reader: Reader) -> bool:
    if kind == "comment":
        return Comment.objects.get(pk=comment.pk).notify_replies
    return Reader.objects.get(pk=reader.pk).notify_replies


@pytest.mark.parametrize("kind", ["comment", "profile"])
def test_a_reply_email_switch_past_the_limit_is_refused_and_left_as_it_was(client, settings, kind):
    settings.COMMENT_EDIT_RATE_LIMIT = "2/m"
    ada = make_reader("Ada")
    comment = make_comment(make_thread(), "My own words.", name="Ada", user_id=ada.pk)
    client.force_login(ada)
    if kind == "comment":
        url = f"/discussion/comments/{comment.pk}/reply-emails/"
    else:
        url = "/accounts/notifications/"
    for choice in ("off", "on"):
        client.post(url, {"reply_emails": choice})
    assert _switched_on(kind, comment, ada.reader)

    refused = client.post(url, {"reply_emails": "off"}, follow=True)

    message = BeautifulSoup(refused.content, "html.parser").select_one(".messages").get_text()
    # Told on the page the switch leads back to, in the limit's window (which stands still in a
    # test: conftest.py).
    wait = wait_in_words(seconds_to_next_window(settings.COMMENT_EDIT_RATE_LIMIT))
    assert f"Too many changes; {wait}." in message
    assert _switched_on(kind, comment, ada.reader)
