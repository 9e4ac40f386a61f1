"""Campaign files: a simulated day (or week) run by the agents, described in YAML and validated before anything runs.

```yaml
name: night-energy-day
scenario: urban-macro-19
start_hour: 0
hours: 24                      # hours to run (consecutive, wrapping past midnight)
schedule:
  standing:                    # re-optimized every hour they cover (for that hour)
    - text: "Cut energy use but keep coverage above 95%"
  timed:                       # once, at a clock hour (each day the campaign covers it)
    - at: 9
      text: "Keep URLLC latency under 5 ms during business hours"
strategy: hybrid
model: auto
budget: {sim_evals: 60, llm_calls: 10}   # per intent per hour
monitor: {tolerance: 0.01}
```

`load_campaign(path)` returns the validated `Campaign` and the file's text, or raises `CampaignFileError` whose message
names each bad field with its line in the YAML (found by composing the YAML to nodes and following the pydantic error
location through them).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from airloop.agents import Intent
from airloop.agents.models import ModelError, check_spec
from airloop.core import Constraint

from .app import BUDGET_KEYS, DEFAULT_BUDGET
from .yamlfile import yaml_line

#: The judge's fresh user drops (the same seeds the agent benchmark judges on): neither optimizer nor verifier sees them.
JUDGE_SEEDS = [7001, 7002, 7003]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _check_hours(v: list[int] | None) -> list[int] | None:
    if v is None:
        return None
    bad = [h for h in v if not 0 <= h <= 23]
    if bad:
        raise ValueError(f"hours are clock hours 0..23, got {bad}")
    if not v:
        raise ValueError("give at least one hour 0..23, or leave the field out")
    return sorted(set(v))


Hours = Annotated[list[int] | None, AfterValidator(_check_hours)]


class StandingIntent(_Strict):
    """Re-optimized every hour it covers, for that hour."""

    text: str = Field(min_length=1)
    hours: Hours = None  # clock hours it is re-optimized in; default: the planner's hours, else all day
    intent: Intent | None = None  # the Intent itself (the planner is skipped)
    revert_after: bool = True  # roll its live changes back when its hours end


class TimedIntent(_Strict):
    """Run once at clock hour `at` (each day the campaign covers that hour); optimized over its hours."""

    at: int = Field(ge=0, le=23)
    text: str = Field(min_length=1)
    hours: Hours = None  # hours its change is for; default: the planner's hours, else the hour `at`
    intent: Intent | None = None
    revert_after: bool = True


class ManualChange(_Strict):
    """An operator's change at clock hour `at` (maintenance, a test), applied through the session and watched by the
    monitor against `constraints` like an intent's change."""

    at: int = Field(ge=0, le=23)
    changes: list[dict[str, Any]] = Field(min_length=1)
    reason: str = "scheduled manual change"
    constraints: list[Constraint] = Field(default_factory=list)
    revert_after: bool = False
    hours: Hours = None  # hours the change is for (revert_after rolls it back after them)


class Schedule(_Strict):
    standing: list[StandingIntent] = Field(default_factory=list)
    timed: list[TimedIntent] = Field(default_factory=list)
    manual: list[ManualChange] = Field(default_factory=list)

    @model_validator(mode="after")
    def _something(self) -> Schedule:
        if not (self.standing or self.timed or self.manual):
            raise ValueError("the schedule is empty: add a standing or a timed intent")
        return self


class Seeds(_Strict):
    network: int = Field(default=0, ge=0)  # the network's seed (sites, shadowing, users, mobility)
    judge: list[int] = Field(default_factory=lambda: list(JUDGE_SEEDS), min_length=1)  # fresh drops for the figures

    @field_validator("judge")
    @classmethod
    def _fresh(cls, v: list[int]) -> list[int]:
        if any(s <= 0 for s in v):
            raise ValueError("judge seeds must be positive: seed 0 is the live users the optimizer scores on")
        return v


class MonitorRules(_Strict):
    """When the monitor rolls a change back (see `campaign_runner.Monitor`)."""

    enabled: bool = True
    # A constraint breaks when the live value misses its bound by more than `tolerance` x the bound's scale.
    tolerance: float = Field(default=0.01, ge=0.0, le=0.5)
    steps: int = Field(default=10, ge=1, le=600)  # live steps watched after each apply before judging it
    # Blame the change only when the always-on network, on the same users, does better on the broken KPI.
    only_if_worse_than_always_on: bool = True
    max_rollbacks: int = Field(default=5, ge=0, le=50)  # per check


class Campaign(_Strict):
    name: str = Field(min_length=1, pattern=r"^[A-Za-z0-9_.-]+$")
    description: str = ""
    scenario: str = "urban-macro-19"
    n_ues: int | None = Field(default=None, ge=1, le=200_000)
    start_hour: int = Field(default=0, ge=0, le=23)
    hours: int = Field(default=24, ge=1, le=168)
    steps_per_hour: int = Field(default=30, ge=1, le=3600)  # live steps measured each hour (the hour's record)
    observe_steps: int = Field(default=10, ge=1, le=600)  # live steps at the start of an hour, before deciding
    schedule: Schedule
    strategy: str = "hybrid"
    strategy_params: dict[str, Any] = Field(default_factory=dict)
    model: str = "auto"
    planner: str | None = None
    seeds: Seeds = Field(default_factory=Seeds)
    budget: dict[str, float] = Field(default_factory=lambda: dict(DEFAULT_BUDGET))  # per intent per hour
    policy: str | None = None  # path, relative to the campaign file
    margin: float = Field(default=0.01, ge=0.0, le=0.5)
    max_rounds: int = Field(default=3, ge=1, le=10)
    judge_steps: int = Field(default=20, ge=1, le=600)
    monitor: MonitorRules = Field(default_factory=MonitorRules)

    @field_validator("scenario")
    @classmethod
    def _scenario(cls, v: str) -> str:
        from airloop.simulator import list_scenarios

        if v not in list_scenarios():
            raise ValueError(f"unknown scenario {v!r}; choose one of {', '.join(list_scenarios())}")
        return v

    @field_validator("strategy")
    @classmethod
    def _strategy(cls, v: str) -> str:
        from airloop.agents.strategies import strategy_names

        if v not in strategy_names():
            raise ValueError(f"unknown strategy {v!r}; choose one of {', '.join(strategy_names())}")
        return v

    @field_validator("planner")
    @classmethod
    def _planner(cls, v: str | None) -> str | None:
        from airloop.agents.planner import STRATEGIES

        if v is not None and v not in STRATEGIES:
            raise ValueError(f"unknown planner strategy {v!r}; choose one of {', '.join(STRATEGIES)}")
        return v

    @field_validator("budget")
    @classmethod
    def _budget(cls, v: dict[str, float]) -> dict[str, float]:
        unknown = sorted(set(v) - set(BUDGET_KEYS))
        if unknown:
            raise ValueError(f"budget key {unknown[0]!r} is unknown; use any of {', '.join(BUDGET_KEYS)}")
        bad = [k for k, x in v.items() if not x >= 0]
        if bad:
            raise ValueError(f"budget {bad[0]} must be >= 0")
        return {**DEFAULT_BUDGET, **v}

    def clock(self, k: int) -> int:
        """The clock hour of the campaign's k-th hour."""
        return (self.start_hour + k) % 24


class CampaignFileError(ValueError):
    """A campaign file that cannot run: ``errors`` holds one ``{field, line, message}`` per problem."""

    def __init__(self, path: Path | str, errors: list[dict[str, Any]]) -> None:
        self.path = str(path)
        self.errors = errors
        lines = [f"{_where(self.path, e)}: {e['field'] or '(file)'}: {e['message']}" for e in errors]
        super().__init__(f"{len(errors)} problem(s) in campaign file {self.path}:\n" + "\n".join(lines))


def _where(path: str, error: dict[str, Any]) -> str:
    """Where a problem was said: the command-line flag that gave the value (``flag``), else the file and line."""
    return str(error["flag"]) if error.get("flag") else f"{path}:{error['line']}"


def load_campaign(path: str | Path, **overrides: Any) -> tuple[Campaign, str]:
    """Read and validate a campaign file; relative paths inside it (policy, scripted model) are resolved against the
    file's folder. Raises `CampaignFileError` naming every bad field and its line. `overrides` (e.g. ``model``,
    ``strategy``; None = keep the file's) replace top-level fields, validated the same way; the returned text then
    ends with a comment naming them, so the run's manifest holds what ran."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as e:
        raise CampaignFileError(p, [{"field": None, "line": 0, "message": f"cannot read the file: {e}"}]) from None
    given = {k: v for k, v in overrides.items() if v is not None}
    if given:
        text = text.rstrip("\n") + "\n# overridden on the command line:\n" + yaml.safe_dump(given, sort_keys=True)
    try:
        return parse_campaign(text, p), text
    except CampaignFileError as e:
        # a bad value given by a flag is said at the flag, not at the file's own line for that field
        flagged = [{**err, "flag": f"--{top.replace('_', '-')}"} if (top := re.split(r"[.\[]", err["field"] or "")[0])
                   in given else err for err in e.errors]
        raise CampaignFileError(p, flagged) from None


def parse_campaign(text: str, path: str | Path = "<campaign>") -> Campaign:
    """`load_campaign` on text already read (`path` names it in errors and anchors relative paths)."""
    p = Path(path)
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 0
        raise CampaignFileError(p, [{"field": None, "line": line, "message": f"not valid YAML: "
                                     f"{getattr(e, 'problem', None) or e}"}]) from None
    if not isinstance(data, dict):
        raise CampaignFileError(p, [{"field": None, "line": 1, "message": "a campaign file is a mapping of keys "
                                     "(name, scenario, schedule, ...)"}])
    root = yaml.compose(text)
    try:
        camp = Campaign.model_validate(data)
    except ValidationError as e:
        errors = []
        for err in e.errors():
            loc = tuple(err["loc"])
            errors.append({"field": _dotted(loc), "line": yaml_line(root, loc), "message": _message(dict(err))})
        raise CampaignFileError(p, errors) from None
    return _resolve_paths(camp, p, root)


def _resolve_paths(camp: Campaign, p: Path, root: Any) -> Campaign:
    base = p.parent
    update: dict[str, Any] = {}
    if camp.policy:
        pol = Path(camp.policy).expanduser()
        pol = pol if pol.is_absolute() else base / pol
        from airloop.tools import load_policy

        try:
            load_policy(pol)
        except Exception as e:  # PolicyFileError, OSError: either way the campaign cannot run
            raise CampaignFileError(p, [{"field": "policy", "line": yaml_line(root, ("policy",)),
                                         "message": str(e)}]) from None
        update["policy"] = str(pol.resolve())
    try:
        check_spec(camp.model)
    except ModelError as e:
        raise CampaignFileError(p, [{"field": "model", "line": yaml_line(root, ("model",)), "message": str(e)}]) from None
    if camp.model.startswith("scripted:"):
        f = Path(camp.model.split(":", 1)[1]).expanduser()
        f = f if f.is_absolute() else base / f
        if not f.is_file():
            raise CampaignFileError(p, [{"field": "model", "line": yaml_line(root, ("model",)),
                                         "message": f"scripted answers file {f} does not exist"}])
        update["model"] = f"scripted:{f.resolve()}"
    return camp.model_copy(update=update) if update else camp


def _dotted(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _message(err: dict[str, Any]) -> str:
    msg = str(err["msg"]).removeprefix("Value error, ")
    if err.get("type") == "extra_forbidden":
        return "unknown field (a typo?); see the campaign file keys in airloop/campaign.py"
    if err.get("type") == "missing":
        return "required field missing"
    if "input" in err and err.get("type") not in ("missing",) and not isinstance(err["input"], (dict, list)):
        msg += f" (got {err['input']!r})"
    return msg
