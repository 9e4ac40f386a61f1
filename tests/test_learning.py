"""The learning loop (issue 9): versioned prompts and promotion, the policy bandit, demonstrations, the GEPA tuning
loop with the deterministic and the LLM proposer (budgets, malformed answers, kill and resume), `--strategy auto`,
and the commands' bad input. Scripted/fake models and small budgets throughout."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from airloop.agents.intent import Intent
from airloop.agents.learning import (
    NO_CHANGE,
    Arm,
    Bandit,
    DemoStore,
    LLMProposer,
    PromotionRefused,
    PromptStore,
    RuleProposer,
    StoreError,
    TuneError,
    context_of,
    demo_overlay,
    hour_band,
    shipped_files,
)
from airloop.prompts import PromptError, load_examples, load_prompt, use_prompts
from learning_fakes import (
    GOOD,
    PromptSensitiveModel,
    broken_optimizer_prompt,
    text_rollout,
    text_rows,
    toy_rows,
)
from typer.testing import CliRunner

from airloop.cli import app

HERE = Path(__file__).resolve().parent
runner = CliRunner()


def energy_intent(hours=(0, 1, 2, 3, 4, 5), cov=0.95) -> Intent:
    return Intent.model_validate({"text": "x", "objective": {"kpi": "energy_w", "goal": "minimize"},
                                  "constraints": [{"kpi": "coverage", "op": ">=", "value": cov}],
                                  "hours": list(hours) if hours is not None else None})


# ------------------------------------------------------------------------------------------------ features
def test_hour_bands():
    assert hour_band(None) == "now" and hour_band([0, 1, 2, 3, 4, 5]) == "night"
    assert hour_band([23, 0, 1, 2, 3, 4]) == "night" and hour_band([9, 10, 11, 12, 13, 14, 15, 16]) == "afternoon"
    assert hour_band(list(range(24))) == "all-day"
    assert str(context_of(energy_intent(), "rural-7")) == "energy|night|rural-7"


# ------------------------------------------------------------------------------------------------ prompt store
def test_prompt_store_versions_promotion_and_rollback(tmp_path):
    from airloop.tuning import promote

    store = PromptStore(tmp_path / "prompts.sqlite")
    shipped = store.shipped("llm-direct")
    v = store.add("llm-direct", {"optimizer.md": shipped.files["optimizer.md"] + "\nBe brief.\n"},
                  parent=shipped.id, proposer="rules", reasoning="test")
    assert v.parent == shipped.id and v.id != shipped.id and len(v.id) == 64
    assert store.overlay() == {}  # the shipped prompts stay the default until a promotion
    # a CI that includes zero: refused, nothing changes
    store.set_scores(shipped.id, "holdout2", {f"i{k}": 0.5 for k in range(6)})
    store.set_scores(v.id, "holdout2", {f"i{k}": 0.5 + d for k, d in enumerate([0.1, -0.1, 0.05, -0.05, 0.0, 0.02])})
    with pytest.raises(PromotionRefused, match="includes zero"):
        promote(store, v.id[:10], split="holdout2")
    assert store.active() == {}
    # too few pairs: refused
    with pytest.raises(PromotionRefused, match="paired scores"):
        promote(store, v.id, split="dev")
    # a clear gain: promoted, the overlay carries it, then rolled back to the shipped prompts
    store.set_scores(v.id, "holdout2", {f"i{k}": 0.6 + 0.01 * k for k in range(6)})
    res = promote(store, v.id, split="holdout2")
    assert res["ci"][0] > 0 and store.active() == {"llm-direct": v.id}
    assert store.overlay()["optimizer.md"].endswith("Be brief.\n")
    with use_prompts(store.overlay()):
        assert load_prompt("optimizer").text.endswith("Be brief.\n")
    assert not load_prompt("optimizer").text.endswith("Be brief.\n")
    assert "+Be brief." in store.diff(shipped.id, v.id)
    assert store.rollback("llm-direct").id == shipped.id and store.active() == {}
    with pytest.raises(ValueError, match="nothing to roll back"):
        store.rollback("llm-direct")
    assert [e["action"] for e in store.events()] == ["promote", "rollback"]
    store.close()


def test_prompt_store_refuses_broken_placeholders_and_unknown_components(tmp_path):
    store = PromptStore(tmp_path / "p.sqlite")
    with pytest.raises(PromptError, match="placeholders"):
        store.add("llm-direct", {"optimizer.md": "no placeholder here"}, parent=None, proposer="manual")
    with pytest.raises(ValueError, match="unknown component"):
        store.add("nope", {"x.md": "y"}, parent=None, proposer="manual")
    store.close()


def test_a_corrupt_store_is_a_clear_error_and_is_left_untouched(tmp_path):
    p = tmp_path / "prompts.sqlite"
    p.write_bytes(b"this is not sqlite" * 100)
    before = p.read_bytes()
    with pytest.raises(StoreError, match="left untouched"):
        PromptStore(p)
    assert p.read_bytes() == before
    b = tmp_path / "bandit.sqlite"
    Bandit(b).close()
    with pytest.raises(StoreError, match="not a prompt store"):
        PromptStore(b)
    r = runner.invoke(app, ["prompts", "list", "--runs", str(tmp_path)], env={"AIRLOOP_LEARNING_DIR": str(tmp_path)})
    assert r.exit_code == 2 and "left untouched" in r.output and p.read_bytes() == before


# ------------------------------------------------------------------------------------------------ bandit
def _simulate(bandit: Bandit, means: list[float], rounds: int, seed: int) -> list[str]:
    arms = [Arm(f"s{i}") for i in range(len(means))]
    rng = np.random.default_rng(seed)
    chosen = []
    for _ in range(rounds):
        c = bandit.choose("energy|night|rural-7", arms)
        i = int(c.arm.strategy[1:])
        bandit.update("energy|night|rural-7", c.arm, float(rng.normal(means[i], 0.05)))
        chosen.append(c.arm.id)
    return chosen


def test_bandit_is_reproducible_with_a_seed_and_converges(tmp_path):
    means = [0.05, 0.10, 0.30, 0.20, -0.1]
    a = _simulate(Bandit(tmp_path / "a.sqlite", seed=7), means, 150, seed=1)
    b = _simulate(Bandit(tmp_path / "b.sqlite", seed=7), means, 150, seed=1)
    c = _simulate(Bandit(tmp_path / "c.sqlite", seed=8), means, 150, seed=1)
    assert a == b and a != c
    assert a[-50:].count("s2@shipped") >= 45  # converged on the best arm
    bd = Bandit(tmp_path / "a.sqlite", seed=7)
    assert bd.best("energy|night|rural-7").arm == "s2@shipped"
    table = bd.table()
    assert {r["arm"] for r in table} == {f"s{i}@shipped" for i in range(5)} and sum(r["n"] for r in table) == 150
    assert bd.choices(1)[0]["log"]["posterior"]  # every choice is logged with the posterior it was drawn from
    bd.close()


def test_arm_ids():
    assert Arm(NO_CHANGE).id == NO_CHANGE
    assert Arm("hybrid", prompts="active", demos=True).id == "hybrid@active+demos"
    assert Arm("optuna", {"n_trials": 60}).id == "optuna(n_trials=60)@shipped"


# ------------------------------------------------------------------------------------------------ demonstrations
def test_demonstrations_are_stored_retrieved_and_drawn_into_prompts(tmp_path):
    ds = DemoStore(tmp_path / "demos.sqlite")
    changes = [{"cell": 3, "active": False}, {"cell": 5, "active": False}, {"cell": 7, "tx_power_dbm": 40.0}]
    assert ds.add(run="r0", scenario="rural-7", intent=energy_intent(), text="a", strategy="hybrid", changes=changes,
                  reward=0.1, approved=False) is None  # not approved: no demonstration
    assert ds.add(run="r1", scenario="rural-7", intent=energy_intent(), text="a", strategy="hybrid", changes=[],
                  reward=0.1, approved=True) is None  # nothing applied
    d1 = ds.add(run="r2", scenario="rural-7", intent=energy_intent(cov=0.9), text="night energy", strategy="hybrid",
                changes=changes, reward=0.12, approved=True)
    ds.add(run="r3", scenario="rural-7", intent=energy_intent(hours=(12, 13)), text="noon", strategy="hybrid",
           changes=changes, reward=0.2, approved=True)
    near = ds.nearest(energy_intent(), k=3)
    assert [d.id for d in near] == [d1.id]  # same family and hour band only
    overlay = demo_overlay(near)
    with use_prompts(overlay):
        hyb = list(load_examples("hybrid"))
        assert hyb[-1]["answer"]["moves"][0] == {"knob": "active", "cells": "sleep_savings", "count": 2,
                                                 "direction": "decrease", "size": "full", "listed": []}
        assert '"cell": 3' in load_prompt("optimizer").text
        load_prompt("optimizer").fill(max_changes=8)  # still fills: the demonstrations add no placeholder
        assert list(load_examples("planner"))[-1]["text"] == "night energy"
    ds.close()


# ------------------------------------------------------------------------------------------------ proposers
def test_the_rule_proposer_makes_a_candidate_from_structured_shortfalls():
    p = RuleProposer()
    current = "Propose changes.\n"
    records = [{"facts": {"score": 0.2, "intent": {"family": "energy", "band": "night"},
                          "failures": [{"kind": "shortfall", "kpi": "coverage", "op": ">=", "weight": 2.0}]}}]
    new = p({"optimizer.md": current}, {"optimizer.md": records}, ["optimizer.md"])
    assert "neighbours of sleeping cells" in new["optimizer.md"] and p.log[-1]["status"] == "ok"
    assert p.log[-1]["proposer"] == "rules" and "night-coverage-neighbours" in p.log[-1]["reason"]
    # the same failure again: that lesson is in the prompt, the next matching rule comes
    newer = p({"optimizer.md": new["optimizer.md"]}, {"optimizer.md": records}, ["optimizer.md"])
    assert "sleep fewer cells" in newer["optimizer.md"]
    # the same parent again (GEPA picked it once more): the child made from it before was scored then, so the next
    # rule by weight makes a new one; once every matching rule was tried from it, nothing new is proposed
    seen = {new["optimizer.md"]}
    for _ in range(10):
        again = p({"optimizer.md": current}, {"optimizer.md": records}, ["optimizer.md"])
        if not again:
            break
        assert again["optimizer.md"] not in seen
        seen.add(again["optimizer.md"])
    assert not again and "every matching rule" in p.log[-1]["reason"] and p.log[-1]["status"] == "nothing"
    assert len(seen) >= 2  # coverage at night matches more than one lesson


def test_a_malformed_reflection_answer_is_a_failed_proposal_and_the_run_goes_on(tmp_path):
    from airloop.tuning import tune

    store = PromptStore(tmp_path / "p.sqlite")
    base = store.add("llm-direct", {"optimizer.md": broken_optimizer_prompt()}, parent=None, proposer="manual")
    prop = LLMProposer(PromptSensitiveModel(malformed=True))
    res, ids = tune("llm-direct", limits={"rollouts": 20}, train=text_rows(3), val=text_rows(2, "v"),
                    run_dir=tmp_path / "run", proposer=prop, prompt_store=store, base=base.id, rollout=text_rollout)
    assert prop.log and all(e["status"] == "failed" and "malformed" in e["reason"] for e in prop.log)
    assert len(res.candidates) == 1 and res.stop_reason and "no candidate" in res.stop_reason
    assert res.proposer == "llm:fake:prompt-sensitive"
    store.close()


# ------------------------------------------------------------------------------------------------ tuning loop
def test_tuning_improves_a_broken_prompt_through_the_graph(tmp_path):
    """The real rollout (graph → verifier → judge) with a model that follows its prompt: the broken prompt makes it
    propose nothing; the rule proposer's lesson makes it sleep cells; GEPA keeps the better candidate."""
    from airloop.tuning import make_rollout, tune

    store = PromptStore(tmp_path / "p.sqlite")
    base = store.add("llm-direct", {"optimizer.md": broken_optimizer_prompt()}, parent=None, proposer="manual")
    rows = toy_rows()
    model = PromptSensitiveModel()
    ro = make_rollout("llm-direct", model_spec="fake", model=model, oracle_dir=None,
                      budget={"sim_evals": 20, "llm_calls": 4, "tokens": 20000, "wall_s": 120})
    res, ids = tune("llm-direct", limits={"rollouts": 9, "sim_evals": 400}, train=rows[:2], val=rows[2:],
                    run_dir=tmp_path / "run", proposer=RuleProposer(), prompt_store=store, base=base.id,
                    rollout=ro, minibatch=2)
    assert res.val_scores[0] == 0.0  # the broken prompt: nothing proposed, nothing gained
    assert res.val_scores[res.best] > 0 and GOOD in res.candidates[res.best]["optimizer.md"].lower()
    best = store.get(ids[0])
    assert best.proposer == "rules" and best.parent == base.id and "energy-gain" in best.reasoning
    assert store.scores(best.id)["dev"] == {"toy2@rural-7@0": pytest.approx(res.val_scores[res.best])}
    assert json.loads((tmp_path / "run" / "result.json").read_text())["summary"]["best_version"] == ids[0]
    store.close()


def test_budget_exhaustion_ends_cleanly_with_the_best_so_far_saved(tmp_path):
    from airloop.tuning import tune

    store = PromptStore(tmp_path / "p.sqlite")
    base = store.add("llm-direct", {"optimizer.md": broken_optimizer_prompt()}, parent=None, proposer="manual")
    res, ids = tune("llm-direct", limits={"sim_evals": 80}, train=text_rows(4), val=text_rows(3, "v"),
                    run_dir=tmp_path / "run", proposer=RuleProposer(), prompt_store=store, base=base.id,
                    rollout=text_rollout)
    assert res.stop_reason.startswith("sim_evals") and res.meter["sim_evals"] >= 80
    assert res.meter["sim_evals"] <= 80 + 10 * (2 + 2 + 3)  # at most one iteration past the limit
    assert (tmp_path / "run" / "gepa_state.bin").is_file() and store.get(ids[0]).id == ids[0]
    assert res.val_scores[res.best] == max(res.val_scores)
    store.close()


def test_killed_tune_resumes_to_the_same_result(tmp_path):
    script = HERE / "learning_fakes.py"
    env = {**os.environ, "PYTHONPATH": str(HERE)}

    def go(run: Path, *extra: str, kill: int | None = None) -> subprocess.CompletedProcess[str]:
        e = {**env, **({"AIRLOOP_TUNE_KILL_AFTER": str(kill)} if kill else {})}
        return subprocess.run([sys.executable, str(script), str(run), *extra], env=e, capture_output=True, text=True,
                              timeout=300)

    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    killed = go(tmp_path / "a" / "run", kill=9)
    assert killed.returncode == 137
    resumed = go(tmp_path / "a" / "run", "--resume")
    assert resumed.returncode == 0, resumed.stderr
    whole = go(tmp_path / "b" / "run")
    a, b = json.loads(resumed.stdout.splitlines()[-1]), json.loads(whole.stdout.splitlines()[-1])
    for k in ("best", "val", "texts", "ids", "proposals"):
        assert a[k] == b[k], k
    assert {k: v for k, v in a["meter"].items() if k != "cached"} == \
        {k: v for k, v in b["meter"].items() if k != "cached"}
    assert a["val"][a["best"]] > a["val"][0]


def test_bad_tuning_input_is_a_clear_error(tmp_path):
    from airloop.tuning import load_split, tune

    env = {"AIRLOOP_LEARNING_DIR": str(tmp_path)}
    r = runner.invoke(app, ["tune", "--component", "nope", "--budget", "rollouts=3"], env=env)
    assert r.exit_code == 2 and "unknown component" in r.output
    r = runner.invoke(app, ["tune", "--component", "hybrid", "--budget", "sim_evals=0"], env=env)
    assert r.exit_code == 2 and "leaves nothing to tune" in r.output
    r = runner.invoke(app, ["tune", "--component", "hybrid", "--budget", "rollouts=2", "--train-split", "test"],
                      env=env)
    assert r.exit_code == 2 and "never used for tuning" in r.output
    with pytest.raises(TuneError, match="training split is empty"):
        tune("llm-direct", limits={"rollouts": 3}, train=[], val=text_rows(1), run_dir=tmp_path / "x",
             proposer=RuleProposer(), prompt_store=PromptStore(tmp_path / "p.sqlite"), rollout=text_rollout)
    with pytest.raises(TuneError, match="leaves nothing"):
        tune("llm-direct", limits={"rollouts": 0}, train=text_rows(1), val=text_rows(1), run_dir=tmp_path / "y",
             proposer=RuleProposer(), prompt_store=PromptStore(tmp_path / "p.sqlite"), rollout=text_rollout)
    with pytest.raises(TuneError, match="nothing to resume"):
        tune("llm-direct", limits={"rollouts": 3}, train=text_rows(1), val=text_rows(1), run_dir=tmp_path / "z",
             resume=True, proposer=RuleProposer(), prompt_store=PromptStore(tmp_path / "p.sqlite"),
             rollout=text_rollout)
    train, dev = load_split("train"), load_split("dev")
    assert train and dev and not {r["id"] for r in train} & {r["id"] for r in dev}
    assert all(r["split"] == "dev" for r in train + dev)  # carved from dev: tuning never sees test
    assert shipped_files("hybrid")["hybrid.md"] == load_prompt("hybrid").path.read_text()


# ------------------------------------------------------------------------------------------------ --strategy auto
def test_strategy_auto_asks_the_bandit_logs_the_choice_and_learns(tmp_path):
    from airloop.app import RunSettings, run
    from airloop.runs import RunStore

    gold = toy_rows()[0]["gold"]
    store = RunStore(tmp_path / "runs")
    settings = RunSettings(text="save energy", intent=gold, scenario="rural-7", model="none", strategy="auto",
                           budget={"sim_evals": 12, "llm_calls": 0, "tokens": 0, "wall_s": 120})
    out = run(settings, store)
    rec = store.record(out.thread_id)
    auto = rec["settings"]["auto"]
    assert auto["context"] == "energy|now|rural-7" and auto["posterior"] and auto["arm"] in auto["draws"]
    assert rec["settings"]["strategy"] == auto["spec"]["strategy"] != "auto"
    assert rec["learning"]["bandit_update"]["arm"] == auto["arm"]
    r = runner.invoke(app, ["policies", "--json", "--runs", str(tmp_path / "runs")])
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    assert any(p["n"] == 1 and p["arm"] == auto["arm"] for p in data["posterior"])
    assert data["choices"][0]["arm"] == auto["arm"]


@pytest.mark.slow
def test_the_ppo_arm_trains_saves_and_proposes(tmp_path):
    pytest.importorskip("stable_baselines3")
    from airloop.agents.learning import train_ppo
    from airloop.agents.strategies import make_strategy
    from airloop.testing import check_strategy

    info = train_ppo(tmp_path / "ppo-rural-7.zip", scenario="rural-7", timesteps=16, n_ues=105, n_steps=8)
    assert Path(info["path"]).is_file() and info["timesteps"] >= 16
    strat = make_strategy("rl-ppo", model_path=info["path"])
    assert strat.name == "rl-ppo"
    # the contract (budget, policy, no mutation, determinism); a 16-step policy cannot be held to "finds a gain"
    check_strategy("rl-ppo", params={"model_path": info["path"]}, skip=("gain",))


def test_the_prompts_commands(tmp_path):
    env = {"AIRLOOP_LEARNING_DIR": str(tmp_path)}
    store = PromptStore(tmp_path / "prompts.sqlite")
    shipped = store.shipped("llm-direct")
    v = store.add("llm-direct", {"optimizer.md": shipped.files["optimizer.md"] + "\nBe brief.\n"},
                  parent=shipped.id, proposer="rules", reasoning="a lesson")
    store.set_scores(shipped.id, "holdout2", {f"i{k}": 0.1 for k in range(5)})
    store.set_scores(v.id, "holdout2", {f"i{k}": 0.1 + (0.05 if k % 2 else -0.05) for k in range(5)})
    store.close()
    r = runner.invoke(app, ["prompts", "list", "--component", "llm-direct", "--json"], env=env)
    assert r.exit_code == 0, r.output
    rows = json.loads(r.output)
    assert {x["proposer"] for x in rows} == {"shipped", "rules"} and [x["active"] for x in rows].count(True) == 1
    r = runner.invoke(app, ["prompts", "show", v.id[:8]], env=env)
    assert r.exit_code == 0 and "a lesson" in r.output and "Be brief." in r.output
    r = runner.invoke(app, ["prompts", "diff", "shipped", v.id[:8], "--component", "llm-direct"], env=env)
    assert r.exit_code == 0 and "+Be brief." in r.output
    r = runner.invoke(app, ["prompts", "promote", v.id[:8]], env=env)
    assert r.exit_code == 1 and "includes zero" in r.output  # refused: the CI includes zero
    r = runner.invoke(app, ["prompts", "rollback", "llm-direct"], env=env)
    assert r.exit_code == 2 and "nothing to roll back" in r.output
    r = runner.invoke(app, ["prompts", "show", "zzzzzzzz"], env=env)
    assert r.exit_code == 2 and "no prompt version" in r.output


def test_an_arm_that_did_badly_elsewhere_is_not_explored_afresh_in_a_new_context(tmp_path):
    """The other contexts' rewards of an arm are its prior in a new context (mean and spread, worth `pool` pulls)."""
    arms = [Arm("good"), Arm("bad")]
    bd = Bandit(tmp_path / "b.sqlite", seed=3)
    rng = np.random.default_rng(0)
    for ctx in ("energy|night|rural-7", "energy|day|rural-7"):
        for _ in range(30):
            bd.update(ctx, arms[0], float(rng.normal(0.10, 0.005)))
            bd.update(ctx, arms[1], float(rng.normal(-0.05, 0.005)))
    post = {p.arm: p for p in bd.posterior("energy|evening|rural-7", arms)}
    assert post["good@shipped"].n == 0 and post["good@shipped"].mean == pytest.approx(0.10, abs=0.01)
    firsts = [bd.choose("energy|evening|rural-7", arms).arm.id for _ in range(40)]
    assert firsts.count("bad@shipped") <= 2  # a wide default prior would explore it about half the time
    bd.close()
    solo = Bandit(tmp_path / "solo.sqlite", seed=3, pool=0)  # no pooling: a new context starts from the flat prior
    assert [solo.choose("energy|evening|rural-7", arms).arm.id for _ in range(40)].count("bad@shipped") >= 10
    solo.close()


def test_record_demos_off_stores_no_demonstration(tmp_path, monkeypatch):
    from airloop.agents.learning import DemoStore

    from airloop.app import RunSettings
    from airloop.tuning import after_run

    class Store:
        root = tmp_path

    monkeypatch.delenv("AIRLOOP_LEARNING_DIR", raising=False)
    record = {"report": {"status": "approved", "reward": 0.1, "thread_id": "t1", "intent": energy_intent().model_dump(),
                         "changes": [{"cell": 3, "active": False}], "strategy": {"name": "heuristic"}}}
    off = RunSettings(text="save energy", scenario="rural-7", record_demos=False)
    assert "demonstration" not in after_run(off, record, Store())
    on = RunSettings(text="save energy", scenario="rural-7")
    out = after_run(on, record, Store())
    assert "demonstration" in out, out
    ds = DemoStore(tmp_path / "learning" / "demos.sqlite")
    assert [d.id for d in ds.all()] == [out["demonstration"]]  # one: the run with record_demos off added none
    ds.close()
