"""The search space every strategy shares: which cells and knobs an intent may move, where each knob may go now, and
`SearchSpace.project`, which repairs any candidate onto the guardrail policy.

Every strategy proposes only what `project` returns, so a proposal never fails the policy's static rules
(`Policy.check_changes`): ranges and step limits (`Policy.allowed_now`), protected cells, the minimum of active cells
and the most cells per apply. The coverage floor needs a what-if and is left to the evaluator.

Cell rankings (`RANK_RULES`) and structured moves (`SearchSpace.sleep`, `SearchSpace.shift`, ...) are the vocabulary of
the heuristic and hybrid strategies: "sleep the k lowest-load cells", "a uniform tilt delta on the weakest cells".
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from airloop.simulator import CellChange
from airloop.simulator.energy import EARTH
from airloop.simulator.types import SLICES, NetworkConfig
from airloop.tools import NetworkSession, Policy

from ..intent import Intent

NUMERIC_KNOBS: tuple[str, ...] = ("tx_power_dbm", "tilt_deg", "cio_db")
#: Knob resolution: candidates are rounded to it (engineering resolution; also makes search results cacheable).
KNOB_RESOLUTION: dict[str, float] = {"tx_power_dbm": 0.1, "tilt_deg": 0.1, "cio_db": 0.1}
SHARE_DIGITS = 4
_NOOP = {"tx_power_dbm": 0.05, "tilt_deg": 0.05, "cio_db": 0.05, "slice_shares": 0.005}
_EPS = 1e-9

RankRule = Literal[
    "lowest_load", "highest_load", "fewest_users", "most_users", "weakest_coverage", "spread_low_load",
    "sleep_savings", "neighbours_of_sleeping", "all",
]
#: How a move picks its cells. ``spread_low_load`` is lowest load first, but a cell whose neighbours were already
#: picked moves down the list, so that sleeps spread over sites instead of opening one hole. ``sleep_savings`` is the
#: most power saved by sleeping per unit of load (a HetNet's macro cells before its micro cells), spread the same way.
#: ``neighbours_of_sleeping`` is dynamic: the active neighbours of the cells the same candidate puts to sleep.
RANK_RULES: tuple[str, ...] = (
    "lowest_load", "highest_load", "fewest_users", "most_users", "weakest_coverage", "spread_low_load",
    "sleep_savings", "neighbours_of_sleeping", "all",
)


def sleep_power_w(cell_class: str) -> float:
    """A sleeping cell's draw by the EARTH model (Auer et al. 2011, Table 2): P_sleep per TRX times the cell's TRX (a
    macro cell is one sector with 2 of its site's 6 TRX, a micro cell has 2), as the simulator counts them."""
    p = EARTH[cell_class]
    return p.p_sleep_w * (p.n_trx / 3.0 if cell_class == "macro" else p.n_trx)


@dataclass(frozen=True)
class CellSpace:
    """One cell of the space: its knobs now, what the policy lets an apply set now, and what a ranking reads."""

    cell: int
    cell_class: str
    active: bool
    current: dict[str, float]  # tx_power_dbm, tilt_deg, cio_db
    shares: dict[str, float]
    ranges: dict[str, tuple[float, float]]  # numeric knob -> allowed now (policy range ∩ max step); absent = frozen
    share_ranges: dict[str, tuple[float, float]] | None  # per slice; None = shares frozen
    can_sleep: bool
    can_wake: bool
    load: float
    users: int
    coverage: float
    power_w: float
    neighbours: tuple[int, ...]


@dataclass
class SearchSpace:
    """Cells, knobs and per-cell ranges an intent may use now, and the policy's counting rules."""

    cells: list[int]
    knobs: list[str]
    info: dict[int, CellSpace]
    protected: frozenset[int]
    min_active: int
    max_cells_per_apply: int
    n_cells: int
    active_now: int
    policy: Policy
    config: NetworkConfig
    notes: list[str] = field(default_factory=list)

    # -- construction -------------------------------------------------------------------------------------------------

    @classmethod
    def build(cls, session: NetworkSession, intent: Intent) -> SearchSpace:
        """The space of `intent` on `session`'s network now (read under the session's lock; nothing is mutated)."""
        policy = session.policy
        with session.lock:
            net = session.network
            config = net.config
            table = net.cell_table()
            per_cell = net.kpis().per_cell
        n = len(config.cells)
        notes: list[str] = []
        if intent.cells is None:
            cells = list(range(n))
        else:
            cells = [c for c in intent.cells if 0 <= c < n]
            if len(cells) != len(intent.cells):
                notes.append(f"cells {sorted(set(intent.cells) - set(cells))} are not in this network (0..{n - 1})")
        knobs = list(intent.knobs) if intent.knobs is not None else ["tx_power_dbm", "tilt_deg", "active", "cio_db",
                                                                     "slice_shares"]
        if "active" in knobs and not policy.knobs.active.allowed:
            knobs.remove("active")
            notes.append("the policy forbids sleeping cells (knobs.active.allowed: false)")
        protected = frozenset(policy.protected_cells)
        share_rule = policy.knobs.slice_shares
        info: dict[int, CellSpace] = {}
        for c in cells:
            cfg = config.cell(c)
            allowed = policy.allowed_now(config, c)
            ranges = {k: (float(allowed[k][0]), float(allowed[k][1])) for k in NUMERIC_KNOBS
                      if k in knobs and allowed.get(k) is not None and allowed[k][1] - allowed[k][0] > _EPS}
            share_ranges = None
            if "slice_shares" in knobs:
                sr = {}
                for s in SLICES:
                    cur = float(cfg.slice_shares.get(s, 0.0))
                    lo, hi = share_rule.min, share_rule.max
                    if share_rule.max_step is not None:
                        lo, hi = max(lo, cur - share_rule.max_step), min(hi, cur + share_rule.max_step)
                    sr[s] = (lo, hi)
                if all(lo <= hi + _EPS for lo, hi in sr.values()) and sum(lo for lo, _ in sr.values()) <= 1 + _EPS \
                        <= sum(hi for _, hi in sr.values()) + 2 * _EPS:
                    share_ranges = sr
            row = table[c]
            info[c] = CellSpace(
                cell=c, cell_class=cfg.cell_class, active=bool(cfg.active),
                current={k: float(getattr(cfg, k)) for k in NUMERIC_KNOBS},
                shares={s: float(cfg.slice_shares.get(s, 0.0)) for s in SLICES},
                ranges=ranges, share_ranges=share_ranges,
                can_sleep="active" in knobs and cfg.active and False in allowed["active"],
                can_wake="active" in knobs and not cfg.active and True in allowed["active"],
                load=float(row.load), users=int(row.users), coverage=float(per_cell[c].coverage),
                power_w=float(row.power_w), neighbours=tuple(int(x) for x in row.neighbours),
            )
        return cls(
            cells=cells, knobs=knobs, info=info, protected=protected, min_active=policy.min_active(n),
            max_cells_per_apply=policy.max_cells_per_apply, n_cells=n,
            active_now=sum(1 for c in config.cells if c.active), policy=policy, config=config, notes=notes,
        )

    # -- what may move ------------------------------------------------------------------------------------------------

    def knob_cells(self, knob: str) -> list[int]:
        """Cells of the space on which `knob` can move now (numeric knobs: active cells with a non-empty range)."""
        if knob == "active":
            return [c for c in self.cells if self.info[c].can_sleep or self.info[c].can_wake]
        if knob == "slice_shares":
            return [c for c in self.cells if self.info[c].share_ranges is not None and self.info[c].active]
        return [c for c in self.cells if knob in self.info[c].ranges and self.info[c].active]

    def usable_knobs(self) -> list[str]:
        """The intent's knobs that can move on at least one cell now."""
        return [k for k in self.knobs if self.knob_cells(k)]

    @property
    def max_sleep(self) -> int:
        """The most cells one apply may put to sleep: sleepable cells, the active minimum and the per-apply cap."""
        sleepable = sum(1 for c in self.cells if self.info[c].can_sleep)
        return max(0, min(sleepable, self.active_now - self.min_active, self.max_cells_per_apply))

    def delta_range(self, knob: str) -> tuple[float, float]:
        """The widest delta any cell of the space may take on a numeric knob now (each cell is clamped to its own)."""
        cells = self.knob_cells(knob)
        if not cells:
            return (0.0, 0.0)
        lo = min(self.info[c].ranges[knob][0] - self.info[c].current[knob] for c in cells)
        hi = max(self.info[c].ranges[knob][1] - self.info[c].current[knob] for c in cells)
        return (min(lo, 0.0), max(hi, 0.0))

    def max_step(self, knob: str) -> float:
        """The policy's step limit of a knob (the range width when it has none)."""
        if knob == "slice_shares":
            rule = self.policy.knobs.slice_shares
        else:
            rule = getattr(self.policy.knobs, knob)
        return float(rule.max_step if rule.max_step is not None else rule.max - rule.min)

    # -- rankings -----------------------------------------------------------------------------------------------------

    def ranked(self, rule: str, pool: Iterable[int] | None = None, *, sleeping: Iterable[int] = ()) -> list[int]:
        """`pool` (default: the space's cells) ordered by a `RANK_RULES` rule; ties by cell id."""
        cells = list(self.cells if pool is None else pool)
        info = self.info
        if rule == "lowest_load":
            return sorted(cells, key=lambda c: (info[c].load, info[c].users, c))
        if rule == "highest_load":
            return sorted(cells, key=lambda c: (-info[c].load, -info[c].users, c))
        if rule == "fewest_users":
            return sorted(cells, key=lambda c: (info[c].users, info[c].load, c))
        if rule == "most_users":
            return sorted(cells, key=lambda c: (-info[c].users, -info[c].load, c))
        if rule == "weakest_coverage":
            return sorted(cells, key=lambda c: (info[c].coverage, -info[c].users, c))
        if rule == "spread_low_load":
            return self._spread(cells)
        if rule == "sleep_savings":
            return self._savings(cells)
        if rule == "neighbours_of_sleeping":
            asleep = set(sleeping)
            near = {n for s in asleep if s in info for n in info[s].neighbours}
            return sorted((c for c in cells if c in near and c not in asleep), key=lambda c: (-info[c].load, c))
        if rule == "all":
            return sorted(cells)
        raise ValueError(f"unknown ranking rule {rule!r}; choose one of {', '.join(RANK_RULES)}")

    def _spread(self, cells: list[int]) -> list[int]:
        # Greedy: the lowest load first, each pick adding a penalty to its neighbours (in load units: a neighbour
        # already picked counts like 0.25 of extra load), so that one site's sectors are not all slept together.
        left = set(cells)
        penalty = dict.fromkeys(cells, 0.0)
        out: list[int] = []
        while left:
            c = min(left, key=lambda x: (self.info[x].load + penalty[x], self.info[x].users, x))
            out.append(c)
            left.discard(c)
            for nb in self.info[c].neighbours:
                if nb in penalty:
                    penalty[nb] += 0.25
        return out

    def _savings(self, cells: list[int]) -> list[int]:
        # Greedy: the largest (power saved by sleeping) / (load + 0.1) first; each pick halves its neighbours' score.
        score = {c: max(self.info[c].power_w - sleep_power_w(self.info[c].cell_class), 0.0) / (self.info[c].load + 0.1)
                 for c in cells}
        left = set(cells)
        out: list[int] = []
        while left:
            c = max(left, key=lambda x: (score[x], -self.info[x].users, -x))
            out.append(c)
            left.discard(c)
            for nb in self.info[c].neighbours:
                if nb in score:
                    score[nb] /= 2.0
        return out

    # -- moves --------------------------------------------------------------------------------------------------------

    def sleep(self, cells: Sequence[int]) -> list[CellChange]:
        """Put `cells` to sleep (those that may sleep)."""
        return [CellChange(cell=c, active=False) for c in cells if c in self.info and self.info[c].can_sleep]

    def shift(self, knob: str, cells: Sequence[int], delta: float) -> list[CellChange]:
        """A uniform delta on a numeric knob of `cells` (clamped per cell by `project`)."""
        return [CellChange.model_validate({"cell": c, knob: self.info[c].current[knob] + delta})
                for c in cells if c in self.info and knob in self.info[c].ranges]

    def mirror_shift(self, knob: str, cells: Sequence[int], delta: float) -> list[CellChange]:
        """`delta` on `cells` and `-delta` on their active neighbours outside `cells` (a CIO offload from loaded cells
        to their neighbours when `delta` < 0)."""
        chosen = set(cells)
        near = sorted({n for c in cells if c in self.info for n in self.info[c].neighbours
                       if n not in chosen and n in self.info and self.info[n].active})
        return self.shift(knob, list(cells), delta) + self.shift(knob, near, -delta)

    def slice_shift(self, cells: Sequence[int], slice: str, delta: float) -> list[CellChange]:
        """Give `slice` `delta` more of each cell's PRBs, taken from the other slices in proportion to their shares."""
        out = []
        for c in cells:
            ci = self.info.get(c)
            if ci is None or ci.share_ranges is None:
                continue
            cur = ci.shares
            target = min(max(cur[slice] + delta, 0.0), 1.0)
            rest = sum(v for s, v in cur.items() if s != slice)
            shares = {s: (target if s == slice else (cur[s] / rest * (1 - target) if rest > 0 else (1 - target) / 2))
                      for s in SLICES}
            out.append(CellChange(cell=c, slice_shares=shares))
        return out

    # -- projection ---------------------------------------------------------------------------------------------------

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

    def _project_cell(self, ci: CellSpace, knobs: dict[str, Any]) -> dict[str, Any]:
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
        for c in sorted(sleeps, key=lambda c: (-self.info[c].load, -self.info[c].users, -c))[: max(0, len(sleeps) - allowed)]:
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
                    for c in sorted(by_cell, key=lambda c: -self.info[c].load):
                        if by_cell[c].get("active") is False:
                            by_cell[c].pop("active")
                            break
                elif v.rule == "max_cells_per_apply":
                    for c in sorted(by_cell)[self.max_cells_per_apply:]:
                        by_cell[c] = {}
            changes = [CellChange.model_validate({"cell": c, **k}) for c, k in sorted(by_cell.items()) if k]
        return changes if not self.policy.check_changes(changes, self.config) else []

    def check(self, changes: Sequence[CellChange]) -> list[str]:
        """The policy's static verdict on `changes` (messages; empty = allowed)."""
        return [v.message for v in self.policy.check_changes(list(changes), self.config)]


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
