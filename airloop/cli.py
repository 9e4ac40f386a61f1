"""The `airloop` command line."""

from __future__ import annotations

import typer

from airloop import __version__
from airloop.cli_agent import intent, list_runs, plan, resume, strategies
from airloop.cli_campaign import run_campaign
from airloop.cli_eval import eval_command
from airloop.cli_learn import policies, prompts_app, tune
from airloop.cli_models import models
from airloop.cli_report import report
from airloop.cli_sim import calibrate, sim
from airloop.cli_tools import log, mcp
from airloop.cli_train import train_app

app = typer.Typer(
    name="airloop",
    help="LLM agents that turn network intents into verified configuration changes on a local radio simulator.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

app.command("intent")(intent)
app.command("plan")(plan)
app.command("resume")(resume)
app.command("runs")(list_runs)
app.command("strategies")(strategies)
app.command("sim")(sim)
app.command("calibrate")(calibrate)
app.command("models")(models)
app.command("mcp")(mcp)
app.command("log")(log)
app.command("eval")(eval_command)
app.command("run")(run_campaign)
app.command("report")(report)
app.command("tune")(tune)
app.command("policies")(policies)
app.add_typer(prompts_app, name="prompts")
app.add_typer(train_app, name="train")


@app.command("version")
def version() -> None:
    """Print the airloop version."""
    typer.echo(__version__)


def main() -> None:  # pragma: no cover
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
