"""Fine-tuned vs base embedded model (issue 12): the planner with the model alone, and decoding speed.

    python benchmarks/finetune.py                       # base `llamacpp:base` vs tuned `llamacpp:tuned`
    python benchmarks/finetune.py --generated 120 --outsider 10 --save

**Planner, model alone** (strategy ``llm``: the model's draft, post-processed by code, no rule reading merged): exact
match (`intent_matches`) on intents.jsonl's ``test`` and ``holdout2`` splits, a stratified sample of the generated
``test`` split, and a sample of each outsider set (holdout3..9). The tuned model is asked with the prompt it was
trained on (``prompts/planner_tuned.md``, no few-shot pairs); the base with the shipped few-shot prompt. Per set:
exact match with Wilson 95 % intervals, and the paired difference (tuned - base, same texts) with a bootstrap 95 %
interval. None of these texts is in the training data (``tests/test_finetune.py`` checks).

**Default strategy** (``rules+llm``) on intents.jsonl's test and holdout2 (``--default-sets``), base vs tuned: what a
user gets from `airloop plan --model`.

**Speed**: tokens per second of a 128-token free generation, base and base+adapter loaded side by side in one
process, alternated, three rounds each (llama.cpp applies the LoRA at every matmul, so some cost is expected).

``--save`` writes ``benchmarks/results/finetune.{json,txt}``.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import re
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import paraphrases as P  # noqa: E402
from airloop.agents.intent import intent_matches  # noqa: E402
from airloop.agents.models import ChatRequest, ModelConfig, get_model  # noqa: E402
from airloop.agents.planner import plan_intent  # noqa: E402

from airloop.evaluation import bootstrap_ci, wilson_interval  # noqa: E402

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"


#: the outsider sets the sample is drawn from: holdout3..9, as in every run of this benchmark so far (the later sets
#: would change the sample, and so the comparison with earlier runs)
OUTSIDER_SETS = tuple(f"holdout{k}" for k in range(3, 10))


def outsider_sets(spec: str) -> tuple[str, ...]:
    """``"3-9"`` → holdout3..holdout9 (inclusive); a clear error for anything else or a set that does not exist."""
    m = re.fullmatch(r"(\d+)-(\d+)", spec.strip())
    if not m or int(m[1]) > int(m[2]):
        raise SystemExit(f"--outsider-sets {spec!r}: write a range of outsider set numbers, e.g. 3-9 (holdout3..9)")
    names = tuple(f"holdout{k}" for k in range(int(m[1]), int(m[2]) + 1))
    missing = [n for n in names if not (HERE / "intents" / f"{n}.jsonl").is_file()]
    if missing:
        raise SystemExit(f"--outsider-sets {spec}: no {', '.join(missing[:5])} in benchmarks/intents/")
    return names


def _sets(n_generated: int, n_outsider: int, outsiders: tuple[str, ...] = OUTSIDER_SETS,
          hand_written: bool = True) -> dict[str, list[dict[str, Any]]]:
    """Rows with ``id``, ``text`` and ``gold_intent`` (the paraphrase benchmark's loaders)."""
    sets = {f"intents {split}": P._old_items(split) for split in ("test", "holdout2")} if hand_written else {}
    if n_generated:
        sets["generated test"] = P._sample(P.load(split="test"), n_generated, P.DEFAULT_SEED)
    if n_outsider:
        label = "outsider sample" if outsiders == OUTSIDER_SETS else f"outsider {outsiders[0]}-{outsiders[-1].removeprefix('holdout')}"
        sets[label] = [r for name in outsiders for items in [P._old_items(name)]
                       for r in random.Random(f"finetune:{name}").sample(items, min(n_outsider, len(items)))]
    return sets


def _score(items: list[dict[str, Any]], model: Any, strategy: str) -> tuple[list[int], float, int]:
    hits, failed = [], 0
    t0 = time.perf_counter()
    for it in items:
        res = plan_intent(it["text"], model, strategy=strategy)  # type: ignore[arg-type]
        failed += res.status != "ok"
        hits.append(int(res.status == "ok" and res.intent is not None
                        and intent_matches(res.intent, it["gold_intent"])))
    return hits, time.perf_counter() - t0, failed


def _paired_ci(a: list[int], b: list[int]) -> tuple[float, float, float]:
    """Mean of the per-text differences (tuned - base) and its bootstrap 95 % interval (the eval harness's)."""
    d = np.asarray(b, float) - np.asarray(a, float)
    lo, hi = bootstrap_ci(d, seed=0)
    return float(d.mean()), lo, hi


def pooled_lines(rows: list[dict[str, Any]]) -> list[str]:
    """Each strategy's rows pooled (every text of every set, paired): all sets, and the hand-written intents.jsonl
    splits alone; the same paired bootstrap as each row's."""
    lines = []
    for strategy in dict.fromkeys(r["strategy"] for r in rows):
        for label, keep in (("all sets, pooled", lambda r: True),
                            ("hand-written, pooled", lambda r: r["set"].startswith("intents"))):
            mine = [r for r in rows if r["strategy"] == strategy and keep(r)]
            if len(mine) < 2:
                continue
            base = [h for r in mine for h in r["base"]["hits"]]
            tuned = [h for r in mine for h in r["tuned"]["hits"]]
            d, lo, hi = _paired_ci(base, tuned)
            lines.append(f"{label:<21} {strategy:<10} {len(base):>4} base {100 * np.mean(base):.1f} %, tuned "
                         f"{100 * np.mean(tuned):.1f} %: {100 * d:+.1f} pp [{100 * lo:+.1f}, {100 * hi:+.1f}]")
    return lines


def _tokens_per_s(model: Any, n_tokens: int) -> float:
    msgs = [{"role": "user", "content": "Explain in detail how a cellular network saves energy at night."}]
    t0 = time.perf_counter()
    c = model.complete(ChatRequest(msgs, max_tokens=n_tokens, seed=0))
    return c.usage.completion_tokens / (time.perf_counter() - t0)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--base", default="llamacpp:base")
    ap.add_argument("--tuned", default="llamacpp:tuned")
    ap.add_argument("--base-adapter", default=None, help="an adapter GGUF for the base side (two adapters compared "
                    "paired: the shipped one as --base llamacpp:tuned --base-adapter FILE)")
    ap.add_argument("--tuned-adapter", default=None, help="an adapter GGUF for the tuned side (default: the shipped one)")
    ap.add_argument("--out", default="finetune", help="with --save: benchmarks/results/OUT.{json,txt}")
    ap.add_argument("--generated", type=int, default=40, help="rows of the generated test split (stratified)")
    ap.add_argument("--outsider", type=int, default=4, help="texts of each outsider set (--outsider-sets)")
    ap.add_argument("--outsider-sets", default="3-9", help="the outsider sets sampled, as a range of their numbers "
                    "(default 3-9, holdout3..9, as in every earlier run; e.g. 10-144 for sets no earlier run of this "
                    "benchmark sampled)")
    ap.add_argument("--no-hand-written", action="store_true", help="leave out intents.jsonl's test and holdout2")
    ap.add_argument("--strategies", default="llm,rules+llm")
    ap.add_argument("--default-sets", default="intents test,intents holdout2",
                    help="the sets rules+llm is scored on (comma-separated set names; it asks the model on every text)")
    ap.add_argument("--speed-rounds", type=int, default=3)
    ap.add_argument("--save", action="store_true")
    ap.add_argument("--pool", type=Path, default=None, help="print the pooled rows of a saved result (OUT.json) and stop")
    args = ap.parse_args(argv)
    if args.pool is not None:
        try:
            rows = json.loads(args.pool.read_text(encoding="utf-8"))["rows"]
        except (OSError, ValueError, KeyError) as e:
            raise SystemExit(f"--pool {args.pool}: not a saved finetune result (benchmarks/results/OUT.json with "
                             f"'rows'): {e}") from None
        print("\n".join(pooled_lines(rows)))
        return 0

    outsiders = outsider_sets(args.outsider_sets)

    def config(adapter: str | None) -> ModelConfig:
        return ModelConfig(llamacpp_n_ctx=4096, **({"llamacpp_adapter": adapter} if adapter else {}))

    models = {"base": get_model(args.base, config=config(args.base_adapter)),
              "tuned": get_model(args.tuned, config=config(args.tuned_adapter))}
    sets = _sets(args.generated, args.outsider, outsiders, not args.no_hand_written)
    if not sets:
        raise SystemExit("no set to score: keep the hand-written splits, or ask for --generated / --outsider texts")
    t_start = time.perf_counter()
    rows: list[dict[str, Any]] = []
    lines = [f"finetune benchmark: base {models['base'].name} vs tuned {models['tuned'].name}",
             f"{'set':<18} {'strategy':<10} {'n':>4} {'base':>22} {'tuned':>22} {'tuned - base [95% CI]':>26}"]
    print(lines[0], flush=True)
    for name, items in sets.items():
        for strategy in args.strategies.split(","):
            if strategy == "rules+llm" and name not in args.default_sets.split(","):
                continue
            got = {}
            for which, model in models.items():
                hits, secs, failed = _score(items, model, strategy)
                lo, hi = wilson_interval(sum(hits), len(hits))
                got[which] = {"hits": hits, "exact_match": sum(hits) / len(hits), "ci95": [lo, hi], "s": secs,
                              "not_ok": failed}
            d, dlo, dhi = _paired_ci(got["base"]["hits"], got["tuned"]["hits"])
            row = {"set": name, "strategy": strategy, "n": len(items), "ids": [it["id"] for it in items],
                   **{k: v for k, v in got.items()}, "paired_diff": d, "paired_ci95": [dlo, dhi]}
            rows.append(row)

            def cell(g: dict[str, Any]) -> str:
                return f"{100 * g['exact_match']:.1f} % [{100 * g['ci95'][0]:.0f}, {100 * g['ci95'][1]:.0f}]"

            line = (f"{name:<18} {strategy:<10} {len(items):>4} {cell(got['base']):>22} {cell(got['tuned']):>22} "
                    f"{100 * d:+.1f} pp [{100 * dlo:+.1f}, {100 * dhi:+.1f}]")
            lines.append(line)
            print(line, flush=True)

    for line in pooled_lines(rows):
        lines.append(line)
        print(line, flush=True)
    speed = {"base": [], "tuned": []}
    for _ in range(args.speed_rounds):
        for which, model in models.items():
            speed[which].append(_tokens_per_s(model, 128))
    med = {k: float(np.median(v)) for k, v in speed.items()}
    lines.append(f"speed (128 free tokens, median of {args.speed_rounds}, alternated): base {med['base']:.1f} tok/s, "
                 f"tuned {med['tuned']:.1f} tok/s (ratio {med['tuned'] / med['base']:.2f})")
    print(lines[-1])
    manifest = models["tuned"].describe().get("adapter") or {}
    summary = {"benchmark": "finetune", "base": models["base"].describe(), "tuned": models["tuned"].describe(),
               "adapter": manifest, "rows": rows, "tokens_per_s": speed, "tokens_per_s_median": med,
               "wall_s": round(time.perf_counter() - t_start, 1), "python": platform.python_version(),
               "argv": sys.argv[1:]}
    print(json.dumps({k: v for k, v in summary.items() if k != "rows"} | {
        "table": [{k: r[k] for k in ("set", "strategy", "n", "paired_diff", "paired_ci95")}
                  | {w: r[w]["exact_match"] for w in ("base", "tuned")} for r in rows]}, default=str))
    if args.save:
        RESULTS.mkdir(exist_ok=True)
        (RESULTS / f"{args.out}.json").write_text(json.dumps(summary, indent=1, default=str) + "\n")
        (RESULTS / f"{args.out}.txt").write_text("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
