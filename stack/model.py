"""Train the Rasa model only when its data changed: the model file is named by a fingerprint.

Run from the app environment: `python -m stack.model` prints the path of a model
that matches the current config, domain and data, training it first if needed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import subprocess
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TextIO

from stack.processes import PROJECT_DIR, RASA_BIN, rasa_environment

NLU_DIR = PROJECT_DIR / "nlu"
MODELS_DIR = NLU_DIR / "models"
TRAINING_INPUTS = ("config.yml", "domain.yml", "data")
KEEP_MODELS = 2


def fingerprint(config: Path | None = None, project: Path = NLU_DIR) -> str:
    """A hash of everything training reads; evaluation files under tests/ are not part of it."""
    digest = hashlib.sha256()
    paths: list[Path] = []
    for name in TRAINING_INPUTS:
        path = project / name
        paths += sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    if config is not None:
        paths = [config if p.name == "config.yml" and p.parent == project else p for p in paths]
    for path in paths:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def model_path(config: Path | None = None) -> Path:
    prefix = "wegwijzer" if config is None else f"wegwijzer-{config.stem}"
    return MODELS_DIR / f"{prefix}-{fingerprint(config)}.tar.gz"


def ensure_model(config: Path | None = None, rasa: Path = RASA_BIN) -> Path:
    """The model for the current data, trained now if it does not exist yet."""
    target = model_path(config)
    if target.exists():
        return target
    if not rasa.exists():
        raise SystemExit(f"{rasa} is missing: run `make build` to create the Rasa environment")
    MODELS_DIR.mkdir(exist_ok=True)
    command = [
        str(rasa), "train",
        "--config", str(config or NLU_DIR / "config.yml"),
        "--domain", str(NLU_DIR / "domain.yml"),
        "--data", str(NLU_DIR / "data"),
        "--out", str(MODELS_DIR),
        "--fixed-model-name", target.name.removesuffix(".tar.gz"),
        "--skip-validation",  # `make test` validates the data on its own (`rasa data validate`)
    ]  # fmt: skip
    started = time.monotonic()
    log_path = MODELS_DIR / f"{target.name}.train.log"
    print(f"training {target.name} (a few minutes; full output in {log_path})", file=sys.stderr)
    with (
        log_path.open("w", encoding="utf-8", buffering=1) as log,  # `tail -f` shows it live
        subprocess.Popen(
            command,
            cwd=NLU_DIR,
            env={**rasa_environment(), "PYTHONUNBUFFERED": "1"},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            encoding="utf-8",
            errors="replace",
        ) as training,
    ):
        assert training.stdout is not None
        follow_training(training.stdout, log, lambda line: print(line, file=sys.stderr, flush=True))
    if training.returncode != 0 or not target.exists():
        raise SystemExit(f"training failed (exit {training.returncode}); see {log_path}")
    seconds = time.monotonic() - started
    target.with_name(f"{target.name}.json").write_text(json.dumps({"training_seconds": round(seconds, 1)}))
    print(f"trained {target.name} in {seconds:.0f} s", file=sys.stderr)
    _prune(target)
    return target


COMPONENT = re.compile(r"(?P<how>Starting to train|Finished training|Restored) component '(?P<name>\w+)'")
# A tqdm bar as Rasa draws it: "Epochs:  45%|████▌     | 18/40 [00:20<00:25, 1.1s/it, t_loss=1.2]".
BAR = re.compile(r"(?P<name>\w[\w ]*): +(?P<percent>\d+)%\|[^|]*\| *(?P<done>\d+)/(?P<total>\d+)")


def follow_training(
    output: Iterable[str],
    log: TextIO,
    say: Callable[[str], object],
    clock: Callable[[], float] = time.monotonic,
    every: float = 10.0,
) -> None:
    """Copy Rasa's training output to `log` and `say` a few progress lines about it.

    `output` is Rasa's stdout and stderr in chunks of any size, lines ending in "\n" or, where
    tqdm redraws a bar, in "\r". Said: the stage (NLU pipeline or dialogue policies) when it
    changes, each component as it starts, and its epochs at every 10% or when `every` seconds
    passed since the last line; other progress bars only after `every` seconds of silence.
    Each line starts with the time since the start, m:ss.
    """
    started = last_said = clock()
    stage = component = ""
    shown: dict[str, int] = {}  # percent last said, per progress bar of the current component

    def tell(now: float, text: str) -> None:
        nonlocal last_said
        seconds = int(now - started)
        say(f"[{seconds // 60}:{seconds % 60:02d}] {text}")
        last_said = now

    for chunk in output:
        log.write(chunk)
        for line in re.split(r"[\r\n]", chunk):  # tqdm redraws its bar after a carriage return
            now = clock()
            if found := COMPONENT.search(line):
                how, name = found["how"], found["name"]
                component = name if how == "Starting to train" else ""
                shown.clear()
                if how == "Finished training":
                    continue
                kind = "dialogue policies" if name.endswith("Policy") else "NLU pipeline"
                if kind != stage:
                    stage = kind
                    tell(now, f"training {stage}")
                tell(now, name if component else f"{name} (restored from cache)")
            elif bar := BAR.match(line):
                name, percent = bar["name"], int(bar["percent"])
                before = shown.get(name, 0)
                if percent < before:  # a new bar of the same name
                    before = shown[name] = 0
                epochs = name == "Epochs" and (percent >= before + 10 or percent == 100)
                if percent > before and (epochs or now - last_said >= every):
                    shown[name] = percent
                    where = f"{component}: {name.lower()}" if component else name
                    tell(now, f"{where} {bar['done']}/{bar['total']} ({percent}%)")


def _prune(keep: Path) -> None:
    models = sorted(MODELS_DIR.glob("wegwijzer-*.tar.gz"), key=lambda p: p.stat().st_mtime, reverse=True)
    prefix = keep.name.rsplit("-", 1)[0]
    same_kind = [p for p in models if p.name.rsplit("-", 1)[0] == prefix]
    for old in same_kind[KEEP_MODELS:]:
        for companion in old.parent.glob(f"{old.name}*"):
            companion.unlink()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--config", type=Path, help="another pipeline config, e.g. a small one for tests")
    args = parser.parse_args()
    # Rasa trains in nlu/ and falls back to nlu/config.yml, silently, when --config does not exist there.
    print(ensure_model(args.config.resolve() if args.config else None))


if __name__ == "__main__":
    main()
