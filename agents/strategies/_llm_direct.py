"""`llm-direct`: the LLM proposes the CellChanges itself, in one bounded structured call.

The model sees the intent, a compact network summary, the KPIs now, the knobs' reachable values and the verifier's
feedback (``prompts/optimizer.md``, ``optimizer_user.md``, ``optimizer_feedback.md``). Its answer is held by a bounded
schema (at most `MAX_LLM_CHANGES` changes, cell ids an enum, every number inside the policy's bounds), then projected
onto the policy and scored. If the whole list does not pay off, its first half (then quarter) in the model's order is
scored too: a tiny model often mixes a good change with bad ones. A failed call (malformed after repair, timeout,
budget) gives an empty proposal with a note; nothing raises.
"""

from __future__ import annotations

from typing import Any, ClassVar

from airloop.prompts import load_prompt
from pydantic import BaseModel, Field

from ._base import OptimizeContext, Proposal, Strategy, register_strategy
from ._llm import (
    MAX_LLM_CHANGES,
    ask,
    cell_lines,
    direct_schema,
    feedback_text,
    intent_text,
    knob_limits,
    kpis_now,
)
from ._scoring import Scorer, SearchStopped
from ._space import SearchSpace


@register_strategy
class LLMDirect(Strategy):
    name: ClassVar[str] = "llm-direct"
    uses_llm: ClassVar[bool] = True
    description: ClassVar[str] = "the LLM proposes CellChanges in one structured call; projected and scored"

    class Params(BaseModel, extra="forbid"):
        max_changes: int = Field(MAX_LLM_CHANGES, ge=1, le=MAX_LLM_CHANGES, description="changes in one answer")
        max_attempts: int = Field(2, ge=1, le=10, description="tries of the call (repairs included)")
        backoff: bool = True  # if the whole answer does not pay off, score its first half, then quarter

    # Set from `Params` by `Strategy.__init__`.
    max_changes: int
    max_attempts: int
    backoff: bool

    def propose(self, ctx: OptimizeContext) -> Proposal:
        space = SearchSpace.build(ctx.network, ctx.intent)
        scorer = Scorer(ctx)
        notes = list(space.notes)
        if ctx.model is None:
            return scorer.proposal(self.name, self.params, notes=[*notes, "no model given: nothing proposed"])
        if not space.usable_knobs():
            return scorer.proposal(self.name, self.params, notes=[*notes, "no knob can move now: nothing proposed"])
        system, user = load_prompt("optimizer"), load_prompt("optimizer_user")
        messages = [
            {"role": "system", "content": system.fill(max_changes=self.max_changes)},
            {"role": "user", "content": user.fill(
                intent_json=intent_text(ctx.intent), network_summary=cell_lines(space), kpis_now=kpis_now(ctx),
                policy_limits=knob_limits(space), feedback=feedback_text(ctx))},
        ]
        prompts = [system, user] + ([load_prompt("optimizer_feedback")] if ctx.verdicts else [])
        call = ask(ctx.model, direct_schema(space, self.max_changes), messages, ctx, max_attempts=self.max_attempts,
                   prompts=prompts)
        info: dict[str, Any] = {"prompts": call.prompts}
        if call.failed:
            notes.append(f"the model gave no usable answer ({call.reason}): nothing proposed")
            scorer.note_llm_exhaustion(call.reason)
            return scorer.proposal(self.name, self.params, llm_calls=call.calls, llm_failures=1, notes=notes,
                                   info=info)
        raw = [c.model_dump(exclude_none=True) for c in call.value.changes]
        cand = space.project(raw)
        info["llm_changes"] = raw
        notes.append(f"the model proposed {len(raw)} changes; {len(cand)} cells left after projection onto the policy")
        try:
            scorer.evaluate(cand)
            if self.backoff and scorer.best is None and len(cand) > 1:
                by_cell = {c.cell: c for c in cand}
                ordered = [by_cell[c] for c in dict.fromkeys(r.get("cell") for r in raw) if c in by_cell]
                n = len(ordered)
                while n > 1:
                    n //= 2
                    scorer.evaluate(space.project(ordered[:n]))
                    if scorer.best is not None:
                        notes.append(f"kept the model's first {n} changes")
                        break
        except SearchStopped as e:
            notes.append(f"stopped: {e.limit}")
        return scorer.proposal(self.name, self.params, llm_calls=call.calls, notes=notes, info=info)
