"""The backend contract (:class:`ChatModel`) and the registry that maps spec prefixes to backends.

A backend is registered with :func:`register_backend`; the registry records its construction arguments so that every
run record says exactly which model ran with which parameters, and the conformance suite in ``tests/`` parametrizes over
:func:`registered_backends`, so a new backend is tested the moment it is registered.
"""

from __future__ import annotations

import contextvars
import logging
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, ClassVar

from ._cache import CallCache, open_cache
from ._types import ChatRequest, Completion, ModelConfig, ModelError, Usage

_SESSION: contextvars.ContextVar[object | None] = contextvars.ContextVar("airloop_model_session", default=None)


@contextmanager
def model_session() -> Iterator[object]:
    """Calls made inside belong to one session (one run of the graph): an in-process backend may keep state between
    them (the embedded model's KV cache, so a ReAct turn does not re-read the conversation). Outside any session,
    and at the start of a new one, a call starts from nothing, so an answer never depends on another run's calls."""
    token = _SESSION.set(key := object())
    try:
        yield key
    finally:
        _SESSION.reset(token)


def current_session() -> object | None:
    """The session calls belong to now (`model_session`), or None."""
    return _SESSION.get()

log = logging.getLogger("airloop.agents.models")


class ChatModel(ABC):
    """One configured model. Subclasses implement :meth:`_complete` (and usually :meth:`preflight`)."""

    backend: ClassVar[str]
    #: True when the backend passes tools natively; else :func:`chat_tools` uses the JSON "action" schema.
    native_tools: bool = False
    #: the tasks this model was fine-tuned for (e.g. ``{"planner"}``: a LoRA adapter of `airloop train`); a caller
    #: asks such a model with the prompt it was trained on
    tuned_for: frozenset[str] = frozenset()
    #: task -> how the tuned model writes that task's answer where there is a choice (the planner's custom hours:
    #: ``"list"`` or ``"spans"``, from the adapter manifest's ``planner_draft``; absent = ``"list"``)
    draft_formats: Mapping[str, str] = MappingProxyType({})

    def __init__(self, spec: str, name: str, config: ModelConfig) -> None:
        self.spec = spec
        self.name = name
        self.config = config
        #: why ``auto`` picked this model (None when asked for by name)
        self.picked_because: str | None = None
        self._cache: CallCache | None = open_cache(config.cache_path) if config.cache_path else None

    # -- contract ------------------------------------------------------------------------------------------------------
    @abstractmethod
    def _complete(self, request: ChatRequest) -> Completion:
        """Answer one request; raise :class:`ModelError` for anything the caller cannot fix by rephrasing."""

    def preflight(self) -> None:  # noqa: B027 — optional hook, default is "nothing to check"
        """Check the backend can answer at all (server up, model present); raise :class:`ModelError` if not."""

    @property
    def digest(self) -> str | None:
        """Content hash of the weights when known (Ollama digest, sha256 of a GGUF)."""
        return None

    def describe(self) -> dict[str, Any]:
        """JSON-ready description for run records and ``airloop models``."""
        out: dict[str, Any] = {
            "spec": self.spec,
            "backend": self.backend,
            "name": self.name,
            "digest": self.digest,
            "native_tools": self.native_tools,
            "seed": self.config.seed,
            "temperature": self.config.temperature,
            "cache": self.config.cache_path,
        }
        if self.picked_because:
            out["picked_because"] = self.picked_because
        return out

    # -- the one entry point the layer uses ------------------------------------------------------------------------------
    def complete(self, request: ChatRequest) -> Completion:
        """:meth:`_complete` behind the opt-in cache, with latency measured here when the backend did not."""
        key = None
        if self._cache is not None:
            self.preflight()  # the key includes the weights' digest, which preflight reads (Ollama)
            key = self._cache.key(self._cache_identity(), request)
            hit = self._cache.get(key)
            if hit is not None:
                return hit
        t0 = time.perf_counter()
        completion = self._complete(request)
        if not completion.usage.latency_s:
            completion.usage.latency_s = time.perf_counter() - t0
        if self._cache is not None and key is not None:
            self._cache.put(key, completion, request)
        return completion

    def _cache_identity(self) -> dict[str, Any]:
        return {"backend": self.backend, "model": self.name, "digest": self.digest, **self.config.sampling()}

    def _usage(self, prompt_tokens: int | None, completion_tokens: int | None, *, messages: list[dict[str, Any]],
               content: str, latency_s: float = 0.0) -> Usage:
        """A usage record; token counts estimated from characters when the backend reports none."""
        estimated = prompt_tokens is None or completion_tokens is None
        return Usage(
            prompt_tokens=prompt_tokens if prompt_tokens is not None else estimate_tokens(messages),
            completion_tokens=completion_tokens if completion_tokens is not None else estimate_text_tokens(content),
            latency_s=latency_s,
            backend=self.backend,
            model=self.name,
            digest=self.digest,
            estimated=estimated,
        )

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.spec!r}>"


def estimate_text_tokens(text: str) -> int:
    """Conservative token estimate: 3.5 characters a token (real tokenisers average ~4 on English)."""
    return int(len(text) / 3.5) + 1


def estimate_tokens(messages: list[dict[str, Any]], extra: str = "") -> int:
    """Tokens of a chat prompt: content plus ~6 tokens of template per message."""
    return sum(estimate_text_tokens(str(m.get("content", ""))) + 6 for m in messages) + (
        estimate_text_tokens(extra) if extra else 0)


# -- registry ------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BackendInfo:
    """A registered backend: ``prefix`` of its specs, the class, an example spec, and an availability probe that
    returns None when the backend can run here or a sentence saying why not."""

    prefix: str
    cls: type[ChatModel]
    example: str
    available: Callable[[ModelConfig], str | None]
    summary: str


_REGISTRY: dict[str, BackendInfo] = {}


def register_backend(prefix: str, *, example: str, summary: str,
                     available: Callable[[ModelConfig], str | None] | None = None):
    """Class decorator: make ``<prefix>[:<arg>]`` specs build this backend via ``cls.from_spec(arg, config)``."""

    def deco(cls: type[ChatModel]) -> type[ChatModel]:
        if prefix in _REGISTRY and _REGISTRY[prefix].cls is not cls:
            raise ValueError(f"model backend prefix {prefix!r} already registered by {_REGISTRY[prefix].cls}")
        cls.backend = prefix
        _REGISTRY[prefix] = BackendInfo(prefix, cls, example, available or (lambda _c: None), summary)
        return cls

    return deco


def registered_backends() -> dict[str, BackendInfo]:
    """prefix -> :class:`BackendInfo`, in registration order."""
    return dict(_REGISTRY)


def check_spec(spec: str) -> str:
    """``spec`` if it names a registered backend (or is ``auto`` or ``none``), without building anything: what a file
    that names a model (a campaign, an evaluation) checks before it runs. Raises ModelError("bad_spec")."""
    if spec in ("auto", "none") or spec.partition(":")[0] in _REGISTRY:
        return spec
    known = ", ".join(f"{i.example!r}" for i in _REGISTRY.values())
    raise ModelError("bad_spec", f"unknown model spec {spec!r}", hint=f"use 'auto', 'none' or one of: {known}")


def build(spec: str, config: ModelConfig) -> ChatModel:
    """Build the backend a non-``auto`` spec names."""
    prefix, _, arg = spec.partition(":")
    info = _REGISTRY.get(prefix)
    if info is None:
        known = ", ".join(f"{i.example!r}" for i in _REGISTRY.values())
        raise ModelError("bad_spec", f"unknown model spec {spec!r}", hint=f"use 'auto' or one of: {known}")
    model = info.cls.from_spec(arg, config)  # type: ignore[attr-defined]
    log.info("model %s -> %s", spec, model.describe())
    return model
