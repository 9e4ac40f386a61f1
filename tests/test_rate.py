"""Tests of airloop.simulator.rate.

References: 3GPP TR 36.942 Annex A.2 (attenuated, truncated Shannon bound); 3GPP TS 38.214 Table 5.2.2.1-2
(4-bit CQI table 1); SINR thresholds for 10 % BLER as tabulated by Kawser et al., IJIEE 2012 (an assumption,
see rate.CQI_SINR_THRESHOLDS_DB).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from airloop.simulator.rate import (
    CQI_SINR_THRESHOLDS_DB,
    CQI_TABLE_1,
    cqi_spectral_efficiency,
    shannon_truncated_bps_hz,
    sinr_to_cqi,
)
from airloop.simulator.types import InvalidParameterError


def test_shannon_truncated_regions() -> None:
    # Below SINR_MIN = -10 dB: 0. At -10 dB: 0.6 log2(1.1) = 0.082502. At 0 dB: 0.6 log2(2) = 0.6.
    # At 10 dB: 0.6 log2(11) = 2.075659. Thr_MAX 4.8 reached at 10 log10(2^8 - 1) = 24.0654 dB.
    sinr = np.array([-30.0, -10.01, -10.0, 0.0, 10.0, 24.0, 24.1, 40.0])
    want = [0.0, 0.0, 0.082502, 0.6, 2.075659, 0.6 * math.log2(1 + 10**2.4), 4.8, 4.8]
    np.testing.assert_allclose(shannon_truncated_bps_hz(sinr), want, atol=1e-6)
    np.testing.assert_allclose(shannon_truncated_bps_hz([-np.inf, np.inf]), [0.0, 4.8])


def test_shannon_truncated_parameters() -> None:
    # alpha 0.75, Thr_MAX 4.4, SINR_MIN -5: 0.75 log2(1 + 10^0.5) = 0.75 * 2.106 = 1.579; 22 dB capped at 4.4.
    got = shannon_truncated_bps_hz([-6.0, 5.0, 22.0], alpha=0.75, max_bps_hz=4.4, min_sinr_db=-5.0)
    np.testing.assert_allclose(got, [0.0, 0.75 * math.log2(1 + 10**0.5), 4.4], atol=1e-9)
    with pytest.raises(InvalidParameterError):
        shannon_truncated_bps_hz(0.0, alpha=1.5)
    with pytest.raises(InvalidParameterError) as err:
        shannon_truncated_bps_hz([0.0, float("nan")])
    assert err.value.field == "sinr_db"


def test_cqi_table_matches_modulation_times_code_rate() -> None:
    # TS 38.214 Table 5.2.2.1-2: efficiency = Q_m * R/1024 to 4 decimals (e.g. 2*78/1024 = 0.15234 -> 0.1523;
    # 4*616/1024 = 2.40625 -> 2.4063), so every entry is within half a unit of the 4th decimal of Q_m R.
    qm, rate, eff = CQI_TABLE_1["modulation_order"], CQI_TABLE_1["code_rate_x1024"], CQI_TABLE_1["efficiency"]
    np.testing.assert_allclose(eff, qm * rate / 1024, rtol=0, atol=5.0e-5 + 1e-12)
    assert eff[1] == 0.1523 and eff[15] == 5.5547 and len(eff) == 16
    assert list(qm[[1, 6, 7, 9, 10, 15]]) == [2, 2, 4, 4, 6, 6]  # QPSK 1-6, 16QAM 7-9, 64QAM 10-15


def test_cqi_thresholds_are_sane() -> None:
    steps = np.diff(CQI_SINR_THRESHOLDS_DB)
    assert CQI_SINR_THRESHOLDS_DB[0] == -6.7 and len(CQI_SINR_THRESHOLDS_DB) == 15
    assert np.all(steps > 1.0) and np.all(steps < 3.0)
    # No CQI may claim more than the Shannon capacity at its own threshold SINR.
    cap = np.log2(1 + 10 ** (CQI_SINR_THRESHOLDS_DB / 10))
    assert np.all(CQI_TABLE_1["efficiency"][1:] < cap)


def test_cqi_mapping_edges() -> None:
    sinr = np.array([-20.0, -6.71, -6.7, 0.0, 0.2, 22.69, 22.7, 60.0])
    np.testing.assert_array_equal(sinr_to_cqi(sinr), [0, 0, 1, 3, 4, 14, 15, 15])
    np.testing.assert_allclose(
        cqi_spectral_efficiency(sinr), [0.0, 0.0, 0.1523, 0.3770, 0.6016, 5.1152, 5.5547, 5.5547]
    )
    assert float(cqi_spectral_efficiency(-np.inf)) == 0.0


def test_cqi_monotone_and_vectorized() -> None:
    sinr = np.linspace(-15, 35, 1001).reshape(7, 143)
    eff = cqi_spectral_efficiency(sinr)
    assert eff.shape == (7, 143)
    assert np.all(np.diff(eff.ravel()) >= 0)
    with pytest.raises(InvalidParameterError):
        cqi_spectral_efficiency([1.0, float("nan")])
