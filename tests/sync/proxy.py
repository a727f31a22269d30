"""A small TLS-terminating HTTP proxy under the test's control, for fault injection between the
hall's sync client and a real server.

It presents a certificate from the test's throw-away CA, reads each HTTP/1.1 request, asks
``choose(method, path)`` for a :class:`Fault`, and acts it out:

* ``NONE`` — forward to the upstream server (over TLS, ``Connection: close``) and relay the
  answer;
* ``RESET_BEFORE`` — reset the connection after the request arrived, before forwarding it;
* ``RESET_AFTER`` — forward, let the server commit and answer, then reset instead of relaying
  the answer (the classic "did it happen?" fault);
* ``DELAY`` — hold the request ``delay`` seconds (beyond the client's read time-out), then
  forward it anyway: the server applies it late, while the client is already retrying;
* ``ERROR_500`` — forward and let the server commit, then answer 500 instead of its answer;
* ``ERROR_503`` — answer 503 without forwarding.

:meth:`refuse` closes the listening socket, so connecting is refused until :meth:`listen`.
An upstream that is down (killed) gives 502, as a real reverse proxy would.
"""

from __future__ import annotations

import enum
import socket
import ssl
import struct
import threading
import time
from collections import Counter
from collections.abc import Callable

__all__ = ["Fault", "FaultProxy"]


class Fault(enum.Enum):
    NONE = "none"
    RESET_BEFORE = "reset_before"
    RESET_AFTER = "reset_after"
    DELAY = "delay"
    ERROR_500 = "500"
    ERROR_503 = "503"


def _reset(sock: socket.socket) -> None:
    """Close with RST (SO_LINGER 0), not a polite FIN."""
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    except OSError:
        pass
    try:
        sock.close()
    except OSError:
        pass


def _answer(status: int, reason: str) -> bytes:
    body = b'{"detail":"injected"}'
    return (
        f"HTTP/1.1 {status} {reason}\r\ncontent-type: application/json\r\n"
        f"content-length: {len(body)}\r\n"
        "connection: close\r\n\r\n"
    ).encode() + body


class FaultProxy:
    """See the module docstring. ``port`` is fixed for the proxy's life (re-listened after
    :meth:`refuse`)."""

    def __init__(
        self,
        upstream_port: int,
        server_context: ssl.SSLContext,
        client_context: ssl.SSLContext,
        choose: Callable[[str, str], Fault] | None = None,
        *,
        delay: float = 2.0,
    ) -> None:
        self.upstream_port = upstream_port
        self.server_context = server_context
        self.client_context = client_context
        self.choose = choose or (lambda method, path: Fault.NONE)
        self.delay = delay
        self.counts: Counter[str] = Counter()
        self._lock = threading.Lock()
        self._closing = threading.Event()
        self._threads: list[threading.Thread] = []
        self._conns: set[socket.socket] = set()
        probe = socket.socket()
        probe.bind(("127.0.0.1", 0))
        self.port = int(probe.getsockname()[1])
        probe.close()
        self._listener: socket.socket | None = None
        self._acceptor: threading.Thread | None = None
        self.listen()

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.port}"

    # ------------------------------------------------------------------ control

    def listen(self) -> None:
        sock = socket.socket()
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", self.port))
        sock.listen(64)
        sock.settimeout(0.2)
        self._listener = sock
        self._acceptor = threading.Thread(
            target=self._accept, args=(sock,), name="fault-proxy", daemon=True
        )
        self._acceptor.start()

    def refuse(self) -> None:
        """Stop listening: new connections are refused (ECONNREFUSED) until :meth:`listen`."""
        sock, self._listener = self._listener, None
        if sock is not None:
            sock.close()
        if self._acceptor is not None:
            self._acceptor.join(5)
            self._acceptor = None

    def close(self) -> None:
        self._closing.set()
        self.refuse()
        with self._lock:
            conns = list(self._conns)
        for c in conns:
            _reset(c)
        for t in list(self._threads):
            t.join(10)

    # ------------------------------------------------------------------ the work

    def _accept(self, listener: socket.socket) -> None:
        while self._listener is listener and not self._closing.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            t = threading.Thread(
                target=self._serve, args=(conn,), name="fault-proxy-conn", daemon=True
            )
            with self._lock:
                self._threads = [x for x in self._threads if x.is_alive()]
                self._threads.append(t)
            t.start()

    def _serve(self, raw: socket.socket) -> None:
        raw.settimeout(30)
        try:
            conn = self.server_context.wrap_socket(raw, server_side=True)
        except (OSError, ssl.SSLError):
            _reset(raw)
            return
        with self._lock:
            self._conns.add(conn)
        try:
            reader = conn.makefile("rb")
            while not self._closing.is_set():
                request = self._read_request(reader)
                if request is None:
                    break
                method, path, data = request
                fault = self.choose(method, path)
                with self._lock:
                    self.counts[fault.value] += 1
                if fault is Fault.RESET_BEFORE:
                    _reset(conn)
                    return
                if fault is Fault.ERROR_503:
                    conn.sendall(_answer(503, "Service Unavailable"))
                    break
                if fault is Fault.DELAY:
                    time.sleep(self.delay)
                answer = self._forward(data)
                if fault is Fault.RESET_AFTER:
                    _reset(conn)
                    return
                if fault is Fault.ERROR_500:
                    conn.sendall(_answer(500, "Internal Server Error"))
                    break
                conn.sendall(answer)
                break  # the upstream answered with Connection: close
        except (OSError, ssl.SSLError, ValueError):
            pass
        finally:
            with self._lock:
                self._conns.discard(conn)
            try:
                conn.close()
            except OSError:
                pass

    @staticmethod
    def _read_request(reader: object) -> tuple[str, str, bytes] | None:
        lines: list[bytes] = []
        length = 0
        while True:
            line = reader.readline(65536)  # type: ignore[attr-defined]
            if not line:
                return None
            if line in (b"\r\n", b"\n"):
                break
            lines.append(line)
        if not lines:
            return None
        method, path, _ = lines[0].decode("latin-1").split(" ", 2)
        kept = [lines[0]]
        for line in lines[1:]:
            name, _, value = line.decode("latin-1").partition(":")
            if name.strip().lower() == "content-length":
                length = int(value.strip())
            if name.strip().lower() == "connection":
                continue
            kept.append(line)
        kept.append(b"Connection: close\r\n\r\n")
        body = reader.read(length) if length else b""  # type: ignore[attr-defined]
        return method, path, b"".join(kept) + body

    def _forward(self, data: bytes) -> bytes:
        try:
            raw = socket.create_connection(("127.0.0.1", self.upstream_port), timeout=30)
        except OSError:
            return _answer(502, "Bad Gateway")
        try:
            with self.client_context.wrap_socket(raw, server_hostname="127.0.0.1") as up:
                up.sendall(data)
                chunks = []
                while True:
                    chunk = up.recv(65536)
                    if not chunk:
                        break
                    chunks.append(chunk)
            answer = b"".join(chunks)
            return answer or _answer(502, "Bad Gateway")
        except (OSError, ssl.SSLError):
            return _answer(502, "Bad Gateway")
