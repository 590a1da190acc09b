"""Which of the four languages a message is written in (lingua, restricted to nl, fr, de and en), and
whether it is written in another language altogether (Turkish is not German)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml
from lingua import Language as LinguaLanguage
from lingua import LanguageDetector, LanguageDetectorBuilder

from referral_map.taxonomy import Language

OURS = {
    LinguaLanguage.DUTCH: Language.NL,
    LinguaLanguage.FRENCH: Language.FR,
    LinguaLanguage.GERMAN: Language.DE,
    LinguaLanguage.ENGLISH: Language.EN,
}
MIN_WORDS = 4  # "ok", "merci", "Gent" say nothing about the language of the conversation
MIN_CONFIDENCE = 0.8
# Languages people in Belgium may write in besides the four; each has an ISO 639-1 code.
OTHERS = {
    LinguaLanguage.TURKISH: "tr",
    LinguaLanguage.ARABIC: "ar",
    LinguaLanguage.SPANISH: "es",
    LinguaLanguage.ITALIAN: "it",
    LinguaLanguage.PORTUGUESE: "pt",
    LinguaLanguage.POLISH: "pl",
    LinguaLanguage.ROMANIAN: "ro",
    LinguaLanguage.RUSSIAN: "ru",
    LinguaLanguage.UKRAINIAN: "uk",
    LinguaLanguage.BULGARIAN: "bg",
    LinguaLanguage.ALBANIAN: "sq",
    LinguaLanguage.PERSIAN: "fa",
    LinguaLanguage.SOMALI: "so",
}
OTHER_SENTENCES = Path(__file__).with_name("other_languages.yml")


@cache
def detector() -> LanguageDetector:
    return LanguageDetectorBuilder.from_languages(*OURS).build()


@cache
def wide_detector() -> LanguageDetector:
    # Trigrams only: enough to tell a whole message in Turkish from one in German, at a tenth of the memory
    # (about 150 MB less in the bot, BENCHMARKS.md); the four languages keep the full models.
    return LanguageDetectorBuilder.from_languages(*OURS, *OTHERS).with_low_accuracy_mode().build()


@cache
def other_sentences() -> dict[str, str]:
    """The sentence for a message in another language, in that language (`other_languages.yml`)."""
    data = yaml.safe_load(OTHER_SENTENCES.read_text(encoding="utf-8"))
    return {str(code): str(sentence) for code, sentence in data.items()}


def other_language(text: str) -> str | None:
    """The ISO code of a language outside the four when the message is clearly written in one."""
    if len(text.split()) < MIN_WORDS or text.startswith("/"):
        return None
    values = wide_detector().compute_language_confidence_values(text)
    if not values or values[0].value < MIN_CONFIDENCE:
        return None
    return OTHERS.get(values[0].language)


def read_language(text: str, ours: bool = True) -> tuple[Language | None, str | None]:
    """One of the four when the message is clearly written in it, or the code of another language.

    `ours=False` skips the four-language reading (a short answer in a conversation under way cannot switch
    its language) and reads only whether the message is in another language altogether.
    """
    other = other_language(text)
    return (None if other or not ours else _ours(text)), other


def detect_language(text: str) -> Language | None:
    """The language when the message is clearly written in one of the four, else None."""
    return read_language(text)[0]


def _ours(text: str) -> Language | None:
    if len(text.split()) < MIN_WORDS or text.startswith("/"):
        return None
    values = detector().compute_language_confidence_values(text)
    if not values or values[0].value < MIN_CONFIDENCE:
        return None
    return OURS.get(values[0].language)
