"""Coordinated recommending and reporting (moderation.brigades): a burst of recommendations from few
networks or readers new to the site, and several of one author's comments reported from the same
few places, are listed for moderators with their numbers, shown on the comments' cards, and
answered by a moderator only: recommendations discounted (through the service that takes
reactions away, with an audit entry), or reported comments kept up."""

from __future__ import annotations

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from discussion.models import Comment, Reaction
from discussion.services import comment_create, reaction_toggle, reactions_add_many
from discussion.tests.factories import make_thread
from discussion.tests.readers import make_reader
from moderation.actions import ActionError
from moderation.brigades import brigades_scan, recommending_discount, reporting_keep
from moderation.models import Campaign, CommentReview, ModerationAction
from moderation.services import report_create

pytestmark = pytest.mark.django_db

BODY = "The minister's answer on the grain corridor was evasive, and the figures do not add up."


def _post(thread, reader: str, body: str = BODY) -> Comment:
    return comment_create(
        thread=thread, body=body, author_name=f"Reader {reader}", source="reader",
        guest_key=f"guest-{reader}",
    )  # fmt: skip


def _recommend(comment: Comment, readers: list[str], networks: list[str]) -> None:
    for reader, network in zip(readers, networks, strict=True):
        reaction_toggle(comment=comment, reader_key=reader, user_id=None, network=network)


def _regulars(readers: list[str]) -> None:
    """Give ``readers`` a history: a recommendation each, two days ago, on an older comment."""
    old = _post(make_thread(), "old")
    _recommend(old, readers, [f"192.0.2.{n}" for n in range(len(readers))])
    Reaction.objects.filter(comment=old).update(created_at=timezone.now() - timedelta(days=2))


@pytest.fixture
def comment():
    return _post(make_thread(), "target")


def _brigade(comment: Comment, n: int = 12) -> None:
    """``n`` fresh guest cookies from two networks, all within minutes."""
    _recommend(comment, [f"fresh-{i}" for i in range(n)], ["203.0.113.5", "203.0.113.6"] * (n // 2))


# --- coordinated recommending --------------------------------------------------------------


def test_a_burst_of_fresh_guests_from_two_networks_is_listed_with_its_numbers(comment):
    _brigade(comment)

    found = brigades_scan()

    campaign = Campaign.objects.get()
    assert found.recommending == [campaign.pk]
    assert (campaign.kind, campaign.status, campaign.comment_id) == (
        Campaign.Kind.RECOMMENDING,
        Campaign.Status.OPEN,
        comment.pk,
    )
    numbers = {k: campaign.evidence[k] for k in ("reactions", "networks", "new_readers")}
    assert numbers == {"reactions": 12, "networks": 2, "new_readers": 12}
    # Listed only: nothing is taken away until a moderator decides.
    assert Comment.objects.get(pk=comment.pk).reaction_count == 12


def test_a_second_pass_brings_the_same_burst_up_to_date_rather_than_listing_it_again(comment):
    _brigade(comment, 10)
    brigades_scan()
    _recommend(comment, ["fresh-late-1", "fresh-late-2"], ["203.0.113.5", "203.0.113.5"])

    brigades_scan()

    assert Campaign.objects.get().evidence["reactions"] == 12


def test_recommendations_from_regular_readers_on_many_networks_are_not_listed(comment):
    readers = [f"regular-{i}" for i in range(15)]
    _regulars(readers)
    _recommend(comment, readers, [f"198.51.100.{i}" for i in range(15)])

    assert brigades_scan().recommending == []
    assert not Campaign.objects.exists()


def test_recommendations_loaded_in_bulk_without_a_network_are_not_a_burst(comment):
    # As the demo loads its readers' recommendations: all at once, every reader "new".
    reactions_add_many(
        thread_id=comment.thread_id, guest_reactions=[(comment.pk, f"demo-{i}") for i in range(30)]
    )

    assert brigades_scan().recommending == []


def test_a_burst_below_the_number_looked_at_is_not_listed(comment, settings):
    settings.MODERATION_RECOMMENDING_REACTIONS = 10
    _brigade(comment, 8)

    assert brigades_scan().recommending == []


def test_a_burst_older_than_the_window_is_not_listed(comment):
    _brigade(comment)
    Reaction.objects.update(created_at=timezone.now() - timedelta(hours=3))

    assert brigades_scan().recommending == []


def test_discounting_takes_the_burst_off_the_count_keeps_the_regulars_and_logs_it(
    comment, moderator
):
    regulars = [f"regular-{i}" for i in range(3)]
    _regulars(regulars)
    _recommend(comment, regulars, ["198.51.100.1", "198.51.100.2", "198.51.100.3"])
    _brigade(comment)
    brigades_scan()
    campaign = Campaign.objects.get()

    removed = recommending_discount(campaign=campaign, user=moderator, note="Shared in a channel")

    assert removed == 12
    assert Comment.objects.get(pk=comment.pk).reaction_count == 3
    assert set(Reaction.objects.filter(comment=comment).values_list("reader_key", flat=True)) == {
        f"g{key}" for key in regulars
    }
    entry = ModerationAction.objects.get(kind=ModerationAction.Kind.DISCOUNT)
    assert (entry.comment_id, entry.actor, entry.reason_code, entry.note) == (
        comment.pk,
        moderator,
        "coordinated_recommending",
        "Shared in a channel",
    )
    assert entry.evidence == {
        "campaign": campaign.pk,
        "removed": 12,
        "reactions": 15,
        "networks": 5,
        "new_readers": 12,
    }
    campaign.refresh_from_db()
    assert (campaign.status, campaign.decided_by) == (Campaign.Status.DISCOUNTED, moderator)


def test_the_authors_statement_of_reasons_says_the_recommendations_were_discounted(
    client, moderator
):
    author = make_reader("Olena")
    comment = comment_create(
        thread=make_thread(), body=BODY, author_name="Olena", user_id=author.pk, source="reader"
    )
    _brigade(comment)
    brigades_scan()
    recommending_discount(campaign=Campaign.objects.get(), user=moderator)
    client.force_login(author)

    page = BeautifulSoup(
        client.get(f"/moderation/comments/{comment.pk}/why/").content, "html.parser"
    ).select_one(".statement")

    words = page.get_text(" ", strip=True)
    assert "Recommendations discounted by a moderator" in words
    assert "took them out of its count" in words


def test_discounting_twice_is_refused_and_changes_nothing(comment, moderator):
    _brigade(comment)
    brigades_scan()
    campaign = Campaign.objects.get()
    recommending_discount(campaign=campaign, user=moderator)
    _recommend(comment, ["later"], ["198.51.100.9"])

    with pytest.raises(ActionError, match="decided already"):
        recommending_discount(campaign=Campaign.objects.get(), user=moderator)

    assert Comment.objects.get(pk=comment.pk).reaction_count == 1
    assert ModerationAction.objects.filter(kind=ModerationAction.Kind.DISCOUNT).count() == 1


def test_a_reader_without_the_permission_cannot_discount(comment, django_user_model, client):
    _brigade(comment)
    brigades_scan()
    campaign = Campaign.objects.get()
    # An editor: into the admin, without moderation's permission.
    editor = django_user_model.objects.create_user("ed", "ed@example.com", "pw-long-enough")
    editor.groups.add(Group.objects.get(name="Editors"))

    with pytest.raises(PermissionDenied):
        recommending_discount(campaign=campaign, user=editor)
    client.force_login(editor)
    response = client.post(
        f"/admin/moderation/campaigns/{campaign.pk}/decide/", {"decision": "discount"}
    )

    # Wagtail answers a PermissionDenied by sending them back to the dashboard.
    assert (response.status_code, response["Location"]) == (302, "/admin/")
    assert Comment.objects.get(pk=comment.pk).reaction_count == 12
    assert Campaign.objects.get().status == Campaign.Status.OPEN


def test_the_moderator_sees_the_numbers_and_discounts_from_the_campaign_page(
    comment, moderator_client
):
    _brigade(comment)
    brigades_scan()
    campaign = Campaign.objects.get()
    url = f"/admin/moderation/campaigns/{campaign.pk}/"

    page = BeautifulSoup(moderator_client.get(url).content, "html.parser")
    numbers = page.select_one("[data-brigade-numbers]").get_text(" ", strip=True)
    assert "12 recommendations within 60 minutes" in numbers
    assert "from 2 different networks" in numbers
    assert "12 of the readers are new to the site" in numbers

    response = moderator_client.post(f"{url}decide/", {"decision": "discount"}, follow=True)
    assert "Discounted 12 recommendations" in response.content.decode()
    assert Comment.objects.get(pk=comment.pk).reaction_count == 0


def test_the_recommended_comments_card_says_so_and_links_to_the_campaign(comment, moderator_client):
    _brigade(comment)
    brigades_scan()
    campaign = Campaign.objects.get()

    page = BeautifulSoup(
        moderator_client.get("/admin/moderation/queue/unmoderated/").content, "html.parser"
    )

    [note] = page.select("[data-mod-card] .mod-campaign")
    assert "coordinated push" in note.get_text()
    assert note.a["href"] == f"/admin/moderation/campaigns/{campaign.pk}/"


# --- coordinated reporting -----------------------------------------------------------------

MASS = ["203.0.113.5", "203.0.113.6", "203.0.113.7"]


def _authors_comments(n: int = 3) -> list[Comment]:
    thread = make_thread()
    return [_post(thread, "target", f"{BODY} Point number {i}.") for i in range(n)]


def _report(comments: list[Comment], places: list[str], who: str = "r") -> None:
    for comment in comments:
        for i, network in enumerate(places):
            report_create(
                comment=comment, reporter_key=f"guest:{who}-{i}", network=network, reason="abuse"
            )


def test_three_places_reporting_three_of_one_authors_comments_are_a_mass_report():
    comments = _authors_comments()
    _report(comments, MASS)

    found = brigades_scan()

    campaign = Campaign.objects.get()
    assert found.reporting == [campaign.pk]
    assert (campaign.kind, campaign.reader_key) == (Campaign.Kind.REPORTING, "guest:guest-target")
    numbers = {k: campaign.evidence[k] for k in ("reports", "comments", "networks", "held")}
    # Reports count once per network on each comment: three networks took each one down.
    assert numbers == {"reports": 9, "comments": 3, "networks": 3, "held": 3}


def test_one_reader_reporting_three_of_one_authors_comments_from_three_networks_is_listed():
    comments = _authors_comments()
    for comment, network in zip(comments, MASS, strict=True):
        report_create(comment=comment, reporter_key="guest:roaming", network=network, reason="spam")

    brigades_scan()

    campaign = Campaign.objects.get(kind=Campaign.Kind.REPORTING)
    assert (campaign.evidence["reporters"], campaign.evidence["comments"]) == (1, 3)


def test_reports_of_one_authors_comments_from_different_places_each_are_not_a_mass_report():
    comments = _authors_comments()
    for n, comment in enumerate(comments):
        _report([comment], [f"198.51.100.{n * 3 + i}" for i in range(3)], who=f"c{n}")

    assert brigades_scan().reporting == []


def test_one_place_reporting_fewer_comments_than_the_threshold_is_not_a_mass_report():
    comments = _authors_comments(2)
    _report(comments, MASS[:1])

    assert brigades_scan().reporting == []


def test_keeping_a_mass_reports_comments_puts_them_back_up_once(moderator):
    comments = _authors_comments()
    _report(comments, MASS)
    brigades_scan()
    campaign = Campaign.objects.get()

    kept = reporting_keep(campaign=campaign, user=moderator)

    assert (kept.kept, kept.skipped) == (3, 0)
    assert set(Comment.objects.filter(pk__in=[c.pk for c in comments]).values_list("status")) == {
        (Comment.Status.PUBLISHED,)
    }
    assert not CommentReview.objects.filter(last_report__isnull=False).exists()
    with pytest.raises(ActionError, match="decided already"):
        reporting_keep(campaign=Campaign.objects.get(), user=moderator)
    assert ModerationAction.objects.filter(kind=ModerationAction.Kind.APPROVE).count() == 3


def test_the_reported_cards_say_their_author_is_the_target_of_a_mass_report(moderator_client):
    comments = _authors_comments()
    _report(comments, MASS)
    brigades_scan()
    campaign = Campaign.objects.get()

    page = BeautifulSoup(
        moderator_client.get("/admin/moderation/queue/reported/").content, "html.parser"
    )

    notes = page.select("[data-mod-card] .mod-campaign")
    assert len(notes) == 3
    assert all("mass report" in note.get_text() for note in notes)
    assert {note.a["href"] for note in notes} == {f"/admin/moderation/campaigns/{campaign.pk}/"}
