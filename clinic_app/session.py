"""A logged-in session: the opened store plus the person acting.

Every service function takes a ``Session`` first. It gives the service the
unit of work (``session.transaction()``), the actor whose permissions it must
check, and the clinic's settings (site id, time zone).
"""

from __future__ import annotations

import platform
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from clinic_app.clock import clinic_zone, to_iso, utc_now
from clinic_app.errors import PasswordChangeRequired, PermissionDenied
from clinic_app.ids import new_id
from clinic_app.security.permissions import Action, Actor, format_roles, require
from clinic_app.storage.store import Store, Tx

if TYPE_CHECKING:
    from clinic_app.security.audit_queue import AuditQueue


@dataclass
class Session:
    store: Store
    actor: Actor
    data_dir: Path
    workstation: str = field(default_factory=platform.node)
    # Charts opened by emergency access in this session ("break the glass"): readable
    # until logout whatever the role, each opening audited (security/emergency.py).
    emergency_charts: set[str] = field(default_factory=set)
    # Logged in with a temporary password an admin set: every action is refused until
    # the person chooses their own (``accounts.change_password`` clears it).
    password_change_required: bool = False

    @cached_property
    def site_id(self) -> str:
        return self.store.setting("clinic_id") or ""

    @property
    def clinic_name(self) -> str:
        return self.store.setting("clinic_name") or ""

    @property
    def zone(self) -> ZoneInfo:
        return clinic_zone(self.store.setting("timezone") or "UTC")

    def require(self, action: Action, *, patient_id: str | None = None) -> None:
        """Refuse what the actor's roles do not allow; every refusal is audited too."""
        try:
            if self.password_change_required:
                raise PasswordChangeRequired(action=action.value)
            require(self.actor, action)
        except PermissionDenied:
            self.audit_read(
                "permission_denied",
                object_kind="action",
                object_id=action.value,
                patient_id=patient_id,
                outcome="refused",
            )
            raise

    def require_chart(self, patient_id: str) -> None:
        """Reading one patient's chart: a role that may open charts, or an emergency opening."""
        if patient_id not in self.emergency_charts:
            self.require(Action.OPEN_CHART, patient_id=patient_id)

    @contextmanager
    def transaction(self) -> Iterator[Tx]:
        with self.store.transaction() as tx:
            yield tx

    def audit(
        self,
        tx: Tx,
        action: str,
        *,
        object_kind: str = "",
        object_id: str = "",
        patient_id: str | None = None,
        outcome: str = "ok",
        detail: str = "",
    ) -> None:
        """Record who did what to which object — identifiers only, never clinical content.

        Appended to the hash chain inside the caller's transaction
        (see clinic_app.security.audit).
        """
        from clinic_app.security.audit import append_audit

        append_audit(
            tx,
            self.site_id,
            {
                "id": new_id(),
                "occurred_at": to_iso(utc_now()),
                "user_id": self.actor.user_id,
                "roles": format_roles(self.actor.roles),
                "action": action,
                "object_kind": object_kind,
                "object_id": object_id,
                "patient_id": patient_id,
                "outcome": outcome,
                "detail": detail,
                "workstation": self.workstation,
            },
        )

    def audit_read(
        self,
        action: str,
        *,
        object_kind: str = "",
        object_id: str = "",
        patient_id: str | None = None,
        outcome: str = "ok",
        detail: str = "",
    ) -> None:
        """Audit a read (search, chart opened) without a transaction of its own.

        Queued, and appended to the chain by the next save or within a second
        (see clinic_app.security.audit_queue for why, and what a power cut
        costs). Only the moment is taken now; the id and text are made when
        the entry is written, to keep a chart's opening as quick as without.
        """
        self._audit_queue.put(
            {
                "at": utc_now(),
                "user_id": self.actor.user_id,
                "roles": self._roles_text,
                "action": action,
                "object_kind": object_kind,
                "object_id": object_id,
                "patient_id": patient_id,
                "outcome": outcome,
                "detail": detail,
                "workstation": self.workstation,
            }
        )

    def flush_audit(self) -> None:
        """Write queued read entries now (before showing or checking the trail)."""
        self._audit_queue.flush()

    @cached_property
    def _audit_queue(self) -> AuditQueue:
        from clinic_app.security.audit_queue import audit_queue

        return audit_queue(self.store, self.site_id)

    @cached_property
    def _roles_text(self) -> str:
        return format_roles(self.actor.roles)

    def close(self) -> None:
        """Write what the audit queue holds, anchor the chain's end, close the store."""
        from clinic_app.errors import ClinicError
        from clinic_app.security.audit import anchor_audit_chain

        try:
            with self.transaction() as tx:  # its start drains the audit queue
                anchor_audit_chain(tx)
        except ClinicError:
            pass  # a damaged or re-keyed file: nothing can be written; close anyway
        self.store.close()
