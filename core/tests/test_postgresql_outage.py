"""Through a PostgreSQL outage and after it, whatever its length and however many of the pool's
connections it ended: a request is refused at once while the server is away, served at once
when it is back, and the pool refills by itself (core.postgresql.RefusingServerPool).

psycopg's pool kept the place of each connection it lost for a reconnection of its own, retried
with a doubling delay for 5 minutes. With every place so kept (the pool at its size when the
server went), a request waited out the pool's timeout (10 s) instead of being refused at once,
and went on waiting, and failing, after the server was back, until the next retry came round:
up to about the outage's own length later. After 5 minutes the pool gave the places up and
never refilled itself: requests did, each connecting on its own time.

The server going away is a loopback proxy in front of the test's PostgreSQL, cut and restored
(core.tests.loopback_proxy); PostgreSQL itself is never touched.
"""

from __future__ import annotations

import time

import pytest
from django.db import connection
from django.db.utils import ConnectionHandler, OperationalError

from core.postgresql.base import RefusingServerPool, database_unreachable
from core.tests.loopback_proxy import LoopbackProxy

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's pool only"),
]

POOL_SIZE = 3
POOL_TIMEOUT = 5  # seconds a borrower waits with every connection lent (10 on the site)


@pytest.fixture
def proxy():
    database = connection.settings_dict
    proxy = LoopbackProxy((database["HOST"] or "127.0.0.1", int(database["PORT"] or 5432)))
    yield proxy
    proxy.close()


@pytest.fixture
def site(proxy):
    """The site's database as an app process has it (core.postgresql, its pool as the settings
    make it, smaller), reached through the proxy, its pool filled to its size."""
    settings_dict = {**connection.settings_dict, "HOST": "127.0.0.1", "PORT": str(proxy.port)}
    settings_dict["OPTIONS"] = {
        **settings_dict["OPTIONS"],
        "pool": {"min_size": 1, "max_size": POOL_SIZE, "timeout": POOL_TIMEOUT},
    }
    # An alias of its own: Django keeps one pool per alias for the whole process.
    # ('default' is required, and left alone.)
    handler = ConnectionHandler(
        {"default": {**connection.settings_dict}, "through_proxy": settings_dict}
    )
    wrapper = handler["through_proxy"]
    pool = wrapper.pool
    pool.open()
    lent = [pool.getconn() for _ in range(POOL_SIZE)]  # a busy moment
    for each in lent:
        pool.putconn(each)
    yield wrapper
    wrapper.close()
    wrapper.close_pool()


def _request(wrapper) -> tuple[str, float]:
    """One request's use of the database, as Django makes it: its outcome and how long it took."""
    began = time.monotonic()
    try:
        wrapper.close_if_unusable_or_obsolete()
        with wrapper.cursor() as cursor:
            cursor.execute("SELECT 1")
        outcome = "served"
    except OperationalError as error:
        outcome = "unreachable" if database_unreachable(error) else f"failed: {error}"
    finally:
        wrapper.close()
    return outcome, time.monotonic() - began


def _away(proxy, wrapper, seconds: float) -> list[tuple[str, float]]:
    """The server gone for ``seconds``, a request every half second meanwhile."""
    proxy.cut()
    answers = []
    ends = time.monotonic() + seconds
    while time.monotonic() < ends:
        answers.append(_request(wrapper))
        time.sleep(0.5)
    return answers


def test_while_the_server_is_away_every_request_is_refused_at_once(proxy, site):
    answers = _away(proxy, site, 1.5)

    assert {outcome for outcome, _ in answers} == {"unreachable"}
    assert max(took for _, took in answers) < 1, answers


def test_once_the_server_is_back_the_next_request_is_served_at_once(proxy, site):
    _away(proxy, site, 4)  # psycopg's own retries came at about 1, 3, 7 and 15 s: none at 4

    proxy.restore()
    outcome, took = _request(site)

    assert outcome == "served"
    assert took < 1


def test_after_an_outage_the_pool_refills_by_itself(proxy, site):
    _away(proxy, site, 1.5)
    proxy.restore()

    deadline = time.monotonic() + 3 * RefusingServerPool.REFILL_INTERVAL
    while site.pool.get_stats()["pool_available"] < 1 and time.monotonic() < deadline:
        time.sleep(0.1)

    # The next request is lent the connection the pool made: it opens no session of its own.
    sessions = proxy.sessions
    assert _request(site)[0] == "served"
    assert proxy.sessions == sessions
