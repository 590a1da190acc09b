"""One typed settings object, read once from the environment; a bad value fails at start."""

from __future__ import annotations

import datetime as dt
import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

from pydantic import BaseModel, Field, field_validator

from bot.http_guard import Limits
from referral_map.db import PROJECT_DIR, database_url

VAR_DIR = PROJECT_DIR / "var"


class Settings(BaseModel):
    # One Rasa server, or several separated by commas (run elsewhere; the bot spreads turns over them).
    rasa_url: str = "http://127.0.0.1:5005"
    # Rasa servers `wegwijzer run` starts, on consecutive ports from rasa_url's (and actions_url's).
    rasa_workers: int = Field(default=1, ge=1, le=16)
    # Rasa's lock store, shared by several Rasa servers: redis://127.0.0.1:6379/0 (stack/stores.py).
    lock_store_url: str | None = None
    actions_url: str = "http://127.0.0.1:5055"
    http_host: str = "127.0.0.1"
    http_port: int = Field(default=8080, ge=1, le=65535)
    database_url: str = Field(default_factory=database_url)
    telegram_token: str | None = None
    webhook_url: str | None = None
    # A Bot API server of one's own (Telegram's telegram-bot-api, or a stand-in): http://host:8081/bot
    telegram_api_url: str | None = Field(default=None, pattern=r"^https?://")
    retention_days: int = Field(default=30, ge=1, le=365)
    secret_file: Path = VAR_DIR / "session-secret"
    # Rasa's SQL tracker store, for /forget to delete a conversation there (Rasa's API cannot).
    tracker_db_url: str | None = None
    # Requests a minute through the HTTP API (bot/http_guard.py); raise them for a load test or an evaluation.
    rate_per_session: int = Field(default=30, ge=1)
    rate_per_address: int = Field(default=300, ge=1)
    # The operators' page /stats answers only requests that carry this token (none: no page).
    stats_token: str | None = Field(default=None, min_length=16)
    cors_origins: list[str] = Field(default_factory=list)  # other sites allowed to call the HTTP API
    # Seconds the bot waits for Rasa's answer before it answers in the reduced mode itself (a turn takes
    # about 0.1 s; a worried parent should not wait longer than a few seconds for anything).
    rasa_timeout: float = Field(default=5.0, gt=0, le=60)

    @field_validator("webhook_url")
    @classmethod
    def _https(cls, value: str | None) -> str | None:
        if value and not value.startswith("https://"):
            raise ValueError("WEBHOOK_URL must start with https://")
        return value

    @property
    def limits(self) -> Limits:
        return Limits(per_session=self.rate_per_session, per_address=self.rate_per_address)

    @field_validator("rasa_url")
    @classmethod
    def _rasa_urls(cls, value: str) -> str:
        for url in value.split(","):
            if not url.strip().startswith(("http://", "https://")):
                raise ValueError(f"WEGWIJZER_RASA_URL: {url.strip()!r} is not an http:// URL")
        return value

    @property
    def rasa_urls(self) -> list[str]:
        """Every Rasa server the bot talks to: those listed, else the ones `wegwijzer run` starts."""
        listed = self.rasa_urls_listed
        if len(listed) > 1 or self.rasa_workers == 1:
            return listed
        base = urlsplit(listed[0])
        return [
            f"{base.scheme}://{base.hostname}:{self.rasa_port + index}" for index in range(self.rasa_workers)
        ]

    @property
    def rasa_port(self) -> int:
        return urlsplit(self.rasa_urls_listed[0]).port or 5005

    @property
    def rasa_urls_listed(self) -> list[str]:
        return [url.strip() for url in self.rasa_url.split(",")]

    @property
    def actions_port(self) -> int:
        return urlsplit(self.actions_url).port or 5055

    @property
    def retention(self) -> dt.timedelta:
        return dt.timedelta(days=self.retention_days)

    def secret(self) -> bytes:
        """The key of the pseudonymous ids, made once per deployment and kept out of the repository."""
        if not self.secret_file.exists():
            self.secret_file.parent.mkdir(parents=True, exist_ok=True)
            self.secret_file.write_text(secrets.token_hex(32))
            self.secret_file.chmod(0o600)
        return bytes.fromhex(self.secret_file.read_text().strip())

    @classmethod
    def from_env(cls) -> Settings:
        values = {
            "rasa_url": os.environ.get("WEGWIJZER_RASA_URL"),
            "rasa_workers": os.environ.get("WEGWIJZER_RASA_WORKERS"),
            "lock_store_url": os.environ.get("WEGWIJZER_LOCK_STORE_URL"),
            "actions_url": os.environ.get("WEGWIJZER_ACTIONS_URL"),
            "http_host": os.environ.get("WEGWIJZER_HTTP_HOST"),
            "http_port": os.environ.get("WEGWIJZER_HTTP_PORT"),
            "telegram_token": os.environ.get("TELEGRAM_BOT_TOKEN"),
            "webhook_url": os.environ.get("WEBHOOK_URL"),
            "telegram_api_url": os.environ.get("TELEGRAM_API_URL"),
            "retention_days": os.environ.get("WEGWIJZER_RETENTION_DAYS"),
            "tracker_db_url": os.environ.get("WEGWIJZER_TRACKER_DB_URL"),
            "rate_per_session": os.environ.get("WEGWIJZER_RATE_PER_SESSION"),
            "rate_per_address": os.environ.get("WEGWIJZER_RATE_PER_ADDRESS"),
            "rasa_timeout": os.environ.get("WEGWIJZER_RASA_TIMEOUT"),
            "stats_token": os.environ.get("WEGWIJZER_STATS_TOKEN"),
            "cors_origins": [
                origin.strip()
                for origin in os.environ.get("WEGWIJZER_CORS_ORIGINS", "").split(",")
                if origin.strip()
            ],
        }
        return cls.model_validate({k: v for k, v in values.items() if v})
