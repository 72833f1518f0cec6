"""Staff close an article's discussion, or require accounts on it, from the Wagtail admin."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.urls import reverse

from discussion.services import thread_ensure
from discussion.tests.factories import make_comment
from newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    staff = get_user_model().objects.create_superuser("desk", "desk@example.invalid", "pw-12345!")
    client.force_login(staff)
    return client


def _edit(staff_client, thread, **fields):
    url = reverse("wagtailsnippets_discussion_thread:edit", args=[thread.pk])
    data = {"is_closed": "", "guests_allowed": "unknown"}
    data.update(fields)
    return staff_client.post(url, data)


def test_closing_a_thread_in_the_admin_closes_the_article_discussion(staff_client, client):
    article = make_article()
    thread = thread_ensure(page=article)
    make_comment(thread, "Before closing")
    version = thread.version
    assert _edit(staff_client, thread, is_closed="on").status_code == 302
    thread.refresh_from_db()
    assert thread.is_closed and thread.version == version + 1
    staff_client.logout()
    page = BeautifulSoup(client.get(article.url).content, "html.parser")
    assert "This discussion is closed" in page.select_one("#comments").get_text()
    assert page.find("textarea") is None


def test_requiring_accounts_on_one_article_hides_the_guest_form(staff_client, client):
    article = make_article()
    thread = thread_ensure(page=article)
    assert _edit(staff_client, thread, guests_allowed="false").status_code == 302
    thread.refresh_from_db()
    assert thread.guests_allowed is False
    staff_client.logout()
    page = BeautifulSoup(client.get(article.url).content, "html.parser")
    assert page.find("input", attrs={"name": "author_name"}) is None


def test_the_discussions_list_says_open_or_closed_and_who_may_comment_in_words(staff_client):
    thread_ensure(page=make_article(title="Open story"))
    closed = thread_ensure(page=make_article(title="Closed story"))
    _edit(staff_client, closed, is_closed="on", guests_allowed="false")
    response = staff_client.get(reverse("wagtailsnippets_discussion_thread:list"))
    soup = BeautifulSoup(response.content, "html.parser")
    rows = {
        row.select_one("td.title a").get_text(strip=True): [
            td.get_text(strip=True) for td in row.find_all("td")[-2:]
        ]
        for row in soup.select("table.listing tbody tr")
    }
    assert rows == {
        "Open story": ["Open", "As the site"],
        "Closed story": ["Closed", "Accounts only"],
    }
