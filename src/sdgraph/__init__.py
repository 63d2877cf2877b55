"""sdgraph: a linked-open-data knowledge graph of smart-city good practices and the UN SDGs.

The pipeline is load -> validate -> reason -> store -> query / publish, a module per stage:

* :mod:`sdgraph.load` reads RDF files into named graphs, with errors that name file and line;
* :mod:`sdgraph.reason` materialises the ontology's chains and checks consistency with HermiT;
* :mod:`sdgraph.store` keeps the embedded pyoxigraph store, swapped in whole;
* :mod:`sdgraph.publish` writes dumps;
* :mod:`sdgraph.build` runs them in order for a :class:`~sdgraph.project.Project`;
* :mod:`sdgraph.vocab` imports the UN SDG KOS dump.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("sdgraph-kg")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0"

from .build import BuildReport, build  # noqa: E402
from .project import Project  # noqa: E402
from .vocab import import_vocabulary  # noqa: E402

__all__ = ["BuildReport", "Project", "__version__", "build", "import_vocabulary"]
