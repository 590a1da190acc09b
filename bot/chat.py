"""The conversation core every channel shares: language, Rasa, rendering, degraded mode, forgetting."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

import httpx

from bot.i18n import current_language
from bot.language import detect_language
from bot.sessions import SessionStore
from bot.templates import Rendered, Renderer, referral_from_route
from referral_map.directory import Directory
from referral_map.geography import gazetteer
from referral_map.routing import Situation, route
from referral_map.taxonomy import Concern, Language, Role, Urgency

log = logging.getLogger(__name__)

MAX_TEXT = 4000
DEGRADED_CONCERNS = [c for c in Concern if c is not Concern.OUT_OF_SCOPE]


@dataclass
class ChatReply:
    session: str
    locale: Language
    degraded: bool
    messages: list[Rendered] = field(default_factory=list)


class RasaClient:
    """Rasa's REST channel and HTTP API, over loopback."""

    def __init__(self, base_url: str, timeout: float = 20.0) -> None:
        self.base_url = base_url
        self.client = httpx.AsyncClient(base_url=base_url, timeout=timeout)

    async def send(self, sender: str, message: str, metadata: dict[str, Any]) -> list[dict[str, Any]]:
        response = await self.client.post(
            "/webhooks/rest/webhook", json={"sender": sender, "message": message, "metadata": metadata}
        )
        response.raise_for_status()
        return [item["custom"] for item in response.json() if isinstance(item.get("custom"), dict)]

    async def forget(self, sender: str) -> None:
        """Replace the conversation's events by none: Rasa keeps nothing of it."""
        response = await self.client.put(f"/conversations/{sender}/tracker/events", json=[])
        response.raise_for_status()

    async def ready(self) -> bool:
        try:
            return (await self.client.get("/status", timeout=2)).status_code == 200
        except httpx.HTTPError:
            return False

    async def close(self) -> None:
        await self.client.aclose()


class ChatService:
    def __init__(self, directory: Directory, store: SessionStore, rasa: RasaClient) -> None:
        self.directory = directory
        self.store = store
        self.rasa = rasa
        self.renderer = Renderer(directory)

    def language_of(self, session: str, offered: Language | None) -> tuple[Language, bool]:
        """The session's language and whether the user chose it; else what the channel offered."""
        stored = self.store.get_locale(session)
        if stored and (stored[1] or offered is None):
            return Language(stored[0]), stored[1]
        return offered or Language.EN, False

    def set_language(self, session: str, language: Language) -> None:
        self.store.touch(session, language.value, chosen=True)

    async def handle(
        self,
        session: str,
        text: str | None = None,
        payload: str | None = None,
        locale: Language | None = None,
        metadata: dict[str, Any] | None = None,
    ) -> ChatReply:
        language, chosen = self.language_of(session, locale)
        notices: list[dict[str, Any]] = []
        message = payload if payload is not None else (text or "")
        if payload is None:
            message = message.strip()
            if not message:
                return self._reply(session, language, False, [{"template": "empty", "asks": "concern"}])
            if len(message) > MAX_TEXT:
                message = message[:MAX_TEXT]
                notices.append({"template": "too_long", "args": {"count": MAX_TEXT}})
            detected = detect_language(message)
            if detected and detected is not language:
                language = detected
                notices.append({"template": "language_detected", "args": {"language": language.value}})
        elif payload.startswith("/change_language"):
            wanted = _language_in(payload)
            if wanted:
                language, chosen = wanted, True
        self.store.touch(session, language.value, chosen)
        if payload in {"/feedback_helpful", "/feedback_not_helpful"}:
            self.store.record_feedback(session, payload == "/feedback_helpful")
        context = {k: v for k, v in (metadata or {}).items() if k in {"role", "municipality"}}
        try:
            customs = await self.rasa.send(session, message, {"locale": language.value, **context})
        except httpx.HTTPError as error:
            log.warning("Rasa unreachable (%s): answering in reduced mode", type(error).__name__)
            return self._reply(session, language, True, notices + self._degraded(payload, language, context))
        for custom in customs:
            if custom.get("template") == "language_changed":
                language = Language(custom.get("args", {}).get("language", language.value))
                self.store.touch(session, language.value, chosen=True)
        return self._reply(session, language, False, notices + customs)

    async def forget(self, session: str) -> bool:
        """Delete everything held for the session; False if Rasa could not be reached to forget too."""
        self.store.forget(session)
        try:
            await self.rasa.forget(session)
        except httpx.HTTPError:
            log.warning("Rasa unreachable: its copy of the conversation expires with its tracker store")
            return False
        return True

    async def purge_expired(self) -> int:
        """Forget every conversation older than the retention limit; how many were forgotten."""
        expired = self.store.expired()
        for session in expired:
            await self.forget(session)
        return len(expired)

    def _reply(
        self, session: str, language: Language, degraded: bool, customs: list[dict[str, Any]]
    ) -> ChatReply:
        token = current_language.set(language)
        try:
            messages = [self.renderer.render(custom) for custom in customs]
        finally:
            current_language.reset(token)
        return ChatReply(session, language, degraded, messages)

    def _degraded(
        self, payload: str | None, language: Language, context: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Never a dead end: a concern menu and the main lines; a concern button still gets its referral."""
        municipality = _municipality(context.get("municipality"))
        role = Role(context["role"]) if context.get("role") in Role.__members__.values() else Role.UNKNOWN
        concern = _concern_in(payload or "")
        if concern is not None:
            situation = Situation(role=role, concern=concern, municipality=municipality, language=language)
            return [{"template": "degraded"}, referral_from_route(route(situation, directory=self.directory))]
        main_lines = route(
            Situation(
                concern=Concern.RADICALISATION,
                urgency=Urgency.EMERGENCY,
                municipality=municipality,
                language=language,
            ),
            directory=self.directory,
        )
        menu = {
            "template": "degraded",
            "asks": "concern",
            "buttons": [
                {"template": f"concern_{c.value}", "payload": f"/describe_{c.value}"}
                for c in DEGRADED_CONCERNS
            ],
        }
        return [menu, referral_from_route(main_lines)]


def _language_in(payload: str) -> Language | None:
    for language in Language:
        if f'"{language.value}"' in payload:
            return language
    return None


def _concern_in(payload: str) -> Concern | None:
    name = payload.removeprefix("/describe_").split("{")[0]
    return (
        Concern(name) if payload.startswith("/describe_") and name in Concern.__members__.values() else None
    )


def _municipality(value: Any) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    return gazetteer().nis_of(value)
