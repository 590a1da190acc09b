"""Evaluation data never enters training: held-out NLU examples and dev-set texts are not in nlu/data.

Nor anything close to them: no training example may have a token-set Jaccard similarity above 0.6
with a held-out NLU example, a dev-set text or a real-style case (`tests/eval/real_style/`).
"""

import json
from pathlib import Path

from nlu.evaluate_nlu import parse_annotated, read_examples
from nlu.separation import brute_force_pairs, jaccard, near_pairs, token_set

PROJECT = Path(__file__).resolve().parents[2]


def _texts(pattern: str) -> set[str]:
    return {e.text.lower().strip() for path in PROJECT.glob(pattern) for e in read_examples(path)}


def test_held_out_nlu_examples_are_not_in_training() -> None:
    training = _texts("nlu/data/nlu/*/*.yml")
    held_out = _texts("nlu/tests/nlu/**/*.yml")
    assert len(held_out) >= 900
    assert sorted(held_out & training) == []


def test_development_set_texts_are_not_in_training() -> None:
    training = _texts("nlu/data/nlu/*/*.yml")
    dev = {
        json.loads(line)["text"].lower().strip()
        for path in PROJECT.glob("tests/eval/dev_*.jsonl")
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    }
    assert len(dev) >= 200
    assert sorted(dev & training) == []


def test_every_language_has_at_least_40_examples_per_situation_intent() -> None:
    for language in ("nl", "fr", "de", "en"):
        counts: dict[str, int] = {}
        for path in PROJECT.glob(f"nlu/data/nlu/{language}/*.yml"):
            for example in read_examples(path):
                counts[example.intent] = counts.get(example.intent, 0) + 1
        situations = {
            intent: n
            for intent, n in counts.items()
            if intent.startswith("describe_") or intent == "emergency"
        }
        assert len(situations) == 13, language
        assert min(situations.values()) >= 40, (language, situations)


TOO_CLOSE = 0.6  # token-set Jaccard above this is a near-copy


def _case_texts(pattern: str) -> list[tuple[str, str]]:
    """(file:id, text) of every case; the cases are single first messages (`answers` holds ids and a place)."""
    texts = []
    for path in sorted(PROJECT.glob(pattern)):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                case = json.loads(line)
                texts.append((f"{path.relative_to(PROJECT)}:{case['id']}", str(case["text"])))
    return texts


def test_token_set_jaccard() -> None:
    assert token_set("Wallah, hij zegt: 'Kuffar'!! (16 jaar) l'école_x") == {
        "wallah",
        "hij",
        "zegt",
        "kuffar",
        "16",
        "jaar",
        "l",
        "école",
        "x",
    }
    assert token_set("ÄRGER über Straße") == {"ärger", "über", "straße"}
    assert jaccard(token_set("mijn zoon is 16"), token_set("mijn zoon is 17")) == 3 / 5
    assert jaccard(frozenset(), frozenset()) == 0.0
    assert parse_annotated('[mijn zoon]{"entity": "role", "value": "parent"} in [Gent](place)')[0] == (
        "mijn zoon in Gent"
    )


def test_indexed_search_finds_what_comparing_every_pair_finds() -> None:
    left = [
        ("a", "mijn zoon kijkt naar preken"),
        ("b", "hallo"),
        ("c", "mon fils regarde des vidéos de Daech"),
        ("d", ""),
        ("e", "one two three four five"),
    ]
    right = [
        ("x", "mijn zoon kijkt preken"),
        ("y", "hallo hallo"),
        ("z", "mon fils (13) regarde des vidéos de daech"),
        ("w", ""),
        ("v", "one two three four six"),  # 4/6: above 0.6
        ("u", "one two three six seven"),  # 3/7: not
    ]
    expected = brute_force_pairs(left, right, TOO_CLOSE)
    assert [(p.left_label, p.right_label) for p in expected] == [
        ("b", "y"),
        ("c", "z"),
        ("a", "x"),
        ("e", "v"),
    ]
    assert near_pairs(left, right, TOO_CLOSE) == expected


def test_no_training_example_is_close_to_an_evaluation_text() -> None:
    training = [
        (f"{path.relative_to(PROJECT)}:{example.intent}", example.text)
        for path in sorted(PROJECT.glob("nlu/data/nlu/**/*.yml"))
        for example in read_examples(path)
    ]
    held_out = [
        (f"{path.relative_to(PROJECT)}:{example.intent}", example.text)
        for path in sorted(PROJECT.glob("nlu/tests/nlu/**/*.yml"))
        for example in read_examples(path)
    ]
    real_style = _case_texts("tests/eval/real_style/*.jsonl")
    dev = _case_texts("tests/eval/dev_*.jsonl")
    danger = _case_texts("tests/danger/held_out*.jsonl")  # the danger detector's held-out sets
    danger_dev = _case_texts("tests/danger/dev_cases*.jsonl")  # the sets its rules are tuned on
    assert len(training) >= 4000
    assert len(held_out) >= 900
    assert len(real_style) == 400
    assert len(dev) >= 200
    assert len(danger) == 2640 and len(danger_dev) == 5516
    pairs = near_pairs(training, held_out + real_style + dev + danger + danger_dev, TOO_CLOSE)
    assert not pairs, f"{len(pairs)} training examples too close to evaluation texts:\n" + "\n".join(
        map(str, pairs)
    )


def test_the_danger_classifier_never_trains_on_evaluation_texts() -> None:
    """`bot/danger_model.py` trains on the danger development sets and the ordinary worried messages: none
    of them may be, or come close to, a held-out danger message or a real-style evaluation message."""
    from bot.danger_model import TRAINING_SETS

    assert not [name for name in TRAINING_SETS if name.startswith(("held_out", "probes"))]
    training = [item for name in TRAINING_SETS for item in _case_texts(f"tests/danger/{name}")]
    evaluation = (
        _case_texts("tests/danger/held_out*.jsonl")
        + _case_texts("tests/danger/probes*.jsonl")
        + _case_texts("tests/eval/real_style/*.jsonl")
    )
    assert len(training) == 240 * len(TRAINING_SETS) - 4 and len(evaluation) == 3664
    pairs = near_pairs(training, evaluation, TOO_CLOSE)
    assert not pairs, f"{len(pairs)} danger training texts too close to evaluation texts:\n" + "\n".join(
        map(str, pairs)
    )
