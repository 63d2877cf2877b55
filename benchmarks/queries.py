"""Time every saved query on seeded synthetic graphs: the embedded store against rdflib.

The synthetic graphs follow the model: the project's ontology, SDG skeleton, axis schemes,
countries and editions, plus generated cities, participations, practices (axes, SDG
contributions at goal, target and indicator level with every basis), findings with themes and
edition statistics, one named graph per generated city file, with the rules materialised by
``sdgraph.build.assemble`` as the build does. Each query runs through ``sdgraph.query.run_query``
(binding and conversion to SPARQL JSON terms included) on pyoxigraph, and as the same bound text
on an rdflib ``Dataset`` holding the same quads, in the same process.

    python benchmarks/queries.py                      # about 100k and 1M triples
    python benchmarks/queries.py --sizes 100000       # one size
    python benchmarks/queries.py --rdflib-budget 20   # seconds of rdflib time per query and size
    python benchmarks/queries.py --no-rdflib --baseline OLD_QUERIES_DIR

``--baseline`` names a folder of other versions of some saved queries (for example the files of
an earlier commit, ``git archive REF queries | tar -x -C /tmp/old``): each one found there also
runs on the same store, and a second table gives both times, their ratio, and whether both
versions return the same rows.

rdflib is slow on the larger graph: each of its queries runs at most ``--rdflib-runs`` times and
stops once ``--rdflib-budget`` seconds are spent; at the larger sizes a query is skipped on
rdflib when its time on the previous size, scaled by the size ratio, exceeds the budget.
"""

from __future__ import annotations

import argparse
import gc
import multiprocessing
import random
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from machine import describe as describe_machine

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from sdgraph import reason  # noqa: E402
from sdgraph.build import assemble  # noqa: E402
from sdgraph.load import LoadedFile, parse_file  # noqa: E402
from sdgraph.namespaces import GRAPH, ID, ONTOLOGY, PROV, RDF, RDFS, SKOS, XSD  # noqa: E402
from sdgraph.project import Project  # noqa: E402
from sdgraph.query import (  # noqa: E402
    SavedQuery,
    bind,
    list_queries,
    run_on_store,
    run_query,
    saved_query,
)
from sdgraph.sparql_files import read_folder  # noqa: E402
from sdgraph.sparql_results import json_term  # noqa: E402
from sdgraph.store import seal  # noqa: E402

BASE = ("ontology", "data/sdg", "data/axes", "data/places", "data/study")
DCT = "http://purl.org/dc/terms/"
YEARS = ("2012", "2017", "2019", "2021", "2023")
BASES = ("StatedBySource", "CuratedByAgent", "SuggestedByMethod")
KINDS = ("Barrier", "Challenge", "Enabler", "Finding")


def n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def lit(value: str, lang: str | None = None, datatype: str | None = None) -> ox.Literal:
    if lang:
        return ox.Literal(value, language=lang)
    return ox.Literal(value, datatype=n(datatype)) if datatype else ox.Literal(value)


@dataclass
class Vocabulary:
    """What the generator draws from: axes per edition, SDG codes, country codes."""

    axes: dict[str, list[str]] = field(default_factory=dict)
    goals: list[str] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)
    indicators: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)


def base_files(project: Project) -> list[LoadedFile]:
    paths = [p for folder in BASE for p in sorted((project.root / folder).rglob("*.ttl"))]
    return [parse_file(p, project.graph_name(p)) for p in paths]


def vocabulary(files: list[LoadedFile]) -> Vocabulary:
    store = ox.Store()
    for item in files:
        store.extend(item.quads)

    def select(text: str) -> list[tuple[str, ...]]:
        rows = store.query(text, use_default_graph_as_union=True)
        return [tuple(term.value for term in row) for row in rows]

    vocab = Vocabulary()
    for year, axis in select(f"""SELECT ?year ?axis WHERE {{ ?e <{ONTOLOGY}year> ?y ;
            <{ONTOLOGY}axisScheme> ?s . ?axis <{SKOS}inScheme> ?s BIND(STR(?y) AS ?year) }}
            ORDER BY ?year ?axis"""):
        vocab.axes.setdefault(year, []).append(axis)
    for kind, attr in (("Goal", "goals"), ("Target", "targets"), ("Indicator", "indicators")):
        getattr(vocab, attr).extend(iri for (iri,) in select(
            f"SELECT ?x WHERE {{ ?x a <http://metadata.un.org/sdg/ontology#{kind}> }} "
            "ORDER BY ?x"))
    vocab.countries = [code for (code,) in select(
        f"SELECT ?c WHERE {{ ?x a <{ONTOLOGY}Country> ; <{ONTOLOGY}countryCode> ?c }} "
        "ORDER BY ?c")]
    return vocab


def generate(vocab: Vocabulary, cities: int, seed: int) -> list[LoadedFile]:
    """``cities`` city files, each with its participations, practices and SDG contributions;
    and one file per edition with findings (on 12 themes) and statistics."""
    rng = random.Random(seed)
    a, sdgr = n(RDF + "type"), ONTOLOGY
    label, source = n(RDFS + "label"), n(DCT + "source")
    files = []
    themes = [f"{ID}theme/t{i}" for i in range(12)]
    theme_graph = n(GRAPH + "synthetic/themes.ttl")
    files.append(LoadedFile(Path("themes.ttl"), theme_graph.value, [
        ox.Quad(n(t), n(SKOS + "prefLabel"), lit(f"Theme {i}", "en"), theme_graph)
        for i, t in enumerate(themes)] + [
        ox.Quad(n(t), a, n(SKOS + "Concept"), theme_graph) for t in themes]))
    for c in range(cities):
        slug = f"c{c:06d}"
        city = n(f"{ID}city/{slug}")
        graph = n(f"{GRAPH}data/contributions/synthetic/{slug}.ttl")
        quads: list[ox.Quad] = []

        def add(s: ox.NamedNode, p: str, o: ox.NamedNode | ox.Literal,
                quads: list[ox.Quad] = quads, graph: ox.NamedNode = graph) -> None:
            quads.append(ox.Quad(s, n(p), o, graph))

        add(city, RDF + "type", n(sdgr + "City"))
        add(city, RDFS + "label", lit(f"City {c}", "en"))
        add(city, RDFS + "label", lit(f"Ciudad {c}", "es"))
        add(city, sdgr + "countryCode", lit(rng.choice(vocab.countries)))
        for year in rng.sample(YEARS, rng.randint(1, 3)):
            edition = n(f"{ID}edition/{year}")
            participation = n(f"{ID}participation/{year}-{slug}")
            add(participation, RDF + "type", n(sdgr + "Participation"))
            add(participation, sdgr + "edition", edition)
            add(participation, sdgr + "participant", city)
            add(participation, sdgr + "role", n(sdgr + "ParticipantRole"))
            add(participation, sdgr + "certainty", n(sdgr + "Confirmed"))
            for k in range(rng.randint(1, 5)):
                practice = n(f"{ID}practice/{slug}-{year}-{k}")
                add(practice, RDF + "type", n(sdgr + "Practice"))
                add(practice, RDFS + "label", lit(f"Practice {slug} {year} {k}", "en"))
                add(practice, RDFS + "label", lit(f"Práctica {slug} {year} {k}", "es"))
                add(practice, DCT + "description", lit("A synthetic practice.", "en"))
                add(practice, sdgr + "city", city)
                add(practice, sdgr + "reportedIn", edition)
                add(practice, sdgr + "certainty", n(sdgr + "Uncertain"))
                add(practice, sdgr + "certaintyNote", lit("Synthetic."))
                quads.append(ox.Quad(practice, source, n(f"https://example.org/{slug}"), graph))
                for axis in rng.sample(vocab.axes[year], min(2, len(vocab.axes[year]))):
                    add(practice, sdgr + "axis", n(axis))
                for j in range(rng.randint(1, 4)):
                    pool = rng.choice((vocab.goals, vocab.targets, vocab.targets,
                                       vocab.indicators))
                    sdg = rng.choice(pool)
                    basis = rng.choice(BASES)
                    link = n(f"{practice.value}/sdg/{j}")
                    add(practice, sdgr + "sdgContribution", link)
                    add(link, RDF + "type", n(sdgr + "SDGContribution"))
                    add(link, sdgr + "sdg", n(sdg))
                    add(link, sdgr + "basis", n(sdgr + basis))
                    if basis == "StatedBySource":
                        quads.append(ox.Quad(link, source, n(f"https://example.org/{slug}"),
                                             graph))
                    elif basis == "CuratedByAgent":
                        add(link, PROV + "wasAttributedTo", n(f"{ID}agent/sdgraph"))
                        add(link, sdgr + "justification", lit("Because.", "en"))
                    else:
                        add(link, sdgr + "method", n(f"{ID}method/synthetic-1"))
                        add(link, sdgr + "score", lit(f"0.{rng.randint(10, 99)}",
                                                      datatype=XSD + "decimal"))
        files.append(LoadedFile(Path(f"{slug}.ttl"), graph.value, quads))
    for year in YEARS:
        graph = n(f"{GRAPH}data/contributions/synthetic/findings-{year}.ttl")
        quads = []
        edition = n(f"{ID}edition/{year}")
        for k in range(max(4, cities // 50)):
            item = n(f"{ID}finding/{year}-s{k}")
            quads += [ox.Quad(item, a, n(sdgr + rng.choice(KINDS)), graph),
                      ox.Quad(item, label, lit(f"Finding {year} {k}", "en"), graph),
                      ox.Quad(item, n(sdgr + "reportedIn"), edition, graph),
                      ox.Quad(item, n(DCT + "subject"), n(rng.choice(themes)), graph)]
        for goal in rng.sample(vocab.goals, 3):
            item = n(f"{ID}finding/{year}-share-{goal.rsplit('/', 1)[-1]}")
            quads += [ox.Quad(item, a, n(sdgr + "Statistic"), graph),
                      ox.Quad(item, n(sdgr + "reportedIn"), edition, graph),
                      ox.Quad(item, n(sdgr + "sdg"), n(goal), graph),
                      ox.Quad(item, n(sdgr + "share"), lit(f"0.{rng.randint(10, 90)}",
                                                            datatype=XSD + "decimal"), graph)]
        files.append(LoadedFile(Path(f"findings-{year}.ttl"), graph.value, quads))
    return files


def cities_for(triples: int) -> int:
    """Roughly how many synthetic cities make a graph of ``triples`` triples (calibrated)."""
    return max(10, int((triples - 8000) / 209))


def percentile(samples: list[float], q: float) -> float:
    if len(samples) == 1:
        return samples[0]
    return statistics.quantiles(samples, n=100, method="inclusive")[int(q) - 1]




def rdflib_dataset(store: ox.Store):
    """An rdflib Dataset with the same quads (no union default graph, like the server)."""
    import rdflib

    dataset = rdflib.Dataset(default_union=False)
    data = ox.serialize(store, format=ox.RdfFormat.N_QUADS)
    dataset.parse(data=data, format="nquads")
    return dataset


def _child(dataset, text: str, connection) -> None:
    started = time.perf_counter()
    try:
        list(dataset.query(text))
    except Exception as error:  # rdflib fails on some valid queries: report it, do not hang
        connection.send(f"{type(error).__name__}")
        return
    connection.send((time.perf_counter() - started) * 1000)


def timed_rdflib(dataset, text: str, runs: int, budget: float) -> list[float] | str:
    """Up to ``runs`` timings (ms) of the query on rdflib, each in a forked child that is
    stopped when the time left of ``budget`` seconds runs out (an rdflib query cannot be
    interrupted otherwise)."""
    context = multiprocessing.get_context("fork")
    samples: list[float] = []
    while len(samples) < runs:
        left = budget - sum(samples) / 1000
        if left <= 0:
            break
        receiver, sender = context.Pipe(duplex=False)
        child = context.Process(target=_child, args=(dataset, text, sender))
        child.start()
        if receiver.poll(left):
            answer = receiver.recv()
            child.join()
            if isinstance(answer, str):
                return answer
            samples.append(answer)
        else:
            child.kill()
            child.join()
            break
    return samples


def timed(query: SavedQuery, store: ox.Store, runs: int) -> tuple[list[float], list]:
    """``runs`` timings (ms) of ``query`` on ``store`` after one warm-up, and its rows."""
    rows = run_query(query, {}, store=store).rows  # warm-up
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        run_query(query, {}, store=store)
        samples.append((time.perf_counter() - started) * 1000)
    return samples, rows


def baseline_table(queries: list[SavedQuery], baseline: dict[str, SavedQuery], store: ox.Store,
                   runs: int, now: dict[str, float]) -> None:
    """Print the baseline version of each query beside the current one, on the same store."""
    print()
    print("| query | rows | baseline p50 ms | now p50 ms | baseline / now | same rows |")
    print("| --- | ---: | ---: | ---: | ---: | --- |")
    for query in queries:
        if query.name not in baseline:
            continue
        samples, rows = timed(baseline[query.name], store, runs)
        _, current_rows = timed(query, store, 0)
        before = percentile(samples, 50)
        same = "yes" if rows == current_rows else "NO"
        print(f"| {query.name} | {len(rows)} | {before:.1f} | {now[query.name]:.1f} | "
              f"{before / now[query.name]:.1f}× | {same} |", flush=True)


def on_disk_copy(store: ox.Store, folder: str, compacted: bool = True) -> ox.Store:
    """An on-disk copy of ``store`` in ``folder``, opened read-only as ``sdgraph query`` (and
    ``sdgraph serve --on-disk``) opens the built store; compacted as the build leaves it, or as
    written."""
    writer = ox.Store(folder)
    writer.bulk_extend(store)
    if compacted:
        seal(writer)
    else:
        writer.flush()
    del writer
    gc.collect()  # the store closes its files when collected
    return ox.Store.read_only(folder)


def on_disk_table(queries: list[SavedQuery], store: ox.Store, runs: int,
                  now: dict[str, float], compaction: bool = False) -> None:
    """The same queries on an on-disk copy of ``store``; with ``compaction``, also on a copy
    that was not compacted."""
    with tempfile.TemporaryDirectory(prefix="sdgraph-bench-store-") as folder:
        disk = on_disk_copy(store, folder + "/compacted")
        plain = on_disk_copy(store, folder + "/as-written", compacted=False) if compaction \
            else None
        print()
        print("On the on-disk store (RocksDB, compacted as `sdgraph build` leaves it, opened "
              "read-only as `sdgraph query` and `sdgraph serve --on-disk` open it):")
        print()
        extra = " not compacted p50 ms | not compacted / compacted |" if plain else ""
        print("| query | rows | on-disk p50 ms | p95 ms | in-memory p50 ms | "
              "on-disk / in-memory | same rows |" + extra)
        print("| --- | ---: | ---: | ---: | ---: | ---: | --- |"
              + (" ---: | ---: |" if plain else ""))
        for query in queries:
            samples, rows = timed(query, disk, runs)
            _, memory_rows = timed(query, store, 0)
            p50, p95 = percentile(samples, 50), percentile(samples, 95)
            same = "yes" if rows == memory_rows else "NO"
            cells = (f"| {query.name} | {len(rows)} | {p50:.1f} | {p95:.1f} | "
                     f"{now[query.name]:.1f} | {p50 / now[query.name]:.1f}× | {same} |")
            if plain is not None:
                before = percentile(timed(query, plain, runs)[0], 50)
                cells += f" {before:.1f} | {before / p50:.2f}× |"
            print(cells, flush=True)
        del disk, plain
        gc.collect()


def evaluation_only(text: str, store: ox.Store) -> int:
    """Run the query and step through its solutions without reading any term."""
    return sum(1 for _ in store.query(text, use_default_graph_as_union=False))


def term_by_term(text: str, store: ox.Store) -> tuple[list[str], list]:
    """The rows as ``run_on_store`` made them before it read the TSV results format: every term
    of every solution read by name and converted through Python objects."""
    solutions = store.query(text, use_default_graph_as_union=False)
    columns = [variable.value for variable in solutions.variables]
    return columns, [{c: json_term(s[c]) for c in columns if s[c] is not None}
                     for s in solutions]


def samples_of(action, runs: int) -> list[float]:
    action()  # warm-up
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def conversion_table(queries: list[SavedQuery], store: ox.Store, runs: int) -> None:
    """Where the time of each query goes: the evaluation alone, then the evaluation and the
    conversion of its rows term by term (the former way) or through the TSV results format."""
    print()
    print("| query | rows | evaluation only p50 ms | term by term p50 ms | through TSV p50 ms | "
          "term by term / TSV | same rows |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | --- |")
    for query in queries:
        text = bind(query, {})
        rows = evaluation_only(text, store)
        evaluation = percentile(samples_of(lambda t=text: evaluation_only(t, store), runs), 50)
        old = percentile(samples_of(lambda t=text: term_by_term(t, store), runs), 50)
        new = percentile(samples_of(lambda t=text: run_on_store(t, store), runs), 50)
        same = "yes" if term_by_term(text, store) == run_on_store(text, store) else "NO"
        print(f"| {query.name} | {rows} | {evaluation:.1f} | {old:.1f} | {new:.1f} | "
              f"{old / new:.1f}× | {same} |", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--runs", type=int, default=15, help="timed runs per query (pyoxigraph)")
    parser.add_argument("--rdflib-runs", type=int, default=5)
    parser.add_argument("--rdflib-budget", type=float, default=30.0,
                        help="seconds of rdflib time per query and size")
    parser.add_argument("--no-rdflib", action="store_true")
    parser.add_argument("--seed", type=int, default=20240)
    parser.add_argument("--baseline", type=Path, metavar="DIR",
                        help="folder of other versions of saved queries to time beside them")
    parser.add_argument("--disk-runs", type=int, default=5,
                        help="timed runs per query on the on-disk store (0: skip that table)")
    parser.add_argument("--compaction", action="store_true",
                        help="also time the on-disk store as written, before it is compacted")
    parser.add_argument("--conversion", action="store_true",
                        help="also time each query's evaluation alone and its rows converted "
                        "term by term, against the conversion through the TSV results format")
    args = parser.parse_args()

    project = Project(ROOT)
    queries = list_queries(project)
    baseline = {file.name: saved_query(file) for file in read_folder(args.baseline)} \
        if args.baseline else {}
    base = base_files(project)
    vocab = vocabulary(base)
    print(f"Machine: {describe_machine()}\n")
    previous: dict[str, float] = {}
    previous_size = 0
    for size in args.sizes:
        started = time.perf_counter()
        files = base + generate(vocab, cities_for(size), args.seed)
        store, reasoning = assemble(project, files)
        triples = len(store)
        print(f"## {triples:,} triples ({len(list(store.named_graphs())):,} named graphs, "
              f"{reasoning.added:,} inferred), generated and materialised in "
              f"{time.perf_counter() - started:.0f} s")
        started = time.perf_counter()
        summarised = reason.summarise(store, read_folder(project.summary_rules_dir))
        print(f"summary counts: {sum(summarised.values()):,} triples, computed again alone in "
              f"{time.perf_counter() - started:.1f} s")
        dataset = None
        if not args.no_rdflib:
            started = time.perf_counter()
            dataset = rdflib_dataset(store)
            print(f"rdflib Dataset loaded in {time.perf_counter() - started:.0f} s")
        print()
        print("| query | rows | oxigraph p50 ms | p95 ms | rdflib p50 ms | p95 ms | runs | "
              "rdflib / oxigraph |")
        print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        current: dict[str, float] = {}
        now: dict[str, float] = {}
        for query in queries:
            samples, rows = timed(query, store, args.runs)
            p50, p95 = percentile(samples, 50), percentile(samples, 95)
            now[query.name] = p50
            cells = [query.name, str(len(rows)), f"{p50:.1f}", f"{p95:.1f}"]
            if dataset is None:
                cells += ["", "", "", ""]
            else:
                text = bind(query, {})
                scale = size / previous_size if previous_size else 1
                estimate = previous.get(query.name, 0) / 1000 * scale
                if estimate > args.rdflib_budget:
                    cells += [f"skipped (about {estimate:.0f} s)", "", "", ""]
                else:
                    slow = timed_rdflib(dataset, text, args.rdflib_runs, args.rdflib_budget)
                    if isinstance(slow, str):
                        current[query.name] = args.rdflib_budget * 1000
                        cells += [f"error ({slow})", "", "0", ""]
                    elif not slow:
                        current[query.name] = args.rdflib_budget * 1000
                        cells += [f"> {args.rdflib_budget:.0f} s (stopped)", "", "0",
                                  f"> {args.rdflib_budget * 1000 / p50:.0f}×"]
                    else:
                        r50, r95 = percentile(slow, 50), percentile(slow, 95)
                        current[query.name] = r50
                        cells += [f"{r50:.0f}", f"{r95:.0f}", str(len(slow)),
                                  f"{r50 / p50:.0f}×"]
            print("| " + " | ".join(cells) + " |", flush=True)
        if args.disk_runs:
            on_disk_table(queries, store, args.disk_runs, now, args.compaction)
        if baseline:
            baseline_table(queries, baseline, store, args.runs, now)
        if args.conversion:
            conversion_table(queries, store, args.runs)
        previous, previous_size = current, size
        del store, dataset
        gc.collect()
        print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
