"""Prompt refinement with GEPA: airloop's graph is the rollout, the judge's verified reward (normalized against the
oracle, else the baseline) the score, the structured shortfalls the feedback.

`run_tune` wires `gepa.optimize`: GEPA owns candidate selection (Pareto front over the validation items), minibatch
sampling, acceptance, the budget check between iterations and the run directory (``gepa_state.bin``: resume). airloop
adds what GEPA leaves to the adapter:

* `TuneAdapter` — ``evaluate`` runs a `Rollout` function (the app's: a graph run on one intent with the candidate's
  prompt files in place, judged on fresh seeds) for each item, through `RolloutCache` (SQLite in the run directory):
  a rollout is computed once, so a killed tune that resumes replays the interrupted iteration from the cache.
  ``make_reflective_dataset`` turns results into GEPA's records plus ``facts`` for the deterministic proposer.
  ``get_adapter_state`` saves the meter, the proposer's log and the random state of GEPA's selector and sampler, so a
  resumed run continues exactly where the killed one was.
* `Meter` and `BudgetStopper` — simulator evaluations, LLM calls (rollouts and reflection), tokens, wall time and
  rollouts, counted from the rollout results (a cached rollout counts what it cost when it ran); the stopper ends the
  run at the first iteration boundary after a limit is reached, GEPA then saves its state and returns the best so far.
"""

from __future__ import annotations

import hashlib
import json
import random
import sqlite3
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ._proposer import Proposer

__all__ = ["LIMIT_KEYS", "BudgetStopper", "Meter", "RolloutCache", "RolloutResult", "TuneAdapter", "TuneError",
           "TuneResult", "item_key", "run_tune"]

LIMIT_KEYS = ("sim_evals", "llm_calls", "tokens", "wall_s", "rollouts")


class TuneError(ValueError):
    """Bad tuning input (unknown component, empty split, a zero budget, a run directory in the wrong state)."""


@dataclass
class RolloutResult:
    """One intent run with a candidate's prompts, judged. ``score`` is what GEPA maximizes (1 = the oracle)."""

    item: str
    score: float
    reward: float = 0.0  # the judge's R on fresh seeds for what was applied (0: nothing applied)
    oracle: float | None = None  # the oracle's reward when cached (the score's scale), else None (baseline scale)
    status: str = ""
    n_changes: int = 0
    gain: float = 0.0
    shortfalls: list[dict[str, Any]] = field(default_factory=list)  # kpi, slice, op, bound, observed, hour, shortfall
    guardrails: list[dict[str, Any]] = field(default_factory=list)
    verifier: list[str] = field(default_factory=list)  # the verifier's reasons (last rejection)
    llm_failed: bool = False
    intent: dict[str, Any] = field(default_factory=dict)  # family, band (for the rules)
    text: str = ""
    usage: dict[str, float] = field(default_factory=dict)  # sim_evals, llm_calls, tokens, wall_s
    error: str | None = None

    def feedback(self) -> str:
        parts = [f"score {self.score:.3f} ({'of the oracle' if self.oracle else 'relative to the baseline'}), "
                 f"status {self.status}, {self.n_changes} cells changed, verified reward {self.reward:+.4f}"]
        for s in self.shortfalls[:4]:
            at = f" at {s['hour']:02d}:00" if s.get("hour") is not None else ""
            parts.append(f"{s['kpi']}{'(' + s['slice'] + ')' if s.get('slice') else ''} {s['op']} {s['bound']:g} "
                         f"missed{at}: {s['observed']:.4g} (short by {s['shortfall']:.3g})")
        parts += [f"guardrail {g.get('rule')}: {g.get('message', '')}" for g in self.guardrails[:3]]
        parts += [f"verifier: {r}" for r in self.verifier[:3]]
        if self.llm_failed:
            parts.append("the model's answer was unusable (malformed or empty)")
        if self.error:
            parts.append(f"error: {self.error[:200]}")
        return "; ".join(parts)

    def failures(self) -> list[dict[str, Any]]:
        """Structured failures, for the rule proposer: kind, kpi/op (shortfalls), weight (relative size)."""
        out: list[dict[str, Any]] = []
        for s in self.shortfalls:
            scale = max(abs(float(s.get("bound") or 0.0)), 1e-9)
            out.append({"kind": "shortfall", "kpi": s["kpi"], "op": s["op"],
                        "weight": 1.0 + min(10.0, float(s.get("shortfall", 0.0)) / scale * 10)})
        if self.guardrails:
            out.append({"kind": "guardrail"})
        if self.llm_failed:
            out.append({"kind": "llm_failed", "weight": 2.0})
        if self.n_changes == 0 and not self.llm_failed and self.score < 1.0:
            out.append({"kind": "nothing_proposed"})
        if self.score < 0.5 and not self.shortfalls:
            out.append({"kind": "no_gain", "weight": 1.5})
        return out


Rollout = Callable[[Mapping[str, Any], dict[str, str]], RolloutResult]


def item_key(row: Mapping[str, Any]) -> str:
    return f"{row['id']}@{row.get('scenario', '')}@{row.get('seed', 0)}"


def _sha(obj: Any) -> str:
    return hashlib.sha256(json.dumps(obj, sort_keys=True).encode()).hexdigest()


class RolloutCache:
    """``(candidate texts, item) → RolloutResult`` in SQLite: every rollout is computed once per run directory."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.conn = sqlite3.connect(path, timeout=30, isolation_level=None)
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("CREATE TABLE IF NOT EXISTS rollouts (key TEXT PRIMARY KEY, result TEXT NOT NULL)")

    def key(self, candidate: Mapping[str, str], row: Mapping[str, Any]) -> str:
        return _sha({"candidate": dict(candidate), "item": item_key(row)})

    def get(self, key: str) -> RolloutResult | None:
        r = self.conn.execute("SELECT result FROM rollouts WHERE key = ?", (key,)).fetchone()
        return RolloutResult(**json.loads(r[0])) if r else None

    def put(self, key: str, res: RolloutResult) -> None:
        self.conn.execute("INSERT OR REPLACE INTO rollouts VALUES (?, ?)", (key, json.dumps(asdict(res))))

    def close(self) -> None:
        self.conn.close()


@dataclass
class Meter:
    sim_evals: float = 0.0
    llm_calls: float = 0.0
    tokens: float = 0.0
    wall_s: float = 0.0
    rollouts: float = 0.0
    cached: int = 0  # rollouts answered from the cache (not part of the budget: their cost is counted as it ran)

    def add(self, usage: Mapping[str, float]) -> None:
        for k in ("sim_evals", "llm_calls", "tokens", "wall_s"):
            setattr(self, k, getattr(self, k) + float(usage.get(k, 0.0)))
        self.rollouts += 1

    def over(self, limits: Mapping[str, float | None]) -> str | None:
        for k in LIMIT_KEYS:
            lim = limits.get(k)
            if lim is not None and getattr(self, k) >= lim:
                return f"{k} {getattr(self, k):g} >= {lim:g}"
        return None


class BudgetStopper:
    """GEPA stop callback: true once the meter reaches a limit (or the reflection proposer has failed too often)."""

    def __init__(self, meter: Meter, limits: Mapping[str, float | None], proposer: Proposer,
                 max_idle_iterations: int = 8) -> None:
        self.meter, self.limits, self.proposer = meter, dict(limits), proposer
        self.max_idle = max_idle_iterations
        self.reason: str | None = None

    def __call__(self, gepa_state: Any) -> bool:
        hit = self.meter.over(self.limits)
        if hit is None:
            tail = self.proposer.log[-self.max_idle:]
            if len(tail) >= self.max_idle and all(e["status"] != "ok" for e in tail):
                hit = f"the proposer made no candidate in the last {self.max_idle} iterations"
        if hit is not None:
            self.reason = hit
            return True
        return False


class TuneAdapter:
    """GEPA's adapter for one airloop component (see the module docstring)."""

    propose_new_texts = None  # the proposer comes as GEPA's custom_candidate_proposer

    def __init__(self, rollout: Rollout, cache: RolloutCache, meter: Meter, proposer: Proposer, rng: random.Random,
                 sampler: Any, on_rollout: Callable[[RolloutResult, Meter], None] | None = None) -> None:
        self.rollout, self.cache, self.meter, self.proposer = rollout, cache, meter, proposer
        self.rng, self.sampler, self.on_rollout = rng, sampler, on_rollout

    def evaluate(self, batch: list[Mapping[str, Any]], candidate: dict[str, str], capture_traces: bool = False) -> Any:
        from gepa.core.adapter import EvaluationBatch

        results = []
        for row in batch:
            key = self.cache.key(candidate, row)
            res = self.cache.get(key)
            if res is None:
                t0 = time.perf_counter()
                try:
                    res = self.rollout(row, dict(candidate))
                except Exception as e:  # one broken rollout is a failed item, not a dead tuning run
                    res = RolloutResult(item=item_key(row), score=0.0, status="error",
                                        error=f"{type(e).__name__}: {e}",
                                        usage={"wall_s": time.perf_counter() - t0})
                self.cache.put(key, res)
            else:
                self.meter.cached += 1
            self.meter.add(res.usage)
            results.append(res)
            if self.on_rollout is not None:
                self.on_rollout(res, self.meter)
        return EvaluationBatch(outputs=[asdict(r) for r in results], scores=[r.score for r in results],
                               trajectories=results if capture_traces else None)

    def make_reflective_dataset(self, candidate: dict[str, str], eval_batch: Any,
                                components_to_update: list[str]) -> dict[str, list[dict[str, Any]]]:
        records = []
        for res in eval_batch.trajectories or []:
            records.append({
                "Inputs": res.text or res.item,
                "Generated Outputs": f"status {res.status}, {res.n_changes} cells changed",
                "Feedback": res.feedback(),
                "facts": {"score": res.score, "intent": res.intent, "failures": res.failures()},
            })
        records.sort(key=lambda r: r["facts"]["score"])  # the worst first: what the proposers read first
        return {c: records for c in components_to_update}

    # GEPA persists these with its state at every iteration start (and restores them on resume).
    def get_adapter_state(self) -> dict[str, Any]:
        s = self.sampler
        return {"meter": asdict(self.meter), "proposer": self.proposer.state(), "rng": self.rng.getstate(),
                "sampler": {"shuffled_ids": list(s.shuffled_ids), "epoch": s.epoch, "id_freqs": dict(s.id_freqs),
                            "last_trainset_size": s.last_trainset_size,
                            "current_iteration": s._current_iteration, "calls": s._calls_in_iteration}}

    def set_adapter_state(self, state: Mapping[str, Any]) -> None:
        from collections import Counter

        if not state:
            return
        for k, v in state["meter"].items():
            setattr(self.meter, k, v)
        self.proposer.restore(state["proposer"])
        self.rng.setstate(state["rng"])
        s, sv = self.sampler, state["sampler"]
        s.shuffled_ids, s.epoch, s.id_freqs = list(sv["shuffled_ids"]), sv["epoch"], Counter(sv["id_freqs"])
        s.last_trainset_size, s._current_iteration = sv["last_trainset_size"], sv["current_iteration"]
        s._calls_in_iteration = sv["calls"]


@dataclass
class TuneResult:
    component_files: list[str]
    candidates: list[dict[str, str]]
    parents: list[list[int | None]]
    val_scores: list[float]  # mean over the validation items, per candidate
    val_subscores: list[dict[str, float]]  # item key -> score, per candidate
    best: int
    stop_reason: str | None
    meter: dict[str, float]
    proposer: str
    proposals: list[dict[str, Any]]
    reasoning: dict[str, dict[str, Any]]
    run_dir: str
    metric_calls: int

    def summary(self) -> dict[str, Any]:
        return {"best": self.best, "best_val": self.val_scores[self.best], "seed_val": self.val_scores[0],
                "candidates": len(self.candidates), "stop_reason": self.stop_reason, "meter": self.meter,
                "proposer": self.proposer, "metric_calls": self.metric_calls, "run_dir": self.run_dir}


class _QuietLogger:
    def __init__(self, path: Path) -> None:
        self.path = path

    def log(self, message: str) -> None:
        with self.path.open("a", encoding="utf-8") as f:
            f.write(message + "\n")


def run_tune(*, seed_candidate: dict[str, str], trainset: Sequence[Mapping[str, Any]],
             valset: Sequence[Mapping[str, Any]], rollout: Rollout, run_dir: str | Path, proposer: Proposer,
             limits: Mapping[str, float | None], seed: int = 0, minibatch: int = 2,
             on_rollout: Callable[[RolloutResult, Meter], None] | None = None) -> TuneResult:
    """Run (or resume, when `run_dir` holds a GEPA state) prompt refinement; returns every candidate with its
    validation scores. Raises `TuneError` for empty splits or limits that leave nothing to do."""
    import gepa
    from gepa.strategies.batch_sampler import EpochShuffledBatchSampler
    from gepa.strategies.candidate_selector import ParetoCandidateSelector

    if not trainset:
        raise TuneError("the training split is empty: nothing to learn from")
    if not valset:
        raise TuneError("the validation split is empty: nothing to select candidates on")
    if not seed_candidate:
        raise TuneError("the seed candidate has no prompt file")
    live = {k: v for k, v in limits.items() if v is not None}
    if not live:
        raise TuneError("no budget given: set at least one of " + ", ".join(LIMIT_KEYS))
    zero = [k for k, v in live.items() if v <= 0]
    if zero:
        raise TuneError(f"budget {', '.join(f'{k}=0' for k in zero)} leaves nothing to tune; give a positive limit")
    rd = Path(run_dir)
    rd.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    sampler: Any = EpochShuffledBatchSampler(minibatch_size=max(1, min(minibatch, len(trainset))), rng=rng)
    meter = Meter()
    cache = RolloutCache(rd / "rollouts.sqlite")
    adapter: Any = TuneAdapter(rollout, cache, meter, proposer, rng, sampler, on_rollout)
    stopper = BudgetStopper(meter, live, proposer)
    try:
        res: Any = gepa.optimize(
            seed_candidate=dict(seed_candidate), trainset=list(trainset), valset=list(valset), adapter=adapter,
            custom_candidate_proposer=proposer, candidate_selection_strategy=ParetoCandidateSelector(rng=rng),
            batch_sampler=sampler, stop_callbacks=[stopper], run_dir=str(rd), logger=_QuietLogger(rd / "gepa.log"),
            seed=seed, raise_on_exception=False, track_best_outputs=False, perfect_score=1.0,
            skip_perfect_score=True, module_selector="round_robin", display_progress_bar=False)
    finally:
        cache.close()
    keys = [item_key(r) for r in valset]
    subs = [{keys[int(i)]: float(s) for i, s in sub.items()} for sub in res.val_subscores]
    return TuneResult(component_files=sorted(seed_candidate), candidates=[dict(c) for c in res.candidates],
                      parents=[list(p) for p in res.parents], val_scores=[float(s) for s in res.val_aggregate_scores],
                      val_subscores=subs, best=int(res.best_idx), stop_reason=stopper.reason, meter=asdict(meter),
                      proposer=proposer.name, proposals=list(proposer.log), reasoning=dict(proposer.reasoning),
                      run_dir=str(rd), metric_calls=int(res.total_metric_calls or 0))
