"""Per-run budgets: LLM calls, tokens, wall time and simulator evaluations.

A budget is shared by every node of a run (LangGraph may run nodes in threads), so charging is locked. Exhaustion is
never an exception: :func:`structured` and :func:`chat_tools` check :meth:`Budget.exhausted` before every call and
return a ``Failed("budget_exhausted: <limit>")``, and strategies check it before every simulation.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from ._types import Usage

#: The names :meth:`Budget.exhausted` returns, in the order they are checked.
LIMITS: tuple[str, ...] = ("wall_s", "llm_calls", "tokens", "sim_evals")


class Budget:
    """Limits of one run; ``None`` = unlimited. The wall clock starts when the budget is made (or at :meth:`start`)."""

    def __init__(
        self,
        max_llm_calls: int | None = None,
        max_tokens: int | None = None,
        max_wall_s: float | None = None,
        max_sim_evals: int | None = None,
    ) -> None:
        for name, v in (("max_llm_calls", max_llm_calls), ("max_tokens", max_tokens), ("max_wall_s", max_wall_s),
                        ("max_sim_evals", max_sim_evals)):
            if v is not None and v < 0:
                raise ValueError(f"{name} must be >= 0 or None (unlimited), got {v!r}")
        self.max_llm_calls = max_llm_calls
        self.max_tokens = max_tokens
        self.max_wall_s = max_wall_s
        self.max_sim_evals = max_sim_evals
        self.llm_calls = 0
        self.cached_calls = 0
        self.tokens = 0
        self.sim_evals = 0
        #: every LLM call of the run, in order (the run record's usage table)
        self.usage: list[Usage] = []
        self._t0 = time.monotonic()
        self._lock = threading.Lock()
        self._exhausted_first: str | None = None

    def start(self) -> Budget:
        """Restart the wall clock (for a budget made before the run began)."""
        self._t0 = time.monotonic()
        return self

    @property
    def elapsed_s(self) -> float:
        return time.monotonic() - self._t0

    def charge_llm(self, usage: Usage) -> None:
        """Record one LLM call. Cached replays count like live calls, so a replayed run stops where the original did."""
        with self._lock:
            self.llm_calls += 1
            self.cached_calls += int(usage.cached)
            self.tokens += usage.prompt_tokens + usage.completion_tokens
            self.usage.append(usage)

    def charge_sim(self, n: int = 1) -> None:
        """Record ``n`` simulator evaluations (what-if runs, verifier seeds)."""
        if n < 0:
            raise ValueError(f"charge_sim needs n >= 0, got {n}")
        with self._lock:
            self.sim_evals += n

    def exhausted(self) -> str | None:
        """The first limit reached (``"wall_s"``, ``"llm_calls"``, ``"tokens"``, ``"sim_evals"``), else None."""
        checks = (
            ("wall_s", self.max_wall_s, self.elapsed_s),
            ("llm_calls", self.max_llm_calls, self.llm_calls),
            ("tokens", self.max_tokens, self.tokens),
            ("sim_evals", self.max_sim_evals, self.sim_evals),
        )
        for name, limit, used in checks:
            if limit is not None and used >= limit:
                if self._exhausted_first is None:
                    self._exhausted_first = name
                return name
        return None

    def remaining(self) -> dict[str, float | None]:
        """What is left of each limit (None = unlimited)."""
        return {
            "llm_calls": None if self.max_llm_calls is None else max(0, self.max_llm_calls - self.llm_calls),
            "tokens": None if self.max_tokens is None else max(0, self.max_tokens - self.tokens),
            "wall_s": None if self.max_wall_s is None else max(0.0, self.max_wall_s - self.elapsed_s),
            "sim_evals": None if self.max_sim_evals is None else max(0, self.max_sim_evals - self.sim_evals),
        }

    def summary(self) -> dict[str, Any]:
        """JSON-ready account of the run, for the report: limits, use, and the limit that ended it (if any)."""
        with self._lock:
            prompt = sum(u.prompt_tokens for u in self.usage)
            completion = sum(u.completion_tokens for u in self.usage)
            latency = sum(u.latency_s for u in self.usage)
        return {
            "limits": {
                "llm_calls": self.max_llm_calls,
                "tokens": self.max_tokens,
                "wall_s": self.max_wall_s,
                "sim_evals": self.max_sim_evals,
            },
            "used": {
                "llm_calls": self.llm_calls,
                "cached_calls": self.cached_calls,
                "tokens": self.tokens,
                "prompt_tokens": prompt,
                "completion_tokens": completion,
                "llm_latency_s": round(latency, 3),
                "wall_s": round(self.elapsed_s, 3),
                "sim_evals": self.sim_evals,
            },
            "exhausted": self.exhausted() or self._exhausted_first,
        }

    def __repr__(self) -> str:
        return (f"Budget(llm_calls={self.llm_calls}/{self.max_llm_calls}, tokens={self.tokens}/{self.max_tokens}, "
                f"wall_s={self.elapsed_s:.1f}/{self.max_wall_s}, sim_evals={self.sim_evals}/{self.max_sim_evals})")
