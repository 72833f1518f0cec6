"""A reply email carries an article's text only to a reader the article would let in.

The article must still be live, and each Wagtail view restriction on it or a section above it must
accept the recipient's account: a login any active account, a group its members, a password
nobody (it is proved in a browser's session, which an email does not have). The same holds for
the daily digest, checked again when the digest is sent.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from wagtail.models import PageViewRestriction

from accounts.services import reader_set_notifications
from discussion.models import ReplyDigestItem
from discussion.notifications import reply_digests_send
from discussion.selectors import thread_readable_by_user
from discussion.services import thread_ensure
from discussion.tests.factories import make_comment
from discussion.tests.readers import make_reader
from newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _tasks_run_at_once(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def ada():
    return make_reader("Ada", email="ada@example.com")


@pytest.fixture
def night_desk():
    """A group the reader is not in."""
    return Group.objects.create(name="Night desk")


def _restrict(page, kind: str, *, groups: tuple[Group, ...] = ()) -> PageViewRestriction:
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=kind, password="embargo-2026" if kind == "password" else ""
    )
    restriction.groups.set(groups)
    return restriction


def _thread_with_adas_comment(ada):
    article = make_article(title="Embargoed budget")
    thread = thread_ensure(page=article)
    parent = make_comment(thread, "My view.", name="Ada", user_id=ada.pk)
    return article, thread, parent


def _reply(thread, parent, capture, body: str = "The secret figures are in.") -> None:
    with capture(execute=True):
        make_comment(thread, body, name="Bob", parent=parent)


def test_a_reply_under_an_unpublished_article_sends_no_email(
    ada, django_capture_on_commit_callbacks
):
    article, thread, parent = _thread_with_adas_comment(ada)
    article.unpublish()

    _reply(thread, parent, django_capture_on_commit_callbacks)

    assert mail.outbox == []


def test_a_reply_under_a_password_protected_article_sends_no_email(
    ada, django_capture_on_commit_callbacks
):
    article, thread, parent = _thread_with_adas_comment(ada)
    _restrict(article, PageViewRestriction.PASSWORD)

    _reply(thread, parent, django_capture_on_commit_callbacks)

    assert mail.outbox == []


def test_a_reply_under_a_section_for_signed_in_readers_is_emailed_to_a_member(
    ada, django_capture_on_commit_callbacks
):
    article, thread, parent = _thread_with_adas_comment(ada)
    _restrict(article.get_parent(), PageViewRestriction.LOGIN)

    _reply(thread, parent, django_capture_on_commit_callbacks)

    assert [message.to for message in mail.outbox] == [["ada@example.com"]]
    assert "The secret figures are in." in mail.outbox[0].body


def test_a_reply_under_an_article_for_a_group_the_reader_is_not_in_sends_no_email(
    ada, night_desk, django_capture_on_commit_callbacks
):
    article, thread, parent = _thread_with_adas_comment(ada)
    _restrict(article, PageViewRestriction.GROUPS, groups=(night_desk,))

    _reply(thread, parent, django_capture_on_commit_callbacks)

    assert mail.outbox == []


def test_a_reply_under_an_article_for_a_group_the_reader_is_in_is_emailed(
    ada, django_capture_on_commit_callbacks
):
    article, thread, parent = _thread_with_adas_comment(ada)
    subscribers = Group.objects.create(name="Subscribers")
    ada.groups.add(subscribers)
    _restrict(article, PageViewRestriction.GROUPS, groups=(subscribers,))

    _reply(thread, parent, django_capture_on_commit_callbacks)

    assert [message.to for message in mail.outbox] == [["ada@example.com"]]


def test_a_superuser_outside_the_group_gets_no_email_either(
    ada, night_desk, django_capture_on_commit_callbacks
):
    # Wagtail lets a superuser's request past a group restriction; an email goes to a mailbox.
    type(ada).objects.filter(pk=ada.pk).update(is_superuser=True, is_staff=True)
    article, thread, parent = _thread_with_adas_comment(ada)
    _restrict(article, PageViewRestriction.GROUPS, groups=(night_desk,))

    _reply(thread, parent, django_capture_on_commit_callbacks)

    assert mail.outbox == []


@pytest.fixture
def digest_reader(ada):
    reader_set_notifications(reader=ada.reader, notify_replies=True, reply_digest=True)
    return ada


def test_the_digest_leaves_out_a_reply_whose_article_has_since_become_private(
    digest_reader, django_capture_on_commit_callbacks
):
    public, public_thread, public_parent = _thread_with_adas_comment(digest_reader)
    private, private_thread, private_parent = _thread_with_adas_comment(digest_reader)
    _reply(public_thread, public_parent, django_capture_on_commit_callbacks, "Open reply.")
    _reply(private_thread, private_parent, django_capture_on_commit_callbacks, "Secret reply.")
    _restrict(private, PageViewRestriction.PASSWORD)

    sent = reply_digests_send()

    assert sent == 1
    digest = mail.outbox[0]
    assert digest.subject == "1 new reply to your comments"
    assert "Open reply." in digest.body
    assert "Secret reply." not in digest.body
    assert "Secret reply." not in digest.alternatives[0][0]


def test_a_digest_with_no_readable_reply_left_is_not_sent_and_is_cleared(
    digest_reader, django_capture_on_commit_callbacks
):
    article, thread, parent = _thread_with_adas_comment(digest_reader)
    _reply(thread, parent, django_capture_on_commit_callbacks)
    assert ReplyDigestItem.objects.filter(user=digest_reader).count() == 1
    article.unpublish()

    sent = reply_digests_send()

    assert sent == 0 and mail.outbox == []
    assert not ReplyDigestItem.objects.exists()


def test_asking_about_an_article_with_no_restriction_is_one_query(ada, django_assert_num_queries):
    _article, thread, _parent = _thread_with_adas_comment(ada)

    with django_assert_num_queries(1):
        assert thread_readable_by_user(thread_id=thread.pk, user_id=ada.pk) is True


def test_asking_about_a_restricted_article_is_three_queries(
    ada, night_desk, django_assert_num_queries
):
    # The thread with its article; Wagtail's read of the article's ancestors; one EXISTS that
    # asks whether any restriction turns the account away, however many restrictions apply.
    article, thread, _parent = _thread_with_adas_comment(ada)
    _restrict(article.get_parent(), PageViewRestriction.LOGIN)
    _restrict(article, PageViewRestriction.GROUPS, groups=(night_desk,))

    with django_assert_num_queries(3):
        assert thread_readable_by_user(thread_id=thread.pk, user_id=ada.pk) is False
