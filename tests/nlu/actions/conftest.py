"""Tracker fixtures and a runner for the custom actions (rasa-sdk CollectingDispatcher)."""

import asyncio
from collections.abc import Callable
from typing import Any

import pytest
from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from nlu.actions.form import ValidateReferralForm

MakeTracker = Callable[..., Tracker]


@pytest.fixture
def tracker() -> MakeTracker:
    def make(
        slots: dict[str, Any] | None = None,
        intent: str = "describe_radicalisation",
        text: str = "",
        entities: list[dict[str, Any]] | None = None,
        locale: str = "nl",
        active_loop: str | None = None,
        ranking: list[dict[str, Any]] | None = None,
        events: list[dict[str, Any]] | None = None,
        confidence: float = 0.9,
        extra: dict[str, Any] | None = None,
    ) -> Tracker:
        latest = {
            "text": text,
            "intent": {"name": intent, "confidence": confidence},
            "entities": entities or [],
            "intent_ranking": ranking or [],
            "metadata": {"locale": locale},
            **(extra or {}),
        }
        return Tracker(
            "test-session",
            slots or {},
            latest,
            events or [],
            False,
            None,
            {"name": active_loop} if active_loop else {},
            "action_listen",
        )

    return make


def run(action: Action, tracker: Tracker) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker, {}))
    return [message["custom"] for message in dispatcher.messages], events


def validate_municipality(tracker: Tracker, value: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    dispatcher = CollectingDispatcher()
    result = ValidateReferralForm().validate_municipality(value, dispatcher, tracker, {})
    return result, [message["custom"] for message in dispatcher.messages]
