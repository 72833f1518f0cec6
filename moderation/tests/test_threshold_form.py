"""The scorer thresholds editor refuses a threshold that could never apply, where the moderator
can fix it: a scorer name the site has no scorer for, or a threshold below every score."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from moderation.models import ScorerThreshold

pytestmark = pytest.mark.django_db

ADD = "/admin/snippets/moderation/scorerthreshold/add/"


@pytest.fixture
def staff_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("boss", "b@example.com", "pw"))
    return client


def _add(client, scorer: str, hold_at: str):
    return client.post(ADD, {"scorer": scorer, "hold_at": hold_at})


def _errors(response) -> str:
    page = BeautifulSoup(response.content, "html.parser")
    return " ".join(error.get_text(" ", strip=True) for error in page.select(".error-message"))


def test_a_threshold_for_a_scorer_with_no_such_name_is_refused_naming_the_scorers(staff_client):
    response = _add(staff_client, "abuse model", "0.5")

    assert response.status_code == 200
    errors = _errors(response)
    assert "No scorer is called “abuse model”." in errors
    assert "abuse_model" in errors and "shouting" in errors
    assert not ScorerThreshold.objects.exists()
    field = BeautifulSoup(response.content, "html.parser").select_one('input[name="scorer"]')
    assert field["value"] == "abuse model"  # kept, to correct


def test_a_threshold_below_every_score_is_refused(staff_client):
    response = _add(staff_client, "shouting", "-3")

    assert "Scores run from 0 to 1" in _errors(response)
    assert not ScorerThreshold.objects.exists()


@pytest.mark.parametrize("hold_at", ["0", "0.65", "1.1"])
def test_a_threshold_for_a_scorer_the_site_has_is_saved(staff_client, hold_at):
    response = _add(staff_client, "abuse_model", hold_at)

    assert response.status_code == 302
    assert ScorerThreshold.objects.get().hold_at == float(hold_at)
