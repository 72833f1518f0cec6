"""Wagtail's own absolute addresses (its emails' links, a rendition's full_url) on a site served
under a path prefix (docs/deploy.md, "Under a path prefix"): the prefix once, whether they are
made in a request or in a process that answers none (the task worker, manage.py's commands)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import clear_script_prefix, set_script_prefix
from wagtail.models import Workflow

from core.envsettings import site_origin
from newsroom.tests.factories import make_article, make_image

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
SITE = "https://example.org/news"


@pytest.fixture
def news_site(settings) -> None:
    """The settings a site under /news starts with (broadsheet/settings.py)."""
    settings.SITE_BASE_URL = SITE
    settings.WAGTAILADMIN_BASE_URL = site_origin(SITE)


@pytest.fixture
def prefix(request) -> Iterator[str]:
    """The script prefix Django's handler sets from a request's SCRIPT_NAME ("/news/"), or none
    (a thread that has answered no request)."""
    set_script_prefix(request.param)
    try:
        yield request.param
    finally:
        clear_script_prefix()


@pytest.mark.parametrize("prefix", ["/news/"], indirect=True)
def test_a_workflow_notification_made_in_a_request_links_to_the_admin_under_the_prefix_once(
    news_site, prefix
):
    users = get_user_model()
    users.objects.create_superuser("chief", "chief@example.org", "pw-12345")
    editor = users.objects.create_user("ed", "ed@example.org", "pw-12345")
    article = make_article()

    Workflow.objects.get(name="Moderators approval").start(article, editor)

    to_the_chief = next(m for m in mail.outbox if m.to == ["chief@example.org"])
    assert f"{SITE}/admin/pages/{article.pk}/edit/" in to_the_chief.body
    assert "/news/news/" not in to_the_chief.body


@pytest.mark.parametrize("prefix", ["/news/", "/"], ids=["a request", "none"], indirect=True)
def test_a_renditions_full_url_names_the_prefix_once(news_site, prefix):
    rendition = make_image().get_rendition("width-100")

    assert rendition.full_url.startswith(f"{SITE}/media/images/")


def test_wagtails_links_made_outside_a_request_name_the_prefix_once(tmp_path):
    """As the task worker or a command starts (django.setup), with SITE_BASE_URL's prefix."""
    script = (
        "import django; django.setup()\n"
        "from django.contrib.auth.models import User\n"
        "from django.template.loader import render_to_string\n"
        "from newsroom.images import NewsRendition\n"
        "user = User(username='ed')\n"
        "print(render_to_string('wagtailadmin/notifications/base.txt', {'user': user}))\n"
        "print(NewsRendition(file='images/a.width-100.jpg', width=100, height=50).full_url)\n"
    )
    result = subprocess.run(  # noqa: S603  (our own interpreter, a fixed script)
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "broadsheet.settings",
            "BROADSHEET_VAR_DIR": str(tmp_path),
            "SITE_BASE_URL": SITE,
        },
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert f"{SITE}/admin/account/#tab-notifications" in result.stdout
    assert f"{SITE}/media/images/a.width-100.jpg" in result.stdout
    assert "/news/news/" not in result.stdout
