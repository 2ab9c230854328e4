"""Sync with central: outbox push, master-data pull, enrolment, the status shown to users.

Plain Python (never Qt): the window runs ``service.sync_now`` on a worker and
shows ``status.SyncMonitor.status()``.
"""
