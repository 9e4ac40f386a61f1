"""Plans: a few structured moves with low-dimensional parameters, the vocabulary of the heuristic and hybrid strategies.

A `Move` says which knob moves on which cells (a `RANK_RULES` ranking and a bound on how many, or explicit ids) and in
what delta range; its parameters are the count ``n`` of ranked cells it takes and the delta ``d`` it applies (a sleep
move has only ``n``, the number of cells to put to sleep). A `Plan` is up to `MAX_MOVES` moves; `Plan.candidate` turns
parameter values into a candidate projected onto the policy, and `tune` searches the parameters with optuna's TPE.

`default_plan` is the deterministic plan per objective, used by the heuristic and by hybrid when the LLM's plan is
unusable (`DEFAULT_PLAN_TABLE` holds the same table as data, for reports). An energy objective takes the first row even
with a slice; any other objective of one slice takes the slice row:

| objective                                     | moves (knob: ranking, delta range)                                      |
|-----------------------------------------------|-------------------------------------------------------------------------|
| energy_w, energy_efficiency, active_cells     | active: sleep k of sleep_savings or spread_low_load; tx_power_dbm: lowest_load, [-step, 0] (not for active_cells); tilt_deg: neighbours_of_sleeping, [-step, 0] (with a coverage or p5 constraint) |
| coverage, throughput_p5_mbps (no slice)       | tx_power_dbm: weakest_coverage, [0, +step]; tilt_deg: weakest_coverage, [-step, +step]; for p5 also slice_shares: highest_load, toward the edge slice (`EDGE_THROUGHPUT_SLICES`, whose users alone set the network-wide p5), [0, +0.3] |
| any KPI of one slice                          | slice_shares: highest_load, toward the slice [0, +0.3]; cio_db: highest_load, [-step, 0], mirrored |
| handover_rate                                 | tilt_deg: all, [0, +step]; tx_power_dbm: highest_load, [-step, 0]         |
| throughput_mean_mbps, fairness, prb_utilization, latency_ms, latency_p95_ms, packet_loss | cio_db: highest_load, [-step, 0], mirrored on neighbours; tilt_deg: highest_load, [-step, +step]; tx_power_dbm: highest_load, [-step, +step] |

Knobs the intent or the policy rule out are skipped; if nothing of the row is usable, one move per usable knob
(ranking ``all``, the full delta range) stands in.
"""

from __future__ import annotations

import logging
import math
import warnings
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from functools import partial
from typing import Any

from airloop.core import EDGE_THROUGHPUT_SLICES
from airloop.simulator import CellChange

from ..intent import Intent
from ._scoring import Scorer, SearchStopped
from ._space import SearchSpace

log = logging.getLogger("airloop.agents.strategies")

MAX_MOVES = 3
#: Most PRB share a slice move may shift toward its slice (the policy's step limit still applies per cell).
SLICE_SHIFT_MAX = 0.3
ENERGY_KPIS = ("energy_w", "energy_efficiency", "active_cells")
COVERAGE_KPIS = ("coverage", "throughput_p5_mbps")

DEFAULT_PLAN_TABLE: list[tuple[str, str]] = [
    ("energy_w, energy_efficiency, active_cells",
     "active: sleep k of sleep_savings or spread_low_load (the search picks); tx_power_dbm: lowest_load, [-step, 0] (not for active_cells); "
     "tilt_deg: neighbours_of_sleeping, [-step, 0] (with a coverage or p5 constraint)"),
    ("any KPI of one slice", "slice_shares: highest_load, toward the slice, [0, +0.3]; cio_db: highest_load, "
     "[-step, 0], mirrored"),
    ("coverage, throughput_p5_mbps (no slice)", "tx_power_dbm: weakest_coverage, [0, +step]; tilt_deg: weakest_coverage, "
     "[-step, +step]; for p5 also slice_shares: highest_load, toward the edge slice (eMBB), [0, +0.3]"),
    ("handover_rate", "tilt_deg: all, [0, +step]; tx_power_dbm: highest_load, [-step, 0]"),
    ("throughput_mean_mbps, fairness, prb_utilization, latency_ms, latency_p95_ms, packet_loss",
     "cio_db: highest_load, [-step, 0], mirrored; tilt_deg: highest_load, [-step, +step]; tx_power_dbm: "
     "highest_load, [-step, +step]"),
]


@dataclass(frozen=True)
class Move:
    """One structured move. ``low``/``high``: the delta range in the knob's unit (for ``slice_shares``, the share of
    PRBs moved toward ``slice``); ignored for ``active``. ``mirror``: neighbours of the chosen cells get the opposite
    delta (a CIO offload). ``wake``: an ``active`` move that wakes sleeping cells instead of sleeping active ones."""

    knob: str
    rank: str = "all"
    max_cells: int = 1
    low: float = 0.0
    high: float = 0.0
    slice: str | None = None
    mirror: bool = False
    cells: tuple[int, ...] | None = None
    wake: bool = False
    alt_rank: str | None = None  # a second ranking the search may choose instead (parameter ``r``: 0 or 1)

    def describe(self) -> str:
        who = f"cells {list(self.cells)}" if self.cells is not None else self.rank
        if self.alt_rank and self.cells is None:
            who = f"{self.rank} or {self.alt_rank}"
        if self.knob == "active":
            return f"{'wake' if self.wake else 'sleep'} up to {self.max_cells} cells ({who})"
        what = f"share toward {self.slice}" if self.knob == "slice_shares" else self.knob
        mirror = ", mirrored on neighbours" if self.mirror else ""
        return f"{what} delta in [{self.low:g}, {self.high:g}] on up to {self.max_cells} cells ({who}){mirror}"

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["cells"] = list(self.cells) if self.cells is not None else None
        return d


@dataclass
class Plan:
    """Moves plus where they came from (``llm`` or ``default``), why, and where a search should start (parameter
    values, e.g. the model's own counts)."""

    moves: list[Move]
    source: str = "default"
    reason: str = ""
    notes: list[str] = field(default_factory=list)
    start: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"source": self.source, "reason": self.reason, "moves": [m.to_dict() for m in self.moves],
                "start": dict(self.start)}

    def params(self) -> dict[str, tuple[str, float, float]]:
        """Parameter name -> (``int`` | ``float``, low, high)."""
        out: dict[str, tuple[str, float, float]] = {}
        for i, m in enumerate(self.moves):
            out[f"m{i}_n"] = ("int", 0, max(0, m.max_cells))
            if m.knob != "active":
                out[f"m{i}_d"] = ("float", m.low, m.high)
            if m.alt_rank:
                out[f"m{i}_r"] = ("int", 0, 1)
        return out

    @staticmethod
    def rank_of(m: Move, values: dict[str, float], i: int) -> str:
        return m.alt_rank if m.alt_rank and int(values.get(f"m{i}_r", 0)) == 1 else m.rank

    def candidate(self, space: SearchSpace, values: dict[str, float]) -> list[CellChange]:
        """The projected candidate for parameter values (missing values: the move is off)."""
        knobs: dict[int, dict[str, Any]] = {}
        changing_activity: set[int] = set()
        sleeping: set[int] = set()
        order = sorted(range(len(self.moves)), key=lambda i: self.moves[i].knob != "active")
        for i in order:
            m = self.moves[i]
            n = int(values.get(f"m{i}_n", 0))
            if n <= 0:
                continue
            if m.knob == "active":
                pool = [c for c in (m.cells or space.cells) if c in space.info and c not in changing_activity
                        and (space.info[c].can_wake if m.wake else space.info[c].can_sleep)]
                for c in space.ranked(self.rank_of(m, values, i), pool, sleeping=sleeping)[:n]:
                    knobs.setdefault(c, {})["active"] = m.wake
                    changing_activity.add(c)
                    if not m.wake:
                        sleeping.add(c)
                continue
            d = float(values.get(f"m{i}_d", 0.0))
            if abs(d) < 1e-9:
                continue
            allowed = set(space.knob_cells(m.knob))
            pool = [c for c in (m.cells or space.cells) if c in allowed and c not in sleeping]
            picks = space.ranked(self.rank_of(m, values, i), pool, sleeping=sleeping)[:n]
            if m.knob == "slice_shares":
                moved = space.slice_shift(picks, m.slice or "urllc", d)
            elif m.mirror:
                moved = [ch for ch in space.mirror_shift(m.knob, picks, d) if ch.cell not in sleeping]
            else:
                moved = space.shift(m.knob, picks, d)
            for ch in moved:
                for k, v in ch.knobs().items():
                    knobs.setdefault(ch.cell, {}).setdefault(k, v)  # an earlier move keeps its knob
        return space.project([CellChange.model_validate({"cell": c, **k}) for c, k in sorted(knobs.items())])


#: Objective family -> (knobs that move its KPI directly, knobs that support them). A plan for the family needs at least
#: one move on a primary knob; the LLM's schema offers only these knobs (intersected with what may move).
FAMILY_KNOBS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "energy": (("active", "tx_power_dbm"), ("tilt_deg",)),
    "coverage": (("tx_power_dbm", "tilt_deg"), ("active",)),
    "slice": (("slice_shares",), ("cio_db", "tilt_deg", "tx_power_dbm")),
    "handover": (("tilt_deg", "tx_power_dbm", "cio_db"), ()),
    "capacity": (("cio_db", "tilt_deg", "tx_power_dbm"), ("active",)),
}


def objective_family(intent: Intent) -> str:
    """``energy``, ``coverage``, ``slice``, ``handover`` or ``capacity`` (throughput, fairness, load, latency): the
    rows of the default plan table."""
    kpi = intent.objective.kpi
    if kpi in ENERGY_KPIS:
        return "energy"
    if intent.objective.slice is not None:
        return "slice"
    if kpi in COVERAGE_KPIS:
        return "coverage"
    if kpi == "handover_rate":
        return "handover"
    return "capacity"


def default_plan(intent: Intent, space: SearchSpace) -> Plan:
    """The deterministic plan for the intent's objective (see the module docstring's table)."""
    kpi, slc = intent.objective.kpi, intent.objective.slice
    usable = set(space.usable_knobs())
    moves: list[Move] = []

    def numeric(knob: str, rank: str, sign: str, *, mirror: bool = False, count: int | None = None) -> None:
        if knob not in usable:
            return
        lo, hi = space.delta_range(knob)
        lo, hi = {"down": (lo, 0.0), "up": (0.0, hi), "either": (lo, hi)}[sign]
        if hi - lo <= 1e-9:
            return
        n = len(space.knob_cells(knob))
        moves.append(Move(knob, rank, max(1, min(count or n, n, space.max_cells_per_apply)), lo, hi, mirror=mirror))

    def share_toward(slice_: str) -> None:
        """PRB share moved toward `slice_` on the most loaded cells (as many as one apply may change)."""
        n = len(space.knob_cells("slice_shares"))
        moves.append(Move("slice_shares", "highest_load", min(n, space.max_cells_per_apply), 0.0,
                          min(SLICE_SHIFT_MAX, space.max_step("slice_shares")), slice=slice_))

    if kpi in ENERGY_KPIS:
        if "active" in usable and space.max_sleep > 0:
            moves.append(Move("active", "sleep_savings", space.max_sleep, alt_rank="spread_low_load"))
        if kpi != "active_cells":
            numeric("tx_power_dbm", "lowest_load", "down")
            if moves and moves[0].knob == "active" and any(c.kpi in COVERAGE_KPIS for c in intent.constraints):
                numeric("tilt_deg", "neighbours_of_sleeping", "down")
    elif slc is not None and "slice_shares" in usable:
        share_toward(slc)
        numeric("cio_db", "highest_load", "down", mirror=True, count=max(1, len(space.cells) // 4))
    elif kpi in COVERAGE_KPIS:
        numeric("tx_power_dbm", "weakest_coverage", "up")
        numeric("tilt_deg", "weakest_coverage", "either")
        if kpi == "throughput_p5_mbps" and "slice_shares" in usable and len(EDGE_THROUGHPUT_SLICES) == 1:
            # the network-wide p5 is taken over the edge slice's users only: more of the loaded cells' PRBs for them
            share_toward(EDGE_THROUGHPUT_SLICES[0])
    elif kpi == "handover_rate":
        numeric("tilt_deg", "all", "up")
        numeric("tx_power_dbm", "highest_load", "down")
    else:
        numeric("cio_db", "highest_load", "down", mirror=True, count=max(1, len(space.cells) // 4))
        numeric("tilt_deg", "highest_load", "either")
        numeric("tx_power_dbm", "highest_load", "either")
    if not moves:
        for knob in space.usable_knobs():
            if knob == "active":
                if space.max_sleep > 0:
                    moves.append(Move("active", "lowest_load", space.max_sleep))
            elif knob == "slice_shares":
                share_toward(slc or "urllc")
            else:
                numeric(knob, "all", "either")
    return Plan(moves=moves[:MAX_MOVES], source="default", reason=f"default plan for {intent.objective.goal} {kpi}")


# -- searching a plan's parameters ---------------------------------------------------------------------------------------


def start_points(plan: Plan) -> list[dict[str, float]]:
    """Where the search starts: every move at its full count and the larger end of its delta range (with each
    move's alternative ranking too, when it has one), then at half."""
    bold: dict[str, float] = {}
    half: dict[str, float] = {}
    for i, m in enumerate(plan.moves):
        bold[f"m{i}_n"] = m.max_cells
        half[f"m{i}_n"] = max(1, m.max_cells // 2)
        if m.knob != "active":
            d = m.low if abs(m.low) >= abs(m.high) else m.high
            bold[f"m{i}_d"] = d
            half[f"m{i}_d"] = d / 2
    alt = {**bold, **{f"m{i}_r": 1 for i, m in enumerate(plan.moves) if m.alt_rank}}
    return [bold, alt, half] if alt != bold else [bold, half]


@dataclass
class TuneResult:
    """What `tune` did: trials run, and the parameters of the best acceptable candidate it found (None if none)."""

    trials: int = 0
    best: dict[str, float] | None = None
    best_reward: float = -math.inf


def tune(plan: Plan, space: SearchSpace, scorer: Scorer, *, seed: int = 0, max_trials: int = 200,
         startup: int = 8, enqueue: Sequence[dict[str, float]] = (),
         give_up: Callable[[], bool] | None = None) -> TuneResult:
    """Search the plan's parameters with optuna's multivariate TPE, maximizing `Scorer.value`.

    Stops when the scorer's evaluations or budget run out (`SearchStopped`) or after `max_trials` trials (trials whose
    candidate was already scored are cache hits and cost nothing). `enqueue`: starting points tried first.
    `give_up`: checked before every trial; the search stops when it returns True.
    """
    import optuna
    from optuna.distributions import BaseDistribution, FloatDistribution, IntDistribution

    out = TuneResult()
    specs = plan.params()
    fixed = {k: lo for k, (_, lo, hi) in specs.items() if hi <= lo}
    dists: dict[str, BaseDistribution] = {
        name: (IntDistribution(int(lo), int(hi)) if kind == "int" else FloatDistribution(lo, hi))
        for name, (kind, lo, hi) in specs.items() if hi > lo}
    if not dists:
        return out
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", optuna.exceptions.ExperimentalWarning)
        sampler = optuna.samplers.TPESampler(seed=seed, n_startup_trials=startup, multivariate=True)
    study = optuna.create_study(direction="maximize", sampler=sampler)
    for point in enqueue:
        study.enqueue_trial({k: v for k, v in point.items() if k in dists}, skip_if_exists=True)
    for _ in range(max_trials):
        if give_up is not None and give_up():
            break
        trial = study.ask(dists)
        out.trials += 1
        values = {**fixed, **trial.params}
        try:
            value = _score_point(plan, space, scorer, values, out)
        except SearchStopped:
            study.tell(trial, state=optuna.trial.TrialState.FAIL)
            break
        study.tell(trial, value)
    return out


def polish(plan: Plan, space: SearchSpace, scorer: Scorer, result: TuneResult, *, rounds: int = 2) -> TuneResult:
    """Greedy coordinate steps from the best point of a search: one more or one fewer cell per count, each delta
    pushed to its bound or halfway there. TPE rarely lands exactly on a bound, where energy savings often are.
    Raises `SearchStopped` like `tune` (the result keeps what was found)."""
    specs = plan.params()
    for _ in range(rounds):
        if result.best is None:
            return result
        improved = False
        for name, (kind, lo, hi) in specs.items():
            if hi <= lo or result.best is None:
                continue
            x = result.best.get(name, lo)
            if kind == "int":
                tries = [x + 1, x - 1]
            else:
                bound = lo if x < 0 else hi
                tries = [bound, x + (bound - x) / 2]
            for t in tries:
                if not lo <= t <= hi or t == x:
                    continue
                before = result.best_reward
                _score_point(plan, space, scorer, {**result.best, name: t}, result)
                if result.best_reward > before:
                    improved = True
                    break
        if not improved:
            break
    return result


def sleep_boundary(plan: Plan, space: SearchSpace, scorer: Scorer) -> list[dict[str, float]]:
    """Where the search should also start: for each sleep move, the largest count of that move alone (every other
    move off) that keeps every constraint with the round's margin: its full count when that holds (one evaluation),
    else found by binary search (`bisect_max`, about log2(count) evaluations). TPE alone rarely tries a count near
    the edge without the other moves, whose trims use up the margin (and share the cap on cells per apply). The
    move's alternative ranking is tried only when not one sleep of its first ranking keeps the constraints. Raises
    `SearchStopped` like `tune`."""
    out: list[dict[str, float]] = []
    for i, m in enumerate(plan.moves):
        if m.knob != "active" or m.wake or m.max_cells <= 1:
            continue
        for r in ((0, 1) if m.alt_rank else (0,)):
            base: dict[str, float] = {f"m{i}_r": r} if m.alt_rank else {}
            if (k := bisect_max(partial(holds_at, plan, space, scorer, base, f"m{i}_n"), 0, m.max_cells)) > 0:
                out.append({**base, f"m{i}_n": k})
                break
    return out


def holds_at(plan: Plan, space: SearchSpace, scorer: Scorer, base: dict[str, float], key: str, k: int) -> bool:
    """The plan's candidate at `base` with parameter `key` at `k` keeps every constraint with the round's margin (the
    baseline, an empty candidate, does)."""
    ev = scorer.evaluate(plan.candidate(space, {**base, key: k}))
    return ev is None or (ev.feasible and scorer.meets(ev))


def swap_sleepers(space: SearchSpace, scorer: Scorer, *, max_misses: int = 6) -> int:
    """1-swap local search on the set of cells the best candidate puts to sleep; returns the swaps kept.

    A plan's sleep move takes the first k cells of one ranking; which k cells is where the rest of an energy saving
    lies (the 2000-trial oracle sleeps as many cells as the plan does, but other ones). Each step wakes one sleeping
    cell and sleeps one awake cell untouched by the candidate: of the pairs not tried yet, the one whose saving
    (`SearchSpace.sleep_saving_w`) grows most. The swap is kept when the scorer finds the candidate better and still
    acceptable. Stops after `max_misses` swaps in a row that were not kept, when no pair would save more, or when the
    budget is spent (raises `SearchStopped` like `tune`; what was found is kept in ``scorer.best``).
    """
    best = scorer.best
    if best is None or not any(ch.active is False for ch in best.changes):
        return 0
    saving = {c: space.sleep_saving_w(c) for c in space.cells}
    kept = misses = 0
    tried: set[tuple[int, int]] = set()
    while misses < max_misses and (scorer.left is None or scorer.left > 0):
        best = scorer.best
        assert best is not None
        by_cell = {ch.cell: ch for ch in best.changes}
        asleep = [c for c, ch in by_cell.items() if ch.active is False and c in saving]
        awake = [c for c in space.cells if c not in by_cell and space.info[c].active and space.info[c].can_sleep]
        pairs = [(out, into) for out in asleep for into in awake
                 if (out, into) not in tried and saving[into] > saving[out]]
        if not pairs:
            break
        out, into = max(pairs, key=lambda p: (saving[p[1]] - saving[p[0]], -p[0], -p[1]))
        tried.add((out, into))
        cand = space.project([*(ch for c, ch in by_cell.items() if c != out), CellChange(cell=into, active=False)])
        scorer.evaluate(cand)
        if scorer.best is not None and scorer.best.reward > best.reward:
            kept, misses = kept + 1, 0
        else:
            misses += 1
    return kept


def _score_point(plan: Plan, space: SearchSpace, scorer: Scorer, values: dict[str, float], out: TuneResult) -> float:
    cand = plan.candidate(space, values)
    if not cand:
        return 0.0
    ev = scorer.evaluate(cand)
    if ev is not None and scorer.acceptable(ev) and ev.reward > out.best_reward:
        out.best, out.best_reward = dict(values), ev.reward
    return scorer.value(ev)


def evaluate_point(plan: Plan, space: SearchSpace, scorer: Scorer, values: dict[str, float]) -> float:
    """`Scorer.value` of the plan's candidate at `values` (0 for an empty candidate: the baseline)."""
    cand = plan.candidate(space, values)
    return scorer.value(scorer.evaluate(cand)) if cand else 0.0


def bisect_max(feasible: Callable[[int], bool], lo: int, hi: int) -> int:
    """The largest k in [lo, hi] with `feasible(k)`, assuming `feasible(lo)` and monotone decline (binary search)."""
    if hi <= lo:
        return lo
    if feasible(hi):
        return hi
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if feasible(mid):
            lo = mid
        else:
            hi = mid
    return lo
