"""Lexical side of the SDG suggester: text normalisation, goal keywords and TF-IDF profiles.

Everything here is plain Python and numpy, and works the same for English, Spanish and French.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources

import numpy as np

__all__ = [
    "Keyword",
    "KeywordIndex",
    "TfidfProfiles",
    "LANGUAGES",
    "detect_language",
    "load_keywords",
    "normalize",
    "singular",
    "tokens",
]

_WORD_RE = re.compile(r"[a-z0-9&+]+")

# Function words removed before TF-IDF (the keyword matcher keeps them, since terms may use them).
_STOP_EN = """
a about above after again against all also am an and any are as at be because been before
being below between both but by can could did do does doing down during each few for from
further had has have having he her here hers him his how i if in into is it its itself just
may me might more most must my no nor not now of off on once only or other our ours out over
own per same shall she should so some such than that the their them then there these they
this those through to too under until up upon very was we were what when where which while
who whom why will with within without would you your yours by 2020 2025 2030 including
include includes among well new one two three use used proportion number total rate share
percentage level based least
"""
_STOP_ES = """
a al algo algun alguna algunas alguno algunos ante antes aqui asi aun bajo cada como con
contra cual cuales cuando de del desde donde dos durante e el ella ellas ellos en entre era
eran es esa esas ese eso esos esta estas este esto estos fue fueron ha han hasta hay la las
le les lo los mas me mi mientras muy ni no nos o otra otras otro otros para pero poco por
porque que quien quienes se sea segun ser si sin sobre su sus tambien tan tanto te tiene
tienen todo todos tras tu un una unas uno unos y ya aqui 2020 2025 2030 proporcion numero
total tasa porcentaje nivel incluidos incluidas particular medida
"""
_STOP_FR = """
a au aux avec ce ces cet cette dans de des du elle elles en entre est et eux il ils je la le
les leur leurs lui mais me meme mes moi mon ne nos notre nous on ou par pas pour qu que qui sa
se ses son sont sur ta te tes toi ton tous tout toute toutes tu un une vos votre vous y d l n
s c j m qu 2020 2025 2030 proportion nombre total taux pourcentage niveau compris notamment
afin ainsi dont sans sous plus ensemble
"""
_STOP = {"en": set(_STOP_EN.split()), "es": set(_STOP_ES.split()),
         "fr": set(_STOP_FR.split())}

LANGUAGES = ("en", "es", "fr")
"""Languages of the suggester's input: keywords, TF-IDF profiles and the evidence texts."""

# Function words frequent in one language and rare in the other two, for language detection.
_MARKERS = {
    "en": {"the", "and", "of", "for", "with", "to", "is", "are", "in", "their", "by"},
    "es": {"el", "los", "las", "y", "del", "para", "con", "que", "una", "por", "su"},
    "fr": {"le", "les", "et", "des", "du", "pour", "avec", "une", "aux", "au", "leur", "sur"},
}


def normalize(text: str) -> str:
    """Lower-case, strip accents, and turn hyphens and punctuation into spaces."""
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(_WORD_RE.findall(text))


def singular(word: str) -> str:
    """A crude singular (en/es/fr): drops a final ``s``/``es`` (``ies`` becomes ``y``)."""
    n = len(word)
    if n > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if n > 4 and word.endswith("es") and word[-3] not in "aeiou":
        return word[:-2]
    if n > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def tokens(text: str) -> list[str]:
    """Normalised words of ``text`` (see :func:`normalize`), not yet singularised."""
    return normalize(text).split()


def detect_language(text: str) -> str:
    """Guess ``"en"``, ``"es"`` or ``"fr"`` from common function words and accents."""
    words = tokens(text)
    low = text.lower()
    counts = {lang: sum(w in marks for w in words) for lang, marks in _MARKERS.items()}
    # Letters that only one of the two Romance languages uses break ties between them.
    shared = sum(w in {"la", "de"} for w in words) / 2
    counts["es"] += sum(ch in "ñ¿¡" for ch in low) + shared + words.count("en") / 2
    counts["fr"] += sum(ch in "èêàçùœâîû" for ch in low) + shared
    best = max(("en", "es", "fr"), key=lambda lang: counts[lang])
    return best if counts[best] > 0 else "en"


@dataclass(frozen=True)
class Keyword:
    """One keyword of a goal: its surface form, goal, language and weight."""

    term: str
    goal: int
    lang: str
    weight: float
    words: tuple[str, ...]  # normalised words; a word ending in "*" is a prefix
    target: str | None = None  # the target code, for a cue of a single target


def load_keywords(text: str | None = None, name: str = "keywords.txt") -> list[Keyword]:
    """Parse a keyword file (by default the packaged ``data/keywords.txt``).

    A section ``[11]`` holds cues of goal 11; a section ``[11.2]`` cues of target 11.2 (as in
    ``data/target-keywords.txt``), which are also cues of its goal.
    """
    if text is None:
        text = resources.files(__package__).joinpath(f"data/{name}").read_text("utf-8")
    out: list[Keyword] = []
    seen: set[tuple[int, str | None, str, tuple[str, ...]]] = set()
    goal = 0
    target: str | None = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            code = line[1:-1]
            goal = int(code.split(".")[0])
            target = code if "." in code else None
            continue
        lang, _, terms = line.partition(":")
        for term in terms.split(","):
            term = term.strip()
            if not term:
                continue
            weight = 2.0 if term.startswith("!") else 1.0
            surface = term.lstrip("!")
            star = surface.endswith("*")
            words = normalize(surface.rstrip("*")).split()
            if not words:
                continue
            words = [singular(w) for w in words[:-1]] + [
                words[-1] + "*" if star else singular(words[-1])
            ]
            key = (goal, target, lang.strip(), tuple(words))
            if key not in seen:
                seen.add(key)
                out.append(Keyword(surface, goal, lang.strip(), weight, tuple(words), target))
    return out


class KeywordIndex:
    """Finds the goal keywords that occur in a text."""

    def __init__(self, keywords: Iterable[Keyword]) -> None:
        self.keywords = list(keywords)
        self._exact: dict[tuple[str, str], list[Keyword]] = {}
        self._prefix: dict[tuple[str, str], list[Keyword]] = {}
        for kw in self.keywords:
            first = kw.words[0]
            if first.endswith("*"):
                self._prefix.setdefault((kw.lang, first[:3]), []).append(kw)
            else:
                self._exact.setdefault((kw.lang, first), []).append(kw)

    @staticmethod
    def _word_ok(pattern: str, raw: str, sing: str) -> bool:
        if pattern.endswith("*"):
            return raw.startswith(pattern[:-1])
        return sing == pattern

    def find(self, text: str, lang: str) -> list[Keyword]:
        """Distinct keywords of language ``lang`` found in ``text``, in order of appearance."""
        return [kw for kw, _ in self.matches(text, lang)]

    def matches(self, text: str, lang: str) -> list[tuple[Keyword, str]]:
        """Like :meth:`find`, with the (normalised) words of ``text`` that matched each keyword."""
        raw = tokens(text)
        sing = [singular(w) for w in raw]
        seen: dict[Keyword, str] = {}
        for i, (r, s) in enumerate(zip(raw, sing, strict=True)):
            cands = self._exact.get((lang, s), []) + self._prefix.get((lang, r[:3]), [])
            for kw in cands:
                if kw in seen or i + len(kw.words) > len(raw):
                    continue
                if all(
                    self._word_ok(p, raw[i + k], sing[i + k]) for k, p in enumerate(kw.words)
                ):
                    seen[kw] = " ".join(raw[i : i + len(kw.words)])
        return list(seen.items())

    def goal_scores(self, found: Sequence[Keyword]) -> np.ndarray:
        """Sum of keyword weights per goal (index 0 is goal 1)."""
        scores = np.zeros(17)
        for kw in found:
            scores[kw.goal - 1] += kw.weight
        return scores


class TfidfProfiles:
    """TF-IDF vectors of the UN texts of each goal, for lexical similarity to a new text.

    Each document is one UN text (goal title, target or indicator) in one language; a goal's
    profile is the normalised sum of its documents' normalised vectors.
    """

    def __init__(self, docs: Sequence[tuple[str, int, str]]) -> None:
        """``docs``: (text, goal number, language) triples."""
        bags = [Counter(self._terms(text, lang)) for text, _, lang in docs]
        df: Counter[str] = Counter()
        for bag in bags:
            df.update(bag.keys())
        self.vocab = {t: i for i, t in enumerate(sorted(df))}
        n = len(bags)
        self.idf = np.array([math.log((1 + n) / (1 + df[t])) + 1.0 for t in sorted(df)])
        self.goal_of_doc = np.array([g for _, g, _ in docs])
        mat = np.zeros((n, len(self.vocab)))
        for r, bag in enumerate(bags):
            for t, c in bag.items():
                mat[r, self.vocab[t]] = 1.0 + math.log(c)
        mat *= self.idf
        mat /= np.linalg.norm(mat, axis=1, keepdims=True) + 1e-12
        self.docs = mat
        prof = np.zeros((17, len(self.vocab)))
        for g in range(1, 18):
            prof[g - 1] = mat[self.goal_of_doc == g].sum(axis=0)
        prof /= np.linalg.norm(prof, axis=1, keepdims=True) + 1e-12
        self.profiles = prof

    @staticmethod
    def _terms(text: str, lang: str) -> list[str]:
        stop = _STOP.get(lang, set())
        return [singular(w) for w in tokens(text) if w not in stop and len(w) > 2]

    def vector(self, text: str, lang: str, ignore=None) -> np.ndarray:
        """Normalised TF-IDF vector of ``text`` over the UN vocabulary; ``ignore(word)`` true
        drops a word of the text (the words of a domain, for example)."""
        v = np.zeros(len(self.vocab))
        terms = self._terms(text, lang)
        if ignore is not None:
            terms = [t for t in terms if not ignore(t)]
        for t, c in Counter(terms).items():
            j = self.vocab.get(t)
            if j is not None:
                v[j] = 1.0 + math.log(c)
        v *= self.idf
        norm = np.linalg.norm(v)
        return v / norm if norm else v
