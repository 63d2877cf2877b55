"""Errors that sdgraph reports to people, each with the exit code the CLI returns for it.

Exit codes (also in the README and in ``sdgraph --help``):

* 0 success (for ``validate``: the files conform)
* 1 the input is readable but not acceptable (for ``validate``: violations)
* 2 unreadable or malformed input, or a bad command-line value
* 3 the environment is not ready (a missing store, an unreachable endpoint, no Java, a
  reasoner that failed or ran out of memory)
* 4 the project is busy: another command writes to it and did not finish within ``--wait``
  seconds; nothing was changed
* 130 interrupted (Ctrl-C); nothing was changed (``serve`` ends with 0: Ctrl-C is how it
  stops)
* 141 the reader of the output closed it early (``sdgraph ... | head``)
"""

from __future__ import annotations

from pathlib import Path

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_INPUT = 2
EXIT_ENVIRONMENT = 3
EXIT_BUSY = 4
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report it
EXIT_PIPE = 141  # 128 + SIGPIPE, as shells report it


#: The word before a hint, per language of the commands that take ``--lang``.
HINT_LABELS = {"en": "hint", "es": "pista"}


class SdgraphError(Exception):
    """Base class: a message for people and the exit code that goes with it."""

    exit_code = EXIT_INPUT

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.render()

    def render(self, lang: str = "en") -> str:
        """The message, and the hint under it, labelled in ``lang`` (en or es)."""
        label = HINT_LABELS.get(lang, HINT_LABELS["en"])
        return self.message if not self.hint else f"{self.message}\n  {label}: {self.hint}"


class InputFileError(SdgraphError):
    """A file cannot be read as RDF: names the file, and the line and column where known."""

    def __init__(
        self,
        path: Path,
        problem: str,
        line: int | None = None,
        column: int | None = None,
        hint: str | None = None,
    ) -> None:
        where = str(path)
        if line is not None:
            where += f":{line}"
            if column is not None:
                where += f":{column}"
        super().__init__(f"{where}: {problem}", hint)
        self.path = path
        self.line = line
        self.column = column
        self.problem = problem


class UsageError(SdgraphError):
    """A command-line value is wrong (a bad IRI, parameter or option)."""


class EnvironmentNotReady(SdgraphError):
    """Something outside the input is missing: a built store, a reachable endpoint, Java."""

    exit_code = EXIT_ENVIRONMENT


class ReasonerFailed(EnvironmentNotReady):
    """The reasoner could not finish: it ran out of memory, or Java failed."""


class InconsistentGraph(SdgraphError):
    """The reasoner found the ontology and data inconsistent."""

    exit_code = EXIT_INVALID
