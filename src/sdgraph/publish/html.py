"""HTML pages of the graph: the Jinja2 environment (autoescaping on) and the page models.

The same templates serve the live server and the static release; only the way an IRI becomes a
link differs (a :class:`Linker`). Every label and literal reaches the page through Jinja2's
autoescaping, so that a contribution cannot inject markup.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from posixpath import relpath
from typing import Any, Protocol

import jinja2
import pyoxigraph as ox

from ..namespaces import ID, ONTOLOGY, ONTOLOGY_IRI, RDF, RDFS, SDG, XSD
from ..sparql_files import SparqlFile, read_sparql_file
from .describe import LANGUAGES, GraphView, is_sdg, local_name
from .safety import followable, goal_colours, meta_policy

PACKAGE = "sdgraph.publish"


@cache
def environment() -> jinja2.Environment:
    """The Jinja2 environment of the page templates, autoescaping every value."""
    env = jinja2.Environment(loader=jinja2.PackageLoader(PACKAGE, "templates"),
                             autoescape=True, trim_blocks=True, lstrip_blocks=True,
                             undefined=jinja2.StrictUndefined)
    return env


@cache
def messages() -> dict[str, dict[str, str]]:
    """The words around the labels, per language (``messages.toml``)."""
    text = resources.files(PACKAGE).joinpath("messages.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def term_name(iri: str, lang: str) -> str | None:
    """The display name in ``lang`` of a term of another vocabulary (``[terms]`` of
    ``messages.toml``), or None."""
    return messages().get("terms", {}).get(iri, {}).get(lang)


@cache
def page_query(name: str) -> SparqlFile:
    """A SPARQL file the pages use (``sparql/NAME.rq``)."""
    return read_sparql_file(Path(__file__).parent / "sparql" / f"{name}.rq")


def goal_number(iri: str) -> int | None:
    """The goal a UN SDG IRI belongs to: ``.../11`` and ``.../11.2`` -> 11, ``.../C110201`` ->
    11; None for indicators shared by several goals and for other IRIs."""
    if not is_sdg(iri):
        return None
    code = iri[len(SDG):]
    head = code.split(".")[0]
    if head.isdigit():
        number = int(head)
    elif code.startswith("C") and code[1:3].isdigit():
        number = int(code[1:3])
    else:
        return None
    return number if 1 <= number <= 17 else None


class Linker(Protocol):
    """Where a link to an IRI points on the pages: None for an IRI that must not be a link
    (one whose scheme is not http or https, see :func:`~sdgraph.publish.safety.followable`)."""

    def href(self, iri: str) -> str | None: ...

    def home(self) -> str: ...

    def static(self, name: str) -> str: ...


def _always(iri: str) -> bool:
    return True


@dataclass(frozen=True)
class ServerLinker:
    """Links of the live server: sdgraph resources, the ontology and the UN goals, targets and
    indicators that it serves to its own pages; every other IRI to itself.

    ``served`` says whether the server describes an IRI (``Site.known``): an IRI of the graph's
    namespaces that nothing describes (such as a term of the UN SDG ontology,
    ``http://metadata.un.org/sdg/ontology#Goal``) keeps its own address rather than becoming a
    local page that would answer 404.
    """

    root: str  # the IRI that the path "/" stands for, e.g. https://w3id.org/sdgraph/
    served: Callable[[str], bool] = _always

    def home(self) -> str:
        return "/"

    def static(self, name: str) -> str:
        return "/static/" + name

    def href(self, iri: str) -> str | None:
        if iri == ONTOLOGY_IRI or iri.startswith(ONTOLOGY):
            return "/ontology" + iri[len(ONTOLOGY_IRI):]
        # A fragment or query would not reach the server as part of the path.
        local = "#" not in iri and "?" not in iri
        if local and iri.startswith(self.root + "id/") and self.served(iri):
            return "/" + iri[len(self.root):]
        code = iri[len(SDG):]
        if local and is_sdg(iri) and "/" not in code and self.served(iri):
            return "/sdg/" + code
        return iri if followable(iri) else None


@dataclass(frozen=True)
class StaticLinker:
    """Links of a static release: relative paths between resource folders, so that the pages
    work from any host and from the file system."""

    root: str
    here: str  # folder of the page being written, relative to the release root
    lang: str = "en"

    def home(self) -> str:
        page = "index.html" if self.lang == "en" else f"index.{self.lang}.html"
        return relpath(".", self.here or ".") + "/" + page

    def static(self, name: str) -> str:
        return relpath("static", self.here or ".") + "/" + name

    def href(self, iri: str) -> str | None:
        page = "index.html" if self.lang == "en" else f"index.{self.lang}.html"
        if iri.startswith(self.root + "id/"):
            target = iri[len(self.root):]
            return relpath(target, self.here or ".") + "/" + page
        if iri == ONTOLOGY_IRI or iri.startswith(ONTOLOGY):
            return relpath("ontology", self.here or ".") + "/index.html" + iri[len(ONTOLOGY_IRI):]
        return iri if followable(iri) else None


@dataclass
class Value:
    """One value on a page: a link (with the IRI it stands for) or a literal."""

    text: str
    href: str | None = None
    iri: str | None = None
    lang: str | None = None
    datatype: str | None = None
    goal: int | None = None  # the goal whose colour the value's chip has (class goal-N)
    un_iri: str | None = None


@dataclass
class Row:
    """A property and its values."""

    label: str
    iri: str
    href: str | None
    values: list[Value] = field(default_factory=list)


class Pages:
    """Builds the template context of each page and renders it."""

    def __init__(self, view: GraphView, root: str = ID.removesuffix("id/")) -> None:
        self.view = view
        self.root = root

    # -- pieces -----------------------------------------------------------------------------
    def label(self, iri: str, lang: str) -> str:
        """The graph's label of ``iri`` in ``lang``, else the display name of a term of another
        vocabulary in ``lang``, else the graph's label in another language or the IRI's end."""
        own = self.view.labels(iri)
        if lang in own:
            return own[lang]
        return term_name(iri, lang) or self.view.label(iri, lang)

    def value(self, term: ox.NamedNode | ox.BlankNode | ox.Literal, lang: str,
              linker: Linker) -> Value:
        if isinstance(term, ox.Literal):
            datatype = term.datatype.value
            shown = None if datatype.startswith(XSD + "string") or term.language else datatype
            return Value(term.value, lang=term.language,
                         datatype=local_name(shown) if shown else None)
        if isinstance(term, ox.BlankNode):
            return Value(f"_:{term.value}")
        iri = term.value
        number = goal_number(iri)
        return Value(self.label(iri, lang), href=linker.href(iri), iri=iri,
                     goal=number if number in goal_colours() else None,
                     un_iri=iri if is_sdg(iri) else None)

    def rows(self, iri: str, lang: str, linker: Linker) -> list[Row]:
        rows: dict[str, Row] = {}
        for triple in self.view.description(iri):
            predicate = triple.predicate.value
            row = rows.get(predicate)
            if row is None:
                row = rows[predicate] = Row(self.label(predicate, lang), predicate,
                                            linker.href(predicate))
            row.values.append(self.value(triple.object, lang, linker))
        first = {RDFS + "label": 0, RDF + "type": 1}  # name and kind first, then by label
        return sorted(rows.values(), key=lambda r: (first.get(r.iri, 2), r.label.casefold()))

    def inbound_rows(self, iri: str, lang: str, linker: Linker) -> list[Row]:
        rows: dict[str, Row] = {}
        for link in self.view.inbound(iri):
            row = rows.get(link.predicate)
            if row is None:
                row = rows[link.predicate] = Row(self.label(link.predicate, lang),
                                                 link.predicate, linker.href(link.predicate))
            row.values.append(self.value(ox.NamedNode(link.other), lang, linker))
        for row in rows.values():
            row.values.sort(key=lambda v: v.text.casefold())
        return list(rows.values())

    def common(self, lang: str, title: str, live: bool, **extra: Any) -> dict[str, Any]:
        return {"lang": lang, "t": messages()[lang], "languages": LANGUAGES,
                "messages": messages(), "title": title, "live": live,
                # A static page carries its policy itself; the server sends it as a header.
                "csp_meta": None if live else meta_policy(), **extra}

    # -- pages ------------------------------------------------------------------------------
    def resource(self, iri: str, lang: str, linker: Linker, live: bool,
                 formats: list[tuple[str, str]], switch: dict[str, str]) -> str:
        """The page of one resource: its description, what points at it, other formats."""
        number = goal_number(iri)
        context = self.common(
            lang, self.view.label(iri, lang), live, iri=iri,
            types=[self.value(ox.NamedNode(t), lang, linker) for t in self.view.types(iri)],
            rows=self.rows(iri, lang, linker), inbound=self.inbound_rows(iri, lang, linker),
            formats=formats, switch=switch, un_iri=iri if is_sdg(iri) else None,
            home_href=linker.home(), css_href=linker.static("site.css"),
            goal=number if number in goal_colours() else None,
            other_labels={k: v for k, v in self.view.labels(iri).items() if k != lang})
        return environment().get_template("resource.html").render(context)

    def editions(self) -> list[dict[str, Any]]:
        """Every edition with its year, practice count and per-goal practice counts."""
        store = self.view.store
        found = store.query(page_query("editions").text, use_default_graph_as_union=True)
        editions = [{"iri": row["edition"].value,
                     "year": row["year"].value if row["year"] else "",
                     "practices": int(row["practices"].value), "goals": {}} for row in found]
        by_iri = {edition["iri"]: edition for edition in editions}
        found = store.query(page_query("coverage").text, use_default_graph_as_union=True)
        for row in found:
            number = goal_number(row["goal"].value)
            edition = by_iri.get(row["edition"].value)
            if number and edition is not None:
                edition["goals"][number] = int(row["practices"].value)
        return editions

    def chart(self, counts: dict[int, int], lang: str) -> dict[str, Any]:
        """Geometry of one coverage chart: a bar per goal, in the goal's colour."""
        width, height, gap, top = 24, 120, 6, 16
        peak = max(counts.values(), default=0)
        bars = []
        for number, colour in sorted(goal_colours().items()):
            count = counts.get(number, 0)
            bar = round(height * count / peak) if peak else 0
            goal = f"{SDG}{number}"
            bars.append({"goal": number, "count": count, "colour": colour,
                         "x": (number - 1) * (width + gap), "y": top + height - bar,
                         "height": bar, "width": width,
                         "label": self.view.label(goal, lang), "iri": goal})
        return {"bars": bars, "width": 17 * (width + gap), "height": height + top + 18,
                "base": top + height, "empty": peak == 0}

    def home(self, lang: str, linker: Linker, live: bool, switch: dict[str, str]) -> str:
        editions = self.editions()
        for edition in editions:
            edition["label"] = self.view.label(edition["iri"], lang)
            edition["href"] = linker.href(edition["iri"])
            edition["chart"] = self.chart(edition["goals"], lang)
            for bar in edition["chart"]["bars"]:
                bar["href"] = linker.href(bar["iri"])
        context = self.common(lang, messages()[lang]["site_title"], live, editions=editions,
                              switch=switch, home_href=linker.home(),
                              css_href=linker.static("site.css"))
        return environment().get_template("home.html").render(context)

    def render(self, template: str, lang: str, title: str, live: bool = True,
               **extra: Any) -> str:
        """Any other page: ``template`` with the common context and ``extra``."""
        context = self.common(lang, title, live, **extra)
        return environment().get_template(template).render(context)
