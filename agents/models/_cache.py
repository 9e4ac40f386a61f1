"""Opt-in SQLite cache of LLM calls, so that an evaluation can be replayed exactly.

The key is a sha256 over the backend, model name, weight digest, the sampling parameters (temperature, seed, num_ctx,
max_tokens, reasoning), the messages, the JSON schema and the tool specs: change any of them and the call is live again.
A hit comes back with ``usage.cached = True`` and the original token counts (so budgets replay identically); its
latency is the lookup's own.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

from ._types import ChatRequest, Completion, Usage

_SCHEMA = """
CREATE TABLE IF NOT EXISTS llm_calls (
    key TEXT PRIMARY KEY,
    backend TEXT NOT NULL,
    model TEXT NOT NULL,
    request TEXT NOT NULL,
    content TEXT NOT NULL,
    tool_calls TEXT NOT NULL,
    usage TEXT NOT NULL,
    created_at REAL NOT NULL
)
"""


class CallCache:
    """One SQLite file; safe to share between threads and processes (WAL, one short transaction a call)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(self.path, check_same_thread=False, timeout=30)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute(_SCHEMA)
        self._db.commit()
        self.hits = 0
        self.misses = 0

    @staticmethod
    def key(identity: dict[str, Any], request: ChatRequest) -> str:
        payload = {
            **identity,
            "messages": request.messages,
            "schema": request.schema,
            "tools": request.tools,
            "temperature": request.temperature,
            "max_tokens": request.max_tokens,
            "request_seed": request.seed,
        }
        if request.task:  # only when set, so the keys of calls without a task stay what they were
            payload["task"] = request.task
        blob = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
        return hashlib.sha256(blob.encode()).hexdigest()

    def get(self, key: str) -> Completion | None:
        t0 = time.perf_counter()
        with self._lock:
            row = self._db.execute("SELECT content, tool_calls, usage FROM llm_calls WHERE key = ?", (key,)).fetchone()
        if row is None:
            self.misses += 1
            return None
        self.hits += 1
        usage = Usage.model_validate_json(row[2]).model_copy(
            update={"cached": True, "latency_s": time.perf_counter() - t0})
        return Completion(content=row[0], tool_calls=json.loads(row[1]), usage=usage)

    def put(self, key: str, completion: Completion, request: ChatRequest | None = None) -> None:
        req = "" if request is None else json.dumps(
            {"messages": request.messages, "schema": request.schema, "tools": request.tools}, ensure_ascii=False)
        with self._lock:
            self._db.execute(
                "INSERT OR REPLACE INTO llm_calls VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (key, completion.usage.backend, completion.usage.model, req, completion.content,
                 json.dumps(completion.tool_calls), completion.usage.model_dump_json(), time.time()),
            )
            self._db.commit()

    def __len__(self) -> int:
        with self._lock:
            return int(self._db.execute("SELECT COUNT(*) FROM llm_calls").fetchone()[0])

    def close(self) -> None:
        with self._lock:
            self._db.close()


_OPEN: dict[str, CallCache] = {}
_OPEN_LOCK = threading.Lock()


def open_cache(path: str | Path) -> CallCache:
    """The process-wide :class:`CallCache` of ``path`` (one connection per file)."""
    resolved = str(Path(path).expanduser().resolve())
    with _OPEN_LOCK:
        if resolved not in _OPEN:
            _OPEN[resolved] = CallCache(resolved)
        return _OPEN[resolved]
