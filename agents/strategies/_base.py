"""The optimizer's plug-in contract: a registry of strategies, each with a name and parameters.

inspect_ai's habit: a decorator registers the implementation and records its construction arguments, so every run
record names exactly which strategy ran with which parameters.
"""

from __future__ import annotations

import difflib
import inspect
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Annotated, Any, ClassVar

from airloop.simulator import CellChange
from airloop.tools import NetworkView
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..evaluate import Evaluation, Evaluator
from ..intent import Intent
from ..judge import ALPHA
from ..models import Budget, ChatModel
from ..verifier import MIN_GAIN, VERIFIER_SEEDS, Verdict


@dataclass
class OptimizeContext:
    """What a strategy gets for one optimizer round.

    The network comes as a read-only `NetworkView` (read, simulate; no apply, no rollback): the graph's apply step,
    after the verifier, is the only writer. Earlier rounds' rejections come as the verifier's `Verdict`s, data the
    strategy reads (shortfalls per constraint and hour, the gain it missed), rendered to text only for prompts.
    """

    intent: Intent
    network: NetworkView
    evaluator: Evaluator  # the only way to score a candidate; counts simulator evaluations against the budget
    budget: Budget
    model: ChatModel | None = None  # None for strategies without an LLM
    verdicts: list[Verdict] = field(default_factory=list)  # the verifier's rejections in earlier rounds, oldest first
    round: int = 0
    seed: int = 0
    max_evals: int | None = None  # this round's share of simulator evaluations (None: until the budget ends)
    margin: float = 0.0  # the verifier's relative safety margin on constraints: aim inside it
    min_gain: float = MIN_GAIN  # the verifier's smallest normalized objective gain that counts
    alpha: float = ALPHA  # the level of the verifier's one-sided tests (`judge.evidence`)
    verify_seeds: int = len(VERIFIER_SEEDS)  # how many fresh drops the verifier will judge on
    #: the best candidates this run scored before this round (the headroom look, earlier rounds), best first: where
    #: the round starts (`Scorer.recall`). The graph keeps them in its checkpointed state, so a resumed run starts
    #: from the same ones.
    incumbents: list[Evaluation] = field(default_factory=list)

    @property
    def rejected(self) -> list[list[CellChange]]:
        """The candidates the verifier turned down (never propose them again)."""
        return [v.changes for v in self.verdicts if v.changes]


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


class StrategyParamError(ValueError):
    """A strategy was given a parameter it does not declare, or a value outside what it allows.

    ``field``, ``value``, ``allowed`` and ``suggestion`` describe the first problem; ``problems`` lists them all. The
    message names the strategy, the field, the value, the allowed names or range, and the close match if there is one.
    """

    code = "invalid_strategy_param"

    def __init__(self, strategy: str, problems: list[dict[str, Any]]) -> None:
        self.strategy = strategy
        self.problems = problems
        first = problems[0]
        self.field: str = first["field"]
        self.value: Any = first["value"]
        self.allowed: Any = first["allowed"]
        self.suggestion: str | None = first.get("suggestion")
        super().__init__(f"strategy {strategy!r}: " + "; ".join(p["message"] for p in problems))

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": str(self), "strategy": self.strategy, "field": self.field,
                "value": self.value if isinstance(self.value, str | int | float | bool | None) else repr(self.value),
                "allowed": self.allowed, "suggestion": self.suggestion}


class NoParams(BaseModel):
    """The parameters of a strategy that takes none."""

    model_config = ConfigDict(extra="forbid")


#: A number of simulator evaluations a strategy may spend (one bound for every strategy's ``max_evals``/``n_trials``).
EvalCount = Annotated[int, Field(ge=1, le=100_000)]


def describe_params(params: type[BaseModel]) -> dict[str, str]:
    """Field name -> what it allows and its default, in words (``integer in [1, 100000], default 60``)."""
    props = params.model_json_schema().get("properties", {})
    out: dict[str, str] = {}
    for name, f in params.model_fields.items():
        out[name] = f"{_allowed_text(props.get(name, {}))}, default {f.get_default(call_default_factory=True)!r}"
    return out


def _allowed_text(schema: dict[str, Any]) -> str:
    if "anyOf" in schema:
        return " or ".join(_allowed_text(s) for s in schema["anyOf"])
    if "enum" in schema:
        return "one of " + ", ".join(repr(v) for v in schema["enum"])
    if "const" in schema:
        return repr(schema["const"])
    kind = {"integer": "integer", "number": "number", "boolean": "true or false", "string": "text",
            "null": "null"}.get(schema.get("type", ""), schema.get("type", "any value"))
    lo = schema.get("minimum", schema.get("exclusiveMinimum"))
    hi = schema.get("maximum", schema.get("exclusiveMaximum"))
    if lo is not None and hi is not None:
        return f"{kind} in {'(' if 'exclusiveMinimum' in schema else '['}{lo:g}, {hi:g}" \
               f"{')' if 'exclusiveMaximum' in schema else ']'}"
    if lo is not None:
        return f"{kind} {'>' if 'exclusiveMinimum' in schema else '>='} {lo:g}"
    if hi is not None:
        return f"{kind} {'<' if 'exclusiveMaximum' in schema else '<='} {hi:g}"
    return str(kind)


def validate_params(cls: type[Strategy], params: dict[str, Any]) -> BaseModel:
    """`cls.Params` validated from `params`; raises `StrategyParamError` naming every bad field."""
    try:
        return cls.Params.model_validate(params)
    except ValidationError as e:
        allowed = describe_params(cls.Params)
        names = list(cls.Params.model_fields)
        problems = []
        for err in e.errors():
            field = str(err["loc"][0]) if err["loc"] else "?"
            value = err.get("input") if err["loc"] else params
            if err["type"] == "extra_forbidden":
                close = difflib.get_close_matches(field, names, n=1, cutoff=0.6)
                msg = f"unknown parameter {field!r} (given {value!r})"
                if close:
                    msg += f"; did you mean {close[0]}?"
                msg += f" Its parameters: {', '.join(names) if names else 'none'}"
                problems.append({"field": field, "value": value, "allowed": names, "message": msg,
                                 "suggestion": close[0] if close else None})
            else:
                problems.append({"field": field, "value": value, "allowed": allowed.get(field),
                                 "message": f"{field}={value!r} is invalid ({err['msg']}); allowed: "
                                            f"{allowed.get(field, 'see the strategy’s Params')}"})
        raise StrategyParamError(cls.name, problems) from None


class Strategy(ABC):
    """Base class of every optimizer strategy. Subclasses set `name`, `uses_llm`, declare their parameters in
    `Params` and implement `propose`.

    `Params` is a pydantic model with ``extra="forbid"`` and a default for every field; the constructor validates its
    keyword arguments against it (`StrategyParamError` on an unknown name or a value out of range), keeps the full
    validated parameters in ``self.params`` (what `spec` and every `Proposal` record) and sets each as an attribute
    (``self.max_evals``).
    """

    name: ClassVar[str]
    uses_llm: ClassVar[bool] = False
    #: Same seed and same model answers -> same proposal (`airloop.testing.check_strategy` holds a strategy to it).
    deterministic: ClassVar[bool] = True
    description: ClassVar[str] = ""
    Params: ClassVar[type[BaseModel]] = NoParams

    def __init__(self, **params: Any) -> None:
        self.config = validate_params(type(self), params)
        self.params: dict[str, Any] = self.config.model_dump(mode="json")
        for key in type(self).Params.model_fields:
            setattr(self, key, getattr(self.config, key))

    @abstractmethod
    def propose(self, ctx: OptimizeContext) -> Proposal:
        """Search for changes that raise the intent's reward; must respect `ctx.budget` and never raise for LLM
        trouble (a failed LLM call degrades to a numeric fallback or an empty proposal with a note)."""

    def spec(self) -> dict[str, Any]:
        """What a run record says ran: the name and every parameter, defaults included."""
        return {"name": self.name, "params": dict(self.params), "uses_llm": self.uses_llm}


_REGISTRY: dict[str, type[Strategy]] = {}


def check_declaration(cls: type[Strategy]) -> None:
    """Raise `TypeError` if `cls` does not declare its parameters the way the registry needs (run at registration)."""
    if not getattr(cls, "name", None):
        raise TypeError(f"{cls.__name__} needs a class attribute `name`")
    params = getattr(cls, "Params", None)
    if not (isinstance(params, type) and issubclass(params, BaseModel)):
        raise TypeError(f"strategy {cls.name!r}: `Params` must be a pydantic model (class Params(BaseModel, "
                        "extra='forbid'))")
    if params.model_config.get("extra") != "forbid":
        raise TypeError(f"strategy {cls.name!r}: declare `class Params(BaseModel, extra='forbid')` so that an unknown "
                        "parameter is refused, not ignored")
    required = [k for k, f in params.model_fields.items() if f.is_required()]
    if required:
        raise TypeError(f"strategy {cls.name!r}: every parameter needs a default (make_strategy(name) must work); "
                        f"no default for {', '.join(required)}")
    taken = [k for k in params.model_fields if k in ("name", "config", "params") or hasattr(Strategy, k)]
    if taken:
        raise TypeError(f"strategy {cls.name!r}: parameter name(s) {', '.join(taken)} clash with Strategy attributes")
    undeclared = [p.name for p in inspect.signature(cls.__init__).parameters.values()
                  if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY) and p.name != "self"
                  and p.name not in params.model_fields]
    if undeclared:
        raise TypeError(f"strategy {cls.name!r}: __init__ takes {', '.join(undeclared)} but `Params` does not "
                        "declare it; declare every parameter in `Params` (the base __init__ validates and sets them)")


def register_strategy(cls: type[Strategy]) -> type[Strategy]:
    """Class decorator: register a strategy under its `name`, after checking how it declares its parameters."""
    check_declaration(cls)
    _REGISTRY[cls.name] = cls
    return cls


def strategy_names() -> list[str]:
    return sorted(_REGISTRY)


def strategy_class(name: str) -> type[Strategy]:
    if name not in _REGISTRY:
        close = difflib.get_close_matches(name, list(_REGISTRY), n=1, cutoff=0.6)
        hint = f" (did you mean {close[0]}?)" if close else ""
        raise ValueError(f"unknown strategy {name!r}{hint}; choose one of {', '.join(strategy_names())}")
    return _REGISTRY[name]


def make_strategy(name: str, **params: Any) -> Strategy:
    """Build a registered strategy with its parameters, validated against its `Params` (`StrategyParamError` names
    the bad field, the allowed values and the close match). The full parameters go to `spec()` and every proposal."""
    return strategy_class(name)(**params)


StrategyFactory = Callable[..., Strategy]
