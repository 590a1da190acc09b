"""Which of the four languages a message is written in: lingua, restricted to nl, fr, de and en."""

from __future__ import annotations

from functools import cache

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


@cache
def detector() -> LanguageDetector:
    return LanguageDetectorBuilder.from_languages(*OURS).build()


def detect_language(text: str) -> Language | None:
    """The language when the message is clearly written in one of the four, else None."""
    if len(text.split()) < MIN_WORDS or text.startswith("/"):
        return None
    values = detector().compute_language_confidence_values(text)
    if not values or values[0].value < MIN_CONFIDENCE:
        return None
    return OURS.get(values[0].language)
