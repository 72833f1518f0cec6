"""Every setting read from the environment is documented, and a bad value fails loudly."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from core.envsettings import REGISTRY, declare, parse_positive_int, parse_rate

DOCS = Path(__file__).resolve().parents[2] / "docs" / "settings.md"


def test_every_declared_setting_is_in_docs_settings_md():
    documented = DOCS.read_text()
    missing = [name for name in REGISTRY if f"`{name}`" not in documented]
    assert REGISTRY, "settings.py declared no settings"
    assert missing == []


def test_a_bad_value_raises_improperly_configured_naming_the_variable(monkeypatch):
    monkeypatch.setenv("BROADSHEET_TEST_LIMIT", "lots")
    with pytest.raises(ImproperlyConfigured, match="BROADSHEET_TEST_LIMIT='lots'"):
        declare("BROADSHEET_TEST_LIMIT", "5", "A test limit.", parse_positive_int)
    REGISTRY.pop("BROADSHEET_TEST_LIMIT")


@pytest.mark.parametrize("raw", ["10", "10/x", "0/m", "ten/m"])
def test_a_malformed_rate_is_refused(raw):
    with pytest.raises(ValueError):
        parse_rate(raw)


def test_the_example_behind_a_load_balancer_names_its_proxies_and_origin():
    example = DOCS.read_text().partition("Many app processes sharing PostgreSQL and Redis")[2]
    example = example.partition("```sh")[2].partition("```")[0]
    exported = re.findall(r"\b([A-Z][A-Z0-9_]+)=", example)
    assert {"TRUSTED_PROXIES", "CSRF_TRUSTED_ORIGINS", "TRUSTED_PROXY_HEADER"} <= set(exported)
    assert [name for name in exported if name not in REGISTRY] == []
