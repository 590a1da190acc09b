"""A small classifier over the danger signals, for what the hand-written rules miss (docs/SAFETY.md).

The rules of `bot/danger_signals.yml` fire only when every group of one of their lists matches; people
who write about danger in their own words often give several signals that no single list joins. Here each
group of the signals file is one feature (does it match the message, not right after a negation), and a
logistic regression weighs them, trained on the development sets of `tests/danger/` and on the NLU
training examples (the `emergency` intent as danger; every other intent, but for the three that mix danger
with talk of it, as ordinary messages: without them the classifier alarmed on ordinary worried parents).
The weights are data (`bot/danger_weights.json`), written by `python -m bot.danger_model`; a test
retrains and compares. The threshold was chosen by leaving each development set out in turn.
"""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from bot.danger import SENTENCE_JOIN, _affirmed, sentences_of, signals
from nlu.evaluate_nlu import read_examples
from protocol.danger import Danger

WEIGHTS = Path(__file__).with_name("danger_weights.json")
DANGER_SETS = Path(__file__).resolve().parents[1] / "tests" / "danger"
TRAINING_SETS = (
    "dev_cases.jsonl",
    "dev_cases_2.jsonl",
    "dev_cases_3.jsonl",
    "dev_cases_4.jsonl",
    "dev_cases_5.jsonl",
)
THRESHOLD = 0.7
NLU_DATA = Path(__file__).resolve().parents[1] / "nlu" / "data" / "nlu"
DANGER_INTENT = "emergency"
MIXED_INTENTS = frozenset({"describe_violence_threat", "describe_self_harm", "describe_travel_conflict"})
EPOCHS = 300
LEARNING_RATE = 0.5
L2 = 0.01

# Which kind of danger the strongest signals point to, tried in this order (self-harm first: "he took the
# rifle and locked himself in the garage" is a suicide risk).
ACUTE_SELF_HARM = frozenset(
    {"overdose", "means_at_hand", "height", "jump", "goodbye_note", "last_words", "ending", "crash"}
)
SELF_HARM = frozenset({"suicidal", "despair"}) | ACUTE_SELF_HARM
KINDS_BY_GROUP: tuple[tuple[Danger, frozenset[str]], ...] = (
    (Danger.VIOLENCE_NOW, frozenset({"beating", "gunfire", "siege", "panic", "hurt_now", "arson", "fight"})),
    (Danger.DEPARTURE_NOW, frozenset({"conflict_zone", "travel_papers"})),
    (Danger.MISSING_CHILD, frozenset({"missing", "overdue", "lured"})),
)
LATER_KINDS_BY_GROUP: tuple[tuple[Danger, frozenset[str]], ...] = (
    (Danger.SCHOOL_THREAT, frozenset({"school", "stay_away"})),
    (Danger.WEAPON, frozenset({"weapon"})),
)
URGENT = frozenset({"near", "now", "just", "unreachable"})


@dataclass(frozen=True)
class Model:
    bias: float
    weights: dict[str, float]
    threshold: float

    def probability(self, present: set[str]) -> float:
        score = self.bias + sum(self.weights.get(name, 0.0) for name in present)
        return 1.0 / (1.0 + math.exp(-score))


def present_groups(text: str) -> set[str]:
    """The signal groups that `text` matches somewhere, not right after a negation."""
    rules = signals()
    whole = SENTENCE_JOIN.join(sentences_of(text, rules))
    return {
        name
        for name, pattern in rules.groups.items()
        if pattern.search(whole) and _affirmed((pattern,), whole, rules.negation)[0]
    }


@cache
def model(path: Path = WEIGHTS) -> Model:
    data = json.loads(path.read_text(encoding="utf-8"))
    return Model(
        float(data["bias"]), {k: float(v) for k, v in data["weights"].items()}, float(data["threshold"])
    )


def kind_of(present: set[str]) -> Danger:
    """The kind of danger a set of signals points to, for a message the rules did not read."""
    if present & SELF_HARM:
        if present & (ACUTE_SELF_HARM | URGENT):
            return Danger.SUICIDE_RISK_NOW
        return Danger.SUICIDAL_INTENT
    for danger, names in KINDS_BY_GROUP:
        if present & names:
            return danger
    if "farewell" in present:  # things given away, a last message, no departure named: a suicide risk
        return Danger.SUICIDE_RISK_NOW if "travel" not in present else Danger.DEPARTURE_NOW
    for danger, names in LATER_KINDS_BY_GROUP:
        if present & names:
            return danger
    return Danger.ATTACK_PLAN


def classify(text: str, weights: Model | None = None) -> Danger | None:
    """The kind of danger the classifier reads in `text`, or None below its threshold."""
    chosen = weights or model()
    present = present_groups(text)
    if chosen.probability(present) < chosen.threshold:
        return None
    return kind_of(present)


def train(examples: Sequence[tuple[set[str], bool]], names: Sequence[str]) -> Model:
    """Logistic regression by full-batch gradient descent from zero: the same data gives the same weights."""
    weights = dict.fromkeys(names, 0.0)
    bias = 0.0
    count = len(examples)
    for _ in range(EPOCHS):
        gradient = dict.fromkeys(names, 0.0)
        bias_gradient = 0.0
        for present, dangerous in examples:
            score = bias + sum(weights[name] for name in present)
            error = 1.0 / (1.0 + math.exp(-score)) - (1.0 if dangerous else 0.0)
            bias_gradient += error
            for name in present:
                gradient[name] += error
        weights = {
            name: weights[name] - LEARNING_RATE * (gradient[name] / count + L2 * weights[name])
            for name in names
        }
        bias -= LEARNING_RATE * bias_gradient / count
    return Model(bias, weights, THRESHOLD)


def training_examples(folder: Path = DANGER_SETS, nlu_data: Path = NLU_DATA) -> list[tuple[set[str], bool]]:
    examples = [
        (present_groups(example.text), example.intent == DANGER_INTENT)
        for path in sorted(nlu_data.glob("**/*.yml"))
        for example in read_examples(path)
        if example.intent not in MIXED_INTENTS
    ]
    for name in TRAINING_SETS:
        for line in (folder / name).read_text(encoding="utf-8").splitlines():
            if line.strip():
                case = json.loads(line)
                examples.append((present_groups(case["text"]), case["danger"] is not None))
    return examples


def as_json(trained: Model) -> str:
    data = {
        "trained_on": [f"tests/danger/{name}" for name in TRAINING_SETS] + ["nlu/data/nlu"],
        "threshold": trained.threshold,
        "bias": round(trained.bias, 6),
        "weights": {name: round(value, 6) for name, value in sorted(trained.weights.items())},
    }
    return json.dumps(data, indent=1) + "\n"


def main(argv: list[str] | None = None) -> int:
    """`python -m bot.danger_model`: train on the development sets and write `bot/danger_weights.json`."""
    del argv
    trained = train(training_examples(), sorted(signals().groups))
    WEIGHTS.write_text(as_json(trained), encoding="utf-8")
    print(f"wrote {WEIGHTS}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
