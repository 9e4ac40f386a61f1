"""Model-layer benchmark: embedded model load time, tokens/s, and schema validity of structured output.

    python benchmarks/models.py                       # embedded SmolLM2 (llamacpp)
    python benchmarks/models.py --spec ollama:qwen2.5:7b
    python benchmarks/models.py --threads 1 --n 10

Over the benchmark intents (benchmarks/models_prompts.jsonl) it asks for a bounded cut of DESIGN.md's Intent and
reports first-try validity (valid on the first call), after-repair validity (valid within --max-attempts calls; the
goal is 100%) and, for information, how often the objective KPI matches the expected one (meaning, which a 135M model
mostly lacks; structure, few-shot and verification carry it). Prints a table, then one JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path
from typing import Annotated, Literal

from airloop.agents.models import Budget, ModelConfig, Ok, get_model, structured
from airloop.agents.models._llamacpp import LlamaCppModel, load_llama
from airloop.agents.models._types import ChatRequest
from pydantic import BaseModel, Field

try:
    from airloop.simulator.types import KNOB_NAMES, KPI_NAMES
except ImportError:
    KPI_NAMES = ("energy_w", "energy_efficiency", "throughput_mean_mbps", "throughput_p5_mbps", "coverage",
                 "fairness", "latency_ms", "handover_rate", "prb_utilization", "active_cells")
    KNOB_NAMES = ("tx_power_dbm", "tilt_deg", "active", "cio_db", "slice_shares")

PROMPTS = Path(__file__).with_name("models_prompts.jsonl")
Kpi = Literal[KPI_NAMES]  # type: ignore[valid-type]
Knob = Literal[KNOB_NAMES]  # type: ignore[valid-type]
Slice = Literal["embb", "urllc", "mmtc"]


class Objective(BaseModel):
    kpi: Kpi
    goal: Literal["minimize", "maximize"]
    slice: Slice | None = None


class Constraint(BaseModel):
    kpi: Kpi
    op: Literal[">=", "<="]
    value: float = Field(ge=0, le=100_000)
    slice: Slice | None = None


class BenchIntent(BaseModel):
    """DESIGN.md's Intent, bounded: enums for names, numeric ranges, maxItems, short strings."""

    objective: Objective
    constraints: list[Constraint] = Field(default_factory=list, max_length=4)
    hours: list[Annotated[int, Field(ge=0, le=23)]] | None = Field(None, max_length=24)
    cells: list[Annotated[int, Field(ge=0, le=500)]] | None = Field(None, max_length=8)
    knobs: list[Knob] | None = Field(None, max_length=5)
    assumptions: list[str] = Field(default_factory=list, max_length=2)


SYSTEM = (
    "You turn a radio network engineer's request into a JSON intent. objective.kpi is the KPI to optimise, one of: "
    + ", ".join(KPI_NAMES) + ". objective.goal is minimize or maximize. constraints are limits other KPIs must "
    "keep (coverage is a fraction: 95% is 0.95). hours are hours of the day, 0 to 23, or null for now. cells null "
    "means all cells; knobs null means all knobs. assumptions are short notes on how you read the request.\n"
    'Example: "Cut energy at night but keep coverage above 95%" -> {"objective": {"kpi": "energy_w", "goal": '
    '"minimize", "slice": null}, "constraints": [{"kpi": "coverage", "op": ">=", "value": 0.95, "slice": null}], '
    '"hours": [0, 1, 2, 3, 4, 5], "cells": null, "knobs": null, "assumptions": ["night read as 00:00-06:00"]}'
)


def free_tokens_per_s(model, n_tokens: int) -> tuple[float, int]:
    msgs = [{"role": "user", "content": "Explain in detail how a cellular network saves energy at night."}]
    c = model.complete(ChatRequest(msgs, max_tokens=n_tokens, seed=0))
    return c.usage.completion_tokens / max(c.usage.latency_s, 1e-9), c.usage.completion_tokens


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--spec", default="llamacpp", help="model spec (default: the embedded model)")
    ap.add_argument("--threads", type=int, default=None, help="llama.cpp threads (default: os.cpu_count())")
    ap.add_argument("--n", type=int, default=None, help="use the first N prompts")
    ap.add_argument("--max-attempts", type=int, default=3)
    ap.add_argument("--free-tokens", type=int, default=128, help="length of the unconstrained generation")
    args = ap.parse_args(argv)

    config = ModelConfig(llamacpp_threads=args.threads, llamacpp_n_ctx=4096)
    model = get_model(args.spec, config=config)
    load_s = None
    if isinstance(model, LlamaCppModel):
        t0 = time.perf_counter()
        load_llama(model.path, n_ctx=model.n_ctx, n_threads=model.n_threads, seed=config.seed, repack=model.repack,
                   adapter=model.adapter)
        load_s = time.perf_counter() - t0
    else:
        model.preflight()

    free_tps, free_n = free_tokens_per_s(model, args.free_tokens)
    prompts = [json.loads(line) for line in PROMPTS.read_text().splitlines() if line.strip()][: args.n]

    rows = []
    budget = Budget()
    for p in prompts:
        msgs = [{"role": "system", "content": SYSTEM}, {"role": "user", "content": p["text"]}]
        t0 = time.perf_counter()
        res = structured(model, BenchIntent, msgs, budget=budget, max_attempts=args.max_attempts)
        wall = time.perf_counter() - t0
        ok = isinstance(res, Ok)
        rows.append({
            "text": p["text"], "ok": ok, "attempts": res.attempts, "first_try": ok and res.attempts == 1,
            "kpi": res.value.objective.kpi if ok else None, "kpi_expected": p["kpi"],
            "kpi_match": ok and res.value.objective.kpi == p["kpi"], "wall_s": wall,
            "completion_tokens": sum(u.completion_tokens for u in res.usage),
            "decode_s": sum(u.latency_s for u in res.usage), "reason": None if ok else res.reason,
        })

    n = len(rows)
    summary = {
        "benchmark": "models", "spec": model.spec, "model": model.name, "digest": model.digest,
        "threads": getattr(model, "n_threads", None), "cpu_count": os.cpu_count(), "machine": platform.machine(),
        "load_s": round(load_s, 3) if load_s is not None else None,
        "free_tokens_per_s": round(free_tps, 1), "free_tokens": free_n,
        "structured_tokens_per_s": round(sum(r["completion_tokens"] for r in rows)
                                         / max(sum(r["decode_s"] for r in rows), 1e-9), 1),
        "prompts": n, "max_attempts": args.max_attempts,
        "first_try_valid": round(sum(r["first_try"] for r in rows) / n, 3),
        "after_repair_valid": round(sum(r["ok"] for r in rows) / n, 3),
        "mean_attempts": round(statistics.mean(r["attempts"] for r in rows), 2),
        "objective_kpi_match": round(sum(r["kpi_match"] for r in rows) / n, 3),
        "mean_call_s": round(statistics.mean(r["wall_s"] for r in rows), 2),
        "llm_calls": budget.llm_calls, "tokens": budget.tokens,
    }

    print(f"{'#':>2}  {'ok':<3} {'try':>3} {'kpi (expected)':<48} {'s':>5}  text")
    for i, r in enumerate(rows, 1):
        kpi = f"{r['kpi'] or '-'} ({r['kpi_expected']})"
        print(f"{i:>2}  {'yes' if r['ok'] else 'NO':<3} {r['attempts']:>3} {kpi:<48} {r['wall_s']:>5.1f}  "
              f"{r['text'][:60]}")
        if r["reason"]:
            print(f"      {r['reason'][:110]}")
    print()
    print(f"model            {summary['spec']} ({summary['model']}), threads={summary['threads']}")
    if load_s is not None:
        print(f"load time        {summary['load_s']:.2f} s")
    print(f"tokens/s         {summary['free_tokens_per_s']} free, {summary['structured_tokens_per_s']} "
          f"grammar-constrained")
    print(f"first-try valid  {summary['first_try_valid']:.0%}   after repair ({args.max_attempts} attempts) "
          f"{summary['after_repair_valid']:.0%}   mean attempts {summary['mean_attempts']}")
    print(f"objective KPI    {summary['objective_kpi_match']:.0%} match the expected one (meaning, not structure)")
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
