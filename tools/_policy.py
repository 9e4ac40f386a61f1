"""Guardrail policy: what any apply may change, by how much, and which KPI floor it must keep.

A policy is a user-editable YAML or TOML file (see ``default_policy.yaml``). It is enforced by `NetworkSession` below
every agent, so no prompt can override it. The simulator's physical limits still apply underneath; a policy is tighter.
"""

from __future__ import annotations

import hashlib
import json
import math
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import yaml
from airloop.simulator.types import KNOB_NAMES, SLICES, CellChange, NetworkConfig
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

_EPS = 1e-9

NUMERIC_KNOBS: tuple[str, ...] = ("tx_power_dbm", "tilt_deg", "cio_db")
#: Knob resolution: projected values are rounded to it (engineering resolution; also makes search results cacheable).
KNOB_RESOLUTION: dict[str, float] = {"tx_power_dbm": 0.1, "tilt_deg": 0.1, "cio_db": 0.1}
#: Slice shares are rounded to this many digits.
SHARE_DIGITS = 4
#: Smaller moves than these are no-ops and dropped by `Policy.project`.
_NOOP = {"tx_power_dbm": 0.05, "tilt_deg": 0.05, "cio_db": 0.05, "slice_shares": 0.005}

RuleName = Literal[
    "knob_not_allowed",
    "knob_range",
    "max_step",
    "protected_cell",
    "min_active_cells",
    "max_cells_per_apply",
    "coverage_floor",
]


class KnobRange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    min: float
    max: float

    @model_validator(mode="after")
    def _ordered(self) -> KnobRange:
        if not (math.isfinite(self.min) and math.isfinite(self.max)) or self.min > self.max:
            raise ValueError(f"range needs finite min <= max, got [{self.min}, {self.max}]")
        return self


class KnobRule(BaseModel):
    """Allowed range and largest change per apply of one numeric knob; `per_class` overrides the range by cell class."""

    model_config = ConfigDict(extra="forbid")

    min: float
    max: float
    max_step: float | None = Field(default=None, ge=0)
    per_class: dict[Literal["macro", "micro"], KnobRange] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _ordered(self) -> KnobRule:
        KnobRange(min=self.min, max=self.max)
        return self

    def range_for(self, cell_class: str) -> tuple[float, float]:
        r = self.per_class.get(cell_class)  # type: ignore[call-overload]
        return (r.min, r.max) if r is not None else (self.min, self.max)


class ActiveRule(BaseModel):
    model_config = ConfigDict(extra="forbid")

    allowed: bool = True


class Knobs(BaseModel):
    model_config = ConfigDict(extra="forbid")

    tx_power_dbm: KnobRule
    tilt_deg: KnobRule
    cio_db: KnobRule
    slice_shares: KnobRule = KnobRule(min=0.0, max=1.0)
    active: ActiveRule = ActiveRule()


class PolicyViolation(BaseModel):
    """One refused part of a change: which rule, where, the offending value and what is allowed."""

    rule: RuleName
    cell: int | None = None
    field: str | None = None
    value: Any = None
    allowed: Any = None
    message: str


class Policy(BaseModel):
    """Guardrails every apply must pass. Build with `Policy.default()` or `load_policy(path)`."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = "custom"
    knobs: Knobs
    min_active_share: float = Field(default=0.5, ge=0.0, le=1.0)
    min_active_cells: int = Field(default=1, ge=0)
    protected_cells: list[int] = Field(default_factory=list)
    coverage_floor: float = Field(default=0.9, ge=0.0, le=1.0)
    max_cells_per_apply: int = Field(default=20, ge=1)

    @classmethod
    def default(cls) -> Policy:
        text = resources.files("airloop.tools").joinpath("default_policy.yaml").read_text(encoding="utf-8")
        return cls.model_validate(yaml.safe_load(text))

    def digest(self) -> str:
        """sha256 of the canonical JSON form: names the exact policy in the change log."""
        return hashlib.sha256(json.dumps(self.model_dump(mode="json"), sort_keys=True).encode()).hexdigest()

    def min_active(self, n_cells: int) -> int:
        return max(self.min_active_cells, math.ceil(self.min_active_share * n_cells - _EPS))

    def summary(self) -> dict[str, Any]:
        """A compact form for tool outputs."""
        k = self.knobs
        out: dict[str, Any] = {"name": self.name}
        for knob in ("tx_power_dbm", "tilt_deg", "cio_db"):
            rule: KnobRule = getattr(k, knob)
            entry: dict[str, Any] = {"range": [rule.min, rule.max], "max_step": rule.max_step}
            if rule.per_class:
                entry["per_class"] = {c: [r.min, r.max] for c, r in rule.per_class.items()}
            out[knob] = entry
        out["slice_share_range"] = [k.slice_shares.min, k.slice_shares.max]
        out["sleep_allowed"] = k.active.allowed
        out["min_active_share"] = self.min_active_share
        out["protected_cells"] = self.protected_cells
        out["coverage_floor"] = self.coverage_floor
        out["max_cells_per_apply"] = self.max_cells_per_apply
        return out

    def allowed_now(self, config: NetworkConfig, cell: int) -> dict[str, Any]:
        """What an apply may set on `cell` now: the policy range intersected with the step limit from its value."""
        c = config.cell(cell)
        out: dict[str, Any] = {}
        for knob in ("tx_power_dbm", "tilt_deg", "cio_db"):
            rule: KnobRule = getattr(self.knobs, knob)
            lo, hi = rule.range_for(c.cell_class)
            cur = float(getattr(c, knob))
            if rule.max_step is not None:
                lo, hi = max(lo, cur - rule.max_step), min(hi, cur + rule.max_step)
            out[knob] = [round(lo, 3), round(hi, 3)] if lo <= hi + _EPS else None
        if not self.knobs.active.allowed:
            out["active"] = [c.active]
        elif cell in self.protected_cells:
            out["active"] = [True]
        else:
            out["active"] = [True, False]
        return out


    # -- projection: repairing a candidate onto the policy ----------------------------------------------------------

    def share_ranges_now(self, config: NetworkConfig, cell: int) -> dict[str, tuple[float, float]] | None:
        """Per-slice share ranges an apply may set on `cell` now (policy range ∩ max step); None when no shares
        summing to 1 fit them (the shares are frozen)."""
        rule = self.knobs.slice_shares
        cfg = config.cell(cell)
        out = {}
        for s in SLICES:
            cur = float(cfg.slice_shares.get(s, 0.0))
            lo, hi = rule.min, rule.max
            if rule.max_step is not None:
                lo, hi = max(lo, cur - rule.max_step), min(hi, cur + rule.max_step)
            out[s] = (lo, hi)
        fits = all(lo <= hi + _EPS for lo, hi in out.values()) and \
            sum(lo for lo, _ in out.values()) <= 1 + _EPS <= sum(hi for _, hi in out.values()) + 2 * _EPS
        return out if fits else None

    def cell_now(self, config: NetworkConfig, cell: int, knobs: Iterable[str] = KNOB_NAMES) -> CellNow:
        """What an apply may set on `cell` now, for the given knobs (others are frozen)."""
        knobs = set(knobs)
        cfg = config.cell(cell)
        allowed = self.allowed_now(config, cell)
        return CellNow(
            active=bool(cfg.active),
            current={k: float(getattr(cfg, k)) for k in NUMERIC_KNOBS},
            shares={s: float(cfg.slice_shares.get(s, 0.0)) for s in SLICES},
            ranges={k: (float(allowed[k][0]), float(allowed[k][1])) for k in NUMERIC_KNOBS
                    if k in knobs and allowed.get(k) is not None and allowed[k][1] - allowed[k][0] > _EPS},
            share_ranges=self.share_ranges_now(config, cell) if "slice_shares" in knobs else None,
            can_sleep="active" in knobs and cfg.active and False in allowed["active"],
            can_wake="active" in knobs and not cfg.active and True in allowed["active"],
        )

    def step_limit(self, knob: str) -> float:
        """The largest move of a knob per apply (the range width when the policy sets no step limit)."""
        rule: KnobRule = getattr(self.knobs, knob)
        return float(rule.max_step if rule.max_step is not None else rule.max - rule.min)

    def project(self, changes: Iterable[CellChange | Mapping[str, Any]], config: NetworkConfig, *,
                cells: Iterable[int] | None = None, knobs: Iterable[str] | None = None,
                busy: Mapping[int, Sequence[float]] | None = None) -> list[CellChange]:
        """Repair a candidate onto this policy: keep only `cells` and `knobs` (default: all), clamp every value into
        what may be set now (`allowed_now`, `share_ranges_now`), round to `KNOB_RESOLUTION`, drop no-ops and malformed
        items, never sleep a protected cell, keep the active minimum (undoing the sleeps of the busiest cells first:
        `busy` maps a cell to a sort key such as (PRB load, users), larger = busier) and at most `max_cells_per_apply` cells (the largest changes first). The result passes
        `check_changes`; sorted by cell. Every strategy and the Gym environment propose only what this returns.
        """
        space = _Projection(self, config, cells, knobs, busy)
        return space.project(changes)

    # -- checks ---------------------------------------------------------------------------------------------------

    def check_changes(self, changes: Sequence[CellChange], config: NetworkConfig) -> list[PolicyViolation]:
        """Every rule that needs no simulation. `changes` are assumed physically valid (validated by the Network)."""
        out: list[PolicyViolation] = []
        touched = {ch.cell for ch in changes}
        if len(touched) > self.max_cells_per_apply:
            out.append(
                PolicyViolation(
                    rule="max_cells_per_apply",
                    value=len(touched),
                    allowed=self.max_cells_per_apply,
                    message=f"policy allows at most {self.max_cells_per_apply} cells per apply, "
                    f"this change touches {len(touched)}; split it into smaller applies",
                )
            )
        for ch in changes:
            out.extend(self._check_cell(ch, config))
        out.extend(self._check_active_count(changes, config))
        return out

    def _check_cell(self, ch: CellChange, config: NetworkConfig) -> Iterable[PolicyViolation]:
        cur = config.cell(ch.cell)
        for knob in ("tx_power_dbm", "tilt_deg", "cio_db"):
            new = getattr(ch, knob)
            if new is None:
                continue
            rule: KnobRule = getattr(self.knobs, knob)
            lo, hi = rule.range_for(cur.cell_class)
            if not (lo - _EPS <= new <= hi + _EPS):
                yield PolicyViolation(
                    rule="knob_range",
                    cell=ch.cell,
                    field=knob,
                    value=new,
                    allowed=[lo, hi],
                    message=f"cell {ch.cell} ({cur.cell_class}): {knob}={new:g} is outside the policy range "
                    f"[{lo:g}, {hi:g}]",
                )
            old = float(getattr(cur, knob))
            if rule.max_step is not None and abs(new - old) > rule.max_step + _EPS:
                yield PolicyViolation(
                    rule="max_step",
                    cell=ch.cell,
                    field=knob,
                    value=new,
                    allowed=[round(old - rule.max_step, 6), round(old + rule.max_step, 6)],
                    message=f"cell {ch.cell}: {knob} may move at most {rule.max_step:g} per apply "
                    f"(now {old:g}, asked {new:g}); change it in several applies",
                )
        if ch.slice_shares is not None:
            rule = self.knobs.slice_shares
            for s in SLICES:
                share = ch.slice_shares.get(s)  # type: ignore[call-overload]
                if share is None:
                    continue
                if not (rule.min - _EPS <= share <= rule.max + _EPS):
                    yield PolicyViolation(
                        rule="knob_range",
                        cell=ch.cell,
                        field=f"slice_shares.{s}",
                        value=share,
                        allowed=[rule.min, rule.max],
                        message=f"cell {ch.cell}: {s} share {share:g} is outside the policy range "
                        f"[{rule.min:g}, {rule.max:g}]",
                    )
                old = float(cur.slice_shares.get(s, 0.0))
                if rule.max_step is not None and abs(share - old) > rule.max_step + _EPS:
                    yield PolicyViolation(
                        rule="max_step",
                        cell=ch.cell,
                        field=f"slice_shares.{s}",
                        value=share,
                        allowed=[round(old - rule.max_step, 6), round(old + rule.max_step, 6)],
                        message=f"cell {ch.cell}: the {s} share may move at most {rule.max_step:g} per apply "
                        f"(now {old:g}, asked {share:g})",
                    )
        if ch.active is not None and ch.active != cur.active:
            if not self.knobs.active.allowed:
                yield PolicyViolation(
                    rule="knob_not_allowed",
                    cell=ch.cell,
                    field="active",
                    value=ch.active,
                    allowed=[cur.active],
                    message="this policy forbids putting cells to sleep or waking them (knobs.active.allowed: false)",
                )
            elif ch.active is False and ch.cell in self.protected_cells:
                yield PolicyViolation(
                    rule="protected_cell",
                    cell=ch.cell,
                    field="active",
                    value=False,
                    allowed=[True],
                    message=f"cell {ch.cell} is protected by the policy and may never sleep; choose another cell",
                )

    def _check_active_count(self, changes: Sequence[CellChange], config: NetworkConfig) -> Iterable[PolicyViolation]:
        active = {c.cell: c.active for c in config.cells}
        before = sum(active.values())
        for ch in changes:
            if ch.active is not None:
                active[ch.cell] = ch.active
        after = sum(active.values())
        need = self.min_active(len(config.cells))
        # A network already below the minimum may still be changed, as long as the change does not sleep more cells.
        if after < need and after < before:
            yield PolicyViolation(
                rule="min_active_cells",
                field="active",
                value=after,
                allowed=need,
                message=f"the policy keeps at least {need} of {len(config.cells)} cells active "
                f"(min_active_share {self.min_active_share:g}); this change would leave {after}",
            )

    def check_coverage(self, pairs: Sequence[tuple[int | None, float, float]]) -> list[PolicyViolation]:
        """The coverage floor in a what-if. `pairs` holds (hour or None for the horizon mean, before, after).

        Every hour of the horizon must keep the floor, not just the mean (a night hour may fail while the mean
        passes). A value already below the floor and not lowered further passes: refusing it would also block the
        changes that repair coverage.
        """
        bad = [(h, b, a) for h, b, a in pairs if a < self.coverage_floor - _EPS and a < b - _EPS]
        if not bad:
            return []
        hour, before, worst = min(bad, key=lambda t: t[2])
        where = f" at hour {hour}" if hour is not None else ""
        return [
            PolicyViolation(
                rule="coverage_floor",
                field="coverage",
                value=round(worst, 4),
                allowed=[self.coverage_floor, 1.0],
                message=f"the what-if drops coverage to {worst:.4f}{where}, below the policy floor "
                f"{self.coverage_floor:g} (before: {before:.4f}); change fewer or other cells",
            )
        ]


class PolicyFileError(ValueError):
    """A policy file that cannot be read or does not match the policy schema."""


def load_policy(path: str | Path) -> Policy:
    """Read a policy from a YAML (.yaml/.yml) or TOML (.toml) file; unknown keys are errors (typos must not pass)."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise PolicyFileError(f"cannot read policy file {p}: {exc}") from exc
    try:
        data = tomllib.loads(text) if p.suffix.lower() == ".toml" else yaml.safe_load(text)
    except (tomllib.TOMLDecodeError, yaml.YAMLError) as exc:
        raise PolicyFileError(f"policy file {p} is not valid {p.suffix.lstrip('.') or 'YAML'}: {exc}") from exc
    if not isinstance(data, dict):
        raise PolicyFileError(f"policy file {p} must hold a mapping of policy keys")
    data.setdefault("name", p.stem)
    try:
        return Policy.model_validate(data)
    except ValidationError as exc:
        raise PolicyFileError(f"policy file {p} does not match the policy schema:\n{exc}") from exc


@dataclass(frozen=True)
class CellNow:
    """What an apply may do to one cell now (`Policy.cell_now`): its knobs, and the ranges the policy allows."""

    active: bool
    current: dict[str, float]  # tx_power_dbm, tilt_deg, cio_db
    shares: dict[str, float]
    ranges: dict[str, tuple[float, float]]  # numeric knob -> allowed now (policy range ∩ max step); absent = frozen
    share_ranges: dict[str, tuple[float, float]] | None  # per slice; None = shares frozen
    can_sleep: bool
    can_wake: bool


class _Projection:
    """`Policy.project` for one config: each cell's allowed values now, and the repair steps."""

    def __init__(self, policy: Policy, config: NetworkConfig, cells: Iterable[int] | None,
                 knobs: Iterable[str] | None, busy: Mapping[int, Sequence[float]] | None) -> None:
        n = len(config.cells)
        self.policy = policy
        self.config = config
        self.knobs = list(KNOB_NAMES) if knobs is None else [k for k in KNOB_NAMES if k in set(knobs)]
        if "active" in self.knobs and not policy.knobs.active.allowed:
            self.knobs.remove("active")
        self.max_cells_per_apply = policy.max_cells_per_apply
        self.min_active = policy.min_active(n)
        self.active_now = sum(1 for c in config.cells if c.active)
        self.info = {c: policy.cell_now(config, c, self.knobs)
                     for c in (range(n) if cells is None else [c for c in cells if 0 <= c < n])}
        self.busy = {c: tuple(busy.get(c, ())) if busy is not None else () for c in self.info}

    def max_step(self, knob: str) -> float:
        return self.policy.step_limit(knob)

    def project(self, changes: Iterable[CellChange | Mapping[str, Any]]) -> list[CellChange]:
        """Repair a candidate onto the policy: keep only the space's cells and knobs, clamp every value into what may
        be set now, round to `KNOB_RESOLUTION`, drop no-ops, never sleep a protected cell, keep at least the active
        minimum (the highest-load sleeps are undone first) and at most `max_cells_per_apply` cells (the largest
        changes first). Malformed items are dropped. The result passes `Policy.check_changes`; sorted by cell.
        """
        merged: dict[int, dict[str, Any]] = {}
        for raw in changes:
            ch = _as_change(raw)
            if ch is None or ch.cell not in self.info:
                continue
            knobs = merged.setdefault(ch.cell, {})
            for k, v in ch.knobs().items():
                if k in self.knobs and k not in knobs:  # the first value given for a knob wins
                    knobs[k] = v
        out: dict[int, dict[str, Any]] = {}
        for c, knobs in merged.items():
            fixed = self._project_cell(self.info[c], knobs)
            if fixed:
                out[c] = fixed
        self._keep_min_active(out)
        kept = sorted(out, key=lambda c: (-self._magnitude(c, out[c]), c))[: self.max_cells_per_apply]
        result = [CellChange.model_validate({"cell": c, **out[c]}) for c in sorted(kept)]
        return self._final_check(result)

    def _project_cell(self, ci: CellNow, knobs: dict[str, Any]) -> dict[str, Any]:
        fixed: dict[str, Any] = {}
        if "active" in knobs and isinstance(knobs["active"], bool) and knobs["active"] != ci.active:
            if (knobs["active"] is False and ci.can_sleep) or (knobs["active"] is True and ci.can_wake):
                fixed["active"] = knobs["active"]
        asleep_after = fixed.get("active", ci.active) is False
        for k in NUMERIC_KNOBS:
            v = knobs.get(k)
            if v is None or k not in ci.ranges or asleep_after or isinstance(v, bool):
                continue
            try:
                x = float(v)
            except (TypeError, ValueError):
                continue
            if not math.isfinite(x):
                continue
            lo, hi = ci.ranges[k]
            step = KNOB_RESOLUTION[k]
            x = min(max(round(x / step) * step, lo), hi)
            x = round(x, 6)
            if abs(x - ci.current[k]) >= _NOOP[k]:
                fixed[k] = x
        if "slice_shares" in knobs and ci.share_ranges is not None and not asleep_after:
            shares = project_shares(knobs["slice_shares"], ci.share_ranges)
            if shares is not None and max(abs(shares[s] - ci.shares[s]) for s in SLICES) >= _NOOP["slice_shares"]:
                fixed["slice_shares"] = shares
        return fixed

    def _keep_min_active(self, out: dict[int, dict[str, Any]]) -> None:
        sleeps = [c for c, k in out.items() if k.get("active") is False]
        wakes = sum(1 for k in out.values() if k.get("active") is True)
        # The policy refuses only a change that leaves fewer than the minimum *and* fewer than before.
        allowed = max(self.active_now + wakes - self.min_active, wakes, 0)
        for c in sorted(sleeps, key=lambda c: (*(-x for x in self.busy[c]), -c))[: max(0, len(sleeps) - allowed)]:
            del out[c]["active"]
            if not out[c]:
                del out[c]

    def _magnitude(self, cell: int, knobs: dict[str, Any]) -> float:
        ci = self.info[cell]
        m = 0.0
        for k, v in knobs.items():
            if k == "active":
                m = max(m, 2.0)  # a sleep or a wake is the largest change a cell can take
            elif k == "slice_shares":
                m = max(m, max(abs(v[s] - ci.shares[s]) for s in SLICES) / max(self.max_step(k), _EPS))
            else:
                m = max(m, abs(v - ci.current[k]) / max(self.max_step(k), _EPS))
        return m

    def _final_check(self, changes: list[CellChange]) -> list[CellChange]:
        # Belt and braces: what the policy still refuses (it should be nothing) is dropped, knob by knob.
        for _ in range(4):
            violations = self.policy.check_changes(changes, self.config)
            if not violations:
                return changes
            by_cell = {c.cell: c.knobs() for c in changes}
            for v in violations:
                if v.cell is not None and v.field and v.cell in by_cell:
                    by_cell[v.cell].pop(v.field.split(".")[0], None)
                elif v.rule == "min_active_cells":
                    for c in sorted(by_cell, key=lambda c: tuple(-x for x in self.busy[c])):
                        if by_cell[c].get("active") is False:
                            by_cell[c].pop("active")
                            break
                elif v.rule == "max_cells_per_apply":
                    for c in sorted(by_cell)[self.max_cells_per_apply:]:
                        by_cell[c] = {}
            changes = [CellChange.model_validate({"cell": c, **k}) for c, k in sorted(by_cell.items()) if k]
        return changes if not self.policy.check_changes(changes, self.config) else []


def project_shares(raw: Any, ranges: Mapping[str, tuple[float, float]]) -> dict[str, float] | None:
    """Slice shares closest to `raw` (by a common offset) inside per-slice `ranges` and summing to 1; None when `raw`
    is not a mapping of finite numbers or the ranges admit no such shares."""
    if not isinstance(raw, Mapping):
        return None
    target = {}
    for s in SLICES:
        v = raw.get(s, 0.0)
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(float(v)):
            return None
        target[s] = float(v)
    if sum(lo for lo, _ in ranges.values()) > 1 + _EPS or sum(hi for _, hi in ranges.values()) < 1 - _EPS:
        return None

    def total(t: float) -> float:
        return sum(min(max(target[s] + t, ranges[s][0]), ranges[s][1]) for s in SLICES)

    a, b = -2.0, 2.0
    for _ in range(60):  # bisection on the common offset t: total(t) is non-decreasing
        mid = (a + b) / 2
        if total(mid) < 1.0:
            a = mid
        else:
            b = mid
    shares = {s: round(min(max(target[s] + b, ranges[s][0]), ranges[s][1]), SHARE_DIGITS) for s in SLICES}
    # Put the rounding residue on the slice with the most room, so that the shares sum to 1 within 1e-6.
    residue = round(1.0 - sum(shares.values()), SHARE_DIGITS + 2)
    if residue:
        s = max(SLICES, key=lambda s: (ranges[s][1] - shares[s]) if residue > 0 else (shares[s] - ranges[s][0]))
        shares[s] = round(shares[s] + residue, SHARE_DIGITS + 2)
    return shares



def _as_change(raw: Any) -> CellChange | None:
    if isinstance(raw, CellChange):
        return raw
    if not isinstance(raw, Mapping):
        return None
    clean = {k: v for k, v in raw.items() if v is not None}
    try:
        return CellChange.model_validate(clean)
    except (ValueError, TypeError):
        return None
