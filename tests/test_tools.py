"""The typed tools: output shapes and bounds, structured errors, the LangChain face (session injected, never in the
schema), and hypothesis fuzzing of every tool's input (no crash; a refused call changes nothing)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest
from airloop.simulator import Network
from airloop.tools import TOOLS, NetworkSession, Policy, ToolError, call_tool, make_langchain_tools
from airloop.tools._session import config_knobs
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from langchain_core.messages import ToolCall

SCENARIO, SEED, N_UES = "rural-7", 5, 60


def _session(log_path=None) -> NetworkSession:
    return NetworkSession(Network.from_scenario(SCENARIO, seed=SEED, n_ues=N_UES), Policy.default(), log_path)


def _state(s: NetworkSession) -> str:
    net = s.network
    return json.dumps(
        [
            config_knobs(net.config),
            net.kpis().model_dump(),
            net.hour,
            net.step_index,
            s.version,
            s.change_count(),
            [e.model_dump() for e in s.change_log(50)],
        ],
        sort_keys=True,
    )


@pytest.fixture
def session(tmp_path) -> NetworkSession:
    s = _session(tmp_path / "changes.sqlite")
    yield s
    s.close()


# -- outputs ----------------------------------------------------------------------------------------------------------


def test_every_tool_is_registered_with_models_and_a_docstring():
    assert set(TOOLS) == {
        "get_network_summary", "get_kpis", "list_cells", "get_cell", "simulate_changes", "apply_changes", "rollback",
        "get_change_log", "get_policy",
    }  # fmt: skip
    for spec in TOOLS.values():
        assert len(spec.description) > 80, spec.name
        assert spec.input_model.model_json_schema()["type"] == "object"
        assert spec.output_model.model_json_schema()["type"] == "object"


def test_summary_and_reads(session: NetworkSession):
    out = call_tool(session, "get_network_summary")
    assert (out["scenario"], out["n_cells"], out["n_ues"], out["version"]) == (SCENARIO, 21, N_UES, 0)
    assert out["cells_by_class"] == {"macro": 21} and out["active_cells"] == 21
    assert set(out["kpis"]) == set(out["units"]) and 0.0 <= out["kpis"]["coverage"] <= 1.0
    assert out["policy"]["coverage_floor"] == 0.9

    kp = call_tool(session, "get_kpis", {"slice": "urllc", "cells": [3, 3, 4]})
    assert kp["slice"] == "urllc" and [c["cell"] for c in kp["cells"]] == [3, 4]

    cell = call_tool(session, "get_cell", {"cell": 4})
    assert cell["cell"] == 4 and cell["protected"] is False
    assert cell["allowed_now"]["tx_power_dbm"] == [40.0, 46.0] and cell["allowed_now"]["tilt_deg"] == [0.0, 7.0]
    pol = call_tool(session, "get_policy")
    assert pol["policy"]["max_cells_per_apply"] == 20 and len(pol["sha256"]) == 64


def test_list_cells_is_sorted_filtered_and_bounded(session: NetworkSession):
    out = call_tool(session, "list_cells", {"sort_by": "load", "descending": False, "limit": 5})
    assert (out["total"], out["matched"], out["returned"]) == (21, 21, 5)
    loads = [c["load"] for c in out["cells"]]
    assert loads == sorted(loads)
    assert all(len(c["neighbours"]) <= 6 for c in out["cells"])
    session.apply([{"cell": 2, "active": False}], reason="sleep one")
    asleep = call_tool(session, "list_cells", {"filter": {"active": False}})
    assert asleep["matched"] == 1 and asleep["cells"][0]["cell"] == 2
    site = call_tool(session, "list_cells", {"filter": {"site": 1}, "sort_by": "cell", "descending": False})
    assert [c["cell"] for c in site["cells"]] == [3, 4, 5]
    assert call_tool(session, "list_cells", {"limit": 51})["error"]["code"] == "invalid_parameter"


def test_outputs_are_compact(session: NetworkSession):
    sizes = {
        "get_network_summary": len(json.dumps(call_tool(session, "get_network_summary"))),
        "list_cells": len(json.dumps(call_tool(session, "list_cells", {"limit": 50}))),
        "simulate_changes": len(json.dumps(call_tool(session, "simulate_changes", {
            "changes": [{"cell": 1, "tx_power_dbm": 43.0}], "hours": list(range(24)), "steps": 1}))),
    }  # fmt: skip
    assert sizes["get_network_summary"] < 1500
    assert sizes["list_cells"] < 6000  # 21 rows
    assert sizes["simulate_changes"] < 4000  # 24 hourly rows included
    # Numbers are rounded to a few significant digits.
    k = call_tool(session, "get_kpis")["kpis"]
    assert all(len(repr(v).replace("-", "").replace(".", "").lstrip("0")) <= 6 for v in k.values() if v)


def test_simulate_reports_policy_and_changes_nothing(session: NetworkSession):
    before = _state(session)
    out = call_tool(session, "simulate_changes", {"changes": [{"cell": 1, "tx_power_dbm": 30.0}], "hours": [2, 14]})
    assert out["policy"]["allowed"] is False
    assert [v["rule"] for v in out["policy"]["violations"]] == ["max_step"]
    assert set(out["by_hour"]) == {"2", "14"}
    assert set(out["per_slice_delta"]) == {"embb", "urllc", "mmtc"}
    d = out["kpis_after"]["energy_w"] - out["kpis_before"]["energy_w"]
    assert out["delta"]["energy_w"] == pytest.approx(d, rel=1e-3, abs=0.5)
    assert _state(session) == before


def test_apply_rollback_and_log_through_the_tools(session: NetworkSession):
    kpis0 = session.network.kpis().model_dump()
    a = call_tool(
        session,
        "apply_changes",
        {"changes": [{"cell": 1, "tx_power_dbm": 43.0}], "reason": "less power", "expected_version": 0},
        actor="planner",
    )
    assert (a["change_id"], a["version"], a["kind"], a["cells"]) == (1, 1, "apply", [1])
    stale = call_tool(
        session, "apply_changes", {"changes": [{"cell": 2, "cio_db": 1.0}], "reason": "x", "expected_version": 0}
    )
    assert stale["error"]["code"] == "version_conflict" and stale["error"]["allowed"] == [1]
    r = call_tool(session, "rollback", {"change_id": 1})
    assert r["exact"] is True and r["rollback_of"] == 1 and r["version"] == 2
    assert session.network.kpis().model_dump() == kpis0
    log = call_tool(session, "get_change_log", {"limit": 1})
    assert (log["total"], log["returned"], log["version"]) == (2, 1, 2)
    assert log["entries"][0]["changes"] == {"1": {"tx_power_dbm": [43.0, 46.0]}}
    full = call_tool(session, "get_change_log")
    assert full["entries"][1]["actor"] == "planner" and full["entries"][1]["rolled_back_by"] == [2]


@pytest.mark.parametrize(
    "name, args, code",
    [
        ("get_cell", {"cell": 21}, "invalid_parameter"),
        ("get_cell", {}, "invalid_parameter"),
        ("get_kpis", {"slice": "video"}, "invalid_parameter"),
        ("get_kpis", {"cells": list(range(21))}, "invalid_parameter"),
        ("list_cells", {"sort_by": "colour"}, "invalid_parameter"),
        ("list_cells", {"bogus": 1}, "invalid_parameter"),
        ("simulate_changes", {"changes": [{"cell": 0, "tx_power_dbm": 99}]}, "invalid_change"),
        ("simulate_changes", {"changes": [], "seeds": 9}, "invalid_parameter"),
        ("simulate_changes", {"changes": [], "hours": [25]}, "invalid_parameter"),
        ("apply_changes", {"changes": [{"cell": 0, "tx_power_dbm": 44}]}, "invalid_parameter"),  # no reason
        ("apply_changes", {"changes": [{"cell": 0, "tx_power_dbm": 33}], "reason": "r"}, "policy_violation"),
        ("rollback", {"change_id": 5}, "not_found"),
        ("no_such_tool", {}, "not_found"),
    ],
)
def test_bad_arguments_return_structured_errors_and_change_nothing(session: NetworkSession, name, args, code):
    before = _state(session)
    out = call_tool(session, name, args)
    assert set(out) == {"error"}
    err = out["error"]
    assert err["code"] == code
    assert {"code", "message", "allowed", "hint"} <= set(err)
    assert isinstance(err["message"], str) and err["message"]
    json.dumps(out, allow_nan=False)
    assert _state(session) == before


@pytest.mark.parametrize(
    "name, args, field, allowed, shown",
    [
        ("simulate_changes", {"changes": [], "seeds": 9}, "seeds", [1, 8], "seeds=9"),
        ("simulate_changes", {"changes": [], "seeds": [1] * 9}, "seeds", [1, 8], "seeds="),
        ("simulate_changes", {"changes": [], "hours": [3, 25]}, "hours", [0, 23], "hours[1]=25"),
        ("simulate_changes", {"changes": [], "steps": 0}, "steps", [1, 100], "steps=0"),
        ("apply_changes", {"changes": [{"cell": 0, "cio_db": 1.0}], "reason": "r", "steps": 101}, "steps", [1, 100],
         "steps=101"),
    ],
)
def test_horizon_errors_name_the_field_the_value_and_the_range(session: NetworkSession, name, args, field, allowed,
                                                               shown):
    """Hours, steps and seeds are checked by one model (`Horizon`) at every tool: one set of limits and words."""
    before = _state(session)
    err = call_tool(session, name, args)["error"]
    assert (err["code"], err["field"], err["allowed"]) == ("invalid_parameter", field, allowed)
    assert shown in err["message"] and err["hint"]
    with pytest.raises(ToolError) as direct:  # the session's own boundary says the same
        session.simulate([], **{k: v for k, v in args.items() if k in ("seeds", "hours", "steps")})
    assert (direct.value.field, direct.value.allowed) == (field, allowed)
    assert _state(session) == before


def test_json_encoded_arguments_are_accepted(session: NetworkSession):
    # Some MCP clients send structured arguments as JSON inside a string.
    out = call_tool(session, "simulate_changes", {"changes": '[{"cell": 1, "cio_db": 2}]', "hours": "[3]"})
    assert "error" not in out and out["horizon"]["hours"] == [3]


# -- LangChain face ---------------------------------------------------------------------------------------------------


def test_langchain_schema_hides_the_session():
    tools = make_langchain_tools()
    assert [t.name for t in tools] == list(TOOLS)
    for t in tools:
        props = t.tool_call_schema.model_json_schema().get("properties", {})
        assert "session" not in props and "runtime" not in props, t.name
        assert t.description == TOOLS[t.name].description
    apply = next(t for t in tools if t.name == "apply_changes")
    props = apply.tool_call_schema.model_json_schema()["properties"]
    assert {"changes", "reason", "expected_version"} <= set(props)


def test_langchain_tools_bound_injected_and_erroring(session: NetworkSession):
    bound = {t.name: t for t in make_langchain_tools(session, actor="agent")}
    msg = bound["apply_changes"].invoke(
        ToolCall(
            name="apply_changes",
            args={"changes": [{"cell": 0, "tx_power_dbm": 44}], "reason": "r"},
            id="1",
            type="tool_call",
        )
    )
    assert msg.status == "success" and msg.artifact["change_id"] == 1 and json.loads(msg.content) == msg.artifact
    before = _state(session)
    bad = bound["apply_changes"].invoke(
        ToolCall(
            name="apply_changes",
            args={"changes": [{"cell": 0, "tx_power_dbm": "loud"}], "reason": "r"},
            id="2",
            type="tool_call",
        )
    )
    assert bad.status == "error" and json.loads(bad.content)["error"]["code"] == "invalid_change"
    refused = bound["apply_changes"].invoke(
        ToolCall(
            name="apply_changes",
            args={"changes": [{"cell": 0, "tx_power_dbm": 20}], "reason": "r"},
            id="3",
            type="tool_call",
        )
    )
    assert refused.status == "error" and json.loads(refused.content)["error"]["code"] == "policy_violation"
    assert _state(session) == before

    @dataclass
    class Context:
        session: Any
        actor: str

    @dataclass
    class Runtime:
        context: Any

    unbound = {t.name: t for t in make_langchain_tools()}
    msg = unbound["apply_changes"].invoke(
        ToolCall(
            name="apply_changes",
            args={
                "changes": [{"cell": 1, "cio_db": 1.0}],
                "reason": "r",
                "runtime": Runtime(Context(session, "optimizer")),
            },
            id="4",
            type="tool_call",
        )
    )
    assert msg.status == "success" and session.change_log(1)[0].actor == "optimizer"
    via_arg = unbound["get_kpis"].invoke({"session": session})
    assert json.loads(via_arg)["kpis"]["coverage"] >= 0
    none = unbound["get_kpis"].invoke(ToolCall(name="get_kpis", args={}, id="5", type="tool_call"))
    assert none.status == "error" and json.loads(none.content)["error"]["code"] == "no_session"


def test_langgraph_toolnode_injects_the_session_from_the_graph_context(session: NetworkSession):
    langgraph = pytest.importorskip("langgraph")
    from langchain_core.messages import AIMessage
    from langgraph.graph import END, START, MessagesState, StateGraph
    from langgraph.prebuilt import ToolNode

    assert langgraph

    @dataclass
    class Context:
        session: Any

    g = StateGraph(MessagesState, context_schema=Context)
    g.add_node("tools", ToolNode(make_langchain_tools()))
    g.add_edge(START, "tools")
    g.add_edge("tools", END)
    call = {"name": "get_cell", "args": {"cell": 3}, "id": "c1", "type": "tool_call"}
    out = g.compile().invoke({"messages": [AIMessage(content="", tool_calls=[call])]}, context=Context(session))
    reply = out["messages"][-1]
    assert reply.status == "success" and json.loads(reply.content)["cell"] == 3


# -- fuzzing ----------------------------------------------------------------------------------------------------------

_scalar = (
    st.none()
    | st.booleans()
    | st.integers(-(10**6), 10**6)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=8)
)
_json = st.recursive(
    _scalar, lambda ch: st.lists(ch, max_size=3) | st.dictionaries(st.text(max_size=6), ch, max_size=3), max_leaves=6
)
_shares = st.fixed_dictionaries({"embb": st.floats(0, 1), "urllc": st.floats(0, 1), "mmtc": st.floats(0, 1)}) | st.just(
    {"embb": 0.5, "urllc": 0.3, "mmtc": 0.2}
)
_change = st.fixed_dictionaries(
    {"cell": st.integers(-2, 23) | _scalar},
    optional={
        "tx_power_dbm": st.floats(15, 50) | st.sampled_from([40.0, 44.0]) | _scalar,
        "tilt_deg": st.floats(-2, 22) | _scalar,
        "active": st.booleans() | _scalar,
        "cio_db": st.floats(-30, 30) | _scalar,
        "slice_shares": _shares | _json,
        "power": _scalar,
    },
)
_changes = st.lists(_change, max_size=4) | _json
_hours = st.lists(st.integers(-2, 25), max_size=3) | _scalar
_steps = st.integers(-1, 3) | _scalar
_seeds = st.integers(-1, 3) | st.lists(st.integers(-1, 5), max_size=3) | _scalar
_reason = st.text(max_size=12) | _scalar
_version = st.integers(-1, 6) | _scalar

_ARGS = {
    "get_network_summary": st.fixed_dictionaries({}, optional={"x": _json}),
    "get_kpis": st.fixed_dictionaries({}, optional={
        "slice": st.sampled_from(["embb", "urllc", "mmtc", "all"]) | _scalar,
        "cells": st.lists(st.integers(-3, 25), max_size=4) | _json}),
    "list_cells": st.fixed_dictionaries({}, optional={
        "sort_by": st.sampled_from(["cell", "load", "users", "power_w", "tilt_deg", "x"]) | _scalar,
        "descending": _scalar, "limit": st.integers(-2, 60) | _scalar,
        "filter": st.fixed_dictionaries({}, optional={"active": _scalar, "site": st.integers(-1, 8), "min_load": _scalar,
                                                     "cell_class": st.sampled_from(["macro", "micro", "pico"])}) | _json}),
    "get_cell": st.fixed_dictionaries({}, optional={"cell": st.integers(-2, 23) | _scalar}),
    "simulate_changes": st.fixed_dictionaries({"changes": _changes}, optional={
        "hours": _hours, "steps": _steps, "seeds": _seeds}),
    "apply_changes": st.fixed_dictionaries({"changes": _changes}, optional={
        "reason": _reason, "expected_version": _version, "hours": _hours, "steps": _steps, "seeds": _seeds}),
    "rollback": st.fixed_dictionaries({}, optional={
        "change_id": st.integers(-1, 8) | _scalar, "reason": _reason, "expected_version": _version}),
    "get_change_log": st.fixed_dictionaries({}, optional={"limit": st.integers(-2, 60) | _scalar}),
    "get_policy": st.fixed_dictionaries({}, optional={"x": _json}),
}  # fmt: skip
_WRITES = {"apply_changes", "rollback"}
_MAX_CHARS = {"get_change_log": 12000}  # 20 entries by default

# Mostly-valid arguments, so that successful writes (and their effect on later refusals) are exercised too.
_good_change = st.fixed_dictionaries(
    {"cell": st.integers(0, 20)},
    optional={
        "tx_power_dbm": st.sampled_from([40.0, 42.0, 44.0, 46.0]),
        "tilt_deg": st.sampled_from([1.0, 3.0, 5.0]),
        "cio_db": st.sampled_from([-2.0, 0.0, 2.0]),
        "active": st.booleans(),
        "slice_shares": st.just({"embb": 0.5, "urllc": 0.3, "mmtc": 0.2}),
    },
).filter(lambda c: len(c) > 1)
_good_changes = st.lists(_good_change, min_size=1, max_size=3, unique_by=lambda c: c["cell"])
_good_horizon = {
    "hours": st.lists(st.integers(0, 23), min_size=1, max_size=2),
    "steps": st.integers(1, 2),
    "seeds": st.integers(1, 2),
}
_GOOD = {
    "get_kpis": st.fixed_dictionaries({}, optional={"slice": st.sampled_from(["embb", "urllc", "mmtc"]),
                                                    "cells": st.lists(st.integers(0, 20), max_size=3)}),
    "list_cells": st.fixed_dictionaries({}, optional={"limit": st.integers(1, 50), "descending": st.booleans(),
                                                      "filter": st.just({"active": True})}),
    "get_cell": st.fixed_dictionaries({"cell": st.integers(0, 20)}),
    "simulate_changes": st.fixed_dictionaries({"changes": _good_changes}, optional=_good_horizon),
    "apply_changes": st.fixed_dictionaries({"changes": _good_changes, "reason": st.just("fuzz")},
                                           optional={**_good_horizon, "expected_version": st.integers(0, 6)}),
    "rollback": st.fixed_dictionaries({"change_id": st.integers(1, 8)}),
    "get_change_log": st.fixed_dictionaries({}, optional={"limit": st.integers(1, 50)}),
}  # fmt: skip


@pytest.fixture(scope="module")
def fuzz_session(tmp_path_factory) -> NetworkSession:
    s = _session(tmp_path_factory.mktemp("fuzz") / "changes.sqlite")
    yield s
    s.close()


@pytest.mark.parametrize("name", list(_ARGS))
def test_fuzzed_tool_input_never_crashes_and_refusals_change_nothing(fuzz_session: NetworkSession, name: str):
    s = fuzz_session

    @settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None)
    @given(args=_GOOD.get(name, st.nothing()) | _ARGS[name] | _json)
    def check(args: Any) -> None:
        before = _state(s)
        out = call_tool(s, name, args)
        text = json.dumps(out, allow_nan=False)  # valid JSON, no NaN/inf
        event(out["error"]["code"] if "error" in out else "ok")
        if "error" in out:
            err = out["error"]
            assert err["code"] != "internal_error", err
            assert {"code", "message", "allowed", "hint"} <= set(err)
            assert _state(s) == before, f"refused {name} changed the state: {err}"
        else:
            TOOLS[name].output_model.model_validate(out)
            assert len(text) < _MAX_CHARS.get(name, 8000)
            if name not in _WRITES:
                assert _state(s) == before, f"read-only {name} changed the state"

    check()


@pytest.mark.parametrize("name", list(_ARGS))
def test_fuzzed_langchain_calls_never_raise_and_refusals_change_nothing(fuzz_session: NetworkSession, name: str):
    s = fuzz_session
    tool = {t.name: t for t in make_langchain_tools(s, actor="fuzz")}[name]

    @settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None)
    @given(args=_GOOD.get(name, st.nothing()) | _ARGS[name])
    def check(args: dict) -> None:
        before = _state(s)
        msg = tool.invoke(ToolCall(name=name, args=args, id="fuzz", type="tool_call"))
        body = json.loads(msg.content)
        if msg.status == "error":
            assert body["error"]["code"] != "internal_error", body
            assert _state(s) == before
        else:
            assert body == msg.artifact and "error" not in body
            if name not in _WRITES:
                assert _state(s) == before

    check()
