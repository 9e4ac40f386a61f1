"""`hybrid`: the LLM chooses where to look, optuna chooses the numbers.

1. One bounded structured call (``prompts/hybrid.md``, few-shot ``prompts/hybrid_examples.jsonl``): the model picks up
   to `MAX_MOVES` moves, each a knob, a cell ranking (or explicit ids) with a count bound, a direction and a size, all
   enums or bounded integers (`plan_schema`).
2. The choice is validated and clamped (`plan_from_answer`): unknown or unusable knobs and cells are dropped, counts
   are clamped to what the space and the policy allow, ranges come from the policy's step limits in the chosen
   direction (a direction against the objective is widened), and a plan without a move on a knob that drives the
   objective is unusable. The model's counts and sizes are where the search starts; they bound it only with
   ``trust_counts=True``. If the call fails or nothing usable is left, the deterministic `default_plan` is used.
3. optuna's TPE searches the plan's few parameters (cells to sleep, a power delta, a tilt delta, ...) scored by the
   evaluator, within ``max_evals`` simulator evaluations (60 by default). It starts from the model's counts, the
   plan's start points and (``sleep_edge``) the most sleeps of each sleep move alone that keep every constraint
   (`sleep_boundary`: its full count when that holds, one evaluation; else a binary search of about log2(count)
   evaluations): TPE's mixes of sleeps and power trims rarely try the sleeps alone near that edge. With the model's
   plan, the default plan's two start points are scored first as a yardstick; if the model's plan has not beaten
   them by ``give_up_share`` of the evaluations, the rest go to the default plan. ``Proposal.info["plan_source"]`` says what the proposal came
   from: ``llm`` (the model's plan), ``default`` (the call failed or nothing usable was left) or ``llm+default`` (the
   model's plan was searched, but the default plan was searched too or the proposal came from its candidates);
   ``info["best_from"]`` names the plan of the proposed candidate, ``info["plan_outcome"]`` what became of the
   model's answer (`PLAN_OUTCOMES`) and ``info["gave_way"]`` whether the default plan took the evaluations left. The last ``polish_evals``
   evaluations take greedy coordinate steps from the best point (`polish`): TPE rarely lands exactly on a bound.
   With evaluations left and cells asleep in the best candidate, a 1-swap local search changes which cells sleep
   (`swap_sleepers`): a sleep move takes the first k of one ranking, the best k are often others.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from typing import Annotated, Any, ClassVar, Literal

import numpy as np
from airloop.prompts import Prompt, load_examples, load_prompt
from airloop.simulator.types import SLICES
from pydantic import BaseModel, ConfigDict, Field, create_model

from ._base import EvalCount, OptimizeContext, Proposal, Strategy, register_strategy
from ._llm import ask, feedback_text, intent_text, list_of, network_brief, one_of
from ._plan import (
    FAMILY_KNOBS,
    MAX_MOVES,
    SLICE_SHIFT_MAX,
    Move,
    Plan,
    TuneResult,
    default_plan,
    evaluate_point,
    objective_family,
    polish,
    sleep_boundary,
    start_points,
    swap_sleepers,
    tune,
)
from ._scoring import Scorer, SearchStopped
from ._space import SearchSpace

#: What became of the model's plan (``Proposal.info["plan_outcome"]``): not asked (no model, or no knob can move),
#: the call failed, nothing usable was left in it, used after repairs, used as the model wrote it.
PLAN_OUTCOMES: tuple[str, ...] = ("not_asked", "failed", "unusable", "repaired", "as_is")

#: The rankings the model may name; "listed" means the ids in ``listed``.
LLM_RANKS: tuple[str, ...] = ("lowest_load", "highest_load", "weakest_coverage", "fewest_users", "most_users",
                              "sleep_savings", "neighbours_of_sleeping", "all", "listed")
#: A sleep move's ranking and the alternative the search may pick instead (spread lowest load <-> most power saved).
SLEEP_ALTERNATIVES = {"lowest_load": ("spread_low_load", "sleep_savings"),
                      "sleep_savings": ("sleep_savings", "spread_low_load")}
MAX_LISTED = 8
PlanDirection = Literal["decrease", "increase", "either"]
PlanSize = Literal["small", "full"]
#: (objective family, knob) -> the direction that serves the objective (the default plan table's); a model's move in
#: the opposite direction is widened (see `plan_from_answer`).
HELPFUL_DIRECTION: dict[tuple[str, str], str] = {
    ("energy", "active"): "decrease", ("energy", "tx_power_dbm"): "decrease",
    ("coverage", "tx_power_dbm"): "increase", ("coverage", "active"): "increase",
    ("slice", "slice_shares"): "increase",
    ("handover", "tilt_deg"): "increase",
    ("capacity", "cio_db"): "decrease",
}


def plan_knobs(space: SearchSpace, intent: Any) -> list[str]:
    """The knobs the model may plan with: those of the objective's family (`FAMILY_KNOBS`) that can move now, or every
    usable knob when none of the family's can."""
    primary, support = FAMILY_KNOBS[objective_family(intent)]
    usable = space.usable_knobs()
    return [k for k in usable if k in primary or k in support] or usable


def plan_schema(space: SearchSpace, intent: Any = None) -> type[BaseModel]:
    """The plan the model fills: every field required, enums everywhere (knobs narrowed to the objective's family),
    counts bounded by the space."""
    knobs = tuple(plan_knobs(space, intent) if intent is not None else space.usable_knobs()) or ("tx_power_dbm",)
    cells = tuple(space.cells) or (0,)
    max_count = max(1, min(len(space.cells), space.max_cells_per_apply))
    move = create_model(
        "PlanMove", __config__=ConfigDict(extra="forbid"),
        knob=(one_of(knobs), ...),
        cells=(one_of(LLM_RANKS), ...),
        # bounds for the grammar and the model's eyes; any integer validates and is clamped (0 is read as 1)
        count=(int, Field(..., json_schema_extra={"minimum": 1, "maximum": max_count})),
        direction=(PlanDirection, ...),
        size=(PlanSize, ...),
        listed=(list_of(one_of(cells)), Field(..., max_length=MAX_LISTED)),
    )
    return create_model(
        "SearchPlan", __config__=ConfigDict(extra="forbid"),
        moves=(list_of(move), Field(..., min_length=1, max_length=MAX_MOVES)),
        slice=(one_of(("none", *SLICES)), ...),
        reason=(Annotated[str, Field(max_length=80)], ...),
    )


def plan_from_answer(answer: dict[str, Any], space: SearchSpace, intent: Any, *,
                     trust_counts: bool = False) -> tuple[Plan, list[str]]:
    """Validate and clamp the model's plan. Returns the plan (possibly with no moves) and what was repaired.

    The model's knob, ranking (or ids) and direction always shape the plan. Its ``count`` and ``size`` are where the
    search starts (`Plan.start`); with `trust_counts` they also bound the search, otherwise the policy does (a tiny
    model's "sleep 5" should not cap a search that can safely sleep 20).
    """
    notes: list[str] = []
    usable = set(space.usable_knobs())
    moves: list[Move] = []
    start: dict[str, float] = {}
    seen: set[str] = set()
    slc = answer.get("slice") if answer.get("slice") in SLICES else None
    for i, m in enumerate(answer.get("moves") or []):
        knob, rank = m.get("knob"), m.get("cells")
        direction, size = m.get("direction"), m.get("size")
        if knob not in usable:
            notes.append(f"move {i}: knob {knob!r} cannot move here (usable: {sorted(usable)}): dropped")
            continue
        if knob in seen:
            notes.append(f"move {i}: {knob} already has a move: dropped")
            continue
        if rank not in LLM_RANKS:
            rank = "all"
        listed = None
        if rank == "listed":
            ids = [c for c in (m.get("listed") or []) if c in space.info]
            if not ids:
                notes.append(f"move {i}: cells 'listed' without usable ids: dropped")
                continue
            listed, rank = tuple(dict.fromkeys(ids)), "all"
        frac = 0.5 if size == "small" else 1.0
        pool = len(listed) if listed else len(space.knob_cells(knob))
        try:
            count = int(m.get("count") or 1)
        except (TypeError, ValueError):
            count = 1
        key = f"m{len(moves)}"
        helpful = HELPFUL_DIRECTION.get((objective_family(intent), knob))
        if helpful and direction not in (helpful, "either"):
            # A direction against the objective (sleeping more to raise coverage, waking cells to save energy):
            # a sleep move takes the helpful direction, a numeric move lets the search pick the sign.
            fixed = helpful if knob == "active" else "either"
            notes.append(f"move {i}: {knob} '{direction}' works against {intent.objective.kpi}: read as '{fixed}'")
            direction = fixed
        if knob == "active":
            wake = direction == "increase"
            cap = min(pool, space.max_sleep if not wake else sum(1 for c in space.cells if space.info[c].can_wake))
            count = max(0, min(count, cap))
            if cap == 0:
                notes.append(f"move {i}: no cell can {'wake' if wake else 'sleep'}: dropped")
                continue
            # Sleeping the lowest-load cells spreads over sites (a site's sectors are not all slept together), and the
            # search may pick the most-power-saved ranking instead (and the other way round).
            rank, alt = SLEEP_ALTERNATIVES.get(rank, (rank, None)) if not wake and listed is None else (rank, None)
            moves.append(Move("active", rank, max(1, count) if trust_counts else cap, cells=listed, wake=wake,
                              alt_rank=alt))
            start[f"{key}_n"] = max(1, count)
            seen.add(knob)
            continue
        if knob == "slice_shares":
            target = slc or intent.objective.slice or next((c.slice for c in intent.constraints if c.slice), None)
            if target is None:
                notes.append(f"move {i}: slice_shares without a slice to favour: dropped")
                continue
            hi_full = min(SLICE_SHIFT_MAX, space.max_step(knob))
            lo_full = -hi_full
        else:
            target = None
            lo_full, hi_full = space.delta_range(knob)
        lo, hi = {"decrease": (lo_full, 0.0), "increase": (0.0, hi_full)}.get(direction, (lo_full, hi_full))
        if hi - lo <= 1e-9:
            notes.append(f"move {i}: {knob} has no room to {direction} now: dropped")
            continue
        cap = max(1, min(pool, space.max_cells_per_apply))
        count = max(1, min(count, cap))
        hint_lo, hint_hi = lo * frac, hi * frac
        if trust_counts:
            lo, hi, cap = hint_lo, hint_hi, count
        moves.append(Move(knob, rank, cap, round(lo, 3), round(hi, 3), slice=target, mirror=knob == "cio_db",
                          cells=listed))
        start[f"{key}_n"] = count
        start[f"{key}_d"] = round(hint_lo if abs(hint_lo) >= abs(hint_hi) else hint_hi, 3)
        seen.add(knob)
    primary = FAMILY_KNOBS[objective_family(intent)][0]
    if moves and not any(m.knob in primary for m in moves) and any(k in usable for k in primary):
        notes.append(f"no move on a knob that moves {intent.objective.kpi} directly ({', '.join(primary)})")
        moves, start = [], {}
    reason = str(answer.get("reason") or "")[:80]
    return Plan(moves=moves, source="llm", reason=reason, notes=notes, start=start), notes


#: the model task of hybrid's plan call (`ChatRequest.task`): a model carrying an adapter trained for it
#: (`airloop train hybrid`) answers with the adapter, and is asked the way it was trained: no few-shot examples.
TASK = "hybrid"


def plan_messages(space: SearchSpace, intent: Any, *, n_examples: int, feedback: str = "", tuned: bool = False,
                  ) -> tuple[list[dict[str, Any]], list[Prompt], Any]:
    """The plan call's messages (system prompt, ``n_examples`` few-shot pairs, the request), the prompt files used,
    and the examples file (None without examples). ``tuned``: for a model with an adapter trained for this call, the
    short system prompt ``hybrid_tuned.md`` and no examples; its training data (`airloop.finetune.hybrid_rows`) is
    built with this same function."""
    system = load_prompt("hybrid_tuned" if tuned else "hybrid")
    n_examples = 0 if tuned else n_examples
    user = load_prompt("hybrid_user")
    knobs = plan_knobs(space, intent)
    max_count = max(1, min(len(space.cells), space.max_cells_per_apply))
    msgs: list[dict[str, Any]] = [{"role": "system", "content": system.fill(
        max_moves=MAX_MOVES, knob_names=", ".join(knobs), max_count=max_count)}]
    examples = load_examples("hybrid") if n_examples > 0 else None
    for ex in pick_examples(list(examples), objective_family(intent), n_examples) if examples else []:
        msgs.append({"role": "user", "content": user.fill(intent=ex["intent"], network=ex["network"],
                                                          knobs=ex["knobs"], feedback=ex.get("feedback", ""))})
        msgs.append({"role": "assistant", "content": json.dumps(ex["answer"], separators=(", ", ": "))})
    msgs.append({"role": "user", "content": user.fill(
        intent=intent_text(intent), network=network_brief(space), knobs=", ".join(knobs), feedback=feedback)})
    return msgs, [system, user], examples


def answer_of(plan: Plan, space: SearchSpace, intent: Any) -> dict[str, Any] | None:
    """``plan`` written as the model's answer (`plan_schema`, its key order), or None when the schema cannot say it
    (a knob outside the ones the model is offered, explicit cells). The label of a tuned model's training row."""
    knobs = set(plan_knobs(space, intent))
    max_count = max(1, min(len(space.cells), space.max_cells_per_apply))
    moves = []
    for m in plan.moves:
        if m.knob not in knobs or m.cells is not None or m.rank not in LLM_RANKS:
            return None
        if m.knob == "active":
            direction = "increase" if m.wake else "decrease"
        else:
            direction = "either" if m.low < 0 < m.high else ("decrease" if m.high <= 0 else "increase")
        moves.append({"knob": m.knob, "cells": m.rank, "count": max(1, min(m.max_cells, max_count)),
                      "direction": direction, "size": "full", "listed": []})
    if not moves:
        return None
    slc = next((m.slice for m in plan.moves if m.knob == "slice_shares" and m.slice), None)
    answer = {"moves": moves, "slice": slc or "none", "reason": plan.reason[:80]}
    plan_schema(space, intent).model_validate(answer)  # a label the grammar could not produce is a bug here
    return answer


def pick_examples(examples: list[dict[str, Any]], family: str, n: int) -> list[dict[str, Any]]:
    """Up to `n` few-shot examples, those of the intent's objective family last (a small model leans on the nearest
    example), the others in file order before them."""
    same = [e for e in examples if e.get("family") == family]
    other = [e for e in examples if e.get("family") != family]
    picked = same[-1:] if n >= 1 else []
    rest = (other + same[:-1])[: max(0, n - len(picked))]
    return rest + picked


@register_strategy
class Hybrid(Strategy):
    name: ClassVar[str] = "hybrid"
    uses_llm: ClassVar[bool] = True
    description: ClassVar[str] = "the LLM picks knobs, cells and ranges; optuna tunes the plan's few parameters"

    class Params(BaseModel, extra="forbid"):
        max_evals: EvalCount = 60
        max_attempts: int = Field(2, ge=1, le=10, description="tries of the plan call (repairs included)")
        startup_trials: int = Field(8, ge=0, le=10_000, description="TPE's random trials before it models")
        give_up_share: float = Field(0.6, ge=0.0, le=1.0, description="when the model's plan must beat the default's")
        trust_counts: bool = False  # the model's counts and sizes bound the search (else they only start it)
        n_examples: int = Field(3, ge=0, le=20, description="few-shot examples in the prompt")
        polish_evals: int = Field(8, ge=0, le=100_000, description="evaluations kept for greedy polishing")
        swap_cells: bool = Field(True, description="after polishing, swap sleeping cells for ones that save more")
        sleep_edge: bool = Field(True, description="start also at the most sleeps that keep the constraints alone")

    # Set from `Params` by `Strategy.__init__`.
    max_evals: int
    max_attempts: int
    startup_trials: int
    give_up_share: float
    trust_counts: bool
    n_examples: int
    polish_evals: int
    swap_cells: bool
    sleep_edge: bool

    def propose(self, ctx: OptimizeContext) -> Proposal:
        space = SearchSpace.build(ctx.network, ctx.intent)
        scorer = Scorer(ctx, max_evals=self.max_evals)
        notes = list(space.notes)
        info: dict[str, Any] = {}
        plan, calls, failures = self._plan(ctx, space, notes, info)
        seed = int(np.random.default_rng([ctx.seed, ctx.round, 0x4B1D]).integers(2**31))
        budget = scorer.limit if scorer.limit is not None else self.max_evals
        fallback = default_plan(ctx.intent, space)
        reference = -math.inf
        try:
            if plan.source == "llm":
                # The default plan's two start points as a yardstick: if the model's plan cannot beat them by the
                # checkpoint, the evaluations left go to the default plan.
                scorer.tag = "default"
                for point in start_points(fallback):
                    evaluate_point(fallback, space, scorer, point)
                held = scorer.best_by_tag.get("default")
                reference = held.reward if held is not None else -math.inf
            scorer.tag = plan.source
            checkpoint = int(budget * self.give_up_share)

            def give_up() -> bool:
                mine = scorer.best_by_tag.get("llm")
                return plan.source == "llm" and scorer.used >= checkpoint and (
                    mine is None or mine.reward < reference)

            res = self.search(plan, space, scorer, seed=seed, give_up=give_up)
            notes.append(f"{plan.source} plan: {'; '.join(m.describe() for m in plan.moves) or 'nothing can move'}; "
                         f"{res.trials} trials")
            if plan.source == "llm" and give_up() and (scorer.left or 0) > 0:
                scorer.tag = "default"
                plan_searched = fallback
                res = self.search(fallback, space, scorer, seed=seed + 1)
                notes.append(f"the model's plan did not beat the default plan's start by evaluation {checkpoint}: "
                             f"default plan searched with the evaluations left ({res.trials} trials)")
                info["default_plan"] = fallback.to_dict()
                info["plan_source"] = "llm+default"
                info["gave_way"] = True
            else:
                plan_searched = plan
            self.finish(plan_searched, space, scorer, res, notes)
        except SearchStopped as e:
            notes.append(f"stopped: {e.limit}")
        best = scorer.best
        info["best_from"] = None if best is None else ("llm" if scorer.best_by_tag.get("llm") is best else "default")
        if plan.source == "llm" and best is not None and scorer.best_by_tag.get("llm") is not best:
            info["plan_source"] = "llm+default"  # the proposal came from the default plan's candidates
            info["default_plan"] = fallback.to_dict()
        return scorer.proposal(self.name, self.params, llm_calls=calls, llm_failures=failures, notes=notes,
                               info=info)

    def search(self, plan: Plan, space: SearchSpace, scorer: Scorer, *, seed: int,
               give_up: Callable[[], bool] | None = None) -> TuneResult:
        """TPE over the plan's parameters from its start points (`tune`), leaving the last ``polish_evals``
        evaluations for `finish` once there is a candidate to polish; also stops when ``give_up()`` says so. Raises
        `SearchStopped` when the scorer's evaluations run out."""
        budget = scorer.limit if scorer.limit is not None else self.max_evals

        def stop() -> bool:
            polish_time = scorer.best is not None and scorer.left is not None and scorer.left <= self.polish_evals
            return polish_time or (give_up is not None and give_up())

        edge = sleep_boundary(plan, space, scorer) if self.sleep_edge else []
        return tune(plan, space, scorer, seed=seed, max_trials=4 * budget, startup=self.startup_trials,
                    enqueue=[p for p in (plan.start, *start_points(plan), *edge) if p], give_up=stop)

    def finish(self, plan: Plan, space: SearchSpace, scorer: Scorer, res: TuneResult,
               notes: list[str] | None = None) -> None:
        """Greedy steps from the search's best point (`polish`), then, with ``swap_cells``, the 1-swap search of
        which cells sleep (`swap_sleepers`). Raises `SearchStopped` like `search`; ``scorer.best`` keeps the best."""
        polish(plan, space, scorer, res)
        if self.swap_cells:
            swaps = swap_sleepers(space, scorer)
            if swaps and notes is not None:
                notes.append(f"{swaps} sleeping cell(s) swapped for awake ones that save more")

    def _plan(self, ctx: OptimizeContext, space: SearchSpace, notes: list[str],
              info: dict[str, Any]) -> tuple[Plan, int, int]:
        """The model's plan, or the default one; records which in ``info``."""
        fallback = default_plan(ctx.intent, space)
        info["plan_source"] = "default"
        info["plan"] = fallback.to_dict()
        info["plan_outcome"] = "not_asked"  # see PLAN_OUTCOMES
        if ctx.model is None:
            notes.append("no model given: default plan")
            return fallback, 0, 0
        if not space.usable_knobs():
            notes.append("no knob can move now: nothing to plan")
            return fallback, 0, 0
        tuned = TASK in getattr(ctx.model, "tuned_for", ())
        msgs, prompts, examples = plan_messages(space, ctx.intent, n_examples=self.n_examples,
                                                feedback=feedback_text(ctx), tuned=tuned)
        if ctx.verdicts:
            prompts.append(load_prompt("optimizer_feedback"))
        call = ask(ctx.model, plan_schema(space, ctx.intent), msgs, ctx, max_attempts=self.max_attempts, prompts=prompts,
                   task=TASK)
        info["tuned"] = tuned
        info["prompts"] = {**call.prompts, **({examples.path.name: examples.sha256} if examples else {})}
        if call.failed:
            notes.append(f"the model gave no usable plan ({call.reason}): default plan")
            info["plan_outcome"] = "failed"
            return fallback, call.calls, 1
        answer = call.value.model_dump()
        info["llm_plan"] = answer
        plan, repairs = plan_from_answer(answer, space, ctx.intent, trust_counts=self.trust_counts)
        notes += [f"plan repair: {r}" for r in repairs]
        if not plan.moves:
            notes.append("nothing usable in the model's plan: default plan")
            info["plan_outcome"] = "unusable"
            return fallback, call.calls, 0
        info["plan_outcome"] = "repaired" if repairs else "as_is"
        info["plan_source"] = "llm"
        info["plan"] = plan.to_dict()
        return plan, call.calls, 0
