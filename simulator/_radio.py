"""The per-step radio pipeline, vectorized over users x cells: large-scale channel, cell selection with handover,
SINR, slice scheduling, rate, latency and EARTH power. No Python loop over users or cells.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields

import numpy as np
from scipy.special import ndtr

from . import antenna, channel, energy, rate
from .layout import Layout

THERMAL_NOISE_DBM_HZ = -174.0
COVERAGE_SINR_DB = -6.0
LATENCY_CAP_MS = 1000.0
SLICE_INDEX = {"embb": 0, "urllc": 1, "mmtc": 2}
_DB_TO_NEPER = math.log(10.0) / 10.0  # 10**(x/10) == exp(x * ln10/10); exp is ~3x faster than pow


@dataclass
class UserState:
    """Everything that changes per user. `copy()` gives an independent state (snapshots, what-if forks)."""

    xy_m: np.ndarray  # (n, 2)
    h_ut_m: np.ndarray  # (n,)
    indoor: np.ndarray  # (n,) bool
    d_in_m: np.ndarray  # (n,) indoor 2D distance
    o2i_db: np.ndarray  # (n,) O2I penetration loss (0 outdoors)
    slice_idx: np.ndarray  # (n,) int 0..2
    activity_u: np.ndarray  # (n,) U(0,1): active when below the hour's active share
    speed_mps: np.ndarray  # (n,) 0 for static users
    heading_rad: np.ndarray  # (n,) random-direction heading
    waypoint_m: np.ndarray  # (n, 2) random-waypoint target
    xy_at_refresh_m: np.ndarray  # (n, 2) where the large-scale channel was last computed
    # large-scale channel, per user x site
    loss_db: np.ndarray  # (n, n_sites) path loss + shadowing + O2I, dB
    azimuth_deg: np.ndarray  # (n, n_sites) direction of the user seen from the site
    zenith_deg: np.ndarray  # (n, n_sites) zenith angle of departure, 90 = horizon
    los: np.ndarray  # (n, n_sites) bool
    # per user x cell
    gain_db: np.ndarray  # (n, n_cells) coupling gain = BS antenna gain - loss
    rx_dbm: np.ndarray  # (n, n_cells) received power over the whole band
    rx_mw: np.ndarray  # (n, n_cells) the same, linear
    # link state
    serving: np.ndarray  # (n,) int
    ho_target: np.ndarray  # (n,) int, -1 when no candidate
    ho_ttt_steps: np.ndarray  # (n,) steps the candidate has been better
    prev_serving: np.ndarray  # (n,) int, cell before the last handover
    last_ho_step: np.ndarray  # (n,) int
    extra: dict[str, np.ndarray] = field(default_factory=dict)

    def copy(self) -> UserState:
        kw = {f.name: getattr(self, f.name).copy() for f in fields(self) if f.name != "extra"}
        return UserState(**kw, extra={k: v.copy() for k, v in self.extra.items()})

    @property
    def n(self) -> int:
        return int(self.xy_m.shape[0])


@dataclass(frozen=True)
class Environment:
    """What does not change when users are redrawn: layout, frequency, heights, shadowing and LOS maps."""

    layout: Layout
    fc_ghz: float
    site_scenario: tuple[str, ...]  # TR 38.901 scenario per site ("uma", "umi", "rma")
    scenario_groups: tuple[tuple[str, np.ndarray], ...]  # (scenario, site indices)
    # scenario -> fields [LOS state x S, LOS shadowing x S, NLOS shadowing x S] on one grid (S: sites of the group)
    fields: dict[str, channel.SpatialField] | None
    shadowing: bool
    antenna_kind: str
    n_vertical: int
    spacing_wl: float
    micro_gain_dbi: float
    bandwidth_hz: float
    n_prb: int
    noise_mw: float


def large_scale(env: Environment, users: UserState, rows: np.ndarray, rng: np.random.Generator, *,
                checked: bool = True) -> None:
    """Compute path loss (TR 38.901 §7.4.1), LOS state (§7.4.2), shadowing and O2I for `rows`, in place.

    Distances use the nearest wrap-around image of each site (TR 38.901 §7.8 / R1-165974 wrap-around).
    `checked=False` skips the channel models' input checks: for users whose heights were checked when they were
    dropped (the per-step refresh of users who moved); the arithmetic is the same.
    """
    if rows.size == 0:
        return
    lay = env.layout
    xy = users.xy_m[rows]
    # x and y kept apart: numpy reduces a trailing axis of length 2 slowly.
    img_x = lay.site_xy_m[:, 0, None] + lay.wrap_shifts_m[None, :, 0]  # (S, I)
    img_y = lay.site_xy_m[:, 1, None] + lay.wrap_shifts_m[None, :, 1]
    x, y = xy[:, 0, None], xy[:, 1, None]
    dx_all = x[:, :, None] - img_x[None]  # (m, S, I)
    dy_all = y[:, :, None] - img_y[None]
    nearest = np.argmin(dx_all * dx_all + dy_all * dy_all, axis=2)  # (m, S)
    site = np.arange(img_x.shape[0])[None, :]
    dx = x - img_x[site, nearest]  # the same differences as dx_all at the nearest image
    dy = y - img_y[site, nearest]
    d_2d = np.hypot(dx, dy)
    h_ut = users.h_ut_m[rows][:, None]
    h_bs = lay.site_height_m[None, :]
    d_in = users.d_in_m[rows][:, None]
    d_out = np.maximum(d_2d - d_in, 1.0)
    users.azimuth_deg[rows] = np.degrees(np.arctan2(dy, dx))
    users.zenith_deg[rows] = 90.0 + np.degrees(np.arctan2(h_bs - h_ut, d_2d))

    single = len(env.scenario_groups) == 1
    loss = np.empty_like(d_2d)
    los = np.empty(d_2d.shape, dtype=bool)
    for scen, sites in env.scenario_groups:
        # One propagation scenario for every site (the usual case): no column copies.
        d_s, d_out_s, h_bs_s = (d_2d, d_out, h_bs) if single else (d_2d[:, sites], d_out[:, sites], h_bs[:, sites])
        if checked:
            p_los = channel.los_probability(scen, d_out_s, h_ut_m=h_ut)
        else:
            p_los = channel.los_probability_unchecked(scen, d_out_s, h_ut)
        site_idx = np.arange(sites.size)[None, :]
        field = env.fields[scen] if env.fields is not None else None
        loc = field.locate(xy[:, :1], xy[:, 1:]) if field is not None else None
        if field is not None and loc is not None:
            # Spatially consistent LOS: a uniform variate from a correlated Gaussian field per site (§7.6.3.1).
            u = ndtr(field.gather(site_idx, loc))
        else:
            u = rng.uniform(size=p_los.shape)
        los_g = u < p_los
        if checked:
            pl = channel.path_loss_db(scen, d_s, los=los_g, fc_ghz=env.fc_ghz, h_bs_m=h_bs_s, h_ut_m=h_ut)
        else:
            pl = channel.path_loss_unchecked(scen, d_s, los_g, np.asarray(env.fc_ghz, dtype=np.float64), h_bs_s,
                                             h_ut)
        if env.shadowing:
            # RMa LOS: sigma 4 dB before the breakpoint (PL1), 6 dB after it (PL2), Table 7.4.1-1.
            far = (d_s > channel.breakpoint_distance_m(scen, fc_ghz=env.fc_ghz, h_bs_m=h_bs_s,
                                                       h_ut_m=h_ut)) if scen == "rma" else False
            sigma = channel.shadow_fading_std_db(scen, los_g, beyond_breakpoint=far)
            if field is not None and loc is not None:
                # Only the field of each link's own LOS state is read.
                z = field.gather(np.where(los_g, sites.size, 2 * sites.size) + site_idx, loc)
            else:
                z = rng.standard_normal(size=pl.shape)
            pl = pl + sigma * z
        if single:
            loss, los = pl, los_g
        else:
            loss[:, sites] = pl
            los[:, sites] = los_g
    users.loss_db[rows] = loss + users.o2i_db[rows][:, None]
    users.los[rows] = los
    users.xy_at_refresh_m[rows] = xy


def antenna_gain_db(env: Environment, users: UserState, rows: np.ndarray | slice, cells: np.ndarray,
                    tilt_deg: np.ndarray, *, checked: bool = True) -> np.ndarray:
    """BS antenna gain (TR 38.901 Table 7.3-1, or the vertical panel of the calibration) for rows x cells."""
    lay = env.layout
    micro = lay.cell_is_micro[cells]
    az, zen_all = users.azimuth_deg[rows], users.zenith_deg[rows]
    if not micro.any():
        sector, g = cells, None
    else:
        g = np.full((az.shape[0], cells.size), env.micro_gain_dbi)  # small cells: omnidirectional
        sector = cells[~micro]
    if sector.size:
        sites = lay.cell_site[sector]
        phi = az[:, sites] - lay.cell_azimuth_deg[sector][None, :]
        zen = zen_all[:, sites]
        tilt = tilt_deg[sector][None, :]
        if env.antenna_kind == "panel":
            gs = antenna.panel_gain_dbi(phi, zen, tilt_deg=tilt, n_vertical=env.n_vertical,
                                        spacing_wl=env.spacing_wl)
        elif checked:
            gs = antenna.element_gain_dbi(phi, zen, tilt_deg=tilt)
        else:
            gs = antenna.element_gain_unchecked(phi, zen, tilt)
        if g is None:
            return gs
        g[:, ~micro] = gs
    assert g is not None
    return g


def update_gains(env: Environment, users: UserState, rows: np.ndarray | slice, cells: np.ndarray | None,
                 tilt_deg: np.ndarray, tx_power_dbm: np.ndarray, *, checked: bool = True) -> None:
    """Refresh coupling gain and received power for rows x cells (after a channel refresh or a tilt change);
    `cells=None` is every cell."""
    every = cells is None
    if cells is None:
        cells = np.arange(users.gain_db.shape[1])
    sites = env.layout.cell_site[cells]
    g = antenna_gain_db(env, users, rows, cells, tilt_deg, checked=checked) - users.loss_db[rows][:, sites]
    if isinstance(rows, slice):
        users.gain_db[:, cells] = g
        update_rx(users, rows, cells, tx_power_dbm)
    elif every:
        # Whole rows (the per-step refresh): row indexing, and the received power from `g` itself, which is
        # exactly what was stored.
        users.gain_db[rows] = g
        _set_rx(users, rows, g + tx_power_dbm[None, :])
    else:
        users.gain_db[np.ix_(rows, cells)] = g
        update_rx(users, rows, cells, tx_power_dbm)


def _set_rx(users: UserState, rows: np.ndarray, rx: np.ndarray) -> None:
    """Received power of whole rows, dBm and mW, and the cached best cell of those rows (see `select_cells`)."""
    users.rx_dbm[rows] = rx
    users.rx_mw[rows] = np.exp(rx * _DB_TO_NEPER)
    offset = users.extra.get("sel_offset")
    if offset is not None:
        metric = rx + offset[None, :]
        best = np.argmax(metric, axis=1)
        users.extra["sel_best"][rows] = best
        users.extra["sel_best_val"][rows] = metric[np.arange(rows.size), best]


def update_rx(users: UserState, rows: np.ndarray | slice, cells: np.ndarray, tx_power_dbm: np.ndarray) -> None:
    """Received power of rows x cells from the coupling gain and the cells' transmit power."""
    ix = (slice(None), cells) if isinstance(rows, slice) else np.ix_(rows, cells)
    rx = users.gain_db[ix] + tx_power_dbm[cells][None, :]
    users.rx_dbm[ix] = rx
    users.rx_mw[ix] = np.exp(rx * _DB_TO_NEPER)
    _drop_selection_cache(users)


def _drop_selection_cache(users: UserState) -> None:
    for key in ("sel_offset", "sel_best", "sel_best_val"):
        users.extra.pop(key, None)


def _best_cells(users: UserState, offset: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """argmax over cells of RSRP + offset (CIO, -inf for sleeping cells) per user, and its value.

    Cached in `users.extra` with the offset it was computed for: the received powers change only for the users
    whose channel is refreshed (`_set_rx` updates their rows) or on a change of power or tilt (which drops the
    cache), so a step recomputes the argmax over users x cells only when the knobs changed."""
    cached = users.extra.get("sel_offset")
    if cached is not None and np.array_equal(cached, offset):
        return users.extra["sel_best"], users.extra["sel_best_val"]
    metric = users.rx_dbm + offset[None, :]
    best = np.argmax(metric, axis=1)
    best_val = metric[np.arange(users.n), best]
    users.extra.update(sel_offset=offset.copy(), sel_best=best, sel_best_val=best_val)
    return best, best_val


def select_cells(users: UserState, active: np.ndarray, cio_db: np.ndarray, *, hysteresis_db: float,
                 ttt_steps: int, step: int, ping_pong_steps: int, advance: bool) -> tuple[int, int, np.ndarray]:
    """Cell selection on RSRP + CIO among active cells, with A3-style hysteresis and time-to-trigger
    (TS 38.331 §5.5.4.4: Mn + Ocn > Mp + Ocp + Hys for TTT). A user whose serving cell went to sleep is handed
    over at once. Returns (handovers, ping-pongs, handover mask)."""
    offset = np.where(active, cio_db, -np.inf)
    best, best_val = _best_cells(users, offset)  # (read here only: later refreshes update the cache in place)
    rows = np.arange(users.n)
    # RSRP + offset of the serving cell: the same sum as the metric's entry
    serving_val = users.rx_dbm[rows, users.serving] + offset[users.serving]
    forced = ~active[users.serving]
    if advance:
        better = (best != users.serving) & (best_val > serving_val + hysteresis_db)
        same_target = better & (users.ho_target == best)
        users.ho_ttt_steps = np.where(same_target, users.ho_ttt_steps + 1, np.where(better, 1, 0))
        users.ho_target = np.where(better, best, -1)
        triggered = better & (users.ho_ttt_steps >= max(ttt_steps, 1))
    else:
        triggered = np.zeros(users.n, dtype=bool)
    ho = forced | triggered
    if not ho.any():
        return 0, 0, ho
    ping = ho & (best == users.prev_serving) & (step - users.last_ho_step <= ping_pong_steps)
    users.prev_serving = np.where(ho, users.serving, users.prev_serving)
    users.serving = np.where(ho, best, users.serving)
    users.last_ho_step = np.where(ho, step, users.last_ho_step)
    users.ho_ttt_steps = np.where(ho, 0, users.ho_ttt_steps)
    users.ho_target = np.where(ho, -1, users.ho_target)
    return int(ho.sum()), int(ping.sum()), ho


def sinr_db(env: Environment, users: UserState, interferer_weight: np.ndarray, active: np.ndarray) -> np.ndarray:
    """Wideband SINR with interference from every other cell weighted by its PRB load (0 for sleeping cells),
    thermal noise −174 dBm/Hz over the band plus the UE noise figure. −inf when no cell is active."""
    serving = users.serving
    signal = np.where(active[serving], users.rx_mw[np.arange(serving.size), serving], 0.0)
    # einsum, not BLAS: single-threaded and bit-reproducible, and free of OpenBLAS thread spinning on busy machines.
    total = np.einsum("ij,j->i", users.rx_mw, interferer_weight)
    interference = np.maximum(total - signal * interferer_weight[serving], 0.0)
    with np.errstate(divide="ignore"):
        return 10.0 * np.log10(signal / (interference + env.noise_mw))


def schedule(
    *,
    serving: np.ndarray,
    slice_idx: np.ndarray,
    active_user: np.ndarray,
    se_bps_hz: np.ndarray,
    slice_shares: np.ndarray,
    demand_mbps: np.ndarray | None,
    bandwidth_hz: float,
    scheduler: str,
    n_cells: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Share each cell's PRBs among its users, slice by slice. Returns (PRB fraction per user, throughput Mbit/s).

    Slices are isolated: slice s of cell c owns `slice_shares[c, s]` of the band. Inside a slice:
    - "pf": proportional fair. In a wideband model without fast fading PF converges to equal time shares among
      backlogged users, so with finite demand it is a max-min (water-filling) split of time: users needing less
      than the fair level get their need and the rest is shared equally (work-conserving).
    - "rr": round robin: equal shares; what a user does not need is left unused.
    With `demand_mbps=None` (full buffer) every active user is backlogged and both give equal shares.
    """
    n_groups = n_cells * 3
    group = serving * 3 + slice_idx
    cap = slice_shares.reshape(-1)  # (n_cells*3,)
    cap_mbps = bandwidth_hz / 1e6 * se_bps_hz
    if demand_mbps is None:
        need = np.where(active_user, np.inf, 0.0)
    else:
        with np.errstate(divide="ignore", invalid="ignore"):
            need = np.where(active_user, np.where(cap_mbps > 0, demand_mbps / cap_mbps, np.inf), 0.0)
    backlogged = active_user.copy()
    n_users = np.bincount(group[backlogged], minlength=n_groups).astype(float)
    if scheduler == "rr":
        level = np.divide(cap, n_users, out=np.zeros_like(cap), where=n_users > 0)
        alloc = np.minimum(need, level[group])
    else:
        satisfied = np.zeros_like(backlogged)
        level = np.zeros(n_groups)
        for _ in range(12):  # water-filling converges in at most a few rounds; each round is vectorized
            used = np.bincount(group[satisfied], weights=need[satisfied], minlength=n_groups)
            n_unsat = np.bincount(group[backlogged & ~satisfied], minlength=n_groups).astype(float)
            level = np.divide(np.maximum(cap - used, 0.0), n_unsat, out=np.full(n_groups, np.inf), where=n_unsat > 0)
            newly = backlogged & ~satisfied & (need <= level[group])
            if not newly.any():
                break
            satisfied |= newly
        alloc = np.where(satisfied, need, np.where(backlogged, level[group], 0.0))
    alloc = np.where(np.isfinite(alloc), alloc, 0.0)
    # A user with zero spectral efficiency cannot use resources: it gets none (and no throughput).
    alloc = np.where(se_bps_hz > 0, alloc, 0.0)
    return alloc, alloc * cap_mbps


def spectral_efficiency(sinr: np.ndarray, model: str) -> np.ndarray:
    if model == "cqi":
        return rate.cqi_spectral_efficiency(sinr)
    # The SINR comes from `sinr_db` (never NaN): the rate model's input checks are skipped on this per-step path.
    return rate.shannon_unchecked(sinr)


#: Below this |(K+1) ln ρ| the M/M/1/K formulas are evaluated by their series around ρ = 1 (no cancellation).
_MM1K_SERIES = 1e-4
#: Above this −K ln ρ (ρ < 1), ρ^K < 5e-18: P_K < ρ^K and M/M/1's E[N] = ρ/(1−ρ) is exact to (K+1) ρ^K.
_MM1K_INFINITE = 40.0


def mm1k(rho: np.ndarray, k: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """M/M/1/K with load ρ = λ/μ ≥ 0 and room for K ≥ 1 packets (queue plus the one in service): the mean number in
    the system E[N] and the blocking probability P_K (Kleinrock, Queueing Systems Vol. 1, 1975, §3.6):

        p_n = (1 − ρ) ρ^n / (1 − ρ^(K+1)),  n = 0..K;   P_K = p_K;   E[N] = ρ/(1 − ρ) − (K+1) ρ^(K+1) / (1 − ρ^(K+1)).

    Finite for every ρ (overloaded queues through 1/ρ, no overflow), continuous in ρ and K (K need not be an
    integer), and at |(K+1) ln ρ| < 1e-4 taken from the first-order series around ρ = 1 (E[N] = K/2 + K(K+2)/12 ·
    (ρ−1), P_K = 1/(K+1) + K/(2(K+1)) · (ρ−1)), where the closed form cancels. E[N] → ρ/(1−ρ) and P_K → 0 as K → ∞
    for ρ < 1 (M/M/1, used as is once ρ^K < 5e-18); E[N] → K and P_K → 1 − 1/ρ as ρ → ∞.
    """
    rho = np.asarray(rho, dtype=float)
    k = np.broadcast_to(np.asarray(k, dtype=float), rho.shape)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore", under="ignore"):
        n = np.where(rho > 0.0, rho / (1.0 - rho), 0.0)  # M/M/1, overwritten below where the buffer matters
        p = np.zeros(rho.shape)
        # ln ρ ≤ ρ − 1, so ρ < 1 − 40/K gives ρ^K < e^−40 without a logarithm: most users of a cell stop here.
        full = (rho > 0.0) & (rho >= 1.0 - _MM1K_INFINITE / k)
        if full.any():
            idx = np.flatnonzero(full)
            idx = idx[k[idx] * np.log(rho[idx]) > -_MM1K_INFINITE]  # the exact test, on the few left
        if not full.any() or idx.size == 0:
            return n, p
        r, kk = rho[idx], k[idx]
        a = np.abs(np.log(r))
        y = np.minimum((kk + 1.0) * a, 700.0)
        em_a, em_y = np.expm1(-a), np.expm1(-y)  # 1/ρ^... forms: no overflow for ρ > 1
        lo = r < 1.0
        # ρ < 1: P = (1−ρ) ρ^K / (1−ρ^(K+1)); ρ > 1: the same divided through by ρ^(K+1).
        pf = em_a / em_y * np.where(lo, np.exp(-np.minimum(kk * a, 700.0)), 1.0)
        nf = r / (1.0 - r) - (kk + 1.0) / em_y * np.where(lo, -(1.0 + em_y), 1.0)
        near = y < _MM1K_SERIES
        if near.any():
            d, kn = r[near] - 1.0, kk[near]
            pf[near] = 1.0 / (kn + 1.0) + kn / (2.0 * (kn + 1.0)) * d
            nf[near] = kn / 2.0 + kn * (kn + 2.0) / 12.0 * d
        n[idx], p[idx] = nf, pf
    return n, p


def backlogged_share(group: np.ndarray, need: np.ndarray, n_groups: int) -> np.ndarray:
    """The share of its cell-slice each user gets while it has data queued: the proportional-fair (max-min) level
    L_i that solves Σ_{j≠i} min(ρ_j, L_i) + L_i = 1, i.e. what the water-filling scheduler would give user i were it
    permanently backlogged, the other users keeping their loads ρ_j (needs as shares of the slice).

    L_i = 1 − Σ_{j≠i} ρ_j when no other user needs more than that (the capacity the others leave: with it the delay
    is the processor-sharing s_i / (1 − ρ)); with heavier neighbours it is their max-min share instead (two users, one
    saturating: 1/2, not 1 − ρ_other → 0); for a user the scheduler cannot satisfy it is the scheduler's own level,
    so its queue's loss is the scheduler's shortfall. Continuous and non-increasing in every other user's load.
    Solved exactly per cell-slice from the sorted loads (piecewise-linear in L), only in the cell-slices where a
    load exceeds 1 − ρ.
    """
    rho = np.bincount(group, weights=need, minlength=n_groups)
    share = 1.0 - (rho[group] - need)
    top = np.zeros(n_groups)
    np.maximum.at(top, group, need)
    hot = np.flatnonzero((top > 1.0 - rho)[group])
    if hot.size == 0:
        return share
    # Loads above 1 are all alike to a level that cannot exceed 1: clip them (keeps the sums small and exact).
    g, n = group[hot], np.minimum(need[hot], 2.0)
    order = np.argsort(g * 4.0 + n, kind="stable")  # by cell-slice, then load
    gs, ns = g[order], n[order]
    first = np.empty(gs.size, dtype=bool)
    first[0] = True
    np.not_equal(gs[1:], gs[:-1], out=first[1:])
    starts = np.flatnonzero(first)
    gi = np.cumsum(first) - 1  # cell-slices renumbered 0.. in order
    st = starts[gi]
    m = np.diff(np.append(starts, gs.size))[gi]
    k = np.arange(gs.size) - st  # rank inside the cell-slice
    cs = np.cumsum(ns)
    before = (cs - ns)[st]
    below = cs - ns - before  # Σ of the loads ranked below
    # G(L) = Σ_j min(ρ_j, L) + L at each breakpoint L = ρ_(k), F(L) = G(L) − L: both increase with k; an offset per
    # cell-slice makes them one sorted array for searchsorted.
    off = gi * (2.0 * float(m.max()) + 8.0)
    key_g = below + (m - k + 1) * ns + off
    key_f = key_g - ns
    end = st + m
    last = gs.size - 1
    # L_i > ρ_i: G(L) = 1 + ρ_i. On the segment below the first breakpoint p with G ≥ 1 + ρ_i, G(L) = Σ_below(p)
    # + (m − k_p + 1) L; past every load, G(L) = Σ ρ + L.
    p = np.searchsorted(key_g, 1.0 + ns + off)
    inside, p = p < end, np.minimum(p, last)
    lvl = np.where(inside, (1.0 + ns - below[p]) / (m - (p - st) + 1), 1.0 + ns - (cs[end - 1] - before))
    # Otherwise (the scheduler cannot satisfy user i) L_i is the scheduler's level: F(L) = 1.
    q = np.searchsorted(key_f, 1.0 + off)
    inside_f, q = q < end, np.minimum(q, last)
    with np.errstate(divide="ignore"):
        level = np.where(inside_f, (1.0 - below[q]) / (m - (q - st)), np.inf)
    out = np.empty(gs.size)
    out[order] = np.where(lvl >= ns, lvl, level)
    share[hot] = out
    return share


def packet_delay(
    *,
    serving: np.ndarray,
    slice_idx: np.ndarray,
    active_user: np.ndarray,
    throughput_mbps: np.ndarray,
    demand_mbps: np.ndarray | None,
    se_bps_hz: np.ndarray,
    slice_shares: np.ndarray,
    bandwidth_hz: float,
    packet_bits: np.ndarray,
    base_latency_ms: np.ndarray,
    buffer_ms: np.ndarray,
    n_cells: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per user: (mean packet delay in ms, share of its packets lost, served). docs/kpis.md gives the model in full.

    A user is served when active, with a usable link (spectral efficiency > 0) and a non-zero PRB share for its slice
    in its cell. An active user who is not served loses every packet (loss 1) and has no delay (the value returned
    for it is the cap, a placeholder the KPIs never average).

    Finite demand, one M/M/1/K queue per user (its own RLC/PDCP buffer) fed by Poisson packets of L_s bits at λ_i =
    demand_i / L_s. Alone on its slice a packet takes s_i = L_s / (share · B · SE_i); the user's load is ρ_i = λ_i
    s_i (the scheduler's need, as a share of the slice) and the cell-slice's ρ = Σ ρ_i. While backlogged the user
    is served at c_i / s_i packets/s, c_i = `backlogged_share`: the capacity the other users leave, 1 − (ρ − ρ_i)
    (with which the mean delay is s_i / (1 − ρ), the M/G/1 processor-sharing sojourn time, Kleinrock Vol. 2, 1976,
    ch. 4; for one user 1 / (μ − λ), M/M/1), or the max-min share the proportional-fair scheduler guarantees when
    heavier users leave less. The buffer holds the slice's discard time D_s of that service: K_i = max(1,
    D_s c_i / s_i). With the user's queue load ρ'_i = ρ_i / c_i, `mm1k` gives its loss P_K and mean occupancy E[N],
    and a delivered packet's delay is E[N] / (λ_i (1 − P_K)) (Little), at most D_s, plus the slice's fixed budget,
    capped at `LATENCY_CAP_MS`. For a user the scheduler cannot satisfy, c_i is the scheduler's level and the loss
    tends to 1 − throughput/demand, the scheduler's own shortfall.

    Full buffer has no arrival process: the delay is the fixed budget plus the transmission time of one packet at
    the user's throughput, and nothing is lost (every served user's buffer is by definition never empty).
    """
    n_groups = n_cells * 3
    group = serving * 3 + slice_idx
    share_u = slice_shares.reshape(-1)[group]
    rate_bps = bandwidth_hz * share_u * se_bps_hz  # the whole slice's rate for this user
    served = active_user & (rate_bps > 0)
    pkt = packet_bits[slice_idx]
    base = base_latency_ms[slice_idx]
    with np.errstate(divide="ignore", invalid="ignore"):
        if demand_mbps is None:
            served &= throughput_mbps > 0
            delay = np.where(served, np.minimum(base + pkt / (throughput_mbps * 1e3), LATENCY_CAP_MS), LATENCY_CAP_MS)
            return delay, np.where(served, 0.0, 1.0), served
        # Over every user (cheaper than indexing the served ones); an unserved user gets ρ_i = 0 and is masked.
        lam_i = demand_mbps * 1e6 / pkt  # packets/s
        rho_i = np.where(served, demand_mbps * 1e6 / rate_bps, 0.0)  # λ_i s_i = need / share
        c_i = np.maximum(backlogged_share(group, rho_i, n_groups), 1e-9)
        buf_s = buffer_ms[slice_idx] * 1e-3
        # K_i = D_s c_i / s_i packets, s_i = ρ_i / λ_i
        n_sys, p_loss = mm1k(rho_i / c_i, np.maximum(buf_s * c_i * lam_i / np.where(served, rho_i, 1.0), 1.0))
        q_ms = 1e3 * np.minimum(n_sys / (lam_i * (1.0 - p_loss)), buf_s)
    delay = np.where(served, np.minimum(base + q_ms, LATENCY_CAP_MS), LATENCY_CAP_MS)
    return delay, np.where(served, p_loss, 1.0), served


def cell_power_w(
    cell_is_micro: np.ndarray, active: np.ndarray, prb_utilization: np.ndarray, tx_power_dbm: np.ndarray
) -> np.ndarray:
    """EARTH power per cell: a macro cell is one sector carrying 2 of its site's 6 transceivers (1/3 of the site's
    EARTH figure); a micro cell is its own site (N_TRX 2). RF load = PRB utilization x configured / maximum power."""
    out = np.empty(active.shape[0])
    for cls, mask in (("micro", cell_is_micro), ("macro", ~cell_is_micro)):
        n_cls = int(np.count_nonzero(mask))
        if not n_cls:
            continue
        p = energy.EARTH[cls]
        share = 1.0 / 3.0 if cls == "macro" else 1.0
        p_cell_max_w = p.n_trx * share * p.p_max_w
        # Every cell of one class (a macro-only layout): whole arrays, no masked copies.
        every = n_cls == mask.size
        tx, util, on = (tx_power_dbm, prb_utilization, active) if every else \
            (tx_power_dbm[mask], prb_utilization[mask], active[mask])
        tx_w = 10.0 ** ((tx - 30.0) / 10.0)
        # The load is clipped to [0, 1] here, so the EARTH model's input checks are skipped (same arithmetic).
        load = np.clip(util * tx_w / p_cell_max_w, 0.0, 1.0)
        power = share * energy.earth_power_unchecked(p, p.n_trx, load, ~on)
        if every:
            return power
        out[mask] = power
    return out


def max_tx_power_dbm(cell_class: str) -> float:
    """The most a cell can radiate: its transceivers' EARTH P_max (macro: 2 x 20 W = 46.0 dBm; micro: 2 x 6.3 W =
    41.0 dBm)."""
    p = energy.EARTH[cell_class]
    n_trx = p.n_trx / 3.0 if cell_class == "macro" else p.n_trx
    return float(np.floor(10.0 * np.log10(n_trx * p.p_max_w * 1e3) * 10.0) / 10.0)
