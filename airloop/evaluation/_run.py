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

__all__ = ["EvalResult", "rescore_eval", "run_eval"]


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

    rows, oracle_state = _with_oracle(spec, samples, lambda s: fresh.get(s.key) or reuse.get(s.key),
                                      lambda s: s.key in reuse, code_hash())
    summary = _summary(spec, arms, units, rows, oracle_state, reference, code_hash(), t_start,
                       n_samples=len(samples), n_computed=len(fresh), n_cached=sum(s.key in reuse for s in samples))
    if not dry_run:
        _write(out, rows, summary)
    return EvalResult(out=out, rows=rows, summary=summary, computed=len(fresh))


def rescore_eval(out: str | Path) -> EvalResult:
    """Join an eval directory's rows with the oracle cache as it is now and recompute the statistics, running nothing.

    Oracle entries take hours and arrive after the eval that needs them; a row's own figures (status, success,
    achieved reward) depend only on the code that ran it, so they are kept. Regret and the achievable / right-no-op
    split are recomputed against the entries of the code the rows were run with (`eval.json`'s code hash; other
    entries count as stale, used unless the spec says `allow_stale: false`)."""
    t_start = time.perf_counter()
    out = Path(out)
    meta_path, rows_path = out / "eval.json", out / "results.jsonl"
    for p in (meta_path, rows_path):
        if not p.is_file():
            raise ValueError(f"{out} has no {p.name}: it is not a finished eval directory (run `airloop eval` first)")
    meta = json.loads(meta_path.read_text())
    spec = EvalSpec.model_validate(meta["spec"])
    arms, units, samples = build_grid(spec, runs_dir=None)
    ran: dict[tuple[str, str, str, int], dict[str, Any]] = {}
    for line in rows_path.read_text().splitlines():
        if line.strip():
            r = json.loads(line)
            ran[(r["arm"], r["scenario"], r["intent"], int(r["seed"]))] = r
    missing = [s for s in samples if (s.arm.name, s.unit.scenario, s.unit.intent, s.unit.seed) not in ran]
    if missing:
        raise ValueError(f"{out}/results.jsonl lacks {len(missing)} of the grid's {len(samples)} samples (e.g. "
                         f"{missing[0].arm.name} {missing[0].unit.scenario} {missing[0].unit.intent}): finish the eval "
                         "with `airloop eval` before rescoring it")
    code = meta.get("code_hash") or code_hash()
    rows, oracle_state = _with_oracle(
        spec, samples, lambda s: ran[(s.arm.name, s.unit.scenario, s.unit.intent, s.unit.seed)],
        lambda s: bool(ran[(s.arm.name, s.unit.scenario, s.unit.intent, s.unit.seed)].get("cached")), code)
    old = json.loads((out / "summary.json").read_text()) if (out / "summary.json").is_file() else {}
    summary = _summary(spec, arms, units, rows, oracle_state, spec.reference or arms[0].label, code, t_start,
                       n_samples=len(samples), n_computed=0, n_cached=len(samples))
    summary.update({"created": old.get("created", summary["created"]), "wall_s": old.get("wall_s", summary["wall_s"]),
                    "executor": old.get("executor", summary["executor"]), "workers": old.get("workers"),
                    "n_computed": old.get("n_computed", 0), "n_cached": old.get("n_cached", len(samples)),
                    "rescored": datetime.now(UTC).isoformat(timespec="seconds")})
    _write(out, rows, summary)
    return EvalResult(out=out, rows=rows, summary=summary, computed=0)


def _with_oracle(spec: EvalSpec, samples: list[Any], row_of: Callable[[Any], dict[str, Any] | None],
                 cached: Callable[[Any], bool], code: str) -> tuple[list[dict[str, Any]], dict[str, list[str]]]:
    """Each sample's row (grid order) with its oracle reward, status and regret; and which units' entries are ok,
    stale or missing."""
    oracles = OracleStore(resolve_path(spec.oracle.dir))
    rows: list[dict[str, Any]] = []
    oracle_state: dict[str, list[str]] = {"ok": [], "stale": [], "missing": [], "other-trials": [], "other-gold": []}
    looked: set[tuple[str, str, int]] = set()
    for s in samples:
        u = s.unit
        look = oracles.lookup(u.scenario, u.intent, u.seed, spec.n_ues, gold_sha=gold_sha(s.row),
                              trials=spec.oracle.trials, code_hash=code, allow_stale=spec.oracle.allow_stale)
        if (u.scenario, u.intent, u.seed) not in looked:
            looked.add((u.scenario, u.intent, u.seed))
            oracle_state[look.status].append(f"{u.scenario}/{entry_key(u.intent, u.seed, spec.n_ues)}")
        row = row_of(s)
        if row is None:  # dry run
            continue
        row = {**row, "arm": s.arm.name, "cached": cached(s)}
        row["oracle_reward"] = look.reward
        row["oracle_status"] = "no-gain" if look.reward is not None and look.reward <= MIN_ORACLE_REWARD \
            else look.status
        row["regret"] = regret(look.reward, row["achieved"])
        rows.append(row)
    return rows, oracle_state


def _summary(spec: EvalSpec, arms: list[Any], units: list[Any], rows: list[dict[str, Any]],
             oracle_state: dict[str, list[str]], reference: str, code: str, t_start: float, *, n_samples: int,
             n_computed: int, n_cached: int) -> dict[str, Any]:
    stats = summarize(rows, arms, reference, spec.stats) if rows else {"arms": {}, "comparisons": [],
                                                                       "by_scenario": {}}
    return {
        "eval": spec.name,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "code_hash": code,
        "prompt_hashes": prompt_set_hashes(),
        "executor": spec.executor, "workers": 1 if spec.executor == "serial" else spec.workers or default_workers(),
        "grid": {"scenarios": spec.scenarios, "seeds": spec.seeds, "intents": sorted({u.intent for u in units}),
                 "modes": spec.modes, "arms": [a.name for a in arms], "n_ues": spec.n_ues},
        "n_samples": n_samples, "n_computed": n_computed, "n_cached": n_cached,
        "n_errors": sum(r["status"] == "error" for r in rows),
        "judge": {"seeds": JUDGE_SEEDS, "steps": JUDGE_STEPS},
        "oracle": {"dir": str(spec.oracle.dir), "trials": spec.oracle.trials, "allow_stale": spec.oracle.allow_stale,
                   **{k.replace("-", "_"): v for k, v in oracle_state.items()}},
        "stats": spec.stats.model_dump(),
        "reference": reference,
        "wall_s": round(time.perf_counter() - t_start, 3),
        **stats,
    }


def _write(out: Path, rows: list[dict[str, Any]], summary: dict[str, Any]) -> None:
    with open(out / "results.jsonl", "w") as f:
        for row in rows:
            f.write(json.dumps(row) + "\n")
    (out / "summary.json").write_text(json.dumps(summary, indent=1))
