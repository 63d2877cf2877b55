"""`sdgraph query`'s table for a terminal: a label holding terminal control sequences (ESC
codes that clear the screen or retitle the window) is shown, not obeyed."""

from __future__ import annotations

from sdgraph.query import ResultTable


def test_control_characters_never_reach_the_terminal() -> None:
    hostile = "Evil\x1b[2J\x1b]0;owned\x07town\x9b31m"
    table = ResultTable(["label"], [{"label": {"type": "literal", "value": hostile}}])
    text = table.to_table()
    assert "\x1b" not in text and "\x07" not in text and "\x9b" not in text
    assert "Evil\ufffd[2J\ufffd]0;owned\ufffdtown\ufffd31m" in text
