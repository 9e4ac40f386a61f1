"""`airloop report`: HTML (images embedded) + Markdown + PNGs for a campaign run directory and for an eval summary."""

from __future__ import annotations

import base64
import json
from pathlib import Path

from typer.testing import CliRunner

from airloop.campaign import load_campaign
from airloop.campaign_runner import CampaignRunner
from airloop.cli import app
from airloop.report import eval_report

PNG = b"\x89PNG\r\n\x1a\n"

CAMPAIGN = """\
name: report-test
scenario: dense-urban-hetnet
n_ues: 250
start_hour: 4
hours: 3
steps_per_hour: 3
observe_steps: 2
judge_steps: 3
seeds: {network: 1, judge: [7001]}
strategy: heuristic
model: none
planner: rules
budget: {sim_evals: 30}
monitor: {steps: 2, tolerance: 0.0}
schedule:
  standing:
    - text: "Cut energy use but keep coverage above 95%"
  manual:
    - at: 5
      reason: injected bad change
      changes: [{cell: 0, active: false}, {cell: 1, active: false}, {cell: 2, active: false}]
      constraints: [{kpi: coverage, op: '>=', value: 0.999}]
"""


def test_campaign_report_writes_html_md_and_pngs(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(CAMPAIGN)
    camp, text = load_campaign(path)
    run_dir = tmp_path / "run"
    CampaignRunner.start(camp, text, run_dir).run()
    res = CliRunner().invoke(app, ["report", str(run_dir)])
    assert res.exit_code == 0, res.stdout
    out = run_dir / "report"
    pngs = sorted(p.name for p in out.glob("*.png"))
    assert pngs == ["campaign_kpis.png", "campaign_sleep_map.png", "campaign_timeline.png"]
    for p in out.glob("*.png"):
        assert p.read_bytes().startswith(PNG) and p.stat().st_size > 5_000
    page = (out / "report.html").read_text()
    assert page.count("data:image/png;base64,") == 3 and "src='campaign_" not in page  # self-contained
    first = page.split("data:image/png;base64,")[1].split("'")[0]
    assert base64.b64decode(first).startswith(PNG)
    md = (out / "report.md").read_text()
    for name in pngs:
        assert f"]({name})" in md
    assert "energy saved vs always-on" in md and "monitor" in md


def test_eval_report_from_a_summary_dict(tmp_path: Path) -> None:
    summary = {"arms": {
        "hybrid/opt": {"n": 12, "success": 0.75, "success_ci": [0.47, 0.91], "regret_median": 0.02,
                       "regret_mean": 0.05, "regret_ci": [0.0, 0.11], "llm_calls": 1.2, "tokens": 3900,
                       "sim_evals": 58, "wall_s": 9.5, "reference": False},
        "heuristic/opt": {"n": 12, "success": 0.5, "success_ci": [0.25, 0.75], "regret_median": 0.3,
                          "regret_ci": [0.1, 0.5], "llm_calls": 0, "tokens": 0, "sim_evals": 20, "wall_s": 1.5,
                          "reference": True},
        "random/opt": {"n": 12, "success": 0.25, "success_ci": [0.09, 0.53], "regret_median": None,
                       "regret_ci": None, "llm_calls": 0, "tokens": 0, "sim_evals": 35, "wall_s": 2.0},
    }, "comparisons": [{"arm": "hybrid/opt", "reference": "heuristic/opt", "metric": "success", "n_pairs": 12,
                        "delta": 0.25, "delta_ci": [0.0, 0.5], "p": 0.06, "p_holm": 0.12}]}
    files = eval_report(summary, tmp_path / "rep", title="eval test")
    assert files["comparison"].read_bytes().startswith(PNG) and files["cost"].read_bytes().startswith(PNG)
    md = files["markdown"].read_text()
    assert "| hybrid/opt | 12 | 75% | [0.47, 0.91]" in md and "p (Holm)" in md
    assert files["html"].read_text().count("data:image/png;base64,") == 2
    # the same through `airloop report` on a directory holding the summary
    d = tmp_path / "evaldir"
    d.mkdir()
    (d / "summary.json").write_text(json.dumps(summary))
    res = CliRunner().invoke(app, ["report", str(d)])
    assert res.exit_code == 0, res.stdout
    assert (d / "report" / "eval_comparison.png").exists()


def test_report_of_something_else_is_a_usage_error(tmp_path: Path) -> None:
    res = CliRunner().invoke(app, ["report", str(tmp_path)])
    assert res.exit_code == 2


def test_training_run_report_plots_its_curve(tmp_path: Path) -> None:
    """`airloop report` on an `airloop train` folder: the curve (loss, token accuracy) and the manifest's facts."""
    manifest = {"task": "planner", "method": "sft", "steps": 20, "base_model": "SmolLM2.gguf", "base_digest": "sha256:ab",
                "data": {"file": "t.jsonl", "rows": 9, "texts": 10, "dropped": {"not_read": 1}}, "config": {"rank": 8},
                "final_loss": 0.2, "final_token_accuracy": 0.9, "adapter_file": "planner-lora.gguf",
                "curve": [{"step": s, "loss": 2.0 / s, "token_accuracy": 1 - 0.5 / s, "reward": None}
                          for s in (1, 10, 20)]}
    (tmp_path / "planner-lora.json").write_text(json.dumps(manifest))
    res = CliRunner().invoke(app, ["report", str(tmp_path)])
    assert res.exit_code == 0, res.output
    rep = tmp_path / "report"
    assert (rep / "train_curve.png").read_bytes().startswith(PNG)
    md = (rep / "report.md").read_text()
    assert "9 rows of 10 texts" in md and "![curve](train_curve.png)" in md
    assert "data:image/png;base64," in (rep / "report.html").read_text()
