"""The agent graph (LangGraph 1.x): planner → observe → optimizer ⇄ verifier → [approval] → apply → reporter.

State is a `TypedDict` of plain JSON values with `Annotated` reducers, so LangGraph's SQLite checkpointer can store
every step and `airloop resume` can continue a killed run. The run's live objects (session, model, budget, strategy)
travel in the `context_schema` (`RunContext`), rebuilt on resume. The verifier, not the LLM, decides what is applied;
the tools enforce the policy underneath.

Routing: verifier rejects → optimizer again with the verifier's reasons, up to `max_rounds`; then the run ends with
`no_safe_change` (or `no_headroom` when every rejection was for the gain alone, or `infeasible`, or
`budget_exhausted`) and nothing is applied. With `approve=True` a human answers
an `interrupt()` before apply; nothing mutates before it, because LangGraph re-runs the node on resume.

Statuses (`Status`), each with a plain sentence in the report's notes:
- ``approved``: the verifier approved a change and it was applied (or a human approved it);
- ``nothing_needed``: the network meets every constraint and the objective is already at its physical best;
- ``no_headroom``: the network meets every constraint and no change gains beyond the noise (the objective's most
  helpful move, or the search, found no significant gain; or every candidate the verifier measured kept every
  constraint and gained nothing beyond the noise on its fresh drops, `Verdict.gain_only`);
- ``infeasible``: the intent contradicts itself, names cells that do not exist, or breaks a constraint that the move
  helping it most cannot restore (the sentence names the bound and the best value reached);
- ``no_safe_change``: the verifier rejected every candidate within ``max_rounds``, at least one for a constraint, a
  guardrail or a malformed change; or the search proposed none although a headroom probe had gained beyond the noise
  with every constraint held, and that probe holds on the verifier's fresh drops too (`_check_probe`: the strategy
  failed, not the network; a probe that does not hold there makes the run `no_headroom`);
- ``budget_exhausted``, ``rejected`` (a human declined, or the tools refused the apply), ``invalid`` (unreadable text).
The first three end in `observe` (`headroom.estimate`, at most 10 simulator evaluations) before any search.

Budget: the run's simulator evaluations are shared across rounds by one `Evaluator` (a candidate scored in round 1
is free in round 2, and the next round starts from the best of them) and each round may spend at most
`ROUND_SHARE` of what is left, so a rejection never finds the budget spent.
"""

from __future__ import annotations

import operator
import os
from dataclasses import dataclass, field
from typing import Annotated, Any, TypedDict

from airloop.core import RunStatus
from airloop.tools import NetworkSession, NetworkView, ToolError
from langgraph.graph import END, START, StateGraph
from langgraph.runtime import Runtime
from langgraph.types import interrupt

from . import headroom
from .evaluate import BudgetExhausted, Evaluation, Evaluator, canonical, changes_key, representative_hours
from .intent import Intent
from .judge import ALPHA
from .models import Budget, ChatModel
from .planner import CONFIRM_BELOW, assess, describe, plan_intent
from .strategies import OptimizeContext, SearchSpace, Strategy
from .verifier import DEFAULT_MARGIN, MIN_GAIN, Verdict, verifier_seeds, verify

Status = RunStatus  # the run statuses and `OK_STATUSES` (those that end well) are core's vocabulary: the CLI reads them
#: The share of the simulator evaluations left that one optimizer round may spend (round 1 of 60: 36), so that a
#: rejection leaves the next round something to work with.
ROUND_SHARE = 0.6
#: How many of the best candidates scored so far the state keeps for the next round (`OptimizeContext.incumbents`).
INCUMBENTS = 5
NODES = ("planner", "confirm", "observe", "optimizer", "verifier", "approval", "apply", "reporter")

#: Set to a node name to kill the process (exit 137) when that node starts: the kill-and-resume test uses it.
KILL_ENV = "AIRLOOP_KILL_AT"


@dataclass
class RunContext:
    """The live objects of one run (not checkpointed; rebuilt by `airloop resume`)."""

    session: NetworkSession
    strategy: Strategy
    budget: Budget
    model: ChatModel | None = None
    thread_id: str = ""
    max_rounds: int = 3
    opt_steps: int = 5
    # The live users (seed 0) and one fresh drop: a candidate tuned to one set of user positions fails the
    # verifier's fresh seeds more often.
    opt_seeds: tuple[int, ...] = (0, 1)
    verify_steps: int = 20
    #: None: as many fresh drops as the published KPI spread says the intent needs (`verifier.verifier_seeds`: 6 to 8),
    #: decided once in `observe` and kept in the state (a resumed run verifies on the same drops)
    verify_seeds: tuple[int, ...] | None = None
    margin: float = DEFAULT_MARGIN
    alpha: float = ALPHA  # the level of the verifier's (and the optimizer's) one-sided tests
    approve: bool = False
    #: a reading below the planner's confidence threshold: "ask" waits for a person (an interrupt, like --approve);
    #: "refuse" ends the run as ``unconfirmed`` (unattended runs: campaigns, the evaluation harness)
    confirm: str = "refuse"
    planner_strategy: str | None = None
    evals_per_round: int | None = None
    extras: dict[str, Any] = field(default_factory=dict)


class RunState(TypedDict, total=False):
    text: str
    intent: dict[str, Any] | None
    plan: dict[str, Any]
    baseline: dict[str, Any]
    version: int
    round: int
    candidate: dict[str, Any] | None
    verdict: dict[str, Any] | None
    verdicts: Annotated[list[dict[str, Any]], operator.add]  # the verifier's rejections (`Verdict` dumps), as data
    any_feasible: bool
    exhausted: str | None
    decision: str | None
    applied: dict[str, Any] | None
    status: Status
    headroom: dict[str, Any] | None  # what `headroom.estimate` found before the search
    probe_check: dict[str, Any] | None  # the verifier's `Verdict` on the look's best probe (`_check_probe`): never applied
    verify_seeds: list[int]  # the verifier's fresh drops, decided in `observe`
    incumbents: list[dict[str, Any]]  # the best candidates scored so far (`Evaluation` dumps): the next round's start
    notes: Annotated[list[str], operator.add]
    #: per optimizer round, what the strategy reported (`Proposal.info`: for hybrid, where the plan came from and what
    #: became of the model's answer), with the round's number and the strategy's name
    optimizer_rounds: Annotated[list[dict[str, Any]], operator.add]
    usage: dict[str, Any]
    best_reward: float | None
    report: dict[str, Any]


def _usage(ctx: RunContext) -> dict[str, Any]:
    used = ctx.budget.summary()["used"]
    out = {k: used[k] for k in ("llm_calls", "tokens", "prompt_tokens", "completion_tokens", "llm_latency_s",
                                "sim_evals", "wall_s")}
    out["sim_s"] = round(ctx.session.network.busy_s, 3)  # network build + every what-if of this process
    return out


def _maybe_kill(node: str) -> None:
    if os.environ.get(KILL_ENV) == node:
        os._exit(137)


def _intent(state: RunState) -> Intent:
    return Intent.model_validate(state["intent"])


def _evaluator(ctx: RunContext, intent: Intent) -> Evaluator:
    """The run's one optimizer evaluator (fixed hours, steps and drops; its cache and history span the rounds), kept
    in the live context (a resumed run builds a new one) and renewed if the network state changed."""
    key = (intent.model_dump_json(), ctx.session.version, ctx.opt_steps, tuple(ctx.opt_seeds))
    held = ctx.extras.get("evaluator")
    if held is None or held[0] != key:
        ev = Evaluator(NetworkView(ctx.session), intent, hours=representative_hours(intent.hours),
                       steps=ctx.opt_steps, seeds=ctx.opt_seeds, budget=ctx.budget)
        ctx.extras["evaluator"] = held = (key, ev)
    return held[1]


# ---------------------------------------------------------------------------------------------------------- nodes
def planner(state: RunState, runtime: Runtime[RunContext]) -> dict[str, Any]:
    ctx = runtime.context
    _maybe_kill("planner")
    if state.get("intent"):  # optimizer-only runs give the Intent directly; it is checked all the same
        given = _intent(state)
        a = assess(given)
        return {"plan": {"status": "given", "notes": [], "confidence": a.confidence, "reasons": a.reasons,
                         "needs_confirmation": a.needs_confirmation, "echo": describe(given),
                         "findings": [f.to_dict() for f in a.findings], "alternatives": a.alternatives},
                "usage": _usage(ctx)}
    res = plan_intent(state["text"], ctx.model, budget=ctx.budget, strategy=ctx.planner_strategy)  # type: ignore[arg-type]
    out: dict[str, Any] = {"plan": res.to_dict(), "usage": _usage(ctx)}
    if res.status != "ok" or res.intent is None:
        out["status"] = "invalid"
        out["notes"] = res.notes or ["the text could not be read as an intent"]
        return out
    out["intent"] = res.intent.model_dump()
    out["notes"] = [f"planner: {n}" for n in res.notes]
    return out


def confirm(state: RunState, runtime: Runtime[RunContext]) -> dict[str, Any]:
    """A reading below the planner's confidence threshold is shown and confirmed before anything else happens: with
    ``confirm="ask"`` a person answers an `interrupt()` (yes, no, or the number of an alternative reading); otherwise
    the run ends ``unconfirmed``. Nothing before the interrupt mutates anything (the node re-runs on resume)."""
    plan = state.get("plan") or {}
    if not plan.get("needs_confirmation"):
        return {}
    why = f"confidence {plan.get('confidence')} below {CONFIRM_BELOW}"
    if runtime.context.confirm != "ask":
        return {"status": "unconfirmed", "notes": [
            f"refused: the reading '{plan.get('echo')}' needs a person to confirm it ({why}) and this run cannot ask "
            "anyone; nothing was done. Run `airloop intent` to confirm it, or give the intent itself"]}
    alternatives = plan.get("alternatives") or []
    answer = interrupt({
        "kind": "confirm_reading",
        "question": "is this what you meant?",
        "reading": plan.get("echo"),
        "confidence": plan.get("confidence"),
        "reasons": plan.get("reasons", []),
        "alternatives": [{"n": i + 1, "reading": alt.get("echo"), "why": alt.get("why")}
                         for i, alt in enumerate(alternatives)],
        "intent": state.get("intent"),
    })
    a = str(answer).strip().lower()
    if a in ("y", "yes", "true", "confirm"):
        return {"plan": {**plan, "confirmed": True}, "notes": [f"a person confirmed the reading: {plan.get('echo')}"]}
    if a.isdigit() and 1 <= int(a) <= len(alternatives):
        chosen = Intent.model_validate({**alternatives[int(a) - 1]["intent"], "text": state.get("text", "")})
        echo = describe(chosen)
        return {"intent": chosen.model_dump(), "plan": {**plan, "confirmed": True, "echo": echo, "chosen": int(a)},
                "notes": [f"a person chose alternative {a}: {echo}"]}
    return {"status": "unconfirmed", "notes": [f"a person did not confirm the reading '{plan.get('echo')}'; nothing "
                                               "was done"]}


def observe(state: RunState, runtime: Runtime[RunContext]) -> dict[str, Any]:
    ctx = runtime.context
    _maybe_kill("observe")
    intent = _intent(state)
    out: dict[str, Any] = {"version": ctx.session.version, "round": 0, "usage": _usage(ctx)}
    bad_cells = [c for c in intent.cells or [] if c >= ctx.session.network.n_cells]
    contradictions = intent.contradictions()
    if contradictions or bad_cells:
        out["status"] = "infeasible"
        out["notes"] = [f"infeasible: {c}" for c in contradictions] + (
            [f"infeasible: cells {bad_cells} do not exist (cells are 0..{ctx.session.network.n_cells - 1})"]
            if bad_cells else [])
        return out
    seeds = _verify_seeds(state, ctx, intent)
    out["verify_seeds"] = list(seeds)
    rep = ctx.session.network.kpis()
    out["baseline"] = {"kpis": rep.network.model_dump(), "hour": rep.hour,
                       "per_slice": {k: v.model_dump() for k, v in rep.per_slice.items()}}
    # Is there anything to do? A look at the baseline and the most helpful moves (at most 10 evaluations).
    evaluator = _evaluator(ctx, intent)
    look = headroom.estimate(evaluator, intent, SearchSpace.build(NetworkView(ctx.session), intent),
                             min_gain=MIN_GAIN, verify_seeds=len(seeds), alpha=ctx.alpha, margin=ctx.margin)
    out["headroom"] = look.to_dict()
    out["incumbents"] = [e.model_dump(mode="json") for e in evaluator.top(INCUMBENTS)]
    out["notes"] = list(look.notes)
    if evaluator.history and not evaluator.history[0].changes:
        out["baseline"]["feasible"] = evaluator.history[0].feasible
    if look.outcome != "search":
        out["status"] = look.outcome
        out["notes"].append(look.sentence)
    out["usage"] = _usage(ctx)
    return out


def optimizer(state: RunState, runtime: Runtime[RunContext]) -> dict[str, Any]:
    ctx = runtime.context
    _maybe_kill("optimizer")
    intent = _intent(state)
    rnd = int(state.get("round", 0)) + 1
    view = NetworkView(ctx.session)
    evaluator = _evaluator(ctx, intent)
    incumbents = [Evaluation.model_validate(e) for e in state.get("incumbents") or []]
    evaluator.remember(incumbents)  # a resumed run's evaluator starts from the same candidates
    verdicts = [Verdict.model_validate(v) for v in state.get("verdicts", [])]
    octx = OptimizeContext(
        intent=intent, network=view, evaluator=evaluator, budget=ctx.budget, model=ctx.model, verdicts=verdicts,
        round=rnd, seed=rnd, max_evals=_round_evals(ctx, rnd), margin=ctx.margin, min_gain=MIN_GAIN,
        alpha=ctx.alpha, verify_seeds=len(_verify_seeds(state, ctx, intent)),
        # Round 1 is the strategy's own search (the headroom probes are only in the cache); after a rejection the
        # round starts from the best candidates found so far.
        incumbents=incumbents if verdicts else [])
    try:
        prop = ctx.strategy.propose(octx)
    except BudgetExhausted as e:  # a strategy that let it through: still a clean end
        return {"round": rnd, "candidate": None, "exhausted": e.limit, "usage": _usage(ctx),
                "notes": [f"optimizer round {rnd}: budget exhausted ({e.limit})"],
                "optimizer_rounds": [{"round": rnd, "strategy": ctx.strategy.name, "exhausted": e.limit}]}
    best = prop.evaluation
    any_feasible = bool(state.get("any_feasible")) or any(e.feasible for e in evaluator.history)
    # Whether the unchanged network meets the intent does not change between rounds: score it once, in round 1.
    baseline_ok = (state.get("baseline") or {}).get("feasible")
    if baseline_ok is None:
        baseline_ok = False
        try:
            baseline_ok = evaluator.evaluate([]).feasible if ctx.budget.exhausted() is None else False
        except BudgetExhausted:
            pass
    notes = [f"optimizer round {rnd} ({prop.strategy}): {len(prop.changes)} changes, "
             f"{prop.sim_evals} simulator evaluations, {prop.llm_calls} LLM calls"] + [
        f"optimizer: {n}" for n in prop.notes]
    rejected = [v.changes for v in verdicts] + ([prop.changes] if prop.changes else [])
    probe_check = None if prop.changes or prop.exhausted else _check_probe(state, ctx, intent, verdicts)
    if probe_check is not None:
        notes.append("optimizer: the search proposed nothing; the look's best probe, checked on the verifier's fresh "
                      "drops (never applied), " + ("passes" if probe_check.approved else "is rejected") + ": "
                      + ("; ".join(probe_check.reasons) or f"gain {probe_check.gain:+.3%}"))
    return {
        **({"probe_check": probe_check.model_dump(mode="json")} if probe_check is not None else {}),
        "round": rnd,
        "incumbents": [e.model_dump(mode="json") for e in evaluator.top(INCUMBENTS, exclude=rejected)],
        "candidate": prop.model_dump(mode="json") if prop.changes else None,
        "any_feasible": any_feasible or baseline_ok,
        "exhausted": prop.exhausted,
        "best_reward": best.reward if best is not None else state.get("best_reward"),
        "usage": _usage(ctx),
        "notes": notes,
        "optimizer_rounds": [{"round": rnd, "strategy": prop.strategy, "n_changes": len(prop.changes),
                              "sim_evals": prop.sim_evals, "llm_calls": prop.llm_calls,
                              "info": prop.model_dump(mode="json", include={"info"})["info"]}],
        "baseline": {**state.get("baseline", {}), "feasible": baseline_ok},
    }


def _check_probe(state: RunState, ctx: RunContext, intent: Intent, verdicts: list[Verdict]) -> Verdict | None:
    """A round proposed nothing although the look saw a probe gain beyond the noise with every constraint kept
    (``gain_seen``, on the optimizer's two drops). Did the search fail, or was the probe's gain those drops' luck (the
    best of several probes is the luckiest)? The verifier's fresh drops tell. The verdict only decides the run's
    status (`_final_status`); the probe is never applied, so a strategy gets no credit for a change it did not
    propose. None when there is nothing to check, or the probe was checked (or verified as a candidate) already."""
    look = state.get("headroom") or {}
    if not look.get("gain_seen") or not look.get("probe") or state.get("probe_check"):
        return None
    key = changes_key(canonical(look["probe"]))
    if any(changes_key(v.changes) == key for v in verdicts):
        return None
    return verify(NetworkView(ctx.session), intent, look["probe"], seeds=_verify_seeds(state, ctx, intent),
                  steps=ctx.verify_steps, margin=ctx.margin, alpha=ctx.alpha, budget=ctx.budget)


def _round_evals(ctx: RunContext, rnd: int) -> int | None:
    """This round's simulator evaluations: `evals_per_round` if set, else `ROUND_SHARE` of what the budget has left
    after keeping one evaluation per remaining verification (the last round may spend everything)."""
    if ctx.evals_per_round is not None:
        return ctx.evals_per_round
    limit = ctx.budget.max_sim_evals
    if limit is None:
        return None
    left = max(0, limit - ctx.budget.sim_evals - (ctx.max_rounds - rnd + 1))
    return left if rnd >= ctx.max_rounds else max(1, int(left * ROUND_SHARE))


def _verify_seeds(state: RunState, ctx: RunContext, intent: Intent) -> tuple[int, ...]:
    """The run's verifier drops: the context's if given, else those `observe` decided, else the spread table's."""
    if ctx.verify_seeds is not None:
        return tuple(ctx.verify_seeds)
    if state.get("verify_seeds"):
        return tuple(state["verify_seeds"])
    return verifier_seeds(intent, ctx.session.network.scenario_name)


def verifier(state: RunState, runtime: Runtime[RunContext]) -> dict[str, Any]:
    ctx = runtime.context
    _maybe_kill("verifier")
    intent = _intent(state)
    cand = state.get("candidate") or {}
    changes = cand.get("changes", [])
    v = verify(NetworkView(ctx.session), intent, changes, seeds=_verify_seeds(state, ctx, intent),
               steps=ctx.verify_steps,
               margin=ctx.margin, alpha=ctx.alpha, budget=ctx.budget)
    out: dict[str, Any] = {"verdict": v.model_dump(mode="json"), "usage": _usage(ctx)}
    if not v.approved:
        out["verdicts"] = [out["verdict"]]
        out["notes"] = [f"verifier rejected round {state.get('round', 0)}: " + "; ".join(v.reasons)]
    else:
        out["notes"] = [f"verifier approved round {state.get('round', 0)} on seeds {v.seeds}"]
    return out


def approval(state: RunState, runtime: Runtime[RunContext]) -> dict[str, Any]:
    # Nothing before interrupt() may mutate anything: the node runs again from the top when resumed.
    v = state["verdict"] or {}
    answer = interrupt({
        "question": "apply these changes?",
        "changes": v.get("changes", []),
        "kpis_before": v.get("kpis_before"),
        "kpis_after": v.get("kpis_after"),
        "reward": v.get("reward"),
    })
    yes = str(answer).strip().lower() in ("y", "yes", "true", "1", "approve")
    return {"decision": "yes" if yes else "no",
            "notes": ["human approved the changes" if yes else "human declined: nothing applied"]}


def apply(state: RunState, runtime: Runtime[RunContext]) -> dict[str, Any]:
    ctx = runtime.context
    _maybe_kill("apply")
    intent = _intent(state)
    v = state["verdict"] or {}
    actor = f"airloop:{ctx.thread_id}" if ctx.thread_id else "airloop"
    # Resume-safe: if this run's apply already reached the log (killed before the checkpoint), reuse it.
    for entry in ctx.session.change_log(limit=50):
        if entry.actor == actor and entry.kind == "apply":
            return {"applied": {"change_id": entry.change_id, "version": entry.version, "reused": True},
                    "status": "approved", "usage": _usage(ctx)}
    reason = f"intent: {intent.text or intent.objective.kpi}; verified reward {v.get('reward', 0.0):.4f}"
    try:
        res = ctx.session.apply(v.get("changes", []), reason=reason[:500], actor=actor,
                                expected_version=state.get("version"), hours=intent.hours, steps=ctx.opt_steps,
                                seeds=list(_verify_seeds(state, ctx, _intent(state))))
    except ToolError as e:
        return {"status": "rejected", "applied": None, "usage": _usage(ctx),
                "notes": [f"the tools refused the apply: {e}"]}
    return {"applied": {"change_id": res.change_id, "version": res.version}, "status": "approved",
            "usage": _usage(ctx)}


def reporter(state: RunState, runtime: Runtime[RunContext]) -> dict[str, Any]:
    ctx = runtime.context
    status = _final_status(state)
    v = state.get("verdict") or {}
    applied = state.get("applied")
    base = state.get("baseline") or {}
    changes = [{k: x for k, x in c.items() if x is not None} for c in v.get("changes", [])] if applied else []
    kpis_before = v.get("kpis_before") if v.get("kpis_before") else base.get("kpis")
    kpis_after = v.get("kpis_after") if applied else kpis_before
    notes = list(state.get("notes", []))
    if (state.get("headroom") or {}).get("outcome", "search") == "search":
        sentence = _final_sentence(state, status)
        if sentence:
            notes.append(sentence)
    if state.get("exhausted"):
        notes.append(f"budget exhausted: {state['exhausted']}")
    report = {
        "intent": state.get("intent"),
        "status": status,
        "changes": changes,
        "kpis_before": kpis_before,
        "kpis_after": kpis_after,
        "reward": v.get("reward", 0.0) if applied else 0.0,
        "strategy": ctx.strategy.spec(),
        "model": ctx.model.describe() if ctx.model is not None else None,
        "usage": _usage(ctx),
        "thread_id": ctx.thread_id,
        "change_id": applied.get("change_id") if applied else None,
        "verification": {k: v.get(k) for k in ("seeds", "hours", "steps", "margin", "reasons")} if v else None,
        "rounds": state.get("round", 0),
        "headroom": state.get("headroom"),  # what the probes before the search found (outcome, gain_seen, evals)
        "notes": notes,
        "optimizer_rounds": list(state.get("optimizer_rounds") or []),
        "reading": {k: (state.get("plan") or {}).get(k) for k in ("echo", "confidence", "needs_confirmation",
                                                                     "confirmed", "reasons")},
    }
    return {"status": status, "report": report, "usage": _usage(ctx)}


def _final_status(state: RunState) -> Status:
    if state.get("status") == "unconfirmed":
        return "unconfirmed"
    if state.get("status") in ("invalid", "infeasible", "rejected", "approved", "nothing_needed", "no_headroom"):
        return state["status"]  # type: ignore[return-value]
    if state.get("decision") == "no":
        return "rejected"
    baseline_ok = bool((state.get("baseline") or {}).get("feasible"))
    gain_seen = bool((state.get("headroom") or {}).get("gain_seen"))
    measured = _measured(state)
    if baseline_ok and not state.get("exhausted"):
        if state.get("candidate") is None and not state.get("verdicts") and not gain_seen:
            return "no_headroom"  # the search found no gain beyond the noise on a network that meets the intent
        if measured and all(v.gain_only for v in measured):
            # every candidate the verifier measured (and the look's probe, if the search proposed nothing) kept the
            # intent, and none gained beyond the noise on fresh drops
            return "no_headroom"
    if state.get("exhausted"):
        return "budget_exhausted"
    if not state.get("any_feasible"):
        return "infeasible"
    return "no_safe_change"


def _binding_clause(blocked: list[dict[str, Any]]) -> str:
    """What holds the objective back when the look's probes gained only by missing a constraint's margin-ed bound
    (`Headroom.blocked`): ``, with coverage >= 0.95 binding: ...``, or "" when nothing was recorded."""
    parts = []
    for b in blocked:
        inside = (f", and the network is at {b['baseline']:.4g} on the optimizer's drops, already inside that margin"
                  if (b["baseline"] < b["need"] if b.get("op", ">=") == ">=" else b["baseline"] > b["need"]) else
                  f" (the network is at {b['baseline']:.4g} on the optimizer's drops)")
        parts.append(f"{b['constraint']} binding: the move that helps most gained {b['probe_gain']:+.2%} but took it to "
                     f"{b['probe']:.4g}, past the {b['need']:.4g} the verifier needs (the bound with its safety "
                     f"margin){inside}")
    return (", with " + "; ".join(parts)) if parts else ""


def _measured(state: RunState) -> list[Verdict]:
    """What the verifier measured on fresh drops without approving: the rejected candidates, and the look's probe
    when a search proposed nothing (`_check_probe`)."""
    out = [Verdict.model_validate(v) for v in state.get("verdicts") or []]
    if state.get("probe_check"):
        out.append(Verdict.model_validate(state["probe_check"]))
    return out


def _final_sentence(state: RunState, status: str) -> str:
    """The plain sentence for an outcome decided after the search (those decided before it carry their own)."""
    intent = state.get("intent") or {}
    obj = intent.get("objective") or {}
    what = f"{obj.get('goal', 'improve')} {obj.get('kpi', 'the objective')}" + (
        f" ({obj['slice']})" if obj.get("slice") else "")
    n_rej = len(state.get("verdicts") or [])
    measured = _measured(state)
    if status == "no_headroom" and measured:
        best = max(measured, key=lambda v: v.gain)
        ev = best.evidence
        bound = f", one-sided lower bound {ev.gain_lcb:+.3%}" if ev is not None else ""
        parts = ([f"{n_rej} candidate(s)"] if n_rej else []) + (
            ["the headroom look's best probe" + ("" if n_rej else " (the search proposed none)")]
            if state.get("probe_check") else [])
        what_measured = " and ".join(parts)
        return (f"No headroom: the verifier measured {what_measured} on fresh user drops; each kept every "
                f"constraint, and the best changed the objective by {best.gain:+.3%}{bound}, within its drop-to-drop "
                f"spread or below the smallest gain that counts ({best.min_gain:.1%}). The network already meets "
                "every constraint, so nothing was changed.")
    if status == "no_headroom":
        binding = _binding_clause((state.get("headroom") or {}).get("blocked") or [])
        return (f"No headroom: the search found no change that would {what} beyond its drop-to-drop spread while "
                f"every constraint holds{binding}; the network already meets every constraint, so nothing was "
                "changed.")
    if status == "no_safe_change" and not n_rej:
        check = Verdict.model_validate(state["probe_check"]) if state.get("probe_check") else None
        on_fresh = (" (on the verifier's fresh drops too)" if check is not None and check.approved else "")
        return (f"No safe change: the search proposed no candidate, although a probe of the move that helps most "
                f"showed that a change can {what} beyond the noise while every constraint holds{on_fresh}; nothing "
                "was changed.")
    if status == "no_safe_change":
        return (f"No safe change: the verifier rejected {n_rej} candidate(s) on fresh user drops (see its reasons); "
                "nothing was changed.")
    if status == "infeasible" and state.get("status") != "infeasible":
        return "Infeasible: no candidate the search scored meets every constraint; nothing was changed."
    return ""


# ---------------------------------------------------------------------------------------------------------- routing
def _after_planner(state: RunState) -> str:
    return "reporter" if state.get("status") == "invalid" else "confirm"


def _after_confirm(state: RunState) -> str:
    return "reporter" if state.get("status") == "unconfirmed" else "observe"


def _after_observe(state: RunState) -> str:
    return "reporter" if state.get("status") in ("infeasible", "nothing_needed", "no_headroom") else "optimizer"


def _after_optimizer(state: RunState) -> str:
    return "verifier" if state.get("candidate") else "reporter"


def _route_verifier(state: RunState, runtime: Runtime[RunContext]) -> str:
    v = state.get("verdict") or {}
    if v.get("approved"):
        return "approval" if runtime.context.approve else "apply"
    if state.get("exhausted") or int(state.get("round", 0)) >= runtime.context.max_rounds:
        return "reporter"
    return "optimizer"


def _after_approval(state: RunState) -> str:
    return "apply" if state.get("decision") == "yes" else "reporter"


def build_graph() -> StateGraph[RunState, RunContext, RunState, RunState]:
    """The uncompiled graph; compile it with a checkpointer (`compile_graph`)."""
    g = StateGraph(RunState, context_schema=RunContext)
    for name, fn in (("planner", planner), ("observe", observe), ("optimizer", optimizer), ("verifier", verifier),
                     ("approval", approval), ("apply", apply), ("reporter", reporter)):
        g.add_node(name, fn)
    g.add_node("confirm", confirm)
    g.add_edge(START, "planner")
    g.add_conditional_edges("planner", _after_planner, ["confirm", "reporter"])
    g.add_conditional_edges("confirm", _after_confirm, ["observe", "reporter"])
    g.add_conditional_edges("observe", _after_observe, ["optimizer", "reporter"])
    g.add_conditional_edges("optimizer", _after_optimizer, ["verifier", "reporter"])
    g.add_conditional_edges("verifier", _route_verifier, ["approval", "apply", "reporter", "optimizer"])
    g.add_conditional_edges("approval", _after_approval, ["apply", "reporter"])
    g.add_edge("apply", "reporter")
    g.add_edge("reporter", END)
    return g


def compile_graph(checkpointer: Any = None) -> Any:
    return build_graph().compile(checkpointer=checkpointer)


def initial_state(text: str, intent: Intent | None = None) -> RunState:
    return {"text": text, "intent": intent.model_dump() if intent else None, "verdicts": [], "notes": [], "round": 0}
