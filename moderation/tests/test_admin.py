"""The moderation queues in the Wagtail admin, as a moderator uses them."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext

from discussion.models import Comment
from discussion.services import comment_create
from discussion.tests.factories import make_thread
from moderation.actions import text_token
from moderation.models import CommentReview, ModerationAction, Rule
from moderation.tests.admin_menu import sidebar_links

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderator_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("boss", "boss@example.com", "pw-long-enough")
    client.force_login(user)
    return client


def _held(thread, body="The minister is a moron.", name="Olena"):
    return comment_create(thread=thread, body=body, author_name=name)


def _seen(comment) -> str:
    """What the comment's card sends back with Approve and Feature: the text it shows."""
    return text_token(Comment.objects.get(pk=comment.pk).body)


def _cards(response):
    return BeautifulSoup(response.content, "html.parser").select("[data-mod-card]")


def test_the_pending_queue_shows_each_card_with_parent_reasons_scores_and_history(
    moderator_client,
):
    thread = make_thread(title="Talks in Istanbul")
    parent = comment_create(thread=thread, body="Neutrality is the price.", author_name="Ann")
    comment_create(thread=thread, body="You moron, read it again.", author_name="Bob",
                   parent_id=parent.pk)  # fmt: skip
    response = moderator_client.get("/admin/moderation/queue/pending/")
    [card] = _cards(response)
    text = card.get_text(" ", strip=True)
    assert "Neutrality is the price." in text  # the parent, for context
    assert "moron" in text and "which a moderator checks first" in text
    assert "Scores:" in text and "abuse_model" in text
    assert "0 approved" in text
    assert "Talks in Istanbul" in text


def test_queue_counts_are_shown_on_every_tab(moderator_client):
    thread = make_thread()
    _held(thread)
    comment_create(thread=thread, body="Fine.", author_name="Ann")
    page = BeautifulSoup(
        moderator_client.get("/admin/moderation/queue/pending/").content, "html.parser"
    )
    counts = {n["data-queue-count"]: n.get_text() for n in page.select("[data-queue-count]")}
    assert counts["pending"] == "1" and counts["unmoderated"] == "1" and counts["appeals"] == "0"


def test_queue_counts_are_one_bounded_query_per_queue():
    from moderation.selectors import QUEUES, queue_counts

    with CaptureQueriesContext(connection) as queries:
        queue_counts()
    assert len(queries) == len(QUEUES)
    assert all("LIMIT" in query["sql"] for query in queries)


def test_filters_and_text_search_narrow_the_queue(moderator_client):
    a, b = make_thread(), make_thread()
    _held(a, "The minister is a moron.", "Olena")
    _held(b, "The mayor is a moron.", "Taras")
    assert (
        len(_cards(moderator_client.get(f"/admin/moderation/queue/pending/?article={b.pk}"))) == 1
    )
    assert len(_cards(moderator_client.get("/admin/moderation/queue/pending/?q=mayor"))) == 1
    key = CommentReview.objects.get(comment__author_name="Taras").reader_key
    assert len(_cards(moderator_client.get(f"/admin/moderation/queue/pending/?author={key}"))) == 1
    Rule.objects.create(kind="suspect", pattern="minister")
    assert (
        len(_cards(moderator_client.get("/admin/moderation/queue/pending/?reason=suspect_word")))
        == 2
    )  # noqa: E501


def test_filters_of_digits_python_cannot_read_show_the_whole_queue(moderator_client):
    """ "²" is a digit to str.isdigit() and int() refuses it: ?article=, ?before= and a member's
    ?author= made of it were a 500, where they read as no filter."""
    _held(make_thread(), "The minister is a moron.", "Olena")
    for query in ("article=\u00b2", "before=\u00b2", "author=user:\u00b2"):
        answer = moderator_client.get(f"/admin/moderation/queue/pending/?{query}")
        assert answer.status_code == 200, query
        assert len(_cards(answer)) == (0 if query.startswith("author") else 1), query


def test_approve_from_the_queue_publishes_and_goes_back(moderator_client):
    comment = _held(make_thread())
    review = comment.review
    response = moderator_client.post(
        f"/admin/moderation/reviews/{review.pk}/act/",
        {"action": "approve", "seen": _seen(comment), "next": "/admin/moderation/queue/pending/"},
    )
    assert (
        response.status_code == 302 and response["Location"] == "/admin/moderation/queue/pending/"
    )
    assert Comment.objects.get(pk=comment.pk).status == Comment.Status.PUBLISHED


def test_reject_from_the_queue_records_the_reason(moderator_client):
    comment = _held(make_thread())
    moderator_client.post(
        f"/admin/moderation/reviews/{comment.review.pk}/act/",
        {"action": "reject", "reason_code": "abuse", "note": "Insult."},
    )
    entry = ModerationAction.objects.get(kind="reject")
    assert (entry.reason_code, entry.note, entry.automated) == ("abuse", "Insult.", False)


def test_bulk_approve(moderator_client):
    thread = make_thread()
    held = [_held(thread, f"Moron number {n}.", f"Reader {n}") for n in range(3)]
    moderator_client.post(
        "/admin/moderation/bulk/",
        {
            "action": "approve",
            "review": [c.review.pk for c in held],
            **{f"seen-{c.review.pk}": _seen(c) for c in held},
        },
    )
    assert set(Comment.objects.values_list("status", flat=True)) == {"published"}


@pytest.mark.parametrize("elsewhere", ["//evil.example/", "/\\evil.example/", "https:evil.example"])
def test_a_next_pointing_off_site_falls_back_to_the_queue(moderator_client, elsewhere):
    comment = _held(make_thread())
    response = moderator_client.post(
        f"/admin/moderation/reviews/{comment.review.pk}/act/",
        {"action": "approve", "seen": _seen(comment), "next": elsewhere},
    )
    assert response["Location"] == "/admin/moderation/queue/pending/"


def test_a_staff_user_without_the_permission_is_turned_away(client, django_user_model):
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user("ed", "", "pw-long-enough", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    response = client.get("/admin/moderation/queue/pending/")
    # Wagtail answers a PermissionDenied in the admin with a redirect to the dashboard.
    assert (response.status_code, response["Location"]) == (302, "/admin/")


def test_keyboard_shortcuts_are_wired_and_explained(moderator_client):
    _held(make_thread())
    page = BeautifulSoup(
        moderator_client.get("/admin/moderation/queue/pending/").content, "html.parser"
    )
    card = page.select_one("[data-mod-card]")
    assert {el["data-mod-key"] for el in card.select("[data-mod-key]")} == {"a", "r"}
    assert "j / k" in page.select_one("[data-mod-help]").get_text()
    assert page.find("script", src=lambda s: s and s.endswith("moderation/queue.js"))


def test_the_dashboard_charts_the_last_48_hours(moderator_client):
    thread = make_thread()
    _held(thread)
    comment_create(thread=thread, body="Fine.", author_name="Ann")
    page = BeautifulSoup(moderator_client.get("/admin/moderation/").content, "html.parser")
    assert "2 comments posted; 1 (50%) held" in page.get_text()
    assert page.select("svg rect")


def test_the_rules_editor_lists_the_default_rules(moderator_client):
    response = moderator_client.get("/admin/snippets/moderation/rule/")
    assert response.status_code == 200
    assert "wikipedia.org" in response.content.decode()


def test_queue_counts_stop_at_a_cap_so_they_stay_bounded(monkeypatch):
    from moderation import selectors

    monkeypatch.setattr(selectors, "COUNT_CAP", 2)
    thread = make_thread()
    for n in range(4):
        comment = comment_create(thread=thread, body=f"Comment {n}", author_name="A")
        CommentReview.objects.update_or_create(
            comment=comment, defaults={"thread": thread, "state": "approved", "outcome": "publish"}
        )
    assert selectors.queue_counts()["approved"] == 3  # cap + 1, shown as "more than the cap"


def test_a_featured_comment_can_be_taken_out_of_the_strip_from_the_queue(moderator_client):
    from discussion.selectors import featured_comments

    thread = make_thread()
    comment = comment_create(thread=thread, body="Worth everyone's time.", author_name="Ann")
    act = f"/admin/moderation/reviews/{comment.review.pk}/act/"
    moderator_client.post(
        act,
        {"action": "feature", "seen": _seen(comment), "next": "/admin/moderation/queue/approved/"},
    )
    queue = moderator_client.get("/admin/moderation/queue/approved/")
    [card] = _cards(queue)
    assert card.select_one("button[value=unfeature]").get_text() == "Remove from featured (f)"
    assert card.select_one("button[value=feature]") is None

    moderator_client.post(act, {"action": "unfeature", "next": "/admin/moderation/queue/approved/"})

    assert featured_comments(thread=thread) == []
    assert Comment.objects.get(pk=comment.pk).status == Comment.Status.PUBLISHED
    assert not CommentReview.objects.get(comment=comment).is_featured
    logged = ModerationAction.objects.filter(comment=comment).values_list("kind", flat=True)
    assert list(logged.order_by("id")) == ["feature", "unfeature"]
    [card] = _cards(moderator_client.get("/admin/moderation/queue/approved/"))
    assert card.select_one("button[value=feature]") is not None


def test_taking_out_a_comment_that_is_not_featured_says_so(moderator_client):
    comment = comment_create(thread=make_thread(), body="Ordinary.", author_name="Ann")

    response = moderator_client.post(
        f"/admin/moderation/reviews/{comment.review.pk}/act/",
        {"action": "unfeature", "next": "/admin/moderation/queue/approved/"},
        follow=True,
    )

    assert "This comment is not featured." in response.content.decode()
    assert not ModerationAction.objects.filter(comment=comment, kind="unfeature").exists()


def test_the_reject_reason_starts_unchosen_and_must_be_chosen(moderator_client):
    _held(make_thread())
    [card] = _cards(moderator_client.get("/admin/moderation/queue/pending/"))

    reason = card.select_one('form.mod-reject select[name="reason_code"]')

    first = reason.find("option")
    assert (first["value"], first.get_text()) == ("", "Choose a reason")
    assert reason.has_attr("required")
    assert not reason.select("option[selected]")


def test_a_reject_without_a_reason_is_refused_and_says_why(moderator_client):
    comment = _held(make_thread())

    response = moderator_client.post(
        f"/admin/moderation/reviews/{comment.review.pk}/act/",
        {"action": "reject", "reason_code": "", "note": "Insult.",
         "next": "/admin/moderation/queue/pending/"},
        follow=True,
    )  # fmt: skip

    assert "Choose a reason to reject the comment by Olena" in response.content.decode()
    assert Comment.objects.get(pk=comment.pk).status == Comment.Status.PENDING
    assert not ModerationAction.objects.filter(kind="reject").exists()


def test_a_refused_reject_keeps_the_moderators_note(moderator_client):
    comment = _held(make_thread())

    response = moderator_client.post(
        f"/admin/moderation/reviews/{comment.review.pk}/act/",
        {"action": "reject", "reason_code": "", "note": "Please keep to the policy, not the man.",
         "next": "/admin/moderation/queue/pending/"},
        follow=True,
    )  # fmt: skip

    [card] = _cards(response)
    note = card.select_one('form.mod-reject input[name="note"]')
    assert note["value"] == "Please keep to the policy, not the man."
    assert card.select_one('form.mod-reject select[name="reason_code"]')["aria-invalid"] == "true"


def test_a_bulk_reject_without_a_reason_rejects_nothing(moderator_client):
    comment = _held(make_thread())

    response = moderator_client.post(
        "/admin/moderation/bulk/",
        {"action": "reject", "reason_code": "", "review": [comment.review.pk]},
        follow=True,
    )

    assert "Choose a reason to reject the selected comments" in response.content.decode()
    assert Comment.objects.get(pk=comment.pk).status == Comment.Status.PENDING


def test_a_bulk_reject_without_a_reason_comes_back_with_the_same_comments_ticked(
    moderator_client,
):
    thread = make_thread()
    first, second, _not_ticked = (
        _held(thread, f"Moron number {n}.", f"Reader {n}") for n in range(3)
    )

    response = moderator_client.post(
        "/admin/moderation/bulk/",
        {"action": "reject", "reason_code": "", "review": [first.review.pk, second.review.pk],
         "next": "/admin/moderation/queue/pending/"},
        follow=True,
    )  # fmt: skip

    page = BeautifulSoup(response.content, "html.parser")
    ticked = {box["value"] for box in page.select('input[name="review"][checked]')}
    assert ticked == {str(first.review.pk), str(second.review.pk)}
    reason = page.select_one('#bulk-form select[name="reason_code"]')
    assert reason["aria-invalid"] == "true"
    assert (
        page.select_one(f"#{reason['aria-describedby']}").get_text().startswith("Choose a reason")
    )
    # Once shown, the selection is the page's: the next visit starts with nothing ticked.
    again = BeautifulSoup(
        moderator_client.get("/admin/moderation/queue/pending/").content, "html.parser"
    )
    assert not again.select('input[name="review"][checked]')


def test_a_card_names_its_author_as_a_guest_or_a_member_never_by_reader_key(
    moderator_client, django_user_model
):
    thread = make_thread()
    member = django_user_model.objects.create_user("taras", "t@example.com", "pw-long-enough")
    _held(thread, "The minister is a moron.", "Olena")
    comment_create(thread=thread, body="The mayor is a moron.", author_name="Taras",
                   user_id=member.pk)  # fmt: skip

    cards = _cards(moderator_client.get("/admin/moderation/queue/pending/"))

    authors = [" ".join(card.select_one(".mod-history").get_text().split()) for card in cards]
    assert authors[0].startswith("Author: Taras (member):")
    assert authors[1].startswith("Author: Olena (guest):")
    assert not any("user:" in text or "name:" in text or "guest:" in text for text in authors)


def test_filtering_by_author_names_them_instead_of_their_reader_key(moderator_client):
    comment = _held(make_thread())
    key = comment.review.reader_key

    page = BeautifulSoup(
        moderator_client.get("/admin/moderation/queue/pending/", {"author": key}).content,
        "html.parser",
    )

    filters = page.select_one("form.mod-filters")
    assert "Only comments by Olena (guest)" in filters.get_text(" ", strip=True)
    assert key not in filters.get_text()


def test_the_article_filter_offers_articles_with_waiting_comments_by_title(moderator_client):
    waiting, quiet = make_thread(title="Talks in Istanbul"), make_thread(title="Weather")
    _held(waiting)
    comment_create(thread=quiet, body="Sunny.", author_name="Ann")

    page = BeautifulSoup(
        moderator_client.get("/admin/moderation/queue/pending/").content, "html.parser"
    )

    select = page.select_one("form.mod-filters select[name=article]")
    assert page.find("label", attrs={"for": select["id"]}).get_text() == "Article"
    options = [(o["value"], o.get_text()) for o in select.find_all("option")]
    assert options == [("", "All articles"), (str(waiting.pk), "Talks in Istanbul")]


def test_an_approval_confirms_whose_comment_was_approved(moderator_client):
    comment = _held(make_thread())

    response = moderator_client.post(
        f"/admin/moderation/reviews/{comment.review.pk}/act/",
        {"action": "approve", "seen": _seen(comment), "next": "/admin/moderation/queue/pending/"},
        follow=True,
    )

    messages = [str(m) for m in response.context["messages"]]
    assert messages == ["Approved the comment by Olena."]


def test_a_rejection_confirms_whose_comment_was_rejected(moderator_client):
    comment = _held(make_thread())

    response = moderator_client.post(
        f"/admin/moderation/reviews/{comment.review.pk}/act/",
        {"action": "reject", "reason_code": "abuse", "next": "/admin/moderation/queue/pending/"},
        follow=True,
    )

    assert [str(m) for m in response.context["messages"]] == ["Rejected the comment by Olena."]


def test_a_held_comment_is_not_offered_feature_which_it_would_refuse(moderator_client):
    """Only a published comment can be featured: a held one's card has Approve and Reject, and
    its Feature button (and key) come once it is published."""
    _held(make_thread())

    [card] = _cards(moderator_client.get("/admin/moderation/queue/pending/"))

    assert card.select_one("button[value=feature]") is None
    assert card.select_one("button[value=approve]") is not None


def test_a_card_marks_a_comment_the_newsrooms_staff_wrote(moderator_client, django_user_model):
    thread = make_thread()
    reporter = django_user_model.objects.create_user("olha", "olha@example.com", "pw-long-enough")
    # Held by a suspect word: staff are spared the newcomer hold, not the rules.
    Rule.objects.create(kind=Rule.Kind.SUSPECT, pattern="zorkbat")
    comment_create(
        thread=thread,
        body="A zorkbat of a briefing.",
        author_name="Olha Koval",
        user_id=reporter.pk,
        author_is_staff=True,
    )
    _held(thread, body="Another zorkbat.", name="Guest")

    cards = _cards(moderator_client.get("/admin/moderation/queue/pending/"))

    marked = {
        card.select_one("bdi").get_text(): card.select_one(".w-status") is not None
        for card in cards
    }
    assert marked == {"Olha Koval": True, "Guest": False}


def test_a_members_earlier_display_names_are_shown_and_found(moderator_client):
    from accounts.selectors import reader_for_user
    from accounts.services import reader_name_choose
    from discussion.tests.readers import make_reader

    member = make_reader("Taras")
    comment = comment_create(
        thread=make_thread(), body="The mayor is a moron.", author_name="Taras", user_id=member.pk
    )
    reader_name_choose(reader=reader_for_user(user_id=member.pk), display_name="T. Shevchenko")
    key = CommentReview.objects.get(comment=comment).reader_key

    card = _cards(moderator_client.get("/admin/moderation/queue/pending/"))[0]
    filtered = BeautifulSoup(
        moderator_client.get("/admin/moderation/queue/pending/", {"author": key}).content,
        "html.parser",
    ).select_one("form.mod-filters")
    by_the_name_they_had = _cards(
        moderator_client.get("/admin/moderation/queue/pending/", {"q": "taras"})
    )

    history = " ".join(card.select_one(".mod-history").get_text().split())
    assert history.startswith("Author: T. Shevchenko (member), earlier “Taras”:")
    assert "Only comments by T. Shevchenko (member), who was earlier Taras (until" in (
        " ".join(filtered.get_text().split())
    )
    assert len(by_the_name_they_had) == 1


def test_moderators_find_the_transparency_report_under_reports(moderator_client):
    reports = sidebar_links(moderator_client.get("/admin/").content.decode())["Reports"]
    assert ("Transparency report", "/transparency/") in reports


def test_staff_who_do_not_moderate_are_not_offered_the_transparency_report(
    client, django_user_model
):
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user("ed", "", "pw-long-enough", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    menus = sidebar_links(client.get("/admin/").content.decode())
    assert not any(url == "/transparency/" for links in menus.values() for _, url in links)


def test_a_cards_two_links_to_its_author_read_as_two(moderator_client):
    comment_create(
        thread=make_thread(), body="The minister is a moron.", author_name="Olena",
        ip_address="203.0.113.9", source="reader",
    )  # fmt: skip
    card = _cards(moderator_client.get("/admin/moderation/queue/pending/"))[0]
    history = " ".join(card.select_one(".mod-history").get_text().split())
    assert "Only this author’s comments · Their record" in history
