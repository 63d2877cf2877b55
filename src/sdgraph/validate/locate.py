"""Find the line of a Turtle file where a node is first written as the subject of a statement.

Turtle parsers do not say where each triple came from, so the line is found in the text: the
first line that starts (after spaces) with the node written as a full IRI or as a prefixed name
under one of the file's prefixes; failing that, the first line that mentions it at all. Each
question is answered from one pass over the text (all the lines' first words at once, or all the
wanted nodes' spellings at once), never from a search per node.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..load import prefixes

PN_LOCAL = re.compile(r"^[A-Za-z0-9_:](?:[A-Za-z0-9_.:-]*[A-Za-z0-9_:-])?$")
#: The first word of a line, when it is followed by another word (a predicate) or nothing: an
#: IRI in angle brackets or a prefixed name. An object on a line of its own ends in , ; or .
SUBJECT = re.compile(r"^[ \t]*(<[^>\s]*>|[A-Za-z_]?[\w.-]*:[^\s;,()\[\]\"'#<>]*)"
                     r"(?=[ \t]+[^\s,;.]|[ \t]*\r?$)", re.MULTILINE)


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
    """Answers 'on which line is this node defined' for one file's text."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.declared = prefixes(text)
        self._subjects: dict[str, int | None] = {}
        self._mentions: dict[str, int | None] = {}

    def subject_lines(self, iris: Iterable[str]) -> dict[str, int | None]:
        """The first line where each IRI is the subject of a statement, in one pass for all."""
        wanted = [i for i in dict.fromkeys(iris) if i not in self._subjects]
        if wanted:
            owner = {form: iri for iri in wanted for form in spellings(iri, self.declared)}
            found = self._first_subject_lines(owner, len(wanted))
            self._subjects.update((iri, found.get(iri)) for iri in wanted)
        return {iri: self._subjects[iri] for iri in iris}

    def _first_subject_lines(self, owner: dict[str, str], wanted: int) -> dict[str, int]:
        """The first line whose subject spells each IRI; stops once all are found.

        A subject is followed by a space or the line's end, so it is the line's first word:
        a dictionary lookup of that word passes over nearly every line, and only a line that
        starts with a wanted spelling is matched against the full pattern.
        """
        found: dict[str, int] = {}
        for number, line in enumerate(self.text.split("\n"), 1):
            words = line.split(None, 1)
            iri = owner.get(words[0]) if words else None
            if iri is None or iri in found:
                continue
            match = SUBJECT.match(line)
            if match and match.group(1) == words[0]:
                found[iri] = number
                if len(found) == wanted:
                    break
        return found

    def _first_lines(self, matches: Iterable[re.Match[str]], owner: dict[str, str],
                     wanted: int) -> dict[str, int]:
        """The line of the first match of each IRI (group 1 spells it); stops once all are found."""
        found: dict[str, int] = {}
        line, position = 1, 0
        for match in matches:
            iri = owner.get(match.group(1))
            if iri is None or iri in found:
                continue
            line += self.text.count("\n", position, match.start())
            position = match.start()
            found[iri] = line
            if len(found) == wanted:
                break
        return found

    def _in_comment(self, offset: int) -> bool:
        """Whether the text at ``offset`` lies after a ``#`` that starts its line's content."""
        start = self.text.rfind("\n", 0, offset) + 1
        return self.text[start:offset].lstrip().startswith("#")

    def subject_line(self, iri: str) -> int | None:
        """The 1-based line where ``iri`` is first the subject of a statement, or None."""
        return self.subject_lines([iri])[iri]

    def mention_lines(self, iris: Iterable[str]) -> dict[str, int | None]:
        """The first line that mentions each IRI (outside comments), in one pass for all."""
        wanted = [i for i in dict.fromkeys(iris) if i not in self._mentions]
        if wanted:
            owner = {form: iri for iri in wanted for form in spellings(iri, self.declared)}
            forms = sorted(owner, key=len, reverse=True)
            mention = re.compile(r"(?:^|(?<=[\s;,(\[]))(" + "|".join(map(re.escape, forms))
                                 + r")(?=[\s;,.)\]]|$)", re.MULTILINE)
            outside_comments = (m for m in mention.finditer(self.text)
                                if not self._in_comment(m.start()))
            found = self._first_lines(outside_comments, owner, len(wanted))
            self._mentions.update((iri, found.get(iri)) for iri in wanted)
        return {iri: self._mentions[iri] for iri in iris}

    def lines(self, iris: Iterable[str]) -> dict[str, int | None]:
        """For each IRI, the line where it is first a subject, else first mentioned, else None."""
        iris = list(iris)
        found = self.subject_lines(iris)
        missing = [i for i in iris if found[i] is None]
        return found | (self.mention_lines(missing) if missing else {})

    def line_of(self, iri: str) -> int | None:
        """The 1-based line where ``iri`` is first a subject, else first mentioned, else None."""
        return self.lines([iri])[iri]
