"""Hybrid with the base SmolLM2 against hybrid with its own LoRA adapter (`airloop train hybrid`), from a finished
paired evaluation (`airloop eval benchmarks/evals/hybrid-tuned-ab.yaml`): how often each arm's plan was used as is,
what the plan calls cost, and the verified reward, paired per unit with the harness's bootstrap CIs.

"Asked": plan calls made (a run asks once per optimizer round; runs that end at the headroom look ask none).
"Usable": the answer validated into a plan with a move on a knob that drives the objective. "As is": usable and
needing no repair (no knob, ranking or count dropped or re-read). "Gave way": rounds in which the model's plan did not
beat the default plan's start by the checkpoint, so the default plan took the evaluations left.

Usage:
    python benchmarks/hybrid_tuned.py EVAL_DIR            # table + JSON
    python benchmarks/hybrid_tuned.py EVAL_DIR --save     # also benchmarks/results/hybrid_tuned.json
    python benchmarks/hybrid_tuned.py EVAL_DIR --save --out hybrid_grpo   # ... results/hybrid_grpo.json
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent


def summarize(eval_dir: Path) -> dict[str, Any]:
    rows = [json.loads(line) for line in (eval_dir / "results.jsonl").read_text().splitlines() if line.strip()]
    summary = json.loads((eval_dir / "summary.json").read_text())
    arms: dict[str, dict[str, Any]] = {}
    for arm in dict.fromkeys(r["arm"] for r in rows):
        mine = [r for r in rows if r["arm"] == arm]
        uses = [r["plan_use"] for r in mine if r.get("plan_use")]
        asked = sum(u["asked"] for u in uses)
        called = [r for r in mine if r.get("plan_use")]
        calls = sum(r["llm_calls"] for r in called)
        arms[arm] = {
            "samples": len(mine), "errors": sum(r["status"] == "error" for r in mine),
            "runs_with_a_plan_call": len(called), "asked": asked,
            "usable": sum(u["llm"] for u in uses), "as_is": sum(u["as_is"] for u in uses),
            "gave_way": sum(u["gave_way"] for u in uses),
            "llm_s_per_call": round(sum(r["llm_s"] for r in called) / calls, 2) if calls else None,
            "tokens_per_call": round(sum(r["tokens"] for r in called) / calls) if calls else None,
            "success": sum(bool(r["success"]) for r in mine) / len(mine),
            "reward_mean": sum(r["achieved"] for r in mine) / len(mine),
            "wall_s_mean": sum(r["wall_s"] for r in mine) / len(mine),
        }
    comparisons = [c for c in summary["comparisons"] if c["metric"] in ("reward", "regret", "success")]
    return {"eval_dir": str(eval_dir), "code_hash": summary.get("code_hash"), "wall_s": summary.get("wall_s"),
            "arms": arms, "comparisons": comparisons}


def _pct(a: int, b: int) -> str:
    return f"{a}/{b} ({100 * a / b:.0f} %)" if b else "-"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("eval_dir", type=Path)
    ap.add_argument("--save", action="store_true", help="write benchmarks/results/<out>.json")
    ap.add_argument("--out", default="hybrid_tuned", help="the results file's name (default hybrid_tuned)")
    args = ap.parse_args()
    out = summarize(args.eval_dir)
    print("arm | samples | runs with a plan call | plans asked | usable | used as is | gave way to the default | "
          "s per call | tokens per call | success | mean verified reward | mean wall s")
    for arm, a in out["arms"].items():
        print(f"{arm} | {a['samples']} | {a['runs_with_a_plan_call']} | {a['asked']} | {_pct(a['usable'], a['asked'])} | "
              f"{_pct(a['as_is'], a['asked'])} | {a['gave_way']} | {a['llm_s_per_call']} | {a['tokens_per_call']} | "
              f"{100 * a['success']:.1f} % | {a['reward_mean']:.4f} | {a['wall_s_mean']:.1f}")
    print()
    for c in out["comparisons"]:
        lo, hi = c["delta_ci"]
        print(f"{c['arm']} vs {c['reference']}: {c['metric']} {c['delta']:+.4f} [{lo:+.4f}, {hi:+.4f}] over "
              f"{c['n_pairs']} pairs, p {c['p']:.4f} (Holm {c['p_holm']:.4f})")
    print(json.dumps(out))
    if args.save:
        (HERE / "results" / f"{args.out}.json").write_text(json.dumps(out, indent=1) + "\n")


if __name__ == "__main__":
    main()
