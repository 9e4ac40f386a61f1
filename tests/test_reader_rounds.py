"""benchmarks/reader_rounds.py: the outsider-round tools the team runs (brief, compare)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

import reader_rounds as R  # noqa: E402

GOLD = {"objective": {"kpi": "energy_w", "goal": "minimize", "slice": None}, "constraints": [], "hours": None,
        "cells": None, "knobs": None}


def _dump(path: Path, readings: list[tuple[str, dict | None]]) -> Path:
    rows = [{"file": "holdout99", "id": f"h{i}", "text": f"text {i}", "status": status, "intent": intent,
             "gold": gold} for i, ((status, intent), gold) in enumerate(
             zip(readings, [GOLD, GOLD, None, GOLD], strict=True))]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_compare_tells_better_worse_and_same_score_apart(tmp_path, capsys):
    other = {**GOLD, "hours": [0, 1, 2]}
    before = _dump(tmp_path / "a.jsonl", [("ok", other), ("ok", GOLD), ("ok", GOLD), ("ok", other)])
    after = _dump(tmp_path / "b.jsonl", [("ok", GOLD), ("ok", other), ("refused", None), ("ok", {**other, "cells": [1]})])
    assert R.compare(before, after) == (2, 1, 1)  # h0 and h2 (a refusal now refused) better, h1 worse, h3 wrong twice
    out = capsys.readouterr().out
    assert "BETTER holdout99 h0" in out and "WORSE holdout99 h1" in out and "changed 4: better 2 worse 1" in out


def test_compare_reads_the_texts_both_dumps_hold_and_names_the_others(tmp_path, capsys):
    other = {**GOLD, "hours": [0, 1, 2]}
    a = _dump(tmp_path / "a.jsonl", [("ok", other), ("ok", GOLD), ("ok", GOLD), ("ok", GOLD)])
    b = _dump(tmp_path / "b.jsonl", [("ok", GOLD), ("ok", other), ("ok", GOLD), ("ok", GOLD)])
    b.write_text(b.read_text(encoding="utf-8").replace("text 3", "text 9")  # a set edited, and one added
                 + json.dumps({"file": "train99", "id": "w1", "text": "new", "status": "ok", "intent": GOLD,
                               "gold": GOLD}) + "\n", encoding="utf-8")
    assert R.compare(a, b) == (1, 1, 0)  # h0 better, h1 worse; h3 (its text changed) and w1 are not compared
    out = capsys.readouterr().out
    assert f"1 texts only in {a} (not compared), in holdout99" in out
    assert f"2 texts only in {b} (not compared), in holdout99, train99" in out
    assert "(of 3 texts)" in out


def test_compare_refuses_dumps_with_no_text_in_common(tmp_path):
    a = _dump(tmp_path / "a.jsonl", [("ok", GOLD)] * 4)
    b = tmp_path / "b.jsonl"
    b.write_text(a.read_text(encoding="utf-8").replace("text ", "other "), encoding="utf-8")
    with pytest.raises(SystemExit, match="hold no text in common"):
        R.compare(a, b)


def test_the_briefs_are_filled_and_bad_arguments_are_refused():
    text = R.brief("145", "ports and shipping", train=False)
    assert "holdout145.jsonl" in text and "ports and shipping" in text and "NN" not in text and "PERSONA_HINT" not in text
    train = R.brief("17", "ferries", train=True)
    assert "train17.jsonl" in train and "No refusals" in train
    with pytest.raises(SystemExit, match="set number"):
        R.brief("x1", "ports", train=False)
    with pytest.raises(SystemExit, match="theme"):
        R.brief("145", " ", train=False)
