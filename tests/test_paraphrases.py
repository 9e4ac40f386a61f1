"""The generated paraphrase set (benchmarks/paraphrases.py): reproducible from its seed, split so that no template and
no source feeds both tuning and test, every phenomenon present on both sides, gold intents valid; the rule reader's
figure on the test split stays at the level the README reports."""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest
from airloop.agents.intent import Intent
from bench_modules import load_benchmark

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "benchmarks" / "intents" / "paraphrases.jsonl"
ROWS = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line.strip()]


def _module() -> ModuleType:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    return load_benchmark("paraphrases")


def test_the_stored_set_is_what_its_seed_generates():
    bench = _module()
    seeds = {r["seed"] for r in ROWS}
    assert len(seeds) == 1
    assert bench.generate(seeds.pop()) == ROWS, "regenerate: python benchmarks/paraphrases.py generate"


def test_no_template_and_no_source_feeds_both_splits():
    by_split: dict[str, dict[str, set[str]]] = {s: {"templates": set(), "sources": set()} for s in ("tune", "test")}
    for r in ROWS:
        by_split[r["split"]]["templates"] |= set(r["templates"])
        by_split[r["split"]]["sources"].add(r["source"])
    assert not by_split["tune"]["templates"] & by_split["test"]["templates"]
    assert not by_split["tune"]["sources"] & by_split["test"]["sources"]
    for r in ROWS:  # every row records the templates it was written with
        assert r["templates"], r["id"]


def test_the_split_of_templates_is_disjoint_for_every_family():
    bench = _module()
    for family, sides in bench.split_templates(13).items():
        assert sides["tune"] and sides["test"], family
        assert not set(sides["tune"]) & set(sides["test"]), family


def test_gold_intents_are_valid_and_texts_unique():
    texts = [r["text"].lower() for r in ROWS]
    assert len(set(texts)) == len(texts)
    assert len({r["id"] for r in ROWS}) == len(ROWS)
    for r in ROWS:
        gold = Intent.model_validate(r["gold"])
        assert gold.text == r["text"]


def test_every_phenomenon_is_on_both_sides():
    bench = _module()
    for split in ("tune", "test"):
        tags = Counter(t for r in ROWS if r["split"] == split for t in r["tags"])
        for phenomenon in bench.PHENOMENA:
            assert tags[phenomenon] >= 40, (split, phenomenon, tags[phenomenon])
    assert sum(r["split"] == "test" for r in ROWS) >= 500


def test_the_generator_writes_what_the_gold_says():
    """Spot checks of the generator's own pieces: clock times, units that convert back exactly."""
    bench = _module()
    assert bench.clock(22, "h12dots") == "10 p.m." and bench.clock(0, "h12") == "midnight"
    assert bench.write_value("uf.kw", "energy_w", 3500.0) == ("3.5 kW", True)
    assert bench.write_value("uf.perhour", "handover_rate", 0.5) == ("30 per hour", True)
    assert bench.write_value("uf.pctwords", "coverage", 0.96) == ("ninety-six percent", True)


def _readme_generated_rules() -> float:
    """The README's planner table, generated test split, rules row: the share matched (as counted there)."""
    m = re.search(r"^\| generated test \| none \| rules \| [\d.]+ ?% \((\d+)/(\d+)\) \|", (ROOT / "README.md").read_text(),
                  flags=re.M)
    assert m, "README.md has no 'generated test | none | rules' row in its planner table"
    return int(m.group(1)) / int(m.group(2))


@pytest.mark.parametrize("split", ["test"])
def test_rule_reader_reaches_the_readme_figure_on_the_generated_test_split(split):
    bench = _module()
    rows = bench.load(split=split)
    res = bench.score(rows, None, "rules", lambda r: r["tags"])
    assert res["exact_match"] >= _readme_generated_rules() - 1e-9
    assert res["inverted_unflagged"] == 0, [m for m in res["misses"] if m["inverted"]]
