"""Throughput and latency of `sdgraph serve` over HTTP on loopback.

Builds a copy of the project in a temporary folder, starts `sdgraph serve` in its own process on
a free loopback port, and drives it from this process with concurrent keep-alive clients
(threads, one connection each). Each scenario is bounded in requests and in seconds. The floor
scenario (an empty 204 answer) is the baseline: what the stack costs with no work, measured in
the same run, so that the ratio says how much of it the graph takes.

    python benchmarks/serve.py                        # every scenario, 8 clients
    python benchmarks/serve.py --requests 3000 --seconds 10 --clients 16
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

from machine import describe as describe_machine

ROOT = Path(__file__).resolve().parents[1]
FOLDERS = ("ontology", "data", "rules", "queries", "shapes")
sys.path.insert(0, str(ROOT / "src"))

from sdgraph.project import Project  # noqa: E402
from sdgraph.query import bind, load_query  # noqa: E402

SAVED_TEXT = bind(load_query(Project(ROOT), "practices-for-sdg"), {"sdg": "11"})
SELECT = ("PREFIX sdgr: <https://w3id.org/sdgraph/ontology#> SELECT ?p ?g WHERE "
          "{ ?p a sdgr:Practice ; sdgr:contributesToGoal ?g } LIMIT 50")

#: name -> (path, Accept header)
SCENARIOS = {
    "floor (empty 204)": ("/favicon.ico", "*/*"),
    "resource as Turtle": ("/id/practice/bilbaoaccess", "text/turtle"),
    "resource as JSON-LD": ("/id/practice/bilbaoaccess", "application/ld+json"),
    "resource as HTML": ("/id/practice/bilbaoaccess", "text/html"),
    "saved query (JSON)": ("/queries/practices-for-sdg?sdg=11",
                           "application/sparql-results+json"),
    "SPARQL SELECT (JSON)": ("/sparql?" + urllib.parse.urlencode({"query": SELECT}),
                             "application/sparql-results+json"),
    # A comment that changes with every request makes each query new to the answer cache.
    "saved query text, uncached": (lambda i: "/sparql?" + urllib.parse.urlencode(
        {"query": f"# request {i}\n" + SAVED_TEXT}), "application/sparql-results+json"),
    "SPARQL SELECT, uncached": (lambda i: "/sparql?" + urllib.parse.urlencode(
        {"query": f"# request {i}\n" + SELECT}), "application/sparql-results+json"),
}


SEQUENCE = itertools.count()  # numbers requests across scenarios, so that none repeats


@dataclass
class Result:
    name: str
    requests: int
    errors: int
    seconds: float
    latencies: list[float]

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] * 1000


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(project: Path, port: int) -> subprocess.Popen:
    process = subprocess.Popen(
        [sys.executable, "-m", "sdgraph", "--project", str(project), "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/sparql?query=ASK%7B%7D")
            if connection.getresponse().status == 200:
                return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("the server did not start")


def drive(port: int, name: str, path, accept: str, requests: int, seconds: float,
          clients: int) -> Result:
    """``requests`` GETs at most, for ``seconds`` at most, from ``clients`` threads."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    budget = [requests]
    deadline = time.monotonic() + seconds

    def client() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine: list[float] = []
        while time.monotonic() < deadline:
            with lock:
                if budget[0] <= 0:
                    break
                budget[0] -= 1
                number = next(SEQUENCE)
            start = time.perf_counter()
            target = path(number) if callable(path) else path
            connection.request("GET", target, headers={"Accept": accept})
            response = connection.getresponse()
            response.read()
            mine.append(time.perf_counter() - start)
            if response.status != 200 and not (response.status == 204 and "204" in name):
                errors[0] += 1
        connection.close()
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return Result(name, len(latencies), errors[0], time.perf_counter() - began, latencies)




def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=5000, help="per scenario (default 5000)")
    parser.add_argument("--seconds", type=float, default=15, help="per scenario (default 15)")
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients (default 8)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="sdgraph-bench-") as folder:
        project = Path(folder)
        for name in FOLDERS:
            if (ROOT / name).is_dir():
                shutil.copytree(ROOT / name, project / name)
        subprocess.run([sys.executable, "-m", "sdgraph", "--project", str(project), "build",
                        "--no-consistency-check"], check=True, stdout=subprocess.DEVNULL)
        port = free_port()
        server = start_server(project, port)
        try:
            results = []
            for name, (path, accept) in SCENARIOS.items():
                drive(port, name, path, accept, 200, 5, args.clients)  # warm the caches
                results.append(drive(port, name, path, accept, args.requests, args.seconds,
                                     args.clients))
        finally:
            server.terminate()
            server.wait(10)
    floor = results[0].rate
    print(f"Machine: {describe_machine()}")
    print(f"Clients: {args.clients} keep-alive connections (threads) in a separate process; "
          f"at most {args.requests} requests or {args.seconds:g} s per scenario.\n")
    print("| scenario | requests | errors | req/s | p50 ms | p99 ms | vs floor |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for result in results:
        print(f"| {result.name} | {result.requests} | {result.errors} | {result.rate:,.0f} | "
              f"{result.percentile(50):.1f} | {result.percentile(99):.1f} | "
              f"{result.rate / floor:.2f} |")


if __name__ == "__main__":
    main()
