"""Migration 0003 gives the readers already there the loose key of their name."""

from __future__ import annotations

import importlib

import pytest
from django.contrib.auth import get_user_model
from django.db import connection

from accounts.models import Reader
from accounts.names import name_loose_key
from accounts.services import reader_create

pytestmark = pytest.mark.django_db

migration = importlib.import_module("accounts.migrations.0003_reader_name_loose")


def test_the_backfill_gives_every_reader_the_loose_key_of_their_name(monkeypatch):
    monkeypatch.setattr(migration, "BATCH", 2)  # three readers: a full batch, then a short one
    names = ["Demo Reader", "O'Neil-Smith", "..."]
    for n, name in enumerate(names):
        user = get_user_model().objects.create_user(f"u{n}", f"u{n}@example.com", "x")
        reader_create(user=user, display_name=name)
    Reader.objects.update(name_loose="")  # as the column is added, before the backfill

    migration.name_loose_fill(reader_model=Reader, using=connection.alias)

    stored = dict(Reader.objects.values_list("display_name", "name_loose"))
    assert stored == {name: name_loose_key(name) for name in names}
