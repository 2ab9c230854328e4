"""Hybrid logical clock: versions that order edits even when a clinic's wall clock is wrong.

A version is ``WWWWWWWWWWWWW.CCCCC.<site id>``: the wall time in milliseconds
(13 digits), a counter (5 digits) and the clinic that wrote it. Fixed widths
make the text order the clock order, so versions compare as plain strings in
SQL and Python alike; the site id breaks ties between two clinics. The empty
string is the version of a field nobody has edited since registration (older
than every real version).

Rules the clock keeps (Kulkarni et al., "Logical physical clocks", 2014):

* ``tick`` gives a version greater than every version this clinic wrote *or
  saw*: a clinic whose clock is two days behind still orders its edit after
  the edit it just pulled.
* ``observe`` (called for every version seen in a pull) moves the clock past
  it; a version from a clinic two hours ahead drags this clinic's versions
  along, which is the point: nothing seen is ever outranked by an older edit.
* The last version is kept in ``sync_state`` (key ``hlc_last``) and advanced
  in the writing transaction, so a restart or a power cut never repeats one.

The wall clock is injectable per store (:func:`set_wall_clock`): tests play
clinics whose clocks are hours ahead or days behind.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable
from datetime import datetime
from typing import NamedTuple

from clinic_app.clock import Clock, utc_now
from clinic_app.storage.store import Store, Tx

HLC_STATE_KEY = "hlc_last"
WALL_DIGITS = 13
COUNTER_DIGITS = 5
MAX_COUNTER = 10**COUNTER_DIGITS - 1

_wall_clocks: weakref.WeakKeyDictionary[Store, Clock] = weakref.WeakKeyDictionary()


class Hlc(NamedTuple):
    wall_ms: int
    counter: int
    site_id: str

    def text(self) -> str:
        return f"{self.wall_ms:0{WALL_DIGITS}d}.{self.counter:0{COUNTER_DIGITS}d}.{self.site_id}"


def parse_version(text: str) -> Hlc | None:
    """The parts of a version, or None for the empty (registration) version or garbage."""
    wall, _, rest = text.partition(".")
    counter, _, site_id = rest.partition(".")
    if len(wall) != WALL_DIGITS or len(counter) != COUNTER_DIGITS:
        return None
    if not (wall.isdigit() and counter.isdigit()):
        return None
    return Hlc(int(wall), int(counter), site_id)


def is_version(text: object) -> bool:
    return isinstance(text, str) and (text == "" or parse_version(text) is not None)


def set_wall_clock(store: Store, clock: Clock | None) -> None:
    """Use ``clock`` as this store's wall clock (None: the real one again). For tests."""
    if clock is None:
        _wall_clocks.pop(store, None)
    else:
        _wall_clocks[store] = clock


def wall_clock(store: Store) -> Clock:
    return _wall_clocks.get(store, utc_now)


def _ms(instant: datetime) -> int:
    return int(instant.timestamp() * 1000)


def _last(tx: Tx) -> Hlc | None:
    row = tx.one("SELECT value FROM sync_state WHERE key = ?", (HLC_STATE_KEY,))
    return parse_version(row["value"]) if row is not None else None


def _keep(tx: Tx, version: Hlc) -> None:
    tx.execute(
        "INSERT INTO sync_state (key, value) VALUES (?, ?) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (HLC_STATE_KEY, version.text()),
    )


def tick(store: Store, tx: Tx, site_id: str) -> str:
    """A new version for a write in ``tx``: after every version written or seen here."""
    now = _ms(wall_clock(store)())
    last = _last(tx)
    if last is None or now > last.wall_ms:
        new = Hlc(now, 0, site_id)
    elif last.counter < MAX_COUNTER:
        new = Hlc(last.wall_ms, last.counter + 1, site_id)
    else:  # 100 000 writes in one millisecond: borrow the next millisecond
        new = Hlc(last.wall_ms + 1, 0, site_id)
    _keep(tx, new)
    return new.text()


def observe(tx: Tx, versions: Iterable[str]) -> None:
    """Move the clock past every version in ``versions`` (seen in a pull), in ``tx``."""
    seen = [v for v in (parse_version(text) for text in versions if text) if v is not None]
    if not seen:
        return
    newest = max(seen)
    last = _last(tx)
    if last is None or (newest.wall_ms, newest.counter) > (last.wall_ms, last.counter):
        _keep(tx, newest)


def current(tx: Tx) -> str:
    """The last version written or seen here ("" before the first)."""
    last = _last(tx)
    return last.text() if last is not None else ""
