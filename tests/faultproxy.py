"""A fault-injecting TCP proxy between a clinic and central, on 127.0.0.1.

    with FaultProxy("127.0.0.1", central.port) as proxy:
        proxy.set_link(latency=0.3, rate=5000)       # 300 ms each way, ~5 KB/s each way
        proxy.cut_after(20_000, direction="up")      # the link breaks after 20 KB more upstream
        proxy.drop_responses(1, path="/api/v1/push") # central commits, the clinic hears nothing
        ... point the clinic at proxy.base_url ...

Each accepted connection gets two pumps (client → server "up", server → client
"down"). A pump reads what arrives, holds each chunk until ``latency`` seconds
after its arrival, then writes it out in slices paced at ``rate`` bytes per
second: a link with a propagation delay and a bandwidth, per direction.
Modes may be changed at any moment by the test; they apply to the bytes
forwarded from then on.

* ``cut_after(k, direction)``: after ``k`` more bytes in that direction ("up",
  "down" or "any", counted over all connections from the moment it is armed),
  the connection carrying the next byte is reset (both sides). Once.
* ``drop_responses(n, path=...)``: the next ``n`` answers to requests whose
  path starts with ``path`` are read whole from the server (it has committed
  by then) and thrown away; the client's connection is then reset.

Bounded: at most ``max_connections`` at once (more are refused), every socket
has a timeout, and the proxy stops by itself after ``lifetime`` seconds.
The counters (bytes forwarded each way, connections, cuts, drops, requests
seen) let a test or a benchmark measure what went over the wire.
"""

from __future__ import annotations

import contextlib
import queue
import re
import socket
import struct
import threading
import time
from dataclasses import dataclass, field
from types import TracebackType

_REQUEST_LINE = re.compile(rb"(GET|POST|PUT|DELETE|HEAD|OPTIONS|PATCH) (\S+) HTTP/1\.[01]\r\n")
_CHUNK = 16 * 1024
_IDLE = 0.5  # seconds a blocking call waits before looking at the stop flag


@dataclass
class ProxyStats:
    """What crossed the proxy since it started (or since ``reset_stats``)."""

    bytes_up: int = 0  # client → server, forwarded
    bytes_down: int = 0  # server → client, forwarded
    connections: int = 0
    refused: int = 0
    cuts: int = 0
    drops: int = 0
    requests: list[tuple[str, str]] = field(default_factory=list)  # (method, path) seen upstream

    def count(self, method: str, path_prefix: str) -> int:
        return sum(1 for m, p in self.requests if m == method and p.startswith(path_prefix))


class _Connection:
    def __init__(self, proxy: FaultProxy, client: socket.socket, server: socket.socket) -> None:
        self.proxy = proxy
        self.client = client
        self.server = server
        self.last_path = ""
        self.closed = threading.Event()
        self._tail = b""
        self._lock = threading.Lock()
        self._open_pumps = 2

    def start(self) -> None:
        for direction, source, sink in (
            ("up", self.client, self.server),
            ("down", self.server, self.client),
        ):
            chunks: queue.Queue[tuple[float, bytes | None]] = queue.Queue()
            threading.Thread(
                target=self._read,
                args=(source, chunks),
                daemon=True,
                name=f"proxy-read-{direction}",
            ).start()
            threading.Thread(
                target=self._write,
                args=(direction, sink, chunks),
                daemon=True,
                name=f"proxy-write-{direction}",
            ).start()

    # --- pumps ----------------------------------------------------------------------

    def _read(self, source: socket.socket, chunks: queue.Queue[tuple[float, bytes | None]]) -> None:
        while not self.closed.is_set() and not self.proxy.stopping.is_set():
            try:
                data = source.recv(_CHUNK)
            except TimeoutError:
                continue
            except OSError:
                data = b""
            chunks.put((time.monotonic(), data or None))
            if not data:
                return
        chunks.put((time.monotonic(), None))

    def _write(
        self,
        direction: str,
        sink: socket.socket,
        chunks: queue.Queue[tuple[float, bytes | None]],
    ) -> None:
        try:
            self._pump(direction, sink, chunks)
        finally:
            with self._lock:
                self._open_pumps -= 1
                last = self._open_pumps == 0
            if last:
                self.close()

    def _pump(
        self,
        direction: str,
        sink: socket.socket,
        chunks: queue.Queue[tuple[float, bytes | None]],
    ) -> None:
        proxy = self.proxy
        free_at = 0.0  # when the (virtual) link in this direction is free again
        while not self.closed.is_set() and not proxy.stopping.is_set():
            try:
                arrived, data = chunks.get(timeout=_IDLE)
            except queue.Empty:
                continue
            latency, rate = proxy.link()
            _sleep_until(arrived + latency, proxy.stopping)
            if data is None:
                with contextlib.suppress(OSError):
                    sink.shutdown(socket.SHUT_WR)
                return
            if direction == "up":
                self._note_requests(data)
            elif proxy.take_drop(self.last_path):
                self._swallow_response(data, chunks)
                proxy.note_drop()
                self.reset()
                return
            view = memoryview(data)
            while view:
                step = len(view) if rate is None else max(256, min(len(view), int(rate / 20)))
                allowed = proxy.take_budget(direction, step)
                if allowed == 0:
                    self.reset()
                    return
                piece = view[:allowed]
                try:
                    sink.sendall(piece)
                except OSError:
                    self.reset()
                    return
                proxy.count(direction, len(piece))
                view = view[len(piece) :]
                if rate is not None:
                    free_at = max(free_at, time.monotonic()) + len(piece) / rate
                    _sleep_until(free_at, proxy.stopping)

    def _note_requests(self, data: bytes) -> None:
        seen = self._tail + data
        found = list(_REQUEST_LINE.finditer(seen))
        for match in found:
            if match.end() > len(self._tail):  # not already seen in the previous chunk
                method, path = match.group(1).decode(), match.group(2).decode("latin-1")
                self.last_path = path.split("?", 1)[0]
                self.proxy.note_request(method, path)
        self._tail = seen[-200:]

    def _swallow_response(
        self, first: bytes, chunks: queue.Queue[tuple[float, bytes | None]]
    ) -> None:
        """Read one whole HTTP answer from the server (Content-Length or chunked) and drop it."""
        buffer = first
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and not _response_complete(buffer):
            try:
                _arrived, data = chunks.get(timeout=_IDLE)
            except queue.Empty:
                continue
            if data is None:
                return
            buffer += data

    def reset(self) -> None:
        """Break the connection on both sides, with a reset rather than a clean close."""
        for sock in (self.client, self.server):
            with contextlib.suppress(OSError):
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.close()

    def close(self) -> None:
        if self.closed.is_set():
            return
        self.closed.set()
        for sock in (self.client, self.server):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            with contextlib.suppress(OSError):
                sock.close()
        self.proxy.forget(self)


def _response_complete(buffer: bytes) -> bool:
    head, found, body = buffer.partition(b"\r\n\r\n")
    if not found:
        return False
    lowered = head.lower()
    length = re.search(rb"\r\ncontent-length:\s*(\d+)", lowered)
    if length is not None:
        return len(body) >= int(length.group(1))
    if b"transfer-encoding: chunked" in lowered:
        return body.endswith(b"0\r\n\r\n")
    return True


def _sleep_until(moment: float, stopping: threading.Event) -> None:
    delay = moment - time.monotonic()
    if delay > 0:
        stopping.wait(delay)


class FaultProxy:
    """Forward 127.0.0.1:``port`` to ``target``, with faults the test switches at run time."""

    def __init__(
        self,
        target_host: str,
        target_port: int,
        *,
        max_connections: int = 64,
        lifetime: float = 900.0,
    ) -> None:
        self.target = (target_host, target_port)
        self.max_connections = max_connections
        self.lifetime = lifetime
        self.stopping = threading.Event()
        self.stats = ProxyStats()
        self._lock = threading.Lock()
        self._latency = 0.0
        self._rate: float | None = None
        self._cut_budget: int | None = None
        self._cut_direction = "any"
        self._drops_left = 0
        self._drop_path = ""
        self._connections: set[_Connection] = set()
        self._listener = socket.socket()
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(64)
        self._listener.settimeout(_IDLE)
        self.port: int = self._listener.getsockname()[1]
        self._thread = threading.Thread(target=self._serve, daemon=True, name="fault-proxy")

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    # --- what the test switches ------------------------------------------------------

    def set_link(self, *, latency: float = 0.0, rate: float | None = None) -> None:
        """One-way ``latency`` (seconds) and ``rate`` (bytes/s, None = unlimited), per direction."""
        with self._lock:
            self._latency = latency
            self._rate = rate

    def cut_after(self, nbytes: int, direction: str = "any") -> None:
        """Reset the connection that carries byte ``nbytes + 1`` from now in ``direction``."""
        assert direction in ("up", "down", "any")
        with self._lock:
            self._cut_budget = nbytes
            self._cut_direction = direction

    def drop_responses(self, count: int = 1, *, path: str = "/api/") -> None:
        """Throw away the next ``count`` answers to requests under ``path``, then reset."""
        with self._lock:
            self._drops_left = count
            self._drop_path = path

    def heal(self) -> None:
        """No fault armed any more (latency and rate stay as set)."""
        with self._lock:
            self._cut_budget = None
            self._drops_left = 0

    def reset_stats(self) -> None:
        with self._lock:
            self.stats = ProxyStats()

    # --- used by the pumps -----------------------------------------------------------

    def link(self) -> tuple[float, float | None]:
        with self._lock:
            return self._latency, self._rate

    def take_budget(self, direction: str, wanted: int) -> int:
        """How many of ``wanted`` bytes may pass before the armed cut; 0 means cut now."""
        with self._lock:
            if self._cut_budget is None or self._cut_direction not in (direction, "any"):
                return wanted
            if self._cut_budget == 0:
                self._cut_budget = None
                self.stats.cuts += 1
                return 0
            allowed = min(wanted, self._cut_budget)
            self._cut_budget -= allowed
            return allowed

    def take_drop(self, path: str) -> bool:
        with self._lock:
            if self._drops_left > 0 and path.startswith(self._drop_path):
                self._drops_left -= 1
                return True
            return False

    def note_drop(self) -> None:
        with self._lock:
            self.stats.drops += 1

    def note_request(self, method: str, path: str) -> None:
        with self._lock:
            self.stats.requests.append((method, path))

    def count(self, direction: str, nbytes: int) -> None:
        with self._lock:
            if direction == "up":
                self.stats.bytes_up += nbytes
            else:
                self.stats.bytes_down += nbytes

    def forget(self, connection: _Connection) -> None:
        with self._lock:
            self._connections.discard(connection)

    # --- life ------------------------------------------------------------------------

    def _serve(self) -> None:
        deadline = time.monotonic() + self.lifetime
        while not self.stopping.is_set():
            if time.monotonic() > deadline:
                self.stopping.set()
                break
            try:
                client, _address = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                break
            with self._lock:
                full = len(self._connections) >= self.max_connections
                if full:
                    self.stats.refused += 1
            if full:
                client.close()
                continue
            try:
                server = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()  # central is down: the clinic sees the connection close
                continue
            for sock in (client, server):
                sock.settimeout(_IDLE)
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            connection = _Connection(self, client, server)
            with self._lock:
                self._connections.add(connection)
                self.stats.connections += 1
            connection.start()
        self._close_all()

    def _close_all(self) -> None:
        with self._lock:
            connections = list(self._connections)
        for connection in connections:
            connection.close()
        with contextlib.suppress(OSError):
            self._listener.close()

    def start(self) -> FaultProxy:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)
        self._close_all()

    def __enter__(self) -> FaultProxy:
        return self.start()

    def __exit__(
        self,
        _type: type[BaseException] | None,
        _exc: BaseException | None,
        _tb: TracebackType | None,
    ) -> None:
        self.stop()
