"""HTTP layer: routers under /api/v1, protocol version check, gzip both ways.

Routers only translate HTTP to service calls (``central.services``) and back;
they hold no rule and no state. Every answer carries ``X-Clinic-Protocol``;
a client speaking another version gets 426 and a JSON reason. Request bodies
may arrive gzip-compressed (``Content-Encoding: gzip``): the clinics sit on
2G links, so they always compress.
"""

from __future__ import annotations

import zlib
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Header, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy import Engine
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from central import services
from central.protocol import API_PREFIX, PROTOCOL_HEADER, PROTOCOL_VERSION
from central.services import CentralError

MAX_COMPRESSED_BODY = 8 * 1024 * 1024
MAX_BODY = 32 * 1024 * 1024  # after decompression: a gzip bomb stops here


def error_body(code: str, message: str) -> dict[str, str]:
    return {"error": code, "message": message}


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

        if headers.get("content-encoding", b"").strip().lower() == b"gzip":
            try:
                body = await _read_gzip_body(receive)
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


async def _read_gzip_body(receive: Receive) -> bytes:
    compressed = bytearray()
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise ValueError("the client went away")
        compressed += message.get("body", b"")
        if len(compressed) > MAX_COMPRESSED_BODY:
            raise ValueError("request body too large")
        if not message.get("more_body", False):
            break
    inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    try:
        body = inflater.decompress(bytes(compressed), MAX_BODY)
    except zlib.error as exc:
        raise ValueError("the request body is not valid gzip") from exc
    if inflater.unconsumed_tail:
        raise ValueError("request body too large once decompressed")
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


class EnrolRequest(BaseModel):
    username: str = Field(max_length=64)
    password: str = Field(max_length=256)
    clinic_id: str = Field(max_length=64)
    clinic_name: str = Field(max_length=200)
    site_code: str = Field(max_length=32)
    public_key: str = Field(max_length=128)


class ChangeIn(BaseModel):
    seq: int = Field(ge=0)
    kind: str = Field(max_length=40)
    id: str = Field(max_length=64)
    payload: dict[str, Any]


class PushRequest(BaseModel):
    batch_id: str = Field(max_length=64)
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
def status() -> dict[str, Any]:
    return {"protocol": PROTOCOL_VERSION, "server_time": services.utc_now().isoformat()}


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
    after: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=services.MAX_PULL_LIMIT)] = 500,
) -> dict[str, Any]:
    page = services.pull_changes(engine, site_id, after, limit)
    return {
        "changes": [
            {"seq": c.seq, "kind": c.kind, "id": c.id, "payload": c.payload} for c in page.changes
        ],
        "last_seq": page.last_seq,
        "more": page.more,
    }


def create_app(engine: Engine) -> FastAPI:
    """The central web application on ``engine`` (tables must already exist)."""
    app = FastAPI(
        title="clinic central",
        version=str(PROTOCOL_VERSION),
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
    )
    app.state.engine = engine
    app.include_router(router)

    @app.exception_handler(CentralError)
    async def refused(_request: Request, exc: CentralError) -> JSONResponse:
        return JSONResponse(error_body(exc.code, exc.message), status_code=exc.status)

    @app.exception_handler(RequestValidationError)
    async def malformed(_request: Request, exc: RequestValidationError) -> JSONResponse:
        # Field locations only: the values may hold patient data.
        where = sorted({".".join(str(part) for part in error["loc"]) for error in exc.errors()})
        return JSONResponse(
            error_body("invalid_request", "malformed request: " + ", ".join(where[:5])),
            status_code=422,
        )

    # Added last so it runs first: the version check happens before anything else.
    app.add_middleware(GZipMiddleware, minimum_size=500)
    app.add_middleware(ProtocolMiddleware)
    return app
