"""Central's tables as ``create_tables()`` made them before Alembic (issues 1-3).

Revision ID: 0001
Revises:
Create Date: 2026-12-03

A database made by that code is stamped at this revision (see
``central.migrations.upgrade_database``), never re-created.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sites",
        sa.Column("clinic_id", sa.String(64), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("site_code", sa.String(32), nullable=False),
        sa.Column("public_key", sa.String(128), nullable=False),
        sa.Column("enrolled_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("sites_site_code", "sites", ["site_code"], unique=True)
    op.create_table(
        "devices",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column("site_id", sa.String(64), sa.ForeignKey("sites.clinic_id"), nullable=False),
        sa.Column("revoked", sa.Boolean, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_devices_site_id", "devices", ["site_id"])
    op.create_table(
        "operators",
        sa.Column("username", sa.String(64), primary_key=True),
        sa.Column("password_hash", sa.String(256), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "records",
        sa.Column("kind", sa.String(40), primary_key=True),
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("site_id", sa.String(64), sa.ForeignKey("sites.clinic_id"), nullable=True),
        sa.Column("payload", sa.Text, nullable=False),
        sa.Column("change_seq", sa.BigInteger, nullable=False, unique=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("records_site_seq", "records", ["site_id", "change_seq"])
    op.create_table(
        "push_batches",
        sa.Column("batch_id", sa.String(64), primary_key=True),
        sa.Column("site_id", sa.String(64), sa.ForeignKey("sites.clinic_id"), nullable=False),
        sa.Column("acked_seq", sa.BigInteger, nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
    )
    counters = op.create_table(
        "counters",
        sa.Column("name", sa.String(40), primary_key=True),
        sa.Column("value", sa.BigInteger, nullable=False),
    )
    op.bulk_insert(counters, [{"name": "change_seq", "value": 0}])


def downgrade() -> None:
    for table in ("counters", "push_batches", "records", "operators", "devices", "sites"):
        op.drop_table(table)
