"""A tiny OpenID Connect provider on 127.0.0.1, enough for allauth's authorization-code flow.

It serves discovery, an authorize endpoint that consents at once (302 back with a code and the
state it was given), a token endpoint and a userinfo endpoint. The id_token is signed HS256 with
the client secret, which OpenID Connect allows; allauth checks its issuer, audience and expiry but
not its signature, because it fetched the token itself from the token endpoint (OIDC Core 3.1.3.7).
So the JWKS served is empty and no RSA key is needed.
"""

from __future__ import annotations

import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt


class FakeOidcProvider:
    """Start with :meth:`start`, stop with :meth:`stop`; ``claims`` is the user who consents."""

    def __init__(self, *, client_id: str, client_secret: str, claims: dict) -> None:
        self.client_id = client_id
        self.client_secret = client_secret
        self.claims = claims
        self.codes: dict[str, str | None] = {}  # issued code -> nonce sent with it
        self.access_tokens: set[str] = set()
        self.token_requests = 0
        self.id_token_audience = client_id  # a test may make it name another client
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def issuer(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> FakeOidcProvider:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    # --- endpoints, each returning (status, headers, json body or None) ----------------------

    def discovery(self, query: dict) -> tuple[int, dict, dict | None]:
        return (
            200,
            {},
            {
                "issuer": self.issuer,
                "authorization_endpoint": f"{self.issuer}/authorize",
                "token_endpoint": f"{self.issuer}/token",
                "userinfo_endpoint": f"{self.issuer}/userinfo",
                "jwks_uri": f"{self.issuer}/jwks",
                "token_endpoint_auth_methods_supported": ["client_secret_post"],
            },
        )

    def jwks(self, query: dict) -> tuple[int, dict, dict | None]:
        return 200, {}, {"keys": []}

    def authorize(self, query: dict) -> tuple[int, dict, dict | None]:
        if query.get("client_id") != self.client_id or "redirect_uri" not in query:
            return 400, {}, {"error": "invalid_request"}
        code = secrets.token_urlsafe(16)
        self.codes[code] = query.get("nonce")
        back = {"code": code, "state": query.get("state", "")}
        return 302, {"Location": f"{query['redirect_uri']}?{urlencode(back)}"}, None

    def token(self, form: dict) -> tuple[int, dict, dict | None]:
        self.token_requests += 1
        if form.get("client_id") != self.client_id or form.get("client_secret") != (
            self.client_secret
        ):
            return 401, {}, {"error": "invalid_client"}
        if form.get("code") not in self.codes:
            return 400, {}, {"error": "invalid_grant"}
        nonce = self.codes.pop(form["code"])  # a code works once
        access_token = secrets.token_urlsafe(16)
        self.access_tokens.add(access_token)
        now = int(time.time())
        id_claims = {"iss": self.issuer, "aud": self.id_token_audience, "sub": self.claims["sub"]}
        id_claims |= {"iat": now, "exp": now + 300} | ({"nonce": nonce} if nonce else {})
        id_token = jwt.encode(id_claims, self.client_secret, algorithm="HS256")
        body = {"access_token": access_token, "token_type": "Bearer", "expires_in": 300}
        return 200, {}, body | {"id_token": id_token}

    def userinfo(self, headers) -> tuple[int, dict, dict | None]:
        token = headers.get("Authorization", "").removeprefix("Bearer ")
        if token not in self.access_tokens:
            return 401, {}, {"error": "invalid_token"}
        return 200, {}, self.claims


def _handler_for(provider: FakeOidcProvider) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            url = urlsplit(self.path)
            query = {k: v[0] for k, v in parse_qs(url.query).items()}
            routes = {
                "/.well-known/openid-configuration": provider.discovery,
                "/jwks": provider.jwks,
                "/authorize": provider.authorize,
            }
            if url.path == "/userinfo":
                self._answer(*provider.userinfo(self.headers))
            elif url.path in routes:
                self._answer(*routes[url.path](query))
            else:
                self._answer(404, {}, {"error": "not_found"})

        def do_POST(self) -> None:  # noqa: N802
            length = int(self.headers.get("Content-Length") or 0)
            form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
            if urlsplit(self.path).path == "/token":
                self._answer(*provider.token(form))
            else:
                self._answer(404, {}, {"error": "not_found"})

        def _answer(self, status: int, headers: dict, body: dict | None) -> None:
            payload = json.dumps(body).encode() if body is not None else b""
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format, *args) -> None:  # keep test output quiet
            pass

    return Handler
