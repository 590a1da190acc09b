"""NLU evaluation on the held-out test files, per language, through a running Rasa server.

`python -m nlu.evaluate_nlu --rasa URL` parses every example of
`nlu/tests/nlu/<lang>.yml` with `/model/parse` and prints intent and entity
F1 per language. The test files are never part of training (`stack.model`
fingerprints only `nlu/data`, the domain and the config).

A second slice, "real", holds real-style first messages (`nlu/tests/nlu/real/<lang>.yml`:
long, messy, code-switching, often never naming the concern). It is scored the same way
but reported apart (`evaluate_slices`: report["real"][lang]), so the held-out figures stay
comparable. `--slice held_out|real|all` chooses what to print.
"""

from __future__ import annotations

import argparse
import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import yaml

TEST_DIR = Path(__file__).resolve().parent / "tests" / "nlu"
REAL_DIR = TEST_DIR / "real"
HELD_OUT = "held_out"
SLICES = {HELD_OUT: TEST_DIR, "real": REAL_DIR}  # slice name -> directory of <lang>.yml files
ANNOTATION = re.compile(r"\[(?P<text>[^\]]+)\](?:\((?P<entity>[a-z_]+)\)|(?P<json>\{[^}]*\}))")


@dataclass(frozen=True)
class Example:
    text: str
    intent: str
    entities: frozenset[tuple[str, str]]  # (entity, value)


def parse_annotated(line: str) -> tuple[str, frozenset[tuple[str, str]]]:
    """Plain text and its (entity, value) pairs from Rasa's inline markup."""
    entities = set()
    for match in ANNOTATION.finditer(line):
        if match.group("entity"):
            entities.add((match.group("entity"), match.group("text")))
        else:
            spec = json.loads(match.group("json"))
            entities.add((spec["entity"], str(spec.get("value", match.group("text")))))
    return ANNOTATION.sub(lambda m: m.group("text"), line), frozenset(entities)


def read_examples(path: Path) -> list[Example]:
    examples = []
    for block in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu", []):
        if "intent" not in block:
            continue
        for line in str(block["examples"]).splitlines():
            line = line.strip()
            if line.startswith("- "):
                text, entities = parse_annotated(line[2:].strip())
                examples.append(Example(text, str(block["intent"]), entities))
    return examples


def f1_scores(pairs: Iterable[tuple[str, str]]) -> tuple[float, float]:
    """Micro (accuracy) and macro F1 over (expected, predicted) labels."""
    pairs = list(pairs)
    labels = {expected for expected, _ in pairs}
    true_pos: Counter[str] = Counter()
    predicted: Counter[str] = Counter()
    actual: Counter[str] = Counter()
    for expected, got in pairs:
        actual[expected] += 1
        predicted[got] += 1
        true_pos[expected] += expected == got
    per_label = []
    for label in labels:
        precision = true_pos[label] / predicted[label] if predicted[label] else 0.0
        recall = true_pos[label] / actual[label]
        per_label.append(2 * precision * recall / (precision + recall) if precision + recall else 0.0)
    micro = sum(true_pos.values()) / len(pairs) if pairs else 0.0
    return micro, (sum(per_label) / len(per_label) if per_label else 0.0)


def entity_f1(expected: list[frozenset[tuple[str, str]]], got: list[frozenset[tuple[str, str]]]) -> float:
    """Micro F1 over (entity, normalised value) pairs; places are compared case-insensitively."""

    def norm(items: frozenset[tuple[str, str]]) -> set[tuple[str, str]]:
        return {(entity, value.strip().lower()) for entity, value in items}

    true_pos = sum(len(norm(e) & norm(g)) for e, g in zip(expected, got, strict=True))
    n_expected = sum(len(e) for e in expected)
    n_got = sum(len(g) for g in got)
    if not n_expected and not n_got:
        return 1.0
    precision = true_pos / n_got if n_got else 0.0
    recall = true_pos / n_expected if n_expected else 0.0
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def evaluate_language(examples: list[Example], client: httpx.Client) -> dict[str, Any]:
    intent_pairs = []
    expected_entities, got_entities = [], []
    errors = []
    for example in examples:
        parsed = client.post("/model/parse", json={"text": example.text}).json()
        predicted = parsed["intent"]["name"]
        intent_pairs.append((example.intent, predicted))
        expected_entities.append(example.entities)
        got_entities.append(frozenset((e["entity"], str(e["value"])) for e in parsed.get("entities", [])))
        if predicted != example.intent:
            errors.append({"text": example.text, "expected": example.intent, "predicted": predicted})
    accuracy, macro_f1 = f1_scores(intent_pairs)
    return {
        "examples": len(examples),
        "intent_accuracy": round(accuracy, 3),
        "intent_macro_f1": round(macro_f1, 3),
        "entity_f1": round(entity_f1(expected_entities, got_entities), 3),
        "errors": errors,
    }


def evaluate(rasa_url: str, test_dir: Path = TEST_DIR) -> dict[str, dict[str, Any]]:
    with httpx.Client(base_url=rasa_url, timeout=30) as client:
        return {
            path.stem: evaluate_language(read_examples(path), client)
            for path in sorted(test_dir.glob("*.yml"))
        }


def evaluate_slices(rasa_url: str, slices: Iterable[str] = tuple(SLICES)) -> dict[str, dict[str, Any]]:
    """The held-out scores per language at the top level, exactly as `evaluate` reports them, and every
    other slice under its own name: {"nl": {...}, ..., "real": {"nl": {...}, ...}}."""
    report: dict[str, dict[str, Any]] = {}
    for name in slices:
        scores = evaluate(rasa_url, SLICES[name])
        if name == HELD_OUT:
            report.update(scores)
        else:
            report[name] = scores
    return report


def _print_scores(report: dict[str, dict[str, Any]], prefix: str, errors: bool) -> None:
    for language, scores in report.items():
        print(
            f"{prefix}{language}: {scores['examples']} examples, intent accuracy {scores['intent_accuracy']:.3f}, "
            f"intent macro F1 {scores['intent_macro_f1']:.3f}, entity F1 {scores['entity_f1']:.3f}"
        )
        if errors:
            for error in scores["errors"]:
                print(f"   {error['expected']} -> {error['predicted']}: {error['text']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rasa", default="http://127.0.0.1:5005")
    parser.add_argument("--errors", action="store_true", help="also print the misclassified examples")
    parser.add_argument(
        "--slice",
        choices=("all", *SLICES),
        default="all",
        help="held_out: nlu/tests/nlu/<lang>.yml; real: the real-style messages of nlu/tests/nlu/real/",
    )
    args = parser.parse_args()
    for name in SLICES if args.slice == "all" else (args.slice,):
        report = evaluate(args.rasa, SLICES[name])
        _print_scores(report, "" if name == HELD_OUT else f"{name} ", args.errors)


if __name__ == "__main__":
    main()
