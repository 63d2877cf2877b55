"""Find the line of a Turtle file where a node is first written as the subject of a statement.

Turtle parsers do not say where each triple came from, so the line is found in the text: the
first line that starts (after spaces) with the node written as a full IRI or as a prefixed name
under one of the file's prefixes; failing that, the first line that mentions it at all.
"""

from __future__ import annotations

import re

PREFIX = re.compile(r"^\s*(?:@prefix|PREFIX)\s+([A-Za-z][\w.-]*)?:\s*<([^>]*)>", re.MULTILINE)
PN_LOCAL = re.compile(r"^[A-Za-z0-9_:](?:[A-Za-z0-9_.:-]*[A-Za-z0-9_:-])?$")


def prefixes(text: str) -> dict[str, str]:
    """The prefixes the file declares, name -> namespace ('' for the empty prefix)."""
    return {(m.group(1) or ""): m.group(2) for m in PREFIX.finditer(text)}


def spellings(iri: str, declared: dict[str, str]) -> list[str]:
    """The ways ``iri`` can be written in a file with these prefixes."""
    forms = [f"<{iri}>"]
    for name, namespace in declared.items():
        if namespace and iri.startswith(namespace):
            local = iri[len(namespace):]
            if local and PN_LOCAL.match(local):
                forms.append(f"{name}:{local}")
    return forms


class Locator:
    """Answers 'on which line is this node defined' for one file's text, with a cache."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        self.declared = prefixes(text)
        self._cache: dict[str, int | None] = {}

    def line_of(self, iri: str) -> int | None:
        """The 1-based line where ``iri`` is first a subject, else first mentioned, else None."""
        if iri not in self._cache:
            self._cache[iri] = self._find(iri)
        return self._cache[iri]

    def _find(self, iri: str) -> int | None:
        forms = spellings(iri, self.declared)
        # A subject is followed by a predicate (or the end of the line), an object by , ; .
        subject = re.compile(r"^\s*(?:" + "|".join(re.escape(f) for f in forms)
                             + r")(?:\s+[^\s,;.]|\s*$)")
        mention = re.compile(r"(?:^|[\s;,(\[])(?:" + "|".join(re.escape(f) for f in forms)
                             + r")(?=[\s;,.)\]]|$)")
        first_mention = None
        for number, line in enumerate(self.lines, start=1):
            if line.lstrip().startswith("#"):
                continue
            if subject.match(line):
                return number
            if first_mention is None and mention.search(line):
                first_mention = number
        return first_mention
