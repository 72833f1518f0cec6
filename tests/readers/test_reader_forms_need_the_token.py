"""Every form a reader sends is refused without its CSRF token (bad-input.md, "Requests"): a page
on another site that posts to ours, with the reader's cookies, gets a 403 and changes nothing."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.test import Client

from accounts.models import Reader
from discussion.models import Comment, Reaction
from discussion.tests.factories import make_comment, make_thread
from discussion.tests.readers import make_reader
from moderation.models import Appeal, Report

pytestmark = pytest.mark.django_db

# Each reader form's address (for one of the reader's own comments, {id}) and what it sends.
FORMS = {
    "recommend": ("/discussion/comments/{id}/react/", {}),
    "report": ("/moderation/comments/{id}/report/", {"reason": "spam"}),
    "appeal": ("/moderation/comments/{id}/why/", {"text": "Please look again."}),
    "edit": ("/discussion/comments/{id}/edit/", {"body": "Changed by another site."}),
    "delete": ("/discussion/comments/{id}/delete/", {}),
    "reply emails": ("/discussion/comments/{id}/reply-emails/", {"reply_emails": "off"}),
    "email choice": ("/accounts/notifications/", {"reply_emails": "off"}),
    "display name": ("/readers/me/name/", {"display_name": "Someone Else"}),
    "delete account": ("/readers/me/delete/", {"confirm": "yes"}),
}


def _state(comment: Comment, reader: Reader) -> tuple:
    comment.refresh_from_db()
    reader.refresh_from_db()
    return (
        comment.body,
        comment.status,
        comment.notify_replies,
        reader.display_name,
        reader.notify_replies,
        Reaction.objects.count(),
        Report.objects.count(),
        Appeal.objects.count(),
        Reader.objects.count(),
    )


@pytest.mark.parametrize("form", FORMS)
def test_a_reader_form_sent_without_its_token_is_refused_and_changes_nothing(form):
    ada = make_reader("Ada")
    comment = make_comment(make_thread(), "My own words.", name="Ada", user_id=ada.pk)
    before = _state(comment, ada.reader)
    client = Client(enforce_csrf_checks=True)
    client.force_login(ada)
    address, sent = FORMS[form]

    response = client.post(address.format(id=comment.pk), sent)

    assert response.status_code == 403
    assert _state(comment, ada.reader) == before


# The reader forms whose words a reader types, with the field that holds them.
TYPED = {
    "appeal": ("/moderation/comments/{id}/why/", "text"),
    "report": ("/moderation/comments/{id}/report/", "text"),
    "edit": ("/discussion/comments/{id}/edit/", "body"),
    "display name": ("/readers/me/name/", "display_name"),
}


@pytest.mark.parametrize("form", TYPED)
def test_words_typed_in_a_form_refused_for_its_token_come_back_to_copy(form):
    """A token out of date (signed in or out in another tab, a page open overnight) refuses the
    form; without JavaScript the 403 page is all the reader has, so it holds their words."""
    ada = make_reader("Ada")
    comment = make_comment(make_thread(), "My own words.", name="Ada", user_id=ada.pk)
    client = Client(enforce_csrf_checks=True)
    client.force_login(ada)
    address, field = TYPED[form]
    words = "It quoted the minister & said <why>."

    response = client.post(
        address.format(id=comment.pk),
        {field: words, "reason": "other", "csrfmiddlewaretoken": "out-of-date"},
    )

    assert response.status_code == 403
    page = BeautifulSoup(response.content, "html.parser")
    assert page.select_one("textarea#typed").get_text() == words
