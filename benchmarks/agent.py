"""Agent benchmark: the whole loop over the intent benchmark, per strategy, against an optuna oracle.

For each scenario, intent and strategy it runs the graph twice: end to end (the planner parses the text) and
optimizer-only (the gold Intent is given). Success is judged against the GOLD intent, never the planner's reading:
the run is approved, and on seeds that neither the optimizer (0, 1) nor the verifier (1001..1008) used, with every gold
hour and a 20-step horizon, every gold constraint holds and the gold objective improves (or, when the run applied
nothing, the network already met every constraint). Regret is normalized against the `optuna` oracle at
`--oracle-trials` evaluations: (R_oracle − R_achieved) / (R_oracle − R_baseline), with R_baseline = 0 by the
reward's definition, all three measured on the same independent seeds; it is reported where the oracle found a
gain (R_oracle > 0).

This script is a thin caller of the evaluation harness (`airloop.evaluation`, the same code path as `airloop eval`):
samples run on a process pool (or `--executor ray|serial`), finished samples are cached in the eval directory (a
re-run, or a run after a kill, only computes what is missing, and re-summarizes), and the oracle is read from
benchmarks/oracle/<scenario>.json, computed once by `python benchmarks/oracle.py` (an intent without an entry at
`--oracle-trials` gets no regret: the harness never recomputes an oracle). The table is the harness's: success
with a Wilson 95% interval, regret mean and median with a bootstrap interval, cost, and the paired comparisons
against `--reference`.

Usage:
    python benchmarks/agent.py                                  # defaults below; prints a table and a JSON line
    python benchmarks/agent.py --intents 4 --strategies heuristic,hybrid --modes opt --oracle-trials 200
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from airloop.evaluation import EvalSpecError, load_spec, print_table, run_eval


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scenarios", default="urban-macro-19,dense-urban-hetnet")
    ap.add_argument("--strategies", default="hybrid,llm-direct,llm-react,random,optuna,heuristic")
    ap.add_argument("--modes", default="e2e,opt")
    ap.add_argument("--intents", type=int, default=6, help="how many test-split intents (fixed stride); 0 = all")
    ap.add_argument("--split", default="test", choices=["test", "dev", "all"])
    ap.add_argument("--seeds", default="0", help="network seeds (comma-separated); every arm sees each")
    ap.add_argument("--model", default="llamacpp")
    ap.add_argument("--n-ues", type=int, default=None)
    ap.add_argument("--sim-budget", type=int, default=60, help="simulator evaluations per run (optimizer rounds)")
    ap.add_argument("--oracle-trials", type=int, default=2000, help="read oracle entries computed at this many trials")
    ap.add_argument("--reference", default=None, help="the arm compared against (default heuristic, else the first)")
    ap.add_argument("--executor", default="process", choices=["process", "ray", "serial"])
    ap.add_argument("--workers", type=int, default=None)
    ap.add_argument("--ray-address", default=None)
    ap.add_argument("--out", default="evals/agent", help="the eval directory (cache, results.jsonl, summary.json)")
    args = ap.parse_args(argv)

    strategies = args.strategies.split(",")
    overrides: dict[str, Any] = {
        "name": "agent", "scenarios": args.scenarios.split(","), "strategies": strategies,
        "modes": args.modes.split(","), "seeds": [int(s) for s in args.seeds.split(",")],
        "intents": {"split": args.split, "limit": args.intents or None}, "model": args.model, "n_ues": args.n_ues,
        "budget": {"sim_evals": args.sim_budget}, "oracle": {"trials": args.oracle_trials},
        "reference": args.reference or ("heuristic" if "heuristic" in strategies else strategies[0]),
        "executor": args.executor, "workers": args.workers, "ray_address": args.ray_address, "out": args.out,
    }
    try:
        result = run_eval(load_spec(None, overrides))
    except EvalSpecError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    s = result.summary
    print_table(s)
    print(f"\n{s['n_samples']} samples ({s['n_computed']} run, {s['n_cached']} cached, {s['n_errors']} errors) in "
          f"{s['wall_s']:.1f} s; oracle entries: {len(s['oracle']['ok'])} ok, {len(s['oracle']['stale'])} stale, "
          f"{len(s['oracle']['missing']) + len(s['oracle']['other_trials'])} missing -> {result.out}",
          file=sys.stderr)
    print(json.dumps({"benchmark": "agent", **{k: v for k, v in s.items() if k != "by_scenario"}}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
