"""Train the Rasa model only when its data changed: the model file is named by a fingerprint.

Run from the app environment: `python -m nlu.model` prints the path of a model
that matches the current config, domain and data, training it first if needed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

NLU_DIR = Path(__file__).resolve().parent
PROJECT_DIR = NLU_DIR.parent
MODELS_DIR = NLU_DIR / "models"
RASA_BIN = PROJECT_DIR / ".venv-rasa" / "bin" / "rasa"
TRAINING_INPUTS = ("config.yml", "domain.yml", "data")
KEEP_MODELS = 2


def fingerprint(config: Path | None = None) -> str:
    """A hash of everything training reads; evaluation files under tests/ are not part of it."""
    digest = hashlib.sha256()
    paths: list[Path] = []
    for name in TRAINING_INPUTS:
        path = NLU_DIR / name
        paths += sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    if config is not None:
        paths = [config if p.name == "config.yml" and p.parent == NLU_DIR else p for p in paths]
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
    ]  # fmt: skip
    started = time.monotonic()
    environment = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "2"}
    log_path = MODELS_DIR / f"{target.name}.train.log"
    with log_path.open("w") as log:
        completed = subprocess.run(
            command, cwd=NLU_DIR, env=environment, stdout=log, stderr=subprocess.STDOUT
        )
    if completed.returncode != 0 or not target.exists():
        raise SystemExit(f"training failed (exit {completed.returncode}); see {log_path}")
    seconds = time.monotonic() - started
    target.with_name(f"{target.name}.json").write_text(json.dumps({"training_seconds": round(seconds, 1)}))
    print(f"trained {target.name} in {seconds:.0f} s", file=sys.stderr)
    _prune(target)
    return target


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
    print(ensure_model(args.config))


if __name__ == "__main__":
    main()
