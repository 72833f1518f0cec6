"""The page cache makes each reader's CSRF form token itself (core.pagecache): Django must read
every one back as the reader's secret, or a cached page's comment form would be refused."""

from django.middleware.csrf import (
    CSRF_ALLOWED_CHARS,
    CSRF_SECRET_LENGTH,
    _check_token_format,
    _does_token_match,
    _get_new_csrf_string,
    _unmask_cipher_token,
)

from core import pagecache


def test_a_returning_readers_masked_token_unmasks_to_their_cookies_secret():
    # Many secrets, so every character sits at every place in some of them.
    for _ in range(500):
        secret = _get_new_csrf_string()
        token = pagecache._masked_csrf(secret)
        _check_token_format(token)  # raises on a wrong length or a character Django refuses
        assert _unmask_cipher_token(token) == secret


def test_a_new_readers_token_is_read_by_django_as_the_secret_set_in_their_cookie():
    seen = set()
    for _ in range(500):
        secret, token = pagecache._fresh_csrf()
        assert len(secret) == CSRF_SECRET_LENGTH and set(secret) <= set(CSRF_ALLOWED_CHARS)
        _check_token_format(token)
        assert _does_token_match(token, secret)
        seen.add(secret)
    assert len(seen) == 500  # each reader gets a secret of their own
