"""Can a Wagtail view restriction apply to a page? Asked inside the query that reads the page.

Wagtail finds a page's restrictions with two queries (its ancestors, for aliases; then the
restrictions of it and of them) each time it serves the page. Most pages of a news site have
none. :class:`MaybePrivate` is a pair of ``EXISTS`` to put in the query that reads the page
anyway (the route's, the thread's): true when a restriction sits on the page or a page above it,
or when one of those is an alias (whose original's restrictions apply). Only when it is true need
anyone ask Wagtail which restrictions apply and whether they let the request in.

A page's tree ``path`` starts with the path of each page above it. The SQL is written out
rather than built from querysets: Django took about a millisecond to compile the two subqueries
on every request, ten times what the database took to run them.
"""

from __future__ import annotations

from django.db.models import BooleanField, Func
from wagtail.models import Page, PageViewRestriction


class MaybePrivate(Func):
    """``MaybePrivate(F("path"))``: true for a page whose tree path (the expression given, a
    column of the outer query) starts with the path of a restricted page or of an alias."""

    output_field = BooleanField()
    arity = 1

    def as_sql(self, compiler, connection, **extra):
        quote = connection.ops.quote_name
        restriction = quote(PageViewRestriction._meta.db_table)
        page = quote(Page._meta.db_table)
        on_path = "SUBSTR(%(expressions)s, 1, LENGTH({alias}.path)) = {alias}.path"
        template = (
            # Fixed text: table names from the models, quoted; no value is put in.
            f"(EXISTS (SELECT 1 FROM {restriction} bs_restriction "  # noqa: S608
            f"JOIN {page} bs_restricted ON bs_restricted.id = bs_restriction.page_id "
            f"WHERE {on_path.format(alias='bs_restricted')}) "
            f"OR EXISTS (SELECT 1 FROM {page} bs_alias WHERE bs_alias.alias_of_id IS NOT NULL "
            f"AND {on_path.format(alias='bs_alias')}))"
        )
        return super().as_sql(compiler, connection, template=template, **extra)
