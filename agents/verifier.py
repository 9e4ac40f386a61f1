"""The verifier: the numbers, not an LLM, decide whether a candidate may be applied.

A candidate is re-evaluated on fresh seeds (user drops the optimizer never saw), over every hour of the intent, with
a longer horizon. It is approved only if, on that evaluation:
1. the policy allows it (every guardrail, the coverage floor included),
2. every intent constraint holds at every hour with a safety margin (relative to the bound, `DEFAULT_MARGIN`), and
   with confidence: its one-sided (1 − α) confidence bound over the drops clears the bound at every hour, and
3. the objective's gain is real: a one-sided paired t-test at level α (`judge.ALPHA`, 5 %) on the per-(seed, hour)
   gains finds it above its seed-to-seed and hour-to-hour spread, and the mean gain is at least `MIN_GAIN`.
The judge (`judge.assess_simulation`, `judge.evidence`) does the scoring and the statistics; the verifier only
decides. The drop count comes from the published KPI spread (`verifier_seeds`: what the intent's KPIs need to show a
1 % change, between six and the tools' eight). Never fewer than six: with two, the seed-clustered test has one degree
of freedom (t = 6.3), and a 0.1 % gain that was drop-to-drop noise passed the old fixed threshold and then lost on
fresh seeds. The optimizer keeps two drops (seed 0, the live users, and seed 1): it only ranks candidates against
each other on the same drops, and a third drop would make every one of its evaluations half as long again. A
rejection carries the `Assessment` and the `Evidence` (shortfalls as data, for the optimizer's next round) and their
rendering as reasons (for reports).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from airloop.simulator import CellChange, KPIs
from airloop.tools import NetworkSession, NetworkView, ToolError
from pydantic import BaseModel, Field, computed_field

from ._spread import recommended_seeds
from .evaluate import canonical
from .intent import Intent
from .judge import ALPHA, Assessment, ConstraintCheck, Evidence, assess_simulation
from .models import Budget

#: Relative margin on every constraint bound: coverage >= 0.95 must verify at >= 0.95 + 0.01 * 0.95.
DEFAULT_MARGIN = 0.01
#: Smallest normalized objective improvement that counts as an improvement (0.1 %).
MIN_GAIN = 1e-3
#: Seeds of the verifier's fresh user drops; the optimizer uses seed 0 (the live users) and small seeds. Six: enough
#: for the paired test to see a 1 % energy or coverage change (benchmarks/kpi_spread.py), within the tools' 8.
VERIFIER_SEEDS: tuple[int, ...] = (1001, 1002, 1003, 1004, 1005, 1006)
#: The verifier's drop count per intent (`verifier_seeds`) lies between these: six keep the seed-clustered test's
#: degrees of freedom (5) usable; eight is the tools' `Horizon` limit.
MIN_VERIFIER_SEEDS = len(VERIFIER_SEEDS)
MAX_VERIFIER_SEEDS = 8
#: The relative change the verifier's drop count is sized to see (on the objective, paired; on each constraint's KPI
#: against its bound, unpaired).
DETECT_REL_CHANGE = 0.01


def verifier_seeds(intent: Intent, scenario: str | None = None, *,
                   rel_change: float = DETECT_REL_CHANGE) -> tuple[int, ...]:
    """The verifier's fresh drops for `intent`, as many as the published KPI spread (`recommended_seeds`, the worst
    over the intent's hours) says the objective needs to show a `rel_change` gain (paired) and each constraint's KPI
    needs to be told `rel_change` from its bound (unpaired), clamped to [`MIN_VERIFIER_SEEDS`, `MAX_VERIFIER_SEEDS`].
    `scenario` None (or one not measured): the worst over the measured scenarios. Seeds 1001, 1002, ...: never the
    optimizer's or the evaluation judge's."""
    hours = list(intent.hours) if intent.hours else None
    need = [recommended_seeds(intent.objective.kpi, intent.objective.slice, rel_change, paired=True,
                              scenario=scenario, hours=hours)]
    need += [recommended_seeds(c.kpi, c.slice, rel_change, paired=False, scenario=scenario, hours=hours)
             for c in intent.constraints]
    n = min(max(max(need), MIN_VERIFIER_SEEDS), MAX_VERIFIER_SEEDS)
    return tuple(range(1001, 1001 + n))


class Verdict(BaseModel):
    """The verifier's decision with the evidence behind it: the judge's `Assessment` on fresh seeds (data the
    optimizer reads) and the same findings rendered as ``reasons`` (text for prompts and reports)."""

    approved: bool
    reasons: list[str] = Field(default_factory=list)
    changes: list[CellChange] = Field(default_factory=list)
    assessment: Assessment | None = None  # None when the candidate never reached the simulator (malformed, refused)
    seeds: list[int] = Field(default_factory=list)
    hours: list[int] | None = None
    steps: int = 0
    margin: float = DEFAULT_MARGIN
    min_gain: float = MIN_GAIN
    alpha: float = ALPHA
    evidence: Evidence | None = None  # the statistical test behind the decision

    @computed_field  # type: ignore[prop-decorator]
    @property
    def reward(self) -> float:
        return self.assessment.reward if self.assessment else 0.0

    @computed_field  # type: ignore[prop-decorator]
    @property
    def gain(self) -> float:
        return self.assessment.gain if self.assessment else 0.0

    @property
    def gain_only(self) -> bool:
        """Rejected only because the objective's gain did not clear the noise (or `min_gain`) on the fresh drops: the
        candidate reached the simulator, kept every constraint with the margin and with confidence, and no guardrail
        fired. A run whose every rejection is of this kind, on a network that meets the intent, has no headroom; one
        rejected for a constraint or a guardrail had no *safe* change."""
        a, e = self.assessment, self.evidence
        return not self.approved and a is not None and e is not None and a.passes and e.constraints_confident

    @computed_field  # type: ignore[prop-decorator]
    @property
    def shortfalls(self) -> list[ConstraintCheck]:
        return self.assessment.shortfalls if self.assessment else []

    @computed_field  # type: ignore[prop-decorator]
    @property
    def kpis_before(self) -> KPIs | None:
        return self.assessment.kpis_before if self.assessment else None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def kpis_after(self) -> KPIs | None:
        return self.assessment.kpis_after if self.assessment else None


def verify(
    network: NetworkView | NetworkSession,
    intent: Intent,
    changes: Sequence[CellChange | dict[str, Any]],
    *,
    seeds: Sequence[int] = VERIFIER_SEEDS,
    steps: int = 20,
    margin: float = DEFAULT_MARGIN,
    min_gain: float = MIN_GAIN,
    alpha: float = ALPHA,
    budget: Budget | None = None,
) -> Verdict:
    """Re-evaluate `changes` on fresh seeds over every hour of `intent`, and approve or reject them.

    The verifier always runs, even with the run's budget spent: its evaluations are charged, but safety is never
    skipped for want of budget.
    """
    try:
        cand = canonical(changes)
    except ValueError as e:
        return Verdict(approved=False, reasons=[f"malformed candidate: {e}"], margin=margin, min_gain=min_gain)
    if not cand:
        return Verdict(approved=False, reasons=["the candidate changes nothing"], margin=margin, min_gain=min_gain)
    if set(seeds) & {0}:
        raise ValueError("the verifier needs fresh seeds: seed 0 is the live users the optimizer scored on")
    if len(set(seeds)) < 2:
        raise ValueError("the verifier needs at least 2 fresh seeds: its test estimates the drop-to-drop spread")
    if budget is not None:
        budget.charge_sim(1)
    try:
        sim = network.simulate(cand, hours=intent.hours, steps=steps, seeds=list(seeds))
    except ToolError as e:
        return Verdict(approved=False, reasons=[f"the tools refused the candidate: {e}"], changes=cand,
                       margin=margin, min_gain=min_gain)
    a = assess_simulation(intent, sim, margin=margin)
    ev = a.evidence(alpha=alpha, min_gain=min_gain)
    reasons = a.reasons(min_gain=min_gain, intent=intent)
    reasons += [r for r in ev.reasons() if r not in reasons]
    return Verdict(
        approved=a.passes and a.gain >= min_gain and ev.passes,
        reasons=reasons,
        changes=cand,
        assessment=a,
        seeds=list(seeds),
        hours=a.hours,
        steps=steps,
        margin=margin,
        min_gain=min_gain,
        alpha=alpha,
        evidence=ev,
    )
