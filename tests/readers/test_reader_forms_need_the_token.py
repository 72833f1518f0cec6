"""Every form a reader sends is refused without its CSRF token (bad-input.md, "Requests"): a page
on another site that posts to ours, with the reader's cookies, gets a 403 and changes nothing."""

from __future__ import annotations

import pytest
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
