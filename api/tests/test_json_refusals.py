"""Every refusal under /api/v1/ is JSON with a `detail` sentence (docs/api.md, "Errors"), also
for a method the API does not take and for an address it does not have."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def _detail(response, status: int) -> str:
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    return response.json()["detail"]


def test_a_post_to_a_read_endpoint_is_a_json_405_naming_the_allowed_methods(client):
    response = client.post("/api/v1/threads/comments", {"body": "hello"})

    assert "not allowed" in _detail(response, 405).lower()
    assert "GET" in response["Allow"]


@pytest.mark.parametrize(
    "path", ["/api/v1/openapi.json", "/api/v1/docs", "/api/v1/ninjs/articles/1.json"]
)
@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_a_method_a_read_address_does_not_take_is_a_json_405_even_without_a_csrf_token(
    path, method
):
    # A browser's request, which must carry the CSRF token: the method is what is wrong, so the
    # answer says that (405 and Allow), not that a token is missing.
    browser = Client(enforce_csrf_checks=True)

    response = getattr(browser, method)(path)

    assert "not allowed" in _detail(response, 405).lower()
    assert "GET" in response["Allow"]


@pytest.mark.parametrize("path", ["/api/v1/comments", "/api/v1/comments/preview"])
def test_a_post_without_the_csrf_token_to_an_address_that_takes_posts_is_still_refused(path):
    browser = Client(enforce_csrf_checks=True)

    response = browser.post(path, '{"body": "hello"}', content_type="application/json")

    assert "csrf" in _detail(response, 403).lower()


@pytest.mark.parametrize("path", ["/api/v1/nope", "/api/v1/documentation", "/api/v1/threads/"])
def test_an_address_the_api_does_not_have_is_a_json_404(client, path):
    # At once: not first an HTML redirect to the same address with a slash (APPEND_SLASH), which
    # a script reading JSON cannot make sense of. The API's addresses end without one.
    assert "no such" in _detail(client.get(path), 404).lower()


def test_pages_outside_the_api_keep_their_html_404(client):
    response = client.get("/no-such-page-anywhere/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("path", ["/api/v1/threads/comments/", "/api/v1/ninjs/", "/api/v1/a/b/"])
@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_a_write_to_an_address_under_the_api_it_does_not_have_is_a_json_404(path, method):
    # Ending with a slash, Wagtail's page view took these, and the CSRF check refused them
    # with a 403 asking for a token, though the address is what is wrong.
    browser = Client(enforce_csrf_checks=True)

    response = getattr(browser, method)(path, {"body": "hello"})

    assert "no " in _detail(response, 404).lower()


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete", "trace"])
def test_a_method_the_apis_own_address_does_not_take_is_a_json_405_without_a_csrf_token(method):
    browser = Client(enforce_csrf_checks=True)

    response = getattr(browser, method)("/api/v1/")

    assert "not allowed" in _detail(response, 405).lower()
    assert "GET" in response["Allow"]


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete", "options"])
def test_a_method_other_than_a_read_to_the_apis_address_without_its_slash_is_its_json_405(
    method,
):
    # APPEND_SLASH answered every method here with an HTML 301, a POST included, which a client
    # would repeat as a GET or not follow at all. The answer is the one /api/v1/ gives.
    browser = Client(enforce_csrf_checks=True)

    response = getattr(browser, method)("/api/v1")

    with_slash = getattr(browser, method)("/api/v1/")
    assert _detail(response, 405) == _detail(with_slash, 405)
    assert response["Allow"] == with_slash["Allow"]


@pytest.mark.parametrize("method", ["get", "head"])
def test_a_read_of_the_apis_address_without_its_slash_is_sent_on_to_it_in_json(client, method):
    response = getattr(client, method)("/api/v1?from=app")

    assert response.status_code == 301
    assert response["Location"] == "/api/v1/?from=app"
    assert response["Content-Type"].startswith("application/json")
    if method == "get":
        assert "/api/v1/" in response.json()["detail"]


@pytest.mark.parametrize("path", ["/api", "/api/", "/api/v2/", "/api/threads/comments"])
@pytest.mark.parametrize("method", ["get", "head", "post", "delete"])
def test_an_address_under_api_without_the_version_is_a_json_404_naming_the_apis_root(path, method):
    # /api was Django's HTML 301 to /api/ (APPEND_SLASH), and that was Wagtail's HTML 404 page:
    # a client that left out the version could not tell where the API is.
    browser = Client(enforce_csrf_checks=True)

    response = getattr(browser, method)(path)

    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    if method != "head":
        assert "/api/v1/" in response.json()["detail"]


def test_the_apis_own_address_says_where_the_api_describes_itself(client):
    response = client.get("/api/v1/")

    assert response.status_code == 200
    assert response.json() == {"openapi": "/api/v1/openapi.json", "docs": "/api/v1/docs"}


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_host_this_site_does_not_answer_to_is_a_json_400_saying_so(client, method):
    # Django refuses the Host (ALLOWED_HOSTS) in a middleware outside the one that made the
    # API's refusals JSON: a script got the site's HTML 400 page.
    response = getattr(client, method)(
        "/api/v1/threads/comments?article=1", HTTP_HOST="evil.example"
    )

    assert "host" in _detail(response, 400).lower()


@pytest.mark.parametrize("charset", ["utf-16", "latin-1"])
def test_a_form_in_a_charset_other_than_utf8_is_a_json_400_not_a_server_error(charset):
    # Django refuses to read such a form, and read it again for each error page it drew (their
    # CSRF check), so the answer was a 500 (core.form_charset).
    browser = Client(enforce_csrf_checks=True)

    response = browser.post(
        "/api/v1/comments",
        b"article=1&body=hello",
        content_type=f"application/x-www-form-urlencoded; charset={charset}",
    )

    assert "utf-8" in _detail(response, 400).lower()


def test_a_read_that_names_a_forms_charset_is_still_answered(client):
    # Only a POST's body is read as a form; a read sent with the header is no form to refuse.
    response = client.get(
        "/api/v1/", content_type="application/x-www-form-urlencoded; charset=utf-16"
    )

    assert response.status_code == 200
