"""The `Network` contract: determinism, snapshot/restore, what-if purity, all-or-nothing changes, bad input."""

from __future__ import annotations

import math

import numpy as np
import pytest
from airloop.simulator import (
    KPI_NAMES,
    CellChange,
    InvalidChangeError,
    InvalidParameterError,
    Network,
    UnknownScenarioError,
    _radio,
    list_scenarios,
)
from airloop.simulator.energy import earth_power_w


def small(seed: int = 3, **kw) -> Network:
    return Network.from_scenario("urban-macro-19", seed=seed, n_ues=300, **kw)


def state_fingerprint(net: Network) -> tuple:
    """Everything observable: config, KPI report and every user array."""
    u = net.users
    arrays = tuple(getattr(u, f).tobytes() for f in ("xy_m", "serving", "rx_dbm", "loss_db", "ho_ttt_steps"))
    return (net.config.model_dump_json(), net.kpis().model_dump_json(), net.hour, net.step_index, arrays,
            net.rng_mobility.bit_generator.state["state"]["state"])


def test_every_scenario_builds_and_steps():
    for name in list_scenarios():
        net = Network.from_scenario(name, seed=1, n_ues=120)
        net.step(3)
        k = net.kpis().network
        for f in KPI_NAMES:
            assert math.isfinite(getattr(k, f)), (name, f)
        assert 0.0 <= k.coverage <= 1.0 and 0.0 <= k.fairness <= 1.0
        assert k.active_cells == net.n_cells


def test_cell_counts_per_scenario():
    assert Network.from_scenario("urban-macro-19", seed=0, n_ues=10).n_cells == 57
    assert Network.from_scenario("rural-7", seed=0, n_ues=10).n_cells == 21
    het = Network.from_scenario("dense-urban-hetnet", seed=0, n_ues=10)
    assert het.n_cells == 21 + 28
    assert {c.cell_class for c in het.config.cells} == {"macro", "micro"}


def test_same_seed_is_bit_identical_and_other_seed_differs():
    a, b, c = small(7), small(7), small(8)
    for n in (a, b, c):
        n.step(15)
    assert a.kpis().model_dump_json() == b.kpis().model_dump_json()
    assert np.array_equal(a.users.xy_m, b.users.xy_m)
    assert a.kpis().network != c.kpis().network


def test_snapshot_restore_is_exact():
    net = small()
    net.step(5)
    snap = net.snapshot()
    net.step(7)
    expected = state_fingerprint(net)
    net.apply([{"cell": 4, "tx_power_dbm": 30.0, "active": False}])
    net.step(9)
    net.restore(snap)
    net.step(7)
    assert state_fingerprint(net) == expected


def test_what_if_does_not_mutate():
    net = small()
    net.step(3)
    before = state_fingerprint(net)
    res = net.what_if([{"cell": 0, "tx_power_dbm": 35.0}, {"cell": 1, "active": False}], steps=4, seeds=2,
                      hours=[2, 14])
    assert state_fingerprint(net) == before
    assert res.hours == [2, 14] and res.seeds == [0, 1]
    assert set(res.before_by_hour) == {2, 14}
    # The sleeping cell saves power, and the result is reproducible.
    assert res.kpis_after.energy_w < res.kpis_before.energy_w
    again = net.what_if([{"cell": 0, "tx_power_dbm": 35.0}, {"cell": 1, "active": False}], steps=4, seeds=2,
                        hours=[2, 14])
    assert again.model_dump_json() == res.model_dump_json()


def test_what_if_seed_zero_continues_from_current_users():
    net = small()
    res = net.what_if([], steps=1, seeds=[0])
    net.step(1)
    assert res.kpis_before == net.kpis().network


def test_apply_changes_knobs_and_kpis():
    net = small()
    e0 = net.kpis().network.energy_w
    net.apply([CellChange(cell=2, active=False), {"cell": 5, "tilt_deg": 10.0, "cio_db": 3.0}])
    cfg = net.config
    assert cfg.cells[2].active is False
    assert cfg.cells[5].tilt_deg == 10.0 and cfg.cells[5].cio_db == 3.0
    assert net.kpis().network.active_cells == 56
    assert net.kpis().network.energy_w < e0
    # Nobody is served by a sleeping cell.
    assert not np.any(net.users.serving == 2)


@pytest.mark.parametrize(
    "change, field",
    [
        ({"cell": 0, "tx_power_dbm": 80.0}, "tx_power_dbm"),
        ({"cell": 0, "tx_power_dbm": float("nan")}, "tx_power_dbm"),
        ({"cell": 0, "tilt_deg": float("inf")}, "tilt_deg"),
        ({"cell": 0, "cio_db": -30.0}, "cio_db"),
        ({"cell": 999, "active": False}, "cell"),
        ({"cell": -1, "active": False}, "cell"),
        ({"cell": 0, "slice_shares": {"embb": 0.9, "urllc": 0.9, "mmtc": 0.1}}, "slice_shares"),
        ({"cell": 0, "slice_shares": {"embb": 1.0}}, "slice_shares"),
        ({"cell": 0, "power": 3}, "power"),
        ({"tx_power_dbm": 40.0}, "cell"),
    ],
)
def test_bad_change_is_refused_and_nothing_changes(change, field):
    net = small()
    net.step(2)
    before = state_fingerprint(net)
    with pytest.raises(InvalidChangeError) as ei:
        # A valid change before the bad one must not be applied either (all-or-nothing).
        net.apply([{"cell": 1, "tx_power_dbm": 40.0}, change])
    err = ei.value
    assert err.field == field
    assert err.allowed is not None
    assert field in str(err)
    assert state_fingerprint(net) == before


def test_error_message_names_value_and_range():
    net = small()
    with pytest.raises(InvalidChangeError, match=r"tx_power_dbm=80.0 is outside the allowed range 0.0..46.0"):
        net.apply([{"cell": 0, "tx_power_dbm": 80.0}])
    d = pytest.raises(InvalidChangeError, net.apply, [{"cell": 0, "tx_power_dbm": 80.0}]).value.to_dict()
    assert d["code"] == "invalid_change" and d["allowed"] == [0.0, 46.0]


def test_duplicate_cell_is_refused():
    with pytest.raises(InvalidChangeError, match="appears twice"):
        small().apply([{"cell": 1, "tilt_deg": 3.0}, {"cell": 1, "tx_power_dbm": 40.0}])


def test_unknown_scenario_and_bad_parameters():
    with pytest.raises(UnknownScenarioError, match="urban-macro-19"):
        Network.from_scenario("mars-colony", seed=0)
    with pytest.raises(InvalidParameterError, match="hour"):
        small().set_hour(24)
    with pytest.raises(InvalidParameterError, match="unknown scenario parameter"):
        Network.from_scenario("rural-7", seed=0, warp_drive=True)
    net = small()
    before = state_fingerprint(net)
    for kwargs in ({"steps": 0}, {"seeds": 0}, {"hours": []}, {"hours": [25]}):
        with pytest.raises(InvalidParameterError):
            net.what_if([{"cell": 0, "tilt_deg": 2.0}], **kwargs)
    assert state_fingerprint(net) == before


def test_all_cells_asleep_gives_zero_coverage_not_a_crash():
    net = Network.from_scenario("rural-7", seed=0, n_ues=50)
    net.apply([{"cell": c, "active": False} for c in range(net.n_cells)])
    net.step(2)
    k = net.kpis().network
    assert k.coverage == 0.0 and k.throughput_mean_mbps == 0.0 and k.active_cells == 0
    # EARTH sleep power: 7 macro sites x 6 TRX x 75 W.
    assert k.energy_w == pytest.approx(7 * 450.0)


def test_cell_power_follows_earth_per_sector():
    """A macro cell is one sector with 2 of the site's 6 TRX: a third of EARTH's site figures."""
    micro = np.array([False, False, False, True])
    active = np.array([True, True, False, True])
    util = np.array([1.0, 0.0, 0.0, 1.0])
    tx = np.array([10 * math.log10(40e3), 46.0, 46.0, 10 * math.log10(12.6e3)])
    p = _radio.cell_power_w(micro, active, util, tx)
    assert p[0] == pytest.approx(1344.0 / 3)
    assert p[1] == pytest.approx(780.0 / 3)
    assert p[2] == pytest.approx(450.0 / 3)
    assert p[3] == pytest.approx(float(earth_power_w("micro", 1.0)))


def test_diurnal_hour_scales_load():
    net = small()
    net.set_hour(3)
    night = net.kpis().network
    net.set_hour(19)
    peak = net.kpis().network
    assert night.prb_utilization < 0.5 * peak.prb_utilization
    assert night.energy_w < peak.energy_w


def test_lower_power_at_a_cell_moves_users_away():
    net = small()
    served = int(np.sum(net.users.serving == 0))
    net.apply([{"cell": 0, "tx_power_dbm": 20.0}])
    assert int(np.sum(net.users.serving == 0)) <= served
    net.step(3)  # handover with hysteresis + TTT takes a step or more
    assert int(np.sum(net.users.serving == 0)) < max(served, 1)


def test_cio_biases_cell_selection():
    net = small()
    net.step(1)
    n0 = int(np.sum(net.users.serving == 0))
    net.apply([{"cell": 0, "cio_db": 10.0}])
    net.step(3)
    assert int(np.sum(net.users.serving == 0)) > n0


def test_handover_counts_pingpongs_and_rate_units():
    net = Network.from_scenario("urban-macro-19", seed=2, n_ues=400, mobility={"model": "random_direction"})
    net.step(60)
    rep = net.kpis()
    assert rep.network.handover_rate > 0
    assert net.acc.ping_pongs <= net.acc.handovers
    # handovers per user per minute
    assert rep.network.handover_rate == pytest.approx(net.acc.handovers / net.n_ues / (60 * net.step_s / 60))


def test_full_buffer_rr_and_pf_and_cqi_options():
    pf = small(traffic="full_buffer")
    rr = small(traffic="full_buffer", scheduler="rr")
    # Full buffer: every backlogged user gets an equal share under both, so throughput matches.
    assert pf.kpis().network.throughput_mean_mbps == pytest.approx(rr.kpis().network.throughput_mean_mbps)
    fin_pf, fin_rr = small(), small(scheduler="rr")
    fin_pf.set_hour(19)
    fin_rr.set_hour(19)
    # With finite demand PF is work-conserving: never less total throughput than RR.
    assert fin_pf.kpis().network.throughput_mean_mbps >= fin_rr.kpis().network.throughput_mean_mbps - 1e-12
    cqi = small(rate_model="cqi")
    assert cqi.kpis().network.throughput_mean_mbps > 0


def test_schedule_water_filling():
    """Two users in one slice of one cell, share 1: one needs 0.2 of the band, the other is greedy."""
    alloc, thr = _radio.schedule(
        serving=np.array([0, 0]), slice_idx=np.array([0, 0]), active_user=np.array([True, True]),
        se_bps_hz=np.array([1.0, 1.0]), slice_shares=np.array([[1.0, 0.0, 0.0]]),
        demand_mbps=np.array([4.0, 100.0]), bandwidth_hz=20e6, scheduler="pf", n_cells=1)
    assert alloc == pytest.approx([0.2, 0.8])
    assert thr == pytest.approx([4.0, 16.0])
    alloc_rr, _ = _radio.schedule(
        serving=np.array([0, 0]), slice_idx=np.array([0, 0]), active_user=np.array([True, True]),
        se_bps_hz=np.array([1.0, 1.0]), slice_shares=np.array([[1.0, 0.0, 0.0]]),
        demand_mbps=np.array([4.0, 100.0]), bandwidth_hz=20e6, scheduler="rr", n_cells=1)
    assert alloc_rr == pytest.approx([0.2, 0.5])


def test_per_cell_kpis_are_consistent_with_network():
    net = small()
    net.step(5)
    rep = net.kpis()
    assert sum(c.users for c in rep.per_cell) == net.n_ues
    assert sum(c.power_w for c in rep.per_cell) == pytest.approx(rep.network.energy_w)
    assert len(net.cell_table()) == net.n_cells
    assert all(len(c.neighbours) == 6 and c.cell not in c.neighbours for c in net.cell_table())


def test_wrap_around_gives_every_site_a_full_ring():
    net = Network.from_scenario("urban-macro-19", seed=0, n_ues=10)
    lay = net.layout
    xy = lay.site_xy_m
    d = np.sqrt(((xy[:, None, None, :] - (xy[None, :, None, :] + lay.wrap_shifts_m[None, None])) ** 2).sum(-1))
    d = d.min(-1)
    np.fill_diagonal(d, np.inf)
    # With wrap-around every site, edge ones included, has exactly 6 neighbours at one ISD.
    assert np.all(np.sum(np.isclose(d, 500.0), axis=1) == 6)


def test_what_if_baseline_cache_follows_the_state():
    """The cached baseline is reused only while the network is unchanged."""
    change = [{"cell": 3, "tx_power_dbm": 38.0}]
    a, b = small(11), small(11)
    a.what_if(change, steps=3, seeds=2)  # fills a's cache
    for net in (a, b):
        net.apply([{"cell": 7, "active": False}])
        net.step(2)
    assert a.what_if(change, steps=3, seeds=2).model_dump_json() == b.what_if(change, steps=3, seeds=2).model_dump_json()
    snap = a.snapshot()
    a.step(4)
    a.restore(snap)
    assert a.what_if(change, steps=3, seeds=2).model_dump_json() == b.what_if(change, steps=3, seeds=2).model_dump_json()


def test_fast_percentile_matches_numpy():
    from airloop.simulator._kpis import percentile

    rng = np.random.default_rng(0)
    for n in (1, 2, 3, 10, 101, 1000):
        x = rng.random(n)
        assert percentile(x, 5.0) == pytest.approx(np.percentile(x, 5), abs=1e-12)
    assert percentile(np.array([]), 5.0) == 0.0
