"""A comment's "Mute reply emails" pressed after the reader's session had ended asks them to sign
in, and signing in brings them back to their comment, told that nothing was sent; not a 403
page saying "This is not your comment"."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from discussion.models import Comment
from discussion.services import thread_ensure
from discussion.tests.factories import make_comment
from discussion.tests.readers import make_reader
from newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db


def test_mute_reply_emails_after_the_session_ended_asks_to_sign_in_and_leads_back(client):
    ada = make_reader("Ada")
    article = make_article()
    comment = make_comment(thread_ensure(page=article), "My own words.", user_id=ada.pk)
    address = f"/discussion/comments/{comment.pk}/reply-emails/"

    refused = client.post(address, {"reply_emails": "off"})  # the session had ended

    assert refused.status_code == 302
    assert refused["Location"] == f"/accounts/login/?next={address}%3Fsession%3Dended"
    client.force_login(ada)
    landed = client.get(f"{address}?session=ended", follow=True)  # where signing in sends them
    assert landed.redirect_chain[-1][0] == f"{article.url}?c={comment.pk}#c-{comment.pk}"
    message = BeautifulSoup(landed.content, "html.parser").select_one(".messages").get_text()
    assert message == "Nothing was sent. Press “Mute reply emails” again."
    assert Comment.objects.get(pk=comment.pk).notify_replies
