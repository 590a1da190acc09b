"""Translations with Babel: catalogs from `locales/`, the current locale in a ContextVar."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path

from babel import Locale
from babel.dates import format_date, format_datetime
from babel.support import NullTranslations, Translations

from referral_map.taxonomy import Language

LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
DOMAIN = "messages"
# Belgian variants: dates and times as people in Belgium write them.
BABEL_LOCALES = {"nl": "nl_BE", "fr": "fr_BE", "de": "de_BE", "en": "en_BE"}

current_language: ContextVar[Language] = ContextVar("current_language", default=Language.EN)


@cache
def translations(language: Language) -> NullTranslations:
    """The compiled catalog of a language; the source strings when it is missing."""
    return Translations.load(str(LOCALES_DIR), [language.value], domain=DOMAIN)


def _(message: str) -> str:
    """Translate into the current language; placeholders are filled after translation."""
    return translations(current_language.get()).gettext(message)


def N_(message: str) -> str:  # noqa: N802 - the gettext convention for "mark, translate later"
    return message


@contextmanager
def use_language(language: Language) -> Iterator[None]:
    """Within the block, `_` translates into `language`; the previous language is restored after."""
    token = current_language.set(language)
    try:
        yield
    finally:
        current_language.reset(token)


def babel_locale(language: Language | None = None) -> Locale:
    return Locale.parse(BABEL_LOCALES[(language or current_language.get()).value])


def time_text(moment: dt.time | dt.datetime) -> str:
    """A clock time as people say it: "9 uur", "9 h 30", "17 Uhr", "9:30"."""
    if moment.minute == 0:
        return _("{hour}:00").format(hour=moment.hour)
    return _("{hour}:{minute}").format(hour=moment.hour, minute=f"{moment.minute:02d}")


def month_text(day: dt.date) -> str:
    """The month and year, as a card says when its facts were checked: "oktober 2026", "octobre 2026"."""
    return format_date(day, format="LLLL y", locale=babel_locale())


def weekday_text(moment: dt.datetime) -> str:
    return format_datetime(moment, "EEEE", locale=babel_locale())


def language_name(language: Language) -> str:
    """The language's own name for itself (Nederlands, français, Deutsch, English)."""
    own = Locale.parse(language.value)
    name = own.get_display_name(own) or language.value
    return name[:1].upper() + name[1:]
