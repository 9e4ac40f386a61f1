"""The learning benchmark (issue 9): the policy bandit, demonstrations on/off, and prompt refinement, on 2 cores.

    python benchmarks/learning.py --part bandit                 # seconds: simulated arrivals
    python benchmarks/learning.py --part demos --limit 10       # embedded model: llm-direct and the planner
    python benchmarks/learning.py --part tune --rollouts 24     # GEPA + rules proposer on the embedded model
    python benchmarks/learning.py --part tune --component hybrid  # the same for hybrid's plan prompt
    python benchmarks/learning.py --part all

Each part prints a table and merges its figures into ``benchmarks/results/learning.json`` (the transcript goes to
``learning.txt`` when run with ``| tee``).

**bandit** — ≥ 200 simulated intent arrivals. The arms' true mean rewards per context are *measured*: the agent
benchmark's runs (``benchmarks/results/agent.json``: strategy × intent × scenario, the judge's reward on fresh seeds),
each intent's context being (objective family, hour band, scenario); "no change" earns 0. Each arrival draws a context
and a reward (the measured mean plus Gaussian noise of sd `--noise`). Reported: cumulative regret against the best
fixed arm in hindsight and against the per-context best arm, and the share of evaluations the bandit needed to
identify every context's best arm (from then on, in every context, its posterior-mean best arm is within `noise/4` of
the true best's mean: near-ties inside the noise count as found) relative to a full grid (every arm on every arrival). A second, synthetic problem (more contexts and arms) is run the same way.

**demos** — demonstrations on/off for the embedded model. Demonstrations are collected by running the no-LLM
``heuristic`` strategy on the *train* split (approved, verified runs become demonstrations through the app's normal
path). Then llm-direct runs each *test* intent with and without the nearest demonstrations (same family and hour
band), judged on fresh seeds (paired per intent, bootstrap 95 % CI of the difference); and the planner's LLM-alone
strategy reads each test text with and without demonstrations (the rule reading picks them), scored by exact match,
with each ``--planner-model`` side by side (the base model and the fine-tuned one: ``--planner-model llamacpp:base
--planner-model llamacpp:tuned``).

**tune** — prompt refinement of one component's system prompt (``--component llm-direct``, the default, or ``hybrid``,
whose rollouts run hybrid: the model's plan, then the numeric search) on the embedded model: GEPA with the deterministic rule
proposer on train (reflection) / dev (selection) within the given budget, then the best candidate against the
shipped prompt on the test split (paired per intent, bootstrap CI), with simulator evaluations and wall time.
``--family energy`` restricts all three splits to one objective family (chosen before any result, by the family).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results" / "learning.json"


def _save(part: str, data: dict[str, Any]) -> None:
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    allr = json.loads(RESULTS.read_text()) if RESULTS.is_file() else {}
    allr[part] = data
    RESULTS.write_text(json.dumps(allr, indent=1, default=str) + "\n")


def _ci(deltas: list[float]) -> list[float]:
    from airloop.evaluation import bootstrap_ci

    return [round(x, 4) for x in bootstrap_ci(deltas, "mean", seed=0)] if deltas else [0.0, 0.0]


# ---------------------------------------------------------------------------------------------------------- bandit
def _measured_problem() -> tuple[list[str], list[str], np.ndarray]:
    from airloop.agents.intent import Intent
    from airloop.agents.learning import context_of

    from airloop.evaluation import load_intents

    d = json.loads((ROOT / "benchmarks" / "results" / "agent.json").read_text())
    rows = [r for r in d["rows"] if r.get("mode") == "opt"]
    gold = {r["id"]: r["gold"] for r in load_intents(ROOT / "benchmarks/intents/intents.jsonl", split="all")}
    ctx_of = {(r["scenario"], r["intent"]): str(context_of(Intent.model_validate(gold[r["intent"]]), r["scenario"]))
              for r in rows}
    contexts = sorted(set(ctx_of.values()))
    arms = sorted({r["strategy"] for r in rows}) + ["no-change"]
    sums = np.zeros((len(contexts), len(arms)))
    counts = np.zeros_like(sums)
    for r in rows:
        c, a = contexts.index(ctx_of[(r["scenario"], r["intent"])]), arms.index(r["strategy"])
        sums[c, a] += float(r["achieved"])
        counts[c, a] += 1
    means = np.divide(sums, np.maximum(counts, 1))
    return contexts, arms, means


def _synthetic_problem(seed: int = 0, n_ctx: int = 8, n_arms: int = 14) -> tuple[list[str], list[str], np.ndarray]:
    rng = np.random.default_rng(seed)
    base = rng.normal(0.05, 0.04, n_arms)  # arms differ overall ...
    means = base[None, :] + rng.normal(0.0, 0.03, (n_ctx, n_arms))  # ... and per context
    means[:, -1] = 0.0  # "no change"
    return [f"ctx{i}" for i in range(n_ctx)], [f"arm{j}" for j in range(n_arms - 1)] + ["no-change"], means


def simulate_bandit(contexts: list[str], arms: list[str], means: np.ndarray, *, arrivals: int, noise: float,
                    seed: int, pool: float = 4.0, tol: float | None = None) -> dict[str, Any]:
    from airloop.agents.learning import Arm, Bandit

    rng = np.random.default_rng(seed)
    arm_objs = [Arm(a) if a != "no-change" else Arm("no-change") for a in arms]
    idx = {a.id: j for j, a in enumerate(arm_objs)}
    seq = rng.integers(0, len(contexts), arrivals)
    with tempfile.TemporaryDirectory() as tmp:
        b = Bandit(Path(tmp) / "bandit.sqlite", seed=seed, pool=pool)
        got, chosen_means, identified_at = 0.0, [], None
        best = means.argmax(axis=1)
        tol = noise / 4 if tol is None else tol  # "identified": an arm within tol of the context's best
        for t, c in enumerate(seq):
            ctx = contexts[c]
            ch = b.choose(ctx, arm_objs)
            j = idx[ch.arm.id]
            r = float(means[c, j] + rng.normal(0.0, noise))
            b.update(ctx, ch.arm, r)
            got += r
            chosen_means.append(means[c, j])
            if t % 5 == 4 or t == arrivals - 1:
                ok = all(means[k, idx[b.best(contexts[k], arm_objs).arm]] >= means[k, best[k]] - tol
                         for k in range(len(contexts)))
                if ok and identified_at is None:
                    identified_at = t + 1
                elif not ok:
                    identified_at = None
        b.close()
    expected_fixed = means[seq].sum(axis=0)  # each arm's expected total over this arrival sequence
    best_fixed = int(expected_fixed.argmax())
    oracle = float(means[seq, best[seq]].sum())
    bandit_exp = float(np.sum(chosen_means))
    grid = len(arms) * arrivals
    return {"arrivals": arrivals, "contexts": len(contexts), "arms": len(arms), "noise_sd": noise, "tol": tol,
            "best_fixed_arm": arms[best_fixed],
            "regret_vs_best_fixed": round(float(expected_fixed[best_fixed]) - bandit_exp, 4),
            "regret_vs_per_context_best": round(oracle - bandit_exp, 4),
            "reward_bandit": round(bandit_exp, 4), "reward_best_fixed": round(float(expected_fixed[best_fixed]), 4),
            "reward_per_context_best": round(oracle, 4),
            "identified_after": identified_at, "full_grid": grid,
            "share_of_grid": None if identified_at is None else round(identified_at / grid, 4),
            "share_of_grid_per_context_once": None if identified_at is None else round(
                identified_at / (len(arms) * len(contexts)), 3)}


def part_bandit(args: argparse.Namespace) -> dict[str, Any]:
    out: dict[str, Any] = {}
    problems = (("measured", _measured_problem()), ("synthetic", _synthetic_problem(args.seed)))
    print(f"\nbandit: Thompson sampling per context, {args.repeats} seeds each; pool = the weight (in pulls) of the other "
          "contexts' rewards as an arm's prior; regret in reward units (sum over arrivals of the expected reward given "
          "up)")
    print(f"{'problem':10} {'pool':>4} {'arrivals':>8} {'noise':>6} {'ctx':>4} {'arms':>4} {'best fixed':>10} "
          f"{'regret vs fixed':>15} {'regret vs ctx-best':>18} {'identified':>10} {'share of grid':>13}")
    for pool, arrivals, noise in [(float(p), int(a), float(n)) for p in str(args.pool).split(",")
                                  for a in str(args.arrivals).split(",") for n in str(args.noise).split(",")]:
        for name, problem in problems:
            runs = [simulate_bandit(*problem, arrivals=arrivals, noise=noise, seed=s, pool=pool)
                    for s in range(args.seed, args.seed + args.repeats)]
            shares = [r["share_of_grid"] for r in runs if r["share_of_grid"] is not None]
            o = {"runs": runs, "mean_regret_vs_best_fixed": round(float(np.mean(
                    [r["regret_vs_best_fixed"] for r in runs])), 4),
                 "mean_regret_vs_per_context_best": round(float(np.mean(
                     [r["regret_vs_per_context_best"] for r in runs])), 4),
                 "identified_in": f"{len(shares)}/{len(runs)}",
                 "median_share_of_grid": round(float(np.median(shares)), 4) if shares else None}
            out[f"{name}/pool{pool:g}/T{arrivals}/sd{noise}"] = o
            r0 = runs[0]
            print(f"{name:10} {pool:>4g} {arrivals:>8} {noise:>6} {r0['contexts']:>4} {r0['arms']:>4} "
                  f"{r0['best_fixed_arm']:>10} {o['mean_regret_vs_best_fixed']:>15.4f} "
                  f"{o['mean_regret_vs_per_context_best']:>18.4f} {o['identified_in']:>10} "
                  f"{str(o['median_share_of_grid']):>13}", flush=True)
    return out


# ---------------------------------------------------------------------------------------------------------- demos
def _run(settings: Any, store: Any, model: Any) -> dict[str, Any]:
    from airloop.app import run

    t0 = time.perf_counter()
    out = run(settings, store, model=model)
    rep = out.report or {}
    return {"status": rep.get("status"), "changes": rep.get("changes") or [], "usage": rep.get("usage") or {},
            "wall_s": time.perf_counter() - t0, "thread": out.thread_id}


def _judged(row: dict[str, Any], res: dict[str, Any]) -> float:
    from airloop.agents.intent import Intent

    from airloop.tuning import _judge

    if res["status"] != "approved" or not res["changes"]:
        return 0.0
    return float(_judge(row["scenario"], None, Intent.model_validate(row["gold"]), res["changes"], row["seed"]).reward)


def part_demos(args: argparse.Namespace) -> dict[str, Any]:
    from airloop.agents.intent import Intent
    from airloop.agents.learning import DemoStore

    from airloop.app import RunSettings
    from airloop.runs import RunStore
    from airloop.tuning import instances, learning_dir, load_split

    work = Path(args.work) / "demos"
    runs = RunStore(work / "runs")
    import os

    os.environ.pop("AIRLOOP_LEARNING_DIR", None)
    ld = learning_dir(work / "runs")
    budget = {"sim_evals": 60, "llm_calls": 10, "tokens": 60000, "wall_s": 600}
    # 1. demonstrations from verified runs of the no-LLM heuristic on the train split
    t0 = time.perf_counter()
    collected = 0
    for row in instances(load_split("train", limit=args.train_limit)):
        s = RunSettings(text=row["text"], intent=row["gold"], scenario=row["scenario"], seed=row["seed"],
                        model="none", strategy="heuristic", budget=budget)
        _run(s, runs, None)
        collected += 1
    ds = DemoStore(ld / "demos.sqlite")
    n_demos = len(ds.all())
    print(f"\ndemonstrations: {n_demos} from {collected} heuristic runs on train ({time.perf_counter() - t0:.0f} s)")
    test_rows = instances(load_split("test"))
    covered = [r for r in test_rows if ds.nearest(Intent.model_validate(r["gold"]), k=1, exclude_text=r["text"])]
    direct: dict[str, Any] = {}
    if not args.skip_direct:
        direct = _demos_direct(args, ds, covered, runs, budget, n_demos, collected, len(test_rows))
    out: dict[str, Any] = {"demonstrations": n_demos, "train_runs": collected, "test_with_demos": len(covered),
                           "test_total": len(test_rows)}
    if direct:
        out["llm_direct"] = direct
    if args.skip_planner:
        ds.close()
        return out
    readings = [_demos_planner(args, ds, spec) for spec in (args.planner_model or ["llamacpp:base"])]
    out["planner"] = readings[0]
    if len(readings) > 1:  # e.g. the base model and the fine-tuned one (issue 12), side by side on the same texts
        out["planner_models"] = readings
        print(f"\n{'planner LLM-alone on test':34} {'n':>3} {'exact off':>10} {'exact on':>9} {'fields off':>11} "
              f"{'fields on':>10}")
        for r in readings:
            print(f"{r['spec']:34} {r['n']:>3} {r['exact_off']:>10} {r['exact_on']:>9} {r['fields_right_off']:>11.1%} "
                  f"{r['fields_right_on']:>10.1%}")
    ds.close()
    return out


def _demos_direct(args: argparse.Namespace, ds: Any, covered: list[dict[str, Any]], runs: Any,
                  budget: dict[str, Any], n_demos: int, collected: int, test_total: int) -> dict[str, Any]:
    from airloop.agents.intent import Intent
    from airloop.agents.models import get_model

    from airloop.app import RunSettings

    model = get_model(args.model)
    # 2. llm-direct on the test intents that have a demonstration in their context (elsewhere on and off are the
    # same run), demos off/on, paired; test runs never become demonstrations (record_demos=False)
    rows = covered[: args.limit]
    print(f"test intents with a demonstration in their context: {len(covered)}/{test_total}; running "
          f"{len(rows)}", flush=True)
    per: list[dict[str, Any]] = []
    for row in rows:
        entry: dict[str, Any] = {"intent": row["id"]}
        entry["demos_found"] = len(ds.nearest(Intent.model_validate(row["gold"]), k=3, exclude_text=row["text"]))
        for demos in (False, True):
            s = RunSettings(text=row["text"], intent=row["gold"], scenario=row["scenario"], seed=row["seed"],
                            model=args.model, strategy="llm-direct", budget=budget, demos=demos,
                            prompt_version="shipped", record_demos=False)
            res = _run(s, runs, model)
            entry["on" if demos else "off"] = {"reward": _judged(row, res), "status": res["status"],
                                               "n_changes": len(res["changes"]), "wall_s": round(res["wall_s"], 1),
                                               "sim_evals": res["usage"].get("sim_evals", 0)}
        per.append(entry)
        print(f"  {row['id']}: demos {entry['demos_found']}  off {entry['off']['reward']:+.4f} "
              f"({entry['off']['status']})  on {entry['on']['reward']:+.4f} ({entry['on']['status']})", flush=True)
    deltas = [e["on"]["reward"] - e["off"]["reward"] for e in per]
    with_demo = [e["on"]["reward"] - e["off"]["reward"] for e in per if e["demos_found"]]
    direct = {"n": len(per), "mean_off": round(float(np.mean([e["off"]["reward"] for e in per])), 4),
              "mean_on": round(float(np.mean([e["on"]["reward"] for e in per])), 4),
              "mean_delta": round(float(np.mean(deltas)), 4), "ci95": _ci(deltas),
              "n_with_demos": len(with_demo), "ci95_with_demos": _ci(with_demo), "rows": per}
    _save("demos", {"demonstrations": n_demos, "train_runs": collected, "test_with_demos": len(covered),
                    "test_total": test_total, "llm_direct": direct, "partial": "planner part not run yet"})
    print(f"\n{'llm-direct on test (' + str(direct['n']) + ' intents)':40} {'off':>8} {'on':>8} {'delta':>8} "
          f"{'95% CI':>20}")
    print(f"{'verified reward (judge seeds)':40} {direct['mean_off']:>8.4f} {direct['mean_on']:>8.4f} "
          f"{direct['mean_delta']:>8.4f} {str(direct['ci95']):>20}", flush=True)
    return {**direct, "model": model.describe()}


def _demos_planner(args: argparse.Namespace, ds: Any, spec: str) -> dict[str, Any]:
    """3. the planner's LLM-alone reading of the test texts, demos off/on, by the model ``spec``. The demonstrations
    are few-shot pairs, so the model they can help is the one that reads few-shot pairs: `--planner-model
    llamacpp:base` (the default). The shipped planner adapter reads a short prompt without pairs, so demonstrations
    cannot reach it: `--planner-model llamacpp:base --planner-model llamacpp:tuned` puts the two side by side (its
    off and on are then the same reading). The rule reading of each text picks the nearest demonstrations (same
    objective family and hour band), never the same text."""
    from airloop.agents.intent import Intent, intent_diff, intent_matches
    from airloop.agents.learning import demo_overlay
    from airloop.agents.models import get_model
    from airloop.agents.planner import plan_intent
    from airloop.prompts import use_prompts

    from airloop.finetune import REWARD_FIELDS  # the five fields exact match compares, as the planner reward counts
    from airloop.tuning import load_split

    n_fields = len(REWARD_FIELDS)
    model = get_model(spec)
    texts = load_split("test")
    hits = {"off": 0, "on": 0}
    fields = {"off": 0, "on": 0}  # of REWARD_FIELDS, right
    prow = []
    t1 = time.perf_counter()
    for r in texts[: args.planner_limit]:
        gold = Intent.model_validate(r["gold"])
        rules = plan_intent(r["text"], None, strategy="rules").intent
        demos = ds.nearest(rules, k=3, exclude_text=r["text"]) if rules is not None else []
        got = {}
        for key, overlay in (("off", {}), ("on", demo_overlay(demos, ["planner"]))):
            with use_prompts(overlay):
                res = plan_intent(r["text"], model, strategy="llm")
            ok = res.intent is not None and intent_matches(res.intent, gold)
            right = 0 if res.intent is None else sum(f not in intent_diff(res.intent, gold) for f in REWARD_FIELDS)
            hits[key] += int(ok)
            fields[key] += right
            got[key] = ok
            got[f"fields_{key}"] = right
        prow.append({"intent": r["id"], "demos": len(demos), **got})
        print(f"  {r['id']}: demos {len(demos)}  off {'ok' if got['off'] else '--'} ({got['fields_off']}/{n_fields} fields)  "
              f"on {'ok' if got['on'] else '--'} ({got['fields_on']}/{n_fields} fields)", flush=True)
    n = len(prow)
    with_demos = [p for p in prow if p["demos"]]
    deltas = [int(p["on"]) - int(p["off"]) for p in prow]
    planner = {"spec": spec, "n": n, "model": model.describe(), "exact_off": hits["off"], "exact_on": hits["on"],
               "fields_right_off": round(fields["off"] / max(n_fields * n, 1), 3),
               "fields_right_on": round(fields["on"] / max(n_fields * n, 1), 3),
               "fields_delta_ci95": _ci([(p["fields_on"] - p["fields_off"]) / n_fields for p in prow]),
               "delta_pp_ci95": [round(100 * x, 1) for x in _ci([float(d) for d in deltas])],
               "n_with_demos": len(with_demos), "exact_off_with_demos": sum(p["off"] for p in with_demos),
               "exact_on_with_demos": sum(p["on"] for p in with_demos), "s": round(time.perf_counter() - t1, 1),
               "rows": prow}
    print(f"planner LLM-alone exact match on test ({model.name}): off {hits['off']}/{n}, on {hits['on']}/{n}, "
          f"on - off {100 * (hits['on'] - hits['off']) / max(n, 1):+.1f} pp, 95 % CI {planner['delta_pp_ci95']} pp; "
          f"texts with a demonstration: {len(with_demos)} (off {planner['exact_off_with_demos']}, "
          f"on {planner['exact_on_with_demos']}); fields right off {planner['fields_right_off']:.1%}, on "
          f"{planner['fields_right_on']:.1%}, on - off 95 % CI {planner['fields_delta_ci95']}")
    return planner


# ---------------------------------------------------------------------------------------------------------- tune
def part_tune(args: argparse.Namespace) -> dict[str, Any]:
    from airloop.agents.learning import COMPONENTS, PromptStore, RuleProposer
    from airloop.agents.models import get_model

    from airloop.tuning import instances, load_split, make_rollout, tune

    comp = args.component
    # the llm-direct run keeps its directory of 2026-12-02 (resumable); another component tunes in its own
    work = Path(args.work) / ("tune" if comp == "llm-direct" else f"tune-{comp}")
    work.mkdir(parents=True, exist_ok=True)
    model = get_model(args.model)
    store = PromptStore(work / "prompts.sqlite")
    def fam(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        from airloop.agents.intent import Intent
        from airloop.agents.learning import objective_family

        return [r for r in rows if not args.family or objective_family(Intent.model_validate(r["gold"])) == args.family]

    train = instances(fam(load_split("train"))[: args.train_limit])
    val = instances(fam(load_split("dev"))[: args.val_limit])
    ro = make_rollout(comp, model_spec=args.model, model=model)
    t0 = time.perf_counter()
    res, ids = tune(comp, limits={"rollouts": args.rollouts, "wall_s": args.tune_wall_s}, train=train,
                    val=val, run_dir=work / "run", resume=(work / "run" / "tune.json").exists(), model_spec=args.model,
                    model=model, proposer=RuleProposer(), prompt_store=store, base="shipped", rollout=ro, seed=0)
    tune_s = time.perf_counter() - t0
    best, shipped = store.get(ids[0]), store.shipped(comp)
    print(f"\ntune: {len(res.candidates)} candidates, dev {res.val_scores[0]:+.4f} -> {res.val_scores[res.best]:+.4f}, "
          f"{int(res.meter['rollouts'])} rollouts, {int(res.meter['sim_evals'])} sim evals, {tune_s:.0f} s; "
          f"stop: {res.stop_reason}")
    test = instances(fam(load_split("test"))[: args.limit])
    print(f"train {len(train)}, dev {len(val)}, test {len(test)} intents (family {args.family or 'all'})", flush=True)
    rows = []
    if best.id != shipped.id:
        for row in test:
            a = ro(row, {f: shipped.files[f] for f in COMPONENTS[comp]})
            b = ro(row, {f: best.files[f] for f in COMPONENTS[comp]})
            rows.append({"intent": row["id"], "shipped": a.reward, "tuned": b.reward, "shipped_score": a.score,
                         "tuned_score": b.score, "sim_evals": a.usage.get("sim_evals", 0) + b.usage.get("sim_evals", 0)})
            print(f"  {row['id']}: shipped {a.reward:+.4f}  tuned {b.reward:+.4f}", flush=True)
    deltas = [r["tuned"] - r["shipped"] for r in rows]
    out = {"component": comp, "candidates": len(res.candidates), "dev_start": res.val_scores[0], "dev_best": res.val_scores[res.best],
           "best_version": ids[0], "best_files": dict(best.files), "proposals": res.proposals,
           "meter": res.meter, "tune_wall_s": round(tune_s, 1), "stop_reason": res.stop_reason,
           "test": {"n": len(rows), "mean_shipped": float(np.mean([r["shipped"] for r in rows])) if rows else None,
                    "mean_tuned": float(np.mean([r["tuned"] for r in rows])) if rows else None,
                    "mean_delta": float(np.mean(deltas)) if rows else None, "ci95": _ci(deltas), "rows": rows}}
    store.close()
    if rows:
        print(f"test ({len(rows)} intents): shipped {out['test']['mean_shipped']:+.4f}, tuned "
              f"{out['test']['mean_tuned']:+.4f}, delta {out['test']['mean_delta']:+.4f}, 95% CI {out['test']['ci95']}")
    else:
        print("the best candidate is the shipped prompt: nothing to compare on test")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--part", choices=["bandit", "demos", "tune", "all"], default="bandit")
    ap.add_argument("--arrivals", default="300,1000", help="comma-separated")
    ap.add_argument("--noise", default="0.01,0.02", help="reward noise sd, comma-separated")
    ap.add_argument("--pool", default="4,0", help="bandit part: cross-context prior weights, comma-separated "
                                                  "(4 is the Bandit's default, 0 turns pooling off)")
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--model", default="llamacpp")
    ap.add_argument("--limit", type=int, default=10, help="test intents for the paired comparisons")
    ap.add_argument("--planner-limit", type=int, default=40)
    ap.add_argument("--skip-planner", action="store_true")
    ap.add_argument("--skip-direct", action="store_true",
                    help="demos part: only the planner's reading (saved as demos_planner, leaving demos as it was)")
    ap.add_argument("--planner-model", action="append", default=None,
                    help="demos part: the planner's model (few-shot pairs are where demonstrations go; default "
                         "llamacpp:base); repeat it to read with several side by side, e.g. llamacpp:tuned")
    ap.add_argument("--train-limit", type=int, default=None, help="train intents (demos; tune reflection)")
    ap.add_argument("--val-limit", type=int, default=4)
    ap.add_argument("--rollouts", type=int, default=24)
    ap.add_argument("--family", default=None, help="tune part: only intents of this objective family (e.g. energy)")
    ap.add_argument("--tune-wall-s", type=float, default=1800.0)
    ap.add_argument("--component", default="llm-direct", choices=["llm-direct", "hybrid", "react"],
                    help="tune part: the prompt component GEPA refines (its strategy runs the rollouts)")
    ap.add_argument("--work", default=str(ROOT / "runs" / "bench-learning"))
    args = ap.parse_args(argv)
    parts = ["bandit", "demos", "tune"] if args.part == "all" else [args.part]
    for p in parts:
        t0 = time.perf_counter()
        data = {"bandit": part_bandit, "demos": part_demos, "tune": part_tune}[p](args)
        data["wall_s"] = round(time.perf_counter() - t0, 1)
        data["args"] = vars(args)
        key = "demos_planner" if p == "demos" and args.skip_direct else p
        _save(f"tune_{args.component}" if p == "tune" and args.component != "llm-direct" else key, data)
    print(f"\nJSON: {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
