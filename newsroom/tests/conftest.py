"""``demo_loaded_once``: the demo newsroom loaded once for all the tests of a module.

Loading the demo is the slowest set-up in the suite (two to four seconds a time). The tests that
only look at what one load left, or change it and look again, share one load: it is written in
a transaction that stays open while the module's tests run, each test rolls back to it (its own
transaction is a savepoint inside it: pytest-django leaves Django's class-level transaction out
for this), and the whole is rolled back after the module's last test, so no other test sees it.
This is the pattern of Django's ``TestCase.setUpTestData``.

A module using it is named in the root conftest.py's ``TESTS_SHARING_A_SET_UP``, so that a
parallel run hands all its tests to one process, one after another: the open transaction is that
process's, and another module's tests must not run inside it. The fixture refuses to run in a
module not named there.
"""

from __future__ import annotations

from collections.abc import Iterator
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from conftest import TESTS_SHARING_A_SET_UP
from newsroom.tests.factories import default_section_remove, newsroom_base_remove

LONG_THREAD = 40  # enough for replies several levels deep and a busy sub-thread


@pytest.fixture
def new_site(db) -> None:
    """A site as a new install has it, without the home page and section every other test
    starts with (the root conftest.py): for ``load_demo``, which loads the demo on a site that
    has no newsroom yet and leaves one that has alone."""
    newsroom_base_remove()


@pytest.fixture
def without_the_default_section(db) -> None:
    """Only the sections a test makes itself: for tests of which sections a site shows."""
    default_section_remove()


@pytest.fixture(scope="module")
def demo_loaded_once(
    request, django_db_setup, django_db_blocker, tmp_path_factory
) -> Iterator[str]:
    """``load_demo``'s output; the demo it loaded is in the database for each of the module's
    tests as that load left it. The image sizes the pages use are made by the load, as
    ``make demo`` makes them, where the module sets ``PREPARE_IMAGES = True``; otherwise each is
    made when a page first shows it."""
    module = request.module.__file__
    if not any(module.endswith(name) for name in TESTS_SHARING_A_SET_UP):
        pytest.fail(f"{module} shares a set-up but is not in TESTS_SHARING_A_SET_UP (conftest.py)")
    # The settings every test has from the root conftest.py's autouse fixtures, which run only
    # once a test starts: the load is made as each test's own load was.
    shared = override_settings(
        VAR_DIR=tmp_path_factory.mktemp("demo"),
        MODERATION_TRUST_FIRST_COMMENTS=0,
        APP_THREADS=0,
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
    )
    shared.enable()
    loaded = transaction.atomic()
    try:
        with django_db_blocker.unblock():
            loaded.__enter__()
            try:
                newsroom_base_remove()  # as new_site does
                out = StringIO()
                call_command(
                    "load_demo",
                    long_thread=LONG_THREAD,
                    prepare_images=getattr(request.module, "PREPARE_IMAGES", False),
                    stdout=out,
                )
            except BaseException:
                transaction.set_rollback(True)
                loaded.__exit__(None, None, None)
                raise
        yield out.getvalue()
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            loaded.__exit__(None, None, None)
    finally:
        shared.disable()
