"""The Telegram channel (python-telegram-bot 22): commands, free text, buttons and referrals, private chats only.

Polling by default; webhook mode when `Settings.webhook_url` is set, with the web server kept apart:
the application is built with `.updater(None)` and `webhook_route` feeds its update queue from a
Starlette route that `bot.run` adds to the web app's routes. Users are known only by a keyed hash of
their Telegram id.

Each step is a module-level `async def step(update, context)`; what every chat shares (the chat core,
the settings, the key of the pseudonyms) is in `context.bot_data` (`BotData`). The modules, by concern:
`app` (wiring, starting and stopping), `gate` (private chats only, session and language), `commands`,
`messages` (free text and buttons), `media` (what the bot cannot read), `errors`, `replies` (sending),
`keyboards` (callback data, the concern menu), `format` (Telegram HTML), `webhook`, `processor`
(update order per chat), `context` (per-chat and shared data, the callback context).

```mermaid
flowchart LR
    any[any update] -->|group -1| resolve{private chat?}
    resolve -->|no| notice[private_only, once per chat]
    resolve -->|yes| step[command, text, button or media step]
    step --> core[ChatService.handle] --> send[messages, cards, summary]
```
"""

from bot.telegram.app import build_application, running
from bot.telegram.context import BotData, ChatData, TelegramApplication, WegwijzerContext, telegram_language
from bot.telegram.errors import SORRY
from bot.telegram.processor import ChatOrderedProcessor
from bot.telegram.webhook import WEBHOOK_PATH, webhook_route

__all__ = [
    "SORRY",
    "WEBHOOK_PATH",
    "BotData",
    "ChatData",
    "ChatOrderedProcessor",
    "TelegramApplication",
    "WegwijzerContext",
    "build_application",
    "running",
    "telegram_language",
    "webhook_route",
]
