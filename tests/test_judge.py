"""The judge: one `Assessment` per (intent, baseline, candidate), and every scorer (evaluator, verifier, benchmark
harness, Gym env) reads its numbers from it."""

from __future__ import annotations

import pytest
from airloop.agents.evaluate import Evaluator
from airloop.agents.judge import GUARDRAIL_PENALTY, assess, assess_simulation
from airloop.agents.verifier import verify
from airloop.core import Intent, reward_breakdown
from airloop.tools import NetworkView, PolicyViolation

KPIS = {"energy_w": 1000.0, "energy_efficiency": 1.0, "throughput_mean_mbps": 10.0, "throughput_p5_mbps": 1.0,
        "coverage": 0.96, "fairness": 0.5, "latency_ms": 5.0, "handover_rate": 0.1, "prb_utilization": 0.3,
        "active_cells": 21.0}


def kpis(**kw: float) -> dict[str, float]:
    return {**KPIS, **kw}


NIGHT = Intent.model_validate({"objective": {"kpi": "energy_w", "goal": "minimize"},
                               "constraints": [{"kpi": "coverage", "op": ">=", "value": 0.95},
                                               {"kpi": "latency_ms", "op": "<=", "value": 10.0}],
                               "hours": [2, 3]})


def test_constraint_checks_name_the_worst_hour_the_bound_and_the_shortfall():
    base = {2: kpis(), 3: kpis()}
    cand = {2: kpis(energy_w=800.0, coverage=0.955), 3: kpis(energy_w=900.0, coverage=0.94, latency_ms=9.0)}
    a = assess(NIGHT, base, cand, margin=0.01)
    cov, lat = a.constraints
    assert (cov.kpi, cov.hour, cov.observed, cov.bound) == ("coverage", 3, 0.94, 0.95)
    assert cov.need == pytest.approx(0.95 + 0.01 * 0.95)
    assert cov.shortfall == pytest.approx(0.9595 - 0.94)
    assert not cov.held and not cov.met and cov.hours_missed == [2, 3]  # hour 2 misses only the margin
    assert lat.held and lat.met and lat.shortfall == 0.0 and lat.hour == 3 and lat.baseline == 5.0
    assert not a.feasible and not a.passes and a.baseline_feasible
    assert a.gain == pytest.approx((0.2 + 0.1) / 2)
    assert a.gain_by_hour == pytest.approx({2: 0.2, 3: 0.1})
    assert a.reward == reward_breakdown(NIGHT, base, cand).total
    assert [c.kpi for c in a.shortfalls] == ["coverage"]
    assert any("coverage >= 0.95 not met with the 1% margin at 03:00" in r for r in a.reasons())


def test_margin_separates_feasible_from_passing():
    base = {2: kpis(), 3: kpis()}
    cand = {2: kpis(energy_w=800.0, coverage=0.951), 3: kpis(energy_w=800.0, coverage=0.951)}
    a = assess(NIGHT, base, cand, margin=0.01)
    assert a.feasible and not a.passes
    assert assess(NIGHT, base, cand).passes  # no margin asked: passing is feasibility
    with pytest.raises(ValueError, match="margin"):
        assess(NIGHT, base, cand, margin=1.5)


def test_a_guardrail_refusal_costs_the_flat_penalty_and_is_never_feasible():
    base = {2: kpis(), 3: kpis()}
    cand = {2: kpis(energy_w=500.0), 3: kpis(energy_w=500.0)}
    free = assess(NIGHT, base, cand)
    refused = assess(NIGHT, base, cand, guardrails=[PolicyViolation(rule="protected_cell", message="no")])
    assert free.feasible and not refused.feasible and not refused.passes
    assert refused.reward == pytest.approx(free.reward - GUARDRAIL_PENALTY)
    assert refused.reasons()[0].startswith("guardrail protected_cell")


def test_baseline_feasibility_is_per_hour_and_per_slice():
    intent = Intent.model_validate({"objective": {"kpi": "energy_w", "goal": "minimize"},
                                    "constraints": [{"kpi": "latency_ms", "op": "<=", "value": 10.0,
                                                     "slice": "urllc"}], "hours": [9, 10]})

    def rep(lat_by_hour):
        return {h: {"network": kpis(), "per_slice": {"urllc": kpis(latency_ms=lat), "embb": kpis(),
                                                     "mmtc": kpis()}} for h, lat in lat_by_hour.items()}

    a = assess(intent, rep({9: 4.0, 10: 12.0}), rep({9: 4.0, 10: 8.0}))
    assert not a.baseline_feasible and a.feasible  # the baseline misses at 10:00 only
    c = a.constraints[0]
    assert (c.slice, c.hour, c.observed, c.baseline) == ("urllc", 10, 8.0, 12.0)  # an upper bound's worst: the highest


@pytest.fixture(scope="module")
def view(shared_session):
    return NetworkView(shared_session("rural-7", seed=4, n_ues=120))


def test_evaluator_verifier_and_judge_agree_on_one_simulation(view):
    cand = [{"cell": 13, "active": False}]
    sim = view.simulate(cand, hours=[2, 3], steps=3, seeds=[1001, 1002])
    a = assess_simulation(NIGHT, sim)
    ev = Evaluator(view, NIGHT, hours=[2, 3], steps=3, seeds=[1001, 1002]).evaluate(cand)
    v = verify(view, NIGHT, cand, seeds=[1001, 1002], steps=3, margin=0.0)
    assert ev.reward == a.reward == v.reward
    assert ev.gain == a.gain == v.gain
    assert v.approved == (a.passes and a.gain >= v.min_gain)
    assert a.seeds == [1001, 1002] and a.steps == 3 and a.hours == [2, 3]
    assert set(a.slice_kpis_after_by_hour) == {2, 3}
