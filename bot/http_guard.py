"""What stands in front of the HTTP API: rate limits, security headers, CORS for configured origins only."""

from __future__ import annotations

import time
from collections import defaultdict, deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.i18n import N_, _, use_language
from referral_map.taxonomy import Language

RATE_LIMITED = N_(
    "You are writing faster than I can answer. Please wait a moment, then send your message again."
)

# The web page loads only its own script and style; nothing may frame it (docs/SAFETY.md).
SECURITY_HEADERS = {
    "content-security-policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    "permissions-policy": "camera=(), microphone=(), geolocation=()",
    "cross-origin-opener-policy": "same-origin",
}


MAX_KEYS = 10_000  # sessions or addresses remembered before the quiet ones are forgotten


@dataclass
class RateLimit:
    """At most `limit` events per key in any `window` seconds (a sliding window)."""

    limit: int
    window: float = 60.0
    clock: Callable[[], float] = time.monotonic
    events: dict[str, deque[float]] = field(default_factory=lambda: defaultdict(deque))
    pruned_at: float = float("-inf")

    def retry_after(self, key: str) -> float:
        """0 when the event is allowed (and counted); otherwise the seconds until it would be."""
        now = self.clock()
        seen = self.events[key]
        while seen and seen[0] <= now - self.window:
            seen.popleft()
        if len(seen) >= self.limit:
            return seen[0] + self.window - now
        seen.append(now)
        if len(self.events) > MAX_KEYS and now - self.pruned_at > self.window:
            # Forget keys quiet for a whole window, at most once a window: memory stays bounded and
            # a busy minute does not pay for a scan on every request.
            self.pruned_at = now
            for quiet in [k for k, v in self.events.items() if not v or v[-1] <= now - self.window]:
                del self.events[quiet]
        return 0.0


@dataclass(frozen=True)
class Limits:
    """Requests a minute: one conversation types slower than this; one address may hold a school."""

    per_session: int = 30
    per_address: int = 300
    reports_per_address: int = 10  # reports of a mistake in the map


# Evaluations play hundreds of conversations a minute from one address.
EVALUATION_LIMITS = Limits(per_session=1_000, per_address=1_000_000, reports_per_address=1_000)


def rate_limited_message(locale: object) -> str:
    language = (
        Language(locale)
        if isinstance(locale, str) and locale in Language.__members__.values()
        else Language.EN
    )
    with use_language(language):
        return _(RATE_LIMITED)


class SecurityHeaders:
    """Adds the security headers to every HTTP response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _value in message.get("headers", [])}
                extra = [
                    (name.encode(), value.encode())
                    for name, value in SECURITY_HEADERS.items()
                    if name.encode() not in present
                ]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def middleware(cors_origins: Sequence[str]) -> list[Middleware]:
    """Security headers always; CORS only when origins are configured (the page itself is same-origin)."""
    stack = [Middleware(SecurityHeaders)]
    if cors_origins:
        stack.append(
            Middleware(
                CORSMiddleware,
                allow_origins=list(cors_origins),
                allow_methods=["POST"],
                allow_headers=["content-type"],
            )
        )
    return stack
