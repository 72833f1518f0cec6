"""A comment's "Mute reply emails" pressed after the reader's session had ended asks them to sign
in, and signing in brings them back to their comment, told that nothing was sent; not a 403
page saying "This is not your comment"."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from accounts.services import reader_set_notifications
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


def test_signing_in_again_while_the_profile_says_never_names_no_button_the_comment_lacks(client):
    # The comment shows a link to the profile's choice in the switch's place, so "Press “Mute
    # reply emails” again" named a button the reader could not find.
    ada = make_reader("Ada")
    reader_set_notifications(reader=ada.reader, notify_replies=False)
    article = make_article()
    comment = make_comment(thread_ensure(page=article), "My own words.", user_id=ada.pk)
    address = f"/discussion/comments/{comment.pk}/reply-emails/"
    client.force_login(ada)

    landed = client.get(f"{address}?session=ended", follow=True)

    page = BeautifulSoup(landed.content, "html.parser")
    assert page.select_one(".messages").get_text() == (
        "Nothing was changed. Your profile’s email choice is Never, so no reply emails are sent "
        "to you."
    )
    assert page.select_one(f"#c-{comment.pk} a.comment__reply-emails") is not None


@pytest.mark.parametrize("sent", [{"reply_emails": "maybe"}, {}], ids=["unknown value", "none"])
def test_a_switch_value_it_does_not_offer_changes_nothing_and_says_so(client, sent):
    # Read as "off" before, so a stray value muted the comment's reply emails.
    ada = make_reader("Ada")
    comment = make_comment(thread_ensure(page=make_article()), "My own words.", user_id=ada.pk)
    client.force_login(ada)

    landed = client.post(f"/discussion/comments/{comment.pk}/reply-emails/", sent, follow=True)

    message = BeautifulSoup(landed.content, "html.parser").select_one(".messages").get_text()
    assert message.startswith("Nothing was changed")
    assert Comment.objects.get(pk=comment.pk).notify_replies
