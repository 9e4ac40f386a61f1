"""From results rows to summary.json and the printed table.

Per arm (pooled over scenarios, intents and seeds): success with a Wilson interval, regret median with a bootstrap
interval, mean cost. Per arm against the reference arm of the same mode, on the paired units (scenario, intent,
seed): the mean per-unit difference of success, achieved reward and regret, its bootstrap interval, a sign-flip
permutation p-value and Holm's adjustment over the arms compared on that metric.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from ._judge import MIN_ORACLE_REWARD
from ._spec import StatsSpec
from .stats import bootstrap_ci, holm, sign_flip_test, wilson_interval

__all__ = ["arm_summary", "compare", "print_table", "summarize"]

METRICS = ("success", "reward", "regret")


def _mean(xs: Sequence[float]) -> float | None:
    return statistics.fmean(xs) if xs else None


def _round(x: float | None, nd: int = 6) -> float | None:
    return None if x is None else round(float(x), nd)


def _ci(values: Sequence[float], stat: str, st: StatsSpec) -> list[float] | None:
    if not values:
        return None
    lo, hi = bootstrap_ci(values, stat, confidence=st.confidence, n_resamples=st.resamples, method=st.ci,  # type: ignore[arg-type]
                          seed=st.seed)
    return [round(lo, 6), round(hi, 6)]


def arm_summary(rows: list[dict[str, Any]], st: StatsSpec) -> dict[str, Any]:
    """One arm's figures over `rows` (its samples, each with `oracle_reward` and `regret` filled in)."""
    n = len(rows)
    k = sum(bool(r["success"]) for r in rows)
    lo, hi = wilson_interval(k, n, st.confidence)
    regrets = [r["regret"] for r in rows if r.get("regret") is not None]
    # Intents the oracle could not improve on (infeasible, or nothing to gain): applying nothing is right there.
    # They count as failures in `success` (the definition) and are scored apart; a missing oracle counts
    # the unit as achievable, as benchmarks/agent.py did.
    achievable = [r for r in rows if r.get("oracle_reward") is None or r["oracle_reward"] > MIN_ORACLE_REWARD]
    others = [r for r in rows if not (r.get("oracle_reward") is None or r["oracle_reward"] > MIN_ORACLE_REWARD)]
    wall = sum(r["wall_s"] for r in rows)
    return {
        "n": n,
        "n_errors": sum(r["status"] == "error" for r in rows),
        "success": _round(k / n if n else None, 4),
        "success_ci": [round(lo, 4), round(hi, 4)],
        "n_achievable": len(achievable),
        "success_achievable": _round(_mean([float(r["success"]) for r in achievable]), 4),
        "noop_right": _round(_mean([float(r["n_changes"] == 0 and r["status"] != "error") for r in others]), 4),
        "regret_n": len(regrets),
        "regret_unavailable": sum(r.get("regret") is None and r.get("oracle_status") != "no-gain" for r in rows),
        "regret_mean": _round(_mean(regrets)),
        "regret_median": _round(statistics.median(regrets) if regrets else None),
        "regret_ci": _ci(regrets, "median", st),
        "reward_mean": _round(_mean([r["achieved"] for r in rows])),
        "llm_calls": _round(_mean([r["llm_calls"] for r in rows]), 3),
        "tokens": _round(_mean([r["tokens"] for r in rows]), 1),
        "sim_evals": _round(_mean([r["sim_evals"] for r in rows]), 3),
        "wall_s": _round(wall / n if n else None, 3),
        "overhead_share": _round(sum(r["overhead_s"] for r in rows) / wall if wall else None, 4),
    }


def _unit(r: dict[str, Any]) -> tuple[str, str, int]:
    return r["scenario"], r["intent"], r["seed"]


def _metric(r: dict[str, Any], metric: str) -> float | None:
    if metric == "success":
        return float(r["success"])
    if metric == "reward":
        return float(r["achieved"])
    return r.get("regret")


def compare(rows: list[dict[str, Any]], arm: str, reference: str, metric: str, st: StatsSpec) -> dict[str, Any]:
    """`arm` − `reference` on the units both ran (and where `metric` is defined for both): the paired deltas."""
    a = {_unit(r): _metric(r, metric) for r in rows if r["arm"] == arm}
    b = {_unit(r): _metric(r, metric) for r in rows if r["arm"] == reference}
    units = sorted(u for u in a.keys() & b.keys() if a[u] is not None and b[u] is not None)
    deltas = [float(a[u]) - float(b[u]) for u in units]  # type: ignore[arg-type]
    return {"arm": arm, "reference": reference, "metric": metric, "n_pairs": len(deltas),
            "delta": _round(_mean(deltas)), "delta_ci": _ci(deltas, "mean", st),
            "p": _round(sign_flip_test(deltas, n_permutations=st.permutations, seed=st.seed)) if deltas else None,
            "p_holm": None}


def summarize(rows: list[dict[str, Any]], arms: list[Any], reference_label: str, st: StatsSpec) -> dict[str, Any]:
    """`arms`: the grid's `Arm`s in order. Returns ``{"arms": {...}, "comparisons": [...], "by_scenario": {...}}``."""
    by_arm: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        by_arm[r["arm"]].append(r)
    out_arms: dict[str, dict[str, Any]] = {}
    for arm in arms:
        out_arms[arm.name] = {"label": arm.label, "strategy": arm.strategy, "params": arm.params,
                              "prompts": arm.prompts, "mode": arm.mode, "model": arm.model,
                              "reference": arm.label == reference_label,
                              **arm_summary(by_arm.get(arm.name, []), st), "comparisons": []}
    comparisons: list[dict[str, Any]] = []
    ref_of = {arm.mode: f"{reference_label}/{arm.mode}" for arm in arms}
    for metric in METRICS:
        family = [compare(rows, arm.name, ref_of[arm.mode], metric, st) for arm in arms
                  if arm.label != reference_label and ref_of[arm.mode] in out_arms]
        tested = [c for c in family if c["p"] is not None]
        for c, p in zip(tested, holm([c["p"] for c in tested]), strict=True):
            c["p_holm"] = _round(p)
        for c in family:
            out_arms[c["arm"]]["comparisons"].append(c)
        comparisons.extend(family)
    by_scenario: dict[str, dict[str, Any]] = {}
    for scen in sorted({r["scenario"] for r in rows}):
        by_scenario[scen] = {arm.name: arm_summary([r for r in by_arm.get(arm.name, []) if r["scenario"] == scen],
                                                   st) for arm in arms}
    return {"arms": out_arms, "comparisons": comparisons, "by_scenario": by_scenario}


def _pct(x: float | None, nd: int = 0) -> str:
    return "n/a" if x is None else f"{x:.{nd}%}"


def _ci_pct(ci: list[float] | None, nd: int = 0) -> str:
    return "" if ci is None else f"[{ci[0]:.{nd}%},{ci[1]:.{nd}%}]"


def print_table(summary: dict[str, Any], file: Any = None) -> None:
    """benchmarks/agent.py's table (a row per scenario and arm, then pooled), with the intervals, then the paired
    comparisons against the reference arm."""
    hdr = (f"{'scenario':19s} {'arm':22s} {'n':>3s} {'success':>7s} {'95% CI':>11s} {'on achievable':>13s} "
           f"{'no-op right':>11s} {'regret':>7s} {'median':>7s} {'95% CI':>15s} {'evals':>6s} {'LLM':>4s} "
           f"{'tokens':>6s} {'wall s':>6s} {'overhead':>8s}")
    print(hdr, file=file)
    print("-" * len(hdr), file=file)
    blocks = list(summary["by_scenario"].items())
    if len(blocks) > 1:
        blocks.append(("all", summary["arms"]))
    for scen, arms in blocks:
        for name, s in arms.items():
            if not s["n"]:
                continue
            ach = f"{_pct(s['success_achievable'])} of {s['n_achievable']}"
            print(f"{scen:19s} {name:22s} {s['n']:3d} {_pct(s['success']):>7s} {_ci_pct(s['success_ci']):>11s} "
                  f"{ach:>13s} {_pct(s['noop_right']):>11s} {_pct(s['regret_mean'], 1):>7s} "
                  f"{_pct(s['regret_median'], 1):>7s} {_ci_pct(s['regret_ci'], 1):>15s} {s['sim_evals']:6.1f} "
                  f"{s['llm_calls']:4.1f} {s['tokens']:6.0f} {s['wall_s']:6.1f} {_pct(s['overhead_share'], 1):>8s}",
                  file=file)
    comps = [c for c in summary["comparisons"] if c["n_pairs"]]
    if comps:
        print(file=file)
        hdr2 = (f"{'arm':22s} {'vs reference':22s} {'metric':7s} {'pairs':>5s} {'delta':>8s} {'95% CI':>19s} "
                f"{'p':>7s} {'p (Holm)':>8s}")
        print(hdr2, file=file)
        print("-" * len(hdr2), file=file)
        for c in comps:
            ci = "" if c["delta_ci"] is None else f"[{c['delta_ci'][0]:+.4f},{c['delta_ci'][1]:+.4f}]"
            print(f"{c['arm']:22s} {c['reference']:22s} {c['metric']:7s} {c['n_pairs']:5d} {c['delta']:+8.4f} "
                  f"{ci:>19s} {c['p']:7.4f} {c['p_holm']:8.4f}", file=file)
