"""A live-blog entry (and a correction) left without a time is stamped when it is published.

The edit screen used to fill the time in when it drew the empty inline form, so an entry
published minutes later carried the moment the screen was opened, cut to the minute.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from newsroom import links
from newsroom.models import Correction, LiveBlogEntry, LiveBlogPage
from newsroom.tests.factories import make_image, make_section

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _any_lead_image_width(settings):
    """The factories' images are small; the lead image's width is test_lead_image_width's."""
    settings.LEAD_IMAGE_MIN_WIDTH = 0


OPENED = datetime(2026, 12, 5, 13, 50, 23, tzinfo=UTC)


class Clock:
    def __init__(self, monkeypatch) -> None:
        self.now = OPENED
        monkeypatch.setattr(timezone, "now", lambda: self.now)

    def at(self, *, hour: int = 13, minute: int, second: int) -> datetime:
        self.now = OPENED.replace(hour=hour, minute=minute, second=second, microsecond=123456)
        return self.now.replace(microsecond=0)


@pytest.fixture
def clock(monkeypatch) -> Clock:
    return Clock(monkeypatch)


@pytest.fixture
def editor() -> Client:
    client = Client()
    client.force_login(get_user_model().objects.create_superuser("ed", "ed@example.com", "pw-1"))
    return client


@pytest.fixture
def live_blog() -> LiveBlogPage:
    page = LiveBlogPage(
        title="Dover port disruption: live updates",
        slug="dover-live",
        standfirst="Updates as they come.",
        hero_image=make_image(),
        body=[{"type": "paragraph", "value": "<p>Background.</p>"}],
    )
    page.entries.add(
        LiveBlogEntry(
            posted_at=OPENED - timedelta(hours=1), headline="First entry", body="<p>One.</p>"
        )
    )
    make_section().add_child(instance=page)
    page.save_revision().publish()
    return page


def _edit_screen(editor: Client, page) -> BeautifulSoup:
    response = editor.get(f"/admin/pages/{page.pk}/edit/")
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def _entries_shown(screen: BeautifulSoup) -> list[dict]:
    """The entries as the edit screen shows them: what a browser posts back unchanged."""
    value = {i["name"]: i.get("value", "") for i in screen.select("input[name^=entries-]")}
    return [
        {
            "id": value[f"entries-{n}-id"],
            "posted_at": value[f"entries-{n}-posted_at"],
            "headline": value[f"entries-{n}-headline"],
            "body": rich_text(f"<p>{value[f'entries-{n}-headline']}.</p>"),
        }
        for n in range(int(value["entries-TOTAL_FORMS"]))
    ]


def _publish(editor: Client, page, *, entries: list[dict], corrections=(), initial: int) -> None:
    form = nested_form_data(
        {
            "title": page.title,
            "slug": page.slug,
            "standfirst": page.standfirst,
            "hero_image": page.hero_image_id,
            "article_authors": inline_formset([]),
            "corrections": inline_formset(list(corrections)),
            "body": streamfield([("paragraph", rich_text("<p>Background.</p>"))]),
            "entries": inline_formset(entries, initial=initial),
            "action-publish": "publish",
        }
    )
    response = editor.post(f"/admin/pages/{page.pk}/edit/", form)
    assert response.status_code == 302, response.context["form"].errors


def _new(headline: str, posted_at: str = "") -> dict:
    return {"posted_at": posted_at, "headline": headline, "body": rich_text(f"<p>{headline}.</p>")}


def test_an_entry_added_on_a_screen_opened_earlier_takes_the_time_it_is_published(
    clock, editor, live_blog
):
    screen = _edit_screen(editor, live_blog)  # opened at 13:50:23
    empty_form = screen.select_one("input[name='entries-__prefix__-posted_at']")
    assert not empty_form.get("value")  # nothing stamped when the screen is drawn
    shown = _entries_shown(screen)

    published = clock.at(minute=51, second=40)
    _publish(editor, live_blog, entries=[*shown, _new("From A")], initial=len(shown))

    entry = LiveBlogEntry.objects.get(headline="From A")
    assert entry.posted_at == published
    page = Client().get(live_blog.url)
    soup = BeautifulSoup(page.content, "html.parser")
    first = soup.select_one(".live-entries > article.live-entry")
    assert first.select_one(".live-entry__headline").get_text() == "From A"
    assert first.time["datetime"] == published.isoformat()
    data = json.loads(soup.find("script", type="application/ld+json").string)
    update = next(u for u in data["liveBlogUpdate"] if u["headline"] == "From A")
    assert update["datePublished"] == links.iso(published)


def test_a_time_typed_by_the_editor_is_kept_as_typed(clock, editor, live_blog):
    shown = _entries_shown(_edit_screen(editor, live_blog))
    clock.at(minute=55, second=0)
    _publish(
        editor,
        live_blog,
        entries=[*shown, _new("Backdated", "2026-12-05 12:30:15")],
        initial=len(shown),
    )
    entry = LiveBlogEntry.objects.get(headline="Backdated")
    assert timezone.localtime(entry.posted_at).strftime("%Y-%m-%d %H:%M:%S") == (
        "2026-12-05 12:30:15"
    )


def test_two_entries_in_one_minute_keep_their_seconds_and_their_order(clock, editor, live_blog):
    # One editor publishes an entry at 13:51:30, another one at 13:51:40.
    shown = _entries_shown(_edit_screen(editor, live_blog))
    from_b = clock.at(minute=51, second=30)
    _publish(editor, live_blog, entries=[*shown, _new("From B")], initial=len(shown))
    shown = _entries_shown(_edit_screen(editor, live_blog))
    from_a = clock.at(minute=51, second=40)
    _publish(editor, live_blog, entries=[*shown, _new("From A")], initial=len(shown))
    # A later edit posts every entry back as the screen shows it: the seconds must survive.
    shown = _entries_shown(_edit_screen(editor, live_blog))
    clock.at(minute=58, second=0)
    _publish(
        editor,
        live_blog,
        entries=[*shown, _new("Typed between", "2026-12-05 13:51:35")],
        initial=len(shown),
    )

    times = dict(LiveBlogEntry.objects.values_list("headline", "posted_at"))
    assert times["From B"] == from_b and times["From A"] == from_a
    soup = BeautifulSoup(Client().get(live_blog.url).content, "html.parser")
    headlines = [h.get_text() for h in soup.select(".live-entry__headline")]
    assert headlines == ["From A", "Typed between", "From B", "First entry"]


def test_a_correction_left_without_a_time_takes_the_time_it_is_published(clock, editor, live_blog):
    shown = _entries_shown(_edit_screen(editor, live_blog))
    published = clock.at(minute=52, second=5)
    correction = {"corrected_at": "", "text": "An earlier entry gave the wrong ferry."}
    _publish(editor, live_blog, entries=shown, corrections=[correction], initial=len(shown))
    assert Correction.objects.get().corrected_at == published


def test_a_preview_shows_an_entry_not_yet_published_as_the_newest(clock, editor, live_blog):
    shown = _entries_shown(_edit_screen(editor, live_blog))
    clock.at(minute=53, second=0)
    url = f"/admin/pages/{live_blog.pk}/edit/preview/"
    form = nested_form_data(
        {
            "title": live_blog.title,
            "slug": live_blog.slug,
            "standfirst": live_blog.standfirst,
            "hero_image": live_blog.hero_image_id,
            "article_authors": inline_formset([]),
            "corrections": inline_formset([{"corrected_at": "", "text": "A fix."}]),
            "body": streamfield([("paragraph", rich_text("<p>Background.</p>"))]),
            "entries": inline_formset([*shown, _new("Not yet out")], initial=len(shown)),
        }
    )
    assert editor.post(url, form).json()["is_valid"] is True
    preview = BeautifulSoup(editor.get(url).content, "html.parser")
    headlines = [h.get_text() for h in preview.select(".live-entry__headline")]
    assert headlines == ["Not yet out", "First entry"]
    assert not LiveBlogEntry.objects.filter(headline="Not yet out").exists()


def _new_live_blog_form(*, entries: list[dict], **actions) -> dict:
    return nested_form_data(
        {
            "title": "Storm live: coastal towns brace",
            "slug": "storm-live",
            "standfirst": "Follow the storm as it reaches the coast.",
            "hero_image": make_image().pk,
            "article_authors": inline_formset([]),
            "corrections": inline_formset([]),
            "body": streamfield([("paragraph", rich_text("<p>Background.</p>"))]),
            "entries": inline_formset(entries),
            **actions,
        }
    )


def _publish_prepared(editor: Client, page, **extra) -> None:
    """What the edit screen posts back unchanged, with Publish (and ``extra``, a schedule)."""
    screen = _edit_screen(editor, page)
    shown = _entries_shown(screen)
    form = nested_form_data(
        {
            "title": page.title,
            "slug": page.slug,
            "standfirst": page.standfirst,
            "hero_image": page.hero_image_id,
            "article_authors": inline_formset([]),
            "corrections": inline_formset([]),
            "body": streamfield([("paragraph", rich_text("<p>Background.</p>"))]),
            "entries": inline_formset(shown, initial=len(shown)),
            "action-publish": "publish",
            **extra,
        }
    )
    response = editor.post(f"/admin/pages/{page.pk}/edit/", form)
    assert response.status_code == 302, response.context["form"].errors


def test_an_entry_of_a_live_blog_prepared_as_a_draft_takes_the_time_it_is_published(clock, editor):
    """A desk prepares a live blog with its opening entry, time left empty ("stamp it when
    published"), and publishes it later: the entry used to carry the draft's time, before the
    live blog was even out."""
    section = make_section()
    clock.at(hour=9, minute=5, second=0)
    response = editor.post(
        f"/admin/pages/add/newsroom/liveblogpage/{section.pk}/",
        _new_live_blog_form(entries=[_new("Coverage begins")]),
    )
    assert response.status_code == 302, response.context["form"].errors
    page = LiveBlogPage.objects.get(slug="storm-live")
    assert not _entries_shown(_edit_screen(editor, page))[0]["posted_at"]

    published = clock.at(hour=12, minute=0, second=7)
    _publish_prepared(editor, page)

    assert LiveBlogEntry.objects.get(headline="Coverage begins").posted_at == published
    soup = BeautifulSoup(Client().get(page.url).content, "html.parser")
    assert soup.select_one("article.live-entry time")["datetime"] == published.isoformat()


def test_an_entry_of_a_live_blog_scheduled_to_go_live_takes_its_go_live_time(clock, editor):
    """Prepared at 9:05, scheduled at 9:30 for noon: the scheduler's publish stamps it."""
    from django.core.management import call_command

    section = make_section()
    clock.at(hour=9, minute=5, second=0)
    response = editor.post(
        f"/admin/pages/add/newsroom/liveblogpage/{section.pk}/",
        _new_live_blog_form(entries=[_new("Coverage begins")], go_live_at="2026-12-05 12:00:00"),
    )
    assert response.status_code == 302, response.context["form"].errors
    page = LiveBlogPage.objects.get(slug="storm-live")
    clock.at(hour=9, minute=30, second=0)
    _publish_prepared(editor, page, go_live_at="2026-12-05 12:00:00")  # Schedule to publish
    page.refresh_from_db()
    assert not page.live

    went_live = clock.at(hour=12, minute=0, second=31)
    call_command("publish_scheduled")

    page.refresh_from_db()
    assert page.live
    assert LiveBlogEntry.objects.get(headline="Coverage begins").posted_at == went_live


def test_a_correction_added_while_an_article_is_withdrawn_takes_the_time_it_is_republished(
    clock, editor, live_blog
):
    live_blog.unpublish()
    shown = _entries_shown(_edit_screen(editor, live_blog))
    clock.at(minute=55, second=0)
    correction = {"corrected_at": "", "text": "An earlier entry gave the wrong ferry."}
    form = nested_form_data(
        {
            "title": live_blog.title,
            "slug": live_blog.slug,
            "standfirst": live_blog.standfirst,
            "hero_image": live_blog.hero_image_id,
            "article_authors": inline_formset([]),
            "corrections": inline_formset([correction]),
            "body": streamfield([("paragraph", rich_text("<p>Background.</p>"))]),
            "entries": inline_formset(shown, initial=len(shown)),
        }
    )
    response = editor.post(f"/admin/pages/{live_blog.pk}/edit/", form)  # Save draft
    assert response.status_code == 302, response.context["form"].errors

    republished = clock.at(hour=14, minute=20, second=3)
    screen = _edit_screen(editor, live_blog)
    shown_fix = screen.select_one("input[name='corrections-0-corrected_at']")
    assert not shown_fix.get("value")  # as the editor left it: "stamp it when published"
    correction["id"] = screen.select_one("input[name='corrections-0-id']")["value"]
    form["corrections-INITIAL_FORMS"] = "1"
    form["corrections-0-id"] = correction["id"]
    form["action-publish"] = "publish"
    response = editor.post(f"/admin/pages/{live_blog.pk}/edit/", form)
    assert response.status_code == 302, response.context["form"].errors

    assert Correction.objects.get().corrected_at == republished


def _refused(response, formset: str, field: str) -> list[str]:
    """The errors the edit screen shows on ``field`` of each row of ``formset``."""
    assert response.status_code == 200, "the form was accepted"
    return [
        str(error)
        for form in response.context["form"].formsets[formset].forms
        for error in form.errors.get(field, [])
    ]


def test_a_correction_dated_in_the_future_is_refused_and_nothing_is_published(
    clock, editor, live_blog
):
    """A slip of the year ("2027" for "2026") would date the article "Updated" a year ahead, in
    its dateline, its JSON-LD ``dateModified`` and the sitemap's ``lastmod``."""
    shown = _entries_shown(_edit_screen(editor, live_blog))
    clock.at(minute=55, second=0)
    correction = {"corrected_at": "2027-12-05 13:54:00", "text": "The ferry was the 9:40."}
    form = nested_form_data(
        {
            "title": live_blog.title,
            "slug": live_blog.slug,
            "standfirst": live_blog.standfirst,
            "hero_image": live_blog.hero_image_id,
            "article_authors": inline_formset([]),
            "corrections": inline_formset([correction]),
            "body": streamfield([("paragraph", rich_text("<p>Background.</p>"))]),
            "entries": inline_formset(shown, initial=len(shown)),
            "action-publish": "publish",
        }
    )
    response = editor.post(f"/admin/pages/{live_blog.pk}/edit/", form)

    assert _refused(response, "corrections", "corrected_at") == [
        "This time is in the future. Give the time it was made, or leave it empty to stamp "
        "it when published."
    ]
    assert not Correction.objects.exists()
    assert (
        response.context["form"].formsets["corrections"].forms[0]["text"].value()
        == (correction["text"])
    )


def test_an_entry_dated_in_the_future_is_refused_and_nothing_is_published(clock, editor, live_blog):
    shown = _entries_shown(_edit_screen(editor, live_blog))
    clock.at(minute=55, second=0)
    form = nested_form_data(
        {
            "title": live_blog.title,
            "slug": live_blog.slug,
            "standfirst": live_blog.standfirst,
            "hero_image": live_blog.hero_image_id,
            "article_authors": inline_formset([]),
            "corrections": inline_formset([]),
            "body": streamfield([("paragraph", rich_text("<p>Background.</p>"))]),
            "entries": inline_formset(
                [*shown, _new("Ahead of time", "2026-12-05 15:55:00")], initial=len(shown)
            ),
            "action-publish": "publish",
        }
    )
    response = editor.post(f"/admin/pages/{live_blog.pk}/edit/", form)

    assert _refused(response, "entries", "posted_at") == [
        "This time is in the future. Give the time it was posted, or leave it empty to stamp "
        "it when published."
    ]
    assert not LiveBlogEntry.objects.filter(headline="Ahead of time").exists()


def test_an_entry_of_a_scheduled_live_blog_may_be_dated_at_its_go_live_time(clock, editor):
    section = make_section()
    clock.at(hour=9, minute=5, second=0)
    response = editor.post(
        f"/admin/pages/add/newsroom/liveblogpage/{section.pk}/",
        _new_live_blog_form(
            entries=[_new("Coverage begins", "2026-12-05 12:00:00")],
            go_live_at="2026-12-05 12:00:00",
        ),
    )
    assert response.status_code == 302, response.context["form"].errors
