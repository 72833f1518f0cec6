"""A reviewer's Approve (the dashboard's, the page listing's) publishes an article only when its
images may be published: the same rules as its edit form and bulk Publish."""

from __future__ import annotations

from io import BytesIO

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from PIL import Image
from wagtail.models import Workflow

from newsroom.models import ArticlePage
from newsroom.tests.factories import make_article, make_image

pytestmark = pytest.mark.django_db

_TOO_NARROW = "a lead image must be at least 1,200 pixels wide"


@pytest.fixture(autouse=True)
def _lead_images_1200_wide(settings):
    settings.LEAD_IMAGE_MIN_WIDTH = 1200


def _wide_image(width: int = 1600):
    buffer = BytesIO()
    Image.new("RGB", (width, width * 9 // 16), (40, 90, 140)).save(buffer, "JPEG")
    return make_image(file_bytes=buffer.getvalue(), title="Harbour cranes")


@pytest.fixture
def reviewer() -> Client:
    client = Client()
    users = get_user_model()
    client.force_login(users.objects.create_superuser("chief", "chief@example.org", "pw-12345"))
    return client


def _submitted_for_review(*, then_hero_width: int) -> ArticlePage:
    """An article submitted with a fit lead image; then, while it waits for review, a draft is
    saved with a lead image ``then_hero_width`` wide (a draft is not checked)."""
    writer = get_user_model().objects.create_user("writer", "writer@example.org", "pw-12345")
    article = make_article()
    article.unpublish()
    article.hero_image = _wide_image()
    article.save_revision(user=writer)
    Workflow.objects.get(name="Moderators approval").start(article, writer)
    article.hero_image = _wide_image(then_hero_width)
    article.save_revision(user=writer)
    return article


def _approve(reviewer: Client, article: ArticlePage, **headers):
    task_state = article.current_workflow_state.current_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=(article.pk, "approve", task_state.pk))
    return reviewer.post(
        url, {"comment": "Fine by me", "next": "/admin/"}, follow=True, headers=headers
    )


def test_approving_from_the_dashboard_does_not_publish_a_lead_image_too_narrow(reviewer):
    article = _submitted_for_review(then_hero_width=640)

    answer = _approve(reviewer, article)

    article.refresh_from_db()
    assert not article.live
    assert article.current_workflow_state is not None  # still waiting for review
    text = BeautifulSoup(answer.content, "html.parser").get_text(" ", strip=True)
    assert "Not approved, and nothing was published" in text
    assert _TOO_NARROW in text


def test_approving_with_a_comment_says_why_in_its_dialog_and_keeps_the_comment(reviewer):
    article = _submitted_for_review(then_hero_width=640)

    answer = _approve(reviewer, article, x_requested_with="XMLHttpRequest")

    article.refresh_from_db()
    assert not article.live
    dialog = BeautifulSoup(answer.json()["html"], "html.parser")
    assert _TOO_NARROW in dialog.get_text(" ", strip=True)
    assert dialog.find("textarea", attrs={"name": "comment"}).get_text().strip() == "Fine by me"


def test_approving_an_article_whose_images_are_fit_publishes_it(reviewer):
    article = _submitted_for_review(then_hero_width=1600)

    _approve(reviewer, article)

    article.refresh_from_db()
    assert article.live
