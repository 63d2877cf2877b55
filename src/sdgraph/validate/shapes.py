"""The shapes of ``shapes/``: read once, with their messages and hints by language.

:class:`Shapes` holds the merged shapes graph (for pySHACL), the words of every shape and
SPARQL-based constraint (``sh:message`` and ``sdgsh:hint``, per language), and a plain model of
the node and property shapes that :mod:`sdgraph.validate.compiled` turns into SPARQL.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF

from ..errors import InputFileError
from ..load import read_text
from ..namespaces import SH
from .results import VIOLATION

SDGSH = "https://w3id.org/sdgraph/shapes#"
HINT = URIRef(SDGSH + "hint")
DEFINED_ONCE_SHAPE = SDGSH + "DefinedOnceShape"
DEFINED_ONCE_COMPONENT = SDGSH + "DefinedOnceConstraintComponent"
IDENTIFIED_SHAPE = SDGSH + "IdentifiedShape"
IDENTIFIED_COMPONENT = SDGSH + "IdentifiedConstraintComponent"


def sh(name: str) -> URIRef:
    return URIRef(SH + name)


#: Value constraints the compiler knows, each checked on every value node of a property shape.
VALUE_PARAMETERS = ("datatype", "nodeKind", "class", "in", "pattern", "languageIn",
                    "minInclusive", "maxInclusive", "minExclusive", "maxExclusive")
KNOWN_PARAMETERS = set(VALUE_PARAMETERS) | {"minCount", "maxCount", "uniqueLang", "path",
                                            "message", "severity", "flags", "name",
                                            "description", "closed", "ignoredProperties",
                                            "property", "sparql", "targetClass",
                                            "targetSubjectsOf", "deactivated"}


@dataclass
class PropertyShape:
    """A property shape: one path (a predicate, or the inverse of one) and its constraints."""

    iri: str
    predicate: str
    inverse: bool
    severity: str
    params: dict[str, object] = field(default_factory=dict)

    @property
    def result_path(self) -> str:
        """The path as results carry it: the predicate, or ^predicate for an inverse path."""
        return ("^" if self.inverse else "") + self.predicate


@dataclass
class SparqlConstraint:
    """A SPARQL-based constraint: its node and its SELECT query with the declared prefixes."""

    iri: str
    select: str
    prologue: str


@dataclass
class NodeShape:
    """A node shape: its targets, node-level constraints, property shapes and SPARQL ones."""

    iri: str
    severity: str
    target_classes: list[str] = field(default_factory=list)
    target_subjects_of: list[str] = field(default_factory=list)
    params: dict[str, object] = field(default_factory=dict)
    properties: list[PropertyShape] = field(default_factory=list)
    sparql: list[SparqlConstraint] = field(default_factory=list)


class Shapes:
    """The shapes graph of a project's ``shapes/`` folder, its words and its model."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.graph = Graph()
        for path in sorted(folder.glob("*.ttl")):
            try:
                self.graph.parse(data=read_text(path), format="turtle",
                                 publicID=path.resolve().as_uri())
            except InputFileError:
                raise
            except Exception as error:  # rdflib raises several kinds for bad Turtle
                raise InputFileError(path, f"the shapes file cannot be read: {error}") from error
        self.words = self._words()
        self.node_shapes = self._model()

    # --- words ---------------------------------------------------------------------------
    def _words(self) -> dict[str, dict[str, dict[str, str]]]:
        """Node -> 'message'/'hint' -> language -> text."""
        words: dict[str, dict[str, dict[str, str]]] = {}
        for key, predicate in (("message", sh("message")), ("hint", HINT)):
            for node, text in self.graph.subject_objects(predicate):
                if isinstance(text, Literal):
                    lang = text.language or "en"
                    words.setdefault(str(node), {}).setdefault(key, {})[lang] = str(text)
        return words

    def text(self, node: str, key: str, lang: str) -> str:
        """The message or hint of ``node`` in ``lang``, falling back to English."""
        choices = self.words.get(node, {}).get(key, {})
        return choices.get(lang) or choices.get("en") or ""

    # --- model ---------------------------------------------------------------------------
    def _prologue(self, constraint: URIRef | BNode) -> str:
        lines = []
        for prefixes in self.graph.objects(constraint, sh("prefixes")):
            for declaration in self.graph.objects(prefixes, sh("declare")):
                prefix = self.graph.value(declaration, sh("prefix"))
                namespace = self.graph.value(declaration, sh("namespace"))
                lines.append(f"PREFIX {prefix}: <{namespace}>")
        return "\n".join(sorted(set(lines)))

    def _params(self, node: URIRef | BNode) -> dict[str, object]:
        params: dict[str, object] = {}
        for predicate, value in self.graph.predicate_objects(node):
            if not str(predicate).startswith(SH):
                continue
            name = str(predicate)[len(SH):]
            if name not in KNOWN_PARAMETERS:
                raise ValueError(f"shape {node}: sh:{name} is not supported by the compiler")
            if name in ("in", "languageIn", "ignoredProperties"):
                params[name] = list(Collection(self.graph, value))
            else:
                params[name] = value
        return params

    def _property(self, node: URIRef | BNode, severity: str) -> PropertyShape:
        path = self.graph.value(node, sh("path"))
        inverse = False
        if isinstance(path, BNode):
            path = self.graph.value(path, sh("inversePath"))
            inverse = True
        own = self.graph.value(node, sh("severity"))
        return PropertyShape(str(node), str(path), inverse, str(own) if own else severity,
                             self._params(node))

    def _model(self) -> list[NodeShape]:
        shapes = []
        for node in sorted(set(self.graph.subjects(RDF.type, sh("NodeShape"))), key=str):
            if not (set(self.graph.objects(node, sh("targetClass")))
                    | set(self.graph.objects(node, sh("targetSubjectsOf")))):
                continue  # a shape without targets (its words are used by sdgraph itself)
            severity = str(self.graph.value(node, sh("severity")) or VIOLATION)
            shape = NodeShape(str(node), severity,
                              sorted(str(c) for c in self.graph.objects(node, sh("targetClass"))),
                              sorted(str(p) for p in
                                     self.graph.objects(node, sh("targetSubjectsOf"))),
                              self._params(node))
            shape.properties = [self._property(p, severity) for p in
                                sorted(self.graph.objects(node, sh("property")), key=str)]
            for constraint in sorted(self.graph.objects(node, sh("sparql")), key=str):
                shape.sparql.append(SparqlConstraint(
                    str(constraint), str(self.graph.value(constraint, sh("select"))),
                    self._prologue(constraint)))
            shapes.append(shape)
        return shapes

    def inverse_predicates(self) -> list[str]:
        """The predicates that a property shape reads backwards (``sh:inversePath``)."""
        return sorted({p.predicate for s in self.node_shapes for p in s.properties if p.inverse})

    def allowed_paths(self, shape: NodeShape) -> list[str]:
        """The predicates a closed shape accepts: its property paths and ignored properties."""
        paths = {p.predicate for p in shape.properties if not p.inverse}
        paths |= {str(i) for i in shape.params.get("ignoredProperties", [])}  # type: ignore
        return sorted(paths)
