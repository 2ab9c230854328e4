"""Patient links: one person seen at two clinics, confirmed by a central operator.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-03

Each row pairs two (clinic, patient id) records; nothing is merged or deleted.
``change_seq`` is taken from the global change counter when the link is
confirmed, so the two clinics pull it after their cursor like master data.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "patient_links",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("site_a", sa.String(64), sa.ForeignKey("sites.clinic_id"), nullable=False),
        sa.Column("patient_a", sa.String(64), nullable=False),
        sa.Column("site_b", sa.String(64), sa.ForeignKey("sites.clinic_id"), nullable=False),
        sa.Column("patient_b", sa.String(64), nullable=False),
        sa.Column("reason", sa.String(40), nullable=False),
        sa.Column("confirmed_by", sa.String(64), nullable=False),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("change_seq", sa.BigInteger, nullable=False, unique=True),
        sa.UniqueConstraint(
            "site_a", "patient_a", "site_b", "patient_b", name="patient_links_pair"
        ),
    )
    op.create_index("patient_links_site_a_seq", "patient_links", ["site_a", "change_seq"])
    op.create_index("patient_links_site_b_seq", "patient_links", ["site_b", "change_seq"])


def downgrade() -> None:
    op.drop_table("patient_links")
