"""A loopback TCP proxy in front of the test's PostgreSQL that a test cuts and restores: the
database going away and coming back, as an app process sees it, without touching the server
that others use.

``cut()`` ends every session it relays (each side's socket shut, so the app's connections read
as closed by the server and PostgreSQL's backends end) and refuses new connections, as a
stopped server does; ``restore()`` listens again on the same port and relays anew.
"""

from __future__ import annotations

import contextlib
import socket
import threading


class LoopbackProxy:
    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.sessions = 0  # connections relayed, ever
        self._pairs: list[tuple[socket.socket, socket.socket]] = []
        self._listener = socket.socket()
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self._serve(self._listener)

    def _serve(self, listener: socket.socket) -> None:
        listener.listen()
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                near, _ = listener.accept()
            except OSError:
                return  # cut
            far = socket.create_connection(self.target)
            self._pairs.append((near, far))
            self.sessions += 1
            for source, sink in ((near, far), (far, near)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass  # cut
        _shut(sink)

    def cut(self) -> None:
        # shutdown() wakes the thread blocked in accept(); close() alone leaves it listening.
        _shut(self._listener)
        self._listener.close()
        pairs, self._pairs = self._pairs, []
        for near, far in pairs:
            for each in (near, far):
                _shut(each)
                each.close()

    def restore(self) -> None:
        self._listener = socket.socket()
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", self.port))
        self._serve(self._listener)

    def close(self) -> None:
        self.cut()


def _shut(each: socket.socket) -> None:
    with contextlib.suppress(OSError):  # not connected, or closed already
        each.shutdown(socket.SHUT_RDWR)
