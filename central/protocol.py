"""What the clinic and central agree on: the protocol version and the record kinds.

Kept free of FastAPI and SQLAlchemy so the clinic's sync client could share it
one day; for now the clinic keeps its own copy of the kind names
(``clinic_app.sync.kinds``) and a test checks both lists agree.
"""

from __future__ import annotations

PROTOCOL_VERSION = 1
PROTOCOL_HEADER = "X-Clinic-Protocol"
API_PREFIX = "/api/v1"

# Records a clinic creates and sends to central.
CLINIC_KINDS: frozenset[str] = frozenset(
    {
        "patient",
        "encounter",
        "observation",
        "allergy",
        "diagnosis",
        "prescription",
        "prescription_item",
        "sick_leave_certificate",
        "stock_movement",
    }
)

# Master data owned by central; clinics only receive it.
MASTER_KINDS: frozenset[str] = frozenset({"catalogue_item"})
