"""Gymnasium environment ``airloop/Network-v0``: an agent turns the cells' knobs, the network answers with KPIs.

Registered on ``import airloop.agents``; build it with ``gymnasium.make("airloop/Network-v0", scenario=...)`` or
``NetworkEnv(...)``. One episode is one network (a fresh network, or fresh users over a fixed network, per reset)
observed for ``episode_steps`` decisions; each decision is followed by ``steps_per_action`` simulator steps.

**Action** — ``Box(-1, 1, (n_cells * k,), float32)``, read as an ``(n_cells, k)`` array in cell order. Column j is the
adjustment of knob ``knobs[j]`` (default ``("tx_power_dbm", "tilt_deg", "cio_db")``): the knob moves by
``a * max_step`` and is then repaired onto the guardrail policy by `Policy.project`, the same rule every strategy's
proposal passes: clipped into the policy's range for the cell's class, rounded to 0.1, at most ``max_cells_per_apply``
cells per decision (the largest moves kept), protected cells never sleep, and sleeps that would leave fewer than the
policy's minimum of active cells are dropped, the least decided (largest ``a``) first. ``policy`` defaults to
`Policy.default()` (tx power 30..46 dBm macro / 20..41 dBm micro, tilt 0..15°, CIO −6..6 dB; steps 6 dB, 4°, 6 dB;
at most 20 cells per decision; half the cells active). With ``allow_sleep=True`` a last column switches cells:
``a < −0.5`` puts an active cell to sleep, ``a > 0.5`` wakes a sleeping one, anything between leaves it. Zero is
always "change nothing".

**Observation** — ``Box(0, 1, (n_cells * 9 + 9,), float32)``: per cell (cell-major), `CELL_FEATURES`:
PRB load, served users / (4 x the mean per cell), EARTH power / the cell's full-load power, active (0/1), tx power,
tilt and CIO scaled to their ranges, coverage of its users (SINR ≥ −6 dB), and mean user throughput / the cell's
peak rate (bandwidth x peak spectral efficiency); then network-wide, `GLOBAL_FEATURES`: coverage, energy / full-load
energy, mean and 5th-percentile throughput / peak rate, PRB utilization, share of active cells, latency / 1 s, hour / 23
and the share of the episode left. KPIs are averages over the ``steps_per_action`` steps since the last decision
(`Network.kpis()`); everything is clipped into [0, 1]. `NetworkEnv.describe_observation` names every entry.

**Reward** — the judge's (`airloop.agents.judge.assess`, docs/reward.md), the same number that ranks the
optimizer's candidates, for one hour::

    R = s (x - b) / max(|b|, eps_k)  -  10 * sum_c v_c  -  1[any v_c > 0]

x: the objective KPI over the last window, b: the same KPI of the unchanged network over the warm-up window at
reset, s = +1 to maximize / −1 to minimize; v_c = max(0, θ_c − y_c) / max(|θ_c|, eps) for ``>=`` (mirrored for
``<=``). The task is an `Intent` (``intent=``), or built from ``objective``, ``goal``, ``objective_slice`` and
``constraints`` (dicts ``{"kpi", "op", "value", "slice"?}`` or (kpi, op, value) tuples). Default: minimize
``energy_w`` subject to ``coverage >= 0.95`` (DESIGN.md's "cut energy, keep coverage above 95 %").

**Episodes** — ``reset(seed=...)`` seeds ``self.np_random``; every random number comes from it: the network seed
(``redraw="network"``, default: new sites' shadowing/LOS maps and users every episode) or the user-drop seed over a
network built once per explicit seed (``redraw="users"``, cheaper resets). The warm-up window at reset (the unchanged
network for ``steps_per_action`` steps, after ``burn_in_steps`` steps in which the cell loads and hence the
interference settle from their fully loaded start) gives the first observation and the baseline b. Episodes never
terminate; they are truncated after ``episode_steps`` decisions. The constructor's ``seed`` seeds the first reset
when that reset gives none.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import gymnasium
import numpy as np
from airloop.core import KPI_DIRECTION, KPI_NAMES, Constraint, Intent, Objective
from airloop.simulator import _radio, energy
from airloop.simulator.network import Network
from airloop.simulator.scenarios import get_scenario
from airloop.simulator.types import InvalidParameterError, KPIReport
from airloop.tools import NUMERIC_KNOBS, Policy
from gymnasium import spaces
from pydantic import ValidationError

from .judge import Assessment, assess

__all__ = ["ADJUSTABLE_KNOBS", "CELL_FEATURES", "ENV_ID", "GLOBAL_FEATURES", "NetworkEnv"]

ENV_ID = "airloop/Network-v0"

CELL_FEATURES: tuple[str, ...] = (
    "load", "users_share", "power", "active", "tx_power", "tilt", "cio", "coverage", "throughput",
)
GLOBAL_FEATURES: tuple[str, ...] = (
    "coverage", "energy", "throughput_mean", "throughput_p5", "prb_utilization", "active_share", "latency", "hour",
    "time_left",
)
ADJUSTABLE_KNOBS: tuple[str, ...] = NUMERIC_KNOBS
_SLEEP_THRESHOLD = 0.5
_KNOB_RESOLUTION = 0.1
_USERS_SHARE_SCALE = 4.0


def _bad(field: str, value: Any, allowed: Any, message: str) -> InvalidParameterError:
    return InvalidParameterError(message, field=field, value=value, allowed=allowed)


def _int_in(field: str, value: Any, lo: int, hi: int, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or not lo <= value <= hi:
        raise _bad(field, value, [lo, hi], f"{field}={value!r}: {what} must be an integer in {lo}..{hi}")
    return int(value)


def _parse_constraint(raw: Any, i: int) -> Constraint:
    if isinstance(raw, Sequence) and not isinstance(raw, (str, bytes)) and len(raw) == 3:
        raw = {"kpi": raw[0], "op": raw[1], "value": raw[2]}
    if not isinstance(raw, Mapping):
        raise _bad("constraints", raw, ["kpi", "op", "value", "slice"],
                   f"constraint {i}: expected {{'kpi': 'coverage', 'op': '>=', 'value': 0.95}} or a "
                   f"(kpi, op, value) tuple, got {raw!r}")
    try:
        return Constraint.model_validate(dict(raw))
    except ValidationError as exc:
        err = exc.errors()[0]
        field = str(err["loc"][0]) if err["loc"] else "value"
        allowed = {"kpi": list(KPI_NAMES), "op": [">=", "<="], "slice": [None, "embb", "urllc", "mmtc"]}.get(
            field, "a finite number >= 0 in the KPI's unit (a fraction in [0, 1] for fraction KPIs)")
        raise _bad(f"constraints.{field}" if field in ("kpi", "op", "value", "slice") else "constraints",
                   raw.get(field, raw), allowed, f"constraint {i}: {err['msg']}") from None


class NetworkEnv(gymnasium.Env[np.ndarray, np.ndarray]):
    """A `Network` behind the Gymnasium API (see the module docstring for the spaces and the reward).

    Parameters: ``scenario`` (see `list_scenarios()`), ``objective`` (a KPI name) and ``goal`` ("minimize" /
    "maximize"; default: the KPI's direction), ``objective_slice`` (None = all users), ``constraints`` (dicts or
    (kpi, op, value) tuples) — or ``intent`` (an `Intent`, which then replaces those four), ``policy`` (the
    guardrails every action is projected onto; default `Policy.default()`), ``n_ues`` (default: the
    scenario's), ``steps_per_action`` (simulator steps per decision), ``episode_steps`` (decisions per episode),
    ``burn_in_steps`` (steps run at reset before the baseline window, so that cell loads settle),
    ``hour`` (int, a list of hours drawn per episode, or None = the scenario's), ``seed`` (seed of the first reset),
    ``knobs`` (which of tx_power_dbm / tilt_deg / cio_db the agent turns), ``allow_sleep``, ``redraw`` ("network" or
    "users"),
    ``overrides`` (scenario parameters, deep-merged) and ``render_mode`` (None or "ansi").
    """

    metadata = {"render_modes": ["ansi"], "render_fps": 1}

    def __init__(
        self,
        scenario: str = "rural-7",
        *,
        objective: str = "energy_w",
        goal: str | None = None,
        objective_slice: str | None = None,
        constraints: Sequence[Mapping[str, Any] | Sequence[Any]] | None = (
            {"kpi": "coverage", "op": ">=", "value": 0.95},
        ),
        intent: Intent | Mapping[str, Any] | None = None,
        policy: Policy | None = None,
        n_ues: int | None = None,
        steps_per_action: int = 5,
        episode_steps: int = 20,
        burn_in_steps: int = 5,
        hour: int | Sequence[int] | None = None,
        seed: int | None = None,
        knobs: Sequence[str] = ADJUSTABLE_KNOBS,
        allow_sleep: bool = True,
        redraw: str = "network",
        overrides: Mapping[str, Any] | None = None,
        render_mode: str | None = None,
    ) -> None:
        super().__init__()
        self.scenario = scenario
        self.overrides = dict(overrides or {})
        params = get_scenario(scenario, **self.overrides)  # raises for unknown scenarios and parameters
        self.n_cells = int(params["n_sites"]) * (3 + int(params["small_cells_per_site"]))
        self._is_micro = np.r_[np.zeros(3 * int(params["n_sites"]), bool),
                               np.ones(self.n_cells - 3 * int(params["n_sites"]), bool)]

        self.intent = self._task(intent, objective, goal, objective_slice, constraints)
        self.objective, self.goal = self.intent.objective.kpi, self.intent.objective.goal
        self.objective_slice = self.intent.objective.slice
        self.policy = policy if policy is not None else Policy.default()
        if not isinstance(self.policy, Policy):
            raise _bad("policy", type(policy).__name__, "an airloop.tools.Policy",
                       "policy must be a Policy (Policy.default() or airloop.tools.load_policy(path))")

        if n_ues is not None:
            n_ues = _int_in("n_ues", n_ues, 1, 200_000, "the number of users")
        self.n_ues = n_ues
        self.steps_per_action = _int_in("steps_per_action", steps_per_action, 1, 1000, "steps per decision")
        self.episode_steps = _int_in("episode_steps", episode_steps, 1, 1_000_000, "decisions per episode")
        self.burn_in_steps = _int_in("burn_in_steps", burn_in_steps, 0, 10_000, "steps before the baseline window")
        if hour is None or isinstance(hour, (int, np.integer)):
            self.hours = None if hour is None else [_int_in("hour", hour, 0, 23, "the hour of day")]
        else:
            self.hours = [_int_in("hour", h, 0, 23, "every hour of day") for h in hour]
            if not self.hours:
                raise _bad("hour", [], [0, 23], "hour=[]: give an hour 0..23, a non-empty list of hours, or None")
        if seed is not None:
            seed = _int_in("seed", seed, 0, 2**63 - 1, "the seed")
        self._init_seed = seed

        knobs = tuple(knobs)
        if not knobs and not allow_sleep:
            raise _bad("knobs", [], list(ADJUSTABLE_KNOBS), "knobs=() and allow_sleep=False leave the agent "
                                                            "nothing to do; give at least one knob")
        for k in knobs:
            if k not in ADJUSTABLE_KNOBS:
                raise _bad("knobs", k, list(ADJUSTABLE_KNOBS), f"knob {k!r} cannot be adjusted by the environment; "
                                                               f"choose from {list(ADJUSTABLE_KNOBS)}")
        if len(set(knobs)) != len(knobs):
            raise _bad("knobs", list(knobs), list(ADJUSTABLE_KNOBS), f"knobs={list(knobs)} repeats a knob")
        self.knobs = knobs
        self.allow_sleep = bool(allow_sleep)
        self._lo, self._hi, self.max_step = self._knob_limits()

        if redraw not in ("network", "users"):
            raise _bad("redraw", redraw, ["network", "users"],
                       f"redraw={redraw!r}; use 'network' (new network per episode) or 'users' (new users only)")
        self.redraw = redraw
        if render_mode is not None and render_mode not in self.metadata["render_modes"]:
            raise _bad("render_mode", render_mode, [None, *self.metadata["render_modes"]],
                       f"render_mode={render_mode!r}; use None or 'ansi'")
        self.render_mode = render_mode

        self._peak_se = float(_radio.spectral_efficiency(np.array([100.0]), str(params["rate_model"]))[0])
        self._peak_rate_mbps = float(params["bandwidth_mhz"]) * self._peak_se
        self._full_power_w = np.where(self._is_micro, energy.earth_power_w("micro", 1.0),
                                      energy.earth_power_w("macro", 1.0) / 3.0)

        n_act = len(self.knobs) + int(self.allow_sleep)
        self.action_space = spaces.Box(-1.0, 1.0, shape=(self.n_cells * n_act,), dtype=np.float32)
        n_obs = self.n_cells * len(CELL_FEATURES) + len(GLOBAL_FEATURES)
        self.observation_space = spaces.Box(0.0, 1.0, shape=(n_obs,), dtype=np.float32)

        self.network: Network | None = None
        self._template: Network | None = None
        self.network_seed: int | None = None
        self.baseline: KPIReport | None = None
        self._t = 0
        self._last_report: KPIReport | None = None
        self._last_reward = 0.0

    # ------------------------------------------------------------------ set-up helpers
    @staticmethod
    def _task(intent: Intent | Mapping[str, Any] | None, objective: str, goal: str | None,
              objective_slice: str | None, constraints: Any) -> Intent:
        if intent is not None:
            try:
                return intent if isinstance(intent, Intent) else Intent.model_validate(intent)
            except ValidationError as exc:
                raise _bad("intent", str(exc.errors()[0]["loc"]), "DESIGN.md's Intent JSON",
                           f"intent is not a valid Intent: {exc.errors()[0]['msg']}") from None
        if objective not in KPI_NAMES:
            raise _bad("objective", objective, list(KPI_NAMES),
                       f"objective={objective!r} is not a KPI; choose one of {', '.join(KPI_NAMES)}")
        if goal is None:
            goal = "minimize" if KPI_DIRECTION[objective] == "min" else "maximize"
        if goal not in ("minimize", "maximize"):
            raise _bad("goal", goal, ["minimize", "maximize"], f"goal={goal!r}; use 'minimize' or 'maximize'")
        if objective_slice is not None and objective_slice not in ("embb", "urllc", "mmtc"):
            raise _bad("objective_slice", objective_slice, [None, "embb", "urllc", "mmtc"],
                       f"objective_slice={objective_slice!r}; use one of embb, urllc, mmtc or None for all users")
        return Intent(objective=Objective(kpi=objective, goal=goal, slice=objective_slice),  # type: ignore[arg-type]
                      constraints=[_parse_constraint(c, i) for i, c in enumerate(constraints or ())])

    def _knob_limits(self) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray], dict[str, float]]:
        """Per-cell ranges and per-decision steps of the adjustable knobs, from the policy."""
        lo: dict[str, np.ndarray] = {}
        hi: dict[str, np.ndarray] = {}
        for knob in ADJUSTABLE_KNOBS:
            rule = getattr(self.policy.knobs, knob)
            (ma, mb), (ua, ub) = rule.range_for("macro"), rule.range_for("micro")
            lo[knob] = np.where(self._is_micro, ua, ma)
            hi[knob] = np.where(self._is_micro, ub, mb)
        return lo, hi, {k: self.policy.step_limit(k) for k in ADJUSTABLE_KNOBS}

    def _new_network(self, seeded: bool) -> Network:
        if self.redraw == "network" or self._template is None or seeded:
            self.network_seed = int(self.np_random.integers(0, 2**31 - 1))
            net = Network.from_scenario(self.scenario, seed=self.network_seed, n_ues=self.n_ues, **self.overrides)
            if self.redraw == "network":
                return net
            self._template = net
        user_seed = int(self.np_random.integers(1, 2**31 - 1))  # 0 would mean "keep the users"
        net = self._template._fork(user_seed)
        net.reset_kpis()
        return net

    # ------------------------------------------------------------------ Gymnasium API
    def reset(self, *, seed: int | None = None, options: dict[str, Any] | None = None
              ) -> tuple[np.ndarray, dict[str, Any]]:
        if seed is None and self._np_random is None and self._init_seed is not None:
            seed = self._init_seed
        super().reset(seed=seed)
        net = self._new_network(seeded=seed is not None)
        if net.n_cells != self.n_cells:  # pragma: no cover - guards the n_cells formula above
            raise RuntimeError(f"scenario {self.scenario!r} built {net.n_cells} cells, expected {self.n_cells}")
        if self.hours is not None:
            net.set_hour(self.hours[int(self.np_random.integers(len(self.hours)))])
        # Burn-in (cell loads and interference settle from their fully loaded start), then the warm-up window of
        # the unchanged network: its KPIs are the first observation and the reward's baseline.
        net.step(self.burn_in_steps)
        net.reset_kpis()
        net.step(self.steps_per_action)
        self.network = net
        self.baseline = net.kpis()
        self._last_report = self.baseline
        self._t = 0
        self._last_reward = 0.0
        return self._observation(self.baseline), self._info(self.baseline, changed=0)

    def step(self, action: np.ndarray) -> tuple[np.ndarray, float, bool, bool, dict[str, Any]]:
        if self.network is None:
            raise gymnasium.error.ResetNeeded("call reset() before step()")
        net = self.network
        a = np.asarray(action, dtype=np.float64).reshape(-1)
        n_act = len(self.knobs) + int(self.allow_sleep)
        if a.size != self.n_cells * n_act:
            raise _bad("action", a.size, self.n_cells * n_act,
                       f"action has {a.size} entries; this environment takes {self.n_cells * n_act} "
                       f"({self.n_cells} cells x {n_act} columns: {', '.join([*self.knobs, *(['sleep'] if self.allow_sleep else [])])})")
        if not np.all(np.isfinite(a)):
            raise _bad("action", "NaN/inf", [-1.0, 1.0], "action contains NaN or inf; give finite values in [-1, 1]")
        changes = self._changes(np.clip(a, -1.0, 1.0).reshape(self.n_cells, -1))
        if changes:
            net.apply(changes)
        else:
            net.reset_kpis()
        net.step(self.steps_per_action)
        rep = net.kpis()
        self._t += 1
        reward = self.assessment(rep).reward
        self._last_report = rep
        self._last_reward = reward
        truncated = self._t >= self.episode_steps
        return self._observation(rep), reward, False, truncated, self._info(rep, changed=len(changes))

    def render(self) -> str | None:
        if self.render_mode != "ansi" or self._last_report is None or self.network is None:
            return None
        k = self._last_report.network
        shown = {"energy_w": k.energy_w, "coverage": k.coverage, "active_cells": k.active_cells}
        obj = f"{self.objective}{'' if self.objective_slice is None else '[' + self.objective_slice + ']'}"
        shown = {obj: self._kpi(self._last_report, self.objective, self.objective_slice),
                 **{n: v for n, v in shown.items() if n != obj}}
        kpis = " ".join(f"{n}={v:.4g}" for n, v in shown.items())
        return (f"t={self._t}/{self.episode_steps} {self.scenario} hour {self.network.hour:02d} {kpis} "
                f"reward={self._last_reward:+.4f}")

    # ------------------------------------------------------------------ action, observation, reward
    def _changes(self, a: np.ndarray) -> list[dict[str, Any]]:
        """Map an (n_cells, k) action in [-1, 1] to the changes it asks for, repaired onto the policy
        (`Policy.project`): only the cells that actually change."""
        assert self.network is not None
        kn = self.network.knobs
        asked: dict[int, dict[str, Any]] = {}
        for j, knob in enumerate(self.knobs):
            cur = getattr(kn, knob)
            val = np.round((cur + a[:, j] * self.max_step[knob]) / _KNOB_RESOLUTION) * _KNOB_RESOLUTION
            for c in np.flatnonzero((a[:, j] != 0.0) & (np.abs(val - cur) > 1e-9)):  # zero leaves a knob as it is
                asked.setdefault(int(c), {})[knob] = float(val[c])
        if self.allow_sleep:
            s = a[:, -1]
            for c in np.flatnonzero(~kn.active & (s > _SLEEP_THRESHOLD)):
                asked.setdefault(int(c), {})["active"] = True
            for c in np.flatnonzero(kn.active & (s < -_SLEEP_THRESHOLD)):
                asked.setdefault(int(c), {})["active"] = False
        if not asked:
            return []
        # The policy undoes the sleeps of the "busiest" cells first: here, the least decided (largest a).
        busy = {c: (float(a[c, -1]),) for c in asked} if self.allow_sleep else None
        out = self.policy.project([{"cell": c, **k} for c, k in asked.items()], self.network.config,
                                  knobs=[*self.knobs, *(["active"] if self.allow_sleep else [])], busy=busy)
        return [ch.model_dump(exclude_none=True) for ch in out]

    @staticmethod
    def _kpi(rep: KPIReport, kpi: str, slice_: str | None) -> float:
        return rep.value(kpi, slice_)

    def assessment(self, rep: KPIReport) -> Assessment:
        """The judge's assessment of a window's KPIs against the episode's baseline window."""
        assert self.baseline is not None
        return assess(self.intent, self.baseline, rep)

    def _observation(self, rep: KPIReport) -> np.ndarray:
        assert self.network is not None
        net = self.network
        cells = rep.per_cell
        load = np.array([c.load for c in cells])
        users = np.array([c.users for c in cells], dtype=float)
        power = np.array([c.power_w for c in cells])
        cov = np.array([c.coverage for c in cells])
        thr = np.array([c.throughput_mean_mbps for c in cells])
        kn = net.knobs
        mean_users = max(net.n_ues / self.n_cells, 1e-9)

        def scaled(knob: str) -> np.ndarray:
            return (getattr(kn, knob) - self._lo[knob]) / (self._hi[knob] - self._lo[knob])

        per_cell = np.stack([
            load, users / (_USERS_SHARE_SCALE * mean_users), power / self._full_power_w, kn.active.astype(float),
            scaled("tx_power_dbm"), scaled("tilt_deg"), scaled("cio_db"), cov, thr / self._peak_rate_mbps,
        ], axis=1)
        k = rep.network
        glob = np.array([
            k.coverage, k.energy_w / self._full_power_w.sum(), k.throughput_mean_mbps / self._peak_rate_mbps,
            k.throughput_p5_mbps / self._peak_rate_mbps, k.prb_utilization, k.active_cells / self.n_cells,
            k.latency_ms / _radio.LATENCY_CAP_MS, net.hour / 23.0, 1.0 - self._t / self.episode_steps,
        ])
        obs = np.concatenate([per_cell.reshape(-1), glob])
        return np.clip(np.nan_to_num(obs, nan=0.0, posinf=1.0, neginf=0.0), 0.0, 1.0).astype(np.float32)

    def _info(self, rep: KPIReport, *, changed: int) -> dict[str, Any]:
        a = self.assessment(rep)
        return {
            "kpis": rep.network.model_dump(),
            "objective": a.objective_after,
            "baseline": a.objective_before,
            "reward": a.reward,
            "violations": {c.name: c.shortfall / c.scale for c in a.constraints},
            "feasible": a.feasible,
            "changed_cells": changed,
            "network_seed": self.network_seed,
            "hour": self.network.hour if self.network else None,
            "step": self._t,
        }

    # ------------------------------------------------------------------ introspection
    def describe_observation(self) -> list[str]:
        """The name of every observation entry, e.g. ``"cell3.tilt"`` or ``"network.coverage"``."""
        return [f"cell{c}.{f}" for c in range(self.n_cells) for f in CELL_FEATURES] + \
            [f"network.{f}" for f in GLOBAL_FEATURES]

    def describe_action(self) -> list[str]:
        """The name of every action entry, e.g. ``"cell3.tilt_deg"`` or ``"cell3.sleep"``."""
        cols = [*self.knobs, *(["sleep"] if self.allow_sleep else [])]
        return [f"cell{c}.{k}" for c in range(self.n_cells) for k in cols]


if ENV_ID not in gymnasium.registry:
    gymnasium.register(id=ENV_ID, entry_point="airloop.agents.env:NetworkEnv")
