"""The run store: one folder per run (its LangGraph checkpoints and its change log, both SQLite) and a SQLite index
of every run with its settings and its final record.

    runs/
      runs.sqlite                 index: thread id, time, text, scenario, strategy, model, status, reward, record
      <thread-id>/checkpoints.sqlite   LangGraph's SqliteSaver (resume after a kill, --approve)
      <thread-id>/changes.sqlite       the tools' append-only change log
      <thread-id>/record.json          the run record: settings, report, prompt hashes, usage
"""

from __future__ import annotations

import json
import os
import sqlite3
import uuid
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

DEFAULT_ROOT = Path(os.environ.get("AIRLOOP_RUNS", "runs"))

_SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    thread_id TEXT PRIMARY KEY,
    created   TEXT NOT NULL,
    text      TEXT,
    scenario  TEXT,
    strategy  TEXT,
    model     TEXT,
    status    TEXT,
    reward    REAL,
    settings  TEXT NOT NULL,
    record    TEXT
)
"""


class RunNotFound(LookupError):
    pass


class RunStore:
    def __init__(self, root: Path | str = DEFAULT_ROOT) -> None:
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        with closing(self._connect()) as db, db:
            db.execute(_SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.root / "runs.sqlite", timeout=30)
        db.row_factory = sqlite3.Row
        return db

    def new_run(self, settings: dict[str, Any]) -> str:
        thread_id = datetime.now(UTC).strftime("%Y%m%d-%H%M%S-") + uuid.uuid4().hex[:6]
        self.run_dir(thread_id).mkdir(parents=True)
        with closing(self._connect()) as db, db:
            db.execute(
                "INSERT INTO runs (thread_id, created, text, scenario, strategy, model, settings) VALUES (?,?,?,?,?,?,?)",
                (thread_id, datetime.now(UTC).isoformat(), settings.get("text"), settings.get("scenario"),
                 settings.get("strategy"), settings.get("model"), json.dumps(settings)),
            )
        return thread_id

    def run_dir(self, thread_id: str) -> Path:
        if not thread_id or "/" in thread_id or thread_id.startswith("."):
            raise RunNotFound(f"{thread_id!r} is not a run id (see `airloop runs`)")
        return self.root / thread_id

    def settings(self, thread_id: str) -> dict[str, Any]:
        with closing(self._connect()) as db:
            row = db.execute("SELECT settings FROM runs WHERE thread_id = ?", (thread_id,)).fetchone()
        if row is None:
            raise RunNotFound(f"no run {thread_id!r} in {self.root} (list them with `airloop runs`)")
        return dict(json.loads(row["settings"]))

    def finish(self, thread_id: str, record: dict[str, Any]) -> None:
        report = record.get("report") or {}
        with closing(self._connect()) as db, db:
            db.execute("UPDATE runs SET status = ?, reward = ?, record = ? WHERE thread_id = ?",
                       (report.get("status"), report.get("reward"), json.dumps(record, default=str), thread_id))
        (self.run_dir(thread_id) / "record.json").write_text(json.dumps(record, indent=2, default=str))

    def record(self, thread_id: str) -> dict[str, Any] | None:
        with closing(self._connect()) as db:
            row = db.execute("SELECT record FROM runs WHERE thread_id = ?", (thread_id,)).fetchone()
        if row is None:
            raise RunNotFound(f"no run {thread_id!r} in {self.root}")
        return json.loads(row["record"]) if row["record"] else None

    def list(self, limit: int = 20) -> list[dict[str, Any]]:
        with closing(self._connect()) as db:
            rows = db.execute("SELECT thread_id, created, text, scenario, strategy, model, status, reward FROM runs "
                              "ORDER BY created DESC LIMIT ?", (limit,)).fetchall()
        return [dict(r) for r in rows]
