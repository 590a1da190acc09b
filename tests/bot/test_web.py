"""The web chat page, driven in Debian's Chromium by Playwright against the real bot and Rasa servers.

Nothing leaves loopback: every request to another host is blocked, and the quick exit's neutral site is
answered locally by the test. The accessibility check runs axe-core (4.12.1, MPL-2.0) from the axe.min.js
that the PyPI package axe-playwright-python (0.1.8, MIT) ships; nothing of it is served to users.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Request, Route, sync_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
NEUTRAL = "https://www.google.com"
WORRY = "mijn zoon van 16 kijkt de hele dag IS-filmpjes"


@dataclass
class Traffic:
    """What the page asked for: requests to loopback, navigations to the neutral site, blocked requests."""

    requests: list[Request] = field(default_factory=list)
    neutral: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    neutral_status: int = 200

    def posts(self, path: str) -> list[Request]:
        return [r for r in self.requests if r.method == "POST" and urlsplit(r.url).path == path]


@dataclass
class Chat:
    page: Page
    context: BrowserContext
    traffic: Traffic


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make browser`")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def open_chat(browser: Browser, http_api: str) -> Iterator[Callable[..., Chat]]:
    contexts: list[BrowserContext] = []

    def opener(width: int = 1100, height: int = 900, query: str = "") -> Chat:
        context = browser.new_context(
            locale="nl-BE", viewport={"width": width, "height": height}, service_workers="block"
        )
        contexts.append(context)
        traffic = Traffic()

        def guard(route: Route) -> None:
            url = route.request.url
            host = urlsplit(url).hostname
            if host == "127.0.0.1":
                route.continue_()
            elif url.startswith(NEUTRAL):
                traffic.neutral.append(url)
                if (
                    traffic.neutral_status == 204
                ):  # "no content": the browser stays, so the page can be inspected
                    route.fulfill(status=204)
                else:
                    route.fulfill(
                        status=200, content_type="text/html", body="<title>Neutral</title><p>neutral"
                    )
            else:
                traffic.blocked.append(url)
                route.abort()

        context.route("**/*", guard)
        context.on("request", lambda request: traffic.requests.append(request))
        page = context.new_page()
        page.set_default_timeout(30_000)
        page.goto(f"{http_api}/{query}")
        page.wait_for_selector("#message")
        return Chat(page, context, traffic)

    yield opener
    for context in contexts:
        context.close()


def bot_count(page: Page) -> int:
    return page.locator("#log .msg.bot").count()


def wait_for_reply(page: Page, before: int) -> None:
    page.wait_for_function(
        "n => document.querySelectorAll('#log .msg.bot').length > n"
        " && !document.getElementById('log').hasAttribute('aria-busy')",
        arg=before,
    )


def say(page: Page, text: str) -> None:
    before = bot_count(page)
    page.fill("#message", text)
    page.click("#send")
    wait_for_reply(page, before)


def press(page: Page, payload_part: str) -> None:
    before = bot_count(page)
    page.locator(f"#log .choice:enabled[data-payload*='{payload_part}']").first.click()
    wait_for_reply(page, before)


def last_asks(page: Page) -> str | None:
    return page.locator("#log .msg.bot").last.get_attribute("data-asks")


def converse_to_referral(page: Page) -> None:
    """Tell the worry in Dutch and answer what the bot asks until it shows a referral card."""
    say(page, WORRY)
    for _ in range(6):
        if page.locator("#log .service").count():
            return
        asks = last_asks(page)
        if asks == "role":
            press(page, "parent")
        elif asks == "municipality":
            say(page, "Gent")
        elif asks == "concern":
            press(page, "extrem")
        else:
            break
    assert page.locator("#log .service").count(), page.inner_text("#log")


def session_storage(page: Page) -> dict[str, str]:
    stored: dict[str, str] = page.evaluate(
        "() => Object.fromEntries(Object.keys(sessionStorage).map(k => [k, sessionStorage.getItem(k)]))"
    )
    return stored


def full_page_screenshot(page: Page, path: Path) -> None:
    """The whole conversation, with the sticky header and text box where a reader sees them: top and bottom."""
    size = page.viewport_size or {"width": 1100, "height": 900}
    height = page.evaluate("document.documentElement.scrollHeight")
    page.set_viewport_size({"width": size["width"], "height": height})
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size(size)


def test_conversation_reaches_a_referral_card(open_chat: Callable[..., Chat], artifacts: Path) -> None:
    chat = open_chat()
    page = chat.page
    assert page.evaluate("document.documentElement.lang") == "nl"
    converse_to_referral(page)

    card = page.locator("#log .service").first
    tel = card.locator("a[href^='tel:']")
    assert tel.count() == 1
    assert tel.get_attribute("href") == card.locator("a.call").get_attribute("href")
    assert tel.inner_text().startswith("Bel ")
    for part in ("service-name", "service-description", "service-opening", "service-confidentiality"):
        assert card.locator(f".{part}").inner_text().strip(), part
    assert card.locator(".service-reason").inner_text().strip()
    assert card.locator(".service-checked").inner_text().startswith("Nagekeken in ")
    assert page.locator("#log .service a.website[href^='http']").count() >= 1

    # The summary is copyable, with a copy button that says it worked.
    summary = page.locator("#log .summary").last
    assert summary.locator(".summary-text").inner_text().strip()
    chat.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=page.url.rstrip("/"))
    summary.locator("button.copy").click()
    page.wait_for_function("() => document.querySelector('#log .summary .copy').textContent === 'Gekopieerd'")
    assert page.evaluate("navigator.clipboard.readText()") == summary.locator(".summary-text").inner_text()

    # The user's words are shown, and the conversation is kept for this tab only.
    assert page.locator("#log .msg.user").first.inner_text().strip().endswith(WORRY)
    stored = session_storage(page)
    assert len(stored["wegwijzer.session"]) == 36  # crypto.randomUUID
    assert WORRY in stored["wegwijzer.log"]
    assert page.evaluate("document.cookie") == ""
    assert page.evaluate("Object.keys(localStorage).length") == 0
    for request in chat.traffic.posts("/api/v1/chat"):
        body = json.loads(request.post_data or "{}")
        assert body["session"] == stored["wegwijzer.session"]
        assert body["locale"] == "nl"

    # A reload keeps the conversation (sessionStorage), with only the newest buttons usable.
    page.reload()
    page.wait_for_selector("#log .service")
    assert page.locator("#log .msg.user").count() >= 1
    assert chat.traffic.blocked == []
    full_page_screenshot(page, artifacts / "web-chat.png")


def test_a_card_reports_a_mistake_apart_from_the_conversation(open_chat: Callable[..., Chat]) -> None:
    chat = open_chat()
    page = chat.page
    converse_to_referral(page)
    card = page.locator("#log .service").first
    card.locator("button.report-open").click()
    card.locator("input.report-comment").fill("het nummer is veranderd")
    card.locator("button.report-send").click()
    page.wait_for_function("() => document.querySelector('#log .service .report-answer').textContent !== ''")
    assert card.locator(".report-answer").inner_text().startswith("Dank je.")
    [request] = chat.traffic.posts("/api/v1/report")
    body = json.loads(request.post_data or "{}")
    assert body["comment"] == "het nummer is veranderd" and body["locale"] == "nl"
    assert "session" not in body and session_storage(page)["wegwijzer.session"] not in (
        request.post_data or ""
    )


def test_language_switch(open_chat: Callable[..., Chat]) -> None:
    chat = open_chat()
    page = chat.page
    assert page.get_attribute("#languages button[data-lang='nl']", "aria-pressed") == "true"
    page.click("#languages button[data-lang='fr']")
    assert page.evaluate("document.documentElement.lang") == "fr"
    assert page.inner_text("#send") == "Envoyer"
    assert page.inner_text("#quick-exit") == "Quitter vite"
    assert page.get_attribute("#message", "placeholder") == "Écrivez votre message ici…"
    assert page.inner_text("#message-label") == "Votre message"
    assert page.get_attribute("#languages button[data-lang='fr']", "aria-pressed") == "true"
    assert page.get_attribute("#languages button[data-lang='nl']", "aria-pressed") == "false"
    assert chat.traffic.posts("/api/v1/chat") == []  # before the conversation, nothing is sent

    # The first message carries the chosen locale.
    say(page, "Mon fils de 16 ans regarde des vidéos de l'État islamique toute la journée")
    first = json.loads(chat.traffic.posts("/api/v1/chat")[0].post_data or "{}")
    assert first["locale"] == "fr"
    assert page.evaluate("document.documentElement.lang") == "fr"

    # Once the conversation has started, switching asks the bot to change language.
    before = bot_count(page)
    page.click("#languages button[data-lang='de']")
    wait_for_reply(page, before)
    last = json.loads(chat.traffic.posts("/api/v1/chat")[-1].post_data or "{}")
    assert last["payload"] == '/change_language{"language":"de"}'
    assert last["locale"] == "de"
    assert page.evaluate("document.documentElement.lang") == "de"
    assert page.inner_text("#send") == "Senden"
    assert session_storage(page)["wegwijzer.locale"] == "de"


def test_page_follows_the_locale_of_the_reply_and_shows_reduced_mode(open_chat: Callable[..., Chat]) -> None:
    chat = open_chat()
    page = chat.page
    reply = {
        "session": "x",
        "locale": "en",
        "degraded": True,
        "messages": [
            {
                "template": "degraded",
                "asks": "concern",
                "text": "I am working in a reduced mode.",
                "buttons": [
                    {"title": "Extremist ideas", "payload": '/inform_concern{"concern":"extremism"}'}
                ],
                "referral": None,
            }
        ],
    }
    page.route(
        "**/api/v1/chat",
        lambda route: route.fulfill(status=200, content_type="application/json", body=json.dumps(reply)),
    )
    assert not page.is_visible("#degraded")
    say(page, "my son watches IS videos all day")
    assert page.evaluate("document.documentElement.lang") == "en"
    assert page.inner_text("#send") == "Send"
    assert page.is_visible("#degraded")
    assert page.inner_text("#degraded") == "The chat is running in a reduced mode for now."
    assert page.locator("#log .choice").inner_text() == "Extremist ideas"


def test_quick_exit_clears_everything_and_leaves(open_chat: Callable[..., Chat]) -> None:
    chat = open_chat()
    page = chat.page
    say(page, WORRY)
    session = session_storage(page)["wegwijzer.session"]
    assert page.locator("#log .msg").count() >= 2

    chat.traffic.neutral_status = 204  # the browser stays on the page, so what is left of it can be checked
    assert page.is_visible("#quick-exit")
    page.click("#quick-exit")
    deadline = time.monotonic() + 10
    while not (chat.traffic.neutral and chat.traffic.posts("/api/v1/forget")) and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    assert chat.traffic.neutral == [NEUTRAL + "/"]
    forget = chat.traffic.posts("/api/v1/forget")
    assert len(forget) == 1
    assert json.loads(forget[0].post_data or "{}") == {"session": session}
    assert page.locator("#log > *").count() == 0
    assert page.input_value("#message") == ""
    assert session_storage(page) == {}
    assert WORRY not in page.content()


def test_quick_exit_with_escape_twice(open_chat: Callable[..., Chat]) -> None:
    chat = open_chat()
    page = chat.page
    say(page, WORRY)
    page.focus("#message")
    page.keyboard.press("Escape")
    assert chat.traffic.neutral == []  # one press is not enough: Escape also closes other things
    page.keyboard.press("Escape")
    page.wait_for_url(NEUTRAL + "/")
    assert chat.traffic.neutral == [NEUTRAL + "/"]
    assert len(chat.traffic.posts("/api/v1/forget")) == 1
    assert chat.traffic.blocked == []


def focused(page: Page) -> dict[str, Any]:
    info: dict[str, Any] = page.evaluate(
        """() => {
            const e = document.activeElement;
            const s = getComputedStyle(e);
            return {id: e.id, cls: e.className, payload: e.getAttribute('data-payload') || '',
                    text: e.textContent, outline: s.outlineStyle, width: parseFloat(s.outlineWidth)};
        }"""
    )
    return info


def tab_until(page: Page, matches: Callable[[dict[str, Any]], bool], limit: int = 40) -> dict[str, Any]:
    for _ in range(limit):
        page.keyboard.press("Tab")
        info = focused(page)
        if matches(info):
            return info
    raise AssertionError("Tab never reached the element")


def bot_button(payload_part: str) -> Callable[[dict[str, Any]], bool]:
    return lambda info: "choice" in info["cls"] and payload_part in info["payload"]


def test_keyboard_only(open_chat: Callable[..., Chat]) -> None:
    chat = open_chat()
    page = chat.page
    # The quick exit comes first, with a visible focus ring.
    page.keyboard.press("Tab")
    first = focused(page)
    assert first["id"] == "quick-exit"
    assert first["outline"] != "none" and first["width"] >= 2

    # Tab to the text box; an empty message is not sent; Enter sends.
    info = tab_until(page, lambda i: i["id"] == "message")
    assert info["outline"] != "none"
    page.keyboard.press("Enter")
    page.wait_for_timeout(300)
    assert chat.traffic.posts("/api/v1/chat") == []
    before = bot_count(page)
    page.keyboard.type(WORRY)
    page.keyboard.press("Enter")
    wait_for_reply(page, before)
    assert len(chat.traffic.posts("/api/v1/chat")) == 1
    assert focused(page)["id"] == "message"  # typing stays in the text box
    assert page.input_value("#message") == ""

    # The bot's buttons are reached with Tab from the top and pressed with Enter.
    for _ in range(4):
        if not page.locator("#log .choice:enabled").count():
            break
        page.evaluate("document.activeElement.blur()")
        wanted = "parent" if last_asks(page) == "role" else ""  # answer as a parent when asked
        button = tab_until(page, bot_button(wanted))
        assert button["outline"] != "none"
        before = bot_count(page)
        sent = len(chat.traffic.posts("/api/v1/chat"))
        page.keyboard.press("Enter")
        wait_for_reply(page, before)
        assert len(chat.traffic.posts("/api/v1/chat")) == sent + 1
        assert page.locator("#log .msg.user").last.inner_text().strip().endswith(button["text"].strip())
        # After a button the focus is on the next buttons, or back in the text box: never lost.
        now = focused(page)
        assert now["id"] == "message" or "choice" in now["cls"]
        if page.locator("#log .service").count():
            break
    assert len(chat.traffic.posts("/api/v1/chat")) >= 2

    # The text box takes at most 4000 characters.
    page.fill("#message", "a" * 5000)
    assert len(page.input_value("#message")) == 4000


def test_phone_width(open_chat: Callable[..., Chat], artifacts: Path) -> None:
    chat = open_chat(width=360, height=740)
    page = chat.page
    converse_to_referral(page)
    page.evaluate("window.scrollTo(0, 0)")
    assert page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth")
    box = page.locator("#quick-exit").bounding_box()
    assert box is not None and box["y"] >= 0 and box["x"] + box["width"] <= 360
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    box = page.locator("#quick-exit").bounding_box()  # the header stays on screen while scrolling
    assert box is not None and box["y"] >= 0
    full_page_screenshot(page, artifacts / "web-chat-phone.png")


AXE_SCRIPT = files("axe_playwright_python").joinpath("axe.min.js").read_text(encoding="utf-8")


def axe_problems(page: Page) -> list[str]:
    page.evaluate(AXE_SCRIPT)
    results: dict[str, Any] = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']]}"
        for v in results["violations"]
        if v["impact"] in {"serious", "critical"}
    ]


def test_accessibility_with_axe(open_chat: Callable[..., Chat]) -> None:
    chat = open_chat()
    page = chat.page
    assert axe_problems(page) == []  # the empty page
    converse_to_referral(page)
    assert axe_problems(page) == []  # a conversation with buttons, referral cards and the summary
    page.click("#languages button[data-lang='fr']")
    page.wait_for_function("() => !document.getElementById('log').hasAttribute('aria-busy')")
    assert axe_problems(page) == []
    phone = open_chat(width=360, height=740).page
    assert axe_problems(phone) == []
