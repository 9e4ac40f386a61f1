"""Running an evaluation: grid → cache → executor → oracle regret → statistics → the eval directory.

    <out>/
      eval.json       the validated evaluation spec (what ran), code hash, prompt hashes
      cache.sqlite    finished samples by key (unless `cache:` names a shared file)
      results.jsonl   one row per sample, grid order: arm, unit, status, success, achieved, regret, cost
      summary.json    per arm: success + Wilson CI, regret median + bootstrap CI, cost, comparisons
      runs/           each sample's run folder (record, checkpoints, change log) when keep_runs
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ._cache import ResultCache
from ._executors import default_workers, execute
from ._grid import build_grid, code_hash, gold_sha, prompt_set_hashes, resolve_path
from ._judge import JUDGE_SEEDS, JUDGE_STEPS, MIN_ORACLE_REWARD, regret
from ._oracle import OracleStore, entry_key
from ._spec import EvalSpec
from ._summary import summarize

__all__ = ["EvalResult", "run_eval"]


@dataclass
class EvalResult:
    out: Path
    rows: list[dict[str, Any]]
    summary: dict[str, Any]
    computed: int  # samples run now (the rest came from the cache)


def _stderr_progress(done: int, total: int, row: dict[str, Any]) -> None:
    err = f" {row['error'].splitlines()[0][:100]}" if row.get("error") else ""
    print(f"[{done}/{total}] {row['scenario']} {row['intent']} seed {row['seed']} {row['arm']}: {row['status']} "
          f"success={row['success']} achieved={row['achieved']:.4f} evals={row['sim_evals']} "
          f"llm={row['llm_calls']} {row['wall_s']:.1f} s{err}", file=sys.stderr, flush=True)


def run_eval(spec: EvalSpec, *, progress: Callable[[int, int, dict[str, Any]], None] | None = _stderr_progress,
             dry_run: bool = False) -> EvalResult:
    """Run (or resume) the evaluation `spec` describes; returns its rows and summary, also written to its directory."""
    t_start = time.perf_counter()
    out = Path(spec.out or f"evals/{spec.name}")
    out.mkdir(parents=True, exist_ok=True)
    runs_dir = str((out / "runs").resolve()) if spec.keep_runs else None
    arms, units, samples = build_grid(spec, runs_dir=runs_dir)
    reference = spec.reference or arms[0].label
    cache = ResultCache(Path(spec.cache) if spec.cache else out / "cache.sqlite")
    if not dry_run:
        (out / "eval.json").write_text(json.dumps({"spec": spec.model_dump(mode="json"), "code_hash": code_hash(),
                                                   "prompt_hashes": prompt_set_hashes(), "n_samples": len(samples)},
                                                  indent=1))
    try:
        found = cache.get_many([s.key for s in samples])
        reuse = {k: r for k, r in found.items() if r.get("status") != "error" or not spec.retry_errors}
        # Two arms that differ only by name run the same sample: run it once, report it under both names.
        todo = list({s.key: s for s in samples if s.key not in reuse}.values())
        fresh: dict[str, dict[str, Any]] = {}
        if not dry_run:
            def on_result(row: dict[str, Any]) -> None:
                cache.put(row)  # first: a kill right after loses nothing
                fresh[row["key"]] = row
                if progress:
                    progress(len(fresh), len(todo), row)

            execute([s.task for s in todo], on_result, executor=spec.executor,
                     workers=spec.workers or default_workers(), ray_address=spec.ray_address)
    finally:
        cache.close()

    oracles = OracleStore(resolve_path(spec.oracle.dir))
    rows: list[dict[str, Any]] = []
    oracle_state: dict[str, list[str]] = {"ok": [], "stale": [], "missing": [], "other-trials": [], "other-gold": []}
    looked: set[tuple[str, str, int]] = set()
    for s in samples:
        u = s.unit
        look = oracles.lookup(u.scenario, u.intent, u.seed, spec.n_ues, gold_sha=gold_sha(s.row),
                              trials=spec.oracle.trials, code_hash=code_hash(), allow_stale=spec.oracle.allow_stale)
        if (u.scenario, u.intent, u.seed) not in looked:
            looked.add((u.scenario, u.intent, u.seed))
            oracle_state[look.status].append(f"{u.scenario}/{entry_key(u.intent, u.seed, spec.n_ues)}")
        row = fresh.get(s.key) or reuse.get(s.key)
        if row is None:  # dry run
            continue
        row = {**row, "arm": s.arm.name, "cached": s.key in reuse}
        row["oracle_reward"] = look.reward
        row["oracle_status"] = "no-gain" if look.reward is not None and look.reward <= MIN_ORACLE_REWARD \
            else look.status
        row["regret"] = regret(look.reward, row["achieved"])
        rows.append(row)

    if not dry_run:
        with open(out / "results.jsonl", "w") as f:
            for row in rows:
                f.write(json.dumps(row) + "\n")
    stats = summarize(rows, arms, reference, spec.stats) if rows else {"arms": {}, "comparisons": [],
                                                                       "by_scenario": {}}
    summary = {
        "eval": spec.name,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "code_hash": code_hash(),
        "prompt_hashes": prompt_set_hashes(),
        "executor": spec.executor, "workers": 1 if spec.executor == "serial" else spec.workers or default_workers(),
        "grid": {"scenarios": spec.scenarios, "seeds": spec.seeds, "intents": sorted({u.intent for u in units}),
                 "modes": spec.modes, "arms": [a.name for a in arms], "n_ues": spec.n_ues},
        "n_samples": len(samples), "n_computed": len(fresh), "n_cached": sum(s.key in reuse for s in samples),
        "n_errors": sum(r["status"] == "error" for r in rows),
        "judge": {"seeds": JUDGE_SEEDS, "steps": JUDGE_STEPS},
        "oracle": {"dir": str(spec.oracle.dir), "trials": spec.oracle.trials, "allow_stale": spec.oracle.allow_stale,
                   **{k.replace("-", "_"): v for k, v in oracle_state.items()}},
        "stats": spec.stats.model_dump(),
        "reference": reference,
        "wall_s": round(time.perf_counter() - t_start, 3),
        **stats,
    }
    if not dry_run:
        (out / "summary.json").write_text(json.dumps(summary, indent=1))
    return EvalResult(out=out, rows=rows, summary=summary, computed=len(fresh))
