"""KPI accumulation over a window of steps, and the KPI report (network, per slice, per cell).

Per step only O(users + cells) sums are accumulated; percentiles and per-cell grouping are computed when
`Network.kpis()` is called. User throughput KPIs follow the usual system-level definition: the distribution of
per-user throughput averaged over the window (the 5th percentile is the "cell-edge" user throughput; network-wide and
per cell it is taken over the users of `EDGE_THROUGHPUT_SLICES` only). Delay and loss (docs/kpis.md): a user's delay
is the mean over the steps it was served; `latency_ms` averages it over the users served at least once,
`latency_p95_ms` its 95th percentile over the same users (a user never served counts in the loss; if nobody
active was served, both are the cap), and `packet_loss` is the share of the offered traffic (demand x time; full
buffer: one unit per active user-step) lost.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence

import numpy as np
from airloop.core import EDGE_THROUGHPUT_SLICES

from ._radio import COVERAGE_SINR_DB, LATENCY_CAP_MS, SLICE_INDEX
from .types import SLICES, CellKPIs, KPIReport, KPIs


def jain_index(x: np.ndarray) -> float:
    """Jain's fairness index (Σx)² / (n Σx²); 0 when nobody gets anything."""
    if x.size == 0:
        return 0.0
    s2 = float(np.dot(x, x))
    return float(x.sum() ** 2 / (x.size * s2)) if s2 > 0 else 0.0


def percentile(x: np.ndarray, q: float) -> float:
    """numpy's default (linear) percentile via a partial sort: same value as `np.percentile`, less overhead."""
    if x.size == 0:
        return 0.0
    pos = q / 100.0 * (x.size - 1)
    lo = int(np.floor(pos))
    hi = min(lo + 1, x.size - 1)
    part = np.partition(x, (lo, hi))
    return float(part[lo] + (pos - lo) * (part[hi] - part[lo]))


def mean_kpis(items: Sequence[KPIs]) -> KPIs:
    fields = list(KPIs.model_fields)
    arr = np.array([[getattr(k, f) for f in fields] for k in items], dtype=float)
    values: dict[str, float] = {f: float(v) for f, v in zip(fields, arr.mean(axis=0), strict=True)}
    return KPIs.model_construct(None, **values)


class KPIAccumulator:
    """Sums over the current KPI window. A zero-duration sample (after apply / set_hour) stands in until the
    first real step, which replaces it."""

    def __init__(self, n_ues: int, n_cells: int) -> None:
        self.n_ues, self.n_cells = n_ues, n_cells
        self.reset()

    def reset(self) -> None:
        n, c = self.n_ues, self.n_cells
        self.samples = 0
        self.zero_sample = False
        self.elapsed_s = 0.0
        self.thr_sum = np.zeros(n)
        self.sat_sum = np.zeros(n)
        self.act_count = np.zeros(n)
        self.cov_count = np.zeros(n)
        self.lat_sum = np.zeros(n)  # delay x served steps
        self.srv_count = np.zeros(n)  # steps served
        self.offered_sum = np.zeros(n)  # offered traffic (demand x active steps)
        self.lost_sum = np.zeros(n)  # the part of it lost
        self.ho_count = np.zeros(n)
        self.util_sum = np.zeros(c)
        self.power_sum = np.zeros(c)
        self.active_sum = np.zeros(c)
        self.slice_power_sum = np.zeros(3)
        self.handovers = 0
        self.ping_pongs = 0

    def copy(self) -> KPIAccumulator:
        return copy.deepcopy(self)

    def add(self, *, advance: bool, step_s: float, sinr_db: np.ndarray, throughput_mbps: np.ndarray,
            demand_mbps: np.ndarray | None, latency_ms: np.ndarray, packet_loss: np.ndarray, served: np.ndarray,
            active_user: np.ndarray, serving: np.ndarray,
            slice_idx: np.ndarray, alloc: np.ndarray, prb_utilization: np.ndarray, power_w: np.ndarray,
            cell_active: np.ndarray, handovers: int, ping_pongs: int, ho_mask: np.ndarray | None = None) -> None:
        if advance and self.zero_sample:
            ho, pp, ho_users = self.handovers, self.ping_pongs, self.ho_count
            self.reset()
            # Handovers forced by an apply (sleeping cells) belong to the window that follows it.
            self.handovers, self.ping_pongs, self.ho_count = ho, pp, ho_users
        self.zero_sample = not advance
        self.samples += 1
        if advance:
            self.elapsed_s += step_s
        act = active_user.astype(float)
        self.act_count += act
        self.thr_sum += throughput_mbps * act
        if demand_mbps is not None:
            self.sat_sum += np.minimum(throughput_mbps / np.maximum(demand_mbps, 1e-12), 1.0) * act
        else:
            self.sat_sum += throughput_mbps * act
        self.cov_count += sinr_db >= COVERAGE_SINR_DB
        srv = served.astype(float)
        self.srv_count += srv
        self.lat_sum += latency_ms * srv
        offered = act * demand_mbps if demand_mbps is not None else act
        self.offered_sum += offered
        self.lost_sum += offered * packet_loss
        if ho_mask is not None:
            self.ho_count += ho_mask
        self.util_sum += prb_utilization
        self.power_sum += power_w
        self.active_sum += cell_active
        # Attribute each cell's power to slices by their share of its used resource blocks (idle power: equally).
        # bincount over (cell, slice) groups, the idiom the rest of the pipeline uses (np.add.at is slow per step).
        used = np.bincount(serving * 3 + slice_idx, weights=alloc, minlength=self.n_cells * 3).reshape(-1, 3)
        tot = used.sum(1, keepdims=True)
        w = np.where(tot > 0, used / np.where(tot > 0, tot, 1.0), 1.0 / 3.0)
        self.slice_power_sum += (power_w[:, None] * w).sum(0)
        self.handovers += handovers
        self.ping_pongs += ping_pongs

    # ------------------------------------------------------------------ report
    def _user_values(self) -> tuple[np.ndarray, ...]:
        """Per user over the window: (active at all, mean throughput, mean satisfaction, served at all, mean delay
        over the served steps or the cap if never served)."""
        cnt = np.maximum(self.act_count, 1.0)
        ever = self.srv_count > 0
        delay = np.where(ever, self.lat_sum / np.maximum(self.srv_count, 1.0), LATENCY_CAP_MS)
        return self.act_count > 0, self.thr_sum / cnt, self.sat_sum / cnt, ever, delay

    def _kpis(self, users: np.ndarray, values: tuple[np.ndarray, ...], sums: np.ndarray, *, edge: np.ndarray | None,
              energy_w: float, active_cells: float, util: float) -> KPIs:
        """KPIs over the users in the mask `users` (`values`: `_user_values()`; `sums`: over those users, the
        delay sum and count over the users ever served, offered and lost traffic, the user count, the covered
        user-steps and the handovers); the 5th-percentile throughput over those in `edge` too (None: all of them)."""
        act_all, thr_u, sat_u, ever_u, delay_u = values
        s = max(self.samples, 1)
        act = users & act_all
        thr = thr_u[act]
        sat = sat_u[act]
        thr_edge = thr if edge is None else thr_u[act & edge]
        # delay statistics over the users served at least once (a user never served is counted in the loss)
        delay = delay_u[users & ever_u]
        # nobody served although someone wanted service: the cap (so serving nobody never looks fast)
        no_delay = LATENCY_CAP_MS if thr.size else 0.0
        d_sum, d_cnt, offered, lost, n_users_f, covered, handovers = (float(x) for x in sums)
        n_users = int(n_users_f)
        minutes = self.elapsed_s / 60.0
        ho_rate = float(handovers / max(n_users, 1) / minutes) if minutes > 0 else 0.0
        total_thr = float(thr.sum())
        return KPIs.model_construct(
            energy_w=float(energy_w),
            energy_efficiency=float(total_thr / energy_w) if energy_w > 0 else 0.0,
            throughput_mean_mbps=total_thr / thr.size if thr.size else 0.0,  # = thr.mean(), bit for bit
            throughput_p5_mbps=percentile(thr_edge, 5.0),
            coverage=float(covered / (max(n_users, 1) * s)),
            fairness=jain_index(sat),
            latency_ms=d_sum / d_cnt if d_cnt > 0 else no_delay,
            latency_p95_ms=percentile(delay, 95.0) if delay.size else no_delay,
            packet_loss=lost / offered if offered > 0 else 0.0,
            handover_rate=ho_rate,
            prb_utilization=float(util),
            active_cells=float(active_cells),
        )

    def report(self, *, hour: int, step: int, n_slices: int, cell_active: np.ndarray, serving: np.ndarray,
               slice_idx: np.ndarray) -> KPIReport:
        s = max(self.samples, 1)
        power = self.power_sum / s
        util = self.util_sum / s
        active_mean = self.active_sum / s
        on = active_mean > 0
        util_on = float(util[on].mean()) if on.any() else 0.0
        everyone = np.ones(self.n_ues, dtype=bool)
        edge = edge_users(slice_idx)
        values = self._user_values()
        ever, delay = values[3], values[4]
        # Per slice: delay sum and count over the users ever served, offered and lost traffic, users, covered
        # user-steps, handovers. The last three are integer-valued, so their sums are exact in any order.
        sums = np.stack([np.bincount(slice_idx, weights=w, minlength=3)
                         for w in (np.where(ever, delay, 0.0), ever, self.offered_sum, self.lost_sum, None,
                                   self.cov_count, self.ho_count)], axis=1)
        network = self._kpis(everyone, values, sums.sum(0), edge=edge, energy_w=float(power.sum()),
                             active_cells=float(active_mean.sum()), util=util_on)
        per_slice = {
            name: self._kpis(slice_idx == i, values, sums[i], edge=None, energy_w=float(self.slice_power_sum[i] / s),
                             active_cells=float(active_mean.sum()), util=util_on)
            for i, name in enumerate(SLICES[:n_slices])
        }
        # Built from validated parts (KPIs of floats, ints): no second validation pass.
        rep = KPIReport.model_construct(network=network, per_slice=per_slice, hour=hour, step=step)
        serving = serving.copy()
        snapshot: tuple = (self.samples, self.elapsed_s, self.act_count.copy(), self.thr_sum.copy(), self.sat_sum.copy(),
                    self.lat_sum.copy(), self.cov_count.copy(), self.ho_count.copy(), self.srv_count.copy(),
                    self.offered_sum.copy(), self.lost_sum.copy(), edge)
        rep._cells = lambda: self._per_cell(serving, power, util, active_mean, snapshot)
        return rep

    def _per_cell(self, serving: np.ndarray, power: np.ndarray, util: np.ndarray, active_mean: np.ndarray,
                  window: tuple) -> list[CellKPIs]:
        """Per-cell KPIs over the users each cell serves now, all vectorized with bincount and one sort.

        `window` holds copies of the sums at report time, so a report read later still describes its own window."""
        (samples, elapsed_s, act_count, thr_sum, sat_sum, lat_sum, cov_count, ho_count, srv_count, offered_sum,
         lost_sum, edge) = window
        c = self.n_cells
        s = max(samples, 1)
        act = act_count > 0
        cnt = np.maximum(act_count, 1.0)
        thr = np.where(act, thr_sum / cnt, 0.0)
        sat = np.where(act, sat_sum / cnt, 0.0)
        ever = act & (srv_count > 0)
        delay = np.where(ever, lat_sum / np.maximum(srv_count, 1.0), LATENCY_CAP_MS)
        users = np.bincount(serving, minlength=c)
        n_act = np.bincount(serving[act], minlength=c).astype(float)
        thr_sum = np.bincount(serving[act], weights=thr[act], minlength=c)
        sat_sum = np.bincount(serving[act], weights=sat[act], minlength=c)
        sat_sq = np.bincount(serving[act], weights=sat[act] ** 2, minlength=c)
        n_ever = np.bincount(serving[ever], minlength=c).astype(float)
        lat_sum = np.bincount(serving[ever], weights=delay[ever], minlength=c)
        offered = np.bincount(serving, weights=offered_sum, minlength=c)
        lost = np.bincount(serving, weights=lost_sum, minlength=c)
        cov = np.bincount(serving, weights=cov_count, minlength=c) / (np.maximum(users, 1) * s)
        ho = np.bincount(serving, weights=ho_count, minlength=c)
        minutes = elapsed_s / 60.0
        p5 = _group_percentile(serving[act & edge], thr[act & edge], c, 5.0)
        p95 = _group_percentile(serving[ever], delay[ever], c, 95.0)
        with np.errstate(divide="ignore", invalid="ignore"):
            mean_thr = np.where(n_act > 0, thr_sum / np.maximum(n_act, 1), 0.0)
            fair = np.where(sat_sq > 0, sat_sum**2 / (np.maximum(n_act, 1) * sat_sq), 0.0)
            no_delay = np.where(n_act > 0, LATENCY_CAP_MS, 0.0)
            mean_lat = np.where(n_ever > 0, lat_sum / np.maximum(n_ever, 1), no_delay)
            p95 = np.where(n_ever > 0, p95, no_delay)
            loss = np.where(offered > 0, lost / np.where(offered > 0, offered, 1.0), 0.0)
            ee = np.where(power > 0, thr_sum / power, 0.0)
            ho_rate = np.where(users > 0, ho / np.maximum(users, 1) / minutes, 0.0) if minutes > 0 else np.zeros(c)
        return [
            CellKPIs.model_construct(
                cell=i, users=int(users[i]), load=float(util[i]), power_w=float(power[i]), energy_w=float(power[i]),
                energy_efficiency=float(ee[i]), throughput_mean_mbps=float(mean_thr[i]),
                throughput_p5_mbps=float(p5[i]), coverage=float(cov[i]), fairness=float(fair[i]),
                latency_ms=float(mean_lat[i]), latency_p95_ms=float(p95[i]), packet_loss=float(loss[i]),
                handover_rate=float(ho_rate[i]), prb_utilization=float(util[i]),
                active_cells=float(active_mean[i]))
            for i in range(c)
        ]


def edge_users(slice_idx: np.ndarray) -> np.ndarray:
    """Users of the slices with a throughput target (`EDGE_THROUGHPUT_SLICES`), whose throughput sets the p5."""
    return _EDGE_SLICE[slice_idx]


_EDGE_SLICE = np.array([s in EDGE_THROUGHPUT_SLICES for s in sorted(SLICE_INDEX, key=SLICE_INDEX.__getitem__)])


def _group_percentile(group: np.ndarray, values: np.ndarray, n_groups: int, q: float) -> np.ndarray:
    """The q-th percentile of `values` within each group (linear interpolation, as numpy's default); 0 if empty."""
    out = np.zeros(n_groups)
    if values.size == 0:
        return out
    order = np.lexsort((values, group))
    g, v = group[order], values[order]
    counts = np.bincount(g, minlength=n_groups)
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    has = counts > 0
    pos = q / 100.0 * (counts[has] - 1)
    lo = np.floor(pos).astype(int)
    hi = np.minimum(lo + 1, counts[has] - 1)
    vlo = v[starts[has] + lo]
    vhi = v[starts[has] + hi]
    out[has] = vlo + (pos - lo) * (vhi - vlo)
    return out
