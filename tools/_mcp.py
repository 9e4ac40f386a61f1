"""The MCP face: the same tools served by the official `mcp` SDK (2.x `MCPServer`), over stdio or streamable HTTP.

Each tool is registered with its pydantic input model's JSON schema as `inputSchema` and its output model's as
`outputSchema`. Arguments reach `call_tool` raw, so a bad argument gets the same structured error as in LangChain:
``structuredContent = {"error": {...}}`` with ``isError: true`` (clients validate `outputSchema` only on success).
"""

from __future__ import annotations

import json
import logging
from importlib import metadata
from pathlib import Path
from typing import Any, Literal

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.tools.base import Tool
from mcp.server.mcpserver.utilities.func_metadata import ArgModelBase, FuncMetadata
from mcp.types import CallToolResult, TextContent, ToolAnnotations

from ._policy import Policy, load_policy
from ._session import NetworkSession
from ._tools import TOOLS, ToolSpec, call_tool

log = logging.getLogger(__name__)

INSTRUCTIONS = (
    "Tools over a simulated radio access network (cells with transmit power, tilt, CIO, sleep and slice-share knobs). "
    "Start with get_network_summary and get_policy. Try every change with simulate_changes before apply_changes; "
    "apply_changes enforces the policy and returns a change_id that rollback undoes. A refused call returns "
    '{"error": {"code", "message", "allowed", "hint"}} and changes nothing.'
)


class _RawArguments(FuncMetadata):
    """Hands the tool the raw argument object: validation (and its structured errors) happens in `call_tool`."""

    def validate_arguments(self, arguments_to_validate: dict[str, Any]) -> dict[str, Any]:
        return {"arguments": dict(arguments_to_validate or {})}


def _version() -> str:
    try:
        return metadata.version("airloop")
    except metadata.PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "0"


def _mcp_tool(spec: ToolSpec, session: NetworkSession, actor: str) -> Tool:
    def run(arguments: dict[str, Any]) -> CallToolResult:
        out = call_tool(session, spec.name, arguments, actor=actor)
        text = json.dumps(out, separators=(",", ":"), ensure_ascii=False)
        return CallToolResult(
            content=[TextContent(type="text", text=text)], structured_content=out, is_error="error" in out
        )

    run.__name__ = spec.name
    return Tool(
        fn=run,
        name=spec.name,
        title=spec.title,
        description=spec.description,
        parameters=spec.input_model.model_json_schema(),
        fn_metadata=_RawArguments(arg_model=ArgModelBase, output_schema=spec.output_model.model_json_schema()),
        is_async=False,
        context_kwarg=None,
        annotations=ToolAnnotations(
            title=spec.title,
            read_only_hint=spec.read_only,
            destructive_hint=False,  # every write is logged and can be rolled back
            idempotent_hint=spec.read_only,
            open_world_hint=False,
        ),
    )


def build_mcp_server(session: NetworkSession, *, actor: str = "mcp", name: str = "airloop") -> MCPServer:
    """An `MCPServer` serving every tool in `TOOLS` on `session`; `actor` is recorded in the change log."""
    tools = [_mcp_tool(spec, session, actor) for spec in TOOLS.values()]
    return MCPServer(name, title="airloop network tools", instructions=INSTRUCTIONS, version=_version(), tools=tools)


def open_session(
    scenario: str,
    *,
    seed: int = 0,
    policy: str | Path | None = None,
    run_dir: str | Path | None = None,
    log_path: str | Path | None = None,
) -> NetworkSession:
    """A session for `scenario`, logging to `log_path` or ``run_dir/changes.sqlite``; an existing log is resumed."""
    from airloop.simulator import Network

    pol = load_policy(policy) if policy is not None else Policy.default()
    path = Path(log_path) if log_path is not None else Path(run_dir) / "changes.sqlite" if run_dir is not None else None
    if path is not None and path.exists():
        session = NetworkSession.open(path, pol)
        hdr = session.header()
        if hdr.get("scenario") != scenario or hdr.get("seed") != seed:
            session.close()
            raise ValueError(
                f"{path} logs scenario {hdr.get('scenario')!r} seed {hdr.get('seed')}, not {scenario!r} seed {seed}; "
                "use another run directory"
            )
        return session
    return NetworkSession(Network.from_scenario(scenario, seed=seed), pol, path)


def serve(
    scenario: str,
    *,
    seed: int = 0,
    policy: str | Path | None = None,
    transport: Literal["stdio", "http"] = "stdio",
    run_dir: str | Path | None = None,
    log_path: str | Path | None = None,
    host: str = "127.0.0.1",
    port: int = 8765,
    actor: str = "mcp",
) -> None:
    """Build the session and serve it until the client disconnects (stdio) or the process is stopped (http)."""
    session = open_session(scenario, seed=seed, policy=policy, run_dir=run_dir, log_path=log_path)
    server = build_mcp_server(session, actor=actor)
    log.info(
        "airloop MCP server: scenario %s seed %s, log %s, transport %s", scenario, seed, session.log_path, transport
    )
    try:
        if transport == "stdio":
            server.run("stdio")
        elif transport == "http":
            server.run("streamable-http", host=host, port=port)
        else:
            raise ValueError(f"transport must be 'stdio' or 'http', not {transport!r}")
    finally:
        session.close()
