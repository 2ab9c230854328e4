"""Consent per patient: is their record shared with central, with other clinics?

Rules this module keeps:

* A decision is a new ``patient_consents`` row (append-only); the latest one
  for a patient is in force: the one with the latest hybrid-logical-clock
  ``version`` (``clinic_app.sync.hlc``), so a decision pulled from a linked
  clinic whose clock is wrong is still ordered right (rows from before
  versions, ``''``, by ``recorded_at``). A patient with no decision follows the clinic's
  policy, the setting ``consent_default_share_central`` ("1" unless the admin
  changed it with :func:`set_consent_policy`). Sharing with other clinics has
  no policy: without a decision it is "no".
* Every decision and every policy change is audited (identifiers and the two
  yes/no answers only).
* Sync honours it. A change (outbox entry) belongs to a patient when it is
  the patient row itself or carries the patient's id (encounters,
  observations, allergies, diagnoses, prescriptions, certificates, and any
  later kind with a ``patient_id`` field); a prescription item belongs to the
  patient of its prescription. Stock movements (dispensings included) carry
  no patient identity and always travel.

How consent-held changes work
-----------------------------
:func:`sort_outbox_by_consent` moves the outbox entries of every patient who
is not shared with central into ``outbox_held`` (keeping their outbox number
and the patient's id), and moves held entries of patients who are shared
again back to the end of the outbox, in their original order. It runs in the
same transaction as every consent decision and policy change, and again in
the transaction that reads each push batch (``sync.service``), so a record
written after the decision is held before it could be read for sending.
Nothing is deleted: held entries wait, and are sent once (and only once) when
consent is given. Entries already on the wire when consent is withdrawn are
removed from ``outbox_held`` when central acknowledges them, like outbox rows.

The status bar stays truthful: ``sync.service.pending_changes`` counts only
the changes that *may* be sent, so "up to date" means "everything the
patients allowed has reached central"; :func:`held_back_changes` counts what
stays at the clinic by the patients' choice, for the window to show beside it.

Consent decisions and the audit trail travel (issue 3)
------------------------------------------------------
* A decision is itself a sync kind, ``patient_consent``: it travels like the
  patient's other records, so a patient not shared with central sends nothing,
  not even the decision, and central knows nothing of them. One exception: a
  *withdrawal* about a patient central already holds travels (identifiers and
  the two answers only), so that central stops serving that patient to other
  clinics. "Central holds the patient" is read from the outbox: the patient's
  registration (the ``patient`` change whose ``created_at`` equals its
  ``updated_at``) is no longer waiting, here or in ``outbox_held``.
* Central honours "shared with other clinics": a patient whose decision in
  force says no (to clinics, or to central) is never served to another clinic,
  not even through a confirmed link, and is not offered as a likely duplicate
  (``central.consent``). Decisions are served to the clinics that see the
  patient, so a decision recorded at a linked clinic is in force at home too.
* Audit entries travel too (kind ``audit_entry``): :func:`sort_outbox_by_consent`
  first copies the entries written since the last copy into the outbox
  (``clinic_app.security.audit.queue_audit_for_central``). An entry about
  a patient who does not share with central (its ``patient_id``) is held with
  that patient's records and released with them: it carries only ids, but it says who looked at that
  person and when. Central's chain check then shows those entries as missing
  until they come.

Not done here (a later issue): records already sent to central before consent
was withdrawn stay at central (it stops serving them to other clinics).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from clinic_app.clock import from_iso, to_iso, utc_now
from clinic_app.errors import NotFound, PermissionDenied
from clinic_app.ids import new_id
from clinic_app.security.audit import queue_audit_for_central
from clinic_app.security.permissions import ACTION_NAMES, Action
from clinic_app.session import Session
from clinic_app.storage.store import Row, Store, Tx
from clinic_app.sync import hlc

POLICY_SETTING = "consent_default_share_central"

# The patient an outbox row (alias ``o``) belongs to; NULL for records of no patient.
_PATIENT_OF_CHANGE = """
CASE o.kind
    WHEN 'patient' THEN o.record_id
    WHEN 'stock_movement' THEN NULL
    WHEN 'prescription_item' THEN (
        SELECT p.patient_id FROM prescriptions p
        WHERE p.id = json_extract(o.payload, '$.prescription_id'))
    ELSE json_extract(o.payload, '$.patient_id')
END
"""


def _not_shared(patient_expr: str) -> str:
    """SQL true when the patient ``patient_expr`` is not shared with central (param :share)."""
    return (
        "COALESCE((SELECT c.share_with_central FROM patient_consents c "
        f"WHERE c.patient_id = {patient_expr} "
        "ORDER BY c.version DESC, c.recorded_at DESC, c.rowid DESC LIMIT 1), :share) = 0"
    )


def _known_to_central(patient_expr: str) -> str:
    """SQL true when central holds the patient: their registration is no longer waiting.

    A registration is the ``patient`` change written by ``register_patient``
    (``created_at`` = ``updated_at``); once acknowledged it leaves the outbox. A
    patient pulled from central never had one here.
    """
    registration = (
        f"kind = 'patient' AND record_id = {patient_expr} "
        "AND json_extract(payload, '$.created_at') = json_extract(payload, '$.updated_at')"
    )
    return (
        f"(NOT EXISTS (SELECT 1 FROM outbox WHERE {registration}) "
        f"AND NOT EXISTS (SELECT 1 FROM outbox_held WHERE patient_id = {patient_expr} "
        f"AND {registration}))"
    )


def _held_back(kind_expr: str, patient_expr: str) -> str:
    """SQL true when a change (its kind, its patient) must wait at the clinic (param :share)."""
    return (
        f"({patient_expr} IS NOT NULL AND {_not_shared(patient_expr)} "
        f"AND NOT ({kind_expr} = 'patient_consent' AND {_known_to_central(patient_expr)}))"
    )


@dataclass(frozen=True)
class Consent:
    """The decision in force for one patient (``is_default``: no decision, clinic policy)."""

    patient_id: str
    share_with_central: bool
    share_with_clinics: bool
    is_default: bool
    id: str | None = None
    recorded_by: str | None = None  # user id
    recorded_by_name: str = ""
    recorded_at: datetime | None = None


def policy_shares_with_central(store: Store | Tx) -> bool:
    row = store.one("SELECT value FROM settings WHERE key = ?", (POLICY_SETTING,))
    return row is None or str(row["value"]) != "0"


def _require_consent_reader(session: Session) -> None:
    if not (session.actor.may(Action.RECORD_CONSENT) or session.actor.may(Action.OPEN_CHART)):
        raise PermissionDenied(action=ACTION_NAMES[Action.RECORD_CONSENT])


def _from_row(row: Row) -> Consent:
    return Consent(
        patient_id=row["patient_id"],
        share_with_central=bool(row["share_with_central"]),
        share_with_clinics=bool(row["share_with_clinics"]),
        is_default=False,
        id=row["id"],
        recorded_by=row["author_id"],
        recorded_by_name=row["display_name"] or "",
        recorded_at=from_iso(row["recorded_at"]),
    )


_HISTORY_SQL = (
    "SELECT c.*, u.display_name FROM patient_consents c "
    "LEFT JOIN users u ON u.id = c.author_id "
    "WHERE c.patient_id = ? ORDER BY c.version DESC, c.recorded_at DESC, c.rowid DESC"
)


def _check_patient(store: Store | Tx, patient_id: str) -> None:
    if store.one("SELECT 1 FROM patients WHERE id = ?", (patient_id,)) is None:
        raise NotFound()


def current_consent(session: Session, patient_id: str) -> Consent:
    """The decision in force, or the clinic's policy when none was recorded."""
    _require_consent_reader(session)
    _check_patient(session.store, patient_id)
    row = session.store.one(_HISTORY_SQL + " LIMIT 1", (patient_id,))
    if row is not None:
        return _from_row(row)
    return Consent(
        patient_id=patient_id,
        share_with_central=policy_shares_with_central(session.store),
        share_with_clinics=False,
        is_default=True,
    )


def consent_history(session: Session, patient_id: str) -> list[Consent]:
    """Every decision recorded for the patient, newest first."""
    _require_consent_reader(session)
    _check_patient(session.store, patient_id)
    return [_from_row(row) for row in session.store.all(_HISTORY_SQL, (patient_id,))]


def record_consent(
    session: Session, patient_id: str, share_with_central: bool, share_with_clinics: bool
) -> Consent:
    """Record the patient's decision; it is in force at once, for sync too.

    The decision travels to central as a ``patient_consent`` record (see the
    module's rules for when it waits at the clinic).
    """
    session.require(Action.RECORD_CONSENT)
    consent_id = new_id()
    now = to_iso(utc_now())
    with session.transaction() as tx:
        _check_patient(tx, patient_id)
        tx.insert(
            "patient_consents",
            {
                "id": consent_id,
                "site_id": session.site_id,
                "patient_id": patient_id,
                "share_with_central": int(bool(share_with_central)),
                "share_with_clinics": int(bool(share_with_clinics)),
                "author_id": session.actor.user_id,
                "recorded_at": now,
                "version": hlc.tick(session.store, tx, session.site_id),
            },
            sync_kind="patient_consent",
        )
        sort_outbox_by_consent(tx)
        session.audit(
            tx,
            "record_consent",
            object_kind="patient_consent",
            object_id=consent_id,
            patient_id=patient_id,
            detail=f"central={int(bool(share_with_central))};clinics={int(bool(share_with_clinics))}",
        )
    return Consent(
        patient_id=patient_id,
        share_with_central=bool(share_with_central),
        share_with_clinics=bool(share_with_clinics),
        is_default=False,
        id=consent_id,
        recorded_by=session.actor.user_id,
        recorded_by_name=session.actor.display_name,
        recorded_at=from_iso(now),
    )


def set_consent_policy(session: Session, share_central: bool) -> None:
    """The admin sets what applies to patients who made no decision."""
    session.require(Action.MANAGE_SETTINGS)
    with session.transaction() as tx:
        tx.execute(
            "INSERT INTO settings (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (POLICY_SETTING, "1" if share_central else "0"),
        )
        sort_outbox_by_consent(tx)
        session.audit(
            tx,
            "set_consent_policy",
            object_kind="setting",
            object_id=POLICY_SETTING,
            detail=f"central={int(bool(share_central))}",
        )


# --- the outbox and consent ------------------------------------------------------------


def _anyone_withheld(tx: Store | Tx, share: int) -> bool:
    if not share:
        return True
    return tx.one("SELECT 1 FROM patient_consents WHERE share_with_central = 0 LIMIT 1") is not None


def hold_withheld_changes(tx: Tx) -> int:
    """Move outbox entries of patients not shared with central to ``outbox_held``."""
    share = int(policy_shares_with_central(tx))
    if not _anyone_withheld(tx, share):
        return 0
    cursor = tx.execute(
        "INSERT INTO outbox_held (seq, kind, record_id, payload, created_at, patient_id, held_at) "
        "SELECT seq, kind, record_id, payload, created_at, pid, :now FROM "
        f"(SELECT o.*, {_PATIENT_OF_CHANGE} AS pid FROM outbox o) "
        f"WHERE {_held_back('kind', 'pid')}",
        {"share": share, "now": to_iso(utc_now())},
    )
    moved = int(cursor.rowcount or 0)
    if moved:
        tx.execute("DELETE FROM outbox WHERE seq IN (SELECT seq FROM outbox_held)")
    return moved


def release_consented_changes(tx: Tx) -> int:
    """Move held entries of patients now shared back to the end of the outbox, in order.

    Also a withdrawal held while the patient's registration was on the wire: once
    central holds the patient, the withdrawal goes (see the module's rules).
    """
    share = int(policy_shares_with_central(tx))
    rows = tx.all(
        "SELECT h.seq, h.kind, h.record_id, h.payload, h.created_at FROM outbox_held h "
        f"WHERE NOT {_held_back('h.kind', 'h.patient_id')} ORDER BY h.seq",
        {"share": share},
    )
    for row in rows:
        tx.execute(
            "INSERT INTO outbox (kind, record_id, payload, created_at) VALUES (?, ?, ?, ?)",
            (row["kind"], row["record_id"], row["payload"], row["created_at"]),
        )
        tx.execute("DELETE FROM outbox_held WHERE seq = ?", (row["seq"],))
    return len(rows)


def sort_outbox_by_consent(tx: Tx) -> tuple[int, int]:
    """Hold what may not go, release what now may; return (held, released).

    Every reader of the outbox for sending calls it in its reading transaction,
    so the audit trail is copied into the outbox here first, then sorted with
    the rest.
    """
    queue_audit_for_central(tx)
    unlink_withheld_dispensings(tx)
    return hold_withheld_changes(tx), release_consented_changes(tx)


def unlink_withheld_dispensings(tx: Tx) -> int:
    """A dispensing for a patient not shared with central goes without its prescription link.

    The stock ledger must be whole at central (balances are checked there), but
    the link to a prescription item would point at the withheld patient's
    record. So the movement travels with ``prescription_item_id`` cleared, in
    the outbox copy only: the clinic's own ledger keeps the link. Consent given
    later does not restore the link at central (a later issue may resend it).
    """
    share = int(policy_shares_with_central(tx))
    if not _anyone_withheld(tx, share):
        return 0
    patient_of_item = (
        "(SELECT p.patient_id FROM prescription_items i JOIN prescriptions p "
        "ON p.id = i.prescription_id "
        "WHERE i.id = json_extract(outbox.payload, '$.prescription_item_id'))"
    )
    cursor = tx.execute(
        "UPDATE outbox SET payload = json_set(payload, '$.prescription_item_id', NULL) "
        "WHERE kind = 'stock_movement' "
        "AND json_extract(payload, '$.prescription_item_id') IS NOT NULL "
        f"AND {_not_shared(patient_of_item)}",
        {"share": share},
    )
    return int(cursor.rowcount or 0)


def sendable_changes(store: Store | Tx) -> int:
    """Outbox entries that may go to central now (those of withheld patients excluded)."""
    share = int(policy_shares_with_central(store))
    if not _anyone_withheld(store, share):
        row = store.one("SELECT count(*) AS n FROM outbox")
    else:
        row = store.one(
            f"SELECT count(*) AS n FROM (SELECT o.kind, {_PATIENT_OF_CHANGE} AS pid FROM outbox o) "
            f"WHERE NOT {_held_back('kind', 'pid')}",
            {"share": share},
        )
    return int(row["n"]) if row is not None else 0


def held_back_changes(store: Store | Tx) -> int:
    """Changes kept at the clinic because their patient does not consent (after sorting)."""
    row = store.one("SELECT count(*) AS n FROM outbox_held")
    return int(row["n"]) if row is not None else 0
