"""Figures of finished campaigns (`airloop run`), as a table and JSON: the transcript behind the README's campaign
figures.

    airloop run examples/night-energy-day.yaml --out runs/night-energy-day
    python benchmarks/campaigns.py runs/night-energy-day [more run dirs] [--json out.json]

Per campaign: the day's energy against the always-on twin (same users, live) and on the judge's fresh seeds, the
lowest hourly coverage (live and judge seeds), applies / monitor rollbacks / reverts, LLM calls, tokens, simulator
evaluations and wall time; then one line per hour.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from airloop.report import campaign_events, checks_text, judge_checks


def _status(o: dict[str, Any]) -> str:
    if o.get("status") in ("approved", "nothing_needed") and o.get("change_id") is None:
        return "nothing needed"
    return "no headroom" if o.get("status") == "no_headroom" else str(o.get("status"))


def figures(run_dir: Path) -> dict[str, Any]:
    s = json.loads((run_dir / "summary.json").read_text())
    m = json.loads((run_dir / "manifest.json").read_text())
    t = s["totals"]
    plans = [e for e in campaign_events(run_dir) if e["event"] == "plan"]
    checks = judge_checks(s["records"], plans)
    return {
        "run_dir": str(run_dir), "name": s.get("name"), "scenario": s.get("scenario"),
        "strategy": m["campaign"]["strategy"], "model": (m.get("model") or {}).get("spec", m["campaign"]["model"]),
        "hours": s["hours_run"], "energy_kwh": round(s["energy_wh"] / 1e3, 2),
        "always_on_kwh": round(s["always_on_energy_wh"] / 1e3, 2),
        "energy_saved_pct": round(s["energy_saved_pct"], 2), "judge_energy_saved_pct": round(s["judge_energy_saved_pct"], 2),
        "min_coverage": round(s["min_coverage"], 5), "min_judge_coverage": round(s["min_judge_coverage"], 5),
        "min_judge_coverage_hour": s["min_judge_coverage_hour"],
        "hours_judge_coverage_below_095": sum(r["judge"]["live"]["coverage"] < 0.95 for r in s["records"]),
        "judge_constraints": checks_text(checks),
        "judge_constraint_hours_missed": sum(not c["held"] for c in checks), "judge_constraint_hours": len(checks),
        "applies": t["applies"], "monitor_rollbacks": t["monitor_rollbacks"], "reverts": t["reverts"],
        "graph_runs": t["graph_runs"], "llm_calls": t["llm_calls"], "tokens": t["tokens"], "sim_evals": t["sim_evals"],
        "wall_s": round(s.get("wall_s") or 0.0, 1), "result_sha256": s["result_sha256"][:16],
        "per_hour": [{"hour": r["hour"], "kw": round(r["live"]["network"]["energy_w"] / 1e3, 3),
                      "always_on_kw": round(r["always_on"]["network"]["energy_w"] / 1e3, 3),
                      "coverage": round(r["live"]["network"]["coverage"], 4),
                      "judge_coverage": round(r["judge"]["live"]["coverage"], 4),
                      "judge_always_on_coverage": round(r["judge"]["always_on"]["coverage"], 4),
                      "asleep": len(r["asleep"]),
                      "outcomes": [f"{o['item']} {_status(o)}" for o in r["outcomes"]],
                      "rollbacks": [f"{b['actor']} undid {b['rollback_of']}" for b in r["rollbacks"]]}
                     for r in s["records"]],
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("run_dirs", nargs="+", type=Path)
    ap.add_argument("--json", type=Path, help="also write the figures here")
    args = ap.parse_args()
    rows = [figures(d) for d in args.run_dirs]
    hdr = (f"{'campaign':20s} {'strategy':9s} {'model':9s} {'h':>3s} {'kWh':>7s} {'always-on':>9s} {'saved':>6s} "
           f"{'judge':>6s} {'min cov':>8s} {'judge':>7s} {'<0.95':>5s} {'app':>4s} {'mon':>4s} {'rev':>4s} "
           f"{'LLM':>4s} {'tokens':>7s} {'evals':>6s} {'wall s':>7s}")
    print(hdr)
    print("-" * len(hdr))
    for f in rows:
        print(f"{f['name']:20s} {f['strategy']:9s} {str(f['model'])[:9]:9s} {f['hours']:3d} {f['energy_kwh']:7.1f} "
              f"{f['always_on_kwh']:9.1f} {f['energy_saved_pct']:5.1f}% {f['judge_energy_saved_pct']:5.1f}% "
              f"{f['min_coverage']:8.5f} {f['min_judge_coverage']:7.5f} {f['hours_judge_coverage_below_095']:5d} "
              f"{f['applies']:4d} {f['monitor_rollbacks']:4d} {f['reverts']:4d} {f['llm_calls']:4d} "
              f"{f['tokens']:7d} {f['sim_evals']:6d} {f['wall_s']:7.0f}")
    for f in rows:
        print(f"\n{f['name']} ({f['strategy']}): intent constraints on the judge seeds: {f['judge_constraints']}")
    for f in rows:
        print(f"\n{f['name']} ({f['scenario']}, {f['strategy']}, {f['model']}): per hour")
        print(f"{'hour':>4s} {'kW':>6s} {'always-on':>9s} {'coverage':>8s} {'judge':>6s} {'AO judge':>8s} "
              f"{'asleep':>6s}  outcomes / rollbacks")
        for h in f["per_hour"]:
            print(f"{h['hour']:4d} {h['kw']:6.2f} {h['always_on_kw']:9.2f} {h['coverage']:8.4f} "
                  f"{h['judge_coverage']:6.4f} {h['judge_always_on_coverage']:8.4f} {h['asleep']:6d}  "
                  f"{', '.join(h['outcomes'] + h['rollbacks']) or '-'}")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
