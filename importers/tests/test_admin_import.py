"""Settings > Import comments in the Wagtail admin: a superuser uploads an export, the task
worker imports it through the same path as ``manage.py import_comments``, and the import's page
shows the report."""

from __future__ import annotations

import gzip

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from core.ratelimit import wait_in_words
from discussion.models import Comment
from importers.models import ImportRun
from importers.tests.exports import (
    disqus,
    disqus_post,
    disqus_thread,
    wordpress,
    wp_comment,
    wp_item,
)
from newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db

URL = "/admin/comments-import/"


@pytest.fixture(autouse=True)
def _tasks_and_uploads(settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.VAR_DIR = tmp_path


@pytest.fixture
def boss(client, django_user_model):
    user = django_user_model.objects.create_superuser("boss", "b@example.com", "pw")
    client.force_login(user)
    return user


def _export(article) -> bytes:
    link = f"https://old.example.com{article.url}"
    return disqus(
        disqus_thread("t1", link),
        disqus_post("p1", "t1", "<p>First from Disqus.</p>"),
        disqus_post("p2", "t1", "<p>A reply.</p>", name="Petro", parent="p1"),
    )


def _upload(client, data: bytes, platform: str = "disqus", name: str = "export.xml"):
    return client.post(
        URL, {"platform": platform, "file": SimpleUploadedFile(name, data, "text/xml")}
    )


def test_an_uploaded_export_is_imported_and_its_page_shows_the_report(
    client, boss, tmp_path, django_capture_on_commit_callbacks
):
    article = make_article()
    assert b"Import comments" in client.get("/admin/").content  # Settings > Import comments

    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(client, _export(article))

    run = ImportRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{URL}{run.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "Done" in page
    assert "2 comments imported" in page
    assert sorted(Comment.objects.filter(thread__page=article).values_list("body", flat=True)) == [
        "A reply.",
        "First from Disqus.",
    ]
    # The file (readers' addresses among its contents) is not kept once imported.
    assert not any(path.is_file() for path in (tmp_path / "imports").rglob("*"))
    assert "export.xml" in client.get(URL).content.decode()  # listed under Recent imports


def test_a_wordpress_import_is_called_wordpress_and_counts_one_discussion_as_one(
    client, boss, django_capture_on_commit_callbacks
):
    article = make_article()
    data = wordpress(
        wp_item("41", "https://old.example.com/x/", article.slug, wp_comment("6", "Kept."))
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(client, data, platform="wordpress")

    page = client.get(response["Location"]).content.decode()
    assert "from WordPress" in page and "Wordpress" not in page
    assert "1 discussion read, 0 of those with comments have no article here" in page
    assert "1 comment imported" in page
    listing = client.get(URL).content.decode()
    assert "<td>WordPress</td>" in listing and "Wordpress" not in listing


def test_a_file_that_cannot_be_read_stops_with_the_reason_and_imports_nothing(
    client, boss, django_capture_on_commit_callbacks
):
    article = make_article()
    cut_short = _export(article)[:-40]

    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(client, cut_short)

    page = client.get(response["Location"]).content.decode()
    assert "Stopped" in page
    assert "Nothing was imported." in page
    assert not Comment.objects.exists()


def _wordpress_export(article) -> bytes:
    return wordpress(
        wp_item("41", "https://old.example.com/x/", article.slug, wp_comment("6", "Kept."))
    )


def _broadsheet_export(article) -> bytes:
    return (
        b'{"format": "broadsheet-comments", "version": 1, "site": "another-site"}\n'
        b'{"type": "thread", "id": 1, "url": "https://old.example.com'
        + article.url.encode()
        + b'"}\n{"type": "comment", "id": 10, "thread_id": 1, "author_name": "Olena", '
        b'"status": "published", "body": "Hello.", "created_at": "2024-05-01T09:00:00Z"}\n'
    )


EXPORTS = {"disqus": _export, "wordpress": _wordpress_export, "broadsheet": _broadsheet_export}


def _field_errors(page: str, field: str) -> str:
    """The text of the error shown with the form's ``field``."""
    soup = BeautifulSoup(page, "html.parser")
    wrapper = soup.find(attrs={"data-field-wrapper": True}, id=f"id_{field}-wrapper") or next(
        tag for tag in soup.select("[data-field-wrapper]") if tag.find(attrs={"name": field})
    )
    return " ".join(error.get_text(" ", strip=True) for error in wrapper.select(".error-message"))


def _chosen_platform(page: str) -> str:
    return BeautifulSoup(page, "html.parser").select_one('input[name="platform"][checked]')["value"]


@pytest.mark.parametrize(
    ("kind", "chosen", "name", "as_chosen"),
    [
        ("disqus", "wordpress", "Disqus", "WordPress"),
        ("wordpress", "disqus", "WordPress", "Disqus"),
        ("disqus", "broadsheet", "Disqus", "Broadsheet"),
        ("broadsheet", "wordpress", "Broadsheet", "WordPress"),
    ],
)
def test_an_export_uploaded_as_another_platform_is_refused_on_the_form_naming_its_own(
    client, boss, tmp_path, django_capture_on_commit_callbacks, kind, chosen, name, as_chosen
):
    article = make_article()

    with django_capture_on_commit_callbacks() as queued:
        response = _upload(client, EXPORTS[kind](article), platform=chosen)

    assert response.status_code == 400
    page = response.content.decode()
    assert _field_errors(page, "platform") == (
        f"This file looks like a {name} export, not a {as_chosen} one: choose {name}, then "
        "choose the file again."
    )
    assert _chosen_platform(page) == chosen  # what the user chose stays chosen
    assert not ImportRun.objects.exists() and queued == []
    assert not any(path.is_file() for path in tmp_path.rglob("*"))  # nothing stored either
    assert not Comment.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        b"<html><body>Not an export</body></html>",
        b'<?xml version="1.0"?>\n<rss version="2.0"><channel><title>A feed</title></channel></rss>',
        b"author,comment\nOlena,Hello\n",
        b'{"format": "something-else"}\n',
    ],
    ids=["html", "plain-rss", "csv", "other-json"],
)
def test_a_file_that_is_no_export_is_refused_on_the_form_saying_so(
    client, boss, django_capture_on_commit_callbacks, data
):
    with django_capture_on_commit_callbacks() as queued:
        response = _upload(client, data, platform="wordpress")

    assert response.status_code == 400
    page = response.content.decode()
    assert _field_errors(page, "file").startswith("This file is not a comment export: a Disqus")
    assert _field_errors(page, "platform") == ""
    assert _chosen_platform(page) == "wordpress"
    assert not ImportRun.objects.exists() and queued == []


def test_a_gzipped_export_is_refused_on_the_form_saying_to_unpack_it(client, boss):
    response = _upload(
        client, gzip.compress(_export(make_article())), platform="disqus", name="export.xml.gz"
    )

    assert response.status_code == 400
    assert _field_errors(response.content.decode(), "file") == (
        "This file is compressed (a .gz or .zip archive): unpack it and upload the export file "
        "inside."
    )
    assert not ImportRun.objects.exists()


def test_an_export_with_a_doctype_is_refused_on_the_form_without_reading_its_entities(client, boss):
    billion_laughs = (
        b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>\n'
        b'<disqus xmlns="http://disqus.com">&lol2;</disqus>\n'
    )

    response = _upload(client, billion_laughs, platform="disqus")

    assert response.status_code == 400
    assert _field_errors(response.content.decode(), "file").startswith(
        "This file declares a DOCTYPE, which no Disqus or WordPress export has, so it was not read"
    )
    assert not ImportRun.objects.exists()


def test_a_file_over_the_limit_is_refused_on_the_form_with_the_platform_kept(
    client, boss, settings
):
    settings.IMPORT_MAX_MB = 1
    big = b" " * (1024 * 1024 + 1)

    response = _upload(client, big, platform="wordpress")

    assert response.status_code == 400
    page = response.content.decode()
    assert "the import limit is 1,048,576" in page
    assert 'value="wordpress" required id="id_platform_1" checked>' in page
    assert not ImportRun.objects.exists()


def test_an_upload_past_the_import_rate_is_refused_with_the_platform_kept_and_imports_nothing(
    client, boss, settings, django_capture_on_commit_callbacks
):
    settings.IMPORT_RATE = "1/d"  # a day's window: the two uploads cannot straddle two
    article = make_article()
    with django_capture_on_commit_callbacks(execute=True):
        assert _upload(client, _export(article)).status_code == 302

    response = _upload(client, _wordpress_export(article), platform="wordpress")

    assert response.status_code == 429
    page = response.content.decode()
    assert "nothing was imported" in page and "Choose the file again" in page
    assert 'value="wordpress" required id="id_platform_1" checked>' in page
    assert ImportRun.objects.count() == 1


def test_uploads_refused_on_the_form_do_not_use_up_the_import_rate(
    client, boss, settings, django_capture_on_commit_callbacks
):
    settings.IMPORT_RATE = "2/d"  # a day's window: the uploads cannot straddle two
    article = make_article()
    assert _upload(client, b"author,comment\nOlena,Hello\n").status_code == 400  # no export
    wrong_platform = _upload(client, _export(article), platform="wordpress")
    assert wrong_platform.status_code == 400

    with django_capture_on_commit_callbacks(execute=True):
        assert _upload(client, _export(article)).status_code == 302
        assert _upload(client, _export(article)).status_code == 302

    assert ImportRun.objects.count() == 2
    assert _upload(client, _export(article)).status_code == 429  # imports are still limited


def test_refused_uploads_past_the_import_rate_are_told_to_wait_and_an_export_still_imports(
    client, boss, settings, django_capture_on_commit_callbacks
):
    settings.IMPORT_RATE = "1/d"
    article = make_article()
    assert _upload(client, b"author,comment\nOlena,Hello\n").status_code == 400

    response = _upload(client, b"author,comment\nOlena,Hello\n")

    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    page = response.content.decode()
    assert "as many files that cannot be imported as this site allows" in page
    wait = wait_in_words(int(response["Retry-After"]))  # a day's window: in hours
    assert f"{wait}, then send any other file again." in page
    assert _field_errors(page, "file").startswith("This file is not a comment export")
    with django_capture_on_commit_callbacks(execute=True):
        assert _upload(client, _export(article)).status_code == 302
    assert ImportRun.objects.count() == 1


def test_an_import_form_sent_with_no_fields_past_the_import_rate_is_told_to_wait(
    client, boss, settings
):
    """A POST that carries no form fields (sent as text/plain, or with an empty body) is a form
    sent empty: refused, and past the rate told to wait like any other refused upload. It was
    read as no form sent at all, and past the rate its refusal had no form to go on: a 500."""
    settings.IMPORT_RATE = "1/d"  # a day's window: the two posts cannot straddle two
    first = client.post(URL, "platform=disqus", content_type="text/plain")
    assert first.status_code == 400
    assert _field_errors(first.content.decode(), "file") == "This field is required."

    response = client.post(URL, "platform=disqus", content_type="text/plain")

    assert response.status_code == 429
    assert "as many files that cannot be imported" in response.content.decode()
    assert not ImportRun.objects.exists()


def test_a_moderator_who_is_not_a_superuser_may_not_import(client, django_user_model):
    article = make_article()
    moderator = django_user_model.objects.create_user("mod", "m@example.com", "pw")
    group = Group.objects.create(name="Night desk")
    group.permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="moderate_comments"),
    )
    moderator.groups.add(group)
    client.force_login(moderator)

    for response in (client.get(URL), _upload(client, _export(article))):
        assert (response.status_code, response["Location"]) == (302, "/admin/")
    assert not ImportRun.objects.exists()
    assert b"Import comments" not in client.get("/admin/").content


def test_an_upload_without_the_csrf_token_is_refused(django_user_model):
    client = Client(enforce_csrf_checks=True)
    client.force_login(django_user_model.objects.create_superuser("boss", "b@example.com", "pw"))

    response = _upload(client, _export(make_article()))

    assert response.status_code == 403
    assert not ImportRun.objects.exists()


def test_an_import_that_has_not_stopped_is_not_run_again(
    client, boss, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        run_url = _upload(client, _export(make_article()))["Location"]

    response = client.post(f"{run_url}again/", follow=True)

    assert "This import has not stopped: it is done. Nothing was changed." in (
        response.content.decode()
    )
    assert ImportRun.objects.get().status == ImportRun.Status.DONE
    assert Comment.objects.count() == 2


def test_running_an_import_again_without_the_csrf_token_is_refused(django_user_model):
    client = Client(enforce_csrf_checks=True)
    client.force_login(django_user_model.objects.create_superuser("boss", "b@example.com", "pw"))
    run = ImportRun.objects.create(
        platform="disqus", file_name="x.xml", size=1, status=ImportRun.Status.FAILED
    )

    response = client.post(f"{URL}{run.pk}/again/")

    assert response.status_code == 403
    assert ImportRun.objects.get().status == ImportRun.Status.FAILED
