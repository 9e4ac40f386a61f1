"""The ``llm`` strategy's post-processing of an earlier commit against today's, on the same model answers.

    python benchmarks/postprocess_ab.py 72a8547 --model llamacpp:tuned --outsider-sets 10-144 --outsider 1

The planner's model-alone strategy (``llm``) turns the model's draft into an intent with two steps of code,
``ground_units`` and ``drop_invented_numbers`` (`airloop.agents.planner._merge`). This benchmark asks the model once
per text (greedy decoding, answers kept in a call cache) and scores the reading twice: with today's two functions and
with REV's (their source taken from git and run in today's module), so the difference is the post-processing alone.
Prints exact match per side, the texts gained and lost, and the paired bootstrap 95 % interval of the difference.
"""

from __future__ import annotations

import argparse
import ast
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import finetune as F  # noqa: E402
from airloop.agents.intent import intent_matches  # noqa: E402
from airloop.agents.models import ModelConfig, get_model  # noqa: E402
from airloop.agents.planner import _merge, _plan, plan_intent  # noqa: E402

from airloop.evaluation import bootstrap_ci, wilson_interval  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
FUNCTIONS = ("ground_units", "drop_invented_numbers")


def functions_at(rev: str) -> dict[str, Any]:
    """REV's ``ground_units`` and ``drop_invented_numbers``, defined in today's `_merge` namespace (the helpers they
    call are today's); a clear error when REV is unknown or lacks one of them."""
    try:
        src = subprocess.run(["git", "show", f"{rev}:agents/planner/_merge.py"], cwd=ROOT, check=True,
                             capture_output=True, text=True).stdout
    except subprocess.CalledProcessError as e:
        raise SystemExit(f"git show {rev}:agents/planner/_merge.py failed: {e.stderr.strip()}") from None
    tree = ast.parse(src)
    found = {n.name: ast.get_source_segment(src, n) for n in tree.body if isinstance(n, ast.FunctionDef)}
    missing = [f for f in FUNCTIONS if f not in found]
    if missing:
        raise SystemExit(f"{rev}'s _merge.py has no {', '.join(missing)}")
    namespace = dict(vars(_merge))
    for name in FUNCTIONS:
        exec(compile(found[name], f"{rev}:_merge.py", "exec"), namespace)  # noqa: S102 - our own repository's code
    return {name: namespace[name] for name in FUNCTIONS}


def score(items: list[dict[str, Any]], model: Any) -> list[int]:
    hits = []
    for it in items:
        res = plan_intent(it["text"], model, strategy="llm")
        hits.append(int(res.status == "ok" and res.intent is not None and intent_matches(res.intent, it["gold_intent"])))
    return hits


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("rev", help="the commit whose post-processing is compared with today's")
    ap.add_argument("--model", default="llamacpp:tuned")
    ap.add_argument("--generated", type=int, default=0)
    ap.add_argument("--outsider", type=int, default=1)
    ap.add_argument("--outsider-sets", default="10-144")
    ap.add_argument("--no-hand-written", action="store_true")
    ap.add_argument("--out", type=Path, default=None, help="also write the rows as JSON here")
    args = ap.parse_args(argv)
    old = functions_at(args.rev)
    sets = F._sets(args.generated, args.outsider, F.outsider_sets(args.outsider_sets), not args.no_hand_written)
    with tempfile.TemporaryDirectory() as tmp:
        model = get_model(args.model, config=ModelConfig(llamacpp_n_ctx=4096, cache_path=str(Path(tmp) / "calls.db")))
        print(f"post-processing of {args.rev} vs today's, model {model.name} (strategy llm)", flush=True)
        print(f"{'set':<26} {'n':>4} {args.rev + ' (old)':>22} {'today':>22} {'today - old [95% CI]':>26}")
        rows = []
        t0 = time.perf_counter()
        for name, items in sets.items():
            new_hits = score(items, model)  # asks the model; the answers stay in the call cache
            saved = {f: getattr(_plan, f) for f in FUNCTIONS}
            try:
                for f, fn in old.items():
                    setattr(_plan, f, fn)
                old_hits = score(items, model)  # the same answers, from the cache
            finally:
                for f, fn in saved.items():
                    setattr(_plan, f, fn)
            d = np.asarray(new_hits, float) - np.asarray(old_hits, float)
            lo, hi = bootstrap_ci(d, seed=0)
            cells = [f"{100 * np.mean(h):.1f} % [{100 * a:.0f}, {100 * b:.0f}]"
                     for h in (old_hits, new_hits) for a, b in [wilson_interval(sum(h), len(h))]]
            print(f"{name:<26} {len(items):>4} {cells[0]:>22} {cells[1]:>22} "
                  f"{100 * d.mean():+.1f} pp [{100 * lo:+.1f}, {100 * hi:+.1f}]", flush=True)
            gained = [it["id"] for it, a, b in zip(items, old_hits, new_hits, strict=True) if b > a]
            lost = [it["id"] for it, a, b in zip(items, old_hits, new_hits, strict=True) if a > b]
            print(f"    gained {len(gained)} {gained[:12]}; lost {len(lost)} {lost[:12]}")
            rows.append({"set": name, "n": len(items), "old": old_hits, "new": new_hits, "gained": gained,
                         "lost": lost, "diff": float(d.mean()), "ci95": [lo, hi]})
    print(f"wall {time.perf_counter() - t0:.0f} s")
    if args.out:
        args.out.write_text(json.dumps({"rev": args.rev, "model": args.model, "argv": sys.argv, "rows": rows},
                                       indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
