"""Oracle results as data: ``<dir>/<scenario>.json``, computed once (benchmarks/oracle.py), read by every evaluation.

    {"scenario": "urban-macro-19", "entries": {
       "i002@seed0": {"intent": "i002", "seed": 0, "n_ues": null, "gold_sha256": "...", "trials": 2000,
                      "code_hash": "...", "reward": 0.1454, "raw_reward": 0.1454, "changes": [...],
                      "evals": 2000, "wall_s": 131.2, "computed": "2026-..."}}}

An entry is *usable* for an evaluation when its gold intent and trial count match; it is *stale* when the code that
computed it differs from the running code (the harness can still use it, flagged). The harness never computes an
oracle: a missing entry makes that intent's regret unavailable.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

__all__ = ["OracleStore", "OracleLookup", "entry_key"]


def entry_key(intent: str, seed: int, n_ues: int | None) -> str:
    """The entry's name in its scenario's file: intent id, network seed and (when not the scenario's) user count."""
    return f"{intent}@seed{seed}" + (f"/ues{n_ues}" if n_ues is not None else "")


@dataclass
class OracleLookup:
    reward: float | None  # None: no usable entry
    status: str  # "ok", "stale" (other code computed it), "missing", "other-trials", "other-gold"
    entry: dict[str, Any] | None = None


class OracleStore:
    def __init__(self, directory: str | Path) -> None:
        self.dir = Path(directory)
        self._files: dict[str, dict[str, Any]] = {}

    def path(self, scenario: str) -> Path:
        return self.dir / f"{scenario}.json"

    def load(self, scenario: str) -> dict[str, Any]:
        if scenario not in self._files:
            p = self.path(scenario)
            self._files[scenario] = (json.loads(p.read_text()) if p.is_file()
                                     else {"scenario": scenario, "entries": {}})
        return self._files[scenario]

    def get(self, scenario: str, intent: str, seed: int, n_ues: int | None) -> dict[str, Any] | None:
        return self.load(scenario)["entries"].get(entry_key(intent, seed, n_ues))

    def lookup(self, scenario: str, intent: str, seed: int, n_ues: int | None, *, gold_sha: str, trials: int,
               code_hash: str, allow_stale: bool = True) -> OracleLookup:
        e = self.get(scenario, intent, seed, n_ues)
        if e is None:
            return OracleLookup(None, "missing")
        if e.get("gold_sha256") != gold_sha:
            return OracleLookup(None, "other-gold", e)
        if int(e.get("trials", -1)) != trials:
            return OracleLookup(None, "other-trials", e)
        if e.get("code_hash") != code_hash:
            return OracleLookup(float(e["reward"]) if allow_stale else None, "stale", e)
        return OracleLookup(float(e["reward"]), "ok", e)

    def put(self, scenario: str, intent: str, seed: int, n_ues: int | None, entry: dict[str, Any]) -> None:
        """Add or replace one entry and write the file at once (atomically: a kill leaves the old file or the new)."""
        data = self.load(scenario)
        data["entries"][entry_key(intent, seed, n_ues)] = {
            "intent": intent, "seed": seed, "n_ues": n_ues, **entry,
            "computed": datetime.now(UTC).isoformat(timespec="seconds")}
        data["entries"] = dict(sorted(data["entries"].items()))
        self.dir.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.dir, prefix=f".{scenario}.", suffix=".json")
        with os.fdopen(fd, "w") as f:
            json.dump(data, f, indent=1)
            f.write("\n")
        os.chmod(tmp, 0o644)  # mkstemp makes it private; this is shared data
        os.replace(tmp, self.path(scenario))
