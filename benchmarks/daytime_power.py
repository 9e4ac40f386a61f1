"""What binds an energy campaign by day: can transmit-power cuts on the awake cells save energy that the verifier would
approve? A table and JSON behind the README's sentence on the night-energy day's daytime hours.

    airloop run examples/night-energy-day.yaml --out RUN     (any strategy; `strategy: heuristic` takes ~20 s)
    python benchmarks/daytime_power.py RUN --hour 12 [--cut-db 6] [--json out.json]

It rebuilds the campaign's network at `--hour` (the scenario and network seed of RUN, every change applied up to and
including that hour; a run with a rollback or revert before then is refused), then:
1. every awake cell's transmit power cut by `--cut-db` on its own, on the optimizer's two drops (seeds 0 and 1, 10
   steps): the cells whose cut lowers coverage on neither drop;
2. those cells cut together, on the optimizer's drops and on the verifier's six fresh drops (seeds 1001-1006, 20
   steps): energy saved and coverage per drop, before and after;
3. for scale, the same cut on every cell of the always-on network at that hour (optimizer drops).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import numpy as np
from airloop.simulator import CellChange, Network

OPTIMIZER_SEEDS = [0, 1]
VERIFIER_SEEDS = [1001, 1002, 1003, 1004, 1005, 1006]


def _network_at(run_dir: Path, hour: int) -> tuple[Network, Network]:
    """The campaign's network at `hour` (its changes applied) and the same network always on (none applied)."""
    manifest = json.loads((run_dir / "manifest.json").read_text())
    campaign = manifest["campaign"]
    events = [json.loads(line) for line in (run_dir / "events.jsonl").read_text().splitlines() if line.strip()]
    undone = [e for e in events if e["event"] in ("rollback", "revert") and e.get("hour", 99) <= hour]
    if undone:
        raise SystemExit(f"{run_dir}: {len(undone)} rollback/revert event(s) up to {hour:02d}:00; this script replays "
                         "applies only. Pick an earlier hour or a run without rollbacks.")
    net = Network.from_scenario(campaign["scenario"], seed=int(campaign["seeds"]["network"]))
    always_on = Network.from_scenario(campaign["scenario"], seed=int(campaign["seeds"]["network"]))
    always_on.set_hour(hour)
    for e in events:
        if e["event"] == "apply" and e["hour"] <= hour:
            net.apply(e["changes"])
    net.set_hour(hour)
    return net, always_on


def _measure(net: Network, changes: list[CellChange], seeds: list[int], steps: int) -> dict[str, Any]:
    r = net.what_if(changes, steps=steps, seeds=seeds)

    def per_seed(side: dict[int, Any], kpi: str) -> list[float]:
        return [float(next(iter(side[s].values())).model_dump()[kpi]) for s in seeds]

    e0, e1 = np.array(per_seed(r.before_by_seed, "energy_w")), np.array(per_seed(r.after_by_seed, "energy_w"))
    return {"seeds": seeds, "steps": steps, "energy_w_before": float(e0.mean()), "energy_w_after": float(e1.mean()),
            "energy_saved_pct": float(100 * (e0 - e1).mean() / e0.mean()),
            "coverage_before": [round(x, 4) for x in per_seed(r.before_by_seed, "coverage")],
            "coverage_after": [round(x, 4) for x in per_seed(r.after_by_seed, "coverage")]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("run", type=Path, help="a campaign run directory (airloop run ... --out RUN)")
    ap.add_argument("--hour", type=int, default=12, help="the hour to rebuild and probe (0-23; default 12)")
    ap.add_argument("--cut-db", type=float, default=6.0, help="transmit-power cut per cell, dB (default 6)")
    ap.add_argument("--json", type=Path, help="also write the figures here")
    a = ap.parse_args()
    if not 0 <= a.hour <= 23:
        raise SystemExit(f"--hour must be 0-23, got {a.hour}")
    if not 0 < a.cut_db <= 16:
        raise SystemExit(f"--cut-db must be in (0, 16] dB (the policy's macro range is 30-46 dBm), got {a.cut_db}")
    net, always_on = _network_at(a.run, a.hour)
    table = net.cell_table()
    awake = [c for c in table if c.active]
    cut = {c.cell: CellChange(cell=c.cell, tx_power_dbm=c.tx_power_dbm - a.cut_db) for c in awake}
    harmless = []
    for cell, change in cut.items():
        m = _measure(net, [change], OPTIMIZER_SEEDS, 10)
        if all(after >= before for before, after in zip(m["coverage_before"], m["coverage_after"], strict=True)):
            harmless.append(cell)
    together = [cut[c] for c in harmless]
    on_optimizer = _measure(net, together, OPTIMIZER_SEEDS, 10) if together else None
    on_verifier = _measure(net, together, VERIFIER_SEEDS, 20) if together else None
    all_cells = [CellChange(cell=c.cell, tx_power_dbm=c.tx_power_dbm - a.cut_db) for c in always_on.cell_table()]
    uniform = _measure(always_on, all_cells, OPTIMIZER_SEEDS, 10)
    out = {"run": str(a.run), "hour": a.hour, "cut_db": a.cut_db, "awake": len(awake), "asleep": len(table) - len(awake),
           "harmless_cells": harmless, "together_optimizer": on_optimizer, "together_verifier": on_verifier,
           "always_on_every_cell_cut": uniform}
    print(f"{a.run} at {a.hour:02d}:00: {len(awake)} awake, {len(table) - len(awake)} asleep; cut {a.cut_db:g} dB")
    print(f"cells whose cut alone lowers coverage on neither optimizer drop: {len(harmless)} {harmless}")
    print(f"{'probe':44} {'drops':>6} {'energy saved':>13}  coverage before -> after (per drop)")
    rows = [("those cells cut together (optimizer drops)", on_optimizer),
            ("those cells cut together (verifier drops)", on_verifier),
            ("always-on network, every cell cut", uniform)]
    for name, m in rows:
        if m is None:
            print(f"{name:44} {'-':>6} {'-':>13}")
            continue
        print(f"{name:44} {len(m['seeds']):>6} {m['energy_saved_pct']:>12.1f}%  {m['coverage_before']} -> "
              f"{m['coverage_after']}")
    print(json.dumps(out))
    if a.json:
        a.json.write_text(json.dumps(out, indent=1) + "\n")


if __name__ == "__main__":
    main()
