"""The LLM-facing side of `Intent`: the bounded draft schema a model fills under constrained decoding, and the
conversion between a draft and an `Intent`. The `Intent` shape itself, its windows and its units live in
`airloop.core` (re-exported here for the agents' callers).

`IntentDraft` is the schema the LLM fills under constrained decoding: enums everywhere, a sentinel ``"all"`` instead of
null, at most `MAX_LLM_CONSTRAINTS` constraints, hours as a named window or an explicit list of at most 24, and each
value as the number *as written* plus its unit, so that the code, not a 135M model, does the arithmetic.

The same reason gives a second way to write custom hours, ``hours_as="spans"``: clock spans ``{"start": 23, "end": 5}``
(half-open, wrapping past midnight, `span_hours`) instead of the enumerated list ``[23, 0, 1, 2, 3, 4]``. A request says
"from 11pm to 5am"; copying its two clock hours is a small model's job, counting out the hours between them is not (the
four-batch planner adapter got 31 of its 78 misses on 189 texts wrong on hours, mostly one hour too many or too few at
the end of a span). Which form a fine-tuned model writes is in its adapter's manifest (``planner_draft``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated, Any, Literal, get_args

from airloop.core import (
    FRACTION_KPIS,
    KNOB_NAMES,
    KPI_DIRECTION,
    KPI_NAMES,
    KPI_UNITS,
    OP_ALIASES,
    SLICES,
    UNIT_FACTORS,
    UNIT_FAMILY,
    WINDOW_EXTRA,
    WINDOWS,
    Constraint,
    Goal,
    Intent,
    KnobName,
    KPIName,
    Objective,
    Op,
    SliceName,
    clock_spans,
    constraint_key,
    describe_window,
    intent_diff,
    intent_matches,
    normalize_value,
    span_hours,
    values_close,
    window_clock,
    window_hours,
)
from pydantic import BaseModel, ConfigDict, Field, create_model

#: The most constraints the LLM-facing schema allows; small models repeat a list item until max_tokens otherwise.
MAX_LLM_CONSTRAINTS = 4
#: The most cells the LLM-facing schema allows.
MAX_LLM_CELLS = 12

__all__ = [
    "FRACTION_KPIS", "KNOB_NAMES", "KPI_DIRECTION", "KPI_NAMES", "KPI_UNITS", "OP_ALIASES", "SLICES", "UNIT_FACTORS",
    "UNIT_FAMILY", "WINDOWS", "WINDOW_EXTRA", "Constraint", "Goal", "Intent", "KPIName", "KnobName", "Objective", "Op",
    "SliceName", "clock_spans", "constraint_key", "describe_window", "intent_diff", "intent_matches", "normalize_value", "span_hours",
    "window_clock", "window_hours", "MAX_LLM_CELLS", "MAX_LLM_CONSTRAINTS", "draft_schema", "draft_from_intent",
    "intent_from_draft", "default_goal", "UnitName", "WindowName", "HOURS_FORMATS", "MAX_LLM_SPANS",
]

#: How a draft writes custom hours: an enumerated ``hours`` list, or clock ``spans`` (see the module docstring).
HOURS_FORMATS = ("list", "spans")
#: The most clock spans the span form allows (a reading with more hour runs is written as a list).
MAX_LLM_SPANS = 4

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

def draft_schema(
    kpis: Iterable[str] | None = None, slices: Iterable[str] | None = None, windows: Iterable[str] | None = None,
    hours_as: str = "list",
) -> type[BaseModel]:
    """The bounded schema the LLM fills, optionally narrowed to the KPIs, slices and windows the text mentions.

    Narrowing the enums is how a 135M model is kept on the text: under constrained decoding it can only pick among the
    candidates a lexicon found. Empty or None = the full vocabulary. Every field is required, so the grammar fixes the key order and the model only fills values.
    ``hours_as``: custom hours as an ``hours`` list (``"list"``) or as clock ``spans`` (``"spans"``, `HOURS_FORMATS`).
    """
    if hours_as not in HOURS_FORMATS:
        raise ValueError(f"hours_as must be one of {HOURS_FORMATS}, got {hours_as!r}")
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
    if hours_as == "spans":
        span = create_model(
            "DraftSpan",
            __config__=ConfigDict(extra="forbid"),
            start=(int, Field(..., ge=0, le=23)),
            end=(int, Field(..., ge=0, le=24)),
        )
        hours_field: dict[str, Any] = {"spans": (list[span], Field(..., max_length=MAX_LLM_SPANS))}  # type: ignore[valid-type]
    else:
        hours_field = {"hours": (list[Annotated[int, Field(ge=0, le=23)]], Field(..., max_length=24))}
    return create_model(
        "IntentDraft" if hours_as == "list" else "IntentDraftSpans",
        __config__=ConfigDict(extra="forbid"),
        __doc__="An intent as the LLM writes it: numbers as written, with their unit.",
        objective=(objective, ...),
        constraints=(list[constraint], Field(..., max_length=MAX_LLM_CONSTRAINTS)),  # type: ignore[valid-type]
        window=(W, ...),
        **hours_field,
        cells=(list[Annotated[int, Field(ge=0, le=999)]], Field(..., max_length=MAX_LLM_CELLS)),
        knobs=(list[KnobName], Field(..., max_length=len(KNOB_NAMES))),
    )


#: The full-vocabulary LLM schema (for documentation, tests and backends that want a fixed class).
IntentDraft = draft_schema()


def draft_from_intent(intent: Intent, hours_as: str = "list") -> dict[str, Any]:
    """An `Intent` written in the LLM schema's shape (values in the vocabulary's units, unit "none"); custom hours as
    an ``hours`` list or, with ``hours_as="spans"``, as maximal clock spans (`clock_spans`; more than `MAX_LLM_SPANS`
    of them, which the span schema cannot hold, raise ``ValueError``)."""
    if hours_as not in HOURS_FORMATS:
        raise ValueError(f"hours_as must be one of {HOURS_FORMATS}, got {hours_as!r}")
    window = "now"
    hours: list[int] = []
    if intent.hours is not None:
        named = [w for w in WINDOWS if window_hours(w) == intent.hours]
        if named:
            window = named[0]
        else:
            window, hours = "custom", list(intent.hours)
    if hours_as == "spans":
        spans = clock_spans(hours)
        if len(spans) > MAX_LLM_SPANS:
            raise ValueError(f"hours {hours} make {len(spans)} clock spans; the span form holds at most {MAX_LLM_SPANS}")
        hours_field: dict[str, Any] = {"spans": [{"start": a, "end": b} for a, b in spans]}
    else:
        hours_field = {"hours": hours}
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
        **hours_field,
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
        if any(constraint_key(con) == constraint_key(x) and values_close(con.value, x.value) for x in constraints):
            steps.append(f"dropped a duplicate constraint on {con.kpi}")
            continue
        constraints.append(con)
    window = d.get("window") or "now"
    hours: list[int] | None
    if window == "now":
        hours = None
    elif window == "custom":
        if d.get("spans"):
            raw = [h for sp in d["spans"] for h in _span_list(sp)]
            steps.append(f"clock spans {_spans_text(d['spans'])} read as hours")
        else:
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


def _span_list(span: dict[str, Any]) -> list[int]:
    """A draft's clock span (a dict: `intent_from_draft` dumps a validated draft) as its hours."""
    start, end = int(span["start"]), int(span["end"])
    if not (0 <= start <= 23 and 0 <= end <= 24):
        raise ValueError(f"a clock span is start 0..23, end 0..24; got {start}-{end}")
    return span_hours(start, end)


def _spans_text(spans: Iterable[dict[str, Any]]) -> str:
    return ", ".join(f"{sp['start']:02d}:00-{sp['end']:02d}:00" for sp in spans)


def default_goal(kpi: str) -> Goal:
    """The goal that improves ``kpi``: "minimize" for lower-is-better KPIs (`KPI_DIRECTION`), else "maximize"."""
    return "minimize" if KPI_DIRECTION[kpi] == "min" else "maximize"
