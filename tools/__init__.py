"""airloop.tools — typed tools over a transactional `NetworkSession`: guardrail policy, append-only change log,
exact rollback, and two faces over one implementation (LangChain `StructuredTool`s and an MCP server).

The LangChain and MCP faces are imported lazily, so the session and policy work without either SDK loaded.
"""

from typing import TYPE_CHECKING, Any

from ._errors import ErrorCode, ToolError
from ._log import ChangeEntry, ChangeLog
from ._policy import (
    KNOB_RESOLUTION,
    NUMERIC_KNOBS,
    CellNow,
    KnobRange,
    KnobRule,
    Policy,
    PolicyFileError,
    PolicyViolation,
    load_policy,
    project_shares,
)
from ._session import (
    CRASH_ENV,
    CRASH_POINTS,
    MAX_SEEDS,
    MAX_STEPS,
    ApplyResult,
    Horizon,
    NetworkSession,
    SimulationResult,
    parse_changes,
)
from ._tools import TOOLS, SimulateInput, ToolSpec, call_tool
from ._view import READ_ONLY_TOOLS, NetworkView

if TYPE_CHECKING:
    from ._langchain import make_langchain_tools
    from ._mcp import build_mcp_server

__all__ = [
    "CRASH_ENV",
    "CRASH_POINTS",
    "KNOB_RESOLUTION",
    "NUMERIC_KNOBS",
    "CellNow",
    "project_shares",
    "MAX_SEEDS",
    "MAX_STEPS",
    "READ_ONLY_TOOLS",
    "TOOLS",
    "ApplyResult",
    "ChangeEntry",
    "ChangeLog",
    "ErrorCode",
    "Horizon",
    "KnobRange",
    "KnobRule",
    "NetworkSession",
    "NetworkView",
    "Policy",
    "PolicyFileError",
    "PolicyViolation",
    "SimulateInput",
    "SimulationResult",
    "ToolError",
    "ToolSpec",
    "build_mcp_server",
    "call_tool",
    "load_policy",
    "make_langchain_tools",
    "parse_changes",
]


def __getattr__(name: str) -> Any:
    if name == "make_langchain_tools":
        from ._langchain import make_langchain_tools

        return make_langchain_tools
    if name == "build_mcp_server":
        from ._mcp import build_mcp_server

        return build_mcp_server
    raise AttributeError(f"module 'airloop.tools' has no attribute {name!r}")
