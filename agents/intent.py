"""`Intent`: what a person wants of the network, in DESIGN.md's JSON shape, and its bounded LLM-facing twin.

An intent is an objective (one KPI to minimize or maximize, optionally for one slice), constraints on other KPIs,
and a scope: the hours it is about (``None`` = now), the cells (``None`` = all) and the knobs that may move
(``None`` = all that the policy allows). Values are in the vocabulary's units (``KPI_UNITS``): fractions for
coverage, fairness and PRB utilization (95 % is 0.95), W for energy, Mbit/s for throughput, ms for latency.

Design decisions, settled here once:

* Constraint operators are ``">="`` and ``"<="`` only. Every KPI is continuous, so ``>`` and ``<`` are read as
  their non-strict forms (the verifier checks with a margin anyway) and ``"=="`` is refused: say it as a pair
  ``>= a`` and ``<= b``.
* ``hours``, ``cells`` and ``knobs`` are stored sorted and without duplicates, so two intents that mean the same
  compare equal; an empty list is refused (``None`` says "now" / "all").
* A constraint value is checked against the KPI's range: non-negative for every KPI, at most 1 for fraction KPIs.
  A value of 95 on coverage is an error that says "write 0.95"; the planner converts percentages before this.

`IntentDraft` is the schema the LLM fills under constrained decoding: enums everywhere, a sentinel ``"all"`` instead of
null, at most `MAX_LLM_CONSTRAINTS` constraints, hours as a named window or an explicit list of at most 24, and each
value as the number *as written* plus its unit, so that the code, not a 135M model, does the arithmetic.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Annotated, Any, Literal, get_args

from airloop.simulator.types import KNOB_NAMES, KPI_DIRECTION, KPI_NAMES, KPI_UNITS, SLICES
from pydantic import BaseModel, ConfigDict, Field, create_model, field_validator, model_validator

KPIName = Literal[
    "energy_w",
    "energy_efficiency",
    "throughput_mean_mbps",
    "throughput_p5_mbps",
    "coverage",
    "fairness",
    "latency_ms",
    "handover_rate",
    "prb_utilization",
    "active_cells",
]
SliceName = Literal["embb", "urllc", "mmtc"]
KnobName = Literal["tx_power_dbm", "tilt_deg", "active", "cio_db", "slice_shares"]
Goal = Literal["minimize", "maximize"]
Op = Literal[">=", "<="]

if set(get_args(KPIName)) != set(KPI_NAMES) or set(get_args(SliceName)) != set(SLICES) or set(
    get_args(KnobName)
) != set(KNOB_NAMES):  # pragma: no cover - guards the copy of the simulator's vocabulary
    raise ImportError("airloop.agents.intent is out of sync with airloop.simulator.types (KPI, slice or knob names)")

#: KPIs whose values are fractions in [0, 1] ("95%" means 0.95).
FRACTION_KPIS: frozenset[str] = frozenset(k for k, u in KPI_UNITS.items() if u == "fraction") | {"fairness"}

#: Operators an LLM or a user may write, and the operator they become. ``==`` is refused (see module docstring).
OP_ALIASES: dict[str, str] = {">=": ">=", "=>": ">=", ">": ">=", "≥": ">=", "<=": "<=", "=<": "<=", "<": "<=", "≤": "<="}

#: The most constraints the LLM-facing schema allows; small models repeat a list item until max_tokens otherwise.
MAX_LLM_CONSTRAINTS = 4
#: The most cells the LLM-facing schema allows.
MAX_LLM_CELLS = 12

#: Named time windows, as [start, end) hours on a 24 h clock (end < start wraps past midnight). The planner and the
#: LLM schema use the same table; each use is recorded in the intent's assumptions with its clock times.
WINDOWS: dict[str, tuple[int, int]] = {
    "night": (0, 6),
    "morning": (6, 12),
    "business_hours": (9, 17),
    "lunch": (12, 14),
    "afternoon": (12, 18),
    "evening": (18, 22),
    "peak": (17, 21),
    "rush_hours": (7, 10),  # plus (16, 19); see WINDOW_EXTRA
    "daytime": (7, 19),
    "all_day": (0, 24),
}
WINDOW_EXTRA: dict[str, tuple[int, int]] = {"rush_hours": (16, 19)}


def window_hours(name: str) -> list[int]:
    """The hours of a named window (`WINDOWS`), sorted."""
    spans = [WINDOWS[name]] + ([WINDOW_EXTRA[name]] if name in WINDOW_EXTRA else [])
    hours: set[int] = set()
    for start, end in spans:
        hours |= set(span_hours(start, end))
    return sorted(hours)


def span_hours(start: int, end: int) -> list[int]:
    """Hours of the half-open clock span [start, end); wraps past midnight when end <= start (22→6 is 22,23,0..5)."""
    start %= 24
    if start < end <= 24:
        return list(range(start, end))
    return list(range(start, 24)) + list(range(0, end % 24))


def window_clock(name: str) -> str:
    """``"00:00-06:00"``: a named window's clock times."""
    spans = [WINDOWS[name]] + ([WINDOW_EXTRA[name]] if name in WINDOW_EXTRA else [])
    return " and ".join(f"{a:02d}:00-{b:02d}:00" for a, b in spans)


def describe_window(name: str) -> str:
    """``"night read as 00:00-06:00"`` — the assumption text recorded when a named window is used."""
    return f"{name.replace('_', ' ')} read as {window_clock(name)}"


class Objective(BaseModel):
    """The one KPI to improve. ``slice`` None = all users."""

    model_config = ConfigDict(extra="forbid")

    kpi: KPIName
    goal: Goal
    slice: SliceName | None = None


class Constraint(BaseModel):
    """A bound one KPI must keep, in the vocabulary's units (`KPI_UNITS`). ``slice`` None = all users."""

    model_config = ConfigDict(extra="forbid")

    kpi: KPIName
    op: Op
    value: float
    slice: SliceName | None = None

    @field_validator("op", mode="before")
    @classmethod
    def _op(cls, v: Any) -> Any:
        if isinstance(v, str):
            s = v.strip()
            if s in ("==", "="):
                raise ValueError("op '==' is not supported: write two constraints, '>=' a lower and '<=' an upper bound")
            return OP_ALIASES.get(s, s)
        return v

    @model_validator(mode="after")
    def _value_in_range(self) -> Constraint:
        if not math.isfinite(self.value):
            raise ValueError(f"constraint on {self.kpi}: value must be a finite number, got {self.value}")
        if self.value < 0:
            raise ValueError(f"constraint on {self.kpi}: value must be >= 0 ({KPI_UNITS[self.kpi]}), got {self.value}")
        if self.kpi in FRACTION_KPIS and self.value > 1:
            raise ValueError(
                f"constraint on {self.kpi}: it is a fraction in [0, 1], got {self.value}; "
                f"write {self.value / 100:g} for {self.value:g}%"
            )
        return self


class Intent(BaseModel):
    """What `airloop plan TEXT --json` prints; DESIGN.md's Intent JSON, field for field."""

    model_config = ConfigDict(extra="forbid")

    text: str = ""
    objective: Objective
    constraints: list[Constraint] = Field(default_factory=list)
    hours: list[int] | None = Field(default=None, description="hours 0..23 the intent is about; null = now")
    cells: list[int] | None = Field(default=None, description="cell ids; null = all cells")
    knobs: list[KnobName] | None = Field(default=None, description="knobs that may move; null = all the policy allows")
    assumptions: list[str] = Field(default_factory=list)

    @field_validator("hours")
    @classmethod
    def _hours(cls, v: list[int] | None) -> list[int] | None:
        if v is None:
            return None
        bad = [h for h in v if not 0 <= h <= 23]
        if bad:
            raise ValueError(f"hours must be integers 0..23 (00:00..23:00), got {bad}; use null for 'now'")
        if not v:
            raise ValueError("hours must be null (now) or a non-empty list of hours 0..23")
        return sorted(set(v))

    @field_validator("cells")
    @classmethod
    def _cells(cls, v: list[int] | None) -> list[int] | None:
        if v is None:
            return None
        bad = [c for c in v if c < 0]
        if bad:
            raise ValueError(f"cell ids are >= 0, got {bad}; use null for all cells")
        if not v:
            raise ValueError("cells must be null (all cells) or a non-empty list of cell ids")
        return sorted(set(v))

    @field_validator("knobs")
    @classmethod
    def _knobs(cls, v: list[str] | None) -> list[str] | None:
        if v is None:
            return None
        if not v:
            raise ValueError(f"knobs must be null (all allowed) or a non-empty subset of {list(KNOB_NAMES)}")
        return [k for k in KNOB_NAMES if k in set(v)]

    def kpis(self) -> list[tuple[str, str | None]]:
        """Every (kpi, slice) the intent reads: the objective first, then the constraints."""
        out: list[tuple[str, str | None]] = [(self.objective.kpi, self.objective.slice)]
        out += [(c.kpi, c.slice) for c in self.constraints if (c.kpi, c.slice) not in out]
        return out

    def contradictions(self) -> list[str]:
        """Pairs of constraints no KPI value can meet at once (``coverage >= 0.99`` and ``<= 0.5``), as sentences.

        The planner keeps such constraints and flags them; the verifier reports the run as infeasible.
        """
        out = []
        for i, a in enumerate(self.constraints):
            for b in self.constraints[i + 1 :]:
                if (a.kpi, a.slice) != (b.kpi, b.slice) or a.op == b.op:
                    continue
                lo, hi = (a, b) if a.op == ">=" else (b, a)
                if lo.value > hi.value:
                    where = f" ({a.slice})" if a.slice else ""
                    out.append(f"{a.kpi}{where} >= {lo.value:g} and <= {hi.value:g} cannot both hold")
        return out


def constraint_key(c: Constraint) -> tuple[str, str, str | None]:
    return (c.kpi, c.op, c.slice)


def _close(a: float, b: float, rel: float = 1e-6) -> bool:
    return abs(a - b) <= rel * max(abs(a), abs(b)) or abs(a - b) <= 1e-12


def intent_matches(pred: Intent, gold: Intent, *, rel_tol: float = 1e-6) -> bool:
    """Exact match of two intents, as the intent benchmark scores it.

    Equal when: the objective's kpi, goal and slice are equal; the constraints are equal as sets, each (kpi, op,
    slice) matched once and values equal within ``rel_tol`` relative (1e-6: 0.95 and 0.9500000001 match, 0.95 and
    0.96 do not); ``hours`` equal as sets (None only matches None); ``cells`` and ``knobs`` equal as sets (None only
    matches None). ``text`` and ``assumptions`` are ignored: they explain, they do not change what is optimized.
    """
    if pred.objective != gold.objective:
        return False
    if len(pred.constraints) != len(gold.constraints):
        return False
    unmatched = list(gold.constraints)
    for c in pred.constraints:
        for i, g in enumerate(unmatched):
            if constraint_key(c) == constraint_key(g) and _close(c.value, g.value, rel_tol):
                del unmatched[i]
                break
        else:
            return False
    for field in ("hours", "cells", "knobs"):
        a, b = getattr(pred, field), getattr(gold, field)
        if (a is None) != (b is None) or (a is not None and set(a) != set(b)):
            return False
    return True


def intent_diff(pred: Intent, gold: Intent, *, rel_tol: float = 1e-6) -> list[str]:
    """The fields on which `intent_matches` fails, for benchmark error tables: a subset of
    ``["objective", "constraints", "hours", "cells", "knobs"]``."""
    out = []
    if pred.objective != gold.objective:
        out.append("objective")
    p = Intent(objective=gold.objective, constraints=pred.constraints)
    g = Intent(objective=gold.objective, constraints=gold.constraints)
    if not intent_matches(p, g, rel_tol=rel_tol):
        out.append("constraints")
    for field in ("hours", "cells", "knobs"):
        a, b = getattr(pred, field), getattr(gold, field)
        if (a is None) != (b is None) or (a is not None and set(a) != set(b)):
            out.append(field)
    return out


# -- the LLM-facing schema -----------------------------------------------------------------------------------------------

#: The units an LLM may attach to a number it copies from the text; `normalize_value` converts them.
UnitName = Literal["none", "%", "W", "kW", "MW", "Mbps", "Gbps", "kbps", "ms", "s", "per_min", "per_hour"]
WindowName = Literal[
    "now", "night", "morning", "business_hours", "lunch", "afternoon", "evening", "peak", "rush_hours", "daytime",
    "all_day", "custom",
]
_ALL = "all"

if set(get_args(WindowName)) != set(WINDOWS) | {"now", "custom"}:  # pragma: no cover
    raise ImportError("WindowName and WINDOWS disagree")

#: unit -> (factor to the KPI's unit, the KPI unit families it applies to)
UNIT_FACTORS: dict[str, float] = {
    "W": 1.0, "kW": 1e3, "MW": 1e6,
    "Mbps": 1.0, "Gbps": 1e3, "kbps": 1e-3,
    "ms": 1.0, "s": 1e3,
    "per_min": 1.0, "per_hour": 1.0 / 60.0,
}
_UNIT_FAMILY: dict[str, str] = {
    "W": "W", "kW": "W", "MW": "W",
    "Mbps": "Mbit/s", "Gbps": "Mbit/s", "kbps": "Mbit/s",
    "ms": "ms", "s": "ms",
    "per_min": "1/min per user", "per_hour": "1/min per user",
}


def normalize_value(kpi: str, value: float, unit: str) -> tuple[float, str | None]:
    """Convert ``value`` as written (with ``unit``) to the KPI's unit; returns (value, note or None).

    Percentages become fractions on fraction KPIs; a bare number above 1 on a fraction KPI is read as a percentage
    (coverage 95 → 0.95). A unit of the wrong family (ms on coverage) is ignored and noted.
    """
    note = None
    if unit == "%" or (unit == "none" and kpi in FRACTION_KPIS and 1 < value <= 100):
        if kpi in FRACTION_KPIS:
            if unit == "none":
                note = f"{kpi} {value:g} read as {value:g}% = {value / 100:g}"
            return value / 100.0, note
        return value, f"'{value:g}%' on {kpi} is not a fraction KPI; kept {value:g} {KPI_UNITS[kpi]}"
    if unit in UNIT_FACTORS:
        if _UNIT_FAMILY[unit] != KPI_UNITS[kpi]:
            return value, f"unit {unit} does not apply to {kpi} ({KPI_UNITS[kpi]}); kept the number {value:g}"
        factor = UNIT_FACTORS[unit]
        if factor != 1.0:
            note = f"{kpi} {value:g} {unit} = {value * factor:g} {KPI_UNITS[kpi]}"
        return value * factor, note
    return value, note


def draft_schema(
    kpis: Iterable[str] | None = None, slices: Iterable[str] | None = None, windows: Iterable[str] | None = None
) -> type[BaseModel]:
    """The bounded schema the LLM fills, optionally narrowed to the KPIs, slices and windows the text mentions.

    Narrowing the enums is how a 135M model is kept on the text: under constrained decoding it can only pick among the
    candidates a lexicon found. Empty or None = the full vocabulary. Every field is required, so the grammar fixes the key order and the model only fills values.
    """
    kpi_enum = tuple(k for k in KPI_NAMES if kpis is None or k in set(kpis)) or KPI_NAMES
    slice_enum = (_ALL, *(s for s in SLICES if slices is None or s in set(slices)))
    window_enum = tuple(w for w in get_args(WindowName) if windows is None or w in set(windows) | {"now"})
    K = Literal[kpi_enum]  # type: ignore[valid-type]
    S = Literal[slice_enum]  # type: ignore[valid-type]
    W = Literal[window_enum]  # type: ignore[valid-type]
    objective = create_model(
        "DraftObjective",
        __config__=ConfigDict(extra="forbid"),
        kpi=(K, ...),
        goal=(Goal, ...),
        slice=(S, ...),
    )
    constraint = create_model(
        "DraftConstraint",
        __config__=ConfigDict(extra="forbid"),
        kpi=(K, ...),
        op=(Op, ...),
        value=(float, Field(..., ge=0, le=1_000_000)),
        unit=(UnitName, ...),
        slice=(S, ...),
    )
    return create_model(
        "IntentDraft",
        __config__=ConfigDict(extra="forbid"),
        __doc__="An intent as the LLM writes it: numbers as written, with their unit.",
        objective=(objective, ...),
        constraints=(list[constraint], Field(..., max_length=MAX_LLM_CONSTRAINTS)),  # type: ignore[valid-type]
        window=(W, ...),
        hours=(list[Annotated[int, Field(ge=0, le=23)]], Field(..., max_length=24)),
        cells=(list[Annotated[int, Field(ge=0, le=999)]], Field(..., max_length=MAX_LLM_CELLS)),
        knobs=(list[KnobName], Field(..., max_length=len(KNOB_NAMES))),
    )


#: The full-vocabulary LLM schema (for documentation, tests and backends that want a fixed class).
IntentDraft = draft_schema()


def draft_from_intent(intent: Intent) -> dict[str, Any]:
    """An `Intent` written in the LLM schema's shape (values in the vocabulary's units, unit "none")."""
    window = "now"
    hours: list[int] = []
    if intent.hours is not None:
        named = [w for w in WINDOWS if window_hours(w) == intent.hours]
        if named:
            window = named[0]
        else:
            window, hours = "custom", list(intent.hours)
    return {
        "objective": {
            "kpi": intent.objective.kpi,
            "goal": intent.objective.goal,
            "slice": intent.objective.slice or _ALL,
        },
        "constraints": [
            {"kpi": c.kpi, "op": c.op, "value": c.value, "unit": "none", "slice": c.slice or _ALL}
            for c in intent.constraints
        ],
        "window": window,
        "hours": hours,
        "cells": list(intent.cells or []),
        "knobs": list(intent.knobs or []),
    }


def intent_from_draft(draft: BaseModel | dict[str, Any], text: str = "") -> tuple[Intent, list[str]]:
    """Deterministic post-processing of an LLM draft into an `Intent`; returns the intent and the steps applied.

    Steps (each recorded when it changes something): unit and percentage conversion (`normalize_value`), ``"all"``
    → null slice, window → hours (`WINDOWS`), dropping hours outside 0..23, empty lists → null, duplicate constraints
    dropped. Raises ``ValueError`` when what is left is still not a valid intent.
    """
    d = draft.model_dump() if isinstance(draft, BaseModel) else dict(draft)
    steps: list[str] = []
    assumptions: list[str] = []
    obj = d["objective"]
    objective = Objective(kpi=obj["kpi"], goal=obj["goal"], slice=None if obj.get("slice") in (None, _ALL) else obj["slice"])
    constraints: list[Constraint] = []
    for c in d.get("constraints") or []:
        value, note = normalize_value(c["kpi"], float(c["value"]), c.get("unit") or "none")
        if note:
            steps.append(note)
        if c["kpi"] in FRACTION_KPIS and value > 1:
            steps.append(f"dropped constraint {c['kpi']} {c['op']} {value:g}: not a fraction in [0, 1]")
            continue
        con = Constraint(kpi=c["kpi"], op=c["op"], value=value, slice=None if c.get("slice") in (None, _ALL) else c["slice"])
        if any(constraint_key(con) == constraint_key(x) and _close(con.value, x.value) for x in constraints):
            steps.append(f"dropped a duplicate constraint on {con.kpi}")
            continue
        constraints.append(con)
    window = d.get("window") or "now"
    hours: list[int] | None
    if window == "now":
        hours = None
    elif window == "custom":
        raw = [int(h) for h in d.get("hours") or []]
        kept = sorted({h for h in raw if 0 <= h <= 23})
        if len(kept) != len(set(raw)):
            steps.append(f"dropped hours outside 0..23 from {raw}")
        hours = kept or None
        if not kept:
            steps.append("window 'custom' with no hours read as now")
    else:
        hours = window_hours(window)
        assumptions.append(describe_window(window))
    cells = sorted({int(c) for c in d.get("cells") or [] if int(c) >= 0}) or None
    knobs = list(d.get("knobs") or []) or None
    intent = Intent(
        text=text, objective=objective, constraints=constraints, hours=hours, cells=cells, knobs=knobs,
        assumptions=assumptions,
    )
    return intent, steps


def default_goal(kpi: str) -> Goal:
    """The goal that improves ``kpi``: "minimize" for lower-is-better KPIs (`KPI_DIRECTION`), else "maximize"."""
    return "minimize" if KPI_DIRECTION[kpi] == "min" else "maximize"
