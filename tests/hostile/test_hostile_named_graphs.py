"""A TriG or N-Quads file that holds named graphs only is not "a file that holds no triples"
(validation loads such graphs outside the file's own graph); a file with no statement at all
still is."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from sdgraph.errors import InputFileError
from sdgraph.load import parse_file
from sdgraph.validate.dataset import load_file

GRAPH = "https://w3id.org/sdgraph/graph/test/file"
TRIPLE = ('<https://w3id.org/sdgraph/id/city/x> <http://www.w3.org/2000/01/rdf-schema#label> '
          '"X"@en')


@pytest.mark.parametrize("name,text", [
    ("named.trig", f"<https://example.org/g> {{ {TRIPLE} . }}\n"),
    ("named.nq", f"{TRIPLE} <https://example.org/g> .\n"),
])
def test_named_graphs_only_are_triples(tmp_path: Path, name: str, text: str) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    store = ox.Store()
    assert load_file(store, path, GRAPH) == text
    assert len(store) == 1
    assert len(parse_file(path, GRAPH).quads) == 1


@pytest.mark.parametrize("name,text", [
    ("empty.trig", "@prefix ex: <https://example.org/> .\n# nothing else\n"),
    ("empty.nq", "# a comment only\n"),
])
def test_no_statement_at_all_is_still_refused(tmp_path: Path, name: str, text: str) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputFileError, match="holds no triples"):
        load_file(ox.Store(), path, GRAPH)
