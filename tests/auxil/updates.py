"""Factories for Bot API updates as Telegram sends them (JSON), for the stand-in's getUpdates."""

from __future__ import annotations

import itertools
import time
from typing import Any

_message_ids = itertools.count(1)
_query_ids = itertools.count(1)
_file_ids = itertools.count(1)


def user(user_id: int, language_code: str | None = "nl") -> dict[str, Any]:
    person: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": "Test"}
    if language_code:
        person["language_code"] = language_code
    return person


def private_chat(user_id: int) -> dict[str, Any]:
    return {"id": user_id, "type": "private", "first_name": "Test"}


def group_chat(chat_id: int) -> dict[str, Any]:
    return {"id": chat_id, "type": "group", "title": "Ouders van de klas"}


def message(chat: dict[str, Any], sender: dict[str, Any], **content: Any) -> dict[str, Any]:
    return {
        "message_id": next(_message_ids),
        "date": int(time.time()),
        "chat": chat,
        "from": sender,
        **content,
    }


def _file(**extra: Any) -> dict[str, Any]:
    number = next(_file_ids)
    return {"file_id": f"file-{number}", "file_unique_id": f"unique-{number}", **extra}


def text(chat: dict[str, Any], sender: dict[str, Any], words: str) -> dict[str, Any]:
    return {"message": message(chat, sender, text=words)}


def command(chat: dict[str, Any], sender: dict[str, Any], name: str) -> dict[str, Any]:
    words = f"/{name}"
    entity = {"type": "bot_command", "offset": 0, "length": len(words)}
    return {"message": message(chat, sender, text=words, entities=[entity])}


def photo(chat: dict[str, Any], sender: dict[str, Any]) -> dict[str, Any]:
    return {"message": message(chat, sender, photo=[_file(width=90, height=90, file_size=1200)])}


def sticker(chat: dict[str, Any], sender: dict[str, Any]) -> dict[str, Any]:
    item = _file(type="regular", width=512, height=512, is_animated=False, is_video=False, emoji="👍")
    return {"message": message(chat, sender, sticker=item)}


def voice(chat: dict[str, Any], sender: dict[str, Any]) -> dict[str, Any]:
    return {"message": message(chat, sender, voice=_file(duration=4, mime_type="audio/ogg"))}


def document(chat: dict[str, Any], sender: dict[str, Any]) -> dict[str, Any]:
    item = _file(file_name="screenshot-chat.pdf", mime_type="application/pdf")
    return {"message": message(chat, sender, document=item)}


def location(chat: dict[str, Any], sender: dict[str, Any]) -> dict[str, Any]:
    return {"message": message(chat, sender, location={"latitude": 51.0543, "longitude": 3.7174})}


def edited(chat: dict[str, Any], sender: dict[str, Any], words: str) -> dict[str, Any]:
    return {"edited_message": message(chat, sender, text=words, edit_date=int(time.time()))}


def callback(sender: dict[str, Any], shown: dict[str, Any], data: str) -> dict[str, Any]:
    """A press on a button of a message the bot sent (as the stand-in returned it)."""
    return {
        "callback_query": {
            "id": f"query-{next(_query_ids)}",
            "from": sender,
            "message": shown,
            "chat_instance": f"instance-{shown['chat']['id']}",
            "data": data,
        }
    }
