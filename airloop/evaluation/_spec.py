"""The evaluation file (`airloop eval EVAL.yaml`): one pydantic model, validated before anything runs.

A malformed file raises `EvalSpecError` whose message names the file, the line (from the YAML node marks) and the
field, e.g. ``eval.yaml:7: arms.1.strategy: unknown strategy 'hybird' (did you mean hybrid?)``.

    name: night-energy
    scenarios: [urban-macro-19, dense-urban-hetnet]
    seeds: [0]                       # network seeds: every arm sees the same seeded scenarios (the pairing unit)
    intents: {split: test, limit: 4} # from benchmarks/intents/intents.jsonl, rows with a gold intent (or a list of
                                     # such selections, e.g. another file's intents beside the test split)
    modes: [opt]                     # opt: the gold intent is given; e2e: the planner reads the text
    strategies: [heuristic, random]  # shorthand: one arm per strategy x prompt set
    prompts: [shipped]               # the prompt set each arm runs with (a directory, later)
    arms:                            # or explicit arms, with parameters
      - {name: random-20, strategy: random, params: {max_evals: 20}}
    reference: heuristic             # comparisons: every arm against this one (within a mode)
    budget: {sim_evals: 60}
    oracle: {trials: 2000}
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ..yamlfile import yaml_line

__all__ = ["ArmSpec", "EvalSpec", "EvalSpecError", "load_spec", "SHIPPED_PROMPTS"]

Mode = Literal["e2e", "opt"]
SHIPPED_PROMPTS = "shipped"
#: benchmarks/agent.py's per-run limits: 60 simulator evaluations, room for the LLM strategies.
DEFAULT_EVAL_BUDGET = {"sim_evals": 60, "llm_calls": 20, "tokens": 60_000, "wall_s": 600.0}


class EvalSpecError(ValueError):
    """A malformed evaluation file or flag: the message names the file, line and field; nothing has run."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class IntentSelection(_Strict):
    file: str = "benchmarks/intents/intents.jsonl"
    split: Literal["test", "dev", "all"] = "test"
    limit: int | None = Field(default=None, ge=1, description="this many intents by a fixed stride over the file")
    ids: list[str] | None = Field(default=None, description="exactly these intent ids (overrides split and limit)")


def check_prompt_set(v: str) -> str:
    if v != SHIPPED_PROMPTS:
        raise ValueError(f"prompt set {v!r}: only 'shipped' (the package's prompt files, identified by their sha256) "
                         "is supported yet; prompt-set directories come with prompt evolution")
    return v


class ArmSpec(_Strict):
    """One treatment: a strategy with its parameters, run with a prompt set (and a model, for LLM strategies)."""

    name: str | None = None
    strategy: str
    params: dict[str, Any] = Field(default_factory=dict)
    prompts: str = Field(default=SHIPPED_PROMPTS, description="'shipped' (the package's prompt files) or, later, a "
                                                               "prompt-set directory")
    model: str | None = Field(default=None, description="overrides the eval's model for this arm")

    @field_validator("strategy")
    @classmethod
    def _known_strategy(cls, v: str) -> str:
        from airloop.agents.strategies import strategy_class

        strategy_class(v)  # ValueError naming the choices (and the closest one)
        return v

    @field_validator("prompts")
    @classmethod
    def _prompt_set(cls, v: str) -> str:
        return check_prompt_set(v)

    @field_validator("model")
    @classmethod
    def _known_model(cls, v: str | None) -> str | None:
        return v if v is None else _model_spec(v)

    def label(self) -> str:
        base = self.name or self.strategy
        return base if self.prompts == SHIPPED_PROMPTS or self.name else f"{base}@{Path(self.prompts).name}"


def _model_spec(v: str) -> str:
    from airloop.agents.models import ModelError, check_spec

    try:
        return check_spec(v)
    except ModelError as e:
        raise ValueError(str(e)) from None


class BudgetSpec(_Strict):
    sim_evals: int = Field(default=int(DEFAULT_EVAL_BUDGET["sim_evals"]), ge=1)
    llm_calls: int = Field(default=int(DEFAULT_EVAL_BUDGET["llm_calls"]), ge=0)
    tokens: int = Field(default=int(DEFAULT_EVAL_BUDGET["tokens"]), ge=0)
    wall_s: float = Field(default=DEFAULT_EVAL_BUDGET["wall_s"], gt=0)


class OracleSpec(_Strict):
    dir: str = "benchmarks/oracle"
    trials: int = Field(default=2000, ge=1, description="only oracle entries computed at this many trials count")
    allow_stale: bool = Field(default=True, description="use entries computed by other code (flagged in the "
                                                         "summary); false: treat them as missing")


class StatsSpec(_Strict):
    confidence: float = Field(default=0.95, gt=0, lt=1)
    resamples: int = Field(default=9999, ge=100)
    ci: Literal["percentile", "bca"] = "percentile"
    permutations: int = Field(default=9999, ge=100)
    seed: int = 0


def _optimizer_only() -> list[Mode]:
    return ["opt"]


class EvalSpec(_Strict):
    name: str = "eval"
    scenarios: list[str] = Field(default_factory=lambda: ["urban-macro-19"], min_length=1)
    n_ues: int | None = Field(default=None, ge=1)
    seeds: list[int] = Field(default_factory=lambda: [0], min_length=1)
    intents: IntentSelection | list[IntentSelection] = Field(
        default_factory=IntentSelection, description="one selection, or several (their intent ids must differ)")
    modes: list[Mode] = Field(default_factory=_optimizer_only, min_length=1)
    strategies: list[str] | None = None
    prompts: list[str] = Field(default_factory=lambda: [SHIPPED_PROMPTS], min_length=1)
    arms: list[ArmSpec] | None = None
    reference: str | None = Field(default=None, description="an arm name; default: the first arm")
    model: str = "llamacpp"
    budget: BudgetSpec = Field(default_factory=BudgetSpec)
    margin: float = Field(default=0.01, ge=0.0, le=0.5)
    oracle: OracleSpec = Field(default_factory=OracleSpec)
    stats: StatsSpec = Field(default_factory=StatsSpec)
    executor: Literal["process", "ray", "serial"] = "process"
    workers: int | None = Field(default=None, ge=1, description="default: the machine's cores")
    ray_address: str | None = None
    cache: str | None = Field(default=None, description="SQLite cache file; default <out>/cache.sqlite")
    out: str | None = Field(default=None, description="the eval directory; default evals/<name>")
    retry_errors: bool = Field(default=True, description="re-run samples that errored last time")
    keep_runs: bool = Field(default=True, description="keep each sample's run folder under <out>/runs")

    @field_validator("model")
    @classmethod
    def _known_model(cls, v: str) -> str:
        return _model_spec(v)

    @field_validator("scenarios")
    @classmethod
    def _known_scenarios(cls, v: list[str]) -> list[str]:
        from airloop.simulator.scenarios import list_scenarios

        unknown = [s for s in v if s not in list_scenarios()]
        if unknown:
            raise ValueError(f"unknown scenario(s) {unknown}; choose from {', '.join(list_scenarios())}")
        return v

    @field_validator("strategies")
    @classmethod
    def _known_strategies(cls, v: list[str] | None) -> list[str] | None:
        from airloop.agents.strategies import strategy_class

        for s in v or []:
            strategy_class(s)
        return v

    @field_validator("prompts")
    @classmethod
    def _prompt_sets(cls, v: list[str]) -> list[str]:
        for p in v:
            check_prompt_set(p)
        return v

    @field_validator("intents")
    @classmethod
    def _some_selection(cls, v: IntentSelection | list[IntentSelection]) -> IntentSelection | list[IntentSelection]:
        if isinstance(v, list) and not v:
            raise ValueError("an empty list selects no intent: give one selection, e.g. {split: test}")
        return v

    def intent_selections(self) -> list[IntentSelection]:
        """The intent selections, in file order."""
        return list(self.intents) if isinstance(self.intents, list) else [self.intents]

    def arm_specs(self) -> list[ArmSpec]:
        """Explicit arms, then strategies × prompt sets, in file order."""
        out = list(self.arms or [])
        for strategy in self.strategies or []:
            for prompts in self.prompts:
                out.append(ArmSpec(strategy=strategy, prompts=prompts))
        return out


def _where(source: str, line: int | None, loc: tuple[Any, ...]) -> str:
    field = ".".join(str(p) for p in loc) or "(file)"
    return f"{source}:{line}: {field}" if line else f"{source}: {field}"


def parse_spec(text: str, source: str = "<eval>", overrides: dict[str, Any] | None = None) -> EvalSpec:
    """Validate an evaluation file's text (plus command-line `overrides`, which win) into an `EvalSpec`."""
    try:
        loader = yaml.SafeLoader(text)
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else {}
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line = f":{mark.line + 1}" if mark else ""
        raise EvalSpecError(f"{source}{line}: not valid YAML: {e.problem or e}") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise EvalSpecError(f"{source}:1: the file must be a mapping of fields (name, scenarios, arms, ...), "
                            f"got {type(data).__name__}")
    merged = dict(data)
    for k, v in (overrides or {}).items():
        if v is None:
            continue
        if isinstance(v, dict):  # a flag sets one field of a section: merge it over the file's section
            given = {kk: vv for kk, vv in v.items() if vv is not None}
            if not given:
                continue  # no flag of this section was given: the file's section stands (a list of them too)
            held = merged.get(k)
            base: dict[str, Any] = held if isinstance(held, dict) else {}  # flags replace a list of selections
            merged[k] = {**base, **given}
        else:
            merged[k] = v
    try:
        spec = EvalSpec.model_validate(merged)
    except ValidationError as e:
        lines = []
        for err in e.errors():
            loc = tuple(err["loc"])
            from_flag = bool(loc) and loc[0] in (overrides or {}) and (overrides or {})[loc[0]] is not None
            where = _where("--" + str(loc[0]).replace("_", "-") if from_flag else source,
                           None if from_flag else yaml_line(node, loc), loc)
            msg = err["msg"].removeprefix("Value error, ")
            lines.append(f"{where}: {msg}")
        raise EvalSpecError("\n".join(lines)) from None
    _check_arms(spec, source, node)
    return spec


def _check_arms(spec: EvalSpec, source: str, node: yaml.Node | None) -> None:
    arms = spec.arm_specs()
    if not arms:
        raise EvalSpecError(f"{source}: arms: no arm to run; give `strategies: [...]` or `arms: [...]`")
    from airloop.agents.strategies import make_strategy

    for i, arm in enumerate(spec.arms or []):
        try:
            make_strategy(arm.strategy, **arm.params)
        except (TypeError, ValueError) as e:
            loc = ("arms", i, "params")
            raise EvalSpecError(f"{_where(source, yaml_line(node, loc), loc)}: {e}") from None
    labels = [a.label() for a in arms]
    dupes = sorted({x for x in labels if labels.count(x) > 1})
    if dupes:
        raise EvalSpecError(f"{_where(source, yaml_line(node, ('arms',)), ('arms',))}: arm name(s) {dupes} appear "
                            "twice; give each arm a distinct `name`")
    if spec.reference is not None and spec.reference not in labels:
        ref_loc = ("reference",)
        raise EvalSpecError(f"{_where(source, yaml_line(node, ref_loc), ref_loc)}: no arm named {spec.reference!r}; "
                            f"arms: {', '.join(labels)}")


def load_spec(path: str | os.PathLike[str] | None, overrides: dict[str, Any] | None = None) -> EvalSpec:
    """Read and validate an evaluation file (or only `overrides` when `path` is None)."""
    if path is None:
        return parse_spec("{}", "<flags>", overrides)
    p = Path(path)
    if not p.is_file():
        raise EvalSpecError(f"{p}: no such evaluation file")
    return parse_spec(p.read_text(encoding="utf-8"), str(p), overrides)
