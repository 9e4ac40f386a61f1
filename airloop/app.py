"""Running the agent graph for the CLI (and the benchmarks): settings → context → graph → run record."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from langgraph.checkpoint.sqlite import SqliteSaver
from langgraph.types import Command
from pydantic import BaseModel, Field

from airloop.agents.graph import RunContext, compile_graph, initial_state
from airloop.agents.intent import Intent
from airloop.agents.models import Budget, get_model, model_session
from airloop.agents.strategies import make_strategy
from airloop.prompts import prompt_hashes, use_prompts
from airloop.simulator import Network
from airloop.tools import NetworkSession, Policy, load_policy

from .runs import RunStore

BUDGET_KEYS = {"sim_evals": "max_sim_evals", "llm_calls": "max_llm_calls", "tokens": "max_tokens",
               "wall_s": "max_wall_s"}
DEFAULT_BUDGET = {"sim_evals": 240, "llm_calls": 40, "tokens": 80_000, "wall_s": 900.0}


class RunSettings(BaseModel):
    """Everything needed to start a run again (what `airloop resume` reads back)."""

    text: str = ""
    intent: dict[str, Any] | None = None  # given directly (optimizer-only): the planner is skipped
    scenario: str = "urban-macro-19"
    seed: int = 0
    n_ues: int | None = None
    model: str = "auto"  # "none": no LLM (rule planner, no-LLM strategies)
    strategy: str = "hybrid"
    strategy_params: dict[str, Any] = Field(default_factory=dict)
    planner_strategy: str | None = None
    budget: dict[str, float] = Field(default_factory=lambda: dict(DEFAULT_BUDGET))
    approve: bool = False
    #: a low-confidence reading: "ask" waits for a person (`airloop intent`), "refuse" ends the run unconfirmed
    confirm: str = "refuse"
    max_rounds: int = 3
    margin: float = Field(default=0.01, ge=0.0, le=0.5)  # the verifier's relative safety margin on every bound
    policy: str | None = None
    # Learning (airloop.tuning): the prompt version ("active": the promoted set, "shipped", or a version id), whether
    # demonstrations are drawn into the prompts, and the bandit's choice when the strategy was "auto".
    prompt_version: str = "active"
    demos: bool = False
    record_demos: bool = True  # an approved run with a verified gain becomes a demonstration (off: benchmarks' test runs)
    auto: dict[str, Any] | None = None


def parse_budget(text: str | None) -> dict[str, float]:
    """`"sim_evals=60,llm_calls=10"` → limits over the defaults; raises ValueError naming the bad part."""
    out = dict(DEFAULT_BUDGET)
    if not text:
        return out
    for part in text.split(","):
        key, _, value = part.partition("=")
        key = key.strip()
        if key not in BUDGET_KEYS:
            raise ValueError(f"budget key {key!r} is unknown; use any of {', '.join(BUDGET_KEYS)} "
                             "(e.g. --budget sim_evals=60,llm_calls=10)")
        try:
            v = float(value)
        except ValueError:
            raise ValueError(f"budget {key}={value!r} is not a number") from None
        if not v >= 0:
            raise ValueError(f"budget {key}={value} must be >= 0")
        out[key] = v
    return out


def make_budget(limits: dict[str, float]) -> Budget:
    kw: dict[str, Any] = {}
    for key, arg in BUDGET_KEYS.items():
        v = limits.get(key)
        kw[arg] = None if v is None else (float(v) if key == "wall_s" else int(v))
    return Budget(**kw)


def open_session(settings: RunSettings, run_dir: Path) -> NetworkSession:
    policy = load_policy(settings.policy) if settings.policy else Policy.default()
    log = run_dir / "changes.sqlite"
    if log.exists():
        return NetworkSession.open(log, policy)
    net = Network.from_scenario(settings.scenario, seed=settings.seed, n_ues=settings.n_ues)
    return NetworkSession(net, policy, log)


def build_context(settings: RunSettings, thread_id: str, run_dir: Path, *, model: Any = None,
                  usage: dict[str, Any] | None = None, session: NetworkSession | None = None) -> RunContext:
    budget = make_budget(settings.budget)
    if usage:  # resume: the run's budget keeps counting from where the killed process left it
        budget.llm_calls = int(usage.get("llm_calls", 0))
        budget.tokens = int(usage.get("tokens", 0))
        budget.sim_evals = int(usage.get("sim_evals", 0))
    if model is None and settings.model != "none":
        model = get_model(settings.model)
    return RunContext(
        session=session if session is not None else open_session(settings, run_dir),
        strategy=make_strategy(settings.strategy, **settings.strategy_params),
        budget=budget,
        model=model,
        thread_id=thread_id,
        max_rounds=settings.max_rounds,
        margin=settings.margin,
        approve=settings.approve,
        confirm=settings.confirm,
        planner_strategy=settings.planner_strategy,
    )


class RunOutcome(BaseModel):
    thread_id: str
    report: dict[str, Any] | None = None
    pending: dict[str, Any] | None = None  # the interrupt's payload when waiting for --approve


Update = Callable[[str, dict[str, Any]], None]


def run(settings: RunSettings, store: RunStore, *, thread_id: str | None = None, answer: str | None = None,
        on_update: Update | None = None, model: Any = None, session: NetworkSession | None = None) -> RunOutcome:
    """Start a run (no `thread_id`) or continue one (after a kill, or with the answer to --approve).

    `session`: run on this live session (a campaign's network) instead of one opened in the run's folder; the caller
    keeps it open."""
    from . import tuning

    new = thread_id is None
    if new:
        settings = tuning.resolve_auto(settings, store)  # --strategy auto: the bandit picks (and logs) the policy
        if model is None and settings.model != "none":
            model = get_model(settings.model)  # a bad model spec fails here, before the run is recorded
        thread_id = store.new_run(settings.model_dump())
    assert thread_id is not None
    run_dir = store.run_dir(thread_id)
    conn = sqlite3.connect(run_dir / "checkpoints.sqlite", check_same_thread=False)
    # WAL with synchronous=NORMAL: a checkpoint survives a killed process (what resume needs) without an fsync per
    # node; only a power cut could lose the last steps.
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    overlay = tuning.prompt_overlay_for(settings, store)
    try:
        with use_prompts(overlay["texts"]), model_session():  # one run's LLM calls may share the model's cache
            return _run_graph(settings, store, thread_id, new, conn, answer, on_update, model, session, overlay)
    finally:
        conn.close()


def _run_graph(settings: RunSettings, store: RunStore, thread_id: str, new: bool, conn: sqlite3.Connection,
               answer: str | None, on_update: Update | None, model: Any, session: NetworkSession | None,
               overlay: dict[str, Any]) -> RunOutcome:
    from . import tuning

    run_dir = store.run_dir(thread_id)
    graph = compile_graph(SqliteSaver(conn))
    config: dict[str, Any] = {"configurable": {"thread_id": thread_id}}
    usage = None if new else (graph.get_state(config).values or {}).get("usage")
    ctx = build_context(settings, thread_id, run_dir, model=model, usage=usage, session=session)
    if new:
        intent = Intent.model_validate(settings.intent) if settings.intent else None
        inp: Any = initial_state(settings.text, intent)
    else:
        inp = Command(resume=answer) if answer is not None else None
    t0 = time.perf_counter()
    pending = None
    for chunk in graph.stream(inp, config, context=ctx, stream_mode="updates"):
        for node, update in chunk.items():
            if node == "__interrupt__":
                pending = update[0].value if update else {}
            elif on_update is not None:
                on_update(node, update or {})
    state = graph.get_state(config)
    if session is None:
        ctx.session.close()
    if state.next:
        return RunOutcome(thread_id=thread_id, pending=pending or {"waiting_at": list(state.next)})
    values = state.values
    report = values.get("report")
    record = {
        "settings": settings.model_dump(),
        "report": report,
        "plan": values.get("plan"),
        "prompts": prompt_hashes(),
        "strategy": ctx.strategy.spec(),
        "model": ctx.model.describe() if ctx.model is not None else None,
        "budget": ctx.budget.summary(),
        "llm_calls": [u.model_dump() if hasattr(u, "model_dump") else u for u in ctx.budget.usage],
        "wall_s_this_process": round(time.perf_counter() - t0, 3),
        "learning": {k: v for k, v in overlay.items() if k != "texts"},
        "verdicts": values.get("verdicts", []),
    }
    record["learning"].update(tuning.after_run(settings, record, store))  # bandit update, demonstrations
    store.finish(thread_id, record)
    return RunOutcome(thread_id=thread_id, report=report)
