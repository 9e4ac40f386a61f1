"""Scoring candidates: what-if simulation through the tools, then the intent's reward.

One `Evaluator` per optimizer run (its seeds and hours fixed) and one per verification (fresh seeds, every hour,
longer horizon). Every evaluation goes through `NetworkSession.simulate`, so the policy is checked on every
candidate (below the LLM) and nothing is ever mutated.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from airloop.simulator import CellChange, KPIs
from airloop.simulator.scenarios import DIURNAL_PROFILE
from airloop.tools import NetworkSession, ToolError
from pydantic import BaseModel, Field

from .intent import Intent
from .models import Budget
from .reward import reward_breakdown


class BudgetExhausted(Exception):
    """Raised by `Evaluator.evaluate` when the run's budget has no simulator evaluation (or time) left."""

    def __init__(self, limit: str) -> None:
        super().__init__(f"budget exhausted: {limit}")
        self.limit = limit


class Evaluation(BaseModel):
    """A candidate's score. `feasible`: every intent constraint holds at every hour and the policy allows it."""

    changes: list[CellChange]
    reward: float
    gain: float
    feasible: bool
    constraint_violations: list[str] = Field(default_factory=list)
    policy_violations: list[str] = Field(default_factory=list)
    kpis: KPIs
    kpis_baseline: KPIs
    slice_kpis: dict[str, KPIs] = Field(default_factory=dict)

    def summary(self) -> dict[str, Any]:
        return {
            "reward": round(self.reward, 4),
            "feasible": self.feasible,
            "changes": [c.model_dump(exclude_none=True) for c in self.changes],
            "violations": self.constraint_violations + self.policy_violations,
        }


def canonical(changes: Sequence[CellChange | dict[str, Any]]) -> list[CellChange]:
    """Changes as `CellChange`s, sorted by cell, with empty changes dropped (cache key and log form)."""
    out = [c if isinstance(c, CellChange) else CellChange.model_validate(c) for c in changes]
    return sorted((c for c in out if c.knobs()), key=lambda c: c.cell)


def changes_key(changes: Sequence[CellChange]) -> str:
    return json.dumps([c.model_dump(exclude_none=True) for c in canonical(changes)], sort_keys=True)


def representative_hours(hours: Sequence[int] | None, k: int = 2) -> list[int] | None:
    """At most `k` hours standing for a window: its busiest and its quietest hour by the diurnal profile.

    Interference, load and energy move with the profile, so a constraint that holds at both ends of a window's load
    range is a good bet for the hours between; the verifier then checks every hour.
    """
    if hours is None or len(hours) <= k:
        return None if hours is None else list(hours)
    ranked = sorted(hours, key=lambda h: (DIURNAL_PROFILE[h], h))
    picks = [ranked[-1], ranked[0]] + ranked[1:-1][: max(k - 2, 0)]
    return sorted(set(picks[:k]))


def reward_inputs(intent: Intent, sim: Any) -> tuple[Intent, Any, Any]:
    """What `reward_breakdown` takes for a what-if result (`SimulationResult`): the intent as scored, with its hours
    narrowed to the hours simulated, and the baseline's and the candidate's KPIs (network and per slice) per hour.
    An intent about "now" gets the single simulated hour's KPIs directly."""
    hs = sorted(sim.after_by_hour)

    def at(network: dict[int, Any], slices: dict[int, Any], h: int) -> dict[str, Any]:
        return {"network": network[h], "per_slice": slices[h]}

    if intent.hours is None:
        (h,) = hs
        return (intent, at(sim.before_by_hour, sim.slices_before_by_hour, h),
                at(sim.after_by_hour, sim.slices_after_by_hour, h))
    return (intent.model_copy(update={"hours": hs}),
            {h: at(sim.before_by_hour, sim.slices_before_by_hour, h) for h in hs},
            {h: at(sim.after_by_hour, sim.slices_after_by_hour, h) for h in hs})


class Evaluator:
    """Scores candidate changes for one intent over fixed hours, steps and seeds, with a cache.

    Each distinct candidate costs one simulator evaluation from the budget; cache hits are free.
    """

    def __init__(self, session: NetworkSession, intent: Intent, *, hours: Sequence[int] | None, steps: int,
                 seeds: Sequence[int], budget: Budget | None = None) -> None:
        self.session = session
        self.intent = intent
        self.hours = None if hours is None else list(hours)
        self.steps = int(steps)
        self.seeds = [int(s) for s in seeds]
        self.budget = budget
        self.history: list[Evaluation] = []
        self._cache: dict[str, Evaluation] = {}
        self.n_evals = 0

    def evaluate(self, changes: Sequence[CellChange | dict[str, Any]]) -> Evaluation:
        """Score `changes` (raises `BudgetExhausted` when nothing is left, `ToolError` for malformed changes)."""
        cand = canonical(changes)
        key = changes_key(cand)
        if key in self._cache:
            return self._cache[key]
        if self.budget is not None:
            limit = self.budget.exhausted()
            if limit is not None:
                raise BudgetExhausted(limit)
            self.budget.charge_sim(1)
        self.n_evals += 1
        sim = self.session.simulate(cand, hours=self.hours, steps=self.steps, seeds=self.seeds)
        ev = self._score(cand, sim)
        self._cache[key] = ev
        self.history.append(ev)
        return ev

    def try_evaluate(self, changes: Sequence[CellChange | dict[str, Any]]) -> Evaluation | None:
        """`evaluate`, but None for a malformed candidate (an LLM's bad numbers) instead of an exception."""
        try:
            return self.evaluate(changes)
        except (ToolError, ValueError) as e:
            if isinstance(e, BudgetExhausted):
                raise
            return None

    def _score(self, cand: list[CellChange], sim: Any) -> Evaluation:
        intent, base_arg, after_arg = reward_inputs(self.intent, sim)
        rb = reward_breakdown(intent, base_arg, after_arg)
        policy = [v.message for v in sim.violations]
        return Evaluation(
            changes=cand,
            reward=rb.total - (1.0 if policy else 0.0),
            gain=rb.gain,
            feasible=rb.feasible and not policy,
            constraint_violations=[v.describe() for v in rb.violations],
            policy_violations=policy,
            kpis=sim.kpis_after,
            kpis_baseline=sim.kpis_before,
            slice_kpis=dict(sim.per_slice_after),
        )

    @property
    def best(self) -> Evaluation | None:
        """The highest-reward feasible candidate so far (None if none is feasible)."""
        feasible = [e for e in self.history if e.feasible and e.changes]
        return max(feasible, key=lambda e: e.reward) if feasible else None
