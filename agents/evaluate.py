"""Scoring candidates: what-if simulation through the tools, then the judge (`judge.assess_simulation`).

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
from airloop.tools import NetworkSession, NetworkView, ToolError
from pydantic import BaseModel

from .intent import Intent
from .judge import Assessment, assess_simulation
from .models import Budget


class BudgetExhausted(Exception):
    """Raised by `Evaluator.evaluate` when the run's budget has no simulator evaluation (or time) left."""

    def __init__(self, limit: str) -> None:
        super().__init__(f"budget exhausted: {limit}")
        self.limit = limit


class Evaluation(BaseModel):
    """A scored candidate: its changes and the judge's `Assessment` (reward, gain, constraint checks, guardrails)."""

    changes: list[CellChange]
    assessment: Assessment

    @property
    def reward(self) -> float:
        return self.assessment.reward

    @property
    def gain(self) -> float:
        return self.assessment.gain

    @property
    def feasible(self) -> bool:
        """Every intent constraint holds at every hour and the policy allows it."""
        return self.assessment.feasible

    @property
    def kpis(self) -> KPIs:
        assert self.assessment.kpis_after is not None
        return self.assessment.kpis_after

    @property
    def kpis_baseline(self) -> KPIs:
        assert self.assessment.kpis_before is not None
        return self.assessment.kpis_before

    @property
    def slice_kpis(self) -> dict[str, KPIs]:
        return self.assessment.slice_kpis_after

    def summary(self) -> dict[str, Any]:
        return {**self.assessment.summary(), "changes": [c.model_dump(exclude_none=True) for c in self.changes]}


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


class Evaluator:
    """Scores candidate changes for one intent over fixed hours, steps and seeds, with a cache.

    Each distinct candidate costs one simulator evaluation from the budget; cache hits are free.
    """

    def __init__(self, network: NetworkView | NetworkSession, intent: Intent, *, hours: Sequence[int] | None,
                 steps: int, seeds: Sequence[int], budget: Budget | None = None) -> None:
        self.network = network  # only its `simulate` is used
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
        sim = self.network.simulate(cand, hours=self.hours, steps=self.steps, seeds=self.seeds)
        ev = self._score(cand, sim)
        self._cache[key] = ev
        self.history.append(ev)
        return ev

    def remember(self, evaluations: Sequence[Evaluation]) -> None:
        """Put evaluations made earlier with the same hours, steps and drops (a resumed run's incumbents) back into the
        cache and history, free of charge."""
        for ev in evaluations:
            key = changes_key(ev.changes)
            if key not in self._cache:
                self._cache[key] = ev
                self.history.append(ev)

    def top(self, k: int = 5, *, exclude: Sequence[Sequence[CellChange]] = ()) -> list[Evaluation]:
        """The `k` best feasible non-empty candidates scored so far, by reward (not those in `exclude`)."""
        skip = {changes_key(c) for c in exclude}
        ok = [e for e in self.history if e.changes and e.feasible and changes_key(e.changes) not in skip]
        return sorted(ok, key=lambda e: -e.reward)[:k]

    def try_evaluate(self, changes: Sequence[CellChange | dict[str, Any]]) -> Evaluation | None:
        """`evaluate`, but None for a malformed candidate (an LLM's bad numbers) instead of an exception."""
        try:
            return self.evaluate(changes)
        except (ToolError, ValueError) as e:
            if isinstance(e, BudgetExhausted):
                raise
            return None

    def _score(self, cand: list[CellChange], sim: Any) -> Evaluation:
        return Evaluation(changes=cand, assessment=assess_simulation(self.intent, sim))

    @property
    def best(self) -> Evaluation | None:
        """The highest-reward feasible candidate so far (None if none is feasible)."""
        feasible = [e for e in self.history if e.feasible and e.changes]
        return max(feasible, key=lambda e: e.reward) if feasible else None
