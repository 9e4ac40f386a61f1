"""Demonstrations: approved, judge-verified runs (intent → changes → reward), kept in SQLite and drawn as few-shot
examples by intent features (same objective family and hour band, nearest intent first).

A demonstration becomes prompt material through `demo_overlay`: the hybrid strategy's plan examples
(``hybrid_examples.jsonl``, the plan derived from the verified changes), llm-direct's system prompt (``optimizer.md``
plus ``prompts/demonstrations.md``) and the planner's examples (``planner_examples.jsonl``: the text and the intent it
was verified under). The overlay is read through `airloop.prompts.use_prompts`; nothing is written to the package.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from airloop.prompts import load_examples, load_prompt

from ..intent import Intent, draft_from_intent
from ..strategies._plan import FAMILY_KNOBS, MAX_MOVES
from ._db import open_store
from ._features import context_of, intent_distance

__all__ = ["DEMO_COMPONENTS", "Demo", "DemoStore", "demo_overlay", "plan_answer_from_changes"]

#: The prompt files demonstrations feed, per consumer.
DEMO_COMPONENTS: dict[str, str] = {"hybrid": "hybrid_examples.jsonl", "llm-direct": "optimizer.md",
                                   "planner": "planner_examples.jsonl"}
#: The fewest verified-reward units a run needs to become a demonstration (a "gain" inside the noise teaches nothing).
MIN_DEMO_REWARD = 1e-3

_SCHEMA = """
CREATE TABLE IF NOT EXISTS demos (id INTEGER PRIMARY KEY AUTOINCREMENT, time TEXT NOT NULL, run TEXT NOT NULL UNIQUE,
    context TEXT NOT NULL, family TEXT NOT NULL, band TEXT NOT NULL, scenario TEXT NOT NULL, text TEXT NOT NULL,
    intent TEXT NOT NULL, strategy TEXT NOT NULL, changes TEXT NOT NULL, reward REAL NOT NULL,
    judge TEXT NOT NULL DEFAULT '{}');
CREATE INDEX IF NOT EXISTS demos_ctx ON demos (family, band)
"""


@dataclass(frozen=True)
class Demo:
    id: int
    run: str
    context: str
    scenario: str
    text: str
    intent: Intent
    strategy: str
    changes: list[dict[str, Any]]
    reward: float
    judge: dict[str, Any]


class DemoStore:
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._conn = open_store(self.path, "demonstration store", _SCHEMA)

    def close(self) -> None:
        self._conn.close()

    def add(self, *, run: str, scenario: str, intent: Intent | dict[str, Any], text: str, strategy: str,
            changes: Sequence[dict[str, Any]], reward: float, approved: bool,
            judge: dict[str, Any] | None = None) -> Demo | None:
        """Store a run as a demonstration when it was approved, applied changes and its verified reward is a gain
        (and, when the judge's fresh-seed check is given, that held too). Returns None when it does not qualify."""
        it = intent if isinstance(intent, Intent) else Intent.model_validate(intent)
        if not approved or not changes or not reward > MIN_DEMO_REWARD:
            return None
        if judge is not None and not (judge.get("feasible", True) and judge.get("policy_ok", True)
                                      and judge.get("gain", 1.0) > 0):
            return None
        ctx = context_of(it, scenario)
        self._conn.execute("BEGIN IMMEDIATE")
        try:
            self._conn.execute(
                "INSERT OR IGNORE INTO demos (time, run, context, family, band, scenario, text, intent, strategy, "
                "changes, reward, judge) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                (datetime.now(UTC).isoformat(timespec="seconds"), run, str(ctx), ctx.family, ctx.band, scenario,
                 text, it.model_dump_json(), strategy, json.dumps(list(changes)), float(reward),
                 json.dumps(judge or {})))
            self._conn.execute("COMMIT")
        except BaseException:
            self._conn.execute("ROLLBACK")
            raise
        row = self._conn.execute("SELECT * FROM demos WHERE run = ?", (run,)).fetchone()
        return _demo(row)

    def all(self) -> list[Demo]:
        return [_demo(r) for r in self._conn.execute("SELECT * FROM demos ORDER BY id")]

    def nearest(self, intent: Intent, k: int = 3, *, exclude_text: str | None = None) -> list[Demo]:
        """Up to `k` demonstrations of the intent's objective family and hour band, nearest intent first (ties: the
        higher reward, then the newer); `exclude_text` leaves out a demonstration of the very same text."""
        ctx = context_of(intent, "")
        rows = self._conn.execute("SELECT * FROM demos WHERE family = ? AND band = ?", (ctx.family, ctx.band))
        demos = [d for d in map(_demo, rows) if exclude_text is None or d.text != exclude_text]
        demos.sort(key=lambda d: (intent_distance(intent, d.intent), -d.reward, -d.id))
        return demos[:k]


def _demo(r: tuple[Any, ...]) -> Demo:
    return Demo(id=r[0], run=r[2], context=r[3], scenario=r[6], text=r[7], intent=Intent.model_validate_json(r[8]),
                strategy=r[9], changes=json.loads(r[10]), reward=r[11], judge=json.loads(r[12]))


def _intent_json(intent: Intent) -> str:
    d = {"objective": {"kpi": intent.objective.kpi, "goal": intent.objective.goal,
                       "slice": intent.objective.slice or "all"},
         "constraints": [{"kpi": c.kpi, "op": c.op, "value": c.value, "slice": c.slice or "all"}
                         for c in intent.constraints],
         "hours": intent.hours if intent.hours is not None else "now"}
    return json.dumps(d, separators=(", ", ": "))


def plan_answer_from_changes(intent: Intent, changes: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """The hybrid plan (``prompts/hybrid.md``'s schema) that the verified changes are an instance of: one move per
    knob they touch, with the number of cells, the direction where the changes show it, the full step."""
    from ._features import objective_family

    by_knob: dict[str, list[dict[str, Any]]] = {}
    for c in changes:
        for k in ("active", "tx_power_dbm", "tilt_deg", "cio_db", "slice_shares"):
            if c.get(k) is not None:
                by_knob.setdefault(k, []).append(c)
    moves = []
    for knob, cs in by_knob.items():
        if knob == "active":
            sleeping = [c for c in cs if c["active"] is False]
            if sleeping:
                moves.append({"knob": "active", "cells": "sleep_savings", "count": min(20, len(sleeping)),
                              "direction": "decrease", "size": "full", "listed": []})
            continue
        direction = "increase" if knob == "slice_shares" else "either"
        rank = "highest_load" if knob in ("slice_shares", "cio_db") else "lowest_load" \
            if objective_family(intent) == "energy" else "weakest_coverage"
        moves.append({"knob": knob, "cells": rank, "count": min(20, len(cs)), "direction": direction,
                      "size": "full", "listed": []})
    slc = intent.objective.slice or next((c.slice for c in intent.constraints if c.slice), None)
    return {"moves": moves[:MAX_MOVES], "slice": slc or "none", "reason": "verified on a similar intent"}


def _hybrid_item(d: Demo) -> dict[str, Any]:
    from ._features import objective_family

    fam = objective_family(d.intent)
    primary, support = FAMILY_KNOBS[fam]
    n_sleep = sum(1 for c in d.changes if c.get("active") is False)
    return {"family": fam, "intent": _intent_json(d.intent),
            "network": f"{d.scenario}; the verified change touched {len(d.changes)} cells ({n_sleep} put to sleep)",
            "knobs": ", ".join([*primary, *support]), "feedback": "",
            "answer": plan_answer_from_changes(d.intent, d.changes)}


def _direct_line(d: Demo) -> str:
    changes = [{k: v for k, v in c.items() if v is not None} for c in d.changes[:8]]
    return f"- intent {_intent_json(d.intent)} -> changes {json.dumps(changes, separators=(', ', ': '))} -> " \
           f"reward {d.reward:.3f}"


def demo_overlay(demos: Sequence[Demo], consumers: Sequence[str] = tuple(DEMO_COMPONENTS)) -> dict[str, str]:
    """``{file: text}`` that puts `demos` (nearest first) into the consumers' prompts, on top of the texts in force
    now (an active prompt set included). Empty when there is no demonstration."""
    if not demos:
        return {}
    out: dict[str, str] = {}
    ordered = list(reversed(demos))  # nearest last: the strategies show the last same-family example nearest
    for consumer in consumers:
        if consumer not in DEMO_COMPONENTS:
            raise ValueError(f"demonstrations feed {', '.join(DEMO_COMPONENTS)}; not {consumer!r}")
        if consumer == "hybrid":
            base = load_examples("hybrid")
            lines = [json.dumps(_hybrid_item(d)) for d in ordered]
            out["hybrid_examples.jsonl"] = _jsonl(base, lines)
        elif consumer == "planner":
            base = load_examples("planner")
            lines = [json.dumps({"text": d.text, "answer": draft_from_intent(d.intent)}) for d in ordered if d.text]
            if lines:
                out["planner_examples.jsonl"] = _jsonl(base, lines)
        else:
            system = load_prompt("optimizer")
            section = load_prompt("demonstrations").fill(examples="\n".join(_direct_line(d) for d in demos))
            out["optimizer.md"] = system.text.rstrip("\n") + "\n\n" + section
    return out


def _jsonl(base: Any, lines: list[str]) -> str:
    text = "\n".join(json.dumps(item) for item in base.items)
    return text + ("\n" if text else "") + "\n".join(lines) + "\n"
