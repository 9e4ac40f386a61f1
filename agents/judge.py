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
  no guardrail fired), ``passes`` (the same with the margin) and ``baseline_feasible``;
* ``gain_by_seed`` and each check's ``by_seed`` — the same per user drop (seed) and hour, when the what-if kept its
  drops apart: the paired samples of the statistical test.

`evidence` (`Assessment.evidence`) is the one statistical decision: the objective's gain must exceed its
seed-to-seed and hour-to-hour spread (a one-sided paired t-test at level `ALPHA` on the per-(seed, hour) gains, with
the standard error taken as the larger of the pooled and the seed-clustered one), and each constraint must clear its
bound with a one-sided confidence bound at every hour. The verifier decides with it on its fresh drops; the
optimizer's `Scorer` aims at it on its own drops, projected to the verifier's number of drops.

The verdict travels as this data: the optimizer reads ``shortfalls`` (which KPI, which hour, by how much) and never
parses sentences; `Assessment.reasons` renders text for prompts and reports only.
"""

from __future__ import annotations

import math
import statistics
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
#: Level of the one-sided tests of `evidence`: a gain is real, a constraint holds, each at 95 % confidence.
ALPHA = 0.05


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
    by_seed: dict[int, dict[int, float]] = Field(default_factory=dict)  # seed -> hour (-1 = now) -> value on that drop

    @property
    def worst_by_seed(self) -> dict[int, float]:
        """Seed -> the worst hour's value on that drop (the lowest of a lower bound, the highest of an upper one)."""
        pick = min if self.op == ">=" else max
        return {s: pick(v.values()) for s, v in self.by_seed.items() if v}

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
    gain_by_seed: dict[int, dict[int, float]] = Field(default_factory=dict)  # seed -> hour -> gain on that drop
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

    def evidence(self, *, alpha: float = ALPHA, min_gain: float = 0.0, n_seeds: int | None = None) -> Evidence:
        """The statistical test of this assessment (see `evidence`)."""
        return evidence(self, alpha=alpha, min_gain=min_gain, n_seeds=n_seeds)

    def summary(self) -> dict[str, Any]:
        """A compact JSON form for logs and tool outputs."""
        return {"reward": round(self.reward, 4), "gain": round(self.gain, 4), "feasible": self.feasible,
                "passes": self.passes, "shortfalls": [c.describe() for c in self.shortfalls],
                "guardrails": [g.rule for g in self.guardrails]}


class ConstraintEvidence(BaseModel):
    """One constraint against its bound with the drop-to-drop spread: at every hour, the mean over the drops less
    (for ``>=``; plus for ``<=``) ``t_{1-α, n-1} · sd / √n`` must clear the bound. The hour shown is the closest."""

    index: int
    name: str
    op: Op
    bound: float
    hour: int | None = None
    mean: float  # the mean over the drops at that hour
    spread: float  # t · sd / √n at that hour (0 with a single drop: no spread estimate)
    confidence_bound: float  # mean − spread (``>=``) or mean + spread (``<=``)
    confident: bool  # the confidence bound clears the bound at every hour

    def describe(self) -> str:
        when = f" at {self.hour:02d}:00" if self.hour is not None and self.hour >= 0 else ""
        side = "lower" if self.op == ">=" else "upper"
        return (f"constraint {self.name} not held with confidence{when}: mean {self.mean:.4g}, one-sided {side} "
                f"confidence bound {self.confidence_bound:.4g} (drop-to-drop spread {self.spread:.3g})")


class Evidence(BaseModel):
    """The statistical decision on an `Assessment` (see `evidence`)."""

    alpha: float
    n_seeds: int  # the drops the standard error assumes (the verifier's, when projected)
    n_hours: int
    samples: int  # (seed, hour) gains observed
    projected: bool = False  # the spread was estimated on other drops than `n_seeds` (the optimizer's)
    gain_mean: float  # the mean per-(seed, hour) normalized gain
    gain_sd_seed: float | None = None  # the spread of the per-seed mean gains
    gain_sd: float | None = None  # the spread of the per-(seed, hour) gains (seed-to-seed and hour-to-hour)
    gain_se: float | None = None
    df: int = 0
    t_crit: float | None = None
    gain_lcb: float  # one-sided lower confidence bound of the mean gain
    p_value: float
    min_gain: float = 0.0
    gain_significant: bool
    constraints: list[ConstraintEvidence] = Field(default_factory=list)

    @property
    def constraints_confident(self) -> bool:
        return all(c.confident for c in self.constraints)

    @property
    def passes(self) -> bool:
        return self.gain_significant and self.constraints_confident

    def reasons(self) -> list[str]:
        out = [c.describe() for c in self.constraints if not c.confident]
        if not self.gain_significant:
            if self.gain_se is None:
                why = "no spread estimate (a single sample)"
            elif self.gain_mean < self.min_gain:
                why = f"mean gain {self.gain_mean:+.4f} is below the smallest gain that counts ({self.min_gain:g})"
            else:
                why = (f"mean gain {self.gain_mean:+.4f} is inside its seed-to-seed and hour-to-hour spread: one-sided "
                       f"{1 - self.alpha:.0%} lower bound {self.gain_lcb:+.4f} <= 0 (p = {self.p_value:.3f}, "
                       f"{self.samples} (seed, hour) samples)")
            out.append(f"objective gain not significant: {why}")
        return out


def _t_crit(alpha: float, df: int) -> float:
    from scipy.stats import t as student_t

    return float(student_t.ppf(1.0 - alpha, max(1, df)))


def _t_sf(x: float, df: int) -> float:
    from scipy.stats import t as student_t

    return float(student_t.sf(x, max(1, df)))


def evidence(a: Assessment, *, alpha: float = ALPHA, min_gain: float = 0.0, n_seeds: int | None = None) -> Evidence:
    """Is the gain real and does every constraint hold, beyond the drop-to-drop and hour-to-hour noise?

    Gain: the samples are the paired per-(seed, hour) normalized gains ``gain_by_seed`` (the same drop before and
    after). Their mean must have a one-sided (1 − α) lower confidence bound above 0 (a paired t-test) and be at least
    ``min_gain``. The standard error is the larger of the pooled one (sd over every (seed, hour) sample / √(S·H): the
    gain must exceed the hour-to-hour spread too) and the seed-clustered one (sd of the per-seed means / √S, with
    S − 1 degrees of freedom: hours on one drop share its users, so a gain carried by one lucky drop is not trusted;
    the two equal to rounding: the one with fewer degrees of freedom).
    A candidate that changes nothing has every sample 0 and is never significant.

    Constraints: at every hour, the mean over the drops ∓ t_{1−α, S−1} · sd / √S must clear the bound.

    ``n_seeds`` projects the test to another number of drops than the sample's (the optimizer predicting the
    verifier's verdict from its own drops): the spreads are estimated on the sample, the standard errors use
    ``n_seeds``. Without per-seed data (plain KPIs), one sample per hour: no spread estimate, never significant.
    """
    if not 0.0 < alpha < 0.5:
        raise ValueError(f"alpha must be in (0, 0.5), got {alpha}")
    g = a.gain_by_seed or ({0: dict(a.gain_by_hour)} if a.gain_by_hour else {})
    seeds = sorted(g)
    hours = sorted(set.intersection(*(set(g[s]) for s in seeds))) if seeds else []
    xs = [[g[s][h] for h in hours] for s in seeds]
    flat = [x for row in xs for x in row]
    S, H = len(seeds), len(hours)
    n_target = int(n_seeds) if n_seeds else S
    mean = statistics.fmean(flat) if flat else 0.0
    sd_pooled = statistics.stdev(flat) if len(flat) >= 2 else None
    means = [statistics.fmean(row) for row in xs if row]
    sd_seed = statistics.stdev(means) if len(means) >= 2 else None
    candidates = []
    if sd_pooled is not None:
        candidates.append((sd_pooled / math.sqrt(max(1, n_target * H)), max(1, n_target * H - 1)))
    if sd_seed is not None:
        candidates.append((sd_seed / math.sqrt(max(1, n_target)), max(1, n_target - 1)))
    if candidates:
        se, df = max(candidates)
        # the two standard errors equal to rounding (x = [[0.5, 0.5], [0.5, 0.005]]: both 0.12375): the one with fewer
        # degrees of freedom, whose bound is the wider, so that which one wins does not depend on summation order
        se, df = min((c for c in candidates if math.isclose(c[0], se, rel_tol=1e-9)), key=lambda c: c[1])
        t = _t_crit(alpha, df)
        if se > 0.0:
            lcb, p = mean - t * se, _t_sf(mean / se, df)
        else:  # every sample identical: no noise at all
            lcb, p = mean, (0.0 if mean > 0.0 else 1.0)
        significant = lcb > 0.0 and mean >= min_gain and mean > 0.0
        se_out: float | None = se
    else:
        se_out, df, t, lcb, p, significant = None, 0, None, mean, 1.0, False
    return Evidence(
        alpha=alpha, n_seeds=n_target, n_hours=H, samples=len(flat), projected=n_seeds is not None and n_seeds != S,
        gain_mean=mean, gain_sd_seed=sd_seed, gain_sd=sd_pooled, gain_se=se_out, df=df, t_crit=t, gain_lcb=lcb,
        p_value=p, min_gain=min_gain, gain_significant=significant,
        constraints=[_constraint_evidence(c, alpha, n_seeds) for c in a.constraints])


def _constraint_evidence(c: ConstraintCheck, alpha: float, n_seeds: int | None) -> ConstraintEvidence:
    by_seed = c.by_seed or {0: {(-1 if c.hour is None else c.hour): c.observed}}
    hours = sorted(set.intersection(*(set(v) for v in by_seed.values())))
    sign = 1.0 if c.op == ">=" else -1.0
    worst: tuple[float, int, float, float] | None = None  # (distance to the bound, hour, mean, spread)
    for h in hours:
        vals = [by_seed[s][h] for s in sorted(by_seed)]
        n = int(n_seeds) if n_seeds else len(vals)
        m = statistics.fmean(vals)
        spread = _t_crit(alpha, n - 1) * statistics.stdev(vals) / math.sqrt(n) if len(vals) >= 2 else 0.0
        dist = sign * (m - c.bound) - spread
        if worst is None or dist < worst[0]:
            worst = (dist, h, m, spread)
    if worst is None:
        worst = (sign * (c.observed - c.bound), -1, c.observed, 0.0)
    dist, h, m, spread = worst
    return ConstraintEvidence(index=c.index, name=c.name, op=c.op, bound=c.bound, hour=None if h < 0 else h,
                              mean=m, spread=spread, confidence_bound=m - sign * spread, confident=dist >= 0.0)


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
    gain_by_seed, values_by_seed = _per_seed(scored, sim, hours)
    checks = [c.model_copy(update={"by_seed": values_by_seed.get(c.index, {})}) for c in a.constraints]
    return a.model_copy(update={
        "gain_by_seed": gain_by_seed, "constraints": checks,
        "kpis_before": sim.kpis_before, "kpis_after": sim.kpis_after,
        "kpis_before_by_hour": dict(sim.before_by_hour), "kpis_after_by_hour": dict(sim.after_by_hour),
        "slice_kpis_before": dict(sim.per_slice_before), "slice_kpis_after": dict(sim.per_slice_after),
        "slice_kpis_after_by_hour": {h: dict(v) for h, v in sim.slices_after_by_hour.items()},
        "hours": scored.hours, "seeds": list(sim.seeds), "steps": int(sim.steps),
    })


def _per_seed(scored: Intent, sim: Any, hours: list[int]) -> tuple[dict[int, dict[int, float]],
                                                                   dict[int, dict[int, dict[int, float]]]]:
    """Per user drop (seed) and hour: the normalized gain and each constraint's value (seed -> hour -> x; hour -1 is
    "now"), from a what-if that kept its drops apart (empty otherwise)."""
    before_s = getattr(sim, "before_by_seed", None) or {}
    after_s = getattr(sim, "after_by_seed", None) or {}
    sb = getattr(sim, "slices_before_by_seed", None) or {}
    sa = getattr(sim, "slices_after_by_seed", None) or {}
    gains: dict[int, dict[int, float]] = {}
    values: dict[int, dict[int, dict[int, float]]] = {}
    for s in sorted(after_s):
        if s not in before_s or any(h not in after_s[s] or h not in before_s[s] for h in hours):
            continue

        def at(net: Mapping[int, Any], sl: Mapping[int, Any], h: int) -> dict[str, Any]:
            return {"network": net[h], "per_slice": sl.get(h, {})}

        if scored.hours is None:
            (h,) = hours
            before: Any = at(before_s[s], sb.get(s, {}), h)
            after: Any = at(after_s[s], sa.get(s, {}), h)
        else:
            before = {h: at(before_s[s], sb.get(s, {}), h) for h in hours}
            after = {h: at(after_s[s], sa.get(s, {}), h) for h in hours}
        rb = reward_breakdown(scored, before, after)
        gains[s] = {(-1 if t.hour is None else t.hour): t.gain for t in rb.terms}
        for i in range(len(scored.constraints)):
            values.setdefault(i, {})[s] = {(-1 if t.hour is None else t.hour): t.observed[i] for t in rb.terms}
    return gains, values


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
