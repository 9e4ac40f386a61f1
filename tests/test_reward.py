"""`reward`: the formula on worked numbers, the KPI input forms, hours, errors, and its properties (hypothesis)."""

from __future__ import annotations

import math

import pytest
from airloop.agents.intent import Intent
from airloop.core import (
    FEASIBILITY_PENALTY,
    FRACTION_KPIS,
    KPI_SCALE_FLOOR,
    VIOLATION_WEIGHT,
    read_kpi,
    reward,
    reward_breakdown,
    violations,
)
from airloop.simulator.types import KPI_DIRECTION, KPI_NAMES, KPIReport, KPIs
from hypothesis import given, settings
from hypothesis import strategies as st

BASE = {
    "energy_w": 5000.0, "energy_efficiency": 0.02, "throughput_mean_mbps": 40.0, "throughput_p5_mbps": 2.0,
    "coverage": 0.97, "fairness": 0.6, "latency_ms": 12.0, "latency_p95_ms": 40.0, "packet_loss": 0.01,
    "handover_rate": 0.4, "prb_utilization": 0.5, "active_cells": 57.0,
}


def kpis(**kw: float) -> KPIs:
    return KPIs(**{**BASE, **kw})


def intent(objective=("energy_w", "minimize", None), constraints=(), hours=None) -> Intent:
    kpi, goal, sl = objective
    return Intent(
        objective={"kpi": kpi, "goal": goal, "slice": sl},
        constraints=[{"kpi": k, "op": op, "value": v, "slice": s} for k, op, v, s in constraints],
        hours=hours,
    )


NIGHT_ENERGY = intent(constraints=[("coverage", ">=", 0.95, None)])


def test_constants_are_as_documented():
    assert VIOLATION_WEIGHT == 10.0 and FEASIBILITY_PENALTY == 1.0
    assert set(KPI_SCALE_FLOOR) == set(KPI_NAMES)


def test_worked_example_minimize():
    # energy 5000 -> 4000 W is a 20 % saving; coverage 0.97 holds
    assert reward(NIGHT_ENERGY, kpis(), kpis(energy_w=4000)) == pytest.approx(0.2)
    # coverage 0.9 violates >= 0.95 by 0.05 / 0.95; penalty 10 x that, plus the flat 1
    r = reward(NIGHT_ENERGY, kpis(), kpis(energy_w=4000, coverage=0.9))
    assert r == pytest.approx(0.2 - 10 * 0.05 / 0.95 - 1.0)


def test_worked_example_maximize_and_ceiling():
    i = intent(("throughput_mean_mbps", "maximize", None), [("latency_ms", "<=", 10.0, None)])
    assert reward(i, kpis(latency_ms=9), kpis(throughput_mean_mbps=50, latency_ms=10)) == pytest.approx(0.25)
    b = reward_breakdown(i, kpis(latency_ms=9), kpis(throughput_mean_mbps=50, latency_ms=11))
    assert not b.feasible and b.gain == pytest.approx(0.25)
    assert b.violations[0].amount == pytest.approx(0.1)
    assert b.total == pytest.approx(0.25 - 1.0 - 1.0)
    assert "latency_ms = 11, needs <= 10" in b.violations[0].describe()


def test_any_violation_makes_a_minimize_candidate_worse_than_doing_nothing():
    # energy cut to zero (the largest possible gain) but coverage a hair under its floor
    assert reward(NIGHT_ENERGY, kpis(), kpis(energy_w=0.0, coverage=0.9499)) < reward(NIGHT_ENERGY, kpis(), kpis())


def test_zero_baseline_is_finite_and_scaled_by_the_floor():
    i = intent(("throughput_p5_mbps", "maximize", None))
    r = reward(i, kpis(throughput_p5_mbps=0.0), kpis(throughput_p5_mbps=0.5))
    assert math.isfinite(r) and r == pytest.approx(0.5 / KPI_SCALE_FLOOR["throughput_p5_mbps"])
    c = intent(constraints=[("energy_w", "<=", 0.0, None)])
    assert math.isfinite(reward(c, kpis(), kpis(energy_w=3.0)))


def test_per_slice_from_a_report_or_a_mapping():
    i = intent(("throughput_mean_mbps", "maximize", "embb"), [("latency_ms", "<=", 5.0, "urllc")])

    def report(embb_tput: float, urllc_lat: float) -> KPIReport:
        per_slice = {"embb": kpis(throughput_mean_mbps=embb_tput), "urllc": kpis(latency_ms=urllc_lat),
                     "mmtc": kpis()}
        return KPIReport(network=kpis(), per_slice=per_slice, per_cell=[], hour=0, step=0)

    assert reward(i, report(20, 4), report(30, 4.5)) == pytest.approx(0.5)
    as_mapping = {"network": BASE, "per_slice": {"embb": {**BASE, "throughput_mean_mbps": 30.0},
                                                 "urllc": {**BASE, "latency_ms": 6.0}}}
    assert reward(i, report(20, 4), as_mapping) == pytest.approx(0.5 - 10 * 0.2 - 1.0)
    assert read_kpi(as_mapping, "latency_ms", "urllc") == 6.0
    with pytest.raises(ValueError, match="per-slice KPIs"):
        reward(i, kpis(), kpis())


def test_hours_average_and_single_values_stand_for_every_hour():
    i = intent(constraints=[("coverage", ">=", 0.95, None)], hours=[0, 1])
    after = {0: kpis(energy_w=4000), 1: kpis(energy_w=5000, coverage=0.94), 2: kpis(energy_w=0)}
    b = reward_breakdown(i, kpis(), after)
    assert [t.hour for t in b.terms] == [0, 1]  # only the intent's hours
    assert b.total == pytest.approx((0.2 + (0.0 - 10 * 0.01 / 0.95)) / 2 - 1.0)
    assert reward(i, {0: kpis(), 1: kpis()}, kpis(energy_w=2500)) == pytest.approx(0.5)
    with pytest.raises(ValueError, match=r"no KPIs for hours \[1\]"):
        reward(i, kpis(), {0: kpis()})
    # an intent for "now" scored on per-hour values averages over the hours given
    assert reward(intent(), kpis(), {3: kpis(energy_w=4000), 4: kpis(energy_w=3000)}) == pytest.approx(0.3)


def test_bad_inputs_say_what_is_wrong():
    with pytest.raises(ValueError, match="finite"):
        reward(NIGHT_ENERGY, kpis(), {**BASE, "energy_w": float("nan")})
    with pytest.raises(ValueError, match="missing"):
        reward(NIGHT_ENERGY, kpis(), {"energy_w": 1.0})


def test_violations_with_a_margin():
    i = intent(constraints=[("coverage", ">=", 0.95, None)])
    assert violations(i, kpis(coverage=0.955)) == []
    v = violations(i, kpis(coverage=0.955), margin=0.02)
    assert len(v) == 1 and v[0].amount == 0.0  # inside the margin, not below the bound
    assert violations(i, kpis(coverage=0.9))[0].amount == pytest.approx(0.05 / 0.95)


# -- properties ----------------------------------------------------------------------------------------------------------

kpi_value = st.floats(min_value=0.0, max_value=1e4, allow_nan=False, allow_infinity=False)
fraction = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)
objective_kpi = st.sampled_from(KPI_NAMES)


def _value(kpi: str, draw_frac: float, draw_val: float) -> float:
    return draw_frac if kpi in FRACTION_KPIS else draw_val


@st.composite
def scenario(draw):
    obj = draw(objective_kpi)
    goal = draw(st.sampled_from(["minimize", "maximize"]))
    con_kpi = draw(st.sampled_from([k for k in KPI_NAMES if k != obj]))
    op = draw(st.sampled_from([">=", "<="]))
    bound = _value(con_kpi, draw(fraction), draw(kpi_value))
    base = {k: _value(k, draw(fraction), draw(kpi_value)) for k in KPI_NAMES}
    i = intent((obj, goal, None), [(con_kpi, op, bound, None)])
    return i, base


def _satisfying(i: Intent, values: dict) -> dict:
    c = i.constraints[0]
    return {**values, c.kpi: c.value}  # exactly on the bound: no violation


@settings(max_examples=200, deadline=None)
@given(scenario())
def test_zero_at_baseline_without_violation(case):
    i, base = case
    base = _satisfying(i, base)
    assert reward(i, base, base) == 0.0


@settings(max_examples=200, deadline=None)
@given(scenario(), st.floats(min_value=0.0, max_value=1e3), st.floats(min_value=0.0, max_value=1e3))
def test_monotone_in_the_objective(case, d1, d2):
    i, base = case
    base = _satisfying(i, base)
    sign = 1.0 if i.objective.goal == "maximize" else -1.0
    small, big = sorted((d1, d2))
    k = i.objective.kpi
    a = {**base, k: base[k] + sign * small}
    b = {**base, k: base[k] + sign * big}
    assert reward(i, base, b) >= reward(i, base, a)


@settings(max_examples=200, deadline=None)
@given(scenario(), st.floats(min_value=1e-6, max_value=1e3))
def test_any_violation_lowers_the_reward(case, excess):
    i, base = case
    base = _satisfying(i, base)
    c = i.constraints[0]
    bad = {**base, c.kpi: c.value - excess if c.op == ">=" else c.value + excess}
    if bad[c.kpi] < 0:
        bad[c.kpi] = 0.0
        if c.value == 0.0:
            return  # nothing can be below 0
    assert reward(i, base, bad) < reward(i, base, base)
    assert reward(i, base, bad) <= reward(i, base, base) - FEASIBILITY_PENALTY


@settings(max_examples=200, deadline=None)
@given(scenario(), st.dictionaries(objective_kpi, kpi_value))
def test_finite_for_any_finite_kpis_including_zero_baselines(case, overrides):
    i, base = case
    zero = {k: 0.0 for k in KPI_NAMES}
    after = {**base, **{k: (min(v, 1.0) if k in ("coverage", "fairness", "prb_utilization") else v)
                        for k, v in overrides.items()}}
    assert math.isfinite(reward(i, zero, after))
    assert math.isfinite(reward(i, after, zero))


def test_direction_table_is_consistent_with_goals():
    # the planner's default goal and the reward's sign agree: improving a KPI in its direction raises the reward
    for k in KPI_NAMES:
        goal = "minimize" if KPI_DIRECTION[k] == "min" else "maximize"
        i = intent((k, goal, None))
        better = {**BASE, k: BASE[k] * (0.5 if goal == "minimize" else 1.01)}
        assert reward(i, BASE, better) > 0
