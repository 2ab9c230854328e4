"""Audit entries for reads, appended by the next write — or within a second.

A change (a record saved, a document signed) is audited inside its own
transaction: the record and its audit entry exist together or not at all. A
*read* (a search, a chart opened) writes nothing else, and a transaction of
its own would make opening a chart half again as slow (measured:
benchmarks/bench_audit.py). So reads hand their entry to this queue, and the
queue is drained into the hash chain at the start of the next transaction
that writes anything, at no extra commit. The window also flushes the queue
once a second when it holds anything (``Session.flush_audit``, from the GUI
thread, so it never competes for the database lock with a person's save);
closing the store flushes it too. The entry carries the time of the read,
not of the write.

What this costs: a power cut can lose the read entries of the last second
(never a change's entry). Anyone reading the audit trail flushes first.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from clinic_app.clock import to_iso
from clinic_app.ids import new_id
from clinic_app.security.audit import append_audit
from clinic_app.storage.store import Store, Tx


class AuditQueue:
    def __init__(self, store: Store, clinic_id: str) -> None:
        self._store = store
        self._clinic_id = clinic_id
        self._pending: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        store.before_close(self.flush)
        store.on_begin(self.drain_into)

    def put(self, entry: dict[str, Any]) -> None:
        with self._lock:
            self._pending.append(entry)

    @property
    def pending(self) -> int:
        return len(self._pending)

    def drain_into(self, tx: Tx) -> Callable[[bool], None] | None:
        """Append what is queued inside a transaction that is starting anyway.

        If that transaction rolls back, the entries go back to the queue.
        """
        with self._lock:
            batch, self._pending = self._pending, []
        if not batch:
            return None
        for queued in batch:
            entry = dict(queued)
            entry["occurred_at"] = to_iso(entry.pop("at"))  # the moment of the read
            entry["id"] = new_id()
            append_audit(tx, self._clinic_id, entry)

        def ending(committed: bool) -> None:
            if not committed:
                with self._lock:
                    self._pending[:0] = batch

        return ending

    def flush(self) -> None:
        """Append every queued entry now, on the calling thread."""
        if self._pending:
            with self._store.transaction():
                pass  # the transaction's start drains the queue (drain_into)


def audit_queue(store: Store, clinic_id: str) -> AuditQueue:
    """The one queue of this store, made on first use."""
    return store.attachment("audit_queue", lambda: AuditQueue(store, clinic_id))
