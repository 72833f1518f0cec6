"""What one load of the demo newsroom leaves: the reference article and its thread, the long
thread, the staff login and the demo reader it prints, the members-only article, the corrected
article, and what a second run keeps. The tests share one load (``demo_loaded_once``,
newsroom/tests/conftest.py), each rolling back to it; the tests that need a load of their own
(other settings, rules made first, images prepared, a demo of days ago) are in
test_load_demo.py."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from html import unescape
from io import StringIO
from urllib.parse import quote
from xml.etree import ElementTree

import extruct
import pytest
from allauth.account.models import EmailAddress
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageViewRestriction, Workflow

from discussion.models import Comment, Thread
from discussion.services import comment_create, thread_ensure
from newsroom.demo import content, live_blog, members, standards
from newsroom.models import ArticlePage, Correction, LiveBlogEntry, LiveBlogPage, NewsImage

pytestmark = pytest.mark.django_db

# The load makes every image size the pages use, as ``make demo``'s does: one test shows that it
# does, and the others' page views then find them made (AVIF takes about a second an image).
PREPARE_IMAGES = True


@pytest.fixture
def demo_output(demo_loaded_once) -> str:
    return demo_loaded_once


def test_prints_the_reference_article_url_and_a_staff_login(demo_output):
    reference = ArticlePage.objects.get(slug=content.REFERENCE_ARTICLE["slug"])
    assert f"Reference article: http://127.0.0.1:8000{reference.url}" in demo_output
    assert (
        "Staff login: http://127.0.0.1:8000/admin/  email editor@example.invalid  password "
        in demo_output
    )


def test_the_printed_staff_login_signs_in_on_the_site_sign_in_page_and_opens_the_admin(
    demo_output, client
):
    email, password = re.search(r"email (\S+)  password (\S+)", demo_output).groups()

    signed_in = client.post("/accounts/login/", {"login": email, "password": password})
    assert signed_in.status_code == 302 and client.session.get("_auth_user_id")
    assert client.get("/admin/").status_code == 200


def test_a_reviewers_approval_email_links_to_the_article_at_the_demos_address(demo_output, client):
    """Wagtail builds that link from the Sites setting, which the demo left at Wagtail's
    "localhost", port 80: the writer was sent to http://localhost/world/... ."""
    staff = get_user_model().objects.get(email="editor@example.invalid")
    reviewer = get_user_model().objects.create_superuser("chief", "chief@example.org", "pw-1")
    article = ArticlePage.objects.get(slug=content.REFERENCE_ARTICLE["slug"])
    article.save_revision(user=staff)
    task_state = Workflow.objects.get(name="Moderators approval").start(article, staff)
    client.force_login(reviewer)
    mail.outbox.clear()

    client.post(
        reverse(
            "wagtailadmin_pages:workflow_action",
            args=(article.pk, "approve", task_state.current_task_state.pk),
        )
    )

    (to_the_writer,) = [m for m in mail.outbox if m.to == ["editor@example.invalid"]]
    assert f"You can view the page here: http://127.0.0.1:8000{article.url} " in (
        to_the_writer.body
    )


def test_a_demo_loaded_before_staff_signed_in_by_email_gets_the_staff_address_verified(
    demo_output,
):
    EmailAddress.objects.filter(email="editor@example.invalid").delete()

    call_command("load_demo", long_thread=40, prepare_images=False, stdout=StringIO())

    assert EmailAddress.objects.get(email="editor@example.invalid").verified


def test_the_staff_login_comments_as_its_own_reader_from_the_start(demo_output, client):
    staff = get_user_model().objects.get(email="editor@example.invalid")
    client.force_login(staff)
    article = ArticlePage.objects.get(slug=content.REFERENCE_ARTICLE["slug"])

    form = BeautifulSoup(client.get(article.url).content, "html.parser").find(
        "form", id="comment-form"
    )

    assert staff.reader.display_name == "Demo Editor"
    assert form.select_one(".comment-form__as strong").get_text() == "Demo Editor"
    assert form.find("input", attrs={"name": "author_name"}) is None


def test_a_demo_loaded_before_staff_had_a_reader_gives_it_one_on_a_second_run(demo_output):
    staff = get_user_model().objects.get(email="editor@example.invalid")
    staff.reader.delete()
    get_user_model().objects.filter(pk=staff.pk).update(first_name="", last_name="")

    for _run in range(2):
        call_command("load_demo", long_thread=40, prepare_images=False, stdout=StringIO())

    staff = get_user_model().objects.get(pk=staff.pk)
    assert (staff.get_full_name(), staff.reader.display_name) == ("Demo Editor", "Demo Editor")


def test_prints_the_members_only_article_url_and_that_it_asks_readers_to_sign_in(demo_output):
    article = ArticlePage.objects.get(slug=members.MEMBERS_ARTICLE["slug"])
    line = f"Members-only article (asks readers to sign in): http://127.0.0.1:8000{article.url}"
    assert line in demo_output.splitlines()


def test_the_reference_article_has_the_reference_anatomy(demo_output):
    article = ArticlePage.objects.get(slug=content.REFERENCE_ARTICLE["slug"])
    kinds = [block.block_type for block in article.body]
    assert 35 <= kinds.count("paragraph") <= 45
    assert kinds.count("image") == 1 and article.hero_image is not None
    assert kinds.count("pull_quote") == 1
    assert article.article_authors.count() >= 1


def test_demo_images_are_credited_truthfully_as_generated(demo_output):
    for image in NewsImage.objects.all():
        assert "Generated graphic" in image.credit
        assert image.description and image.caption and image.description != image.caption


def test_every_demo_article_could_be_published_again_from_its_edit_screen(demo_output):
    from newsroom.images import article_image_problems

    articles = ArticlePage.objects.all()
    assert articles and all(article.hero_image is not None for article in articles)
    assert {article.title: article_image_problems(article) for article in articles} == {
        article.title: [] for article in articles
    }


def test_the_reference_thread_and_the_long_thread_are_loaded(demo_output):
    reference = Thread.objects.get(page__slug=content.REFERENCE_ARTICLE["slug"])
    assert reference.comments.filter(depth=0).count() == len(content.REFERENCE_COMMENTS)
    assert reference.comments.filter(depth__gt=0).exists()
    long_slug = next(a["slug"] for a in content.RELATED_ARTICLES if a.get("long_thread"))
    long_thread = Thread.objects.get(page__slug=long_slug)
    assert long_thread.comment_count == 40
    assert long_thread.comments.filter(depth__gt=0).exists()


def test_running_it_again_keeps_reader_comments_and_duplicates_nothing(demo_output, settings):
    thread = Thread.objects.get(page__slug=content.REFERENCE_ARTICLE["slug"])
    mine = comment_create(thread=thread, body="A reader's own words", author_name="Reader")
    articles, comments = ArticlePage.objects.count(), Comment.objects.count()
    again = StringIO()
    call_command("load_demo", long_thread=40, prepare_images=False, stdout=again)
    assert "already loaded" in again.getvalue()
    assert Comment.objects.filter(pk=mine.pk).exists()
    assert (ArticlePage.objects.count(), Comment.objects.count()) == (articles, comments)
    first_password = demo_output.split("password ")[1].strip()
    assert again.getvalue().split("password ")[1].strip() == first_password


def test_a_public_story_shows_the_demo_readers_comment_with_their_name_linked_to_a_profile(
    demo_output, client
):
    article = ArticlePage.objects.get(slug=content.MEMBER_COMMENT["article"])

    page = BeautifulSoup(client.get(article.url).content, "html.parser")

    link = page.select_one("#comment-list .comment__author a.comment__profile")
    assert link.get_text(strip=True) == "Demo Reader"
    profile = client.get(link["href"], follow=True)
    assert profile.status_code == 200
    assert "rouble" in profile.content.decode()  # the profile lists the comment


def test_the_demo_readers_profile_says_they_joined_before_their_comment(demo_output, client):
    article = ArticlePage.objects.get(slug=content.MEMBER_COMMENT["article"])
    page = BeautifulSoup(client.get(article.url).content, "html.parser")
    profile_url = page.select_one("#comment-list .comment__author a.comment__profile")["href"]
    profile = BeautifulSoup(client.get(profile_url, follow=True).content, "html.parser")

    since = next(p for p in profile.find_all("p") if p.get_text().startswith("Member since"))
    joined = datetime.fromisoformat(since.time["datetime"])
    first = Comment.objects.filter(author__isnull=False, thread__page=article).earliest(
        "created_at"
    )
    assert joined < first.created_at, (joined, first.created_at)


def test_asking_for_a_longer_thread_tops_it_up_around_readers_comments(demo_output):
    long_slug = next(a["slug"] for a in content.RELATED_ARTICLES if a.get("long_thread"))
    thread = Thread.objects.get(page__slug=long_slug)
    mine = comment_create(thread=thread, body="A reader's own words", author_name="Reader")
    last_generated = thread.comments.exclude(pk=mine.pk).order_by("-id").first()

    out = StringIO()
    call_command("load_demo", long_thread=65, prepare_images=False, stdout=out)
    call_command(
        "load_demo", long_thread=65, prepare_images=False, stdout=StringIO()
    )  # nothing left to add

    assert "Long thread: 25 comments added." in out.getvalue()
    thread.refresh_from_db()
    assert thread.comment_count == 65 + 1
    assert Comment.objects.filter(pk=mine.pk, thread=thread).exists()
    generated = list(thread.comments.exclude(pk=mine.pk).order_by("id"))
    expected = list(content.long_thread_comments(65))
    assert [c.author_name for c in generated] == [item["name"] for item in expected]
    by_index = [c.pk for c in generated]
    assert [c.parent_id for c in generated] == [
        by_index[item["parent"]] if item["parent"] is not None else None for item in expected
    ]
    # The added comments come after the ones already there, in time as in order.
    added = generated[40:]
    assert added[0].created_at >= last_generated.created_at
    assert all(a.created_at <= b.created_at for a, b in zip(added, added[1:], strict=False))


@pytest.fixture
def members_article(demo_output) -> ArticlePage:
    return ArticlePage.objects.get(slug=members.MEMBERS_ARTICLE["slug"])


def _texts(spec_comments: list[dict]) -> list[str]:
    """The bodies of the demo comments ``spec_comments``, replies included."""
    return [
        text for item in spec_comments for text in (item["body"], *_texts(item.get("replies", [])))
    ]


def _first_paragraph() -> str:
    return next(value for kind, value in members.MEMBERS_ARTICLE["body"] if kind == "paragraph")


def test_a_second_run_leaves_exactly_one_article_behind_a_login(demo_output):
    call_command("load_demo", long_thread=40, prepare_images=False, stdout=StringIO())

    restricted = PageViewRestriction.objects.filter(
        restriction_type=PageViewRestriction.LOGIN
    ).values_list("page__slug", flat=True)
    assert list(restricted) == [members.MEMBERS_ARTICLE["slug"]]


def test_a_second_run_leaves_the_members_only_discussion_as_it_was(members_article):
    call_command("load_demo", long_thread=40, prepare_images=False, stdout=StringIO())

    thread = Thread.objects.get(page=members_article)
    bodies = sorted(thread.comments.values_list("body", flat=True))
    assert bodies == sorted(_texts(members.MEMBERS_COMMENTS))


def test_an_anonymous_reader_is_sent_to_sign_in_and_shown_neither_text_nor_comments(
    members_article, client
):
    answer = client.get(members_article.url, follow=True)

    # The site's own sign-in page, which sends the reader back here once signed in.
    sign_in = f"{reverse('account_login')}?next={quote(members_article.url)}"
    assert (answer.redirect_chain, answer.status_code) == ([(sign_in, 302)], 200)
    shown = unescape(answer.content.decode())
    assert _first_paragraph() not in shown
    assert [text for text in _texts(members.MEMBERS_COMMENTS) if text in shown] == []


def test_a_signed_in_reader_reads_the_members_only_article_and_its_comments(
    members_article, client
):
    client.force_login(get_user_model().objects.create_user("member", password="x" * 12))

    answer = client.get(members_article.url)

    assert answer.status_code == 200
    shown = unescape(answer.content.decode())
    assert _first_paragraph() in shown
    assert [text for text in _texts(members.MEMBERS_COMMENTS) if text not in shown] == []


def test_the_front_page_does_not_list_the_members_only_article_to_anonymous_readers(
    members_article, client
):
    answer = client.get("/")

    assert answer.status_code == 200
    shown = unescape(answer.content.decode())
    assert content.REFERENCE_ARTICLE["headline"] in shown  # the listing is there
    assert members_article.url not in shown
    assert members.MEMBERS_ARTICLE["headline"] not in shown


def test_the_reference_thread_shows_a_reporters_reply_with_the_staff_badge(demo_output, client):
    article = ArticlePage.objects.get(slug=content.REFERENCE_ARTICLE["slug"])
    answered = Comment.objects.get(body__startswith=content.STAFF_REPLY["reply_to"])

    page = BeautifulSoup(client.get(article.url).content, "html.parser")

    badged = [
        li
        for li in page.select("#comment-list li.comment")
        if li.select_one(":scope > article .comment__badge")
    ]
    assert len(badged) == 1
    meta = badged[0].select_one(".comment__meta").get_text(" ", strip=True)
    assert "Mara Ellison Staff in reply to Graham W." in meta
    assert badged[0].find_parent("li", id=f"c-{answered.root_id}") is not None


def _news_sitemap_locations(client) -> list[str]:
    response = client.get("/sitemap-news.xml")
    assert response.status_code == 200
    root = ElementTree.fromstring(response.content)  # noqa: S314 - our own response
    return [loc.text for loc in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]


def test_the_live_blog_of_the_day_is_dated_today_and_listed_in_the_news_sitemap(
    demo_output, client, settings
):
    page = LiveBlogPage.objects.get(slug=live_blog.LIVE_BLOG["slug"])
    now = timezone.now()
    times = sorted(page.entries.values_list("posted_at", flat=True))
    assert now - timedelta(days=1) < times[-1] <= now
    assert page.first_published_at == times[0]
    # The entries keep the times of day they were written with.
    assert [timezone.localtime(t).strftime("%H:%M") for t in times] == [
        item["at"] for item in live_blog.ENTRIES
    ]
    assert f"{settings.SITE_BASE_URL}{page.url}" in _news_sitemap_locations(client)

    revisions = page.revisions.count()
    call_command("load_demo", long_thread=0, prepare_images=False, stdout=StringIO())
    assert page.revisions.count() == revisions  # already of the day: left as it is
    assert sorted(page.entries.values_list("posted_at", flat=True)) == times


def test_a_demo_loaded_days_ago_gets_a_live_blog_of_the_day_again_and_keeps_comments(
    demo_output, client, settings
):
    page = LiveBlogPage.objects.get(slug=live_blog.LIVE_BLOG["slug"])
    reader = comment_create(
        thread=thread_ensure(page=page), body="Following from Odesa", author_name="Reader"
    )
    # The database as a demo loaded five days ago left it.
    five_days = timedelta(days=5)
    LiveBlogEntry.objects.filter(page=page).update(posted_at=F("posted_at") - five_days)
    LiveBlogPage.objects.filter(pk=page.pk).update(
        first_published_at=F("first_published_at") - five_days,
        last_published_at=F("last_published_at") - five_days,
    )
    url = f"{settings.SITE_BASE_URL}{page.url}"
    assert url not in _news_sitemap_locations(client)
    entries_before = dict(page.entries.values_list("pk", "headline"))

    call_command("load_demo", long_thread=0, prepare_images=False, stdout=StringIO())

    assert url in _news_sitemap_locations(client)
    assert dict(page.entries.values_list("pk", "headline")) == entries_before
    assert Comment.objects.filter(pk=reader.pk, thread__page=page).exists()
    latest = max(page.entries.values_list("posted_at", flat=True))
    assert timezone.now() - timedelta(days=1) < latest <= timezone.now()
    # Editors opening the live blog in the admin see the same times as readers.
    draft = page.get_latest_revision_as_object()
    assert max(entry.posted_at for entry in draft.entries.all()) == latest


def test_the_image_sizes_the_pages_use_are_made_at_load_so_no_first_reader_waits_for_them(
    demo_output, client
):
    from newsroom.models import NewsRendition

    made = NewsRendition.objects.count()
    assert made > 0
    for article in ArticlePage.objects.live().public():
        assert client.get(article.url).status_code == 200
    client.force_login(get_user_model().objects.create_user("member", password="x" * 12))
    members_only = ArticlePage.objects.get(slug=members.MEMBERS_ARTICLE["slug"])
    assert client.get(members_only.url).status_code == 200
    assert NewsRendition.objects.count() == made  # every page view found its sizes ready


def test_the_demo_has_one_corrected_article_whose_json_ld_says_so(demo_output, client):
    call_command("load_demo", long_thread=40, prepare_images=False, stdout=StringIO())
    assert Correction.objects.count() == 1  # a second run adds nothing
    article = ArticlePage.objects.get(slug=standards.CORRECTION["article"])
    html = client.get(article.url).content.decode()
    (data,) = [
        item
        for item in extruct.extract(html, syntaxes=["json-ld"])["json-ld"]
        if item["@type"] == "NewsArticle"
    ]
    assert data["correction"][0]["text"] == standards.CORRECTION["text"]
    assert data["dateModified"] == standards.CORRECTION["corrected_at"]
