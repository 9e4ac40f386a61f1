"""KPI spread: how much every KPI moves from one user drop to the next and from hour to hour, and how many drops a
verifier needs to see a 1 % change.

    /work/venv/bin/python benchmarks/kpi_spread.py --write --docs docs/kpis.md   # the published figures (~20 min)
    /work/venv/bin/python benchmarks/kpi_spread.py --quick                       # 6 drops x 4 hours, writes nothing

For each scenario (default: urban-macro-19 and dense-urban-hetnet), user drop (what-if seeds 101..100+N; seed s > 0
redraws the users over the same sites, shadowing and LOS maps) and hour, one `Network.what_if` of a reference
change (every 10th cell asleep) over `--steps` steps (default 20, the verifier's horizon) gives the KPIs of the
unchanged network (the levels) and of the changed one on the same drop (the paired differences). Per KPI, slice
("all" = network-wide) and hour:

- ``sd_seed``: the seed-to-seed standard deviation of the level (ddof 1);
- ``sd_paired``: the seed-to-seed standard deviation of (changed − unchanged) on the same drop;
- ``sd_hour``: the standard deviation over the hours of the day on one drop, averaged over drops (mostly the diurnal
  profile: it says how far one representative hour stands from the others);
- the seeds needed to detect a 1 % change, one-sided at 95 % with 80 % power (`airloop.agents.seeds_needed`:
  n = ((z_0.95 + z_0.80) σ / δ)² + z_0.95² / 2, δ = 1 % of max(|mean|, the KPI's scale floor)), for a level held
  against a bound (σ = sd_seed) and for a paired gain (σ = sd_paired), at the worst hour.

Prints a table, then one JSON line (the last line of the output). ``--json PATH`` saves the full figures,
``--write`` writes them as the package data the agents read (``agents/kpi_spread.json``), ``--docs FILE`` replaces
the table between the ``<!-- kpi_spread:begin -->`` / ``<!-- kpi_spread:end -->`` markers of FILE.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
from airloop.agents import seeds_needed
from airloop.agents._spread import SPREAD_FILE
from airloop.core import KPI_NAMES, KPI_SCALE_FLOOR, KPI_UNITS, SLICES
from airloop.simulator import Network

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ("urban-macro-19", "dense-urban-hetnet")
#: KPIs that mean something per slice (energy, PRB use and active cells are network-wide quantities).
SLICE_KPIS = ("throughput_mean_mbps", "throughput_p5_mbps", "coverage", "fairness", "latency_ms", "latency_p95_ms",
              "packet_loss", "handover_rate")
SEED0 = 101
REL_CHANGE = 0.01
BEGIN, END = "<!-- kpi_spread:begin -->", "<!-- kpi_spread:end -->"


def reference_change(net: Network) -> list[dict[str, Any]]:
    return [{"cell": c, "active": False} for c in range(0, net.n_cells, 10)]


def measure(scenario: str, seeds: list[int], hours: list[int], steps: int) -> dict[str, Any]:
    """Levels and paired differences, arrays (seeds x hours) per (KPI, slice)."""
    net = Network.from_scenario(scenario, seed=0)
    change = reference_change(net)
    keys = [(k, "all") for k in KPI_NAMES] + [(k, s) for k in SLICE_KPIS for s in SLICES]
    level = {key: np.zeros((len(seeds), len(hours))) for key in keys}
    diff = {key: np.zeros((len(seeds), len(hours))) for key in keys}
    t0 = time.perf_counter()
    for i, seed in enumerate(seeds):
        r = net.what_if(change, steps=steps, hours=hours, seeds=[seed])
        for j, h in enumerate(hours):
            for kpi, sl in keys:
                if sl == "all":
                    b, a = getattr(r.before_by_hour[h], kpi), getattr(r.after_by_hour[h], kpi)
                else:
                    b = getattr(r.slices_before_by_hour[h][sl], kpi)
                    a = getattr(r.slices_after_by_hour[h][sl], kpi)
                level[(kpi, sl)][i, j] = b
                diff[(kpi, sl)][i, j] = a - b
        print(f"  {scenario}: drop {i + 1}/{len(seeds)} (seed {seed}) {time.perf_counter() - t0:.0f} s",
              file=sys.stderr, flush=True)
    out: dict[str, Any] = {}
    for kpi, sl in keys:
        x, d = level[(kpi, sl)], diff[(kpi, sl)]
        out.setdefault(kpi, {})[sl] = clean(kpi, {
            "mean": _sig(x.mean(0)),
            "sd_seed": _sig(x.std(0, ddof=1)),
            "sd_paired": _sig(d.std(0, ddof=1)),
            "sd_hour": _sig(float(x.std(1, ddof=1).mean())) if len(hours) > 1 else 0.0,
        })
    return {"reference_change": change, "n_cells": net.n_cells, "n_ues": net.n_ues, "kpis": out}


def clean(kpi: str, entry: dict[str, Any]) -> dict[str, Any]:
    """Rounding noise is not spread: an SD below 1e-9 of the KPI's scale (a KPI equal on every drop, e.g. the
    HetNet's URLLC throughput, its demand) is 0."""
    tiny = 1e-9 * max(max(abs(m) for m in entry["mean"]), KPI_SCALE_FLOOR[kpi])
    for field in ("sd_seed", "sd_paired"):
        entry[field] = [0.0 if v <= tiny else v for v in entry[field]]
    entry["sd_hour"] = 0.0 if entry["sd_hour"] <= tiny else entry["sd_hour"]
    return entry


def _sig(x: Any, digits: int = 4) -> Any:
    if isinstance(x, np.ndarray):
        return [_sig(float(v), digits) for v in x]
    x = float(x)
    return 0.0 if x == 0.0 or not math.isfinite(x) else float(f"{x:.{digits}g}")


def summarize(kpi: str, entry: dict[str, Any], hours: list[int]) -> dict[str, Any]:
    """One table row: the mean over hours, the pooled (RMS over hours) seed-to-seed and paired SDs, the CV, and the
    seeds for a 1 % change at the worst hour."""
    mean = np.array(entry["mean"])
    sd, sdp = np.array(entry["sd_seed"]), np.array(entry["sd_paired"])
    scale = np.maximum(np.abs(mean), KPI_SCALE_FLOOR[kpi])
    n_level = [seeds_needed(float(s), REL_CHANGE * float(c)) for s, c in zip(sd, scale, strict=True)]
    n_paired = [seeds_needed(float(s), REL_CHANGE * float(c)) for s, c in zip(sdp, scale, strict=True)]
    worst = int(np.argmax(n_level))
    return {
        "mean": float(mean.mean()), "sd_seed": float(np.sqrt((sd**2).mean())), "sd_paired": float(np.sqrt((sdp**2).mean())),
        "cv_seed": float(np.sqrt(((sd / scale) ** 2).mean())), "sd_hour": float(entry["sd_hour"]),
        "n_level": max(n_level), "n_level_hour": hours[worst], "n_paired": max(n_paired),
        "n_level_median": int(np.median(n_level)), "n_paired_median": int(np.median(n_paired)),
    }


def table(results: dict[str, Any], hours: list[int], *, markdown: bool) -> str:
    head = ["scenario", "KPI", "slice", "unit", "mean", "σ seed", "CV", "σ hour", "σ paired", "n level 1%",
            "(hour)", "median hour", "n paired 1%", "median hour"]
    rows = []
    for scen, res in results.items():
        for kpi, per_slice in res["kpis"].items():
            for sl, entry in per_slice.items():
                s = summarize(kpi, entry, hours)
                rows.append([scen, kpi, sl, KPI_UNITS[kpi], f"{s['mean']:.4g}", f"{s['sd_seed']:.3g}",
                             f"{s['cv_seed']:.3f}", f"{s['sd_hour']:.3g}", f"{s['sd_paired']:.3g}",
                             f"{s['n_level']:,}", f"{s['n_level_hour']:02d}h", f"{s['n_level_median']:,}",
                             f"{s['n_paired']:,}", f"{s['n_paired_median']:,}"])
    if markdown:
        lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        lines += ["| " + " | ".join(r) + " |" for r in rows]
        return "\n".join(lines)
    widths = [max(len(str(r[i])) for r in [head, *rows]) for i in range(len(head))]
    return "\n".join("  ".join(str(c).rjust(w) if i >= 4 else str(c).ljust(w) for i, (c, w) in
                               enumerate(zip(r, widths, strict=True))) for r in [head, *rows])


def write_docs(path: Path, text: str) -> None:
    doc = path.read_text(encoding="utf-8")
    if BEGIN not in doc or END not in doc:
        raise SystemExit(f"{path}: no {BEGIN} ... {END} markers to put the table between")
    start, end = doc.index(BEGIN) + len(BEGIN), doc.index(END)
    path.write_text(doc[:start] + "\n" + text + "\n" + doc[end:], encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scenario", action="append", help="scenario (repeatable); default: " + ", ".join(SCENARIOS))
    ap.add_argument("--seeds", type=int, default=24, help="user drops (default 24)")
    ap.add_argument("--steps", type=int, default=20, help="what-if steps per hour (default 20, the verifier's)")
    ap.add_argument("--hours", default="all", help="'all' or a comma list (default all 24)")
    ap.add_argument("--quick", action="store_true", help="6 drops x hours 3,9,13,19 (a smoke run)")
    ap.add_argument("--json", type=Path, help="save the full figures here")
    ap.add_argument("--write", action="store_true", help=f"write agents/{SPREAD_FILE} (the package data)")
    ap.add_argument("--docs", type=Path, help="replace the table between the kpi_spread markers of this file")
    ap.add_argument("--from", dest="source", type=Path,
                    help="re-use the figures a previous --json saved instead of measuring (for --write / --docs)")
    args = ap.parse_args()
    scenarios = args.scenario or list(SCENARIOS)
    n_seeds, hours = args.seeds, list(range(24)) if args.hours == "all" else [int(h) for h in args.hours.split(",")]
    if args.quick:
        n_seeds, hours = 6, [3, 9, 13, 19]
        if args.write or args.docs:
            raise SystemExit("--quick figures are not for publishing: drop --write/--docs")
    if n_seeds < 2:
        raise SystemExit("--seeds: at least 2 drops for a standard deviation")
    seeds = list(range(SEED0, SEED0 + n_seeds))
    if args.source:
        saved = json.loads(args.source.read_text(encoding="utf-8"))
        meta = saved["meta"]
        seeds, hours = meta["seeds"], meta["hours"]
        results = {s: {"kpis": {kpi: {sl: clean(kpi, e) for sl, e in per.items()} for kpi, per in k.items()}}
                   for s, k in saved["scenarios"].items()}
        wall, cpu = meta["wall_s"], meta["cpu_s"]
    else:
        t0, c0 = time.perf_counter(), time.process_time()
        results = {s: measure(s, seeds, hours, args.steps) for s in scenarios}
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
        try:
            code = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                                  check=False).stdout.strip()
            if subprocess.run(["git", "status", "--porcelain", "--", "simulator", "core"], cwd=ROOT,
                              capture_output=True, text=True, check=False).stdout.strip():
                code += "+uncommitted simulator/core changes"
        except OSError:
            code = ""
        meta = {"seeds": seeds, "hours": hours, "steps": args.steps, "reference_change": "every 10th cell asleep",
                "rel_change": REL_CHANGE, "alpha": 0.05, "power": 0.8, "sided": "one",
                "formula": "n = ((z_0.95 + z_0.80) sigma / delta)^2 + z_0.95^2 / 2, delta = 1% of max(|mean|, floor)",
                "code": code, "date": time.strftime("%Y-%m-%d"), "wall_s": round(wall, 1), "cpu_s": round(cpu, 1),
                "machine": {"python": platform.python_version(), "numpy": np.__version__, "cpus": os.cpu_count(),
                            "load_avg_1min_at_end": os.getloadavg()[0]}}
    print(f"airloop KPI spread: {len(seeds)} drops (seeds {seeds[0]}..{seeds[-1]}), hours {hours[0]}..{hours[-1]} "
          f"({len(hours)}), {meta['steps']} steps per hour; {wall:.0f} s wall, {cpu:.0f} s CPU (code {meta['code']})")
    print("σ seed, CV: seed-to-seed SD of the level (RMS over hours) and its ratio to the mean; σ hour: SD over the "
          "hours of one drop (mean over drops); σ paired: SD of (every 10th cell asleep − unchanged) on the same drop; "
          "n: drops for a 1 % change, one-sided 95 %, power 80 %, at the worst hour and the median over hours")
    print(table(results, hours, markdown=False))
    data = {"meta": meta, "scenarios": {s: r["kpis"] for s, r in results.items()}}
    summary = {s: {f"{kpi}/{sl}": summarize(kpi, e, hours) for kpi, per in r["kpis"].items() for sl, e in per.items()}
               for s, r in results.items()}
    if args.json:
        args.json.write_text(json.dumps({**data, "summary": summary}, indent=1) + "\n", encoding="utf-8")
    if args.write:
        (ROOT / "agents" / SPREAD_FILE).write_text(json.dumps(data, separators=(",", ":")) + "\n", encoding="utf-8")
    if args.docs:
        write_docs(args.docs, table(results, hours, markdown=True))
    print(json.dumps({"benchmark": "airloop.kpi_spread", "meta": meta, "summary": summary}, separators=(",", ":")))


if __name__ == "__main__":
    main()
