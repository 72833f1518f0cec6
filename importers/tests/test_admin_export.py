"""Settings > Export comments in the Wagtail admin: the export file, for superusers only."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import Group, Permission
from django.http import StreamingHttpResponse

from discussion.models import Comment
from discussion.services import thread_ensure
from discussion.tests.factories import make_comment
from newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db

URL = "/admin/comments-export/"


def _download(client, **form) -> list[dict]:
    response = client.post(URL, form)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="comments-')
    return [json.loads(line) for line in b"".join(response.streaming_content).splitlines()]


def test_a_superuser_downloads_every_comment_as_the_export_file(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("boss", "b@example.com", "pw"))
    thread = thread_ensure(page=make_article())
    first = make_comment(thread, "First.", name="Olena")
    make_comment(thread, "A reply.", name="Petro", parent=first)
    Comment.objects.filter(pk=first.pk).update(author_email="olena@example.org")

    assert b"Export comments" in client.get("/admin/").content  # Settings > Export comments
    assert b"Download the comments" in client.get(URL).content
    plain = _download(client)
    with_emails = _download(client, with_emails="on")

    assert plain[0]["format"] == "broadsheet-comments"
    assert [line["body"] for line in plain if line.get("type") == "comment"] == [
        "First.",
        "A reply.",
    ]
    assert "author_email" not in plain[2]
    assert with_emails[2]["author_email"] == "olena@example.org"


def test_the_export_page_points_to_the_admins_own_import_page(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("boss", "b@example.com", "pw"))

    page = client.get(URL).content.decode()

    assert 'href="/admin/comments-import/"' in page
    assert client.get("/admin/comments-import/").status_code == 200


def test_a_moderator_who_is_not_a_superuser_may_not_export(client, django_user_model):
    moderator = django_user_model.objects.create_user("mod", "m@example.com", "pw")
    group = Group.objects.create(name="Night desk")
    group.permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="moderate_comments"),
    )
    moderator.groups.add(group)
    client.force_login(moderator)

    # Wagtail answers a PermissionDenied in the admin with a redirect to its dashboard.
    for response in (client.get(URL), client.post(URL)):
        assert (response.status_code, response["Location"]) == (302, "/admin/")
        assert not isinstance(response, StreamingHttpResponse)
    assert b"Export comments" not in client.get("/admin/").content
