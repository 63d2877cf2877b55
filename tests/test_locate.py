"""Finding prefixes and the line where a node is written, in a file's text."""

from __future__ import annotations

from sdgraph.validate.locate import Locator, prefixes

TEXT = """# Contribución de prueba: Bogotá, São Paulo, İstanbul
@prefix city: <https://w3id.org/sdgraph/id/city/> .
  PREFIX practice: <https://w3id.org/sdgraph/id/practice/>
prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#>
Prefix : <https://example.org/default/>
@prefix médio: <https://example.org/médio/> .

city:bogota rdfs:label "A label that says @prefix x: <https://wrong.example/> ." .
practice:one rdfs:label "One"@en ;
    rdfs:seeAlso city:bogota .
<https://w3id.org/sdgraph/id/practice/two> rdfs:label "Two"@en .
"""


def test_prefixes_in_both_syntaxes_any_case_and_non_ascii_names() -> None:
    assert prefixes(TEXT) == {
        "city": "https://w3id.org/sdgraph/id/city/",
        "practice": "https://w3id.org/sdgraph/id/practice/",
        "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
        "": "https://example.org/default/",
        "médio": "https://example.org/médio/",
    }


def test_a_declaration_inside_a_literal_is_not_a_prefix() -> None:
    assert "x" not in prefixes(TEXT)


def test_subject_lines_in_prefixed_and_full_form() -> None:
    locator = Locator(TEXT)
    lines = locator.lines(["https://w3id.org/sdgraph/id/city/bogota",
                           "https://w3id.org/sdgraph/id/practice/one",
                           "https://w3id.org/sdgraph/id/practice/two",
                           "https://w3id.org/sdgraph/id/city/nowhere"])
    assert lines == {"https://w3id.org/sdgraph/id/city/bogota": 8,
                     "https://w3id.org/sdgraph/id/practice/one": 9,
                     "https://w3id.org/sdgraph/id/practice/two": 11,
                     "https://w3id.org/sdgraph/id/city/nowhere": None}


def test_a_node_only_mentioned_is_found_where_it_is_mentioned() -> None:
    text = TEXT + "# city:lima in a comment\npractice:three rdfs:seeAlso city:lima .\n"
    assert Locator(text).line_of("https://w3id.org/sdgraph/id/city/lima") == 13
