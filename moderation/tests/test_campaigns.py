"""Coordinated campaigns: near-identical comments from several readers within hours are found
after they are saved, held with a reason their authors can read, and listed for moderators,
who remove them all or dismiss the campaign (moderation.campaigns)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from discussion.models import Comment
from discussion.own_comments import comment_edit
from discussion.services import comment_create
from discussion.tests.factories import make_thread
from moderation import lookalike
from moderation.campaigns import campaigns_scan
from moderation.models import Campaign, CommentReview, ModerationAction
from moderation.normalise import normalise
from moderation.tests.admin_menu import sidebar_links
from newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db

# One talking point, reworded a little by each sender, as campaigns' comments are.
COPIES = [
    "The so-called talks in Istanbul are a western trick and everyone should see through it now.",
    "The so called talks in Istanbul are a western trick and everybody should see through it now!",
    "These so-called talks in Istanbul are a western trick and everyone should see through it.",
    "The so-called talks in Istanbul are just a western trick and everyone should see through it",
]
OTHER = "Volunteers in Kyiv filled sandbags all night while the sirens sounded over the river."


def _post(body: str, reader: str, thread=None, **kwargs) -> Comment:
    return comment_create(
        thread=thread or make_thread(),
        body=body,
        author_name=f"Reader {reader}",
        source="reader",
        guest_key=f"guest-{reader}",
        **kwargs,
    )


def _status(comment: Comment) -> str:
    comment.refresh_from_db()
    return comment.status


def test_a_campaign_is_dated_by_when_its_comments_were_posted_not_when_they_were_screened():
    posted = timezone.now() - timedelta(hours=2)
    comments = [
        _post(text, reader, created_at=posted + timedelta(minutes=minutes))
        for text, reader, minutes in zip(COPIES[:3], "abc", (0, 7, 21), strict=True)
    ]

    campaigns_scan()

    campaign = Campaign.objects.get()
    assert (campaign.first_seen, campaign.last_seen) == (
        comments[0].created_at,
        comments[2].created_at,
    )


def test_near_copies_share_a_band_and_unrelated_or_short_texts_do_not():
    first, copy = (lookalike.bands(normalise(text).folded) for text in COPIES[:2])
    other = lookalike.bands(normalise(OTHER).folded)

    assert any(a == b for a, b in zip(first, copy, strict=True))
    assert not any(a == b for a, b in zip(first, other, strict=True))
    assert lookalike.bands(normalise("Slava Ukraini! Well said, thank you.").folded) is None


def test_copies_from_three_readers_on_two_articles_are_a_campaign_and_are_held():
    thread, elsewhere = make_thread(), make_thread()
    comments = [
        _post(COPIES[0], "a", thread),
        _post(COPIES[1], "b", elsewhere),
        _post(COPIES[2], "c", thread),
    ]
    unrelated = _post(OTHER, "d", thread)
    assert all(c.status == Comment.Status.PUBLISHED for c in comments)

    report = campaigns_scan()

    campaign = Campaign.objects.get()
    assert report.held == 3
    assert (campaign.comment_count, campaign.author_count, campaign.thread_count) == (3, 3, 2)
    assert [_status(c) for c in comments] == [Comment.Status.PENDING] * 3
    assert _status(unrelated) == Comment.Status.PUBLISHED
    hold = ModerationAction.objects.get(comment=comments[0], kind=ModerationAction.Kind.HOLD)
    assert (hold.reason_code, hold.automated) == ("coordinated", True)
    assert "one of 3 near-identical comments posted by 3 different readers" in hold.note


def test_the_author_of_a_held_copy_reads_why_on_the_statement_page(client):
    article = make_article()
    client.post(article.url, {"body": COPIES[0], "author_name": "Olena", "idempotency_key": ""})
    mine = Comment.objects.get(author_name="Olena")
    [_post(text, reader) for text, reader in zip(COPIES[1:3], "bc", strict=True)]
    campaigns_scan()

    page = BeautifulSoup(client.get(f"/moderation/comments/{mine.pk}/why/").content, "html.parser")

    statement = " ".join(page.select_one("ol.statement").get_text(" ", strip=True).split())
    assert "near-identical comments posted by different readers" in statement


def test_one_reader_posting_the_same_text_again_and_again_is_not_a_campaign():
    comments = [_post(COPIES[i % 4], "a") for i in range(5)]

    campaigns_scan()

    assert not Campaign.objects.exists()
    held = ModerationAction.objects.filter(comment__in=comments, reason_code="coordinated")
    assert not held.exists()


def test_the_same_short_words_from_many_readers_are_agreement_not_a_campaign():
    comments = [_post("Slava Ukraini! Well said.", reader) for reader in "abcdef"]

    campaigns_scan()

    assert not Campaign.objects.exists()
    assert {_status(c) for c in comments} == {Comment.Status.PUBLISHED}


def test_comments_no_reader_posted_such_as_an_import_are_not_looked_at():
    thread = make_thread()
    comments = [
        comment_create(thread=thread, body=text, author_name=f"Imported {i}")
        for i, text in enumerate(COPIES)
    ]

    campaigns_scan()

    assert not Campaign.objects.exists()
    assert {_status(c) for c in comments} == {Comment.Status.PUBLISHED}


def test_copies_older_than_the_window_do_not_count(settings):
    settings.MODERATION_CAMPAIGN_HOURS = 6
    old = [_post(text, reader) for text, reader in zip(COPIES[:2], "ab", strict=True)]
    CommentReview.objects.filter(comment__in=old).update(
        created_at=timezone.now() - timedelta(hours=7)
    )
    new = _post(COPIES[2], "c")

    campaigns_scan()

    assert not Campaign.objects.exists()
    assert _status(new) == Comment.Status.PUBLISHED


def test_a_later_copy_joins_the_campaign_and_is_held_too():
    [_post(text, reader) for text, reader in zip(COPIES[:3], "abc", strict=True)]
    campaigns_scan()

    later = _post(COPIES[3], "d")
    campaigns_scan()

    campaign = Campaign.objects.get()
    assert (campaign.comment_count, campaign.author_count) == (4, 4)
    assert _status(later) == Comment.Status.PENDING


def test_a_copy_a_moderator_approved_before_detection_stays_published(django_user_model):
    from moderation.actions import ApproveComment

    moderator = django_user_model.objects.create_superuser("mod", "m@example.com", "pw")
    first = _post(COPIES[0], "a")
    ApproveComment(comment=first, user=moderator).execute()
    [_post(text, reader) for text, reader in zip(COPIES[1:3], "bc", strict=True)]

    campaigns_scan()

    assert Campaign.objects.get().comment_count == 3
    assert _status(first) == Comment.Status.PUBLISHED


def test_a_copy_a_moderator_approves_while_the_scan_runs_stays_published(
    django_user_model, monkeypatch
):
    from moderation import campaigns
    from moderation.actions import ApproveComment

    moderator = django_user_model.objects.create_superuser("mod", "m@example.com", "pw")
    first, *others = [_post(text, reader) for text, reader in zip(COPIES[:3], "abc", strict=True)]
    found = campaigns._groups

    def groups_then_an_approval(since):
        groups = found(since)  # the scan has read every copy as not yet moderated
        ApproveComment(comment=first, user=moderator).execute()
        return groups

    monkeypatch.setattr(campaigns, "_groups", groups_then_an_approval)

    campaigns_scan()

    assert _status(first) == Comment.Status.PUBLISHED
    assert CommentReview.objects.get(comment=first).state == CommentReview.State.APPROVED
    assert [_status(comment) for comment in others] == [Comment.Status.PENDING] * 2


@pytest.fixture
def moderator_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("boss", "b@example.com", "pw"))
    return client


def _campaign_of_three() -> tuple[Campaign, list[Comment]]:
    comments = [_post(text, reader) for text, reader in zip(COPIES[:3], "abc", strict=True)]
    campaigns_scan()
    return Campaign.objects.get(), comments


def test_moderators_see_the_campaign_listed_and_its_comments(moderator_client):
    campaign, comments = _campaign_of_three()

    listing = moderator_client.get("/admin/moderation/campaigns/").content.decode()
    detail = moderator_client.get(f"/admin/moderation/campaigns/{campaign.pk}/").content.decode()

    menu = sidebar_links(moderator_client.get("/admin/").content.decode())[""]
    assert ("Campaigns", "/admin/moderation/campaigns/") in menu
    assert f"/admin/moderation/campaigns/{campaign.pk}/" in listing
    assert "3 near-identical comments from 3 different readers on 3 articles" in detail
    assert all(comment.author_name in detail for comment in comments)


def test_removing_a_campaign_rejects_each_comment_with_the_reason_its_author_reads(
    moderator_client,
):
    campaign, comments = _campaign_of_three()

    response = moderator_client.post(
        f"/admin/moderation/campaigns/{campaign.pk}/decide/",
        {"decision": "remove", "confirm": "yes", "note": "Copied talking points."},
        follow=True,
    )

    assert "Removed 3 comments of campaign" in response.content.decode()
    assert [_status(c) for c in comments] == [Comment.Status.REJECTED] * 3
    reject = ModerationAction.objects.get(comment=comments[1], kind=ModerationAction.Kind.REJECT)
    assert (reject.reason_code, reject.note) == ("coordinated", "Copied talking points.")
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.REMOVED


def test_dismissing_a_campaign_publishes_what_it_held_and_leaves_later_copies_alone(
    moderator_client,
):
    campaign, comments = _campaign_of_three()

    moderator_client.post(
        f"/admin/moderation/campaigns/{campaign.pk}/decide/", {"decision": "dismiss"}
    )
    later = _post(COPIES[3], "d")
    campaigns_scan()

    assert [_status(c) for c in comments] == [Comment.Status.PUBLISHED] * 3
    assert _status(later) == Comment.Status.PUBLISHED
    campaign.refresh_from_db()
    assert (campaign.status, campaign.comment_count) == (Campaign.Status.DISMISSED, 4)


def test_dismissing_leaves_a_held_comment_edited_since_for_a_moderator_to_read(moderator_client):
    """The moderator judged the campaign, not the words an author put in while it was held."""
    campaign, comments = _campaign_of_three()
    edited = comments[1]
    comment_edit(
        comment=Comment.objects.get(pk=edited.pk),
        body="Buy followers cheap, DM me on telegram.",
        user_id=None,
        guest_comment_ids=frozenset({edited.pk}),
        guest_key="guest-b",
    )

    response = moderator_client.post(
        f"/admin/moderation/campaigns/{campaign.pk}/decide/", {"decision": "dismiss"}, follow=True
    )

    assert [_status(c) for c in comments] == [
        Comment.Status.PUBLISHED,
        Comment.Status.PENDING,
        Comment.Status.PUBLISHED,
    ]
    assert CommentReview.objects.get(comment=edited).state == CommentReview.State.PENDING
    assert [str(m) for m in response.context["messages"]] == [
        f"Campaign {campaign.pk} dismissed: 2 held comments are published again, and later "
        "copies are left alone.",
        "1 held comment was edited by its author after the campaign was found, so it waits in "
        "the Pending queue for you to read the new text.",
    ]


def test_a_reader_or_editor_without_the_permission_cannot_see_or_decide_campaigns(
    client, django_user_model
):
    campaign, comments = _campaign_of_three()
    editor = django_user_model.objects.create_user("ed", "e@example.com", "pw")
    client.force_login(editor)

    for response in (
        client.get("/admin/moderation/campaigns/"),
        client.post(
            f"/admin/moderation/campaigns/{campaign.pk}/decide/",
            {"decision": "remove", "confirm": "yes"},
        ),
    ):
        assert response.status_code in (302, 403)
    assert [_status(c) for c in comments] == [Comment.Status.PENDING] * 3


def test_removing_a_removed_campaign_again_leaves_a_comment_published_since_as_it_is(
    moderator_client, django_user_model
):
    """A second "Remove all" (a second tab, a page loaded before the first) must not reject
    again a comment a moderator published after the removal, on its author's appeal."""
    from moderation.actions import ApproveComment, text_token

    campaign, comments = _campaign_of_three()
    decide = f"/admin/moderation/campaigns/{campaign.pk}/decide/"
    moderator_client.post(decide, {"decision": "remove", "confirm": "yes"})
    restored = Comment.objects.get(pk=comments[0].pk)
    boss = django_user_model.objects.get(username="boss")
    ApproveComment(comment=restored, user=boss, seen=text_token(restored.body)).execute()

    response = moderator_client.post(decide, {"decision": "remove", "confirm": "yes"}, follow=True)

    assert _status(restored) == Comment.Status.PUBLISHED
    assert [str(m) for m in response.context["messages"]][-1].startswith(
        f"Campaign {campaign.pk} was decided already (its comments were removed by boss, "
    )


def test_dismissing_a_removed_campaign_is_refused_and_it_stays_removed(moderator_client):
    """Dismissing publishes only what detection holds; after a removal there is nothing held,
    so the page would say "dismissed" of a campaign whose comments all stay rejected."""
    campaign, comments = _campaign_of_three()
    decide = f"/admin/moderation/campaigns/{campaign.pk}/decide/"
    moderator_client.post(decide, {"decision": "remove", "confirm": "yes"})

    response = moderator_client.post(decide, {"decision": "dismiss"}, follow=True)

    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.REMOVED
    assert [_status(c) for c in comments] == [Comment.Status.REJECTED] * 3
    assert "was decided already" in [str(m) for m in response.context["messages"]][-1]


def test_a_decided_campaign_page_offers_no_second_decision(moderator_client):
    campaign, _ = _campaign_of_three()
    moderator_client.post(
        f"/admin/moderation/campaigns/{campaign.pk}/decide/", {"decision": "dismiss"}
    )

    page = BeautifulSoup(
        moderator_client.get(f"/admin/moderation/campaigns/{campaign.pk}/").content,
        "html.parser",
    )

    assert page.select("button[name=decision]") == []
    assert "This campaign is decided." in page.get_text()


def test_remove_all_needs_its_box_ticked_and_without_it_does_nothing_and_keeps_the_note(
    moderator_client,
):
    """One click must not reject every comment of a campaign, each author emailed: as a
    permanent ban, the box beside the button confirms it. Unticked, nothing is done, and the
    page comes back at the box, the note kept."""
    campaign, comments = _campaign_of_three()

    response = moderator_client.post(
        f"/admin/moderation/campaigns/{campaign.pk}/decide/",
        {"decision": "remove", "note": "Copied talking points."},
    )

    assert response["Location"].endswith(f"/campaigns/{campaign.pk}/#campaign-confirm")
    assert [_status(c) for c in comments] == [Comment.Status.PENDING] * 3
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.OPEN
    page = moderator_client.get(response["Location"])
    assert [str(m) for m in page.context["messages"]] == [
        "Nothing was removed: to reject this campaign's comments, tick “Yes, reject them all” "
        "beside the button."
    ]
    soup = BeautifulSoup(page.content, "html.parser")
    box = soup.select_one("#campaign-confirm")
    assert (box["type"], box["aria-invalid"]) == ("checkbox", "true")
    assert (
        soup.select_one(f"#{box['aria-describedby']}")
        .get_text(strip=True)
        .startswith("Tick “Yes, reject them all”")
    )
    assert soup.select_one("#campaign-note")["value"] == "Copied talking points."
    assert not soup.select_one("#campaign-note").has_attr("aria-invalid")
