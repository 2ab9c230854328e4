"""Each clinic's audit trail as central received it, and the check of its hash chain.

A clinic sends every entry of its hash-chained audit trail as an
``audit_entry`` record (``clinic_app.security.audit``). Central keeps them
append-only in ``records`` under the clinic's site and never serves them to
any clinic (``protocol.UPLOAD_ONLY_KINDS``): they are the clinic's off-site
anchor. Someone holding a clinic's database key can rewrite its trail and
every hash after the edit, so the clinic's own check passes; the copy here
was received before, and no longer matches.

:func:`verify_site_audit` walks the received entries in chain order and finds:

* **content changed**: an entry whose hash is not the hash of its fields
  (edited by a tool that did not recompute it);
* **broken link**: an entry whose ``prev_hash`` is not the hash of the entry
  before it as received (the trail was rewritten after central got that one),
  or, for entry 1, not the clinic's genesis value;
* **two entries with one number**: the clinic's trail forked (a restore from
  an older backup, or a rewritten trail sent again);
* **missing entries**: numbers never received. Not always tampering: an entry
  about a patient who does not share with central stays at the clinic with
  that patient's records (``clinic_app.security.consent``), and entries
  written since the clinic's last sync have not come yet. The link across a
  gap cannot be checked until the missing entries arrive.

The check needs no clinic database and no key: the hash covers identifiers
only (``clinic_app.security.audit_chain``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from sqlalchemy import Engine, and_, func, select

from central.db import records, sites
from central.services import CentralError, read_transaction
from clinic_app.security.audit_chain import chain_hash, genesis_hash

AUDIT_KIND = "audit_entry"


@dataclass(frozen=True)
class AuditFinding:
    seq: int
    reason: str  # "content changed", "broken link", "two entries with one number", "missing"
    last_seq: int = 0  # for "missing": the last number of the gap

    def describe(self) -> str:
        if self.reason == "missing":
            numbers = (
                f"entry {self.seq}"
                if self.last_seq == self.seq
                else f"entries {self.seq}-{self.last_seq}"
            )
            return (
                f"{numbers} not received (held at the clinic by a patient's consent, "
                "not synced yet, or removed there)"
            )
        if self.reason == "broken link":
            return (
                f"entry {self.seq}: broken link to the entry before it "
                "(the trail was rewritten after central received that entry)"
            )
        if self.reason == "content changed":
            return f"entry {self.seq}: content changed (its hash does not match its fields)"
        return f"entry {self.seq}: two different entries carry this number (a forked trail)"


@dataclass(frozen=True)
class SiteAuditCheck:
    site_code: str
    clinic_id: str
    entries: int  # entries received
    last_seq: int  # the highest number received (0: none)
    last_at: str  # when that entry was written at the clinic ("" when none)
    findings: list[AuditFinding] = field(default_factory=list)  # in chain order

    @property
    def intact(self) -> bool:
        return not self.findings

    @property
    def first_finding(self) -> AuditFinding | None:
        return self.findings[0] if self.findings else None

    @property
    def first_broken(self) -> AuditFinding | None:
        """The first finding that is not a gap: what a gap cannot explain."""
        return next((f for f in self.findings if f.reason != "missing"), None)

    @property
    def missing(self) -> int:
        return sum(f.last_seq - f.seq + 1 for f in self.findings if f.reason == "missing")


@dataclass(frozen=True)
class _Received:
    id: str
    hash: str
    prev_hash: str
    content_ok: bool
    occurred_at: str


def clinic_for_site_code(engine: Engine, site_code: str) -> str:
    code = site_code.strip().upper()
    with read_transaction(engine) as conn:
        clinic_id = conn.execute(
            select(sites.c.clinic_id).where(func.upper(sites.c.site_code) == code)
        ).scalar_one_or_none()
    if clinic_id is None:
        raise CentralError(404, "unknown_clinic", f"no clinic with site code {code[:12]!r}")
    return str(clinic_id)


def verify_site_audit(engine: Engine, site_code: str) -> SiteAuditCheck:
    """Check the audit trail central holds for the clinic with ``site_code``.

    Reads every entry once (the hash of each is checked as it is read; only
    numbers and hashes are kept), then walks the numbers from 1 to the last.
    """
    clinic_id = clinic_for_site_code(engine, site_code)
    received: dict[int, list[_Received]] = {}
    count = 0
    with read_transaction(engine) as conn:
        rows = conn.execute(
            select(records.c.payload).where(
                and_(records.c.kind == AUDIT_KIND, records.c.site_id == clinic_id)
            )
        )
        for row in rows:
            entry = json.loads(row.payload)
            seq = entry.get("seq")
            if not isinstance(seq, int) or seq < 1:
                continue  # the protocol makes it a whole number; 0 or less is no chain position
            count += 1
            prev_hash = str(entry.get("prev_hash") or "")
            received.setdefault(seq, []).append(
                _Received(
                    id=str(entry.get("id") or ""),
                    hash=str(entry.get("hash") or ""),
                    prev_hash=prev_hash,
                    content_ok=chain_hash(prev_hash, entry) == entry.get("hash"),
                    occurred_at=str(entry.get("occurred_at") or ""),
                )
            )
    last_seq = max(received, default=0)
    findings: list[AuditFinding] = []
    gap_start = 0
    previous: _Received | None = None
    for seq in range(1, last_seq + 1):
        copies = received.get(seq)
        if not copies:
            gap_start = gap_start or seq
            previous = None
            continue
        if gap_start:
            findings.append(AuditFinding(gap_start, "missing", seq - 1))
            gap_start = 0
        entry = copies[0]
        if len(copies) > 1:
            findings.append(AuditFinding(seq, "two entries with one number"))
        elif not entry.content_ok:
            findings.append(AuditFinding(seq, "content changed"))
        else:
            expected = genesis_hash(clinic_id) if seq == 1 else previous.hash if previous else None
            if expected is not None and entry.prev_hash != expected:
                findings.append(AuditFinding(seq, "broken link"))
        previous = entry if len(copies) == 1 else None
    last_at = received[last_seq][0].occurred_at if last_seq else ""
    return SiteAuditCheck(site_code.strip().upper(), clinic_id, count, last_seq, last_at, findings)


def report_lines(check: SiteAuditCheck) -> list[str]:
    """What ``clinic-central audit verify`` prints: numbers and times, never patient data."""
    head = f"{check.site_code}: {check.entries} audit entries received"
    if check.last_seq:
        head += f", numbered up to {check.last_seq} (written {check.last_at})"
    if check.intact:
        return [head, f"{check.site_code}: intact: every link holds from entry 1 to the last"]
    lines = [head]
    first = check.first_finding
    assert first is not None
    lines.append(f"{check.site_code}: first problem: {first.describe()}")
    broken = check.first_broken
    if broken is not None and broken is not first:
        lines.append(f"{check.site_code}: first broken link or changed entry: {broken.describe()}")
    if check.missing:
        gaps = [f for f in check.findings if f.reason == "missing"]
        lines.append(
            f"{check.site_code}: {check.missing} entries missing in {len(gaps)} gap(s); "
            f"the first: {gaps[0].describe()}"
        )
    return lines
