"""`airloop run CAMPAIGN.yaml` (and `--resume RUN_DIR`): a scripted day run by the agents, with a live view."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.live import Live
from rich.markup import escape
from rich.table import Table

from .report import outcome_text

console = Console(stderr=True)
out = Console()

EXIT_OK, EXIT_USAGE = 0, 2


class CampaignView:
    """One row per campaign hour: status, energy against always-on, coverage (live and on the judge's seeds),
    cells asleep, and the changes applied and rolled back."""

    def __init__(self, title: str) -> None:
        self.title = title
        self.rows: dict[int, dict[str, Any]] = {}
        self.footer = ""

    def __call__(self, ev: dict[str, Any]) -> None:
        kind, k = ev["event"], ev.get("k")
        if kind == "hour_start" and k is not None:
            self.rows[k] = {"hour": ev["hour"], "status": "observing", "applied": 0, "rolled": 0}
        elif k is not None and k in self.rows:
            row = self.rows[k]
            if kind == "optimize":
                row["status"] = f"optimizing {ev['item']}"
            elif kind == "outcome":
                row.setdefault("outcomes", []).append(f"{ev['item']} {outcome_text(ev)}")
                row["status"] = ", ".join(row["outcomes"])
            elif kind == "apply":
                row["applied"] += 1
            elif kind == "rollback":
                row["rolled"] += 1
                row["status"] += f"; {ev['actor']} rolled back {ev['rollback_of']}"
            elif kind == "hour_end":
                row.update(live=ev["live"], always_on=ev["always_on"], judge=ev["judge"],
                           asleep=len(ev["asleep"]))
                row["status"] = row["status"].replace("observing", "no change due")
        if kind == "resume":
            self.footer = f"resumed at hour index {ev['at_hour_index']}"
        elif kind == "campaign_end":
            t = ev["totals"]
            self.footer = (f"energy saved {ev['energy_saved_pct']:.1f}% vs always-on (judge seeds "
                           f"{ev['judge_energy_saved_pct']:.1f}%) · min coverage {ev['min_coverage']:.4f} "
                           f"(judge {ev['min_judge_coverage']:.4f}) · {t['applies']} applies, "
                           f"{t['monitor_rollbacks']} monitor rollbacks, {t['reverts']} reverts")

    def render(self) -> Table:
        t = Table(title=self.title)
        for col in ("hour", "status", "energy kW", "always-on kW", "coverage", "judge cov.", "asleep", "+/-"):
            t.add_column(col, justify="left" if col == "status" else "right")
        for _, r in sorted(self.rows.items())[-26:]:
            live, on, j = r.get("live"), r.get("always_on"), r.get("judge")
            t.add_row(f"{r['hour']:02d}:00", r["status"][:70],
                      f"{live['energy_w'] / 1e3:.2f}" if live else "", f"{on['energy_w'] / 1e3:.2f}" if on else "",
                      f"{live['coverage']:.4f}" if live else "", f"{j['live']['coverage']:.4f}" if j else "",
                      str(r.get("asleep", "")), f"+{r['applied']}/-{r['rolled']}")
        t.caption = self.footer
        return t


def run_campaign(
    campaign: Path | None = typer.Argument(None, help="the campaign file (YAML); see examples/"),
    resume: Path | None = typer.Option(None, "--resume", help="continue the campaign in this run directory"),
    out_dir: Path | None = typer.Option(None, "--out", help="run directory (default: runs/campaign-<name>-<time>)"),
    json_out: bool = typer.Option(False, "--json", help="stream events, one JSON object per line, on stdout"),
    model: str | None = typer.Option(None, help="override the file's model (e.g. none, llamacpp, scripted:<f>)"),
    strategy: str | None = typer.Option(None, help="override the file's strategy (e.g. heuristic)"),
) -> None:
    """Run a campaign: a simulated day (or week) re-optimized by the agents every hour, guarded by a monitor."""
    from airloop.agents.models import ModelError

    from .campaign import CampaignFileError, load_campaign
    from .campaign_runner import CampaignRunner
    from .runs import DEFAULT_ROOT

    if (campaign is None) == (resume is None):
        console.print("[red]error:[/red] give a campaign file, or --resume RUN_DIR (not both)")
        raise typer.Exit(EXIT_USAGE)
    if resume is not None and (model or strategy):
        console.print("[red]error:[/red] --model and --strategy apply to a new campaign; a resumed one keeps its own")
        raise typer.Exit(EXIT_USAGE)
    view = CampaignView(f"campaign {campaign or resume}")

    def on_event(ev: dict[str, Any]) -> None:
        view(ev)
        if json_out:
            typer.echo(json.dumps(ev, default=str))
        elif not console.is_terminal and ev["event"] == "hour_end":
            console.print(f"{ev['hour']:02d}:00  energy {ev['live']['energy_w'] / 1e3:.2f} kW "
                          f"(always-on {ev['always_on']['energy_w'] / 1e3:.2f})  coverage "
                          f"{ev['live']['coverage']:.4f} (judge {ev['judge']['live']['coverage']:.4f})  asleep "
                          f"{len(ev['asleep'])}  applied {ev['applied']}  rollbacks {len(ev['rollbacks'])}", soft_wrap=True)

    try:
        if resume is None:
            assert campaign is not None
            camp, text = load_campaign(campaign, model=model, strategy=strategy)
            run_dir = out_dir or DEFAULT_ROOT / f"campaign-{camp.name}-{datetime.now(UTC):%Y%m%d-%H%M%S}"

        def build(emit: Any) -> CampaignRunner:
            if resume is not None:
                return CampaignRunner.resume(resume, on_event=emit)
            return CampaignRunner.start(camp, text, run_dir, campaign_path=str(campaign), on_event=emit)

        if json_out or not console.is_terminal:
            runner = build(on_event)
            summary = runner.run()
        else:
            with Live(view.render(), console=console, refresh_per_second=4) as live:
                def refresh(ev: dict[str, Any]) -> None:
                    on_event(ev)
                    live.update(view.render())

                runner = build(refresh)
                summary = runner.run()
    except (CampaignFileError, FileExistsError, FileNotFoundError, ValueError, ModelError) as e:
        console.print(f"[red]error:[/red] {escape(str(e))}", soft_wrap=True)
        raise typer.Exit(EXIT_USAGE) from None
    if not json_out:
        out.print(f"campaign {summary.get('name')} done: {summary['hours_run']} hours in {runner.run_dir}")
        out.print(view.footer)
        out.print(f"report: airloop report {runner.run_dir}")
    raise typer.Exit(EXIT_OK)
