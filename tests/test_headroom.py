"""Knowing when there is nothing to do (issue 11, item 2): the statuses `nothing_needed`, `no_headroom` and
`infeasible` end a run before any search, in at most 10 simulator evaluations, with a plain sentence; the CLI exits 0
for the first two (nothing to do is a good outcome) and 1 for `infeasible`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from airloop.agents.headroom import MAX_EVALS
from airloop.simulator import Network
from airloop.tools import NetworkSession

from airloop.app import RunSettings, run
from airloop.cli_agent import _exit_code
from airloop.evaluation._judge import success_of
from airloop.runs import RunStore


def run_intent(tmp_path: Path, intent: dict[str, Any], n_ues: int | None = 300, scenario: str = "urban-macro-19",
               strategy: str = "heuristic", **overrides: Any) -> dict[str, Any]:
    session = NetworkSession(Network.from_scenario(scenario, seed=0, n_ues=n_ues, **overrides))
    try:
        settings = RunSettings(text=intent.get("text", ""), intent=intent, model="none", strategy=strategy,
                               n_ues=n_ues, record_demos=False)
        out = run(settings, RunStore(tmp_path), session=session)
    finally:
        session.close()
    assert out.report is not None
    return out.report


def intent(objective: dict[str, Any], constraints: list[dict[str, Any]] = (), **kw: Any) -> dict[str, Any]:
    return {"text": "", "objective": objective, "constraints": list(constraints), **kw}


def test_nothing_needed_when_the_objective_is_at_its_best(tmp_path: Path) -> None:
    """The issue's user: "reduce handover ping-pong while keeping coverage at least 97 %" on a network whose users
    do not move: the handover rate is already 0."""
    rep = run_intent(tmp_path, intent({"kpi": "handover_rate", "goal": "minimize"},
                                      [{"kpi": "coverage", "op": ">=", "value": 0.9}], hours=[18, 19]),
                     mobility={"model": "static"})
    assert rep["status"] == "nothing_needed"
    assert rep["usage"]["sim_evals"] <= MAX_EVALS and not rep["changes"]
    assert any(n.startswith("Nothing needed: handover_rate is already 0") for n in rep["notes"])
    assert _exit_code(rep["status"]) == 0


def test_no_headroom_when_the_most_helpful_move_gains_nothing(tmp_path: Path) -> None:
    """Energy with only CIO to move: shifting users between cells leaves the power draw where it was."""
    rep = run_intent(tmp_path, intent({"kpi": "energy_w", "goal": "minimize"}, knobs=["cio_db"], hours=[3]))
    assert rep["status"] == "no_headroom"
    assert rep["usage"]["sim_evals"] <= MAX_EVALS and not rep["changes"]
    (sentence,) = [n for n in rep["notes"] if n.startswith("No headroom:")]
    assert "energy_w" in sentence and "spread" in sentence
    assert _exit_code(rep["status"]) == 0
    assert success_of(rep["status"], [], {"baseline_feasible": True})  # a right no-op counts as a success


def test_infeasible_names_the_bound_and_the_value_reached(tmp_path: Path) -> None:
    """Benchmark intent i018: "improve coverage while keeping energy under 6 kW" on a network drawing ~15 kW."""
    rep = run_intent(tmp_path, intent({"kpi": "coverage", "goal": "maximize"},
                                      [{"kpi": "energy_w", "op": "<=", "value": 6000}], hours=[12]))
    assert rep["status"] == "infeasible"
    assert rep["usage"]["sim_evals"] <= MAX_EVALS and not rep["changes"]
    (sentence,) = [n for n in rep["notes"] if n.startswith("Infeasible:")]
    assert "energy_w <= 6000 cannot be met" in sentence and "reaches" in sentence
    assert _exit_code(rep["status"]) == 1


@pytest.mark.parametrize("status,code", [("approved", 0), ("nothing_needed", 0), ("no_headroom", 0),
                                         ("infeasible", 1), ("no_safe_change", 1), ("budget_exhausted", 1),
                                         ("rejected", 1), ("invalid", 2)])
def test_exit_codes(status: str, code: int) -> None:
    assert _exit_code(status) == code


def test_a_round_leaves_evaluations_for_the_rounds_after_a_rejection() -> None:
    """Budgets spent well (item 3): 60 evaluations over 3 rounds; round 1 may spend 60 % of what is left after one
    evaluation is kept per verification, the last round everything."""
    from airloop.agents.graph import RunContext, _round_evals
    from airloop.agents.models import Budget
    from airloop.agents.strategies import make_strategy

    session = NetworkSession(Network.from_scenario("urban-macro-19", seed=0, n_ues=100))
    try:
        budget = Budget(max_sim_evals=60)
        ctx = RunContext(session=session, strategy=make_strategy("heuristic"), budget=budget)
        assert _round_evals(ctx, 1) == int((60 - 3) * 0.6)
        budget.charge_sim(35)
        assert _round_evals(ctx, 2) == int((60 - 35 - 2) * 0.6)
        budget.charge_sim(14)
        assert _round_evals(ctx, 3) == 60 - 49 - 1
    finally:
        session.close()


def test_a_probe_counts_as_a_seen_gain_only_if_it_keeps_the_constraints(tmp_path: Path) -> None:
    """At 03:00 the probes (sleep up to 20 cells, lower power, tilt) save energy beyond the noise. With coverage >= 0.96
    one of them also keeps coverage with confidence and the verifier's 1 % margin: a verifiable change exists
    (`gain_seen`), so a search that then proposed nothing would be a failure. With coverage >= 0.97 every probe's
    saving misses that: the run still searches (and the heuristic finds a smaller change), but an empty search there
    could honestly be `no_headroom`."""
    energy = {"kpi": "energy_w", "goal": "minimize"}
    loose = run_intent(tmp_path / "a", intent(energy, [{"kpi": "coverage", "op": ">=", "value": 0.96}], hours=[3]))
    tight = run_intent(tmp_path / "b", intent(energy, [{"kpi": "coverage", "op": ">=", "value": 0.97}], hours=[3]))
    assert loose["headroom"]["outcome"] == tight["headroom"]["outcome"] == "search"
    assert loose["headroom"]["gain_seen"] is True and tight["headroom"]["gain_seen"] is False
    # what held the tight run's probes back is recorded for its sentence; the loose run's probe was verifiable
    assert loose["headroom"]["blocked"] == []
    (b,) = tight["headroom"]["blocked"]
    assert b["constraint"] == "coverage >= 0.97" and b["probe"] < b["need"] == pytest.approx(0.97 * 1.01)


def test_no_headroom_names_the_constraint_that_binds(tmp_path: Path) -> None:
    """The night-energy campaign's daytime hours: the network keeps coverage but sits inside the verifier's margin
    (here >= 0.978 needs 0.98778 and the noon network is at ~0.985), so every energy saving the probes found
    (beyond the noise) costs coverage the verifier cannot approve. The sentence says which bound binds, what the
    verifier needs and where the network is, instead of only "no change gains"."""
    rep = run_intent(tmp_path, intent({"kpi": "energy_w", "goal": "minimize"},
                                      [{"kpi": "coverage", "op": ">=", "value": 0.978}], hours=[12]))
    assert rep["status"] == "no_headroom" and not rep["changes"]
    (b,) = rep["headroom"]["blocked"]
    assert b["probe_gain"] > 0.01 and b["probe"] < b["need"] and b["baseline"] < b["need"]
    (sentence,) = [n for n in rep["notes"] if n.startswith("No headroom:")]
    assert "coverage >= 0.978 binding" in sentence and "0.9878 the verifier needs" in sentence
    assert "already inside that margin" in sentence


def test_a_probe_that_does_not_move_the_broken_kpi_is_no_verdict(tmp_path: Path) -> None:
    """Benchmark intent i020's bound ("handovers per user per minute no higher than 0.5"; this network is at ~0.74):
    the default plan's moves for the handover rate (tilt, power) close less than 1 % of the gap to the bound, which
    says nothing about its reach, so the run searches instead of ending `infeasible` there (it may still end
    `infeasible`, from the search). An energy bound the probe does move (the test above) still ends at the look."""
    rep = run_intent(tmp_path, intent({"kpi": "coverage", "goal": "maximize"},
                                      [{"kpi": "handover_rate", "op": "<=", "value": 0.5}], hours=[12]))
    assert rep["headroom"]["outcome"] == "search" and not rep["headroom"]["unreachable"]
    assert any("no probe moved handover_rate <= 0.5" in n for n in rep["notes"]), rep["notes"]
    assert rep["usage"]["sim_evals"] > rep["headroom"]["evals"]  # it searched
    assert any(n.startswith("optimizer round 1") for n in rep["notes"])


def test_a_move_that_may_go_either_way_is_probed_both_ways() -> None:
    """A knob with an optimum inside its range (down-tilt helps the cell edge, then hurts it) probed in one direction
    only had read a gain in the other as no headroom (urban-macro-19 i030: the oracle gained by down-tilting 20 cells
    while the probe had tilted them up)."""
    from airloop.agents.headroom import probe_points
    from airloop.agents.strategies._plan import Move, Plan, start_points

    either = Plan(moves=[Move("tilt_deg", "highest_load", 5, -4.0, 4.0), Move("cio_db", "highest_load", 3, -6.0, 0.0)])
    points = probe_points(either)
    assert points[0] == start_points(either)[0] and points[2:] == start_points(either)[1:]
    assert points[1]["m0_d"] == -points[0]["m0_d"] == 4.0  # the tilt reversed ...
    assert points[1]["m1_d"] == points[0]["m1_d"] == -6.0  # ... the one-sided CIO move kept
    one_way = Plan(moves=[Move("tx_power_dbm", "lowest_load", 5, -6.0, 0.0)])
    assert probe_points(one_way) == start_points(one_way)  # nothing to reverse: no extra evaluation


def test_each_move_of_the_plan_is_also_probed_alone() -> None:
    """Moves pushed together can cancel: on dense-urban-hetnet i048 (URLLC latency) the CIO offload cost more than
    the slice shift gained, the joint probe read no headroom, and the oracle gained 1.1 % with the slice shift. The
    look now evaluates the whole plan bold, then each move alone (bold, and reversed when it may go either way), then
    the rest of the whole plan's points."""
    from airloop.agents.headroom import probe_plans, probe_points
    from airloop.agents.strategies._plan import Move, Plan

    plan = Plan(moves=[Move("slice_shares", "highest_load", 20, 0.0, 0.3, slice="urllc"),
                       Move("tilt_deg", "highest_load", 5, -4.0, 4.0)])
    order = probe_plans(plan)
    joint = probe_points(plan)
    assert order[0] == (plan, joint[0])
    singles = order[1:4]
    assert [p.moves for p, _ in singles] == [[plan.moves[0]], [plan.moves[1]], [plan.moves[1]]]
    assert singles[0][1] == {"m0_n": 20, "m0_d": 0.3}
    assert {singles[1][1]["m0_d"], singles[2][1]["m0_d"]} == {-4.0, 4.0}  # the tilt alone, both ways
    assert order[4:] == [(plan, p) for p in joint[1:]]
    one = Plan(moves=[plan.moves[0]])
    assert probe_plans(one) == [(one, p) for p in probe_points(one)]  # one move: nothing more to split


def test_a_p5_objective_with_room_is_searched_not_called_hopeless(tmp_path: Path) -> None:
    """urban-macro-19 i030 ("push the 5th-percentile throughput as high as possible, PRB utilisation under 85 %") had
    ended `no_headroom`: the probe moved tilt and power only. With the eMBB share move the look sees the gain and the
    run applies a change that gives eMBB more PRBs (the scenario's own user count: with 300 users the cells have PRBs
    to spare and no share move helps)."""
    rep = run_intent(tmp_path, intent({"kpi": "throughput_p5_mbps", "goal": "maximize"},
                                      [{"kpi": "prb_utilization", "op": "<=", "value": 0.85}]), n_ues=None)
    assert rep["headroom"]["outcome"] == "search" and rep["headroom"]["gain_seen"] is True
    assert rep["status"] == "approved"
    assert any("slice_shares" in c for c in rep["changes"]), rep["changes"]


def test_candidates_that_keep_the_intent_but_gain_only_noise_end_as_no_headroom(tmp_path: Path) -> None:
    """Benchmark intent i032 on the HetNet ("more capacity at lunchtime, latency at most 0.02 s"; the 2000-trial oracle
    finds no gain). One probe (+1 dB on the loaded cells) reads +0.25 % on the optimizer's two drops, so the look
    searches; on the verifier's fresh drops every candidate keeps the latency bound and gains < 0.1 %. That is no
    headroom, a right no-op, not `no_safe_change` (which says a constraint or a guardrail stood in the way)."""
    rep = run_intent(tmp_path, intent({"kpi": "throughput_mean_mbps", "goal": "maximize"},
                                      [{"kpi": "latency_ms", "op": "<=", "value": 20.0}], hours=[12, 13]),
                     n_ues=None, scenario="dense-urban-hetnet")
    assert rep["headroom"]["outcome"] == "search" and rep["headroom"]["gain_seen"] is True
    assert rep["status"] == "no_headroom" and not rep["changes"], rep["notes"]
    assert rep["rounds"] >= 1 and rep["verification"] is not None
    (sentence,) = [n for n in rep["notes"] if n.startswith("No headroom:")]
    assert "the verifier measured" in sentence and "kept every constraint" in sentence
    assert _exit_code(rep["status"]) == 0


def test_a_lucky_probe_does_not_turn_an_empty_search_into_a_failure(tmp_path: Path) -> None:
    """Benchmark intent i024 on the HetNet ("increase network capacity during the evening peak"; the oracle finds no
    gain): optuna's round proposes nothing, the look's best probe had read a gain on the optimizer's drops. The graph
    checks that probe on the verifier's fresh drops (never applying it): it gains < 0.1 % there, so the run is
    `no_headroom`, not a search failure."""
    rep = run_intent(tmp_path, intent({"kpi": "throughput_mean_mbps", "goal": "maximize"}, hours=[18, 19, 20, 21]),
                     n_ues=None, scenario="dense-urban-hetnet", strategy="optuna")
    assert rep["headroom"]["gain_seen"] is True and rep["headroom"]["probe"]
    assert any("optimizer round 1 (optuna): 0 changes" in n for n in rep["notes"]), rep["notes"]
    assert any("best probe, checked on the verifier's fresh drops (never applied), is rejected" in n
               for n in rep["notes"]), rep["notes"]
    assert rep["status"] == "no_headroom" and not rep["changes"], rep["notes"]
    (sentence,) = [n for n in rep["notes"] if n.startswith("No headroom:")]
    assert "best probe (the search proposed none)" in sentence


def test_the_binding_clause_reads_each_side_of_its_bound() -> None:
    """An upper bound's margin lies below it: latency <= 20 needs <= 19.8, and a network at 19.5 is not inside it."""
    from airloop.agents.graph import _binding_clause

    upper = {"constraint": "latency_ms <= 20", "op": "<=", "bound": 20.0, "need": 19.8, "baseline": 19.5, "probe": 21.0,
             "probe_gain": 0.05}
    assert "inside that margin" not in _binding_clause([upper])
    assert "inside that margin" in _binding_clause([{**upper, "baseline": 19.9}])
    assert "past the 19.8 the verifier needs" in _binding_clause([upper])
    assert _binding_clause([]) == ""

