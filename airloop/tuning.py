"""The learning loop wired into the app: where the stores live, the splits, GEPA's rollout (a graph run judged on
fresh seeds), tuning, promotion with a bootstrap CI, and `airloop intent --strategy auto` (the bandit's choice before
a run, its update and the demonstration after it).

Stores (one SQLite file each, under `learning_dir`: ``$AIRLOOP_LEARNING_DIR`` or ``<runs folder>/learning``):
``prompts.sqlite`` (versioned prompts), ``demos.sqlite`` (demonstrations), ``bandit.sqlite`` (policy selection);
``tune/<name>/`` holds a tuning run (GEPA's state, the rollout cache, ``tune.json``); ``ppo-<scenario>.zip`` the RL
policy arm.

Splits for learning (``benchmarks/intents/learning_splits.json``): intents.jsonl has dev / test / holdout2 and no
train split, so ``train`` and ``dev`` are a fixed partition of the *dev* rows (every third dev intent, by id, is
``dev``; the rest ``train``). ``test`` is never seen by tuning: it is for reported figures; ``holdout2`` is the
default split for the promotion gate.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from airloop.agents.intent import Intent
from airloop.agents.learning import (
    COMPONENT_STRATEGY,
    COMPONENTS,
    NO_CHANGE,
    SHIPPED,
    Arm,
    Bandit,
    DemoStore,
    LLMProposer,
    Meter,
    PromotionRefused,
    PromptStore,
    Proposer,
    RolloutResult,
    RuleProposer,
    TuneError,
    TuneResult,
    context_of,
    default_policy_path,
    demo_overlay,
    hour_band,
    item_key,
    objective_family,
    register_policy_strategies,
    run_tune,
)
from airloop.prompts import prompt_overlay, use_prompts

__all__ = ["LEARNING_ENV", "SPLITS_FILE", "TUNE_KILL_ENV", "after_run", "default_arms", "evaluate_version",
           "instances", "learning_dir", "load_split", "make_rollout", "promote", "prompt_overlay_for",
           "resolve_auto", "tune"]

LEARNING_ENV = "AIRLOOP_LEARNING_DIR"
#: Test hook: the tuning process exits (as if killed) after this many fresh rollouts.
TUNE_KILL_ENV = "AIRLOOP_TUNE_KILL_AFTER"
INTENTS_FILE = "benchmarks/intents/intents.jsonl"
SPLITS_FILE = "benchmarks/intents/learning_splits.json"
LEARNING_SPLITS = ("train", "dev", "test", "holdout2")
register_policy_strategies()  # the bandit's arms "no-change" and "rl-ppo" exist wherever the app runs

#: Per-rollout limits in tuning (the agent benchmark's).
ROLLOUT_BUDGET = {"sim_evals": 60, "llm_calls": 20, "tokens": 60_000, "wall_s": 600.0}


def learning_dir(runs_root: str | Path | None = None) -> Path:
    env = os.environ.get(LEARNING_ENV)
    if env:
        return Path(env)
    from .runs import DEFAULT_ROOT

    return Path(runs_root if runs_root is not None else DEFAULT_ROOT) / "learning"


# ---------------------------------------------------------------------------------------------------------- splits
def load_split(split: str, *, file: str | Path = INTENTS_FILE, splits_file: str | Path = SPLITS_FILE,
               limit: int | None = None) -> list[dict[str, Any]]:
    """Intent rows with a gold intent for a learning split (see the module docstring); `limit` takes a fixed stride."""
    from .evaluation import load_intents, resolve_path

    if split not in LEARNING_SPLITS:
        raise TuneError(f"unknown split {split!r}; choose one of {', '.join(LEARNING_SPLITS)}")
    rows = load_intents(file, split="all")
    if split in ("train", "dev"):
        spec = json.loads(resolve_path(str(splits_file)).read_text())
        ids = set(spec[split])
        rows = [r for r in rows if r["id"] in ids]
        if any(r["split"] == "test" for r in rows):  # never: the partition is of dev rows only
            raise TuneError(f"{splits_file}: split {split} holds test intents")
    else:
        rows = [r for r in rows if r.get("split") == split]
    if limit is not None and limit < len(rows):
        step = len(rows) / limit
        rows = [rows[int(i * step)] for i in range(limit)]
    return rows


def instances(rows: Sequence[Mapping[str, Any]], scenarios: Sequence[str] = ("urban-macro-19",),
              seeds: Sequence[int] = (0,)) -> list[dict[str, Any]]:
    """GEPA's data instances: one per (intent, scenario, network seed)."""
    return [{"id": r["id"], "text": r["text"], "gold": r["gold"], "scenario": s, "seed": int(seed)}
            for r in rows for s in scenarios for seed in seeds]


# ---------------------------------------------------------------------------------------------------------- rollouts
def _judge(scenario: str, n_ues: int | None, gold: Intent, changes: list[dict[str, Any]], seed: int) -> Any:
    """The harness's judge (seeds 7001-7003, every gold hour, 20 steps), returning the `Assessment`."""
    from airloop.agents.judge import assess_simulation
    from airloop.simulator import Network
    from airloop.tools import NetworkSession

    from .evaluation import JUDGE_SEEDS, JUDGE_STEPS

    session = NetworkSession(Network.from_scenario(scenario, seed=seed, n_ues=n_ues))
    try:
        sim = session.simulate(changes, hours=gold.hours, steps=JUDGE_STEPS, seeds=JUDGE_SEEDS)
    finally:
        session.close()
    return assess_simulation(gold, sim)


def _shortfalls(assessment: Mapping[str, Any] | Any) -> list[dict[str, Any]]:
    checks = assessment.get("constraints", []) if isinstance(assessment, Mapping) else [
        c.model_dump() for c in assessment.constraints]
    return [{k: c.get(k) for k in ("kpi", "slice", "op", "bound", "observed", "hour", "shortfall")}
            for c in checks if not c.get("met", True)]


def _oracle(row: Mapping[str, Any], oracle_dir: str | None) -> float | None:
    if not oracle_dir:
        return None
    from .evaluation import MIN_ORACLE_REWARD, OracleStore, gold_sha, resolve_path

    e = OracleStore(resolve_path(oracle_dir)).get(row["scenario"], row["id"], row["seed"], None)
    if e is None or e.get("gold_sha256") != gold_sha(dict(row)):
        return None
    r = float(e.get("reward", 0.0))
    return r if r > MIN_ORACLE_REWARD else None


def make_rollout(component: str, *, model_spec: str, model: Any = None, budget: Mapping[str, float] | None = None,
                 margin: float = 0.01, oracle_dir: str | None = "benchmarks/oracle",
                 kill_after: int | None = None) -> Callable[[Mapping[str, Any], dict[str, str]], RolloutResult]:
    """GEPA's rollout for `component`: the graph on one intent (the gold intent given; the planner reads the text for
    the planner component) with the candidate's files in place, then the judge on fresh seeds. Score: the verified
    reward over the oracle's where one is cached, else the reward itself (already relative to the baseline),
    clipped to [-1, 1]; 0 when nothing was applied."""
    from .app import RunSettings, run
    from .runs import RunStore

    if component not in COMPONENTS:
        raise TuneError(f"unknown component {component!r}; choose one of {', '.join(COMPONENTS)}")
    fresh = {"n": 0}

    def rollout(row: Mapping[str, Any], candidate: dict[str, str]) -> RolloutResult:
        gold = Intent.model_validate(row["gold"])
        e2e = component == "planner"
        settings = RunSettings(text=row["text"], intent=None if e2e else row["gold"], scenario=row["scenario"],
                               seed=row["seed"], model=model_spec, strategy=COMPONENT_STRATEGY[component],
                               budget=dict(budget or ROLLOUT_BUDGET), margin=margin, prompt_version=SHIPPED,
                               planner_strategy="llm" if e2e else None)
        scratch = tempfile.mkdtemp(prefix="airloop-tune-")
        t0 = time.perf_counter()
        try:
            store = RunStore(scratch)
            with use_prompts(candidate):
                out = run(settings, store, model=model)
            record = store.record(out.thread_id) or {}
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
        rep = out.report or {}
        usage = dict(rep.get("usage") or {})
        applied = rep.get("changes") or []
        status = rep.get("status", "")
        shortfalls: list[dict[str, Any]] = []
        guardrails: list[dict[str, Any]] = []
        reward, gain = 0.0, 0.0
        if status == "approved" and applied:
            a = _judge(row["scenario"], None, gold, applied, row["seed"])
            reward, gain = float(a.reward), float(a.gain)
            shortfalls = _shortfalls(a)
            guardrails = [g.model_dump() for g in a.guardrails]
        elif record.get("verdicts"):
            last = record["verdicts"][-1]
            shortfalls = _shortfalls(last.get("assessment") or {})
            guardrails = list((last.get("assessment") or {}).get("guardrails", []))
        oracle = _oracle(row, oracle_dir)
        score = max(-1.0, min(1.0, reward / oracle if oracle else reward))
        notes = " ".join(rep.get("notes", []))
        llm_failed = "gave no usable" in notes or "no usable plan" in notes
        verifier = list((rep.get("verification") or {}).get("reasons") or [])
        fresh["n"] += 1
        if kill_after is not None and fresh["n"] >= kill_after:
            os._exit(137)
        return RolloutResult(
            item=item_key(row), score=score, reward=reward, oracle=oracle, status=status, n_changes=len(applied),
            gain=gain, shortfalls=shortfalls, guardrails=guardrails, verifier=verifier, llm_failed=llm_failed,
            intent={"family": objective_family(gold), "band": hour_band(gold.hours)}, text=row["text"],
            usage={"sim_evals": float(usage.get("sim_evals", 0)), "llm_calls": float(usage.get("llm_calls", 0)),
                   "tokens": float(usage.get("tokens", 0)), "wall_s": time.perf_counter() - t0})

    return rollout


# ---------------------------------------------------------------------------------------------------------- tune
def _proposer(reflection_model: str | None) -> Proposer:
    if not reflection_model or reflection_model == "rules":
        return RuleProposer()
    from airloop.agents.models import get_model

    return LLMProposer(get_model(reflection_model))


def tune(component: str, *, limits: Mapping[str, float | None], train: Sequence[Mapping[str, Any]],
         val: Sequence[Mapping[str, Any]], run_dir: str | Path, resume: bool = False, model_spec: str = "auto",
         model: Any = None, reflection_model: str | None = None, proposer: Proposer | None = None,
         prompt_store: PromptStore | None = None, base: str = "active", seed: int = 0, minibatch: int = 2,
         rollout_budget: Mapping[str, float] | None = None, oracle_dir: str | None = "benchmarks/oracle",
         config: Mapping[str, Any] | None = None,
         on_rollout: Callable[[RolloutResult, Meter], None] | None = None,
         rollout: Callable[[Mapping[str, Any], dict[str, str]], RolloutResult] | None = None
         ) -> tuple[TuneResult, list[str]]:
    """Tune `component`'s prompt files with GEPA; every candidate goes into the prompt store with its validation
    scores (``split "dev"``, per item), the best one named in the returned ids (first). Nothing is promoted."""
    if component not in COMPONENTS:
        raise TuneError(f"unknown component {component!r}; choose one of {', '.join(COMPONENTS)}")
    rd = Path(run_dir)
    state_file = rd / "gepa_state.bin"
    cfg = {"component": component, "train": [item_key(r) for r in train], "val": [item_key(r) for r in val],
           "seed": seed, "minibatch": minibatch, "model": model_spec, **(config or {})}
    if resume:
        if not (rd / "tune.json").is_file():
            raise TuneError(f"nothing to resume in {rd}: no tune.json (start it without --resume)")
        saved = json.loads((rd / "tune.json").read_text())
        if {k: saved.get(k) for k in cfg} != cfg:
            raise TuneError(f"{rd} was started with other settings ({saved}); resume with the same ones")
        limits = {**saved.get("limits", {}), **{k: v for k, v in limits.items() if v is not None}}
    elif rd.exists() and (state_file.exists() or (rd / "tune.json").exists()):
        raise TuneError(f"{rd} holds a tuning run already: add --resume to continue it, or give another --name")
    own = prompt_store is None
    store = prompt_store if prompt_store is not None else PromptStore(learning_dir() / "prompts.sqlite")
    try:
        base_version = store.get(base, component)
        seed_candidate = {f: base_version.files[f] for f in COMPONENTS[component]}
        rd.mkdir(parents=True, exist_ok=True)
        if not resume:
            (rd / "tune.json").write_text(json.dumps({**cfg, "limits": dict(limits), "base": base_version.id},
                                                     indent=1))
        prop = proposer or _proposer(reflection_model)
        kill = os.environ.get(TUNE_KILL_ENV)
        ro = rollout or make_rollout(component, model_spec=model_spec, model=model, budget=rollout_budget,
                                     oracle_dir=oracle_dir, kill_after=int(kill) if kill else None)
        res = run_tune(seed_candidate=seed_candidate, trainset=train, valset=val, rollout=ro, run_dir=rd,
                       proposer=prop, limits=limits, seed=seed, minibatch=minibatch, on_rollout=on_rollout)
        order = [res.best] + [i for i in range(len(res.candidates)) if i != res.best]
        by_index: dict[int, str] = {}
        for i in range(len(res.candidates)):  # parents before children (GEPA appends each child)
            cand = res.candidates[i]
            files = {**base_version.files, **cand}
            parent_idx = next((p for p in res.parents[i] if p is not None), None)
            parent = by_index.get(parent_idx) if parent_idx is not None else base_version.parent
            shas = [hashlib.sha256(t.encode()).hexdigest() for t in cand.values()]
            why = next((res.reasoning[h] for h in shas if h in res.reasoning), None)
            if i == 0:
                v = base_version
            else:
                v = store.add(component, files, parent=parent or base_version.id,
                              proposer=why["proposer"] if why else res.proposer,
                              reasoning=why["reasoning"] if why else "",
                              meta={"tune_run": str(rd), "gepa_index": i, "val_mean": res.val_scores[i]})
            by_index[i] = v.id
            store.set_scores(v.id, "dev", res.val_subscores[i])
        ids = [by_index[i] for i in order]
        summary = {**res.summary(), "versions": ids, "best_version": ids[0]}
        (rd / "result.json").write_text(json.dumps({"summary": summary, "val_scores": res.val_scores,
                                                    "proposals": res.proposals}, indent=1, default=str))
        return res, ids
    finally:
        if own:
            store.close()


# ---------------------------------------------------------------------------------------------------------- promote
def evaluate_version(store: PromptStore, ref: str, component: str, split: str, rows: Sequence[Mapping[str, Any]],
                     rollout: Callable[[Mapping[str, Any], dict[str, str]], RolloutResult]) -> dict[str, float]:
    """Score a version on a split's items (those not scored yet) and store the scores."""
    v = store.get(ref, component)
    have = store.scores(v.id, split).get(split, {})
    out = dict(have)
    for row in rows:
        k = item_key(row)
        if k not in have:
            out[k] = rollout(row, {f: v.files[f] for f in COMPONENTS[component]}).score
    store.set_scores(v.id, split, out)
    return out


def promote(store: PromptStore, ref: str, *, split: str = "holdout2", reference: str | None = None,
            component: str | None = None, confidence: float = 0.95, seed: int = 0,
            min_pairs: int = 3) -> dict[str, Any]:
    """Promote a version when its paired gain over the reference (the component's active version) on `split` has a
    bootstrap CI above zero; raises `PromotionRefused` (nothing changed) otherwise."""
    from .evaluation import bootstrap_ci

    v = store.get(ref, component)
    ref_v = store.get(reference, v.component) if reference else store.active_version(v.component)
    if ref_v.id == v.id:
        raise PromotionRefused(f"{v.short} is the {v.component} version in force already")
    pairs = store.paired(v.id, ref_v.id, split)
    if len(pairs) < min_pairs:
        raise PromotionRefused(f"not promoted: {len(pairs)} paired scores on split {split!r} (need {min_pairs}); "
                               f"score both with `airloop prompts evaluate` first")
    deltas = [a - b for _, a, b in pairs]
    lo, hi = bootstrap_ci(deltas, "mean", confidence=confidence, seed=seed)
    evidence = {"split": split, "reference": ref_v.id, "n": len(pairs), "mean_gain": sum(deltas) / len(deltas),
                "confidence": confidence}
    store.promote(v.id, ci=(lo, hi), evidence=evidence)
    return {**evidence, "version": v.id, "ci": [lo, hi]}


# ---------------------------------------------------------------------------------------------------------- runs
def _planned_intent(settings: Any) -> Intent | None:
    if settings.intent:
        return Intent.model_validate(settings.intent)
    from airloop.agents.planner import plan_intent

    res = plan_intent(settings.text, None, strategy="rules")
    return res.intent


def default_arms(*, with_llm: bool, scenario: str, promoted: Sequence[str] = (), rl_dir: Path | None = None
                 ) -> list[Arm]:
    """strategy × prompt version × demonstrations for the LLM strategies, the no-LLM strategies, "no change", and
    the PPO arm when a policy file exists for the scenario."""
    arms: list[Arm] = [Arm(NO_CHANGE), Arm("heuristic"), Arm("optuna", {"n_trials": 60})]
    if with_llm:
        for strategy in ("hybrid", "llm-direct"):
            for prompts in (SHIPPED, *promoted):
                for demos in (False, True):
                    arms.append(Arm(strategy, prompts=prompts, demos=demos))
    if default_policy_path(scenario, rl_dir).is_file():
        arms.append(Arm("rl-ppo", {"model_path": str(default_policy_path(scenario, rl_dir))}))
    return arms


def resolve_auto(settings: Any, store: Any) -> Any:
    """``strategy == "auto"``: ask the bandit for the intent's context and return the settings of its choice (with
    the choice and the posterior it was drawn from in ``settings.auto``). Other settings come back unchanged."""
    if settings.strategy != "auto":
        return settings
    intent = _planned_intent(settings)
    if intent is None:
        raise ValueError("--strategy auto needs an intent the rule planner can read (to find its context); give "
                         "--intent-json or pick a strategy")
    ctx = context_of(intent, settings.scenario)
    ld = learning_dir(store.root)
    promoted = []
    if (ld / "prompts.sqlite").exists():
        with PromptStore(ld / "prompts.sqlite") as ps:
            promoted = ["active"] if ps.active() else []
    arms = default_arms(with_llm=settings.model != "none", scenario=settings.scenario, promoted=promoted,
                        rl_dir=ld)
    bandit = Bandit(ld / "bandit.sqlite", seed=int(os.environ.get("AIRLOOP_BANDIT_SEED", "0")))
    try:
        choice = bandit.choose(str(ctx), arms)
    finally:
        bandit.close()
    arm = choice.arm
    return settings.model_copy(update={"strategy": arm.strategy, "strategy_params": dict(arm.params),
                                       "prompt_version": arm.prompts, "demos": arm.demos, "auto": choice.log()})


def prompt_overlay_for(settings: Any, store: Any) -> dict[str, Any]:
    """The prompt texts a run uses instead of the shipped files: the prompt version's (the promoted set by default)
    and, with ``settings.demos``, the nearest demonstrations. Also what the run record says about them."""
    ld = learning_dir(store.root)
    texts: dict[str, str] = {}
    info: dict[str, Any] = {"prompt_version": settings.prompt_version}
    pfile = ld / "prompts.sqlite"
    if settings.prompt_version not in (SHIPPED, "active") or (settings.prompt_version == "active" and pfile.exists()):
        with PromptStore(pfile) as ps:
            if settings.prompt_version == "active":
                texts.update(ps.overlay())
                info["active"] = ps.active()
            else:
                v = ps.get(settings.prompt_version)
                texts.update(ps.overlay())
                texts.update(v.files)
                info["version"] = v.id
    if settings.demos:
        intent = _planned_intent(settings)
        dfile = ld / "demos.sqlite"
        if intent is not None and dfile.exists():
            ds = DemoStore(dfile)
            try:
                demos = ds.nearest(intent, k=3, exclude_text=settings.text or None)
            finally:
                ds.close()
            with use_prompts(texts):
                texts.update(demo_overlay(demos))
            info["demos"] = [d.id for d in demos]
        else:
            info["demos"] = []
    info["overlay_sha256"] = {f: hashlib.sha256(t.encode()).hexdigest() for f, t in
                              {**prompt_overlay(), **texts}.items()}
    return {**info, "texts": texts}


def after_run(settings: Any, record: Mapping[str, Any], store: Any) -> dict[str, Any]:
    """After a finished run: the bandit learns the verified reward of its choice (``auto`` runs), and an approved
    run with a verified gain becomes a demonstration. Never raises (a learning failure is noted in the record)."""
    out: dict[str, Any] = {}
    report = record.get("report") or {}
    try:
        ld = learning_dir(store.root)
        status = report.get("status")
        reward = float(report.get("reward") or 0.0) if status == "approved" else 0.0
        if settings.auto:
            b = Bandit(ld / "bandit.sqlite", seed=int(os.environ.get("AIRLOOP_BANDIT_SEED", "0")))
            try:
                b.update(settings.auto["context"], Arm(**settings.auto["spec"]), reward,
                         run=report.get("thread_id"))
            finally:
                b.close()
            out["bandit_update"] = {"context": settings.auto["context"], "arm": settings.auto["arm"],
                                    "reward": reward}
        if settings.record_demos and status == "approved" and report.get("changes") and report.get("intent"):
            ds = DemoStore(ld / "demos.sqlite")
            try:
                d = ds.add(run=str(report.get("thread_id")), scenario=settings.scenario, intent=report["intent"],
                           text=settings.text, strategy=(report.get("strategy") or {}).get("name", settings.strategy),
                           changes=report["changes"], reward=reward, approved=True)
            finally:
                ds.close()
            if d is not None:
                out["demonstration"] = d.id
    except Exception as e:  # learning must never fail a run that has finished
        out["learning_error"] = f"{type(e).__name__}: {e}"
    return out
