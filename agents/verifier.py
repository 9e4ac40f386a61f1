"""The verifier: the numbers, not an LLM, decide whether a candidate may be applied.

A candidate is re-evaluated on fresh seeds (user drops the optimizer never saw), over every hour of the intent, with
a longer horizon. It is approved only if, on that evaluation:
1. the policy allows it (every guardrail, the coverage floor included),
2. every intent constraint holds at every hour with a safety margin (relative to the bound, `DEFAULT_MARGIN`), and
3. the objective improves on the unchanged network under the same seeds and hours (by at least `MIN_GAIN`).
Otherwise it is rejected with reasons the optimizer can read (and act on in the next round).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from airloop.simulator import CellChange, KPIs
from airloop.tools import NetworkSession, ToolError
from pydantic import BaseModel, Field

from .evaluate import canonical, reward_inputs
from .intent import Intent
from .models import Budget
from .reward import reward_breakdown, violations

#: Relative margin on every constraint bound: coverage >= 0.95 must verify at >= 0.95 + 0.01 * 0.95.
DEFAULT_MARGIN = 0.01
#: Smallest normalized objective improvement that counts as an improvement (0.1 %).
MIN_GAIN = 1e-3
#: Seeds of the verifier's fresh user drops; the optimizer uses seed 0 (the live users) and small seeds.
VERIFIER_SEEDS: tuple[int, ...] = (1001, 1002)


class Verdict(BaseModel):
    """The verifier's decision with the evidence behind it."""

    approved: bool
    reasons: list[str] = Field(default_factory=list)
    changes: list[CellChange] = Field(default_factory=list)
    reward: float = 0.0
    gain: float = 0.0
    kpis_before: KPIs | None = None
    kpis_after: KPIs | None = None
    kpis_after_by_hour: dict[int, KPIs] = Field(default_factory=dict)
    slice_kpis_after: dict[str, KPIs] = Field(default_factory=dict)
    shortfalls: dict[str, float] = Field(default_factory=dict)  # constraint -> how far below its margin-ed bound
    seeds: list[int] = Field(default_factory=list)
    hours: list[int] | None = None
    steps: int = 0
    margin: float = DEFAULT_MARGIN


def verify(
    session: NetworkSession,
    intent: Intent,
    changes: Sequence[CellChange | dict[str, Any]],
    *,
    seeds: Sequence[int] = VERIFIER_SEEDS,
    steps: int = 20,
    margin: float = DEFAULT_MARGIN,
    min_gain: float = MIN_GAIN,
    budget: Budget | None = None,
) -> Verdict:
    """Re-evaluate `changes` on fresh seeds over every hour of `intent`, and approve or reject them.

    The verifier always runs, even with the run's budget spent: its evaluations are charged, but safety is never
    skipped for want of budget.
    """
    try:
        cand = canonical(changes)
    except ValueError as e:
        return Verdict(approved=False, reasons=[f"malformed candidate: {e}"])
    if not cand:
        return Verdict(approved=False, reasons=["the candidate changes nothing"])
    if set(seeds) & {0}:
        raise ValueError("the verifier needs fresh seeds: seed 0 is the live users the optimizer scored on")
    hours = intent.hours
    if budget is not None:
        budget.charge_sim(1)
    try:
        sim = session.simulate(cand, hours=hours, steps=steps, seeds=list(seeds))
    except ToolError as e:
        return Verdict(approved=False, reasons=[f"the tools refused the candidate: {e}"], changes=cand)
    scored, b_arg, a_arg = reward_inputs(intent, sim)
    rb = reward_breakdown(scored, b_arg, a_arg)
    reasons: list[str] = []
    shortfalls: dict[str, float] = {}
    for v in sim.violations:
        reasons.append(f"guardrail {v.rule}: {v.message}")
    for v in violations(scored, a_arg, margin=margin):
        where = f" ({v.slice})" if v.slice else ""
        when = f" at {v.hour:02d}:00" if v.hour is not None else ""
        need = v.value * (1 + margin) if v.op == ">=" else v.value * (1 - margin)
        reasons.append(
            f"constraint {v.kpi}{where} {v.op} {v.value:g} not met with the {margin:.0%} margin{when}: "
            f"verified {v.observed:.4g}, needs {v.op} {need:.4g}"
        )
        key = f"{v.kpi}{where} {v.op} {v.value:g}"
        shortfalls[key] = max(shortfalls.get(key, 0.0), abs(need - v.observed))
    if rb.gain < min_gain:
        obj = intent.objective
        where = f" ({obj.slice})" if obj.slice else ""
        reasons.append(
            f"objective {obj.goal} {obj.kpi}{where} not improved on fresh seeds: normalized gain {rb.gain:+.4f} "
            f"(needs > {min_gain:g})"
        )
    return Verdict(
        approved=not reasons,
        reasons=reasons,
        changes=cand,
        reward=rb.total,
        gain=rb.gain,
        kpis_before=sim.kpis_before,
        kpis_after=sim.kpis_after,
        kpis_after_by_hour=dict(sim.after_by_hour),
        slice_kpis_after=dict(sim.per_slice_after),
        shortfalls=shortfalls,
        seeds=list(seeds),
        hours=scored.hours,
        steps=steps,
        margin=margin,
    )
