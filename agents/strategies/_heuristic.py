"""`heuristic`: the rules an engineer would write, one plan per objective, checked step by step with the evaluator.

It takes the objective's default plan (`default_plan`: sleep the lowest-load cells and trim power for energy, tilt and
power on the weakest cells for coverage, a CIO offload from loaded cells for throughput and fairness, a share shift
for a slice, downtilt for handovers) and sets the plan's parameters one move at a time:

1. a sleep move: binary search for the largest number of cells that can sleep with every constraint holding (for
   each of the move's rankings: most power saved, lowest load);
2. a numeric move: a small grid (all or half of the ranked cells; the full, half and quarter delta each way), keeping
   the best candidate that improves the reward;
3. a second pass that tries one to three more sleeps on top of what the other moves found (their compensation may
   make room), fewer sleeps with the other moves at their boldest (sleeps and power trims share the policy's cap on
   cells per apply), and a finer or a bolder delta for each numeric move.

Deterministic (no random numbers); no LLM.
"""

from __future__ import annotations

from functools import partial
from typing import ClassVar

from pydantic import BaseModel

from ._base import EvalCount, OptimizeContext, Proposal, Strategy, register_strategy
from ._plan import Plan, bisect_max, default_plan, evaluate_point, holds_at, start_points
from ._scoring import Scorer, SearchStopped
from ._space import SearchSpace


@register_strategy
class Heuristic(Strategy):
    name: ClassVar[str] = "heuristic"
    description: ClassVar[str] = "engineering rules per objective, each step checked by simulation (no LLM)"

    class Params(BaseModel, extra="forbid"):
        max_evals: EvalCount = 40

    # Set from `Params` by `Strategy.__init__`.
    max_evals: int

    def propose(self, ctx: OptimizeContext) -> Proposal:
        space = SearchSpace.build(ctx.network, ctx.intent)
        scorer = Scorer(ctx, max_evals=self.max_evals)
        plan = default_plan(ctx.intent, space)
        notes = [*space.notes, f"plan: {'; '.join(m.describe() for m in plan.moves) or 'nothing can move'}"]
        try:
            point = self._search(plan, space, scorer)
            notes.append(f"settled on {point}")
        except SearchStopped as e:
            notes.append(f"stopped early: {e.limit}")
        return scorer.proposal(self.name, self.params, notes=notes, info={"plan": plan.to_dict()})

    def _search(self, plan: Plan, space: SearchSpace, scorer: Scorer) -> dict[str, float]:
        point: dict[str, float] = {}
        best = 0.0

        def value(p: dict[str, float]) -> float:
            return evaluate_point(plan, space, scorer, p)

        for i, m in enumerate(plan.moves):
            n_key, d_key = f"m{i}_n", f"m{i}_d"
            if m.knob == "active":
                for r in ((0, 1) if m.alt_rank else (0,)):
                    base = {**point, f"m{i}_r": r} if m.alt_rank else dict(point)
                    k = bisect_max(partial(holds_at, plan, space, scorer, base, n_key), 0, m.max_cells)
                    if k > 0 and (v := value({**base, n_key: k})) > best:
                        point, best = {**base, n_key: k}, v
                continue
            grid = []
            for n in sorted({m.max_cells, max(1, m.max_cells // 2)}, reverse=True):
                for d in (m.low, m.low / 2, m.low / 4, m.high, m.high / 2, m.high / 4):
                    if abs(d) > 1e-9:
                        grid.append({**point, n_key: n, d_key: round(d, 2)})
            for p in grid:
                if (v := value(p)) > best:
                    point, best = p, v
        # Second pass: more sleeps on top of the other moves; a finer or a bolder delta for each numeric move.
        for i, m in enumerate(plan.moves):
            n_key, d_key = f"m{i}_n", f"m{i}_d"
            if m.knob == "active":
                k0 = int(point.get(n_key, 0))
                for k in range(k0 + 1, min(k0 + 3, m.max_cells) + 1):
                    v = value({**point, n_key: k})
                    if v <= best:
                        break
                    point, best = {**point, n_key: k}, v
                # Fewer sleeps leave room (max cells per apply) for the other moves at their boldest.
                k0 = int(point.get(n_key, 0))
                bold = {key: val for key, val in start_points(plan)[0].items() if key != n_key and key not in point}
                for k in sorted({k0 * 3 // 4, k0 // 2}, reverse=True):
                    if 0 < k < k0 and bold:
                        p = {**point, **bold, n_key: k}
                        if (v := value(p)) > best:
                            point, best = p, v
            elif d_key in point:
                d0 = point[d_key]
                for d in (d0 * 0.75, min(max(d0 * 1.25, m.low), m.high)):
                    p = {**point, d_key: round(d, 2)}
                    if (v := value(p)) > best:
                        point, best = p, v
        return point
