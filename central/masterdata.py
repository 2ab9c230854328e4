"""Master data central owns and hands out: code lists, the staff directory, the clinics' keys.

A clinic never sends any of it back (``staff_member`` is a master kind: a push
carrying one is refused 403 ``kind_refused``). Three shapes, each fitted to its size:

* **Code lists** (the ICD-11 list, 34,663 codes): far too many for the change
  feed. Each seeded list is one *version*: a gzip artefact
  (``clinic_app.records.icd11_tabulation``) stored whole in ``code_lists``,
  named by the SHA-256 of its bytes and, apart, by the SHA-256 of its rows.
  Clinics download it by byte ranges (``GET /api/v1/codelists/icd11/<version>``),
  so a cut download resumes. Seeding rows that central already holds adds
  nothing; a version is never changed once written.
* **Staff directory**: ``staff_member`` records in ``records``, one per person
  and clinic, with that clinic's ``site_id`` and ``changed_by`` NULL: the pull's
  own scoping then sends each clinic its own staff only. Identifiers and roles,
  never a password or a key: those exist only at the clinic, wrapped by the
  person's own password (``clinic_app.security.accounts``).
* **Clinics' public keys**: read from ``sites`` (enrolment keeps them there),
  published whole with a version (a hash of the list) so a clinic asks "has
  it changed since <version>?" and gets the list only when it has.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, and_, func, select, update
from sqlalchemy.engine import Connection

from central.db import code_lists, records, sites
from central.services import (
    CentralError,
    _store_change_counter,
    _take_change_counter,
    canonical_json,
    invalid,
    payload_problem,
    read_transaction,
    utc_now,
    write_transaction,
)
from clinic_app.errors import InvalidInput
from clinic_app.ids import stable_id
from clinic_app.records.icd11_tabulation import (
    BUNDLED_FILE,
    CodeListVersion,
    content_sha256,
    read_icd11_rows,
    release_from_name,
    write_artefact,
)
from clinic_app.security.permissions import Role, format_roles

STAFF_KIND = "staff_member"
ICD11 = "icd11"
CODE_LIST_NAMES = frozenset({ICD11})
# The clinic's own rule for user names (clinic_app.security.accounts; a test keeps them equal).
STAFF_USERNAME_PATTERN = re.compile(r"[a-z0-9][a-z0-9._-]{1,31}")
MAX_DISPLAY_NAME = 200
MAX_CODE_LIST_FILE = 64 * 1024 * 1024  # WHO's whole English file is 5.4 MB
_RELEASE_PATTERN = re.compile(r"[0-9A-Za-z][0-9A-Za-z._-]{0,39}")
_LANGUAGE_PATTERN = re.compile(r"[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})?")
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


# --- code lists ---------------------------------------------------------------------------


def _info(row: Any) -> CodeListVersion:
    return CodeListVersion(
        name=row.name,
        version=int(row.version),
        release=row.release,
        language=row.language,
        entries=int(row.entries),
        content_sha256=row.content_sha256,
        sha256=row.sha256,
        size=int(row.size),
    )


_INFO_COLUMNS = (
    code_lists.c.name,
    code_lists.c.version,
    code_lists.c.release,
    code_lists.c.language,
    code_lists.c.entries,
    code_lists.c.content_sha256,
    code_lists.c.sha256,
    code_lists.c.size,
)


def bundled_icd11_file() -> Path:
    """The WHO list the clinic program ships (``resources/icd11``): the default seed."""
    from clinic_app.resources import resource_path

    return resource_path(*BUNDLED_FILE)


def read_icd11_file(path: Path) -> list[tuple[str, str, str, int, str, str]]:
    """The coded categories of a WHO tabulation (``.tsv`` or ``.tsv.gz``), read by the
    clinic's own reader. ``ValueError`` says what is wrong; ``OSError`` passes through."""
    if path.stat().st_size > MAX_CODE_LIST_FILE:
        raise ValueError(f"{path}: larger than {MAX_CODE_LIST_FILE // (1024 * 1024)} MiB")
    try:
        if path.suffix == ".gz":
            with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
                rows = list(read_icd11_rows(handle))
        else:
            with path.open(encoding="utf-8-sig", newline="") as handle:
                rows = list(read_icd11_rows(handle))
    except InvalidInput as exc:
        raise ValueError(f"{path}: {exc}") from exc
    except (UnicodeDecodeError, EOFError, gzip.BadGzipFile) as exc:
        raise ValueError(f"{path}: not a UTF-8 tabulation ({type(exc).__name__})") from exc
    if not rows:
        raise ValueError(f"{path}: holds no ICD-11 codes")
    codes = [row[0] for row in rows]
    if len(set(codes)) != len(codes):
        raise ValueError(f"{path}: a code appears twice")
    return rows


def seed_icd11(
    engine: Engine,
    path: Path | None = None,
    *,
    release: str | None = None,
    language: str | None = None,
) -> tuple[CodeListVersion, bool]:
    """Store the ICD-11 list of ``path`` (default: the list the clinics ship) as a new version.

    Returns the version clinics will get and whether it is new. Rows central
    holds already, with the same release and language, add no version (seeding
    is idempotent). ``release`` and ``language`` default to what WHO's file
    name says (``icd11-mms-2024-01-en.tsv``).
    """
    path = path or bundled_icd11_file()
    named_release, named_language = release_from_name(path.name)
    release = (release if release is not None else named_release).strip()
    language = (language if language is not None else named_language).strip().lower()
    if not _RELEASE_PATTERN.fullmatch(release):
        raise invalid("say which ICD-11 release the file is (such as --release 2024-01)")
    if not _LANGUAGE_PATTERN.fullmatch(language):
        raise invalid("say the list's language (such as --language fr)")
    rows = read_icd11_file(path)
    artefact = write_artefact(rows)
    content = content_sha256(rows)
    with write_transaction(engine) as conn:
        _take_change_counter(conn)  # the writers' lock: two seeds never take one version
        latest = conn.execute(
            select(*_INFO_COLUMNS)
            .where(code_lists.c.name == ICD11)
            .order_by(code_lists.c.version.desc())
            .limit(1)
        ).first()
        if (
            latest is not None
            and latest.content_sha256 == content
            and (latest.release, latest.language) == (release, language)
        ):
            return _info(latest), False
        info = CodeListVersion(
            name=ICD11,
            version=(int(latest.version) if latest is not None else 0) + 1,
            release=release,
            language=language,
            entries=len(rows),
            content_sha256=content,
            sha256=hashlib.sha256(artefact).hexdigest(),
            size=len(artefact),
        )
        conn.execute(
            code_lists.insert().values(**asdict(info), content=artefact, created_at=utc_now())
        )
    return info, True


def latest_code_list(engine: Engine, name: str) -> CodeListVersion | None:
    with read_transaction(engine) as conn:
        row = conn.execute(
            select(*_INFO_COLUMNS)
            .where(code_lists.c.name == name)
            .order_by(code_lists.c.version.desc())
            .limit(1)
        ).first()
    return _info(row) if row is not None else None


def code_list_content(engine: Engine, name: str, version: int) -> tuple[CodeListVersion, bytes]:
    """One version's artefact; 404 ``unknown_code_list`` if central has no such version."""
    with read_transaction(engine) as conn:
        row = conn.execute(
            select(*_INFO_COLUMNS, code_lists.c.content).where(
                and_(code_lists.c.name == name, code_lists.c.version == version)
            )
        ).first()
    if row is None:
        raise CentralError(
            404, "unknown_code_list", f"central has no version {version} of code list {name[:40]!r}"
        )
    return _info(row), bytes(row.content)


# --- clinics' public keys -------------------------------------------------------------------


def clinic_keys(engine: Engine) -> tuple[str, list[dict[str, str]]]:
    """Every enrolled clinic's Ed25519 public key, and a version naming this list."""
    with read_transaction(engine) as conn:
        rows = conn.execute(
            select(sites.c.clinic_id, sites.c.site_code, sites.c.name, sites.c.public_key).order_by(
                sites.c.clinic_id
            )
        ).all()
    keys = [
        {
            "clinic_id": row.clinic_id,
            "site_code": row.site_code,
            "name": row.name,
            "public_key": row.public_key,
        }
        for row in rows
    ]
    version = hashlib.sha256(json.dumps(keys, sort_keys=True).encode("utf-8")).hexdigest()[:32]
    return version, keys


def master_data_summary(engine: Engine, known_keys_version: str | None) -> dict[str, Any]:
    """What a clinic checks at each sync, in one small answer.

    The newest version of each code list (a clinic downloads it only when its
    rows differ from those it holds) and the clinics' keys — the list itself
    only when its version differs from ``known_keys_version``.
    """
    lists = [latest_code_list(engine, name) for name in sorted(CODE_LIST_NAMES)]
    version, keys = clinic_keys(engine)
    return {
        "code_lists": [info.as_json() for info in lists if info is not None],
        "clinic_keys": {
            "version": version,
            "keys": keys if known_keys_version != version else None,
        },
    }


# --- the staff directory --------------------------------------------------------------------


@dataclass(frozen=True)
class StaffMember:
    id: str
    site_id: str
    site_code: str
    username: str
    display_name: str
    roles: str  # comma-separated, as the clinic stores them
    active: bool
    updated_at: str


def check_staff_username(username: object) -> str:
    if not isinstance(username, str) or not STAFF_USERNAME_PATTERN.fullmatch(
        username.strip().lower()
    ):
        raise invalid(
            "a user name has 2 to 32 characters: lower-case letters, digits, dot, dash "
            "or underscore, starting with a letter or digit"
        )
    return username.strip().lower()


def check_staff_roles(roles: Iterable[str]) -> str:
    """Role names (nurse, doctor, storekeeper, admin), as the clinic writes them."""
    names = {name.strip().lower() for name in roles if name.strip()}
    known = {role.value for role in Role}
    unknown = sorted(names - known)
    if unknown or not names:
        raise invalid(
            f"roles must be one or more of {', '.join(sorted(known))}"
            + (f" (not {', '.join(repr(n[:20]) for n in unknown[:3])})" if unknown else "")
        )
    return format_roles({Role(name) for name in names})


def _check_display_name(display_name: object) -> str:
    if not isinstance(display_name, str):
        raise invalid("the name must be text")
    display_name = " ".join(display_name.split())
    if not display_name or len(display_name) > MAX_DISPLAY_NAME or _CONTROL.search(display_name):
        raise invalid(f"the name needs 1 to {MAX_DISPLAY_NAME} printable characters")
    return display_name


def _site(conn: Connection, site_code: str) -> tuple[str, str]:
    code = site_code.strip().upper()
    row = conn.execute(
        select(sites.c.clinic_id, sites.c.site_code).where(func.upper(sites.c.site_code) == code)
    ).first()
    if row is None:
        raise CentralError(
            404,
            "unknown_site",
            f"no clinic with site code {code[:16]!r} is enrolled; a clinic's staff can be "
            "added once it has enrolled",
        )
    return str(row.clinic_id), str(row.site_code)


def staff_id(site_id: str, username: str) -> str:
    """One id per person and clinic, the same every time (the clinic's user id too)."""
    return stable_id(STAFF_KIND, f"{site_id}:{username}")


def _stored_staff(conn: Connection, record_id: str) -> dict[str, Any] | None:
    payload = conn.execute(
        select(records.c.payload).where(
            and_(records.c.kind == STAFF_KIND, records.c.id == record_id)
        )
    ).scalar_one_or_none()
    return json.loads(payload) if payload is not None else None


def _write_staff(
    conn: Connection, payload: dict[str, Any], stored: dict[str, Any] | None
) -> dict[str, Any]:
    """Store a new version of a staff member under the next change sequence (the writers'
    lock is already held); nothing when only ``updated_at`` would change."""
    if stored is not None and {k: v for k, v in stored.items() if k != "updated_at"} == payload:
        return stored
    now = utc_now()
    full = {**payload, "updated_at": now.isoformat(timespec="microseconds")}
    problem = payload_problem(STAFF_KIND, full)
    if problem is not None:  # the checks above are stricter; this is a backstop
        raise invalid(f"staff member: {problem}")
    seq = _take_change_counter(conn) + 1
    values = {"payload": canonical_json(full), "change_seq": seq, "received_at": now}
    if stored is None:
        conn.execute(
            records.insert().values(
                kind=STAFF_KIND,
                id=full["id"],
                site_id=full["site_id"],
                patient_id=None,
                changed_by=None,  # central wrote it: the clinic's pull sends it
                **values,
            )
        )
    else:
        conn.execute(
            update(records)
            .where(and_(records.c.kind == STAFF_KIND, records.c.id == full["id"]))
            .values(changed_by=None, **values)
        )
    _store_change_counter(conn, seq)
    return full


def _member(payload: dict[str, Any], site_code: str) -> StaffMember:
    return StaffMember(
        id=payload["id"],
        site_id=payload["site_id"],
        site_code=site_code,
        username=payload["username"],
        display_name=payload["display_name"],
        roles=payload["roles"],
        active=bool(payload.get("active", 1)),
        updated_at=payload["updated_at"],
    )


def add_staff(
    engine: Engine, *, site_code: str, username: str, display_name: str, roles: Iterable[str]
) -> tuple[StaffMember, bool]:
    """Add a person to a clinic's staff (or update them, active again); return them and
    whether anything changed. The clinic's admin then opens their account there."""
    username = check_staff_username(username)
    display_name = _check_display_name(display_name)
    role_text = check_staff_roles(roles)
    with write_transaction(engine) as conn:
        _take_change_counter(conn)  # first: the writers' lock (central.services)
        site_id, code = _site(conn, site_code)
        record_id = staff_id(site_id, username)
        stored = _stored_staff(conn, record_id)
        payload = {
            "id": record_id,
            "site_id": site_id,
            "username": username,
            "display_name": display_name,
            "roles": role_text,
            "active": 1,
        }
        full = _write_staff(conn, payload, stored)
    return _member(full, code), full is not stored


def deactivate_staff(engine: Engine, *, site_code: str, username: str) -> tuple[StaffMember, bool]:
    """Mark a person inactive at their clinic: the clinic disables their login at its next
    sync. Nothing is deleted (their records keep naming them). 404 if unknown."""
    username = check_staff_username(username)
    with write_transaction(engine) as conn:
        _take_change_counter(conn)
        site_id, code = _site(conn, site_code)
        stored = _stored_staff(conn, staff_id(site_id, username))
        if stored is None:
            raise CentralError(
                404, "unknown_staff", f"{code} has no staff member with user name {username!r}"
            )
        payload = {k: v for k, v in stored.items() if k != "updated_at"}
        payload["active"] = 0
        full = _write_staff(conn, payload, stored)
    return _member(full, code), full is not stored


def list_staff(engine: Engine, site_code: str | None = None) -> list[StaffMember]:
    """Every staff member (of one clinic), by clinic then user name."""
    with read_transaction(engine) as conn:
        query = (
            select(records.c.payload, sites.c.site_code)
            .join(sites, sites.c.clinic_id == records.c.site_id)
            .where(records.c.kind == STAFF_KIND)
        )
        if site_code is not None:
            site_id, _code = _site(conn, site_code)
            query = query.where(records.c.site_id == site_id)
        rows = conn.execute(query).all()
    members = [_member(json.loads(row.payload), row.site_code) for row in rows]
    return sorted(members, key=lambda m: (m.site_code, m.username))
