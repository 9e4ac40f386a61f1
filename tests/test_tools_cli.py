"""`airloop mcp` and `airloop log` (airloop/cli_tools.py), driven through typer's test runner on a local app, so they
are tested whether or not airloop/cli.py has registered them yet."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from airloop.simulator import Network
from airloop.tools import NetworkSession, Policy
from typer.testing import CliRunner

from airloop import cli_tools

app = typer.Typer()
app.command("mcp")(cli_tools.mcp)
app.command("log")(cli_tools.log)
runner = CliRunner()


def _run_with_changes(run_dir: Path) -> None:
    s = NetworkSession(Network.from_scenario("rural-7", seed=1, n_ues=40), Policy.default(), run_dir / "changes.sqlite")
    s.apply(
        [{"cell": 1, "tx_power_dbm": 42.0}, {"cell": 2, "active": False}],
        reason="night energy saving",
        actor="optimizer",
        steps=2,
    )
    s.rollback(1, actor="user")
    s.close()


def test_log_prints_the_change_log(tmp_path: Path):
    run = tmp_path / "run1"
    _run_with_changes(run)
    res = runner.invoke(app, ["log", "--run", str(run)], env={"COLUMNS": "200"})
    assert res.exit_code == 0, res.output
    out = res.output
    assert "rural-7" in out and "night energy saving" in out and "optimizer" in out
    assert "rollback of 1" in out and "undone by 2" in out
    assert "tx_power_dbm 46→42" in out and "active on→off" in out

    js = runner.invoke(app, ["log", "--run", str(run / "changes.sqlite"), "--json"])
    assert js.exit_code == 0
    rows = [json.loads(line) for line in js.output.splitlines()]
    assert [r["change_id"] for r in rows] == [2, 1] and rows[1]["actor"] == "optimizer"


def test_log_defaults_to_the_latest_run(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("AIRLOOP_RUNS", str(tmp_path))
    assert runner.invoke(app, ["log"]).exit_code == 1  # no runs yet
    _run_with_changes(tmp_path / "20260101-000000-mcp-rural-7")
    res = runner.invoke(app, ["log"], env={"COLUMNS": "200"})
    assert res.exit_code == 0 and "night energy saving" in res.output


def test_log_of_a_missing_run(tmp_path: Path):
    res = runner.invoke(app, ["log", "--run", str(tmp_path / "nope")])
    assert res.exit_code == 1 and "no change log" in res.output


def test_mcp_refuses_bad_options(tmp_path: Path):
    res = runner.invoke(app, ["mcp", "--scenario", "atlantis", "--run-dir", str(tmp_path / "r")])
    assert res.exit_code == 2 and "atlantis" in res.output
    res = runner.invoke(app, ["mcp", "--transport", "pigeon", "--run-dir", str(tmp_path / "r")])
    assert res.exit_code != 0 and "pigeon" in res.output
    bad = tmp_path / "p.yaml"
    bad.write_text("coverage_flor: 0.9\n")
    res = runner.invoke(app, ["mcp", "--scenario", "rural-7", "--policy", str(bad), "--run-dir", str(tmp_path / "r")])
    assert res.exit_code == 2 and "coverage_flor" in res.output
