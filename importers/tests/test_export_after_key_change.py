"""An export this site made before the operator changed the secret key (the old key kept in
SECRET_KEY_FALLBACKS, docs/deploy.md) is still known for this site's own, and importing it is
refused rather than copying every comment: its ``site`` mark was checked with SECRET_KEY alone."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from discussion.models import Comment
from discussion.services import thread_ensure
from discussion.tests.factories import make_comment
from newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db

OLD_KEY = "the-old-key-" + "o" * 50
NEW_KEY = "the-new-key-" + "n" * 50


def test_an_export_made_under_the_old_key_is_refused_while_it_is_a_fallback(tmp_path, settings):
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = OLD_KEY, []
    make_comment(thread_ensure(page=make_article()), "Already here.", name="Olena")
    path = tmp_path / "comments.jsonl"
    call_command("export_comments", str(path), stderr=io.StringIO())
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = NEW_KEY, [OLD_KEY]

    with pytest.raises(CommandError, match="made by this site"):
        call_command("import_comments", "broadsheet", str(path), "--quiet", stdout=io.StringIO())

    assert Comment.objects.count() == 1
