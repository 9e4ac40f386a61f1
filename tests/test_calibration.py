"""Large-scale calibration against R1-165974 (TR 38.901 §7.8.1), and the `airloop calibrate` command.

Reference: R1-165974, the 3GPP RAN1 summary of the TR 38.900 V14.0.0 large-scale calibration (19 sites x 3 sectors,
wrap-around, 6 GHz, 80 % indoor UEs, 10-element vertical panel with 12° electrical tilt): the median of the
companies' CDFs of coupling gain and geometry, read at 5 / 50 / 95 %. The numbers are those tabulated in QuaDRiGa's
calibration reference data (fraunhoferhhi/QuaDRiGa, tutorials/calib_3GPP_ref_data.m, 6 GHz rows of `cl38900a` and
`gf38900a`); the UMi ones are also quoted in issue 2.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
import typer
from airloop.simulator import InvalidParameterError, UnknownScenarioError
from airloop.simulator.calibration import R1_165974, calibrate, coupling_and_geometry_db
from typer.testing import CliRunner

TOLERANCE_DB = 2.0


def test_reference_values_are_the_published_ones():
    # Issue 2 quotes the UMi medians; the UMa ones come from the same R1-165974 table (6 GHz).
    assert R1_165974["umi-calibration"] == {
        "coupling_gain_db": {"p5": -142.3, "p50": -112.2, "p95": -74.8},
        "geometry_db": {"p5": -1.7, "p50": 7.3, "p95": 24.9},
    }
    assert R1_165974["uma-calibration"]["coupling_gain_db"] == {"p5": -150.4, "p50": -120.3, "p95": -86.0}
    assert R1_165974["uma-calibration"]["geometry_db"] == {"p5": -1.0, "p50": 8.6, "p95": 25.6}


def test_coupling_gain_and_geometry_of_hand_made_gains():
    gains = np.array([[-100.0, -110.0], [-120.0, -100.0], [-100.0, -110.0]])
    gains = np.c_[gains, [-200.0, -200.0, -110.0]]
    cg, geo = coupling_and_geometry_db(gains)
    assert cg.tolist() == [-100.0, -100.0, -100.0]
    assert geo[0] == pytest.approx(10.0 - 10 * np.log10(1 + 1e-9), abs=1e-6)
    assert geo[1] == pytest.approx(20.0, abs=1e-6)
    assert geo[2] == pytest.approx(10.0 - 10 * np.log10(2.0), abs=1e-9)  # two equal interferers
    # One cell alone: no interferer at all.
    assert coupling_and_geometry_db(np.array([[-90.0]]))[1][0] == np.inf
    with pytest.raises(InvalidParameterError, match="users x cells"):
        coupling_and_geometry_db(np.zeros(3))


def test_calibrate_is_reproducible_and_shaped():
    a = calibrate("rural-7", drops=2, seed=3)
    assert a == calibrate("rural-7", drops=2, seed=3)
    assert a != calibrate("rural-7", drops=2, seed=4)
    assert a["drops"] == 2 and a["ues"] == 2 * 210 and a["scenario"] == "rural-7"
    for stat in ("coupling_gain_db", "geometry_db"):
        assert list(a[stat]) == ["p5", "p50", "p95"]
        assert a[stat]["p5"] <= a[stat]["p50"] <= a[stat]["p95"]


@pytest.mark.parametrize(("kwargs", "field"), [({"drops": 0}, "drops"), ({"drops": 1.5}, "drops"),
                                                ({"seed": -1}, "seed")])
def test_bad_arguments(kwargs, field):
    with pytest.raises(InvalidParameterError) as e:
        calibrate("rural-7", **kwargs)
    assert e.value.field == field


def test_unknown_scenario():
    with pytest.raises(UnknownScenarioError, match="umi-calibration"):
        calibrate("umi-calibrat1on", drops=1)


@pytest.mark.slow
def test_umi_matches_r1_165974_within_2_db():
    res = calibrate("umi-calibration", drops=20, seed=0)
    ref = R1_165974["umi-calibration"]
    assert res["ues"] == 20 * 570
    for stat in ("coupling_gain_db", "geometry_db"):
        for p, r in ref[stat].items():
            assert abs(res[stat][p] - r) <= TOLERANCE_DB, (stat, p, res[stat][p], r)


@pytest.mark.slow
def test_uma_is_close_to_r1_165974():
    # The UMa reference predates the TR 38.901 V14.1.0 change of the UMa LOS parameters, so it is not held to 2 dB;
    # today every percentile is within ~1 dB (see the calibration report). 3 dB guards against regressions.
    res = calibrate("uma-calibration", drops=20, seed=0)
    ref = R1_165974["uma-calibration"]
    for stat in ("coupling_gain_db", "geometry_db"):
        for p, r in ref[stat].items():
            assert abs(res[stat][p] - r) <= 3.0, (stat, p, res[stat][p], r)


def _app() -> typer.Typer:
    from airloop.cli_sim import calibrate as calibrate_cmd

    app = typer.Typer()
    app.command("calibrate")(calibrate_cmd)
    app.command("noop")(lambda: None)  # two commands, so typer keeps the sub-command name
    return app


def test_cli_json_and_table():
    runner = CliRunner()
    r = runner.invoke(_app(), ["calibrate", "--scenario", "rural-7", "--drops", "1", "--json"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.output)
    assert set(out["coupling_gain_db"]) == {"p5", "p50", "p95"} and out["drops"] == 1
    assert "reference" not in out  # no published reference for rural-7
    r = runner.invoke(_app(), ["calibrate", "--scenario", "umi-calibration", "--drops", "1"])
    assert r.exit_code == 0, r.output
    assert "R1-165974" in r.output and "coupling gain" in r.output
    r = runner.invoke(_app(), ["calibrate", "--scenario", "umi-calibration", "--drops", "1", "--json"])
    assert json.loads(r.output)["reference"]["geometry_db"]["p50"] == 7.3
    r = runner.invoke(_app(), ["calibrate", "--scenario", "nowhere", "--drops", "1"])
    assert r.exit_code == 2 and "unknown scenario" in r.output
