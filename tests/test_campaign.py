"""Campaigns (`airloop run`): a short day runs and applies, the monitor rolls back a bad change, a killed campaign
resumes to the same result, and a malformed campaign file is refused with the field and its line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from airloop.tools import NetworkSession
from typer.testing import CliRunner

from airloop.campaign import CampaignFileError, load_campaign, parse_campaign
from airloop.campaign_runner import KILL_ENV, CampaignRunner
from airloop.cli import app

DATA = Path(__file__).parent / "data"
runner = CliRunner()

#: Small and fast: 300 users, short windows, one judge seed, the no-LLM heuristic.
BASE = """\
name: {name}
scenario: urban-macro-19
n_ues: 300
start_hour: 0
hours: 3
steps_per_hour: 4
observe_steps: 2
judge_steps: 4
seeds: {{network: 0, judge: [7001]}}
strategy: {strategy}
model: {model}
planner: rules
budget: {{sim_evals: 40}}
monitor: {{steps: 3, tolerance: 0.0}}
schedule:
  standing:
    - text: "Cut energy use but keep coverage above 95%"
"""


def write(tmp: Path, text: str, name: str = "c.yaml") -> Path:
    p = tmp / name
    p.write_text(text)
    return p


def run_campaign(path: Path, out: Path) -> dict[str, Any]:
    camp, text = load_campaign(path)
    return CampaignRunner.start(camp, text, out, campaign_path=str(path)).run()


def events(run_dir: Path) -> list[dict[str, Any]]:
    return [json.loads(ln) for ln in (run_dir / "events.jsonl").read_text().splitlines()]


def test_three_hours_with_the_heuristic_apply_and_save_energy(tmp_path: Path) -> None:
    path = write(tmp_path, BASE.format(name="short", strategy="heuristic", model="none"))
    out = tmp_path / "run"
    s = run_campaign(path, out)
    assert s["hours_run"] == 3 and [r["hour"] for r in s["records"]] == [0, 1, 2]
    assert s["totals"]["applies"] >= 1
    assert s["energy_wh"] < s["always_on_energy_wh"] and s["energy_saved_pct"] > 0
    assert s["min_judge_coverage"] >= 0.95 - 1e-9 or s["totals"]["monitor_rollbacks"] > 0
    for r in s["records"]:  # the always-on twin is never changed
        assert r["always_on"]["network"]["active_cells"] == 57
    # one run directory: events, change log, run store, manifest, summary
    for f in ("events.jsonl", "changes.sqlite", "runs/runs.sqlite", "manifest.json", "summary.json", "layout.json"):
        assert (out / f).exists(), f
    m = json.loads((out / "manifest.json").read_text())
    assert m["campaign_text"] == path.read_text()
    assert m["packages"]["numpy"] and len(m["policy"]["sha256"]) == 64
    assert "planner.md" in m["prompts"] and m["seeds"]["judge"] == [7001]
    assert len(m["code"]["source_sha256"]) == 64
    kinds = [e["event"] for e in events(out)]
    assert kinds[0] == "campaign_start" and kinds[-1] == "campaign_end" and kinds.count("hour_end") == 3
    session = NetworkSession.open(out / "changes.sqlite")
    try:
        log = session.change_log(100)
    finally:
        session.close()
    applied = [e for e in log if e.kind == "apply"]
    assert len(applied) == s["totals"]["applies"] and all(e.actor.startswith("airloop:") for e in applied)


def test_scripted_model_campaign_applies(tmp_path: Path) -> None:
    answers = DATA / "campaign_llm_direct.jsonl"
    text = BASE.format(name="scripted", strategy="llm-direct", model=f"scripted:{answers}")
    s = run_campaign(write(tmp_path, text), tmp_path / "run")
    outcomes = [o for r in s["records"] for o in r["outcomes"]]
    assert [o["status"] for o in outcomes][0] == "approved"
    assert s["totals"]["applies"] >= 1 and s["totals"]["llm_calls"] >= 1
    assert set(s["records"][0]["asleep"]) == {11, 14}


def test_monitor_rolls_back_an_injected_bad_change(tmp_path: Path) -> None:
    # An operator's change at 01:00 that sleeps cells; its guard (coverage >= 0.999) breaks on the live network
    # while the always-on twin does better on the same users: the monitor rolls it back on its own.
    text = BASE.format(name="monitor", strategy="heuristic", model="none").replace(
        "  standing:\n    - text: \"Cut energy use but keep coverage above 95%\"\n",
        "  manual:\n    - at: 1\n      reason: injected bad change\n"
        "      changes: [{cell: 0, active: false}, {cell: 1, active: false}, {cell: 2, active: false},\n"
        "                {cell: 3, active: false}, {cell: 4, active: false}, {cell: 5, active: false}]\n"
        "      constraints: [{kpi: coverage, op: '>=', value: 0.999}]\n")
    out = tmp_path / "run"
    s = run_campaign(write(tmp_path, text), out)
    assert s["totals"]["applies"] == 1 and s["totals"]["monitor_rollbacks"] == 1
    rb = [e for e in events(out) if e["event"] == "rollback"]
    assert len(rb) == 1 and rb[0]["actor"] == "monitor" and rb[0]["hour"] == 1 and rb[0]["item"] == "m0"
    assert s["records"][1]["asleep"] == [] and s["records"][2]["asleep"] == []
    session = NetworkSession.open(out / "changes.sqlite")
    try:
        log = session.change_log(10)
    finally:
        session.close()
    assert [e.kind for e in log] == ["rollback", "apply"] and log[0].actor == "monitor"
    assert log[0].rollback_of == log[1].change_id


def test_kill_and_resume_gives_the_same_result(tmp_path: Path) -> None:
    path = write(tmp_path, BASE.format(name="resume", strategy="heuristic", model="none"))
    whole = run_campaign(path, tmp_path / "whole")
    killed = tmp_path / "killed"
    env = {**os.environ, KILL_ENV: "after_apply@1"}
    proc = subprocess.run([sys.executable, "-m", "airloop.cli", "run", str(path), "--out", str(killed), "--json"],
                          env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 137, proc.stderr[-2000:]
    assert not (killed / "summary.json").exists()
    code = runner.invoke(app, ["run", "--resume", str(killed), "--json"])
    assert code.exit_code == 0, code.stdout[-2000:]
    resumed = json.loads((killed / "summary.json").read_text())
    assert resumed["result_sha256"] == whole["result_sha256"]
    assert resumed["records"][-1]["live"] == whole["records"][-1]["live"]
    assert resumed["final_config"] == whole["final_config"]
    evs = events(killed)
    res = [e for e in evs if e["event"] == "resume"]
    assert len(res) == 1 and res[0]["at_hour_index"] == 1 and res[0]["undo_change_id"] is not None
    assert json.loads((killed / "manifest.json").read_text())["resumed"][0]["at_hour_index"] == 1


BAD = """\
name: bad
scenario: urban-macro-19
hours: 3
schedule:
  standing:
    - text: "Cut energy use at night"
      hours: [0, 1, 25]
monitor:
  tolerance: 0.01
  stepz: 3
strategy: hybrid
"""


def test_malformed_campaign_names_field_and_line_and_nothing_runs(tmp_path: Path) -> None:
    with pytest.raises(CampaignFileError) as ei:
        parse_campaign(BAD, "bad.yaml")
    errs = {e["field"]: e["line"] for e in ei.value.errors}
    assert errs == {"schedule.standing[0].hours": 7, "monitor.stepz": 10}, ei.value.errors
    assert "bad.yaml:7: schedule.standing[0].hours" in str(ei.value)
    path = write(tmp_path, BAD)
    out = tmp_path / "run"
    res = runner.invoke(app, ["run", str(path), "--out", str(out)])
    assert res.exit_code == 2
    assert not out.exists()
    assert ":7: schedule.standing[0].hours" in res.stderr and ":10: monitor.stepz" in res.stderr


@pytest.mark.parametrize("text, field, line", [
    ("name: x\nschedule: {}\n", "schedule", 2),
    ("name: x\nscenario: mars\nschedule:\n  timed: [{at: 3, text: hi}]\n", "scenario", 2),
    ("name: x\nschedule:\n  timed:\n    - at: 30\n      text: hi\n", "schedule.timed[0].at", 4),
    ("name: x\nbudget: {sim_evalz: 3}\nschedule:\n  timed: [{at: 3, text: hi}]\n", "budget", 2),
    ("schedule:\n  timed: [{at: 3, text: hi}]\n", "name", 1),
    ("name: x\nschedule:\n  standing:\n    - text: t\n      intent: {objective: {kpi: energy, goal: minimize}}\n",
     "schedule.standing[0].intent.objective.kpi", 5),
])
def test_each_bad_field_is_located(text: str, field: str, line: int) -> None:
    with pytest.raises(CampaignFileError) as ei:
        parse_campaign(text, "c.yaml")
    assert [(e["field"], e["line"]) for e in ei.value.errors] == [(field, line)], ei.value.errors


def test_a_model_that_cannot_be_built_is_refused_before_the_run_directory(tmp_path: Path) -> None:
    # an unknown backend is a bad field of the file (its line named); a backend that cannot build (a missing GGUF
    # file) is refused before anything is written; both were tracebacks, the second after making the run directory
    text = "name: x\nscenario: rural-7\nhours: 1\nmodel: nope:x\nschedule:\n  timed: [{at: 3, text: cut energy}]\n"
    with pytest.raises(CampaignFileError) as ei:
        parse_campaign(text, "c.yaml")
    assert [(e["field"], e["line"]) for e in ei.value.errors] == [("model", 4)]
    assert "unknown model spec 'nope:x'" in str(ei.value) and "llamacpp" in str(ei.value)
    path = write(tmp_path, text.replace("nope:x", f"llamacpp:{tmp_path / 'missing.gguf'}"))
    out = tmp_path / "run"
    res = runner.invoke(app, ["run", str(path), "--out", str(out)])
    assert res.exit_code == 2, res.output
    assert "missing.gguf does not exist" in res.stderr and not out.exists()
    # a bad value given by a flag is said at the flag (it was said at the file's own `model:` line)
    res = runner.invoke(app, ["run", str(path), "--out", str(out), "--model", "nope:x"])
    assert res.exit_code == 2 and "--model: model: unknown model spec 'nope:x'" in res.stderr and not out.exists()
    res = runner.invoke(app, ["run", str(path), "--out", str(out), "--strategy", "hybird"])
    assert res.exit_code == 2 and "--strategy: strategy: unknown strategy 'hybird'" in res.stderr, res.stderr


def test_yaml_syntax_error_has_a_line(tmp_path: Path) -> None:
    with pytest.raises(CampaignFileError) as ei:
        parse_campaign("name: x\nschedule:\n  standing: [\n", "c.yaml")
    assert ei.value.errors[0]["line"] >= 3
