"""Records know their patient and the clinic that last wrote them (sync that merges).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03

``patient_id`` lets a clinic pull the records of another clinic's patient
linked to one of its own; ``changed_by`` keeps a clinic's own pushes from
coming back to it. Records stored before this revision are filled in from
their payloads: the patient's own id, the ``patient_id`` field, or (a
prescription item) its prescription's patient; every clinic record was
written by its own clinic's push.
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_BATCH = 1000


def upgrade() -> None:
    op.add_column("records", sa.Column("patient_id", sa.String(64), nullable=True))
    op.add_column("records", sa.Column("changed_by", sa.String(64), nullable=True))
    op.create_index("ix_records_patient_id", "records", ["patient_id"])
    records = sa.table(
        "records",
        sa.column("kind", sa.String),
        sa.column("id", sa.String),
        sa.column("site_id", sa.String),
        sa.column("payload", sa.Text),
        sa.column("patient_id", sa.String),
        sa.column("changed_by", sa.String),
    )
    conn = op.get_bind()
    conn.execute(
        sa.update(records)
        .where(records.c.site_id.is_not(None))
        .values(changed_by=records.c.site_id)
    )
    prescriptions: dict[str, str] = {}
    items: list[tuple[str, str]] = []
    updates: list[dict[str, str]] = []
    rows = conn.execute(
        sa.select(records.c.kind, records.c.id, records.c.payload).where(
            records.c.site_id.is_not(None)
        )
    )
    for kind, record_id, payload in rows:
        fields = json.loads(payload)
        if kind == "patient":
            patient = record_id
        elif kind == "prescription_item":
            items.append((record_id, str(fields.get("prescription_id") or "")))
            continue
        else:
            patient = fields.get("patient_id")
        if isinstance(patient, str) and patient:
            if kind == "prescription":
                prescriptions[record_id] = patient
            updates.append({"k": kind, "i": record_id, "p": patient})
    updates += [
        {"k": "prescription_item", "i": item, "p": prescriptions[parent]}
        for item, parent in items
        if parent in prescriptions
    ]
    statement = (
        sa.update(records)
        .where(sa.and_(records.c.kind == sa.bindparam("k"), records.c.id == sa.bindparam("i")))
        .values(patient_id=sa.bindparam("p"))
    )
    for start in range(0, len(updates), _BATCH):
        conn.execute(statement, updates[start : start + _BATCH])


def downgrade() -> None:
    op.drop_index("ix_records_patient_id", "records")
    op.drop_column("records", "changed_by")
    op.drop_column("records", "patient_id")
