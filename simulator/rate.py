"""Link abstraction: SINR -> spectral efficiency.

Two mappings, both vectorized over ``sinr_db`` arrays:

- :func:`shannon_truncated_bps_hz`: the attenuated and truncated Shannon bound of 3GPP TR 36.942 Annex A.2.
- :func:`cqi_spectral_efficiency`: the 4-bit CQI table 1 of 3GPP TS 38.214 Table 5.2.2.1-2 (identical to LTE's
  TS 36.213 Table 7.2.3-1), with the CQI chosen by SINR thresholds for a 10 % block error rate.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from .types import InvalidParameterError

__all__ = [
    "CQI_SINR_THRESHOLDS_DB",
    "CQI_TABLE_1",
    "cqi_spectral_efficiency",
    "shannon_truncated_bps_hz",
    "sinr_to_cqi",
]

FloatArray = npt.NDArray[np.float64]

#: TS 38.214 Table 5.2.2.1-2 ("CQI table 1"), rows CQI 0..15. CQI 0 is "out of range" (modulation order and code
#: rate 0). ``efficiency`` is the table's rounded Q_m * R (information bits per resource element).
CQI_TABLE_1: dict[str, np.ndarray] = {
    "cqi": np.arange(16),
    "modulation_order": np.array([0, 2, 2, 2, 2, 2, 2, 4, 4, 4, 6, 6, 6, 6, 6, 6]),
    "code_rate_x1024": np.array([0, 78, 120, 193, 308, 449, 602, 378, 490, 616, 466, 567, 666, 772, 873, 948]),
    "efficiency": np.array(
        [0.0, 0.1523, 0.2344, 0.3770, 0.6016, 0.8770, 1.1758, 1.4766, 1.9141, 2.4063,
         2.7305, 3.3223, 3.9023, 4.5234, 5.1152, 5.5547]
    ),
}  # fmt: skip

#: Lowest SINR (dB) at which CQI 1..15 meets 10 % BLER. TS 38.214 defines the CQI by the BLER target only; it
#: gives no SINR thresholds, which depend on receiver and channel. These are the widely used AWGN SISO values
#: (CQI 1 at -6.7 dB, then ~2 dB steps to 22.7 dB for CQI 15) tabulated e.g. in M. T. Kawser et al., "Downlink SNR
#: to CQI Mapping for Different Multiple Antenna Techniques in LTE", IJIEE 2(5), 2012 from Vienna LTE link-level
#: simulations. An assumption of this simulator, not a 3GPP requirement.
CQI_SINR_THRESHOLDS_DB: np.ndarray = np.array(
    [-6.7, -4.7, -2.3, 0.2, 2.4, 4.3, 5.9, 8.1, 10.3, 11.7, 14.1, 16.3, 18.7, 21.0, 22.7]
)


def _sinr(sinr_db: npt.ArrayLike) -> FloatArray:
    try:
        arr = np.asarray(sinr_db, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise InvalidParameterError(f"sinr_db must be numeric (dB); got {sinr_db!r}.", field="sinr_db") from exc
    # +/-inf are meaningful (no interference / no signal); NaN is not.
    nan = np.isnan(arr)
    if np.any(nan):
        raise InvalidParameterError(
            f"sinr_db contains NaN ({int(np.count_nonzero(nan))} of {arr.size} values); a NaN SINR usually means "
            "0/0 power somewhere upstream (e.g. a UE with no serving cell). Fix it there; -inf dB is accepted.",
            field="sinr_db",
            value="nan",
        )
    return arr


def shannon_truncated_bps_hz(
    sinr_db: npt.ArrayLike, alpha: float = 0.6, max_bps_hz: float = 4.8, min_sinr_db: float = -10.0
) -> FloatArray:
    """Attenuated, truncated Shannon bound of TR 36.942 Annex A.2, bit/s/Hz.

        Thr = 0                                   for SINR < SINR_MIN
        Thr = alpha log2(1 + SINR)                for SINR_MIN <= SINR < SINR_MAX
        Thr = Thr_MAX                             for SINR >= SINR_MAX

    with SINR linear inside the log and SINR_MAX the SINR at which alpha log2(1 + SINR) = Thr_MAX. alpha = 0.6
    (implementation losses) and SINR_MIN = -10 dB are the annex's downlink baseline. The default
    Thr_MAX = 4.8 bit/s/Hz (SINR_MAX = 10 log10(2^8 - 1) = 24.07 dB) is this project's default; compare
    ``max_bps_hz`` with the Thr_MAX the annex lists for the configuration you model.
    """
    sinr = _sinr(sinr_db)
    a = float(alpha)
    if not (np.isfinite(a) and 0.0 < a <= 1.0):
        raise InvalidParameterError(f"alpha must be in (0, 1]; got {alpha!r}.", field="alpha", value=alpha)
    if not (np.isfinite(max_bps_hz) and max_bps_hz > 0.0):
        raise InvalidParameterError(
            f"max_bps_hz must be finite and > 0; got {max_bps_hz!r}.", field="max_bps_hz", value=max_bps_hz
        )
    if not np.isfinite(min_sinr_db):
        raise InvalidParameterError(f"min_sinr_db must be finite; got {min_sinr_db!r}.", field="min_sinr_db")
    return np.asarray(shannon_unchecked(sinr, a, max_bps_hz, min_sinr_db), dtype=np.float64)


def shannon_unchecked(sinr: FloatArray, alpha: float = 0.6, max_bps_hz: float = 4.8,
                      min_sinr_db: float = -10.0) -> FloatArray:
    """`shannon_truncated_bps_hz` of a float SINR array without NaN (the simulator computes it every step)."""
    with np.errstate(over="ignore"):
        thr = alpha * np.log2(1.0 + 10.0 ** (sinr / 10.0))
    return np.where(sinr < min_sinr_db, 0.0, np.minimum(thr, max_bps_hz))


def sinr_to_cqi(sinr_db: npt.ArrayLike) -> npt.NDArray[np.intp]:
    """Highest CQI (0..15) whose 10 %-BLER threshold in ``CQI_SINR_THRESHOLDS_DB`` is <= the SINR; 0 below CQI 1."""
    sinr = _sinr(sinr_db)
    return np.asarray(np.searchsorted(CQI_SINR_THRESHOLDS_DB, sinr, side="right"), dtype=np.intp)


def cqi_spectral_efficiency(sinr_db: npt.ArrayLike) -> FloatArray:
    """Spectral efficiency of the CQI a UE would report at ``sinr_db``, bit/s/Hz (per resource element).

    TS 38.214 Table 5.2.2.1-2 efficiency of CQI = :func:`sinr_to_cqi` (0 below CQI 1's -6.7 dB, 5.5547 from
    22.7 dB up). A step function: no interpolation between CQIs, no overhead (reference signals, control) removed.
    """
    return np.asarray(CQI_TABLE_1["efficiency"][sinr_to_cqi(sinr_db)], dtype=np.float64)
