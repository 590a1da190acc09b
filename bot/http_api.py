"""The HTTP chat API of docs/DESIGN.md section 5 and the web chat page, served by the bot process."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import hmac
import html
import json
import math
from collections.abc import AsyncIterator, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import text
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from bot.cards import REPORT_RECEIVED
from bot.chat import MAX_TEXT, ChatReply, ChatService
from bot.http_guard import Limits, RateLimit, middleware, rate_limited_message
from bot.i18n import N_, _, language_name, use_language
from bot.sessions import pseudonym
from bot.stats_page import stats_page
from protocol.messages import Template
from referral_map.mistakes import MistakeReports, ReportRefusedError
from referral_map.taxonomy import Language

WEB_DIR = Path(__file__).resolve().parent / "web"
MAX_BODY = 64 * 1024
MAX_SESSION = 200


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, retry_after: float | None = None) -> None:
        self.status, self.code, self.message = status, code, message
        self.retry_after = retry_after


def error_response(error: ApiError) -> JSONResponse:
    headers = {"retry-after": str(math.ceil(error.retry_after))} if error.retry_after else None
    return JSONResponse(
        {"error": {"code": error.code, "message": error.message}}, status_code=error.status, headers=headers
    )


def reply_json(reply: ChatReply, client_session: str) -> dict[str, Any]:
    return {
        "session": client_session,
        "locale": reply.locale.value,
        "degraded": reply.degraded,
        "messages": [
            {
                "template": m.template,
                "asks": m.asks,
                "text": m.text,
                "buttons": [asdict(b) for b in m.buttons],
                "referral": m.referral.as_json() if m.referral else None,
            }
            for m in reply.messages
        ],
    }


async def _body(request: Request) -> dict[str, Any]:
    raw = bytearray()
    async for chunk in request.stream():  # never more than MAX_BODY in memory
        raw += chunk
        if len(raw) > MAX_BODY:
            raise ApiError(413, "body_too_large", f"the request body is larger than {MAX_BODY} bytes")
    try:
        body = json.loads(raw.decode("utf-8"), parse_constant=_no_constant)
    except (UnicodeDecodeError, json.JSONDecodeError, ValueError):
        raise ApiError(400, "invalid_json", "the request body is not valid JSON in UTF-8") from None
    except RecursionError:
        raise ApiError(400, "invalid_json", "the request body is nested too deeply") from None
    if not isinstance(body, dict):
        raise ApiError(400, "invalid_json", "the request body must be a JSON object")
    if not _valid_unicode(body):
        raise ApiError(400, "invalid_json", "the request body holds text that is not valid Unicode")
    return body


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")  # NaN and Infinity: Python reads them, JSON has none


def _valid_unicode(value: Any, depth: int = 0) -> bool:
    """No lone surrogates ("\\ud800" is valid JSON but no character) anywhere in strings or keys."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return False
        return True
    if depth > 20:
        return True  # deeper parts are never read
    if isinstance(value, dict):
        return all(_valid_unicode(k, depth + 1) and _valid_unicode(v, depth + 1) for k, v in value.items())
    if isinstance(value, list):
        return all(_valid_unicode(item, depth + 1) for item in value)
    return True


def _session(body: dict[str, Any]) -> str:
    session = body.get("session")
    if not isinstance(session, str) or not session.strip() or len(session) > MAX_SESSION:
        raise ApiError(
            422,
            "invalid_session",
            f"'session' must be a non-empty string of at most {MAX_SESSION} characters",
        )
    return session


class ChatApi:
    def __init__(
        self,
        service: ChatService,
        secret: bytes,
        actions_url: str,
        limits: Limits,
        stats_token: str | None = None,
    ) -> None:
        self.service = service
        self.stats_token = stats_token
        self.secret = secret
        self.actions_url = actions_url
        self.per_session = RateLimit(limits.per_session)
        self.per_address = RateLimit(limits.per_address)
        self.reports = MistakeReports(service.store.engine, service.directory)
        self.reports_per_address = RateLimit(limits.reports_per_address)

    def _throttle(self, request: Request, session: str, locale: object) -> None:
        """Raise a 429 with a polite sentence in the user's language when they or their address flood."""
        address = request.client.host if request.client else "unknown"
        wait = self.per_address.retry_after(address) or self.per_session.retry_after(session)
        if wait:
            raise ApiError(429, "rate_limited", rate_limited_message(locale), retry_after=wait)

    def pseudonymous(self, session: str) -> str:
        return pseudonym(self.secret, "web", session)

    async def chat(self, request: Request) -> Response:
        try:
            body = await _body(request)
            session = _session(body)
            self._throttle(request, session, body.get("locale"))
            locale = body.get("locale")
            if not isinstance(locale, str) or locale not in Language.__members__.values():
                raise ApiError(422, "unknown_locale", "'locale' must be one of nl, fr, de, en")
            text_value, payload = body.get("text"), body.get("payload")
            if (text_value is None) == (payload is None):
                raise ApiError(422, "invalid_request", "give either 'text' or 'payload'")
            if payload is not None and (not isinstance(payload, str) or not payload.startswith("/")):
                raise ApiError(422, "invalid_payload", "'payload' must be a button payload starting with '/'")
            if text_value is not None:
                if not isinstance(text_value, str) or not text_value.strip():
                    raise ApiError(422, "empty_text", "'text' must not be empty")
                if len(text_value) > MAX_TEXT:
                    raise ApiError(413, "text_too_long", f"'text' must be at most {MAX_TEXT} characters")
            metadata = body.get("metadata") or {}
            if not isinstance(metadata, dict):
                raise ApiError(422, "invalid_metadata", "'metadata' must be an object")
            # Short text only (the chat core picks the keys it reads): numbers, lists and objects never
            # travel on to Rasa.
            metadata = {k: v for k, v in metadata.items() if isinstance(v, str) and len(v) <= MAX_SESSION}
        except ApiError as error:
            return error_response(error)
        reply = await self.service.handle(
            self.pseudonymous(session),
            text=text_value,
            payload=payload,
            locale=Language(locale),
            metadata=metadata,
        )
        return JSONResponse(reply_json(reply, session))

    async def forget(self, request: Request) -> Response:
        try:
            session = _session(await _body(request))
            self._throttle(request, session, None)
        except ApiError as error:
            return error_response(error)
        await self.service.forget(self.pseudonymous(session))
        return Response(status_code=204)

    async def report(self, request: Request) -> Response:
        """ "This information is wrong" on a card: kept apart from the conversation, without any id."""
        try:
            body = await _body(request)
            address = request.client.host if request.client else "unknown"
            wait = self.reports_per_address.retry_after(address)
            if wait:
                raise ApiError(
                    429, "rate_limited", rate_limited_message(body.get("locale")), retry_after=wait
                )
            locale = body.get("locale")
            if not isinstance(locale, str) or locale not in Language.__members__.values():
                raise ApiError(422, "unknown_locale", "'locale' must be one of nl, fr, de, en")
            service_id, location_id, comment = body.get("service"), body.get("location"), body.get("comment")
            if not isinstance(service_id, str) or len(service_id) > MAX_SESSION:
                raise ApiError(422, "unknown_service", "'service' must be the id of a service on the card")
            if location_id is not None and (
                not isinstance(location_id, str) or len(location_id) > MAX_SESSION
            ):
                raise ApiError(422, "unknown_location", "'location' must be the id of an office on the card")
            if comment is not None and not isinstance(comment, str):
                raise ApiError(422, "invalid_comment", "'comment' must be text")
            try:
                self.reports.add(service_id, location_id, comment, locale)
            except ReportRefusedError as refused:
                status = 413 if refused.code == "comment_too_long" else 422
                raise ApiError(status, refused.code, str(refused)) from None
        except ApiError as error:
            return error_response(error)
        with use_language(Language(locale)):
            return JSONResponse({"message": _(REPORT_RECEIVED)}, status_code=201)

    async def healthz(self, request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def readyz(self, request: Request) -> Response:
        workers = await self.service.rasa.ready_workers()
        rasa = any(workers)
        try:
            with self.service.store.engine.connect() as connection:
                connection.execute(text("select 1"))
            database = True
        except Exception:  # any failure to reach the database means not ready
            database = False
        actions = await _answers(f"{self.actions_url}/health")
        status = {
            "rasa": rasa,
            "rasa_workers": f"{sum(workers)}/{len(workers)}",
            "actions": actions,
            "database": database,
            "degraded": not (rasa and actions),
        }
        return JSONResponse(status, status_code=200 if database else 503)

    async def index(self, request: Request) -> Response:
        return FileResponse(WEB_DIR / "index.html", media_type="text/html; charset=utf-8")

    async def privacy(self, request: Request) -> Response:
        """The privacy answer as a page of its own, in the language asked for (`?lang=fr`), Dutch by default."""
        wanted = request.query_params.get("lang", "nl")
        language = Language(wanted) if wanted in Language.__members__.values() else Language.NL
        return HTMLResponse(privacy_page(self.service, language))

    async def stats(self, request: Request) -> Response:
        """The operators' counts (bot/stats.py): a page of charts, or JSON with `?format=json`."""
        wanted = request.query_params.get("lang", "en")
        language = Language(wanted) if wanted in Language.__members__.values() else Language.EN
        bearer = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
        offered = bearer or request.query_params.get("token", "")
        with use_language(language):
            if not self.stats_token or not hmac.compare_digest(offered.encode(), self.stats_token.encode()):
                return PlainTextResponse(_(STATS_TOKEN_NEEDED), 401, headers={"www-authenticate": "Bearer"})
            try:
                since = (
                    dt.date.fromisoformat(request.query_params["since"])
                    if "since" in request.query_params
                    else None
                )
            except ValueError:
                return PlainTextResponse(_(STATS_BAD_DATE), 422)
        if self.service.stats is None:
            return PlainTextResponse("", 404)
        report = await asyncio.to_thread(self.service.stats.report, since)
        if request.query_params.get("format") == "json":
            return JSONResponse(report.as_json())
        return HTMLResponse(stats_page(report, language))


STATS_TOKEN_NEEDED = N_("These figures are for operators: a valid token is needed.")
STATS_BAD_DATE = N_("Give the date as year-month-day, for example 2026-12-01.")
PRIVACY_TITLE = N_("What happens with my messages")
BACK_TO_CHAT = N_("Back to the chat")


def privacy_page(service: ChatService, language: Language) -> str:
    """A plain page: the heading, the privacy answer with the configured retention, the other languages."""
    text = service.own(Template.PRIVACY, language, {"days": service.retention_days}).text
    with use_language(language):
        title, back = _(PRIVACY_TITLE), _(BACK_TO_CHAT)
    others = " · ".join(
        f'<a href="/privacy?lang={other.value}" lang="{other.value}">{html.escape(language_name(other))}</a>'
        for other in Language
        if other is not language
    )
    return (
        f'<!doctype html>\n<html lang="{language.value}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="referrer" content="no-referrer">\n<meta name="robots" content="noindex">\n'
        f'<title>{html.escape(title)}</title>\n<link rel="stylesheet" href="/static/chat.css">\n</head>\n'
        f'<body>\n<main class="chat page">\n<h1>{html.escape(title)}</h1>\n<p>{html.escape(text)}</p>\n'
        f'<p><a href="/">{html.escape(back)}</a></p>\n<p class="languages">{others}</p>\n</main>\n</body>\n</html>\n'
    )


async def _answers(url: str) -> bool:
    try:
        async with httpx.AsyncClient(timeout=2) as client:
            return (await client.get(url)).status_code == 200
    except httpx.HTTPError:
        return False


def create_app(
    service: ChatService,
    secret: bytes,
    actions_url: str,
    limits: Limits | None = None,
    cors_origins: Sequence[str] = (),
    stats_token: str | None = None,
) -> Starlette:
    api = ChatApi(service, secret, actions_url, limits or Limits(), stats_token)
    routes: list[Route | Mount] = [
        Route("/", api.index),
        Route("/privacy", api.privacy),
        Route("/api/v1/chat", api.chat, methods=["POST"]),
        Route("/api/v1/forget", api.forget, methods=["POST"]),
        Route("/api/v1/report", api.report, methods=["POST"]),
        Route("/healthz", api.healthz),
        Route("/readyz", api.readyz),
    ]
    if stats_token:  # no token, no page: the figures stay with whoever runs `wegwijzer stats`
        routes.append(Route("/stats", api.stats))
    if (WEB_DIR / "static").is_dir():
        routes.append(Mount("/static", StaticFiles(directory=WEB_DIR / "static"), name="static"))

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        await service.rasa.close()  # keep-alive connections to Rasa belong to this event loop

    return Starlette(routes=routes, lifespan=lifespan, middleware=middleware(cors_origins))
