"""The prompt loader and the prompt files: hashes, placeholders, few-shot examples, and no overlap with benchmarks."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest
from airloop.agents.intent import IntentDraft, intent_from_draft
from airloop.prompts import (
    ExampleSet,
    Prompt,
    PromptError,
    list_prompts,
    load_examples,
    load_prompt,
    prompt_hashes,
)
from airloop.simulator.types import KNOB_NAMES, KPI_NAMES

ROOT = Path(__file__).resolve().parents[1]
BENCHMARK = ROOT / "benchmarks" / "intents" / "intents.jsonl"
EXPECTED = {"planner.md", "planner_user.md", "planner_user_draft.md", "planner_examples.jsonl", "optimizer.md",
            "verifier.md", "reporter.md", "hybrid.md", "hybrid_tuned.md"}


def test_every_prompt_is_there():
    assert EXPECTED <= set(list_prompts())


def test_load_prompt_returns_text_hash_and_path():
    p = load_prompt("planner")
    assert isinstance(p, Prompt) and p.name == "planner" and p.path.name == "planner.md"
    assert p.text == p.path.read_text(encoding="utf-8")
    assert p.sha256 == hashlib.sha256(p.text.encode()).hexdigest()


def test_fill_replaces_placeholders_and_leaves_json_alone():
    p = load_prompt("planner_user_draft")
    assert p.placeholders == ["text", "draft"]
    out = p.fill(text="cut energy", draft='{"objective": {"kpi": "energy_w"}}')
    assert "cut energy" in out and '{"objective": {"kpi": "energy_w"}}' in out and "{text}" not in out
    with pytest.raises(PromptError, match="missing \\['draft'\\]"):
        p.fill(text="x")
    with pytest.raises(PromptError, match="unexpected \\['drfat'\\]"):
        p.fill(text="x", draft="y", drfat="z")


@pytest.mark.parametrize("name", sorted(n.rsplit(".", 1)[0] for n in EXPECTED if n.endswith(".md")))
def test_every_prompt_fills(name):
    p = load_prompt(name)
    text = p.fill(**{k: f"<{k}>" for k in p.placeholders})
    assert not re.search(r"\{[A-Za-z_]\w*\}", text)
    assert len(text.strip()) > 10


def test_bad_names_say_what_exists():
    with pytest.raises(PromptError, match="available"):
        load_prompt("nope")
    with pytest.raises(PromptError, match="bad prompt name"):
        load_prompt("../etc/passwd")


def test_planner_prompt_names_the_whole_vocabulary():
    text = load_prompt("planner").text
    for kpi in KPI_NAMES:
        assert f"- {kpi}:" in text, kpi
    assert "{knob_names}" in text and "{window_names}" in text and "{slice_names}" in text
    assert set(KNOB_NAMES)  # filled from the simulator's names by the planner


def test_examples_load_and_are_valid_drafts():
    ex = load_examples("planner")
    assert isinstance(ex, ExampleSet) and ex.path.name == "planner_examples.jsonl" and len(ex) >= 4
    assert ex.sha256 == hashlib.sha256(ex.path.read_text(encoding="utf-8").encode()).hexdigest()
    for item in ex:
        answer = IntentDraft.model_validate(item["answer"])
        intent, _ = intent_from_draft(answer, text=item["text"])
        assert intent.objective.kpi in KPI_NAMES
        if "draft" in item:
            IntentDraft.model_validate(item["draft"])
    assert load_examples("planner_examples").items == ex.items


def test_few_shot_examples_share_nothing_with_the_benchmark():
    bench = [json.loads(line)["text"].lower() for line in BENCHMARK.read_text(encoding="utf-8").splitlines() if line]
    for item in load_examples("planner"):
        text = item["text"].lower()
        words = re.findall(r"[a-z0-9%.]+", text)
        grams = {" ".join(words[i:i + 5]) for i in range(len(words) - 4)}
        for b in bench:
            assert text != b
            shared = [g for g in grams if g in b]
            assert not shared, f"few-shot example shares {shared} with benchmark text {b!r}"


def test_prompt_hashes():
    hashes = prompt_hashes("planner.md", "planner_examples.jsonl")
    assert set(hashes) == {"planner.md", "planner_examples.jsonl"}
    assert hashes["planner.md"] == load_prompt("planner").sha256
    assert set(prompt_hashes()) == set(list_prompts())


def test_bad_example_lines_are_reported(tmp_path, monkeypatch):
    import airloop.prompts as prompts

    (tmp_path / "bad_examples.jsonl").write_text('// comment\n{"a": 1}\nnot json\n')
    monkeypatch.setattr(prompts, "_dir", lambda: tmp_path)
    with pytest.raises(PromptError, match="bad_examples.jsonl:3"):
        prompts.load_examples("bad")
