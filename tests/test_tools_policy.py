"""The guardrail policy on its own: loading (YAML, TOML, typos refused) and every static rule, on a hand-built config."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from airloop.simulator.types import CellChange, CellConfig, NetworkConfig
from airloop.tools import Policy, PolicyFileError, load_policy

SHARES = {"embb": 0.6, "urllc": 0.2, "mmtc": 0.2}


def _config(n_macro: int = 6, n_micro: int = 2) -> NetworkConfig:
    cells = [
        CellConfig(
            cell=i,
            site=i // 3,
            sector=i % 3,
            cell_class="macro" if i < n_macro else "micro",
            tx_power_dbm=46.0 if i < n_macro else 37.0,
            tilt_deg=6.0 if i < n_macro else 0.0,
            active=True,
            cio_db=0.0,
            slice_shares=dict(SHARES),
        )
        for i in range(n_macro + n_micro)
    ]
    return NetworkConfig(cells=cells)


def _rules(violations) -> list[tuple[str, int | None, str | None]]:
    return [(v.rule, v.cell, v.field) for v in violations]


def test_default_policy_matches_the_documented_defaults():
    p = Policy.default()
    assert p.name == "default"
    assert p.knobs.tx_power_dbm.range_for("macro") == (30.0, 46.0)
    assert p.knobs.tx_power_dbm.range_for("micro") == (20.0, 41.0)
    assert p.knobs.tx_power_dbm.max_step == 6.0
    assert (p.knobs.tilt_deg.min, p.knobs.tilt_deg.max, p.knobs.tilt_deg.max_step) == (0.0, 15.0, 4.0)
    assert (p.knobs.cio_db.min, p.knobs.cio_db.max) == (-6.0, 6.0)
    assert p.min_active_share == 0.5
    assert p.protected_cells == []
    assert p.coverage_floor == 0.90
    assert p.max_cells_per_apply == 20
    assert len(p.digest()) == 64


def test_policy_files_yaml_and_toml_load_to_the_same_policy(tmp_path: Path):
    data = Policy.default().model_dump(mode="json")
    data["protected_cells"] = [3, 4]
    data["coverage_floor"] = 0.95
    y = tmp_path / "p.yaml"
    y.write_text(yaml.safe_dump(data))
    t = tmp_path / "p.toml"
    t.write_text(
        'name = "default"\nprotected_cells = [3, 4]\ncoverage_floor = 0.95\nmin_active_share = 0.5\n'
        "min_active_cells = 1\nmax_cells_per_apply = 20\n"
        "[knobs.tx_power_dbm]\nmin = 30.0\nmax = 46.0\nmax_step = 6.0\n"
        "[knobs.tx_power_dbm.per_class.micro]\nmin = 20.0\nmax = 41.0\n"
        "[knobs.tilt_deg]\nmin = 0.0\nmax = 15.0\nmax_step = 4.0\n"
        "[knobs.cio_db]\nmin = -6.0\nmax = 6.0\nmax_step = 6.0\n"
        "[knobs.slice_shares]\nmin = 0.05\nmax = 0.9\nmax_step = 0.5\n"
        "[knobs.active]\nallowed = true\n"
    )
    py, pt = load_policy(y), load_policy(t)
    assert py == pt
    assert py.protected_cells == [3, 4] and py.coverage_floor == 0.95


@pytest.mark.parametrize(
    "text, needle",
    [
        ("coverage_flor: 0.9\n", "coverage_flor"),  # a typo must not silently pass as "no floor"
        ("knobs: {tx_power_dbm: {min: 46, max: 30}}\n", "min <= max"),
        ("- 1\n- 2\n", "mapping"),
        ("knobs: [\n", "not valid"),
    ],
)
def test_bad_policy_files_are_refused_with_a_reason(tmp_path: Path, text: str, needle: str):
    base = yaml.safe_load((Path(__file__).parents[1] / "tools" / "default_policy.yaml").read_text())
    f = tmp_path / "bad.yaml"
    if text.startswith("coverage_flor"):
        base["coverage_flor"] = 0.9
        f.write_text(yaml.safe_dump(base))
    else:
        f.write_text(text)
    with pytest.raises(PolicyFileError, match=needle):
        load_policy(f)


def test_missing_policy_file():
    with pytest.raises(PolicyFileError, match="cannot read"):
        load_policy("/nonexistent/policy.yaml")


def test_ranges_are_per_cell_class():
    p, cfg = Policy.default(), _config()
    ok = [CellChange(cell=0, tx_power_dbm=42.0), CellChange(cell=6, tx_power_dbm=33.0)]
    assert p.check_changes(ok, cfg) == []
    bad = [CellChange(cell=6, tx_power_dbm=19.0)]  # micro floor is 20 dBm, and it is also > 6 dB from 37
    assert _rules(p.check_changes(bad, cfg)) == [("knob_range", 6, "tx_power_dbm"), ("max_step", 6, "tx_power_dbm")]
    v = p.check_changes([CellChange(cell=1, tilt_deg=16.0)], cfg)
    assert _rules(v) == [("knob_range", 1, "tilt_deg"), ("max_step", 1, "tilt_deg")]
    assert v[0].allowed == [0.0, 15.0] and v[0].value == 16.0 and "policy range" in v[0].message


def test_step_size_is_measured_from_the_current_value():
    p, cfg = Policy.default(), _config()
    assert p.check_changes([CellChange(cell=0, tx_power_dbm=40.0)], cfg) == []
    v = p.check_changes([CellChange(cell=0, tx_power_dbm=39.9)], cfg)
    assert _rules(v) == [("max_step", 0, "tx_power_dbm")]
    assert v[0].allowed == [40.0, 52.0]
    assert p.check_changes([CellChange(cell=0, tilt_deg=10.0)], cfg) == []
    assert _rules(p.check_changes([CellChange(cell=0, tilt_deg=10.5)], cfg)) == [("max_step", 0, "tilt_deg")]


def test_slice_shares_have_a_floor_per_slice():
    p, cfg = Policy.default(), _config()
    assert p.check_changes([CellChange(cell=0, slice_shares={"embb": 0.5, "urllc": 0.3, "mmtc": 0.2})], cfg) == []
    v = p.check_changes([CellChange(cell=0, slice_shares={"embb": 0.78, "urllc": 0.2, "mmtc": 0.02})], cfg)
    assert _rules(v) == [("knob_range", 0, "slice_shares.mmtc")]


def test_protected_cells_may_never_sleep_but_may_be_tuned_or_woken():
    p = Policy.default().model_copy(update={"protected_cells": [2]})
    cfg = _config()
    v = p.check_changes([CellChange(cell=2, active=False)], cfg)
    assert _rules(v) == [("protected_cell", 2, "active")]
    assert "protected" in v[0].message
    assert p.check_changes([CellChange(cell=2, tx_power_dbm=44.0), CellChange(cell=3, active=False)], cfg) == []
    assert p.allowed_now(cfg, 2)["active"] == [True]
    assert p.allowed_now(cfg, 3)["active"] == [True, False]


def test_minimum_active_cells():
    p = Policy.default()  # min_active_share 0.5 of 8 cells -> 4
    cfg = _config()
    assert p.min_active(8) == 4
    four = [CellChange(cell=c, active=False) for c in range(4)]
    assert p.check_changes(four, cfg) == []
    five = [CellChange(cell=c, active=False) for c in range(5)]
    v = p.check_changes(five, cfg)
    assert _rules(v) == [("min_active_cells", None, "active")]
    assert v[0].value == 3 and v[0].allowed == 4


def test_a_network_already_below_the_minimum_may_still_wake_cells():
    p = Policy.default()
    cfg = NetworkConfig(cells=[c.model_copy(update={"active": c.cell == 0}) for c in _config().cells])
    assert p.check_changes([CellChange(cell=1, active=True)], cfg) == []
    assert _rules(p.check_changes([CellChange(cell=0, active=False)], cfg)) == [("min_active_cells", None, "active")]


def test_max_cells_per_apply():
    p = Policy.default().model_copy(update={"max_cells_per_apply": 3})
    v = p.check_changes([CellChange(cell=c, cio_db=1.0) for c in range(4)], _config())
    assert _rules(v) == [("max_cells_per_apply", None, None)]
    assert v[0].value == 4 and v[0].allowed == 3


def test_sleep_can_be_forbidden_altogether():
    data = Policy.default().model_dump()
    data["knobs"]["active"]["allowed"] = False
    p = Policy.model_validate(data)
    assert _rules(p.check_changes([CellChange(cell=0, active=False)], _config())) == [("knob_not_allowed", 0, "active")]
    assert p.check_changes([CellChange(cell=0, active=True)], _config()) == []  # already active: no-op


def test_coverage_floor_checks_every_hour_and_spares_repairs():
    p = Policy.default()  # floor 0.90
    assert p.check_coverage([(None, 0.97, 0.95)]) == []
    v = p.check_coverage([(None, 0.97, 0.93), (3, 0.95, 0.88), (12, 0.98, 0.96)])
    assert [(x.rule, x.value) for x in v] == [("coverage_floor", 0.88)]
    assert "hour 3" in v[0].message
    # Already below the floor: a change that does not lower coverage further is not blocked (it may repair it).
    assert p.check_coverage([(None, 0.80, 0.85)]) == []
    assert p.check_coverage([(None, 0.80, 0.80)]) == []
    assert len(p.check_coverage([(None, 0.85, 0.84)])) == 1


def test_summary_is_compact():
    s = Policy.default().summary()
    assert s["tx_power_dbm"] == {"range": [30.0, 46.0], "max_step": 6.0, "per_class": {"micro": [20.0, 41.0]}}
    assert s["coverage_floor"] == 0.9
