"""HTTP layer: routers under /api/v1, protocol version check, gzip both ways.

Routers only translate HTTP to service calls (``central.services``) and back;
they hold no rule and no state. Every answer carries ``X-Clinic-Protocol``;
a client speaking another version gets 426 and a JSON reason. Request bodies
may arrive gzip-compressed (``Content-Encoding: gzip``): the clinics sit on
2G links, so they always compress.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated, Any

import anyio.to_thread
from fastapi import APIRouter, Depends, FastAPI, Header, Query, Request
from fastapi import Path as PathParam
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from sqlalchemy import Engine
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from central import services
from central.protocol import (
    API_PREFIX,
    MAX_ID_LENGTH,
    MAX_INT,
    MAX_PULL_LIMIT,
    PROTOCOL_HEADER,
    PROTOCOL_VERSION,
)
from central.services import CentralError

MAX_COMPRESSED_BODY = 8 * 1024 * 1024
MAX_BODY = 32 * 1024 * 1024  # after decompression: a gzip bomb stops here
_BODILESS = frozenset({"GET", "HEAD", "OPTIONS", "DELETE"})


def error_body(code: str, message: str, **details: Any) -> dict[str, Any]:
    return {**details, "error": code, "message": message}


class BodyTooLarge(ValueError):
    pass


class ProtocolMiddleware:
    """Checks the protocol version, stamps it on every answer, and un-gzips request bodies."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {key.decode("latin-1").lower(): value for key, value in scope["headers"]}
        stamp = (PROTOCOL_HEADER.lower().encode(), str(PROTOCOL_VERSION).encode())

        async def send_stamped(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), stamp]}
            await send(message)

        path: str = scope["path"]
        declared = headers.get(PROTOCOL_HEADER.lower())
        # The status page may be opened without the header (curl, a browser, a probe).
        may_omit = path == f"{API_PREFIX}/status" and declared is None
        if path.startswith("/api/") and not may_omit and declared != str(PROTOCOL_VERSION).encode():
            response = JSONResponse(
                error_body(
                    "upgrade_required",
                    f"This central speaks protocol {PROTOCOL_VERSION}; "
                    "install the program version that matches it.",
                ),
                status_code=426,
            )
            await response(scope, receive, send_stamped)
            return

        # Every body is read here, within a limit, before any route sees it: uvicorn sets none.
        if scope["method"] not in _BODILESS:
            gzipped = headers.get("content-encoding", b"").strip().lower() == b"gzip"
            try:
                body = await _read_body(
                    receive, headers, MAX_COMPRESSED_BODY if gzipped else MAX_BODY
                )
                if gzipped:
                    body = _gunzip(body)
            except BodyTooLarge as exc:
                await JSONResponse(error_body("request_too_large", str(exc)), status_code=413)(
                    scope, receive, send_stamped
                )
                return
            except ValueError as exc:
                await JSONResponse(error_body("invalid_request", str(exc)), status_code=400)(
                    scope, receive, send_stamped
                )
                return
            scope = dict(scope)
            scope["headers"] = [
                (key, value)
                for key, value in scope["headers"]
                if key.lower() not in (b"content-encoding", b"content-length")
            ] + [(b"content-length", str(len(body)).encode())]
            receive = _replay(body, receive)

        await self.app(scope, receive, send_stamped)


async def _read_body(receive: Receive, headers: dict[str, bytes], limit: int) -> bytes:
    declared = headers.get("content-length", b"").strip()
    if declared.isdigit() and len(declared) < 20 and int(declared) > limit:
        raise BodyTooLarge(f"request body larger than {limit // (1024 * 1024)} MiB")
    body = bytearray()
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise ValueError("the client went away")
        body += message.get("body", b"")
        if len(body) > limit:
            raise BodyTooLarge(f"request body larger than {limit // (1024 * 1024)} MiB")
        if not message.get("more_body", False):
            return bytes(body)


def _gunzip(compressed: bytes) -> bytes:
    inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    try:
        body = inflater.decompress(compressed, MAX_BODY)
    except zlib.error as exc:
        raise ValueError("the request body is not valid gzip") from exc
    if inflater.unconsumed_tail:
        raise BodyTooLarge("request body too large once decompressed")
    if not inflater.eof:
        raise ValueError("the request body is truncated gzip")
    return body


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()  # later calls wait for the disconnect, as usual

    return replay


# --- request and answer shapes ---------------------------------------------------------


# Gross bounds only (types, sizes): ``central.services`` checks the content and says
# precisely what is wrong. Strict: "5" is not a number, 5.0 is not a sequence.


class EnrolRequest(BaseModel, strict=True):
    username: str = Field(max_length=256)
    password: str = Field(max_length=1024)
    clinic_id: str = Field(max_length=256)
    clinic_name: str = Field(max_length=1000)
    site_code: str = Field(max_length=100)
    public_key: str = Field(max_length=256)


class ChangeIn(BaseModel, strict=True):
    seq: int = Field(ge=0, le=MAX_INT)
    kind: str = Field(max_length=40)
    id: str = Field(max_length=MAX_ID_LENGTH)
    payload: dict[str, Any]


class PushRequest(BaseModel, strict=True):
    batch_id: str = Field(max_length=MAX_ID_LENGTH)
    changes: list[ChangeIn]


# --- routes ----------------------------------------------------------------------------


def get_engine(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


def current_site(request: Request, authorization: Annotated[str | None, Header()] = None) -> str:
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise CentralError(401, "token_refused", "a device token is required")
    return services.site_for_token(get_engine(request), token.strip())


EngineDep = Annotated[Engine, Depends(get_engine)]
SiteDep = Annotated[str, Depends(current_site)]

router = APIRouter(prefix=API_PREFIX)


@router.get("/status")
def status(engine: EngineDep) -> dict[str, Any]:
    """Protocol, clock and identity: a clinic enrolling again can tell another central."""
    from central.db import central_identity

    return {
        "protocol": PROTOCOL_VERSION,
        "server_time": services.utc_now().isoformat(),
        "central_id": central_identity(engine),
    }


@router.post("/enrol")
def enrol(body: EnrolRequest, engine: EngineDep) -> dict[str, str]:
    token = services.enrol_site(
        engine,
        username=body.username,
        password=body.password,
        clinic_id=body.clinic_id,
        clinic_name=body.clinic_name,
        site_code=body.site_code,
        public_key=body.public_key,
    )
    return {"device_token": token}


@router.post("/push")
def push(body: PushRequest, site_id: SiteDep, engine: EngineDep) -> dict[str, int]:
    changes = [services.Change(c.seq, c.kind, c.id, c.payload) for c in body.changes]
    return {"acked_seq": services.push_changes(engine, site_id, body.batch_id, changes)}


@router.get("/pull")
def pull(
    site_id: SiteDep,
    engine: EngineDep,
    after: Annotated[int, Query(ge=0, le=MAX_INT)] = 0,
    limit: Annotated[int, Query(ge=1, le=MAX_PULL_LIMIT)] = 500,
    own: bool = False,
) -> dict[str, Any]:
    page = services.pull_changes(engine, site_id, after, limit, own=own)
    return {
        "changes": [
            {"seq": c.seq, "kind": c.kind, "id": c.id, "payload": c.payload} for c in page.changes
        ],
        "last_seq": page.last_seq,
        "more": page.more,
    }


# Requests one worker process handles at once (its thread pool; anyio's default is 40).
# Every push takes the change counter first and holds it to its commit (central.services):
# with dozens of threads sharing the worker's interpreter, the one holding the counter
# waits its turn for Python among them, and every other push waits for it. Measured with
# 200 clinics on 2 cores (benchmarks/bench_central_load.py): 1,000 records/s gave a p95 of
# 3.5 s with 40 threads, 0.1 s with 6. More concurrency comes from more workers.
THREADS_PER_WORKER = 6
THREADS_ENV = "CENTRAL_THREADS_PER_WORKER"


def create_app(engine: Engine, *, threads: int = THREADS_PER_WORKER) -> FastAPI:
    """The central web application on ``engine`` (tables must already exist)."""

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        anyio.to_thread.current_default_thread_limiter().total_tokens = threads
        yield

    app = FastAPI(
        title="clinic central",
        version=str(PROTOCOL_VERSION),
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        lifespan=lifespan,
    )
    app.state.engine = engine
    app.include_router(router)

    @app.exception_handler(CentralError)
    async def refused(_request: Request, exc: CentralError) -> JSONResponse:
        return JSONResponse(
            error_body(exc.code, exc.message, **exc.details), status_code=exc.status
        )

    @app.exception_handler(StarletteHTTPException)
    async def http_refusal(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        # 404, 405: the same JSON as every refusal. FastAPI answers 400 for a body its JSON
        # parser gives up on (a number of thousands of digits): that is bad input, so 422.
        if exc.status_code == 400:
            return JSONResponse(
                error_body("invalid_request", "the request body is not JSON central can read"),
                status_code=422,
            )
        codes = {404: "not_found", 405: "method_not_allowed"}
        return JSONResponse(
            error_body(codes.get(exc.status_code, "http_error"), str(exc.detail)[:200]),
            status_code=exc.status_code,
            headers=exc.headers,
        )

    @app.exception_handler(RequestValidationError)
    async def malformed(_request: Request, exc: RequestValidationError) -> JSONResponse:
        # Where and what, never the value: it may hold patient data.
        problems = sorted(
            {
                ".".join(str(part) for part in error["loc"])[:80] + ": " + str(error["msg"])[:120]
                for error in exc.errors()
            }
        )
        more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
        return JSONResponse(
            error_body("invalid_request", "malformed request: " + "; ".join(problems[:5]) + more),
            status_code=422,
        )

    # Added last so it runs first: the version check happens before anything else.
    app.add_middleware(GZipMiddleware, minimum_size=500)
    app.add_middleware(ProtocolMiddleware)
    return app


# --- several worker processes (issue 4) ---------------------------------------------------


def app_from_environment() -> FastAPI:
    """The app for one uvicorn worker of ``clinic-central serve --workers N``.

    Each worker opens its own engine on ``$CENTRAL_DATABASE_URL`` (set by the
    CLI, which has already migrated the schema); workers share nothing else.
    """
    import os

    from central.db import make_engine

    url = os.environ.get("CENTRAL_DATABASE_URL")
    if not url:
        raise RuntimeError("CENTRAL_DATABASE_URL is not set")
    threads = int(os.environ.get(THREADS_ENV) or THREADS_PER_WORKER)
    return create_app(make_engine(url), threads=threads)


# --- patients seen at two clinics (issue 4, central.duplicates) --------------------------


def current_operator(
    request: Request, authorization: Annotated[str | None, Header()] = None
) -> str:
    """A central operator, by HTTP Basic credentials (only ever over TLS: see the README)."""
    import base64
    import binascii

    from central.duplicates import check_operator

    scheme, _, encoded = (authorization or "").partition(" ")
    try:
        username, _, password = base64.b64decode(encoded, validate=True).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        username = password = ""
    if scheme.lower() != "basic" or not username:
        raise CentralError(401, "operator_refused", "operator credentials are required")
    return check_operator(get_engine(request), username, password)


OperatorDep = Annotated[str, Depends(current_operator)]


class LinkRequest(BaseModel, strict=True):
    patient_a: str = Field(max_length=MAX_ID_LENGTH)
    patient_b: str = Field(max_length=MAX_ID_LENGTH)


@router.get("/patient-links")
def patient_links_page(
    site_id: SiteDep,
    engine: EngineDep,
    after: Annotated[int, Query(ge=0, le=MAX_INT)] = 0,
    limit: Annotated[int, Query(ge=1, le=MAX_PULL_LIMIT)] = 500,
) -> dict[str, Any]:
    """The links that involve the asking clinic, after its links cursor (pull's shape)."""
    from central.duplicates import links_for_site

    page = links_for_site(engine, site_id, after, limit)
    return {
        "changes": [
            {"seq": c.seq, "kind": c.kind, "id": c.id, "payload": c.payload} for c in page.changes
        ],
        "last_seq": page.last_seq,
        "more": page.more,
    }


@router.get("/operator/duplicates")
def duplicates(operator: OperatorDep, engine: EngineDep) -> dict[str, Any]:
    from central.duplicates import candidate_json, find_duplicates

    return {"candidates": [candidate_json(c) for c in find_duplicates(engine)]}


@router.post("/operator/patient-links")
def confirm_patient_link(
    body: LinkRequest, operator: OperatorDep, engine: EngineDep
) -> dict[str, Any]:
    from central.duplicates import confirm_link

    link_id, new = confirm_link(engine, body.patient_a, body.patient_b, operator)
    return {"link_id": link_id, "new": new}


# --- master data: code lists and the clinics' keys (issue 4, central.masterdata) -----------

_BYTE_RANGE = re.compile(r"bytes=(\d{1,15})-(\d{0,15})")


def _byte_range(header: str | None, size: int) -> tuple[int, int] | None:
    """``(first, last)`` of a single ``Range: bytes=first-[last]``; None serves the whole.

    Suffix ranges and several ranges are not needed by the clinics and are
    ignored (RFC 9110 lets a server serve the whole instead). A first byte past
    the end is refused 416: the client's partial file is longer than the artefact.
    """
    found = _BYTE_RANGE.fullmatch((header or "").strip())
    if found is None:
        return None
    first = int(found.group(1))
    last = int(found.group(2)) if found.group(2) else size - 1
    if first >= size or last < first:
        raise CentralError(
            416,
            "range_not_satisfiable",
            f"the code list has {size} bytes; the asked range starts at byte {first}",
            {"size": size},
        )
    return first, min(last, size - 1)


@router.get("/master-data")
def master_data(
    site_id: SiteDep,
    engine: EngineDep,
    keys: Annotated[str | None, Query(max_length=64)] = None,
) -> dict[str, Any]:
    """Each code list's newest version, and the clinics' keys unless ``keys`` is current."""
    from central.masterdata import master_data_summary

    return master_data_summary(engine, keys)


@router.get("/codelists/{name}")
def code_list(
    name: Annotated[str, PathParam(max_length=40)], site_id: SiteDep, engine: EngineDep
) -> dict[str, Any]:
    """The newest version of one code list: its number, SHA-256 and size."""
    from central.masterdata import latest_code_list

    info = latest_code_list(engine, name)
    if info is None:
        raise CentralError(404, "unknown_code_list", f"central holds no code list {name!r}")
    return info.as_json()


@router.get("/codelists/{name}/{version}")
def code_list_content(
    name: Annotated[str, PathParam(max_length=40)],
    version: Annotated[int, PathParam(ge=1, le=MAX_INT)],
    site_id: SiteDep,
    engine: EngineDep,
    range_header: Annotated[str | None, Header(alias="Range", max_length=100)] = None,
) -> Response:
    """One version's gzip artefact, whole or from a byte on (``Range``): a cut download
    resumes where it stopped. A version never changes, so its bytes never do."""
    from central.masterdata import code_list_content as read_content

    info, content = read_content(engine, name, version)
    headers = {
        "Accept-Ranges": "bytes",
        "ETag": f'"{info.sha256}"',
        "X-Content-SHA256": info.sha256,
        "Cache-Control": "private, max-age=31536000, immutable",
    }
    wanted = _byte_range(range_header, info.size)
    if wanted is None:
        return Response(content, media_type="application/gzip", headers=headers)
    first, last = wanted
    headers["Content-Range"] = f"bytes {first}-{last}/{info.size}"
    return Response(
        content[first : last + 1], status_code=206, media_type="application/gzip", headers=headers
    )
