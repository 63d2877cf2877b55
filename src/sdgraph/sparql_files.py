"""Read SPARQL files that carry their metadata in a header of ``# key: value`` comment lines.

Rules (``rules/*.rq``) and saved queries (``queries/*.rq``) share this form, so that what a file
does is stated in the file and the code only reads it::

    # title@en: Practices contribute to what their SDG contributions point at
    # title@es: ...
    # description@en: ...
    PREFIX sdgr: <https://w3id.org/sdgraph/ontology#>
    CONSTRUCT { ... } WHERE { ... }

A key may repeat (for example ``param``); every value is kept in order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputFileError

HEADER_LINE = re.compile(r"^#\s*([A-Za-z][\w-]*)(?:@([a-z]{2}))?\s*:\s*(.*?)\s*$")


@dataclass(frozen=True)
class SparqlFile:
    """A SPARQL file: its name (the file stem), header fields and the query text."""

    path: Path
    name: str
    text: str
    fields: dict[str, list[str]] = field(default_factory=dict)

    def field(self, key: str, lang: str | None = None, default: str = "") -> str:
        """The first value of ``key`` in ``lang`` (falling back to English, then to no tag)."""
        for candidate in ([f"{key}@{lang}"] if lang else []) + [f"{key}@en", key]:
            if self.fields.get(candidate):
                return self.fields[candidate][0]
        return default

    def values(self, key: str) -> list[str]:
        return list(self.fields.get(key, []))


def read_sparql_file(path: Path) -> SparqlFile:
    """Parse the header of a SPARQL file; the header ends at the first line that is no comment."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise InputFileError(path, f"cannot be read as UTF-8 text ({error})") from error
    fields: dict[str, list[str]] = {}
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        match = HEADER_LINE.match(line)
        if match:
            key, lang, value = match.groups()
            fields.setdefault(f"{key}@{lang}" if lang else key, []).append(value)
    return SparqlFile(path=path, name=path.stem, text=text, fields=fields)


def read_folder(folder: Path) -> list[SparqlFile]:
    """Every ``.rq`` file of a folder, in file-name order (rules rely on that order)."""
    return [read_sparql_file(p) for p in sorted(folder.glob("*.rq"))] if folder.is_dir() else []
