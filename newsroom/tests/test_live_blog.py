"""A live blog: timestamped entries newest first, each with its anchor, LiveBlogPosting
structured data, and a fragment of new entries for open readers."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import extruct
import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.utils import timezone

from newsroom.demo import live_blog
from newsroom.models import Author, LiveBlogEntry, LiveBlogPage
from newsroom.tests.factories import make_image, make_section

pytestmark = pytest.mark.django_db


def _make_live_blog(count: int = 3) -> LiveBlogPage:
    section = make_section()
    page = LiveBlogPage(
        title="Storm live", slug="storm-live", standfirst="Updates as the storm passes.", body=[]
    )
    author = Author.objects.create(name="Desk Writer", slug="desk-writer")
    start = timezone.now() - timedelta(hours=count)
    for n in range(count):
        page.entries.add(
            LiveBlogEntry(
                posted_at=start + timedelta(hours=n),
                headline=f"Update {n}",
                body=f"<p>Entry number {n}.</p>",
                author=author,
                image=make_image() if n == 0 else None,
            )
        )
    section.add_child(instance=page)
    page.save_revision().publish()
    return page


def test_entries_show_newest_first_each_with_an_anchor_time_and_author(client):
    page = _make_live_blog()
    soup = BeautifulSoup(client.get(page.url).content, "html.parser")
    entries = soup.select(".live-entries > article.live-entry")
    headlines = [e.select_one(".live-entry__headline").get_text() for e in entries]
    assert headlines == ["Update 2", "Update 1", "Update 0"]
    for entry in entries:
        assert entry["id"].startswith("entry-")
        assert entry.select_one(f'a[href="#{entry["id"]}"] time[datetime]')
        assert entry.select_one(".live-entry__author").get_text() == "Desk Writer"
    assert entries[-1].find("figure") is not None
    assert soup.select_one("[data-live-pause]") is not None


def test_live_blog_json_ld_is_a_live_blog_posting_with_every_update(client):
    page = _make_live_blog()
    html = client.get(page.url).content.decode()
    (data,) = [
        item
        for item in extruct.extract(html, syntaxes=["json-ld"])["json-ld"]
        if item["@type"] == "LiveBlogPosting"
    ]
    assert data["headline"] == "Storm live" and data["coverageStartTime"]
    updates = data["liveBlogUpdate"]
    assert [u["headline"] for u in updates] == ["Update 2", "Update 1", "Update 0"]
    assert all(u["@type"] == "BlogPosting" and "#entry-" in u["url"] for u in updates)


def test_live_blog_json_ld_gives_each_updates_text_as_a_reader_reads_it(client):
    page = _make_live_blog(count=0)
    page.entries.add(
        LiveBlogEntry(headline="Talks", body="<p>The day&#x27;s talks &amp; <b>votes</b>.</p>")
    )
    page.save_revision().publish()
    html = client.get(page.url).content.decode()

    (data,) = [
        item
        for item in extruct.extract(html, syntaxes=["json-ld"])["json-ld"]
        if item["@type"] == "LiveBlogPosting"
    ]

    assert data["liveBlogUpdate"][0]["articleBody"] == "The day's talks & votes."


def test_open_readers_fetch_only_entries_newer_than_theirs(client):
    page = _make_live_blog()
    newest = page.entries.order_by("-pk").first()
    assert client.get(f"/live/{page.pk}/entries/", {"after": newest.pk}).content.strip() == b""
    page.entries.add(LiveBlogEntry(headline="Breaking", body="<p>New.</p>"))
    page.save_revision().publish()
    fragment = client.get(f"/live/{page.pk}/entries/", {"after": newest.pk}).content.decode()
    assert "Breaking" in fragment and "Update 2" not in fragment
    assert client.get(f"/live/{page.pk}/entries/", {"after": "abc"}).status_code == 200


def test_an_after_of_digits_python_cannot_read_as_a_number_is_no_server_error(client):
    # "²" is a digit to str.isdigit() but not a number to int(): the fragment was a 500.
    page = _make_live_blog()
    for after in ("²", "1²", "①", "١"):
        response = client.get(f"/live/{page.pk}/entries/", {"after": after})
        assert response.status_code == 200, after


@pytest.mark.usefixtures("new_site")
def test_the_demo_has_a_live_blog_of_the_day_with_at_least_ten_entries(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    call_command("load_demo", long_thread=0, prepare_images=False, stdout=StringIO())
    call_command("load_demo", long_thread=0, prepare_images=False, stdout=StringIO())
    page = LiveBlogPage.objects.get(slug=live_blog.LIVE_BLOG["slug"])
    assert page.live and page.entries.count() == len(live_blog.ENTRIES) >= 10


def test_publishing_a_new_entry_tells_open_readers_through_the_pages_live_stream(
    django_capture_on_commit_callbacks,
):
    from discussion.models import Thread
    from discussion.tests.test_live import _open_reader

    page = _make_live_blog(count=1)
    thread = Thread.objects.get(page=page)  # made when the live blog was first published
    reader = _open_reader(thread.pk)

    page.entries.add(LiveBlogEntry(headline="Update 9", body="<p>Breaking.</p>"))
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()

    newest = LiveBlogEntry.objects.filter(page=page).order_by("-pk").first()
    assert [(kind, data) for _id, kind, data in reader.events()] == [
        ("entries", {"latest": newest.pk})
    ]
