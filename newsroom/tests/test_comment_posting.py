"""Posting from the form under an article: Post/Redirect/Get without JavaScript, fragments for
htmx, and every refusal answered beside the field with the reader's text kept."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.test import Client

from core.envsettings import parse_networks
from core.ratelimit import wait_in_words
from discussion.models import Comment
from discussion.services import thread_ensure, thread_set_closed
from discussion.tests.factories import make_comment
from newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def article():
    return make_article()


def _post(client, article, **data):
    payload = {"body": "", "author_name": "Olena", "idempotency_key": "", "parent": ""}
    payload.update(data)
    return client.post(article.url, payload, **data.pop("extra", {}))


def test_plain_post_redirects_to_the_new_comment_which_the_page_then_shows(client, article):
    response = _post(client, article, body="Reinforce Mariupol now.")
    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{article.url}?c={comment.pk}#c-{comment.pk}"
    page = BeautifulSoup(client.get(response["Location"]).content, "html.parser")
    shown = page.find(id=f"c-{comment.pk}")
    assert "Reinforce Mariupol now." in shown.get_text()
    assert "comment--focus" in shown["class"]


def test_a_reply_appears_under_its_parent(client, article):
    parent = make_comment(thread_ensure(page=article), "Parent")
    response = _post(client, article, body="I agree", parent=str(parent.pk))
    page = BeautifulSoup(client.get(response["Location"]).content, "html.parser")
    assert "I agree" in page.find(id=f"replies-{parent.pk}").get_text()


def test_typed_script_is_shown_as_text(client, article):
    response = _post(client, article, body="<script>alert('x')</script>")
    page = BeautifulSoup(client.get(response["Location"]).content, "html.parser")
    body = page.select_one(".comment__body")
    assert body.get_text(strip=True) == "<script>alert('x')</script>"
    assert body.find("script") is None


def test_an_empty_comment_gets_a_clear_error_and_the_name_is_kept(client, article):
    response = _post(client, article, body="   ", author_name="Taras")
    assert response.status_code == 400
    page = BeautifulSoup(response.content, "html.parser")
    assert (
        "Please write your comment first: the box is empty."
        in page.select_one("#comment-form-body-error").get_text()
    )
    assert page.select_one("#comment-form-name")["value"] == "Taras"
    assert page.select_one("#comment-form-body")["aria-invalid"] == "true"
    assert Comment.objects.count() == 0


def test_an_over_long_comment_is_refused_with_its_text_kept(client, article, settings):
    settings.COMMENT_MAX_LENGTH = 10
    response = _post(client, article, body="x" * 11)
    page = BeautifulSoup(response.content, "html.parser")
    assert response.status_code == 400
    assert "limit is 10" in page.select_one("#comment-form-body-error").get_text()
    assert page.select_one("#comment-form-body").get_text() == "x" * 11
    assert Comment.objects.count() == 0


def test_a_comment_over_the_real_limit_comes_back_whole_saying_how_much_to_cut(client, article):
    body = ("A long and careful argument about the corridor. " * 140)[:6599] + "!"
    response = _post(client, article, body=body)
    page = BeautifulSoup(response.content, "html.parser")
    assert page.select_one("#comment-form-body").get_text() == body
    assert page.select_one("#comment-form-body-error").get_text(strip=True) == (
        "Your comment is 6,600 characters long; the limit is 5,000. Please shorten it by 1,600."
    )


def test_the_comment_box_tells_its_limit_but_never_cuts_what_is_typed(client, article):
    page = BeautifulSoup(client.get(article.url).content, "html.parser")
    box = page.select_one("#comment-form-body")
    assert not box.has_attr("maxlength")
    assert "Up to 5,000 characters." in page.select_one("#comment-form-body-hint").get_text()


def test_a_name_over_its_limit_is_refused(client, article, settings):
    settings.DISPLAY_NAME_MAX_LENGTH = 5
    response = _post(client, article, body="Fine text", author_name="Toolongname")
    page = BeautifulSoup(response.content, "html.parser")
    assert "at most 5" in page.select_one("#comment-form-name-error").get_text()
    assert page.select_one("#comment-form-body").get_text() == "Fine text"


def test_a_guest_name_with_a_text_direction_control_is_refused_and_the_form_comes_back_filled(
    client, article
):
    name = "Ali\u202ece"  # shows as "Alice" written backwards from the override on
    response = _post(client, article, body="Kept as typed", author_name=name)
    page = BeautifulSoup(response.content, "html.parser")
    assert response.status_code == 400
    assert "U+202E" in page.select_one("#comment-form-name-error").get_text()
    assert page.select_one("#comment-form-body").get_text() == "Kept as typed"
    assert page.select_one("#comment-form-name")["value"] == name
    assert Comment.objects.count() == 0


@pytest.mark.parametrize("parent", ["999999", "abc", "-1", "0", "99999999999999999999999"])
def test_a_bad_parent_is_refused_never_a_500(client, article, parent):
    response = _post(client, article, body="Reply text", parent=parent)
    assert response.status_code == 400
    page = BeautifulSoup(response.content, "html.parser")
    assert page.select_one("#comment-form-errors").get_text(strip=True)
    assert page.select_one("#comment-form-body").get_text() == "Reply text"
    assert Comment.objects.count() == 0


def test_a_parent_from_another_article_is_refused(client, article):
    other = make_article(title="Other story")
    foreign = make_comment(thread_ensure(page=other), "Elsewhere")
    response = _post(client, article, body="Reply", parent=str(foreign.pk))
    assert response.status_code == 400
    assert b"belongs to another discussion" in response.content
    assert Comment.objects.count() == 1


def test_a_closed_thread_refuses_a_post(client, article):
    thread = thread_ensure(page=article)
    thread.is_closed = True
    thread.save()
    response = _post(client, article, body="Too late")
    assert response.status_code == 400
    assert b"This discussion is closed" in response.content
    assert Comment.objects.count() == 0


def test_nul_bytes_and_invalid_utf8_are_refused_not_500(client, article):
    response = _post(client, article, body="a\x00b")
    assert response.status_code == 400
    raw = client.post(
        article.url,
        b"body=%FF%FE&author_name=Olena",
        content_type="application/x-www-form-urlencoded",
    )
    assert raw.status_code == 400
    assert b"not valid text" in raw.content
    assert Comment.objects.count() == 0


def test_a_missing_csrf_token_gets_a_403_that_says_what_to_do_and_keeps_the_text(article):
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(article.url, {"body": "My long careful comment", "author_name": "O"})
    assert response.status_code == 403
    page = BeautifulSoup(response.content, "html.parser")
    assert "reload the page" in page.get_text()
    assert page.select_one("textarea#typed").get_text() == "My long careful comment"
    assert Comment.objects.count() == 0


def test_a_cross_site_text_plain_post_is_refused_and_saves_nothing(article):
    # A page elsewhere can send a form as text/plain without a preflight, with the reader's
    # cookies, one of them a CSRF cookie from an earlier visit: still no token, so a 403.
    strict = Client(enforce_csrf_checks=True)
    strict.get(article.url)
    assert strict.cookies.get("csrftoken")
    response = strict.post(
        article.url,
        "body=Posted from another site&author_name=Mallory",
        content_type="text/plain",
        headers={"origin": "https://evil.example", "referer": "https://evil.example/page"},
    )
    assert response.status_code == 403
    assert Comment.objects.count() == 0


def test_a_double_submitted_form_creates_one_comment(client, article):
    first = _post(client, article, body="Once", idempotency_key="abc123")
    second = _post(client, article, body="Once", idempotency_key="abc123")
    assert first["Location"] == second["Location"]
    assert Comment.objects.count() == 1


def test_posting_is_rate_limited_with_the_text_kept(client, article, settings):
    settings.COMMENT_RATE_LIMIT = "2/h"
    for n in range(2):
        assert _post(client, article, body=f"Post {n}").status_code == 302
    response = _post(client, article, body="Third in a minute")
    assert response.status_code == 429
    page = BeautifulSoup(response.content, "html.parser")
    errors = page.select_one("#comment-form-errors").get_text()
    assert "faster than this site allows" in errors
    # The wait said is the one Retry-After carries, the hour's rest (it said "a minute").
    wait = int(response["Retry-After"])
    assert 1 <= wait <= 3600
    assert f"{wait_in_words(wait).capitalize()}, then send again" in errors
    assert page.select_one("#comment-form-body").get_text() == "Third in a minute"
    assert Comment.objects.count() == 2


@pytest.mark.parametrize("limit", ["MODERATION_RATE_PER_READER", "MODERATION_RATE_PER_IP"])
def test_over_screenings_own_rate_limits_the_form_is_the_same_429_with_the_text_kept(
    client, article, settings, limit
):
    # A reader's limit (their guest cookie) and an address's, counted by screening: the same
    # answer as over COMMENT_RATE_LIMIT, not a 400 with the sentence beside the text.
    setattr(settings, limit, "2/h")
    for n in range(2):
        assert _post(client, article, body=f"Post {n}").status_code == 302
    response = _post(client, article, body="Third in a minute")
    assert response.status_code == 429
    page = BeautifulSoup(response.content, "html.parser")
    assert "faster than this site allows" in page.select_one("#comment-form-errors").get_text()
    assert page.select_one("#comment-form-body").get_text() == "Third in a minute"
    assert Comment.objects.count() == 2

    with_htmx = _post(client, article, body="Fourth, from the page's script", extra=HTMX)
    assert with_htmx.status_code == 429
    wait = int(with_htmx["Retry-After"])
    assert 1 <= wait <= 3600
    assert f"{wait_in_words(wait).capitalize()}, then send again" in with_htmx.content.decode()
    assert "Fourth, from the page&#x27;s script" in with_htmx.content.decode()


def test_behind_the_sites_proxy_each_reader_has_their_own_posting_allowance(
    client, article, settings
):
    # Every request reaches the app from the proxy's address; the limit is per reader's address
    # (django-ratelimit, used before, counted the proxy's, so one busy reader held up everyone).
    settings.TRUSTED_PROXIES = parse_networks("10.0.0.0/8")
    settings.COMMENT_RATE_LIMIT = "1/h"

    def post(body, reader_address):
        return _post_via(client, article, body, "10.0.0.2", reader_address)

    assert post("First from one reader", "198.51.100.1").status_code == 302
    assert post("First from another", "203.0.113.7").status_code == 302
    assert post("Second from the first", "198.51.100.1").status_code == 429
    assert Comment.objects.count() == 2


def _post_via(client, article, body: str, remote_addr: str, forwarded_for: str):
    """A guest's comment reaching the app from ``remote_addr``, which says it forwards it for
    ``forwarded_for`` (X-Forwarded-For)."""
    return client.post(
        article.url,
        {"body": body, "author_name": "Olena", "idempotency_key": "", "parent": ""},
        REMOTE_ADDR=remote_addr,
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


def test_a_forged_x_forwarded_for_from_a_client_that_is_no_proxy_buys_no_more_posts(
    client, article, settings
):
    # A reader who is not behind the site's proxy cannot claim a new address per comment.
    settings.TRUSTED_PROXIES = parse_networks("10.0.0.0/8")
    settings.COMMENT_RATE_LIMIT = "1/h"

    first = _post_via(client, article, "First", "203.0.113.50", "198.51.100.1")
    second = _post_via(client, article, "Claiming another address", "203.0.113.50", "198.51.100.2")
    assert first.status_code == 302
    assert second.status_code == 429
    assert Comment.objects.count() == 1


def test_htmx_post_returns_the_comment_to_insert_and_a_fresh_form(client, article):
    response = client.post(
        article.url, {"body": "Live comment", "author_name": "Ira", "idempotency_key": "k"}, **HTMX
    )
    assert response.status_code == 200
    assert response["HX-Retarget"] == "#comment-list"
    assert response["HX-Reswap"] == "beforeend"
    fragment = BeautifulSoup(response.content, "html.parser")
    comment = Comment.objects.get()
    assert fragment.find("li", id=f"c-{comment.pk}")
    fresh = fragment.find("form", id="comment-form")
    assert fresh["hx-swap-oob"] == "true"
    assert fresh.find("textarea").get_text() == ""
    assert fresh.find("input", attrs={"name": "idempotency_key"})["value"] != "k"
    assert "was posted" in fragment.find(id="discussion-status").get_text()


def test_a_comment_posted_in_place_gives_way_to_its_copy_in_a_later_page(client, article):
    """Put at the end of what the reader has loaded (on a long thread, after page one), the
    posted comment is marked as site.js marks comments shown live: when "Show more" brings the
    same comment in its own place, the early copy is removed rather than shown twice."""
    response = client.post(
        article.url,
        {"body": "Mine, placed early", "author_name": "Ira", "idempotency_key": "k"},
        **HTMX,
    )

    comment = Comment.objects.get()
    posted = BeautifulSoup(response.content, "html.parser").find("li", id=f"c-{comment.pk}")
    assert posted["data-live"] == "true"
    page = BeautifulSoup(client.get(article.url).content, "html.parser")
    assert not page.find("li", id=f"c-{comment.pk}").has_attr("data-live")


def test_htmx_reply_is_inserted_into_its_roots_replies(client, article):
    parent = make_comment(thread_ensure(page=article), "Parent")
    response = client.post(
        article.url, {"body": "A reply", "author_name": "Ira", "parent": parent.pk}, **HTMX
    )
    assert response["HX-Retarget"] == f"#replies-{parent.pk}"


def test_htmx_refusal_swaps_the_form_back_with_the_error(client, article):
    response = client.post(article.url, {"body": "", "author_name": "Ira"}, **HTMX)
    assert response.status_code == 422
    assert response["HX-Retarget"] == "#comment-form"
    form = BeautifulSoup(response.content, "html.parser").find("form")
    assert "Please write your comment" in form.get_text()
    assert form.find("input", attrs={"name": "author_name"})["value"] == "Ira"


def test_reply_link_without_javascript_sets_up_the_form(client, article):
    parent = make_comment(thread_ensure(page=article), "Parent", name="Mykola")
    page = BeautifulSoup(client.get(f"{article.url}?reply_to={parent.pk}").content, "html.parser")
    form = page.find("form", id="comment-form")
    assert form.find("input", attrs={"name": "parent"})["value"] == str(parent.pk)
    assert "Reply to Mykola" in form.get_text()


def test_reply_form_fragment_for_htmx(client, article):
    parent = make_comment(thread_ensure(page=article), "Parent", name="Mykola")
    response = client.get(f"/discussion/comments/{parent.pk}/reply/", **HTMX)
    form = BeautifulSoup(response.content, "html.parser").find("form")
    assert form["id"] == f"reply-form-{parent.pk}"
    assert form.find("input", attrs={"name": "parent"})["value"] == str(parent.pk)


@pytest.mark.parametrize(
    "query",
    [
        "after=abc",
        "after=-1",
        "after=0",
        "after=99999999999999999999",
        "after=1&after=2",
        "c=abc",
        "reply_to=zz",
    ],
)
def test_odd_query_strings_never_500(client, article, query):
    make_comment(thread_ensure(page=article), "Hello")
    assert client.get(f"{article.url}?{query}").status_code == 200


def test_show_more_comments_fragment_appends_the_next_page(client, article, settings):
    settings.COMMENTS_PAGE_SIZE = 2
    thread = thread_ensure(page=article)
    made = [make_comment(thread, f"C{n}") for n in range(5)]
    response = client.get(f"/discussion/threads/{thread.pk}/comments/?after={made[1].pk}", **HTMX)
    fragment = BeautifulSoup(response.content, "html.parser")
    appended = fragment.find("ol", attrs={"hx-swap-oob": "beforeend:#comment-list"})
    assert [li["value"] for li in appended.find_all("li", recursive=False)] == ["3", "4"]
    assert f"after={made[3].pk}" in fragment.select_one("#comments-more a")["hx-get"]


def test_show_more_replies_pages_by_keyset_with_and_without_js(client, article, settings):
    settings.REPLIES_SHOWN = 1
    settings.REPLIES_PAGE_SIZE = 2
    thread = thread_ensure(page=article)
    root = make_comment(thread, "Root")
    replies = [make_comment(thread, f"R{n}", parent=root) for n in range(4)]
    page = BeautifulSoup(client.get(article.url).content, "html.parser")
    more = page.select_one(f"#replies-more-{root.pk} a")
    assert more.get_text(strip=True) == "Show 3 more replies"
    plain = BeautifulSoup(client.get(more["href"]).content, "html.parser")
    assert [li["id"] for li in plain.select("ul.replies > li")] == [
        f"c-{replies[1].pk}",
        f"c-{replies[2].pk}",
    ]
    assert plain.select_one(f"#replies-more-{root.pk} a")


def test_permalink_opens_the_page_holding_the_comment(client, article, settings):
    settings.COMMENTS_PAGE_SIZE = 2
    thread = thread_ensure(page=article)
    made = [make_comment(thread, f"C{n}") for n in range(6)]
    response = client.get(f"/c/{made[4].pk}/")
    assert response.status_code == 302
    page = BeautifulSoup(client.get(response["Location"]).content, "html.parser")
    assert page.find(id=f"c-{made[4].pk}")
    assert page.select_one(".discussion__earlier a")


def test_a_guest_may_leave_an_email_which_is_kept_but_never_shown(client, article):
    response = _post(client, article, body="With an address", author_email="olena@example.com")
    comment = Comment.objects.get()
    assert comment.author_email == "olena@example.com"
    # Their own next comment form offers it back (WCAG 3.3.7); the comment never shows it, and
    # no other reader's page holds it.
    own = BeautifulSoup(client.get(response["Location"]).content, "html.parser")
    assert "olena@example.com" not in own.find(id=f"c-{comment.pk}").decode()
    assert b"olena@example.com" not in Client().get(response["Location"]).content


def test_a_mistyped_guest_email_is_refused_beside_its_field_with_the_text_kept(client, article):
    response = _post(client, article, body="My careful words", author_email="olena@@example")
    page = BeautifulSoup(response.content, "html.parser")
    assert response.status_code == 400
    assert (
        "doesn't look like an email address"
        in page.select_one("#comment-form-email-error").get_text()
    )
    assert page.select_one("#comment-form-body").get_text() == "My careful words"
    assert page.select_one("#comment-form-email")["value"] == "olena@@example"
    assert Comment.objects.count() == 0


def test_an_email_header_injection_attempt_is_refused(client, article):
    response = _post(client, article, body="Hi", author_email="a@example.com\r\nBcc: x@evil.test")
    assert response.status_code == 400
    assert Comment.objects.count() == 0


def test_a_guests_comment_posted_with_htmx_can_be_edited_but_not_recommended_without_a_reload(
    client, article
):
    response = client.post(
        article.url, {"body": "Mine to edit", "author_name": "Ira", "idempotency_key": "e"}, **HTMX
    )
    comment = Comment.objects.get()
    shown = BeautifulSoup(response.content, "html.parser").find("li", id=f"c-{comment.pk}")
    assert shown.find("a", href=f"/discussion/comments/{comment.pk}/edit/") is not None
    assert shown.select_one(".reaction__button") is None  # one's own comment is not recommended


# Real commits: the database checks a reply's parent when the reply's transaction commits. The
# migrations' rows (Wagtail's root page, the default site) are restored afterwards, as the other
# tests that commit do, so the tests after this one find the database as migrations left it.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_reply_whose_parent_its_author_deletes_meanwhile_comes_back_with_its_text(
    client, article
):
    from discussion import screening

    parent = make_comment(thread_ensure(page=article), "Soon to be deleted.")

    def parent_deleted_meanwhile(submission):
        # Between reading the parent and saving the reply, its author deletes it (a comment
        # with no replies is removed outright).
        Comment.objects.filter(pk=parent.pk).delete()

    screening.register_step("test.parent_deleted", parent_deleted_meanwhile, order=1)
    try:
        response = _post(client, article, body="My careful reply.", parent=parent.pk)
    finally:
        screening.unregister_step("test.parent_deleted")

    assert response.status_code == 400
    page = BeautifulSoup(response.content, "html.parser")
    assert page.select_one("textarea[name=body]").get_text() == "My careful reply."
    assert "does not exist (any more)" in page.get_text()
    assert not Comment.objects.exists()


def test_a_comment_refused_for_what_it_says_still_counts_against_the_posting_limit(
    client, article, settings
):
    settings.COMMENT_RATE_LIMIT = "1/h"
    thread_set_closed(thread=thread_ensure(page=article), closed=True)
    assert _post(client, article, body="Too late, it is closed").status_code == 400

    response = _post(client, article, body="And again")

    assert response.status_code == 429
    assert not Comment.objects.exists()


def test_a_retried_submit_does_not_use_up_the_posting_allowance(client, article, settings):
    settings.COMMENT_RATE_LIMIT = "2/h"
    first = _post(client, article, body="Once", idempotency_key="retry-1")
    again = _post(client, article, body="Once", idempotency_key="retry-1")  # a double click

    second = _post(client, article, body="A second comment", idempotency_key="retry-2")

    assert (first.status_code, again.status_code, second.status_code) == (302, 302, 302)
    assert Comment.objects.count() == 2


def test_a_refused_comment_says_so_first_in_the_page_title(client, article):
    """Without JavaScript the refusal is a new page; its title, which a screen reader reads as
    the page opens, says the comment was not posted (the form's alerts are not announced on a
    page's load)."""
    response = _post(client, article, body="   ")
    title = BeautifulSoup(response.content, "html.parser").title.get_text()
    assert title.startswith("Error: your comment was not posted — ")
    assert article.title in title


def test_the_article_title_says_nothing_of_an_error_when_there_is_none(client, article):
    title = BeautifulSoup(client.get(article.url).content, "html.parser").title.get_text()
    assert not title.startswith("Error")
