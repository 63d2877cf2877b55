"""The ontology for people: HTML documentation made by pyLODE from the ontology's triples."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from html import escape

import pyoxigraph as ox
from rdflib import Graph

from ..namespaces import ONTOLOGY_IRI, PREFIXES

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
SKOS_DEFINITION = "http://www.w3.org/2004/02/skos/core#definition"
OWL_NAMED_INDIVIDUAL = "http://www.w3.org/2002/07/owl#NamedIndividual"

#: An entity's section in pyLODE's page: its element's id (made from its label) and its IRI.
ENTITY = re.compile(r'(<div class="[^"]*\bentity\b[^"]*" id="[^"]*">)(.*?)<code>([^<]+)</code>',
                    re.S)


def ontology_html(triples: Iterable[ox.Triple], css_href: str = "/static/pylode.css",
                  policy: str | None = None) -> str:
    """pyLODE's OntPub documentation of the ontology given as triples, in English.

    pyLODE runs every label of a term together into one heading and makes the term's anchor
    from one of them, whichever language it is in; so the page is made from the English labels
    and texts only (the ontology's Turtle, JSON-LD and RDF/XML keep the Spanish ones), and each
    term of the ontology also gets an anchor named by its IRI's fragment (``#Participation``),
    which is where the resource pages link to.

    The page links to pyLODE's stylesheet at ``css_href`` rather than holding it in a
    ``<style>`` element, and keeps none of pyLODE's ``data:`` icons, so that it renders under
    the site's Content-Security-Policy; ``policy``, when given (a static release, which sends
    no headers), is written into the page as a ``<meta>`` element.
    """
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    # Imported late: it loads its background ontologies on import, and it configures the root
    # logger for debugging, which is put back as it was.
    from pylode import OntPub

    root.handlers[:], root.level = handlers, level

    english = [t for t in triples if not (isinstance(t.object, ox.Literal) and t.object.language
                                          and t.object.language != "en")]
    graph = Graph()
    graph.parse(data=ox.serialize(english, format=ox.RdfFormat.TURTLE,
                                  prefixes=PREFIXES).decode("utf-8"), format="turtle")
    html = with_fragment_anchors(OntPub(ontology=graph).make_html())
    return without_inline_styles(with_individuals(html, english), css_href, policy)


INLINE_STYLE = re.compile(r"<style>.*?</style>", re.S)
DATA_ICON = re.compile(r"<link[^>]*\bhref=\"data:[^>]*>")


def without_inline_styles(html: str, css_href: str, policy: str | None = None) -> str:
    """``html`` with its ``<style>`` elements replaced by one link to the stylesheet at
    ``css_href``, its ``data:`` icons dropped, and ``policy`` (if any) as a ``<meta>``
    Content-Security-Policy."""
    head = f'<link rel="stylesheet" href="{escape(css_href)}">'
    if policy:
        head = f'<meta http-equiv="Content-Security-Policy" content="{escape(policy)}">\n' + head
    html = DATA_ICON.sub("", html)
    html = INLINE_STYLE.sub("", html)
    return html.replace("</head>", head + "\n</head>", 1)


def with_fragment_anchors(html: str) -> str:
    """``html`` with an empty element whose id is the fragment of the IRI at the start of each
    section about a term of the ontology, unless an element has that id already."""
    taken = set(re.findall(r'\bid="([^"]+)"', html))

    def anchor(match: re.Match[str]) -> str:
        opening, between, iri = match.groups()
        fragment = iri[len(ONTOLOGY_IRI) + 1:] if iri.startswith(ONTOLOGY_IRI + "#") else ""
        if not fragment or fragment in taken:
            return match.group(0)
        taken.add(fragment)
        return f'{opening}<span id="{fragment}"></span>{between}<code>{iri}</code>'

    return ENTITY.sub(anchor, html)


def with_individuals(html: str, triples: list[ox.Triple]) -> str:
    """``html`` with a section on the named individuals of the ontology (the roles, the
    certainties, the bases of SDG links), which pyLODE leaves out: each with its anchor, label,
    class and definition, before the list of namespaces."""
    about: dict[str, dict[str, list[str]]] = {}
    for triple in triples:
        subject = triple.subject.value
        if isinstance(triple.subject, ox.NamedNode) and subject.startswith(ONTOLOGY_IRI + "#"):
            about.setdefault(subject, {}).setdefault(triple.predicate.value, []).append(
                triple.object.value)
    individuals = sorted(iri for iri, facts in about.items()
                         if OWL_NAMED_INDIVIDUAL in facts.get(RDF_TYPE, []))
    if not individuals:
        return html
    entries = []
    for iri in individuals:
        facts = about[iri]
        fragment = iri.split("#", 1)[1]
        label = escape(next(iter(facts.get(RDFS_LABEL, [])), fragment))
        classes = ", ".join(
            f'<a href="#{escape(kind.split("#", 1)[1])}">{escape(kind.split("#", 1)[1])}</a>'
            for kind in sorted(facts.get(RDF_TYPE, []))
            if kind.startswith(ONTOLOGY_IRI + "#"))
        definition = escape(" ".join(facts.get(SKOS_DEFINITION, [])))
        entries.append(f'<dt id="{escape(fragment)}">{label} <code>{escape(iri)}</code></dt>\n'
                       f"<dd>{classes}: {definition}</dd>")
    section = ('<div class="section" id="individuals">\n<h2>Named individuals</h2>\n<dl>\n'
               + "\n".join(entries) + "\n</dl>\n</div>\n")
    at = html.find('<div id="namespaces">')
    return html[:at] + section + html[at:] if at >= 0 else html
