"""`airloop intent`, `airloop plan`, `airloop resume` and `airloop runs`: the main job and its companions."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.live import Live
from rich.table import Table

from airloop.agents.models import ModelError
from airloop.core import OK_STATUSES
from airloop.simulator import KPI_NAMES, KPI_UNITS, SimulatorError, list_scenarios

from .runs import DEFAULT_ROOT, RunNotFound, RunStore

console = Console(stderr=True)
out = Console()

EXIT_OK, EXIT_NOT_APPROVED, EXIT_USAGE = 0, 1, 2


def _exit_code(status: str) -> int:
    """0 for `OK_STATUSES` (a verified change applied, or nothing to do), 2 for an invalid intent, else 1."""
    return EXIT_OK if status in OK_STATUSES else EXIT_USAGE if status == "invalid" else EXIT_NOT_APPROVED


class LiveView:
    """The run as it streams: current node, rounds, best reward so far, LLM calls and tokens."""

    def __init__(self) -> None:
        self.rows: list[tuple[str, str]] = []
        self.usage: dict[str, Any] = {}
        self.best: float | None = None

    def __call__(self, node: str, update: dict[str, Any]) -> None:
        self.usage = update.get("usage", self.usage)
        if update.get("best_reward") is not None:
            self.best = update["best_reward"]
        msg = "; ".join(update.get("notes", [])[-2:]) or update.get("status", "") or "done"
        self.rows.append((node, msg[:160]))

    def render(self) -> Table:
        t = Table(title="airloop run", show_header=True, expand=False)
        t.add_column("node")
        t.add_column("what happened")
        for node, msg in self.rows[-8:]:
            t.add_row(node, msg)
        u = self.usage
        t.caption = (f"best reward {self.best if self.best is None else round(self.best, 4)} · "
                     f"LLM calls {u.get('llm_calls', 0)} · tokens {u.get('tokens', 0)} · "
                     f"sim evals {u.get('sim_evals', 0)} · {u.get('wall_s', 0):.1f} s")
        return t


def _run(settings: Any, store: RunStore, *, thread_id: str | None, answer: str | None, json_out: bool) -> None:
    from .app import run

    view = LiveView()
    try:
        if json_out or not console.is_terminal:
            outcome = run(settings, store, thread_id=thread_id, answer=answer, on_update=view)
        else:
            with Live(view.render(), console=console, refresh_per_second=4) as live:
                def update(node: str, upd: dict[str, Any]) -> None:
                    view(node, upd)
                    live.update(view.render())

                outcome = run(settings, store, thread_id=thread_id, answer=answer, on_update=update)
    except (ValueError, SimulatorError, ModelError) as e:
        console.print(f"[red]error:[/red] {e}")
        raise typer.Exit(EXIT_USAGE) from None
    if outcome.pending is not None:
        _show_pending(outcome.thread_id, outcome.pending, json_out)
        raise typer.Exit(EXIT_OK)
    report = outcome.report or {}
    if json_out:
        typer.echo(json.dumps(report, default=str))
    else:
        show_report(report)
    raise typer.Exit(_exit_code(report.get("status", "invalid")))


def _show_pending(thread_id: str, pending: dict[str, Any], json_out: bool) -> None:
    if pending.get("kind") == "confirm_reading":
        _show_reading_question(thread_id, pending, json_out)
        return
    if json_out:
        typer.echo(json.dumps({"status": "awaiting_approval", "thread_id": thread_id, **pending}, default=str))
        return
    out.print(f"[bold]Awaiting approval[/bold] (run {thread_id}): the verifier approved these changes")
    _changes_table(pending.get("changes", []))
    if pending.get("kpis_before") and pending.get("kpis_after"):
        out.print(_kpi_table(pending["kpis_before"], pending["kpis_after"]))
    out.print(f"Answer with: airloop resume {thread_id} --answer yes   (or --answer no)")


def _show_reading_question(thread_id: str, pending: dict[str, Any], json_out: bool) -> None:
    """The planner is not sure of its reading: show it, why, and the alternatives; nothing has been done."""
    if json_out:
        typer.echo(json.dumps({"status": "awaiting_confirmation", "thread_id": thread_id, **pending}, default=str))
        return
    out.print(f"[bold]Is this what you meant?[/bold] (run {thread_id}; confidence {pending.get('confidence')})")
    out.print(f"  reading: {pending.get('reading')}")
    for r in pending.get("reasons", []):
        out.print(f"  · {r}")
    for alt in pending.get("alternatives", []):
        out.print(f"  {alt['n']}. {alt.get('reading')}   ({alt.get('why')})")
    choices = " | ".join(["yes", "no", *(str(a["n"]) for a in pending.get("alternatives", []))])
    out.print(f"Nothing has been done. Answer with: airloop resume {thread_id} --answer <{choices}>")


def _changes_table(changes: list[dict[str, Any]]) -> None:
    t = Table(title=f"{len(changes)} cell changes")
    t.add_column("cell", justify="right")
    t.add_column("knobs")
    for c in changes:
        t.add_row(str(c.get("cell")), ", ".join(f"{k}={v}" for k, v in c.items() if k != "cell" and v is not None))
    out.print(t)


def _kpi_table(before: dict[str, float], after: dict[str, float]) -> Table:
    t = Table(title="KPIs (verified on fresh seeds)")
    for col in ("KPI", "unit", "before", "after", "change"):
        t.add_column(col, justify="right" if col in ("before", "after", "change") else "left")
    for k in KPI_NAMES:
        b, a = before.get(k), after.get(k)
        if b is None or a is None:
            continue
        rel = f"{(a - b) / abs(b):+.1%}" if b else "—"
        t.add_row(k, KPI_UNITS[k], f"{b:.4g}", f"{a:.4g}", rel)
    return t


def show_report(report: dict[str, Any]) -> None:
    status = report.get("status", "?")
    color = "green" if status in OK_STATUSES else "yellow" if status != "invalid" else "red"
    out.print(f"[bold {color}]{status}[/bold {color}]  run {report.get('thread_id')}  "
              f"strategy {report.get('strategy', {}).get('name')}  "
              f"model {(report.get('model') or {}).get('spec', 'none')}")
    intent = report.get("intent")
    reading = report.get("reading") or {}
    if reading.get("echo"):
        confirmed = " (confirmed)" if reading.get("confirmed") else ""
        out.print(f"reading: {reading['echo']}   [confidence {reading.get('confidence')}{confirmed}]")
    if intent:
        obj = intent["objective"]
        cons = ", ".join(f"{c['kpi']}{'(' + c['slice'] + ')' if c.get('slice') else ''} {c['op']} {c['value']:g}"
                         for c in intent.get("constraints", []))
        out.print(f"intent: {obj['goal']} {obj['kpi']}{' (' + obj['slice'] + ')' if obj.get('slice') else ''}"
                  f"{' subject to ' + cons if cons else ''}; hours {intent.get('hours') or 'now'}")
        for a in intent.get("assumptions", []):
            out.print(f"  assumption: {a}")
    if report.get("changes"):
        _changes_table(report["changes"])
    if report.get("kpis_before") and report.get("kpis_after"):
        out.print(_kpi_table(report["kpis_before"], report["kpis_after"]))
    u = report.get("usage", {})
    out.print(f"reward {report.get('reward', 0):.4f} · rounds {report.get('rounds', 0)} · LLM calls "
              f"{u.get('llm_calls', 0)} · tokens {u.get('tokens', 0)} · simulator evaluations "
              f"{u.get('sim_evals', 0)} · {u.get('wall_s', 0):.1f} s")
    for n in report.get("notes", [])[-12:]:
        out.print(f"  · {n}")


def intent(
    text: str = typer.Argument(..., help="what you want of the network, in plain words"),
    scenario: str = typer.Option("urban-macro-19", help=f"one of: {', '.join(list_scenarios())}"),
    model: str = typer.Option("auto", help="auto | ollama:<model> | llamacpp[:path.gguf] | openai:<url>#<model> | "
                                           "scripted:<file.jsonl> | none"),
    strategy: str = typer.Option("hybrid", help="optimizer strategy (see `airloop strategies`), or auto: the policy "
                                                "bandit picks one per context (see `airloop policies`)"),
    strategy_param: list[str] | None = typer.Option(
        None, "--strategy-param", help="a strategy parameter KEY=VALUE (repeatable), e.g. --strategy-param "
                                       "max_evals=30; unknown names and values out of range are refused"),
    planner: str | None = typer.Option(None, help="planner strategy: rules | llm | rules+llm (default: rules+llm "
                                                  "with a model, rules without)"),
    budget: str | None = typer.Option(None, help="limits, e.g. sim_evals=60,llm_calls=10,tokens=20000,wall_s=300"),
    approve: bool = typer.Option(False, "--approve", help="ask before applying (a human-in-the-loop interrupt)"),
    seed: int = typer.Option(0, min=0, help="network seed"),
    n_ues: int | None = typer.Option(None, "--n-ues", min=1, help="number of users (default: per scenario)"),
    rounds: int = typer.Option(3, min=1, max=10, help="optimize ⇄ verify rounds before giving up"),
    margin: float = typer.Option(0.01, min=0.0, max=0.5, help="verifier safety margin, relative to each bound"),
    policy: Path | None = typer.Option(None, help="guardrail policy file (YAML/TOML); default: the built-in one"),
    intent_json: Path | None = typer.Option(None, "--intent-json", help="skip the planner: use this Intent JSON"),
    runs: Path = typer.Option(DEFAULT_ROOT, help="where runs (checkpoints, change logs, records) are kept"),
    json_out: bool = typer.Option(False, "--json", help="print one JSON report object"),
) -> None:
    """The main job: turn a plain-language intent into a verified, applied configuration change."""
    from .app import RunSettings, parse_budget

    if not text.strip() and intent_json is None:
        console.print("[red]error:[/red] the intent text is empty; say what you want, e.g. "
                      "'Cut energy use at night but keep coverage above 95%'")
        raise typer.Exit(EXIT_USAGE)
    try:
        from airloop.agents.strategies import strategy_names

        from . import tuning  # noqa: F401  (registers the policy bandit's arms: no-change, rl-ppo)

        if strategy != "auto" and strategy not in strategy_names():
            raise ValueError(f"unknown strategy {strategy!r}; choose one of auto, {', '.join(strategy_names())}")
        strategy_params = _strategy_params(strategy, strategy_param or []) if strategy != "auto" else {}
        from airloop.agents.planner import STRATEGIES as PLANNER_STRATEGIES

        if planner is not None and planner not in PLANNER_STRATEGIES:
            raise ValueError(f"unknown planner strategy {planner!r}; choose one of {', '.join(PLANNER_STRATEGIES)}")
        if scenario not in list_scenarios():
            raise ValueError(f"unknown scenario {scenario!r}; choose one of {', '.join(list_scenarios())}")
        given = json.loads(intent_json.read_text()) if intent_json else None
        settings = RunSettings(text=text, intent=given, scenario=scenario, seed=seed, n_ues=n_ues, model=model,
                               strategy=strategy, strategy_params=strategy_params, budget=parse_budget(budget),
                               approve=approve, confirm="ask", max_rounds=rounds,
                               margin=margin, planner_strategy=planner,
                               policy=str(policy) if policy else None)
    except (ValueError, OSError) as e:
        console.print(f"[red]error:[/red] {e}")
        raise typer.Exit(EXIT_USAGE) from None
    _run(settings, RunStore(runs), thread_id=None, answer=None, json_out=json_out)


def _strategy_params(strategy: str, items: list[str]) -> dict[str, Any]:
    """``["max_evals=30", "trust_counts=true"]`` -> parameters, each value read as JSON if it parses (else as text),
    validated against the strategy's declared parameters (`StrategyParamError`, a ValueError, names the bad one)."""
    from airloop.agents.strategies import make_strategy

    params: dict[str, Any] = {}
    for item in items:
        key, eq, raw = item.partition("=")
        if not eq or not key.strip():
            raise ValueError(f"--strategy-param {item!r}: write KEY=VALUE, e.g. --strategy-param max_evals=30")
        try:
            params[key.strip()] = json.loads(raw)
        except ValueError:
            params[key.strip()] = raw
    make_strategy(strategy, **params)  # validates now: a bad parameter is a usage error, before any run starts
    return params


def resume(
    thread_id: str = typer.Argument(..., help="the run id printed by `airloop intent` (see `airloop runs`)"),
    answer: str | None = typer.Option(None, help="yes/no: the answer to a pending --approve question, or to a "
                                      "reading to confirm (or the number of an alternative reading)"),
    runs: Path = typer.Option(DEFAULT_ROOT, help="the runs folder"),
    json_out: bool = typer.Option(False, "--json"),
) -> None:
    """Continue a run that was killed, or answer its --approve question."""
    from .app import RunSettings

    store = RunStore(runs)
    try:
        settings = RunSettings.model_validate(store.settings(thread_id))
    except RunNotFound as e:
        console.print(f"[red]error:[/red] {e}")
        raise typer.Exit(EXIT_USAGE) from None
    if answer is not None and answer.strip().lower() not in ("yes", "no", "y", "n") and not answer.strip().isdigit():
        console.print(f"[red]error:[/red] --answer {answer!r}: answer yes or no (or an alternative's number)")
        raise typer.Exit(EXIT_USAGE)
    _run(settings, store, thread_id=thread_id, answer=answer, json_out=json_out)


def plan(
    text: str = typer.Argument(..., help="the intent in plain words"),
    model: str = typer.Option("auto", help="model spec, or none for the rule reader alone"),
    strategy: str | None = typer.Option(None, help="rules | llm | rules+llm (default: rules+llm with a model)"),
    json_out: bool = typer.Option(False, "--json", help="print the Intent JSON"),
    full: bool = typer.Option(False, "--full", help="with --json: the whole reading (intent, echo, confidence, "
                                                   "findings, alternatives)"),
) -> None:
    """Run only the planner: print the Intent read from TEXT and the reading back in plain words."""
    from airloop.agents.models import get_model
    from airloop.agents.planner import STRATEGIES, plan_intent

    if strategy is not None and strategy not in STRATEGIES:
        console.print(f"[red]error:[/red] unknown planner strategy {strategy!r}; choose one of {list(STRATEGIES)}")
        raise typer.Exit(EXIT_USAGE)
    m = None if model == "none" else get_model(model)
    res = plan_intent(text, m, strategy=strategy)  # type: ignore[arg-type]
    if res.status != "ok" or res.intent is None:
        console.print(f"[red]error:[/red] {'; '.join(res.notes) or 'no intent found'}")
        raise typer.Exit(EXIT_USAGE)
    if json_out:
        typer.echo(json.dumps(res.to_dict(), default=str) if full else res.intent.model_dump_json())
        return
    out.print(f"[bold]reading:[/bold] {res.echo}")
    sure = "[yellow]low: a run asks to confirm it[/yellow]" if res.needs_confirmation else "ok"
    out.print(f"confidence {res.confidence} ({sure})")
    for r in res.reasons:
        out.print(f"  · {r}")
    for i, alt in enumerate(res.alternatives, 1):
        out.print(f"  alternative {i}: {alt.get('echo')}   ({alt.get('why')})")
    out.print_json(res.intent.model_dump_json())
    for step in res.postprocessing:
        out.print(f"  post-processing: {step}")
    for n in res.notes:
        out.print(f"  note: {n}")


def list_runs(
    runs: Path = typer.Option(DEFAULT_ROOT, help="the runs folder"),
    limit: int = typer.Option(20, min=1),
) -> None:
    """List recent runs."""
    t = Table(title=f"runs in {runs}")
    for col in ("thread id", "created", "status", "reward", "strategy", "text"):
        t.add_column(col)
    for r in RunStore(runs).list(limit):
        t.add_row(r["thread_id"], r["created"][:19], r["status"] or "(running)",
                  "" if r["reward"] is None else f"{r['reward']:.4f}", r["strategy"] or "", (r["text"] or "")[:50])
    out.print(t)


def strategies() -> None:
    """List the optimizer strategies."""
    from airloop.agents.strategies import strategy_class, strategy_names

    t = Table(title="optimizer strategies")
    t.add_column("name")
    t.add_column("LLM")
    t.add_column("what it does")
    for name in strategy_names():
        cls = strategy_class(name)
        t.add_row(name, "yes" if cls.uses_llm else "no", cls.description)
    out.print(t)
