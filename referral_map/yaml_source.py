"""Reading YAML so that every problem can be reported with its file, line and field."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

M = TypeVar("M", bound=BaseModel)
Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when the wheel has it


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None
    field: str
    message: str
    severity: Severity = Severity.ERROR

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        field = f" [{self.field}]" if self.field else ""
        return f"{where}: {self.severity.value}{field}: {self.message}"

    def as_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "line": self.line,
            "field": self.field,
            "message": self.message,
            "severity": self.severity.value,
        }


class YamlDocument:
    """A parsed YAML file that remembers the line of every value."""

    def __init__(self, path: Path, display_name: str) -> None:
        self.path = path
        self.name = display_name
        text = path.read_text(encoding="utf-8")
        self.node = yaml.compose(text, Loader=Loader)
        self.data: Any = yaml.load(text, Loader=Loader)

    def line_of(self, location: Sequence[str | int]) -> int | None:
        """The 1-based line of the value at `location`; for a missing key, the line of its parent's key."""
        node = self.node
        if node is None:
            return None
        line = node.start_mark.line
        for key in location:
            found = _child(node, key)
            if found is None:
                break
            line, node = found
        return line + 1

    def validate(self, model: type[M]) -> tuple[M | None, list[Problem]]:
        try:
            return model.model_validate(self.data), []
        except ValidationError as error:
            problems = []
            for detail in error.errors():
                location = tuple(detail["loc"])
                field = ".".join(str(part) for part in location)
                problems.append(Problem(self.name, self.line_of(location), field, detail["msg"]))
            return None, problems


def _child(node: yaml.Node, key: str | int) -> tuple[int, yaml.Node] | None:
    """The line of the key (or list item) and the node under it."""
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if key_node.value == key:
                return key_node.start_mark.line, value_node
    if isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
        item = node.value[key]
        return item.start_mark.line, item
    return None


def read_yaml(path: Path, display_name: str) -> tuple[YamlDocument | None, list[Problem]]:
    """Parse one file; a syntax error becomes a Problem with its line."""
    try:
        return YamlDocument(path, display_name), []
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        line = mark.line + 1 if mark else None
        return None, [Problem(display_name, line, "", f"invalid YAML: {error.problem}")]
    except (OSError, UnicodeDecodeError) as error:
        return None, [Problem(display_name, None, "", f"cannot read: {error}")]
