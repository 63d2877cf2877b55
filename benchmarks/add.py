"""How long `sdgraph add` takes to bring the store up to date for a large contribution: the
reasoning run in memory (as `add` does now) against the same reasoning run on the on-disk copy
of the store (as it did before), in the same process, on the same files.

    python benchmarks/add.py [--cities 1000]
"""

from __future__ import annotations

import argparse
import gc
import shutil
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))
sys.path.insert(0, str(HERE))

from machine import describe  # noqa: E402
from support import copy_project  # noqa: E402

from sdgraph import reason  # noqa: E402
from sdgraph.add import write_store_copy  # noqa: E402
from sdgraph.build import build  # noqa: E402
from sdgraph.load import parse_file  # noqa: E402
from sdgraph.sparql_files import read_folder  # noqa: E402

CITY = """city:benchtown{n} a sdgr:City ;
    rdfs:label "Benchtown {n}"@en ;
    sdgr:countryCode "ES" ;
    sdgr:wikidata <http://www.wikidata.org/entity/Q{q}> .
"""


def contribution(folder: Path, cities: int) -> Path:
    path = folder / "bench-cities.ttl"
    head = ("@prefix sdgr: <https://w3id.org/sdgraph/ontology#> .\n"
            "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
            "@prefix city: <https://w3id.org/sdgraph/id/city/> .\n")
    path.write_text(head + "".join(CITY.format(n=n, q=100000 + n) for n in range(cities)),
                    encoding="utf-8")
    return path


def on_disk_baseline(store_path: Path, staged: Path, files, rules, summary_rules) -> None:
    """The earlier way: copy the store's folder and reason on the on-disk copy."""
    shutil.rmtree(staged)
    shutil.copytree(store_path, staged)
    store = ox.Store(str(staged))
    for item in files:
        store.remove_graph(ox.NamedNode(item.graph))
        store.extend(item.quads)
    reason.materialise(store, rules)
    reason.summarise(store, summary_rules)
    store.flush()
    del store
    gc.collect()


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__)
    options.add_argument("--cities", type=int, default=1000)
    args = options.parse_args()
    with tempfile.TemporaryDirectory(prefix="sdgraph-bench-add-") as folder:
        project = copy_project(Path(folder) / "project")
        build(project, check_consistency=False, notify=lambda _: None)
        path = contribution(Path(folder), args.cities)
        loaded = [parse_file(path, project.graph_name(project.contributions_dir / "cities"
                                                      / path.name))]
        rules = read_folder(project.rules_dir)
        summaries = read_folder(project.summary_rules_dir)
        timings = {}
        for name, run in (("on-disk copy (before)", lambda staged: on_disk_baseline(
                              project.store_path, staged, loaded, rules, summaries)),
                          ("in memory (now)", lambda staged: write_store_copy(
                              project.store_path, staged, loaded, rules, summaries))):
            staged = Path(folder) / f"staged-{len(timings)}"
            staged.mkdir()
            started = time.perf_counter()
            run(staged)
            timings[name] = time.perf_counter() - started
        size = path.stat().st_size / 1024
        print(f"add of {args.cities} cities ({size:.0f} KB, {len(loaded[0])} triples); "
              f"{describe()}")
        print("| reasoning on | seconds |\n|---|---:|")
        for name, seconds in timings.items():
            print(f"| {name} | {seconds:.1f} |")


if __name__ == "__main__":
    main()
