"""What the LLM strategies share: compact renderings of the intent, network and policy that fill the prompt files, the
bounded change schema, and one structured call that never raises.

Renderings are data, not prompt text: the words around them live in ``prompts/`` (optimizer, hybrid, react).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal

from airloop.prompts import Prompt, load_prompt
from airloop.simulator.types import SLICES
from pydantic import BaseModel, ConfigDict, Field, create_model

from ..intent import Intent
from ..models import ChatModel, structured
from ._base import OptimizeContext
from ._space import NUMERIC_KNOBS, SearchSpace

#: The most changes an LLM may propose in one answer (bounded schema; small models repeat list items otherwise).
MAX_LLM_CHANGES = 8
#: Cells listed in a network summary for a model; larger networks show the extremes of the load ranking.
SUMMARY_CELLS = 24


def compact(value: Any) -> str:
    return json.dumps(value, separators=(", ", ": "))


def intent_text(intent: Intent) -> str:
    """The intent as the model sees it: objective, constraints, hours, cells and knobs (no free text)."""
    d: dict[str, Any] = {
        "objective": {"kpi": intent.objective.kpi, "goal": intent.objective.goal,
                      "slice": intent.objective.slice or "all"},
        "constraints": [{"kpi": c.kpi, "op": c.op, "value": c.value, "slice": c.slice or "all"}
                        for c in intent.constraints],
        "hours": intent.hours if intent.hours is not None else "now",
    }
    if intent.cells is not None:
        d["cells"] = intent.cells
    if intent.knobs is not None:
        d["knobs"] = intent.knobs
    return compact(d)


def cell_lines(space: SearchSpace, limit: int = SUMMARY_CELLS) -> str:
    """One line per cell: ``cell class active tx_power_dbm tilt_deg cio_db load users neighbours``; for more than
    `limit` cells, the lowest- and highest-load halves of the ranking."""
    cells = space.cells
    if len(cells) > limit:
        ranked = space.ranked("lowest_load")
        cells = sorted(set(ranked[: limit // 2] + ranked[-(limit - limit // 2):]))
    rows = ["cell class active tx_power_dbm tilt_deg cio_db load users neighbours"]
    for c in cells:
        ci = space.info[c]
        rows.append(f"{c} {ci.cell_class} {str(ci.active).lower()} {ci.current['tx_power_dbm']:g} "
                    f"{ci.current['tilt_deg']:g} {ci.current['cio_db']:g} {ci.load:.2f} {ci.users} "
                    f"{','.join(map(str, ci.neighbours))}")
    if len(cells) < len(space.cells):
        rows.append(f"({len(space.cells) - len(cells)} more cells with loads in between)")
    return "\n".join(rows)


def network_brief(space: SearchSpace) -> str:
    """A few numbers about the network for the plan prompt: counts, load spread, the extremes of the rankings."""
    loads = sorted(space.info[c].load for c in space.cells)
    mid = loads[len(loads) // 2] if loads else 0.0
    low = space.ranked("lowest_load")[:5]
    high = space.ranked("highest_load")[:5]
    weak = space.ranked("weakest_coverage")[:5]
    active = sum(1 for c in space.cells if space.info[c].active)
    return (f"{len(space.cells)} cells, {active} active; at most {space.max_sleep} may sleep and at most "
            f"{space.max_cells_per_apply} change at once; load min {loads[0] if loads else 0:.2f}, median {mid:.2f}, "
            f"max {loads[-1] if loads else 0:.2f}; lowest load {low}; highest load {high}; weakest coverage {weak}")


def knob_limits(space: SearchSpace) -> str:
    """The usable knobs with the range a change may reach now (the union over the space's cells) and step limits."""
    rows = []
    for k in space.usable_knobs():
        if k == "active":
            rows.append(f"active: true or false (false = sleep; at most {space.max_sleep} cells may sleep)")
        elif k == "slice_shares":
            rule = space.policy.knobs.slice_shares
            rows.append(f"slice_shares: each of {', '.join(SLICES)} in [{rule.min:g}, {rule.max:g}], summing to 1, "
                        f"moving at most {space.max_step(k):g} per change")
        else:
            lo, hi = knob_bounds(space, k)
            rows.append(f"{k}: [{lo:g}, {hi:g}], moving at most {space.max_step(k):g} from the current value")
    return "\n".join(rows) or "(no knob can move now)"


def knob_bounds(space: SearchSpace, knob: str) -> tuple[float, float]:
    cells = space.knob_cells(knob)
    if not cells:
        return (0.0, 0.0)
    return (min(space.info[c].ranges[knob][0] for c in cells), max(space.info[c].ranges[knob][1] for c in cells))


def kpis_now(ctx: OptimizeContext) -> str:
    k = ctx.network.kpis().network
    return compact({name: round(float(v), 4) for name, v in k.model_dump().items()})


def feedback_text(ctx: OptimizeContext) -> str:
    """The verifier's findings and the rejected candidates, rendered through ``prompts/optimizer_feedback.md`` (empty
    in the first round). Only prompts get text: the strategy itself reads the `Verdict`s as data."""
    if not ctx.verdicts:
        return ""
    reasons = [f"round {i + 1}: {r}" for i, v in enumerate(ctx.verdicts) for r in v.reasons]
    rejected = [[c.model_dump(exclude_none=True) for c in r] for r in ctx.rejected[-3:]]
    return load_prompt("optimizer_feedback").fill(
        reasons="\n".join(f"- {r}" for r in reasons[-6:]) or "- (none given)",
        rejected=compact(rejected) if rejected else "[]",
    )


def one_of(values: Iterable[Any]) -> Any:
    """``Literal[v1, v2, ...]`` of values known only at run time (an enum in the schema). Like `bounded` and `list_of`,
    a type built at run time: `Any` to a static checker, which cannot follow it."""
    return Literal[tuple(values)]


def list_of(item: Any) -> Any:
    """``list[item]`` of an item type built at run time (a `create_model` class, `one_of`)."""
    return list[item]


def bounded(lo: float, hi: float) -> Any:
    """A float whose schema carries ``minimum``/``maximum`` (for constrained decoding and the model's eyes) but whose
    validation accepts any finite number: an out-of-range value is clamped by `SearchSpace.project`, not refused (a
    135M model writes ``cio_db: 10`` under grammars that do not enforce numeric bounds)."""
    return Annotated[float, Field(json_schema_extra={"minimum": lo, "maximum": hi}, allow_inf_nan=False)]


def change_model(space: SearchSpace) -> type[BaseModel]:
    """One proposed change, bounded: the cell an enum of the space's cells, each usable knob nullable with the
    policy's bounds (`bounded`). Every field is required, so the grammar fixes the key order and the model fills
    values."""
    usable = space.usable_knobs()
    cells = tuple(space.cells) or (0,)
    fields: dict[str, Any] = {"cell": (one_of(cells), ...)}
    for k in NUMERIC_KNOBS:
        if k in usable:
            lo, hi = knob_bounds(space, k)
            fields[k] = (bounded(lo, hi) | None, ...)
    if "active" in usable:
        fields["active"] = (bool | None, ...)
    if "slice_shares" in usable:
        share_fields: dict[str, Any] = {s: (bounded(0.0, 1.0), ...) for s in SLICES}
        shares = create_model("Shares", __config__=ConfigDict(extra="forbid"), **share_fields)
        fields["slice_shares"] = (shares | None, ...)
    return create_model("ProposedChange", __config__=ConfigDict(extra="forbid"), **fields)


def direct_schema(space: SearchSpace, max_changes: int = MAX_LLM_CHANGES) -> type[BaseModel]:
    """``{"changes": [ProposedChange, ...]}`` with at most `max_changes` items."""
    change = change_model(space)
    return create_model("ProposedChanges", __config__=ConfigDict(extra="forbid"),
                        changes=(list_of(change), Field(..., max_length=max_changes)))


@dataclass
class LLMCall:
    """What one structured call cost and gave: the value (None on failure), calls made and the failure reason."""

    value: Any = None
    calls: int = 0
    failed: bool = False
    reason: str = ""
    raw: str = ""
    prompts: dict[str, str] = field(default_factory=dict)


def ask(model: ChatModel, schema: type[BaseModel], messages: list[dict[str, Any]], ctx: OptimizeContext, *,
        max_attempts: int = 2, prompts: Sequence[Prompt] = (), task: str | None = None) -> LLMCall:
    """`structured` with the round's budget; never raises (a backend bug becomes a failed call, too). ``task``: what
    the call is for (a model with an adapter tuned for it answers with the adapter, `ChatRequest.task`)."""
    hashes = {p.path.name: p.sha256 for p in prompts}
    try:
        res = structured(model, schema, messages, budget=ctx.budget, max_attempts=max_attempts, task=task)
    except Exception as e:  # the model layer promises not to raise; a strategy must not either
        return LLMCall(failed=True, reason=f"model_error:unexpected: {type(e).__name__}: {e}", prompts=hashes)
    calls = len(res.usage)
    if res.ok:
        return LLMCall(value=res.value, calls=calls, raw=res.raw, prompts=hashes)
    return LLMCall(calls=calls, failed=True, reason=res.reason, raw=res.raw, prompts=hashes)
