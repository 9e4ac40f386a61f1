"""`airloop mcp` (serve the network tools to any MCP client) and `airloop log` (print a run's change log)."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from airloop.simulator import list_scenarios

console = Console()

LOG_FILE = "changes.sqlite"


def runs_root() -> Path:
    """Where run directories live: $AIRLOOP_RUNS, else ./runs."""
    return Path(os.environ.get("AIRLOOP_RUNS", "runs"))


def _new_run_dir(kind: str) -> Path:
    return runs_root() / f"{datetime.now(UTC).strftime('%Y%m%d-%H%M%S')}-{kind}"


def _latest_run_with_log() -> Path | None:
    root = runs_root()
    if not root.is_dir():
        return None
    logs = [p for p in root.glob(f"*/{LOG_FILE}") if p.is_file()]
    return max(logs, key=lambda p: p.stat().st_mtime).parent if logs else None


def mcp(
    scenario: str = typer.Option("urban-macro-19", help=f"one of: {', '.join(list_scenarios())}"),
    policy: Path | None = typer.Option(None, help="guardrail policy file (YAML or TOML); default: the built-in one"),
    transport: str = typer.Option("stdio", help="stdio (for a client that starts the server) or http"),
    seed: int = typer.Option(0, min=0, help="network seed"),
    run_dir: Path | None = typer.Option(
        None, "--run-dir", help="run directory for the change log; an existing one is resumed (default: a new one)"
    ),
    host: str = typer.Option("127.0.0.1", help="http: address to bind"),
    port: int = typer.Option(8765, min=1, max=65535, help="http: port"),
) -> None:
    """Serve the network tools over MCP: summary, KPIs, cells, what-if, guarded apply, rollback, change log, policy.

    Point an MCP client at `airloop mcp --scenario S` (stdio), or run with `--transport http` and connect to
    http://HOST:PORT/mcp. Every apply is checked against the policy, logged in RUN_DIR/changes.sqlite, and can be
    rolled back. Nothing but protocol messages is written to stdout.
    """
    from airloop.simulator.types import SimulatorError
    from airloop.tools import PolicyFileError, ToolError
    from airloop.tools._mcp import serve

    if transport not in ("stdio", "http"):
        raise typer.BadParameter(f"{transport!r}: choose stdio or http", param_hint="--transport")
    run = run_dir if run_dir is not None else _new_run_dir(f"mcp-{scenario}")
    try:
        serve(scenario, seed=seed, policy=policy, transport=transport, run_dir=run, host=host, port=port)  # type: ignore[arg-type]
    except (SimulatorError, PolicyFileError, ToolError, ValueError) as exc:
        typer.echo(f"airloop mcp: {exc}", err=True)
        raise typer.Exit(2) from exc


def log(
    run: Path | None = typer.Option(None, "--run", help="run directory (or a changes.sqlite); default: the latest run"),
    limit: int = typer.Option(50, min=1, help="newest entries to show"),
    json_out: bool = typer.Option(False, "--json", help="print JSON lines (one entry per line) instead of a table"),
) -> None:
    """Print a run's change log: every apply and rollback, who made it and why, what changed and its KPI effect."""
    from airloop.tools import ChangeLog

    if run is None:
        run = _latest_run_with_log()
        if run is None:
            typer.echo(f"no run with a change log under {runs_root()}/ (give one with --run DIR)", err=True)
            raise typer.Exit(1)
    path = run if run.suffix == ".sqlite" else run / LOG_FILE
    if not path.is_file():
        typer.echo(f"no change log at {path}", err=True)
        raise typer.Exit(1)
    cl = ChangeLog(path)
    try:
        header, entries = cl.header(), cl.entries(limit)
        total = cl.count()
    finally:
        cl.close()
    if json_out:
        for e in entries:
            typer.echo(json.dumps(e.model_dump(exclude={"config"}), separators=(",", ":")))
        return
    title = (
        f"change log {path} — scenario {header.get('scenario')} seed {header.get('seed')}, "
        f"version {entries[0].version if entries else 0}, {total} entries"
    )
    t = Table(title=title, title_justify="left")
    for col, kw in (
        ("id", {"justify": "right", "no_wrap": True}),
        ("ver", {"justify": "right", "no_wrap": True}),
        ("time UTC", {"no_wrap": True}),
        ("kind", {}),
        ("actor", {}),
        ("changes (before → after)", {"ratio": 3, "min_width": 24}),
        ("Δcov", {"justify": "right", "no_wrap": True}),
        ("ΔW", {"justify": "right", "no_wrap": True}),
        ("reason", {"ratio": 2}),
    ):
        t.add_column(col, **kw)
    for e in entries:
        kind = e.kind if e.rollback_of is None else f"rollback of {e.rollback_of}"
        if e.rolled_back_by:
            kind += f" (undone by {', '.join(map(str, e.rolled_back_by))})"
        t.add_row(
            str(e.change_id),
            str(e.version),
            e.time[5:19].replace("T", " "),
            kind,
            e.actor,
            _describe(e.before, e.after),
            _delta(e, "coverage", "{:+.4f}"),
            _delta(e, "energy_w", "{:+,.0f}"),
            e.reason,
        )
    console.print(t)


def _describe(before: dict, after: dict, max_cells: int = 6) -> str:
    parts = []
    for c in sorted(after, key=int)[:max_cells]:
        knobs = []
        for k, v in after[c].items():
            b = before.get(c, {}).get(k)
            knobs.append(f"{k} {_fmt(b)}→{_fmt(v)}")
        parts.append(f"cell {c}: " + ", ".join(knobs))
    if len(after) > max_cells:
        parts.append(f"… +{len(after) - max_cells} cells")
    return "\n".join(parts)


def _fmt(v: object) -> str:
    if isinstance(v, bool):
        return "on" if v else "off"
    if isinstance(v, float):
        return f"{v:g}"
    if isinstance(v, dict):
        return "/".join(f"{x:g}" for x in v.values())
    return str(v)


def _delta(e, kpi: str, fmt: str) -> str:
    if not e.kpis_before or not e.kpis_after:
        return ""
    return fmt.format(e.kpis_after[kpi] - e.kpis_before[kpi])
