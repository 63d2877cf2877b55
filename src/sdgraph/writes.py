"""Every write to a project is one at a time, and all or nothing under a crash.

Three pieces, used by ``add``, ``build``, ``vocab import`` and ``release``:

* **The project lock** (:func:`project_lock`): ``fcntl.flock`` on ``.sdgraph/lock``. A second
  writer waits (saying so on stderr) up to ``--wait`` seconds, then gives up with
  :class:`ProjectBusy` (exit code 4) having changed nothing. The kernel drops the lock when its
  holder dies, even by ``kill -9``, so a crash never leaves the project locked.
* **The journal** (:func:`commit`): a write prepares everything aside (new store and dumps in
  staging folders, new files under ``.sdgraph/tmp/``), flushes it to disk, then writes
  ``.sdgraph/journal.json`` listing the steps that make it visible (renames, and the loading of
  one graph into the store in place), carries them out, and removes the journal. Each step can
  be done again without harm, so a write that dies after the journal is on disk is finished by
  the next write (roll forward); one that dies before it changed nothing visible.
* **Leftovers** (:func:`recover`): under the lock, before anything else, a write finishes an
  interrupted journal and removes the staging folders and temporary files that a crash left
  (``.sdgraph/.store.new-*``, ``.dist.new-*``, ``.sdgraph/tmp/``, ``*.old``...), and reports
  both.

The loader never reads a temporary file: they live outside ``data/``, and the loader skips
hidden files anyway (:func:`sdgraph.project.rdf_files`). The ``load`` step lets a later, in-place
``add`` (a pyoxigraph transaction instead of a copy of the store) use the same journal.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import re
import shutil
import sys
import tempfile
import time
import tomllib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from functools import cache
from pathlib import Path

from .errors import EXIT_BUSY, SdgraphError
from .project import Project

#: How long a writer waits for the lock by default (seconds): longer than a build of the
#: shipped project with the HermiT check on a slow machine.
DEFAULT_WAIT = 600.0
#: How often a waiting writer tries the lock again (seconds).
POLL = 0.1

#: Names of the files the old ``add`` and ``vocab import`` wrote beside their targets
#: (``tempfile.mkstemp(prefix=".NAME.")``): ``.NAME.XXXXXXXX.ttl`` and ``.NAME.nt.XXXXXXXX``.
OLD_TEMPORARY = re.compile(r"\..+\.[A-Za-z0-9_]{8}(\.ttl)?")

Notify = Callable[[str], None]
#: The keys of a journal step that hold paths.
PATH_KEYS = ("from", "to", "file", "store")


def to_stderr(message: str) -> None:
    """The default way a write tells the person what it waits for or what it cleaned up."""
    print(f"sdgraph: {message}", file=sys.stderr, flush=True)


@cache
def _messages() -> dict[str, dict[str, str]]:
    with (Path(__file__).with_name("writes.toml")).open("rb") as data:
        return tomllib.load(data)


def message(key: str, lang: str = "en", **values: object) -> str:
    """The text ``key`` of writes.toml in ``lang`` (English when there is none), filled in."""
    texts = _messages()[key]
    return texts.get(lang, texts["en"]).format(**values)


class ProjectBusy(SdgraphError):
    """Another process holds the project lock and did not let go in time."""

    exit_code = EXIT_BUSY


# --- the lock ---------------------------------------------------------------------------------
_held: dict[Path, int] = {}  # project root -> how many nested writes of this process hold it


def state_dir(project: Project) -> Path:
    """``.sdgraph/``, made if missing."""
    folder = project.root / ".sdgraph"
    folder.mkdir(exist_ok=True)
    return folder


def lock_path(project: Project) -> Path:
    return project.root / ".sdgraph" / "lock"


def holder(path: Path, lang: str) -> str:
    """Who holds the lock, as its holder wrote it into the lock file."""
    try:
        info = json.loads(path.read_text(encoding="utf-8"))
        return message("holder", lang, command=info["command"], pid=info["pid"],
                       since=info["since"])
    except (OSError, ValueError, KeyError, TypeError):
        return message("holder_unknown", lang)


@contextmanager
def project_lock(project: Project, command: str, wait: float = DEFAULT_WAIT,
                 lang: str = "en", notify: Notify = to_stderr) -> Iterator[list[str]]:
    """Hold the project's write lock for ``command`` (``add``, ``build``...).

    Waits up to ``wait`` seconds for another writer (0: not at all), telling ``notify`` once
    that it waits and for whom; then raises :class:`ProjectBusy`. Once held, an interrupted
    write is finished and crash leftovers are removed (see :func:`recover`); what was done is
    given to ``notify`` and yielded. Nested use in one process holds the one lock.
    """
    root = project.root.resolve()
    if _held.get(root):
        _held[root] += 1
        try:
            yield []
        finally:
            _held[root] -= 1
        return
    path = lock_path(project)
    state_dir(project)
    handle = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        acquire(handle, path, wait, lang, notify)
        os.ftruncate(handle, 0)
        os.pwrite(handle, json.dumps({"command": command, "pid": os.getpid(),
                                      "since": datetime.now().strftime("%H:%M:%S")}).encode(), 0)
        _held[root] = 1
        try:
            done = recover(project, lang)
            for line in done:
                notify(line)
            yield done
        finally:
            del _held[root]
            os.ftruncate(handle, 0)
    finally:
        os.close(handle)  # closing the descriptor lets go of the lock


def acquire(handle: int, path: Path, wait: float, lang: str, notify: Notify) -> None:
    """Take the lock on ``handle``, waiting up to ``wait`` seconds."""
    deadline = time.monotonic() + max(wait, 0.0)
    told = False
    while True:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except OSError as error:
            if error.errno not in (errno.EAGAIN, errno.EACCES):
                raise
        if time.monotonic() >= deadline:
            raise ProjectBusy(message("busy", lang, holder=holder(path, lang), path=path),
                              hint=message("busy_hint", lang, wait=f"{wait:g}"))
        if not told:
            notify(message("waiting", lang, holder=holder(path, lang), path=path,
                           wait=f"{wait:g}"))
            told = True
        time.sleep(POLL)


# --- the journal ------------------------------------------------------------------------------
def journal_path(project: Project) -> Path:
    return project.root / ".sdgraph" / "journal.json"


def scratch_dir(project: Project) -> Path:
    """``.sdgraph/tmp/``: where writes prepare files; emptied by the next write after a crash."""
    folder = state_dir(project) / "tmp"
    folder.mkdir(exist_ok=True)
    return folder


@contextmanager
def scratch(project: Project, name: str) -> Iterator[Path]:
    """A fresh folder under ``.sdgraph/tmp/``, removed at the end whatever happens."""
    folder = Path(tempfile.mkdtemp(prefix=f"{name}-", dir=scratch_dir(project)))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def sync_tree(path: Path) -> None:
    """Flush a file, or every file and folder under ``path``, to the disk (a power cut after
    the journal is written must not find the staged data half on disk)."""
    paths = [path] if path.is_file() else [path, *path.rglob("*")]
    for item in paths:
        flags = os.O_RDONLY | (os.O_DIRECTORY if item.is_dir() else 0)
        descriptor = os.open(item, flags)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def sync_folder(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def place(source: Path, target: Path) -> dict[str, str]:
    """A journal step: the file ``source`` takes the place of ``target`` (whose folder is
    made; an existing ``target`` is kept aside until the commit is done)."""
    return {"op": "place", "from": str(source), "to": str(target)}


def swap(source: Path, target: Path) -> dict[str, str]:
    """A journal step: the folder ``source`` takes the place of the folder ``target``."""
    return {"op": "swap", "from": str(source), "to": str(target)}


def load(file: Path, graph: str, store: Path) -> dict[str, str]:
    """A journal step: the RDF ``file`` becomes the named ``graph`` of the store at ``store``
    (in place, in one transaction per graph; a no-op when there is no store). It cannot be
    undone, so it comes last: the commit is then past its point of no return."""
    return {"op": "load", "file": str(file), "graph": graph, "store": str(store)}


def old_of(target: Path) -> Path:
    """Where a step keeps the ``target`` it replaces until the commit is done (hidden, so that
    the loader never reads it)."""
    return target.with_name(f".{target.name}.old")


def commit(project: Project, command: str, steps: list[dict[str, str]]) -> None:
    """Make a prepared write visible: flush what the steps move, write the journal, carry out
    the steps, remove the journal. Must be called under :func:`project_lock`.

    An error on the way (a failed rename, Ctrl-C) undoes the steps done, so that nothing
    changed; a crash leaves the journal, and the next write finishes the steps."""
    for step in steps:
        if step["op"] in ("place", "swap"):
            sync_tree(Path(step["from"]))  # fails (nothing done yet) if it was not prepared
    record = {"command": command, "started": datetime.now().strftime("%Y-%m-%d %H:%M:%S"),
              "steps": rebase(steps, lambda path: os.path.relpath(path, project.root))}
    journal = journal_path(project)
    aside = scratch_dir(project) / "journal.json"
    with aside.open("w", encoding="utf-8") as out:
        json.dump(record, out, indent=1)
        out.flush()
        os.fsync(out.fileno())
    os.replace(aside, journal)
    sync_folder(journal.parent)
    try:
        carry_out(steps)
    except BaseException:
        if not any(step["op"] == "load" for step in steps):
            undo(steps)
            journal.unlink()
        raise
    finish(steps)
    journal.unlink()
    sync_folder(journal.parent)


def rebase(steps: list[dict[str, str]], convert: Callable[[str], str]) -> list[dict[str, str]]:
    """The steps with their paths converted: the journal holds them relative to the project,
    so that a project moved (or mounted elsewhere) after a crash is still finished right."""
    return [{key: convert(value) if key in PATH_KEYS else value for key, value in step.items()}
            for step in steps]


def check_steps(steps: list[dict[str, str]], project: Project) -> None:
    """A journal's steps must be known operations on paths inside the project (a journal
    written by hand must not move files elsewhere); ValueError otherwise."""
    root = project.root.resolve()
    for step in steps:
        if step.get("op") not in ("place", "swap", "load"):
            raise ValueError(f"unknown step {step.get('op')!r}")
        for key in PATH_KEYS:
            if key in step and not Path(step[key]).resolve().is_relative_to(root):
                raise ValueError(f"a path outside the project: {step[key]}")


def carry_out(steps: list[dict[str, str]]) -> None:
    """Do each step of a journal; each can be done again after a crash part way through."""
    for step in steps:
        if step["op"] in ("place", "swap"):
            source, target = Path(step["from"]), Path(step["to"])
            if source.exists():
                old = old_of(target)
                target.parent.mkdir(parents=True, exist_ok=True)
                if target.exists():
                    remove(old)
                    target.rename(old)
                source.rename(target)
        elif step["op"] == "load":
            load_graph(Path(step["file"]), step["graph"], Path(step["store"]))


def undo(steps: list[dict[str, str]]) -> None:
    """Put back what :func:`carry_out` did of ``steps`` before it failed (in-process only:
    the old targets are still aside, since :func:`finish` has not run)."""
    for step in reversed(steps):
        if step["op"] not in ("place", "swap"):
            continue
        source, target = Path(step["from"]), Path(step["to"])
        old = old_of(target)
        if source.exists():  # not moved: at most the target went aside
            if old.exists() and not target.exists():
                old.rename(target)
            continue
        if target.exists():
            target.rename(source)
        if old.exists():
            old.rename(target)


def finish(steps: list[dict[str, str]]) -> None:
    """Remove the old targets once every step is done, and flush the folders' entries."""
    for step in steps:
        if step["op"] in ("place", "swap"):
            remove(old_of(Path(step["to"])))
            sync_folder(Path(step["to"]).parent)


def remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path)
    elif path.exists():
        path.unlink()


def load_graph(file: Path, graph: str, store_path: Path) -> None:
    """Replace the named ``graph`` of the store at ``store_path`` by the triples of ``file``."""
    import gc

    import pyoxigraph as ox

    from .load import FORMATS

    if not store_path.is_dir():
        return
    store = ox.Store(str(store_path))
    try:
        node = ox.NamedNode(graph)
        rdf_format = FORMATS.get(file.suffix.lower(), ox.RdfFormat.N_TRIPLES)
        with file.open("rb") as data:
            quads = [ox.Quad(q.subject, q.predicate, q.object, node)
                     for q in ox.parse(data, rdf_format)]
        store.remove_graph(node)
        store.extend(quads)
        store.flush()
    finally:
        del store
        gc.collect()  # the store closes its files when collected


def recover(project: Project, lang: str = "en") -> list[str]:
    """Finish a write that a crash interrupted after its journal, and remove what interrupted
    writes left behind; returns what was done, for people. Call under :func:`project_lock`."""
    done: list[str] = []
    journal = journal_path(project)
    if journal.exists():
        try:
            record = json.loads(journal.read_text(encoding="utf-8"))
            steps = rebase(record["steps"], lambda path: str(project.root / path))
            check_steps(steps, project)
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise SdgraphError(message("journal_unreadable", lang, path=journal, problem=error),
                               hint=message("journal_unreadable_hint", lang)) from error
        carry_out(steps)
        finish(steps)
        journal.unlink()
        done.append(message("finished", lang, command=record.get("command", "?"),
                            started=record.get("started", "?")))
    removed = [describe(path, project) for path in leftovers(project)]
    for path in leftovers(project):
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
    if removed:
        done.append(message("removed", lang, items=", ".join(removed)))
    return done


def leftovers(project: Project) -> list[Path]:
    """Staging folders and temporary files that only an interrupted write leaves behind."""
    state = project.root / ".sdgraph"
    found = [*project.root.glob(".dist.new-*"), *project.root.glob(".dist.old"),
             *state.glob(".store.new-*"), *state.glob(".store.old"),
             *(state / "tmp").glob("*"), *(project.root / "releases").glob(".*.new-*")]
    found += [path for path in (state / "imports").glob(".*") if OLD_TEMPORARY.fullmatch(path.name)]
    if project.contributions_dir.is_dir():
        found += [path for path in project.contributions_dir.rglob(".*.ttl")
                  if path.is_file() and OLD_TEMPORARY.fullmatch(path.name)]
    return sorted(found)


def describe(path: Path, project: Project) -> str:
    """A leftover for people: its place in the project and its size."""
    size = path.stat().st_size if path.is_file() else \
        sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
    return f"{path.relative_to(project.root)} ({human_size(size)})"


def human_size(size: float) -> str:
    """``size`` bytes as people write it: 512 B, 3.4 MB, 1.2 GB."""
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} GB"
