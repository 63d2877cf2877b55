"""SDG link suggestions: propose UN Sustainable Development Goals and targets for a text.

Offline, on the CPU, for English and Spanish.  Typical use::

    from sdgraph.suggest import Suggester, suggestions_to_turtle

    sug = Suggester.from_store(store)            # UN SDG KOS imported with `sdgraph vocab import`
    for s in sug.suggest("Free public wifi and digital skills courses for elderly residents"):
        print(s.code, s.label, s.score, s.explain())

    ttl = suggestions_to_turtle(practice_iri, sug.suggest(text, level="target"))

See ``docs/suggest.md`` for the method and its benchmark numbers.
"""

from __future__ import annotations

from .lexicon import detect_language
from .model import FEATURES, METHOD_VERSION, Encoder, Suggester, Suggestion, UseEncoder
from .texts import (
    SDG_NS,
    VOCAB_GRAPH,
    SdgConcept,
    SdgTexts,
    load_sdg_texts,
    load_sdg_texts_from_file,
)
from .turtle import METHOD_IRI, METHOD_TURTLE, suggestions_to_turtle

__all__ = [
    "FEATURES",
    "METHOD_IRI",
    "METHOD_TURTLE",
    "METHOD_VERSION",
    "SDG_NS",
    "VOCAB_GRAPH",
    "Encoder",
    "SdgConcept",
    "SdgTexts",
    "Suggester",
    "Suggestion",
    "UseEncoder",
    "detect_language",
    "load_sdg_texts",
    "load_sdg_texts_from_file",
    "suggest",
    "suggestions_to_turtle",
]

_default: Suggester | None = None


def suggest(
    text: str,
    level: str = "goal",
    top: int = 5,
    lang: str | None = None,
    *,
    store=None,
    graph: str | None = VOCAB_GRAPH,
    kos_path=None,
) -> list[Suggestion]:
    """Suggest goals (or targets, with ``level="target"``) for ``text``.

    The UN texts come from ``store`` (named graph ``graph``) or from the Turtle file
    ``kos_path``; the suggester built on the first call is kept and reused by later calls
    that give neither.

    Args:
        text: practice description in English or Spanish.
        level: ``"goal"`` or ``"target"``.
        top: number of suggestions.
        lang: ``"en"`` or ``"es"``; detected when ``None``.
        store: pyoxigraph store holding the UN SDG KOS.
        graph: named graph of the KOS in ``store``; ``None`` for all graphs.
        kos_path: path of a UN SDG KOS Turtle dump, instead of ``store``.

    Raises:
        ValueError: when no source of UN texts was given and none was given before.
    """
    global _default
    if store is not None:
        _default = Suggester.from_store(store, graph)
    elif kos_path is not None:
        _default = Suggester.from_file(kos_path)
    elif _default is None:
        raise ValueError(
            "no UN SDG texts: pass store= (after `sdgraph vocab import`) or kos_path="
        )
    return _default.suggest(text, level=level, top=top, lang=lang)  # type: ignore[arg-type]
