"""Validate stage: check contribution files against the SHACL shapes of ``shapes/``.

:func:`validate_files` parses the files (unreadable input raises
:class:`~sdgraph.errors.InputFileError`, exit code 2), loads the rest of the project as context,
checks only the nodes the files describe, and returns a :class:`ValidationReport` whose results
name the file and line, the node, the property, the value, a message and a hint in the chosen
language. Two engines give the same results: ``fast`` (the shapes compiled into SPARQL on
pyoxigraph, the default) and ``pyshacl`` (the reference).
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from ..errors import EXIT_INVALID, SdgraphError
from ..namespaces import ID, PREFIXES
from ..project import Project
from . import compiled, parallel, reference
from .dataset import RDF_TYPE, Dataset, load_dataset
from .hints import Hinter
from .identity import defined_elsewhere, typed_blank_nodes
from .locate import Locator
from .render import shown_once
from .results import RawResult, Result, Term, ValidationReport
from .shapes import Shapes

ENGINES = ("fast", "pyshacl")
LANGUAGES = ("en", "es")

#: Prefixes for showing IRIs, beside those a file declares.
DISPLAY_PREFIXES = PREFIXES | {
    "sdgsh": "https://w3id.org/sdgraph/shapes#",
    "city": ID + "city/", "org": ID + "org/", "practice": ID + "practice/",
    "participation": ID + "participation/", "role": ID + "role/", "edition": ID + "edition/",
    "event": ID + "event/",
    "a2012": ID + "axes/2012/", "a2017": ID + "axes/2017/", "a2019": ID + "axes/2019/",
    "a2021": ID + "axes/2021/", "a2023": ID + "axes/2023/", "sh": "http://www.w3.org/ns/shacl#",
}

__all__ = ["ENGINES", "LANGUAGES", "Compactor", "ContributionsInvalid", "Result",
           "ValidationReport", "check", "validate_contributions", "validate_files"]


class ContributionsInvalid(SdgraphError):
    """Contribution files that do not conform; the message lists each violation."""

    exit_code = EXIT_INVALID

    def __init__(self, report: ValidationReport) -> None:
        shown = [r for r, _ in shown_once(report.violations)]  # as the text report shows them
        lines = [f"{r.file}:{r.line or ''}: {r.message}" for r in shown]
        super().__init__(f"{len(shown)} violation(s) in the contributions:\n  "
                         + "\n  ".join(lines),
                         hint="run `sdgraph validate FILE` for the details and how to fix them")
        self.report = report


def check(dataset: Dataset, shapes: Shapes, engine: str = "fast",
          workers: int | None = None) -> list[RawResult]:
    """Every raw result for the contributed files: the shapes' and the cross-file checks'.

    With the fast engine the queries run side by side on ``workers`` threads (by default one per
    processor core, see :mod:`.parallel`), and the focus nodes for the report are counted
    meanwhile.
    """
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}; use one of {', '.join(ENGINES)}")
    cross_file = [lambda: defined_elsewhere(dataset), lambda: typed_blank_nodes(dataset)]
    if engine == "pyshacl":
        graph = reference.to_rdflib(dataset.all_quads())
        shaped = reference.run(shapes, graph, dataset.focus_iris())
        return [r for job in cross_file for r in job()] + shaped
    fast = compiled.CompiledShapes(shapes, dataset)
    fast.prepare()
    jobs: list = [*cross_file, dataset.focus_count, *fast.jobs()]  # the count is remembered
    crossed, blank, _, *shaped = parallel.run_jobs(jobs, workers)
    return crossed + blank + fast.on_focus([r for part in shaped for r in part])


class Compactor:
    """Writes IRIs the way the contributor wrote them: with the file's prefixes, then ours."""

    def __init__(self, declared: dict[str, str]) -> None:
        merged = DISPLAY_PREFIXES | {k: v for k, v in declared.items() if k}
        self.prefixes = sorted(merged.items(), key=lambda kv: -len(kv[1]))

    def __call__(self, iri: str) -> str:
        for name, namespace in self.prefixes:
            if iri.startswith(namespace) and len(iri) > len(namespace):
                local = iri[len(namespace):]
                if all(c.isalnum() or c in "-_." for c in local) and not local.endswith("."):
                    return f"{name}:{local}"
        return f"<{iri}>"

    def term(self, term: Term | None) -> str:
        if term is None:
            return ""
        if term.kind == "iri":
            return self(term.value)
        if term.kind == "bnode":
            return "[ ] (blank node)"
        text = '"' + term.value.replace('"', '\\"') + '"'
        if term.language:
            return f"{text}@{term.language}"
        if term.datatype and not term.datatype.endswith("#string"):
            return f"{text}^^{self(term.datatype)}"
        return text


def fill(template: str, raw: RawResult, compact: Compactor) -> str:
    """Put the result's values into a message's {?name} slots."""
    values = dict(raw.bindings)
    if raw.value is not None:
        values.setdefault("value", raw.value)
    if raw.path:
        values.setdefault("path", Term("iri", raw.path.lstrip("^")))
    values.setdefault("this", raw.focus)
    text = template
    for name, term in values.items():
        if term.kind == "literal" and term.value.startswith(("http://", "https://")):
            term = Term("iri", term.value)  # pySHACL writes IRIs into messages as plain text
        shown = compact.term(term) if term.kind != "literal" else term.value
        text = text.replace("{?" + name + "}", shown).replace("{$" + name + "}", shown)
    return text


def locate(raws: list[RawResult], dataset: Dataset,
           locators: dict[Path, Locator]) -> list[tuple[Path | None, int | None]]:
    """The file and line of each result.

    A node is where it is defined: the first contributed file that gives it a type, at the line
    where it is first a subject there. A file that only mentions it (as a value, or adding a
    statement about it) is not its place, unless no contributed file types it: then the first
    file where it is a subject. A cross-file result carries its file (``origin``) already.
    """
    nodes = sorted({r.focus.value for r in raws if r.origin is None and r.focus.kind == "iri"})
    typed_in: dict[str, list[Path]] = defaultdict(list)
    subject_in: dict[str, list[Path]] = defaultdict(list)
    for start in range(0, len(nodes), 5000):
        values = " ".join(f"<{n}>" for n in nodes[start:start + 5000])
        for contribution in dataset.contributions:
            graph = contribution.graph
            # EXISTS per node: a join with the VALUES block would scan the whole file's graph
            query = (f"SELECT ?node ?typed WHERE {{ VALUES ?node {{ {values} }} "
                     f"FILTER EXISTS {{ GRAPH <{graph}> {{ ?node ?p ?o }} }} "
                     f"BIND (EXISTS {{ GRAPH <{graph}> {{ ?node <{RDF_TYPE.value}> ?t }} }} "
                     f"AS ?typed) }}")
            for row in dataset.query(query):
                subject_in[row["node"].value].append(contribution.path)
                if row["typed"].value == "true":
                    typed_in[row["node"].value].append(contribution.path)
    files: list[Path | None] = []
    for raw in raws:
        node = raw.focus.value if raw.focus.kind == "iri" else None
        if raw.origin is not None:
            files.append(Path(raw.origin))
        else:
            candidates = typed_in.get(node or "") or subject_in.get(node or "") or []
            files.append(candidates[0] if candidates else None)
    wanted: dict[Path, set[str]] = defaultdict(set)
    for raw, file in zip(raws, files, strict=True):
        if file is not None and raw.focus.kind == "iri":
            wanted[file].add(raw.focus.value)
    lines = {path: locators[path].lines(nodes) for path, nodes in wanted.items()}
    places: list[tuple[Path | None, int | None]] = []
    for raw, file in zip(raws, files, strict=True):
        node = raw.focus.value if raw.focus.kind == "iri" else None
        if file is None and node:  # not described by any file (cannot happen for a focus node)
            for path, locator in locators.items():
                if locator.line_of(node) is not None:
                    file = path
                    break
        line = lines.get(file, {}).get(node) if file is not None and node else None
        if file is not None and node and line is None:
            line = locators[file].line_of(node)
        places.append((file, line))
    return places


def explain(raws: list[RawResult], dataset: Dataset, shapes: Shapes,
            lang: str) -> ValidationReport:
    """Results for people: file and line, message and hint in ``lang``, sorted by place."""
    locators = {c.path: Locator(c.text) for c in dataset.contributions}
    declared: dict[str, str] = {}
    for locator in locators.values():
        declared |= locator.declared
    compact = Compactor(declared)
    allowed = {s.iri: shapes.allowed_paths(s) for s in shapes.node_shapes}
    properties = [p for s in shapes.node_shapes for p in s.properties]
    classes = {p.iri: str(p.params["class"]) for p in properties if "class" in p.params}
    choices = {p.iri: [str(v) for v in p.params["in"]]  # type: ignore[attr-defined]
               for p in properties if "in" in p.params}
    hinter = Hinter(dataset.store, compact, allowed, dataset.contributed_graphs, classes, choices)
    results = []
    for raw, (file, line) in zip(raws, locate(raws, dataset, locators), strict=True):
        words_of = raw.source_constraint or raw.source_shape
        message = fill(shapes.text(words_of, "message", lang)
                       or shapes.text(raw.source_shape, "message", lang), raw, compact)
        # an IRI the hint names is spelt with the prefixes of the file it is to be written in
        declared = locators[file].declared if file in locators else None
        own = hinter.hint(raw, lang, declared)
        fixed = "" if hinter.replaces_fixed_hint(raw, own) \
            else fill(shapes.text(words_of, "hint", lang), raw, compact)
        hint = " ".join(h for h in (own, fixed) if h)
        results.append(Result(raw, file, line, message, hint))
    results.sort(key=lambda r: (str(r.file or ""), r.line or 0, r.raw.focus.value,
                                r.raw.path or "", r.raw.source_shape))
    return ValidationReport([c.path for c in dataset.contributions], results, lang,
                            focus_nodes=dataset.focus_count())


def validate_files(project: Project, paths: list[Path], lang: str = "en",
                   engine: str = "fast", workers: int | None = None) -> ValidationReport:
    """Validate contribution files in the context of the project; see the module's docstring.

    ``workers`` is how many threads run the checks (see :func:`check`).
    """
    shapes = Shapes(project.shapes_dir)
    dataset = load_dataset(project, [Path(p) for p in paths], shapes.inverse_predicates(), lang)
    raws = check(dataset, shapes, engine, workers)
    return explain(raws, dataset, shapes, lang)


def validate_contributions(project: Project) -> ValidationReport | None:
    """Validate every file under data/contributions/; raise if one does not conform."""
    files = sorted(p for p in project.contributions_dir.rglob("*")
                   if p.suffix in (".ttl", ".trig", ".nt", ".nq")) \
        if project.contributions_dir.is_dir() else []
    if not files:
        return None
    report = validate_files(project, files)
    if not report.conforms:
        raise ContributionsInvalid(report)
    return report
