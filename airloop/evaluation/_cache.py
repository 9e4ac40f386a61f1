"""The results cache: one SQLite table of finished samples, keyed by the sample key (arm, intent, scenario, seed,
code hash, prompt hashes — see `_grid.build_grid`).

Rows are written by the coordinating process only, one transaction per finished sample, so a killed evaluation
resumes where it stopped: the next run finds every finished sample here and runs the rest. Several evaluations may
share one cache file (WAL, a busy timeout).
"""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path
from typing import Any

__all__ = ["ResultCache"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS samples (
    key      TEXT PRIMARY KEY,
    arm      TEXT NOT NULL,
    scenario TEXT NOT NULL,
    intent   TEXT NOT NULL,
    seed     INTEGER NOT NULL,
    status   TEXT,
    row      TEXT NOT NULL,
    created  REAL NOT NULL
)
"""


class ResultCache:
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(self.path, timeout=60)
        self._db.execute("PRAGMA journal_mode=WAL")
        with self._db:
            self._db.execute(_SCHEMA)

    def get_many(self, keys: list[str]) -> dict[str, dict[str, Any]]:
        out: dict[str, dict[str, Any]] = {}
        for i in range(0, len(keys), 500):
            chunk = keys[i:i + 500]
            q = f"SELECT key, row FROM samples WHERE key IN ({','.join('?' * len(chunk))})"
            out.update({k: json.loads(r) for k, r in self._db.execute(q, chunk)})
        return out

    def put(self, row: dict[str, Any]) -> None:
        with self._db:
            self._db.execute(
                "INSERT OR REPLACE INTO samples (key, arm, scenario, intent, seed, status, row, created) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (row["key"], row["arm"], row["scenario"], row["intent"], int(row["seed"]), row.get("status"),
                 json.dumps(row), time.time()))

    def __len__(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM samples").fetchone()[0])

    def close(self) -> None:
        self._db.close()
