"""The clinic database schema, as numbered upgrade steps.

``MIGRATIONS[n]`` upgrades a database at version ``n`` to ``n + 1``; the version
lives in ``PRAGMA user_version``. A step, once released, is never edited: a
change is a new step, tested against a file written by the older version.

Row conventions (see ../shared/DESIGN.md): ids are UUIDv7 text made where the
record is born; instants are ISO-8601 UTC text; calendar dates are ISO dates;
every syncable row names the site (clinic) that created it and its author.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

APPLICATION_ID = 0x434C4E43  # "CLNC": marks a file as a clinic database


def _step_2_audit_chain_consent_emergency(conn: Any) -> None:
    """1 -> 2: a hash-chained, append-only audit trail; consent; emergency access.

    The audit table is rebuilt with ``seq`` as its integer primary key and no
    secondary index: every action a person takes appends one entry, so each
    index would be paid on every click, while the admin's viewer reads the
    table rarely (a scan of a year of entries takes well under a second).
    """
    from clinic_app.security.audit import rechain_existing

    conn.execute(
        """CREATE TABLE audit_log (
            seq         INTEGER PRIMARY KEY,      -- chain order, 1, 2, 3...
            id          TEXT NOT NULL,            -- UUIDv7, for sync
            occurred_at TEXT NOT NULL,
            site_id     TEXT NOT NULL,
            user_id     TEXT,
            roles       TEXT NOT NULL DEFAULT '',
            action      TEXT NOT NULL,
            object_kind TEXT NOT NULL DEFAULT '',
            object_id   TEXT NOT NULL DEFAULT '',
            patient_id  TEXT,
            outcome     TEXT NOT NULL,
            detail      TEXT NOT NULL DEFAULT '',
            workstation TEXT NOT NULL,
            prev_hash   TEXT NOT NULL,
            hash        TEXT NOT NULL
        )"""
    )
    row = conn.execute("SELECT value FROM settings WHERE key = 'clinic_id'").fetchone()
    rechain_existing(conn, row[0] if row else "")
    conn.execute("DROP TABLE audit_events")
    conn.execute("ALTER TABLE audit_log RENAME TO audit_events")
    for statement in _STEP_2_SQL:
        conn.execute(statement)
    _national_id_key(conn)


def _national_id_key(conn: Any) -> None:
    """One card, one number: "CI 0012 3456", "CI-0012-3456" and "ci00123456" compare equal.

    The number stays as typed for printing; ``national_id_key`` is its compact
    form, unique. Older files may hold two patients whose numbers only now
    compare equal: the first keeps the key, the others are left without one
    (nothing is lost; the duplicate list of a later issue will show them).
    """
    conn.execute("ALTER TABLE patients ADD COLUMN national_id_key TEXT")
    conn.execute("DROP INDEX patients_national_id")
    taken: set[str] = set()
    rows = conn.execute(
        "SELECT id, national_id FROM patients WHERE national_id IS NOT NULL ORDER BY created_at"
    ).fetchall()
    for patient_id, national_id in rows:
        key = "".join(ch for ch in national_id if ch.isalnum()).upper()
        if key and key not in taken:
            taken.add(key)
            conn.execute("UPDATE patients SET national_id_key = ? WHERE id = ?", (key, patient_id))
    conn.execute(
        "CREATE UNIQUE INDEX patients_national_id_key ON patients (national_id_key) "
        "WHERE national_id_key IS NOT NULL"
    )


_STEP_2_SQL = (
    """CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
       BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END""",
    """CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
       BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END""",
    # Consent: one row per decision; the latest decision for a patient is in force.
    """CREATE TABLE patient_consents (
        id                   TEXT PRIMARY KEY,
        site_id              TEXT NOT NULL,
        patient_id           TEXT NOT NULL REFERENCES patients (id),
        share_with_central   INTEGER NOT NULL,
        share_with_clinics   INTEGER NOT NULL,
        author_id            TEXT NOT NULL,
        recorded_at          TEXT NOT NULL
    )""",
    "CREATE INDEX patient_consents_patient ON patient_consents (patient_id, recorded_at)",
    # Emergency ("break the glass") openings of a chart, for the admin's review.
    """CREATE TABLE emergency_accesses (
        id           TEXT PRIMARY KEY,
        site_id      TEXT NOT NULL,
        user_id      TEXT NOT NULL,
        patient_id   TEXT NOT NULL REFERENCES patients (id),
        reason       TEXT NOT NULL,
        occurred_at  TEXT NOT NULL,
        reviewed_by  TEXT,
        reviewed_at  TEXT,
        review_note  TEXT
    )""",
    "CREATE INDEX emergency_accesses_review ON emergency_accesses (reviewed_at)",
)


def _step_8_patient_search_keys(conn: Any) -> None:
    """7 -> 8: a patient's search key also splits names at apostrophes.

    ``N'Guessan`` was indexed as ``nguessan`` only, so "n guessan" and "guessan"
    found nobody; it is now ``n guessan nguessan`` (``records.search.index_key``).
    Every patient's key is made again by the same function the services use.
    """
    from clinic_app.records.search import patient_search_key

    rows = conn.execute(
        "SELECT id, given_name, family_name, national_id_key, phone FROM patients"
    ).fetchall()
    conn.executemany(
        "UPDATE patients SET search_key = ? WHERE id = ?",
        [(patient_search_key(row[1], row[2], row[3], row[4]), row[0]) for row in rows],
    )


def _step_6_master_data(conn: Any) -> None:
    """5 -> 6: the staff directory, the installed code lists, the clinics' public keys.

    ``staff_directory`` holds central's ``staff_member`` records of this clinic
    (identifiers and roles; passwords and key slots stay in ``keyslots.json``).
    ``code_lists`` says which ICD-11 list is installed, by the SHA-256 of its
    rows (``clinic_app.records.icd11_tabulation.content_sha256``): the list a
    clinic already holds is recorded here, so its first sync does not download
    the same 34,663 codes again. ``clinic_keys`` keeps every clinic's Ed25519
    public key central has published, old ones too (``current`` 0), so a
    document signed before a clinic re-enrolled with a new key still checks.
    """
    from clinic_app.records.icd11_tabulation import table_content_sha256

    for statement in _STEP_6_SQL:
        conn.execute(statement)
    found = conn.execute("SELECT count(*) FROM icd11_codes").fetchone()
    if found and found[0]:
        conn.execute(
            "INSERT INTO code_lists (name, release, language, entries, content_sha256, "
            "source, version, installed_at) VALUES ('icd11', '', '', ?, ?, 'local', NULL, "
            "strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))",
            (found[0], table_content_sha256(conn)),
        )


_STEP_6_SQL = (
    """CREATE TABLE staff_directory (          -- master data, owned by central
        id           TEXT PRIMARY KEY,
        site_id      TEXT NOT NULL,
        username     TEXT NOT NULL,
        display_name TEXT NOT NULL,
        roles        TEXT NOT NULL,            -- comma-separated role names
        active       INTEGER NOT NULL DEFAULT 1,
        updated_at   TEXT NOT NULL
    )""",
    "CREATE INDEX staff_directory_username ON staff_directory (username)",
    """CREATE TABLE code_lists (
        name           TEXT PRIMARY KEY,       -- 'icd11'
        release        TEXT NOT NULL,          -- '2024-01'; '' when not known
        language       TEXT NOT NULL,
        entries        INTEGER NOT NULL,
        content_sha256 TEXT NOT NULL,          -- of the rows, whatever file brought them
        source         TEXT NOT NULL,          -- 'bundled', 'file', 'central', 'local'
        version        INTEGER,                -- central's version number, if from central
        installed_at   TEXT NOT NULL
    )""",
    """CREATE TABLE clinic_keys (
        public_key    TEXT PRIMARY KEY,        -- Ed25519, base64
        clinic_id     TEXT NOT NULL,
        site_code     TEXT NOT NULL,
        clinic_name   TEXT NOT NULL,
        current       INTEGER NOT NULL DEFAULT 1,
        first_seen_at TEXT NOT NULL
    )""",
    "CREATE INDEX clinic_keys_clinic ON clinic_keys (clinic_id)",
    "CREATE INDEX clinic_keys_site_code ON clinic_keys (site_code)",
)

Migration = str | Callable[[Any], None]

MIGRATIONS: list[Migration] = [
    # 0 -> 1: the walking skeleton
    """
    CREATE TABLE settings (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );

    CREATE TABLE users (
        id           TEXT PRIMARY KEY,
        username     TEXT NOT NULL UNIQUE,
        display_name TEXT NOT NULL,
        roles        TEXT NOT NULL,            -- comma-separated role names
        active       INTEGER NOT NULL DEFAULT 1,
        created_at   TEXT NOT NULL,
        updated_at   TEXT NOT NULL
    );

    CREATE TABLE patients (
        id            TEXT PRIMARY KEY,
        site_id       TEXT NOT NULL,
        given_name    TEXT NOT NULL,
        family_name   TEXT NOT NULL,
        sex           TEXT NOT NULL CHECK (sex IN ('female', 'male', 'other', 'unknown')),
        birth_date    TEXT,
        national_id   TEXT,
        phone         TEXT,
        village       TEXT,
        search_key    TEXT NOT NULL,             -- normalised tokens, see records.search
        author_id     TEXT NOT NULL,
        created_at    TEXT NOT NULL,
        updated_at    TEXT NOT NULL
    );
    CREATE UNIQUE INDEX patients_national_id ON patients (national_id)
        WHERE national_id IS NOT NULL;
    CREATE INDEX patients_family_name ON patients (family_name);
    CREATE INDEX patients_created ON patients (created_at);  -- the empty search box

    CREATE TABLE allergies (
        id          TEXT PRIMARY KEY,
        site_id     TEXT NOT NULL,
        patient_id  TEXT NOT NULL REFERENCES patients (id),
        substance   TEXT NOT NULL,
        reaction    TEXT,
        author_id   TEXT NOT NULL,
        created_at  TEXT NOT NULL
    );
    CREATE INDEX allergies_patient ON allergies (patient_id);

    CREATE TABLE encounters (
        id          TEXT PRIMARY KEY,
        site_id     TEXT NOT NULL,
        patient_id  TEXT NOT NULL REFERENCES patients (id),
        occurred_at TEXT NOT NULL,
        complaint   TEXT NOT NULL,
        notes       TEXT NOT NULL DEFAULT '',
        author_id   TEXT NOT NULL,
        created_at  TEXT NOT NULL
    );
    CREATE INDEX encounters_patient ON encounters (patient_id, occurred_at);

    CREATE TABLE observations (
        id           TEXT PRIMARY KEY,
        site_id      TEXT NOT NULL,
        encounter_id TEXT NOT NULL REFERENCES encounters (id),
        patient_id   TEXT NOT NULL REFERENCES patients (id),
        loinc        TEXT NOT NULL,
        value        REAL NOT NULL,
        unit         TEXT NOT NULL,
        author_id    TEXT NOT NULL,
        created_at   TEXT NOT NULL
    );
    CREATE INDEX observations_encounter ON observations (encounter_id);

    CREATE TABLE diagnoses (
        id           TEXT PRIMARY KEY,
        site_id      TEXT NOT NULL,
        encounter_id TEXT NOT NULL REFERENCES encounters (id),
        patient_id   TEXT NOT NULL REFERENCES patients (id),
        system       TEXT NOT NULL,
        code         TEXT NOT NULL,
        display      TEXT NOT NULL,
        author_id    TEXT NOT NULL,
        created_at   TEXT NOT NULL
    );
    CREATE INDEX diagnoses_encounter ON diagnoses (encounter_id);

    CREATE TABLE icd11_codes (
        code          TEXT PRIMARY KEY,
        title         TEXT NOT NULL,             -- WHO's title, unmodified
        chapter       TEXT NOT NULL,
        is_leaf       INTEGER NOT NULL,
        uri           TEXT NOT NULL,
        search_key    TEXT NOT NULL
    );

    CREATE TABLE icd11_aliases (                 -- the project's own search words
        alias       TEXT NOT NULL,
        language    TEXT NOT NULL,
        code        TEXT NOT NULL,
        search_key  TEXT NOT NULL,
        PRIMARY KEY (language, alias, code)
    );

    CREATE TABLE catalogue_items (               -- master data, owned by central
        id              TEXT PRIMARY KEY,
        gtin            TEXT NOT NULL UNIQUE,    -- GTIN-14
        name            TEXT NOT NULL,
        form            TEXT NOT NULL,
        strength        TEXT NOT NULL,
        atc             TEXT,
        unit            TEXT NOT NULL,           -- dispensing unit: tablet, bottle...
        reorder_level   INTEGER NOT NULL DEFAULT 0,
        active          INTEGER NOT NULL DEFAULT 1,
        updated_at      TEXT NOT NULL
    );

    CREATE TABLE document_counters (
        kind     TEXT NOT NULL,
        year     INTEGER NOT NULL,
        last     INTEGER NOT NULL,
        PRIMARY KEY (kind, year)
    );

    CREATE TABLE prescriptions (
        id            TEXT PRIMARY KEY,
        site_id       TEXT NOT NULL,
        number        TEXT NOT NULL UNIQUE,
        patient_id    TEXT NOT NULL REFERENCES patients (id),
        encounter_id  TEXT REFERENCES encounters (id),
        prescriber_id TEXT NOT NULL,
        issued_at     TEXT NOT NULL,
        signature     TEXT NOT NULL,             -- base45 signed payload (QR content)
        created_at    TEXT NOT NULL
    );
    CREATE INDEX prescriptions_patient ON prescriptions (patient_id);

    CREATE TABLE prescription_items (
        id                TEXT PRIMARY KEY,
        prescription_id   TEXT NOT NULL REFERENCES prescriptions (id),
        catalogue_item_id TEXT NOT NULL REFERENCES catalogue_items (id),
        drug_name         TEXT NOT NULL,
        dose              TEXT NOT NULL,
        frequency         TEXT NOT NULL,
        duration_days     INTEGER NOT NULL,
        quantity          INTEGER NOT NULL CHECK (quantity > 0)
    );
    CREATE INDEX prescription_items_prescription ON prescription_items (prescription_id);

    CREATE TABLE sick_leave_certificates (
        id                TEXT PRIMARY KEY,
        site_id           TEXT NOT NULL,
        number            TEXT NOT NULL UNIQUE,
        patient_id        TEXT NOT NULL REFERENCES patients (id),
        encounter_id      TEXT REFERENCES encounters (id),
        doctor_id         TEXT NOT NULL,
        issued_at         TEXT NOT NULL,
        kind              TEXT NOT NULL CHECK (kind IN ('initial', 'extension')),
        extends_id        TEXT REFERENCES sick_leave_certificates (id),  -- extension only
        start_date        TEXT NOT NULL,
        days              INTEGER NOT NULL CHECK (days > 0),
        end_date          TEXT NOT NULL,
        outings_allowed   INTEGER NOT NULL,
        diagnosis_code    TEXT,
        diagnosis_display TEXT,
        signature         TEXT NOT NULL,
        created_at        TEXT NOT NULL
    );
    CREATE INDEX certificates_patient ON sick_leave_certificates (patient_id);
    CREATE UNIQUE INDEX certificates_extends ON sick_leave_certificates (extends_id)
        WHERE extends_id IS NOT NULL;             -- a certificate is extended at most once

    CREATE TABLE stock_movements (               -- the ledger: rows are never changed
        id                   TEXT PRIMARY KEY,
        site_id              TEXT NOT NULL,
        catalogue_item_id    TEXT NOT NULL REFERENCES catalogue_items (id),
        lot                  TEXT NOT NULL,
        expiry               TEXT,               -- ISO date
        kind                 TEXT NOT NULL
            CHECK (kind IN ('receipt', 'dispense', 'adjustment', 'expiry_write_off')),
        quantity             INTEGER NOT NULL CHECK (quantity <> 0),  -- signed
        prescription_item_id TEXT REFERENCES prescription_items (id),
        reason               TEXT NOT NULL DEFAULT '',
        author_id            TEXT NOT NULL,
        occurred_at          TEXT NOT NULL
    );
    CREATE INDEX stock_movements_item_lot ON stock_movements (catalogue_item_id, lot);
    CREATE INDEX stock_movements_prescription_item ON stock_movements (prescription_item_id)
        WHERE prescription_item_id IS NOT NULL;

    CREATE TABLE audit_events (
        id          TEXT PRIMARY KEY,
        occurred_at TEXT NOT NULL,
        user_id     TEXT,
        roles       TEXT NOT NULL DEFAULT '',
        action      TEXT NOT NULL,
        object_kind TEXT NOT NULL DEFAULT '',
        object_id   TEXT NOT NULL DEFAULT '',
        patient_id  TEXT,
        outcome     TEXT NOT NULL,
        workstation TEXT NOT NULL
    );

    CREATE TABLE outbox (                        -- changes waiting to reach central
        seq        INTEGER PRIMARY KEY AUTOINCREMENT,
        kind       TEXT NOT NULL,
        record_id  TEXT NOT NULL,
        payload    TEXT NOT NULL,                -- JSON snapshot of the record
        created_at TEXT NOT NULL
    );

    CREATE TABLE sync_state (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    """,
    # 1 -> 2: security (issue 3)
    _step_2_audit_chain_consent_emergency,
    # 2 -> 3: outbox entries held back because the patient does not consent to
    # sharing with central (see clinic_app.security.consent). ``seq`` keeps the
    # entry's original outbox number; ``patient_id`` is whose consent holds it.
    """
    CREATE TABLE outbox_held (
        seq        INTEGER PRIMARY KEY,
        kind       TEXT NOT NULL,
        record_id  TEXT NOT NULL,
        payload    TEXT NOT NULL,
        created_at TEXT NOT NULL,
        patient_id TEXT NOT NULL,
        held_at    TEXT NOT NULL
    );
    CREATE INDEX outbox_held_patient ON outbox_held (patient_id);
    """,
    # 3 -> 4: sync that merges (issue 4, see docs/sync.md). Patients carry a
    # hybrid-logical-clock version and, per demographic field, the version that
    # wrote it and the version it was based on (JSON {"phone": [version, based_on]}):
    # central and the clinics merge field by field with it. Replaced values are
    # kept in patient_history; concurrent edits land in sync_conflicts (central
    # detects them and sends them to every clinic that sees the patient). A void
    # of an encounter is a new append-only record pointing to it.
    """
    ALTER TABLE patients ADD COLUMN version TEXT NOT NULL DEFAULT '';
    ALTER TABLE patients ADD COLUMN field_versions TEXT NOT NULL DEFAULT '{}';

    CREATE TABLE patient_history (
        id          TEXT PRIMARY KEY,
        patient_id  TEXT NOT NULL REFERENCES patients (id),
        field       TEXT NOT NULL,
        value       TEXT,
        version     TEXT NOT NULL,           -- the version that had written this value
        replaced_by TEXT NOT NULL,           -- the version that replaced it
        recorded_at TEXT NOT NULL
    );
    CREATE INDEX patient_history_patient ON patient_history (patient_id, field);

    CREATE TABLE sync_conflicts (              -- written by central, received by pull
        id              TEXT PRIMARY KEY,
        site_id         TEXT NOT NULL,         -- the patient's clinic
        patient_id      TEXT NOT NULL,
        record_kind     TEXT NOT NULL,         -- 'patient' (a field) or 'encounter' (void)
        record_id       TEXT NOT NULL,
        field           TEXT NOT NULL DEFAULT '',
        value_a         TEXT,
        version_a       TEXT NOT NULL,
        value_b         TEXT,
        version_b       TEXT NOT NULL,
        kept_value      TEXT,                  -- what merging kept meanwhile (later version)
        detected_at     TEXT NOT NULL,
        settled_at      TEXT,
        settled_value   TEXT,
        settled_version TEXT
    );
    CREATE INDEX sync_conflicts_open ON sync_conflicts (settled_at, detected_at);

    CREATE TABLE encounter_voids (
        id           TEXT PRIMARY KEY,
        site_id      TEXT NOT NULL,
        encounter_id TEXT NOT NULL,
        patient_id   TEXT NOT NULL,
        reason       TEXT NOT NULL,
        version      TEXT NOT NULL,
        author_id    TEXT NOT NULL,
        created_at   TEXT NOT NULL
    );
    CREATE INDEX encounter_voids_encounter ON encounter_voids (encounter_id);
    """,
    # 4 -> 5: patients seen at two clinics (issue 4, central.duplicates). A central
    # operator confirmed that two clinics' patient records are one person; the link
    # arrives from central (by sync or in a hand-carried answer) and is never deleted.
    """
    CREATE TABLE patient_links (
        id           TEXT PRIMARY KEY,
        site_a       TEXT NOT NULL,
        patient_a    TEXT NOT NULL,
        site_b       TEXT NOT NULL,
        patient_b    TEXT NOT NULL,
        reason       TEXT NOT NULL,
        confirmed_by TEXT NOT NULL,
        confirmed_at TEXT NOT NULL
    );
    CREATE INDEX patient_links_a ON patient_links (patient_a);
    CREATE INDEX patient_links_b ON patient_links (patient_b);
    """,
    # 5 -> 6: master data from central (issue 4, docs/sync.md "Master data").
    _step_6_master_data,
    # 6 -> 7: consent decisions and the audit trail travel to central (issue 3,
    # docs/sync.md "Audit trail and consent").
    # Each decision carries the hybrid-logical-clock version it was recorded with:
    # the latest version is in force, at the clinic and at central, whatever the
    # wall clocks. Decisions recorded before this step ('' version, older than any)
    # are queued for central now; the next outbox sorting holds those of patients
    # who do not share with central (clinic_app.security.consent). The audit trail
    # needs nothing here: its cursor starts at 0, so the first sync after this step
    # copies the whole trail (clinic_app.security.audit.queue_audit_for_central).
    """
    ALTER TABLE patient_consents ADD COLUMN version TEXT NOT NULL DEFAULT '';
    INSERT INTO outbox (kind, record_id, payload, created_at)
        SELECT 'patient_consent', id,
               json_object('id', id, 'site_id', site_id, 'patient_id', patient_id,
                           'share_with_central', share_with_central,
                           'share_with_clinics', share_with_clinics,
                           'author_id', author_id, 'recorded_at', recorded_at,
                           'version', version),
               recorded_at
        FROM patient_consents ORDER BY recorded_at, rowid;
    """,
    # 7 -> 8: patients' search keys split at apostrophes too (issue 2, found by QA).
    _step_8_patient_search_keys,
]

SCHEMA_VERSION = len(MIGRATIONS)
