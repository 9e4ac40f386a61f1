"""The Ollama backend: langchain-ollama's ``ChatOllama`` for chat, the official ``ollama`` client for list/show.

Ollama fails quietly in three ways this module refuses to let through:
- a prompt longer than ``num_ctx`` is cut from the front (so the system prompt goes first): ``num_ctx`` is always sent
  (from :class:`ModelConfig`, logged) and prompt + tool schemas + completion cap are checked against it before sending;
- ``tools`` are ignored when ``format`` is set: a request carries one or the other, never both;
- a model that is not pulled fails late with a 404: :meth:`OllamaModel.preflight` says ``ollama pull <model>``.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from typing import Any
from urllib.parse import urlsplit

from ._base import ChatModel, estimate_text_tokens, estimate_tokens, register_backend
from ._types import ChatRequest, Completion, ModelConfig, ModelError

log = logging.getLogger("airloop.agents.models")


def normalize_host(host: str) -> str:
    """``OLLAMA_HOST`` as a URL, read as the ``ollama`` client does (no scheme -> http and port 11434; a scheme
    without a port -> 80/443), except that the bind-all address ``0.0.0.0`` means loopback."""
    host = host.strip()
    default_port = 11434
    if "://" not in host:
        host = "http://" + (host or "127.0.0.1")
    else:
        default_port = 443 if host.startswith("https://") else 80
    parts = urlsplit(host)
    hostname = parts.hostname or "127.0.0.1"
    if hostname in ("0.0.0.0", "::"):
        hostname = "127.0.0.1"
    if ":" in hostname:
        hostname = f"[{hostname}]"
    return f"{parts.scheme}://{hostname}:{parts.port or default_port}{parts.path.rstrip('/')}"


def full_name(model: str) -> str:
    """Ollama's canonical model name: ``llama3.1`` -> ``llama3.1:latest``."""
    return model if ":" in model.rsplit("/", 1)[-1] else f"{model}:latest"


def list_models(host: str, *, timeout_s: float) -> list[dict[str, Any]]:
    """``GET /api/tags`` through the ``ollama`` client; raises :class:`ModelError` (``unreachable``)."""
    import ollama

    try:
        with ollama.Client(host=host, timeout=timeout_s) as client:
            listing = client.list()
    except Exception as e:  # ConnectionError, httpx timeouts, ResponseError from a non-Ollama server
        first = str(e).split(". ")[0]
        raise ModelError("unreachable", f"no Ollama server answers at {host} ({type(e).__name__}: {first})",
                         hint="start it with `ollama serve`, or point OLLAMA_HOST at a running server") from e
    return [{"name": m.model, "digest": m.digest, "size_bytes": int(m.size) if m.size is not None else None,
             "parameter_size": m.details.parameter_size if m.details else None,
             "quantization": m.details.quantization_level if m.details else None} for m in listing.models]


def _ollama_unavailable(config: ModelConfig) -> str | None:
    host = normalize_host(config.ollama_host)
    try:
        list_models(host, timeout_s=config.probe_timeout_s)
    except ModelError as e:
        return str(e)
    return None


def _lc_messages(messages: list[dict[str, Any]]) -> list[Any]:
    from langchain_core.messages import AIMessage, HumanMessage, SystemMessage

    kinds = {"system": SystemMessage, "assistant": AIMessage}
    return [kinds.get(m.get("role", "user"), HumanMessage)(content=str(m.get("content") or "")) for m in messages]


def _classify(e: Exception, *, model: str, host: str, timeout_s: float) -> ModelError:
    import httpx
    import ollama

    if isinstance(e, ModelError):
        return e
    if isinstance(e, ollama.ResponseError):
        text = str(e.error)
        if e.status_code == 404 or "not found" in text:
            return ModelError("model_not_found", f"Ollama at {host} has no model {model!r}: {text}",
                              hint=f"run `ollama pull {model}`")
        if "does not support tools" in text:
            return ModelError("tools_unsupported", f"{model} does not support native tools: {text}")
        return ModelError("backend_error", f"Ollama error from {host}: {e}")
    if isinstance(e, httpx.TimeoutException):
        return ModelError("timeout", f"Ollama at {host} did not answer within {timeout_s:.0f}s",
                          hint="raise ModelConfig.timeout_s, or use a smaller model")
    if isinstance(e, ConnectionError | httpx.TransportError):
        return ModelError("unreachable", f"no Ollama server answers at {host} ({e})",
                          hint="start it with `ollama serve`, or point OLLAMA_HOST at a running server")
    return ModelError("backend_error", f"{type(e).__name__}: {e}")


@register_backend(
    "ollama",
    example="ollama:<model>",
    summary="Ollama server at OLLAMA_HOST via langchain-ollama (num_ctx, format=<json schema>, native tools)",
    available=_ollama_unavailable,
)
class OllamaModel(ChatModel):
    def __init__(self, spec: str, name: str, config: ModelConfig) -> None:
        super().__init__(spec, name, config)
        self.host = normalize_host(config.ollama_host)
        self._checked = False
        self._check_lock = threading.Lock()
        self._digest: str | None = None
        self.capabilities: list[str] | None = None
        self.context_length: int | None = None
        #: stream responses (Ollama's default); False asks for one JSON reply
        self.stream = True
        log.info("ollama model %s at %s: num_ctx=%d seed=%d temperature=%.2f keep_alive=%s", name, self.host,
                 config.num_ctx, config.seed, config.temperature, config.keep_alive)

    @classmethod
    def from_spec(cls, arg: str, config: ModelConfig) -> OllamaModel:
        name = arg or config.ollama_model
        return cls(f"ollama:{name}", name, config)

    @property
    def native_tools(self) -> bool:  # type: ignore[override]
        # Unknown capabilities (older servers) -> try native; a "does not support tools" reply switches to fallback.
        return self.capabilities is None or "tools" in self.capabilities

    @native_tools.setter
    def native_tools(self, value: bool) -> None:
        caps = [c for c in (self.capabilities or []) if c != "tools"]
        self.capabilities = [*caps, "tools"] if value else caps

    @property
    def digest(self) -> str | None:
        return self._digest

    def preflight(self) -> None:
        """Server answers and the model is pulled; reads digest, capabilities and context length (once)."""
        with self._check_lock:
            if self._checked:
                return
            import ollama

            models = list_models(self.host, timeout_s=self.config.probe_timeout_s + self.config.timeout_s / 10)
            wanted = full_name(self.name)
            match = next((m for m in models if full_name(m["name"] or "") == wanted), None)
            if match is None:
                names = ", ".join(m["name"] for m in models) or "none"
                raise ModelError("model_not_found", f"model {self.name!r} is not pulled on the Ollama server at "
                                 f"{self.host} (it has: {names})", hint=f"run `ollama pull {self.name}`")
            self._digest = match["digest"]
            try:
                with ollama.Client(host=self.host, timeout=self.config.timeout_s) as client:
                    info = client.show(self.name)
                self.capabilities = list(info.capabilities) if info.capabilities is not None else None
                self.context_length = next((int(v) for k, v in (info.modelinfo or {}).items()
                                            if k.endswith(".context_length")), None)
            except Exception as e:  # show() is informative only; chat still works without it
                log.warning("ollama show %s failed (%s); assuming native tools", self.name, e)
            if self.context_length and self.config.num_ctx > self.context_length:
                log.warning("num_ctx=%d exceeds %s's trained context of %d tokens", self.config.num_ctx, self.name,
                            self.context_length)
            self._checked = True

    def describe(self) -> dict[str, Any]:
        return {**super().describe(), "host": self.host, "num_ctx": self.config.num_ctx,
                "keep_alive": self.config.keep_alive, "capabilities": self.capabilities,
                "context_length": self.context_length}

    def check_fits(self, request: ChatRequest) -> int:
        """Estimated prompt tokens; raises ``context_overflow`` when prompt + tools + completion cap exceed num_ctx."""
        tools_text = json.dumps(request.tools) if request.tools else ""
        prompt = estimate_tokens(request.messages, tools_text)
        need = prompt + request.max_tokens
        if need > self.config.num_ctx:
            raise ModelError(
                "context_overflow",
                f"prompt ≈{prompt} tokens (messages + tool schemas, at 3.5 chars/token) + max_tokens "
                f"{request.max_tokens} = {need} > num_ctx {self.config.num_ctx}; not sent, since Ollama would "
                f"silently drop the start of the prompt",
                hint="raise ModelConfig.num_ctx (AIRLOOP_NUM_CTX) or shorten the prompt / offer fewer tools")
        return prompt

    def _chat_model(self, request: ChatRequest) -> Any:
        from langchain_ollama import ChatOllama

        return ChatOllama(
            model=self.name, base_url=self.host, num_ctx=self.config.num_ctx, seed=request.seed,
            temperature=request.temperature, keep_alive=self.config.keep_alive, num_predict=request.max_tokens,
            reasoning=self.config.reasoning, format=request.schema,
            client_kwargs={"timeout": self.config.timeout_s},
        )

    def _complete(self, request: ChatRequest) -> Completion:
        self.preflight()
        self.check_fits(request)
        llm = self._chat_model(request)
        runnable = llm.bind_tools(request.tools) if request.tools else llm  # format and tools never together
        t0 = time.perf_counter()
        try:
            msg = runnable.invoke(_lc_messages(request.messages), stream=self.stream)
        except Exception as e:
            raise _classify(e, model=self.name, host=self.host, timeout_s=self.config.timeout_s) from e
        latency = time.perf_counter() - t0
        content = msg.content if isinstance(msg.content, str) else json.dumps(msg.content)
        calls = [{"name": c["name"], "arguments": c.get("args") or {}} for c in (msg.tool_calls or [])]
        meta = msg.usage_metadata or {}
        usage = self._usage(meta.get("input_tokens"), meta.get("output_tokens"), messages=request.messages,
                            content=content or json.dumps(calls), latency_s=latency)
        return Completion(content=content, tool_calls=calls, usage=usage)


__all__ = ["OllamaModel", "estimate_text_tokens", "full_name", "list_models", "normalize_host"]
