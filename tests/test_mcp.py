"""The MCP face, driven by the official SDK's own client: over stdio against `python -m airloop.tools.mcp_server`
(a real subprocess), and in-process for the output-schema conformance of every tool."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import anyio
import pytest
from airloop.simulator import Network
from airloop.tools import TOOLS, NetworkSession, Policy, build_mcp_server
from mcp import Client, StdioServerParameters

SCENARIO, SEED = "rural-7", 2


def _text(result) -> dict:
    assert len(result.content) == 1 and result.content[0].type == "text"
    return json.loads(result.content[0].text)


def test_stdio_round_trip_with_the_sdk_client(tmp_path: Path):
    log_path = tmp_path / "changes.sqlite"
    policy = tmp_path / "policy.yaml"
    policy.write_text(
        (Path(__file__).parents[1] / "tools" / "default_policy.yaml")
        .read_text()
        .replace("protected_cells: []", "protected_cells: [4]")
    )
    params = StdioServerParameters(
        command=sys.executable,
        args=[
            "-m",
            "airloop.tools.mcp_server",
            "--scenario",
            SCENARIO,
            "--seed",
            str(SEED),
            "--policy",
            str(policy),
            "--log-path",
            str(log_path),
        ],
    )

    async def scenario() -> None:
        async with Client(params, read_timeout_seconds=60) as client:
            listed = await client.list_tools()
            by_name = {t.name: t for t in listed.tools}
            assert set(by_name) == set(TOOLS)
            assert by_name["apply_changes"].annotations.read_only_hint is False
            assert by_name["get_kpis"].annotations.read_only_hint is True
            assert "changes" in by_name["apply_changes"].input_schema["properties"]
            assert by_name["get_kpis"].output_schema["type"] == "object"

            kpis0 = await client.call_tool("get_kpis", {})
            assert not kpis0.is_error and kpis0.structured_content == _text(kpis0)
            summary = await client.call_tool("get_network_summary", {})
            assert summary.structured_content["scenario"] == SCENARIO
            assert summary.structured_content["policy"]["protected_cells"] == [4]

            # Out of range: refused with a structured error, and nothing changed.
            bad = await client.call_tool("apply_changes", {"changes": [{"cell": 0, "tx_power_dbm": 60}], "reason": "x"})
            assert bad.is_error and bad.structured_content["error"]["code"] == "invalid_change"
            assert bad.structured_content["error"]["allowed"] == [0.0, 46.0]
            guarded = await client.call_tool(
                "apply_changes", {"changes": [{"cell": 4, "active": False}], "reason": "x"}
            )
            assert guarded.is_error
            assert guarded.structured_content["error"]["violations"][0]["rule"] == "protected_cell"
            wrong_type = await client.call_tool("list_cells", {"limit": "many"})
            assert wrong_type.is_error and wrong_type.structured_content["error"]["code"] == "invalid_parameter"
            assert (await client.call_tool("get_kpis", {})).structured_content == kpis0.structured_content
            log0 = await client.call_tool("get_change_log", {})
            assert log0.structured_content["total"] == 0

            # A valid change, then its exact rollback.
            applied = await client.call_tool(
                "apply_changes",
                {"changes": [{"cell": 1, "tx_power_dbm": 42.0}], "reason": "save energy", "expected_version": 0},
            )
            assert not applied.is_error, applied.structured_content
            cid = applied.structured_content["change_id"]
            moved = await client.call_tool("get_kpis", {})
            assert moved.structured_content != kpis0.structured_content
            undone = await client.call_tool("rollback", {"change_id": cid})
            assert not undone.is_error and undone.structured_content["exact"] is True
            kpis2 = await client.call_tool("get_kpis", {})
            assert kpis2.structured_content == kpis0.structured_content
            log = (await client.call_tool("get_change_log", {})).structured_content
            assert [(e["kind"], e["actor"]) for e in log["entries"]] == [("rollback", "mcp"), ("apply", "mcp")]

    anyio.run(scenario)
    # The server wrote its log where it was told; the KPIs match bit for bit (compared on the server side).
    s = NetworkSession.open(log_path)
    assert s.version == 2 and s.network.config.cell(1).tx_power_dbm == 46.0
    s.close()


def test_every_tool_conforms_to_its_output_schema_in_process(tmp_path: Path):
    """The SDK client validates `structuredContent` against each tool's `outputSchema` on success."""
    net = Network.from_scenario(SCENARIO, seed=SEED, n_ues=60)
    session = NetworkSession(net, Policy.default(), tmp_path / "changes.sqlite")
    server = build_mcp_server(session, actor="inproc")
    calls = [
        ("get_network_summary", {}),
        ("get_kpis", {"slice": "embb", "cells": [0, 1]}),
        ("list_cells", {"limit": 3, "filter": {"active": True}}),
        ("get_cell", {"cell": 2}),
        ("get_policy", {}),
        ("simulate_changes", {"changes": [{"cell": 0, "cio_db": 2.0}], "hours": [1, 13], "steps": 2}),
        ("apply_changes", {"changes": [{"cell": 0, "cio_db": 2.0}], "reason": "r", "steps": 2}),
        ("get_change_log", {}),
        ("rollback", {"change_id": 1}),
    ]

    async def scenario() -> None:
        async with Client(server) as client:
            await client.list_tools()
            for name, args in calls:
                r = await client.call_tool(name, args)  # raises if structuredContent breaks outputSchema
                assert not r.is_error, (name, r.structured_content)
                assert r.structured_content == _text(r)
            r = await client.call_tool("get_cell", {"cell": -1})
            assert r.is_error and r.structured_content["error"]["code"] == "invalid_parameter"

    anyio.run(scenario)
    assert session.change_log(1)[0].actor == "inproc"
    session.close()


@pytest.mark.parametrize("bad", [["--scenario", "atlantis"], ["--transport", "pigeon"]])
def test_server_refuses_bad_command_lines(bad: list[str]):
    import subprocess

    proc = subprocess.run(
        [sys.executable, "-m", "airloop.tools.mcp_server", *bad],
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    assert proc.returncode != 0
    assert "atlantis" in proc.stderr or "pigeon" in proc.stderr


def test_http_transport_on_loopback(tmp_path: Path):
    import socket
    import subprocess
    import time

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "airloop.tools.mcp_server",
            "--scenario",
            SCENARIO,
            "--transport",
            "http",
            "--port",
            str(port),
            "--log-path",
            str(tmp_path / "changes.sqlite"),
        ],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while True:  # wait for the port to accept connections (bounded)
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else ""
                assert time.monotonic() < deadline, "server did not start"
                time.sleep(0.2)

        async def scenario() -> None:
            async with Client(f"http://127.0.0.1:{port}/mcp", read_timeout_seconds=60) as client:
                assert {t.name for t in (await client.list_tools()).tools} == set(TOOLS)
                r = await client.call_tool("get_network_summary", {})
                assert not r.is_error and r.structured_content["scenario"] == SCENARIO

        anyio.run(scenario)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


_CLI = (
    "import typer\n"
    "from airloop import cli_tools\n"
    "app = typer.Typer()\n"
    "app.command('mcp')(cli_tools.mcp)\n"
    "app.command('log')(cli_tools.log)\n"
    "app()\n"
)


def test_the_typer_mcp_command_serves_stdio_and_logs_to_the_run_dir(tmp_path: Path):
    run = tmp_path / "run"
    params = StdioServerParameters(
        command=sys.executable, args=["-c", _CLI, "mcp", "--scenario", SCENARIO, "--run-dir", str(run)]
    )

    async def scenario() -> None:
        async with Client(params, read_timeout_seconds=60) as client:
            r = await client.call_tool(
                "apply_changes", {"changes": [{"cell": 3, "cio_db": 1.5}], "reason": "via airloop mcp", "steps": 2}
            )
            assert not r.is_error, r.structured_content

    anyio.run(scenario)
    assert (run / "changes.sqlite").is_file()
    import subprocess

    out = subprocess.run(
        [sys.executable, "-c", _CLI, "log", "--run", str(run), "--json"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    entry = json.loads(out.splitlines()[0])
    assert entry["reason"] == "via airloop mcp" and entry["actor"] == "mcp" and entry["after"] == {"3": {"cio_db": 1.5}}
