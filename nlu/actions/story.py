"""What the whole conversation says the concern is, when no single message is sure of it.

People tell a story in pieces: a vague opener, then two long messages, then "I am his mother, we live in
Schaerbeek". Each message's reading counts in proportion to its length, so the short answers to the
form's questions do not outvote the story (docs/DESIGN.md section 4).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from rasa_sdk import Tracker

from protocol.payloads import DESCRIBE
from referral_map.taxonomy import Concern

FULL_WEIGHT_WORDS = 20  # a message of 20 words counts once; a longer one more, up to four times
MAX_WEIGHT = 4.0
# The story's likeliest concern is taken without asking when it holds this share of all the evidence.
CLEAR_SHARE = 0.5
# Below this, no story was told: "ik ben leerkracht in Gent" names no concern, however the model ranks them
# (a 20-word message read at 30% gives this much).
MIN_EVIDENCE = 0.3
SITUATIONS = {c.value for c in Concern} - {Concern.OUT_OF_SCOPE.value}
THANKS = re.compile(
    r"\b(bedankt|dank (je|u)|dankjewel|dankuwel|merci\w*|danke\w*|vielen dank|thanks?|thank you|thx|"
    r"shukran|choukran|barak ?allah\w*)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class StoryReading:
    ranking: list[tuple[str, float]]  # concerns, the likeliest first, with their evidence
    messages: int  # how many typed messages it was read from

    @property
    def likeliest(self) -> str | None:
        return self.ranking[0][0] if self.ranking else None

    @property
    def clear(self) -> bool:
        """Told in several messages, one concern holds at least `CLEAR_SHARE` of the evidence.

        A single message is judged by its own confidence (`SURE_OF_CONCERN` in actions/form.py)."""
        total = sum(score for _, score in self.ranking)
        return self.messages > 1 and bool(self.ranking) and self.ranking[0][1] >= CLEAR_SHARE * total

    def concerns(self) -> list[str]:
        return [concern for concern, _ in self.ranking]


def story_reading(tracker: Tracker) -> StoryReading:
    """The situation readings of every user message since the conversation (re)started, weighed by length."""
    scores: dict[str, float] = defaultdict(float)
    messages = 0
    for event in tracker.events:
        kind = event.get("event")
        if kind in {"restart", "session_started"}:
            scores.clear()
            messages = 0
        if kind != "user":
            continue
        text = str(event.get("text") or "")
        if text.startswith("/"):  # a button says what it means; it is not a story
            continue
        messages += 1
        weight = min(MAX_WEIGHT, max(1, len(text.split())) / FULL_WEIGHT_WORDS)
        for item in (event.get("parse_data") or {}).get("intent_ranking") or []:
            concern = str(item.get("name", "")).removeprefix(DESCRIBE)
            if str(item.get("name", "")).startswith(DESCRIBE) and concern in SITUATIONS:
                scores[concern] += float(item.get("confidence") or 0) * weight
    ranking = sorted(scores.items(), key=lambda pair: -pair[1])
    if not ranking or ranking[0][1] < MIN_EVIDENCE:
        return StoryReading([], messages)
    return StoryReading([(concern, score) for concern, score in ranking if score > 0], messages)


def says_thanks(text: str) -> bool:
    return bool(THANKS.search(text))
