"""`llm-react`: a tool-calling loop: the LLM reads cells and KPIs, simulates candidates, refines, and finishes.

The tools are airloop's typed tools, the same functions and input schemas as the LangChain `StructuredTool`s and the
MCP server, narrowed to what a strategy may do (`airloop.tools.READ_ONLY_TOOLS`, run through the round's read-only
`NetworkView`): ``get_kpis``, ``list_cells``, ``get_cell`` and ``simulate_changes``. ``simulate_changes`` takes only
``changes`` here (items bounded to what the policy allows now, like llm-direct's); its horizon is the round's, and it
runs through the round's evaluator (projected onto the policy, scored by the judge, counted against the budget; never
applied). ``finish`` (described in ``prompts/react_tools.jsonl``) ends the loop. The loop also ends at a plain-text
answer after a simulation (before one, the model is nudged once more per turn), ``max_turns`` LLM turns, or when the
LLM calls or evaluations run out. The proposal is the best feasible candidate simulated in the loop (none if nothing
useful was simulated): no numeric search stands in.

Sound on a small context (issue 11, item 4): only the last `KEEP_RESULTS` tool results stay in full in the
conversation, older ones shrink to one line (a cell list read three turns ago is not worth 1,500 tokens every turn);
and the loop simulates before it proposes: if the model has not simulated anything by the middle of its turns, the
strategy simulates one starting candidate of the objective's default plan (`default_plan`, the last of its
`start_points`: every move at half) and shows the model the result as a tool result, so that it refines a simulated
candidate instead of finishing on a read.
"""

from __future__ import annotations

from typing import Any, ClassVar

from airloop.prompts import load_examples, load_prompt
from airloop.tools import NetworkView, SimulateInput
from pydantic import BaseModel, ConfigDict, Field, create_model

from ..models import chat_tools
from ._base import EvalCount, OptimizeContext, Proposal, Strategy, register_strategy
from ._llm import MAX_LLM_CHANGES, change_model, compact, feedback_text, intent_text, knob_limits, list_of
from ._plan import default_plan, start_points
from ._scoring import Scorer, SearchStopped
from ._space import SearchSpace

MAX_CALLS_PER_TURN = 3
#: Tool results kept in full in the conversation; older ones are trimmed to a one-line summary.
KEEP_RESULTS = 2
#: The typed tools the loop offers, all read-only (`NetworkView.tool_spec` refuses any other).
READ_TOOLS = ("get_kpis", "list_cells", "get_cell")
SIMULATE = "simulate_changes"
FINISH = "finish"


class _NoArgs(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _simulate_input(space: SearchSpace) -> type[BaseModel]:
    """The tools' `SimulateInput`, narrowed: ``changes`` only (the round fixes the horizon), each item bounded to what
    the policy lets this space's cells take now."""
    field = SimulateInput.model_fields["changes"]
    return create_model("SimulateChangesArgs", __config__=ConfigDict(extra="forbid"),
                        __doc__=SimulateInput.__doc__,
                        changes=(list_of(change_model(space)), Field(..., max_length=MAX_LLM_CHANGES,
                                                                     description=field.description)))


def tool_specs(space: SearchSpace) -> list[dict[str, Any]]:
    """Flat tool specs (name, description, JSON schema): the typed tools' own docstrings and input models."""
    specs = [NetworkView.tool_spec(n) for n in (*READ_TOOLS, SIMULATE)]
    out = [{"name": t.name, "description": t.description,
            "parameters": (_simulate_input(space) if t.name == SIMULATE else t.input_model).model_json_schema()}
           for t in specs]
    finish = {t["name"]: t["description"] for t in load_examples("react_tools")}[FINISH]
    return [*out, {"name": FINISH, "description": finish, "parameters": _NoArgs.model_json_schema()}]


@register_strategy
class LLMReact(Strategy):
    name: ClassVar[str] = "llm-react"
    uses_llm: ClassVar[bool] = True
    description: ClassVar[str] = "a tool-calling loop: read cells and KPIs, simulate, refine, finish"

    class Params(BaseModel, extra="forbid"):
        max_turns: int = Field(8, ge=1, le=100, description="LLM turns before the loop ends")
        max_evals: EvalCount = 12

    # Set from `Params` by `Strategy.__init__`.
    max_turns: int
    max_evals: int

    def propose(self, ctx: OptimizeContext) -> Proposal:
        space = SearchSpace.build(ctx.network, ctx.intent)
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
        results: list[tuple[int, str]] = []  # (message index, one-line summary) of every tool result
        done = False
        seeded = False
        while turns < self.max_turns and not done:
            turns += 1
            _trim(messages, results)
            if not seeded and SIMULATE not in trace and turns > max(1, self.max_turns // 2):
                # Simulate before proposing: the objective's default starting candidate, shown as a tool result.
                seeded = True
                try:
                    seed_result = self._seed(ctx, space, scorer)
                except SearchStopped as e:
                    notes.append(f"stopped: {e.limit}")
                    break
                if seed_result is not None:
                    trace.append(f"{SIMULATE}(seeded)")
                    notes.append("the model had not simulated by the middle of its turns: the default starting "
                                 "candidate was simulated for it")
                    results.append((len(messages), _summary(SIMULATE, seed_result)))
                    messages.append({"role": "user", "content": prompts["react_result"].fill(
                        tool=f"{SIMULATE} (run for you: a starting candidate to refine)", result=compact(seed_result),
                        turns_left=self.max_turns - turns + 1,
                        sims_left=scorer.left if scorer.left is not None else "unlimited")})
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
                if SIMULATE not in trace and turns < self.max_turns:
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
                if call["name"] == FINISH:
                    if SIMULATE not in trace and turns < self.max_turns:
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
                results.append((len(messages), _summary(call["name"], result)))
                messages.append({"role": "user", "content": prompts["react_result"].fill(
                    tool=call["name"], result=compact(result), turns_left=self.max_turns - turns,
                    sims_left=scorer.left if scorer.left is not None else "unlimited")})
        notes.append(f"{turns} turns; tools called: {', '.join(trace) or 'none'}")
        hashes = {p.path.name: p.sha256 for p in prompts.values()} | {examples.path.name: examples.sha256}
        return scorer.proposal(self.name, self.params, llm_calls=calls, llm_failures=failures, notes=notes,
                               info={"trace": trace, "prompts": hashes})

    def _seed(self, ctx: OptimizeContext, space: SearchSpace, scorer: Scorer) -> dict[str, Any] | None:
        """Simulate the objective's default starting candidate (None if the plan has nothing to move)."""
        plan = default_plan(ctx.intent, space)
        points = start_points(plan) if plan.moves else []
        if not points:
            return None
        cand = plan.candidate(space, points[-1])  # the half-way point: a moderate first candidate
        if not cand:
            return None
        return self._simulate({"changes": [c.model_dump(exclude_none=True) for c in cand][:MAX_LLM_CHANGES]}, ctx,
                              space, scorer)

    def _run(self, name: str, args: dict[str, Any], ctx: OptimizeContext, space: SearchSpace,
             scorer: Scorer) -> dict[str, Any]:
        """One tool call; errors come back as data for the model, never as exceptions (except `SearchStopped`)."""
        if name == SIMULATE:
            return self._simulate(args, ctx, space, scorer)
        return ctx.network.call_tool(name, args, actor=f"strategy:{self.name}")

    @staticmethod
    def _simulate(args: dict[str, Any], ctx: OptimizeContext, space: SearchSpace, scorer: Scorer) -> dict[str, Any]:
        raw = args.get("changes")
        if not isinstance(raw, list):
            return {"error": {"code": "invalid_parameter", "field": "changes",
                              "message": "changes must be a list of changes", "allowed": f"1..{MAX_LLM_CHANGES} items"}}
        cand = space.project(raw[:MAX_LLM_CHANGES])
        if not cand:
            return {"error": {"code": "invalid_change", "field": "changes",
                              "message": "nothing left after applying the policy's limits: every change was a no-op "
                                         "or outside what may move"}, "changes": []}
        ev = scorer.evaluate(cand)
        if ev is None:
            return {"error": {"code": "invalid_change", "message": "the simulator refused these changes"},
                    "changes": [c.model_dump(exclude_none=True) for c in cand]}
        kpis = {k for k, _ in ctx.intent.kpis()}
        return {
            "changes": [c.model_dump(exclude_none=True) for c in cand],
            **ev.assessment.summary(),
            "feasible": ev.feasible and scorer.meets(ev),
            "kpis_before": {k: round(float(getattr(ev.kpis_baseline, k)), 4) for k in kpis},
            "kpis_after": {k: round(float(getattr(ev.kpis, k)), 4) for k in kpis},
            "best_reward_so_far": round(scorer.best.reward, 4) if scorer.best else None,
        }


def _summary(tool: str, result: dict[str, Any]) -> str:
    """One line standing for a tool result once it is old."""
    if "error" in result:
        return f"(earlier {tool}: error {result['error'].get('code', '')})"
    if tool == SIMULATE:
        return (f"(earlier {SIMULATE}: {len(result.get('changes', []))} changes, reward {result.get('reward')}, "
                f"gain {result.get('gain')}, feasible {result.get('feasible')})")
    return f"(earlier {tool}: read; see the latest results)"


def _trim(messages: list[dict[str, Any]], results: list[tuple[int, str]]) -> None:
    """Shrink every tool result but the last `KEEP_RESULTS` to its one-line summary, in place."""
    for index, summary in results[:-KEEP_RESULTS] if len(results) > KEEP_RESULTS else []:
        messages[index] = {"role": "user", "content": summary}
