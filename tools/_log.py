"""The append-only change log: one SQLite file, the source of truth for a session's configuration.

Every apply and rollback is one row in `changes`, written in the same SQLite transaction whose COMMIT is the commit
point of the change: the in-memory `Network` is volatile state derived from the log, so a session reopened after a
crash rebuilds the network from the header (`meta`: scenario, seed, initial config) and the config of the last
committed row. Rows are never updated or deleted (triggers refuse it); a rollback is a new row.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel

SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS policies (
    sha256 TEXT PRIMARY KEY,
    policy TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS changes (
    change_id      INTEGER PRIMARY KEY,
    version        INTEGER NOT NULL UNIQUE,
    parent_version INTEGER NOT NULL,
    time           TEXT NOT NULL,
    kind           TEXT NOT NULL CHECK (kind IN ('apply', 'rollback')),
    rollback_of    INTEGER REFERENCES changes (change_id),
    actor          TEXT NOT NULL,
    reason         TEXT NOT NULL,
    changes        TEXT NOT NULL,
    before         TEXT NOT NULL,
    after          TEXT NOT NULL,
    config         TEXT NOT NULL,
    kpis_before    TEXT,
    kpis_after     TEXT,
    horizon        TEXT NOT NULL,
    hour           INTEGER,
    step_index     INTEGER,
    policy_sha256  TEXT
);
CREATE INDEX IF NOT EXISTS changes_rollback_of ON changes (rollback_of);
CREATE TRIGGER IF NOT EXISTS changes_no_update BEFORE UPDATE ON changes
BEGIN SELECT RAISE(ABORT, 'the change log is append-only: a rollback is a new entry'); END;
CREATE TRIGGER IF NOT EXISTS changes_no_delete BEFORE DELETE ON changes
BEGIN SELECT RAISE(ABORT, 'the change log is append-only: entries are never deleted'); END;
"""

_JSON_COLUMNS = ("changes", "before", "after", "config", "kpis_before", "kpis_after", "horizon")


class ChangeEntry(BaseModel):
    """One row of the change log. `before`/`after` hold only the knobs the change touched: {cell: {knob: value}}."""

    change_id: int
    version: int
    parent_version: int
    time: str
    kind: Literal["apply", "rollback"]
    rollback_of: int | None
    rolled_back_by: list[int] = []
    actor: str
    reason: str
    changes: list[dict[str, Any]]
    before: dict[str, dict[str, Any]]
    after: dict[str, dict[str, Any]]
    config: list[dict[str, Any]]
    kpis_before: dict[str, float] | None
    kpis_after: dict[str, float] | None
    horizon: dict[str, Any]
    hour: int | None
    step_index: int | None
    policy_sha256: str | None


class LogLockedError(RuntimeError):
    """Another process holds the log's write lock for longer than the busy timeout."""


class ChangeLog:
    """SQLite change log. `path=None` keeps it in memory (tests, throwaway sessions: nothing to reopen)."""

    def __init__(self, path: str | Path | None, *, busy_timeout_s: float = 10.0) -> None:
        self.path = Path(path) if path is not None else None
        if self.path is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        # Autocommit mode (isolation_level=None): transactions are opened explicitly with BEGIN IMMEDIATE, which takes
        # the write lock up front, so two writers (threads or processes) are serialised, never interleaved.
        self._conn = sqlite3.connect(
            str(self.path) if self.path is not None else ":memory:",
            isolation_level=None,
            check_same_thread=False,
            timeout=busy_timeout_s,
        )
        self._lock = threading.RLock()
        with self._lock:
            if self.path is not None:
                self._conn.execute("PRAGMA journal_mode=WAL")  # readers (`airloop log`) never block the writer
            self._conn.execute("PRAGMA synchronous=FULL")  # a COMMIT that returned survives a crash
            self._conn.execute("PRAGMA foreign_keys=ON")
            self._conn.executescript(_SCHEMA)
            self._in_tx = False

    # -- header -------------------------------------------------------------------------------------------------

    def header(self) -> dict[str, Any]:
        with self._lock:
            rows = self._conn.execute("SELECT key, value FROM meta").fetchall()
        return {k: json.loads(v) for k, v in rows}

    def write_header(self, header: dict[str, Any]) -> None:
        """Write the header once; a header already there is left as it is (the caller checks it matches)."""
        with self.transaction():
            for k, v in {"schema_version": SCHEMA_VERSION, **header}.items():
                self._conn.execute("INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)", (k, json.dumps(v)))

    def record_policy(self, sha256: str, policy: dict[str, Any]) -> None:
        self._conn.execute(
            "INSERT OR IGNORE INTO policies (sha256, policy) VALUES (?, ?)",
            (sha256, json.dumps(policy, sort_keys=True)),
        )

    def policy(self, sha256: str) -> dict[str, Any] | None:
        with self._lock:
            row = self._conn.execute("SELECT policy FROM policies WHERE sha256 = ?", (sha256,)).fetchone()
        return json.loads(row[0]) if row else None

    # -- writing ------------------------------------------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE ... COMMIT; ROLLBACK on any exception. Re-entrant within one thread."""
        with self._lock:
            if self._in_tx:
                yield self._conn
                return
            try:
                self._conn.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                raise LogLockedError(f"change log {self.path} is locked by another writer: {exc}") from exc
            self._in_tx = True
            try:
                yield self._conn
            except BaseException:
                self._in_tx = False
                self._conn.execute("ROLLBACK")
                raise
            self._in_tx = False
            self._conn.execute("COMMIT")

    def append(self, entry: dict[str, Any]) -> int:
        """Insert one entry (inside `transaction()`); returns its change id."""
        if not self._in_tx:
            raise RuntimeError("ChangeLog.append must run inside ChangeLog.transaction()")
        row = dict(entry)
        for col in _JSON_COLUMNS:
            if col in row and row[col] is not None:
                row[col] = json.dumps(row[col], separators=(",", ":"))
        cols = ", ".join(row)
        marks = ", ".join("?" for _ in row)
        cur = self._conn.execute(f"INSERT INTO changes ({cols}) VALUES ({marks})", tuple(row.values()))
        return int(cur.lastrowid or 0)

    # -- reading ------------------------------------------------------------------------------------------------

    def latest_version(self) -> int:
        with self._lock:
            row = self._conn.execute("SELECT MAX(version) FROM changes").fetchone()
        return int(row[0]) if row and row[0] is not None else 0

    def count(self) -> int:
        with self._lock:
            return int(self._conn.execute("SELECT COUNT(*) FROM changes").fetchone()[0])

    def entry(self, change_id: int) -> ChangeEntry | None:
        rows = self._select("WHERE change_id = ?", (change_id,))
        return rows[0] if rows else None

    def entry_at_version(self, version: int) -> ChangeEntry | None:
        rows = self._select("WHERE version = ?", (version,))
        return rows[0] if rows else None

    def entries(self, limit: int = 20, *, before_id: int | None = None) -> list[ChangeEntry]:
        """Newest first."""
        if before_id is None:
            return self._select("ORDER BY change_id DESC LIMIT ?", (limit,))
        return self._select("WHERE change_id < ? ORDER BY change_id DESC LIMIT ?", (before_id, limit))

    def entries_after(self, change_id: int) -> list[ChangeEntry]:
        return self._select("WHERE change_id > ? ORDER BY change_id", (change_id,))

    def ids(self) -> tuple[int, int] | None:
        with self._lock:
            row = self._conn.execute("SELECT MIN(change_id), MAX(change_id) FROM changes").fetchone()
        return (int(row[0]), int(row[1])) if row and row[0] is not None else None

    def _select(self, where: str, params: tuple[Any, ...]) -> list[ChangeEntry]:
        with self._lock:
            cur = self._conn.execute(f"SELECT * FROM changes {where}", params)
            names = [d[0] for d in cur.description]
            rows = [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
            ids = [r["change_id"] for r in rows]
            undone: dict[int, list[int]] = {}
            if ids:
                marks = ", ".join("?" for _ in ids)
                for cid, of in self._conn.execute(
                    f"SELECT change_id, rollback_of FROM changes WHERE rollback_of IN ({marks}) ORDER BY change_id",
                    ids,
                ):
                    undone.setdefault(int(of), []).append(int(cid))
        out = []
        for r in rows:
            for col in _JSON_COLUMNS:
                if r[col] is not None:
                    r[col] = json.loads(r[col])
            r["rolled_back_by"] = undone.get(r["change_id"], [])
            out.append(ChangeEntry.model_validate(r))
        return out

    def close(self) -> None:
        with self._lock:
            self._conn.close()
