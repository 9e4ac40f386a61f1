"""Versioned prompts: every candidate a tuning run (or a person) makes, with its sha256, parent, the proposer's
reasoning and its scores per split and item; the active set is what runs use instead of the shipped files.

One SQLite file (`PromptStore`); every write is one transaction, so the active set is never half-written. The shipped
prompts are the default: a component has no active version until one is promoted, and promotion needs evidence (the
held-out gain's confidence interval, computed by the caller with `airloop.evaluation.stats.bootstrap_ci`) whose lower
end is above zero.

    store = PromptStore("runs/learning/prompts.sqlite")
    v = store.add("hybrid", {"hybrid.md": text}, parent=store.shipped("hybrid").id, proposer="rules",
                  reasoning="coverage short at night: keep neighbours of sleeping cells awake")
    store.set_scores(v.id, "dev", {"i001@0": 0.4, "i003@0": 0.1})
    store.promote(v.id, ci=(0.02, 0.11), evidence={...})     # refused (PromotionRefused) unless ci[0] > 0
    with use_prompts(store.overlay()): ...                    # the active set
"""

from __future__ import annotations

import difflib
import hashlib
import json
import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from airloop.prompts import PromptError, load_prompt

from ._db import StoreError, open_store

__all__ = ["COMPONENTS", "COMPONENT_STRATEGY", "PromotionRefused", "PromptStore", "PromptVersion", "SHIPPED"]

#: What each tunable component is: the prompt files it owns (what prompt refinement edits).
COMPONENTS: dict[str, tuple[str, ...]] = {
    "hybrid": ("hybrid.md",),
    "llm-direct": ("optimizer.md",),
    "react": ("react.md",),
    "planner": ("planner.md",),
}
#: The optimizer strategy a component's rollouts run (the planner's rollouts read the text with the LLM planner).
COMPONENT_STRATEGY: dict[str, str] = {"hybrid": "hybrid", "llm-direct": "llm-direct", "react": "llm-react",
                                      "planner": "heuristic"}
SHIPPED = "shipped"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS versions (id TEXT PRIMARY KEY, component TEXT NOT NULL, files TEXT NOT NULL,
    parent TEXT, proposer TEXT NOT NULL, reasoning TEXT NOT NULL DEFAULT '', created TEXT NOT NULL,
    meta TEXT NOT NULL DEFAULT '{}');
CREATE TABLE IF NOT EXISTS scores (version TEXT NOT NULL REFERENCES versions(id), split TEXT NOT NULL,
    item TEXT NOT NULL, score REAL NOT NULL, PRIMARY KEY (version, split, item));
CREATE TABLE IF NOT EXISTS active (component TEXT PRIMARY KEY, version TEXT NOT NULL REFERENCES versions(id));
CREATE TABLE IF NOT EXISTS events (id INTEGER PRIMARY KEY AUTOINCREMENT, time TEXT NOT NULL, component TEXT NOT NULL,
    action TEXT NOT NULL, version TEXT, previous TEXT, evidence TEXT NOT NULL DEFAULT '{}')
"""


class PromotionRefused(ValueError):
    """A promotion without the evidence it needs (the CI includes zero, no paired scores); nothing changed."""


@dataclass(frozen=True)
class PromptVersion:
    id: str  # sha256 over the component and its files' texts
    component: str
    files: dict[str, str]
    parent: str | None
    proposer: str  # "shipped", "rules", "llm:<model>", "manual", ...
    reasoning: str
    created: str
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def short(self) -> str:
        return self.id[:12]

    def sha256(self) -> dict[str, str]:
        return {f: hashlib.sha256(t.encode()).hexdigest() for f, t in self.files.items()}


def version_id(component: str, files: dict[str, str]) -> str:
    return hashlib.sha256(json.dumps({"component": component, "files": files}, sort_keys=True).encode()).hexdigest()


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _check_component(component: str) -> None:
    if component not in COMPONENTS:
        raise ValueError(f"unknown component {component!r}; choose one of {', '.join(COMPONENTS)}")


def shipped_files(component: str) -> dict[str, str]:
    """The component's files as the package ships them (never an overlay)."""
    _check_component(component)
    out = {}
    for f in COMPONENTS[component]:
        p = load_prompt(f.rsplit(".", 1)[0]).path
        out[f] = p.read_text(encoding="utf-8")
    return out


class PromptStore:
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._conn = open_store(self.path, "prompt store", _SCHEMA)

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> PromptStore:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    # ---------------------------------------------------------------------------------------------- versions
    def _row(self, r: tuple[Any, ...]) -> PromptVersion:
        return PromptVersion(id=r[0], component=r[1], files=json.loads(r[2]), parent=r[3], proposer=r[4],
                             reasoning=r[5], created=r[6], meta=json.loads(r[7]))

    def _tx(self) -> Any:
        return _Tx(self._conn)

    def add(self, component: str, files: dict[str, str], *, parent: str | None, proposer: str,
            reasoning: str = "", meta: dict[str, Any] | None = None) -> PromptVersion:
        """Store a candidate (idempotent: the same texts are the same version; the first record keeps its parent
        and reasoning). Every file must be one the component owns and keep the shipped file's placeholders."""
        _check_component(component)
        unknown = sorted(set(files) - set(COMPONENTS[component]))
        if unknown or not files:
            raise ValueError(f"component {component!r} owns {list(COMPONENTS[component])}; got {sorted(files)}")
        full = {**shipped_files(component), **files}
        for f, text in full.items():
            check_placeholders(f, text)
        vid = version_id(component, full)
        with self._tx():
            self._conn.execute("INSERT OR IGNORE INTO versions VALUES (?,?,?,?,?,?,?,?)",
                               (vid, component, json.dumps(full, sort_keys=True), parent, proposer, reasoning,
                                _now(), json.dumps(meta or {}, sort_keys=True)))
        return self.get(vid)

    def shipped(self, component: str) -> PromptVersion:
        """The shipped files as a version (registered on first use)."""
        return self.add(component, shipped_files(component), parent=None, proposer=SHIPPED,
                        reasoning="the package's prompt files")

    def get(self, ref: str, component: str | None = None) -> PromptVersion:
        """A version by id, unique id prefix (≥ 6 characters), or ``shipped`` / ``active`` (with `component`)."""
        if ref in (SHIPPED, "active"):
            if component is None:
                raise ValueError(f"{ref!r} needs a component ({', '.join(COMPONENTS)})")
            if ref == SHIPPED:
                return self.shipped(component)
            return self.active_version(component)
        if len(ref) < 6:
            raise KeyError(f"version {ref!r}: give at least 6 characters of its id (see `airloop prompts list`)")
        rows = self._conn.execute("SELECT * FROM versions WHERE id LIKE ?", (ref + "%",)).fetchall()
        if component is not None:
            rows = [r for r in rows if r[1] == component]
        if not rows:
            raise KeyError(f"no prompt version {ref!r} in {self.path}")
        if len(rows) > 1:
            raise KeyError(f"version {ref!r} is ambiguous ({len(rows)} versions start with it); give more of it")
        return self._row(rows[0])

    def versions(self, component: str | None = None) -> list[PromptVersion]:
        q = "SELECT * FROM versions" + (" WHERE component = ?" if component else "") + " ORDER BY created, id"
        return [self._row(r) for r in self._conn.execute(q, (component,) if component else ())]

    # ---------------------------------------------------------------------------------------------- scores
    def set_scores(self, version: str, split: str, scores: dict[str, float]) -> None:
        """Record per-item scores (item = ``<intent>@<seed>``) of a version on a split (replacing earlier ones)."""
        with self._tx():
            for item, s in scores.items():
                self._conn.execute("INSERT OR REPLACE INTO scores VALUES (?,?,?,?)", (version, split, item, float(s)))

    def scores(self, version: str, split: str | None = None) -> dict[str, dict[str, float]]:
        """``{split: {item: score}}``."""
        out: dict[str, dict[str, float]] = {}
        q = "SELECT split, item, score FROM scores WHERE version = ?" + (" AND split = ?" if split else "")
        for sp, item, s in self._conn.execute(q, (version, split) if split else (version,)):
            out.setdefault(sp, {})[item] = s
        return out

    def paired(self, version: str, reference: str, split: str) -> list[tuple[str, float, float]]:
        """(item, candidate score, reference score) for the items both were scored on, sorted by item."""
        a = self.scores(version, split).get(split, {})
        b = self.scores(reference, split).get(split, {})
        return [(k, a[k], b[k]) for k in sorted(set(a) & set(b))]

    # ---------------------------------------------------------------------------------------------- active set
    def active(self) -> dict[str, str]:
        """``{component: version id}`` for the promoted components (the others run the shipped prompts)."""
        return dict(self._conn.execute("SELECT component, version FROM active").fetchall())

    def active_version(self, component: str) -> PromptVersion:
        vid = self.active().get(component)
        return self.get(vid) if vid else self.shipped(component)

    def overlay(self) -> dict[str, str]:
        """The active set's files, for `airloop.prompts.use_prompts` (empty when nothing is promoted)."""
        out: dict[str, str] = {}
        for vid in self.active().values():
            out.update(self.get(vid).files)
        return out

    def promote(self, ref: str, *, ci: tuple[float, float], evidence: dict[str, Any]) -> PromptVersion:
        """Make a version the active one for its component, only when the held-out gain's CI lies above zero."""
        v = self.get(ref)
        lo, hi = ci
        if not lo > 0:
            raise PromotionRefused(f"not promoted: the held-out gain's CI [{lo:+.4f}, {hi:+.4f}] "
                                   f"{'includes zero' if lo <= 0 <= hi else 'lies below zero'}; the active set is "
                                   "unchanged")
        with self._tx():
            prev = self._conn.execute("SELECT version FROM active WHERE component = ?", (v.component,)).fetchone()
            self._conn.execute("INSERT OR REPLACE INTO active VALUES (?, ?)", (v.component, v.id))
            self._conn.execute("INSERT INTO events (time, component, action, version, previous, evidence) "
                               "VALUES (?,?,?,?,?,?)", (_now(), v.component, "promote", v.id,
                                                        prev[0] if prev else None,
                                                        json.dumps({**evidence, "ci": [lo, hi]}, default=str)))
        return v

    def rollback(self, component: str) -> PromptVersion:
        """Undo the component's last promotion: back to the version active before it (the shipped prompts when
        there was none). Raises ValueError when the component runs the shipped prompts already."""
        _check_component(component)
        with self._tx():
            cur = self._conn.execute("SELECT version FROM active WHERE component = ?", (component,)).fetchone()
            if cur is None:
                raise ValueError(f"{component} runs the shipped prompts; nothing to roll back")
            last = self._conn.execute(
                "SELECT previous FROM events WHERE component = ? AND action = 'promote' AND version = ? "
                "ORDER BY id DESC LIMIT 1", (component, cur[0])).fetchone()
            prev = last[0] if last else None
            if prev is None:
                self._conn.execute("DELETE FROM active WHERE component = ?", (component,))
            else:
                self._conn.execute("UPDATE active SET version = ? WHERE component = ?", (prev, component))
            self._conn.execute("INSERT INTO events (time, component, action, version, previous, evidence) "
                               "VALUES (?,?,?,?,?,'{}')", (_now(), component, "rollback", prev, cur[0]))
        return self.active_version(component)

    def events(self, component: str | None = None) -> list[dict[str, Any]]:
        q = "SELECT time, component, action, version, previous, evidence FROM events" + (
            " WHERE component = ?" if component else "") + " ORDER BY id"
        return [{"time": t, "component": c, "action": a, "version": v, "previous": p, "evidence": json.loads(e)}
                for t, c, a, v, p, e in self._conn.execute(q, (component,) if component else ())]

    def diff(self, a: str, b: str, component: str | None = None) -> str:
        va, vb = self.get(a, component), self.get(b, component)
        out: list[str] = []
        for f in sorted(set(va.files) | set(vb.files)):
            out += difflib.unified_diff(va.files.get(f, "").splitlines(keepends=True),
                                        vb.files.get(f, "").splitlines(keepends=True),
                                        fromfile=f"{va.short}/{f}", tofile=f"{vb.short}/{f}")
        return "".join(out)


class _Tx:
    """BEGIN IMMEDIATE … COMMIT (ROLLBACK on an exception)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def __enter__(self) -> None:
        self.conn.execute("BEGIN IMMEDIATE")

    def __exit__(self, exc_type: Any, *_: Any) -> None:
        self.conn.execute("ROLLBACK" if exc_type else "COMMIT")


def check_placeholders(file: str, text: str) -> None:
    """A prompt's ``{placeholders}`` must be the shipped file's (code fills exactly those): raises PromptError."""
    from airloop.prompts import Prompt
    from airloop.prompts import load_prompt as _load

    if not file.endswith(".md"):
        return
    shipped = _load(file[:-3])
    want = set(Prompt(name=shipped.name, text=shipped.path.read_text(encoding="utf-8"), sha256="",
                      path=shipped.path).placeholders)
    have = set(Prompt(name=shipped.name, text=text, sha256="", path=shipped.path).placeholders)
    if want != have:
        raise PromptError(f"{file}: the text's placeholders {sorted(have)} differ from the shipped file's "
                          f"{sorted(want)}; code fills exactly those")


__all__ += ["StoreError", "check_placeholders", "shipped_files", "version_id"]
