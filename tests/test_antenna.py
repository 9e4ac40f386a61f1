"""Tests of airloop.simulator.antenna against 3GPP TR 38.901 Table 7.3-1 and array theory.

Expected values are written out by hand from Table 7.3-1 (theta_3dB = phi_3dB = 65 deg, SLA_V = A_max = 30 dB,
G_E,max = 8 dBi) and from the uniform-linear-array factor, computed here with complex sums, not with the module.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from airloop.simulator.antenna import element_gain_dbi, panel_gain_dbi, wrap_azimuth_deg
from airloop.simulator.types import InvalidParameterError


def test_element_peak_and_3db_beamwidth() -> None:
    assert float(element_gain_dbi(0.0, 90.0)) == pytest.approx(8.0)
    # A_H(+/-32.5) = -12 (32.5/65)^2 = -3 dB exactly: the 65 deg half-power beamwidth.
    np.testing.assert_allclose(element_gain_dbi(np.array([-32.5, 32.5]), 90.0), [5.0, 5.0])
    # Vertical: A_V(90 +/- 32.5) = -3 dB as well.
    np.testing.assert_allclose(element_gain_dbi(0.0, np.array([57.5, 122.5])), [5.0, 5.0])


def test_element_tilt_moves_vertical_peak() -> None:
    # Tilt 10 deg: peak at theta = 100; at the horizon A_V = -12 (10/65)^2 = -0.284024 dB.
    assert float(element_gain_dbi(0.0, 100.0, tilt_deg=10.0)) == pytest.approx(8.0)
    assert float(element_gain_dbi(0.0, 90.0, tilt_deg=10.0)) == pytest.approx(8.0 - 0.284024, abs=1e-6)
    theta = np.linspace(0, 180, 18001)
    assert theta[np.argmax(element_gain_dbi(0.0, theta, tilt_deg=10.0))] == pytest.approx(100.0)


def test_element_side_lobe_floor() -> None:
    # Back lobe: A_H(180) = -min(12*(180/65)^2 = 92.0, 30) = -30 -> 8 - 30 = -22 dBi.
    assert float(element_gain_dbi(180.0, 90.0)) == pytest.approx(-22.0)
    # Zenith on boresight: A_V = -min(12 (90/65)^2 = 23.006, 30) -> 8 - 23.006 = -15.006 dBi.
    assert float(element_gain_dbi(0.0, 0.0)) == pytest.approx(8.0 - 12 * (90 / 65) ** 2, abs=1e-9)
    # Combined attenuation is capped at A_max: zenith at phi = 90 gives 23.006 + 23.006 > 30 -> -22 dBi.
    assert float(element_gain_dbi(90.0, 0.0)) == pytest.approx(-22.0)
    grid = element_gain_dbi(np.linspace(-180, 180, 361)[:, None], np.linspace(0, 180, 181)[None, :])
    assert grid.min() == pytest.approx(-22.0) and grid.max() == pytest.approx(8.0)


def test_azimuth_wrap() -> None:
    np.testing.assert_allclose(wrap_azimuth_deg([370.0, -190.0, 180.0, -180.0, 540.0]), [10.0, 170.0, 180, 180, 180])
    assert float(element_gain_dbi(370.0, 90.0)) == pytest.approx(float(element_gain_dbi(10.0, 90.0)))


def _array_factor_db(theta_deg: float, tilt_deg: float, n: int, d: float) -> float:
    """10 log10 |sum_m w_m a_m(theta)|^2 with w_m = exp(-j 2 pi m d cos(theta_tilt))/sqrt(n), written out."""
    t0 = math.radians(90.0 + tilt_deg)
    t = math.radians(theta_deg)
    s = sum(np.exp(1j * 2 * math.pi * m * d * (math.cos(t) - math.cos(t0))) for m in range(n)) / math.sqrt(n)
    return 10 * math.log10(abs(s) ** 2)


def test_panel_peak_is_element_plus_10log10_n() -> None:
    # 10 elements: 8 + 10 log10(10) = 18 dBi at boresight of the (zero) steering.
    assert float(panel_gain_dbi(0.0, 90.0, tilt_deg=0.0)) == pytest.approx(18.0)
    assert float(panel_gain_dbi(0.0, 90.0, tilt_deg=0.0, n_vertical=4)) == pytest.approx(8 + 10 * math.log10(4))
    # Azimuth cut at the horizon is the element's: -3 dB at +/-32.5 deg.
    assert float(panel_gain_dbi(32.5, 90.0, tilt_deg=0.0)) == pytest.approx(15.0)


def test_panel_tilt_moves_vertical_peak() -> None:
    # Electrical tilt 12 deg (the calibration's 102 deg zenith): array factor peaks at 102, element (untilted)
    # contributes A_V(102) = -12 (12/65)^2 = -0.408994 dB there.
    assert float(panel_gain_dbi(0.0, 102.0, tilt_deg=12.0)) == pytest.approx(18.0 - 0.408994, abs=1e-6)
    theta = np.linspace(60, 140, 80001)
    for tilt in (0.0, 6.0, 12.0):
        peak = theta[np.argmax(panel_gain_dbi(0.0, theta, tilt_deg=tilt))]
        assert 90.0 + tilt - 0.6 <= peak <= 90.0 + tilt + 1e-9
    # More tilt -> less gain at the horizon, more near the site.
    at_horizon = [float(panel_gain_dbi(0.0, 90.0, tilt_deg=t)) for t in (0.0, 4.0, 8.0)]
    assert at_horizon[0] > at_horizon[1] > at_horizon[2]


def test_panel_matches_explicit_array_sum() -> None:
    rng = np.random.default_rng(0)
    for _ in range(50):
        theta, tilt, phi = rng.uniform(70, 130), rng.uniform(-5, 15), rng.uniform(-60, 60)
        want = float(element_gain_dbi(phi, theta)) + _array_factor_db(theta, tilt, 10, 0.5)
        got = float(panel_gain_dbi(phi, theta, tilt_deg=tilt))
        assert got == pytest.approx(max(want, -22.0), abs=1e-6)
    got_08 = float(panel_gain_dbi(0.0, 95.0, tilt_deg=3.0, spacing_wl=0.8))
    assert got_08 == pytest.approx(float(element_gain_dbi(0.0, 95.0)) + _array_factor_db(95.0, 3.0, 10, 0.8))


def test_panel_vertical_half_power_beamwidth() -> None:
    # Uniform 10 x 0.5 lambda broadside array: HPBW = 2 asin(0.443 / (N d)) = 2 asin(0.0886) = 10.17 deg
    # (array theory); the element's own taper over +/-5 deg (-0.07 dB) barely narrows it.
    theta = np.linspace(80, 100, 200001)
    g = panel_gain_dbi(0.0, theta, tilt_deg=0.0)
    above = theta[g >= 18.0 - 3.0]
    assert above.max() - above.min() == pytest.approx(10.17, abs=0.2)


def test_panel_nulls_filled_at_element_floor() -> None:
    # First null of the array factor at cos(theta) = 1/(N d) = 0.2 -> theta = 78.463 deg: -inf dB, floored.
    assert float(panel_gain_dbi(0.0, math.degrees(math.acos(0.2)), tilt_deg=0.0)) == pytest.approx(-22.0)
    assert float(panel_gain_dbi(180.0, 90.0, tilt_deg=0.0)) >= -22.0
    g = panel_gain_dbi(np.linspace(-180, 180, 181)[:, None], np.linspace(0, 180, 721)[None, :], tilt_deg=8.0)
    assert np.isfinite(g).all() and g.min() >= -22.0 and g.shape == (181, 721)


def test_broadcast_over_cells() -> None:
    phi = np.array([[0.0], [20.0], [-45.0]])  # 3 UEs
    tilt = np.array([[2.0, 6.0, 10.0, 14.0]])  # 4 cells
    g = panel_gain_dbi(phi, 95.0, tilt_deg=tilt)
    assert g.shape == (3, 4)
    assert g[1, 2] == pytest.approx(float(panel_gain_dbi(20.0, 95.0, tilt_deg=10.0)))


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda: element_gain_dbi(0.0, 181.0), "theta_deg"),
        (lambda: element_gain_dbi(float("nan"), 90.0), "phi_deg"),
        (lambda: element_gain_dbi(0.0, 90.0, tilt_deg=95.0), "tilt_deg"),
        (lambda: panel_gain_dbi(0.0, 90.0, tilt_deg=0.0, n_vertical=0), "n_vertical"),
        (lambda: panel_gain_dbi(0.0, 90.0, tilt_deg=0.0, spacing_wl=-0.5), "spacing_wl"),
    ],
)
def test_bad_input_raises(call: object, field: str) -> None:
    with pytest.raises(InvalidParameterError) as err:
        call()  # type: ignore[operator]
    assert err.value.field == field
