"""Results of saved queries: terms in one JSON form, tables for a terminal, and the SPARQL
1.1 CSV, TSV and JSON result formats."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .. import sparql_results
from ..errors import UsageError
from ..namespaces import ID, PREFIXES
from ..sparql_results import PLAIN
from .saved import SavedQuery

#: C0 and C1 control characters, which a terminal would obey.
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def normalise_json_term(value: dict[str, str]) -> dict[str, str]:
    """A term from an endpoint's JSON results in the same form as :func:`json_term`."""
    kind = value.get("type")
    if kind in ("literal", "typed-literal"):
        out = {"type": "literal", "value": value["value"]}
        if value.get("xml:lang"):
            out["xml:lang"] = value["xml:lang"]
        elif value.get("datatype") and value["datatype"] not in PLAIN:
            out["datatype"] = value["datatype"]
        return out
    return {"type": kind or "literal", "value": value.get("value", "")}




def table_namespaces() -> dict[str, str]:
    """The prefixes that shorten IRIs in tables: the project's, and one per kind of record."""
    namespaces = {**PREFIXES, "axis": ID + "axes/"}
    for kind in ("edition", "event", "city", "org", "practice", "participation", "role", "country",
                 "continent", "theme", "barrier", "enabler", "finding"):
        namespaces[kind] = f"{ID}{kind}/"
    return namespaces


def short_iri(iri: str) -> str:
    """An IRI shortened with the project's prefixes, for people reading a table."""
    namespaces = table_namespaces()
    best = max((ns for ns in namespaces.values() if iri.startswith(ns)), key=len, default=None)
    if best is None:
        return iri
    prefix = next(name for name, ns in namespaces.items() if ns == best)
    local = iri[len(best):]
    return f"{prefix}:{local}" if re.fullmatch(r"[\w.\-/]*", local) else iri


def expand_iri(text: str) -> str:
    """The IRI that a table's short form (``practice:bilbaoaccess``) stands for; any other text
    as it is."""
    prefix, colon, local = text.partition(":")
    namespace = table_namespaces().get(prefix) if colon else None
    if namespace is None or local.startswith("//"):
        return text
    return namespace + local


@dataclass
class ResultTable:
    """The rows of a SELECT query; each value in the SPARQL 1.1 JSON results term form."""

    columns: list[str]
    rows: list[dict[str, dict[str, str]]]
    query: SavedQuery | None = None

    def values(self) -> list[tuple[str | None, ...]]:
        """Each row as a tuple of plain values (None where unbound), in column order."""
        return [tuple(row[c]["value"] if c in row else None for c in self.columns)
                for row in self.rows]

    def labels(self, lang: str = "en") -> list[str]:
        return [self.query.column_label(c, lang) if self.query else c for c in self.columns]

    def to_table(self, lang: str = "en", width: int = 48) -> str:
        """A table for a terminal: column labels in ``lang``, IRIs shortened, long cells cut."""
        def cell(row: dict[str, dict[str, str]], column: str) -> str:
            value = row.get(column)
            if value is None:
                return ""
            text = short_iri(value["value"]) if value["type"] == "uri" else value["value"]
            # Data must not drive the terminal: control characters (ESC sequences) are shown
            # as the replacement character.
            text = CONTROL.sub("\ufffd", " ".join(text.split()))
            return text if len(text) <= width else text[: width - 1] + "…"

        header = self.labels(lang)
        body = [[cell(row, c) for c in self.columns] for row in self.rows]
        widths = [max([len(h)] + [len(r[i]) for r in body]) for i, h in enumerate(header)]
        numeric = [all(re.fullmatch(r"-?[\d.]+", r[i] or "0") for r in body)
                   for i in range(len(header))]

        def line(cells: list[str]) -> str:
            return "  ".join(c.rjust(w) if num else c.ljust(w)
                             for c, w, num in zip(cells, widths, numeric, strict=True)).rstrip()

        lines = [line(header), "  ".join("-" * w for w in widths)]
        lines += [line(r) for r in body]
        count = len(self.rows)
        lines.append(f"({count} {'row' if count == 1 else 'rows'})" if lang != "es"
                     else f"({count} {'fila' if count == 1 else 'filas'})")
        return "\n".join(lines)

    def to_csv(self) -> str:
        """SPARQL 1.1 CSV results: variable names, then plain values."""
        return sparql_results.to_csv(self.columns, self.rows).decode("utf-8")

    def to_tsv(self) -> str:
        """SPARQL 1.1 TSV results: ``?variables``, then terms as in Turtle."""
        return sparql_results.to_tsv(self.columns, self.rows).decode("utf-8")

    def to_json(self) -> str:
        """SPARQL 1.1 JSON results."""
        return sparql_results.to_json(self.columns, self.rows).decode("utf-8")

    def render(self, form: str = "table", lang: str = "en") -> str:
        if form == "table":
            return self.to_table(lang)
        renderers = {"csv": self.to_csv, "tsv": self.to_tsv, "json": self.to_json}
        if form not in renderers:
            raise UsageError(f"unknown format '{form}'", hint="use table, csv, tsv or json")
        return renderers[form]()
