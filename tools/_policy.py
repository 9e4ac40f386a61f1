"""Guardrail policy: what any apply may change, by how much, and which KPI floor it must keep.

A policy is a user-editable YAML or TOML file (see ``default_policy.yaml``). It is enforced by `NetworkSession` below
every agent, so no prompt can override it. The simulator's physical limits still apply underneath; a policy is tighter.
"""

from __future__ import annotations

import hashlib
import json
import math
import tomllib
from collections.abc import Iterable, Sequence
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import yaml
from airloop.simulator.types import SLICES, CellChange, NetworkConfig
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

_EPS = 1e-9

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
