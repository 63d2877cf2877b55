"""Query stage: saved SPARQL queries with typed parameters, run on the store or an endpoint.

A saved query is a ``queries/NAME.rq`` file whose header (see :mod:`sdgraph.sparql_files`) gives
its title and description in English and Spanish, its parameters and its result columns::

    # title@en: Practices per SDG goal
    # param: edition | edition | | Only this edition (default: every edition) | Solo esta edición
    # column: goal | Goal | Objetivo
    SELECT ... WHERE {
      VALUES ?edition { UNDEF }
      ...
    }

A parameter is bound where the query text says so: in every single-variable ``VALUES ?name
{ ... }`` block of the query. The file runs as it is in any SPARQL tool (with the values its
VALUES blocks hold); :func:`bind` replaces the content of those blocks by one RDF term built from
the validated, typed value, or by ``UNDEF`` when the parameter is left open. A value is never
pasted into the query as text: it becomes a term first (an IRI that passed the IRI grammar, a
literal escaped by pyoxigraph), and the result is checked to be exactly one term.

Queries read the named graphs with ``GRAPH ?g { ... }`` patterns, one per triple pattern, so that
they give the same answers on the embedded store (queried without a union default graph) and on

Modules: :mod:`.saved` (the file model), :mod:`.params` (parameter values and binding),
:mod:`.results` (tables and result formats), :mod:`.run` (running on a store or an endpoint).
"""

from .params import (
    BASES,
    GOAL,
    INDICATOR,
    IRI_CHARS,
    PARAM_TYPES,
    SLUG,
    TARGET,
    bind,
    names_graphs,
    parse_value,
    values_blocks,
)
from .results import ResultTable, expand_iri, normalise_json_term, short_iri, table_namespaces
from .run import (
    MAX_ROWS_HEADER,
    RESOURCE_TYPES,
    SDG_HINT,
    TRUNCATED_HEADER,
    WHERE_TO_LOOK,
    check_endpoint_url,
    endpoint_refusal,
    refuse_cut_answer,
    refuse_values_naming_nothing,
    run_on_endpoint,
    run_on_store,
    run_query,
    values_naming_nothing,
)
from .saved import (
    LANGUAGES,
    Column,
    Param,
    SavedQuery,
    list_queries,
    load_query,
    load_saved_query,
    saved_query,
)

__all__ = [
    "BASES", "GOAL", "INDICATOR", "IRI_CHARS", "LANGUAGES", "MAX_ROWS_HEADER", "PARAM_TYPES",
    "RESOURCE_TYPES", "SDG_HINT", "SLUG", "TARGET", "TRUNCATED_HEADER", "WHERE_TO_LOOK",
    "Column", "Param", "ResultTable", "SavedQuery", "bind", "check_endpoint_url",
    "endpoint_refusal", "expand_iri", "list_queries", "load_query", "load_saved_query",
    "names_graphs", "normalise_json_term", "parse_value", "refuse_cut_answer",
    "refuse_values_naming_nothing", "run_on_endpoint", "run_on_store", "run_query",
    "saved_query", "short_iri", "table_namespaces", "values_blocks", "values_naming_nothing",
]
