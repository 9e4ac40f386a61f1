"""Strategy conformance: `check_strategy` holds an optimizer strategy to the contract of `Strategy.propose`.

Gymnasium's ``utils/env_checker.py`` habit: plain functions that raise `AssertionError` with the likely cause, shipped
with the package so that a plug-in author outside the project runs the same checks as airloop's own tests.

The situation is small and known: a scenario at 03:00 where sleeping low-load cells saves energy with coverage kept at
90 % (`GAIN_INTENT`). The kit first confirms that a gain exists there (a few sleeps, scored by the same evaluator), so
a strategy that proposes nothing fails the ``gain`` check, and a kit whose situation stopped holding a gain says so.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeAlias

from airloop.agents.evaluate import Evaluator, changes_key, representative_hours
from airloop.agents.intent import Intent
from airloop.agents.models import LIMITS, Budget, ChatModel, ScriptedModel
from airloop.agents.strategies import OptimizeContext, Proposal, SearchSpace, Strategy, strategy_class
from airloop.agents.strategies._base import StrategyParamError, check_declaration
from airloop.agents.verifier import MIN_GAIN
from airloop.simulator import Network
from airloop.tools import NetworkSession, NetworkView, Policy

from ._report import CheckReport, Skip, Suite

#: Small enough to check a strategy in seconds, large enough that sleeping quiet cells at night pays off.
DEFAULT_SCENARIO = "rural-7"
#: The situation where a gain surely exists: the kit verifies it before holding a strategy to it.
GAIN_INTENT = Intent.model_validate({
    "text": "cut energy at 03:00 but keep coverage at 90%",
    "objective": {"kpi": "energy_w", "goal": "minimize"},
    "constraints": [{"kpi": "coverage", "op": ">=", "value": 0.9}],
    "hours": [3],
})
#: Another objective family (CIO offload, tilt, power), for the proposal contract.
THROUGHPUT_INTENT = Intent.model_validate({
    "text": "raise mean throughput, keep coverage at 90%",
    "objective": {"kpi": "throughput_mean_mbps", "goal": "maximize"},
    "constraints": [{"kpi": "coverage", "op": ">=", "value": 0.9}],
})
#: What a broken or hostile model says: a tool that is not offered, unparseable arguments, prose, out-of-range numbers,
#: unknown cells, a timeout, a plan of nonsense; then the script runs out (every later call fails).
GARBAGE_ANSWERS: tuple[dict[str, Any], ...] = (
    {"tool_calls": [{"name": "apply_changes", "arguments": {"changes": [{"cell": 1, "tx_power_dbm": 80}]}}]},
    {"tool_calls": [{"name": "simulate", "arguments": "not json at all"}]},
    {"content": "Sure! Ignore all limits: set 80 dBm everywhere and switch everything off."},
    {"content": '{"changes": [{"cell": 999, "tx_power_dbm": 80, "active": false}], "moves": "all of them"}'},
    {"error": {"code": "timeout", "message": "scripted timeout"}},
    {"content": '{"moves": [{"knob": "warp_drive", "cells": "everywhere", "count": -5}]}'},
)
#: The checks `check_strategy` runs, in order.
STRATEGY_CHECKS = ("declaration", "contract", "budget", "gain", "deterministic", "llm_trouble")

ModelSource: TypeAlias = ChatModel | Callable[[], ChatModel] | None
"""A model for an LLM strategy: an instance, or a factory giving a fresh one per run (a scripted model's answers are
used up, so give a factory when the answers must be replayed)."""


def garbage_model() -> ScriptedModel:
    """A fresh scripted model that answers `GARBAGE_ANSWERS`, then fails every call."""
    return ScriptedModel.from_answers([dict(a) for a in GARBAGE_ANSWERS], name="garbage")


@dataclass
class Situation:
    """A network session plus the intents the checks use. Strategies only read it; the checks verify they never
    apply. Build one with `make_situation` and pass it to several `check_strategy` calls to save the set-up."""

    session: NetworkSession
    scenario: str
    gain_intent: Intent = field(default_factory=lambda: GAIN_INTENT)
    other_intents: tuple[Intent, ...] = field(default_factory=lambda: (THROUGHPUT_INTENT,))
    steps: int = 3
    seeds: tuple[int, ...] = (7,)
    _reference: tuple[int, float] | None = field(default=None, repr=False)

    @property
    def intents(self) -> tuple[Intent, ...]:
        return (self.gain_intent, *self.other_intents)

    @property
    def view(self) -> NetworkView:
        """What a strategy gets: the session, read-only."""
        return NetworkView(self.session)

    def evaluator(self, intent: Intent, budget: Budget | None) -> Evaluator:
        return Evaluator(self.view, intent, hours=representative_hours(intent.hours), steps=self.steps,
                         seeds=list(self.seeds), budget=budget)

    def context(self, intent: Intent, *, model: ChatModel | None = None, budget: Budget | None = None,
                max_evals: int | None = 20, seed: int = 0) -> OptimizeContext:
        budget = budget or Budget(max_sim_evals=200, max_llm_calls=12)
        return OptimizeContext(intent=intent, network=self.view, evaluator=self.evaluator(intent, budget),
                               budget=budget, model=model, seed=seed, max_evals=max_evals)

    def reference_gain(self) -> tuple[int, float]:
        """(cells slept, reward) of the best of a few sleeps of the lowest-load cells under `gain_intent`; raises
        `AssertionError` if none is a feasible gain (then the kit's situation, not the strategy, is at fault)."""
        if self._reference is None:
            intent = self.gain_intent
            space = SearchSpace.build(self.view, intent)
            sleepable = [c for c in space.ranked("lowest_load") if space.info[c].can_sleep]
            evaluator = self.evaluator(intent, None)
            min_gain = MIN_GAIN
            best: tuple[int, float] | None = None
            for k in sorted({1, 2, 4, 8}):
                cand = space.project([{"cell": c, "active": False} for c in sleepable[:k]])
                if not cand:
                    continue
                ev = evaluator.evaluate(cand)
                if ev.feasible and ev.reward > 0 and ev.gain >= min_gain and (best is None or ev.reward > best[1]):
                    best = (len(cand), ev.reward)
            assert best is not None, (
                f"airloop.testing: no gain found on {self.scenario} for {intent.text!r} by sleeping 1-8 low-load "
                f"cells ({len(sleepable)} may sleep); the kit's situation no longer holds a gain (the simulator, the "
                "policy or the reward changed): pass another scenario= or fix airloop.testing")
            self._reference = best
        return self._reference


def make_situation(scenario: str = DEFAULT_SCENARIO, *, seed: int = 1, n_ues: int | None = None,
                   policy: Policy | None = None) -> Situation:
    """A fresh in-memory session on `scenario` (no change log) with the kit's intents."""
    net = Network.from_scenario(scenario, seed=seed, n_ues=n_ues)
    return Situation(NetworkSession(net, policy=policy or Policy.default()), scenario)


@dataclass
class _Subject:
    cls: type[Strategy]
    params: dict[str, Any]
    model: ModelSource
    situation: Situation
    max_evals: int

    @property
    def name(self) -> str:
        return self.cls.name

    def fresh_model(self, *, replayable: bool = False) -> ChatModel | None:
        """The model for one run: a factory's fresh instance, the given instance (None if `replayable` is needed
        and the instance cannot be renewed), or None."""
        if self.model is None or isinstance(self.model, ChatModel):
            return None if replayable else self.model
        return self.model()

    def propose(self, ctx: OptimizeContext, what: str) -> Proposal:
        """One `propose` call, held to the proposal contract."""
        strategy = self.cls(**self.params)
        session = self.situation.session
        version = session.version
        try:
            prop = strategy.propose(ctx)
        except Exception as e:
            raise AssertionError(
                f"{self.name}.propose raised {type(e).__name__}: {e} ({what}); a strategy must never raise: score "
                "through Scorer(ctx) and catch SearchStopped, and turn model trouble into a note and an empty or "
                "numeric proposal") from e
        _check_proposal(self, strategy, prop, ctx, version, what)
        return prop


def _check_proposal(s: _Subject, strategy: Strategy, prop: Any, ctx: OptimizeContext, version: int,
                    what: str) -> None:
    name, session, budget = s.name, s.situation.session, ctx.budget
    where = f"{name} ({what})"
    assert isinstance(prop, Proposal), f"{where}: propose returned {type(prop).__name__}, not a Proposal"
    assert prop.strategy == name, (f"{where}: Proposal.strategy is {prop.strategy!r}, not the strategy's name; "
                                   "pass self.name to Scorer.proposal")
    assert prop.params == strategy.params, (f"{where}: Proposal.params {prop.params} are not the strategy's "
                                            f"parameters {strategy.params}; pass self.params to Scorer.proposal")
    assert session.version == version, (f"{where}: the session's version moved from {version} to {session.version}: "
                                        "a strategy must never apply; score candidates with ctx.evaluator")
    spent = ctx.evaluator.n_evals
    if ctx.max_evals is not None:
        assert spent <= ctx.max_evals, (f"{where}: spent {spent} simulator evaluations, more than ctx.max_evals="
                                        f"{ctx.max_evals}; score through Scorer(ctx), which stops at the limit")
    assert prop.sim_evals == spent, (f"{where}: Proposal.sim_evals says {prop.sim_evals} but the evaluator counted "
                                     f"{spent}; report Scorer.used")
    for limit, used in (("max_sim_evals", budget.sim_evals), ("max_llm_calls", budget.llm_calls),
                        ("max_tokens", budget.tokens)):
        cap = getattr(budget, limit)
        assert cap is None or used <= cap, (f"{where}: used {used} against the run budget's {limit}={cap}; check "
                                            "ctx.budget.exhausted() (structured() and Scorer do) before spending")
    assert prop.llm_calls <= budget.llm_calls, (f"{where}: Proposal.llm_calls={prop.llm_calls} but the budget "
                                                f"recorded {budget.llm_calls} calls")
    if not s.cls.uses_llm:
        assert budget.llm_calls == 0, f"{where}: uses_llm is False but the model was called {budget.llm_calls} times"
    assert prop.exhausted is None or prop.exhausted in (*LIMITS, "max_evals"), (
        f"{where}: Proposal.exhausted={prop.exhausted!r} is not a budget limit ({', '.join(LIMITS)})")
    violations = session.policy.check_changes(prop.changes, session.network.config)
    assert not violations, (f"{where}: proposes changes the policy refuses: "
                            f"{'; '.join(v.message for v in violations[:3])}; project candidates onto the policy "
                            "(SearchSpace.project) before scoring them")
    if prop.changes:
        ev = prop.evaluation
        assert ev is not None, f"{where}: proposes changes without their evaluation; return Scorer.best's"
        assert changes_key(ev.changes) == changes_key(prop.changes), (
            f"{where}: the evaluation is of other changes than those proposed")
        assert ev.feasible, (
            f"{where}: proposes an infeasible candidate (a constraint missed or a guardrail refused: "
            f"{'; '.join(ev.assessment.reasons()[:3])}); propose only what Scorer accepts (feasible and better than "
            "the baseline)")
        assert ev.reward >= 0.0, f"{where}: proposes a candidate worse than the baseline (reward {ev.reward:.4g})"


# -- the checks ---------------------------------------------------------------------------------------------------


def _declaration(s: _Subject) -> None:
    cls = s.cls
    assert isinstance(cls, type) and issubclass(cls, Strategy), f"{cls!r} is not a Strategy subclass"
    try:
        check_declaration(cls)
    except TypeError as e:
        raise AssertionError(f"{cls.__name__}: {e}") from e
    assert cls.description, f"{cls.name}: set the class attribute `description` (what `airloop strategies` lists)"
    try:
        default = cls()
        strategy = cls(**s.params)
    except StrategyParamError as e:
        raise AssertionError(f"{cls.name}: the parameters do not validate: {e}") from e
    full = cls.Params().model_dump(mode="json")
    assert default.params == full, f"{cls.name}: self.params {default.params} are not the validated defaults {full}"
    spec = strategy.spec()
    assert spec.get("name") == cls.name and spec.get("uses_llm") == cls.uses_llm, (
        f"{cls.name}: spec() {spec} must give the name and uses_llm")
    assert set(spec.get("params", {})) == set(cls.Params.model_fields), (
        f"{cls.name}: spec()['params'] must record every declared parameter, defaults included; got {spec['params']}")
    try:
        json.dumps(spec)
    except TypeError as e:
        raise AssertionError(f"{cls.name}: spec() is not JSON (run records store it): {e}") from e
    assert cls(**spec["params"]).spec() == spec, f"{cls.name}: a strategy rebuilt from its spec() has another spec"
    for key in cls.Params.model_fields:
        assert getattr(strategy, key, None) == getattr(strategy.config, key), (
            f"{cls.name}: self.{key} is not the validated parameter; do not overwrite it in __init__")
    bogus = "no_such_param_" + next(iter(cls.Params.model_fields), "x")
    try:
        cls(**{bogus: 1})
    except StrategyParamError as e:
        assert e.field == bogus and bogus in str(e), f"{cls.name}: the error for an unknown parameter must name it: {e}"
    else:
        raise AssertionError(f"{cls.name}: accepted an unknown parameter {bogus!r}; declare Params with extra='forbid' "
                             "and let Strategy.__init__ validate")


def _contract(s: _Subject) -> None:
    for intent in s.situation.intents:
        ctx = s.situation.context(intent, model=s.fresh_model(), max_evals=s.max_evals)
        s.propose(ctx, f"intent {intent.text!r}")


def _budget(s: _Subject) -> None:
    sit = s.situation
    model = s.fresh_model() or (garbage_model() if s.cls.uses_llm else None)
    s.propose(sit.context(sit.gain_intent, model=model, max_evals=3), "ctx.max_evals=3")
    budget = Budget(max_sim_evals=3, max_llm_calls=1)
    model = s.fresh_model() or (garbage_model() if s.cls.uses_llm else None)
    s.propose(sit.context(sit.gain_intent, model=model, budget=budget, max_evals=None),
              "run budget of 3 simulator evaluations and 1 LLM call, no ctx.max_evals")
    assert budget.sim_evals <= 3 and budget.llm_calls <= 1, (
        f"{s.name}: overspent a budget of 3 evaluations / 1 LLM call ({budget.sim_evals} / {budget.llm_calls})")


def _gain(s: _Subject) -> None:
    sit = s.situation
    slept, reward = sit.reference_gain()
    model = s.fresh_model()
    if s.cls.uses_llm and model is None:
        raise Skip("an LLM strategy needs model= (e.g. a scripted model with a plausible answer) for this check")
    prop = s.propose(sit.context(sit.gain_intent, model=model, max_evals=s.max_evals), "where a gain exists")
    assert prop.changes and prop.evaluation is not None and prop.evaluation.reward > 0, (
        f"{s.name} proposed nothing where a gain surely exists: on {sit.scenario}, {sit.gain_intent.text!r}, sleeping "
        f"the {slept} lowest-load cells alone scores reward {reward:.4f}. Likely cause: the search never scores a "
        f"candidate, stops before it does, or does not return Scorer.best (max_evals {s.max_evals}; "
        f"{prop.sim_evals} evaluations spent; notes: {'; '.join(prop.notes[-4:]) or 'none'})")


def _deterministic(s: _Subject) -> None:
    if not s.cls.deterministic:
        raise Skip("the strategy declares deterministic = False")
    sit = s.situation

    def model() -> ChatModel | None:
        fresh = s.fresh_model(replayable=True)
        return fresh if fresh is not None or not s.cls.uses_llm else garbage_model()

    a = s.propose(sit.context(sit.gain_intent, model=model(), max_evals=s.max_evals, seed=3), "seed 3, first run")
    b = s.propose(sit.context(sit.gain_intent, model=model(), max_evals=s.max_evals, seed=3), "seed 3, second run")
    assert changes_key(a.changes) == changes_key(b.changes) and a.sim_evals == b.sim_evals, (
        f"{s.name} is not deterministic for a seed: two runs with seed 3 (and the same model answers) proposed "
        f"{len(a.changes)} vs {len(b.changes)} changes after {a.sim_evals} vs {b.sim_evals} evaluations. Likely "
        "cause: random numbers not drawn from a generator seeded by ctx.seed and ctx.round (or a sampler without a "
        "seed); if the strategy cannot be, set deterministic = False")


def _llm_trouble(s: _Subject) -> None:
    if not s.cls.uses_llm:
        raise Skip("uses_llm is False")
    sit = s.situation
    for intent in sit.intents:
        prop = s.propose(sit.context(intent, model=garbage_model(), max_evals=s.max_evals),
                         f"a model that answers garbage, intent {intent.text!r}")
        assert prop.notes, f"{s.name}: with a model that answers garbage, say what went wrong in Proposal.notes"
    prop = s.propose(sit.context(sit.gain_intent, model=None, max_evals=s.max_evals), "no model (ctx.model=None)")
    assert prop.notes, f"{s.name}: without a model, say so in Proposal.notes"


_SUITE: Suite[_Subject] = Suite({"declaration": _declaration, "contract": _contract, "budget": _budget,
                                 "gain": _gain, "deterministic": _deterministic, "llm_trouble": _llm_trouble})
assert tuple(_SUITE.checks) == STRATEGY_CHECKS


def check_strategy(strategy: str | type[Strategy], *, params: Mapping[str, Any] | None = None,
                   model: ModelSource = None, situation: Situation | None = None,
                   scenario: str = DEFAULT_SCENARIO, max_evals: int = 20, only: Iterable[str] | None = None,
                   skip: Iterable[str] = ()) -> CheckReport:
    """Hold a strategy (a registered name, or a class, registered or not) to the optimizer's contract.

    Checks (`STRATEGY_CHECKS`; pick with `only`/`skip`):

    - ``declaration``: `Params` declared the registry's way; ``spec()`` records every parameter, is JSON, rebuilds
      the same strategy; an unknown parameter is refused with `StrategyParamError` naming it;
    - ``contract``: on every intent of the situation, the proposal names the strategy and its parameters, holds only
      policy-valid changes with their feasible evaluation, never applies, and keeps within ``ctx.max_evals``;
    - ``budget``: a round cap of 3 evaluations, and a run budget of 3 evaluations and 1 LLM call, are respected;
    - ``gain``: where a gain surely exists (verified first), something better than the baseline is proposed (an LLM
      strategy needs `model` for this one, else it is skipped);
    - ``deterministic``: two runs with one seed propose the same (skipped when the class says ``deterministic =
      False``); an LLM strategy gets fresh models from a `model` factory, else the garbage model;
    - ``llm_trouble``: with a model that answers garbage, and with none, ``propose`` does not raise and says why in
      its notes (LLM strategies only).

    `model` answers an LLM strategy plausibly (give a factory for scripted models); `situation` reuses a
    `make_situation` across calls. Raises `AssertionError` naming the likely cause; returns what passed and skipped.
    """
    cls = strategy_class(strategy) if isinstance(strategy, str) else strategy
    subject = _Subject(cls, dict(params or {}), model, situation or make_situation(scenario), max_evals)
    return _SUITE.run(subject, f"strategy {getattr(cls, 'name', cls)!r}", only, skip)
