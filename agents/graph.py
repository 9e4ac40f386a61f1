"""The agent graph (LangGraph 1.x): planner → observe → optimizer ⇄ verifier → [approval] → apply → reporter.

State is a `TypedDict` of plain JSON values with `Annotated` reducers, so LangGraph's SQLite checkpointer can store
every step and `airloop resume` can continue a killed run. The run's live objects (session, model, budget, strategy)
travel in the `context_schema` (`RunContext`), rebuilt on resume. The verifier, not the LLM, decides what is applied;
the tools enforce the policy underneath.

Routing: verifier rejects → optimizer again with the verifier's reasons, up to `max_rounds`; then the run ends with
`no_safe_change` (or `infeasible`, or `budget_exhausted`) and nothing is applied. With `approve=True` a human answers
an `interrupt()` before apply; nothing mutates before it, because LangGraph re-runs the node on resume.
"""

from __future__ import annotations

import operator
import os
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal, TypedDict

from airloop.tools import NetworkSession, NetworkView, ToolError
from langgraph.graph import END, START, StateGraph
from langgraph.runtime import Runtime
from langgraph.types import interrupt

from .evaluate import BudgetExhausted, Evaluator, representative_hours
from .intent import Intent
from .models import Budget, ChatModel
from .planner import CONFIRM_BELOW, assess, describe, plan_intent
from .strategies import OptimizeContext, Strategy
from .verifier import DEFAULT_MARGIN, MIN_GAIN, VERIFIER_SEEDS, Verdict, verify

Status = Literal["approved", "rejected", "infeasible", "no_safe_change", "budget_exhausted", "invalid", "unconfirmed"]
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
    verify_seeds: tuple[int, ...] = VERIFIER_SEEDS
    margin: float = DEFAULT_MARGIN
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
    notes: Annotated[list[str], operator.add]
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
    rep = ctx.session.network.kpis()
    out["baseline"] = {"kpis": rep.network.model_dump(), "hour": rep.hour,
                       "per_slice": {k: v.model_dump() for k, v in rep.per_slice.items()}}
    return out


def optimizer(state: RunState, runtime: Runtime[RunContext]) -> dict[str, Any]:
    ctx = runtime.context
    _maybe_kill("optimizer")
    intent = _intent(state)
    rnd = int(state.get("round", 0)) + 1
    view = NetworkView(ctx.session)
    evaluator = Evaluator(view, intent, hours=representative_hours(intent.hours), steps=ctx.opt_steps,
                          seeds=ctx.opt_seeds, budget=ctx.budget)
    octx = OptimizeContext(
        intent=intent, network=view, evaluator=evaluator, budget=ctx.budget, model=ctx.model,
        verdicts=[Verdict.model_validate(v) for v in state.get("verdicts", [])],
        round=rnd, seed=rnd, max_evals=ctx.evals_per_round, margin=ctx.margin, min_gain=MIN_GAIN)
    try:
        prop = ctx.strategy.propose(octx)
    except BudgetExhausted as e:  # a strategy that let it through: still a clean end
        return {"round": rnd, "candidate": None, "exhausted": e.limit, "usage": _usage(ctx),
                "notes": [f"optimizer round {rnd}: budget exhausted ({e.limit})"]}
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
    return {
        "round": rnd,
        "candidate": prop.model_dump(mode="json") if prop.changes else None,
        "any_feasible": any_feasible or baseline_ok,
        "exhausted": prop.exhausted,
        "best_reward": best.reward if best is not None else state.get("best_reward"),
        "usage": _usage(ctx),
        "notes": notes,
        "baseline": {**state.get("baseline", {}), "feasible": baseline_ok},
    }


def verifier(state: RunState, runtime: Runtime[RunContext]) -> dict[str, Any]:
    ctx = runtime.context
    _maybe_kill("verifier")
    intent = _intent(state)
    cand = state.get("candidate") or {}
    changes = cand.get("changes", [])
    v = verify(NetworkView(ctx.session), intent, changes, seeds=ctx.verify_seeds, steps=ctx.verify_steps, margin=ctx.margin,
               budget=ctx.budget)
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
                                seeds=list(ctx.verify_seeds))
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
    if status == "approved" and not applied:
        notes.append("nothing was needed: no change improves the objective and the network already meets every "
                     "constraint")
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
        "notes": notes,
        "reading": {k: (state.get("plan") or {}).get(k) for k in ("echo", "confidence", "needs_confirmation",
                                                                     "confirmed", "reasons")},
    }
    return {"status": status, "report": report, "usage": _usage(ctx)}


def _final_status(state: RunState) -> Status:
    if state.get("status") == "unconfirmed":
        return "unconfirmed"
    if state.get("status") in ("invalid", "infeasible", "rejected", "approved"):
        return state["status"]  # type: ignore[return-value]
    if state.get("decision") == "no":
        return "rejected"
    baseline_ok = bool((state.get("baseline") or {}).get("feasible"))
    if state.get("candidate") is None and baseline_ok and not state.get("exhausted") and not state.get("verdicts"):
        return "approved"  # nothing needed: the first round found nothing to improve on a network that meets the intent
    if state.get("exhausted"):
        return "budget_exhausted"
    if not state.get("any_feasible"):
        return "infeasible"
    return "no_safe_change"


# ---------------------------------------------------------------------------------------------------------- routing
def _after_planner(state: RunState) -> str:
    return "reporter" if state.get("status") == "invalid" else "confirm"


def _after_confirm(state: RunState) -> str:
    return "reporter" if state.get("status") == "unconfirmed" else "observe"


def _after_observe(state: RunState) -> str:
    return "reporter" if state.get("status") == "infeasible" else "optimizer"


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
