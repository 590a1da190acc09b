"""Settings come from the environment once and fail fast on bad values."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from bot.settings import Settings


def test_from_env_reads_the_documented_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WEGWIJZER_RASA_URL", "http://127.0.0.1:6005")
    monkeypatch.setenv("WEGWIJZER_HTTP_PORT", "8181")
    monkeypatch.setenv("WEGWIJZER_RETENTION_DAYS", "7")
    monkeypatch.setenv("WEBHOOK_URL", "https://bot.example")
    settings = Settings.from_env()
    assert settings.rasa_port == 6005 and settings.http_port == 8181
    assert settings.retention_days == 7 and settings.retention.days == 7
    assert settings.webhook_url == "https://bot.example"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("WEGWIJZER_RETENTION_DAYS", "0"),
        ("WEGWIJZER_HTTP_PORT", "http"),
        ("WEBHOOK_URL", "http://plain.example"),
        ("WEGWIJZER_RASA_WORKERS", "0"),
        ("WEGWIJZER_RASA_URL", "http://127.0.0.1:5005,127.0.0.1:5006"),
    ],
)
def test_bad_values_are_refused_at_start(monkeypatch: pytest.MonkeyPatch, name: str, value: str) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ValidationError):
        Settings.from_env()


def test_the_secret_is_made_once_and_kept(tmp_path: Path) -> None:
    settings = Settings(secret_file=tmp_path / "var" / "secret")
    first = settings.secret()
    assert len(first) == 32 and settings.secret() == first
    assert (tmp_path / "var" / "secret").stat().st_mode & 0o077 == 0


def test_several_rasa_servers_are_listed_or_started_on_consecutive_ports(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert Settings().rasa_urls == ["http://127.0.0.1:5005"]
    monkeypatch.setenv("WEGWIJZER_RASA_WORKERS", "3")
    monkeypatch.setenv("WEGWIJZER_LOCK_STORE_URL", "redis://127.0.0.1:6379/0")
    started = Settings.from_env()
    assert started.rasa_urls == ["http://127.0.0.1:5005", "http://127.0.0.1:5006", "http://127.0.0.1:5007"]
    assert started.lock_store_url == "redis://127.0.0.1:6379/0"
    monkeypatch.setenv("WEGWIJZER_RASA_URL", "http://10.0.0.5:5005, http://10.0.0.6:5005")
    listed = Settings.from_env()
    assert listed.rasa_urls == ["http://10.0.0.5:5005", "http://10.0.0.6:5005"] and listed.rasa_port == 5005
