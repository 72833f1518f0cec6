"""A mail server on loopback that offers STARTTLS and fails the TLS handshake the way a test
asks: ``"cut"`` closes the connection in the middle of it (a server restarting, a middlebox
dropping it: the client reads an EOF), ``"unverified"`` completes it with a self-signed
certificate, which the site's mail client does not trust. Nothing is ever delivered."""

from __future__ import annotations

import contextlib
import datetime
import socket
import ssl
import threading
from collections.abc import Iterator
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID


def _self_signed_context(folder: Path) -> ssl.SSLContext:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    (folder / "cert.pem").write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    (folder / "key.pem").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(folder / "cert.pem", folder / "key.pem")
    return context


def _converse(connection: socket.socket, how: str, context: ssl.SSLContext | None) -> None:
    with connection, connection.makefile("rwb") as stream:
        stream.write(b"220 mail.test ESMTP\r\n")
        stream.flush()
        while line := stream.readline():
            command = line.strip().upper()
            if command.startswith((b"EHLO", b"HELO")):
                stream.write(b"250-mail.test\r\n250 STARTTLS\r\n")
            elif command == b"STARTTLS":
                stream.write(b"220 Ready to start TLS\r\n")
                stream.flush()
                if how == "cut":
                    connection.recv(4096)  # the client's hello, then nothing
                else:
                    with contextlib.suppress(OSError):  # the client refuses the certificate
                        context.wrap_socket(connection, server_side=True).close()
                return
            else:
                stream.write(b"502 Not here\r\n")
            stream.flush()


@contextlib.contextmanager
def starttls_server(how: str, folder: Path) -> Iterator[int]:
    """The server (``how``: "cut" or "unverified"), listening on loopback; its port."""
    context = _self_signed_context(folder) if how == "unverified" else None
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.1)
    stopped = threading.Event()

    def serve() -> None:
        while not stopped.is_set():
            try:
                connection, _ = listener.accept()
            except TimeoutError:
                continue
            connection.settimeout(5)
            with contextlib.suppress(OSError):
                _converse(connection, how, context)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1]
    finally:
        stopped.set()
        thread.join()
        listener.close()
