"""One address cannot add recommendations without end by changing guest cookies: a guest's first
recommendation, under any cookie the site has not seen recommend (or none), counts against the
address's REACTION_NEW_GUEST_RATE, whatever handed that cookie out; a guest who keeps their cookie
is limited per cookie alone. And the report form hands out a cookie only with a saved report.
(The security report's "react.py": cookies minted by refused reports, each recommending once.)"""

from __future__ import annotations

import secrets

import pytest
from django.conf import settings as django_settings
from django.core import signing
from django.core.cache import cache
from django.test import Client, RequestFactory

from core import client as core_client
from discussion import reaction_limits
from discussion.models import Comment, Reaction
from discussion.services import thread_ensure
from discussion.tests.factories import make_comment
from newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db

ADDRESS = "203.0.113.7"


@pytest.fixture
def comments():
    thread = thread_ensure(page=make_article())
    return [make_comment(thread, f"Comment number {n}, worth reading.") for n in range(6)]


def _react(client, comment):
    return client.post(f"/discussion/comments/{comment.pk}/react/")


def _report(client, comment, **data):
    return client.post(f"/moderation/comments/{comment.pk}/report/", data)


def _count(comment) -> int:
    return Comment.objects.get(pk=comment.pk).reaction_count


def _signed_guest_cookie(key: str) -> str:
    """A guest cookie as the site signs one, whichever of its forms would have handed it out."""
    salt = core_client.GUEST_COOKIE + core_client._GUEST_SALT
    return signing.get_cookie_signer(salt=salt).sign(key)


def _client_with_guest_cookie(key: str | None = None) -> Client:
    browser = Client(REMOTE_ADDR=ADDRESS)
    browser.cookies[core_client.GUEST_COOKIE] = _signed_guest_cookie(
        key or secrets.token_urlsafe(16)
    )
    return browser


def test_the_reports_scenario_is_bounded_at_the_per_address_limit(comments):
    """react.py: ten cookie-less recommendations (the documented limit), then a cookie from a
    refused report for each next one. The refused report hands out no cookie, and every next
    recommendation is a new guest at the same address: refused."""
    target = comments[0]

    cookie_less = [_react(Client(REMOTE_ADDR=ADDRESS), target).status_code for _ in range(12)]
    minted, reacted = [], []
    for _ in range(25):
        browser = Client(REMOTE_ADDR=ADDRESS)
        minted.append(_report(browser, target).status_code)  # empty: refused
        reacted.append(_react(browser, target).status_code)

    assert cookie_less == [302] * 10 + [429] * 2
    assert set(minted) <= {400, 429}
    assert reacted == [429] * 25
    assert _count(target) == Reaction.objects.filter(comment=target).count() == 10


def test_fresh_cookies_however_minted_each_cost_the_address_a_new_guest_slot(comments, settings):
    """A saved report hands out a cookie (it must: one report per reader); a cookie that has not
    recommended before is still a new guest."""
    settings.REACTION_NEW_GUEST_RATE = "3/h"
    target = comments[0]
    statuses = []
    for n in range(6):
        browser = Client(REMOTE_ADDR=ADDRESS)
        assert _report(browser, comments[1 + n % 5], reason="spam").status_code == 200
        assert core_client.GUEST_COOKIE in browser.cookies  # handed out with the saved report
        statuses.append(_react(browser, target).status_code)
    statuses += [_react(_client_with_guest_cookie(), target).status_code for _ in range(3)]

    assert statuses == [302] * 3 + [429] * 6
    assert _count(target) == 3
    assert _react(_client_with_guest_cookie(), target).status_code == 429  # still this address
    elsewhere = _client_with_guest_cookie()
    elsewhere.defaults["REMOTE_ADDR"] = "198.51.100.20"
    assert _react(elsewhere, target).status_code == 302


def test_a_returning_guest_with_earlier_reactions_is_limited_per_cookie_only(comments, settings):
    settings.REACTION_NEW_GUEST_RATE = "2/h"
    regular = Client(REMOTE_ADDR=ADDRESS)
    assert _react(regular, comments[0]).status_code == 302  # their first: a new guest
    # New guests at the address use up its slots meanwhile.
    newcomers = [_react(_client_with_guest_cookie(), comments[0]).status_code for _ in range(3)]

    later = [_react(regular, comment).status_code for comment in comments[1:]]

    assert newcomers == [302, 429, 429]
    assert later == [302] * 5
    assert [_count(comment) for comment in comments[1:]] == [1] * 5


def test_a_returning_guest_is_still_throttled_per_cookie(comments, settings):
    settings.REACTION_RATE_LIMIT = "3/h"
    regular = _client_with_guest_cookie()

    statuses = [_react(regular, comment).status_code for comment in comments]

    assert statuses == [302] * 3 + [429] * 3


def test_a_guest_the_cache_forgot_counts_as_new_once_more(comments, settings):
    """The mark lives in the cache; losing it costs a returning guest an address slot, never
    lets a new one past."""
    settings.REACTION_NEW_GUEST_RATE = "1/h"
    regular = Client(REMOTE_ADDR=ADDRESS)
    assert _react(regular, comments[0]).status_code == 302
    cache.clear()  # the counters go too: a new hour, as far as the cache knows

    assert _react(regular, comments[1]).status_code == 302  # counted as new: the one slot
    assert _react(regular, comments[2]).status_code == 302  # marked again: per cookie
    assert _react(_client_with_guest_cookie(), comments[3]).status_code == 429


@pytest.mark.parametrize(
    ("data", "expected"),
    [({}, 400), ({"reason": "other", "text": ""}, 400)],
    ids=["empty", "other-without-text"],
)
def test_a_refused_report_sets_no_guest_cookie(comments, data, expected):
    browser = Client(REMOTE_ADDR=ADDRESS)

    response = _report(browser, comments[0], **data)

    assert response.status_code == expected
    assert core_client.GUEST_COOKIE not in response.cookies


def test_a_rate_limited_report_sets_no_guest_cookie(comments, settings):
    settings.MODERATION_REPORT_RATE = "1/h"
    assert _report(Client(REMOTE_ADDR=ADDRESS), comments[0], reason="spam").status_code == 200

    response = _report(Client(REMOTE_ADDR=ADDRESS), comments[1], reason="spam")

    assert response.status_code == 429
    assert core_client.GUEST_COOKIE not in response.cookies


def test_a_refused_reaction_sets_no_guest_cookie(comments, settings):
    settings.REACTION_NEW_GUEST_RATE = "1/h"
    assert _react(Client(REMOTE_ADDR=ADDRESS), comments[0]).status_code == 302

    response = _react(Client(REMOTE_ADDR=ADDRESS), comments[0])

    assert response.status_code == 429
    assert core_client.GUEST_COOKIE not in response.cookies


@pytest.mark.skipif(not django_settings.REDIS_URL, reason="with Redis (REDIS_URL) only")
def test_a_returning_guests_limits_are_one_round_trip_to_redis():
    """The guest's counter and the mark that they have recommended before, in one script."""
    from core.tests.redis_commands import commands_naming

    key = secrets.token_urlsafe(16)
    request = RequestFactory().post("/", REMOTE_ADDR=ADDRESS)
    request.COOKIES[core_client.GUEST_COOKIE] = _signed_guest_cookie(key)
    reaction_limits.guest_reacted(key)
    reaction_limits.reaction_count(request, user_id=None)  # the window's first hit makes its slot

    sent = commands_naming(None, lambda: reaction_limits.reaction_count(request, user_id=None))

    assert sent == ["EVALSHA"]
