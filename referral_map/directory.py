"""The referral map as data: every service record and the routing rules, read from YAML."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from referral_map.rules import RoutingRules
from referral_map.schemas import Service
from referral_map.yaml_source import Problem, read_yaml

DATA_DIR = Path(__file__).parent / "data"


class DirectoryError(Exception):
    """The YAML data has errors; `problems` says where."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))


@dataclass(frozen=True)
class Directory:
    services: dict[str, Service]
    rules: RoutingRules
    # line numbers of records, for problems found after parsing: service id -> (file, line)
    origins: dict[str, tuple[str, int | None]] = field(default_factory=dict, compare=False)
    rules_file: str = field(default="routing.yaml", compare=False)

    def __iter__(self) -> Iterator[Service]:
        return iter(self.services.values())

    def __len__(self) -> int:
        return len(self.services)

    def get(self, service_id: str) -> Service:
        return self.services[service_id]


def _display(path: Path, data_dir: Path) -> str:
    """The path as an editor would open it: from the project folder when the data is the shipped one."""
    for base in (data_dir.parent.parent, data_dir.parent):
        if path.is_relative_to(base) and base != Path("/"):
            return str(path.relative_to(base))
    return str(path)


def read_directory(data_dir: Path = DATA_DIR) -> tuple[Directory | None, list[Problem]]:
    """Read and check the schema of every file; return the directory or the problems found."""
    problems: list[Problem] = []
    services: dict[str, Service] = {}
    origins: dict[str, tuple[str, int | None]] = {}
    for path in sorted((data_dir / "services").glob("*.yaml")):
        name = _display(path, data_dir)
        document, read_problems = read_yaml(path, name)
        problems += read_problems
        if document is None:
            continue
        service, schema_problems = document.validate(Service)
        problems += schema_problems
        if service is None:
            continue
        if service.id in services:
            first = origins[service.id][0]
            problems.append(
                Problem(name, document.line_of(["id"]), "id", f"duplicate id {service.id!r}, also in {first}")
            )
            continue
        if path.stem != service.id:
            problems.append(
                Problem(name, document.line_of(["id"]), "id", f"file name should be {service.id}.yaml")
            )
        services[service.id] = service
        origins[service.id] = (name, document.line_of(["id"]))

    rules_path = data_dir / "routing.yaml"
    rules_name = _display(rules_path, data_dir)
    rules_document, read_problems = read_yaml(rules_path, rules_name)
    problems += read_problems
    rules = None
    if rules_document is not None:
        rules, schema_problems = rules_document.validate(RoutingRules)
        problems += schema_problems
    if rules is None or any(problem.severity == "error" for problem in problems):
        return None, problems
    return Directory(services, rules, origins, rules_name), problems


def load_directory(data_dir: Path = DATA_DIR) -> Directory:
    """The directory, or DirectoryError naming every problem."""
    directory, problems = read_directory(data_dir)
    if directory is None:
        raise DirectoryError([p for p in problems if p.severity == "error"])
    return directory
