"""The site's search backend: Wagtail's database backend, the one it picks for the database in
use, with a reader's double quotes taken as no more than the space between words on SQLite.

SQLite's full-text search (FTS5) reads ``"`` as the start or end of a string, and the database
backend puts each word of a query between quotes without escaping those it holds: a query with
one ``"`` (``"grain``, ``it"s``, a bot's probe) was an "unterminated string" error, a 500 on the
site's search page and on the admin's page and image listings (wagtail/wagtail#13227). Here each
word's quotes are taken out before the backend quotes it, and a phrase's are doubled, which is
how FTS5 writes a ``"`` inside a string. PostgreSQL's backend quotes its words itself, and is
used as Wagtail gives it.
"""

from __future__ import annotations

from django.db import connection
from modelsearch.backends.database import SearchBackend as database_backend
from modelsearch.query import Phrase, PlainText


def _quotes_as_text(query):
    if isinstance(query, PlainText):
        unquoted = query.query_string.replace('"', " ")
        if not unquoted.split():
            # Nothing but quotes: searched for as the text it is (a word of ``""``, FTS5's
            # ``"``), which finds nothing; with no word at all the backend fails.
            unquoted = query.query_string.replace('"', '""')
        return PlainText(unquoted, operator=query.operator, boost=query.boost)
    if isinstance(query, Phrase):
        return Phrase(query.query_string.replace('"', '""'))
    return query


def SearchBackend(params):  # noqa: N802 - the name Wagtail looks a backend module up by
    backend = database_backend(params)
    if connection.vendor != "sqlite":
        return backend
    # Imported only on SQLite: the module's models exist only there.
    from modelsearch.backends.database.sqlite import sqlite as fts  # noqa: PLC0415

    if not isinstance(backend, fts.SQLiteSearchBackend):  # SQLite built without FTS5
        return backend

    class SearchQueryCompiler(fts.SQLiteSearchQueryCompiler):
        def build_search_query_content(self, query, config=None):
            return super().build_search_query_content(_quotes_as_text(query), config=config)

    class AutocompleteQueryCompiler(fts.SQLiteAutocompleteQueryCompiler):
        def build_search_query_content(self, query, config=None):
            return super().build_search_query_content(_quotes_as_text(query), config=config)

    backend.query_compiler_class = SearchQueryCompiler
    backend.autocomplete_query_compiler_class = AutocompleteQueryCompiler
    return backend
