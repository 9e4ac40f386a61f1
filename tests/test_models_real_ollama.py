"""Tests against a real Ollama server: run when ``OLLAMA_HOST`` (default 127.0.0.1:11434) answers, skip otherwise.

The model is ``AIRLOOP_OLLAMA_MODEL`` (default qwen2.5:7b); it must be pulled.
"""

from __future__ import annotations

import os
from typing import Literal

import pytest
from airloop.agents.models import Budget, ModelConfig, ModelError, Ok, chat_tools, get_model, structured
from airloop.agents.models._ollama import full_name, list_models, normalize_host
from pydantic import BaseModel, Field

CONFIG = ModelConfig.from_env(probe_timeout_s=2.0)
HOST = normalize_host(CONFIG.ollama_host)


def _skip_reason() -> str | None:
    try:
        models = list_models(HOST, timeout_s=CONFIG.probe_timeout_s)
    except ModelError as e:
        return f"{e.message}; OLLAMA_HOST={os.environ.get('OLLAMA_HOST', '(unset)')}"
    if not any(full_name(m["name"] or "") == full_name(CONFIG.ollama_model) for m in models):
        return f"Ollama at {HOST} answers but {CONFIG.ollama_model} is not pulled: `ollama pull {CONFIG.ollama_model}`"
    return None


REASON = _skip_reason()
pytestmark = [pytest.mark.ollama, pytest.mark.skipif(REASON is not None, reason=REASON or "")]


class Objective(BaseModel):
    kpi: Literal["energy_w", "coverage", "latency_ms", "throughput_mean_mbps"]
    goal: Literal["minimize", "maximize"]
    hours: list[int] = Field(default_factory=list, max_length=24)


def test_real_structured_intent():
    model = get_model(f"ollama:{CONFIG.ollama_model}", config=CONFIG)
    msgs = [{"role": "system", "content": "Extract the objective KPI, the goal and the hours (0-23) as JSON."},
            {"role": "user", "content": "Cut energy use at night, from midnight to 6am."}]
    res = structured(model, Objective, msgs, budget=Budget(max_llm_calls=3))
    assert isinstance(res, Ok), res
    assert res.usage[0].digest and res.usage[0].prompt_tokens > 0
    assert res.value.kpi == "energy_w" and res.value.goal == "minimize"


def test_real_tool_turn():
    model = get_model(f"ollama:{CONFIG.ollama_model}", config=CONFIG)
    tools = [{"name": "read_kpis", "description": "Read the network KPIs of one slice.",
              "parameters": {"type": "object", "properties": {"slice": {"enum": ["embb", "urllc", "mmtc"]}},
                             "required": ["slice"]}}]
    turn = chat_tools(model, [{"role": "user", "content": "What is the URLLC latency right now? Use the tools."}],
                      tools)
    assert turn.error is None
    assert turn.tool_calls and turn.tool_calls[0]["name"] == "read_kpis"


def test_real_auto_picks_ollama():
    assert get_model("auto", config=CONFIG).backend == "ollama"
