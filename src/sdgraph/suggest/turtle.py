"""Write suggestions as Turtle in the shape of the sdgraph ontology (``sdgr:SDGContribution``)."""

from __future__ import annotations

from collections.abc import Iterable

from .model import METHOD_VERSION, Suggestion

__all__ = ["METHOD_IRI", "METHOD_TURTLE", "suggestions_to_turtle"]

METHOD_IRI = f"https://w3id.org/sdgraph/id/method/sdg-suggest/{METHOD_VERSION}"
"""IRI of this version of the suggestion method."""

METHOD_TURTLE = f"""<{METHOD_IRI}> a sdgr:Method ;
    rdfs:label "sdgraph SDG suggester {METHOD_VERSION}"@en ,
        "sugeridor de ODS de sdgraph {METHOD_VERSION}"@es ;
    schema:version "{METHOD_VERSION}" ;
    rdfs:comment "Scores the 17 goals from multilingual sentence-embedding similarity to the \
UN goal, target and indicator texts and from keyword, target-cue and TF-IDF evidence, combined by \
a logistic calibration; for city practices, words every practice uses are no evidence and each \
goal's prior among content-free city texts is taken off; targets share their goal's score by \
similarity and cue terms."@en .
"""
"""Description of the method node (uses the prefixes of :data:`PREFIXES`)."""

PREFIXES = """@prefix sdgr: <https://w3id.org/sdgraph/ontology#> .
@prefix sdg: <http://metadata.un.org/sdg/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix schema: <http://schema.org/> .
"""

_HEADER = """# SDG links suggested by {method} for review.
# These are machine suggestions, not facts: a person reads each one, keeps or drops it, and
# records the kept ones with `sdgraph add` (as a curated contribution) before they count.
"""

_WORDS = {
    "en": ("matched", "closest target"),
    "es": ("coincidencias", "meta más cercana"),
    "fr": ("correspondances", "cible la plus proche"),
}


def _literal(text: str) -> str:
    text = " ".join(text.split())
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def justification(s: Suggestion, lang: str = "en") -> str:
    """One line saying why ``s`` was suggested, in English, Spanish or French."""
    matched, closest = _WORDS.get(lang, _WORDS["en"])
    parts = []
    if s.evidence.get("matched"):
        parts.append(f"{matched}: " + ", ".join(s.evidence["matched"]))
    ct = s.evidence.get("closest_target")
    if ct:
        parts.append(f"{closest} {ct['code']}: {ct['text']}")
    return "; ".join(parts) or s.explain()


def suggestions_to_turtle(
    practice_iri: str,
    suggestions: Iterable[Suggestion],
    *,
    lang: str = "en",
    include_prefixes: bool = True,
    include_method: bool = True,
    header: bool = True,
) -> str:
    """Turtle for the suggestions of one practice, as ``sdgr:SDGContribution`` nodes.

    Each suggestion becomes ``<practice>/suggested/<code>`` with ``sdgr:sdg`` (the UN KOS IRI),
    ``sdgr:basis sdgr:SuggestedByMethod``, ``sdgr:method`` (:data:`METHOD_IRI`), ``sdgr:score``
    (``xsd:decimal``, two decimals) and ``sdgr:justification`` (a language-tagged line).

    Args:
        practice_iri: e.g. ``https://w3id.org/sdgraph/id/practice/bilbao-data-government``.
        suggestions: from :meth:`Suggester.suggest`.
        lang: language of the justification lines (``"en"`` or ``"es"``).
        include_prefixes: start with the ``@prefix`` lines.
        include_method: describe the method node once (:data:`METHOD_TURTLE`).
        header: start with a comment saying these are suggestions to review.
    """
    practice_iri = practice_iri.rstrip("/")
    lang = lang if lang in _WORDS else "en"
    out: list[str] = []
    if header:
        out.append(_HEADER.format(method=f"sdgraph SDG suggester {METHOD_VERSION}"))
    if include_prefixes:
        out.append(PREFIXES)
    if include_method:
        out.append(METHOD_TURTLE)
    for s in suggestions:
        node = f"<{practice_iri}/suggested/{s.code}>"
        score = min(max(s.score, 0.0), 1.0)
        out.append(
            f"<{practice_iri}> sdgr:sdgContribution {node} .\n"
            f"{node} a sdgr:SDGContribution ;\n"
            f"    sdgr:sdg <{s.iri}> ;\n"
            f"    sdgr:basis sdgr:SuggestedByMethod ;\n"
            f"    sdgr:method <{METHOD_IRI}> ;\n"
            f'    sdgr:score "{score:.2f}"^^xsd:decimal ;\n'
            f"    sdgr:justification {_literal(justification(s, lang))}@{lang} .\n"
        )
    return "\n".join(out)
