"""Base-station power consumption: the EARTH model.

G. Auer et al., "How much energy is needed to run a wireless network?", IEEE Wireless Communications 18(5),
Oct. 2011, eq. (1) and Table 2 (the EARTH project's linear load-dependent power model):

    P_in = N_TRX (P_0 + Delta_p P_out)   for 0 < P_out <= P_max
    P_in = N_TRX P_sleep                 for P_out = 0 (sleep mode)

P_in is the power drawn from the mains, P_out the RF output power per transceiver chain (TRX), P_0 the consumption
at zero RF output, Delta_p the slope of the load dependence. Here ``load`` = P_out / P_max in [0, 1]; load 0 with
``sleeping=False`` is an idle but awake cell (N_TRX P_0), distinct from sleep.

Scope of the numbers: EARTH's macro BS is a whole 3-sector site with 2 antennas per sector (N_TRX = 6, 20 W =
43 dBm per TRX, i.e. 46 dBm per sector); the micro BS is a single omni cell with 2 TRX. For the power of one
sector of a macro site pass ``n_trx=2`` (the three sectors then sum to the site figure).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from .types import InvalidParameterError

__all__ = ["EARTH", "EarthParams", "earth_power_w"]

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class EarthParams:
    """One row of Auer et al. 2011, Table 2."""

    n_trx: int  #: transceiver chains (antennas x sectors)
    p_max_w: float  #: maximum RF output power per TRX, W
    p0_w: float  #: power consumption per TRX at zero RF output (awake), W
    delta_p: float  #: slope of the load-dependent consumption, W per W of RF output
    p_sleep_w: float  #: power consumption per TRX in sleep mode, W


#: Auer et al. 2011, Table 2 (2010 technology), for the cell classes of this simulator.
EARTH: dict[str, EarthParams] = {
    "macro": EarthParams(n_trx=6, p_max_w=20.0, p0_w=130.0, delta_p=4.7, p_sleep_w=75.0),
    "micro": EarthParams(n_trx=2, p_max_w=6.3, p0_w=56.0, delta_p=2.6, p_sleep_w=39.0),
}


def earth_power_w(
    cell_class: str,
    load: npt.ArrayLike,
    *,
    sleeping: npt.ArrayLike = False,
    n_trx: int | None = None,
) -> FloatArray:
    """Input power of a base station by the EARTH model (Auer et al. 2011, eq. 1), W.

    ``load`` = P_out / P_max in [0, 1] (RF output relative to the maximum, e.g. the share of resource blocks in use
    times the transmit power relative to P_max); ``sleeping`` (bool or bool array) selects N_TRX P_sleep. The two
    broadcast; the result has the broadcast shape (0-d for scalars). A sleeping entry's load is still validated but
    does not change the result. ``n_trx`` overrides the class's N_TRX (e.g. 2 for one sector of a macro site).

    Raises InvalidParameterError for an unknown class, a non-bool ``sleeping`` or a load that is NaN, < 0 or > 1.
    """
    params = EARTH.get(str(cell_class))
    if params is None:
        raise InvalidParameterError(
            f"cell_class {cell_class!r} has no EARTH parameters; use one of {sorted(EARTH)}.",
            field="cell_class",
            value=cell_class,
            allowed=sorted(EARTH),
        )
    if n_trx is None:
        n = params.n_trx
    elif isinstance(n_trx, bool) or not isinstance(n_trx, (int, np.integer)) or n_trx < 1:
        raise InvalidParameterError(
            f"n_trx must be a positive int (transceiver chains); got {n_trx!r}.", field="n_trx", value=n_trx
        )
    else:
        n = int(n_trx)
    try:
        load_arr = np.asarray(load, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise InvalidParameterError(f"load must be numeric in [0, 1]; got {load!r}.", field="load") from exc
    bad = ~np.isfinite(load_arr) | (load_arr < 0.0) | (load_arr > 1.0)
    if np.any(bad):
        first = float(load_arr[bad].flat[0]) if load_arr.ndim else float(load_arr)
        raise InvalidParameterError(
            f"load must be within [0, 1] (P_out / P_max); got {first!r} ({int(np.count_nonzero(bad))} of "
            f"{load_arr.size} values). Clip the RF load to [0, 1] and put cells to sleep with sleeping=True.",
            field="load",
            value=first,
            allowed=[0.0, 1.0],
        )
    sleep_arr = np.asarray(sleeping)
    if sleep_arr.dtype != np.bool_:
        raise InvalidParameterError(
            f"sleeping must be a bool or a bool array; got dtype {sleep_arr.dtype}.",
            field="sleeping",
            value=repr(sleeping)[:80],
            allowed=[False, True],
        )
    return np.asarray(earth_power_unchecked(params, n, load_arr, sleep_arr), dtype=np.float64)


def earth_power_unchecked(params: EarthParams, n: int, load: FloatArray, sleeping: npt.NDArray[np.bool_]) -> FloatArray:
    """`earth_power_w` of a checked load array in [0, 1] and a bool array (the simulator's per-step power)."""
    awake_w = n * (params.p0_w + params.delta_p * params.p_max_w * load)
    return np.where(sleeping, n * params.p_sleep_w, awake_w)
