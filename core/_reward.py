"""The reward of a candidate configuration for an `Intent`: one pure function shared by the optimizer, the verifier's
report, the benchmarks and prompt refinement.

Formula (also in docs/reward.md)::

    R = (1/|H|) * sum_{h in H} [ g_h - lambda * sum_{c in C} v_{c,h} ]  -  kappa * 1[ exists h, c : v_{c,h} > 0 ]

    g_h     = s * (x_h - b_h) / max(|b_h|, eps_k)              s = +1 for maximize, -1 for minimize
    v_{c,h} = max(0, theta_c - y_{c,h}) / max(|theta_c|, eps_{k_c})   for  ">="
            = max(0, y_{c,h} - theta_c) / max(|theta_c|, eps_{k_c})   for  "<="

* H: the intent's hours (``None`` = "now", a single term); x_h, b_h: the objective KPI of the candidate and of the
  baseline at hour h (read per slice when the objective names one); y_{c,h}: constraint c's KPI of the candidate.
* eps_k: `KPI_SCALE_FLOOR`, the smallest magnitude that counts for KPI k, so that a zero baseline (no users at night,
  a p5 throughput of 0) gives a finite, sensibly scaled value instead of a division by zero.
* lambda = `VIOLATION_WEIGHT` = 10: a violation of 1 % of the bound costs as much as a 10 % gain.
* kappa = `FEASIBILITY_PENALTY` = 1: any violation at all costs as much as a 100 % saving (energy cut to zero), so an
  infeasible candidate never outscores the unchanged baseline on a minimize objective, and search is pushed to the
  feasible side. The verifier still checks constraints on its own, with a margin; the reward only ranks.

Properties (tested, partly with hypothesis): R = 0 at the baseline when no constraint is violated; R is non-decreasing
as the objective improves with the constraints held; any violation lowers R (by at least kappa); R is finite for any
finite KPIs, zero baselines included.

KPI inputs: a `KPIs`-like object (attributes) or a mapping of KPI name → value for network-wide values; for
slice-qualified KPIs, an object with ``.network`` and ``.per_slice`` (a `KPIReport`) or a mapping
``{"network": ..., "per_slice": {"urllc": ..., ...}}``. Either argument may instead be a mapping hour → one of those,
for intents with hours; a single value stands for every hour.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from numbers import Integral
from typing import Any

from ._intent import Constraint, Intent
from ._vocabulary import KPI_SCALE_FLOOR

#: Weight of a constraint's normalized hinge violation (lambda).
VIOLATION_WEIGHT = 10.0
#: Flat cost of violating anything at all (kappa).
FEASIBILITY_PENALTY = 1.0


@dataclass(frozen=True)
class Violation:
    """One constraint not met at one hour: ``amount`` is the normalized hinge v_{c,h} (> 0)."""

    kpi: str
    slice: str | None
    op: str
    value: float
    observed: float
    amount: float
    hour: int | None = None

    def describe(self) -> str:
        where = f" ({self.slice})" if self.slice else ""
        when = f" at {self.hour:02d}:00" if self.hour is not None else ""
        return f"{self.kpi}{where} = {self.observed:.4g}{when}, needs {self.op} {self.value:.4g}"


@dataclass(frozen=True)
class HourTerm:
    """One hour of the reward: the objective before (b_h) and after (x_h), its normalized gain g_h, each constraint's
    observed value (in ``intent.constraints`` order; the baseline's where the baseline carries that KPI) and the
    violations at the bound."""

    hour: int | None
    gain: float
    violations: list[Violation] = field(default_factory=list)
    objective_before: float = math.nan
    objective_after: float = math.nan
    observed: tuple[float, ...] = ()
    observed_baseline: tuple[float | None, ...] = ()


@dataclass(frozen=True)
class RewardBreakdown:
    """`reward` with its parts: per-hour gains and violations, and the constants used."""

    total: float
    terms: list[HourTerm]
    violation_weight: float
    feasibility_penalty: float

    @property
    def feasible(self) -> bool:
        return not any(t.violations for t in self.terms)

    @property
    def gain(self) -> float:
        """Mean normalized objective improvement over the hours (the first term of R)."""
        return sum(t.gain for t in self.terms) / len(self.terms)

    @property
    def violations(self) -> list[Violation]:
        return [v for t in self.terms for v in t.violations]


def reward(intent: Intent, kpis_baseline: Any, kpis: Any) -> float:
    """R for ``kpis`` against ``kpis_baseline`` under ``intent``; see the module docstring for the formula and inputs.

    Raises ``ValueError`` when a KPI it needs is missing or not finite, or an hour of the intent is missing from a
    per-hour mapping.
    """
    return reward_breakdown(intent, kpis_baseline, kpis).total


def reward_breakdown(
    intent: Intent,
    kpis_baseline: Any,
    kpis: Any,
    *,
    violation_weight: float = VIOLATION_WEIGHT,
    feasibility_penalty: float = FEASIBILITY_PENALTY,
) -> RewardBreakdown:
    """`reward` with its parts. ``violation_weight`` (lambda) and ``feasibility_penalty`` (kappa) are for studies;
    everything that scores candidates uses the defaults."""
    hours = _hours(intent, kpis_baseline, kpis)
    obj = intent.objective
    eps = KPI_SCALE_FLOOR[obj.kpi]
    sign = 1.0 if obj.goal == "maximize" else -1.0
    terms = []
    for h in hours:
        base, cand = _at(kpis_baseline, h, "kpis_baseline"), _at(kpis, h, "kpis")
        b = read_kpi(base, obj.kpi, obj.slice)
        x = read_kpi(cand, obj.kpi, obj.slice)
        gain = sign * (x - b) / max(abs(b), eps)
        ys = tuple(read_kpi(cand, c.kpi, c.slice) for c in intent.constraints)
        viol = [v for c, y in zip(intent.constraints, ys, strict=True) if (v := check_constraint(c, y, h)) is not None]
        terms.append(HourTerm(hour=h, gain=gain, violations=viol, objective_before=b, objective_after=x, observed=ys,
                              observed_baseline=tuple(_read_or_none(base, c.kpi, c.slice) for c in intent.constraints)))
    mean = sum(t.gain - violation_weight * sum(v.amount for v in t.violations) for t in terms) / len(terms)
    infeasible = any(t.violations for t in terms)
    total = mean - (feasibility_penalty if infeasible else 0.0)
    return RewardBreakdown(
        total=total, terms=terms, violation_weight=violation_weight, feasibility_penalty=feasibility_penalty
    )


def violations(intent: Intent, kpis: Any, *, margin: float = 0.0) -> list[Violation]:
    """The constraints ``kpis`` does not meet, at every hour of the intent (or "now").

    ``margin`` is relative to the bound's scale: with margin 0.02, ``coverage >= 0.95`` needs 0.95 + 0.02 * 0.95.
    ``amount`` is still measured against the bound itself (0 when only the margin is missed, so the verifier can tell).
    """
    hours = _hours(intent, kpis, kpis)
    out = []
    for h in hours:
        cand = _at(kpis, h, "kpis")
        out += [v for c in intent.constraints if (v := _violation(c, cand, h, margin)) is not None]
    return out


def read_kpi(src: Any, kpi: str, slice: str | None = None) -> float:
    """One KPI value from any accepted KPI input (see module docstring); ``slice`` None = network-wide."""
    if slice is None:
        net = _field(src, "network", src)
        value = _field(net, kpi, None)
        if value is None:
            raise ValueError(f"KPI {kpi!r} is missing from the KPIs given ({type(net).__name__})")
    else:
        per_slice = _field(src, "per_slice", None)
        if per_slice is None:
            raise ValueError(
                f"{kpi} for slice {slice!r} needs per-slice KPIs: pass a KPIReport (.network, .per_slice) or "
                f"{{'network': ..., 'per_slice': {{{slice!r}: ...}}}}"
            )
        sl = per_slice.get(slice) if isinstance(per_slice, Mapping) else getattr(per_slice, slice, None)
        if sl is None:
            raise ValueError(f"no KPIs for slice {slice!r}; per_slice has {sorted(per_slice) if isinstance(per_slice, Mapping) else '?'}")
        value = _field(sl, kpi, None)
        if value is None:
            raise ValueError(f"KPI {kpi!r} is missing from slice {slice!r}'s KPIs")
    value = float(value)
    if not math.isfinite(value):
        where = f" (slice {slice})" if slice else ""
        raise ValueError(f"KPI {kpi}{where} is {value}: the reward needs finite KPI values")
    return value


def constraint_scale(c: Constraint) -> float:
    """The magnitude a constraint's margins and violations are measured in: ``max(|theta_c|, eps_k)``."""
    return max(abs(c.value), KPI_SCALE_FLOOR[c.kpi])


def constraint_need(c: Constraint, margin: float) -> float:
    """The bound with a relative safety margin: ``theta + margin * scale`` for ``>=``, ``theta - margin * scale`` for
    ``<=`` (margin 0 is the bound itself)."""
    m = margin * constraint_scale(c)
    return c.value + m if c.op == ">=" else c.value - m


def check_constraint(c: Constraint, observed: float, hour: int | None = None, *,
                     margin: float = 0.0) -> Violation | None:
    """The one rule for "does ``observed`` keep constraint ``c`` (with ``margin``)?": None when it does, else a
    `Violation` whose ``amount`` is the normalized hinge against the bound itself (0 when only the margin is missed)."""
    need = constraint_need(c, margin)
    missed = observed < need if c.op == ">=" else observed > need
    if not missed:
        return None
    short = c.value - observed if c.op == ">=" else observed - c.value
    return Violation(kpi=c.kpi, slice=c.slice, op=c.op, value=c.value, observed=observed,
                     amount=max(0.0, short) / constraint_scale(c), hour=hour)


def _violation(c: Constraint, src: Any, hour: int | None, margin: float) -> Violation | None:
    return check_constraint(c, read_kpi(src, c.kpi, c.slice), hour, margin=margin)


def _read_or_none(src: Any, kpi: str, slice: str | None) -> float | None:
    try:
        return read_kpi(src, kpi, slice)
    except ValueError:
        return None


def _field(src: Any, name: str, default: Any) -> Any:
    if isinstance(src, Mapping):
        return src.get(name, default)
    return getattr(src, name, default)


def _by_hour(x: Any) -> bool:
    return isinstance(x, Mapping) and len(x) > 0 and all(isinstance(k, Integral) and not isinstance(k, bool) for k in x)


def _hours(intent: Intent, baseline: Any, kpis: Any) -> list[int | None]:
    if intent.hours is not None:
        hours: list[int | None] = list(intent.hours)
    elif _by_hour(kpis):
        hours = sorted(kpis)
    elif _by_hour(baseline):
        hours = sorted(baseline)
    else:
        return [None]
    for name, x in (("kpis_baseline", baseline), ("kpis", kpis)):
        if _by_hour(x):
            missing = [h for h in hours if h not in x]
            if missing:
                raise ValueError(
                    f"{name} has no KPIs for hours {missing} of the intent; evaluate those hours "
                    f"(what_if(..., hours={hours})) or pass one KPIs value for all hours"
                )
    return hours


def _at(x: Any, hour: int | None, name: str) -> Any:
    if hour is not None and _by_hour(x):
        return x[hour]
    return x
