"""Suggestions into the graph: the practices without an SDG link, their suggested links, and the
review that turns an accepted suggestion into a curated link."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph as ox

from .lexicon import detect_language
from .model import Suggester, Suggestion
from .practice import practice_text
from .turtle import METHOD_IRI

__all__ = ["PracticeSuggestions", "method_defined", "suggest_unlinked", "unlinked_practices"]

SDGR = "https://w3id.org/sdgraph/ontology#"
_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")

_UNLINKED = f"""
SELECT DISTINCT ?practice WHERE {{
  GRAPH ?g {{ ?practice a <{SDGR}Practice> }}
  FILTER NOT EXISTS {{ GRAPH ?h {{ ?practice <{SDGR}sdgContribution> ?any }} }}
}} ORDER BY STR(?practice)
"""


@dataclass(frozen=True)
class PracticeSuggestions:
    """The suggested goals and targets of one practice, and the language of its text."""

    practice: str
    lang: str
    suggestions: list[Suggestion]


def unlinked_practices(store: ox.Store) -> list[str]:
    """IRIs of the practices that have no SDG contribution at all (none stated, curated or
    suggested), in IRI order."""
    return [row["practice"].value for row in store.query(_UNLINKED)]


def method_defined(store: ox.Store) -> bool:
    """True when a graph of the store already describes this version of the method."""
    node = ox.NamedNode(METHOD_IRI)
    return any(store.quads_for_pattern(node, _TYPE, None, None))


def suggest_unlinked(
    store: ox.Store, suggester: Suggester, goals: int = 3, min_score: float = 0.0,
    lang: str | None = None, practices: Iterable[str] | None = None,
) -> list[PracticeSuggestions]:
    """For each practice without a link: its ``goals`` best goals, each followed by its best
    target, dropping those below ``min_score``.

    Args:
        store: the built store.
        suggester: the suggester (the ``"city"`` domain for practices).
        goals: how many goals per practice.
        min_score: the lowest score kept.
        lang: language of the practice text to read and of the evidence (default: English
            where the practice has it, else any, and the language detected from it).
        practices: the practices (default: :func:`unlinked_practices`).
    """
    out = []
    for iri in practices if practices is not None else unlinked_practices(store):
        text = practice_text(store, iri, lang)
        if not text.strip():
            continue
        text_lang = lang or detect_language(text)
        ranked = suggester.suggest(text, level="goal", top=goals, lang=text_lang,
                                   min_score=min_score)
        targets = suggester.suggest(text, level="target", top=200, lang=text_lang)
        chosen: list[Suggestion] = []
        for goal in ranked:
            chosen.append(goal)
            best = next((t for t in targets if t.code.split(".")[0] == goal.code), None)
            if best is not None and best.score >= min_score:
                chosen.append(best)
        if chosen:
            out.append(PracticeSuggestions(iri, text_lang, chosen))
    return out
