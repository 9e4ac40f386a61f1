"""SQLite for the learning stores: one file each, WAL, transactions, and a clear error for a file that is not the
store it should be (nothing is overwritten or deleted then)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

__all__ = ["StoreError", "open_store"]


class StoreError(ValueError):
    """A learning store that cannot be used (corrupt, another kind of file, a newer schema); nothing was changed."""


def open_store(path: str | Path, kind: str, schema: str, version: int = 1) -> sqlite3.Connection:
    """Open (or create) the store at `path`: `kind` names it in errors and in its ``meta`` table; `schema` is the
    CREATE statements. A file that is not an SQLite database, fails the integrity check or holds another kind of
    store raises `StoreError` and is left as it was."""
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    existed = p.exists() and p.stat().st_size > 0
    conn = sqlite3.connect(p, timeout=30, isolation_level=None)  # autocommit; transactions are explicit
    try:
        if existed:
            ok = conn.execute("PRAGMA quick_check").fetchone()
            if not ok or ok[0] != "ok":
                raise StoreError(f"{p}: the {kind} failed SQLite's integrity check ({ok[0] if ok else '?'}); it "
                                 "was left untouched: move it aside (or restore a copy) and run again")
            names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            if names and "meta" not in names:
                raise StoreError(f"{p} is an SQLite file but not an airloop {kind}; it was left untouched")
            if "meta" in names:
                row = conn.execute("SELECT value FROM meta WHERE key='kind'").fetchone()
                if row is None or row[0] != kind:
                    raise StoreError(f"{p} holds {row[0] if row else 'an unknown store'!r}, not a {kind}; it was "
                                     "left untouched")
                v = conn.execute("SELECT value FROM meta WHERE key='version'").fetchone()
                if v is not None and int(v[0]) > version:
                    raise StoreError(f"{p}: {kind} schema version {v[0]} is newer than this airloop's ({version})")
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        for stmt in (s.strip() for s in schema.split(";")):
            if stmt:
                conn.execute(stmt)
        conn.execute("INSERT OR IGNORE INTO meta VALUES ('kind', ?)", (kind,))
        conn.execute("INSERT OR IGNORE INTO meta VALUES ('version', ?)", (str(version),))
        conn.execute("COMMIT")
    except sqlite3.DatabaseError as e:
        conn.close()
        raise StoreError(f"{p} is not a readable {kind} ({e}); it was left untouched: move it aside (or restore a "
                         "copy) and run again") from None
    except StoreError:
        conn.close()
        raise
    return conn
