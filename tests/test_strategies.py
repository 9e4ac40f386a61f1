"""Optimizer strategies: one conformance suite over every registered strategy, plus targeted tests.

The conformance suite is parametrized over `strategy_names()`, so a strategy is tested the moment it registers. LLM
strategies run on the scripted backend (fixtures in tests/data/): a plausible answer where a fixture exists, and
always a garbage script that must degrade gracefully. Kept fast: urban-macro-19 with 300 users, 3 steps, one seed,
representative hours.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from airloop.agents.evaluate import Evaluator, canonical, changes_key, representative_hours
from airloop.agents.intent import Intent
from airloop.agents.models import Budget, get_model
from airloop.agents.strategies import (
    OptimizeContext,
    Scorer,
    SearchSpace,
    default_plan,
    make_strategy,
    margins_for,
    project_shares,
    strategy_class,
    strategy_names,
)
from airloop.agents.strategies._hybrid import plan_from_answer, plan_schema
from airloop.simulator import CellChange
from airloop.simulator.network import Network
from airloop.tools import NetworkSession, Policy

DATA = Path(__file__).parent / "data"
#: The plausible script of each LLM strategy; a strategy without one is still run on the garbage script.
SCRIPTS = {"hybrid": "strategies_hybrid.jsonl", "llm-direct": "strategies_direct.jsonl",
           "llm-react": "strategies_react.jsonl"}
GARBAGE = "strategies_garbage.jsonl"
MAX_EVALS = 20

NIGHT_ENERGY = Intent(
    text="cut energy at night but keep coverage above 95%",
    objective={"kpi": "energy_w", "goal": "minimize"},
    constraints=[{"kpi": "coverage", "op": ">=", "value": 0.95}],
    hours=[0, 1, 2, 3, 4, 5],
)
THROUGHPUT = Intent(
    text="raise mean throughput, keep coverage at 95%",
    objective={"kpi": "throughput_mean_mbps", "goal": "maximize"},
    constraints=[{"kpi": "coverage", "op": ">=", "value": 0.95}],
)
INTENTS = {"night-energy": NIGHT_ENERGY, "throughput": THROUGHPUT}


@pytest.fixture(scope="module")
def session(tmp_path_factory) -> NetworkSession:
    net = Network.from_scenario("urban-macro-19", seed=1, n_ues=300)
    return NetworkSession(net, log_path=tmp_path_factory.mktemp("strategies") / "changes.sqlite")


def make_ctx(session: NetworkSession, intent: Intent, *, model=None, budget: Budget | None = None,
             max_evals: int | None = MAX_EVALS, seed: int = 0, **kw) -> OptimizeContext:
    budget = budget or Budget(max_sim_evals=200, max_llm_calls=12)
    evaluator = Evaluator(session, intent, hours=representative_hours(intent.hours), steps=3, seeds=[7],
                          budget=budget)
    return OptimizeContext(intent=intent, session=session, evaluator=evaluator, budget=budget, model=model,
                           seed=seed, max_evals=max_evals, **kw)


def scripted(name: str):
    return get_model(f"scripted:{DATA / name}")


def cases():
    for name in strategy_names():
        scripts = [None]
        if strategy_class(name).uses_llm:
            scripts = [s for s in (SCRIPTS.get(name), GARBAGE) if s]
        for intent in INTENTS:
            for script in scripts:
                yield pytest.param(name, intent, script, id=f"{name}-{intent}-{(script or 'no-llm').split('.')[0]}")


def check_proposal(prop, ctx: OptimizeContext, session: NetworkSession, name: str, version: int) -> None:
    assert prop.strategy == name
    assert prop.sim_evals <= MAX_EVALS
    assert ctx.budget.sim_evals <= ctx.budget.max_sim_evals
    assert ctx.budget.llm_calls <= ctx.budget.max_llm_calls
    assert prop.llm_calls <= ctx.budget.llm_calls
    assert session.policy.check_changes(prop.changes, session.network.config) == []
    assert session.version == version, "a strategy must never apply"
    if prop.changes:
        ev = prop.evaluation
        assert ev is not None and ev.feasible, prop.notes
        assert ev.reward >= 0.0
        assert changes_key(ev.changes) == changes_key(prop.changes)
        assert not ev.policy_violations


def test_every_strategy_is_registered():
    assert {"random", "optuna", "heuristic", "llm-direct", "llm-react", "hybrid"} <= set(strategy_names())
    for name in strategy_names():
        s = make_strategy(name)
        assert s.spec()["name"] == name and strategy_class(name).description


@pytest.mark.parametrize(("name", "intent_name", "script"), list(cases()))
def test_conformance(session, name, intent_name, script):
    intent = INTENTS[intent_name]
    model = scripted(script) if script else None
    ctx = make_ctx(session, intent, model=model)
    version = session.version
    prop = make_strategy(name).propose(ctx)
    check_proposal(prop, ctx, session, name, version)
    if script == GARBAGE:
        assert prop.notes  # what went wrong is said, not raised


@pytest.mark.parametrize("name", strategy_names())
def test_conformance_tight_budget_stops_cleanly(session, name):
    budget = Budget(max_sim_evals=3, max_llm_calls=1)
    model = scripted(SCRIPTS.get(name, GARBAGE)) if strategy_class(name).uses_llm else None
    ctx = make_ctx(session, NIGHT_ENERGY, model=model, budget=budget, max_evals=None)
    prop = make_strategy(name).propose(ctx)
    assert budget.sim_evals <= 3 and budget.llm_calls <= 1
    assert prop.exhausted in (None, "sim_evals", "llm_calls")
    assert session.policy.check_changes(prop.changes, session.network.config) == []
    if prop.changes:
        assert prop.evaluation is not None and prop.evaluation.feasible


@pytest.mark.parametrize("name", [n for n in strategy_names() if not strategy_class(n).uses_llm])
def test_conformance_deterministic_for_a_seed(session, name):
    a = make_strategy(name).propose(make_ctx(session, NIGHT_ENERGY, seed=3))
    b = make_strategy(name).propose(make_ctx(session, NIGHT_ENERGY, seed=3))
    assert changes_key(a.changes) == changes_key(b.changes)
    assert a.sim_evals == b.sim_evals


# -- projection -------------------------------------------------------------------------------------------------------


def test_projection_repairs_out_of_policy_candidates(session):
    policy = Policy.default().model_copy(update={"protected_cells": [0, 1], "max_cells_per_apply": 6})
    s2 = NetworkSession(session.network, policy=policy)
    space = SearchSpace.build(s2, NIGHT_ENERGY)
    cfg = s2.network.config
    raw = [
        {"cell": 0, "active": False, "tx_power_dbm": 20.0},  # protected: no sleep; 20 dBm is below the step
        {"cell": 1, "tilt_deg": -40.0},  # clamped to the lowest tilt allowed now
        {"cell": 2, "cio_db": cfg.cell(2).cio_db},  # a no-op: dropped
        {"cell": 999, "active": False},  # not a cell: dropped
        {"cell": 3, "slice_shares": {"embb": 5.0, "urllc": 0.0, "mmtc": 0.0}},  # projected onto the simplex and box
        "garbage",
        {"cell": 4, "tx_power_dbm": float("nan")},
    ] + [{"cell": c, "active": False} for c in range(5, 57)]  # far more sleeps than the minimum of active cells allows
    out = space.project(raw)
    assert s2.policy.check_changes(out, cfg) == []
    by_cell = {c.cell: c for c in out}
    assert len(out) <= 6
    assert all(c.active is not False for c in out if c.cell in (0, 1))
    assert sum(1 for c in out if c.active is False) <= space.max_sleep
    assert 2 not in by_cell and 4 not in by_cell
    # the largest changes (sleeps) are kept first
    assert sum(1 for c in out if c.active is False) == min(6, space.max_sleep)
    # a smaller candidate keeps the repaired values
    small = space.project(raw[:5])
    by_cell = {c.cell: c for c in small}
    assert by_cell[0].tx_power_dbm == space.info[0].ranges["tx_power_dbm"][0] and by_cell[0].active is None
    assert by_cell[1].tilt_deg == space.info[1].ranges["tilt_deg"][0]
    shares = by_cell[3].slice_shares
    assert abs(sum(shares.values()) - 1) < 1e-6
    assert s2.policy.check_changes(small, cfg) == []
    assert s2.version == 0


def test_projection_keeps_the_minimum_of_active_cells(session):
    space = SearchSpace.build(session, NIGHT_ENERGY)
    out = space.project([CellChange(cell=c, active=False) for c in range(57)])
    n_asleep = sum(1 for c in out if c.active is False)
    assert n_asleep == space.max_sleep
    assert session.policy.check_changes(out, session.network.config) == []


def test_project_shares_stays_in_the_box_and_sums_to_one():
    box = {"embb": (0.3, 0.9), "urllc": (0.05, 0.4), "mmtc": (0.05, 0.2)}
    for raw in ({"embb": 1.0, "urllc": 1.0, "mmtc": 1.0}, {"embb": 0.0, "urllc": 0.0, "mmtc": 0.0},
                {"embb": 0.6, "urllc": 0.2, "mmtc": 0.2}):
        out = project_shares(raw, box)
        assert out is not None and abs(sum(out.values()) - 1) < 1e-6
        assert all(box[s][0] - 1e-9 <= v <= box[s][1] + 1e-9 for s, v in out.items())
    assert project_shares({"embb": "x"}, box) is None


# -- baselines --------------------------------------------------------------------------------------------------------


def test_heuristic_sleeps_cells_for_night_energy(session):
    ctx = make_ctx(session, NIGHT_ENERGY, max_evals=40)
    prop = make_strategy("heuristic").propose(ctx)
    assert sum(1 for c in prop.changes if c.active is False) >= 3, prop.notes
    ev = prop.evaluation
    assert ev is not None and ev.feasible and ev.kpis.energy_w < ev.kpis_baseline.energy_w
    assert ev.kpis.coverage >= 0.95


def test_optuna_more_trials_is_not_worse(session):
    few = make_strategy("optuna", n_trials=6).propose(make_ctx(session, NIGHT_ENERGY, max_evals=None, seed=5))
    more = make_strategy("optuna", n_trials=18).propose(make_ctx(session, NIGHT_ENERGY, max_evals=None, seed=5))
    r_few = few.evaluation.reward if few.evaluation else 0.0
    r_more = more.evaluation.reward if more.evaluation else 0.0
    assert r_more >= r_few
    assert more.sim_evals <= 18


def test_feedback_tightens_constraints_and_rejected_candidates_are_not_proposed_again(session):
    first = make_strategy("heuristic").propose(make_ctx(session, NIGHT_ENERGY))
    assert first.changes
    reason = ("round 1: constraint coverage >= 0.95 not met with the 1% margin at 03:00: verified 0.951, "
              "needs >= 0.9595")
    ctx = make_ctx(session, NIGHT_ENERGY, feedback=[reason], rejected=[first.changes], round=2)
    margins = margins_for(ctx)
    assert margins.by_constraint[0] > 0.0085  # the shortfall plus a step
    second = make_strategy("heuristic").propose(ctx)
    assert changes_key(second.changes) != changes_key(first.changes)
    if second.changes:
        assert second.evaluation.kpis.coverage >= 0.95 + margins.by_constraint[0]
    assert any("aiming for coverage" in n for n in second.notes)


def test_scorer_respects_max_evals(session):
    ctx = make_ctx(session, NIGHT_ENERGY, max_evals=2)
    scorer = Scorer(ctx)
    space = SearchSpace.build(session, NIGHT_ENERGY)
    from airloop.agents.strategies import SearchStopped

    scorer.evaluate(space.project([CellChange(cell=3, active=False)]))
    scorer.evaluate(space.project([CellChange(cell=4, active=False)]))
    scorer.evaluate(space.project([CellChange(cell=3, active=False)]))  # a cache hit is free
    with pytest.raises(SearchStopped):
        scorer.evaluate(space.project([CellChange(cell=5, active=False)]))
    assert scorer.used == 2


# -- hybrid -----------------------------------------------------------------------------------------------------------


def test_hybrid_uses_the_llm_plan_when_usable(session):
    ctx = make_ctx(session, NIGHT_ENERGY, model=scripted(SCRIPTS["hybrid"]), max_evals=30)
    prop = make_strategy("hybrid").propose(ctx)
    assert prop.info["plan_source"] == "llm"
    assert prop.info["plan"]["moves"][0]["knob"] == "active"
    assert prop.llm_calls == 1 and prop.llm_failures == 0
    assert prop.changes and prop.evaluation.feasible


def test_hybrid_falls_back_to_the_default_plan_on_garbage(session):
    ctx = make_ctx(session, NIGHT_ENERGY, model=scripted(GARBAGE), max_evals=30)
    prop = make_strategy("hybrid").propose(ctx)
    assert prop.info["plan_source"] == "default"
    assert prop.llm_failures == 1
    assert any("default plan" in n for n in prop.notes)
    assert prop.changes and prop.evaluation.feasible  # the default plan still finds the night savings


def test_plan_from_answer_validates_and_clamps(session):
    intent = NIGHT_ENERGY.model_copy(update={"knobs": ["active", "tx_power_dbm"]})
    space = SearchSpace.build(session, intent)
    schema = plan_schema(space)
    props = schema.model_json_schema()["$defs"]["PlanMove"]["properties"]
    assert set(props["knob"]["enum"]) == {"active", "tx_power_dbm"}
    answer = {"moves": [
        {"knob": "cio_db", "cells": "all", "count": 3, "direction": "decrease", "size": "full", "listed": []},
        {"knob": "active", "cells": "lowest_load", "count": 500, "direction": "decrease", "size": "full",
         "listed": []},
        {"knob": "tx_power_dbm", "cells": "listed", "count": 2, "direction": "increase", "size": "small",
         "listed": [4, 9999]},
    ], "slice": "none", "reason": "x"}
    plan, notes = plan_from_answer(answer, space, intent)
    knobs = [m.knob for m in plan.moves]
    assert "cio_db" not in knobs and knobs[0] == "active"
    assert plan.moves[0].max_cells == space.max_sleep and plan.moves[0].rank == "spread_low_load"
    assert any("cio_db" in n for n in notes)
    # raising power on a macro cell already at its maximum has no room: dropped, with a note
    assert len(plan.moves) in (1, 2)


def test_default_plan_table_covers_every_objective(session):
    for kpi in ("energy_w", "energy_efficiency", "active_cells", "coverage", "throughput_mean_mbps",
                "throughput_p5_mbps", "fairness", "latency_ms", "handover_rate", "prb_utilization"):
        goal = "minimize" if kpi in ("energy_w", "active_cells", "latency_ms", "handover_rate",
                                     "prb_utilization") else "maximize"
        intent = Intent(objective={"kpi": kpi, "goal": goal})
        plan = default_plan(intent, SearchSpace.build(session, intent))
        assert plan.moves and plan.source == "default", kpi
    sliced = Intent(objective={"kpi": "latency_ms", "goal": "minimize", "slice": "urllc"})
    plan = default_plan(sliced, SearchSpace.build(session, sliced))
    assert plan.moves[0].knob == "slice_shares" and plan.moves[0].slice == "urllc"


def test_canonical_proposals_round_trip(session):
    prop = make_strategy("heuristic").propose(make_ctx(session, NIGHT_ENERGY))
    again = type(prop).model_validate_json(prop.model_dump_json())
    assert canonical(again.changes) == canonical(prop.changes)


# -- the embedded model ---------------------------------------------------------------------------------------------


@pytest.mark.embedded
def test_hybrid_with_the_embedded_model_saves_energy_at_night(session):
    model = get_model("llamacpp")
    ctx = make_ctx(session, NIGHT_ENERGY, model=model, budget=Budget(max_sim_evals=100, max_llm_calls=4),
                   max_evals=60)
    prop = make_strategy("hybrid").propose(ctx)
    assert prop.llm_calls >= 1
    assert prop.info["plan_source"] in ("llm", "default", "llm+default")
    ev = prop.evaluation
    assert prop.changes and ev is not None and ev.feasible, prop.notes
    assert ev.kpis.energy_w < ev.kpis_baseline.energy_w
    assert session.policy.check_changes(prop.changes, session.network.config) == []
