"""`llm-react`: a tool-calling loop: the LLM reads cells and KPIs, simulates candidates, refines, and finishes.

Tools (descriptions in ``prompts/react_tools.jsonl``; argument schemas built here from the space, bounded like
llm-direct's): ``list_cells``, ``get_kpis``, ``simulate`` and ``finish``. They run against the session read-only or
through the round's evaluator (``simulate``: projected onto the policy, then scored; never applied). The loop ends at
``finish``, a plain-text answer after a simulation (before one, the model is nudged once more per turn), ``max_turns``
LLM turns, or when the LLM calls or evaluations run out. The proposal is
the best feasible candidate the model simulated (none if it simulated nothing useful): no numeric search stands in.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, ClassVar, Literal

from airloop.prompts import load_examples, load_prompt
from pydantic import BaseModel, ConfigDict, Field, create_model

from ..models import chat_tools
from ._base import OptimizeContext, Proposal, Strategy, register_strategy
from ._llm import MAX_LLM_CHANGES, change_model, compact, feedback_text, intent_text, knob_limits, kpis_now
from ._scoring import Scorer, SearchStopped
from ._space import SearchSpace

ORDERS = ("lowest_load", "highest_load", "weakest_coverage", "cell_id")
MAX_ROWS = 20
MAX_CALLS_PER_TURN = 3


class _NoArgs(BaseModel):
    model_config = ConfigDict(extra="forbid")


def tool_specs(space: SearchSpace) -> list[dict[str, Any]]:
    """Flat tool specs: name, description (from the prompt file) and a closed argument schema."""
    descriptions = {t["name"]: t["description"] for t in load_examples("react_tools")}
    list_args = create_model("ListCellsArgs", __config__=ConfigDict(extra="forbid"),
                             order=(Literal[ORDERS], ...),  # type: ignore[valid-type]
                             limit=(Annotated[int, Field(ge=1, le=MAX_ROWS)], ...))
    sim_args = create_model("SimulateArgs", __config__=ConfigDict(extra="forbid"),
                            changes=(list[change_model(space)], Field(..., max_length=MAX_LLM_CHANGES)))  # type: ignore[misc]
    schemas = {"list_cells": list_args, "get_kpis": _NoArgs, "simulate": sim_args, "finish": _NoArgs}
    return [{"name": n, "description": descriptions.get(n, n), "parameters": m.model_json_schema()}
            for n, m in schemas.items()]


@register_strategy
class LLMReact(Strategy):
    name: ClassVar[str] = "llm-react"
    uses_llm: ClassVar[bool] = True
    description: ClassVar[str] = "a tool-calling loop: read cells and KPIs, simulate, refine, finish"

    def __init__(self, max_turns: int = 8, max_evals: int = 12, **params: Any) -> None:
        super().__init__(max_turns=max_turns, max_evals=max_evals, **params)
        self.max_turns = int(max_turns)
        self.max_evals = int(max_evals)

    def propose(self, ctx: OptimizeContext) -> Proposal:
        space = SearchSpace.build(ctx.session, ctx.intent)
        scorer = Scorer(ctx, max_evals=self.max_evals)
        notes = list(space.notes)
        if ctx.model is None:
            return scorer.proposal(self.name, self.params, notes=[*notes, "no model given: nothing proposed"])
        tools = tool_specs(space)
        names = [t["name"] for t in tools]
        prompts = {n: load_prompt(n) for n in ("react", "react_start", "react_result", "react_retry", "react_nudge")}
        examples = load_examples("react_tools")
        system = prompts["react"].fill(intent_json=intent_text(ctx.intent), policy_limits=knob_limits(space),
                                       feedback=feedback_text(ctx), max_changes=MAX_LLM_CHANGES)
        messages: list[dict[str, Any]] = [
            {"role": "system", "content": system},
            {"role": "user", "content": prompts["react_start"].fill(turns=self.max_turns, sims=self.max_evals)},
        ]
        calls = failures = turns = 0
        trace: list[str] = []
        done = False
        while turns < self.max_turns and not done:
            turns += 1
            try:
                turn = chat_tools(ctx.model, messages, tools, budget=ctx.budget)
            except Exception as e:  # the model layer promises not to raise; neither may a strategy
                notes.append(f"tool turn failed: {type(e).__name__}: {e}")
                failures += 1
                break
            calls += len(turn.usage)
            if turn.error:
                notes.append(f"the model could not answer ({turn.error})")
                scorer.note_llm_exhaustion(turn.error)
                failures += 1
                break
            if not turn.tool_calls:
                if turn.invalid:
                    failures += 1
                    errors = "; ".join(str(c.get("error")) for c in turn.invalid[:3])
                    messages += [{"role": "assistant", "content": turn.content or compact(turn.invalid[:1])},
                                 {"role": "user", "content": prompts["react_retry"].fill(errors=errors,
                                                                                         tools=", ".join(names))}]
                    continue
                if "simulate" not in trace and turns < self.max_turns:
                    # A plain answer before any simulation: ask once more for a tool call.
                    failures += 1
                    trace.append("answer")
                    messages += [{"role": "assistant", "content": turn.content or "(empty answer)"},
                                 {"role": "user", "content": prompts["react_nudge"].fill()}]
                    continue
                trace.append("answer")
                break  # a plain answer ends the loop like finish
            messages.append({"role": "assistant", "content": compact(
                [{"name": c["name"], "arguments": c["arguments"]} for c in turn.tool_calls[:MAX_CALLS_PER_TURN]])})
            for call in turn.tool_calls[:MAX_CALLS_PER_TURN]:
                trace.append(call["name"])
                if call["name"] == "finish":
                    if "simulate" not in trace and turns < self.max_turns:
                        failures += 1  # finishing before any simulation: nudge once more
                        messages.append({"role": "user", "content": prompts["react_nudge"].fill()})
                        break
                    done = True
                    break
                try:
                    result = self._run(call["name"], call["arguments"], ctx, space, scorer)
                except SearchStopped as e:
                    notes.append(f"stopped: {e.limit}")
                    done = True
                    break
                messages.append({"role": "user", "content": prompts["react_result"].fill(
                    tool=call["name"], result=compact(result), turns_left=self.max_turns - turns,
                    sims_left=scorer.left if scorer.left is not None else "unlimited")})
        notes.append(f"{turns} turns; tools called: {', '.join(trace) or 'none'}")
        hashes = {p.path.name: p.sha256 for p in prompts.values()} | {examples.path.name: examples.sha256}
        return scorer.proposal(self.name, self.params, llm_calls=calls, llm_failures=failures, notes=notes,
                               info={"trace": trace, "prompts": hashes})

    def _run(self, name: str, args: dict[str, Any], ctx: OptimizeContext, space: SearchSpace,
             scorer: Scorer) -> dict[str, Any]:
        """One tool call; errors come back as data for the model, never as exceptions (except `SearchStopped`)."""
        if name == "get_kpis":
            return {"kpis": json.loads(kpis_now(ctx))}
        if name == "list_cells":
            order = args.get("order") if args.get("order") in ORDERS else "lowest_load"
            try:
                limit = max(1, min(int(args.get("limit") or 10), MAX_ROWS))
            except (TypeError, ValueError):
                limit = 10
            ranked = sorted(space.cells) if order == "cell_id" else space.ranked(order)
            rows = []
            for c in ranked[:limit]:
                ci = space.info[c]
                rows.append({"cell": c, "active": ci.active, **{k: round(v, 2) for k, v in ci.current.items()},
                             "load": round(ci.load, 3), "users": ci.users, "coverage": round(ci.coverage, 3),
                             "neighbours": list(ci.neighbours)})
            return {"cells": rows, "of": len(space.cells)}
        if name == "simulate":
            raw = args.get("changes")
            if not isinstance(raw, list):
                return {"error": "changes must be a list of changes"}
            cand = space.project(raw[:MAX_LLM_CHANGES])
            if not cand:
                return {"error": "nothing left after applying the policy's limits: every change was a no-op or "
                                 "outside what may move", "changes": []}
            ev = scorer.evaluate(cand)
            if ev is None:
                return {"error": "the simulator refused these changes", "changes": [c.model_dump(exclude_none=True)
                                                                                    for c in cand]}
            kpis = {k for k, _ in ctx.intent.kpis()}
            return {
                "changes": [c.model_dump(exclude_none=True) for c in cand],
                "reward": round(ev.reward, 4),
                "feasible": ev.feasible and scorer.meets(ev),
                "violations": (ev.constraint_violations + ev.policy_violations)[:4],
                "kpis_before": {k: round(float(getattr(ev.kpis_baseline, k)), 4) for k in kpis},
                "kpis_after": {k: round(float(getattr(ev.kpis, k)), 4) for k in kpis},
                "best_reward_so_far": round(scorer.best.reward, 4) if scorer.best else None,
            }
        return {"error": f"unknown tool {name!r}"}
