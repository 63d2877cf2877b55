"""The text of a practice in the built graph, for suggesting its SDG links."""

from __future__ import annotations

import pyoxigraph as ox

from ..errors import UsageError
from ..namespaces import ID
from ..query import SLUG, expand_iri

RDFS_LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
DESCRIPTION = ox.NamedNode("http://purl.org/dc/terms/description")
TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
PRACTICE = ox.NamedNode("https://w3id.org/sdgraph/ontology#Practice")


def practice_iri(text: str) -> str:
    """The practice's IRI from its IRI, its short form in query tables
    (``practice:bilbaoaccess``) or its slug (``bilbaoaccess``)."""
    return f"{ID}practice/{text}" if SLUG.fullmatch(text) else expand_iri(text)


def practice_node(iri: str) -> ox.NamedNode:
    """The practice as a node (see :func:`practice_iri` for the forms it may be given in); a
    malformed IRI is refused as a usage error."""
    try:
        return ox.NamedNode(practice_iri(iri))
    except ValueError as error:
        raise UsageError(
            f"'{iri}' is not a valid IRI",
            hint="give the practice's IRI (https://w3id.org/sdgraph/id/practice/...), its short "
            "form in query tables (practice:...) or its slug",
        ) from error


def practice_text(store: ox.Store, iri: str, lang: str | None = None) -> str:
    """Label and description of the practice in ``lang`` (default English, else any language);
    refuses an unknown practice."""
    node = practice_node(iri)
    if not any(store.quads_for_pattern(node, TYPE, PRACTICE, None)):
        raise UsageError(f"no practice {iri} in the built graph",
                         hint="check the IRI with `sdgraph query` or rebuild with `sdgraph build`")
    parts = []
    for predicate in (RDFS_LABEL, DESCRIPTION):
        values = [q.object for q in store.quads_for_pattern(node, predicate, None, None)
                  if isinstance(q.object, ox.Literal)]
        preferred = [v for v in values if v.language == (lang or "en")] or values[:1]
        parts += sorted({v.value for v in preferred})
    return ". ".join(parts)
