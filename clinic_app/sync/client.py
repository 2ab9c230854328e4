"""The HTTP client of central's API (protocol 1), on ``requests``.

Rules it keeps:

* Every call has a connect and a read timeout, and its answer a deadline
  (``ANSWER_DEADLINE_S``) and a size limit (``MAX_ANSWER_BYTES``): on a 2G link
  a hung request must end, and a server that trickles bytes or sends without
  end must not keep the sync worker (or its memory) for ever.
* Request bodies are gzip-compressed; answers are gunzipped by ``requests``.
* Every failure becomes one typed error (``clinic_app.sync.errors``): no
  ``requests`` exception escapes. An answer without central's protocol header
  (a captive portal's web page, a proxy's error) is ``ServerAnswerInvalid``.
* Nothing here writes the clinic database or keeps state beyond the token.
"""

from __future__ import annotations

import gzip
import json
import logging
import time
from dataclasses import dataclass
from typing import Any

import requests
import requests.auth
import urllib3

from clinic_app.sync.errors import (
    ChangesRefused,
    EnrolmentInvalid,
    EnrolmentRefused,
    ServerAddressInvalid,
    ServerAnswerInvalid,
    ServerUnreachable,
    SiteCodeTaken,
    TokenRefused,
    UpgradeRequired,
)

__all__ = [
    "DEFAULT_TIMEOUT",
    "CentralClient",
    "ChangesRefused",
    "EnrolmentInvalid",
    "EnrolmentRefused",
    "PullPage",
    "RemoteChange",
    "ServerAddressInvalid",
    "ServerAnswerInvalid",
    "ServerUnreachable",
    "SiteCodeTaken",
    "TokenRefused",
    "UpgradeRequired",
]

log = logging.getLogger(__name__)

PROTOCOL_VERSION = 1
PROTOCOL_HEADER = "X-Clinic-Protocol"
API_PREFIX = "/api/v1"
DEFAULT_TIMEOUT: tuple[float, float] = (5.0, 20.0)  # (connect, read) seconds
# The whole answer of one call, from sending to its last byte. Central's biggest
# answer (a pull page of 500 records, ~250 KB gzipped) takes under 60 s at 40 kbit/s.
ANSWER_DEADLINE_S = 300.0
# Decompressed: a pull page is well under 2 MB; anything beyond is not central talking.
MAX_ANSWER_BYTES = 32 * 1024 * 1024
_ANSWER_PIECE = 64 * 1024


@dataclass(frozen=True)
class RemoteChange:
    """One record from central: its global sequence, kind, id and full row."""

    seq: int
    kind: str
    id: str
    payload: dict[str, Any]


@dataclass(frozen=True)
class PullPage:
    changes: list[RemoteChange]
    last_seq: int
    more: bool


class CentralClient:
    """Talks to one central server; ``token`` is the clinic's device token once enrolled."""

    protocol_version: int = PROTOCOL_VERSION

    def __init__(
        self,
        base_url: str,
        token: str | None = None,
        *,
        timeout: tuple[float, float] = DEFAULT_TIMEOUT,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.timeout = timeout
        self.answer_deadline = ANSWER_DEADLINE_S
        self._http = requests.Session()
        self._http.headers.update(
            {
                PROTOCOL_HEADER: str(self.protocol_version),
                "Accept": "application/json",
                "Accept-Encoding": "gzip",
                "User-Agent": f"clinic-app-sync/{self.protocol_version}",
            }
        )
        # trust_env stays on: an institution's proxy and CA bundle come from the environment.

    def __enter__(self) -> CentralClient:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    # --- the API ----------------------------------------------------------------------

    def server_status(self) -> dict[str, Any]:
        answer = self._call("GET", "/status", authorised=False)
        if not isinstance(answer.get("protocol"), int):
            raise ServerAnswerInvalid(detail="status without protocol")
        return answer

    def enrol(
        self,
        *,
        username: str,
        password: str,
        clinic_id: str,
        clinic_name: str,
        site_code: str,
        public_key: str,
    ) -> str:
        """Enrol this clinic with a central operator's credentials; return the device token."""
        answer = self._call(
            "POST",
            "/enrol",
            body={
                "username": username,
                "password": password,
                "clinic_id": clinic_id,
                "clinic_name": clinic_name,
                "site_code": site_code,
                "public_key": public_key,
            },
            authorised=False,
            enrolling=True,
        )
        token = answer.get("device_token")
        if not isinstance(token, str) or not token:
            raise ServerAnswerInvalid(detail="enrolment answer without a token")
        return token

    def push(self, batch_id: str, changes: list[dict[str, Any]]) -> int:
        """Send one batch ``{seq, kind, id, payload}``; return the highest seq central holds."""
        answer = self._call("POST", "/push", body={"batch_id": batch_id, "changes": changes})
        acked = answer.get("acked_seq")
        if not isinstance(acked, int) or isinstance(acked, bool):
            raise ServerAnswerInvalid(detail="push answer without acked_seq")
        return acked

    def pull(self, after: int, limit: int, *, own: bool = False) -> PullPage:
        """A page of changes after ``after``; ``own``: this clinic's own records too
        (a clinic restored from a backup, ``sync.service.mark_restored``)."""
        params: dict[str, Any] = {"after": after, "limit": limit}
        if own:
            params["own"] = "true"
        answer = self._call("GET", "/pull", params=params)
        return _read_pull_page(answer, after)

    # --- transport ----------------------------------------------------------------------

    def _call(
        self,
        method: str,
        path: str,
        *,
        body: dict[str, Any] | None = None,
        params: dict[str, Any] | None = None,
        authorised: bool = True,
        enrolling: bool = False,
    ) -> dict[str, Any]:
        headers: dict[str, str] = {}
        data: bytes | None = None
        auth: _BearerToken | None = None
        if authorised:
            if not self.token:
                raise TokenRefused()
            auth = _BearerToken(self.token)
        if body is not None:
            data = gzip.compress(json.dumps(body, separators=(",", ":")).encode("utf-8"))
            headers["Content-Type"] = "application/json"
            headers["Content-Encoding"] = "gzip"
        url = self.base_url + API_PREFIX + path
        deadline = time.monotonic() + self.answer_deadline
        try:
            response = self._http.request(
                method,
                url,
                data=data,
                params=params,
                headers=headers,
                auth=auth,
                timeout=self.timeout,
                allow_redirects=False,
                stream=True,
            )
            with response:
                raw = _read_body(response, deadline)  # inside the try: it may stall or break
        except (
            requests.exceptions.InvalidURL,
            requests.exceptions.MissingSchema,
            requests.exceptions.InvalidSchema,
        ) as exc:
            raise ServerAddressInvalid(url=self.base_url) from exc
        except (requests.exceptions.ContentDecodingError, urllib3.exceptions.DecodeError) as exc:
            raise ServerAnswerInvalid(detail="undecodable body") from exc
        except (
            requests.exceptions.ConnectionError,
            requests.exceptions.Timeout,
            requests.exceptions.ChunkedEncodingError,
        ) as exc:
            log.info("central unreachable: %s", type(exc).__name__)
            raise ServerUnreachable() from exc
        except (requests.exceptions.RequestException, urllib3.exceptions.HTTPError, OSError) as exc:
            log.warning("central request failed: %s", type(exc).__name__)
            raise ServerUnreachable() from exc
        return _read_answer(response, raw, enrolling=enrolling)


def _read_body(response: requests.Response, deadline: float) -> bytes:
    """The answer's body, decompressed, as it arrives: refused past the deadline or the
    size limit. ``read1`` returns whatever came, so a trickle cannot hide the clock."""
    pieces: list[bytes] = []
    size = 0
    while True:
        if time.monotonic() > deadline:
            log.info("central's answer too slow: given up after %.0f s", ANSWER_DEADLINE_S)
            raise ServerUnreachable()
        piece = response.raw.read1(_ANSWER_PIECE, decode_content=True)
        if not piece:
            if response.raw.isclosed() or response.raw.length_remaining == 0:
                return b"".join(pieces)
            continue
        size += len(piece)
        if size > MAX_ANSWER_BYTES:
            raise ServerAnswerInvalid(detail="answer too large, not a central server")
        pieces.append(piece)


class _BearerToken(requests.auth.AuthBase):
    """The device token; given explicitly so a stray ~/.netrc can never replace it."""

    def __init__(self, token: str) -> None:
        self._token = token

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        request.headers["Authorization"] = f"Bearer {self._token}"
        return request

    def __repr__(self) -> str:
        return "_BearerToken(<hidden>)"  # never print the token in a traceback


def _read_answer(
    response: requests.Response, raw: bytes, *, enrolling: bool = False
) -> dict[str, Any]:
    status = response.status_code
    if status >= 500:
        raise ServerAnswerInvalid(detail=f"HTTP {status}")
    speaks_protocol = response.headers.get(PROTOCOL_HEADER)
    if speaks_protocol is None:
        # A captive portal or a proxy answered, not central.
        raise ServerAnswerInvalid(detail=f"HTTP {status}, not a central server")
    try:
        answer = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ServerAnswerInvalid(detail=f"HTTP {status}, not JSON") from exc
    if not isinstance(answer, dict):
        raise ServerAnswerInvalid(detail=f"HTTP {status}, unexpected JSON")
    code = answer.get("error") if status >= 400 else None
    if status == 426:
        raise UpgradeRequired()
    if status == 401:
        if code == "enrolment_refused":
            raise EnrolmentRefused()
        raise TokenRefused()
    if status == 409 and code == "site_code_taken":
        raise SiteCodeTaken(code=str(answer.get("site_code") or "?")[:16])
    if enrolling and status == 422:
        # Central's English sentence naming the field (site code, clinic name, key).
        message = answer.get("message")
        raise EnrolmentInvalid(detail=str(message if isinstance(message, str) else code)[:200])
    if status in (403, 409, 413, 422):
        reason = code if isinstance(code, str) else f"HTTP {status}"
        raise ChangesRefused(reason=reason)
    if status != 200:
        raise ServerAnswerInvalid(detail=f"HTTP {status}")
    return answer


def _read_pull_page(answer: dict[str, Any], after: int) -> PullPage:
    raw_changes = answer.get("changes")
    last_seq = answer.get("last_seq")
    more = answer.get("more")
    if (
        not isinstance(raw_changes, list)
        or not isinstance(last_seq, int)
        or not isinstance(more, bool)
    ):
        raise ServerAnswerInvalid(detail="pull answer of the wrong shape")
    changes: list[RemoteChange] = []
    previous = after
    for item in raw_changes:
        if not isinstance(item, dict):
            raise ServerAnswerInvalid(detail="pull change of the wrong shape")
        seq, kind, record_id, payload = (
            item.get("seq"),
            item.get("kind"),
            item.get("id"),
            item.get("payload"),
        )
        if not (
            isinstance(seq, int)
            and isinstance(kind, str)
            and isinstance(record_id, str)
            and isinstance(payload, dict)
        ):
            raise ServerAnswerInvalid(detail="pull change of the wrong shape")
        if seq <= previous:
            # The cursor only moves forward; going back would re-apply or skip changes.
            raise ServerAnswerInvalid(detail="pull changes out of order")
        previous = seq
        changes.append(RemoteChange(seq, kind, record_id, payload))
    if last_seq < previous:
        raise ServerAnswerInvalid(detail="pull cursor behind its changes")
    return PullPage(changes, last_seq, more)
