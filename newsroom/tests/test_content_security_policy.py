"""The site's pages carry a strict Content-Security-Policy (core.csp), cached copies included;
the Wagtail admin does not, and the site's templates need nothing the policy refuses."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from wagtail.models import PageViewRestriction

from core.csp import site_policy
from discussion.services import thread_ensure
from discussion.tests.factories import make_comment
from newsroom.tests.factories import make_article
from newsroom.tests.test_page_cache import asgi

pytestmark = pytest.mark.django_db

POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
PROJECT = Path(__file__).resolve().parents[2]


@pytest.fixture
def article():
    article = make_article()
    make_comment(thread_ensure(page=article), "The first comment on this story.")
    return article


def test_an_article_page_carries_the_policy(client, article):
    assert client.get(article.url)["Content-Security-Policy"] == POLICY


def test_the_page_caches_copy_carries_the_same_policy(article):
    first = asgi("GET", article.url)
    second = asgi("GET", article.url)

    assert (first.header("x-cache"), second.header("x-cache")) == ("miss", "hit")
    assert second.header("content-security-policy") == POLICY


@pytest.mark.parametrize(
    "url", ["/", "/accounts/login/", "/search/?q=talks", "/transparency/", "/no-such-page/"]
)
def test_other_pages_of_the_site_carry_it_too(client, article, url):
    assert client.get(url)["Content-Security-Policy"] == POLICY


def test_a_private_pages_password_form_carries_it(client, article):
    PageViewRestriction.objects.create(
        page=article, restriction_type=PageViewRestriction.PASSWORD, password="tulip-7341"
    )

    assert client.get(article.url)["Content-Security-Policy"] == POLICY


def test_the_wagtail_admin_is_left_out(client):
    staff = get_user_model().objects.create_superuser("desk", "desk@example.com", "pw-1234567!")
    client.force_login(staff)

    response = client.get("/admin/")

    assert response.status_code == 200
    assert "Content-Security-Policy" not in response


def test_answers_that_are_not_pages_carry_none(client, article):
    assert "Content-Security-Policy" not in client.get("/api/v1/comment-counts?ids=1")
    assert "Content-Security-Policy" not in client.get("/feeds/rss/")


def test_an_openid_connect_providers_address_may_receive_the_sign_in_form(settings):
    settings.OIDC_SERVER_URL = "https://login.example.com/realms/news"

    assert site_policy()["form-action"] == "'self' https://login.example.com"


def test_htmx_adds_no_style_element_and_evaluates_nothing(client, article):
    html = client.get(article.url).content.decode()

    assert (
        """<meta name="htmx-config" content='{"includeIndicatorStyles": false, """
        """"allowEval": false}'>"""
    ) in html


_REFUSED = {
    "an inline script": re.compile(
        r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>", re.I
    ),
    "a style element": re.compile(r"<style\b", re.I),
    "a style attribute": re.compile(r"\sstyle=", re.I),
    "an event handler attribute": re.compile(r"\son(?:click|load|error|submit|change)=", re.I),
}


def _site_templates() -> list[Path]:
    """The templates of the site's own pages: every app's, less those drawn inside the Wagtail
    admin (a folder named admin), which has no such policy."""
    return [
        path
        for path in PROJECT.glob("*/templates/**/*.html")
        if ".venv" not in path.parts and "admin" not in path.relative_to(PROJECT).parts[2:]
    ]


def test_the_sites_templates_need_nothing_the_policy_refuses():
    templates = _site_templates()
    found = [
        f"{path.relative_to(PROJECT)}: {what}"
        for path in templates
        for what, pattern in _REFUSED.items()
        if pattern.search(path.read_text())
    ]

    assert len(templates) > 50
    assert found == []


def _directives(policy: str) -> dict[str, str]:
    return dict(part.strip().partition(" ")[::2] for part in policy.split(";"))


def test_the_api_docs_page_keeps_the_policy_but_takes_its_icons_from_data_urls(client):
    response = client.get("/api/v1/docs")

    assert _directives(response["Content-Security-Policy"]) == {
        **_directives(POLICY),
        "img-src": "'self' data:",
    }
