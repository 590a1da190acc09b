"""The model cache: its fingerprint, and the progress lines printed while Rasa trains."""

from __future__ import annotations

import io
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from stack.model import NLU_DIR, fingerprint, follow_training


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A tiny Rasa project: what training reads, and a test file it does not read."""
    root = tmp_path / "nlu"
    (root / "data" / "nlu").mkdir(parents=True)
    (root / "tests").mkdir()
    (root / "config.yml").write_text("recipe: default.v1\nlanguage: xx\n", encoding="utf-8")
    (root / "domain.yml").write_text('version: "3.1"\nintents:\n  - greet\n', encoding="utf-8")
    (root / "data" / "nlu" / "greet.yml").write_text(
        'version: "3.1"\nnlu:\n- intent: greet\n  examples: |\n    - hallo\n    - bonjour\n', encoding="utf-8"
    )
    (root / "data" / "rules.yml").write_text('version: "3.1"\nrules: []\n', encoding="utf-8")
    (root / "tests" / "test_nlu.yml").write_text('version: "3.1"\nnlu: []\n', encoding="utf-8")
    return root


def test_the_fingerprint_depends_on_the_training_data_only(project: Path, tmp_path: Path) -> None:
    before = fingerprint(project=project)
    assert len(before) == 12
    assert fingerprint(project=shutil.copytree(project, tmp_path / "copy" / "nlu")) == before
    (project / "tests" / "test_nlu.yml").write_text(
        'version: "3.1"\nnlu:\n- intent: greet\n', encoding="utf-8"
    )
    assert fingerprint(project=project) == before
    examples = project / "data" / "nlu" / "greet.yml"
    examples.write_text(examples.read_text(encoding="utf-8") + "    - hello\n", encoding="utf-8")
    assert fingerprint(project=project) != before


def test_another_config_gets_another_fingerprint(project: Path, tmp_path: Path) -> None:
    small = tmp_path / "small.yml"
    small.write_text("recipe: default.v1\nlanguage: xx\npipeline: []\n", encoding="utf-8")
    assert fingerprint(small, project) != fingerprint(project=project)
    assert fingerprint(small, project) == fingerprint(small, project)


def test_the_project_default_is_the_rasa_project() -> None:
    assert NLU_DIR.name == "nlu"
    assert (NLU_DIR / "domain.yml").is_file()


def _bar(name: str, done: int, total: int, seconds: float, postfix: str = "") -> str:
    """One redraw of a tqdm bar as Rasa 3.6 prints it when its output is not a terminal."""
    eighths = done * 80 // total
    bar = ("█" * (eighths // 8) + " ▏▎▍▌▋▊▉"[eighths % 8].strip()).ljust(10)
    rate = f"{seconds / done:.2f}s/it" if done else "?it/s"
    minutes, rest = divmod(int(seconds), 60)
    return f"\r{name}: {100 * done / total:3.0f}%|{bar}| {done}/{total} [{minutes:02d}:{rest:02d}<00:42, {rate}{postfix}]"


def _log(*messages: str) -> str:
    return "".join(f"2026-11-30 11:24:19 INFO     {message}\n" for message in messages)


def _hooks(how: str, component: str) -> str:
    return _log(f"rasa.engine.training.hooks  - {how} component '{component}'.")


def _training() -> Iterator[tuple[float, str]]:
    """Rasa 3.6's output while training this project's pipeline: (seconds since the start, text)."""
    yield (
        0,
        "/work/main/.venv-rasa/lib/python3.10/site-packages/rasa/core/tracker_store.py:1044: "
        "MovedIn20Warning: Deprecated API features detected!\n  Base: DeclarativeMeta = declarative_base()\n",
    )
    yield 11, _log("rasa.cli.train  - Started validating domain and training data...")
    yield (
        22,
        _log(
            "rasa.validator  - Validating intents...", "rasa.validator  - No story structure conflicts found."
        ),
    )
    for seconds, component in [
        (26, "RegexFeaturizer"),
        (28, "LexicalSyntacticFeaturizer"),
        (31, "CountVectorsFeaturizer"),
        (34, "CountVectorsFeaturizer"),
    ]:
        yield seconds, _hooks("Starting to train", component)
        yield (
            seconds,
            _log(
                "rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer  - "
                "7910 vocabulary items were created for text attribute."
            ),
        )
        yield seconds, _hooks("Finished training", component)
    yield 38, _hooks("Starting to train", "DIETClassifier")
    yield 38, _bar("Epochs", 0, 40, 0)
    for epoch in range(1, 41):  # the first epoch takes 23 s, the others 2 s
        seconds = 61 + 2 * (epoch - 1)
        yield seconds, _bar("Epochs", epoch, 40, seconds - 38)
        yield seconds, _bar("Epochs", epoch, 40, seconds - 38, ", t_loss=6.48, i_acc=0.996, e_f1=0.92")
    yield 139, "\n"
    yield 140, _hooks("Finished training", "DIETClassifier")
    yield (
        140,
        _hooks("Starting to train", "EntitySynonymMapper")
        + _hooks("Finished training", "EntitySynonymMapper"),
    )
    yield 141, "\n" + "".join(_bar("Processed rules", 0, 43, 0, ", # trackers=1") for _ in range(20))
    yield 141, _bar("Processed rules", 43, 43, 0.01, ", # trackers=1") + "\n"
    yield 141, _hooks("Starting to train", "MemoizationPolicy")
    yield 141, "\rProcessed trackers: 0it [00:00, ?it/s]\rProcessed trackers: 0it [00:00, ?it/s]\n"
    yield 141, _hooks("Finished training", "MemoizationPolicy")
    yield 142, _hooks("Starting to train", "RulePolicy")
    yield (
        142,
        "".join(f"\rProcessed actions: 0it [00:00, ?it/s, # examples={n}]" for n in range(1, 50)) + "\n",
    )
    for tracker in range(41):  # the rules' contradiction check: 0.5 s per tracker
        yield 142 + tracker / 2, _bar("Processed trackers", tracker, 40, tracker / 2, ", # action=3")
    yield 162, "\n"
    yield 163, _hooks("Finished training", "RulePolicy")
    yield (
        170,
        "\x1b[92mYour Rasa model is trained and saved at 'models/wegwijzer-d09e98548f6d.tar.gz'.\x1b[0m\n",
    )


def _follow(timeline: Iterator[tuple[float, str]]) -> tuple[list[str], str]:
    """What `follow_training` says and logs when Rasa prints `timeline`, on a clock that follows it."""
    now = 0.0

    def output() -> Iterator[str]:
        nonlocal now
        for at, text in timeline:
            now = at
            yield text

    said: list[str] = []
    log = io.StringIO()
    follow_training(output(), log, said.append, clock=lambda: now)
    return said, log.getvalue()


def test_training_prints_stages_components_and_epochs_every_ten_percent_or_ten_seconds() -> None:
    said, log = _follow(_training())
    assert said == [
        "[0:26] training NLU pipeline",
        "[0:26] RegexFeaturizer",
        "[0:28] LexicalSyntacticFeaturizer",
        "[0:31] CountVectorsFeaturizer",
        "[0:34] CountVectorsFeaturizer",
        "[0:38] DIETClassifier",
        "[1:01] DIETClassifier: epochs 1/40 (2%)",  # 23 s after the last line
        "[1:09] DIETClassifier: epochs 5/40 (12%)",  # then every 10 %
        "[1:17] DIETClassifier: epochs 9/40 (22%)",
        "[1:25] DIETClassifier: epochs 13/40 (32%)",
        "[1:33] DIETClassifier: epochs 17/40 (42%)",
        "[1:41] DIETClassifier: epochs 21/40 (52%)",
        "[1:49] DIETClassifier: epochs 25/40 (62%)",
        "[1:57] DIETClassifier: epochs 29/40 (72%)",
        "[2:05] DIETClassifier: epochs 33/40 (82%)",
        "[2:13] DIETClassifier: epochs 37/40 (92%)",
        "[2:19] DIETClassifier: epochs 40/40 (100%)",
        "[2:20] EntitySynonymMapper",
        "[2:21] training dialogue policies",
        "[2:21] MemoizationPolicy",
        "[2:22] RulePolicy",
        "[2:32] RulePolicy: processed trackers 20/40 (50%)",  # other bars: when nothing was said for 10 s
        "[2:42] RulePolicy: processed trackers 40/40 (100%)",
    ]
    assert log == "".join(text for _, text in _training())


def test_slow_epochs_are_reported_every_ten_seconds() -> None:
    def training() -> Iterator[tuple[float, str]]:
        yield 0, _hooks("Starting to train", "TEDPolicy")
        for epoch in range(101):
            yield 3 * epoch, _bar("Epochs", epoch, 100, 3 * epoch)

    said, _ = _follow(training())
    assert said[:3] == [
        "[0:00] training dialogue policies",
        "[0:00] TEDPolicy",
        "[0:12] TEDPolicy: epochs 4/100 (4%)",
    ]
    assert said[-2:] == ["[4:48] TEDPolicy: epochs 96/100 (96%)", "[5:00] TEDPolicy: epochs 100/100 (100%)"]
    assert len(said) == 2 + 25


def test_components_restored_from_cache_are_named() -> None:
    said, _ = _follow(
        iter([(0, _log("rasa.engine.training.hooks  - Restored component 'DIETClassifier' from cache."))])
    )
    assert said == ["[0:00] training NLU pipeline", "[0:00] DIETClassifier (restored from cache)"]
