"""How much signal hybrid's GRPO reward has on its training rows (issue 12): the reward of the plan SFT taught.

    python benchmarks/hybrid_reward.py                 # 120 of the 400 rows `airloop train hybrid` uses
    python benchmarks/hybrid_reward.py --rows 400 --save

Each row is what `airloop train hybrid` trains on (a training text's confident rule reading on one evaluation
scenario's network, `hybrid_rows` with the default held-out files and ``--limit 400``); a seeded sample of them is
scored by `HybridReward`, GRPO's reward, on the row's SFT label: the default plan, searched as hybrid searches it
(`HYBRID_REWARD_EVALS` evaluations) and verified on the verifier's fresh drops. A row the taught plan earns 0 on (the
verifier approves nothing: no headroom, a constraint that cannot hold, a gain inside the noise) gives GRPO a reward
spread only between a usable answer (0) and one that is no plan (`HYBRID_REWARD_FAILED`), nothing about which plan is
better. Per objective KPI: rows, rows approved, mean reward.

``--save`` writes ``benchmarks/results/hybrid_reward.json``.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def main() -> None:
    from airloop.cli_train import default_held_out
    from airloop.finetune import HYBRID_REWARD_EVALS, HybridReward, held_out_golds, hybrid_rows, read_texts

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=ROOT / "benchmarks" / "intents" / "train_planner.jsonl")
    ap.add_argument("--limit", type=int, default=400, help="rows built, as `airloop train hybrid --limit`")
    ap.add_argument("--rows", type=int, default=120, help="rows scored (a seeded sample of them)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--save", action="store_true")
    args = ap.parse_args()

    rows, _ = hybrid_rows(read_texts(args.data), held_out=held_out_golds(default_held_out()), limit=args.limit)
    random.Random(args.seed).shuffle(rows)
    rows = rows[: args.rows]
    reward = HybridReward()
    t0 = time.perf_counter()
    by_kpi: dict[str, list[float]] = {}
    for row in rows:
        value = reward(row["completion"][0]["content"], row["intent"], row["scenario"], row["seed"])
        by_kpi.setdefault(json.loads(row["intent"])["objective"]["kpi"], []).append(value)
    wall_s = time.perf_counter() - t0
    values = [v for vs in by_kpi.values() for v in vs]
    per_kpi = {k: {"rows": len(v), "approved": sum(x > 0 for x in v), "mean_reward": sum(v) / len(v)}
               for k, v in sorted(by_kpi.items())}
    print(f"objective kpi          rows  approved  mean reward   (default plan, {HYBRID_REWARD_EVALS} evaluations each)")
    for k, s in per_kpi.items():
        print(f"{k:<22} {s['rows']:>4}  {s['approved']:>8}  {s['mean_reward']:>11.4f}")
    approved = sum(x > 0 for x in values)
    print(f"{'all':<22} {len(values):>4}  {approved:>8}  {sum(values) / len(values):>11.4f}   "
          f"({100 * approved / len(values):.0f} % approved; {reward.stats['sim_evals']} simulator evaluations, "
          f"{wall_s:.0f} s)")
    out = {"data": args.data.name, "limit": args.limit, "rows": len(values), "seed": args.seed,
           "evals_per_plan": HYBRID_REWARD_EVALS, "approved": approved, "approved_share": approved / len(values),
           "mean_reward": sum(values) / len(values), "per_kpi": per_kpi, "stats": reward.stats,
           "wall_s": round(wall_s, 1)}
    print(json.dumps(out))
    if args.save:
        (HERE / "results" / "hybrid_reward.json").write_text(json.dumps(out, indent=1) + "\n")


if __name__ == "__main__":
    main()
