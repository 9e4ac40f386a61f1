"""Large-scale channel of 3GPP TR 38.901 (V17): path loss, LOS probability, shadowing, O2I loss.

Everything here is a pure function of its arguments (the random ones take an explicit ``numpy.random.Generator``),
vectorized over numpy arrays that broadcast against each other, e.g. distances of shape ``(n_ue, n_cell)``.

Clauses implemented:

- Path loss: TR 38.901 §7.4.1, Table 7.4.1-1, scenarios UMa, UMi-Street Canyon and RMa, LOS and NLOS.
- LOS probability: §7.4.2, Table 7.4.2-1.
- Shadow fading: standard deviation from Table 7.4.1-1, correlation distance from Table 7.5-6, spatially consistent
  realisations (§7.6.3.1 procedure A idea, exponential autocorrelation) in :class:`SpatialField`.
- O2I building penetration: §7.4.3.1, Tables 7.4.3-1 and 7.4.3-2.

Units are in the names: ``_m`` metres, ``_db`` decibels, ``fc_ghz`` carrier frequency in GHz.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import Any, overload

import numpy as np
import numpy.typing as npt

from ._checks import finite as _finite
from .types import InvalidParameterError

__all__ = [
    "DEFAULT_H_BS_M",
    "MIN_D_2D_M",
    "SCENARIOS",
    "SpatialField",
    "breakpoint_distance_m",
    "correlation_distance_m",
    "indoor_distance_m",
    "los_probability",
    "los_probability_unchecked",
    "o2i_penetration_loss_db",
    "path_loss_db",
    "path_loss_unchecked",
    "shadow_fading_std_db",
]

FloatArray = npt.NDArray[np.float64]

SCENARIOS: tuple[str, ...] = ("uma", "umi", "rma")
#: BS antenna heights of Table 7.4.1-1 ("default values"; for RMa the default of the 10..150 m range).
DEFAULT_H_BS_M: dict[str, float] = {"uma": 25.0, "umi": 10.0, "rma": 35.0}
#: Lower end of every Table 7.4.1-1 applicability range (10 m <= d_2D).
MIN_D_2D_M = 10.0
#: Table 7.4.1-1 note 1 and note 5: c = 3.0e8 m/s (not 299 792 458; the test vectors use 3e8).
SPEED_OF_LIGHT_M_S = 3.0e8
#: Note 1 of Table 7.4.1-1: effective environment height h_E = 1 m (UMi always; UMa for h_UT < 13 m, see below).
H_E_M = 1.0
#: Applicable carrier frequencies, GHz: §7.4.1 (0.5-100 GHz); RMa is validated only up to 30 GHz (Table 7.4.1-1).
FC_RANGE_GHZ: dict[str, tuple[float, float]] = {"uma": (0.5, 100.0), "umi": (0.5, 100.0), "rma": (0.5, 30.0)}
#: UT height ranges of Table 7.4.1-1 (UMa, UMi: 1.5..22.5 m; RMa: 1..10 m).
H_UT_RANGE_M: dict[str, tuple[float, float]] = {"uma": (1.5, 22.5), "umi": (1.5, 22.5), "rma": (1.0, 10.0)}
#: Table 7.4.1-1 shadow-fading standard deviations, dB: (LOS before breakpoint, LOS after breakpoint, NLOS).
_SF_STD_DB: dict[str, tuple[float, float, float]] = {
    "uma": (4.0, 4.0, 6.0),
    "umi": (4.0, 4.0, 7.82),
    "rma": (4.0, 6.0, 8.0),
}
#: Table 7.5-6, shadow-fading correlation distance, m: (LOS, NLOS).
_SF_CORR_DIST_M: dict[str, tuple[float, float]] = {"uma": (37.0, 50.0), "umi": (10.0, 13.0), "rma": (37.0, 120.0)}
#: §7.4.3.1: d_2D-in is the minimum of two U(0, max) draws; max = 25 m (UMa, UMi), 10 m (RMa).
_INDOOR_MAX_M: dict[str, float] = {"uma": 25.0, "umi": 25.0, "rma": 10.0}
#: Table 7.4.3-2 standard deviation sigma_P of the O2I loss, dB.
O2I_SIGMA_LOW_DB = 4.4
O2I_SIGMA_HIGH_DB = 6.5


# ---------------------------------------------------------------------------------------------------- validation
def _scenario(scenario: str) -> str:
    key = str(scenario).lower()
    if key not in SCENARIOS:
        raise InvalidParameterError(
            f"scenario {scenario!r} is not a TR 38.901 path-loss scenario; use one of {list(SCENARIOS)} "
            "('umi' is UMi-Street Canyon).",
            field="scenario",
            value=scenario,
            allowed=list(SCENARIOS),
        )
    return key


def _bool_array(name: str, value: npt.ArrayLike) -> npt.NDArray[np.bool_]:
    arr = np.asarray(value)
    if arr.dtype == np.bool_:
        return arr
    if np.issubdtype(arr.dtype, np.integer) and np.all((arr == 0) | (arr == 1)):
        return arr.astype(np.bool_)
    raise InvalidParameterError(
        f"{name} must be a bool or an array of bools (True/False or 0/1); got dtype {arr.dtype}.",
        field=name,
        value=repr(value)[:80],
        allowed=[False, True],
    )


def _heights(scenario: str, h_bs_m: npt.ArrayLike | None, h_ut_m: npt.ArrayLike) -> tuple[FloatArray, FloatArray]:
    h_bs = DEFAULT_H_BS_M[scenario] if h_bs_m is None else h_bs_m
    # UMa/UMi: the breakpoint needs h_BS > h_E; RMa: the table's 10..150 m range matters because h_BS enters the
    # NLOS formula through log10(h_BS) and (h/h_BS)^2 terms fitted only over that range.
    bs_lo, bs_hi = (10.0, 150.0) if scenario == "rma" else (H_E_M + 0.5, 150.0)
    h_bs_arr = _finite("h_bs_m", h_bs, "m", lo=bs_lo, hi=bs_hi, what=f" for scenario {scenario!r}")
    lo, hi = H_UT_RANGE_M[scenario]
    h_ut_arr = _finite("h_ut_m", h_ut_m, "m", lo=lo, hi=hi, what=f" (TR 38.901 Table 7.4.1-1, {scenario})")
    return h_bs_arr, h_ut_arr


def _fc(scenario: str, fc_ghz: npt.ArrayLike) -> FloatArray:
    lo, hi = FC_RANGE_GHZ[scenario]
    return _finite("fc_ghz", fc_ghz, "GHz", lo=lo, hi=hi, what=f" (TR 38.901 §7.4.1 range for {scenario!r})")


# ---------------------------------------------------------------------------------------------------- path loss
def breakpoint_distance_m(
    scenario: str, *, fc_ghz: npt.ArrayLike, h_bs_m: npt.ArrayLike | None = None, h_ut_m: npt.ArrayLike = 1.5
) -> FloatArray:
    """Breakpoint distance of Table 7.4.1-1, m.

    UMa/UMi (note 1): d'_BP = 4 h'_BS h'_UT f_c / c with h' = h - h_E, h_E = 1 m.
    RMa (note 5): d_BP = 2 pi h_BS h_UT f_c / c. Here f_c is in Hz and c = 3.0e8 m/s.

    For UMa and h_UT >= 13 m the standard draws h_E from {12, 15, ..., h_UT - 1.5} m with probability
    C/(1 + C) (note 1); this model keeps h_E = 1 m for every link (the only value for h_UT < 13 m, where C = 0),
    so the loss stays deterministic. Only LOS links of UTs above 13 m are affected.
    """
    key = _scenario(scenario)
    h_bs, h_ut = _heights(key, h_bs_m, h_ut_m)
    return np.asarray(_breakpoint_unchecked(key, _fc(key, fc_ghz), h_bs, h_ut), dtype=np.float64)


def _breakpoint_unchecked(key: str, fc_ghz: FloatArray, h_bs: FloatArray, h_ut: FloatArray) -> FloatArray:
    fc_hz = fc_ghz * 1e9
    if key == "rma":
        return np.asarray(2.0 * np.pi * h_bs * h_ut * fc_hz / SPEED_OF_LIGHT_M_S)
    return np.asarray(4.0 * (h_bs - H_E_M) * (h_ut - H_E_M) * fc_hz / SPEED_OF_LIGHT_M_S)


def _rma_pl1(d_3d_m: FloatArray, fc_ghz: FloatArray, h_m: float) -> FloatArray:
    # Table 7.4.1-1, RMa LOS PL1; h = average building height.
    return np.asarray(
        20.0 * np.log10(40.0 * np.pi * d_3d_m * fc_ghz / 3.0)
        + min(0.03 * h_m**1.72, 10.0) * np.log10(d_3d_m)
        - min(0.044 * h_m**1.72, 14.77)
        + 0.002 * np.log10(h_m) * d_3d_m,
        dtype=np.float64,
    )


def path_loss_db(
    scenario: str,
    d_2d_m: npt.ArrayLike,
    *,
    los: npt.ArrayLike,
    fc_ghz: npt.ArrayLike,
    h_bs_m: npt.ArrayLike | None = None,
    h_ut_m: npt.ArrayLike = 1.5,
    street_width_m: float = 20.0,
    building_height_m: float = 5.0,
) -> FloatArray:
    """Basic path loss PL of TR 38.901 Table 7.4.1-1, dB (no shadowing, no O2I loss), for UMa, UMi-Street Canyon, RMa.

    ``d_2d_m`` is the horizontal BS-UT distance; d_3D = sqrt(d_2D^2 + (h_BS - h_UT)^2) (Figure 7.4.1-1). ``los``
    (bool or bool array) broadcasts against ``d_2d_m``; so do ``fc_ghz``, ``h_bs_m`` (default
    ``DEFAULT_H_BS_M[scenario]``) and ``h_ut_m``.

    - LOS: PL1 for d_2D <= d_BP, PL2 beyond (breakpoint from :func:`breakpoint_distance_m`).
    - NLOS: PL = max(PL_LOS, PL'_NLOS), as the table prescribes, so NLOS is never below LOS.
    - RMa uses street width W (5..50 m) and average building height h (5..50 m); defaults 20 m and 5 m.

    Distance handling, documented because the table does not define it:

    - d_2D < 10 m (the table's lower applicability limit) is evaluated at d_2D = 10 m: the loss is flat inside
      10 m instead of falling towards the free-space singularity. This is the only clamping done.
    - Above the upper limit (UMa/UMi 5 km; RMa LOS 10 km, RMa NLOS 5 km) the formulas are extrapolated unchanged
      (log-distance slopes continue); no error, because wrap-around layouts and interference links reach there.

    Raises InvalidParameterError for an unknown scenario, NaN/inf or negative distances, non-bool ``los``, and
    frequencies or heights outside the table's ranges (those change the formulas' meaning, not just their accuracy).
    """
    key = _scenario(scenario)
    d_2d = _finite("d_2d_m", d_2d_m, "m", lo=0.0, what=" (horizontal BS-UT distance)")
    los_arr = _bool_array("los", los)
    fc = _fc(key, fc_ghz)
    h_bs, h_ut = _heights(key, h_bs_m, h_ut_m)
    if key == "rma":
        _finite("street_width_m", street_width_m, "m", lo=5.0, hi=50.0, what=" (Table 7.4.1-1 RMa W)")
        _finite("building_height_m", building_height_m, "m", lo=5.0, hi=50.0, what=" (Table 7.4.1-1 RMa h)")
    return np.asarray(path_loss_unchecked(key, d_2d, los_arr, fc, h_bs, h_ut, street_width_m, building_height_m),
                      dtype=np.float64)


def path_loss_unchecked(key: str, d_2d: FloatArray, los_arr: npt.NDArray[np.bool_], fc: FloatArray,
                        h_bs: FloatArray, h_ut: FloatArray, street_width_m: float = 20.0,
                        building_height_m: float = 5.0) -> FloatArray:
    """`path_loss_db` of inputs already checked (a scenario key, float arrays, a bool LOS array): the simulator's
    per-step channel refresh calls it for users whose heights were checked when they were dropped."""
    d_2d = np.maximum(d_2d, MIN_D_2D_M)
    dh2 = (h_bs - h_ut) ** 2
    d_3d = np.sqrt(d_2d**2 + dh2)
    d_bp = _breakpoint_unchecked(key, fc, h_bs, h_ut)
    log_fc = np.log10(fc)

    if key == "uma":
        log_d = np.log10(d_3d)
        pl1 = 28.0 + 22.0 * log_d + 20.0 * log_fc
        pl2 = 28.0 + 40.0 * log_d + 20.0 * log_fc - 9.0 * np.log10(d_bp**2 + dh2)
        pl_nlos_prime = 13.54 + 39.08 * log_d + 20.0 * log_fc - 0.6 * (h_ut - 1.5)
    elif key == "umi":
        log_d = np.log10(d_3d)
        pl1 = 32.4 + 21.0 * log_d + 20.0 * log_fc
        pl2 = 32.4 + 40.0 * log_d + 20.0 * log_fc - 9.5 * np.log10(d_bp**2 + dh2)
        pl_nlos_prime = 35.3 * log_d + 22.4 + 21.3 * log_fc - 0.3 * (h_ut - 1.5)
    else:
        w, h = float(street_width_m), float(building_height_m)
        pl1 = _rma_pl1(d_3d, fc, h)
        # PL2 = PL1(d_BP) + 40 log10(d_3D / d_BP): PL1 is evaluated at the breakpoint distance itself (as ns-3 does).
        pl2 = _rma_pl1(d_bp, fc, h) + 40.0 * np.log10(d_3d / d_bp)
        pl_nlos_prime = (
            161.04
            - 7.1 * np.log10(w)
            + 7.5 * np.log10(h)
            - (24.37 - 3.7 * (h / h_bs) ** 2) * np.log10(h_bs)
            + (43.42 - 3.1 * np.log10(h_bs)) * (np.log10(d_3d) - 3.0)
            + 20.0 * log_fc
            - (3.2 * np.log10(11.75 * h_ut) ** 2 - 4.97)
        )
    # The table switches on d_2D (its ranges are in d_2D), while the formulas take d_3D.
    pl_los = np.where(d_2d <= d_bp, pl1, pl2)
    return np.where(los_arr, pl_los, np.maximum(pl_los, pl_nlos_prime))


# ---------------------------------------------------------------------------------------------------- LOS probability
def los_probability(scenario: str, d_2d_m: npt.ArrayLike, *, h_ut_m: npt.ArrayLike = 1.5) -> FloatArray:
    """LOS probability of TR 38.901 Table 7.4.2-1 (outdoor users; d_2d_m is d_2D-out), in [0, 1].

    - RMa: 1 for d <= 10 m, else exp(-(d - 10)/1000).
    - UMi-Street Canyon: 1 for d <= 18 m, else 18/d + exp(-d/36) (1 - 18/d).
    - UMa: 1 for d <= 18 m, else [18/d + exp(-d/63)(1 - 18/d)] (1 + C'(h_UT) 5/4 (d/100)^3 exp(-d/150)),
      C'(h_UT) = 0 for h_UT <= 13 m, ((h_UT - 13)/10)^1.5 for 13 m < h_UT <= 23 m.

    ``h_ut_m`` only matters for UMa; it must be in (0, 23] m (the table's range).
    """
    key = _scenario(scenario)
    d = _finite("d_2d_m", d_2d_m, "m", lo=0.0, what=" (horizontal BS-UT distance)")
    h_ut = _finite("h_ut_m", h_ut_m, "m", lo=0.0, hi=23.0, what=" (TR 38.901 Table 7.4.2-1)")
    return np.asarray(los_probability_unchecked(key, d, h_ut), dtype=np.float64)


def los_probability_unchecked(key: str, d: FloatArray, h_ut: FloatArray) -> FloatArray:
    """`los_probability` of checked float arrays (the simulator's per-step channel refresh)."""
    if key == "rma":
        return np.where(d <= 10.0, 1.0, np.exp(-(d - 10.0) / 1000.0))
    # Avoid 18/0 in the unused branch of np.where.
    d_safe = np.maximum(d, 18.0)
    near = d <= 18.0
    r = 18.0 / d_safe
    if key == "umi":
        return np.where(near, 1.0, r + np.exp(-d_safe / 36.0) * (1.0 - r))
    p_far = r + np.exp(-d_safe / 63.0) * (1.0 - r)
    high = h_ut > 13.0
    if np.any(high):
        # C'(h_UT) > 0 only above 13 m; elsewhere the factor is exactly 1 (1 + 0 x finite), so it is skipped there.
        c_prime = np.where(high, ((np.maximum(h_ut, 13.0) - 13.0) / 10.0) ** 1.5, 0.0)
        p_far = p_far * (1.0 + c_prime * 1.25 * (d_safe / 100.0) ** 3 * np.exp(-d_safe / 150.0))
    return np.where(near, 1.0, p_far)


# ---------------------------------------------------------------------------------------------------- shadowing
@overload
def shadow_fading_std_db(scenario: str, los: bool, *, beyond_breakpoint: bool = False) -> float: ...
@overload
def shadow_fading_std_db(
    scenario: str, los: npt.ArrayLike, *, beyond_breakpoint: npt.ArrayLike = False
) -> FloatArray | float: ...
def shadow_fading_std_db(
    scenario: str, los: npt.ArrayLike, *, beyond_breakpoint: npt.ArrayLike = False
) -> FloatArray | float:
    """Shadow-fading standard deviation sigma_SF of TR 38.901 Table 7.4.1-1, dB.

    UMa: LOS 4, NLOS 6. UMi-Street Canyon: LOS 4, NLOS 7.82. RMa: LOS 4 before the breakpoint (PL1) and 6 after
    it (PL2), NLOS 8. The RMa LOS value depends on the link's distance, which this function does not see: pass
    ``beyond_breakpoint = d_2d_m > breakpoint_distance_m("rma", ...)`` to get 6 dB there; the default (False) gives
    the PL1 value 4 dB. ``beyond_breakpoint`` is ignored for UMa/UMi (same sigma on both sides).

    A bool ``los`` (and bool ``beyond_breakpoint``) returns a float; arrays broadcast and return an array.
    """
    key = _scenario(scenario)
    los_arr = _bool_array("los", los)
    far = _bool_array("beyond_breakpoint", beyond_breakpoint)
    los_near, los_far, nlos = _SF_STD_DB[key]
    out = np.where(los_arr, np.where(far, los_far, los_near), nlos).astype(np.float64)
    return float(out) if out.ndim == 0 else out


@overload
def correlation_distance_m(scenario: str, los: bool) -> float: ...
@overload
def correlation_distance_m(scenario: str, los: npt.ArrayLike) -> FloatArray | float: ...
def correlation_distance_m(scenario: str, los: npt.ArrayLike) -> FloatArray | float:
    """Shadow-fading decorrelation distance of TR 38.901 Table 7.5-6, m.

    UMa: LOS 37, NLOS 50. UMi-Street Canyon: LOS 10, NLOS 13. RMa: LOS 37, NLOS 120. (O2I values of the table,
    7 m UMa/UMi and 120 m RMa, are not offered here.) A bool ``los`` returns a float, an array an array.
    """
    key = _scenario(scenario)
    los_arr = _bool_array("los", los)
    d_los, d_nlos = _SF_CORR_DIST_M[key]
    out = np.where(los_arr, d_los, d_nlos).astype(np.float64)
    return float(out) if out.ndim == 0 else out


def los_correlation_distance_m(scenario: str) -> float:
    """Correlation distance of the spatially consistent LOS/NLOS state, TR 38.901 Table 7.6.3.1-2, m:
    RMa 60, UMi-Street Canyon 50, UMa 50."""
    return {"uma": 50.0, "umi": 50.0, "rma": 60.0}[_scenario(scenario)]


# ---------------------------------------------------------------------------------------------------- O2I
def indoor_distance_m(rng: np.random.Generator, n: int, scenario: str) -> FloatArray:
    """UT-specific indoor distance d_2D-in of §7.4.3.1, m, shape ``(n,)``.

    The minimum of two independent U(0, 25 m) draws for UMa and UMi-Street Canyon, U(0, 10 m) for RMa. Draws
    2n uniforms from ``rng`` (first the n first-draws, then the n second-draws).
    """
    key = _scenario(scenario)
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 0:
        raise InvalidParameterError(
            f"n must be a non-negative int (number of indoor UTs); got {n!r}.", field="n", value=n, allowed=">= 0"
        )
    hi = _INDOOR_MAX_M[key]
    first = rng.uniform(0.0, hi, size=int(n))
    second = rng.uniform(0.0, hi, size=int(n))
    return np.minimum(first, second)


def o2i_penetration_loss_db(
    rng: np.random.Generator, d_2d_in_m: npt.ArrayLike, *, fc_ghz: float, high_loss: npt.ArrayLike
) -> FloatArray:
    """O2I building penetration loss PL_tw + PL_in + N(0, sigma_P^2) of TR 38.901 §7.4.3.1, Table 7.4.3-2, dB.

    Add it to the outdoor path loss of an indoor UT (the table's PL_b). With f in GHz and the material losses of
    Table 7.4.3-1 (L_glass = 2 + 0.2 f, L_IIRglass = 23 + 0.3 f, L_concrete = 5 + 4 f):

    - low loss:  PL_tw = 5 - 10 log10(0.3 10^(-L_glass/10) + 0.7 10^(-L_concrete/10)),   sigma_P = 4.4 dB
    - high loss: PL_tw = 5 - 10 log10(0.7 10^(-L_IIRglass/10) + 0.3 10^(-L_concrete/10)), sigma_P = 6.5 dB
    - PL_in = 0.5 d_2D-in for both.

    ``high_loss`` is a bool array (per UT) broadcasting with ``d_2d_in_m``; the output has the broadcast shape.
    §7.4.3.1 applies only the low-loss model in RMa: pass ``high_loss=False`` there. One standard normal is drawn
    per output element (C order), so a UT's loss is a fixed draw: call once per drop and keep the result.
    (Table 7.4.3-3's 20 dB backward-compatible sub-6 GHz model is not offered.)
    """
    d_in = _finite("d_2d_in_m", d_2d_in_m, "m", lo=0.0, what=" (indoor distance, see indoor_distance_m)")
    f = _finite("fc_ghz", fc_ghz, "GHz", lo=0.5, hi=100.0, what=" (TR 38.901 Table 7.4.3-1)")
    high = _bool_array("high_loss", high_loss)
    l_glass = 2.0 + 0.2 * f
    l_iirglass = 23.0 + 0.3 * f
    l_concrete = 5.0 + 4.0 * f
    pl_tw_low = 5.0 - 10.0 * np.log10(0.3 * 10.0 ** (-l_glass / 10.0) + 0.7 * 10.0 ** (-l_concrete / 10.0))
    pl_tw_high = 5.0 - 10.0 * np.log10(0.7 * 10.0 ** (-l_iirglass / 10.0) + 0.3 * 10.0 ** (-l_concrete / 10.0))
    shape = np.broadcast_shapes(d_in.shape, high.shape, f.shape)
    sigma = np.where(high, O2I_SIGMA_HIGH_DB, O2I_SIGMA_LOW_DB)
    noise = rng.standard_normal(shape)
    loss = np.where(high, pl_tw_high, pl_tw_low) + 0.5 * d_in + sigma * noise
    return np.asarray(np.broadcast_to(loss, shape), dtype=np.float64)


# ---------------------------------------------------------------------------------------------------- spatial fields
class SpatialField:
    """Spatially consistent, zero-mean, unit-variance Gaussian random fields over a rectangle, one per index.

    Used for shadow fading (scale by :func:`shadow_fading_std_db`) and, thresholded, for spatially consistent LOS
    states: TR 38.901 §7.6.3.1 asks for large-scale parameters that vary smoothly with the UT position with the
    exponential autocorrelation R(delta_d) = exp(-delta_d / d_corr) of Table 7.5-6 (the Gudmundson model). A user
    who moves by ``d_corr`` sees a correlation of e^-1 with its old value; two users 1 m apart see almost the same.

    Construction draws ``n_fields`` independent fields (e.g. one per site, so all cells of a site share their
    shadowing, as in §7.5 step 4). Each is an exact sample of the exponential covariance on a periodic
    ``ny x nx`` grid (circulant embedding: white noise filtered in the FFT domain by the square root of the
    covariance's spectrum; the few negative spectrum values, which appear only when the box is not much larger than
    ``d_corr``, are set to 0). :meth:`sample` interpolates bilinearly.

    - Periodic: the grid tiles the plane with period (x_max - x_min, y_max - y_min); positions outside the box wrap
      around, and points near opposite edges are correlated as if the edges touched. That is what a wrap-around
      layout wants; without wrap-around, pad the box by a few ``d_corr`` on each side.
    - Resolution: ``resolution_m`` (default ``corr_dist_m / 8``), coarsened when needed so that neither axis
      exceeds ``max_grid_points`` (default 512: 60 fields of 512 x 512 float32 take 63 MB). The spacing used is
      in ``resolution_m``.
    - Unit variance after interpolation: bilinear interpolation between correlated nodes lowers the variance
      between nodes, so the grid is scaled such that the variance averaged over positions in a cell is exactly 1
      (node variance slightly above 1, cell-centre variance slightly below: 1.08 / 0.97 at d_corr/8).
    - Price of the interpolation: it smooths the exponential model's small-scale roughness, so after the rescaling
      correlations at distances above the spacing come out a little high: at d_corr about 0.40 instead of
      e^-1 = 0.37 at spacing d_corr/8 (0.42 at d_corr/4, ~0.5 at d_corr/2, e.g. UMi LOS's 10 m over 3 km).
    - Deterministic: the same ``rng`` state gives the same fields; ``rng`` is advanced by ``n_fields * nx * ny``
      standard normals.
    """

    def __init__(
        self,
        rng: np.random.Generator,
        *,
        x_min_m: float,
        x_max_m: float,
        y_min_m: float,
        y_max_m: float,
        corr_dist_m: float,
        n_fields: int,
        resolution_m: float | None = None,
        max_grid_points: int = 512,
    ) -> None:
        if not isinstance(rng, np.random.Generator):
            raise InvalidParameterError(
                f"rng must be a numpy.random.Generator (np.random.default_rng(seed)); got {type(rng).__name__}.",
                field="rng",
                value=repr(rng)[:80],
            )
        x_min = float(_finite("x_min_m", x_min_m, "m"))
        y_min = float(_finite("y_min_m", y_min_m, "m"))
        x_max = float(_finite("x_max_m", x_max_m, "m", lo=np.nextafter(x_min, np.inf), what=" (> x_min_m)"))
        y_max = float(_finite("y_max_m", y_max_m, "m", lo=np.nextafter(y_min, np.inf), what=" (> y_min_m)"))
        corr = float(_finite("corr_dist_m", corr_dist_m, "m", lo=1e-3, what=" (decorrelation distance)"))
        for name, val, lo in (("n_fields", n_fields, 1), ("max_grid_points", max_grid_points, 8)):
            if isinstance(val, bool) or not isinstance(val, (int, np.integer)) or val < lo:
                raise InvalidParameterError(
                    f"{name} must be an int >= {lo}; got {val!r}.", field=name, value=val, allowed=f">= {lo}"
                )
        res = corr / 8.0 if resolution_m is None else float(_finite("resolution_m", resolution_m, "m", lo=1e-3))

        self.x_min_m, self.y_min_m = x_min, y_min
        self.period_m = (x_max - x_min, y_max - y_min)
        self.corr_dist_m = corr
        self.n_fields = int(n_fields)
        # At least 8 nodes per axis, so a box smaller than the spacing still gets a usable (near-constant) field.
        nx = int(min(max_grid_points, max(8, np.ceil(self.period_m[0] / res))))
        ny = int(min(max_grid_points, max(8, np.ceil(self.period_m[1] / res))))
        self.shape = (ny, nx)
        self.resolution_m = (self.period_m[0] / nx, self.period_m[1] / ny)
        dx, dy = self.resolution_m

        # Covariance at every periodic lag (shortest way round the torus), its spectrum and its amplitude filter.
        lag_x = np.minimum(np.arange(nx), nx - np.arange(nx)) * dx
        lag_y = np.minimum(np.arange(ny), ny - np.arange(ny)) * dy
        cov = np.exp(-np.hypot(lag_y[:, None], lag_x[None, :]) / corr)
        spectrum = np.clip(np.fft.rfft2(cov).real, 0.0, None)
        amplitude = np.sqrt(spectrum)
        # Covariance actually realised (after clipping), for the interpolation variance correction: with bilinear
        # weights and (a, b) uniform in a cell, E[var] = 4/9 c(0) + 2/9 (c(dx) + c(dy)) + 1/9 c(dx, dy).
        cov_eff = np.fft.irfft2(spectrum, s=self.shape)
        mean_var = 4 / 9 * cov_eff[0, 0] + 2 / 9 * (cov_eff[0, 1] + cov_eff[1, 0]) + 1 / 9 * cov_eff[1, 1]
        scale = 1.0 / np.sqrt(mean_var)

        grids = np.empty((self.n_fields, ny, nx), dtype=np.float32)
        for k in range(self.n_fields):
            white = rng.standard_normal(self.shape)
            grids[k] = np.fft.irfft2(amplitude * np.fft.rfft2(white), s=self.shape) * scale
        # Stored node-major, (ny, nx, n_fields): the fields of one grid node sit side by side in memory, so reading
        # every site's field at a user's position touches a few cache lines instead of one per field.
        self._nodes = np.ascontiguousarray(grids.transpose(1, 2, 0))

    @property
    def grids(self) -> npt.NDArray[np.float32]:
        """The fields as (n_fields, ny, nx) (a view of the node-major storage)."""
        return self._nodes.transpose(2, 0, 1)

    def sample(self, field_idx: npt.ArrayLike, x_m: npt.ArrayLike, y_m: npt.ArrayLike) -> FloatArray:
        """Field values at positions (x_m, y_m) of fields ``field_idx``; the three broadcast (e.g. UE positions of
        shape ``(n_ue, 1)`` against site indices of shape ``(1, n_site)``). Positions outside the box wrap."""
        idx = self._check_idx(field_idx)
        x = _finite("x_m", x_m, "m")
        y = _finite("y_m", y_m, "m")
        out = self.gather(idx, self.locate(x, y))
        out = np.broadcast_to(out, np.broadcast_shapes(idx.shape, x.shape, y.shape))
        return np.asarray(out, dtype=np.float64)

    def _check_idx(self, field_idx: npt.ArrayLike) -> npt.NDArray[np.intp]:
        idx = np.asarray(field_idx)
        if not np.issubdtype(idx.dtype, np.integer) or np.any((idx < 0) | (idx >= self.n_fields)):
            raise InvalidParameterError(
                f"field_idx must be integers in [0, {self.n_fields - 1}]; got {field_idx!r:.80}.",
                field="field_idx",
                value=repr(field_idx)[:80],
                allowed=[0, self.n_fields - 1],
            )
        return idx

    def locate(self, x_m: FloatArray, y_m: FloatArray) -> tuple[npt.NDArray[Any], ...]:
        """Bilinear cell offsets and weights of positions (finite, in m), to `gather` from several fields at once.

        Coordinates are computed at the positions' own shapes (typically (n_ue, 1)); only `gather` broadcasts
        against field indices, so the cost per call is proportional to users, not users x sites.
        """
        ny, nx = self.shape
        u = np.mod((x_m - self.x_min_m) / self.resolution_m[0], nx)
        v = np.mod((y_m - self.y_min_m) / self.resolution_m[1], ny)
        i0f, j0f = np.floor(u), np.floor(v)
        fx, fy = u - i0f, v - j0f
        # np.mod can return exactly nx for tiny negative inputs; the modulo folds it back.
        i0 = i0f.astype(np.intp) % nx
        j0 = j0f.astype(np.intp) % ny
        i1, j1 = (i0 + 1) % nx, (j0 + 1) % ny
        r0, r1 = j0 * nx, j1 * nx
        nf = self.n_fields  # node-major storage: a node's fields are contiguous
        return ((r0 + i0) * nf, (r0 + i1) * nf, (r1 + i0) * nf, (r1 + i1) * nf,
                (1.0 - fx) * (1.0 - fy), fx * (1.0 - fy), (1.0 - fx) * fy, fx * fy)

    def gather(self, field_idx: npt.NDArray[np.intp], loc: tuple[npt.NDArray[Any], ...]) -> FloatArray:
        """Values of fields `field_idx` (unchecked: the hot path's caller owns them) at positions from `locate`."""
        o00, o01, o10, o11, w00, w01, w10, w11 = loc
        flat = self._nodes.reshape(-1)
        return (w00 * flat[field_idx + o00] + w01 * flat[field_idx + o01] + w10 * flat[field_idx + o10]
                + w11 * flat[field_idx + o11])

    @classmethod
    def concatenate(cls, fields: Sequence[SpatialField]) -> SpatialField:
        """One object holding the fields of several `SpatialField`s on the same grid (same box and spacing), so that
        one `locate` serves them all. Field k of the i-th input becomes field sum(n_fields[:i]) + k."""
        first = fields[0]
        for f in fields[1:]:
            if (f.shape, f.resolution_m, f.x_min_m, f.y_min_m) != (first.shape, first.resolution_m, first.x_min_m,
                                                                   first.y_min_m):
                raise InvalidParameterError("fields to concatenate need the same box and grid spacing",
                                            field="fields", value=len(fields))
        out = copy.copy(first)
        out._nodes = np.concatenate([f._nodes for f in fields], axis=2)
        out.n_fields = int(out._nodes.shape[2])
        out.corr_dist_m = float("nan")  # mixed; each input kept its own correlation in its grid
        return out
