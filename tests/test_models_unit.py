"""Model layer without any model: schemas, JSON extraction, budgets, cache, scripted backend, repair loop."""

from __future__ import annotations

import json
from typing import Literal

import pytest
from airloop.agents.models import (
    Budget,
    Failed,
    ModelConfig,
    ModelError,
    Ok,
    ScriptedModel,
    Usage,
    chat_tools,
    get_model,
    pydantic_schema,
    registered_backends,
    structured,
)
from airloop.agents.models._ollama import full_name, normalize_host
from airloop.agents.models._schema import (
    action_schema,
    calls_in_content,
    inline_refs,
    json_values,
    max_tokens_for,
    normalize_tools,
)
from pydantic import BaseModel, Field


class Constraint(BaseModel):
    kpi: Literal["coverage", "latency_ms"]
    op: Literal[">=", "<="]
    value: float = Field(ge=0, le=1000)


class Plan(BaseModel):
    objective: Literal["energy_w", "throughput_mean_mbps"]
    constraints: list[Constraint] = Field(default_factory=list, max_length=3)
    note: str | None = Field(None, max_length=40)


GOOD = {"objective": "energy_w", "constraints": [{"kpi": "coverage", "op": ">=", "value": 0.95}]}
TOOL = {"name": "simulate", "description": "What-if simulation of cell changes.",
        "parameters": {"type": "object", "properties": {"cell": {"type": "integer", "minimum": 0, "maximum": 56}},
                       "required": ["cell"]}}
MSGS = [{"role": "system", "content": "You plan."}, {"role": "user", "content": "cut energy at night"}]


def scripted(*answers):
    return ScriptedModel.from_answers(list(answers))


# -- schemas ---------------------------------------------------------------------------------------------------------


def test_pydantic_schema_is_closed_and_ref_free():
    schema = pydantic_schema(Plan)
    text = json.dumps(schema)
    assert "$ref" not in text and "$defs" not in text
    assert schema["additionalProperties"] is False
    item = schema["properties"]["constraints"]["items"]
    assert item["additionalProperties"] is False and item["properties"]["kpi"]["enum"] == ["coverage", "latency_ms"]
    assert schema["properties"]["constraints"]["maxItems"] == 3


def test_recursive_schema_is_refused():
    class Node(BaseModel):
        children: list[Node] = []

    with pytest.raises(ValueError, match="recursive"):
        inline_refs(Node.model_json_schema())


def test_max_tokens_follows_schema_bounds():
    small = max_tokens_for(pydantic_schema(Constraint), cap=1024)
    big = max_tokens_for(pydantic_schema(Plan), cap=1024)
    assert 64 <= small < big <= 1024
    assert max_tokens_for({"type": "array", "items": {"type": "string"}}, cap=300) <= 300


def test_json_values_finds_fenced_tagged_and_embedded_json():
    assert json_values('{"a": 1}') == [{"a": 1}]
    assert json_values('Sure!\n```json\n{"a": 2}\n```') == [{"a": 2}]
    assert json_values('<tool_call>{"name": "x", "arguments": {}}</tool_call>') == [{"name": "x", "arguments": {}}]
    assert json_values('I think {"a": 3} and then [1, 2]') == [{"a": 3}, [1, 2]]
    assert json_values("no json here") == []


@pytest.mark.parametrize("content", [
    '{"name": "simulate", "arguments": {"cell": 3}}',
    '{"name": "simulate", "arguments": "{\\"cell\\": 3}"}',
    '{"function": {"name": "simulate", "arguments": {"cell": 3}}}',
    '{"tool_calls": [{"type": "function", "function": {"name": "simulate", "arguments": {"cell": 3}}}]}',
    '{"action": "simulate", "arguments": {"cell": 3}}',
    '[{"name": "simulate", "parameters": {"cell": 3}}]',
    'Let me check.\n<tool_call>\n{"name": "simulate", "arguments": {"cell": 3}}\n</tool_call>',
    '```json\n{"name": "simulate", "arguments": {"cell": 3}}\n```',
])
def test_tool_calls_in_content_dialects(content):
    calls, invalid, _ = calls_in_content(content, {"simulate"})
    assert calls == [{"name": "simulate", "arguments": {"cell": 3}}]
    assert invalid == []


def test_tool_calls_in_content_unknown_tool_and_respond():
    calls, invalid, text = calls_in_content('{"name": "rm_rf", "arguments": {}}', {"simulate"})
    assert calls == [] and invalid[0]["name"] == "rm_rf" and "unknown tool" in invalid[0]["error"]
    calls, invalid, text = calls_in_content('{"action": "respond", "content": "done"}', {"simulate"})
    assert calls == [] and invalid == [] and text == "done"
    calls, invalid, text = calls_in_content("plain words", {"simulate"})
    assert (calls, invalid, text) == ([], [], "plain words")


def test_action_schema_has_one_branch_per_tool_plus_respond():
    schema = action_schema(normalize_tools([{"type": "function", "function": TOOL}]))
    actions = [b["properties"]["action"]["enum"][0] for b in schema["anyOf"]]
    assert actions == ["simulate", "respond"]
    assert all(b["additionalProperties"] is False for b in schema["anyOf"])


# -- budget ----------------------------------------------------------------------------------------------------------


def usage(p=10, c=5, cached=False):
    return Usage(prompt_tokens=p, completion_tokens=c, backend="scripted", model="m", cached=cached)


def test_budget_limits_and_summary():
    b = Budget(max_llm_calls=2, max_tokens=100, max_sim_evals=3)
    assert b.exhausted() is None
    b.charge_llm(usage())
    b.charge_sim(2)
    assert b.exhausted() is None
    b.charge_llm(usage(cached=True))
    assert b.exhausted() == "llm_calls"
    s = b.summary()
    assert s["used"]["llm_calls"] == 2 and s["used"]["cached_calls"] == 1 and s["used"]["tokens"] == 30
    assert s["exhausted"] == "llm_calls" and s["limits"]["tokens"] == 100
    assert len(b.usage) == 2
    assert Budget(max_tokens=10).exhausted() is None
    b2 = Budget(max_tokens=10)
    b2.charge_llm(usage())
    assert b2.exhausted() == "tokens"
    b3 = Budget(max_sim_evals=1)
    b3.charge_sim()
    assert b3.exhausted() == "sim_evals"
    assert Budget(max_wall_s=0).exhausted() == "wall_s"
    with pytest.raises(ValueError):
        Budget(max_llm_calls=-1)


# -- structured: repair loop, failures, budget -------------------------------------------------------------------------


def test_structured_first_try():
    res = structured(scripted({"content": GOOD}), Plan, MSGS)
    assert isinstance(res, Ok) and res.ok and res.attempts == 1
    assert res.value.constraints[0].value == 0.95
    assert res.usage[0].backend == "scripted" and res.usage[0].estimated


def test_structured_repair_sends_validation_error_back():
    model = scripted({"content": {"objective": "energy", "constraints": []}}, {"content": GOOD})
    res = structured(model, Plan, MSGS)
    assert res.ok and res.attempts == 2 and len(res.usage) == 2
    second = model.requests[1].messages
    assert second[:2] == MSGS
    assert second[2]["role"] == "assistant" and '"energy"' in second[2]["content"]
    assert second[3]["role"] == "user" and "objective" in second[3]["content"]
    assert "energy_w" in second[3]["content"]  # the error lists the allowed values
    assert model.requests[1].schema == model.requests[0].schema


def test_structured_fails_after_max_attempts_with_last_raw_and_errors():
    model = scripted(*[{"content": "not json"}] * 2, {"content": '{"objective": 7}'})
    res = structured(model, Plan, MSGS, max_attempts=3)
    assert isinstance(res, Failed) and not res.ok
    assert res.reason.startswith("invalid_output") and "after 3 attempts" in res.reason
    assert res.attempts == 3 and res.raw == '{"objective": 7}' and res.errors and len(res.usage) == 3


def test_structured_accepts_fenced_json():
    res = structured(scripted({"content": "Here:\n```json\n" + json.dumps(GOOD) + "\n```"}), Plan, MSGS)
    assert res.ok


def test_structured_with_dict_schema_validates_with_jsonschema():
    schema = {"type": "object", "properties": {"n": {"type": "integer", "maximum": 3}}, "required": ["n"]}
    res = structured(scripted({"content": '{"n": 9}'}, {"content": '{"n": 2}'}), schema, MSGS)
    assert res.ok and res.value == {"n": 2} and res.attempts == 2


def test_budget_exhaustion_ends_cleanly_before_calling():
    model = scripted({"content": GOOD})
    budget = Budget(max_llm_calls=0)
    res = structured(model, Plan, MSGS, budget=budget)
    assert isinstance(res, Failed) and res.reason == "budget_exhausted: llm_calls" and res.attempts == 0
    assert model.calls == 0
    turn = chat_tools(model, MSGS, [TOOL], budget=budget)
    assert turn.error == "budget_exhausted: llm_calls" and model.calls == 0


def test_budget_exhausted_mid_repair():
    model = scripted({"content": "bad"}, {"content": GOOD})
    budget = Budget(max_llm_calls=1)
    res = structured(model, Plan, MSGS, budget=budget)
    assert res.reason == "budget_exhausted: llm_calls" and res.attempts == 1 and res.raw == "bad"
    assert budget.summary()["used"]["llm_calls"] == 1 and len(budget.usage) == 1


def test_token_budget():
    budget = Budget(max_tokens=1)
    model = scripted({"content": "bad"}, {"content": GOOD})
    res = structured(model, Plan, MSGS, budget=budget)
    assert res.reason == "budget_exhausted: tokens"


def test_scripted_runs_out_loudly():
    model = scripted({"content": GOOD})
    assert structured(model, Plan, MSGS).ok
    res = structured(model, Plan, MSGS)
    assert isinstance(res, Failed)
    assert "scripted model ran out of answers at call 2" in res.reason
    assert res.reason.startswith("model_error:scripted_exhausted")


def test_scripted_backend_error_becomes_failed():
    res = structured(scripted({"error": {"code": "timeout", "message": "slow"}}), Plan, MSGS)
    assert res.reason.startswith("model_error:timeout") and res.attempts == 1


def test_scripted_keyed_answers_and_file(tmp_path):
    path = tmp_path / "answers.jsonl"
    path.write_text("\n".join(json.dumps(a) for a in [
        {"content": GOOD},
        {"match": "latency", "content": {"objective": "throughput_mean_mbps"}},
    ]) + "\n")
    model = get_model(f"scripted:{path}")
    assert model.backend == "scripted" and model.describe()["answers"] == 2
    res = structured(model, Plan, [{"role": "user", "content": "keep latency low"}])
    assert res.ok and res.value.objective == "throughput_mean_mbps"
    res = structured(model, Plan, [{"role": "user", "content": "anything"}])
    assert res.ok and res.value.objective == "energy_w"


def test_bad_scripted_file(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"nope": 1}\n')
    with pytest.raises(ModelError, match="content"):
        get_model(f"scripted:{path}")
    with pytest.raises(ModelError, match="does not exist"):
        get_model(f"scripted:{tmp_path}/missing.jsonl")


def test_unknown_spec_lists_backends():
    with pytest.raises(ModelError) as e:
        get_model("gpt5:whatever")
    assert e.value.code == "bad_spec" and "ollama:<model>" in str(e.value)
    with pytest.raises(ModelError, match="openai:<base_url>#<model>"):
        get_model("openai:http://x/v1")


def test_registry_has_the_four_backends():
    assert {"ollama", "llamacpp", "openai", "scripted"} <= set(registered_backends())


# -- chat_tools with the scripted backend ---------------------------------------------------------------------------


def test_chat_tools_native_calls_and_unknown_tool():
    model = scripted({"tool_calls": [{"name": "simulate", "arguments": {"cell": 3}},
                                     {"name": "apply", "arguments": {}}]})
    turn = chat_tools(model, MSGS, [TOOL])
    assert turn.tool_calls == [{"name": "simulate", "arguments": {"cell": 3}}]
    assert turn.invalid[0]["name"] == "apply" and turn.error is None and turn.native
    assert model.requests[0].tools[0]["name"] == "simulate" and model.requests[0].schema is None


def test_chat_tools_accepts_calls_in_content():
    turn = chat_tools(scripted({"content": '<tool_call>{"name": "simulate", "arguments": {"cell": 1}}</tool_call>'}),
                      MSGS, [TOOL])
    assert turn.tool_calls == [{"name": "simulate", "arguments": {"cell": 1}}] and turn.content == ""


def test_chat_tools_fallback_action_schema_when_no_native_tools():
    model = scripted({"content": '{"action": "simulate", "arguments": {"cell": 2}}'},
                     {"content": '{"action": "respond", "content": "all good"}'})
    model.native_tools = False
    turn = chat_tools(model, MSGS, [TOOL])
    assert turn.tool_calls == [{"name": "simulate", "arguments": {"cell": 2}}] and not turn.native
    req = model.requests[0]
    assert req.tools is None and "anyOf" in req.schema
    assert "simulate" in req.messages[0]["content"] and req.messages[0]["role"] == "system"
    turn = chat_tools(model, MSGS, [TOOL])
    assert turn.tool_calls == [] and turn.content == "all good"


def test_chat_tools_without_tools_is_plain_chat():
    turn = chat_tools(scripted({"content": "hello"}), MSGS, [])
    assert turn.content == "hello" and turn.tool_calls == [] and turn.error is None


def test_chat_tools_error_is_reported_not_raised():
    turn = chat_tools(scripted(), MSGS, [TOOL])
    assert turn.error and "ran out of answers at call 1" in turn.error


# -- cache -----------------------------------------------------------------------------------------------------------


def test_cache_replays_exactly(tmp_path):
    cfg = ModelConfig(cache_path=str(tmp_path / "calls.sqlite"))
    first = ScriptedModel.from_answers([{"content": GOOD}], cfg)
    res1 = structured(first, Plan, MSGS)
    assert res1.ok and not res1.usage[0].cached
    replay = ScriptedModel.from_answers([], cfg)  # no answers: only the cache can answer
    budget = Budget()
    res2 = structured(replay, Plan, MSGS, budget=budget)
    assert res2.ok and res2.value == res1.value and res2.usage[0].cached and replay.calls == 0
    assert res2.usage[0].prompt_tokens == res1.usage[0].prompt_tokens
    assert budget.summary()["used"]["cached_calls"] == 1
    # a different message, temperature or seed is a different call
    assert not structured(replay, Plan, MSGS[:1] + [{"role": "user", "content": "other"}]).ok
    assert not structured(replay, Plan, MSGS, temperature=0.5).ok
    reseeded = ScriptedModel.from_answers([], cfg.model_copy(update={"seed": 1}))
    assert not structured(reseeded, Plan, MSGS).ok


def test_cache_key_includes_schema(tmp_path):
    cfg = ModelConfig(cache_path=str(tmp_path / "calls.sqlite"))
    structured(ScriptedModel.from_answers([{"content": GOOD}], cfg), Plan, MSGS)
    assert not structured(ScriptedModel.from_answers([], cfg), Constraint, MSGS).ok


# -- misc ------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("raw", "url"), [
    ("", "http://127.0.0.1:11434"),
    ("0.0.0.0", "http://127.0.0.1:11434"),
    ("gpu-box:11500", "http://gpu-box:11500"),
    ("https://ollama.example.com", "https://ollama.example.com:443"),
    ("http://10.0.0.5:11434/", "http://10.0.0.5:11434"),
])
def test_normalize_host_reads_ollama_host_like_the_client(raw, url):
    assert normalize_host(raw) == url


def test_full_name():
    assert full_name("llama3.1") == "llama3.1:latest" and full_name("qwen2.5:7b") == "qwen2.5:7b"


def test_config_from_env(monkeypatch):
    monkeypatch.setenv("OLLAMA_HOST", "box:1234")
    monkeypatch.setenv("AIRLOOP_NUM_CTX", "16384")
    monkeypatch.setenv("AIRLOOP_ENDPOINTS", "openai:http://a/v1#m, ollama:x")
    cfg = ModelConfig.from_env(seed=7)
    assert cfg.ollama_host == "box:1234" and cfg.num_ctx == 16384 and cfg.seed == 7
    assert cfg.endpoints == ["openai:http://a/v1#m", "ollama:x"]


def test_llamacpp_threads_come_from_the_environment_and_a_bad_count_is_a_clear_error(monkeypatch):
    monkeypatch.setenv("AIRLOOP_LLAMACPP_THREADS", "1")
    assert ModelConfig.from_env().llamacpp_threads == 1
    monkeypatch.delenv("AIRLOOP_LLAMACPP_THREADS")
    assert ModelConfig.from_env().llamacpp_threads is None
    for bad in ("0", "two", "-1"):
        monkeypatch.setenv("AIRLOOP_LLAMACPP_THREADS", bad)
        with pytest.raises(ModelError) as err:
            ModelConfig.from_env()
        assert err.value.code == "bad_spec" and repr(bad) in err.value.message and "unset it" in (err.value.hint or "")
