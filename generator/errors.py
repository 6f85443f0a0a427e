"""Problems found in a playbook, collected as values; printing them is the CLI's job."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the input, located as precisely as we can."""

    path: str
    line: int | None
    field: str | None
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        location = self.path if self.line is None else f"{self.path}:{self.line}"
        where = f"{location}: {self.field}" if self.field else location
        prefix = "warning: " if self.severity == "warning" else ""
        return f"{where}: {prefix}{self.message}"

    def as_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.line,
            "field": self.field,
            "message": self.message,
            "severity": self.severity,
        }


@dataclass
class Problems:
    """An ordered collection of problems from every stage of a build."""

    items: list[Problem] = field(default_factory=list)

    def error(self, path: str, message: str, line: int | None = None, field: str | None = None) -> None:
        self.items.append(Problem(path, line, field, message, "error"))

    def warning(self, path: str, message: str, line: int | None = None, field: str | None = None) -> None:
        self.items.append(Problem(path, line, field, message, "warning"))

    def extend(self, other: Problems | list[Problem]) -> None:
        self.items.extend(other.items if isinstance(other, Problems) else other)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "warning"]

    def sorted(self) -> list[Problem]:
        return sorted(set(self.items), key=lambda p: (p.path, p.line or 0, p.field or "", p.message))


class BuildFailed(Exception):
    """Raised when a stage found errors; carries every problem found so far."""

    def __init__(self, problems: Problems) -> None:
        super().__init__(f"{len(problems.errors)} error(s)")
        self.problems = problems
