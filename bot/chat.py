"""The conversation core every channel shares: language, Rasa, rendering, the reduced mode, forgetting."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import functools
import itertools
import logging
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import httpx
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.exc import SQLAlchemyError

from bot.danger import weigh
from bot.i18n import use_language
from bot.language import read_language
from bot.render import Renderer
from bot.sessions import SessionStore
from bot.stats import CONVERSATIONS, Stats, observed
from bot.templates import Rendered
from protocol import payloads
from protocol.danger import (
    ASKED_ABOUT_ARG,
    CHECKED_KEY,
    IMPLIED_CONCERN,
    NOT_EMERGENCIES,
    PROBABILITY_KEY,
    SELF_HARM_KINDS,
    VERDICT_KEY,
    Danger,
    danger_of,
)
from protocol.messages import (
    SUICIDAL_THOUGHTS_BUTTON,
    Asks,
    Message,
    Template,
    concern_buttons,
    intent_button,
    language_buttons,
    message,
    referral,
)
from referral_map.directory import Directory
from referral_map.geography import gazetteer
from referral_map.routing import Situation, route
from referral_map.taxonomy import Concern, Language, Role, Urgency

log = logging.getLogger(__name__)

MAX_TEXT = 4000
# A conversation under way changes language only on a message this long: "molenbeek, vlakbij de metro
# graaf van vlaanderen" from a French-speaking teenager names places; it does not ask for Dutch.
SWITCH_MIN_WORDS = 8
MAX_UNSENT = 20  # turns kept per session while Rasa is down
MAX_UNSENT_SESSIONS = 1000
# Sessions whose danger checks are held in memory while the session store cannot be written.
MAX_CHECKED_SESSIONS = 10_000


def danger_metadata(checked: bool, danger: Danger | None, probability: float | None) -> dict[str, Any]:
    """The detector's verdict as Rasa receives it in the message metadata (protocol/danger.py).

    The probability goes unrounded: the model's unshared reading is asked from a floor chosen on the
    detector's exact scores (0.01 for talk of dying), and rounding to three places had lowered that floor
    to 0.0095."""
    return {
        CHECKED_KEY: checked,
        VERDICT_KEY: danger.value if danger else None,
        PROBABILITY_KEY: probability,
    }


@dataclass
class ChatReply:
    session: str
    locale: Language
    degraded: bool  # answered in the reduced mode, without Rasa
    messages: list[Rendered] = field(default_factory=list)


class NoAnswerError(httpx.HTTPError):
    """Rasa answered a turn with no message: its action server is down or failed (Rasa only logs that)."""


# A server that refused the connection, or dropped it without an answer (it died or restarts), has not
# answered the turn; another server may. A server killed mid-turn may have stored the message already:
# then Rasa sees it twice, which costs less than losing it.
UNANSWERED = (httpx.ConnectError, httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError)


@dataclass
class RasaWorker:
    url: str
    client: httpx.AsyncClient
    down_until: float = 0.0  # monotonic time; a worker that did not answer is tried last until then


class RasaClient:
    """Rasa's REST channel and HTTP API over loopback, spread over one or several Rasa servers.

    Each turn goes to the next server in turn; one that refuses the connection or drops it unanswered is
    set aside for `retry_after` seconds and the turn goes to the next, so a dead server loses no turn and is
    taken back once it answers. The servers share the tracker store and the lock store (stack/workers.py).

    `tracker_db_url` is Rasa's SQL tracker store: forgetting deletes the conversation's rows there, because
    Rasa's own API cannot (replacing the events by none leaves every stored event in place).
    """

    def __init__(
        self,
        base_url: str | Sequence[str],
        timeout: float = 5.0,
        tracker_db_url: str | None = None,
        retry_after: float = 5.0,
    ) -> None:
        urls = [base_url] if isinstance(base_url, str) else list(base_url)
        if not urls:
            raise ValueError("at least one Rasa server")
        self.base_url = urls[0]
        self.workers = [RasaWorker(url, httpx.AsyncClient(base_url=url, timeout=timeout)) for url in urls]
        self.retry_after = retry_after
        self._turns = itertools.count()
        self.tracker_db = create_engine(tracker_db_url) if tracker_db_url else None

    def _in_order(self) -> list[RasaWorker]:
        """The servers to try for one request: the next one in turn first, those set aside last."""
        first = next(self._turns) % len(self.workers)
        turn = self.workers[first:] + self.workers[:first]
        now = time.monotonic()
        return [w for w in turn if w.down_until <= now] + [w for w in turn if w.down_until > now]

    async def _post(self, path: str, body: Any) -> httpx.Response:
        failure: httpx.HTTPError | None = None
        for worker in self._in_order():
            try:
                response = await worker.client.post(path, json=body)
            except UNANSWERED as error:  # the server refused or dropped the connection: the next one
                worker.down_until = time.monotonic() + self.retry_after
                failure = error
                continue
            worker.down_until = 0.0
            return response
        assert failure is not None
        raise failure

    async def send(self, sender: str, text: str, metadata: dict[str, Any]) -> list[dict[str, Any]]:
        """One user turn; the custom payloads Rasa answers with."""
        response = await self._post(
            "/webhooks/rest/webhook", {"sender": sender, "message": text, "metadata": metadata}
        )
        response.raise_for_status()
        answers = [item["custom"] for item in response.json() if isinstance(item.get("custom"), dict)]
        if not answers:  # Rasa answers every turn; nothing at all means its action server failed
            raise NoAnswerError(f"Rasa answered {sender[:8]}... with no message")
        return answers

    async def forget(self, sender: str) -> None:
        """Rasa keeps nothing of the conversation: its stored events are deleted, and the tracker it holds
        in memory starts again (a restart), so the next message begins a new conversation."""
        if self.tracker_db is not None:
            await asyncio.to_thread(self._delete_events, sender)
        response = await self._post(f"/conversations/{sender}/tracker/events", [{"event": "restart"}])
        response.raise_for_status()
        if self.tracker_db is not None:  # the restart itself is stored; it holds nothing of the user
            await asyncio.to_thread(self._delete_events, sender)

    def _delete_events(self, sender: str) -> None:
        assert self.tracker_db is not None
        with self.tracker_db.begin() as connection:
            if inspect(connection).has_table("events"):
                connection.execute(text("DELETE FROM events WHERE sender_id = :sender"), {"sender": sender})

    async def ready_workers(self) -> list[bool]:
        """Whether each server answers its status page; one that does not is set aside, one that does is back."""
        answered = await asyncio.gather(*(self._status(worker) for worker in self.workers))
        for worker, up in zip(self.workers, answered, strict=True):
            worker.down_until = 0.0 if up else time.monotonic() + self.retry_after
        return list(answered)

    async def ready(self) -> bool:
        return any(await self.ready_workers())

    @staticmethod
    async def _status(worker: RasaWorker) -> bool:
        try:
            return (await worker.client.get("/status", timeout=2)).status_code == 200
        except httpx.HTTPError:
            return False

    async def close(self) -> None:
        for worker in self.workers:
            await worker.client.aclose()
        if self.tracker_db is not None:
            self.tracker_db.dispose()


class ChatService:
    def __init__(
        self,
        directory: Directory,
        store: SessionStore,
        rasa: RasaClient,
        retention_days: int = 30,
        stats: Stats | None = None,
    ) -> None:
        self.directory = directory
        self.store = store
        self.rasa = rasa
        self.retention_days = retention_days
        self.stats = stats  # anonymous daily counts for operators (bot/stats.py)
        # Turns sent while Rasa was down are told to Rasa before the session's next turn once it is back.
        # They are kept in the session store (these sessions), or in memory while it cannot be written.
        self.stored_unsent = self._sessions_with_kept_turns()
        self.unsent: dict[str, list[tuple[str, dict[str, Any]]]] = {}
        self.replayed: set[int] = set()  # kept turns Rasa has, which the store could not drop
        # The danger checks each session was shown: the same question is not asked twice in a conversation.
        # They are kept in the session store, or here while it cannot be written.
        self.checked: dict[str, set[str]] = {}
        self.renderer = Renderer(directory)

    def _sessions_with_kept_turns(self) -> set[str]:
        try:
            return self.store.sessions_with_kept_turns()
        except SQLAlchemyError as error:
            log.warning("session store unreadable (%s): no kept turns known", type(error).__name__)
            return set()

    def _stored_locale(self, session: str) -> tuple[str, bool] | None:
        """The session's stored language; None when the session store cannot be read (locked, gone)."""
        try:
            return self.store.get_locale(session)
        except SQLAlchemyError as error:
            log.warning("session store unreadable (%s): answering without it", type(error).__name__)
            return None

    def _touch(self, session: str, language: Language, chosen: bool) -> None:
        """Keep the session's language; a store that cannot be written loses that, not the user's turn."""
        try:
            if self.store.touch(session, language.value, chosen) and self.stats:
                self.stats.add([(CONVERSATIONS, "started")])
        except SQLAlchemyError as error:
            log.warning("session store unwritable (%s): answering without it", type(error).__name__)

    def language_of(self, session: str, offered: Language | None) -> tuple[Language, bool]:
        """The session's language and whether the user chose it; else what the channel offered."""
        return self._language(self._stored_locale(session), offered)

    @staticmethod
    def _language(stored: tuple[str, bool] | None, offered: Language | None) -> tuple[Language, bool]:
        if stored and (stored[1] or offered is None):
            return Language(stored[0]), stored[1]
        return offered or Language.EN, False

    def set_language(self, session: str, language: Language) -> None:
        self._touch(session, language, chosen=True)

    async def handle(
        self,
        session: str,
        text: str | None = None,
        payload: str | None = None,
        locale: Language | None = None,
        metadata: dict[str, Any] | None = None,
    ) -> ChatReply:
        stored = self._stored_locale(session)  # read once a turn
        under_way = stored is not None
        language, chosen = self._language(stored, locale)
        notices: list[Mapping[str, Any]] = []
        sent = payload if payload is not None else (text or "")
        danger: Danger | None = None
        doubt: Danger | None = None  # the detector could not rule this out: ask before Rasa's answer
        probability: float | None = None  # the detector's probability of danger
        if payload is None:
            sent = sent.strip()
            if not sent:
                return self._reply(session, language, False, [message(Template.EMPTY, Asks.CONCERN)])
            if len(sent) > MAX_TEXT:
                sent = sent[:MAX_TEXT]
                notices.append(message(Template.TOO_LONG, args={"count": MAX_TEXT}))
            reading = weigh(sent)  # before anything else: safety first (docs/DESIGN.md section 6)
            danger, doubt, probability = reading.danger, reading.doubt, reading.probability
            may_switch = not under_way or len(sent.split()) >= SWITCH_MIN_WORDS
            detected, other = read_language(sent, ours=may_switch)  # the wide detector once per message
            if other and danger is None:  # Turkish is not German: ask, in that language where we can
                self._touch(session, language, chosen)
                question = message(
                    Template.OTHER_LANGUAGE, Asks.LANGUAGE, language_buttons(), {"other": other}
                )
                return self._reply(session, language, False, [*notices, question])
            if detected and detected is not language:
                language = detected
                notices.append(message(Template.LANGUAGE_DETECTED, args={"language": language.value}))
        else:
            wanted = payloads.language_of(payload)
            if wanted:
                language, chosen = wanted, True
        self._touch(session, language, chosen)
        if payload in {payloads.FEEDBACK_HELPFUL, payloads.FEEDBACK_NOT_HELPFUL}:
            helpful = payload == payloads.FEEDBACK_HELPFUL
            with contextlib.suppress(SQLAlchemyError):  # feedback is counted when it can be
                self.store.record_feedback(session, helpful)
            if self.stats:
                self.stats.add([("feedback", "helpful" if helpful else "not_helpful")])
        context = {k: v for k, v in (metadata or {}).items() if k in {"role", "municipality"}}
        if payload == payloads.EMERGENCY:  # /emergency and the emergency button: at once, from the map
            referred = self._danger_referral(Danger.VIOLENCE_NOW, language, context)
            return self._reply(session, language, False, [referred])
        if payload == payloads.SUICIDAL_THOUGHTS:  # the danger check's button: the suicide line at once
            referred = self._danger_referral(Danger.SUICIDAL_INTENT, language, context)
            return self._reply(session, language, False, [referred])
        verdict = danger_metadata(payload is None, danger, probability)
        turn = (sent, {"locale": language.value, **context, **verdict})
        try:
            await self._replay(session)
            answers = await self.rasa.send(session, *turn)
        except httpx.HTTPError as error:
            log.warning("Rasa unreachable (%s): answering in reduced mode", type(error).__name__)
            if isinstance(error, httpx.ConnectError):  # Rasa never saw it: it is told when it is back
                self._keep_for_rasa(session, turn)
            reduced = self._degraded(payload, language, context, danger)
            return self._reply(
                session, language, True, notices + self._checked(session, doubt, reduced, language, context)
            )
        for answer in answers:
            if answer.get("template") == Template.LANGUAGE_CHANGED:
                language = Language(answer.get("args", {}).get("language", language.value))
                self._touch(session, language, chosen=True)
        return self._reply(
            session, language, False, [*notices, *self._checked(session, doubt, answers, language, context)]
        )

    def _keep_for_rasa(self, session: str, turn: tuple[str, dict[str, Any]]) -> None:
        """A turn Rasa could not be reached for, kept until Rasa is back: in the session store, so that a
        restart of the bot loses nothing, or in memory while the store cannot be written."""
        try:
            if self.store.keep_turn(session, *turn, most=MAX_UNSENT):
                self.stored_unsent.add(session)
            return
        except SQLAlchemyError as error:
            log.warning("session store unwritable (%s): the turn is kept in memory", type(error).__name__)
        kept = self.unsent.setdefault(session, [])
        if len(kept) < MAX_UNSENT:
            kept.append(turn)
        while len(self.unsent) > MAX_UNSENT_SESSIONS:
            del self.unsent[next(iter(self.unsent))]

    async def _replay(self, session: str) -> None:
        """Tell Rasa, in order, what the user sent while it was down (the turns kept in the store, then those
        kept in memory while the store could not be written); the answers were given already."""
        if session in self.stored_unsent:
            try:
                stored = self.store.kept_turns(session)
            except SQLAlchemyError:
                stored = None  # read again next turn
            for turn_id, text, context in stored or []:
                if turn_id not in self.replayed:
                    await self._tell_rasa(
                        session, (text, context), functools.partial(self._drop_kept, turn_id)
                    )
            if stored is not None:
                self.stored_unsent.discard(session)
        while self.unsent.get(session):
            await self._tell_rasa(
                session, self.unsent[session][0], functools.partial(self.unsent[session].pop, 0)
            )
        self.unsent.pop(session, None)

    async def _tell_rasa(
        self, session: str, turn: tuple[str, dict[str, Any]], done: Callable[..., Any]
    ) -> None:
        try:
            await self.rasa.send(session, *turn)
        except httpx.ConnectError:
            raise  # still down: kept, in order
        except httpx.HTTPError:
            done()  # Rasa has it now (late, or its actions failed): never twice
            raise
        done()

    def _drop_kept(self, turn_id: int) -> None:
        try:
            self.store.drop_turn(turn_id)
        except SQLAlchemyError:
            self.replayed.add(turn_id)  # Rasa has it: never sent again, even if it stays in the store

    def _checked(
        self,
        session: str,
        doubt: Danger | None,
        answers: Sequence[Mapping[str, Any]],
        language: Language,
        context: dict[str, Any],
    ) -> list[Mapping[str, Any]]:
        """`answers`, led by the danger check for `doubt` (or for the talk of dying the model asks about) if
        they do not ask about danger already and this session was not shown that question before."""
        doubt = doubt or asked_about(answers)
        if doubt is None:
            return list(answers)
        check = danger_check(
            doubt, self._suicide_line(language, context) if doubt in SELF_HARM_KINDS else None
        )
        template = check["template"]
        shown = template in self._shown_checks(session)
        led = list(answers) if shown else with_check(check, answers)
        if led[:1] == [check]:
            self._record_check(session, template)
        return led

    def _shown_checks(self, session: str) -> set[str]:
        shown = self.checked.get(session, set())
        try:
            return shown | self.store.shown_checks(session)
        except SQLAlchemyError as error:
            log.warning(
                "session store unreadable (%s): danger checks known from memory", type(error).__name__
            )
            return shown

    def _record_check(self, session: str, template: str) -> None:
        """Keep that the session was shown the check: in the session store, or in memory while it cannot
        be written (or holds no row for the session)."""
        try:
            if self.store.record_check(session, template):
                return
        except SQLAlchemyError as error:
            log.warning(
                "session store unwritable (%s): the danger check is kept in memory", type(error).__name__
            )
        shown = self.checked.pop(session, set())
        self.checked[session] = shown | {template}  # the most recent session last
        while len(self.checked) > MAX_CHECKED_SESSIONS:
            del self.checked[next(iter(self.checked))]

    def _suicide_line(self, language: Language, context: dict[str, Any]) -> str | None:
        """The phone number the self-harm reply puts first, from the map."""
        situation = self._danger_situation(Danger.SUICIDAL_INTENT, language, context)
        for item in route(situation, dt.datetime.now(dt.UTC), self.directory).referrals:
            if item.service.id != "emergency-112" and item.service.channels.phones:
                return str(item.service.channels.phones[0].number)
        return None

    async def forget(self, session: str) -> bool:
        """Delete everything held for the session; False if Rasa could not be reached to forget too."""
        self.unsent.pop(session, None)
        self.checked.pop(session, None)
        self.stored_unsent.discard(session)
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

    def own(self, template: Template, language: Language, args: dict[str, Any] | None = None) -> Rendered:
        """One of the bot's own messages (not from Rasa), in `language`."""
        return self.render([message(template, args=args)], language)[0]

    def render(self, messages: Sequence[Mapping[str, Any]], language: Language) -> list[Rendered]:
        """Rendered in `language`; the retention period the privacy answer states is the configured one."""
        with use_language(language):
            return [
                self.renderer.render(
                    {**item, "args": {**(item.get("args") or {}), "days": self.retention_days}}
                    if item.get("template") == Template.PRIVACY
                    else item
                )
                for item in messages
            ]

    def _reply(
        self, session: str, language: Language, degraded: bool, messages: Sequence[Mapping[str, Any]]
    ) -> ChatReply:
        reply = ChatReply(session, language, degraded, self.render(messages, language))
        if self.stats:
            self.stats.add(observed(reply.messages, degraded))
        return reply

    def _danger_referral(
        self, danger: Danger, language: Language, context: dict[str, Any]
    ) -> Mapping[str, Any]:
        """The emergency reply for `danger`, routed here from the map: 112 and 101 first, or, for talk of
        wanting to die, the suicide line first."""
        now = dt.datetime.now(dt.UTC)
        situation = self._danger_situation(danger, language, context)
        return referral(route(situation, now, self.directory), Template.EMERGENCY_REFERRAL, at=now)

    @staticmethod
    def _danger_situation(danger: Danger, language: Language, context: dict[str, Any]) -> Situation:
        return Situation(
            role=_role(context.get("role")),
            concern=Concern(IMPLIED_CONCERN.get(danger, Concern.RADICALISATION.value)),
            urgency=Urgency.ROUTINE if danger in NOT_EMERGENCIES else Urgency.EMERGENCY,
            municipality=_municipality(context.get("municipality")),
            language=language,
        )

    def _degraded(
        self, payload: str | None, language: Language, context: dict[str, Any], danger: Danger | None = None
    ) -> list[Mapping[str, Any]]:
        """The reduced mode, without Rasa. Never a dead end: a concern menu and the main lines;
        a concern button still gets its referral, routed here from the map, and danger its
        emergency referral."""
        municipality = _municipality(context.get("municipality"))
        role = _role(context.get("role"))
        concern = payloads.concern_of(payload or "")
        now = dt.datetime.now(dt.UTC)
        if danger is not None:
            return [message(Template.DEGRADED), self._danger_referral(danger, language, context)]
        if concern is not None:
            situation = Situation(role=role, concern=concern, municipality=municipality, language=language)
            return [message(Template.DEGRADED), referral(route(situation, now, self.directory), at=now)]
        main_lines = route(  # the community's main lines; no emergency the user did not signal
            Situation(
                concern=Concern.RADICALISATION,
                municipality=municipality,
                language=language,
            ),
            now,
            self.directory,
        )
        return [message(Template.DEGRADED, Asks.CONCERN, concern_buttons()), referral(main_lines, at=now)]


def danger_check(doubt: Danger, suicide_line: str | None = None) -> Message:
    """Is someone in danger right now? Asked when the detector could not rule out `doubt`: 112 in the
    question, and a button each for the emergency numbers and the suicide line, the likelier first. A doubt
    of self-harm gives the `suicide_line`'s number first (without one, the general question is asked)."""
    emergency = intent_button("emergency")
    if doubt in SELF_HARM_KINDS and suicide_line:
        buttons = [SUICIDAL_THOUGHTS_BUTTON, emergency]
        return message(Template.DANGER_CHECK_SELF_HARM, buttons=buttons, args={"number": suicide_line})
    return message(Template.DANGER_CHECK, buttons=[emergency, SUICIDAL_THOUGHTS_BUTTON])


def asked_about(answers: Sequence[Mapping[str, Any]]) -> Danger | None:
    """The kind of danger the model's unsure question names, if it names one: talk of dying, which the
    model does not ask about itself; the bot's own question gives the suicide line."""
    for answer in answers:
        if answer.get("template") in {Template.CLARIFY, Template.CLARIFY_DANGER}:
            return danger_of((answer.get("args") or {}).get(ASKED_ABOUT_ARG))
    return None


def with_check(check: Message | None, answers: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """`answers`, led by the danger check if there is one and they do not already answer danger with a
    referral, nor ask the same question (the model's "is someone in danger right now?" does not give the
    suicide line: the self-harm question still leads it)."""
    templates = {answer.get("template") for answer in answers}
    if check is None or Template.EMERGENCY_REFERRAL in templates:
        return list(answers)
    if check["template"] == Template.DANGER_CHECK and Template.CLARIFY_DANGER in templates:
        return list(answers)
    return [check, *answers]


def _role(value: Any) -> Role:
    return Role(value) if value in Role.__members__.values() else Role.UNKNOWN


def _municipality(value: Any) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    return gazetteer().nis_of(value)
