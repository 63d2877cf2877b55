"""Dumps of the whole graph: TriG keeps the named graphs, Turtle and N-Triples merge them,
JSON-LD keeps them as named graphs too (compacted with the project's prefixes as its context)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from ..namespaces import PREFIXES
from . import jsonld

#: File name and pyoxigraph format of every dump, and whether it keeps the named graphs.
DUMPS: dict[str, tuple[ox.RdfFormat, bool]] = {
    "sdgraph.trig": (ox.RdfFormat.TRIG, True),
    "sdgraph.ttl": (ox.RdfFormat.TURTLE, False),
    "sdgraph.nt": (ox.RdfFormat.N_TRIPLES, False),
    "sdgraph.jsonld": (ox.RdfFormat.JSON_LD, True),
}


@dataclass(frozen=True)
class Dump:
    """One dump file: its name in the dump folder, and how many statements it holds."""

    name: str
    statements: int
    keeps_graphs: bool


def write_dumps(store: ox.Store, folder: Path) -> list[Dump]:
    """Write every dump of ``store`` into ``folder`` and say how many statements each holds."""
    folder.mkdir(parents=True, exist_ok=True)
    quads = list(store)
    triples = {ox.Triple(q.subject, q.predicate, q.object) for q in quads}
    written = []
    for name, (rdf_format, keeps_graphs) in DUMPS.items():
        path = folder / name
        with path.open("wb") as out:
            if rdf_format == ox.RdfFormat.JSON_LD:
                out.write(jsonld.serialize(quads if keeps_graphs else triples))
            elif keeps_graphs:
                ox.serialize(quads, out, rdf_format, prefixes=PREFIXES)
            else:
                ox.serialize(sorted(triples, key=str), out, rdf_format, prefixes=PREFIXES)
        written.append(Dump(name, len(quads) if keeps_graphs else len(triples), keeps_graphs))
    return written
