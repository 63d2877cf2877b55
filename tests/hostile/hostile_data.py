"""The hostile data the tests of this folder write into a store and a working folder."""

from __future__ import annotations

import pyoxigraph as ox

from sdgraph.namespaces import GRAPH, ID

PRACTICE = ID + "practice/tiny-bikes"
PRACTICE_PATH = "/id/practice/tiny-bikes"
JAVASCRIPT = "javascript:alert(document.domain)"
DATA = "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="
VBSCRIPT = "vbscript:msgbox(1)"
HOSTILE_LABEL = '<img src=x onerror="alert(1)"> *bold* [x](javascript:alert(2)) | pipe'
#: What a query file in the server's working folder holds, to be found in no response.
SECRET = "SECRET-7f3a9c"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"


def hostile_quads() -> list[ox.Quad]:
    """Unsafe IRIs as an object, as a predicate and as the subject of an inbound link of a
    practice, and a label written to break HTML and Markdown."""
    graph = ox.NamedNode(GRAPH + "contributions/hostile.ttl")
    practice = ox.NamedNode(PRACTICE)
    see_also = ox.NamedNode(RDFS + "seeAlso")
    return [
        ox.Quad(practice, see_also, ox.NamedNode(JAVASCRIPT), graph),
        ox.Quad(practice, see_also, ox.NamedNode(DATA), graph),
        ox.Quad(practice, ox.NamedNode("javascript:alert(3)"), ox.Literal("x"), graph),
        ox.Quad(ox.NamedNode(VBSCRIPT), see_also, practice, graph),
        ox.Quad(ox.NamedNode(ID + "city/hostileville"), ox.NamedNode(RDFS + "label"),
                ox.Literal(HOSTILE_LABEL, language="en"), graph),
        ox.Quad(ox.NamedNode(ID + "city/hostileville"),
                ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                ox.NamedNode("https://w3id.org/sdgraph/ontology#City"), graph),
        ox.Quad(ox.NamedNode(ID + "city/hostileville"), see_also, ox.NamedNode(JAVASCRIPT),
                graph),
    ]
