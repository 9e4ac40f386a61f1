"""One sample: run the graph through the app entry point (`airloop.app.run`), then judge what it applied.

`run_sample` takes and returns plain data (it crosses process and Ray boundaries) and never raises: an exception
becomes a row with ``status: "error"`` and the traceback's tail, so the rest of the grid goes on.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
import traceback
from typing import Any

from ._judge import OK_STATUSES, judge, success_of

__all__ = ["run_sample", "COST_FIELDS", "TIMING_FIELDS"]

COST_FIELDS = ("llm_calls", "tokens", "sim_evals", "wall_s")
#: Fields that differ between two runs of the same sample (time and where it ran); the rest is deterministic.
TIMING_FIELDS = ("wall_s", "llm_s", "sim_s", "overhead_s", "judge_s", "thread_id", "worker", "cached")

#: Models loaded once per worker process (the embedded model takes seconds to load). Scripted models replay a file
#: from its first answer, so each sample gets a fresh one.
_MODELS: dict[str, Any] = {}


def _model(spec: str) -> Any:
    if spec == "none":
        return None
    from airloop.agents.models import get_model

    if spec.startswith("scripted:"):
        return get_model(spec)
    if spec not in _MODELS:
        _MODELS[spec] = get_model(spec)
    return _MODELS[spec]


def _base_row(task: dict[str, Any]) -> dict[str, Any]:
    return {"key": task["key"], "arm": task["arm"], "strategy": task["strategy"], "mode": task["mode"],
            "scenario": task["scenario"], "intent": task["intent"], "seed": task["seed"],
            "worker": f"{os.uname().nodename}:{os.getpid()}"}


def _error_row(task: dict[str, Any], message: str, wall_s: float = 0.0) -> dict[str, Any]:
    return {**_base_row(task), "status": "error", "error": message[-2000:], "success": False, "achieved": 0.0,
            "n_changes": 0, "judge": None, "planned_ok": None, "llm_calls": 0, "tokens": 0, "sim_evals": 0,
            "wall_s": wall_s, "llm_s": 0.0, "sim_s": 0.0, "overhead_s": 0.0, "judge_s": 0.0, "thread_id": None}


def run_sample(task: dict[str, Any]) -> dict[str, Any]:
    """Run one sample (a `Sample.task`) and return its results row (see `results.jsonl` in the package doc)."""
    t0 = time.perf_counter()
    try:
        return _run(task)
    except Exception as e:  # a crash is a failed sample in the table, never a lost evaluation
        tb = traceback.format_exc(limit=6)
        return _error_row(task, f"{type(e).__name__}: {e}\n{tb}", time.perf_counter() - t0)


def _run(task: dict[str, Any]) -> dict[str, Any]:
    from airloop.agents import Intent
    from airloop.app import RunSettings, run
    from airloop.runs import RunStore

    gold = Intent.model_validate(task["gold"])
    settings = RunSettings(
        text=task["text"], intent=task["gold"] if task["mode"] == "opt" else None, scenario=task["scenario"],
        seed=task["seed"], n_ues=task["n_ues"], model=task["model"], strategy=task["strategy"],
        strategy_params=task["params"], budget=task["budget"], margin=task["margin"])
    runs_dir: str | None = task.get("runs_dir")
    scratch = None if runs_dir else tempfile.mkdtemp(prefix="airloop-eval-")
    try:
        store = RunStore(runs_dir or str(scratch))
        t0 = time.perf_counter()
        out = run(settings, store, model=_model(task["model"]))
        wall = time.perf_counter() - t0
    finally:
        if scratch:
            shutil.rmtree(scratch, ignore_errors=True)
    rep = out.report or {}
    status = rep.get("status")
    applied = rep.get("changes") or []
    t1 = time.perf_counter()
    j = judge(task["scenario"], task["n_ues"], gold, applied, seed=task["seed"]) if status in OK_STATUSES else None
    judge_s = time.perf_counter() - t1
    u = rep.get("usage", {})
    llm_s, sim_s = float(u.get("llm_latency_s", 0.0)), float(u.get("sim_s", 0.0))
    planned_ok = None
    if task["mode"] == "e2e":
        planned_ok = rep.get("intent") is not None and Intent.model_validate(rep["intent"]).objective == gold.objective
    return {
        **_base_row(task), "status": status, "error": None, "success": success_of(status, applied, j),
        "achieved": (j["reward"] if j and applied else 0.0), "n_changes": len(applied), "judge": j,
        "planned_ok": planned_ok, "llm_calls": int(u.get("llm_calls", 0)), "tokens": int(u.get("tokens", 0)),
        "sim_evals": int(u.get("sim_evals", 0)), "wall_s": wall, "llm_s": llm_s, "sim_s": sim_s,
        "overhead_s": max(wall - llm_s - sim_s, 0.0), "judge_s": judge_s, "thread_id": out.thread_id,
        "plan_use": plan_use(rep.get("optimizer_rounds") or []),
    }


def plan_use(rounds: list[dict[str, Any]]) -> dict[str, Any] | None:
    """What a plan-calling strategy (hybrid) did with the model's plans, from the run report's ``optimizer_rounds``
    (each round's ``Proposal.info``): None when no plan was asked; else how many were asked, how many were usable
    (``llm``), how many of those needed no repair (``as_is``), and in how many rounds the default plan took the
    evaluations left (``gave_way``)."""
    outcomes = [(r.get("info") or {}).get("plan_outcome") for r in rounds]
    asked = [o for o in outcomes if o not in (None, "not_asked")]
    if not asked:
        return None
    return {"asked": len(asked), "llm": sum(o in ("repaired", "as_is") for o in asked),
            "as_is": sum(o == "as_is" for o in asked),
            "gave_way": sum(bool((r.get("info") or {}).get("gave_way")) for r in rounds)}
