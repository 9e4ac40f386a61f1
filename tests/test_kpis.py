"""Delay, loss and edge-throughput KPIs (docs/kpis.md): the M/M/1/K formulas, one cell-slice against closed forms
and near saturation, the KPI report's definitions, and the seed-to-seed spread of URLLC latency."""

from __future__ import annotations

import math

import mpmath
import numpy as np
import pytest
from airloop.core import EDGE_THROUGHPUT_SLICES
from airloop.simulator import Network, _radio
from airloop.simulator._radio import LATENCY_CAP_MS, mm1k, packet_delay

B_HZ = 20e6


def exact_mm1k(rho: float, k: float) -> tuple[float, float]:
    mpmath.mp.dps = 50
    r, kk = mpmath.mpf(rho), mpmath.mpf(k)
    if r == 1:
        return float(kk / 2), float(1 / (kk + 1))
    n = r / (1 - r) - (kk + 1) * r ** (kk + 1) / (1 - r ** (kk + 1))
    p = (1 - r) * r**kk / (1 - r ** (kk + 1))
    return float(n), float(p)


@pytest.mark.parametrize("k", [1.0, 2.5, 10.0, 600.0, 1e4])
@pytest.mark.parametrize("rho", [1e-9, 0.01, 0.5, 0.95, 0.999, 1 - 1e-8, 1.0, 1 + 1e-8, 1.001, 1.5, 10.0, 1e6])
def test_mm1k_matches_the_exact_formula_everywhere(rho, k):
    n, p = mm1k(np.array([rho]), np.array([k]))
    n_ref, p_ref = exact_mm1k(rho, k)
    assert n[0] == pytest.approx(n_ref, rel=1e-8)
    assert p[0] == pytest.approx(p_ref, rel=1e-8, abs=1e-15)


def test_mm1k_limits_and_monotonicity():
    rho = np.linspace(0.0, 4.0, 40001)
    n, p = mm1k(rho, np.full_like(rho, 300.0))
    assert n[0] == 0.0 and p[0] == 0.0 and np.isfinite(n).all() and np.isfinite(p).all()
    assert (np.diff(n) >= -1e-9).all() and (np.diff(p) >= -1e-12).all()  # through ρ = 1 and the series switch
    assert n.max() <= 300.0 and p.max() < 1.0
    big, _ = mm1k(np.array([1e9]), np.array([300.0]))
    assert big[0] == pytest.approx(300.0, rel=1e-6)  # a full buffer
    _, p_over = mm1k(np.array([2.0]), np.array([1e4]))
    assert p_over[0] == pytest.approx(0.5, rel=1e-9)  # 1 − 1/ρ for a long buffer


def test_backlogged_share_solves_the_max_min_level_exactly():
    """Σ_{j≠i} min(ρ_j, L_i) + L_i = 1 per cell-slice, against bisection, on random loads (light, saturating,
    overloaded, zero)."""
    rng = np.random.default_rng(1)
    for _ in range(150):
        n_groups, n = int(rng.integers(1, 5)), int(rng.integers(1, 20))
        group = rng.integers(0, n_groups, n)
        need = rng.exponential(rng.choice([0.01, 0.2, 1.0, 3.0]), n) * (rng.random(n) > 0.1)
        got = _radio.backlogged_share(group, need, n_groups)
        for i in range(n):
            others = need[(group == group[i]) & (np.arange(n) != i)]
            lo, hi = 0.0, 1.0
            for _ in range(100):
                mid = (lo + hi) / 2
                lo, hi = (mid, hi) if np.minimum(others, mid).sum() + mid < 1.0 else (lo, mid)
            assert got[i] == pytest.approx(lo, abs=1e-12)


def one_cell(demand_mbps, se, *, share=1.0, slice_idx=0, buffer_ms=300.0, base_ms=0.0, pkt_bits=12000.0):
    """`packet_delay` for users of one cell-slice (the slice owns `share` of a 20 MHz cell), and the scheduler's
    throughput."""
    demand = np.asarray(demand_mbps, dtype=float)
    se = np.asarray(se, dtype=float)
    n = demand.size
    shares = np.zeros((1, 3))
    shares[0, slice_idx] = share
    _, thr = _radio.schedule(serving=np.zeros(n, int), slice_idx=np.full(n, slice_idx), active_user=np.ones(n, bool),
                             se_bps_hz=se, slice_shares=shares, demand_mbps=demand, bandwidth_hz=B_HZ, scheduler="pf",
                             n_cells=1)
    return packet_delay(
        serving=np.zeros(n, int), slice_idx=np.full(n, slice_idx), active_user=np.ones(n, bool),
        throughput_mbps=thr, demand_mbps=demand, se_bps_hz=se, slice_shares=shares, bandwidth_hz=B_HZ,
        packet_bits=np.full(3, pkt_bits), base_latency_ms=np.full(3, base_ms), buffer_ms=np.full(3, buffer_ms),
        n_cells=1) + (thr,)


def test_one_user_at_low_load_is_mm1():
    """M/M/1: mean sojourn 1 / (μ − λ), plus the fixed budget; no loss to speak of."""
    for demand in (0.5, 5.0, 15.0):
        delay, loss, served, _ = one_cell([demand], [1.0], base_ms=1.0)
        mu = B_HZ * 1.0 / 12000.0
        lam = demand * 1e6 / 12000.0
        assert served[0] and delay[0] == pytest.approx(1.0 + 1e3 / (mu - lam), rel=1e-9)
        assert loss[0] < 1e-12


def test_many_users_at_low_load_is_processor_sharing():
    """M/G/1-PS: a user's packet takes s_i / (1 − ρ), s_i its own service time (Kleinrock Vol. 2 §4.4)."""
    demand, se = np.array([1.0, 2.0, 0.5]), np.array([0.5, 2.0, 4.0])
    delay, loss, _, _ = one_cell(demand, se)
    s = 12000.0 / (B_HZ * se)
    rho = float((demand * 1e6 / 12000.0 * s).sum())
    assert rho < 0.5
    assert delay == pytest.approx(1e3 * s / (1.0 - rho), rel=1e-9)
    assert loss.max() < 1e-12


def test_delay_and_loss_rise_with_load_and_stay_bounded_by_the_buffer():
    demands = np.linspace(0.1, 60.0, 300)  # one user at SE 1: capacity 20 Mbit/s, ρ from 0.005 to 3
    out = [one_cell([d], [1.0], base_ms=10.0, buffer_ms=300.0) for d in demands]
    delay = np.array([o[0][0] for o in out])
    loss = np.array([o[1][0] for o in out])
    assert np.isfinite(delay).all() and (np.diff(delay) >= -1e-9).all() and (np.diff(loss) >= -1e-12).all()
    assert delay.max() <= 10.0 + 300.0 + 1e-9  # the discard timer bounds the queue
    assert delay[-1] > 10.0 + 290.0  # ... and an overloaded queue sits at it
    assert loss[demands < 10.0].max() < 1e-6  # ρ < 0.5
    assert loss[-1] == pytest.approx(1.0 - 20.0 / 60.0, rel=0.01)  # overload: 1 − capacity / demand
    # several users: the delay of one of them rises as the others' load rises
    d1 = [one_cell([1.0, other], [1.0, 1.0])[0][0] for other in np.linspace(0.0, 25.0, 60)]
    assert (np.diff(d1) >= -1e-9).all() and d1[-1] <= 300.0 + 1e-9


def test_overload_losses_follow_the_schedulers_shortfall():
    """In an overloaded cell-slice the proportional-fair scheduler starves the users who need most; their loss is
    its shortfall 1 − throughput/demand, and the users it can satisfy keep a short queue."""
    demand = np.array([0.5, 0.5, 2.0, 2.0])
    se = np.array([4.0, 2.0, 0.05, 0.05])  # two deep-indoor users need 2 Mbit/s at 0.05 bit/s/Hz
    delay, loss, served, thr = one_cell(demand, se, share=0.6)
    assert served.all()
    short = thr < demand * 0.999
    assert list(short) == [False, False, True, True]
    assert loss[short] == pytest.approx(1.0 - thr[short] / demand[short], rel=0.02)
    assert loss[~short].max() < 1e-6 and delay[~short].max() < 20.0
    assert delay[short].min() > 250.0


def test_unserved_users_lose_everything_and_have_no_delay():
    shares = np.array([[0.0, 0.5, 0.5]])  # eMBB has no PRBs in this cell
    delay, loss, served = packet_delay(
        serving=np.zeros(3, int), slice_idx=np.array([0, 1, 1]), active_user=np.array([True, True, False]),
        throughput_mbps=np.array([0.0, 0.2, 0.0]), demand_mbps=np.array([1.0, 0.2, 0.2]),
        se_bps_hz=np.array([2.0, 0.0, 2.0]), slice_shares=shares, bandwidth_hz=B_HZ,
        packet_bits=np.array([12000.0, 256.0, 800.0]), base_latency_ms=np.array([10.0, 1.0, 20.0]),
        buffer_ms=np.array([300.0, 30.0, 500.0]), n_cells=1)
    assert not served.any() and loss[:2].tolist() == [1.0, 1.0] and (delay == LATENCY_CAP_MS).all()


# ---------------------------------------------------------------------------------------------------- the network


@pytest.fixture(scope="module")
def uma():
    return Network.from_scenario("urban-macro-19", seed=0)


def test_report_definitions(uma):
    twin = uma._at_hour(9)
    twin.step(5)
    rep = twin.kpis()
    net, sl = rep.network, rep.per_slice
    for k in (net, *sl.values()):
        assert 0.0 <= k.packet_loss <= 1.0 and 0.0 < k.latency_ms <= k.latency_p95_ms < LATENCY_CAP_MS
    # network-wide edge throughput: the users with a throughput target only (eMBB)
    assert EDGE_THROUGHPUT_SLICES == ("embb",) and net.throughput_p5_mbps == sl["embb"].throughput_p5_mbps
    assert net.throughput_p5_mbps > 5 * sl["mmtc"].throughput_p5_mbps
    # the network's loss is the traffic-weighted mix of the slices'
    assert min(s.packet_loss for s in sl.values()) <= net.packet_loss <= max(s.packet_loss for s in sl.values())
    cells = rep.per_cell
    assert all(0.0 <= c.packet_loss <= 1.0 and c.latency_p95_ms >= 0.0 for c in cells)


def test_nobody_served_reads_as_the_cap_and_full_loss():
    net = Network.from_scenario("urban-macro-19", seed=3, n_ues=200, hour=12)
    net.apply([{"cell": c, "active": False} for c in range(net.n_cells)])
    net.step(2)
    k = net.kpis().network
    assert k.latency_ms == LATENCY_CAP_MS and k.latency_p95_ms == LATENCY_CAP_MS and k.packet_loss == 1.0


def test_full_buffer_has_delay_and_no_buffer_loss():
    net = Network.from_scenario("urban-macro-19", seed=2, n_ues=300, traffic="full_buffer", diurnal=False)
    net.step(3)
    k = net.kpis().network
    assert 0.0 <= k.packet_loss < 0.05 and 0.0 < k.latency_ms < LATENCY_CAP_MS


#: The stated bound on the seed-to-seed coefficient of variation of URLLC delay at 09:00 on urban-macro-19. Measured
#: 0.009 (mean) and 0.030 (p95) over 24 drops at the verifier's 20 steps (benchmarks/kpi_spread.py); the old mean
#: M/M/1 delay with the 1 s cap for unserved users had a CV of 0.78 (1.0 to 22 ms between drops). A CV of 0.05 is
#: 0.05 ms on a 1 ms delay: half the vocabulary's smallest latency that counts (0.1 ms), so one drop already tells a
#: 10 ms SLA from a 9 ms one, and the test still fails on any return of the drop-dominated tail.
URLLC_CV_BOUND = 0.05


def test_urllc_latency_is_stable_from_drop_to_drop(uma):
    means, p95s = [], []
    for seed in range(201, 213):
        twin = uma._fork(seed)._at_hour(9)
        twin.step(10)
        k = twin.kpis().per_slice["urllc"]
        means.append(k.latency_ms)
        p95s.append(k.latency_p95_ms)
    for values in (means, p95s):
        x = np.array(values)
        assert np.isfinite(x).all()
        assert x.std(ddof=1) / x.mean() <= URLLC_CV_BOUND, values


def test_new_kpis_are_bit_identical_for_a_seed():
    a, b = (Network.from_scenario("dense-urban-hetnet", seed=5, n_ues=300, hour=19) for _ in range(2))
    for net in (a, b):
        net.step(6)
    ra, rb = a.kpis(), b.kpis()
    assert ra.model_dump_json() == rb.model_dump_json()
    assert all(math.isfinite(getattr(ra.network, k)) for k in ("latency_p95_ms", "packet_loss"))
