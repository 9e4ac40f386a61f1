"""Strategies declare their parameters: the registry validates them, refuses unknown ones with a clear error, and
records the full validated parameters in `spec()` and every proposal; the CLI turns a bad one into a usage error."""

from __future__ import annotations

from typing import ClassVar

import pytest
from airloop.agents.strategies import (
    OptimizeContext,
    Proposal,
    Strategy,
    StrategyParamError,
    make_strategy,
    register_strategy,
    strategy_class,
    strategy_names,
)
from pydantic import BaseModel, Field


def test_an_unknown_parameter_is_refused_with_the_close_match():
    with pytest.raises(StrategyParamError) as exc:
        make_strategy("hybrid", max_evlas=10)
    e = exc.value
    assert isinstance(e, ValueError)
    assert (e.strategy, e.field, e.value, e.suggestion) == ("hybrid", "max_evlas", 10, "max_evals")
    msg = str(e)
    assert "'hybrid'" in msg and "'max_evlas'" in msg and "10" in msg and "did you mean max_evals?" in msg
    assert "max_attempts" in msg  # the allowed names
    assert e.to_dict()["code"] == "invalid_strategy_param"


def test_a_value_out_of_range_names_the_field_the_value_and_the_range():
    with pytest.raises(StrategyParamError) as exc:
        make_strategy("heuristic", max_evals=0)
    assert exc.value.field == "max_evals" and exc.value.value == 0
    assert "max_evals=0" in str(exc.value) and "integer in [1, 100000]" in str(exc.value)
    with pytest.raises(StrategyParamError, match=r"sampler='cmaes'.*one of 'tpe', 'nsga2', 'random', 'auto'"):
        make_strategy("optuna", sampler="cmaes")
    with pytest.raises(StrategyParamError, match=r"max_changes=20.*\[1, 8\]"):
        make_strategy("llm-direct", max_changes=20)
    with pytest.raises(StrategyParamError, match="sleep_prob=1.5"):
        make_strategy("random", sleep_prob=1.5)


def test_every_problem_is_reported_at_once():
    with pytest.raises(StrategyParamError) as exc:
        make_strategy("random", n_trail=3, sleep_prob=-1)
    assert {p["field"] for p in exc.value.problems} == {"sleep_prob", "n_trail"}
    assert "did you mean n_trials?" in str(exc.value)


def test_spec_records_the_full_validated_parameters():
    s = make_strategy("hybrid", max_evals="30")  # text from a config file or the CLI is read as its type
    spec = s.spec()
    assert spec["name"] == "hybrid" and spec["uses_llm"] is True
    assert spec["params"]["max_evals"] == 30 and s.max_evals == 30
    assert spec["params"] == strategy_class("hybrid").Params(max_evals=30).model_dump(mode="json")
    assert {"max_attempts", "startup_trials", "give_up_share", "trust_counts", "n_examples",
            "polish_evals"} <= set(spec["params"])
    assert make_strategy("hybrid", **spec["params"]).spec() == spec


def test_optuna_warm_start_true_reads_as_the_plan():
    assert make_strategy("optuna", warm_start=True).warm_start == "plan"
    assert make_strategy("optuna", warm_start=False).spec()["params"]["warm_start"] == "none"


def test_every_registered_strategy_builds_with_its_defaults_and_refuses_a_typo():
    for name in strategy_names():
        s = make_strategy(name)
        assert set(s.spec()["params"]) == set(strategy_class(name).Params.model_fields)
        with pytest.raises(StrategyParamError):
            make_strategy(name, definitely_not_a_param=1)


def test_an_unknown_strategy_suggests_the_close_match():
    with pytest.raises(ValueError, match="did you mean heuristic"):
        make_strategy("heuristc")


def test_registration_checks_the_declaration():
    class Base(Strategy):
        description: ClassVar[str] = "x"

        def propose(self, ctx: OptimizeContext) -> Proposal:
            return Proposal(strategy=self.name, params=self.params)

    class Loose(Base):
        name: ClassVar[str] = "loose-test"

        class Params(BaseModel):  # extra="ignore" (pydantic's default): a typo would be dropped silently
            depth: int = 3

    class Required(Base):
        name: ClassVar[str] = "required-test"

        class Params(BaseModel, extra="forbid"):
            depth: int = Field(ge=1)

    class Clash(Base):
        name: ClassVar[str] = "clash-test"

        class Params(BaseModel, extra="forbid"):
            spec: int = 1

    for cls, words in ((Loose, "extra='forbid'"), (Required, "needs a default"), (Clash, "clash")):
        with pytest.raises(TypeError, match=words):
            register_strategy(cls)
        assert cls.name not in strategy_names()


def test_the_cli_refuses_a_bad_strategy_param_with_exit_2_and_no_traceback(tmp_path):
    from typer.testing import CliRunner

    from airloop.cli import app

    args = ["intent", "cut energy at night", "--model", "none", "--strategy", "hybrid", "--runs", str(tmp_path)]
    r = CliRunner().invoke(app, [*args, "--strategy-param", "max_evlas=10"])
    assert r.exit_code == 2, r.output
    assert r.exception is None or isinstance(r.exception, SystemExit)
    text = " ".join(r.output.split())
    assert "Traceback" not in text
    assert "'max_evlas'" in text and "did you mean max_evals?" in text
    r = CliRunner().invoke(app, [*args, "--strategy-param", "max_evals=0"])
    assert r.exit_code == 2 and "max_evals=0" in " ".join(r.output.split())
    r = CliRunner().invoke(app, [*args, "--strategy-param", "max_evals"])
    assert r.exit_code == 2 and "KEY=VALUE" in r.output
    assert not any(tmp_path.iterdir()), "a refused parameter must not start a run"
