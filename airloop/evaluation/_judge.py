"""Success, reward and the oracle, as benchmarks/agent.py defined them (its docstring is the definition).

Success is judged against the GOLD intent, never the planner's reading: the run ends well (``approved``, or
``nothing_needed`` / ``no_headroom``: nothing to do, said so), and on seeds that neither the optimizer (0, 1) nor the
verifier (1001..1008) used — `JUDGE_SEEDS`, every gold hour and a `JUDGE_STEPS`-step horizon — every gold
constraint holds, the policy allows the changes and the gold objective improves (or, when the run applied nothing,
the network already met every constraint). Regret is normalized against
the `optuna` oracle: (R_oracle − R_achieved) / (R_oracle − R_baseline), with R_baseline = 0 by the reward's
definition, all measured on the same judge seeds; it is defined where the oracle found a gain (R_oracle > 0).

The network a sample is judged on is built from the same scenario and seed the run used (seed 0 in agent.py).
"""

from __future__ import annotations

import time
from typing import Any

from airloop.core import OK_STATUSES

JUDGE_SEEDS = [7001, 7002, 7003]
JUDGE_STEPS = 20
#: An oracle reward at or below this found no gain: regret is undefined there, and applying nothing is right.
MIN_ORACLE_REWARD = 1e-6


__all__ = ["JUDGE_SEEDS", "JUDGE_STEPS", "MIN_ORACLE_REWARD", "OK_STATUSES", "judge", "oracle_search", "regret",
           "success_of"]


def judge(scenario: str, n_ues: int | None, gold: Any, changes: list[dict[str, Any]], *,
          seed: int = 0) -> dict[str, Any]:
    """Reward and feasibility of `changes` under the gold intent, on seeds nobody optimized or verified on.

    Scored by the one judge (`airloop.agents.judge.assess_simulation`, no margin), reported in benchmarks/agent.py's
    terms: ``reward`` is the intent's reward R (without the judge's guardrail penalty, which ``judge_reward``
    includes), ``feasible`` says every gold constraint held at every hour, ``policy_ok`` that no guardrail fired."""
    from airloop.agents.judge import GUARDRAIL_PENALTY, assess_simulation
    from airloop.simulator import Network
    from airloop.tools import NetworkSession

    session = NetworkSession(Network.from_scenario(scenario, seed=seed, n_ues=n_ues))
    try:
        sim = session.simulate(changes, hours=gold.hours, steps=JUDGE_STEPS, seeds=JUDGE_SEEDS)
    finally:
        session.close()
    a = assess_simulation(gold, sim)
    return {"reward": a.reward + (GUARDRAIL_PENALTY if a.guardrails else 0.0), "gain": a.gain,
            "feasible": all(c.held for c in a.constraints), "baseline_feasible": a.baseline_feasible,
            "policy_ok": not a.guardrails, "judge_reward": a.reward}


def success_of(status: str | None, applied: list[dict[str, Any]], j: dict[str, Any] | None) -> bool:
    """benchmarks/agent.py's success: the run ended well (`OK_STATUSES`), and either a feasible policy-clean gain or a
    right no-op."""
    if status not in OK_STATUSES:
        return False
    if applied:
        return bool(j and j["feasible"] and j["gain"] > 0 and j["policy_ok"])
    return bool(j and j["baseline_feasible"])  # nothing applied: right only if nothing was needed


def regret(oracle_reward: float | None, achieved: float) -> float | None:
    """(R_oracle − R_achieved) / R_oracle where the oracle found a gain; None where it is undefined or unknown."""
    if oracle_reward is None or oracle_reward <= MIN_ORACLE_REWARD:
        return None
    return (oracle_reward - achieved) / oracle_reward


def oracle_search(scenario: str, n_ues: int | None, gold: Any, trials: int, *, seed: int = 0) -> dict[str, Any]:
    """benchmarks/agent.py's oracle: `optuna` (sampler "auto", warm start from the objective's default plan) at
    `trials` simulator evaluations, scored by the optimizer's evaluator (seeds 0 and 1, representative hours, 5
    steps), its best candidate then judged like any run. Plain TPE over ~400 per-cell parameters is no usable oracle;
    this one tunes the default plan first (a fifth of the trials), then refines per cell with NSGA-II."""
    from airloop.agents.evaluate import Evaluator, representative_hours
    from airloop.agents.models import Budget
    from airloop.agents.strategies import OptimizeContext, make_strategy
    from airloop.simulator import Network
    from airloop.tools import NetworkSession, NetworkView

    session = NetworkSession(Network.from_scenario(scenario, seed=seed, n_ues=n_ues))
    view = NetworkView(session)
    budget = Budget(max_sim_evals=trials)
    ev = Evaluator(view, gold, hours=representative_hours(gold.hours), steps=5, seeds=[0, 1], budget=budget)
    strat = make_strategy("optuna", n_trials=trials, sampler="auto", warm_start="plan")
    t0 = time.perf_counter()
    try:
        prop = strat.propose(OptimizeContext(intent=gold, network=view, evaluator=ev, budget=budget,
                                             max_evals=trials))
    finally:
        session.close()
    changes = [c.model_dump(exclude_none=True) for c in prop.changes]
    j = judge(scenario, n_ues, gold, changes, seed=seed) if changes else {"reward": 0.0, "feasible": True}
    return {"reward": max(j["reward"], 0.0) if j.get("feasible") else 0.0, "raw_reward": j["reward"],
            "changes": changes, "evals": prop.sim_evals, "wall_s": time.perf_counter() - t0,
            "n_changes": len(changes)}
