"""Turning the custom payloads from Rasa (and the bot's own messages) into `Rendered` messages."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Mapping
from typing import Any

from bot.cards import referral_view
from bot.i18n import N_, _
from bot.templates import Button, Rendered, sentence, titled
from protocol.messages import REFERRAL_TEMPLATES, Asks, ServiceRef, Template
from referral_map.directory import Directory
from referral_map.hours import BRUSSELS
from referral_map.routing import Situation

log = logging.getLogger(__name__)
UNKNOWN_TEMPLATE = N_("I am here to help. What is going on?")


class Renderer:
    """Writes each message in the current language (`bot.i18n.use_language`)."""

    def __init__(self, directory: Directory, now: Callable[[], dt.datetime] | None = None) -> None:
        self.directory = directory
        self.now = now or (lambda: dt.datetime.now(BRUSSELS))

    def render(self, payload: Mapping[str, Any]) -> Rendered:
        template = _template(payload.get("template"))
        if template is None:
            return Rendered(str(payload.get("template")), _(UNKNOWN_TEMPLATE), Asks.CONCERN.value)
        args = dict(payload.get("args") or {})
        buttons = titled(payload.get("buttons") or [])
        body = payload.get("referral")
        if template in REFERRAL_TEMPLATES and isinstance(body, Mapping):
            return self.referral(template, body, buttons)
        return Rendered(template.value, sentence(template, args), payload.get("asks"), buttons)

    def referral(self, template: Template, body: Mapping[str, Any], buttons: list[Button]) -> Rendered:
        situation = Situation.model_validate(
            {k: v for k, v in (body.get("situation") or {}).items() if k in Situation.model_fields}
        )
        chosen: list[ServiceRef] = [
            {"id": str(item["id"]), "location_id": item.get("location_id"), "reason": str(item.get("reason"))}
            for item in body.get("services") or []
            if isinstance(item, Mapping) and "id" in item
        ]
        view = referral_view(template, situation, chosen, self.directory, self._moment(body.get("routed_at")))
        return Rendered(template.value, view.text(), None, buttons, view)

    def _moment(self, routed_at: Any) -> dt.datetime:
        """When the services were chosen; now if the payload does not say (or says it badly)."""
        if isinstance(routed_at, str):
            try:
                moment = dt.datetime.fromisoformat(routed_at)
            except ValueError:
                return self.now()
            if moment.tzinfo is not None:
                return moment
        return self.now()


def _template(name: Any) -> Template | None:
    """The template a payload names; None (logged: a bug in Rasa's domain or an action) when unknown."""
    try:
        return Template(str(name))
    except ValueError:
        log.error("unknown message template %r: answering with the general question", name)
        return None
