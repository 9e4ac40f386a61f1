"""`Scorer`: how a strategy spends simulator evaluations and decides what it may propose.

One per `Strategy.propose` call. It wraps the round's `Evaluator` with the round's limits (``ctx.max_evals`` and the
run budget: either ends the search with `SearchStopped`), the verifier's lessons, read as data from its `Verdict`s
(candidates it rejected are never proposed again; constraints it found short are tightened by the shortfall plus a
growing safety margin) and the rule for what is worth proposing: the verifier's own criterion (`judge.evidence`),
estimated on the optimizer's drops and projected to the verifier's number of drops — a feasible candidate whose
gain is significant and whose constraints clear their bounds with confidence. A search maximizes `value`: the reward
less the gain's uncertainty (its mean minus its lower confidence bound), so a robust gain beats a lucky one.

A new round does not start from scratch: the best candidates of earlier rounds and of the headroom look
(``ctx.incumbents``, also in the run evaluator's cache: free to re-score) are considered under this round's margins
and rejections first, and the best acceptable one is the round's starting best (`Scorer.recall`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from airloop.core import constraint_scale
from airloop.simulator import CellChange
from airloop.tools import ToolError

from ..evaluate import BudgetExhausted, Evaluation, changes_key
from ..judge import Evidence
from ._base import OptimizeContext, Proposal

#: Extra safety margin per verifier rejection, relative to a constraint's bound (0.5 % of 0.95 coverage = 0.00475).
MARGIN_STEP = 0.005
#: What a candidate that misses a tightened constraint (or was rejected before) loses in a search's objective.
MISS_PENALTY = 1.0

class SearchStopped(Exception):
    """The round's evaluations or the run's budget are spent; `limit` says which (``max_evals``, ``sim_evals``...)."""

    def __init__(self, limit: str) -> None:
        super().__init__(limit)
        self.limit = limit


@dataclass
class Margins:
    """Absolute safety margins per constraint (index into ``intent.constraints``) and why."""

    by_constraint: dict[int, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return any(m > 0 for m in self.by_constraint.values())


def shortfalls(ctx: OptimizeContext) -> dict[int, float]:
    """Constraint index -> the largest shortfall (to the verifier's margin-ed bound) any rejection reported for it."""
    out: dict[int, float] = {}
    for v in ctx.verdicts:
        for c in v.shortfalls:
            out[c.index] = max(out.get(c.index, 0.0), c.shortfall)
    return out


def margins_for(ctx: OptimizeContext) -> Margins:
    """Safety margins for this round, per constraint.

    Every constraint gets ``ctx.margin`` (the verifier's relative margin, when the graph passes it). A constraint the
    verifier reported short gets the largest shortfall it reported (measured to the verifier's margin-ed bound) plus
    `MARGIN_STEP` per rejection so far, on top. Rejections that report no constraint short add the per-rejection step
    to every constraint. (Re-scoring the rejected candidate to measure the optimizer's own bias was tried and
    dropped: with few users per hour the bias of one candidate is mostly noise, and the margin it gave was so large
    that nothing feasible was left.)
    """
    intent = ctx.intent
    out = Margins()
    n_rej = len(ctx.verdicts)
    short = shortfalls(ctx)
    base = float(ctx.margin or 0.0)
    for i, c in enumerate(intent.constraints):
        scale = constraint_scale(c)
        m = base * scale
        if i in short:
            m += short[i] + MARGIN_STEP * n_rej * scale
        elif n_rej and not short:
            m += MARGIN_STEP * n_rej * scale
        if m > 0:
            out.by_constraint[i] = m
            where = f" ({c.slice})" if c.slice else ""
            out.notes.append(f"aiming for {c.kpi}{where} {c.op} {c.value + (m if c.op == '>=' else -m):.4g} "
                             f"(margin {m:.3g})")
    return out


class Scorer:
    """Scores projected candidates for one strategy round and keeps the best one worth proposing."""

    def __init__(self, ctx: OptimizeContext, *, max_evals: int | None = None) -> None:
        self.ctx = ctx
        self.evaluator = ctx.evaluator
        limits = [x for x in (ctx.max_evals, max_evals) if x is not None]
        self.limit = min(limits) if limits else None
        self._start = ctx.evaluator.n_evals
        self.rejected = {changes_key(r) for r in ctx.rejected if r}
        self.seen: dict[str, Evaluation] = {}
        self._evidence: dict[str, Evidence] = {}
        self.margins = margins_for(ctx)
        self.best: Evaluation | None = None
        self.exhausted: str | None = None
        #: a label for the candidates scored from now on (e.g. which plan made them); `best_by_tag` keeps each's best
        self.tag = ""
        self.best_by_tag: dict[str, Evaluation] = {}
        self.recalled = self.recall()

    def recall(self) -> int:
        """Start from what this run already scored: the incumbents (free: cached) are considered under this round's
        margins and rejections; returns how many are acceptable."""
        n = 0
        for ev in self.ctx.incumbents:
            if not ev.changes:
                continue
            self.seen.setdefault(changes_key(ev.changes), ev)
            if self.acceptable(ev):
                n += 1
                if self.best is None or ev.reward > self.best.reward:
                    self.best = ev
        if self.best is not None:
            self.best_by_tag.setdefault("recalled", self.best)
        return n

    @property
    def used(self) -> int:
        """Simulator evaluations this round (cache hits are free)."""
        return self.evaluator.n_evals - self._start

    @property
    def left(self) -> int | None:
        return None if self.limit is None else max(0, self.limit - self.used)

    def evaluate(self, changes: Sequence[CellChange]) -> Evaluation | None:
        """Score a (projected) candidate. None for an empty or malformed one; raises `SearchStopped` when nothing is
        left to spend."""
        if not changes:
            return None
        key = changes_key(changes)
        ev = self.seen.get(key)
        if ev is None:
            if self.limit is not None and self.used >= self.limit:
                raise SearchStopped("max_evals")
            try:
                ev = self.evaluator.evaluate(changes)
            except BudgetExhausted as e:
                self.exhausted = e.limit
                raise SearchStopped(e.limit) from e
            except (ToolError, ValueError):
                return None
            self.seen[key] = ev
        if self.acceptable(ev):
            if self.best is None or ev.reward > self.best.reward:
                self.best = ev
            held = self.best_by_tag.get(self.tag)
            if held is None or ev.reward > held.reward:
                self.best_by_tag[self.tag] = ev
        return ev

    def note_llm_exhaustion(self, reason: str) -> None:
        """Record a budget limit an LLM call met (``budget_exhausted: llm_calls``) as what stopped the strategy."""
        if reason.startswith("budget_exhausted:") and self.exhausted is None:
            self.exhausted = reason.split(":", 1)[1].strip() or "llm_calls"

    def value(self, ev: Evaluation | None) -> float:
        """The number a search maximizes: the reward, less `MISS_PENALTY` when the candidate misses a tightened
        constraint or was rejected before (0 for the baseline, that is an empty candidate)."""
        if ev is None:
            return 0.0
        t = self.evidence(ev)
        r = ev.reward - max(0.0, t.gain_mean - t.gain_lcb)
        if ev.feasible and not self.meets(ev):
            r -= MISS_PENALTY
        if changes_key(ev.changes) in self.rejected:
            r -= MISS_PENALTY
        return r

    def evidence(self, ev: Evaluation) -> Evidence:
        """The verifier's test on this candidate, estimated on the optimizer's drops (cached per candidate)."""
        key = changes_key(ev.changes)
        held = self._evidence.get(key)
        if held is None:
            held = ev.assessment.evidence(alpha=self.ctx.alpha, min_gain=float(self.ctx.min_gain or 0.0),
                                          n_seeds=self.ctx.verify_seeds)
            self._evidence[key] = held
        return held

    def acceptable(self, ev: Evaluation) -> bool:
        """Worth proposing: feasible, inside the margins, not rejected before, better than the baseline, and passing
        the verifier's test as this round can predict it (a significant gain of at least ``ctx.min_gain``, every
        constraint clear of its bound with confidence; `evidence`)."""
        if not (ev.feasible and ev.changes and self.meets(ev)) or changes_key(ev.changes) in self.rejected:
            return False
        min_gain = float(self.ctx.min_gain or 0.0)
        if not (ev.reward > 0.0 and ev.gain >= min_gain):
            return False
        t = self.evidence(ev)
        # One drop and one hour give no spread to project: the verifier's own drops will have to tell.
        return t.passes or t.gain_se is None

    def meets(self, ev: Evaluation) -> bool:
        """Every constraint holds with this round's margin at its worst hour (the verifier checks every hour)."""
        checks = ev.assessment.constraints
        for i, m in self.margins.by_constraint.items():
            c = checks[i]
            if (c.op == ">=" and c.observed < c.bound + m) or (c.op == "<=" and c.observed > c.bound - m):
                return False
        return True

    def proposal(self, strategy: str, params: dict[str, Any], *, llm_calls: int = 0, llm_failures: int = 0,
                 notes: Sequence[str] = (), info: dict[str, Any] | None = None) -> Proposal:
        """The round's answer: the best acceptable candidate (or no changes), with what was spent."""
        best = self.best
        out_notes = list(notes) + self.margins.notes
        if best is None:
            out_notes.append("no feasible candidate beat the baseline: proposing no change")
        return Proposal(
            strategy=strategy, params=dict(params), changes=list(best.changes) if best else [], evaluation=best,
            sim_evals=self.used, llm_calls=llm_calls, llm_failures=llm_failures, exhausted=self.exhausted,
            notes=out_notes, info=dict(info or {}),
        )
