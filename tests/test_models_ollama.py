"""Contract tests of the Ollama path: the real ``ollama`` and ``langchain-ollama`` clients against a fake server.

Asserts what airloop sends (``format`` with the JSON schema and no tools on structured calls, ``options.num_ctx``,
``seed``, ``temperature``, ``keep_alive``) and how it reads streamed, non-streamed and tool-call replies, including
tool calls written into ``content``; and the pre-flight failures (server down, model not pulled, prompt too long).
"""

from __future__ import annotations

import json
import socket
from typing import Literal

import pytest
from airloop.agents.models import Budget, Failed, ModelConfig, ModelError, chat_tools, get_model, inventory, structured
from pydantic import BaseModel, Field

try:
    from tests.fake_ollama import FakeOllama
except ImportError:  # tests/ is not a package: pytest puts it on sys.path
    from fake_ollama import FakeOllama


class Objective(BaseModel):
    kpi: Literal["energy_w", "coverage", "latency_ms"]
    goal: Literal["minimize", "maximize"]
    hours: list[int] = Field(default_factory=list, max_length=24)


GOOD = '{"kpi": "energy_w", "goal": "minimize", "hours": [0, 1, 2]}'
MSGS = [{"role": "system", "content": "Read the objective."}, {"role": "user", "content": "cut energy at night"}]
TOOLS = [{"type": "function", "function": {
    "name": "read_kpis", "description": "Read the network KPIs.",
    "parameters": {"type": "object", "properties": {"slice": {"enum": ["embb", "urllc", "mmtc"]}}}}}]


@pytest.fixture
def server():
    with FakeOllama() as srv:
        yield srv


@pytest.fixture
def config(server):
    return ModelConfig(ollama_host=server.url, num_ctx=4096, seed=11, keep_alive="3m")


def test_structured_request_shape(server, config):
    model = get_model("ollama:qwen2.5:7b", config=config)
    server.queue({"content": GOOD})
    res = structured(model, Objective, MSGS)
    assert res.ok and res.value.hours == [0, 1, 2]
    body = server.chat_requests()[-1]
    assert body["format"]["properties"]["kpi"]["enum"] == ["energy_w", "coverage", "latency_ms"]
    assert body["format"]["additionalProperties"] is False
    # never format and tools together (the official client always serialises `tools`, as [] when none)
    assert not body.get("tools")
    assert body["options"]["num_ctx"] == 4096
    assert body["options"]["seed"] == 11 and body["options"]["temperature"] == 0.0
    assert 0 < body["options"]["num_predict"] <= config.max_tokens_structured_cap
    assert body["keep_alive"] == "3m" and body["stream"] is True
    assert body["messages"] == MSGS
    u = res.usage[0]
    assert (u.backend, u.model) == ("ollama", "qwen2.5:7b") and u.digest.startswith("845dbda0")
    assert u.prompt_tokens > 0 and u.completion_tokens > 0 and not u.estimated


def test_preflight_uses_tags_and_show_once(server, config):
    model = get_model("ollama:qwen2.5:7b", config=config)
    server.queue({"content": GOOD}, {"content": GOOD})
    structured(model, Objective, MSGS)
    structured(model, Objective, MSGS)
    paths = [r["path"] for r in server.requests]
    assert paths == ["/api/tags", "/api/show", "/api/chat", "/api/chat"]
    assert model.describe()["capabilities"] == ["completion", "tools"]
    assert model.describe()["context_length"] == 32768 and model.describe()["num_ctx"] == 4096


def test_non_streamed_reply(server, config):
    model = get_model("ollama:qwen2.5:7b", config=config)
    model.stream = False
    server.queue({"content": GOOD})
    res = structured(model, Objective, MSGS)
    assert res.ok and server.chat_requests()[-1]["stream"] is False
    assert res.usage[0].prompt_tokens > 0


def test_streamed_reply_is_reassembled(server, config):
    long = json.dumps({"kpi": "coverage", "goal": "maximize", "hours": list(range(24))})
    server.queue({"content": long})
    res = structured(get_model("ollama:qwen2.5:7b", config=config), Objective, MSGS)
    assert res.ok and res.value.hours == list(range(24))


def test_repair_loop_over_ollama(server, config):
    server.queue({"content": '{"kpi": "power", "goal": "minimize"}'}, {"content": GOOD})
    res = structured(get_model("ollama:qwen2.5:7b", config=config), Objective, MSGS)
    assert res.ok and res.attempts == 2
    second = server.chat_requests()[1]
    assert second["messages"][-2]["role"] == "assistant" and "power" in second["messages"][-2]["content"]
    assert "kpi" in second["messages"][-1]["content"] and second["format"]


def test_native_tool_calls(server, config):
    server.queue({"tool_calls": [{"name": "read_kpis", "arguments": {"slice": "urllc"}}]})
    turn = chat_tools(get_model("ollama:qwen2.5:7b", config=config), MSGS, TOOLS)
    assert turn.tool_calls == [{"name": "read_kpis", "arguments": {"slice": "urllc"}}] and turn.native
    body = server.chat_requests()[-1]
    assert body["tools"][0]["function"]["name"] == "read_kpis"
    assert body.get("format") in (None, "")  # tools, so no format
    assert body["options"]["num_ctx"] == 4096


def test_tool_call_arriving_in_content(server, config):
    server.queue({"content": '<tool_call>\n{"name": "read_kpis", "arguments": {"slice": "embb"}}\n</tool_call>'})
    turn = chat_tools(get_model("ollama:qwen2.5:7b", config=config), MSGS, TOOLS)
    assert turn.tool_calls == [{"name": "read_kpis", "arguments": {"slice": "embb"}}]


def test_model_without_tools_capability_uses_action_schema(server, config):
    server.queue({"content": '{"action": "read_kpis", "arguments": {"slice": "mmtc"}}'})
    model = get_model("ollama:tiny", config=config)
    turn = chat_tools(model, MSGS, TOOLS)
    assert turn.tool_calls == [{"name": "read_kpis", "arguments": {"slice": "mmtc"}}] and not turn.native
    body = server.chat_requests()[-1]
    assert body["format"]["anyOf"] and not body.get("tools")


def test_tools_refused_by_server_switches_to_fallback(server, config):
    server.models["qwen2.5:7b"]["capabilities"] = None  # an old server: no capabilities reported
    server.queue({"status": 400, "error": "registry.ollama.ai/library/qwen2.5:7b does not support tools"},
                 {"content": '{"action": "respond", "content": "nothing to do"}'})
    model = get_model("ollama:qwen2.5:7b", config=config)
    turn = chat_tools(model, MSGS, TOOLS)
    assert turn.error is None and turn.content == "nothing to do" and not model.native_tools
    assert len(turn.usage) == 1  # the refused call produced no usage


def test_missing_model_says_ollama_pull(server, config):
    res = structured(get_model("ollama:llama3.1:8b", config=config), Objective, MSGS)
    assert isinstance(res, Failed) and res.reason.startswith("model_error:model_not_found")
    assert "ollama pull llama3.1:8b" in res.reason
    assert server.chat_requests() == []  # found out before sending
    with pytest.raises(ModelError, match="ollama pull llama3.1:8b"):
        get_model("ollama:llama3.1:8b", config=config).preflight()


def test_prompt_too_long_fails_before_sending(server, config):
    huge = [{"role": "user", "content": "x" * 20_000}]  # ~5.7k tokens > num_ctx 4096
    res = structured(get_model("ollama:qwen2.5:7b", config=config), Objective, huge)
    assert res.reason.startswith("model_error:context_overflow") and "num_ctx 4096" in res.reason
    assert server.chat_requests() == []
    turn = chat_tools(get_model("ollama:qwen2.5:7b", config=config), huge, TOOLS)
    assert turn.error.startswith("model_error:context_overflow") and server.chat_requests() == []


def test_tool_schemas_count_against_num_ctx(server):
    config = ModelConfig(ollama_host=server.url, num_ctx=1024, max_tokens=256)
    many = [{"name": f"tool_{i}", "description": "d" * 200, "parameters": {"type": "object", "properties": {}}}
            for i in range(20)]
    turn = chat_tools(get_model("ollama:qwen2.5:7b", config=config), MSGS, many)
    assert turn.error and "context_overflow" in turn.error and server.chat_requests() == []


def test_server_error_and_budget(server, config):
    server.queue({"status": 500, "error": "out of memory"})
    res = structured(get_model("ollama:qwen2.5:7b", config=config), Objective, MSGS)
    assert res.reason.startswith("model_error:backend_error") and "out of memory" in res.reason
    res = structured(get_model("ollama:qwen2.5:7b", config=config), Objective, MSGS, budget=Budget(max_wall_s=0))
    assert res.reason == "budget_exhausted: wall_s"


def test_timeout_becomes_failed(server):
    server.delay_s = 1.0
    config = ModelConfig(ollama_host=server.url, timeout_s=0.3, probe_timeout_s=2.0)
    model = get_model("ollama:qwen2.5:7b", config=config)
    res = structured(model, Objective, MSGS)
    assert isinstance(res, Failed) and res.reason.startswith("model_error:timeout") and res.attempts == 1


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_unreachable_server():
    config = ModelConfig(ollama_host=f"127.0.0.1:{_closed_port()}", probe_timeout_s=0.5)
    res = structured(get_model("ollama:qwen2.5:7b", config=config), Objective, MSGS)
    assert res.reason.startswith("model_error:unreachable") and "ollama serve" in res.reason


def test_ollama_host_env_is_respected(server, monkeypatch):
    monkeypatch.setenv("OLLAMA_HOST", f"127.0.0.1:{server.port}")
    server.queue({"content": GOOD})
    model = get_model("ollama:qwen2.5:7b")
    assert model.host == server.url and structured(model, Objective, MSGS).ok


def test_auto_picks_ollama_when_it_has_the_model(server, config):
    model = get_model("auto", config=config)
    assert model.backend == "ollama" and "answers and has qwen2.5:7b" in model.describe()["picked_because"]


def test_auto_falls_back_when_model_not_pulled(server):
    config = ModelConfig(ollama_host=server.url, ollama_model="mistral:7b")
    model = get_model("auto", config=config)
    assert model.backend == "llamacpp"
    assert "ollama pull mistral:7b" in model.picked_because and "embedded" in model.picked_because


def test_auto_falls_back_when_no_server():
    config = ModelConfig(ollama_host=f"127.0.0.1:{_closed_port()}", probe_timeout_s=0.5)
    model = get_model("auto", config=config)
    assert model.backend == "llamacpp" and "no Ollama server answers" in model.picked_because


def test_inventory_lists_server_models(server, config):
    inv = inventory(config)
    assert inv["ollama"]["reachable"] and inv["ollama"]["has_configured_model"]
    assert {m["name"] for m in inv["ollama"]["models"]} == {"qwen2.5:7b", "tiny:latest"}
    assert inv["auto"]["backend"] == "ollama"
    json.dumps(inv)  # JSON-ready
