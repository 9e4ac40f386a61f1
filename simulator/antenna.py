"""Base-station antenna gains of 3GPP TR 38.901 §7.3 (Table 7.3-1) and a tilted vertical panel.

Angles follow TR 38.901 §7.1: ``theta_deg`` is the zenith angle (0 = straight up, 90 = horizon, 180 = straight
down) and ``phi_deg`` the azimuth relative to the antenna boresight, any real value (wrapped to (-180, 180]).
``tilt_deg`` is the downtilt in degrees below the horizon (positive = pointing down), so the beam points at
theta = 90 + tilt. All functions are vectorized: the angle arrays broadcast against each other and against
``tilt_deg`` (e.g. UEs ``(n_ue, 1)`` against cells ``(1, n_cell)``).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from ._checks import finite as _finite
from .types import InvalidParameterError

__all__ = [
    "A_MAX_DB",
    "G_E_MAX_DBI",
    "PHI_3DB_DEG",
    "SLA_V_DB",
    "THETA_3DB_DEG",
    "element_gain_dbi",
    "element_gain_unchecked",
    "panel_gain_dbi",
    "wrap_azimuth_deg",
]

FloatArray = npt.NDArray[np.float64]

#: Table 7.3-1: vertical and horizontal half-power beamwidths, side-lobe limits and maximum element gain.
THETA_3DB_DEG = 65.0
PHI_3DB_DEG = 65.0
SLA_V_DB = 30.0
A_MAX_DB = 30.0
G_E_MAX_DBI = 8.0


def wrap_azimuth_deg(phi_deg: npt.ArrayLike) -> FloatArray:
    """Azimuth wrapped to (-180, 180] degrees."""
    phi = _finite("phi_deg", phi_deg, "deg")
    return np.asarray(180.0 - np.mod(180.0 - phi, 360.0), dtype=np.float64)


def element_gain_dbi(phi_deg: npt.ArrayLike, theta_deg: npt.ArrayLike, *, tilt_deg: npt.ArrayLike = 0.0) -> FloatArray:
    """Gain of one antenna element of TR 38.901 Table 7.3-1, dBi, with its vertical pattern tilted down by tilt.

    A_V(theta) = -min(12 ((theta - 90 - tilt)/65)^2, SLA_V = 30),  A_H(phi) = -min(12 (phi/65)^2, A_max = 30),
    A = -min(-(A_V + A_H), A_max),  G = G_E,max + A with G_E,max = 8 dBi.

    The tilt shifts the vertical cut (theta - 90 - tilt), the usual sector-antenna simplification of TR 36.814
    Table A.2.1.1-2, rather than rotating the element in 3D (§7.1.3); the two agree near boresight. Peak 8 dBi at
    (0, 90 + tilt); -3 dB at phi = +/-32.5 deg; floor 8 - 30 = -22 dBi (back lobe and far side lobes).
    """
    phi = _finite("phi_deg", phi_deg, "deg")
    theta = _finite("theta_deg", theta_deg, "deg (zenith angle, 90 = horizon)", lo=0.0, hi=180.0)
    tilt = _finite("tilt_deg", tilt_deg, "deg below the horizon", lo=-90.0, hi=90.0)
    return np.asarray(element_gain_unchecked(phi, theta, tilt), dtype=np.float64)


def element_gain_unchecked(phi_deg: FloatArray, theta_deg: FloatArray, tilt_deg: FloatArray) -> FloatArray:
    """`element_gain_dbi` of float arrays the caller has checked (the simulator's per-step channel refresh).

    The same arithmetic, with fewer temporaries: -min(-(A_V + A_H), A_max) is written as min(min(.., SLA_V) +
    min(.., A_max), A_max) subtracted from G_E,max, which is the identical IEEE result (negation is exact)."""
    phi = 180.0 - np.mod(180.0 - phi_deg, 360.0)
    v = np.minimum(12.0 * ((theta_deg - 90.0 - tilt_deg) / THETA_3DB_DEG) ** 2, SLA_V_DB)
    h = np.minimum(12.0 * (phi / PHI_3DB_DEG) ** 2, A_MAX_DB)
    return G_E_MAX_DBI - np.minimum(v + h, A_MAX_DB)


def panel_gain_dbi(
    phi_deg: npt.ArrayLike,
    theta_deg: npt.ArrayLike,
    *,
    tilt_deg: npt.ArrayLike,
    n_vertical: int = 10,
    spacing_wl: float = 0.5,
) -> FloatArray:
    """Gain of a vertical column of ``n_vertical`` Table 7.3-1 elements, electrically tilted to ``tilt_deg``, dBi.

    This is the single-port BS antenna of the TR 38.901 §7.8.1 large-scale calibration (R1-165974): a column of
    M = 10 vertically stacked elements whose weights w_m = exp(-j 2 pi m d_V cos(theta_tilt)) / sqrt(M) steer the
    beam to theta_tilt = 90 + tilt (the calibration's "electrical tilt 102 deg", i.e. 12 deg down). Spacing
    d_V = ``spacing_wl`` wavelengths; the default 0.5 lambda is the value used in the published reproduction of
    that calibration (QuaDRiGa's 38.901 large-scale calibration script: 10 elements, 12 deg, 0.5 lambda); other
    spacings (e.g. 0.8 lambda) are a parameter away. The gain is

        G = G_element(phi, theta; tilt 0) + 10 log10(|sum_m w_m exp(j 2 pi m d_V cos theta)|^2),

    where the array term is |sin(M psi/2) / sin(psi/2)|^2 / M with psi = 2 pi d_V (cos theta - cos theta_tilt):
    +10 log10(M) at the steering direction. Elements are not mechanically tilted (mechanical tilt 0 in the
    calibration), so at tilt 0 the peak is 8 + 10 log10(M) = 18 dBi at (0, 90); at tilt t the gain at 90 + t is
    18 + A_V(t) (-0.41 dB at 12 deg) and the peak sits a fraction of a degree above 90 + t.

    Array-factor nulls are filled at the element floor: the result is never below G_E,max - A_max = -22 dBi, so
    that no UE sits in an unphysically deep (-inf dB) null of an interferer.
    """
    if isinstance(n_vertical, bool) or not isinstance(n_vertical, (int, np.integer)) or not 1 <= n_vertical <= 64:
        raise InvalidParameterError(
            f"n_vertical must be an int in [1, 64] (elements in the column); got {n_vertical!r}.",
            field="n_vertical",
            value=n_vertical,
            allowed=[1, 64],
        )
    spacing = float(_finite("spacing_wl", spacing_wl, "wavelengths", lo=0.1, hi=2.0))
    tilt = _finite("tilt_deg", tilt_deg, "deg below the horizon", lo=-90.0, hi=90.0)
    theta = _finite("theta_deg", theta_deg, "deg (zenith angle, 90 = horizon)", lo=0.0, hi=180.0)
    g_element = element_gain_dbi(phi_deg, theta, tilt_deg=0.0)

    m = int(n_vertical)
    half_psi = np.pi * spacing * (np.cos(np.radians(theta)) - np.cos(np.radians(90.0 + tilt)))
    num = np.sin(m * half_psi)
    den = np.sin(half_psi)
    # At psi = 2 k pi (main lobe, grating lobes) the ratio tends to M^2; elsewhere it is the Dirichlet kernel.
    near_peak = np.abs(den) < 1e-12
    ratio_sq = np.where(near_peak, float(m * m), (num / np.where(near_peak, 1.0, den)) ** 2)
    with np.errstate(divide="ignore"):
        array_db = 10.0 * np.log10(ratio_sq / m)
    gain = np.maximum(g_element + array_db, G_E_MAX_DBI - A_MAX_DB)
    return np.asarray(gain, dtype=np.float64)
