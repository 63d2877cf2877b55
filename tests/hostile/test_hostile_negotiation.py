"""An Accept header whose q is not a qvalue (negative, above 1, not a number) does not make the
server send that type: the range is read as q=0, never dropped (which made the header accept
anything, HTML first)."""

from __future__ import annotations

import httpx
import pytest
from hostile_data import PRACTICE_PATH

from sdgraph.publish.negotiate import choose, preferred_language, qvalue

OFFERS = ["text/html", "text/turtle"]


@pytest.mark.parametrize("header,expected", [
    ("text/html;q=-1", None),
    ("text/html;q=2", None),
    ("text/html;q=1.5", None),
    ("text/html;q=high", None),
    ("text/html;q=nan", None),
    ("text/html;q=", None),
    ("*/*;q=-0.5", None),
    ("text/html;q=-1, text/turtle;q=0.1", "text/turtle"),
    ("text/html;q=-1, */*;q=0.5", "text/turtle"),
    ("text/html;q=0.001", "text/html"),
    ("text/html;q=1.000", "text/html"),
])
def test_an_invalid_q_accepts_nothing(header: str, expected: str | None) -> None:
    assert choose(header, OFFERS) == expected


def test_qvalue_grammar() -> None:
    assert [qvalue(v) for v in ("0", "0.5", "1", "1.0", " 0.25 ")] == [0, 0.5, 1, 1, 0.25]
    assert [qvalue(v) for v in ("-1", "2", "1.01", "0.1234", "inf", "1e0")] == [0] * 6


def test_an_invalid_q_in_accept_language_prefers_nothing() -> None:
    assert preferred_language("es;q=inf, en;q=0.5", ["en", "es"], "en") == "en"


@pytest.mark.parametrize("accept,status,media", [
    ("text/html;q=-1", 406, "text/plain"),
    ("text/html;q=7", 406, "text/plain"),
    ("text/html;q=junk", 406, "text/plain"),
    ("text/html;q=-1, text/turtle;q=0.2", 200, "text/turtle"),
])
def test_the_server_answers_an_invalid_q_without_html(hostile_server: str, accept: str,
                                                      status: int, media: str) -> None:
    response = httpx.get(hostile_server + PRACTICE_PATH, headers={"Accept": accept}, timeout=30)
    assert response.status_code == status
    assert response.headers["content-type"].split(";")[0] == media
