"""Evaluation harness speed: one process vs the process pool vs Ray on the same small grid, side by side.

Each executor runs the grid from an empty cache (its own eval directory), so every sample is computed; the wall
time includes starting the workers (forked processes, or a local Ray instance whose workers import airloop). The
rows must agree between executors (a sample is deterministic for its seed): the script says whether they do. The
machine's load average is printed beside each row: on a shared machine the speed-up is bounded by the CPU share
the other jobs leave, which "sum of samples s" (per-sample wall time, added up) makes visible.

`--llm-threads auto,2` runs each pooled executor once per llama.cpp thread count of the embedded model in every worker:
`auto` is what the harness picks (the cores split between the workers), a number forces that count (2 on 2 cores
with 2 workers is what every worker took before the harness split them: oversubscribed).

Usage:
    python benchmarks/eval_speed.py                       # 2 arms x 4 intents x 1 seed, 400 users; prints a table + JSON
    python benchmarks/eval_speed.py --workers 2 --intents 6 --executors serial,process
    python benchmarks/eval_speed.py --executors serial,process --strategies hybrid,llm-direct --llm-threads auto,2
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from airloop.agents.models import LLAMACPP_THREADS_ENV as THREADS_ENV

from airloop.evaluation import TIMING_FIELDS, default_workers, load_spec, run_eval


def _cpu_s() -> float:
    """CPU seconds of this process and its finished children (pool workers; Ray's workers are not our children)."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--executors", default="serial,process,ray")
    ap.add_argument("--workers", type=int, default=None, help="default: the machine's cores")
    ap.add_argument("--strategies", default="heuristic,random")
    ap.add_argument("--intents", type=int, default=4, help="test-split intents (fixed stride)")
    ap.add_argument("--scenario", default="urban-macro-19")
    ap.add_argument("--n-ues", type=int, default=400)
    ap.add_argument("--sim-budget", type=int, default=20)
    ap.add_argument("--model", default="llamacpp", help="the LLM strategies' model")
    ap.add_argument("--llm-threads", default="auto",
                    help="comma-separated llama.cpp thread counts per worker to compare; auto = the harness's split")
    args = ap.parse_args(argv)
    thread_settings = args.llm_threads.split(",")
    workers = args.workers or default_workers()

    base: dict[str, Any] = {
        "name": "eval-speed", "scenarios": [args.scenario], "n_ues": args.n_ues, "seeds": [0],
        "intents": {"split": "test", "limit": args.intents}, "modes": ["opt"],
        "strategies": args.strategies.split(","), "model": args.model, "budget": {"sim_evals": args.sim_budget},
        "workers": workers, "keep_runs": False, "stats": {"resamples": 999, "permutations": 999},
    }
    tmp = Path(tempfile.mkdtemp(prefix="airloop-eval-speed-"))
    results: dict[str, dict[str, Any]] = {}
    reference_rows: list[dict[str, Any]] | None = None
    try:
        # one process (serial) has every core to itself: only the harness's own choice is run there
        runs = [(e, t) for e in args.executors.split(",") for t in thread_settings if e != "serial" or t == "auto"]
        for ex, threads in runs:
            label = ex if len(thread_settings) == 1 else f"{ex}/threads={threads}"
            spec = load_spec(None, {**base, "executor": ex, "out": str(tmp / label.replace("/", "-"))})
            if threads == "auto":
                os.environ.pop(THREADS_ENV, None)
            else:
                os.environ[THREADS_ENV] = threads
            load0 = os.getloadavg()[0]
            cpu0 = _cpu_s()
            t0 = time.perf_counter()
            res = run_eval(spec, progress=None)
            wall = time.perf_counter() - t0
            cpu = _cpu_s() - cpu0
            rows = [{k: v for k, v in r.items() if k not in TIMING_FIELDS} for r in res.rows]
            if reference_rows is None:
                reference_rows = rows
            results[label] = {"wall_s": round(wall, 2), "samples": len(rows),
                              "workers": 1 if ex == "serial" else workers, "llm_threads": threads,
                              "llm_s_sum": round(sum(r["llm_s"] for r in res.rows), 2),
                              "sample_s_sum": round(sum(r["wall_s"] + r["judge_s"] for r in res.rows), 2),
                              "cpu_s": None if ex == "ray" else round(cpu, 1),
                              "errors": sum(r["status"] == "error" for r in res.rows),
                              "same_rows_as_first": rows == reference_rows, "load_before": round(load0, 2)}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    first = next(iter(results.values()))["wall_s"]
    width = max(9, *(len(k) for k in results))
    print(f"{'executor':{width}s} {'workers':>7s} {'samples':>7s} {'wall s':>7s} {'speed-up':>8s} "
          f"{'sum of samples s':>16s} {'LLM s':>7s} {'CPU s':>6s} {'same rows':>9s} {'load':>5s}")
    for ex, r in results.items():
        r["speedup_vs_first"] = round(first / r["wall_s"], 2) if r["wall_s"] else None
        print(f"{ex:{width}s} {r['workers']:7d} {r['samples']:7d} {r['wall_s']:7.1f} {r['speedup_vs_first']:7.2f}x "
              f"{r['sample_s_sum']:16.1f} {r['llm_s_sum']:7.1f} "
              f"{'n/a' if r['cpu_s'] is None else format(r['cpu_s'], '.1f'):>6s} "
              f"{str(r['same_rows_as_first']):>9s} {r['load_before']:5.2f}")
    print(json.dumps({"benchmark": "eval_speed", "cores": default_workers(), "grid": {k: base[k] for k in (
        "scenarios", "n_ues", "intents", "strategies", "model", "budget")}, "executors": results}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
