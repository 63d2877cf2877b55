"""Validation results as plain data, shared by both engines, the renderers and the CLI."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..namespaces import SH

VIOLATION = SH + "Violation"
WARNING = SH + "Warning"
INFO = SH + "Info"


@dataclass(frozen=True)
class Term:
    """An RDF term in a form both engines share: kind ('iri', 'bnode', 'literal') and parts."""

    kind: str
    value: str
    datatype: str | None = None
    language: str | None = None

    def key(self) -> tuple[str, str, str | None, str | None]:
        """A comparable form; blank nodes compare equal, as their labels differ by parser."""
        return (self.kind, "" if self.kind == "bnode" else self.value, self.datatype,
                self.language)


@dataclass(frozen=True)
class RawResult:
    """One validation result as an engine reports it, before words are chosen for it."""

    focus: Term
    component: str
    source_shape: str
    severity: str = VIOLATION
    path: str | None = None
    value: Term | None = None
    source_constraint: str | None = None
    bindings: tuple[tuple[str, Term], ...] = ()
    origin: str | None = None  # the file a cross-file check found the node in

    def key(self) -> tuple:
        """What two engines must agree on for the same input."""
        return (self.focus.key(), self.component, self.source_shape, self.severity, self.path,
                self.value.key() if self.value else None, self.source_constraint)


@dataclass
class Result:
    """A result for people: where it is, what is wrong, and how to fix it, in one language."""

    raw: RawResult
    file: Path | None
    line: int | None
    message: str
    hint: str

    @property
    def is_violation(self) -> bool:
        return self.raw.severity == VIOLATION


@dataclass
class ValidationReport:
    """The outcome of validating some files: the results, sorted by file and line."""

    files: list[Path]
    results: list[Result] = field(default_factory=list)
    lang: str = "en"
    focus_nodes: int = 0

    @property
    def conforms(self) -> bool:
        """True when no result is a violation (warnings and infos do not count)."""
        return not any(r.is_violation for r in self.results)

    @property
    def violations(self) -> list[Result]:
        return [r for r in self.results if r.is_violation]

    @property
    def warnings(self) -> list[Result]:
        return [r for r in self.results if not r.is_violation]
