"""Scores of the SDG suggester on the project's city-practice development set.

``city-practices-dev.jsonl`` (provenance in ``city-practices-dev.md``) holds practice
descriptions with the goals and targets a person would link them to.  Measures: goal top-1
(the first suggested goal is one of the row's goals), goal top-3 (the row's main goal is among
the first three), target top-3 (one of the row's targets is among the first three suggested
targets), per split (``dev``, ``heldout``), per language and per main goal.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

DEVSET = Path(__file__).resolve().parent / "city-practices-dev.jsonl"


def load_devset(path: Path = DEVSET) -> list[dict]:
    """The rows of the development set."""
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def score_rows(suggester, rows: list[dict]) -> list[dict]:
    """One result per row: top-1 and top-3 goal hits, target top-3 hit, and what was ranked."""
    texts = [r["text"] for r in rows]
    out = []
    goal_lists = _by_lang(suggester, rows, texts, "goal", 17)
    target_lists = _by_lang(suggester, rows, texts, "target", 3)
    for r, goals, targets in zip(rows, goal_lists, target_lists, strict=True):
        ranked = [int(s.code) for s in goals]
        top_targets = [s.code for s in targets]
        out.append({
            "id": r["id"], "split": r["split"], "lang": r["lang"], "main": r["goals"][0],
            "top1": ranked[0] in r["goals"], "top3": r["goals"][0] in ranked[:3],
            "target3": any(t in r["targets"] for t in top_targets),
            "ranked": ranked[:3], "targets": top_targets,
            "sdg11_first": ranked[0] == 11, "sdg11_expected": 11 in r["goals"],
        })
    return out


def _by_lang(suggester, rows, texts, level, top):
    results: list = [None] * len(rows)
    groups: dict[str, list[int]] = defaultdict(list)
    for i, r in enumerate(rows):
        groups[r["lang"]].append(i)
    for lang, idx in groups.items():
        lists = suggester.suggest_many([texts[i] for i in idx], level=level, top=top, lang=lang)
        for i, sugs in zip(idx, lists, strict=True):
            results[i] = sugs
    return results


def summary(results: list[dict]) -> dict[str, float]:
    """Percentages of top-1, top-3 and target top-3 hits, and the row count."""
    n = len(results)
    if not n:
        return {"n": 0, "top1": 0.0, "top3": 0.0, "target3": 0.0}
    return {
        "n": n,
        "top1": 100 * sum(r["top1"] for r in results) / n,
        "top3": 100 * sum(r["top3"] for r in results) / n,
        "target3": 100 * sum(r["target3"] for r in results) / n,
    }


def tables(named: dict[str, list[dict]]) -> str:
    """Markdown tables: per method and subset, then per main goal (goal top-1 of each method)."""
    lines = ["### City-practice development set", "",
             "| method | rows | goal top-1 (%) | goal top-3 (%) | target top-3 (%) | "
             "SDG 11 first where not labelled |", "|---|---|---:|---:|---:|---:|"]
    for name, res in named.items():
        subsets = [("all", res), ("dev", [r for r in res if r["split"] == "dev"]),
                   ("heldout", [r for r in res if r["split"] == "heldout"])]
        subsets += [(lang, [r for r in res if r["lang"] == lang]) for lang in ("en", "es", "fr")]
        for sub, rs in subsets:
            s = summary(rs)
            wrong11 = sum(r["sdg11_first"] and not r["sdg11_expected"] for r in rs)
            lines.append(f"| {name} | {sub} ({s['n']}) | {s['top1']:.1f} | {s['top3']:.1f} | "
                         f"{s['target3']:.1f} | {wrong11} |")
    lines += ["", "Per main goal: goal top-1 / target top-3 (%)", "",
              "| goal | rows | " + " | ".join(named) + " |",
              "|---|---:|" + "---|" * len(named)]
    for g in range(1, 18):
        cells = []
        n = 0
        for res in named.values():
            rs = [r for r in res if r["main"] == g]
            n = len(rs)
            s = summary(rs)
            cells.append(f"{s['top1']:.0f} / {s['target3']:.0f}")
        lines.append(f"| {g} | {n} | " + " | ".join(cells) + " |")
    return "\n".join(lines)
