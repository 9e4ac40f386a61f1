"""How much of a day's energy can any plan of a simple family save on a campaign's network at a coverage bound? A table
and JSON behind the README's sentence on the night-energy day's 25 % goal (issue 10).

    airloop run examples/night-energy-day.yaml --out RUN     (any strategy; `strategy: heuristic` takes ~30 s)
    python benchmarks/energy_frontier.py RUN [--coverage 0.95,0.9595] [--floors 0.5,0.3] [--json out.json]

For every hour it rebuilds the campaign's network (the scenario and network seed of RUN, every change applied up to and
including that hour; see `daytime_power.py`) and measures, on the verifier's six fresh drops (seeds 1001-1006, 20
steps), a family of plans around that state:
- wake the k sleeping cells whose waking alone raises coverage most (k = 0, 2, ..., 16), and cut the transmit power of
  every awake cell by x dB (x = 0..4): fewer sleepers, lower power (EARTH's load term, large by day);
- put m more cells to sleep, those whose sleep alone costs least coverage (m = 1 .. what a 30 % floor allows), with a
  cut of x = 0..2 dB on the others.
Per hour and per (coverage bound, active-cell floor) it keeps the plan saving most against the always-on network that
holds coverage >= the bound (the mean over the six drops) and leaves at least the floor's share of cells awake, with
and without power cuts; the day's saving is the hours' saved watts over the always-on watts (equal-length hours).

The family is small (single-cell orderings, a uniform cut; tilt moves measured no coverage gain on this layout), so
its figures are what a plain structured search reaches, not a bound. The campaign's own state is listed beside them:
the bound 0.9595 is 0.95 with the example campaign's 1 % verifier margin.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
from airloop.simulator import CellChange, Network
from airloop.tools import Policy

sys.path.insert(0, str(Path(__file__).resolve().parent))
from daytime_power import OPTIMIZER_SEEDS, VERIFIER_SEEDS, _network_at  # noqa: E402

WAKE_COUNTS = range(0, 17, 2)
WAKE_CUTS_DB = (0.0, 1.0, 2.0, 3.0, 4.0)
SLEEP_CUTS_DB = (0.0, 1.0, 2.0)


def _floor(share: float) -> Policy:
    return Policy.default().model_copy(update={"min_active_share": share})


def _measure(net: Network, changes: list[CellChange], seeds: list[int], steps: int) -> tuple[float, float]:
    """Mean energy (W) and mean coverage over `seeds` after `changes`."""
    r = net.what_if(changes, steps=steps, seeds=seeds)
    kpis = [next(iter(r.after_by_seed[s].values())) for s in seeds]
    return float(np.mean([k.energy_w for k in kpis])), float(np.mean([k.coverage for k in kpis]))


def best_plans(candidates: list[dict[str, Any]], coverage_min: float, max_asleep: int) -> dict[str, Any]:
    """The candidate saving most that keeps coverage >= `coverage_min` and at most `max_asleep` cells asleep; the same
    among candidates without a power cut. None where no candidate qualifies."""
    ok = [c for c in candidates if c["coverage"] >= coverage_min and c["asleep"] <= max_asleep]
    only_sleep = [c for c in ok if c["cut_db"] == 0.0]
    return {"any": max(ok, key=lambda c: c["saved_pct"], default=None),
            "sleep_only": max(only_sleep, key=lambda c: c["saved_pct"], default=None)}


def day_saving_pct(hours: list[dict[str, Any]], key: str, which: str) -> float | None:
    """The day's saving (%): saved watts summed over the hours over the always-on watts; None if an hour has no plan."""
    plans = [h["best"][key][which] for h in hours]
    if any(p is None for p in plans):
        return None
    on_w = sum(h["always_on_w"] for h in hours)
    return 100.0 * sum(h["always_on_w"] * p["saved_pct"] / 100.0 for h, p in zip(hours, plans, strict=True)) / on_w


def hour_frontier(run: Path, hour: int, bounds: list[tuple[float, float]]) -> dict[str, Any]:
    net, always_on = _network_at(run, hour)
    table = net.cell_table()
    n_cells = len(table)
    awake = [c.cell for c in table if c.active]
    asleep = [c.cell for c in table if not c.active]
    power = {c.cell: c.tx_power_dbm for c in table}
    on_w, _ = _measure(always_on, [], VERIFIER_SEEDS, 20)
    now_w, now_cov = _measure(net, [], VERIFIER_SEEDS, 20)
    wake_order = sorted(asleep, key=lambda c: -_measure(net, [CellChange(cell=c, active=True)], OPTIMIZER_SEEDS, 10)[1])
    sleep_order = sorted(awake, key=lambda c: -_measure(net, [CellChange(cell=c, active=False)], OPTIMIZER_SEEDS, 10)[1])
    max_extra = len(awake) - min(_floor(f).min_active(n_cells) for _, f in bounds)
    candidates = []

    def add(plan: str, changes: list[CellChange], n_asleep: int, cut_db: float) -> None:
        w, cov = _measure(net, changes, VERIFIER_SEEDS, 20)
        candidates.append({"plan": plan, "asleep": n_asleep, "cut_db": cut_db, "energy_w": w, "coverage": cov,
                           "saved_pct": 100.0 * (1.0 - w / on_w)})

    for k in WAKE_COUNTS:
        if k > len(asleep):
            break
        woken = set(wake_order[:k])
        for x in WAKE_CUTS_DB:
            changes = [CellChange(cell=c, active=True if c in woken else None,
                                  tx_power_dbm=power[c] - x if x else None) for c in sorted(woken | set(awake))
                       if c in woken or x]
            add(f"wake {k}" + (f", cut {x:g} dB" if x else ""), changes, len(asleep) - k, x)
    for m in range(1, max_extra + 1):
        slept = set(sleep_order[:m])
        for x in SLEEP_CUTS_DB:
            changes = [CellChange(cell=c, active=False) for c in sorted(slept)]
            changes += [CellChange(cell=c, tx_power_dbm=power[c] - x) for c in awake if c not in slept and x]
            add(f"sleep {m} more" + (f", cut {x:g} dB" if x else ""), changes, len(asleep) + m, x)
    best = {f"{cov:g}/{floor:g}": best_plans(candidates, cov, n_cells - _floor(floor).min_active(n_cells))
            for cov, floor in bounds}
    return {"hour": hour, "always_on_w": on_w, "campaign": {"asleep": len(asleep), "energy_w": now_w, "coverage": now_cov,
            "saved_pct": 100.0 * (1.0 - now_w / on_w)}, "best": best, "candidates": len(candidates)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("run", type=Path, help="a campaign run directory (airloop run ... --out RUN)")
    ap.add_argument("--coverage", default="0.95,0.9595", help="coverage bounds, comma-separated (default 0.95,0.9595)")
    ap.add_argument("--floors", default="0.5,0.3", help="shares of cells that must stay awake (default 0.5,0.3)")
    ap.add_argument("--hours", default="0-23", help="hours to probe, 'a-b' (default 0-23)")
    ap.add_argument("--json", type=Path, help="also write the figures here")
    a = ap.parse_args()
    try:
        covs = [float(x) for x in a.coverage.split(",")]
        floors = [float(x) for x in a.floors.split(",")]
        lo, hi = (int(x) for x in a.hours.split("-"))
    except ValueError as exc:
        raise SystemExit(f"--coverage and --floors take comma-separated numbers, --hours 'a-b' (0-23): {exc}") from exc
    if not (all(0 < c <= 1 for c in covs) and all(0 <= f <= 1 for f in floors) and 0 <= lo <= hi <= 23):
        raise SystemExit("coverage bounds must be in (0, 1], floors in [0, 1], hours within 0-23")
    bounds = [(c, f) for c in covs for f in floors]
    keys = [f"{c:g}/{f:g}" for c, f in bounds]
    t0 = time.perf_counter()
    hours = []
    print("best plan per hour: saving vs always-on, mean coverage on the verifier's drops, plan; column = coverage bound / "
          "share of cells kept awake")
    print(f"{'hour':>5} {'always-on':>9} {'campaign (asleep)':>20}  " + "  ".join(f"{k:>36}" for k in keys))
    for h in range(lo, hi + 1):
        r = hour_frontier(a.run, h, bounds)
        hours.append(r)
        cells = []
        for k in keys:
            p = r["best"][k]["any"]
            cells.append(f"{p['saved_pct']:5.1f}% {p['coverage']:.4f} {p['plan'][:22]:>22}" if p else "none")
        c = r["campaign"]
        print(f"{h:02d}:00 {r['always_on_w']:8.0f}W {c['saved_pct']:5.1f}% {c['coverage']:.4f} ({c['asleep']:2d})  "
              + "  ".join(f"{x:>36}" for x in cells), flush=True)
    on_w = sum(h["always_on_w"] for h in hours)
    campaign_day = 100.0 * sum(h["always_on_w"] - h["campaign"]["energy_w"] for h in hours) / on_w
    day = {k: {"any": day_saving_pct(hours, k, "any"), "sleep_only": day_saving_pct(hours, k, "sleep_only")} for k in keys}
    print(f"\nday saving on the verifier's drops: the campaign's state {campaign_day:.1f}% (min coverage "
          f"{min(h['campaign']['coverage'] for h in hours):.4f})")
    def fmt(v: float | None) -> str:
        return "no plan in some hour" if v is None else f"{v:.1f}%"

    for k in keys:
        print(f"  coverage >= {k.split('/')[0]}, floor {k.split('/')[1]}: best of the family {fmt(day[k]['any'])}, "
              f"sleep only {fmt(day[k]['sleep_only'])}")
    out = {"run": str(a.run), "bounds": keys, "hours": hours, "campaign_day_saved_pct": campaign_day, "day": day,
           "wall_s": round(time.perf_counter() - t0, 1)}
    print(json.dumps({"campaign_day_saved_pct": campaign_day, "day": day, "wall_s": out["wall_s"]}))
    if a.json:
        a.json.write_text(json.dumps(out, indent=1) + "\n")


if __name__ == "__main__":
    main()
