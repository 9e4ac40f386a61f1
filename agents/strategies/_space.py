"""The search space every strategy shares: which cells and knobs an intent may move, where each knob may go now, and
`SearchSpace.project`, which repairs any candidate onto the guardrail policy.

Every strategy proposes only what `project` returns, so a proposal never fails the policy's static rules
(`Policy.check_changes`): `project` is `Policy.project` restricted to the intent's cells and knobs, the one place
where a candidate is repaired onto the policy. The coverage floor needs a what-if and is left to the evaluator.

Cell rankings (`RANK_RULES`) and structured moves (`SearchSpace.sleep`, `SearchSpace.shift`, ...) are the vocabulary of
the heuristic and hybrid strategies: "sleep the k lowest-load cells", "a uniform tilt delta on the weakest cells".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from airloop.core import KNOB_NAMES, SLICES, CellChange
from airloop.simulator.energy import EARTH
from airloop.simulator.types import NetworkConfig
from airloop.tools import NUMERIC_KNOBS, CellNow, NetworkView, Policy, project_shares

from ..intent import Intent

__all__ = ["NUMERIC_KNOBS", "RANK_RULES", "CellSpace", "RankRule", "SearchSpace", "project_shares", "sleep_power_w"]

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
class CellSpace(CellNow):
    """One cell of the space: what the policy lets an apply set on it now (`CellNow`), and what a ranking reads."""

    cell: int
    cell_class: str
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
    def build(cls, network: NetworkView, intent: Intent) -> SearchSpace:
        """The space of `intent` on the network now (one consistent read; nothing is mutated)."""
        policy = network.policy
        config, table, kpis = network.read()
        per_cell = kpis.per_cell
        n = len(config.cells)
        notes: list[str] = []
        if intent.cells is None:
            cells = list(range(n))
        else:
            cells = [c for c in intent.cells if 0 <= c < n]
            if len(cells) != len(intent.cells):
                notes.append(f"cells {sorted(set(intent.cells) - set(cells))} are not in this network (0..{n - 1})")
        knobs: list[str] = list(intent.knobs) if intent.knobs is not None else list(KNOB_NAMES)
        if "active" in knobs and not policy.knobs.active.allowed:
            knobs.remove("active")
            notes.append("the policy forbids sleeping cells (knobs.active.allowed: false)")
        info: dict[int, CellSpace] = {}
        for c in cells:
            row = table[c]
            info[c] = CellSpace(
                **vars(policy.cell_now(config, c, knobs)), cell=c, cell_class=config.cell(c).cell_class,
                load=float(row.load), users=int(row.users), coverage=float(per_cell[c].coverage),
                power_w=float(row.power_w), neighbours=tuple(int(x) for x in row.neighbours),
            )
        return cls(
            cells=cells, knobs=knobs, info=info, protected=frozenset(policy.protected_cells),
            min_active=policy.min_active(n), max_cells_per_apply=policy.max_cells_per_apply, n_cells=n,
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
        return self.policy.step_limit(knob)

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

    def sleep_saving_w(self, cell: int) -> float:
        """What putting `cell` to sleep saves by the EARTH model: its draw now less its sleep draw (W)."""
        ci = self.info[cell]
        return ci.power_w - sleep_power_w(ci.cell_class)

    def _savings(self, cells: list[int]) -> list[int]:
        # Greedy: the largest (power saved by sleeping) / (load + 0.1) first; each pick halves its neighbours' score.
        score = {c: max(self.sleep_saving_w(c), 0.0) / (self.info[c].load + 0.1) for c in cells}
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
            out.append(CellChange.model_validate({"cell": c, "slice_shares": shares}))
        return out

    # -- projection ---------------------------------------------------------------------------------------------------

    def project(self, changes: Iterable[CellChange | Mapping[str, Any]]) -> list[CellChange]:
        """`Policy.project` restricted to this space's cells and knobs (sleeps of the busiest cells undone first)."""
        return self.policy.project(changes, self.config, cells=self.cells, knobs=self.knobs,
                                   busy={c: (ci.load, ci.users) for c, ci in self.info.items()})

    def check(self, changes: Sequence[CellChange]) -> list[str]:
        """The policy's static verdict on `changes` (messages; empty = allowed)."""
        return [v.message for v in self.policy.check_changes(list(changes), self.config)]
