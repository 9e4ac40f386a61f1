"""One conformance suite for every registered model backend (LangGraph's checkpoint-conformance habit).

Each backend gets a harness: the model, plus a way to script its answers (scripted backend, fake Ollama server, fake
OpenAI-compatible server) or none (the real embedded model, marked ``embedded``). A backend registered without a
harness fails ``test_every_registered_backend_has_a_harness``, so a new backend is tested the moment it exists.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Literal

import pytest
from airloop.agents.models import (
    Budget,
    ChatModel,
    Failed,
    ModelConfig,
    Ok,
    ScriptedModel,
    chat_tools,
    get_model,
    registered_backends,
    structured,
)
from pydantic import BaseModel

try:
    from tests.fake_ollama import FakeOllama, FakeOpenAI
except ImportError:
    from fake_ollama import FakeOllama, FakeOpenAI


class Verdict(BaseModel):
    """Every grammar-valid answer is a valid Verdict, so even the 135M model must pass."""

    slice: Literal["embb", "urllc", "mmtc"]
    goal: Literal["minimize", "maximize"]
    urgent: bool


GOOD = {"slice": "urllc", "goal": "minimize", "urgent": True}
MSGS = [
    {"role": "system", "content": "Answer with a JSON object: slice (embb, urllc or mmtc), goal (minimize or "
                                  "maximize), urgent (true or false)."},
    {"role": "user", "content": "Latency of the URLLC slice must go down right now."},
]
TOOLS = [{"name": "read_kpis", "description": "Read the current KPIs of one slice.",
          "parameters": {"type": "object", "properties": {"slice": {"enum": ["embb", "urllc", "mmtc"]}},
                         "required": ["slice"]}}]


@dataclass
class Harness:
    model: ChatModel
    script: Callable[..., None]  # queue answers ({"content"} / {"tool_calls"} / {"status", "error"})
    make: Callable[[ModelConfig], ChatModel]  # a fresh model of this backend with another config
    config: ModelConfig
    real: bool = False  # a real model: answers cannot be scripted
    bounded_context: bool = True  # the backend checks prompt length before sending


def _scripted(cfg: ModelConfig) -> Iterator[Harness]:
    made: list[ScriptedModel] = []

    def make(c: ModelConfig) -> ChatModel:
        made.append(ScriptedModel.from_answers([], c))
        return made[-1]

    model = make(cfg)

    def script(*answers: dict[str, Any]) -> None:  # answers go to the model made last, as a server's would
        made[-1].add_answers(*[{"error": {"code": "backend_error", "message": a["error"]}} if "status" in a else a
                               for a in answers])

    yield Harness(model, script, make, cfg, bounded_context=False)


def _ollama(cfg: ModelConfig) -> Iterator[Harness]:
    with FakeOllama() as srv:
        cfg = cfg.model_copy(update={"ollama_host": srv.url})

        def make(c: ModelConfig) -> ChatModel:
            return get_model("ollama:qwen2.5:7b", config=c.model_copy(update={"ollama_host": srv.url}))

        yield Harness(make(cfg), srv.queue, make, cfg)


def _openai(cfg: ModelConfig) -> Iterator[Harness]:
    with FakeOpenAI() as srv:
        def make(c: ModelConfig) -> ChatModel:
            return get_model(f"openai:{srv.base_url}#{srv.model}", config=c)

        def script(*answers: dict[str, Any]) -> None:
            srv.queue(*answers)

        yield Harness(make(cfg), script, make, cfg)


def _llamacpp(cfg: ModelConfig) -> Iterator[Harness]:
    def make(c: ModelConfig) -> ChatModel:
        return get_model("llamacpp", config=c)

    yield Harness(make(cfg), lambda *a: None, make, cfg, real=True)


HARNESSES = {"scripted": _scripted, "ollama": _ollama, "openai": _openai, "llamacpp": _llamacpp}
PARAMS = [pytest.param(name, marks=[pytest.mark.embedded] if name == "llamacpp" else [], id=name)
          for name in HARNESSES]


@pytest.fixture(params=PARAMS)
def h(request, tmp_path) -> Iterator[Harness]:
    cfg = ModelConfig(cache_path=None, ollama_host="127.0.0.1:1", llamacpp_n_ctx=2048, num_ctx=2048)
    yield from HARNESSES[request.param](cfg)


def test_every_registered_backend_has_a_harness():
    assert set(registered_backends()) <= set(HARNESSES), "add a harness for the new backend to this suite"


def test_describe(h):
    d = h.model.describe()
    assert d["spec"] == h.model.spec and d["backend"] == h.model.backend and d["name"] == h.model.name
    assert h.model.backend in registered_backends()
    json.dumps(d, default=str)


def test_structured_ok(h):
    h.script({"content": json.dumps(GOOD)})
    budget = Budget()
    res = structured(h.model, Verdict, MSGS, budget=budget)
    assert isinstance(res, Ok), res
    assert isinstance(res.value, Verdict) and res.attempts >= 1
    u = res.usage[-1]
    assert (u.backend, u.model) == (h.model.backend, h.model.name)
    assert u.prompt_tokens > 0 and u.completion_tokens > 0 and u.latency_s >= 0 and not u.cached
    assert budget.usage == res.usage and budget.llm_calls == res.attempts


def test_structured_is_deterministic(h):
    h.script({"content": json.dumps(GOOD)}, {"content": json.dumps(GOOD)})
    a = structured(h.model, Verdict, MSGS)
    b = structured(h.model, Verdict, MSGS)
    assert a.ok and b.ok and a.raw == b.raw


def test_repair_then_ok(h):
    if h.real:
        pytest.skip("a real model's first answer cannot be forced to be invalid")
    h.script({"content": '{"slice": "volte", "goal": "minimize", "urgent": true}'}, {"content": json.dumps(GOOD)})
    res = structured(h.model, Verdict, MSGS)
    assert res.ok and res.attempts == 2 and len(res.usage) == 2


def test_failed_after_max_attempts(h):
    if h.real:
        pytest.skip("a real model's answers cannot be forced to be invalid")
    h.script({"content": "no idea"}, {"content": '{"slice": "embb"}'})
    res = structured(h.model, Verdict, MSGS, max_attempts=2)
    assert isinstance(res, Failed) and res.reason.startswith("invalid_output") and res.attempts == 2


def test_backend_error_is_a_failed_not_an_exception(h):
    if h.real:
        huge = [{"role": "user", "content": "energy " * 4000}]  # > n_ctx 2048
        res = structured(h.model, Verdict, huge)
    else:
        h.script({"status": 500, "error": "boom"})
        res = structured(h.model, Verdict, MSGS)
    assert isinstance(res, Failed) and res.reason.startswith("model_error:")


def test_prompt_longer_than_context_fails_loudly(h):
    if not h.bounded_context:
        pytest.skip("backend has no context window")
    if h.model.backend == "openai":  # the server decides; it answers 400
        h.script({"status": 400, "error": "This model's maximum context length is 2048 tokens"})
    res = structured(h.model, Verdict, [{"role": "user", "content": "energy " * 4000}])
    assert isinstance(res, Failed) and res.reason.startswith("model_error:context_overflow"), res.reason


def test_budget_exhausted_before_any_call(h):
    h.script({"content": json.dumps(GOOD)})
    res = structured(h.model, Verdict, MSGS, budget=Budget(max_llm_calls=0))
    assert isinstance(res, Failed) and res.reason == "budget_exhausted: llm_calls" and res.attempts == 0
    turn = chat_tools(h.model, MSGS, TOOLS, budget=Budget(max_wall_s=0))
    assert turn.error == "budget_exhausted: wall_s" and turn.tool_calls == []


def test_chat_tools_turn(h):
    h.script({"tool_calls": [{"name": "read_kpis", "arguments": {"slice": "urllc"}}]})
    turn = chat_tools(h.model, MSGS, TOOLS, budget=Budget())
    assert turn.error is None, turn.error
    assert all(c["name"] == "read_kpis" and isinstance(c["arguments"], dict) for c in turn.tool_calls)
    assert turn.usage and turn.usage[0].backend == h.model.backend
    if h.real:
        assert turn.tool_calls or turn.content or turn.invalid  # something was said
    else:
        assert turn.tool_calls == [{"name": "read_kpis", "arguments": {"slice": "urllc"}}]


def test_cache_replays(h, tmp_path):
    cfg = h.config.model_copy(update={"cache_path": str(tmp_path / "cache.sqlite")})
    first = h.make(cfg)
    h.script({"content": json.dumps(GOOD)})
    a = structured(first, Verdict, MSGS)
    b = structured(h.make(cfg), Verdict, MSGS)  # nothing scripted: only the cache can answer
    assert a.ok and b.ok and a.raw == b.raw
    assert not a.usage[0].cached and b.usage[0].cached
    assert b.usage[0].prompt_tokens == a.usage[0].prompt_tokens
