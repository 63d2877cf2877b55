"""Benchmark `sdgraph validate` against a plain rdflib-parse + pySHACL baseline.

A seeded generator writes a synthetic contribution of N practices (cities, practices, and an
SDG contribution for every other practice: about 10 triples per practice), with seeded
mistakes (a start year after the edition, an unknown SDG code, a misspelt property). Each
measurement runs in a fresh process, so that peak memory (max RSS) is its own. Both sides must
give the same verdict and the same number of violations on the contributed nodes.

    python benchmarks/validate.py --sizes 1000,10000,100000 --baseline-cap 300
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from machine import describe as describe_machine

REPO = Path(__file__).resolve().parents[1]
HEADER = """@prefix sdgr: <https://w3id.org/sdgraph/ontology#> .
@prefix sdg: <http://metadata.un.org/sdg/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix city: <https://w3id.org/sdgraph/id/city/> .
@prefix practice: <https://w3id.org/sdgraph/id/practice/> .
@prefix edition: <https://w3id.org/sdgraph/id/edition/> .
@prefix a2023: <https://w3id.org/sdgraph/id/axes/2023/> .
"""
AXES = ["smart-economy", "new-mobility", "environment", "digital-citizenship",
        "quality-of-life", "smart-governance"]
TARGETS = ["11.1", "11.2", "11.3", "11.6", "9.c", "16.6", "C110201"]
MISTAKE_RATE = 0.001


def generate(practices: int, path: Path, seed: int = 42) -> int:
    """Write the synthetic contribution; return the number of seeded mistakes."""
    rnd = random.Random(seed)
    cities = max(1, practices // 100)
    mistakes = 0
    with path.open("w", encoding="utf-8") as out:
        out.write(HEADER)
        for c in range(cities):
            out.write(f'city:bench-{c} a sdgr:City ; rdfs:label "Bench city {c}"@en ; '
                      f'sdgr:countryCode "ES" ; '
                      f'sdgr:wikidata <http://www.wikidata.org/entity/Q{100000 + c}> .\n')
        for i in range(practices):
            mistake = rnd.random() < MISTAKE_RATE
            kind = rnd.randrange(3) if mistake else -1
            mistakes += mistake
            start = "2030" if kind == 0 else str(rnd.randint(2015, 2024))
            extra = ' dct:descripton "typo"@en ;' if kind == 2 else ""
            out.write(f'practice:bench-{i} a sdgr:Practice ; rdfs:label "Practice {i}"@en ; '
                      f"sdgr:city city:bench-{rnd.randrange(cities)} ; "
                      f"sdgr:reportedIn edition:2023 ; sdgr:axis a2023:{rnd.choice(AXES)} ; "
                      f'sdgr:startYear "{start}"^^xsd:gYear ;{extra} '
                      f"sdgr:certainty sdgr:Confirmed ; "
                      f"dct:source <https://example.org/practice/{i}>")
            if i % 2 == 0 or kind == 1:
                code = "18" if kind == 1 else rnd.choice(TARGETS)
                node = f"<https://w3id.org/sdgraph/id/practice/bench-{i}/sdg/{code}>"
                out.write(f" ; sdgr:sdgContribution {node} .\n{node} a sdgr:SDGContribution ; "
                          f"sdgr:sdg sdg:{code} ; sdgr:basis sdgr:CuratedByAgent ; "
                          f"prov:wasAttributedTo <https://w3id.org/sdgraph/id/agent/sdgraph> ; "
                          f'sdgr:justification "Seeded."@en .\n')
            else:
                out.write(" .\n")
    return mistakes


# --- the two sides, each run in a child process -------------------------------------------------
def run_sdgraph(path: Path, workers: int | None = None) -> dict:
    from sdgraph.project import Project
    from sdgraph.validate import validate_files

    report = validate_files(Project.find(REPO), [path], workers=workers)
    return {"conforms": report.conforms, "violations": len(report.violations),
            "triples": None}


def run_baseline(path: Path) -> dict:
    """What one would write without sdgraph: parse everything with rdflib, run pySHACL."""
    from pyshacl import validate
    from rdflib import Graph, URIRef
    from rdflib.namespace import SH

    from sdgraph.project import Project

    project = Project.find(REPO)
    data = Graph()
    for source in project.source_files():
        data.parse(source)
    contribution = Graph().parse(path)
    focus = {s for s in contribution.subjects() if isinstance(s, URIRef)}
    data += contribution
    shapes = Graph()
    for shape_file in sorted(project.shapes_dir.glob("*.ttl")):
        shapes.parse(shape_file)
    _, report, _ = validate(data, shacl_graph=shapes, inference="none", allow_warnings=True)
    violations = [r for r in report.objects(None, SH.result)
                  if report.value(r, SH.resultSeverity) == SH.Violation
                  and report.value(r, SH.focusNode) in focus]
    return {"conforms": not violations, "violations": len(violations),
            "triples": len(contribution)}


def child(side: str, path: Path) -> None:
    start = time.perf_counter()
    if side == "baseline":
        result = run_baseline(path)
    else:
        result = run_sdgraph(path, 1 if side == "sdgraph-1" else None)
    result["seconds"] = time.perf_counter() - start
    result["peak_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result))


def measure(side: str, path: Path, timeout: float | None) -> dict | None:
    command = [sys.executable, __file__, "--child", side, str(path)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout,
                              check=True)
    except subprocess.TimeoutExpired:
        return None
    return json.loads(done.stdout.strip().splitlines()[-1])




def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000,100000",
                        help="practices per contribution, comma-separated")
    parser.add_argument("--baseline-cap", type=float, default=300.0,
                        help="seconds the baseline may take for one size (default: 300)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--child", nargs=2, metavar=("SIDE", "FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], Path(args.child[1]))
        return
    print(f"Machine: {describe_machine()}")
    print("| practices | triples | seeded mistakes | sdgraph validate | peak | one thread | "
          "rdflib + pySHACL | peak | ratio | same verdict and count |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    skip_reason = None
    last: tuple[int, float] | None = None
    with tempfile.TemporaryDirectory(prefix="sdgraph-bench-") as folder:
        for size in (int(s) for s in args.sizes.split(",")):
            path = Path(folder) / f"bench-{size}.ttl"
            mistakes = generate(size, path, args.seed)
            import pyoxigraph as ox
            triples = sum(1 for _ in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
            fast = measure("sdgraph", path, None)
            alone = measure("sdgraph-1", path, None)
            assert fast is not None and alone is not None
            assert (alone["conforms"], alone["violations"]) == \
                (fast["conforms"], fast["violations"])
            if last and last[1] * size / last[0] > args.baseline_cap:
                skip_reason = (f"skipped: {last[1]:.0f} s at {last[0]} practices projects "
                               f"past the {args.baseline_cap:.0f} s cap")
            base = None if skip_reason else measure("baseline", path, args.baseline_cap)
            if base is None and not skip_reason:
                skip_reason = f"skipped: over the {args.baseline_cap:.0f} s cap"
            if base:
                last = (size, base["seconds"])
                same = (base["conforms"] == fast["conforms"]
                        and base["violations"] == fast["violations"])
                print(f"| {size:,} | {triples:,} | {mistakes} | {fast['seconds']:.2f} s | "
                      f"{fast['peak_mib']:.0f} MiB | {alone['seconds']:.2f} s | "
                      f"{base['seconds']:.2f} s | "
                      f"{base['peak_mib']:.0f} MiB | {base['seconds'] / fast['seconds']:.1f}x | "
                      f"{'yes' if same else 'NO'} ({fast['violations']} / "
                      f"{base['violations']}) |", flush=True)
            else:
                print(f"| {size:,} | {triples:,} | {mistakes} | {fast['seconds']:.2f} s | "
                      f"{fast['peak_mib']:.0f} MiB | {alone['seconds']:.2f} s | "
                      f"{skip_reason} | | | "
                      f"({fast['violations']} violations) |", flush=True)


if __name__ == "__main__":
    main()
