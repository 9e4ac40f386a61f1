"""`airloop train planner|hybrid`: fine-tune a LoRA adapter of the embedded model for the planner's reading or for
hybrid's plan call (the optional extra ``airloop[train]``; the machinery is `airloop.finetune`)."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

console = Console(stderr=True, soft_wrap=True, highlight=False)

EXIT_USAGE = 2

train_app = typer.Typer(help="Fine-tune the embedded model (optional extra airloop[train]).", no_args_is_help=True)

# the options both commands take, said once
Init = Annotated[Path | None, typer.Option(help="an earlier run folder: its newest checkpoint's adapter is trained "
                                                "further")]
BatchSize = Annotated[int, typer.Option(help="examples per step")]
LearningRate = Annotated[float, typer.Option(help="peak learning rate (cosine schedule)")]
Rank = Annotated[int, typer.Option(help="LoRA rank")]
SaveEvery = Annotated[int, typer.Option(help="checkpoint every N steps")]
Seed = Annotated[int, typer.Option()]
Resume = Annotated[bool, typer.Option("--resume", help="continue from the newest checkpoint in --out")]
JsonOut = Annotated[bool, typer.Option("--json", help="print the manifest as JSON")]
NumGenerations = Annotated[int, typer.Option(help="grpo: answers sampled per prompt (a group); must divide "
                                                  "--batch-size, e.g. 4 answers with --batch-size 8 = 2 prompts a step")]


@train_app.command("planner")
def train_planner_command(
    data: Path = typer.Option(Path("benchmarks/intents/train_planner.jsonl"),
                              help="JSONL rows with a \"text\" (labels come from the rule reader); make one with "
                                   "`python benchmarks/paraphrases.py train-data`"),
    out: Path = typer.Option(None, help="run folder (checkpoints, log, adapter, manifest); default "
                                        "runs/train-planner-<time>"),
    method: str = typer.Option("sft", help="sft (teacher-forced on the rule reader's labels) or grpo (sampled answers "
                                           "scored by field agreement with them; start it from an SFT run, --init)"),
    init: Init = None,
    steps: int = typer.Option(600, help="optimizer steps (1..100000)"),
    batch_size: BatchSize = 4,
    learning_rate: LearningRate = 1e-3,
    rank: Rank = 8,
    save_every: SaveEvery = 50,
    seed: Seed = 0,
    resume: Resume = False,
    ship: bool = typer.Option(False, "--ship", help="copy the adapter and manifest into the package (`llamacpp` "
                                                    "then applies it to the planner's calls)"),
    num_generations: NumGenerations = 4,
    hours_as: str = typer.Option("list", help="how the labels write custom hours: list (every hour, [23, 0, 1, 2, 3, "
                                              "4]) or spans (clock spans, {\"start\": 23, \"end\": 5}: copied from "
                                              "the text, not counted); the manifest records it and the planner asks "
                                              "the adapter in that form"),
    json_out: JsonOut = False,
) -> None:
    """Train a LoRA adapter of SmolLM2 that reads intents the way the rule reader does (SFT, or GRPO from an SFT run),
    export it as a llama.cpp GGUF adapter (a few MB) with its manifest. Resumable (`--resume`); a checkpoint every
    --save-every steps; `airloop report OUT` plots the curve."""
    _train("planner", data, out, method, init, steps, batch_size, learning_rate, rank, save_every, seed, resume, ship,
           json_out, max_length=320, hours_as=hours_as, num_generations=num_generations)


INTENTS_DIR = Path("benchmarks/intents")


def default_held_out() -> list[Path]:
    """intents.jsonl, issue 14's intent and every outsider set (``holdout*.jsonl``) there now: read when the command
    runs, so a set added later is held out too (a missing intents.jsonl is a clear error in `held_out_golds`)."""
    return [INTENTS_DIR / "intents.jsonl", INTENTS_DIR / "urllc_energy.jsonl", *sorted(INTENTS_DIR.glob("holdout*.jsonl"))]


@train_app.command("hybrid")
def train_hybrid_command(
    data: Path = typer.Option(Path("benchmarks/intents/train_planner.jsonl"),
                              help="JSONL rows with a \"text\": each confident rule reading becomes one plan prompt"),
    held_out: list[Path] = typer.Option(None, "--held-out",
                                        help="intent files whose gold intents (every split but dev/tune/train) no "
                                             "training prompt may ask; default benchmarks/intents/intents.jsonl, "
                                             "urllc_energy.jsonl and every holdout*.jsonl"),
    limit: int = typer.Option(400, help="at most this many training rows (1..100000)"),
    out: Path = typer.Option(None, help="run folder (checkpoints, log, adapter, manifest); default "
                                        "runs/train-hybrid-<time>"),
    method: str = typer.Option("sft", help="sft (teacher-forced on the default plan) or grpo (sampled plans, each "
                                           "searched and verified on its network: the reward is the verified "
                                           "reward; start it from an SFT run, --init)"),
    init: Init = None,
    steps: int = typer.Option(100, help="optimizer steps (1..100000)"),
    batch_size: BatchSize = 4,
    learning_rate: LearningRate = 1e-3,
    rank: Rank = 8,
    save_every: SaveEvery = 50,
    seed: Seed = 0,
    num_generations: NumGenerations = 4,
    resume: Resume = False,
    ship: bool = typer.Option(False, "--ship", help="copy the adapter and manifest into the package (`llamacpp` "
                                                    "then applies it to hybrid's plan calls)"),
    json_out: JsonOut = False,
) -> None:
    """Train a LoRA adapter of SmolLM2 for hybrid's plan call: each training text's rule reading on a simulated
    network (both evaluation scenarios, three user drops), labelled with the default plan the agent benchmark verifies
    (SFT), or (GRPO, from an SFT run) rewarded with the verified reward of each sampled plan after search. Held-out
    gold intents never appear. Exported like the planner's adapter; `airloop report OUT` plots it."""
    if not 1 <= limit <= 100_000:
        console.print(f"[red]error:[/red] --limit {limit} is outside 1..100000")
        raise typer.Exit(EXIT_USAGE)
    _train("hybrid", data, out, method, init, steps, batch_size, learning_rate, rank, save_every, seed, resume, ship,
           json_out, max_length=640, held_out=held_out or default_held_out(), limit=limit,
           num_generations=num_generations)


def _train(task: str, data: Path, out: Path | None, method: str, init: Path | None, steps: int, batch_size: int,
           learning_rate: float, rank: int, save_every: int, seed: int, resume: bool, ship: bool, json_out: bool, *,
           max_length: int, held_out: list[Path] | None = None, limit: int | None = None,
           hours_as: str = "list", num_generations: int = 4) -> None:
    from airloop.agents.models import ModelError
    from airloop.agents.models._llamacpp import ADAPTER_DIR
    from airloop.finetune import TrainConfig, TrainError, train_adapter, train_missing
    from airloop.finetune import ship as ship_adapter

    if missing := train_missing():
        console.print(f"[red]error:[/red] {missing}")
        raise typer.Exit(EXIT_USAGE)
    out = out or Path("runs") / f"train-{task}-{time.strftime('%Y%m%d-%H%M%S')}"
    config = TrainConfig(steps=steps, batch_size=batch_size, learning_rate=learning_rate, rank=rank,
                         alpha=2.0 * rank, save_every=save_every, seed=seed, method=method, max_length=max_length,
                         hours_as=hours_as, num_generations=num_generations)
    try:
        result = train_adapter(task, data, out, config, resume=resume, init=init, progress=not json_out,
                               held_out=held_out or (), limit=limit)
    except (TrainError, ModelError) as e:
        console.print(f"[red]error:[/red] {e}")
        raise typer.Exit(EXIT_USAGE) from None
    m = result.manifest
    if ship:
        for p in ship_adapter(out, ADAPTER_DIR, task):
            console.print(f"shipped {p}")
    if json_out:
        typer.echo(json.dumps(m, indent=1))
        return
    last = (f"reward {m['final_reward']}" if m["method"] == "grpo"
            else f"loss {m['final_loss']}, token accuracy {m['final_token_accuracy']}")
    console.print(f"adapter {result.adapter} ({result.adapter.stat().st_size / 1e6:.1f} MB): {m['method']}, "
                  f"{m['steps']} steps on {m['data']['rows']} rows ({m['data']['dropped']} dropped), final {last}; "
                  f"{m['train_s_this_run']} s")
