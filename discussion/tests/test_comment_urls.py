"""The links on every comment are the ones Django's ``{% url %}`` makes, however they are made."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.urls import clear_script_prefix, set_script_prefix

NAMES = ["discussion:reply_form", "discussion:comment_react", "moderation:report"]


def _both(name: str, pk: int) -> tuple[str, str]:
    template = Template("{% load comment_urls %}{% comment_url name pk %}|{% url name pk %}")
    fast, django = template.render(Context({"name": name, "pk": pk})).split("|")
    return fast, django


@pytest.mark.parametrize("name", NAMES)
def test_a_comments_links_match_django_url_tag(name):
    for pk in (1, 42, 987654321, 10**17 + 3):
        fast, django = _both(name, pk)
        assert fast == django
        assert str(pk) in fast


def test_the_links_follow_a_site_served_under_a_path_prefix():
    set_script_prefix("/paper/")
    try:
        fast, django = _both("discussion:comment_react", 7)
    finally:
        clear_script_prefix()
    assert fast == django
    assert fast.startswith("/paper/")
