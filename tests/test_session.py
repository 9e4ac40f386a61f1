"""NetworkSession on the real simulator: transactions, exact rollback, conflicts, the append-only log, reopening,
serialized concurrent writers, and crash consistency (a child process SIGKILLed at each point of a write)."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest
from airloop.simulator import Network
from airloop.tools import CRASH_ENV, CRASH_POINTS, NetworkSession, Policy, ToolError
from airloop.tools._session import config_knobs

SCENARIO, SEED, N_UES = "rural-7", 3, 60


def _net() -> Network:
    return Network.from_scenario(SCENARIO, seed=SEED, n_ues=N_UES)


def _state(s: NetworkSession) -> tuple:
    net = s.network
    return (
        config_knobs(net.config),
        net.kpis().model_dump(),
        [c.model_dump() for c in net.cell_table()],
        s.version,
        s.change_count(),
    )


@pytest.fixture
def session(tmp_path: Path) -> NetworkSession:
    s = NetworkSession(_net(), Policy.default(), tmp_path / "changes.sqlite")
    yield s
    s.close()


def test_apply_then_rollback_restores_every_kpi_bit_for_bit(session: NetworkSession):
    before = _state(session)
    r = session.apply([{"cell": 2, "tx_power_dbm": 41.0, "tilt_deg": 6.0}], reason="test", actor="tester")
    assert (r.change_id, r.version, r.kind) == (1, 1, "apply")
    assert r.before == {"2": {"tx_power_dbm": 46.0, "tilt_deg": 3.0}}
    assert r.after == {"2": {"tx_power_dbm": 41.0, "tilt_deg": 6.0}}
    assert r.kpis_before is not None and r.kpis_after is not None
    assert r.delta == pytest.approx({k: getattr(r.kpis_after, k) - getattr(r.kpis_before, k) for k in r.delta})
    changed = _state(session)
    assert changed[0] != before[0] and changed[1] != before[1]
    rb = session.rollback(1, actor="tester")
    assert (rb.change_id, rb.version, rb.kind, rb.rollback_of, rb.exact) == (2, 2, "rollback", 1, True)
    after = _state(session)
    assert after[0] == before[0]  # config
    assert after[1] == before[1]  # every KPI, network / slice / cell, compared with ==
    assert after[2] == before[2]  # the cell table (load, users, power)
    assert session.version == 2
    # The rollback's KPIs are the apply's, swapped.
    assert rb.kpis_before == r.kpis_after and rb.kpis_after == r.kpis_before


def test_a_chain_of_changes_unwinds_exactly_newest_first(session: NetworkSession):
    start = _state(session)[:3]
    session.apply([{"cell": 1, "tx_power_dbm": 43.0}], reason="a")
    mid = _state(session)[:3]
    session.apply([{"cell": 2, "tilt_deg": 5.0}], reason="b")
    session.apply([{"cell": 1, "cio_db": 2.0}, {"cell": 3, "active": False}], reason="c")
    assert [session.rollback(c).exact for c in (3, 2)] == [True, True]
    assert _state(session)[:3] == mid
    redo = session.rollback(5)  # undo the rollback of change 2: change 2 is back, exactly
    assert redo.exact and session.network.config.cell(2).tilt_deg == 5.0
    assert session.rollback(6).exact  # and away again
    assert session.rollback(1).exact
    assert _state(session)[:3] == start


def test_log_entry_records_everything(session: NetworkSession):
    session.apply([{"cell": 0, "cio_db": 2.0}], reason="pull users into cell 0", actor="optimizer", hours=[3, 12])
    e = session.change_log(5)[0]
    assert (e.change_id, e.version, e.parent_version, e.kind, e.actor) == (1, 1, 0, "apply", "optimizer")
    assert e.reason == "pull users into cell 0"
    assert e.changes == [{"cell": 0, "cio_db": 2.0}]
    assert e.before == {"0": {"cio_db": 0.0}} and e.after == {"0": {"cio_db": 2.0}}
    assert e.horizon == {"hours": [3, 12], "steps": 10, "seeds": 1}
    assert e.kpis_before is not None and set(e.kpis_before) >= {"coverage", "energy_w"}
    assert e.config == config_knobs(session.network.config)
    assert e.policy_sha256 == session.policy.digest()
    assert e.time.endswith("+00:00")


def test_rollback_after_the_network_moved_on_restores_the_config(session: NetworkSession):
    cfg0 = config_knobs(session.network.config)
    session.apply([{"cell": 1, "tx_power_dbm": 43.0}], reason="r")
    session.network.step(2)  # time passes: the snapshot is no longer the state to return to
    rb = session.rollback(1)
    assert rb.exact is False
    assert config_knobs(session.network.config) == cfg0
    assert rb.kpis_before is not None and rb.kpis_after is not None


def test_rollback_refusals(session: NetworkSession):
    session.apply([{"cell": 1, "tx_power_dbm": 43.0}], reason="a")
    session.apply([{"cell": 1, "tx_power_dbm": 40.0}, {"cell": 2, "cio_db": 1.0}], reason="b")
    with pytest.raises(ToolError) as e:
        session.rollback(1)  # cell 1 was changed again by change 2
    assert e.value.code == "rollback_conflict" and e.value.allowed == [2]
    with pytest.raises(ToolError) as e:
        session.rollback(99)
    assert e.value.code == "not_found" and e.value.allowed == [1, 2]
    session.rollback(2)
    with pytest.raises(ToolError) as e:
        session.rollback(2)
    assert e.value.code == "rollback_conflict" and "already rolled back" in e.value.message
    session.rollback(1)  # now possible: newest first
    assert session.network.config.cell(1).tx_power_dbm == 46.0
    # A rollback can itself be rolled back (redo).
    session.rollback(4)
    assert session.network.config.cell(1).tx_power_dbm == 43.0
    assert [e.kind for e in session.change_log(10)] == ["rollback", "rollback", "rollback", "apply", "apply"]


def test_rollback_to_a_version(session: NetworkSession):
    cfg0 = config_knobs(session.network.config)
    session.apply([{"cell": 1, "tx_power_dbm": 43.0}], reason="a")
    cfg1 = config_knobs(session.network.config)
    session.apply([{"cell": 2, "tilt_deg": 5.0}, {"cell": 1, "cio_db": -2.0}], reason="b")
    r = session.rollback_to(1)
    assert config_knobs(session.network.config) == cfg1 and r.version == 3
    session.rollback_to(0)
    assert config_knobs(session.network.config) == cfg0
    with pytest.raises(ToolError) as e:
        session.rollback_to(0)
    assert e.value.code == "rollback_conflict"
    with pytest.raises(ToolError) as e:
        session.rollback_to(17)
    assert e.value.code == "not_found"


def test_stale_expected_version_is_refused(session: NetworkSession):
    session.apply([{"cell": 0, "tx_power_dbm": 44.0}], reason="a", expected_version=0)
    before = _state(session)
    with pytest.raises(ToolError) as e:
        session.apply([{"cell": 1, "tx_power_dbm": 44.0}], reason="b", expected_version=0)
    assert e.value.code == "version_conflict" and e.value.allowed == [1]
    assert _state(session) == before


@pytest.mark.parametrize(
    "changes, policy_update, rule",
    [
        ([{"cell": 0, "active": False}], {"protected_cells": [0]}, "protected_cell"),
        ([{"cell": c, "cio_db": 1.0} for c in range(21)], {}, "max_cells_per_apply"),
        ([{"cell": c, "active": False} for c in range(3)], {"min_active_share": 0.9}, "min_active_cells"),
        ([{"cell": 0, "tx_power_dbm": 25.0}], {}, "knob_range"),
        ([{"cell": 0, "tilt_deg": 12.0}], {}, "max_step"),
    ],
)
def test_policy_refusals_change_nothing(tmp_path: Path, changes, policy_update, rule):
    s = NetworkSession(_net(), Policy.default().model_copy(update=policy_update), tmp_path / "log.sqlite")
    before = _state(s)
    with pytest.raises(ToolError) as e:
        s.apply(changes, reason="x")
    assert e.value.code == "policy_violation"
    assert rule in [v["rule"] for v in e.value.violations]
    assert all(set(v) >= {"rule", "cell", "field", "value", "allowed", "message"} for v in e.value.violations)
    assert _state(s) == before
    # simulate reports the same violation without raising, and changes nothing either
    sim = s.simulate(changes)
    assert rule in [v.rule for v in sim.violations] and not sim.allowed
    assert rule in [v.rule for v in s.check_policy(changes)]
    assert _state(s) == before


def test_coverage_floor_in_the_what_if_refuses_the_apply(tmp_path: Path):
    net = _net()
    sleep = [{"cell": c, "active": False} for c in range(20)]  # 20 of 21 cells asleep
    policy = Policy.default().model_copy(update={"min_active_share": 0.0})
    probe = NetworkSession(net, policy, None).simulate(sleep, hours=[12])
    cov_b, cov_a = probe.kpis_before.coverage, probe.kpis_after.coverage
    assert cov_a < cov_b, "sleeping all but one cell must lose coverage"
    floor = (cov_a + cov_b) / 2
    s = NetworkSession(_net(), policy.model_copy(update={"coverage_floor": floor}), tmp_path / "log.sqlite")
    before = _state(s)
    with pytest.raises(ToolError) as e:
        s.apply(sleep, reason="night sleep", hours=[12])
    assert [v["rule"] for v in e.value.violations] == ["coverage_floor"]
    assert [v.rule for v in s.check_policy(sleep, hours=[12])] == ["coverage_floor"]
    assert s.check_policy(sleep, hours=[12], what_if=False) == []
    assert _state(s) == before


def test_bad_changes_are_refused_before_anything(session: NetworkSession):
    before = _state(session)
    cases = [
        ([{"cell": 0}], "invalid_change"),  # no knob
        ([{"cell": 0, "tx_power_dbm": 40.0}, {"cell": 0, "tilt_deg": 4.0}], "invalid_change"),  # duplicate
        ([{"cell": 999, "tx_power_dbm": 40.0}], "invalid_change"),
        ([{"cell": 0, "tx_power_dbm": float("nan")}], "invalid_change"),
        ([{"cell": 0, "tx_power_dbm": 60.0}], "invalid_change"),  # over the physical limit
        ([{"cell": 0, "slice_shares": {"embb": 0.5, "urllc": 0.2}}], "invalid_change"),
        ([{"cell": 0, "power": 40}], "invalid_change"),
        ({"cell": 0, "tx_power_dbm": 40.0}, "invalid_change"),  # not a list
        ([], "invalid_change"),
    ]
    for changes, code in cases:
        with pytest.raises(ToolError) as e:
            session.apply(changes, reason="x")
        assert e.value.code == code, changes
        assert _state(session) == before
    for kwargs in ({"hours": [24]}, {"hours": []}, {"steps": 0}, {"seeds": 0}, {"seeds": [True]}):
        with pytest.raises(ToolError) as e:
            session.apply([{"cell": 0, "tx_power_dbm": 44.0}], reason="x", **kwargs)
        assert e.value.code == "invalid_parameter", kwargs
    with pytest.raises(ToolError) as e:
        session.apply([{"cell": 0, "tx_power_dbm": 44.0}], reason="  ")
    assert e.value.code == "invalid_parameter"
    assert _state(session) == before


def test_the_log_is_append_only(session: NetworkSession):
    session.apply([{"cell": 0, "tx_power_dbm": 44.0}], reason="a")
    conn = sqlite3.connect(session.log_path)
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        conn.execute("DELETE FROM changes")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        conn.execute("UPDATE changes SET reason = 'forged'")
    conn.close()


def test_reopen_replays_the_last_committed_config(tmp_path: Path):
    path = tmp_path / "changes.sqlite"
    s = NetworkSession(_net(), Policy.default(), path)
    s.apply([{"cell": 0, "tx_power_dbm": 44.0}], reason="a")
    s.apply([{"cell": 5, "active": False}], reason="b")
    s.rollback(1)
    cfg, v = config_knobs(s.network.config), s.version
    s.close()
    again = NetworkSession.open(path)
    assert config_knobs(again.network.config) == cfg and again.version == v == 3
    # Without snapshots (new process), a rollback still restores the config, just not bit-exact dynamic state.
    r = again.rollback(2)
    assert r.exact is False and again.network.config.cell(5).active is True
    again.close()
    # A fresh network for the same scenario handed to the existing log is brought up to date too.
    third = NetworkSession(_net(), Policy.default(), path)
    assert third.version == 4 and config_knobs(third.network.config) == config_knobs(
        NetworkSession.open(path).network.config
    )
    # ... but a different network is refused.
    for other in (
        Network.from_scenario(SCENARIO, seed=SEED + 1, n_ues=N_UES),
        Network.from_scenario(SCENARIO, seed=SEED, n_ues=N_UES + 1),
        Network.from_scenario(SCENARIO, seed=SEED, n_ues=N_UES, hour=3),
        Network.from_scenario("urban-macro-19", seed=SEED, n_ues=N_UES),
    ):
        with pytest.raises(ToolError) as e:
            NetworkSession(other, Policy.default(), path)
        assert e.value.code == "log_mismatch"


def test_two_threads_writing_at_once_are_serialized(session: NetworkSession):
    barrier = threading.Barrier(2)
    results: dict[int, object] = {}

    def writer(cell: int) -> None:
        barrier.wait()
        try:
            results[cell] = session.apply([{"cell": cell, "tx_power_dbm": 43.0}], reason=f"w{cell}", expected_version=0)
        except ToolError as exc:
            results[cell] = exc

    threads = [threading.Thread(target=writer, args=(c,)) for c in (3, 4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    ok = [r for r in results.values() if not isinstance(r, ToolError)]
    refused = [r for r in results.values() if isinstance(r, ToolError)]
    assert len(ok) == 1 and len(refused) == 1 and refused[0].code == "version_conflict"
    assert session.version == 1 and session.change_count() == 1

    # Without expected_version both land, one after the other, and the log agrees with the network.
    def blind(cell: int) -> None:
        barrier.wait()
        session.apply([{"cell": cell, "cio_db": 1.0}], reason=f"b{cell}")

    threads = [threading.Thread(target=blind, args=(c,)) for c in (7, 8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert session.version == 3
    assert [e.version for e in session.change_log(10)] == [3, 2, 1]
    assert session.change_log(1)[0].config == config_knobs(session.network.config)


def test_a_second_process_writing_the_same_log_is_refused(tmp_path: Path):
    path = tmp_path / "changes.sqlite"
    a = NetworkSession(_net(), Policy.default(), path)
    b = NetworkSession(_net(), Policy.default(), path)
    a.apply([{"cell": 0, "tx_power_dbm": 44.0}], reason="a")
    before = config_knobs(b.network.config)
    with pytest.raises(ToolError) as e:
        b.apply([{"cell": 1, "tx_power_dbm": 44.0}], reason="b")
    assert e.value.code == "version_conflict"
    assert config_knobs(b.network.config) == before and b.change_count() == 1


_CHILD = textwrap.dedent(
    """
    import sys
    from airloop.simulator import Network
    from airloop.tools import NetworkSession, Policy
    path, n_before = sys.argv[1], int(sys.argv[2])
    s = NetworkSession(Network.from_scenario({scenario!r}, seed={seed}, n_ues={n_ues}), Policy.default(), path)
    import os
    crash = os.environ.pop({env!r})
    for i in range(n_before):
        s.apply([{{"cell": i, "tx_power_dbm": 44.0}}], reason="before the crash")
    os.environ[{env!r}] = crash
    s.apply([{{"cell": 10, "tilt_deg": 7.0}}], reason="the write that crashes")
    print("SURVIVED")
    """
).format(scenario=SCENARIO, seed=SEED, n_ues=N_UES, env=CRASH_ENV)


@pytest.mark.parametrize("n_before", [0, 1])
@pytest.mark.parametrize("point", CRASH_POINTS)
def test_a_kill_during_a_write_leaves_log_and_config_consistent(tmp_path: Path, point: str, n_before: int):
    path = tmp_path / "changes.sqlite"
    env = dict(os.environ, **{CRASH_ENV: point})
    proc = subprocess.run(
        [sys.executable, "-c", _CHILD, str(path), str(n_before)], env=env, capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    assert "SURVIVED" not in proc.stdout
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()

    reopened = NetworkSession.open(path)
    committed = point == "after_commit"
    assert reopened.version == n_before + committed
    cfg = reopened.network.config
    assert cfg.cell(10).tilt_deg == (7.0 if committed else 3.0)
    for i in range(n_before):
        assert cfg.cell(i).tx_power_dbm == 44.0
    # The log and the network agree, and the session goes on from there.
    last = reopened.change_log(1)
    assert (last[0].config if last else reopened.header()["initial_config"]) == config_knobs(cfg)
    r = reopened.apply([{"cell": 11, "cio_db": 1.0}], reason="after the crash")
    assert r.version == reopened.version == n_before + committed + 1
    reopened.close()
