"""Where a project's files live: ontology, shapes, data, queries, rules, store and dumps.

A project is a folder with ``ontology/`` and ``data/`` (this repository is one). Every command
works on the project in the current folder unless ``--project`` names another.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .errors import EnvironmentNotReady
from .namespaces import GRAPH, VOCAB_GRAPH

#: Default location of the embedded store, relative to the project folder.
DEFAULT_STORE = Path(".sdgraph") / "store"
#: Default folder for the dumps that ``sdgraph build`` writes.
DEFAULT_DIST = Path("dist")
#: Where ``sdgraph vocab import`` keeps the imported vocabularies, so that builds keep them.
IMPORTS = Path(".sdgraph") / "imports"

RDF_SUFFIXES = {".ttl": "turtle", ".trig": "trig", ".nt": "nt", ".nq": "nquads"}


def rdf_files(folder: Path) -> list[Path]:
    """The RDF files under ``folder`` that go into the graph, sorted: those with a documented
    extension (:data:`RDF_SUFFIXES`), never a hidden file or a file in a hidden folder (an
    editor's swap file, a temporary file), whose name starts with a dot."""
    if not folder.is_dir():
        return []
    return sorted(path for path in folder.rglob("*")
                  if path.suffix in RDF_SUFFIXES and path.is_file()
                  and not any(part.startswith(".") for part in path.relative_to(folder).parts))


@dataclass(frozen=True)
class Project:
    """The folders of one sdgraph project."""

    root: Path

    @classmethod
    def find(cls, root: Path | str | None = None) -> Project:
        """The project at ``root`` (default: the current folder); fails clearly if it is none."""
        folder = Path(root or ".").resolve()
        if not (folder / "ontology").is_dir() or not (folder / "data").is_dir():
            raise EnvironmentNotReady(
                f"{folder} is not an sdgraph project (it has no ontology/ and data/ folders)",
                hint="run sdgraph from a clone of the sdgraph repository, or pass --project DIR",
            )
        return cls(folder)

    @property
    def ontology_dir(self) -> Path:
        return self.root / "ontology"

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def contributions_dir(self) -> Path:
        return self.data_dir / "contributions"

    @property
    def shapes_dir(self) -> Path:
        return self.root / "shapes"

    @property
    def queries_dir(self) -> Path:
        return self.root / "queries"

    @property
    def rules_dir(self) -> Path:
        return self.root / "rules"

    @property
    def summary_rules_dir(self) -> Path:
        """Rules run once after reasoning, each writing per-edition counts."""
        return self.rules_dir / "summaries"

    @property
    def store_path(self) -> Path:
        return self.root / DEFAULT_STORE

    @property
    def dist_dir(self) -> Path:
        return self.root / DEFAULT_DIST

    @property
    def imports_dir(self) -> Path:
        return self.root / IMPORTS

    def source_files(self) -> list[Path]:
        """Every RDF file that goes into the graph: ontology, data, then imported vocabularies."""
        files: list[Path] = []
        for folder in (self.ontology_dir, self.data_dir, self.imports_dir):
            files += rdf_files(folder)
        return files

    def graph_name(self, path: Path) -> str:
        """The named graph a source file is loaded into: its path below the project.

        An imported vocabulary keeps the graph it was imported into (``graph/vocab/NAME``).
        """
        resolved = path.resolve()
        if resolved.parent == self.imports_dir.resolve():
            return VOCAB_GRAPH + resolved.stem
        return GRAPH + resolved.relative_to(self.root).as_posix()
