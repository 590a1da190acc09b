"""Test helpers for the Telegram channel: a Bot API stand-in on loopback and update factories."""
