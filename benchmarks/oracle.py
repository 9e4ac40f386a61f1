"""Compute the oracle's results once, as data: benchmarks/oracle/<scenario>.json (read by the evaluation harness).

The oracle is benchmarks/agent.py's: `optuna` (sampler "auto", warm start from the objective's default plan) at
`--trials` simulator evaluations, its best candidate judged on the judge's seeds (see airloop/evaluation/_judge.py).
Each entry records the oracle's changes, reward, trial count, the gold intent's sha256 and the code hash it came
from. This script (re)computes the entries that are missing or stale (another gold intent, another trial count or,
unless --keep-stale, other code), one intent at a time, writing the file after each: a killed run resumes where it
stopped. At 2000 trials one entry takes 55-170 s on this machine; the full set (every test intent with a gold
intent, both scenarios) is an overnight job.

Usage:
    python benchmarks/oracle.py --status                                   # what is there, what is missing
    python benchmarks/oracle.py --scenario urban-macro-19 --trials 2000    # fill in every missing test intent
    python benchmarks/oracle.py --scenario urban-macro-19,dense-urban-hetnet --ids i002,i054 --max-entries 1
"""

from __future__ import annotations

import argparse
import json
import sys
import time

from airloop.agents import Intent

from airloop.evaluation import OracleStore, code_hash, entry_key, gold_sha, load_intents, oracle_search, resolve_path


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scenario", default="urban-macro-19,dense-urban-hetnet", help="comma-separated")
    ap.add_argument("--trials", type=int, default=2000)
    ap.add_argument("--split", default="test", choices=["test", "dev", "all"])
    ap.add_argument("--ids", default=None, help="comma-separated intent ids (instead of the whole split)")
    ap.add_argument("--intents-file", default="benchmarks/intents/intents.jsonl")
    ap.add_argument("--seed", type=int, default=0, help="the network seed (an eval's `seeds`)")
    ap.add_argument("--n-ues", type=int, default=None)
    ap.add_argument("--dir", default="benchmarks/oracle")
    ap.add_argument("--max-entries", type=int, default=None, help="stop after computing this many entries")
    ap.add_argument("--keep-stale", action="store_true", help="do not recompute entries from other code")
    ap.add_argument("--status", action="store_true", help="only report which entries are ok, stale or missing")
    args = ap.parse_args(argv)

    rows = load_intents(args.intents_file, args.split, None, args.ids.split(",") if args.ids else None)
    store = OracleStore(resolve_path(args.dir))
    code = code_hash()
    computed = 0
    report: dict[str, dict[str, str]] = {}
    for scenario in args.scenario.split(","):
        report[scenario] = {}
        for row in rows:
            key = entry_key(row["id"], args.seed, args.n_ues)
            look = store.lookup(scenario, row["id"], args.seed, args.n_ues, gold_sha=gold_sha(row),
                                trials=args.trials, code_hash=code, allow_stale=True)
            report[scenario][key] = look.status
            todo = look.status not in ("ok", "stale") or (look.status == "stale" and not args.keep_stale)
            if args.status or not todo:
                continue
            if args.max_entries is not None and computed >= args.max_entries:
                continue
            print(f"oracle {scenario} {key} ({look.status}): {args.trials} trials ...", file=sys.stderr, flush=True)
            t0 = time.perf_counter()
            res = oracle_search(scenario, args.n_ues, Intent.model_validate(row["gold"]), args.trials,
                                seed=args.seed)
            store.put(scenario, row["id"], args.seed, args.n_ues,
                      {"gold_sha256": gold_sha(row), "trials": args.trials, "code_hash": code, **res})
            computed += 1
            report[scenario][key] = "computed"
            print(f"oracle {scenario} {key}: reward {res['reward']:.4f} ({res['evals']} evals, {res['n_changes']} "
                  f"changes, {time.perf_counter() - t0:.0f} s)", file=sys.stderr, flush=True)
    counts = {s: {st: sum(v == st for v in r.values()) for st in sorted(set(r.values()))} for s, r in report.items()}
    for s, c in counts.items():
        print(f"{s}: " + ", ".join(f"{n} {st}" for st, n in c.items()))
    print(json.dumps({"benchmark": "oracle", "trials": args.trials, "code_hash": code, "computed": computed,
                      "status": report}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
