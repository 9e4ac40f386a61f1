"""The evaluation harness: its statistics against scipy and closed forms, the evaluation file's errors, the cache
(hit on a re-run, resume after a kill), per-sample errors, oracle regret, and the process pool against one process.

The grids are tiny on purpose (no-LLM strategies with a handful of evaluations, 300 users): they check the
machinery, not the strategies."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import scipy.stats
from bench_modules import load_benchmark
from typer.testing import CliRunner

from airloop.cli import app
from airloop.evaluation import (
    TIMING_FIELDS,
    EvalSpecError,
    OracleStore,
    bootstrap_ci,
    code_hash,
    gold_sha,
    holm,
    load_intents,
    load_spec,
    parse_spec,
    run_eval,
    sign_flip_test,
    wilson_interval,
)

# ---------------------------------------------------------------------------------------------- statistics


@pytest.mark.parametrize("k,n", [(0, 10), (3, 10), (8, 10), (10, 10), (1, 1), (47, 120)])
def test_wilson_matches_the_closed_form_and_scipy(k: int, n: int) -> None:
    z = scipy.stats.norm.ppf(0.975)
    p = k / n
    centre = (p + z**2 / (2 * n)) / (1 + z**2 / n)
    half = z / (1 + z**2 / n) * math.sqrt(p * (1 - p) / n + z**2 / (4 * n**2))
    lo, hi = wilson_interval(k, n)
    assert lo == pytest.approx(max(0.0, centre - half), abs=1e-12)
    assert hi == pytest.approx(min(1.0, centre + half), abs=1e-12)
    ref = scipy.stats.binomtest(k, n).proportion_ci(confidence_level=0.95, method="wilson")
    assert (lo, hi) == pytest.approx((ref.low, ref.high), abs=1e-9)


def test_wilson_known_value_and_no_data() -> None:
    # Newcombe (1998), Table I: 8/10 gives 0.4902 to 0.9433 with the score method.
    assert wilson_interval(8, 10) == pytest.approx((0.4902, 0.9433), abs=1e-4)
    assert wilson_interval(0, 0) == (0.0, 1.0)
    with pytest.raises(ValueError):
        wilson_interval(3, 2)


@pytest.mark.parametrize("method", ["percentile", "bca"])
@pytest.mark.parametrize("statistic", ["mean", "median"])
def test_bootstrap_ci_agrees_with_scipy(method: str, statistic: str) -> None:
    x = np.random.default_rng(11).gamma(2.0, 1.0, size=40)  # skewed: BCa and percentile differ
    fn = np.mean if statistic == "mean" else np.median
    ref = scipy.stats.bootstrap((x,), fn, method="BCa" if method == "bca" else "percentile", n_resamples=20000,
                                confidence_level=0.95, rng=np.random.default_rng(1)).confidence_interval
    lo, hi = bootstrap_ci(x, statistic, method=method, n_resamples=20000, seed=2)  # type: ignore[arg-type]
    # Two Monte Carlo estimates of the same interval (different resamples): they agree to a few percent of the
    # standard error.
    se = float(np.std(x, ddof=1) / math.sqrt(x.size))
    assert lo == pytest.approx(ref.low, abs=0.12 * se)
    assert hi == pytest.approx(ref.high, abs=0.12 * se)
    assert lo < fn(x) < hi


def test_bootstrap_ci_is_seeded_and_degenerate_samples_collapse() -> None:
    x = [0.1, 0.4, 0.35, 0.8, 0.2]
    assert bootstrap_ci(x, seed=3) == bootstrap_ci(x, seed=3)
    assert bootstrap_ci([0.5, 0.5, 0.5], method="bca") == (0.5, 0.5)
    with pytest.raises(ValueError):
        bootstrap_ci([])


def test_sign_flip_test_exact_and_monte_carlo() -> None:
    # Three positive differences: of the 8 sign patterns only all-plus and all-minus reach |mean| = 2.
    assert sign_flip_test([1.0, 2.0, 3.0]) == pytest.approx(2 / 8)
    assert sign_flip_test([0.0, 0.0]) == 1.0
    d = np.random.default_rng(5).normal(0.3, 1.0, size=24)
    p_mc = sign_flip_test(d, n_permutations=40000, seed=1)
    # The exact p from the permutation distribution's normal limit (24 pairs): close to the Monte Carlo value.
    z = abs(d.mean()) / (np.sqrt(np.sum(d**2)) / d.size)
    assert p_mc == pytest.approx(2 * scipy.stats.norm.sf(z), abs=0.02)


def test_holm_adjusts_step_down() -> None:
    assert holm([0.01, 0.04, 0.03, 0.005]) == pytest.approx([0.03, 0.06, 0.06, 0.02])
    assert holm([0.5, 0.9]) == pytest.approx([1.0, 1.0])
    assert holm([]) == []


# ---------------------------------------------------------------------------------------------- the file

MALFORMED = """\
name: broken
scenarios: [urban-macro-19]
seeds: [0]
arms:
  - strategy: heuristic
  - strategy: hybird
    params: {}
"""


def test_malformed_file_names_field_and_line(tmp_path: Path) -> None:
    with pytest.raises(EvalSpecError) as e:
        parse_spec(MALFORMED, "eval.yaml")
    assert "eval.yaml:6: arms.1.strategy" in str(e.value) and "hybrid" in str(e.value)

    with pytest.raises(EvalSpecError, match=r"eval.yaml:3: seeds.1"):
        parse_spec("name: x\nstrategies: [heuristic]\nseeds: [0, two]\n", "eval.yaml")
    with pytest.raises(EvalSpecError, match=r"eval.yaml:2: budget.sim_evals"):
        parse_spec("strategies: [heuristic]\nbudget: {sim_evals: -1}\n", "eval.yaml")
    with pytest.raises(EvalSpecError, match=r"eval.yaml:3: colour.*Extra inputs"):
        parse_spec("strategies: [heuristic]\n\ncolour: red\n", "eval.yaml")
    with pytest.raises(EvalSpecError, match=r"eval.yaml:2: reference: no arm named 'optuna'"):
        parse_spec("strategies: [heuristic]\nreference: optuna\n", "eval.yaml")
    with pytest.raises(EvalSpecError, match=r"eval.yaml:4: arms.0.params.*n_trails"):
        parse_spec("name: x\narms:\n  - strategy: random\n    params: {n_trails: 3}\n", "eval.yaml")
    with pytest.raises(EvalSpecError, match=r"eval.yaml:4: arms.0.model: unknown model spec 'nope:x'"):
        parse_spec("name: x\narms:\n  - strategy: hybrid\n    model: nope:x\n", "eval.yaml")
    with pytest.raises(EvalSpecError, match=r"eval.yaml:2: model: unknown model spec"):
        parse_spec("strategies: [hybrid]\nmodel: olama:qwen2.5\n", "eval.yaml")
    with pytest.raises(EvalSpecError, match=r"eval.yaml:2: not valid YAML"):
        parse_spec("strategies: [heuristic\nseeds: [0]\n", "eval.yaml")

    # From the command line: the error, exit code 2, and nothing ran (no eval directory).
    path = tmp_path / "eval.yaml"
    path.write_text(MALFORMED)
    res = CliRunner().invoke(app, ["eval", str(path), "--out", str(tmp_path / "out")])
    assert res.exit_code == 2, res.output
    assert "eval.yaml:6: arms.1.strategy" in res.output
    assert not (tmp_path / "out").exists()


def test_intents_come_from_the_benchmark_with_gold() -> None:
    rows = load_intents("benchmarks/intents/intents.jsonl", "test", 4)
    assert len(rows) == 4 and all(r["gold"] and r["split"] == "test" for r in rows)
    assert load_intents("benchmarks/intents/intents.jsonl", ids=["i016", "i004"])[0]["id"] == "i016"
    with pytest.raises(EvalSpecError, match="i999"):
        load_intents("benchmarks/intents/intents.jsonl", ids=["i999"])


def test_several_intent_selections_make_one_grid() -> None:
    from airloop.evaluation import build_grid

    spec = parse_spec("strategies: [heuristic]\nintents:\n  - {split: test, ids: [i002, i004]}\n"
                      "  - {file: benchmarks/intents/urllc_energy.jsonl, split: all}\n", "eval.yaml")
    _, units, samples = build_grid(spec, runs_dir=None)
    assert [u.intent for u in units] == ["i002", "i004", "u14"] and len(samples) == 3
    # the same intent twice would be one unit counted twice: refused, naming it; an empty list selects nothing
    twice = parse_spec("strategies: [heuristic]\nintents: [{ids: [i002]}, {split: test, ids: [i002, i004]}]\n",
                       "eval.yaml")
    with pytest.raises(EvalSpecError, match=r"i002.*more than once"):
        build_grid(twice, runs_dir=None)
    # flags that set no intent field leave the file's list alone; an intent flag replaces it
    text = "strategies: [heuristic]\nintents: [{split: test}, {file: benchmarks/intents/urllc_energy.jsonl, split: all}]\n"
    assert len(parse_spec(text, "eval.yaml", {"intents": {"split": None, "limit": None, "ids": None}}).intent_selections()) == 2
    only = parse_spec(text, "eval.yaml", {"intents": {"split": None, "limit": None, "ids": ["i004"]}}).intent_selections()
    assert len(only) == 1 and only[0].ids == ["i004"]
    with pytest.raises(EvalSpecError, match=r"eval.yaml:2: intents.*empty list"):
        parse_spec("strategies: [heuristic]\nintents: []\n", "eval.yaml")


def test_code_hash_is_stable_and_hex() -> None:
    h = code_hash()
    assert len(h) == 64 and int(h, 16) >= 0 and code_hash() == h


# ---------------------------------------------------------------------------------------------- running a grid

#: 2 arms × 2 intents × 1 seed: no LLM, a handful of simulator evaluations each, 300 users.
TINY = """\
name: tiny
scenarios: [urban-macro-19]
n_ues: 300
seeds: [0]
intents: {ids: [i004, i016]}
modes: [opt]
arms:
  - {name: heuristic, strategy: heuristic, params: {max_evals: 4}}
  - {name: random, strategy: random, params: {n_trials: 4}}
reference: heuristic
budget: {sim_evals: 10}
oracle: {trials: 7}
stats: {resamples: 999, permutations: 999}
keep_runs: false
"""


def tiny_spec(tmp: Path, **overrides: Any) -> Any:
    return load_spec(None, {**_yaml(TINY), "out": str(tmp), "oracle": {"dir": str(tmp / "oracle"), "trials": 7},
                            **overrides})


def _yaml(text: str) -> dict[str, Any]:
    import yaml

    return yaml.safe_load(text)


def comparable(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: v for k, v in r.items() if k not in TIMING_FIELDS} for r in rows]


@pytest.fixture(scope="module")
def serial_run(tmp_path_factory: pytest.TempPathFactory) -> Any:
    out = tmp_path_factory.mktemp("serial")
    return run_eval(tiny_spec(out, executor="serial"), progress=None)


def test_serial_run_writes_rows_and_summary(serial_run: Any) -> None:
    res = serial_run
    assert res.computed == 4 and len(res.rows) == 4
    assert all(r["status"] != "error" for r in res.rows), [r["error"] for r in res.rows]
    lines = (res.out / "results.jsonl").read_text().splitlines()
    assert len(lines) == 4
    row = json.loads(lines[0])
    for field in ("llm_calls", "tokens", "sim_evals", "wall_s", "success", "achieved", "regret", "status"):
        assert field in row
    summary = json.loads((res.out / "summary.json").read_text())
    arms = summary["arms"]
    assert list(arms) == ["heuristic/opt", "random/opt"]
    for s in arms.values():
        for key in ("success", "success_ci", "regret_median", "regret_ci", "llm_calls", "tokens", "sim_evals",
                    "wall_s", "comparisons"):
            assert key in s
        assert 0 <= s["success_ci"][0] <= s["success"] <= s["success_ci"][1] <= 1
        assert s["llm_calls"] == 0 and s["sim_evals"] > 0
    assert arms["heuristic/opt"]["reference"] and not arms["heuristic/opt"]["comparisons"]
    metrics = {c["metric"] for c in arms["random/opt"]["comparisons"]}
    assert {"success", "reward"} <= metrics
    c = next(c for c in summary["comparisons"] if c["metric"] == "reward")
    assert c["n_pairs"] == 2 and c["p_holm"] is not None
    # No oracle file: regret is unavailable (never silently computed), for every unit.
    assert sorted(summary["oracle"]["missing"]) == ["urban-macro-19/i004@seed0/ues300",
                                                   "urban-macro-19/i016@seed0/ues300"]
    assert all(r["regret"] is None for r in res.rows) and arms["random/opt"]["regret_unavailable"] == 2


def test_rerun_hits_the_cache_and_computes_nothing(serial_run: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    import airloop.evaluation._executors as ex

    def boom(task: dict[str, Any]) -> dict[str, Any]:
        raise AssertionError(f"recomputed {task['arm']} {task['intent']}")

    monkeypatch.setattr(ex, "run_sample", boom)
    again = run_eval(tiny_spec(serial_run.out, executor="serial"), progress=None)
    assert again.computed == 0 and all(r["cached"] for r in again.rows)
    assert comparable(again.rows) == comparable(serial_run.rows)


def test_oracle_entries_give_regret_and_stale_ones_are_flagged(serial_run: Any, tmp_path: Path) -> None:
    rows = {r["intent"]: r for r in serial_run.rows if r["arm"] == "random/opt"}
    gold = {r["id"]: r for r in load_intents("benchmarks/intents/intents.jsonl", ids=["i004", "i016"])}
    store = OracleStore(tmp_path / "oracle")
    store.put("urban-macro-19", "i004", 0, 300, {"gold_sha256": gold_sha(gold["i004"]), "trials": 7,
                                                 "code_hash": code_hash(), "reward": 0.5, "changes": []})
    store.put("urban-macro-19", "i016", 0, 300, {"gold_sha256": gold_sha(gold["i016"]), "trials": 7,
                                                 "code_hash": "other", "reward": 0.25, "changes": []})
    spec = tiny_spec(serial_run.out, executor="serial", oracle={"dir": str(tmp_path / "oracle"), "trials": 7})
    res = run_eval(spec, progress=None)  # all from the cache: regret is computed at summary time
    assert res.computed == 0
    by = {(r["arm"], r["intent"]): r for r in res.rows}
    assert by[("random/opt", "i004")]["regret"] == pytest.approx((0.5 - rows["i004"]["achieved"]) / 0.5)
    assert by[("random/opt", "i016")]["oracle_status"] == "stale"
    assert res.summary["oracle"]["stale"] == ["urban-macro-19/i016@seed0/ues300"]
    strict = run_eval(tiny_spec(serial_run.out, executor="serial", oracle={
        "dir": str(tmp_path / "oracle"), "trials": 7, "allow_stale": False}), progress=None)
    assert {(r["intent"], r["regret"] is None) for r in strict.rows} == {("i004", False), ("i016", True)}
    other_trials = run_eval(tiny_spec(serial_run.out, executor="serial", oracle={
        "dir": str(tmp_path / "oracle"), "trials": 2000}), progress=None)
    assert all(r["regret"] is None for r in other_trials.rows)


def test_resume_after_a_kill_runs_only_what_is_missing(serial_run: Any, tmp_path: Path) -> None:
    spec = tiny_spec(tmp_path, executor="serial", cache=str(tmp_path / "cache.sqlite"))

    class Killed(Exception):
        pass

    def kill_after_first(done: int, total: int, row: dict[str, Any]) -> None:
        raise Killed  # the coordinator dies right after the first sample was cached

    with pytest.raises(Killed):
        run_eval(spec, progress=kill_after_first)
    resumed = run_eval(spec, progress=None)
    assert resumed.computed == 3 and sum(r["cached"] for r in resumed.rows) == 1
    assert comparable(resumed.rows) == comparable(serial_run.rows)  # deterministic for a seed


def test_a_failing_sample_is_recorded_and_the_rest_goes_on(tmp_path: Path) -> None:
    broken = {"name": "llm", "strategy": "llm-direct", "model": f"scripted:{tmp_path / 'no-such-answers.jsonl'}"}
    spec = tiny_spec(tmp_path, executor="serial", intents={"ids": ["i004"]},
                     arms=[{"name": "heuristic", "strategy": "heuristic", "params": {"max_evals": 4}}, broken])
    res = run_eval(spec, progress=None)
    by = {r["arm"]: r for r in res.rows}
    assert by["llm/opt"]["status"] == "error" and "no-such-answers" in by["llm/opt"]["error"]
    assert by["heuristic/opt"]["status"] != "error"
    assert res.summary["n_errors"] == 1 and res.summary["arms"]["llm/opt"]["n_errors"] == 1
    # Errors are retried on the next run (they may have been transient); results are not.
    again = run_eval(spec, progress=None)
    assert again.computed == 1 and {r["arm"] for r in again.rows if not r["cached"]} == {"llm/opt"}


def test_process_pool_gives_the_same_results_as_one_process(serial_run: Any, tmp_path: Path) -> None:
    pooled = run_eval(tiny_spec(tmp_path, executor="process", workers=2), progress=None)
    assert pooled.computed == 4
    assert comparable(pooled.rows) == comparable(serial_run.rows)
    assert len({r["worker"] for r in pooled.rows}) >= 1


def test_oracle_script_fills_missing_entries_once(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    mod = load_benchmark("oracle")
    args = ["--scenario", "urban-macro-19", "--ids", "i004", "--trials", "3", "--n-ues", "300",
            "--dir", str(tmp_path / "oracle")]
    assert mod.main(args) == 0
    first = json.loads(capsys.readouterr().out.splitlines()[-1])
    assert first["computed"] == 1
    entry = OracleStore(tmp_path / "oracle").get("urban-macro-19", "i004", 0, 300)
    assert entry is not None and entry["trials"] == 3 and entry["code_hash"] == code_hash()
    assert {"changes", "reward", "gold_sha256"} <= entry.keys()
    assert mod.main(args) == 0  # up to date: nothing recomputed
    assert json.loads(capsys.readouterr().out.splitlines()[-1])["computed"] == 0


@pytest.mark.parametrize("name", ["eval-agent.yaml", "eval-smoke.yaml", "eval-urllc-energy.yaml"])
def test_example_eval_files_validate_and_dry_run(name: str, tmp_path: Path) -> None:
    path = Path(__file__).resolve().parents[1] / "examples" / name
    spec = load_spec(path)
    assert spec.arm_specs()
    res = CliRunner().invoke(app, ["eval", str(path), "--dry-run", "--out", str(tmp_path / "out")])
    assert res.exit_code == 0, res.output
    assert "samples" in res.output and not (tmp_path / "out" / "results.jsonl").exists()


def test_rescore_joins_oracle_entries_that_arrived_later_without_running_anything(
        serial_run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    import airloop.evaluation._executors as ex
    from airloop.evaluation import rescore_eval

    def boom(task: dict[str, Any]) -> dict[str, Any]:
        raise AssertionError(f"ran {task['arm']} {task['intent']}")

    monkeypatch.setattr(ex, "run_sample", boom)
    out = tmp_path / "copy"
    shutil.copytree(serial_run.out, out)
    eval_json = json.loads((out / "eval.json").read_text())
    eval_json["spec"]["oracle"] = {"dir": str(tmp_path / "later"), "trials": 7, "allow_stale": True}
    (out / "eval.json").write_text(json.dumps(eval_json))
    before = rescore_eval(out)
    assert all(r["regret"] is None for r in before.rows)
    gold = {r["id"]: r for r in load_intents("benchmarks/intents/intents.jsonl", ids=["i004"])}
    OracleStore(tmp_path / "later").put("urban-macro-19", "i004", 0, 300, {
        "gold_sha256": gold_sha(gold["i004"]), "trials": 7, "code_hash": eval_json["code_hash"], "reward": 0.5,
        "changes": []})
    after = rescore_eval(out)
    by = {(r["arm"], r["intent"]): r for r in after.rows}
    old = {(r["arm"], r["intent"]): r for r in serial_run.rows}
    assert by[("random/opt", "i004")]["oracle_status"] == "ok", after.summary["oracle"]
    assert by[("random/opt", "i004")]["regret"] == pytest.approx((0.5 - old[("random/opt", "i004")]["achieved"]) / 0.5)
    assert by[("random/opt", "i004")]["oracle_status"] == "ok" and by[("random/opt", "i016")]["regret"] is None
    # the rows' own figures are kept as they were run
    assert [(r["status"], r["success"], r["achieved"]) for r in after.rows] == \
        [(r["status"], r["success"], r["achieved"]) for r in serial_run.rows]
    assert after.summary["oracle"]["ok"] == ["urban-macro-19/i004@seed0/ues300"] and "rescored" in after.summary
    assert json.loads((out / "summary.json").read_text())["arms"]["random/opt"]["regret_n"] == 1


def test_rescore_refuses_a_directory_that_is_not_a_finished_eval(tmp_path: Path) -> None:
    from airloop.evaluation import rescore_eval

    with pytest.raises(ValueError, match="no eval.json"):
        rescore_eval(tmp_path)
    result = CliRunner().invoke(app, ["eval", "--rescore", str(tmp_path)])
    assert result.exit_code == 2 and "not a finished eval directory" in result.output


def test_pool_workers_split_the_cpus_between_their_embedded_models(monkeypatch: pytest.MonkeyPatch) -> None:
    """llama.cpp threads spin-wait: processes that together ask for more threads than there are cores slow each
    other down, so each of N workers gets cores // N threads, unless the user set a count."""
    from airloop.agents.models import LLAMACPP_THREADS_ENV, LlamaCppModel, ModelConfig, ModelError

    import airloop.evaluation._executors as ex

    monkeypatch.delenv(LLAMACPP_THREADS_ENV, raising=False)
    monkeypatch.setattr(ex, "usable_cpus", lambda: 8)
    assert [ex.threads_per_worker(n) for n in (1, 2, 3, 8, 16)] == [8, 4, 2, 1, 1]
    monkeypatch.setenv(LLAMACPP_THREADS_ENV, "3")
    assert ex.threads_per_worker(2) == 3
    monkeypatch.setenv(LLAMACPP_THREADS_ENV, "none")
    with pytest.raises(ModelError, match="AIRLOOP_LLAMACPP_THREADS"):
        ex.threads_per_worker(2)

    # what a worker's model reads: the count the coordinator handed it
    monkeypatch.setattr(ex, "run_sample", lambda task: {"threads": ModelConfig.from_env().llamacpp_threads})
    assert ex.run_sample_with_threads({}, 2) == {"threads": 2}
    model = LlamaCppModel("llamacpp", Path("model.gguf"), ModelConfig.from_env(llamacpp_n_ctx=2048))
    assert model.n_threads == 2


def test_workers_are_spawned_not_forked_once_the_coordinator_holds_the_embedded_model(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A forked worker would inherit the loaded model without llama.cpp's threads and hang in its first decode (seen
    when a serial evaluation ran before a pooled one in the same process)."""
    import multiprocessing
    import threading

    import airloop.evaluation._executors as ex

    if "fork" not in multiprocessing.get_all_start_methods() or threading.active_count() != 1:
        pytest.skip("fork is not used here anyway")
    monkeypatch.setattr(ex, "embedded_model_loaded", lambda: False)
    assert ex._mp_context().get_start_method() == "fork"
    monkeypatch.setattr(ex, "embedded_model_loaded", lambda: True)
    assert ex._mp_context().get_start_method() == "spawn"


def test_plan_use_reads_what_hybrid_did_with_the_model_s_plans():
    from airloop.evaluation._sample import plan_use

    assert plan_use([]) is None
    assert plan_use([{"round": 1, "strategy": "heuristic", "info": {}}]) is None  # no plan asked
    assert plan_use([{"round": 1, "strategy": "hybrid", "info": {"plan_outcome": "not_asked"}}]) is None
    rounds = [{"round": 1, "info": {"plan_outcome": "repaired", "gave_way": True}},
              {"round": 2, "info": {"plan_outcome": "as_is"}},
              {"round": 3, "info": {"plan_outcome": "failed"}},
              {"round": 4, "exhausted": "sim_evals"}]
    assert plan_use(rounds) == {"asked": 3, "llm": 2, "as_is": 1, "gave_way": 1}
