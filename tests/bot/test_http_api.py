"""The HTTP chat API of docs/DESIGN.md section 5: every field, every error code; and the degraded mode."""

from __future__ import annotations

import asyncio
import datetime as dt
import html
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.chat import ChatService, RasaClient
from bot.http_api import create_app
from bot.sessions import SessionStore
from referral_map import db
from referral_map.directory import load_directory


def post(url: str, body: Any, path: str = "/api/v1/chat") -> httpx.Response:
    if isinstance(body, (str, bytes)):
        return httpx.post(url + path, content=body, headers={"content-type": "application/json"}, timeout=30)
    return httpx.post(url + path, json=body, timeout=30)


def new_session() -> str:
    return f"api-{uuid.uuid4().hex[:12]}"


def test_a_chat_turn_has_every_field(http_api: str) -> None:
    session = new_session()
    response = post(
        http_api, {"session": session, "text": "mijn zoon kijkt de hele dag IS filmpjes", "locale": "nl"}
    )
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"session", "locale", "degraded", "messages"}
    assert (body["session"], body["locale"], body["degraded"]) == (session, "nl", False)
    for message in body["messages"]:
        assert set(message) == {"template", "asks", "text", "buttons", "referral"}
        assert message["text"]
        assert all(set(button) == {"title", "payload"} for button in message["buttons"])
    question = body["messages"][-1]
    assert question["asks"] in {"role", "municipality"}


def test_danger_read_by_the_bot_pre_empts_the_form_in_the_dialogue(http_api: str) -> None:
    """The bot's danger verdict reaches Rasa (nlu/danger_verdict.py): emergency numbers first, mid-form too,
    with the concern the kind implies and the role the message gave."""
    session = new_session()
    first = post(
        http_api, {"session": session, "text": "Goedendag, ik ben leerkracht", "locale": "nl"}
    ).json()
    assert not any(m["referral"] for m in first["messages"])
    text = "een leerling schreef net in de klasgroep dat morgen op school niemand levend buitenkomt, met een foto van een geweer"
    body = post(http_api, {"session": session, "text": text, "locale": "nl"}).json()
    referral = next(m["referral"] for m in body["messages"] if m["referral"])
    assert [service["id"] for service in referral["services"]][:2] == ["emergency-112", "police-101"]
    assert referral["situation"]["concern"] == "violence_threat"
    assert referral["situation"]["urgency"] == "emergency"


def test_talk_of_dying_gets_the_suicide_line_first(http_api: str) -> None:
    text = "hallo, my daughter told me yesterday that she wants to die and I do not know what to say to her"
    body = post(http_api, {"session": new_session(), "text": text, "locale": "en"}).json()
    referral = next(m["referral"] for m in body["messages"] if m["referral"])
    assert referral["services"][0]["id"] in {"centre-prevention-suicide", "zelfmoordlijn-1813"}
    assert referral["situation"]["concern"] == "self_harm"


def test_conversation_to_a_referral_with_buttons_and_metadata(http_api: str) -> None:
    session = new_session()
    body = post(
        http_api,
        {"session": session, "text": "des tensions dans ma classe depuis la guerre à Gaza", "locale": "fr",
         "metadata": {"municipality": "Namur"}},
    ).json()  # fmt: skip
    question = body["messages"][-1]
    if question["asks"] == "role":
        teacher = next(b for b in question["buttons"] if '"teacher"' in b["payload"])
        assert teacher["title"]
        body = post(http_api, {"session": session, "payload": teacher["payload"], "locale": "fr"}).json()
    referral = next(m["referral"] for m in body["messages"] if m["referral"])
    assert referral["situation"]["municipality"] == "92094"
    first = referral["services"][0]
    assert first["id"] == "caprev"
    assert {"id", "name", "phone", "url", "open_now", "confidentiality", "reason"} <= set(first)
    assert first["phone"] == "0800 11 172"
    assert referral["summary"]


def test_what_the_channel_said_at_the_start_holds_for_the_whole_session(http_api: str) -> None:
    """The channel gives role and place with a greeting only; the story comes later, without them."""
    session = new_session()
    channel = {"role": "youth_worker", "municipality": "Namur"}
    post(http_api, {"session": session, "text": "bonjour", "locale": "fr", "metadata": channel})
    text = (
        "un jeune de mon quartier passe ses soirées sur des chaînes Telegram qui glorifient les combattants"
    )
    body = post(http_api, {"session": session, "text": text, "locale": "fr"}).json()
    for _ in range(3):
        referral = next((m["referral"] for m in body["messages"] if m["referral"]), None)
        if referral:
            break
        question = body["messages"][-1]
        assert question["asks"] == "concern", question  # never who is writing or where: the channel said
        body = post(
            http_api, {"session": session, "payload": question["buttons"][0]["payload"], "locale": "fr"}
        )
        body = body.json()
    assert referral is not None
    assert referral["situation"]["role"] == "youth_worker"
    assert referral["situation"]["municipality"] == "92094"


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ('{"session": "x", "text": "hallo", "locale": "nl"', 400, "invalid_json"),
        ("[1, 2]", 400, "invalid_json"),
        (b"\xff\xfe", 400, "invalid_json"),
        ({"text": "hallo", "locale": "nl"}, 422, "invalid_session"),
        ({"session": "", "text": "hallo", "locale": "nl"}, 422, "invalid_session"),
        ({"session": "x", "text": "hallo", "locale": "es"}, 422, "unknown_locale"),
        ({"session": "x", "text": "hallo"}, 422, "unknown_locale"),
        ({"session": "x", "text": "   ", "locale": "nl"}, 422, "empty_text"),
        ({"session": "x", "text": "a" * 4001, "locale": "nl"}, 413, "text_too_long"),
        ({"session": "x", "locale": "nl"}, 422, "invalid_request"),
        ({"session": "x", "text": "a", "payload": "/greet", "locale": "nl"}, 422, "invalid_request"),
        ({"session": "x", "payload": "greet", "locale": "nl"}, 422, "invalid_payload"),
        ({"session": "x", "text": "a", "locale": "nl", "metadata": [1]}, 422, "invalid_metadata"),
        ("x" * 70000, 413, "body_too_large"),
    ],
)
def test_bad_input_gets_a_clear_4xx(http_api: str, body: Any, status: int, code: str) -> None:
    response = post(http_api, body)
    assert response.status_code == status
    error = response.json()["error"]
    assert error["code"] == code and error["message"]


def test_bad_input_leaves_the_conversation_unharmed(http_api: str) -> None:
    session = new_session()
    first = post(
        http_api, {"session": session, "text": "my son watches jihadist videos all day", "locale": "en"}
    ).json()
    pending = first["messages"][-1]["asks"]
    assert post(http_api, {"session": session, "text": "", "locale": "en"}).status_code == 422
    assert post(http_api, '{"session": "' + session + '", "text": ').status_code == 400
    again = post(
        http_api, {"session": session, "payload": '/inform_role{"role":"parent"}', "locale": "en"}
    ).json()
    assert pending == "role" or again["messages"]
    assert all(m["template"] != "greet" for m in again["messages"])


def test_forget_deletes_the_session(http_api: str) -> None:
    session = new_session()
    post(http_api, {"session": session, "text": "ik ben leerkracht in Gent", "locale": "nl"})
    assert post(http_api, {"session": session}, "/api/v1/forget").status_code == 204
    after = post(http_api, {"session": session, "text": "Gent", "locale": "nl"}).json()
    assert all(m["referral"] is None for m in after["messages"])  # the teacher was forgotten too
    assert any(m["asks"] in {"role", "concern"} for m in after["messages"])
    assert post(http_api, {"nothing": 1}, "/api/v1/forget").status_code == 422


def test_health_and_readiness(http_api: str) -> None:
    assert httpx.get(f"{http_api}/healthz").json() == {"status": "ok"}
    ready = httpx.get(f"{http_api}/readyz")
    assert ready.status_code == 200
    assert ready.json() == {
        "rasa": True,
        "rasa_workers": "1/1",
        "actions": True,
        "database": True,
        "degraded": False,
    }


def test_the_web_page_is_served(http_api: str) -> None:
    response = httpx.get(http_api)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")


def test_the_privacy_page_says_it_plainly_in_each_language(http_api: str) -> None:
    assert 'href="/privacy?lang=nl"' in httpx.get(http_api).text  # linked from the chat page
    french = httpx.get(f"{http_api}/privacy", params={"lang": "fr"})
    assert french.status_code == 200 and french.headers["content-type"].startswith("text/html")
    page = html.unescape(french.text)
    assert '<html lang="fr">' in page and "point de signalement" in page and "30 jours" in page
    assert "/forget" in page and "supprimez cette conversation" in page
    assert all(f"/privacy?lang={other}" in page for other in ("nl", "de", "en"))
    assert "content-security-policy" in french.headers
    unknown = httpx.get(f"{http_api}/privacy", params={"lang": "<script>"})
    assert unknown.status_code == 200 and "geen meldpunt" in unknown.text and "<script>" not in unknown.text


class InProcess:
    """Calls the ASGI app in-process, no server: enough when Rasa is meant to be absent."""

    def __init__(self, app: Any, service: ChatService) -> None:
        self.app = app
        self.service = service

    def _call(self, method: str, path: str, body: Any = None) -> httpx.Response:
        async def go() -> httpx.Response:
            transport = httpx.ASGITransport(app=self.app)
            async with httpx.AsyncClient(transport=transport, base_url="http://bot") as client:
                response = await client.request(method, path, json=body)
            await self.service.rasa.close()  # each call runs in a new event loop
            self.service.rasa = RasaClient(self.service.rasa.base_url)
            return response

        return asyncio.run(go())

    def post(self, path: str, json: Any) -> httpx.Response:
        return self._call("POST", path, json)

    def get(self, path: str) -> httpx.Response:
        return self._call("GET", path)


@pytest.fixture
def without_rasa(tmp_path: Path) -> InProcess:
    """The bot with no Rasa behind it: nothing listens on port 9."""
    engine = db.make_engine(f"sqlite:///{tmp_path / 'bot.sqlite3'}")
    directory = load_directory()
    db.load(directory, engine)
    service = ChatService(
        directory, SessionStore(engine, dt.timedelta(days=30)), RasaClient("http://127.0.0.1:9")
    )
    return InProcess(create_app(service, b"k" * 32, "http://127.0.0.1:9"), service)


def test_degraded_mode_still_answers_with_a_menu_and_the_main_lines(without_rasa: InProcess) -> None:
    body = without_rasa.post(
        "/api/v1/chat", json={"session": "d1", "text": "help mijn zoon", "locale": "nl"}
    ).json()
    assert body["degraded"] is True
    menu, lines = body["messages"]
    assert menu["template"] == "degraded" and menu["asks"] == "concern" and len(menu["buttons"]) == 12
    ids = [s["id"] for s in lines["referral"]["services"]]
    assert ids[0] == "opvoedingslijn" and not {"emergency-112", "police-101"} & set(ids)
    pressed = without_rasa.post(
        "/api/v1/chat", json={"session": "d1", "payload": "/describe_parenting", "locale": "nl"}
    ).json()
    referral = pressed["messages"][-1]["referral"]
    assert referral["services"][0]["id"] == "opvoedingslijn"
    ready = without_rasa.get("/readyz").json()
    assert ready == {
        "rasa": False,
        "rasa_workers": "0/1",
        "actions": False,
        "database": True,
        "degraded": True,
    }
