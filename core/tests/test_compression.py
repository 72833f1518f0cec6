"""gzip for what Django draws per reader (core.middleware.CompressedAnswers)."""

from __future__ import annotations

import gzip

import pytest

from discussion.services import thread_ensure
from discussion.tests.factories import make_comment
from newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db

GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}


@pytest.fixture
def article():
    article = make_article()
    thread = thread_ensure(page=article)
    for n in range(30):
        make_comment(thread, f"Comment number {n} on the story, with something to say.")
    return article


def test_a_signed_in_readers_article_page_comes_gzipped_and_reads_the_same(
    client, article, django_user_model
):
    client.force_login(django_user_model.objects.create_user("ada", "ada@example.com", "pw"))
    plain = client.get(article.url)
    packed = client.get(article.url, **GZIP)

    assert "Content-Encoding" not in plain
    assert packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"]
    page = gzip.decompress(packed.content).decode()
    assert "Comment number 29 on the story" in page
    assert len(packed.content) < len(plain.content) / 3


def test_a_live_stream_is_never_gzipped(client, article):
    thread = thread_ensure(page=article)
    response = client.get(f"/discussion/threads/{thread.pk}/events/", **GZIP)
    assert response["Content-Type"].startswith("text/event-stream")
    assert "Content-Encoding" not in response
    response.close()


def test_an_image_is_sent_as_it_is(client, settings):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    name = default_storage.save("test-compression/pixel.png", ContentFile(b"\x89PNG" + b"0" * 4096))
    response = client.get(f"{settings.MEDIA_URL}{name}", **GZIP)
    assert response.status_code == 200
    assert "Content-Encoding" not in response
    default_storage.delete(name)
