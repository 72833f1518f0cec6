"""Deleting an article keeps its discussion as the record it is, out of readers' sight.

The thread loses its page and keeps its title; its comments, reports, appeals and moderation
decisions stay, so the transparency report's past months do not change.
"""

from __future__ import annotations

import json

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.urls import clear_script_prefix, set_script_prefix
from wagtail.models import PageViewRestriction

from discussion.models import Comment, Thread
from discussion.tests.readers import make_reader, reauthenticate
from importers.exports import export_lines
from moderation.actions import RejectComment
from moderation.models import Appeal, CommentReview, ModerationAction, Report
from moderation.services import report_create
from newsroom.models import ArticlePage
from newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db

HEADLINE = "Markets rally on hopes for Ukraine talks"


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_superuser("desk", "desk@example.com", "pw-long-enough")


@pytest.fixture
def desk(editor):
    staff = Client()
    staff.force_login(editor)
    return staff


@pytest.fixture
def discussed(editor):
    """An article with a reader's published comment (reported), their removed comment (under
    appeal) and a guest's held one."""
    article = make_article(title=HEADLINE)
    ada_user = make_reader("Ada")
    ada = Client()
    ada.force_login(ada_user)
    ada.post(article.url, {"body": "Well argued.", "idempotency_key": ""})
    ada.post(article.url, {"body": "The minister is a moron.", "idempotency_key": ""})
    Client().post(
        article.url,
        {"body": "The mayor is a moron.", "author_name": "Olena", "idempotency_key": ""},
    )
    published = Comment.objects.get(body="Well argued.")
    removed = Comment.objects.get(body="The minister is a moron.")
    report_create(comment=published, reporter_key="guest:abc", network="192.0.2.0", reason="spam")
    RejectComment(comment=removed, user=editor, reason_code="abuse").execute()
    ada.post(f"/moderation/comments/{removed.pk}/why/", {"text": "It is about policy."})
    assert Appeal.objects.count() == 1
    return article, ada, ada_user, published, removed


def _counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Thread, Comment, Report, Appeal, CommentReview, ModerationAction)
    }


def _delete(desk, article) -> None:
    response = desk.post(f"/admin/pages/{article.pk}/delete/")
    assert response.status_code == 302
    assert not ArticlePage.objects.filter(pk=article.pk).exists()


def test_the_record_and_the_transparency_report_survive_the_article(desk, discussed):
    article, *_ = discussed
    before = _counts()
    report_before = Client().get("/transparency/?format=csv").content

    _delete(desk, article)

    assert _counts() == before
    thread = Thread.objects.get()
    assert thread.page_id is None and thread.title == HEADLINE
    assert Client().get("/transparency/?format=csv").content == report_before
    assert Client().get("/transparency/").status_code == 200


def test_the_readers_profile_still_lists_the_comment_named_but_not_linked(desk, discussed):
    article, ada, ada_user, published, removed = discussed
    _delete(desk, article)

    public = BeautifulSoup(Client().get(f"/readers/{ada_user.reader.pk}/").content, "html.parser")
    [item] = public.select(".reader-profile__comments li")
    assert "Well argued." in item.get_text()
    meta = item.select_one(".comment__meta")
    assert meta.get_text().startswith(f"On {HEADLINE} (the article was deleted), ")
    assert meta.find("a") is None
    own = BeautifulSoup(ada.get(f"/readers/{ada_user.reader.pk}/").content, "html.parser")
    [not_shown] = own.select(".reader-profile__not-shown li")
    assert "(the article was deleted)" in not_shown.get_text()
    assert [a.get_text() for a in not_shown.select("a")] == ["Why?"]


def _public_profile_items(user) -> list[str]:
    page = BeautifulSoup(Client().get(f"/readers/{user.reader.pk}/").content, "html.parser")
    return [item.get_text(" ", strip=True) for item in page.select(".reader-profile__comments li")]


def test_an_article_withdrawn_before_it_is_deleted_stays_off_the_readers_profile(desk, discussed):
    article, _ada, ada_user, *_ = discussed
    assert desk.post(f"/admin/pages/{article.pk}/unpublish/").status_code == 302
    assert _public_profile_items(ada_user) == []

    _delete(desk, article)

    assert _public_profile_items(ada_user) == []
    assert Thread.objects.get().title == HEADLINE  # the record keeps its name


def test_a_private_article_deleted_stays_off_the_readers_profile(desk, discussed):
    article, _ada, ada_user, *_ = discussed
    PageViewRestriction.objects.create(
        page=article.get_parent(), restriction_type=PageViewRestriction.LOGIN
    )
    assert _public_profile_items(ada_user) == []

    _delete(desk, article)

    assert _public_profile_items(ada_user) == []


def test_a_comments_own_pages_answer_without_the_article(desk, discussed):
    article, ada, _ada_user, published, removed = discussed
    _delete(desk, article)

    assert Client().get(f"/c/{published.pk}/").status_code == 404
    assert ada.get(f"/c/{published.pk}/").status_code == 404
    assert Client().get(f"/moderation/comments/{published.pk}/report/").status_code == 404
    statement = ada.get(f"/moderation/comments/{removed.pk}/why/")
    assert statement.status_code == 200
    text = BeautifulSoup(statement.content, "html.parser").get_text(" ", strip=True)
    assert f"On: {HEADLINE} (the article was deleted; this record is kept)" in text
    edit = ada.get(f"/discussion/comments/{published.pk}/edit/")
    assert edit.status_code == 200
    assert f"On “{HEADLINE}”, an article since deleted." in edit.content.decode()
    reauthenticate(ada)  # the download asks for the password first
    exported = ada.post("/readers/me/export/")
    assert [c["article"] for c in json.loads(exported.getvalue())["comments"]] == [HEADLINE] * 2


def test_a_readers_own_comment_pages_of_a_withdrawn_article_lead_to_the_front_page(desk, discussed):
    """An article unpublished (a legal withdrawal, say) is a 404 to readers: its commenter's edit
    and delete pages used to link back to it, and deleting the comment landed on that 404, the
    "deleted" confirmation unseen."""
    article, ada, _ada_user, published, _removed = discussed
    assert desk.post(f"/admin/pages/{article.pk}/unpublish/").status_code == 302
    assert Client().get(article.url).status_code == 404

    edit = BeautifulSoup(
        ada.get(f"/discussion/comments/{published.pk}/edit/").content, "html.parser"
    )
    assert f"On “{HEADLINE}”, an article no longer published." in edit.get_text(" ", strip=True)
    links = [a["href"] for a in edit.select("main a")]
    assert not any(href.startswith(article.url) for href in links)
    assert f"/c/{published.pk}/" not in links

    deleted = ada.post(f"/discussion/comments/{published.pk}/delete/")
    assert deleted.status_code == 302
    assert deleted["Location"] == "/#comments"
    front = ada.get("/")
    assert "Your comment was deleted." in front.content.decode()


def test_a_statement_of_reasons_under_a_withdrawn_article_names_it_without_a_dead_link(
    desk, discussed
):
    article, ada, _ada_user, _published, removed = discussed
    assert desk.post(f"/admin/pages/{article.pk}/unpublish/").status_code == 302

    statement = BeautifulSoup(
        ada.get(f"/moderation/comments/{removed.pk}/why/").content, "html.parser"
    )
    on = statement.select_one(".statement__article")
    assert on.get_text(" ", strip=True) == (
        f"On: {HEADLINE} (the article is no longer published; this record is kept)"
    )
    assert on.find("a") is None  # its link, /c/<id>/, is a 404 while the article is withdrawn


def test_the_readers_own_list_of_hidden_comments_names_a_withdrawn_article_without_a_link(
    desk, discussed
):
    article, ada, ada_user, _published, _removed = discussed
    assert desk.post(f"/admin/pages/{article.pk}/unpublish/").status_code == 302

    own = BeautifulSoup(ada.get(f"/readers/{ada_user.reader.pk}/").content, "html.parser")
    [not_shown] = own.select(".reader-profile__not-shown li")
    assert f"{HEADLINE} (the article is no longer published)" in not_shown.get_text()
    assert [a.get_text() for a in not_shown.select("a")] == ["Why?"]


def test_a_comment_of_a_deleted_article_leads_back_to_the_front_page_under_a_path_prefix(
    desk, discussed
):
    """With no article to return to, the reply-email switch sends its reader to the front page:
    on a site served at /news/, /news/, not the proxy's own /."""
    article, ada, _ada_user, published, _removed = discussed
    _delete(desk, article)

    # What Django's WSGI handler does with a request's SCRIPT_NAME (the test client does not).
    set_script_prefix("/news/")
    try:
        response = ada.get(
            f"/discussion/comments/{published.pk}/reply-emails/", SCRIPT_NAME="/news"
        )
    finally:
        clear_script_prefix()

    assert response.status_code == 302
    assert response["Location"] == f"/news/?c={published.pk}#c-{published.pk}"


def test_the_queue_and_the_site_export_keep_the_comments_of_a_deleted_article(desk, discussed):
    article, *_ = discussed
    _delete(desk, article)

    for state in ("pending", "reported", "rejected"):
        queue = desk.get(f"/admin/moderation/queue/{state}/")
        assert queue.status_code == 200
    pending = BeautifulSoup(desk.get("/admin/moderation/queue/pending/").content, "html.parser")
    [card] = pending.select("[data-mod-card]")
    assert f"on {HEADLINE} (deleted article)" in card.get_text(" ", strip=True)
    options = [o.get_text() for o in pending.select("#mod-filter-article option")]
    assert options == ["All articles", f"{HEADLINE} (deleted article)"]
    assert desk.get("/admin/moderation/").status_code == 200
    lines = list(export_lines())
    [thread] = [line for line in lines if line.get("type") == "thread"]
    assert thread["article_id"] is None and thread["title"] == HEADLINE and thread["url"] == ""
    assert len([line for line in lines if line.get("type") == "comment"]) == 3


def test_the_api_and_feeds_never_list_a_deleted_articles_comments(desk, discussed):
    article, *_ = discussed
    _delete(desk, article)

    api = Client().get(f"/api/v1/threads/comments?article={article.pk}")
    assert api.status_code == 404
    counts = Client().get(f"/api/v1/articles/comment-counts?ids={article.pk}")
    assert counts.json() == {"counts": {}}
    assert Client().get(f"/feeds/comments/{article.pk}/").status_code == 404


def test_the_delete_confirmation_says_how_many_comments_are_kept_but_no_longer_shown(
    desk, discussed
):
    article, *_ = discussed
    page = BeautifulSoup(desk.get(f"/admin/pages/{article.pk}/delete/").content, "html.parser")
    text = page.get_text(" ", strip=True)
    assert "This page has 3 reader comments." in text
    assert "keeps the comments" in text and "readers will no longer see them" in text
    section = article.get_parent()
    page = BeautifulSoup(desk.get(f"/admin/pages/{section.pk}/delete/").content, "html.parser")
    # The section's count is its articles': it says so.
    assert "This page and the pages under it have 3 reader comments." in page.get_text(
        " ", strip=True
    )


def test_the_bulk_delete_confirmation_counts_the_comments_of_every_page_chosen(desk, discussed):
    article, *_ = discussed
    other = make_article(title="A second story", section=article.get_parent().specific)
    Client().post(other.url, {"body": "First!", "author_name": "Olena", "idempotency_key": ""})
    quiet = make_article(title="A quiet story", section=article.get_parent().specific)
    chosen = f"id={article.pk}&id={other.pk}&id={quiet.pk}&id={article.get_parent().pk}"

    page = desk.get(f"/admin/bulk/wagtailcore/page/delete/?{chosen}")

    assert page.status_code == 200
    text = BeautifulSoup(page.content, "html.parser").get_text(" ", strip=True)
    # 3 + 1, the section's counted once, and the section's are its articles'
    assert "These pages and the pages under them have 4 reader comments." in text
    assert "readers will no longer see them" in text
    quiet_only = desk.get(f"/admin/bulk/wagtailcore/page/delete/?id={quiet.pk}")
    assert "reader comment" not in quiet_only.content.decode()

    # Deleting goes ahead as Wagtail's own does, and the threads stay for the record.
    assert desk.post(f"/admin/bulk/wagtailcore/page/delete/?id={other.pk}").status_code == 302
    assert not ArticlePage.objects.filter(pk=other.pk).exists()
    assert Thread.objects.filter(title="A second story", page=None).exists()


def test_the_delete_confirmation_of_an_article_without_comments_says_nothing_of_them(desk):
    article = make_article()
    page = desk.get(f"/admin/pages/{article.pk}/delete/").content.decode()
    assert "reader comment" not in page
