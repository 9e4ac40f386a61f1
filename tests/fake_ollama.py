"""Local fake servers for the model-layer tests: Ollama's HTTP API and an OpenAI-compatible /v1/chat/completions.

Each is a threaded ``http.server`` on 127.0.0.1 with a random port. Tests queue replies, run the real clients
(``ollama``, ``langchain-ollama``, ``langchain-openai``) against it, then inspect ``server.requests``.

Ollama API shapes follow docs/api.md of ollama/ollama: ``POST /api/chat`` (NDJSON stream by default, one JSON object
with ``"stream": false``; the last object has ``done: true`` and ``prompt_eval_count`` / ``eval_count``),
``GET /api/tags``, ``POST /api/show`` (``capabilities``, ``model_info``), ``GET /api/version``.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Reply = dict[str, Any] | Callable[[dict[str, Any]], dict[str, Any]]

DEFAULT_MODELS: dict[str, dict[str, Any]] = {
    "qwen2.5:7b": {"digest": "845dbda0ea48ed749caafd9e6037047aa19acfcfd82e704d7ca97d631a0b697e",
                   "capabilities": ["completion", "tools"], "context_length": 32768, "family": "qwen2"},
    "tiny:latest": {"digest": "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
                    "capabilities": ["completion"], "context_length": 2048, "family": "llama"},
}


class _FakeServer:
    """Shared plumbing: start/stop, request log, reply queue."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.replies: list[Reply] = []
        self.default_reply: Reply = {"content": "{}"}
        #: seconds to wait before answering a chat request (timeouts)
        self.delay_s = 0.0
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ---------------------------------------------------------------------------------------------------
    def start(self) -> _FakeServer:
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # keep pytest output clean
                pass

            def do_GET(self) -> None:  # noqa: N802
                outer._handle(self, "GET", {})

            def do_POST(self) -> None:  # noqa: N802
                n = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(n) if n else b"{}"
                outer._handle(self, "POST", json.loads(raw or b"{}"))

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> _FakeServer:
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    @property
    def port(self) -> int:
        assert self._server is not None, "server not started"
        return self._server.server_address[1]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    # -- replies -----------------------------------------------------------------------------------------------------
    def queue(self, *replies: Reply) -> None:
        """Queue replies for the next chat calls: ``{"content": str}``, ``{"tool_calls": [{"name", "arguments"}]}``,
        ``{"status": 500, "error": "..."}``, or a callable(request body) -> one of those."""
        self.replies.extend(replies)

    def _next_reply(self, body: dict[str, Any]) -> dict[str, Any]:
        reply = self.replies.pop(0) if self.replies else self.default_reply
        return reply(body) if callable(reply) else reply

    def chat_requests(self) -> list[dict[str, Any]]:
        return [r["body"] for r in self.requests if r["path"].endswith(("/api/chat", "/chat/completions"))]

    # -- HTTP helpers ------------------------------------------------------------------------------------------------
    @staticmethod
    def _send_json(h: BaseHTTPRequestHandler, status: int, payload: Any) -> None:
        data = json.dumps(payload).encode()
        h.send_response(status)
        h.send_header("Content-Type", "application/json")
        h.send_header("Content-Length", str(len(data)))
        h.end_headers()
        h.wfile.write(data)

    def _handle(self, h: BaseHTTPRequestHandler, method: str, body: dict[str, Any]) -> None:
        self.requests.append({"method": method, "path": h.path, "body": body})
        if self.delay_s and h.path.endswith(("/api/chat", "/chat/completions")):
            time.sleep(self.delay_s)
        try:
            self.route(h, method, h.path.split("?")[0], body)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout tests)
            pass

    def route(self, h: BaseHTTPRequestHandler, method: str, path: str, body: dict[str, Any]) -> None:
        raise NotImplementedError


class FakeOllama(_FakeServer):
    """Speaks /api/chat, /api/tags, /api/show and /api/version like an Ollama server with ``models`` pulled."""

    def __init__(self, models: dict[str, dict[str, Any]] | None = None) -> None:
        super().__init__()
        self.models = dict(DEFAULT_MODELS if models is None else models)

    def route(self, h: BaseHTTPRequestHandler, method: str, path: str, body: dict[str, Any]) -> None:
        if path == "/api/version":
            return self._send_json(h, 200, {"version": "0.12.0-fake"})
        if path == "/api/tags":
            return self._send_json(h, 200, {"models": [self._tag(n, m) for n, m in self.models.items()]})
        if path == "/api/show":
            name = self._resolve(body.get("model", ""))
            if name is None:
                return self._send_json(h, 404, {"error": f"model '{body.get('model')}' not found"})
            m = self.models[name]
            info = {"general.architecture": m.get("family", "llama"),
                    f"{m.get('family', 'llama')}.context_length": m.get("context_length", 8192)}
            return self._send_json(h, 200, {"modelfile": "", "parameters": "", "template": "{{ .Prompt }}",
                                            "details": self._details(m), "model_info": info,
                                            "capabilities": m.get("capabilities", ["completion"])})
        if path == "/api/chat":
            return self._chat(h, body)
        return self._send_json(h, 404, {"error": f"no route {method} {path}"})

    def _resolve(self, name: str) -> str | None:
        full = name if ":" in name else f"{name}:latest"
        return full if full in self.models else None

    @staticmethod
    def _details(m: dict[str, Any]) -> dict[str, Any]:
        return {"format": "gguf", "family": m.get("family", "llama"), "families": [m.get("family", "llama")],
                "parameter_size": m.get("parameter_size", "7.6B"), "quantization_level": "Q4_K_M"}

    def _tag(self, name: str, m: dict[str, Any]) -> dict[str, Any]:
        return {"name": name, "model": name, "modified_at": "2025-01-01T00:00:00Z", "size": 4_683_087_561,
                "digest": m["digest"], "details": self._details(m)}

    def _chat(self, h: BaseHTTPRequestHandler, body: dict[str, Any]) -> None:
        name = body.get("model", "")
        if self._resolve(name) is None:
            return self._send_json(h, 404, {"error": f'model "{name}" not found, try pulling it first'})
        reply = self._next_reply(body)
        if "status" in reply:
            return self._send_json(h, reply["status"], {"error": reply.get("error", "fake error")})
        content = reply.get("content", "")
        calls = [{"function": {"name": c["name"], "arguments": c.get("arguments", {})}}
                 for c in reply.get("tool_calls", [])]
        prompt_tokens = sum(len(str(m.get("content", ""))) for m in body.get("messages", [])) // 4 + 1
        final = {"model": name, "created_at": "2025-01-01T00:00:00Z", "done": True, "done_reason": "stop",
                 "total_duration": 1_000_000, "load_duration": 1000, "prompt_eval_count": prompt_tokens,
                 "prompt_eval_duration": 1000, "eval_count": max(1, len(content) // 4 + 3 * len(calls)),
                 "eval_duration": 1000}
        if body.get("stream", True) is False:
            message = {"role": "assistant", "content": content}
            if calls:
                message["tool_calls"] = calls
            return self._send_json(h, 200, {**final, "message": message})
        h.send_response(200)
        h.send_header("Content-Type", "application/x-ndjson")
        h.end_headers()
        pieces = [content[i:i + 7] for i in range(0, len(content), 7)]
        lines = [{"model": name, "created_at": "2025-01-01T00:00:00Z",
                  "message": {"role": "assistant", "content": p}, "done": False} for p in pieces]
        if calls:  # Ollama sends tool calls whole, in one chunk
            lines.append({"model": name, "created_at": "2025-01-01T00:00:00Z",
                          "message": {"role": "assistant", "content": "", "tool_calls": calls}, "done": False})
        lines.append({**final, "message": {"role": "assistant", "content": ""}})
        for line in lines:
            h.wfile.write((json.dumps(line) + "\n").encode())
            h.wfile.flush()


class FakeOpenAI(_FakeServer):
    """Speaks /v1/chat/completions (non-streamed) and /v1/models like vLLM or llama-server serving ``model``."""

    def __init__(self, model: str = "qwen2.5-7b-instruct") -> None:
        super().__init__()
        self.model = model

    @property
    def base_url(self) -> str:
        return f"{self.url}/v1"

    def route(self, h: BaseHTTPRequestHandler, method: str, path: str, body: dict[str, Any]) -> None:
        if path == "/v1/models":
            return self._send_json(h, 200, {"object": "list", "data": [{"id": self.model, "object": "model"}]})
        if path != "/v1/chat/completions":
            return self._send_json(h, 404, {"error": {"message": f"no route {path}"}})
        if body.get("model") != self.model:
            return self._send_json(h, 404, {"error": {"message": f"model {body.get('model')} not found",
                                                      "type": "invalid_request_error", "code": "model_not_found"}})
        reply = self._next_reply(body)
        if "status" in reply:
            return self._send_json(h, reply["status"], {"error": {"message": reply.get("error", "fake error"),
                                                                  "type": "invalid_request_error"}})
        content = reply.get("content", "")
        message: dict[str, Any] = {"role": "assistant", "content": content}
        if reply.get("tool_calls"):
            message["tool_calls"] = [{"id": f"call_{i}", "type": "function",
                                      "function": {"name": c["name"], "arguments": json.dumps(c.get("arguments", {}))}}
                                     for i, c in enumerate(reply["tool_calls"])]
            message["content"] = content or None
        prompt_tokens = sum(len(str(m.get("content", ""))) for m in body.get("messages", [])) // 4 + 1
        completion_tokens = max(1, len(content) // 4)
        self._send_json(h, 200, {
            "id": "chatcmpl-fake", "object": "chat.completion", "created": 1_700_000_000, "model": self.model,
            "choices": [{"index": 0, "message": message,
                         "finish_reason": "tool_calls" if reply.get("tool_calls") else "stop"}],
            "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens,
                      "total_tokens": prompt_tokens + completion_tokens},
        })
