"""The intent benchmark's data are valid gold intents, varied enough, and the script runs."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

from airloop.agents.intent import Intent

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "benchmarks" / "intents" / "intents.jsonl"
ITEMS = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_gold_intents_are_valid_and_ids_unique():
    assert len({it["id"] for it in ITEMS}) == len(ITEMS)
    valid = [it for it in ITEMS if it["gold"] is not None]
    assert len(valid) >= 60
    for it in valid:
        gold = Intent.model_validate(it["gold"])
        assert gold.text == it["text"]
        assert it["split"] in ("dev", "test", "holdout2")


def test_coverage_of_the_issue_s_categories():
    tags = Counter(t for it in ITEMS for t in it["tags"])
    for needed in ("energy", "coverage", "capacity", "fairness", "slicing", "latency", "handover", "time", "units",
                   "negation", "invalid"):
        assert tags[needed] >= 3, needed
    texts = [it["text"] for it in ITEMS]
    assert len(set(t.lower() for t in texts)) == len(texts)


def test_script_runs_rules_only():
    out = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "intents.py"), "--model", "none", "--limit", "8"],
                         capture_output=True, text=True, timeout=120, check=True).stdout
    summary = json.loads(out.strip().splitlines()[-1])
    row = summary["rows"][0]
    assert summary["n"] == 8 and row["strategy"] == "rules" and row["model"] == "none"
    assert 0.0 <= row["exact_match"] <= 1.0
