"""Audit entries for reads, written behind the user's back — within a tenth of a second.

A change (a record saved, a document signed) is audited inside its own
transaction: the record and its audit entry exist together or not at all. A
*read* (a search, a chart opened) writes nothing else, and a transaction of
its own would more than double the time a chart takes to open (measured:
benchmarks/bench_audit.py). So reads hand their entry to this queue, and one
worker thread appends queued entries to the same hash chain in one
transaction every ``FLUSH_SECONDS``. The entry carries the time of the read,
not of the write.

What this costs: a power cut can lose the read entries of the last
``FLUSH_SECONDS`` (never a change's entry). The queue is flushed when the
store closes (logout, lock, exit) and before anyone reads the audit trail.
"""

from __future__ import annotations

import threading
from typing import Any

from clinic_app.security.audit import append_audit
from clinic_app.storage.store import Store

FLUSH_SECONDS = 0.1


class AuditQueue:
    def __init__(self, store: Store, clinic_id: str) -> None:
        self._store = store
        self._clinic_id = clinic_id
        self._pending: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stopping = False
        self._thread = threading.Thread(target=self._run, name="audit-writer", daemon=True)
        self._thread.start()
        store.before_close(self.close)

    def put(self, entry: dict[str, Any]) -> None:
        with self._lock:
            self._pending.append(entry)

    def flush(self) -> None:
        """Append every queued entry now, on the calling thread."""
        with self._lock:
            batch, self._pending = self._pending, []
        if batch:
            with self._store.transaction() as tx:
                for entry in batch:
                    append_audit(tx, self._clinic_id, entry)

    def close(self) -> None:
        self._stopping = True
        self._wake.set()
        self._thread.join(timeout=5)
        self.flush()

    def _run(self) -> None:
        while not self._stopping:
            self._wake.wait(FLUSH_SECONDS)
            if self._stopping:
                break
            try:
                self.flush()
            except Exception:
                self._wake.wait(FLUSH_SECONDS)
        self._store.release_thread_connection()


def audit_queue(store: Store, clinic_id: str) -> AuditQueue:
    """The one queue of this store, made on first use."""
    return store.attachment("audit_queue", lambda: AuditQueue(store, clinic_id))
