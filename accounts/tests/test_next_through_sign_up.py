"""A reader who creates an account from an article comes back to it.

Sign-up carries ``next``; the confirmation email's link carries it on, through the sign-in page
(confirming an address does not sign anyone in), to the article.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from wagtail.models import PageViewRestriction

from newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple 42"


def _sign_up(client, next_url: str):
    return client.post(
        f"/accounts/signup/?next={next_url}",
        {
            "email": "ada@example.com",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "display_name": "Ada",
            "next": next_url,
        },
    )


def _link(message) -> str:
    return re.search(r"https?://\S+", message.body).group(0)


def test_confirming_the_email_leads_to_sign_in_and_then_back_to_the_article(client):
    article = make_article()
    _sign_up(client, article.url)

    confirm_page = client.get(_link(mail.outbox[0]))
    form = BeautifulSoup(confirm_page.content, "html.parser").select_one("form[method=post]")
    confirmed = client.post(form["action"], {"next": form.select_one("input[name=next]")["value"]})

    sent_to = urlsplit(confirmed["Location"])
    assert sent_to.path == "/accounts/login/"
    assert parse_qs(sent_to.query)["next"] == [article.url]
    signed_in = client.post(
        confirmed["Location"],
        {"login": "ada@example.com", "password": PASSWORD, "next": article.url},
    )
    assert signed_in["Location"] == article.url


def test_the_sign_up_page_from_a_members_only_article_says_what_it_is_for(client):
    article = make_article(title="Members' briefing: the guarantees")
    PageViewRestriction.objects.create(page=article, restriction_type=PageViewRestriction.LOGIN)

    response = client.get("/accounts/signup/", {"next": article.url})

    reason = BeautifulSoup(response.content, "html.parser").select_one("#sign-in-reason")
    assert reason is not None
    assert "Members' briefing: the guarantees" in reason.get_text()
