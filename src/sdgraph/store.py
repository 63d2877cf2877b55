"""Store stage: the embedded pyoxigraph store on disk, built aside and swapped in whole.

A build writes a new store (and new dumps) into fresh folders next to the old ones and only
then renames them into place, so that a failed or interrupted build leaves the previous store
and dumps as they were.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox

from .errors import EnvironmentNotReady


def open_store(path: Path, read_only: bool = True, in_memory: bool = False) -> ox.Store:
    """Open the store built at ``path``; fails with a hint when there is none yet.

    ``in_memory`` gives a copy held in memory instead, for a long-running reader: pyoxigraph
    answers queries several times faster from memory than from the on-disk store.
    """
    if not path.is_dir():
        raise EnvironmentNotReady(f"no store at {path}", hint="run `sdgraph build` first")
    if in_memory:
        return memory_copy(ox.Store.read_only(str(path)))
    return ox.Store.read_only(str(path)) if read_only else ox.Store(str(path))


def memory_copy(store: ox.Store) -> ox.Store:
    """Every quad of ``store`` in a new in-memory store, blank nodes keeping their labels.

    (Quad by quad: an N-Quads dump read back would give the blank nodes new labels.)
    """
    copy = ox.Store()
    copy.extend(store.quads_for_pattern(None, None, None, None))
    return copy


def seal(store: ox.Store) -> None:
    """Write out and compact a store that will from now on be opened read-only.

    A read-only store is never compacted in the background, and a compacted one answers queries
    faster (1.28x, the geometric mean over the saved queries at 1M triples; see
    benchmarks/README.md).
    """
    store.flush()
    store.optimize()


def swap_in(new: Path, target: Path) -> None:
    """Replace ``target`` by ``new`` with renames, so that a reader never sees half of either."""
    swap_all([(new, target)])


def swap_all(pairs: list[tuple[Path, Path]]) -> None:
    """Replace each ``target`` by its ``new`` folder: all of them, or (on an error) none.

    Each target is renamed aside before its new folder takes its place; the old ones are removed
    only once every new one is in place, and an error on the way puts every renamed folder back.
    """
    aside: list[tuple[Path, Path]] = []  # (target, where the old one waits)
    placed: list[tuple[Path, Path]] = []  # (target, where its new folder came from)
    try:
        for new, target in pairs:
            old = target.with_name(f".{target.name}.old")
            if old.exists():
                shutil.rmtree(old)
            if target.exists():
                target.rename(old)
                aside.append((target, old))
            new.rename(target)
            placed.append((target, new))
    except BaseException:
        for target, new in reversed(placed):
            target.rename(new)
        for target, old in reversed(aside):
            old.rename(target)
        raise
    for _, old in aside:
        shutil.rmtree(old)


@contextmanager
def staging(target: Path) -> Iterator[Path]:
    """A fresh folder beside ``target``; removed unless the caller swapped it into place."""
    target.parent.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix=f".{target.name}.new-", dir=target.parent))
    folder.chmod(0o755)  # mkdtemp makes it private; the store and dumps are for everyone
    try:
        yield folder
    finally:
        if folder.exists():
            shutil.rmtree(folder, ignore_errors=True)


def named_graphs(store: ox.Store) -> list[str]:
    """The names of the store's named graphs, sorted."""
    return sorted(g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode))
