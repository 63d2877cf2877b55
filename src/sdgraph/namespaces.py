"""The IRIs sdgraph mints and the vocabularies it reuses, in one place."""

from __future__ import annotations

import re
import unicodedata

ONTOLOGY = "https://w3id.org/sdgraph/ontology#"
ONTOLOGY_IRI = "https://w3id.org/sdgraph/ontology"
ID = "https://w3id.org/sdgraph/id/"
GRAPH = "https://w3id.org/sdgraph/graph/"
INFERRED_GRAPH = GRAPH + "inferred"
#: Per-edition counts computed once after reasoning (``rules/summaries/``).
SUMMARIES_GRAPH = GRAPH + "summaries"
VOCAB_GRAPH = GRAPH + "vocab/"

SDG = "http://metadata.un.org/sdg/"
SDG_SCHEME = "http://metadata.un.org/sdg"
SDGO = "http://metadata.un.org/sdg/ontology#"

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
PROV = "http://www.w3.org/ns/prov#"
DCT = "http://purl.org/dc/terms/"
DCAT = "http://www.w3.org/ns/dcat#"
VOID = "http://rdfs.org/ns/void#"
SCHEMA = "http://schema.org/"
SH = "http://www.w3.org/ns/shacl#"

#: Prefixes written into dumps and offered to SPARQL queries.
PREFIXES: dict[str, str] = {
    "sdgr": ONTOLOGY,
    "sdg": SDG,
    "sdgo": SDGO,
    "rdf": RDF,
    "rdfs": RDFS,
    "owl": OWL,
    "xsd": XSD,
    "skos": SKOS,
    "skosxl": "http://www.w3.org/2008/05/skos-xl#",
    "prov": PROV,
    "dct": DCT,
    "dcat": DCAT,
    "void": VOID,
    "schema": SCHEMA,
}


def sparql_prologue() -> str:
    """PREFIX lines for every prefix in :data:`PREFIXES`."""
    return "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in PREFIXES.items())


def slug(text: str) -> str:
    """Lower-case ASCII letters, digits and hyphens, accents dropped: 'Malmö' -> 'malmo'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "unnamed"
