"""A reader's profile, data export and account deletion."""

from __future__ import annotations

import json

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.test import Client
from wagtail.models import PageViewRestriction

from accounts.models import Reader
from discussion.models import Comment, Reaction
from discussion.services import comment_set_status, thread_ensure
from discussion.tests.factories import make_comment
from discussion.tests.readers import make_reader, reauthenticate
from moderation.models import Report
from newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db

# The download's queries with one comment or a page's worth (the session, the account, the rate
# limit, and one per section: a member with more reads one more for each further page of a
# section, accounts.data_exports.PAGE_SIZE), pinned so a query per row shows here.
QUERIES_OF_A_DOWNLOAD = 15


@pytest.fixture
def article():
    return make_article()


@pytest.fixture
def ada(client, article):
    user = make_reader("Ada")
    client.force_login(user)
    reauthenticate(client)  # as before deleting the account
    client.post(article.url, {"body": "Well argued.", "idempotency_key": ""})
    return user


def test_the_profile_shows_name_member_since_and_comments_with_links(client, ada):
    comment = Comment.objects.get(author=ada)
    html = Client().get(f"/readers/{ada.reader.pk}/").content.decode()
    assert "<h1>Ada</h1>" in html
    assert "Member since" in html
    assert f'href="/c/{comment.pk}/"' in html and "Well argued." in html
    assert "Download my data" not in html  # only on one's own profile


def test_my_profile_says_how_long_the_address_i_post_from_is_kept(client, ada, settings):
    settings.IP_RETENTION_DAYS = 30
    html = client.get(f"/readers/{ada.reader.pk}/").content.decode()

    said = BeautifulSoup(html, "html.parser").select_one("[data-addresses-kept]").get_text()
    assert "for 30 days, then cleared" in " ".join(said.split())


def test_my_profile_says_the_addresses_kept_are_in_my_download(client, ada):
    # It said "It is not in the download" while the download left them out (GDPR Art. 15).
    html = client.get(f"/readers/{ada.reader.pk}/").content.decode()

    said = BeautifulSoup(html, "html.parser").select_one("[data-addresses-kept]").get_text()
    assert "The download holds those still kept" in " ".join(said.split())


def test_a_reader_finds_their_held_and_removed_comments_on_their_own_profile(client, ada, article):
    from bs4 import BeautifulSoup

    client.post(article.url, {"body": "The minister is a moron.", "idempotency_key": ""})
    client.post(article.url, {"body": "Second thoughts, later removed.", "idempotency_key": ""})
    removed = Comment.objects.get(body="Second thoughts, later removed.")
    comment_set_status(comment=removed, status=Comment.Status.REJECTED)
    held = Comment.objects.get(body="The minister is a moron.")
    assert held.status == Comment.Status.PENDING

    page = BeautifulSoup(client.get(f"/readers/{ada.reader.pk}/").content, "html.parser")

    section = page.select_one(".reader-profile__not-shown")
    items = [li.get_text(" ", strip=True) for li in section.select("li")]
    assert items[0].startswith("Removed by a moderator") and "Second thoughts" in items[0]
    assert items[1].startswith("Waiting for review") and "moron" in items[1]
    links = [a["href"] for a in section.select("a")]
    assert f"/moderation/comments/{held.pk}/why/" in links
    assert f"/moderation/comments/{removed.pk}/why/" in links
    assert "moron" not in page.select_one(".reader-profile__comments").get_text()


def test_nobody_else_sees_a_readers_held_comments_on_their_profile(client, ada, article):
    client.post(article.url, {"body": "The minister is a moron.", "idempotency_key": ""})

    html = Client().get(f"/readers/{ada.reader.pk}/").content.decode()

    assert "Not shown to others" not in html and "moron" not in html


def test_a_members_name_in_a_thread_opens_their_profile(ada, article):
    from bs4 import BeautifulSoup

    reader = Client()
    page = BeautifulSoup(reader.get(article.url).content, "html.parser")
    name = page.select_one(".comment__author a")
    assert name.get_text() == "Ada"

    profile = reader.get(name["href"], follow=True)

    assert profile.redirect_chain[-1][0] == f"/readers/{ada.reader.pk}/"
    assert "<h1>Ada</h1>" in profile.content.decode()


def test_a_guests_name_links_nowhere(article):
    from bs4 import BeautifulSoup

    Client().post(article.url, {"body": "As a guest.", "author_name": "Passer-by",
                                "idempotency_key": ""})  # fmt: skip

    page = BeautifulSoup(Client().get(article.url).content, "html.parser")

    author = page.select_one(".comment__author")
    assert author.get_text() == "Passer-by" and author.a is None


def test_the_profile_link_of_an_account_that_is_gone_is_a_404(ada):
    ada.is_active = False
    ada.save()

    assert Client().get(f"/readers/member/{ada.pk}/").status_code == 404
    assert Client().get("/readers/member/987654/").status_code == 404


@pytest.mark.parametrize("closed_by", ["a password", "unpublishing"])
def test_the_profile_leaves_out_comments_under_an_article_readers_cannot_open(
    client, ada, closed_by
):
    private = make_article(title="Embargoed until Tuesday")
    said = make_comment(thread_ensure(page=private), "Said before it.", name="Ada", user_id=ada.pk)
    comment_set_status(comment=said, status=Comment.Status.PUBLISHED)  # a moderator let it through
    if closed_by == "a password":
        PageViewRestriction.objects.create(
            page=private, restriction_type=PageViewRestriction.PASSWORD, password="s3cret"
        )
    else:
        private.unpublish()

    html = Client().get(f"/readers/{ada.reader.pk}/").content.decode()

    assert "Well argued." in html
    assert "Said before it." not in html
    assert "Embargoed until Tuesday" not in html


def test_an_unknown_reader_is_a_404(client):
    assert client.get("/readers/999999/").status_code == 404


def test_download_my_data_is_json_with_profile_and_comments(client, ada):
    # Only a POST downloads; the address opened leads to the profile (its form is there).
    assert "Content-Disposition" not in client.get("/readers/me/export/")
    response = client.post("/readers/me/export/")
    assert response["Content-Disposition"].startswith("attachment")
    data = json.loads(response.getvalue())
    assert data["profile"]["display_name"] == "Ada"
    assert data["comments"][0]["body"] == "Well argued."
    assert data["comments"][0]["url"].endswith(f"/c/{data['comments'][0]['id']}/")
    assert data["notification_settings"] == {"reply_emails": True, "daily_digest": False}


def test_download_my_data_lists_the_comments_i_recommended(client, ada, article):
    # A signed-in reader's recommendations are kept as theirs (one each, toggled off again), so
    # their data lists them; it said "reactions": [] however many they had made.
    other = make_comment(thread_ensure(page=article), "Worth reading.", name="Bo")
    client.post(f"/discussion/comments/{other.pk}/react/")

    data = json.loads(client.post("/readers/me/export/").getvalue())

    [reaction] = data["reactions"]
    assert reaction["comment_id"] == other.pk
    assert reaction["article"] == article.title
    assert reaction["comment_url"].endswith(f"/c/{other.pk}/")
    assert reaction["created_at"]


def test_download_my_data_gives_the_network_each_recommendation_came_from(client, ada, article):
    thread = thread_ensure(page=article)
    first = make_comment(thread, "Worth reading.", name="Bo")
    second = make_comment(thread, "Also worth it.", name="Cy")
    client.post(f"/discussion/comments/{first.pk}/react/", REMOTE_ADDR="198.51.100.4")
    client.post(f"/discussion/comments/{second.pk}/react/", REMOTE_ADDR="198.51.100.4")
    Reaction.objects.filter(comment=second).update(network="")  # cleared: IP_RETENTION_DAYS
    other = Client(REMOTE_ADDR="192.0.2.60")
    other.force_login(make_reader("Dee"))
    other.post(f"/discussion/comments/{first.pk}/react/")

    data = json.loads(client.post("/readers/me/export/").getvalue())

    assert [(r["comment_id"], r["network"]) for r in data["reactions"]] == [
        (first.pk, "198.51.100.4"),
        (second.pk, ""),
    ]


def test_download_my_data_reads_the_same_few_queries_however_many_comments(
    client, ada, article, django_assert_num_queries
):
    # Each section is one query over a page of its rows (comments, their earlier versions, their
    # addresses, recommendations, reports, appeals, decisions, standing, moderators' notes,
    # past names, email addresses, sign-in providers), never one per row.
    thread = thread_ensure(page=article)
    for n in range(12):
        make_comment(thread, f"Mine, number {n}.", name="Ada", user_id=ada.pk,
                     ip_address=f"203.0.113.{n}")  # fmt: skip
        theirs = make_comment(thread, f"Theirs, number {n}.", name="Bo")
        Reaction.objects.create(comment=theirs, reader_key=f"u{ada.pk}", network="203.0.113.1")
        Report.objects.create(
            comment=theirs, reason="spam", reporter_key=f"user:{ada.pk}", network="203.0.113.1"
        )

    with django_assert_num_queries(QUERIES_OF_A_DOWNLOAD):
        data = json.loads(client.post("/readers/me/export/").getvalue())

    assert len(data["comment_addresses"]) == 13  # and the one the fixture posted
    assert len(data["reactions"]) == len(data["reports"]) == 12


def test_download_my_data_says_that_what_i_did_as_a_guest_is_not_in_it(article):
    # What a guest does is kept under their browser's cookie, not an account: a reader who
    # recommended a comment, then signed up in that browser, found "reactions": [] and no word
    # of why. Those from a shared browser may be someone else's, so the download says so rather
    # than adding them.
    browser = Client()
    other = make_comment(thread_ensure(page=article), "Worth reading.", name="Bo")
    browser.post(f"/discussion/comments/{other.pk}/react/")
    assert Reaction.objects.filter(comment=other).exists()
    browser.force_login(make_reader("Ada"))
    reauthenticate(browser)

    data = json.loads(browser.post("/readers/me/export/").getvalue())

    assert data["reactions"] == []
    said = data["not_included"]
    assert "without signing in" in said and "recommendations" in said and "browser" in said


def test_download_my_data_lists_the_new_address_waiting_to_be_confirmed(client, ada):
    # A change of address keeps the new one, unconfirmed, beside the old until its link is
    # pressed: the download gave the account's address alone.
    client.post("/accounts/email/", {"action_add": "", "email": "ada.new@example.com"})

    data = json.loads(client.post("/readers/me/export/").getvalue())

    assert data["profile"]["email_addresses"] == [
        {"email": ada.email, "verified": True, "primary": True},
        {"email": "ada.new@example.com", "verified": False, "primary": False},
    ]


def test_download_my_data_says_which_of_my_comments_i_muted_reply_emails_for(client, ada):
    # A comment's Mute reply emails is one of the member's email choices, kept with the comment:
    # the download gave the profile's choice alone.
    comment = Comment.objects.get(author=ada)
    client.post(f"/discussion/comments/{comment.pk}/reply-emails/", {"reply_emails": "off"})

    data = json.loads(client.post("/readers/me/export/").getvalue())

    assert [(c["id"], c["reply_emails"]) for c in data["comments"]] == [(comment.pk, False)]


def test_download_my_data_lists_the_sign_in_providers_connected_and_what_they_sent(client, ada):
    # allauth keeps, for each provider the member signs in with, its id for them and the claims
    # it sent (their name, their address): the download left them out.
    from allauth.socialaccount.models import SocialAccount

    SocialAccount.objects.create(
        user=ada,
        provider="openid_connect",
        uid="subject-42",
        extra_data={"name": "Ada L.", "email": ada.email},
    )

    data = json.loads(client.post("/readers/me/export/").getvalue())

    [provider] = data["sign_in_providers"]
    assert (provider["provider"], provider["id_there"]) == ("openid_connect", "subject-42")
    assert provider["sent"] == {"name": "Ada L.", "email": ada.email}
    assert provider["connected_at"]


def test_download_my_data_gives_the_id_the_publishers_sign_on_knows_me_by(client, ada):
    Reader.objects.filter(user=ada).update(sso_subject="publisher-user-7")

    data = json.loads(client.post("/readers/me/export/").getvalue())

    assert data["profile"]["publisher_sign_on_id"] == "publisher-user-7"


def test_download_my_data_gives_the_earlier_text_of_comments_i_edited_or_deleted(
    client, ada, article
):
    # The text before an author's edit, or before they deleted a comment that has replies (its
    # shell stays), is kept for moderators (CommentRevision): the download gave only the text
    # shown now, so "" for the deleted one.
    edited = Comment.objects.get(author=ada)
    client.post(f"/discussion/comments/{edited.pk}/edit/", {"body": "Well argued, mostly."})
    thread = thread_ensure(page=article)
    deleted = make_comment(thread, "Words I took back.", name="Ada", user_id=ada.pk)
    make_comment(thread, "A reply that keeps it.", name="Bo", parent=deleted)
    client.post(f"/discussion/comments/{deleted.pk}/delete/")

    data = json.loads(client.post("/readers/me/export/").getvalue())

    comments = {c["id"]: c for c in data["comments"]}
    assert comments[edited.pk]["body"] == "Well argued, mostly."
    assert [v["body"] for v in comments[edited.pk]["earlier_versions"]] == ["Well argued."]
    assert comments[deleted.pk]["body"] == ""
    assert [v["body"] for v in comments[deleted.pk]["earlier_versions"]] == ["Words I took back."]
    assert comments[deleted.pk]["earlier_versions"][0]["replaced_at"]


def test_download_my_data_lists_the_display_names_i_had(client, ada):
    client.post("/readers/me/name/", {"display_name": "Ada Lovelace"})

    data = json.loads(client.post("/readers/me/export/").getvalue())

    assert data["profile"]["display_name"] == "Ada Lovelace"
    [change] = data["profile"]["display_name_changes"]
    assert (change["from"], change["to"]) == ("Ada", "Ada Lovelace")


def test_delete_needs_confirmation_on_a_post(client, ada):
    assert b"Yes, delete my account" in client.get("/readers/me/delete/").content
    response = client.post("/readers/me/delete/", {})
    assert response.status_code == 400
    assert get_user_model().objects.filter(pk=ada.pk).exists()


def test_deleting_the_account_keeps_comments_as_deleted_account(client, ada, settings):
    settings.DELETED_ACCOUNT_COMMENTS = "keep"
    client.post("/readers/me/delete/", {"confirm": "yes"})
    assert not get_user_model().objects.filter(pk=ada.pk).exists()
    assert not Reader.objects.exists()
    comment = Comment.objects.get()
    assert comment.author_name == "Deleted account" and comment.author_id is None
    assert "_auth_user_id" not in client.session


def test_deleting_the_account_can_remove_the_comments(client, ada, settings):
    settings.DELETED_ACCOUNT_COMMENTS = "remove"
    client.post("/readers/me/delete/", {"confirm": "yes"})
    assert not Comment.objects.exists()
