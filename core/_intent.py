"""`Intent`: what a person wants of the network, in DESIGN.md's JSON shape (objective, constraints, hours, cells,
knobs), with the named time windows and the exact-match rule the benchmarks score readings by.

Design decisions, settled here once:

* Constraint operators are ``">="`` and ``"<="`` only. Every KPI is continuous, so ``>`` and ``<`` are read as
  their non-strict forms (the verifier checks with a margin anyway) and ``"=="`` is refused: say it as a pair
  ``>= a`` and ``<= b``.
* ``hours``, ``cells`` and ``knobs`` are stored sorted and without duplicates, so two intents that mean the same
  compare equal; an empty list is refused (``None`` says "now" / "all").
* A constraint value is checked against the KPI's range: non-negative for every KPI, at most 1 for fraction KPIs.
  A value of 95 on coverage is an error that says "write 0.95"; the planner converts percentages before this.
"""

from __future__ import annotations

import math
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from ._vocabulary import FRACTION_KPIS, KNOB_NAMES, KPI_UNITS, OP_ALIASES, Goal, KnobName, KPIName, Op, SliceName

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


def clock_spans(hours: list[int]) -> list[tuple[int, int]]:
    """Hours as maximal half-open clock spans [a, b), a span past midnight kept whole (22..5 is (22, 6)); the inverse
    of `span_hours` (``span_hours(*span)`` gives each span's hours back)."""
    spans: list[list[int]] = []
    for h in sorted(set(hours)):
        if spans and spans[-1][1] == h:
            spans[-1][1] = h + 1
        else:
            spans.append([h, h + 1])
    if len(spans) > 1 and spans[0][0] == 0 and spans[-1][1] == 24:
        spans[0][0] = spans.pop()[0]
    return [(a, b) for a, b in spans]


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


def values_close(a: float, b: float, rel: float = 1e-6) -> bool:
    """Equal within `rel` relative (or 1e-12 absolute): how intents compare constraint values."""
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
            if constraint_key(c) == constraint_key(g) and values_close(c.value, g.value, rel_tol):
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
