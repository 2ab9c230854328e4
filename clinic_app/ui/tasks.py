"""The one task runner for slow work: sync, PDF rendering, searches, logging in.

Rules it keeps:

* Work runs on a few long-lived worker threads taken from a ``QThreadPool``;
  ``on_done`` / ``on_error`` are called on the GUI thread (queued signals).
* Work handed to it never touches a widget: it gets plain values and returns
  plain values. The callable must not hold a widget either (a lambda over
  ``self`` would be released on the worker thread); callbacks stay on the GUI
  thread.
* Each worker stays alive between jobs. SQLite connections are per thread
  (``Store.connection()`` keeps one in a ``threading.local``) and a pool thread
  that returned from ``run()`` loses its Python thread state, hence its
  thread-locals: one short ``QRunnable`` per job would open a new database
  connection each time and never close the previous one.
* A job whose ``owner`` widget was destroyed meanwhile has its result dropped.
* Only :class:`ClinicError` reaches ``on_error`` as itself; without ``on_error``
  any failure goes to the application's "something went wrong" path.
"""

from __future__ import annotations

import itertools
import logging
import queue
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

log = logging.getLogger(__name__)

OnDone = Callable[[Any], None]
OnError = Callable[[BaseException], None]


@dataclass
class _Job:
    """Kept on the GUI thread; workers only ever see ``(number, work)``.

    A widget (a callback's ``self``, an owner) whose last reference is dropped on
    a worker thread is deleted from the wrong thread: Qt crashes later.
    """

    number: int
    on_done: OnDone | None
    on_error: OnError | None
    owner: QObject | None


_Work = tuple[int, Callable[[], Any]]


class _Relay(QObject):
    """Lives on the GUI thread; workers emit, Qt queues the call to the GUI thread."""

    done = Signal(int, object)
    failed = Signal(int, object)


class _Worker(QRunnable):
    def __init__(self, jobs: queue.Queue[_Work | None], relay: _Relay) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._jobs = jobs
        self._relay = relay

    def run(self) -> None:
        while True:
            item = self._jobs.get()
            if item is None:
                return
            number, work = item
            del item
            try:
                result = work()
            except BaseException as exc:  # every failure goes back to the GUI thread
                self._relay.failed.emit(number, exc)
                del exc
            else:
                self._relay.done.emit(number, result)
                del result
            # Nothing of the job may outlive it here (see _Job).
            del work


class TaskRunner(QObject):
    """Runs ``work()`` off the GUI thread and reports back on it."""

    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None, *, workers: int = 3) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(workers)
        self._pool.setExpiryTimeout(-1)
        self._jobs: queue.Queue[_Work | None] = queue.Queue()
        self._pending: dict[int, _Job] = {}
        self._numbers = itertools.count(1)
        self._relay = _Relay()
        self._relay.done.connect(self._deliver_result)
        self._relay.failed.connect(self._deliver_error)
        self._workers = workers
        self._stopped = False
        for _ in range(workers):
            self._pool.start(_Worker(self._jobs, self._relay))

    def run(
        self,
        work: Callable[[], Any],
        on_done: OnDone | None = None,
        on_error: OnError | None = None,
        *,
        owner: QObject | None = None,
    ) -> int:
        """Queue ``work``; return its number. ``owner`` ties the callbacks to a widget's life."""
        if self._stopped:
            raise RuntimeError("the task runner was stopped")
        job = _Job(next(self._numbers), on_done, on_error, owner)
        self._pending[job.number] = job
        if len(self._pending) == 1:
            self.busy_changed.emit(True)
        self._jobs.put((job.number, work))
        return job.number

    def is_busy(self) -> bool:
        return bool(self._pending)

    def wait(self, msecs: int = 30_000) -> bool:
        """Block until no job is pending (tests, shutdown); results are delivered by the loop."""
        from PySide6.QtCore import QCoreApplication, QDeadlineTimer, QThread

        deadline = QDeadlineTimer(msecs)
        while self._pending and not deadline.hasExpired():
            QCoreApplication.processEvents()
            QThread.msleep(5)
        return not self._pending

    def stop(self, msecs: int = 10_000) -> None:
        """Let running jobs finish, end the workers; queued results are dropped."""
        if self._stopped:
            return
        self._stopped = True
        for _ in range(self._workers):
            self._jobs.put(None)
        self._pool.waitForDone(msecs)
        self._pending.clear()

    # --- on the GUI thread -----------------------------------------------------

    def _take(self, number: int) -> _Job | None:
        job = self._pending.pop(number, None)
        if not self._pending:
            self.busy_changed.emit(False)
        if job is None or (job.owner is not None and not shiboken6.isValid(job.owner)):
            return None
        return job

    def _deliver_result(self, number: int, result: object) -> None:
        job = self._take(number)
        if job is not None and job.on_done is not None:
            job.on_done(result)

    def _deliver_error(self, number: int, error: object) -> None:
        job = self._take(number)
        if job is None:
            return
        assert isinstance(error, BaseException)
        if job.on_error is not None:
            job.on_error(error)
        else:
            # Same path as an exception in a slot: the short dialog, type logged.
            sys.excepthook(type(error), error, error.__traceback__)
