"""OpenAI-compatible endpoints (vLLM, llama-server, LM Studio, Ollama's /v1) via langchain-openai's ``ChatOpenAI``.

Spec: ``openai:<base_url>#<model>``, e.g. ``openai:http://127.0.0.1:8000/v1#Qwen/Qwen2.5-7B-Instruct``. Structured
calls send ``response_format={"type": "json_schema", ...}`` (these servers compile it to a grammar); tool calls are
native. The API key comes from ``OPENAI_API_KEY`` (local servers accept any).
"""

from __future__ import annotations

import json
import time
from typing import Any

from pydantic import SecretStr

from ._base import ChatModel, register_backend
from ._types import ChatRequest, Completion, ModelConfig, ModelError


def _lc_messages(messages: list[dict[str, Any]]) -> list[Any]:
    from langchain_core.messages import AIMessage, HumanMessage, SystemMessage

    kinds = {"system": SystemMessage, "assistant": AIMessage}
    return [kinds.get(m.get("role", "user"), HumanMessage)(content=str(m.get("content") or "")) for m in messages]


def list_endpoint_models(base_url: str, *, api_key: str, timeout_s: float) -> list[str]:
    """``GET <base_url>/models``; raises :class:`ModelError` (``unreachable``)."""
    import httpx

    try:
        r = httpx.get(base_url.rstrip("/") + "/models", timeout=timeout_s,
                      headers={"Authorization": f"Bearer {api_key}"})
        r.raise_for_status()
        return [m.get("id", "") for m in r.json().get("data", [])]
    except Exception as e:
        raise ModelError("unreachable", f"no OpenAI-compatible server answers at {base_url} ({e})",
                         hint="start the server (vLLM, llama-server, LM Studio) or fix the base URL") from e


def _classify(e: Exception, *, base_url: str, model: str, timeout_s: float) -> ModelError:
    import openai

    if isinstance(e, ModelError):
        return e
    if isinstance(e, openai.APITimeoutError):
        return ModelError("timeout", f"{base_url} did not answer within {timeout_s:.0f}s",
                          hint="raise ModelConfig.timeout_s")
    if isinstance(e, openai.APIConnectionError):
        return ModelError("unreachable", f"no OpenAI-compatible server answers at {base_url} ({e})",
                          hint="start the server or fix the base URL in `openai:<base_url>#<model>`")
    if isinstance(e, openai.NotFoundError):
        return ModelError("model_not_found", f"{base_url} does not serve {model!r}: {e}",
                          hint=f"list what it serves with `curl {base_url.rstrip('/')}/models`")
    if isinstance(e, openai.BadRequestError) and "context" in str(e).lower():
        return ModelError("context_overflow", f"{base_url} refused the prompt as too long: {e}",
                          hint="shorten the prompt or raise the server's context size")
    return ModelError("backend_error", f"{type(e).__name__}: {e}")


@register_backend(
    "openai",
    example="openai:<base_url>#<model>",
    summary="OpenAI-compatible endpoint (vLLM, llama-server, LM Studio) via langchain-openai",
)
class OpenAICompatModel(ChatModel):
    native_tools = True

    def __init__(self, spec: str, base_url: str, name: str, config: ModelConfig) -> None:
        super().__init__(spec, name, config)
        self.base_url = base_url
        self._ready = False

    @classmethod
    def from_spec(cls, arg: str, config: ModelConfig) -> OpenAICompatModel:
        base_url, sep, name = arg.rpartition("#")
        if not sep or not base_url or not name:
            raise ModelError("bad_spec", f"bad OpenAI-compatible spec 'openai:{arg}'",
                             hint="write it as openai:<base_url>#<model>, e.g. openai:http://127.0.0.1:8000/v1#qwen2.5")
        return cls(f"openai:{arg}", base_url, name, config)

    def preflight(self) -> None:
        """The server answers ``/models`` and serves the model (checked once; servers without ``/models`` pass)."""
        if self._ready:
            return
        try:
            served = list_endpoint_models(self.base_url, api_key=self.config.openai_api_key,
                                          timeout_s=self.config.probe_timeout_s)
        except ModelError as e:
            if "404" not in str(e):
                raise
            served = []
        if served and self.name not in served:
            raise ModelError("model_not_found", f"{self.base_url} serves {served}, not {self.name!r}",
                             hint="use one of the served model ids after '#'")
        self._ready = True

    def describe(self) -> dict[str, Any]:
        return {**super().describe(), "base_url": self.base_url}

    def _complete(self, request: ChatRequest) -> Completion:
        from langchain_openai import ChatOpenAI

        # `max_completion_tokens` is the constructor's name (alias) of the `max_tokens` field; a str key would be
        # coerced to SecretStr anyway.
        llm = ChatOpenAI(model=self.name, base_url=self.base_url, api_key=SecretStr(self.config.openai_api_key),
                         temperature=request.temperature, seed=request.seed, max_completion_tokens=request.max_tokens,
                         timeout=self.config.timeout_s, max_retries=0, use_responses_api=False)
        kwargs: dict[str, Any] = {}
        runnable: Any = llm
        if request.schema is not None:
            kwargs["response_format"] = {"type": "json_schema",
                                         "json_schema": {"name": "answer", "schema": request.schema}}
        elif request.tools:
            runnable = llm.bind_tools([{"type": "function", "function": t} for t in request.tools])
        t0 = time.perf_counter()
        try:
            msg = runnable.invoke(_lc_messages(request.messages), **kwargs)
        except Exception as e:
            raise _classify(e, base_url=self.base_url, model=self.name, timeout_s=self.config.timeout_s) from e
        latency = time.perf_counter() - t0
        content = msg.content if isinstance(msg.content, str) else json.dumps(msg.content)
        calls: list[dict[str, Any]] = [{"name": c["name"], "arguments": c.get("args") or {}} for c in msg.tool_calls]
        calls += [{"name": c.get("name"), "arguments": c.get("args"), "error": c.get("error") or "unparseable arguments"}
                  for c in getattr(msg, "invalid_tool_calls", []) or []]
        meta = msg.usage_metadata or {}
        usage = self._usage(meta.get("input_tokens"), meta.get("output_tokens"), messages=request.messages,
                            content=content or json.dumps(calls), latency_s=latency)
        return Completion(content=content, tool_calls=calls, usage=usage)
