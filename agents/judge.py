"""The judge: the one place where a candidate's KPIs become a verdict-ready score.

Everything that scores a configuration goes through `assess` (KPIs in) or `assess_simulation` (a what-if in): the
optimizer's `Evaluator`, the verifier, the agent benchmark and evaluation harness, and the Gym environment. It turns
(intent, baseline KPIs, candidate KPIs, guardrail findings) into an `Assessment`:

* ``reward`` — the intent's reward R (`airloop.core.reward_breakdown`, docs/reward.md), less `GUARDRAIL_PENALTY` when
  the policy refuses the candidate, so a refused candidate never outranks the unchanged network;
* ``gain`` — the mean normalized objective improvement over the hours, and ``gain_by_hour``;
* ``constraints`` — one `ConstraintCheck` per intent constraint: the worst hour's observed value, the baseline's,
  the bound, the bound with the margin asked for, whether each holds, and the shortfall to the margin-ed bound;
* ``guardrails`` — what the policy (`airloop.tools.Policy`) refused; ``feasible`` (every bound held at every hour and
  no guardrail fired), ``passes`` (the same with the margin) and ``baseline_feasible``.

The verdict travels as this data: the optimizer reads ``shortfalls`` (which KPI, which hour, by how much) and never
parses sentences; `Assessment.reasons` renders text for prompts and reports only.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from airloop.core import (
    FEASIBILITY_PENALTY,
    Intent,
    KPIName,
    Op,
    SliceName,
    check_constraint,
    constraint_need,
    constraint_scale,
    reward_breakdown,
)
from airloop.simulator import KPIs
from airloop.tools import PolicyViolation
from pydantic import BaseModel, Field

#: What a candidate the policy refuses loses, on top of its reward (the same flat cost as breaking a constraint).
GUARDRAIL_PENALTY = FEASIBILITY_PENALTY


class ConstraintCheck(BaseModel):
    """One intent constraint, judged over every hour: its worst hour, and how far it is from its bound."""

    index: int  # position in ``intent.constraints``
    kpi: KPIName
    slice: SliceName | None = None
    op: Op
    bound: float
    margin: float  # relative, as asked of the judge
    need: float  # the bound with the margin (`airloop.core.constraint_need`)
    scale: float  # max(|bound|, the KPI's scale floor): what margins and shortfalls are relative to
    observed: float  # the worst hour's value
    hour: int | None = None  # the worst hour (None = "now")
    baseline: float | None = None  # the unchanged network's value at that hour
    held: bool  # the bound itself holds at every hour
    met: bool  # the margin-ed bound holds at every hour
    shortfall: float = 0.0  # >= 0: distance from the worst value to ``need`` (0 when met)
    hours_missed: list[int | None] = Field(default_factory=list)  # hours at which the margin-ed bound is missed

    @property
    def name(self) -> str:
        where = f" ({self.slice})" if self.slice else ""
        return f"{self.kpi}{where} {self.op} {self.bound:g}"

    def describe(self) -> str:
        when = f" at {self.hour:02d}:00" if self.hour is not None else ""
        margin = f" with the {self.margin:.0%} margin" if self.margin else ""
        return (f"constraint {self.name} not met{margin}{when}: observed {self.observed:.4g}, "
                f"needs {self.op} {self.need:.4g} (short by {self.shortfall:.3g})")


class Assessment(BaseModel):
    """A candidate judged under an intent. See the module docstring for each field's meaning."""

    reward: float
    gain: float
    gain_by_hour: dict[int, float] = Field(default_factory=dict)  # hour -> normalized gain (-1 stands for "now")
    feasible: bool
    passes: bool
    baseline_feasible: bool
    violation_cost: float  # lambda * sum of hinge violations, averaged over hours (part of the reward)
    constraints: list[ConstraintCheck] = Field(default_factory=list)
    guardrails: list[PolicyViolation] = Field(default_factory=list)
    objective_before: float  # the objective KPI, mean over hours, baseline and candidate
    objective_after: float
    kpis_before: KPIs | None = None
    kpis_after: KPIs | None = None
    kpis_before_by_hour: dict[int, KPIs] = Field(default_factory=dict)
    kpis_after_by_hour: dict[int, KPIs] = Field(default_factory=dict)
    slice_kpis_before: dict[str, KPIs] = Field(default_factory=dict)
    slice_kpis_after: dict[str, KPIs] = Field(default_factory=dict)
    slice_kpis_after_by_hour: dict[int, dict[str, KPIs]] = Field(default_factory=dict)
    hours: list[int] | None = None
    seeds: list[int] = Field(default_factory=list)
    steps: int = 0

    @property
    def shortfalls(self) -> list[ConstraintCheck]:
        """The constraints that miss their margin-ed bound, worst first (relative to their scale)."""
        return sorted((c for c in self.constraints if not c.met), key=lambda c: -c.shortfall / c.scale)

    def reasons(self, *, min_gain: float | None = None, intent: Intent | None = None) -> list[str]:
        """Text for prompts and reports: each refused guardrail, each missed constraint, and (with ``min_gain``) an
        objective that did not improve enough."""
        out = [f"guardrail {g.rule}: {g.message}" for g in self.guardrails]
        out += [c.describe() for c in self.shortfalls]
        if min_gain is not None and self.gain < min_gain:
            what = "the objective"
            if intent is not None:
                o = intent.objective
                what = f"objective {o.goal} {o.kpi}" + (f" ({o.slice})" if o.slice else "")
            out.append(f"{what} not improved: normalized gain {self.gain:+.4f} (needs >= {min_gain:g}); "
                       f"{self.objective_before:.4g} -> {self.objective_after:.4g}")
        return out

    def summary(self) -> dict[str, Any]:
        """A compact JSON form for logs and tool outputs."""
        return {"reward": round(self.reward, 4), "gain": round(self.gain, 4), "feasible": self.feasible,
                "passes": self.passes, "shortfalls": [c.describe() for c in self.shortfalls],
                "guardrails": [g.rule for g in self.guardrails]}


def assess(intent: Intent, baseline: Any, candidate: Any, *, guardrails: Sequence[PolicyViolation] = (),
           margin: float = 0.0) -> Assessment:
    """Judge ``candidate`` KPIs against ``baseline`` under ``intent``.

    KPI inputs are what `airloop.core.reward` takes: one KPIs-like value, a ``{"network", "per_slice"}`` pair or a
    `KPIReport`, or a mapping hour -> one of those for intents with hours. ``margin`` is relative to each bound's
    scale (``coverage >= 0.95`` with margin 0.01 needs 0.9595); ``feasible`` ignores it, ``passes`` uses it.
    """
    if not 0.0 <= margin < 1.0:
        raise ValueError(f"margin must be in [0, 1) (a share of each bound), got {margin}")
    rb = reward_breakdown(intent, baseline, candidate)
    checks = [_check(i, c, rb.terms, margin) for i, c in enumerate(intent.constraints)]
    violation_cost = sum(rb.violation_weight * sum(v.amount for v in t.violations) for t in rb.terms) / len(rb.terms)
    baseline_feasible = all(
        y is None or check_constraint(c, y) is None
        for t in rb.terms for c, y in zip(intent.constraints, t.observed_baseline, strict=True)
    )
    n = len(rb.terms)
    return Assessment(
        reward=rb.total - (GUARDRAIL_PENALTY if guardrails else 0.0),
        gain=rb.gain,
        gain_by_hour={(-1 if t.hour is None else t.hour): t.gain for t in rb.terms},
        feasible=rb.feasible and not guardrails,
        passes=all(c.met for c in checks) and not guardrails,
        baseline_feasible=baseline_feasible,
        violation_cost=violation_cost,
        constraints=checks,
        guardrails=list(guardrails),
        objective_before=sum(t.objective_before for t in rb.terms) / n,
        objective_after=sum(t.objective_after for t in rb.terms) / n,
    )


def assess_simulation(intent: Intent, sim: Any, *, margin: float = 0.0) -> Assessment:
    """Judge a what-if: the tools' `SimulationResult` (guardrail findings included) or the simulator's
    `WhatIfResult`. The intent is scored over the hours simulated; an intent about "now" over the one hour run."""
    hours = sorted(sim.after_by_hour)

    def at(network: Mapping[int, Any], slices: Mapping[int, Any], h: int) -> dict[str, Any]:
        return {"network": network[h], "per_slice": slices[h]}

    if intent.hours is None:
        (h,) = hours
        scored = intent
        before: Any = at(sim.before_by_hour, sim.slices_before_by_hour, h)
        after: Any = at(sim.after_by_hour, sim.slices_after_by_hour, h)
    else:
        scored = intent.model_copy(update={"hours": hours})
        before = {h: at(sim.before_by_hour, sim.slices_before_by_hour, h) for h in hours}
        after = {h: at(sim.after_by_hour, sim.slices_after_by_hour, h) for h in hours}
    a = assess(scored, before, after, guardrails=getattr(sim, "violations", ()) or (), margin=margin)
    return a.model_copy(update={
        "kpis_before": sim.kpis_before, "kpis_after": sim.kpis_after,
        "kpis_before_by_hour": dict(sim.before_by_hour), "kpis_after_by_hour": dict(sim.after_by_hour),
        "slice_kpis_before": dict(sim.per_slice_before), "slice_kpis_after": dict(sim.per_slice_after),
        "slice_kpis_after_by_hour": {h: dict(v) for h, v in sim.slices_after_by_hour.items()},
        "hours": scored.hours, "seeds": list(sim.seeds), "steps": int(sim.steps),
    })


def _check(index: int, c: Any, terms: Sequence[Any], margin: float) -> ConstraintCheck:
    need = constraint_need(c, margin)
    sign = 1.0 if c.op == ">=" else -1.0
    # the worst hour: the lowest value of a lower bound, the highest of an upper bound
    worst = min(range(len(terms)), key=lambda k: sign * terms[k].observed[index])
    y = terms[worst].observed[index]
    missed = [t.hour for t in terms if check_constraint(c, t.observed[index], margin=margin) is not None]
    return ConstraintCheck(
        index=index, kpi=c.kpi, slice=c.slice, op=c.op, bound=c.value, margin=margin, need=need,
        scale=constraint_scale(c), observed=y, hour=terms[worst].hour,
        baseline=terms[worst].observed_baseline[index],
        held=all(check_constraint(c, t.observed[index]) is None for t in terms),
        met=not missed, shortfall=max(0.0, sign * (need - y)), hours_missed=missed,
    )
