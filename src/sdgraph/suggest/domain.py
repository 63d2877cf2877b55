"""The domain of the texts: in the ``"city"`` domain, words that every city practice uses are
no evidence of a goal, and each goal has a prior taken from content-free city sentences.

The terms and sentences are data (``data/city-domain.txt``); see ``docs/suggest.md``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources

from .lexicon import Keyword, load_keywords

__all__ = ["DOMAINS", "Domain", "load_domain"]

DOMAINS = ("general", "city")
"""Domains the suggester knows: ``"general"`` (any text) and ``"city"`` (city practices)."""


@dataclass(frozen=True)
class Domain:
    """Generic words of a domain (per language) and its content-free example sentences."""

    name: str
    terms: dict[str, list[tuple[str, ...]]] = field(default_factory=dict)
    neutral: list[tuple[str, str]] = field(default_factory=list)  # (language, sentence)
    prior_strength: float = 1.0
    score_shift: float = 0.0  # added to every goal's logit: the domain's own calibration

    def covers_word(self, lang: str, word: str) -> bool:
        """True when ``word`` (normalised, singular; may end in ``*``) is a generic word."""
        stem = word.rstrip("*")
        for words in self.terms.get(lang, ()):
            if len(words) != 1:
                continue
            d = words[0]
            if d == word or (d.endswith("*") and stem.startswith(d[:-1])):
                return True
        return False

    def covers(self, kw: Keyword) -> bool:
        """True when a keyword says nothing more than the domain: every word of it is a
        generic word, or it is one of the domain's terms of several words."""
        if kw.words in self.terms.get(kw.lang, ()):
            return True
        return all(self.covers_word(kw.lang, w) for w in kw.words)

    def keep(self, keywords: Iterable[Keyword]) -> list[Keyword]:
        """The keywords that are evidence in this domain."""
        return [kw for kw in keywords if not self.covers(kw)]


def load_domain(name: str) -> Domain:
    """The domain ``name`` (one of :data:`DOMAINS`); ``"general"`` has no terms.

    Raises:
        ValueError: for an unknown domain.
    """
    if name not in DOMAINS:
        raise ValueError(f"unknown domain {name!r}: use one of {', '.join(DOMAINS)}")
    if name == "general":
        return Domain(name)
    text = resources.files(__package__).joinpath(f"data/{name}-domain.txt").read_text("utf-8")
    neutral: list[tuple[str, str]] = []
    term_lines = []
    strength, shift = 1.0, 0.0
    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("prior strength:"):
            strength = float(line.partition(":")[2])
        elif line.startswith("score shift:"):
            shift = float(line.partition(":")[2])
        elif line.startswith("neutral "):
            head, _, sentence = line.partition(":")
            neutral.append((head.split()[1], sentence.strip()))
        elif line and not line.startswith("#"):
            term_lines.append(line)
    terms: dict[str, list[tuple[str, ...]]] = {}
    for kw in load_keywords("[0]\n" + "\n".join(term_lines)):
        terms.setdefault(kw.lang, []).append(kw.words)
    return Domain(name, terms, neutral, strength, shift)
