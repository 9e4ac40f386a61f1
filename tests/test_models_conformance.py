"""The model-backend conformance kit (`airloop.testing.check_model_backend`) over every registered backend.

LangGraph's checkpoint-conformance habit. Each backend gets a `BackendHarness`: the model, plus a way to script its
answers (scripted backend, fake Ollama server, fake OpenAI-compatible server) or none (the real embedded model, marked
``embedded``). A backend registered without a harness fails ``test_every_registered_backend_has_a_harness``, so a new
backend is tested the moment it exists.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from airloop.agents.models import (
    ChatModel,
    ChatRequest,
    Completion,
    ModelConfig,
    ModelError,
    get_model,
    registered_backends,
)
from airloop.testing import GOOD, KIT_CONFIG, MODEL_CHECKS, BackendHarness, check_model_backend, scripted_harness

try:
    from tests.fake_ollama import FakeOllama, FakeOpenAI
except ImportError:
    from fake_ollama import FakeOllama, FakeOpenAI


def _scripted(cfg: ModelConfig) -> Iterator[BackendHarness]:
    yield scripted_harness(cfg)


def _ollama(cfg: ModelConfig) -> Iterator[BackendHarness]:
    with FakeOllama() as srv:
        cfg = cfg.model_copy(update={"ollama_host": srv.url})

        def make(c: ModelConfig) -> ChatModel:
            return get_model("ollama:qwen2.5:7b", config=c.model_copy(update={"ollama_host": srv.url}))

        yield BackendHarness(make(cfg), srv.queue, make, cfg)


def _openai(cfg: ModelConfig) -> Iterator[BackendHarness]:
    with FakeOpenAI() as srv:
        def make(c: ModelConfig) -> ChatModel:
            return get_model(f"openai:{srv.base_url}#{srv.model}", config=c)

        def script(*answers: dict[str, Any]) -> None:
            srv.queue(*answers)

        yield BackendHarness(make(cfg), script, make, cfg)


def _llamacpp(cfg: ModelConfig) -> Iterator[BackendHarness]:
    def make(c: ModelConfig) -> ChatModel:
        return get_model("llamacpp", config=c)

    yield BackendHarness(make(cfg), None, make, cfg, context_tokens=cfg.llamacpp_n_ctx)


HARNESSES = {"scripted": _scripted, "ollama": _ollama, "openai": _openai, "llamacpp": _llamacpp}
PARAMS = [pytest.param(name, marks=[pytest.mark.embedded] if name == "llamacpp" else [], id=name)
          for name in HARNESSES]


@pytest.fixture(params=PARAMS)
def h(request) -> Iterator[BackendHarness]:
    cfg = KIT_CONFIG.model_copy(update={"ollama_host": "127.0.0.1:1"})
    yield from HARNESSES[request.param](cfg)


def test_every_registered_backend_has_a_harness():
    assert set(registered_backends()) <= set(HARNESSES), "add a harness for the new backend to this suite"


@pytest.mark.parametrize("check", MODEL_CHECKS)
def test_conformance(h, check):
    report = check_model_backend(h, only=[check])
    if check in report.skipped:
        pytest.skip(report.skipped[check])
    assert report.passed == [check]


# -- the kit fails backends built to fail it -------------------------------------------------------------------------


class Unregistered(ChatModel):
    """A backend nobody registered, whose every call fails."""

    backend = "nowhere"

    def _complete(self, request: ChatRequest) -> Completion:
        raise ModelError("backend_error", "nothing here")


class Careless(Unregistered):
    """A backend that answers whatever the prompt's length (a server that silently drops its front)."""

    def _complete(self, request: ChatRequest) -> Completion:
        content = json.dumps(GOOD)
        return Completion(content=content, usage=self._usage(None, None, messages=request.messages, content=content))


def test_check_model_backend_fails_an_unregistered_backend():
    with pytest.raises(AssertionError, match="is not registered"):
        check_model_backend(Unregistered("nowhere:x", "x", KIT_CONFIG), only=["describe"])


def test_check_model_backend_fails_a_backend_that_ignores_its_context():
    report = check_model_backend(Unregistered("nowhere:x", "x", KIT_CONFIG), only=["backend_error"])
    assert report.passed == ["backend_error"]  # a real model's overflowing prompt: a Failed, not an exception
    with pytest.raises(AssertionError, match="context_overflow"):
        check_model_backend(Careless("nowhere:x", "x", KIT_CONFIG), only=["context_overflow"])


def test_check_model_backend_on_a_real_model_skips_what_needs_a_script():
    report = check_model_backend(Unregistered("nowhere:x", "x", KIT_CONFIG), only=["repair_then_ok", "cache_replays"])
    assert set(report.skipped) == {"repair_then_ok", "cache_replays"} and not report.passed
