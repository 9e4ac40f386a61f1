"""Tests of airloop.simulator.energy against the EARTH power model.

Reference: G. Auer et al., "How much energy is needed to run a wireless network?", IEEE Wireless Communications
18(5), 2011, eq. (1) P_in = N_TRX (P_0 + Delta_p P_out) (P_out > 0), N_TRX P_sleep (P_out = 0), and Table 2:
macro N_TRX 6, P_max 20 W, P_0 130 W, Delta_p 4.7, P_sleep 75 W; micro 2, 6.3 W, 56 W, 2.6, 39 W.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from airloop.simulator.energy import EARTH, earth_power_w
from airloop.simulator.types import InvalidParameterError


def test_macro_full_idle_sleep() -> None:
    # Full: 6 (130 + 4.7*20) = 6 * 224 = 1344 W; idle (awake, no RF): 6*130 = 780 W; sleep: 6*75 = 450 W.
    assert float(earth_power_w("macro", 1.0)) == pytest.approx(1344.0)
    assert float(earth_power_w("macro", 0.0)) == pytest.approx(780.0)
    assert float(earth_power_w("macro", 0.0, sleeping=True)) == pytest.approx(450.0)


def test_micro_full_idle_sleep() -> None:
    # Full: 2 (56 + 2.6*6.3) = 2 * 72.38 = 144.76 W; idle 2*56 = 112 W; sleep 2*39 = 78 W.
    assert float(earth_power_w("micro", 1.0)) == pytest.approx(144.76)
    assert float(earth_power_w("micro", 0.0)) == pytest.approx(112.0)
    assert float(earth_power_w("micro", 0.7, sleeping=True)) == pytest.approx(78.0)


def test_linear_in_load_and_vectorized() -> None:
    load = np.array([0.0, 0.25, 0.5, 1.0])
    # Macro at 50 %: 6 (130 + 4.7*10) = 1062 W; at 25 %: 6 (130 + 4.7*5) = 921 W.
    np.testing.assert_allclose(earth_power_w("macro", load), [780.0, 921.0, 1062.0, 1344.0])
    sleeping = np.array([False, True, False, True])
    np.testing.assert_allclose(earth_power_w("macro", load, sleeping=sleeping), [780.0, 450.0, 1062.0, 450.0])
    grid = earth_power_w("micro", load[:, None], sleeping=np.array([[False, True]]))
    assert grid.shape == (4, 2)
    np.testing.assert_allclose(grid[:, 1], 78.0)


def test_per_sector_of_macro_site() -> None:
    # One sector (2 TRX) of the 3-sector macro site: 2 * 224 = 448 W at full load; three sum to the site figure.
    assert float(earth_power_w("macro", 1.0, n_trx=2)) == pytest.approx(448.0)
    assert 3 * float(earth_power_w("macro", 0.3, n_trx=2)) == pytest.approx(float(earth_power_w("macro", 0.3)))


def test_parameters_match_table_2_and_are_frozen() -> None:
    m, u = EARTH["macro"], EARTH["micro"]
    assert (m.n_trx, m.p_max_w, m.p0_w, m.delta_p, m.p_sleep_w) == (6, 20.0, 130.0, 4.7, 75.0)
    assert (u.n_trx, u.p_max_w, u.p0_w, u.delta_p, u.p_sleep_w) == (2, 6.3, 56.0, 2.6, 39.0)
    with pytest.raises(dataclasses.FrozenInstanceError):
        m.p0_w = 1.0  # type: ignore[misc]


@pytest.mark.parametrize("bad", [float("nan"), -0.01, 1.01, [0.5, 2.0]])
def test_bad_load_raises(bad: object) -> None:
    with pytest.raises(InvalidParameterError) as err:
        earth_power_w("macro", bad)  # type: ignore[arg-type]
    assert err.value.field == "load" and "[0, 1]" in str(err.value)


def test_bad_class_and_sleeping_raise() -> None:
    with pytest.raises(InvalidParameterError) as err:
        earth_power_w("femto", 0.5)
    assert err.value.field == "cell_class" and err.value.allowed == ["macro", "micro"]
    with pytest.raises(InvalidParameterError):
        earth_power_w("macro", 0.5, sleeping=np.array([0.2]))
    with pytest.raises(InvalidParameterError):
        earth_power_w("macro", 0.5, n_trx=0)
