"""Enrolling with another central: every record of this clinic goes to it again.

A clinic enrolled with one central (say the demo one) and then with another
(the institution's) would otherwise send the new central only what it writes
from then on: its outbox empties as each batch is acknowledged, and the new
central would never hold the clinic's patients, consultations, stock ledger
or audit trail — while the status said "up to date".

So when central's identity (``GET /status`` ``central_id``, drawn once per
central database) differs from the one this clinic enrolled with — or, for a
central too old to say, its address differs — the enrolment transaction
rebuilds the outbox from the tables: each record this clinic made, in its
current state, once, a patient before what concerns them; the audit trail's
copy cursor goes back to the start; the pull, links and keys cursors too.
Central stores each ``(kind, id)`` once, so sending a record it already holds
(the same central at a new address) changes nothing there. Consent still
applies: the next sync holds back what a patient did not agree to share.
"""

from __future__ import annotations

from clinic_app.security.audit import AUDIT_QUEUED_STATE
from clinic_app.storage.store import Tx
from clinic_app.sync.kinds import KIND_TABLES

# A patient before the records about them; the stock ledger last. The audit trail is
# copied by its own cursor (clinic_app.security.audit.queue_audit_for_central).
RESEND_ORDER = (
    "patient",
    "patient_consent",
    "encounter",
    "observation",
    "allergy",
    "diagnosis",
    "prescription",
    "prescription_item",
    "sick_leave_certificate",
    "encounter_void",
    "stock_movement",
)


def send_everything_again(tx: Tx, site_id: str, cursors: tuple[str, ...]) -> int:
    """Rebuild the outbox with every record this clinic made; return how many.

    ``cursors``: the ``sync_state`` keys that start again from zero (pull,
    patient links, clinics' keys version). Runs inside the enrolment's
    transaction: the new token and the rebuilt outbox commit together.
    """
    tx.execute("DELETE FROM outbox")
    tx.execute("DELETE FROM outbox_held")  # sorted again by consent at the next sync
    queued = 0
    for kind in RESEND_ORDER:
        table = KIND_TABLES[kind]
        if kind == "prescription_item":  # lines have no site: their prescription's
            sql = (
                "SELECT i.* FROM prescription_items i JOIN prescriptions p "
                "ON p.id = i.prescription_id WHERE p.site_id = ? ORDER BY i.rowid"
            )
        else:
            sql = f"SELECT * FROM {table} WHERE site_id = ? ORDER BY rowid"
        for row in tx.all(sql, (site_id,)):
            tx.record_change(kind, dict(row))
            queued += 1
    for key in (*cursors, AUDIT_QUEUED_STATE):
        tx.execute("DELETE FROM sync_state WHERE key = ?", (key,))
    return queued
