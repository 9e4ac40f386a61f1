"""The verifier decides from the numbers: it never approves a candidate that violates a constraint (with its margin)
or a guardrail on its own evaluation, and it needs fresh seeds."""

from __future__ import annotations

import pytest
from airloop.agents.intent import Intent
from airloop.agents.verifier import verify
from airloop.core import KPI_SCALE_FLOOR, SLICES, WINDOWS, window_hours
from airloop.simulator import KPI_DIRECTION, Network
from airloop.tools import NetworkSession
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

SESSION = NetworkSession(Network.from_scenario("rural-7", seed=4, n_ues=120))
N = SESSION.network.n_cells
REPORT = SESSION.network.kpis()
BASE = REPORT.network
#: KPIs a constraint may bound: the bound is drawn around today's value, so about half of them hold.
BOUNDED = ("coverage", "throughput_mean_mbps", "latency_ms", "energy_w", "fairness")
#: Per-slice KPIs (energy is network-wide only).
SLICE_BOUNDED = ("coverage", "throughput_mean_mbps", "latency_ms", "fairness")


@st.composite
def intents(draw: st.DrawFn) -> Intent:
    obj = draw(st.sampled_from(BOUNDED))
    goal = "minimize" if KPI_DIRECTION[obj] == "min" else "maximize"
    cons = []
    for kpi in draw(st.lists(st.sampled_from(BOUNDED), min_size=1, max_size=3, unique=True)):
        slc = draw(st.one_of(st.none(), st.sampled_from(SLICES))) if kpi in SLICE_BOUNDED else None
        today = REPORT.value(kpi, slc)
        value = max(today * draw(st.floats(0.5, 1.2)), 0.0)
        if kpi in ("coverage", "fairness"):
            value = min(value, 1.0)
        cons.append({"kpi": kpi, "op": ">=" if KPI_DIRECTION[kpi] == "max" else "<=", "value": value, "slice": slc})
    # "now", a few loose hours, or a named window (night, business hours, ... as the planner reads them)
    hours = draw(st.one_of(st.none(), st.lists(st.integers(0, 23), min_size=1, max_size=3, unique=True),
                           st.sampled_from(sorted(WINDOWS)).map(lambda w: window_hours(w)[:4])))
    return Intent.model_validate({"text": "property", "objective": {"kpi": obj, "goal": goal},
                                  "constraints": cons, "hours": hours})


# Mostly inside the policy (so that approvals happen), sometimes outside it (so that guardrails are exercised).
changes = st.lists(
    st.fixed_dictionaries({"cell": st.integers(0, N - 1)}, optional={
        "tx_power_dbm": st.one_of(st.floats(40.0, 46.0), st.floats(20.0, 49.0)),
        "tilt_deg": st.one_of(st.floats(3.0, 9.0), st.floats(0.0, 20.0)),
        "active": st.booleans(),
        "cio_db": st.one_of(st.floats(-6.0, 6.0), st.floats(-10.0, 10.0))}),
    min_size=1, max_size=6, unique_by=lambda c: c["cell"])

NIGHT_ENERGY = Intent.model_validate({"text": "example", "objective": {"kpi": "energy_w", "goal": "minimize"},
                                      "constraints": [{"kpi": "coverage", "op": ">=", "value": 0.9}],
                                      "hours": [2, 3]})


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(intent=intents(), cand=changes)
@example(intent=NIGHT_ENERGY, cand=[{"cell": 13, "active": False}])  # approvable: the approved branch always runs
def test_never_approves_a_violation_on_its_own_evaluation(intent: Intent, cand: list[dict]) -> None:
    v = verify(SESSION, intent, cand, steps=3, margin=0.01)
    if not v.approved:
        assert v.reasons, "a rejection always says why"
        return
    assert SESSION.policy.check_changes(v.changes, SESSION.network.config) == []
    assert v.gain > 0
    a = v.assessment
    assert a is not None and set(a.kpis_after_by_hour) == set(intent.hours or [SESSION.network.hour])
    for h, k in a.kpis_after_by_hour.items():
        for c in intent.constraints:
            x = getattr(k if c.slice is None else a.slice_kpis_after_by_hour[h][c.slice], c.kpi)
            m = 0.01 * max(abs(c.value), KPI_SCALE_FLOOR[c.kpi])  # the margin, relative to the bound's scale
            if c.op == ">=":
                assert x >= c.value + m - 1e-9, (h, c, x)
            else:
                assert x <= c.value - m + 1e-9, (h, c, x)


def test_approves_a_good_candidate() -> None:
    v = verify(SESSION, NIGHT_ENERGY, [{"cell": 13, "active": False}], steps=3)
    assert v.approved, v.reasons
    assert v.kpis_after.energy_w < v.kpis_before.energy_w


def test_rejects_an_empty_candidate_and_reused_seeds() -> None:
    intent = Intent.model_validate({"objective": {"kpi": "energy_w", "goal": "minimize"}})
    assert not verify(SESSION, intent, []).approved
    with pytest.raises(ValueError, match="fresh seeds"):
        verify(SESSION, intent, [{"cell": 0, "active": False}], seeds=[0, 1001])


def test_rejects_with_readable_reasons() -> None:
    intent = Intent.model_validate({"objective": {"kpi": "energy_w", "goal": "minimize"},
                                    "constraints": [{"kpi": "coverage", "op": ">=", "value": 0.999}]})
    v = verify(SESSION, intent, [{"cell": c, "active": False} for c in range(6)], steps=3)
    assert not v.approved
    assert any("coverage >= 0.999 not met" in r for r in v.reasons)
    assert v.shortfalls


def test_gain_only_tells_a_rejection_for_noise_from_one_for_safety() -> None:
    """`Verdict.gain_only` (the graph's `no_headroom` after rejections): true only when the candidate kept every
    constraint with confidence and no guardrail fired, and it was the gain that did not clear the noise."""
    noon_energy = Intent.model_validate({"objective": {"kpi": "energy_w", "goal": "minimize"},
                                         "constraints": [{"kpi": "coverage", "op": ">=", "value": 0.5}], "hours": [12]})
    # A CIO nudge moves users between cells and leaves the power draw where it was: kept the bound, gained nothing.
    noise = verify(SESSION, noon_energy, [{"cell": 3, "cio_db": 1.0}], steps=3)
    assert not noise.approved and noise.gain_only, noise.reasons
    assert any("objective gain not significant" in r for r in noise.reasons)
    # Six cells off at noon against coverage >= 0.999: rejected for the constraint, not for the noise.
    strict = noon_energy.model_copy(update={"constraints": [
        noon_energy.constraints[0].model_copy(update={"value": 0.999})]})
    unsafe = verify(SESSION, strict, [{"cell": c, "active": False} for c in range(6)], steps=3)
    assert not unsafe.approved and not unsafe.gain_only
    # A guardrail (tx power above the policy's ceiling) and an empty candidate are never "gain only".
    refused = verify(SESSION, noon_energy, [{"cell": 0, "tx_power_dbm": 80.0}], steps=3)
    assert not refused.approved and not refused.gain_only, refused.reasons
    assert not verify(SESSION, noon_energy, []).gain_only
    assert not verify(SESSION, NIGHT_ENERGY, [{"cell": 13, "active": False}], steps=3).gain_only  # approved


def test_the_verifier_drop_count_follows_the_published_spread():
    """6 drops where the spread table says 6 suffice for a 1 % change, more (up to the tools' 8) where it says more."""
    from airloop.agents import recommended_seeds
    from airloop.agents.verifier import MAX_VERIFIER_SEEDS, MIN_VERIFIER_SEEDS, verifier_seeds

    coverage_only = Intent(objective={"kpi": "coverage", "goal": "maximize"}, hours=[12])
    assert recommended_seeds("coverage", None, 0.01, scenario="urban-macro-19", hours=[12]) <= MIN_VERIFIER_SEEDS
    assert verifier_seeds(coverage_only, "urban-macro-19") == tuple(range(1001, 1001 + MIN_VERIFIER_SEEDS))
    urllc = Intent(objective={"kpi": "energy_w", "goal": "minimize"}, hours=[9],
                   constraints=[{"kpi": "latency_p95_ms", "slice": "urllc", "op": "<=", "value": 5.0}])
    assert recommended_seeds("latency_p95_ms", "urllc", 0.01, paired=False, scenario="urban-macro-19",
                             hours=[9]) > MAX_VERIFIER_SEEDS
    assert verifier_seeds(urllc, "urban-macro-19") == tuple(range(1001, 1001 + MAX_VERIFIER_SEEDS))
    n = recommended_seeds("energy_w", None, 0.01, scenario="dense-urban-hetnet", hours=[3])
    night = Intent(objective={"kpi": "energy_w", "goal": "minimize"}, hours=[3])
    assert len(verifier_seeds(night, "dense-urban-hetnet")) == min(max(n, MIN_VERIFIER_SEEDS), MAX_VERIFIER_SEEDS)
