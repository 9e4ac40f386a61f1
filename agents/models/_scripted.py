"""The scripted backend: replays recorded answers, for deterministic tests and demos.

``scripted:<file.jsonl>``, one answer a line:

- ``{"content": "..."}`` (or ``{"content": {...}}``: an object is sent as its JSON text);
- ``{"tool_calls": [{"name": "...", "arguments": {...}}], "content": "..."?}``;
- ``{"error": {"code": "timeout", "message": "..."}}`` to rehearse a backend failure;
- any of these with ``"match": "<substring>"``: used (once) when the last user message contains the substring,
  before the unkeyed answers, which are used in file order.

When no answer is left the call fails loudly: ``scripted model ran out of answers at call N``.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

from ._base import ChatModel, register_backend
from ._schema import _as_arguments, _call_from
from ._types import ChatRequest, Completion, ModelConfig, ModelError


def _check_answer(answer: Any, where: str) -> dict[str, Any]:
    if not isinstance(answer, dict) or not ({"content", "tool_calls", "error"} & answer.keys()):
        raise ModelError("bad_spec", f"{where}: a scripted answer is an object with 'content', 'tool_calls' or "
                         f"'error' (optionally 'match'); got {answer!r}")
    return answer


@register_backend(
    "scripted",
    example="scripted:<file.jsonl>",
    summary="replays recorded answers from a JSONL file (deterministic tests, demos)",
)
class ScriptedModel(ChatModel):
    native_tools = True

    def __init__(self, spec: str, answers: list[dict[str, Any]], config: ModelConfig, *, source: str) -> None:
        super().__init__(spec, Path(source).name, config)
        self.source = source
        self._keyed = [a for a in answers if "match" in a]
        self._queue = [a for a in answers if "match" not in a]
        self._total = len(answers)
        self.calls = 0
        #: every request the model received, for tests to inspect
        self.requests: list[ChatRequest] = []
        self._lock = threading.Lock()

    @classmethod
    def from_spec(cls, arg: str, config: ModelConfig) -> ScriptedModel:
        if not arg:
            raise ModelError("bad_spec", "scripted spec needs a file", hint="write it as scripted:<file.jsonl>")
        path = Path(arg).expanduser()
        if not path.is_file():
            raise ModelError("bad_spec", f"scripted answers file {path} does not exist",
                             hint="give a JSONL file with one {\"content\": ...} or {\"tool_calls\": [...]} a line")
        answers = []
        for n, line in enumerate(path.read_text().splitlines(), 1):
            if not line.strip() or line.lstrip().startswith("//"):
                continue
            try:
                answers.append(_check_answer(json.loads(line), f"{path}:{n}"))
            except json.JSONDecodeError as e:
                raise ModelError("bad_spec", f"{path}:{n} is not JSON: {e}") from e
        return cls(f"scripted:{arg}", answers, config, source=str(path))

    @classmethod
    def from_answers(cls, answers: list[dict[str, Any]], config: ModelConfig | None = None,
                     name: str = "inline") -> ScriptedModel:
        """A scripted model from answers in memory (tests)."""
        checked = [_check_answer(a, f"answer {i}") for i, a in enumerate(answers)]
        return cls(f"scripted:{name}", checked, config or ModelConfig(), source=name)

    def add_answers(self, *answers: dict[str, Any]) -> None:
        """Append answers (same forms as the file's lines)."""
        with self._lock:
            for i, a in enumerate(answers):
                a = _check_answer(a, f"added answer {i}")
                (self._keyed if "match" in a else self._queue).append(a)
                self._total += 1

    @property
    def remaining(self) -> int:
        return len(self._keyed) + len(self._queue)

    def describe(self) -> dict[str, Any]:
        return {**super().describe(), "file": self.source, "answers": self._total, "remaining": self.remaining}

    def _next(self, request: ChatRequest) -> dict[str, Any]:
        last_user = next((str(m.get("content", "")) for m in reversed(request.messages) if m.get("role") == "user"),
                         "")
        for i, answer in enumerate(self._keyed):
            if str(answer["match"]) in last_user:
                return self._keyed.pop(i)
        if self._queue:
            return self._queue.pop(0)
        raise ModelError("scripted_exhausted", f"scripted model ran out of answers at call {self.calls} "
                         f"({self._total} recorded in {self.source})",
                         hint="record more answers, or the caller makes more calls than the script expects")

    def _complete(self, request: ChatRequest) -> Completion:
        with self._lock:
            self.calls += 1
            self.requests.append(request)
            answer = self._next(request)
        if err := answer.get("error"):
            err = err if isinstance(err, dict) else {"message": str(err)}
            raise ModelError(err.get("code", "backend_error"), err.get("message", "scripted error"))
        content = answer.get("content", "")
        if not isinstance(content, str):
            content = json.dumps(content)
        calls = []
        for raw in answer.get("tool_calls") or []:
            parsed = _call_from(raw)
            if parsed is None:
                raise ModelError("bad_spec", f"scripted tool call without a name: {raw!r}")
            args = _as_arguments(parsed[1])
            calls.append({"name": parsed[0], "arguments": args} if args is not None else
                         {"name": parsed[0], "arguments": parsed[1], "error": "arguments are not a JSON object"})
        usage = self._usage(None, None, messages=request.messages, content=content or json.dumps(calls))
        return Completion(content=content, tool_calls=calls, usage=usage)
