"""`Intent`: DESIGN.md's shape, validation with helpful errors, exact-match comparison, units, windows and the bounded
LLM-facing schema."""

from __future__ import annotations

import json
from typing import get_args

import pytest
from airloop.agents.intent import (
    MAX_LLM_CONSTRAINTS,
    MAX_LLM_SPANS,
    WINDOWS,
    Constraint,
    Intent,
    IntentDraft,
    KnobName,
    KPIName,
    SliceName,
    clock_spans,
    draft_from_intent,
    draft_schema,
    intent_diff,
    intent_from_draft,
    intent_matches,
    normalize_value,
    span_hours,
    window_hours,
)
from airloop.simulator.types import KNOB_NAMES, KPI_NAMES, SLICES
from pydantic import ValidationError

DESIGN_EXAMPLE = {
    "text": "...",
    "objective": {"kpi": "energy_w", "goal": "minimize", "slice": None},
    "constraints": [{"kpi": "coverage", "op": ">=", "value": 0.95, "slice": None}],
    "hours": [0, 1, 2, 3, 4, 5],
    "cells": None,
    "knobs": None,
    "assumptions": ["night read as 00:00-06:00"],
}


def intent(**kw) -> Intent:
    base = {"objective": {"kpi": "energy_w", "goal": "minimize"}}
    return Intent.model_validate({**base, **kw})


def test_design_example_round_trips_exactly():
    i = Intent.model_validate(DESIGN_EXAMPLE)
    assert json.loads(i.model_dump_json()) == DESIGN_EXAMPLE


def test_vocabulary_matches_the_simulator():
    assert set(get_args(KPIName)) == set(KPI_NAMES)
    assert set(get_args(SliceName)) == set(SLICES)
    assert set(get_args(KnobName)) == set(KNOB_NAMES)


def test_strict_operators_read_as_non_strict_and_equality_is_refused():
    assert Constraint(kpi="coverage", op=">", value=0.9).op == ">="
    assert Constraint(kpi="latency_ms", op="<", value=9).op == "<="
    assert Constraint(kpi="latency_ms", op="≤", value=9).op == "<="
    with pytest.raises(ValidationError, match="two constraints"):
        Constraint(kpi="coverage", op="==", value=0.9)


def test_fraction_kpi_value_above_one_says_what_to_write():
    with pytest.raises(ValidationError, match="write 0.95 for 95%"):
        Constraint(kpi="coverage", op=">=", value=95)
    with pytest.raises(ValidationError, match=">= 0"):
        Constraint(kpi="latency_ms", op="<=", value=-1)
    with pytest.raises(ValidationError, match="finite"):
        Constraint(kpi="energy_w", op="<=", value=float("inf"))


def test_unknown_names_are_refused():
    with pytest.raises(ValidationError):
        intent(objective={"kpi": "power", "goal": "minimize"})
    with pytest.raises(ValidationError):
        intent(objective={"kpi": "energy_w", "goal": "minimize", "slice": "gold"})
    with pytest.raises(ValidationError):
        intent(knobs=["azimuth"])
    with pytest.raises(ValidationError):
        intent(extra_field=1)


def test_scope_lists_are_canonical_and_never_empty():
    i = intent(hours=[5, 3, 3, 22], cells=[7, 2, 7], knobs=["tilt_deg", "tx_power_dbm"])
    assert i.hours == [3, 5, 22] and i.cells == [2, 7] and i.knobs == ["tx_power_dbm", "tilt_deg"]
    for field, bad in (("hours", []), ("hours", [24]), ("hours", [-1]), ("cells", []), ("cells", [-2]), ("knobs", [])):
        with pytest.raises(ValidationError):
            intent(**{field: bad})


def test_contradictions_are_listed_not_refused():
    i = intent(constraints=[{"kpi": "coverage", "op": ">=", "value": 0.99},
                            {"kpi": "coverage", "op": "<=", "value": 0.5},
                            {"kpi": "coverage", "op": "<=", "value": 0.6, "slice": "urllc"}])
    assert i.contradictions() == ["coverage >= 0.99 and <= 0.5 cannot both hold"]
    assert intent(constraints=[{"kpi": "coverage", "op": ">=", "value": 0.9},
                               {"kpi": "coverage", "op": "<=", "value": 0.97}]).contradictions() == []


class TestIntentMatches:
    def test_ignores_text_assumptions_and_order(self):
        a = intent(text="a", assumptions=["x"], hours=[1, 2],
                   constraints=[{"kpi": "coverage", "op": ">=", "value": 0.95},
                                {"kpi": "latency_ms", "op": "<=", "value": 10}])
        b = intent(text="b", hours=[2, 1],
                   constraints=[{"kpi": "latency_ms", "op": "<=", "value": 10.000000001},
                                {"kpi": "coverage", "op": ">=", "value": 0.95}])
        assert intent_matches(a, b) and intent_diff(a, b) == []

    @pytest.mark.parametrize("change, field", [
        ({"objective": {"kpi": "energy_w", "goal": "maximize"}}, "objective"),
        ({"objective": {"kpi": "energy_w", "goal": "minimize", "slice": "urllc"}}, "objective"),
        ({"constraints": [{"kpi": "coverage", "op": ">=", "value": 0.96}]}, "constraints"),
        ({"constraints": [{"kpi": "coverage", "op": "<=", "value": 0.95}]}, "constraints"),
        ({"constraints": [{"kpi": "coverage", "op": ">=", "value": 0.95, "slice": "mmtc"}]}, "constraints"),
        ({"constraints": []}, "constraints"),
        ({"hours": None}, "hours"),
        ({"hours": [0, 1]}, "hours"),
        ({"cells": [1]}, "cells"),
        ({"knobs": ["active"]}, "knobs"),
    ])
    def test_each_field_counts(self, change, field):
        gold = intent(constraints=[{"kpi": "coverage", "op": ">=", "value": 0.95}], hours=[0, 1, 2])
        pred = Intent.model_validate({**gold.model_dump(), **change})
        assert not intent_matches(pred, gold)
        assert intent_diff(pred, gold) == [field]

    def test_duplicate_constraints_do_not_match_distinct_ones(self):
        c = {"kpi": "coverage", "op": ">=", "value": 0.95}
        assert not intent_matches(intent(constraints=[c, c]),
                                  intent(constraints=[c, {"kpi": "fairness", "op": ">=", "value": 0.5}]))


@pytest.mark.parametrize("kpi, value, unit, expected", [
    ("coverage", 95, "%", 0.95),
    ("coverage", 95, "none", 0.95),  # a bare number above 1 on a fraction KPI is a percentage
    ("coverage", 0.95, "none", 0.95),
    ("prb_utilization", 70, "%", 0.7),
    ("energy_w", 2, "kW", 2000.0),
    ("energy_w", 1.5, "MW", 1.5e6),
    ("energy_w", 800, "W", 800.0),
    ("throughput_mean_mbps", 1, "Gbps", 1000.0),
    ("throughput_p5_mbps", 500, "kbps", 0.5),
    ("latency_ms", 0.02, "s", 20.0),
    ("handover_rate", 30, "per_hour", 0.5),
])
def test_normalize_value(kpi, value, unit, expected):
    assert normalize_value(kpi, value, unit)[0] == pytest.approx(expected)


def test_normalize_value_notes_units_that_do_not_apply():
    value, note = normalize_value("coverage", 0.9, "ms")
    assert value == 0.9 and "does not apply" in note
    value, note = normalize_value("energy_w", 20, "%")
    assert value == 20 and "not a fraction KPI" in note


def test_windows():
    assert window_hours("night") == [0, 1, 2, 3, 4, 5]
    assert window_hours("business_hours") == list(range(9, 17))
    assert window_hours("evening") == [18, 19, 20, 21]
    assert window_hours("all_day") == list(range(24))
    assert window_hours("rush_hours") == [7, 8, 9, 16, 17, 18]
    assert span_hours(22, 6) == [22, 23, 0, 1, 2, 3, 4, 5]
    assert span_hours(20, 24) == [20, 21, 22, 23]
    assert span_hours(6, 6) == list(range(6, 24)) + list(range(6))
    assert set(WINDOWS) >= {"night", "business_hours", "evening"}


class TestDraftSchema:
    def test_is_bounded(self):
        schema = IntentDraft.model_json_schema()
        props = schema["properties"]
        assert props["constraints"]["maxItems"] == MAX_LLM_CONSTRAINTS <= 4
        assert props["hours"]["maxItems"] == 24
        assert props["hours"]["items"] == {"maximum": 23, "minimum": 0, "type": "integer"}
        assert props["knobs"]["maxItems"] == len(KNOB_NAMES)
        assert set(schema["required"]) == set(props)  # every key present: the grammar fixes the key order
        con = schema["$defs"]["DraftConstraint"]["properties"]
        assert set(con["kpi"]["enum"]) == set(KPI_NAMES)
        assert con["value"]["maximum"] == 1_000_000 and con["value"]["minimum"] == 0
        assert con["op"]["enum"] == [">=", "<="]

    def test_narrowed_enums(self):
        schema = draft_schema(kpis=["coverage", "energy_w"], slices=["urllc"], windows=["night"]).model_json_schema()
        obj = schema["$defs"]["DraftObjective"]["properties"]
        assert obj["kpi"]["enum"] == ["energy_w", "coverage"]
        assert obj["slice"]["enum"] == ["all", "urllc"]
        assert schema["properties"]["window"]["enum"] == ["now", "night"]
        # nothing mentioned: the full vocabulary
        full = draft_schema(kpis=[]).model_json_schema()
        assert len(full["$defs"]["DraftObjective"]["properties"]["kpi"]["enum"]) == len(KPI_NAMES)

    def test_closed_for_the_model_layer(self):
        models = pytest.importorskip("airloop.agents.models")
        closed = models.pydantic_schema(IntentDraft)
        assert "$defs" not in json.dumps(closed) and closed["additionalProperties"] is False

    def test_draft_round_trip(self):
        i = Intent.model_validate(DESIGN_EXAMPLE)
        d = draft_from_intent(i)
        assert d["window"] == "night" and d["constraints"][0]["slice"] == "all"
        back, _ = intent_from_draft(IntentDraft.model_validate(d), text="...")
        assert intent_matches(back, i)

    def test_post_processing_converts_what_the_model_copied(self):
        draft = {
            "objective": {"kpi": "energy_w", "goal": "minimize", "slice": "all"},
            "constraints": [{"kpi": "coverage", "op": ">=", "value": 95, "unit": "%", "slice": "all"},
                            {"kpi": "energy_w", "op": "<=", "value": 2, "unit": "kW", "slice": "all"},
                            {"kpi": "coverage", "op": ">=", "value": 0.95, "unit": "none", "slice": "all"}],
            "window": "custom", "hours": [22, 23, 0], "cells": [], "knobs": ["active"],
        }
        i, steps = intent_from_draft(IntentDraft.model_validate(draft))
        assert [(c.kpi, c.value) for c in i.constraints] == [("coverage", 0.95), ("energy_w", 2000.0)]
        assert i.hours == [0, 22, 23] and i.cells is None and i.knobs == ["active"]
        assert any("2 kW = 2000 W" in s for s in steps) and any("duplicate" in s for s in steps)

    def test_hours_as_clock_spans_round_trip_every_hour_set_the_span_form_holds(self):
        import random

        rng = random.Random(7)
        sets = [window_hours(w) for w in WINDOWS] + [[23, 0, 1, 2, 3, 4], [0], [23], list(range(24)), [5, 6, 9, 10]]
        sets += [sorted(rng.sample(range(24), rng.randint(1, 23))) for _ in range(300)]
        schema = draft_schema(hours_as="spans")
        checked = 0
        for hours in sets:
            i = intent().model_copy(update={"hours": hours})
            try:
                d = draft_from_intent(i, hours_as="spans")
            except ValueError as e:  # more runs of hours than the span form holds: said, never cut
                assert "at most 4" in str(e) and len(clock_spans(hours)) > 4
                continue
            assert "hours" not in d and len(d["spans"]) == (0 if d["window"] != "custom" else len(clock_spans(hours)))
            back, _ = intent_from_draft(schema.model_validate(d))
            assert back.hours == sorted(hours), hours
            checked += 1
        assert checked > 100
        # 23:00-05:00 is one span past midnight, as a request writes it
        d = draft_from_intent(intent().model_copy(update={"hours": [23, 0, 1, 2, 3, 4]}), hours_as="spans")
        assert d["spans"] == [{"start": 23, "end": 5}]

    def test_span_form_is_bounded_and_a_bad_form_is_refused(self):
        props = draft_schema(hours_as="spans").model_json_schema()
        assert "hours" not in props["properties"] and props["properties"]["spans"]["maxItems"] == MAX_LLM_SPANS
        span = props["$defs"]["DraftSpan"]["properties"]
        assert (span["start"]["minimum"], span["start"]["maximum"], span["end"]["minimum"], span["end"]["maximum"]) == (
            0, 23, 0, 24)
        d = draft_from_intent(intent().model_copy(update={"hours": [22, 23]}), hours_as="spans")
        d["spans"] = [{"start": 22, "end": 25}]
        with pytest.raises(ValidationError):
            draft_schema(hours_as="spans").model_validate(d)
        with pytest.raises(ValueError, match="start 0..23, end 0..24"):
            intent_from_draft(d)
        with pytest.raises(ValueError, match="hours_as must be one of"):
            draft_schema(hours_as="ranges")
        with pytest.raises(ValueError, match="hours_as must be one of"):
            draft_from_intent(intent(), hours_as="ranges")

    def test_named_window_is_recorded_as_an_assumption(self):
        draft = draft_from_intent(intent())
        draft["window"] = "evening"
        i, _ = intent_from_draft(draft)
        assert i.hours == [18, 19, 20, 21] and i.assumptions == ["evening read as 18:00-22:00"]
