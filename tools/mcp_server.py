"""Run the airloop MCP server: ``python -m airloop.tools.mcp_server --scenario urban-macro-19 [--policy FILE]``.

The same server as ``airloop mcp``; this entry point needs no CLI framework, which suits MCP client configurations.
Nothing but protocol messages goes to stdout (logs go to stderr).
"""

from __future__ import annotations

import argparse
import logging
import sys

from airloop.simulator.types import SimulatorError

from ._errors import ToolError
from ._mcp import serve
from ._policy import PolicyFileError


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m airloop.tools.mcp_server", description=__doc__.splitlines()[0])
    p.add_argument("--scenario", default="urban-macro-19", help="scenario name (airloop.simulator.list_scenarios())")
    p.add_argument("--seed", type=int, default=0, help="network seed")
    p.add_argument("--policy", default=None, help="guardrail policy file (YAML or TOML); default: the built-in policy")
    p.add_argument("--transport", choices=("stdio", "http"), default="stdio")
    p.add_argument("--run-dir", default=None, help="run directory; the change log is RUN_DIR/changes.sqlite")
    p.add_argument("--log-path", default=None, help="change log file (overrides --run-dir)")
    p.add_argument("--host", default="127.0.0.1", help="http transport: address to bind")
    p.add_argument("--port", type=int, default=8765, help="http transport: port")
    p.add_argument("--actor", default="mcp", help="actor name recorded in the change log")
    a = p.parse_args(argv)
    logging.basicConfig(stream=sys.stderr, level=logging.WARNING)
    try:
        serve(
            a.scenario,
            seed=a.seed,
            policy=a.policy,
            transport=a.transport,
            run_dir=a.run_dir,
            log_path=a.log_path,
            host=a.host,
            port=a.port,
            actor=a.actor,
        )
    except (SimulatorError, PolicyFileError, ToolError, ValueError) as exc:
        print(f"airloop mcp: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
