"""Ignore this commenter: a signed-in reader sees a member's comments collapsed, on every piece
of the thread, and nobody else sees a difference (discussion.ignore_views)."""

from __future__ import annotations

import json
import re

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Permission
from django.core.cache import cache, caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import IgnoredMember
from accounts.services import member_ignore
from core import pagecache
from discussion.services import comment_set_featured, thread_ensure
from discussion.tests.factories import make_comment
from discussion.tests.readers import make_reader, reauthenticate
from newsroom.tests.factories import make_article
from newsroom.tests.test_page_cache import asgi

pytestmark = pytest.mark.django_db

COLLAPSED = "A comment from a reader you ignore — show it"
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def scene():
    """Ada reads an article where Bob (a member) commented, Cy replied to him, and a guest and
    an editor commented too."""
    article = make_article()
    thread = thread_ensure(page=article)
    ada, bob, cy = make_reader("Ada"), make_reader("Bob"), make_reader("Cy")
    bobs = make_comment(thread, "Bob's first words.", name="Bob", user_id=bob.pk)
    reply = make_comment(thread, "Cy answers Bob.", name="Cy", user_id=cy.pk, parent=bobs)
    bobs_reply = make_comment(thread, "Bob again.", name="Bob", user_id=bob.pk, parent=reply)
    guests = make_comment(thread, "A guest speaks.", name="Guest")
    return {
        "article": article,
        "thread": thread,
        "ada": ada,
        "bob": bob,
        "cy": cy,
        "bobs": bobs,
        "reply": reply,
        "bobs_reply": bobs_reply,
        "guests": guests,
    }


def _page(client, url):
    return BeautifulSoup(client.get(url).content, "html.parser")


def _collapsed(soup, comment) -> bool:
    first = soup.select_one(f"#c-{comment.pk}").find(True)
    return first.name == "details" and first.summary.get_text() == COLLAPSED


def test_a_reader_who_ignores_a_member_sees_their_comments_collapsed_and_the_replies_under_them(
    client, scene
):
    client.force_login(scene["ada"])
    answer = client.post(f"/discussion/comments/{scene['bobs'].pk}/ignore/", {"ignore": "on"})

    bobs = scene["bobs"]
    assert answer.status_code == 302
    assert answer.url == f"{scene['article'].url}?c={bobs.pk}#c-{bobs.pk}"
    soup = _page(client, answer.url)
    assert soup.select_one(".messages").get_text().startswith("You are ignoring Bob")
    assert _collapsed(soup, bobs)
    assert _collapsed(soup, scene["bobs_reply"])
    assert not _collapsed(soup, scene["reply"])  # Cy's reply under Bob's comment is read as ever
    assert "Cy answers Bob." in soup.select_one(f"#c-{scene['reply'].pk}").get_text()
    # Collapsed, not removed: the words and the count are inside, for "show it".
    assert "Bob's first words." in soup.select_one(f"#c-{bobs.pk} details").get_text()
    assert soup.select_one(f"#c-{bobs.pk} details .comment__ignore").get_text() == (
        "Stop ignoring Bob"
    )


def test_another_signed_in_reader_sees_nothing_collapsed(client, scene):
    member_ignore(user=scene["ada"], member_id=scene["bob"].pk)
    client.force_login(scene["ada"])
    assert _collapsed(_page(client, scene["article"].url), scene["bobs"])  # its blocks kept
    client.force_login(scene["cy"])
    soup = _page(client, scene["article"].url)
    assert not soup.select("details.comment__ignored")
    assert COLLAPSED not in soup.get_text()


def test_ignore_is_offered_on_members_comments_only_never_on_ones_own_a_guests_or_staffs(
    client, scene
):
    editor = make_reader("Edna")
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    staff = make_comment(
        scene["thread"], "From the desk.", name="Edna", user_id=editor.pk, author_is_staff=True
    )
    own = make_comment(scene["thread"], "Ada's own.", name="Ada", user_id=scene["ada"].pk)
    client.force_login(scene["ada"])
    soup = _page(client, scene["article"].url)
    offered = {
        c.pk
        for c in (scene["bobs"], scene["guests"], staff, own)
        if soup.select_one(f"#c-{c.pk} .comment__ignore")
    }
    assert offered == {scene["bobs"].pk}
    # And an anonymous reader is offered nothing to press.
    assert not _page(Client(), scene["article"].url).select(".comment__ignore")


def test_pressing_ignore_on_a_staff_comment_says_why_not_and_changes_nothing(client, scene):
    editor = make_reader("Edna")
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    staff = make_comment(
        scene["thread"], "From the desk.", name="Edna", user_id=editor.pk, author_is_staff=True
    )
    client.force_login(scene["ada"])
    answer = client.post(f"/discussion/comments/{staff.pk}/ignore/", {"ignore": "on"}, **HTMX)

    assert answer.status_code == 422
    said = BeautifulSoup(answer.content, "html.parser").select_one(".comment__ignore-said")
    assert said["role"] == "alert"
    assert said.get_text().startswith("Staff cannot be ignored")
    assert not IgnoredMember.objects.exists()


def test_a_guests_comment_cannot_be_ignored(client, scene):
    client.force_login(scene["ada"])
    client.post(f"/discussion/comments/{scene['guests'].pk}/ignore/", {"ignore": "on"})
    assert not IgnoredMember.objects.exists()


def test_with_htmx_the_comment_comes_back_collapsed_and_the_change_is_announced(client, scene):
    client.force_login(scene["ada"])
    answer = client.post(
        f"/discussion/comments/{scene['bobs'].pk}/ignore/", {"ignore": "on"}, **HTMX
    )

    assert answer.status_code == 200
    soup = BeautifulSoup(answer.content, "html.parser")
    assert _collapsed(soup, scene["bobs"])
    status = soup.select_one("#discussion-status")
    assert status["hx-swap-oob"] == "innerHTML"
    assert status.get_text().startswith("You are ignoring Bob")


def test_stop_ignoring_on_a_collapsed_comment_shows_it_again(client, scene):
    member_ignore(user=scene["ada"], member_id=scene["bob"].pk)
    client.force_login(scene["ada"])
    answer = client.post(
        f"/discussion/comments/{scene['bobs'].pk}/ignore/", {"ignore": "off"}, **HTMX
    )
    soup = BeautifulSoup(answer.content, "html.parser")
    assert not _collapsed(soup, scene["bobs"])
    assert soup.select_one("#discussion-status").get_text() == "You see Bob’s comments again."
    assert not IgnoredMember.objects.exists()


def test_more_comments_and_more_replies_and_live_comments_come_collapsed_too(
    client, scene, settings
):
    settings.COMMENTS_PAGE_SIZE = 2  # Bob's and the guest's, then Bob's later one
    settings.REPLIES_SHOWN = 0
    thread = scene["thread"]
    later = make_comment(thread, "Bob, later on.", name="Bob", user_id=scene["bob"].pk)
    member_ignore(user=scene["ada"], member_id=scene["bob"].pk)
    client.force_login(scene["ada"])

    first_page = _page(client, scene["article"].url)
    more = _page_htmx(client, first_page.select_one("[hx-get*='/comments/?']")["hx-get"])
    replies = _page_htmx(client, f"/discussion/comments/{scene['bobs'].pk}/replies/")
    live = _page_htmx(client, f"/discussion/threads/{thread.pk}/comments/new/?ids={later.pk}")

    assert _collapsed(first_page, scene["bobs"])
    assert _collapsed(more, later)
    assert _collapsed(replies, scene["bobs_reply"])
    assert not _collapsed(replies, scene["reply"])
    assert _collapsed(live, later)


def _page_htmx(client, url):
    return BeautifulSoup(client.get(url, **HTMX).content, "html.parser")


def test_reaction_counts_stay_as_they_are(client, scene):
    client.force_login(scene["cy"])
    client.post(f"/discussion/comments/{scene['bobs'].pk}/react/")
    member_ignore(user=scene["ada"], member_id=scene["bob"].pk)
    client.force_login(scene["ada"])
    soup = _page(client, scene["article"].url)
    count = soup.select_one(f"#react-{scene['bobs'].pk} .reaction__count")
    assert count.get_text() == "1"


def test_the_press_needs_the_pages_security_token(scene):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(scene["ada"])
    answer = browser.post(f"/discussion/comments/{scene['bobs'].pk}/ignore/", {"ignore": "on"})
    assert answer.status_code == 403
    assert not IgnoredMember.objects.exists()


def test_past_the_limit_the_press_is_refused_and_nothing_changes(client, scene, settings):
    settings.IGNORE_RATE = "2/h"
    client.force_login(scene["ada"])
    url = f"/discussion/comments/{scene['bobs'].pk}/ignore/"
    client.post(url, {"ignore": "on"})
    client.post(url, {"ignore": "off"})

    refused = client.post(url, {"ignore": "on"}, **HTMX)

    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    said = BeautifulSoup(refused.content, "html.parser").select_one(".comment__ignore-said")
    assert "too many times" in said.get_text()
    assert not IgnoredMember.objects.exists()


def test_a_signed_out_press_leads_to_sign_in_and_changes_nothing(client, scene):
    answer = client.post(f"/discussion/comments/{scene['bobs'].pk}/ignore/", {"ignore": "on"})
    assert answer.status_code == 302
    assert answer.url.startswith("/accounts/login/")
    assert not IgnoredMember.objects.exists()


def test_the_profile_lists_whom_the_reader_ignores_and_stop_ignoring_there_works(client, scene):
    member_ignore(user=scene["ada"], member_id=scene["bob"].pk)
    client.force_login(scene["ada"])
    profile = f"/readers/{scene['ada'].reader.pk}/"
    soup = _page(client, profile)
    lines = soup.select("#ignoring li")
    assert [line.contents[0].strip() for line in lines] == ["Bob"]
    entry = lines[0].select_one("input[name=entry]")["value"]
    assert entry == str(IgnoredMember.objects.get().pk)  # the line's own id, not Bob's account

    answer = client.post("/readers/me/ignoring/", {"entry": entry})

    assert answer.status_code == 302
    assert answer.url == f"{profile}#ignoring"
    assert not IgnoredMember.objects.exists()
    assert not _page(client, scene["article"].url).select("details.comment__ignored")


def test_stop_ignoring_with_htmx_takes_the_line_away_and_says_so(client, scene):
    member_ignore(user=scene["ada"], member_id=scene["bob"].pk)
    client.force_login(scene["ada"])
    entry = IgnoredMember.objects.get().pk
    answer = client.post("/readers/me/ignoring/", {"entry": entry}, **HTMX)
    soup = BeautifulSoup(answer.content, "html.parser")
    assert not soup.select("li")
    assert soup.select_one("#page-status").get_text() == "You see Bob’s comments again."


def test_another_readers_line_cannot_be_stopped(client, scene):
    member_ignore(user=scene["cy"], member_id=scene["bob"].pk)
    client.force_login(scene["ada"])
    client.post("/readers/me/ignoring/", {"entry": IgnoredMember.objects.get().pk})
    assert IgnoredMember.objects.filter(user=scene["cy"]).exists()


def test_the_profiles_list_is_the_readers_alone(client, scene):
    member_ignore(user=scene["ada"], member_id=scene["bob"].pk)
    client.force_login(scene["cy"])
    assert not _page(client, f"/readers/{scene['ada'].reader.pk}/").select("#ignoring")


def test_download_my_data_says_whom_the_member_ignores(client, scene):
    member_ignore(user=scene["ada"], member_id=scene["bob"].pk)
    client.force_login(scene["ada"])
    reauthenticate(client)
    data = json.loads(client.post("/readers/me/export/").getvalue())
    assert [line["display_name"] for line in data["ignoring"]] == ["Bob"]


def _without_reader_values(body: str) -> str:
    """The page less what the page cache fills in for each reader (core.pagecache)."""
    body = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "CSRF", body)
    body = re.sub(r'"X-CSRFToken": "[^"]+"', "CSRF", body)
    return re.sub(r'name="idempotency_key" value="[0-9a-f]{32}"', "KEY", body)


def test_the_anonymous_page_is_byte_identical_before_and_after_a_reader_ignores_a_member(
    client, scene, django_capture_on_commit_callbacks
):
    url = scene["article"].url
    before = asgi("GET", url)
    client.force_login(scene["ada"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/discussion/comments/{scene['bobs'].pk}/ignore/", {"ignore": "on"})
    assert IgnoredMember.objects.exists()

    kept = asgi("GET", url)
    # Nothing was purged (the thread did not change), and drawn afresh it is the same page.
    cache.clear()
    caches["fragments"].clear()
    pagecache.local_clear()
    fresh = asgi("GET", url)

    assert [a.header("x-cache") for a in (before, kept, fresh)] == ["miss", "hit", "miss"]
    assert _without_reader_values(kept.body) == _without_reader_values(before.body)
    assert _without_reader_values(fresh.body) == _without_reader_values(before.body)
    assert COLLAPSED not in fresh.body


def test_a_signed_in_readers_page_costs_one_query_more_only_while_they_ignore_someone(
    client, scene
):
    url = scene["article"].url
    client.force_login(scene["ada"])
    client.get(url)  # routes and sites read once, as every process does on its first pages
    with CaptureQueriesContext(connection) as ignoring_nobody:
        client.get(url)
    member_ignore(user=scene["ada"], member_id=scene["bob"].pk)
    with CaptureQueriesContext(connection) as ignoring_bob:
        soup = BeautifulSoup(client.get(url).content, "html.parser")

    assert _collapsed(soup, scene["bobs"])
    assert len(ignoring_bob) == len(ignoring_nobody) + 1


def test_a_featured_comment_by_a_member_the_reader_ignores_shows_collapsed_in_the_strip(scene):
    comment_set_featured(comment=scene["bobs"], featured=True)
    ada = Client()
    ada.force_login(scene["ada"])
    member_ignore(user=scene["ada"], member_id=scene["bob"].pk)

    theirs = _page(ada, scene["article"].url).select_one(".featured-comments li")
    everyone_elses = _page(Client(), scene["article"].url).select_one(".featured-comments li")

    assert theirs.details.summary.get_text() == COLLAPSED
    assert "Bob's first words." in theirs.details.get_text()  # collapsed, not removed
    assert everyone_elses.details is None
    assert "Bob's first words." in everyone_elses.get_text()
