"""`ToolError`: what a tool returns, never raises, when a call is refused. The state is unchanged after one."""

from __future__ import annotations

from typing import Any, Literal

from airloop.simulator.types import SimulatorError

ErrorCode = Literal[
    "invalid_change",  # a change of the wrong shape, an unknown cell, a value outside the cell's physical range
    "invalid_parameter",  # a bad argument other than a change: hours, steps, seeds, limit, sort key, reason
    "policy_violation",  # refused by the guardrail policy; `violations` says which rules
    "version_conflict",  # expected_version is stale: the config moved on since the caller read it
    "rollback_conflict",  # the change cannot be undone as asked (already undone, or its cells changed later)
    "not_found",  # unknown change id or version
    "log_mismatch",  # the change log belongs to another scenario/seed or a config that cannot be replayed
    "no_session",  # a LangChain tool called without a session to act on
    "not_allowed",  # a write tool called through the read-only `NetworkView` (strategies read and simulate only)
    "internal_error",  # a bug: reported, and the network restored to its state before the call
]


class ToolError(Exception):
    """A refused tool call: a machine-readable `code`, a sentence, the allowed values and what to do next."""

    def __init__(
        self,
        code: ErrorCode,
        message: str,
        *,
        allowed: Any = None,
        hint: str | None = None,
        field: str | None = None,
        value: Any = None,
        violations: list[dict[str, Any]] | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.allowed = allowed
        self.hint = hint
        self.field = field
        self.value = value
        self.violations = violations

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"code": self.code, "message": self.message, "allowed": self.allowed, "hint": self.hint}
        if self.field is not None:
            out["field"] = self.field
        if self.value is not None:
            out["value"] = self.value
        if self.violations is not None:
            out["violations"] = self.violations
        return out

    @classmethod
    def from_simulator(cls, exc: SimulatorError, *, hint: str | None = None) -> ToolError:
        d = exc.to_dict()
        code: ErrorCode = "invalid_change" if d["code"] == "invalid_change" else "invalid_parameter"
        return cls(
            code,
            d["message"],
            allowed=d.get("allowed"),
            hint=hint or "fix the value named in `field` to lie within `allowed` and call again",
            field=d.get("field"),
            value=d.get("value"),
        )

    def __repr__(self) -> str:
        return f"ToolError({self.code!r}, {self.message!r})"
