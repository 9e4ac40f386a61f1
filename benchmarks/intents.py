"""Intent benchmark: exact-match accuracy of the planner, per model and per strategy.

    python benchmarks/intents.py                          # rules, plus llm and rules+llm on the embedded model
    python benchmarks/intents.py --model none             # rules only (no model needed)
    python benchmarks/intents.py --model llamacpp --model ollama:qwen2.5:7b --split test -v

Reads benchmarks/intents/intents.jsonl: hand-written texts with gold intents in DESIGN.md's shape (``gold: null`` for
texts that must be refused as invalid). An answer is correct when the planner's status is ``ok`` and its intent
matches the gold one under `airloop.agents.intent.intent_matches` (objective, constraints as a set with 1e-6 relative
tolerance, hours, cells and knobs; text and assumptions ignored), or, for an invalid text, when the status is
``invalid``. The few-shot examples in prompts/ share no text with this file (a test checks it).

Prints a table (accuracy on valid texts, on invalid texts, overall; per-field misses; time and tokens per text), then
one JSON line with every figure.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

from airloop.agents.intent import Intent, intent_diff, intent_matches
from airloop.agents.planner import plan_intent

DATA = Path(__file__).with_name("intents") / "intents.jsonl"


def load_items(path: Path = DATA, split: str = "all") -> list[dict[str, Any]]:
    items = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    for it in items:
        it["gold_intent"] = Intent.model_validate(it["gold"]) if it["gold"] is not None else None
    return [it for it in items if split == "all" or it["split"] == split]


def _tokens(usage: list[Any]) -> int:
    return sum(getattr(u, "prompt_tokens", 0) + getattr(u, "completion_tokens", 0) for u in usage)


def run(items: list[dict[str, Any]], model: Any, strategy: str, verbose: bool = False) -> dict[str, Any]:
    correct_valid = correct_invalid = n_valid = n_invalid = 0
    fields: Counter[str] = Counter()
    by_tag: dict[str, list[int]] = {}
    calls = tokens = 0
    failed = 0
    took_from_model = disagreed = 0
    t0 = time.perf_counter()
    misses = []
    for it in items:
        res = plan_intent(it["text"], model, strategy=strategy)  # type: ignore[arg-type]
        calls += len(res.usage)
        tokens += _tokens(res.usage)
        failed += res.status == "failed"
        steps = " | ".join(res.postprocessing)
        took_from_model += any(w in steps for w in ("from the model", "chosen by the model"))
        disagreed += any(w in steps for w in ("kept the rule reading", "dropped"))
        gold: Intent | None = it["gold_intent"]
        if gold is None:
            n_invalid += 1
            ok = res.status == "invalid"
            correct_invalid += ok
            diff = [] if ok else ["status"]
        else:
            n_valid += 1
            ok = res.status == "ok" and res.intent is not None and intent_matches(res.intent, gold)
            correct_valid += ok
            diff = [] if ok else (["status"] if res.intent is None else intent_diff(res.intent, gold))
        fields.update(diff)
        for tag in it["tags"]:
            by_tag.setdefault(tag, [0, 0])
            by_tag[tag][0] += ok
            by_tag[tag][1] += 1
        if not ok:
            misses.append({"id": it["id"], "split": it["split"], "fields": diff})
            if verbose:
                got = res.intent.model_dump(exclude={"text", "assumptions"}) if res.intent else res.status
                want = gold.model_dump(exclude={"text", "assumptions"}) if gold else "invalid"
                print(f"  MISS {it['id']} [{strategy}] {it['text']!r}\n    fields: {diff}\n    got:  {got}\n"
                      f"    gold: {want}\n    notes: {res.notes}", file=sys.stderr)
    wall = time.perf_counter() - t0
    n = len(items)
    return {
        "n": n,
        "n_valid": n_valid,
        "n_invalid": n_invalid,
        "exact_match": correct_valid / n_valid if n_valid else None,
        "invalid_detected": correct_invalid / n_invalid if n_invalid else None,
        "overall": (correct_valid + correct_invalid) / n if n else None,
        "misses_by_field": dict(fields),
        "by_tag": {k: round(v[0] / v[1], 3) for k, v in sorted(by_tag.items())},
        "model_failures": failed,
        # rules+llm only: texts where the merge took something from the model / where the model's draft differed
        # from the rule reading and was overruled
        "took_from_model": took_from_model,
        "model_overruled": disagreed,
        "llm_calls_per_text": calls / n if n else 0.0,
        "tokens_per_text": tokens / n if n else 0.0,
        "seconds_per_text": wall / n if n else 0.0,
        "misses": misses,
    }


def _pct(x: float | None) -> str:
    return "   -  " if x is None else f"{100 * x:5.1f}%"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--model", action="append", help="model spec (repeatable); 'none' = rules only. "
                    "Default: the embedded 'llamacpp' when it loads, else none")
    ap.add_argument("--strategy", action="append", choices=["rules", "llm", "rules+llm"],
                    help="strategies to run (repeatable; default all that apply)")
    ap.add_argument("--split", default="all", choices=["all", "dev", "test", "holdout2"])
    ap.add_argument("--limit", type=int, default=None, help="first N texts only")
    ap.add_argument("-v", "--verbose", action="store_true", help="print every miss to stderr")
    args = ap.parse_args(argv)

    items = load_items(split=args.split)[: args.limit]
    specs = args.model or ["llamacpp"]
    strategies = args.strategy or ["rules", "llm", "rules+llm"]
    rows: list[dict[str, Any]] = []
    if "rules" in strategies:
        rows.append({"model": "none", "strategy": "rules", **run(items, None, "rules", args.verbose)})
    for spec in specs:
        if spec == "none":
            continue
        try:
            from airloop.agents.models import get_model

            model = get_model(spec)
            model.preflight()
            name = model.spec
        except Exception as e:  # no model layer, or the model cannot load: report it and carry on
            print(f"model {spec!r} unavailable ({type(e).__name__}: {e}); skipped", file=sys.stderr)
            continue
        for strategy in strategies:
            if strategy == "rules":
                continue
            rows.append({"model": name, "strategy": strategy, **run(items, model, strategy, args.verbose)})

    print(f"intent benchmark: {len(items)} texts ({args.split}), {sum(it['gold'] is not None for it in items)} "
          f"with a gold intent, {sum(it['gold'] is None for it in items)} to refuse")
    print(f"{'model':<28} {'strategy':<10} {'exact':>7} {'invalid':>8} {'overall':>8} {'s/text':>7} {'tok/text':>8}"
          f"  misses by field")
    for r in rows:
        print(f"{r['model'][:28]:<28} {r['strategy']:<10} {_pct(r['exact_match']):>7} {_pct(r['invalid_detected']):>8} "
              f"{_pct(r['overall']):>8} {r['seconds_per_text']:7.2f} {r['tokens_per_text']:8.0f}  "
              f"{r['misses_by_field']}")
    summary = {"benchmark": "intents", "split": args.split, "n": len(items), "python": platform.python_version(),
               "rows": rows}
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
