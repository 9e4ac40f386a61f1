"""`airloop report RUN_OR_EVAL_DIR`: HTML + Markdown with plots for a campaign run or an evaluation."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape

console = Console(stderr=True)


def report(
    run_dir: Path = typer.Argument(..., help="a campaign run directory (airloop run), an eval directory or a "
                                             "training run folder (airloop train)"),
    out: Path | None = typer.Option(None, "--out", help="where to write (default: RUN_DIR/report)"),
) -> None:
    """Write a self-contained HTML page and a Markdown file with PNG plots for a campaign, an evaluation or a
    training run."""
    from .report import ReportError, write_report

    try:
        files = write_report(run_dir, out)
    except ReportError as e:
        console.print(f"[red]error:[/red] {escape(str(e))}", soft_wrap=True)
        raise typer.Exit(2) from None
    for key, path in files.items():
        typer.echo(f"{key:10s} {path}")
