"""`airloop tune`, `airloop policies` and `airloop prompts list|show|diff|evaluate|promote|rollback`: the learning
loop's commands (the machinery is `airloop.tuning` and `airloop.agents.learning`)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from .runs import DEFAULT_ROOT

console = Console(stderr=True)
out = Console()

EXIT_USAGE = 2

prompts_app = typer.Typer(help="Versioned prompts: list, show, diff, evaluate, promote, roll back.",
                          no_args_is_help=True)


def _fail(msg: str) -> typer.Exit:
    console.print(f"[red]error:[/red] {msg}")
    return typer.Exit(EXIT_USAGE)


def parse_limits(text: str | None) -> dict[str, float]:
    """``"sim_evals=400,llm_calls=50,wall_s=1800"`` → limits (only the keys given)."""
    from airloop.agents.learning import LIMIT_KEYS

    if not text or not text.strip():
        raise ValueError("give a budget, e.g. --budget sim_evals=400,llm_calls=50,wall_s=1800 "
                         f"(keys: {', '.join(LIMIT_KEYS)})")
    out_: dict[str, float] = {}
    for part in text.split(","):
        key, eq, value = part.partition("=")
        key = key.strip()
        if key not in LIMIT_KEYS or not eq:
            raise ValueError(f"budget part {part!r}: write KEY=VALUE with KEY one of {', '.join(LIMIT_KEYS)}")
        try:
            v = float(value)
        except ValueError:
            raise ValueError(f"budget {key}={value!r} is not a number") from None
        if not v > 0:
            raise ValueError(f"budget {key}={value} leaves nothing to tune; give a positive limit")
        out_[key] = v
    return out_


def tune(
    component: str = typer.Option(..., help="hybrid | llm-direct | react | planner"),
    budget: str = typer.Option(..., help="limits for the whole run: sim_evals=..,llm_calls=..,tokens=..,wall_s=..,"
                                         "rollouts=.."),
    train_split: str = typer.Option("train", help="reflection minibatches (train | dev | holdout2; never test)"),
    val_split: str = typer.Option("dev", help="candidate selection (GEPA's validation set)"),
    resume: bool = typer.Option(False, "--resume", help="continue the run in --name's folder"),
    name: str | None = typer.Option(None, help="the run's folder under <learning>/tune/ (default: component-splits)"),
    model: str = typer.Option("auto", help="the model the component's prompts are for"),
    reflection_model: str | None = typer.Option(None, help="a backend that rewrites prompts (e.g. "
                                                           "ollama:qwen2.5:7b); default: the deterministic rules"),
    scenario: list[str] | None = typer.Option(None, help="scenario(s) of the rollouts (default urban-macro-19)"),
    seeds: str = typer.Option("0", help="network seeds, comma-separated"),
    limit_train: int | None = typer.Option(None, min=1, help="at most this many training intents (fixed stride)"),
    limit_val: int | None = typer.Option(None, min=1, help="at most this many validation intents"),
    minibatch: int = typer.Option(2, min=1, max=20, help="intents per reflection minibatch"),
    seed: int = typer.Option(0, min=0, help="GEPA's seed"),
    runs: Path = typer.Option(DEFAULT_ROOT, help="the runs folder (learning stores live in <runs>/learning)"),
    json_out: bool = typer.Option(False, "--json"),
) -> None:
    """Refine a component's prompts with GEPA on the train split, select on the val split; every candidate is stored
    (nothing is promoted: see `airloop prompts promote`)."""
    from airloop.agents.learning import COMPONENTS, StoreError, TuneError

    from . import tuning

    try:
        if component not in COMPONENTS:
            raise TuneError(f"unknown component {component!r}; choose one of {', '.join(COMPONENTS)}")
        if "test" in (train_split, val_split):
            raise TuneError("the test split is never used for tuning (it is for reported figures)")
        limits = parse_limits(budget)
        seed_list = [int(s) for s in seeds.split(",") if s.strip()]
        scen = scenario or ["urban-macro-19"]
        train = tuning.instances(tuning.load_split(train_split, limit=limit_train), scen, seed_list)
        val = tuning.instances(tuning.load_split(val_split, limit=limit_val), scen, seed_list)
        if not train:
            raise TuneError(f"split {train_split!r} has no intent")
        if not val:
            raise TuneError(f"split {val_split!r} has no intent")
        ld = tuning.learning_dir(runs)
        run_dir = ld / "tune" / (name or f"{component}-{train_split}-{val_split}")
        m = None
        if model != "none":
            from airloop.agents.models import get_model

            m = get_model(model)
    except (ValueError, OSError) as e:
        raise _fail(str(e)) from None
    with Progress(TextColumn("tune {task.description}"), BarColumn(), TextColumn("{task.fields[info]}"),
                  TimeElapsedColumn(), console=console, disable=json_out or not console.is_terminal) as progress:
        total = limits.get("rollouts") or limits.get("sim_evals") or limits.get("wall_s")
        key = "rollouts" if "rollouts" in limits else "sim_evals" if "sim_evals" in limits else "wall_s"
        task = progress.add_task(component, total=total, info="")

        def on_rollout(res: Any, meter: Any) -> None:
            progress.update(task, completed=getattr(meter, key), info=f"{int(meter.rollouts)} rollouts · "
                            f"{int(meter.sim_evals)} sim evals · last {res.item} {res.score:+.3f}")

        try:
            res, ids = tuning.tune(component, limits=limits, train=train, val=val, run_dir=run_dir, resume=resume,
                                   model_spec=model, model=m, reflection_model=reflection_model, seed=seed,
                                   minibatch=minibatch, on_rollout=on_rollout,
                                   prompt_store=None)
        except (TuneError, StoreError, ValueError) as e:
            raise _fail(str(e)) from None
    summary = {**res.summary(), "versions": ids, "best_version": ids[0]}
    if json_out:
        typer.echo(json.dumps(summary, default=str))
        return
    out.print(f"[bold]tuned {component}[/bold] with the {res.proposer} proposer: {len(res.candidates)} candidates, "
              f"validation mean {res.val_scores[0]:+.4f} (start) → {res.val_scores[res.best]:+.4f} (best)")
    out.print(f"best version {ids[0][:12]} · stopped: {res.stop_reason or 'GEPA finished'} · "
              f"{int(res.meter['rollouts'])} rollouts, {int(res.meter['sim_evals'])} simulator evaluations, "
              f"{int(res.meter['llm_calls'])} LLM calls, {res.meter['wall_s']:.0f} s · {run_dir}")
    out.print(f"promote it with: airloop prompts evaluate {ids[0][:12]} --split holdout2 && "
              f"airloop prompts promote {ids[0][:12]}")


def policies(
    json_out: bool = typer.Option(False, "--json"),
    train_rl: str | None = typer.Option(None, "--train-rl", help="train the PPO arm for this scenario and save it"),
    timesteps: int = typer.Option(256, min=1, help="PPO timesteps for --train-rl"),
    runs: Path = typer.Option(DEFAULT_ROOT, help="the runs folder"),
) -> None:
    """The policy bandit: its arms, pulls and posteriors per context, and its last choices."""
    from airloop.agents.learning import Bandit, StoreError, default_policy_path, train_ppo

    from . import tuning

    ld = tuning.learning_dir(runs)
    if train_rl:
        try:
            info = train_ppo(default_policy_path(train_rl, ld), scenario=train_rl, timesteps=timesteps)
        except (ValueError, ImportError) as e:
            raise _fail(str(e)) from None
        if json_out:
            typer.echo(json.dumps(info, default=str))
        else:
            out.print(f"PPO policy trained for {info['timesteps']} timesteps on {train_rl}: {info['path']}")
        return
    if not (ld / "bandit.sqlite").exists():
        if json_out:
            typer.echo(json.dumps({"arms": [], "posterior": [], "choices": []}))
        else:
            out.print(f"no bandit yet in {ld} (run `airloop intent --strategy auto ...`)")
        return
    try:
        b = Bandit(ld / "bandit.sqlite")
    except StoreError as e:
        raise _fail(str(e)) from None
    try:
        table, arms, choices = b.table(), [a.spec() | {"id": a.id} for a in b.arms()], b.choices(10)
    finally:
        b.close()
    if json_out:
        typer.echo(json.dumps({"arms": arms, "posterior": table, "choices": choices}, default=str))
        return
    t = Table(title=f"policy bandit ({ld / 'bandit.sqlite'})")
    for col in ("context", "arm", "pulls", "mean reward seen", "posterior mean", "posterior sd"):
        t.add_column(col, justify="right" if col not in ("context", "arm") else "left")
    for r in table:
        t.add_row(r["context"], r["arm"], str(r["n"]),
                  "—" if r["observed_mean"] is None else f"{r['observed_mean']:+.4f}", f"{r['mean']:+.4f}",
                  "∞" if r["sd"] == float("inf") else f"{r['sd']:.4f}")
    out.print(t)
    for c in choices[:5]:
        out.print(f"  {c['time']} {c['context']}: chose {c['arm']} (run {c['run'] or '-'})")


def _store(runs: Path) -> Any:
    from airloop.agents.learning import PromptStore, StoreError

    from . import tuning

    try:
        return PromptStore(tuning.learning_dir(runs) / "prompts.sqlite")
    except StoreError as e:
        raise _fail(str(e)) from None


@prompts_app.command("list")
def prompts_list(component: str | None = typer.Option(None), runs: Path = typer.Option(DEFAULT_ROOT),
                 json_out: bool = typer.Option(False, "--json")) -> None:
    """Every stored version: id, component, parent, proposer, mean score per split, and which is active."""
    from airloop.agents.learning import COMPONENTS

    if component is not None and component not in COMPONENTS:
        raise _fail(f"unknown component {component!r}; choose one of {', '.join(COMPONENTS)}")
    store = _store(runs)
    try:
        for c in [component] if component else list(COMPONENTS):
            store.shipped(c)
        active = store.active()
        rows = []
        for v in store.versions(component):
            sc = store.scores(v.id)
            rows.append({"id": v.id, "component": v.component, "parent": v.parent, "proposer": v.proposer,
                         "created": v.created, "active": active.get(v.component) == v.id or (
                             v.proposer == "shipped" and v.component not in active),
                         "scores": {s: {"n": len(d), "mean": sum(d.values()) / len(d)} for s, d in sc.items()},
                         "reasoning": v.reasoning})
    finally:
        store.close()
    if json_out:
        typer.echo(json.dumps(rows))
        return
    t = Table(title="prompt versions")
    for col in ("", "id", "component", "parent", "proposer", "scores (mean, n)", "reasoning"):
        t.add_column(col)
    for r in rows:
        sc = ", ".join(f"{s} {d['mean']:+.3f} ({d['n']})" for s, d in r["scores"].items())
        t.add_row("*" if r["active"] else "", r["id"][:12], r["component"], (r["parent"] or "")[:12], r["proposer"],
                  sc, r["reasoning"][:60])
    out.print(t)


@prompts_app.command("show")
def prompts_show(ref: str, component: str | None = typer.Option(None, help="for 'shipped' or 'active'"),
                 runs: Path = typer.Option(DEFAULT_ROOT)) -> None:
    """A version's files, parent, proposer and reasoning."""
    store = _store(runs)
    try:
        v = store.get(ref, component)
        sc = store.scores(v.id)
    except (KeyError, ValueError) as e:
        raise _fail(str(e).strip("'\"")) from None
    finally:
        store.close()
    out.print(f"[bold]{v.id}[/bold] {v.component} · proposer {v.proposer} · parent {v.parent or '-'} · {v.created}")
    if v.reasoning:
        out.print(f"reasoning: {v.reasoning}")
    for s, d in sc.items():
        out.print(f"scores on {s}: mean {sum(d.values()) / len(d):+.4f} over {len(d)} items")
    for f, text in v.files.items():
        out.print(f"--- {f} (sha256 {v.sha256()[f][:12]})")
        out.print(text, markup=False, highlight=False)


@prompts_app.command("diff")
def prompts_diff(a: str, b: str, component: str | None = typer.Option(None),
                 runs: Path = typer.Option(DEFAULT_ROOT)) -> None:
    """The unified diff between two versions' files."""
    store = _store(runs)
    try:
        text = store.diff(a, b, component)
    except (KeyError, ValueError) as e:
        raise _fail(str(e).strip("'\"")) from None
    finally:
        store.close()
    typer.echo(text or "(no difference)")


@prompts_app.command("evaluate")
def prompts_evaluate(ref: str, split: str = typer.Option("holdout2"), component: str | None = typer.Option(None),
                     model: str = typer.Option("auto"), limit: int | None = typer.Option(None, min=1),
                     seeds: str = typer.Option("0"), runs: Path = typer.Option(DEFAULT_ROOT)) -> None:
    """Score a version and the version in force on a split (paired per intent and seed), for promotion."""
    from . import tuning

    store = _store(runs)
    try:
        v = store.get(ref, component)
        rows = tuning.instances(tuning.load_split(split, limit=limit), seeds=[int(s) for s in seeds.split(",")])
        if split == "test":
            console.print("[yellow]note:[/yellow] scoring on test: use it for reported figures, not for choosing")
        m = None
        if model != "none":
            from airloop.agents.models import get_model

            m = get_model(model)
        ro = tuning.make_rollout(v.component, model_spec=model, model=m)
        ref_v = store.active_version(v.component)
        for ver in (ref_v, v):
            sc = tuning.evaluate_version(store, ver.id, v.component, split, rows, ro)
            out.print(f"{ver.short} ({ver.proposer}): mean {sum(sc.values()) / len(sc):+.4f} over {len(sc)} items")
    except (KeyError, ValueError) as e:
        raise _fail(str(e).strip("'\"")) from None
    finally:
        store.close()


@prompts_app.command("promote")
def prompts_promote(ref: str, split: str = typer.Option("holdout2", help="the held-out split of the evidence"),
                    component: str | None = typer.Option(None), runs: Path = typer.Option(DEFAULT_ROOT),
                    json_out: bool = typer.Option(False, "--json")) -> None:
    """Make a version active, only if its paired held-out gain's 95% bootstrap CI lies above zero."""
    from airloop.agents.learning import PromotionRefused

    from . import tuning

    store = _store(runs)
    try:
        res = tuning.promote(store, ref, split=split, component=component)
    except PromotionRefused as e:
        console.print(f"[yellow]{e}[/yellow]")
        raise typer.Exit(1) from None
    except (KeyError, ValueError) as e:
        raise _fail(str(e).strip("'\"")) from None
    finally:
        store.close()
    if json_out:
        typer.echo(json.dumps(res))
    else:
        out.print(f"promoted {res['version'][:12]}: mean gain {res['mean_gain']:+.4f} on {res['split']} "
                  f"(n={res['n']}), 95% CI [{res['ci'][0]:+.4f}, {res['ci'][1]:+.4f}]")


@prompts_app.command("rollback")
def prompts_rollback(component: str, runs: Path = typer.Option(DEFAULT_ROOT)) -> None:
    """Undo a component's last promotion (back to the version before it, or the shipped prompts)."""
    store = _store(runs)
    try:
        v = store.rollback(component)
    except (KeyError, ValueError) as e:
        raise _fail(str(e).strip("'\"")) from None
    finally:
        store.close()
    out.print(f"{component} now runs {v.short} ({v.proposer})")
