"""The optimizer's plug-in contract: a registry of strategies, each with a name and parameters.

inspect_ai's habit: a decorator registers the implementation and records its construction arguments, so every run
record names exactly which strategy ran with which parameters.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar

from airloop.simulator import CellChange
from airloop.tools import NetworkSession
from pydantic import BaseModel, Field

from ..evaluate import Evaluation, Evaluator
from ..intent import Intent
from ..models import Budget, ChatModel


@dataclass
class OptimizeContext:
    """What a strategy gets for one optimizer round."""

    intent: Intent
    session: NetworkSession  # read through it (cells, policy, config); never apply
    evaluator: Evaluator  # the only way to score a candidate; counts simulator evaluations against the budget
    budget: Budget
    model: ChatModel | None = None  # None for strategies without an LLM
    feedback: list[str] = field(default_factory=list)  # the verifier's reasons from earlier rounds
    rejected: list[list[CellChange]] = field(default_factory=list)  # candidates the verifier turned down
    round: int = 0
    seed: int = 0
    max_evals: int | None = None  # this round's share of simulator evaluations (None: until the budget ends)
    margin: float = 0.0  # the verifier's relative safety margin on constraints (reward.violations' `margin`): aim inside it
    min_gain: float = 1e-3  # the verifier's smallest normalized objective gain that counts (verifier.MIN_GAIN)


class Proposal(BaseModel):
    """A strategy's answer: the changes it proposes (possibly none), their score, and what it used."""

    strategy: str
    params: dict[str, Any] = Field(default_factory=dict)
    changes: list[CellChange] = Field(default_factory=list)
    evaluation: Evaluation | None = None
    sim_evals: int = 0
    llm_calls: int = 0
    llm_failures: int = 0
    exhausted: str | None = None  # which budget limit stopped it, if any
    notes: list[str] = Field(default_factory=list)
    info: dict[str, Any] = Field(default_factory=dict)  # strategy-specific facts for reports (e.g. hybrid's plan_source)


class Strategy(ABC):
    """Base class of every optimizer strategy. Subclasses set `name`, `uses_llm` and implement `propose`."""

    name: ClassVar[str]
    uses_llm: ClassVar[bool] = False
    description: ClassVar[str] = ""

    def __init__(self, **params: Any) -> None:
        self.params = dict(params)

    @abstractmethod
    def propose(self, ctx: OptimizeContext) -> Proposal:
        """Search for changes that raise the intent's reward; must respect `ctx.budget` and never raise for LLM
        trouble (a failed LLM call degrades to a numeric fallback or an empty proposal with a note)."""

    def spec(self) -> dict[str, Any]:
        return {"name": self.name, "params": self.params, "uses_llm": self.uses_llm}


_REGISTRY: dict[str, type[Strategy]] = {}


def register_strategy(cls: type[Strategy]) -> type[Strategy]:
    """Class decorator: register a strategy under its `name`."""
    if not getattr(cls, "name", None):
        raise TypeError(f"{cls.__name__} needs a class attribute `name`")
    _REGISTRY[cls.name] = cls
    return cls


def strategy_names() -> list[str]:
    return sorted(_REGISTRY)


def strategy_class(name: str) -> type[Strategy]:
    if name not in _REGISTRY:
        raise ValueError(f"unknown strategy {name!r}; choose one of {', '.join(strategy_names())}")
    return _REGISTRY[name]


def make_strategy(name: str, **params: Any) -> Strategy:
    """Build a registered strategy with its parameters (recorded in `Proposal.params` and the run record)."""
    return strategy_class(name)(**params)


StrategyFactory = Callable[..., Strategy]
