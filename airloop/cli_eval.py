"""`airloop eval`: the evaluation harness from the command line (a file, flags, or a file with flags over it)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer

EXIT_OK, EXIT_ERRORS, EXIT_USAGE = 0, 1, 2


def _csv(text: str | None) -> list[str] | None:
    return [p.strip() for p in text.split(",") if p.strip()] if text else None


def eval_command(
    eval_file: Path | None = typer.Argument(None, help="the evaluation file (YAML); flags override its fields"),
    out: str | None = typer.Option(None, "--out", help="the eval directory (default evals/<name>)"),
    name: str | None = typer.Option(None, "--name"),
    executor: str | None = typer.Option(None, "--executor", help="process (default), ray or serial"),
    workers: int | None = typer.Option(None, "--workers", help="parallel workers (default: the machine's cores)"),
    ray_address: str | None = typer.Option(None, "--ray-address", help="an existing Ray cluster (with --executor ray)"),
    strategies: str | None = typer.Option(None, "--strategies", help="comma-separated; replaces the file's arms"),
    scenarios: str | None = typer.Option(None, "--scenarios", help="comma-separated scenario names"),
    seeds: str | None = typer.Option(None, "--seeds", help="comma-separated network seeds, e.g. 0,1,2"),
    modes: str | None = typer.Option(None, "--modes", help="opt, e2e or opt,e2e"),
    split: str | None = typer.Option(None, "--split", help="test, dev or all"),
    intents: int | None = typer.Option(None, "--intents", help="this many intents (fixed stride)"),
    ids: str | None = typer.Option(None, "--ids", help="comma-separated intent ids (instead of --split/--intents)"),
    model: str | None = typer.Option(None, "--model", help="model for the LLM strategies and the e2e planner"),
    n_ues: int | None = typer.Option(None, "--n-ues"),
    sim_budget: int | None = typer.Option(None, "--sim-budget", help="simulator evaluations per run"),
    reference: str | None = typer.Option(None, "--reference", help="the arm every other arm is compared with"),
    oracle_trials: int | None = typer.Option(None, "--oracle-trials", help="oracle entries at this many trials"),
    cache: str | None = typer.Option(None, "--cache", help="a SQLite cache file (shared between evals)"),
    retry_errors: bool | None = typer.Option(None, "--retry-errors/--keep-errors",
                                             help="re-run samples that errored last time (default) or keep them"),
    dry_run: bool = typer.Option(False, "--dry-run", help="validate, count the grid and the cache hits, run nothing"),
    json_out: bool = typer.Option(False, "--json", help="print summary.json as the last line"),
    rescore: Path | None = typer.Option(None, "--rescore", help="an eval directory: join its rows with the oracle "
                                        "cache as it is now and recompute the statistics (runs no sample)"),
) -> None:
    """Evaluate strategies × prompt sets against intents × scenarios × seeds: paired, cached, with CIs."""
    from airloop.evaluation import EvalSpecError, load_spec, print_table, rescore_eval, run_eval

    if rescore is not None:
        if eval_file is not None:
            typer.echo("error: --rescore takes an eval directory and no evaluation file; the directory's eval.json "
                       "says what ran", err=True)
            raise typer.Exit(EXIT_USAGE)
        try:
            rescored = rescore_eval(rescore)
        except (ValueError, OSError) as e:
            typer.echo(f"error: {e}", err=True)
            raise typer.Exit(EXIT_USAGE) from None
        print_table(rescored.summary)
        o = rescored.summary["oracle"]
        typer.echo(f"\nrescored {rescored.summary['n_samples']} samples in {rescored.out} against the oracle cache: "
                   f"{len(o['ok'])} ok, {len(o['stale'])} stale, {len(o['missing']) + len(o['other_trials'])} missing")
        if json_out:
            typer.echo(json.dumps(rescored.summary))
        raise typer.Exit(EXIT_OK)

    overrides: dict[str, Any] = {
        "out": out, "name": name, "executor": executor, "workers": workers, "ray_address": ray_address,
        "scenarios": _csv(scenarios), "modes": _csv(modes), "model": model, "n_ues": n_ues,
        "reference": reference, "cache": cache, "retry_errors": retry_errors,
        "seeds": [int(s) for s in _csv(seeds) or []] or None,
        "intents": {"split": split, "limit": intents, "ids": _csv(ids)},
        "budget": {"sim_evals": sim_budget}, "oracle": {"trials": oracle_trials},
    }
    if strategies:
        overrides["strategies"], overrides["arms"] = _csv(strategies), []
    try:
        spec = load_spec(eval_file, overrides)
        result = run_eval(spec, dry_run=dry_run)
    except (EvalSpecError, ValueError) as e:
        typer.echo(f"error: {e}", err=True)
        raise typer.Exit(EXIT_USAGE) from None
    s = result.summary
    if dry_run:
        typer.echo(f"{s['n_samples']} samples ({len(s['grid']['arms'])} arms x {len(s['grid']['intents'])} intents x "
                   f"{len(spec.scenarios)} scenarios x {len(spec.seeds)} seeds), {s['n_cached']} cached; "
                   f"oracle: {len(s['oracle']['ok'])} ok, {len(s['oracle']['stale'])} stale, "
                   f"{len(s['oracle']['missing']) + len(s['oracle']['other_trials'])} missing")
        return
    print_table(s)
    typer.echo(f"\n{s['n_samples']} samples ({s['n_computed']} run, {s['n_cached']} cached, {s['n_errors']} errors) "
               f"in {s['wall_s']:.1f} s on {s['executor']} x {s['workers']} -> {result.out}")
    if s["oracle"]["missing"] or s["oracle"]["other_trials"]:
        typer.echo(f"regret unavailable for {len(s['oracle']['missing']) + len(s['oracle']['other_trials'])} units "
                   f"(no oracle at {spec.oracle.trials} trials in {spec.oracle.dir}: python benchmarks/oracle.py)")
    if json_out:
        typer.echo(json.dumps(s))
    raise typer.Exit(EXIT_ERRORS if s["n_errors"] else EXIT_OK)
