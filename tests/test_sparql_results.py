"""Reading pyoxigraph SELECT results into SPARQL JSON terms: the fast reading (through the TSV
results format) gives exactly what reading every term through Python objects gives."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from sdgraph.query import run_on_store
from sdgraph.sparql_results import json_term, solutions_rows

XSD = "http://www.w3.org/2001/XMLSchema#"

# Terms of every kind the TSV results format writes differently: bare numbers and booleans,
# escapes, language tags, datatypes, IRIs with non-ASCII characters.
VALUES = [
    "1", "-5", "1.5", "true", "false", '"1.5e3"^^xsd:double', r'"x\ty\nz\\q\"r"', r'"a\rb"',
    r'"\u0001x"', '"é"@es', '"é"@es-ES', '"plain"', '""', '"2023"^^xsd:gYear',
    '"abc"^^xsd:integer', '" 1"^^xsd:integer', '"NaN"^^xsd:double', '"1"^^xsd:decimal',
    '"TRUE"^^xsd:boolean', "<http://example.org/a>", "<http://example.org/é%20x>",
    '"0.93"^^xsd:decimal', '"tab\\there"@en',
]


def term_by_term(text: str, store: ox.Store) -> tuple[list[str], list[dict]]:
    solutions = store.query(text)
    columns = [v.value for v in solutions.variables]
    return columns, [{c: json_term(s[c]) for c in columns if s[c] is not None}
                     for s in solutions]


@pytest.fixture
def store() -> ox.Store:
    return ox.Store()


def test_every_kind_of_term_reads_the_same(store: ox.Store) -> None:
    text = (f"PREFIX xsd: <{XSD}> SELECT ?a ?b WHERE {{ VALUES ?a {{ {' '.join(VALUES)} }} "
            "OPTIONAL { VALUES ?b { 7 } FILTER(?a = 1) } }")
    fast = run_on_store(text, store)
    assert fast == term_by_term(text, store)
    assert len(fast[1]) == len(VALUES)
    assert fast[1][1] == {"a": {"type": "literal", "value": "-5", "datatype": XSD + "integer"}}


def test_unbound_values_and_empty_results(store: ox.Store) -> None:
    one = "SELECT ?x WHERE { VALUES ?x { UNDEF 1 UNDEF } }"
    assert run_on_store(one, store) == (["x"], [{}, {"x": {
        "type": "literal", "value": "1", "datatype": XSD + "integer"}}, {}])
    none = "SELECT ?x ?y WHERE { VALUES ?x { 1 } FILTER(false) }"
    assert run_on_store(none, store) == (["x", "y"], [])


def test_blank_nodes_keep_their_labels(store: ox.Store) -> None:
    store.add(ox.Quad(ox.BlankNode("b1"), ox.NamedNode("http://example.org/p"), ox.Literal("v"),
                      ox.NamedNode("http://example.org/g")))
    text = "SELECT ?s WHERE { GRAPH ?g { ?s ?p ?o } }"
    assert run_on_store(text, store) == (["s"], [{"s": {"type": "bnode", "value": "b1"}}])


def test_terms_it_does_not_know_fall_back_to_term_by_term(store: ox.Store) -> None:
    # a triple term and a literal with a base direction: read term by term instead
    for text in ("SELECT ?x WHERE { BIND(TRIPLE(<http://a.example/>, <http://b.example/>, "
                 "<http://c.example/>) AS ?x) }",
                 'SELECT ?x WHERE { BIND(STRLANGDIR("a", "en", "ltr") AS ?x) }'):
        assert solutions_rows(store.query(text)) is None
        assert run_on_store(text, store) == term_by_term(text, store)
