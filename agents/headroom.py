"""Is there anything to do? A cheap look before the search (issue 11, item 2).

`estimate` spends at most `MAX_EVALS` simulator evaluations of the run's optimizer evaluator (the same hours, steps
and drops the search uses, so the search reuses them from its cache) and says one of:

* ``nothing_needed`` — the network meets every constraint and the objective is already at its physical best
  (coverage or fairness at 1, handovers, loss or PRB use at 0): there is nothing to gain;
* ``no_headroom`` — the network meets every constraint, and the objective's most helpful moves, pushed as far as the
  policy allows (the default plan's start points: the same the search starts from; a move that may go either way is
  pushed both ways, `probe_points`; each move of the plan also on its own, `probe_plans`, since moves pushed together
  can cancel), change the objective by less than its drop-to-drop and hour-to-hour spread, constraints ignored: no
  change of that kind can gain;
* ``infeasible`` — the network breaks a constraint, and the move that helps that constraint most, pushed as far as
  the policy allows, moves it but still leaves it broken: the sentence names the bound and the best value reached.
  A probe that hardly moves the broken KPI (no move for it in the default plan, or one that closes less than
  `MIN_PROBE_MOVE` of the gap to the bound) is no evidence: the run searches instead;
* ``search`` — there is something to look for; the probes stay in the evaluator's history (the search starts from
  the best of them). When the probes gained beyond the noise only by missing a constraint's margin-ed bound, that
  constraint is recorded (`Headroom.blocked`): a search that then finds nothing ends `no_headroom` with a sentence
  that names the bound that binds (the night-energy campaign's daytime hours: coverage inside the verifier's margin).

The test of "beyond the noise" is the judge's (`judge.evidence`, projected to the verifier's drops), so that a move
this module calls hopeless is one the verifier would not approve either.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from airloop.core import KPI_SCALE_FLOOR, check_constraint, constraint_need
from airloop.simulator import CellChange

from .evaluate import BudgetExhausted, Evaluation, Evaluator
from .intent import Intent, Objective
from .judge import ALPHA, Evidence
from .strategies._plan import Plan, default_plan, start_points
from .strategies._space import SearchSpace

#: At most this many simulator evaluations (baseline included) before the search, or to end the run.
MAX_EVALS = 10
#: Probes of the objective's moves (`probe_plans`, in its order), and of each broken constraint's moves.
OBJECTIVE_PROBES = 6
CONSTRAINT_PROBES = 3
#: The physical best of the KPIs that have one (a share of users, an index, a rate): nothing beats it.
PHYSICAL_BEST: dict[str, float] = {"coverage": 1.0, "fairness": 1.0, "prb_utilization": 0.0, "packet_loss": 0.0,
                                   "handover_rate": 0.0}

#: A probe that closes less than this share of a broken constraint's gap (baseline to bound) did not move it: no
#: evidence about its reach either way (its moves hardly touch that KPI), so no `infeasible` verdict rests on it.
MIN_PROBE_MOVE = 0.01

Outcome = Literal["search", "nothing_needed", "no_headroom", "infeasible"]


@dataclass
class Headroom:
    outcome: Outcome
    sentence: str
    evals: int = 0
    notes: list[str] = field(default_factory=list)
    #: for ``infeasible``: per broken constraint a probe moved, its name, bound, the baseline's value and the best value reached
    unreachable: list[dict[str, Any]] = field(default_factory=list)
    #: for ``search``: a probe of the objective's most helpful move gained beyond the noise while every constraint held
    #: with confidence and the verifier's margin, on the optimizer's drops (so a search that then proposes nothing
    #: has failed, unless that probe does not hold up on the verifier's fresh drops: the graph checks it)
    gain_seen: bool = False
    #: that probe's changes (`CellChange` dumps; the one with the largest mean gain), when ``gain_seen``
    probe: list[dict[str, Any]] = field(default_factory=list)
    #: for ``search`` without ``gain_seen``: the probes gained beyond the noise only by missing a constraint's
    #: margin-ed bound (with confidence). Per constraint the best such probe missed: its name, bound, the bound with
    #: the verifier's margin (``need``), the baseline's and the probe's values at the worst hour, and that probe's
    #: mean gain. A search that then finds nothing ends `no_headroom`, and its sentence names what binds.
    blocked: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"outcome": self.outcome, "sentence": self.sentence, "evals": self.evals, "notes": list(self.notes),
                "unreachable": list(self.unreachable), "gain_seen": self.gain_seen, "probe": list(self.probe),
                "blocked": list(self.blocked)}


def _objective_name(o: Objective) -> str:
    return f"{o.kpi}" + (f" ({o.slice})" if o.slice else "")


def _at_best(kpi: str, value: float, min_gain: float) -> bool:
    """The objective cannot gain `min_gain` (normalized as the reward does) nor a tenth of its scale floor."""
    best = PHYSICAL_BEST.get(kpi)
    if best is None:
        return False
    room = abs(best - value)
    floor = KPI_SCALE_FLOOR.get(kpi, 0.0)
    return room < 0.1 * floor or room / max(abs(value), floor) < min_gain


def _fmt(x: float) -> str:
    return f"{x:.4g}"


def _verifiable(e: Evaluation, t: Evidence, intent: Intent, margin: float) -> bool:
    """The probe would pass the verifier's criterion as far as the optimizer's drops can tell: a significant gain,
    and every constraint's one-sided confidence bound clearing the bound with the safety margin."""
    return t.passes and e.feasible and all(
        check_constraint(intent.constraints[ce.index], ce.confidence_bound, margin=margin) is None
        for ce in t.constraints)


def _binding(base: Evaluation, gaining: list[tuple[Evaluation, Evidence]], intent: Intent,
             margin: float) -> list[dict[str, Any]]:
    """What held back the probes that gained beyond the noise: per constraint whose margin-ed bound the probe with
    the largest mean gain missed with confidence, the bound, what the verifier needs, and the values before and
    with that probe (at the worst hour). Empty when no probe gained or the best one missed nothing."""
    if not gaining:
        return []
    e, t = max(gaining, key=lambda et: et[1].gain_mean)
    out: list[dict[str, Any]] = []
    for ce in t.constraints:
        c = intent.constraints[ce.index]
        if check_constraint(c, ce.confidence_bound, margin=margin) is None:
            continue
        out.append({"constraint": ce.name, "op": c.op, "bound": c.value, "need": constraint_need(c, margin),
                    "baseline": base.assessment.constraints[ce.index].observed,
                    "probe": e.assessment.constraints[ce.index].observed, "probe_gain": t.gain_mean})
    return out


def probe_points(plan: Plan) -> list[dict[str, float]]:
    """The search's start points (`start_points`: every move bold, then at half), with one more right after the bold
    one when a move may go either way (tilt or power "either", whose best sign the plan cannot know): the same point
    with those moves' deltas reversed. A knob with an optimum inside its range (down-tilt gains, then loses) would
    otherwise be probed in one direction only, and a gain in the other read as no headroom."""
    points = start_points(plan)
    bold = dict(points[0])
    flipped = dict(bold)
    for i, m in enumerate(plan.moves):
        key = f"m{i}_d"
        if m.knob != "active" and key in bold and m.low < 0 < m.high:
            other = m.high if bold[key] == m.low else m.low
            flipped[key] = other
    return [bold, flipped, *points[1:]] if flipped != bold else points


def probe_plans(plan: Plan) -> list[tuple[Plan, dict[str, float]]]:
    """What the look evaluates, in this order: the whole plan pushed as far as the policy allows (`probe_points`'
    first point), then each move of a plan of several on its own (bold, and reversed when it may go either way),
    then the rest of the whole plan's probe points. Moves pushed together can cancel: on the HetNet, a URLLC
    latency plan's CIO offload cost more than its slice shift gained, and the two together read as no headroom while
    the slice shift alone gained beyond the noise."""
    joint = probe_points(plan)
    out = [(plan, joint[0])]
    if len(plan.moves) > 1:
        for m in plan.moves:
            single = Plan(moves=[m], source=plan.source, reason=plan.reason)
            points = probe_points(single)
            reversed_too = len(points) > len(start_points(single))
            out += [(single, p) for p in points[: 2 if reversed_too else 1]]
    return out + [(plan, p) for p in joint[1:]]


def estimate(evaluator: Evaluator, intent: Intent, space: SearchSpace, *, min_gain: float, verify_seeds: int,
             alpha: float = ALPHA, max_evals: int = MAX_EVALS, margin: float = 0.0) -> Headroom:
    """Look before searching (see the module docstring). Never raises for the budget: a budget that ends the look
    ends it with ``search`` (the graph then reports the exhausted budget)."""
    start = evaluator.n_evals
    spent = lambda: evaluator.n_evals - start  # noqa: E731
    obj = intent.objective
    try:
        base = evaluator.evaluate([])
    except BudgetExhausted:
        return Headroom("search", "", spent())
    a0 = base.assessment
    broken = [c for c in a0.constraints if not c.held]
    notes = [f"headroom: baseline {_objective_name(obj)} = {_fmt(a0.objective_before)}"
             + (f"; breaks {', '.join(c.name for c in broken)}" if broken else "; every constraint holds")]

    if not broken and _at_best(obj.kpi, a0.objective_before, min_gain):
        best = PHYSICAL_BEST[obj.kpi]
        return Headroom("nothing_needed", (
            f"Nothing needed: {_objective_name(obj)} is already {_fmt(a0.objective_before)} (its best possible value "
            f"is {best:g}) and the network meets every constraint, so no change can improve it."), spent(), notes)

    def probe(plan_intent: Intent, budget_left: int) -> list[Evaluation]:
        plan = default_plan(plan_intent, space)
        out: list[Evaluation] = []
        if not plan.moves:
            return out
        cands: list[list[CellChange]] = []
        seen: set[tuple[str, ...]] = set()
        for p, point in probe_plans(plan):
            cand = p.candidate(space, point)
            key = tuple(c.model_dump_json() for c in cand)
            if cand and key not in seen:
                seen.add(key)
                cands.append(cand)
        for cand in cands[: max(0, budget_left)]:
            ev = evaluator.try_evaluate(cand)
            if ev is not None:
                out.append(ev)
        notes.append(f"headroom: probed {'; '.join(m.describe() for m in plan.moves)} ({len(out)} evaluations)")
        return out

    try:
        if broken:
            proven: list[dict[str, Any]] = []  # broken constraints a probe moved, still broken at its best
            untested: list[str] = []  # broken constraints no probe moved (see MIN_PROBE_MOVE): reach unknown
            fixable = False
            for c in broken:
                goal = "maximize" if c.op == ">=" else "minimize"
                probe_intent = intent.model_copy(update={
                    "objective": Objective.model_validate({"kpi": c.kpi, "goal": goal, "slice": c.slice}), "constraints": []})
                evs = probe(probe_intent, min(CONSTRAINT_PROBES, max_evals - spent()))
                vals = [a0.constraints[c.index].observed] + [e.assessment.constraints[c.index].observed for e in evs]
                best = max(vals) if c.op == ">=" else min(vals)
                if (best >= c.bound) if c.op == ">=" else (best <= c.bound):
                    fixable = True
                elif abs(best - vals[0]) < MIN_PROBE_MOVE * abs(c.bound - vals[0]):
                    untested.append(c.name)
                else:
                    proven.append({"constraint": c.name, "bound": c.bound, "baseline": vals[0], "best_reached": best})
            if any(e.feasible for e in evaluator.history if e.changes):
                fixable = True
            if untested:
                notes.append(f"headroom: no probe moved {', '.join(untested)}: no verdict on "
                             f"{'its' if len(untested) == 1 else 'their'} reach")
            if not fixable and not proven:
                return Headroom("search", "", spent(), notes)
            if not fixable:
                parts = [f"{r['constraint']} cannot be met: the network is at {_fmt(r['baseline'])} and reaches "
                         f"{_fmt(r['best_reached'])} at best with the move that helps it most, as far as the policy "
                         "allows" for r in proven]
                return Headroom("infeasible", "Infeasible: " + "; ".join(parts) + ". Nothing was changed.",
                                spent(), notes, proven)
            return Headroom("search", "", spent(), notes)

        evs = probe(intent, min(OBJECTIVE_PROBES, max_evals - spent()))
        tests = [(e, e.assessment.evidence(alpha=alpha, min_gain=min_gain, n_seeds=verify_seeds)) for e in evs]
        if not tests:
            return Headroom("search", "", spent(), notes)
        if any(t.gain_significant for _, t in tests):
            # A probe that also keeps every constraint with confidence is a verifiable change: a search that then
            # proposes nothing has failed, if the probe holds on the verifier's fresh drops (the graph checks it,
            # `graph._check_probe`). One that gains only by breaking a constraint says only "look further".
            seen = [(e, t) for e, t in tests if _verifiable(e, t, intent, margin)]
            best_probe = max(seen, key=lambda et: et[1].gain_mean)[0] if seen else None
            blocked = [] if seen else _binding(base, [(e, t) for e, t in tests if t.gain_significant], intent, margin)
            return Headroom("search", "", spent(), notes, gain_seen=best_probe is not None,
                            probe=[c.model_dump(mode="json") for c in best_probe.changes] if best_probe else [],
                            blocked=blocked)
        e, t = max(tests, key=lambda et: et[1].gain_mean)
        spread = (t.t_crit or 0.0) * (t.gain_se or 0.0)
        return Headroom("no_headroom", (
            f"No headroom: the move that helps {_objective_name(obj)} most, as far as the policy allows, changes it "
            f"by {t.gain_mean:+.3%} at best, within its drop-to-drop and hour-to-hour spread (±{spread:.3%}) or below "
            f"the smallest gain that counts ({min_gain:.1%}); the network meets every constraint, so nothing was "
            "changed."), spent(), notes)
    except BudgetExhausted:
        return Headroom("search", "", spent(), notes)
