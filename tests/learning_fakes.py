"""Fakes for the learning tests: a model whose answers depend on its system prompt, toy intents, and a rollout that
scores a prompt text without the graph (importable by a subprocess, for the kill-and-resume test)."""

from __future__ import annotations

import json
import os
import re
from typing import Any

from airloop.agents.learning import RolloutResult, item_key
from airloop.agents.models import ModelConfig
from airloop.agents.models._base import ChatModel
from airloop.agents.models._types import ChatRequest, Completion

#: The phrase that makes the fake model propose sleeping cells (the shipped optimizer.md has it; BROKEN lacks it).
GOOD = "to sleep"


def broken_optimizer_prompt() -> str:
    from airloop.agents.learning import shipped_files

    text = shipped_files("llm-direct")["optimizer.md"]
    broken = re.sub(r"What usually works:.*?If nothing safe helps", "If nothing safe helps", text, flags=re.S)
    assert GOOD not in broken.lower()
    return broken


class PromptSensitiveModel(ChatModel):
    """llm-direct's model: puts the three lowest-load cells to sleep when the system prompt says so, else proposes
    nothing. ``malformed=True``: answers that are not JSON (a broken reflection model)."""

    backend = "fake"

    def __init__(self, *, malformed: bool = False) -> None:
        super().__init__("fake:prompt-sensitive", "prompt-sensitive", ModelConfig())
        self.malformed = malformed
        self.calls = 0

    def _complete(self, request: ChatRequest) -> Completion:
        self.calls += 1
        if self.malformed:
            content = "I think the prompt should be better, but here is no JSON"
        else:
            system = next((m["content"] for m in request.messages if m["role"] == "system"), "")
            content = json.dumps(self._answer(system, request))
        return Completion(content=content, usage=self._usage(10, 10, messages=request.messages, content=content))

    def _answer(self, system: str, request: ChatRequest) -> dict[str, Any]:
        if GOOD not in system.lower():
            return {"changes": []}
        user = request.messages[-1]["content"]
        rows = re.findall(r"^(\d+) (macro|micro) true \S+ \S+ \S+ ([0-9.]+)", user, flags=re.M)
        low = sorted(rows, key=lambda r: float(r[2]))[:3]
        schema = request.schema or {}
        item = schema.get("properties", {}).get("changes", {}).get("items", {})
        if "$ref" in item:
            item = schema["$defs"][item["$ref"].split("/")[-1]]
        keys = list(item.get("properties", {"cell": 0, "active": 0}))
        return {"changes": [{k: (int(c[0]) if k == "cell" else False if k == "active" else None) for k in keys}
                            for c in low]}


def toy_rows() -> list[dict[str, Any]]:
    """Energy intents on rural-7 for "now" (cheap to verify and judge)."""
    rows = []
    for i, cov in enumerate((0.8, 0.85, 0.75)):
        gold = {"text": f"save energy, coverage {cov}", "objective": {"kpi": "energy_w", "goal": "minimize",
                                                                       "slice": None},
                "constraints": [{"kpi": "coverage", "op": ">=", "value": cov, "slice": None}], "hours": None,
                "cells": None, "knobs": None, "assumptions": []}
        rows.append({"id": f"toy{i}", "text": gold["text"], "gold": gold, "scenario": "rural-7", "seed": 0})
    return rows


_FRESH = {"n": 0}


def text_rollout(row: dict[str, Any], candidate: dict[str, str]) -> RolloutResult:
    """Scores a prompt text by the phrases in it (no graph): the broken prompt scores low, each lesson helps."""
    text = next(iter(candidate.values())).lower()
    score = 0.1 + (0.6 if GOOD in text else 0.0) + (0.2 if "neighbours of sleeping cells" in text else 0.0)
    score += 0.01 * (int(row["id"][-1]) % 3)
    shortfalls = [] if "neighbours of sleeping cells" in text else [
        {"kpi": "coverage", "slice": None, "op": ">=", "bound": 0.9, "observed": 0.88, "hour": 3, "shortfall": 0.02}]
    _FRESH["n"] += 1
    kill = os.environ.get("AIRLOOP_TUNE_KILL_AFTER")
    if kill and _FRESH["n"] >= int(kill):
        os._exit(137)
    return RolloutResult(item=item_key(row), score=score, reward=score / 10, status="approved", n_changes=3,
                         shortfalls=shortfalls if GOOD in text else [],
                         intent={"family": "energy", "band": "night"}, text=row["text"],
                         usage={"sim_evals": 10.0, "llm_calls": 1.0, "tokens": 100.0, "wall_s": 0.01})


def text_rows(n: int = 4, prefix: str = "r") -> list[dict[str, Any]]:
    return [{"id": f"{prefix}{i}", "text": f"cut energy at night {i}", "gold": {}, "scenario": "s", "seed": 0}
            for i in range(n)]


def run_text_tune(run_dir: str, resume: bool, rollouts: int = 24) -> dict[str, Any]:
    """A tune over the text rollout (for the subprocess kill/resume test); returns the summary and the texts."""
    from airloop.agents.learning import PromptStore, RuleProposer

    from airloop.tuning import tune

    store = PromptStore(os.path.join(run_dir, "..", "prompts.sqlite"))
    try:
        base = store.add("llm-direct", {"optimizer.md": broken_optimizer_prompt()}, parent=None, proposer="manual",
                         reasoning="deliberately broken: the advice removed")
        res, ids = tune("llm-direct", limits={"rollouts": rollouts}, train=text_rows(4), val=text_rows(3, "v"),
                        run_dir=run_dir, resume=resume, proposer=RuleProposer(), prompt_store=store,
                        base=base.id, rollout=text_rollout, seed=3)
        return {"best": res.best, "val": res.val_scores, "texts": [c["optimizer.md"] for c in res.candidates],
                "ids": ids, "meter": res.meter, "proposals": res.proposals}
    finally:
        store.close()


if __name__ == "__main__":  # python learning_fakes.py RUN_DIR [--resume]
    import sys

    print(json.dumps(run_text_tune(sys.argv[1], "--resume" in sys.argv)))
