"""`Network`: a multi-cell radio network that agents observe and reconfigure.

One `numpy.random.Generator` tree per network (a `SeedSequence` spawned into independent streams for the layout,
the shadowing maps, the user drop, mobility and traffic), so a seed reproduces a run bit for bit.
"""

from __future__ import annotations

import copy
import math
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, Field, ValidationError

from . import _radio, channel
from ._kpis import KPIAccumulator
from .layout import Layout, build_layout, drop_users
from .mobility import move_users
from .scenarios import DIURNAL_PROFILE, FLAT_PROFILE, get_scenario
from .types import (
    SLICES,
    CellChange,
    CellConfig,
    InvalidChangeError,
    InvalidParameterError,
    KPIReport,
    KPIs,
    NetworkConfig,
)

#: Extra load ⇄ interference passes of a zero-time evaluation (the load changes < 1 % after three).
LOAD_SETTLE_PASSES = 3


class KnobRange(BaseModel):
    min: float
    max: float


class KnobLimits(BaseModel):
    """Physical limits of the knobs, per cell class (policies in `airloop.tools` are tighter)."""

    tx_power_dbm: dict[str, KnobRange]
    tilt_deg: KnobRange
    cio_db: KnobRange

    def describe(self) -> dict[str, Any]:
        return self.model_dump()


def _default_limits() -> KnobLimits:
    return KnobLimits(
        tx_power_dbm={c: KnobRange(min=0.0, max=_radio.max_tx_power_dbm(c)) for c in ("macro", "micro")},
        tilt_deg=KnobRange(min=0.0, max=20.0),
        # TS 38.331 Q-OffsetRange: −24..24 dB
        cio_db=KnobRange(min=-24.0, max=24.0),
    )


class CellSummary(BaseModel):
    """One cell's configuration and state, without its slice shares (the tools' cell-list row)."""

    cell: int
    site: int
    cell_class: str
    active: bool
    tx_power_dbm: float
    tilt_deg: float
    cio_db: float
    load: float
    users: int
    power_w: float
    neighbours: list[int]


class CellInfo(CellSummary):
    slice_shares: dict[str, float]


class WhatIfResult(BaseModel):
    """KPIs before and after a set of changes, averaged over seeds and hours (and per hour).

    The ``*_by_seed`` fields keep every user drop apart (seed -> hour -> KPIs, network-wide and per slice): the unchanged
    and the changed network run on the same drop, so a gain can be tested paired, seed by seed and hour by hour."""

    kpis_before: KPIs
    kpis_after: KPIs
    delta: dict[str, float]
    before_by_hour: dict[int, KPIs]
    after_by_hour: dict[int, KPIs]
    per_slice_before: dict[str, KPIs]
    per_slice_after: dict[str, KPIs]
    slices_before_by_hour: dict[int, dict[str, KPIs]]
    slices_after_by_hour: dict[int, dict[str, KPIs]]
    steps: int
    seeds: list[int]
    hours: list[int]
    before_by_seed: dict[int, dict[int, KPIs]] = Field(default_factory=dict)
    after_by_seed: dict[int, dict[int, KPIs]] = Field(default_factory=dict)
    slices_before_by_seed: dict[int, dict[int, dict[str, KPIs]]] = Field(default_factory=dict)
    slices_after_by_seed: dict[int, dict[int, dict[str, KPIs]]] = Field(default_factory=dict)


@dataclass
class _Knobs:
    tx_power_dbm: np.ndarray
    tilt_deg: np.ndarray
    active: np.ndarray
    cio_db: np.ndarray
    slice_shares: np.ndarray  # (n_cells, 3)

    def copy(self) -> _Knobs:
        return _Knobs(*(a.copy() for a in (self.tx_power_dbm, self.tilt_deg, self.active, self.cio_db,
                                            self.slice_shares)))


@dataclass
class NetworkSnapshot:
    """Everything mutable in a `Network`; `Network.restore` puts it back exactly."""

    users: _radio.UserState
    knobs: _Knobs
    cell_load: np.ndarray
    hour: int
    step_index: int
    rng_mobility: np.random.Generator
    rng_traffic: np.random.Generator
    acc: KPIAccumulator


class Network:
    """A multi-cell network: build it with `Network.from_scenario(name, seed=...)`."""

    def __init__(self, params: dict[str, Any], *, seed: int, n_ues: int | None = None) -> None:
        if not isinstance(seed, (int, np.integer)) or isinstance(seed, bool) or seed < 0:
            raise InvalidParameterError(f"seed={seed!r}: the seed must be a non-negative integer", field="seed",
                                        value=seed, allowed=">= 0")
        t_build = time.perf_counter()
        #: wall time this network spent building itself and in `what_if` (orchestration-overhead accounting)
        self.busy_s = 0.0
        self.params = params
        self.seed = int(seed)
        self.scenario_name: str = params.get("name", "custom")
        ss = np.random.SeedSequence(self.seed)
        s_layout, s_env, s_users, s_mob, s_traffic = ss.spawn(5)
        self._user_seed_seq = s_users
        self.step_s = float(params["step_s"])
        self.layout: Layout = build_layout(
            np.random.default_rng(s_layout),
            n_sites=int(params["n_sites"]),
            isd_m=float(params["isd_m"]),
            h_bs_m=float(params["h_bs_m"]),
            wrap_around=bool(params["wrap_around"]),
            small_cells_per_site=int(params["small_cells_per_site"]),
        )
        self.env = self._build_environment(np.random.default_rng(s_env))
        self.limits = _default_limits()
        n_cells = self.layout.n_cells
        if n_ues is None:
            n_ues = int(params["ues_per_cell"]) * n_cells
        if not isinstance(n_ues, (int, np.integer)) or isinstance(n_ues, bool) or not 1 <= n_ues <= 200_000:
            raise InvalidParameterError(f"n_ues={n_ues!r}: the number of users must be an integer in 1..200000",
                                        field="n_ues", value=n_ues, allowed=[1, 200000])
        self.n_ues = int(n_ues)
        self._cell_class = np.where(self.layout.cell_is_micro, "micro", "macro")
        hand = params["handover"]
        self._hyst_db = float(hand["hysteresis_db"])
        self._ttt_steps = int(math.ceil(float(hand["ttt_s"]) / self.step_s - 1e-9))
        self._pp_steps = int(math.ceil(float(hand["ping_pong_s"]) / self.step_s))
        sl = params["slices"]
        self._packet_bits = np.array([sl[s]["packet_bits"] for s in SLICES], dtype=float)
        self._base_latency_ms = np.array([sl[s]["base_latency_ms"] for s in SLICES], dtype=float)
        self._buffer_ms = np.array([sl[s]["buffer_ms"] for s in SLICES], dtype=float)
        self._demand_mbps = np.array([sl[s]["demand_mbps"] for s in SLICES], dtype=float)
        self._profile = DIURNAL_PROFILE if params["diurnal"] else FLAT_PROFILE
        self._neighbours = self._compute_neighbours()
        self.knobs = self._default_knobs()
        self.hour = self._check_hour(int(params["hour"]))
        self.step_index = 0
        self.rng_mobility = np.random.default_rng(s_mob)
        self.rng_traffic = np.random.default_rng(s_traffic)
        self.users = self._drop(np.random.default_rng(s_users))
        self.cell_load = np.ones(n_cells)
        self.acc = KPIAccumulator(self.n_ues, n_cells)
        self._mutations = 0  # bumped by every evaluation and restore: keys the what-if cache
        self._cache: dict[Any, Any] = {}
        self._cache_token = -1
        self._evaluate(advance=False)
        self.busy_s += time.perf_counter() - t_build

    # ------------------------------------------------------------------ construction
    @classmethod
    def from_scenario(cls, name: str, *, seed: int = 0, n_ues: int | None = None, **overrides: Any) -> Network:
        """Build the named scenario (see `list_scenarios()`); `overrides` are deep-merged over its parameters."""
        return cls(get_scenario(name, **overrides), seed=seed, n_ues=n_ues)

    def _build_environment(self, rng: np.random.Generator) -> _radio.Environment:
        p = self.params
        lay = self.layout
        site_scen = tuple(p["small_cell_propagation"] if m else p["propagation"] for m in lay.site_is_micro)
        groups = tuple((s, np.flatnonzero(np.array(site_scen) == s)) for s in dict.fromkeys(site_scen))
        fields = None
        if p["spatial_consistency"] and p["shadowing"]:
            pts = lay.site_xy_m[: lay.n_macro_sites]
            margin = lay.isd_m
            box = dict(x_min_m=pts[:, 0].min() - margin, x_max_m=pts[:, 0].max() + margin,
                       y_min_m=pts[:, 1].min() - margin, y_max_m=pts[:, 1].max() + margin)
            fields = {}
            for scen, sites in groups:
                corr = {"los_state": channel.los_correlation_distance_m(scen),
                        "sf_los": channel.correlation_distance_m(scen, True),
                        "sf_nlos": channel.correlation_distance_m(scen, False)}
                # One grid for the scenario's three fields (LOS state §7.6.3.1 Table 7.6.3.1-2; LOS and NLOS shadow
                # fading, Table 7.5-6), each with its own correlation distance, so one bilinear lookup serves all
                # three. Spacing: a quarter of the shortest correlation distance, which keeps the grids small enough
                # to stay in cache (the correlation at d_corr comes out 0.42 instead of e^-1; see SpatialField).
                res = min(corr.values()) / 4
                fields[scen] = channel.SpatialField.concatenate([
                    channel.SpatialField(rng, corr_dist_m=c, n_fields=sites.size, resolution_m=res, **box)
                    for c in corr.values()])
        bw_hz = float(p["bandwidth_mhz"]) * 1e6
        noise_dbm = _radio.THERMAL_NOISE_DBM_HZ + 10.0 * math.log10(bw_hz) + float(p["ue_noise_figure_db"])
        ant = p["antenna"]
        return _radio.Environment(
            layout=lay, fc_ghz=float(p["fc_ghz"]), site_scenario=site_scen, scenario_groups=groups,
            fields=fields, shadowing=bool(p["shadowing"]), antenna_kind=ant["kind"],
            n_vertical=int(ant["n_vertical"]), spacing_wl=float(ant["spacing_wl"]),
            micro_gain_dbi=float(p["small_cell_antenna_gain_dbi"]), bandwidth_hz=bw_hz, n_prb=int(p["n_prb"]),
            noise_mw=10.0 ** (noise_dbm / 10.0),
        )

    def _default_knobs(self) -> _Knobs:
        p = self.params
        micro = self.layout.cell_is_micro

        def per_class(knob: str) -> np.ndarray:
            return np.where(micro, float(p["micro"][knob]), float(p["macro"][knob]))

        shares = np.tile([float(p["slice_shares"][s]) for s in SLICES], (self.layout.n_cells, 1))
        return _Knobs(per_class("tx_power_dbm"), per_class("tilt_deg"), np.ones(self.layout.n_cells, bool),
                      per_class("cio_db"), shares)

    def _compute_neighbours(self, k: int = 6) -> list[list[int]]:
        """The k nearest other cells by site distance (wrap-around aware), sectors of the same site first."""
        lay = self.layout
        xy = lay.site_xy_m[lay.cell_site]
        d = xy[:, None, None, :] - (xy[None, :, None, :] + lay.wrap_shifts_m[None, None, :, :])
        dist = np.sqrt((d**2).sum(-1)).min(-1)
        np.fill_diagonal(dist, np.inf)
        order = np.argsort(dist + 1e-6 * np.arange(lay.n_cells)[None, :], axis=1, kind="stable")[:, :k]
        return [list(map(int, row)) for row in order]

    def _drop(self, rng: np.random.Generator) -> _radio.UserState:
        """Drop users with their class, slice, indoor state, height and O2I loss (TR 38.901 Table 7.8-1)."""
        p = self.params
        n, lay = self.n_ues, self.layout
        scen = p["propagation"]
        xy = drop_users(rng, lay, n, min_dist_m=float(p["min_ue_dist_m"]), hotspot_share=float(p["hotspot_share"]))
        indoor = rng.uniform(size=n) < float(p["indoor_share"])
        # Indoor users stand on floor n_fl ~ U{1..N_fl}, N_fl ~ U{4..8}: h_UT = 3(n_fl − 1) + 1.5 m (Table 7.4.1-1
        # note 1 / TR 36.873); RMa and outdoor users are at 1.5 m.
        n_floors = rng.integers(4, 9, size=n)
        floor = np.floor(rng.uniform(size=n) * n_floors) + 1
        h_ut = np.where(indoor & (scen != "rma"), 3.0 * (floor - 1) + 1.5, 1.5)
        d_in = np.where(indoor, channel.indoor_distance_m(rng, n, scen), 0.0)
        high = rng.uniform(size=n) < float(p["o2i_high_loss_share"])
        o2i = np.where(indoor, channel.o2i_penetration_loss_db(rng, d_in, fc_ghz=float(p["fc_ghz"]), high_loss=high),
                       0.0)
        shares = np.array([p["slices"][s]["user_share"] for s in SLICES], dtype=float)
        slice_idx = rng.choice(3, size=n, p=shares / shares.sum())
        activity_u = rng.uniform(size=n)
        mob = p["mobility"]
        if mob["model"] == "static":
            speed = np.zeros(n)
        else:
            vehicle = rng.uniform(size=n) < float(mob["vehicle"]["share"])
            speed = np.where(vehicle, float(mob["vehicle"]["speed_kmh"]), float(mob["pedestrian"]["speed_kmh"])) / 3.6
            speed = np.where(indoor, 0.0, speed)  # indoor users stay put
        heading = rng.uniform(0.0, 2 * np.pi, size=n)
        waypoint = drop_users(rng, lay, n, min_dist_m=float(p["min_ue_dist_m"]))
        n_sites, n_cells = lay.n_sites, lay.n_cells
        users = _radio.UserState(
            xy_m=xy, h_ut_m=h_ut, indoor=indoor, d_in_m=d_in, o2i_db=o2i, slice_idx=slice_idx,
            activity_u=activity_u, speed_mps=speed, heading_rad=heading, waypoint_m=waypoint,
            xy_at_refresh_m=xy.copy(), loss_db=np.zeros((n, n_sites)), azimuth_deg=np.zeros((n, n_sites)),
            zenith_deg=np.zeros((n, n_sites)), los=np.zeros((n, n_sites), bool), gain_db=np.zeros((n, n_cells)),
            rx_dbm=np.zeros((n, n_cells)), rx_mw=np.zeros((n, n_cells)), serving=np.zeros(n, dtype=np.int64),
            ho_target=np.full(n, -1), ho_ttt_steps=np.zeros(n, dtype=np.int64),
            prev_serving=np.full(n, -1), last_ho_step=np.full(n, -(10**9)),
        )
        _radio.large_scale(self.env, users, np.arange(n), rng)
        _radio.update_gains(self.env, users, slice(None), np.arange(n_cells), self.knobs.tilt_deg,
                            self.knobs.tx_power_dbm)
        metric = users.rx_dbm + np.where(self.knobs.active, self.knobs.cio_db, -np.inf)[None, :]
        users.serving = np.argmax(metric, axis=1)
        return users

    # ------------------------------------------------------------------ properties
    @property
    def n_cells(self) -> int:
        return self.layout.n_cells

    @property
    def config(self) -> NetworkConfig:
        k, lay = self.knobs, self.layout
        return NetworkConfig(cells=[
            CellConfig(cell=c, site=int(lay.cell_site[c]), sector=int(lay.cell_sector[c]),
                       cell_class=self.cell_class(c), tx_power_dbm=float(k.tx_power_dbm[c]),
                       tilt_deg=float(k.tilt_deg[c]), active=bool(k.active[c]), cio_db=float(k.cio_db[c]),
                       slice_shares={s: float(k.slice_shares[c, i]) for i, s in enumerate(SLICES)})
            for c in range(lay.n_cells)
        ])

    def cell_class(self, cell: int) -> Literal["macro", "micro"]:
        return "micro" if self.layout.cell_is_micro[cell] else "macro"

    # ------------------------------------------------------------------ time
    def _check_hour(self, hour: Any) -> int:
        if isinstance(hour, bool) or not isinstance(hour, (int, np.integer)) or not 0 <= int(hour) <= 23:
            raise InvalidParameterError(f"hour={hour!r}: the hour of day must be an integer in 0..23",
                                        field="hour", value=hour, allowed=[0, 23])
        return int(hour)

    def set_hour(self, hour: int) -> None:
        """Set the hour of day (0..23): the diurnal profile scales active users and demand. Resets the KPI window."""
        self.hour = self._check_hour(hour)
        self._evaluate(advance=False)

    def _active_users(self) -> np.ndarray:
        return self.users.activity_u < self._profile[self.hour]

    def _demand(self) -> np.ndarray | None:
        if self.params["traffic"] == "full_buffer":
            return None
        # Per-user demand follows the profile gently (0.5 + 0.5 x profile); the share of active users follows it fully.
        return self._demand_mbps[self.users.slice_idx] * (0.5 + 0.5 * self._profile[self.hour])

    def step(self, n: int = 1) -> None:
        """Advance `n` steps of `step_s` seconds: mobility, channel refresh, handover, scheduling, KPIs."""
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 0:
            raise InvalidParameterError(f"n={n!r}: the number of steps must be a non-negative integer",
                                        field="steps", value=n, allowed=">= 0")
        for _ in range(int(n)):
            self.step_index += 1
            self._move()
            self._evaluate(advance=True)

    def _move(self) -> None:
        u = self.users
        moved = move_users(self.rng_mobility, u, self.layout, self.params["mobility"]["model"], self.step_s)
        if not moved:
            return
        shift = u.xy_m - u.xy_at_refresh_m
        stale = np.flatnonzero(np.hypot(shift[:, 0], shift[:, 1]) >= float(self.params["channel_update_m"]))
        if stale.size:
            # These users' heights and the knobs were checked when they were dropped / set: no per-step checks.
            _radio.large_scale(self.env, u, stale, self.rng_mobility, checked=False)
            _radio.update_gains(self.env, u, stale, None, self.knobs.tilt_deg, self.knobs.tx_power_dbm,
                                checked=False)

    def _evaluate(self, *, advance: bool) -> None:
        """One radio evaluation of the current state. `advance=False` (after apply/set_hour/construction) takes
        no time: it reselects only users whose cell went to sleep and restarts the KPI window with this sample."""
        self._mutations += 1
        env, u, k = self.env, self.users, self.knobs
        n_ho, n_pp, ho_mask = _radio.select_cells(
            u, k.active, k.cio_db, hysteresis_db=self._hyst_db, ttt_steps=self._ttt_steps, step=self.step_index,
            ping_pong_steps=self._pp_steps, advance=advance)
        active_user = self._active_users()
        demand = self._demand()
        # Load and interference depend on each other. A zero-time evaluation (construction, apply, set_hour)
        # iterates that loop towards its fixed point, so a window starts near steady state; a step does one pass,
        # which then tracks the load from step to step.
        for _ in range(1 if advance else 1 + LOAD_SETTLE_PASSES):
            sinr, se, alloc, thr, util = self._radio_pass(active_user, demand)
            self.cell_load = util
        lat, loss, served = _radio.packet_delay(
            serving=u.serving, slice_idx=u.slice_idx, active_user=active_user, throughput_mbps=thr,
            demand_mbps=demand, se_bps_hz=se, slice_shares=k.slice_shares,
            bandwidth_hz=env.bandwidth_hz, packet_bits=self._packet_bits, base_latency_ms=self._base_latency_ms,
            buffer_ms=self._buffer_ms,
            n_cells=self.n_cells)
        power = _radio.cell_power_w(self.layout.cell_is_micro, k.active, util, k.tx_power_dbm)
        self.last_users = {"sinr_db": sinr, "throughput_mbps": thr, "active": active_user}
        if not advance:
            self.acc.reset()
        self.acc.add(
            advance=advance, step_s=self.step_s, sinr_db=sinr, throughput_mbps=thr, demand_mbps=demand,
            latency_ms=lat, packet_loss=loss, served=served, active_user=active_user, serving=u.serving,
            slice_idx=u.slice_idx, alloc=alloc,
            prb_utilization=util, power_w=power, cell_active=k.active, handovers=n_ho, ping_pongs=n_pp,
            ho_mask=ho_mask)

    def _radio_pass(self, active_user: np.ndarray, demand: np.ndarray | None) -> tuple[np.ndarray, ...]:
        """SINR with interference weighted by the current cell loads, then scheduling: (sinr, se, alloc, thr,
        PRB utilization per cell)."""
        env, u, k = self.env, self.users, self.knobs
        weight = np.where(k.active, self.cell_load, 0.0)
        sinr = _radio.sinr_db(env, u, weight, k.active)
        se = _radio.spectral_efficiency(sinr, self.params["rate_model"])
        alloc, thr = _radio.schedule(
            serving=u.serving, slice_idx=u.slice_idx, active_user=active_user, se_bps_hz=se,
            slice_shares=k.slice_shares, demand_mbps=demand, bandwidth_hz=env.bandwidth_hz,
            scheduler=self.params["scheduler"], n_cells=self.n_cells)
        util = np.minimum(np.bincount(u.serving, weights=alloc, minlength=self.n_cells), 1.0)
        return sinr, se, alloc, thr, util

    # ------------------------------------------------------------------ KPIs
    def kpis(self) -> KPIReport:
        """KPIs averaged over the steps since the last apply / set_hour / reset_kpis (the last sample if none)."""
        return self.acc.report(
            hour=self.hour, step=self.step_index, n_slices=3, cell_active=self.knobs.active,
            serving=self.users.serving, slice_idx=self.users.slice_idx)

    def reset_kpis(self) -> None:
        self._evaluate(advance=False)

    def cell_table(self) -> list[CellInfo]:
        rep = self.kpis()
        cfg = self.config
        return [
            CellInfo(cell=c.cell, site=c.site, cell_class=c.cell_class, active=c.active,
                     tx_power_dbm=c.tx_power_dbm, tilt_deg=c.tilt_deg, cio_db=c.cio_db, slice_shares=c.slice_shares,
                     load=rep.per_cell[c.cell].load, users=rep.per_cell[c.cell].users,
                     power_w=rep.per_cell[c.cell].power_w, neighbours=self._neighbours[c.cell])
            for c in cfg.cells
        ]

    # ------------------------------------------------------------------ changes
    def validate_changes(self, changes: Iterable[CellChange | dict[str, Any]]) -> list[CellChange]:
        """Parse and range-check changes against the physical limits; raises `InvalidChangeError`, never mutates."""
        if isinstance(changes, (CellChange, dict)):
            changes = [changes]
        out: list[CellChange] = []
        seen: set[int] = set()
        for i, raw in enumerate(changes):
            ch = _parse_change(raw, i)
            if isinstance(ch.cell, bool) or not 0 <= ch.cell < self.n_cells:
                raise InvalidChangeError(
                    f"change {i}: cell={ch.cell!r} is not a cell of this network; cells are 0..{self.n_cells - 1} "
                    "(list them with list_cells)", field="cell", value=ch.cell, allowed=[0, self.n_cells - 1])
            if ch.cell in seen:
                raise InvalidChangeError(
                    f"change {i}: cell {ch.cell} appears twice; put all of its knobs in one change",
                    field="cell", value=ch.cell, allowed="each cell at most once")
            seen.add(ch.cell)
            cls = self.cell_class(ch.cell)
            ranges = {"tx_power_dbm": self.limits.tx_power_dbm[cls], "tilt_deg": self.limits.tilt_deg,
                      "cio_db": self.limits.cio_db}
            for knob, rng in ranges.items():
                v = getattr(ch, knob)
                if v is None:
                    continue
                if not math.isfinite(v) or not rng.min <= v <= rng.max:
                    raise InvalidChangeError(
                        f"cell {ch.cell} ({cls}): {knob}={v} is outside the allowed range {rng.min}..{rng.max}; "
                        "choose a value inside it", field=knob, value=v, allowed=[rng.min, rng.max])
            if ch.slice_shares is not None:
                sh = ch.slice_shares
                if set(sh) != set(SLICES) or any(not math.isfinite(x) or not 0.0 <= x <= 1.0 for x in sh.values()) \
                        or abs(sum(sh.values()) - 1.0) > 1e-3:
                    raise InvalidChangeError(
                        f"cell {ch.cell}: slice_shares={sh} must give all of {list(SLICES)} a share in 0..1, "
                        "summing to 1", field="slice_shares", value=sh, allowed={s: [0.0, 1.0] for s in SLICES})
            out.append(ch)
        return out

    def apply(self, changes: Iterable[CellChange | dict[str, Any]]) -> list[CellChange]:
        """Apply changes all-or-nothing (every change is validated before any is applied); restarts the KPI window."""
        valid = self.validate_changes(changes)
        if not valid:
            return valid
        k = self.knobs
        tilt_cells, power_cells = [], []
        for ch in valid:
            c = ch.cell
            if ch.tx_power_dbm is not None and ch.tx_power_dbm != k.tx_power_dbm[c]:
                k.tx_power_dbm[c] = ch.tx_power_dbm
                power_cells.append(c)
            if ch.tilt_deg is not None and ch.tilt_deg != k.tilt_deg[c]:
                k.tilt_deg[c] = ch.tilt_deg
                tilt_cells.append(c)
            if ch.active is not None:
                k.active[c] = ch.active
            if ch.cio_db is not None:
                k.cio_db[c] = ch.cio_db
            if ch.slice_shares is not None:
                shares: dict[str, float] = {str(s): float(v) for s, v in ch.slice_shares.items()}
                sh = np.array([shares[s] for s in SLICES], dtype=np.float64)
                k.slice_shares[c] = sh / sh.sum()
        if tilt_cells:
            _radio.update_gains(self.env, self.users, slice(None), np.array(tilt_cells), k.tilt_deg, k.tx_power_dbm)
        only_power = sorted(set(power_cells) - set(tilt_cells))
        if only_power:
            _radio.update_rx(self.users, slice(None), np.array(only_power), k.tx_power_dbm)
        self._evaluate(advance=False)
        return valid

    # ------------------------------------------------------------------ snapshot / what-if
    def snapshot(self) -> NetworkSnapshot:
        return NetworkSnapshot(
            users=self.users.copy(), knobs=self.knobs.copy(), cell_load=self.cell_load.copy(), hour=self.hour,
            step_index=self.step_index, rng_mobility=copy.deepcopy(self.rng_mobility),
            rng_traffic=copy.deepcopy(self.rng_traffic), acc=self.acc.copy())

    def restore(self, snap: NetworkSnapshot) -> None:
        self.users = snap.users.copy()
        self.knobs = snap.knobs.copy()
        self.cell_load = snap.cell_load.copy()
        self.hour = snap.hour
        self.step_index = snap.step_index
        self.rng_mobility = copy.deepcopy(snap.rng_mobility)
        self.rng_traffic = copy.deepcopy(snap.rng_traffic)
        self.acc = snap.acc.copy()
        self._mutations += 1

    def _what_if_cache(self) -> dict[Any, Any]:
        """Forks and baseline KPIs valid for the current state only (any mutation bumps `_mutations`)."""
        if self._cache_token != self._mutations:
            self._cache.clear()
            self._cache_token = self._mutations
        return self._cache

    def _at_hour(self, hour: int) -> Network:
        """A fork (seed 0) at `hour`, with a fresh KPI window that starts at its first step."""
        twin = self._fork(0)
        if twin.hour != hour:
            twin.set_hour(hour)
        else:
            twin.acc.reset()  # a fresh KPI window over the horizon, without touching the radio state
        return twin

    def _fork(self, seed: int) -> Network:
        """A copy sharing the environment. Seed 0 continues from the current users; any other seed redraws the
        users (positions, indoor state, slice, activity, mobility) while the sites, shadowing and LOS maps stay."""
        twin = copy.copy(self)
        twin._cache, twin._cache_token = {}, -1
        twin.knobs = self.knobs.copy()
        twin.cell_load = self.cell_load.copy()
        twin.acc = self.acc.copy()
        if seed == 0:
            twin.users = self.users.copy()
            twin.rng_mobility = copy.deepcopy(self.rng_mobility)
            twin.rng_traffic = copy.deepcopy(self.rng_traffic)
        else:
            ss = np.random.SeedSequence([self.seed, 0x5EED, int(seed)])
            s_users, s_mob, s_traffic = ss.spawn(3)
            twin.rng_mobility = np.random.default_rng(s_mob)
            twin.rng_traffic = np.random.default_rng(s_traffic)
            twin.users = twin._drop(np.random.default_rng(s_users))
            twin.cell_load = np.ones(self.n_cells)
            twin.acc = KPIAccumulator(self.n_ues, self.n_cells)
            twin._evaluate(advance=False)
        return twin

    def what_if(self, changes: Sequence[CellChange | dict[str, Any]], *, steps: int = 10,
                hours: Sequence[int] | None = None, seeds: int | Sequence[int] = 1) -> WhatIfResult:
        """Evaluate `changes` against the current configuration without mutating this network.

        For each hour (default: the current one) and seed, both the unchanged and the changed network run `steps`
        steps from the same state; KPIs are averaged over the steps, then over seeds (and hours for the headline).
        Seed 0 is the current users; other seeds are fresh user drops over the same environment.
        """
        t0 = time.perf_counter()
        try:
            return self._what_if(changes, steps=steps, hours=hours, seeds=seeds)
        finally:
            self.busy_s += time.perf_counter() - t0

    def _what_if(self, changes: Sequence[CellChange | dict[str, Any]], *, steps: int,
                 hours: Sequence[int] | None, seeds: int | Sequence[int]) -> WhatIfResult:
        valid = self.validate_changes(changes)
        if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)) or not 1 <= steps <= 1000:
            raise InvalidParameterError(f"steps={steps!r}: the horizon must be an integer in 1..1000",
                                        field="steps", value=steps, allowed=[1, 1000])
        seed_list = _seed_list(seeds)
        hour_list = [self.hour] if hours is None else [self._check_hour(h) for h in hours]
        if not hour_list:
            raise InvalidParameterError("hours=[]: give at least one hour (0..23) or None for the current hour",
                                        field="hours", value=[], allowed=[0, 23])
        from ._kpis import mean_kpis

        before: dict[int, list[KPIReport]] = {h: [] for h in hour_list}
        after: dict[int, list[KPIReport]] = {h: [] for h in hour_list}
        cache = self._what_if_cache()
        for seed in seed_list:
            if ("base", seed) not in cache:
                cache[("base", seed)] = self._fork(seed)
            base = cache[("base", seed)]
            for h in dict.fromkeys(hour_list):
                key = ("before", seed, h, int(steps))
                if key not in cache:
                    # The unchanged network's KPIs depend only on this state, the seed, hour and horizon: an
                    # optimizer scoring many candidates against one state pays for the baseline once.
                    twin_b = base._at_hour(h)
                    twin_b.step(steps)
                    cache[key] = twin_b.kpis()
                before[h].append(cache[key])
                twin_a = base._at_hour(h)
                twin_a.apply(valid)
                twin_a.step(steps)
                after[h].append(twin_a.kpis())
        b_hour = {h: mean_kpis([r.network for r in before[h]]) for h in before}
        a_hour = {h: mean_kpis([r.network for r in after[h]]) for h in after}
        kb = mean_kpis(list(b_hour.values()))
        ka = mean_kpis(list(a_hour.values()))
        all_b = [r for rs in before.values() for r in rs]
        all_a = [r for rs in after.values() for r in rs]
        return WhatIfResult(
            kpis_before=kb, kpis_after=ka,
            delta={f: getattr(ka, f) - getattr(kb, f) for f in KPIs.model_fields},
            before_by_hour=b_hour, after_by_hour=a_hour,
            per_slice_before={s: mean_kpis([r.per_slice[s] for r in all_b]) for s in SLICES},
            per_slice_after={s: mean_kpis([r.per_slice[s] for r in all_a]) for s in SLICES},
            slices_before_by_hour={h: {s: mean_kpis([r.per_slice[s] for r in rs]) for s in SLICES}
                                   for h, rs in before.items()},
            slices_after_by_hour={h: {s: mean_kpis([r.per_slice[s] for r in rs]) for s in SLICES}
                                  for h, rs in after.items()},
            steps=int(steps), seeds=seed_list, hours=hour_list,
            before_by_seed={s: {h: rs[i].network for h, rs in before.items()} for i, s in enumerate(seed_list)},
            after_by_seed={s: {h: rs[i].network for h, rs in after.items()} for i, s in enumerate(seed_list)},
            slices_before_by_seed={s: {h: dict(rs[i].per_slice) for h, rs in before.items()}
                                   for i, s in enumerate(seed_list)},
            slices_after_by_seed={s: {h: dict(rs[i].per_slice) for h, rs in after.items()}
                                  for i, s in enumerate(seed_list)})


def _seed_list(seeds: int | Sequence[int]) -> list[int]:
    if isinstance(seeds, (int, np.integer)) and not isinstance(seeds, bool):
        if not 1 <= seeds <= 64:
            raise InvalidParameterError(f"seeds={seeds!r}: give 1..64 seeds, or a list of seed values",
                                        field="seeds", value=seeds, allowed=[1, 64])
        return list(range(int(seeds)))
    out = list(seeds) if not isinstance(seeds, (bool, int, np.integer)) else []
    if not out or len(out) > 64 or any(isinstance(s, bool) or not isinstance(s, (int, np.integer)) or s < 0
                                       for s in out):
        raise InvalidParameterError(f"seeds={seeds!r}: give 1..64 non-negative integer seeds",
                                    field="seeds", value=seeds, allowed=[0, "..."])
    return [int(s) for s in out]


def _parse_change(raw: Any, i: int) -> CellChange:
    if isinstance(raw, CellChange):
        return raw
    if not isinstance(raw, dict):
        raise InvalidChangeError(
            f"change {i}: expected an object like {{'cell': 3, 'tx_power_dbm': 40}}, got {type(raw).__name__}",
            field="change", value=raw, allowed=["cell", "tx_power_dbm", "tilt_deg", "active", "cio_db",
                                                "slice_shares"])
    try:
        return CellChange.model_validate(raw)
    except ValidationError as e:
        err = e.errors()[0]
        loc = ".".join(str(x) for x in err["loc"]) or "change"
        raise InvalidChangeError(
            f"change {i}: {loc}: {err['msg']} (got {err.get('input')!r}); allowed fields: cell (int), "
            "tx_power_dbm, tilt_deg, cio_db (numbers), active (bool), slice_shares ({embb, urllc, mmtc} summing to 1)",
            field=loc, value=err.get("input"),
            allowed=["cell", "tx_power_dbm", "tilt_deg", "active", "cio_db", "slice_shares"]) from None
