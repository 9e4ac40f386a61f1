"""Model-backend conformance: `check_model_backend` holds a `ChatModel` backend to the model layer's contract.

LangGraph's checkpoint-conformance habit: one suite every backend passes. A backend is checked through a
`BackendHarness`: the model, plus (for a backend whose answers can be scripted: the scripted backend, a fake server)
a way to queue its next answers and to build another instance with another config. Without a script the model is
treated as real: only the checks that hold for any answer run.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

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

from ._report import CheckReport, Skip, Suite


class Verdict(BaseModel):
    """Every grammar-valid answer is a valid Verdict, so even a 135M model must pass."""

    slice: Literal["embb", "urllc", "mmtc"]
    goal: Literal["minimize", "maximize"]
    urgent: bool


GOOD = {"slice": "urllc", "goal": "minimize", "urgent": True}
MESSAGES = [
    {"role": "system", "content": "Answer with a JSON object: slice (embb, urllc or mmtc), goal (minimize or "
                                  "maximize), urgent (true or false)."},
    {"role": "user", "content": "Latency of the URLLC slice must go down right now."},
]
TOOLS = [{"name": "read_kpis", "description": "Read the current KPIs of one slice.",
          "parameters": {"type": "object", "properties": {"slice": {"enum": ["embb", "urllc", "mmtc"]}},
                         "required": ["slice"]}}]
#: A small context window for the checks, so that a prompt can overflow it cheaply.
KIT_CONFIG = ModelConfig(cache_path=None, llamacpp_n_ctx=2048, num_ctx=2048)
#: The checks `check_model_backend` runs, in order.
MODEL_CHECKS = ("describe", "structured_ok", "deterministic", "repair_then_ok", "failed_after_max_attempts",
                "backend_error", "context_overflow", "budget_exhausted", "chat_tools", "cache_replays")

Script = Callable[..., None]
"""Queue the backend's next answers: ``{"content": str}``, ``{"tool_calls": [...]}`` or ``{"status": int,
"error": str}`` (a server error)."""


@dataclass
class BackendHarness:
    """A backend under check: the model, how to script its answers (None: a real model) and how to build another
    instance of it with another config (None: the cache check is skipped)."""

    model: ChatModel
    script: Script | None = None
    make: Callable[[ModelConfig], ChatModel] | None = None
    config: ModelConfig = field(default_factory=lambda: KIT_CONFIG)
    bounded_context: bool = True  # the backend checks a prompt's length before sending (context_tokens then)
    context_tokens: int = 2048

    @property
    def real(self) -> bool:
        return self.script is None

    def queue(self, *answers: dict[str, Any]) -> None:
        if self.script is not None:
            self.script(*answers)

    def overflow_prompt(self) -> list[dict[str, str]]:
        return [{"role": "user", "content": "energy " * (2 * self.context_tokens)}]


def scripted_harness(config: ModelConfig | None = None, model: ScriptedModel | None = None) -> BackendHarness:
    """The scripted backend's harness (around `model`, or a new one): answers go to the instance made last, as a
    server's would."""
    made: list[ScriptedModel] = [model] if model is not None else []

    def make(c: ModelConfig) -> ChatModel:
        made.append(ScriptedModel.from_answers([], c))
        return made[-1]

    def script(*answers: dict[str, Any]) -> None:
        made[-1].add_answers(*[{"error": {"code": "backend_error", "message": a["error"]}} if "status" in a else a
                               for a in answers])

    cfg = config or (model.config if model is not None else KIT_CONFIG)
    return BackendHarness(made[0] if made else make(cfg), script, make, cfg, bounded_context=False)


def _harness(target: BackendHarness | ChatModel | str) -> BackendHarness:
    if isinstance(target, BackendHarness):
        return target
    if isinstance(target, str):
        if target.partition(":")[0] == "scripted":  # the backend is checked, not a file's answers
            return scripted_harness()
        model = get_model(target, config=KIT_CONFIG)
        return BackendHarness(model, make=lambda c: get_model(target, config=c))
    if isinstance(target, ScriptedModel):
        return scripted_harness(model=target)
    return BackendHarness(target, config=target.config)


def _describe(h: BackendHarness) -> None:
    m = h.model
    d = m.describe()
    assert (d.get("spec"), d.get("backend"), d.get("name")) == (m.spec, m.backend, m.name), (
        f"{m!r}: describe() must give spec, backend and name as the model has them; got {d}")
    assert m.backend in registered_backends(), (
        f"{m!r}: backend {m.backend!r} is not registered; decorate the class with @register_backend")
    try:
        json.dumps(d, default=str)
    except (TypeError, ValueError) as e:
        raise AssertionError(f"{m!r}: describe() is not JSON (run records store it): {e}") from e


def _structured_ok(h: BackendHarness) -> None:
    h.queue({"content": json.dumps(GOOD)})
    budget = Budget()
    res = structured(h.model, Verdict, MESSAGES, budget=budget)
    assert isinstance(res, Ok), f"{h.model!r}: a valid answer did not give Ok: {res}"
    assert isinstance(res.value, Verdict) and res.attempts >= 1
    u = res.usage[-1]
    assert (u.backend, u.model) == (h.model.backend, h.model.name), (
        f"{h.model!r}: usage names {u.backend}/{u.model}; build it with ChatModel._usage")
    assert u.prompt_tokens > 0 and u.completion_tokens > 0 and u.latency_s >= 0 and not u.cached, (
        f"{h.model!r}: usage must count tokens (estimated if the backend reports none): {u}")
    assert budget.usage == res.usage and budget.llm_calls == res.attempts, (
        f"{h.model!r}: the budget did not record every call ({budget.llm_calls} calls for {res.attempts} attempts)")


def _deterministic(h: BackendHarness) -> None:
    h.queue({"content": json.dumps(GOOD)}, {"content": json.dumps(GOOD)})
    a = structured(h.model, Verdict, MESSAGES)
    b = structured(h.model, Verdict, MESSAGES)
    assert a.ok and b.ok and a.raw == b.raw, (
        f"{h.model!r}: the same request answered twice differently ({a.raw!r} vs {b.raw!r}); send the config's seed "
        "and temperature")


def _repair_then_ok(h: BackendHarness) -> None:
    if h.real:
        raise Skip("a real model's first answer cannot be forced to be invalid")
    h.queue({"content": '{"slice": "volte", "goal": "minimize", "urgent": true}'}, {"content": json.dumps(GOOD)})
    res = structured(h.model, Verdict, MESSAGES)
    assert res.ok and res.attempts == 2 and len(res.usage) == 2, (
        f"{h.model!r}: an invalid answer then a valid one must give Ok after 2 attempts; got {res}")


def _failed_after_max_attempts(h: BackendHarness) -> None:
    if h.real:
        raise Skip("a real model's answers cannot be forced to be invalid")
    h.queue({"content": "no idea"}, {"content": '{"slice": "embb"}'})
    res = structured(h.model, Verdict, MESSAGES, max_attempts=2)
    assert isinstance(res, Failed) and res.reason.startswith("invalid_output") and res.attempts == 2, (
        f"{h.model!r}: two invalid answers must give Failed('invalid_output...') after 2 attempts; got {res}")


def _backend_error(h: BackendHarness) -> None:
    if h.real:
        if not h.bounded_context:
            raise Skip("a real model without a bounded context cannot be forced to fail")
        res = structured(h.model, Verdict, h.overflow_prompt())
    else:
        h.queue({"status": 500, "error": "boom"})
        res = structured(h.model, Verdict, MESSAGES)
    assert isinstance(res, Failed) and res.reason.startswith("model_error:"), (
        f"{h.model!r}: a backend error must come back as Failed('model_error:...'), not raise; got {res}")


def _context_overflow(h: BackendHarness) -> None:
    if not h.bounded_context:
        raise Skip("the backend has no context window")
    if h.model.backend == "openai" and not h.real:  # the server decides; it answers 400
        h.queue({"status": 400, "error": f"This model's maximum context length is {h.context_tokens} tokens"})
    res = structured(h.model, Verdict, h.overflow_prompt())
    assert isinstance(res, Failed) and res.reason.startswith("model_error:context_overflow"), (
        f"{h.model!r}: a prompt longer than the context must fail loudly as model_error:context_overflow (a server "
        f"that silently drops the front of a prompt gives wrong answers); got {res}")


def _budget_exhausted(h: BackendHarness) -> None:
    h.queue({"content": json.dumps(GOOD)})
    res = structured(h.model, Verdict, MESSAGES, budget=Budget(max_llm_calls=0))
    assert isinstance(res, Failed) and res.reason == "budget_exhausted: llm_calls" and res.attempts == 0, (
        f"{h.model!r}: an exhausted budget must fail before any call; got {res}")
    turn = chat_tools(h.model, MESSAGES, TOOLS, budget=Budget(max_wall_s=0))
    assert turn.error == "budget_exhausted: wall_s" and turn.tool_calls == [], (
        f"{h.model!r}: chat_tools with an exhausted budget must return the error, not call; got {turn}")


def _chat_tools(h: BackendHarness) -> None:
    h.queue({"tool_calls": [{"name": "read_kpis", "arguments": {"slice": "urllc"}}]})
    turn = chat_tools(h.model, MESSAGES, TOOLS, budget=Budget())
    assert turn.error is None, f"{h.model!r}: a tool turn failed: {turn.error}"
    assert all(c["name"] == "read_kpis" and isinstance(c["arguments"], dict) for c in turn.tool_calls), (
        f"{h.model!r}: tool calls must name an offered tool with object arguments; got {turn.tool_calls}")
    assert turn.usage and turn.usage[0].backend == h.model.backend
    if h.real:
        assert turn.tool_calls or turn.content or turn.invalid, f"{h.model!r}: a tool turn said nothing"
    else:
        assert turn.tool_calls == [{"name": "read_kpis", "arguments": {"slice": "urllc"}}], (
            f"{h.model!r}: the scripted tool call did not come back as given; got {turn.tool_calls}")


def _cache_replays(h: BackendHarness) -> None:
    if h.make is None:
        raise Skip("no way to build another instance of the backend (BackendHarness.make)")
    with tempfile.TemporaryDirectory() as tmp:
        cfg = h.config.model_copy(update={"cache_path": str(Path(tmp) / "cache.sqlite")})
        first = h.make(cfg)
        h.queue({"content": json.dumps(GOOD)})
        a = structured(first, Verdict, MESSAGES)
        b = structured(h.make(cfg), Verdict, MESSAGES)  # nothing scripted: only the cache can answer
        assert a.ok and b.ok and a.raw == b.raw, f"{h.model!r}: the cache did not replay the answer ({a}, {b})"
        assert not a.usage[0].cached and b.usage[0].cached, f"{h.model!r}: a replay must be marked cached"
        assert b.usage[0].prompt_tokens == a.usage[0].prompt_tokens, f"{h.model!r}: a replay must keep its usage"


_SUITE: Suite[BackendHarness] = Suite({
    "describe": _describe, "structured_ok": _structured_ok, "deterministic": _deterministic,
    "repair_then_ok": _repair_then_ok, "failed_after_max_attempts": _failed_after_max_attempts,
    "backend_error": _backend_error, "context_overflow": _context_overflow, "budget_exhausted": _budget_exhausted,
    "chat_tools": _chat_tools, "cache_replays": _cache_replays,
})
assert tuple(_SUITE.checks) == MODEL_CHECKS


def check_model_backend(target: BackendHarness | ChatModel | str, *, only: Iterable[str] | None = None,
                        skip: Iterable[str] = ()) -> CheckReport:
    """Hold a model backend to the model layer's contract (`MODEL_CHECKS`; pick with `only`/`skip`).

    `target` is a `BackendHarness` (scriptable: every check runs), a model or a spec (a real model: the checks that
    need scripted answers are skipped; a ``scripted`` spec or model gets `scripted_harness`, a model's own answers
    first, so give an empty one). The checks: ``describe``,
    ``structured_ok`` (usage and budget recorded), ``deterministic``, ``repair_then_ok``,
    ``failed_after_max_attempts``, ``backend_error`` (a Failed, never an exception), ``context_overflow`` (fails
    loudly), ``budget_exhausted`` (no call made), ``chat_tools`` and ``cache_replays``. Raises `AssertionError` naming
    the likely cause; returns what passed and what was skipped.
    """
    h = _harness(target)
    return _SUITE.run(h, f"model backend {h.model.backend!r} ({h.model.spec})", only, skip)
