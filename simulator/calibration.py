"""Large-scale calibration of the channel: coupling gain and geometry CDFs, TR 38.901 §7.8.1 (R1-165974).

The calibration of TR 38.901 §7.8.1 (Table 7.8-1) checks the large-scale part of a system-level simulator: path loss
(§7.4.1), LOS probability (§7.4.2), shadowing, O2I penetration loss (§7.4.3), the 3D UT drop (80 % indoor, floors
3(n_fl − 1) + 1.5 m) and the BS panel (10 vertical elements, 12° electrical downtilt), with no fast fading. Two
statistics are compared against the companies' results collected in R1-165974:

- **coupling gain** (dB) = BS antenna gain − path loss − shadowing − O2I loss to the serving cell, with a 0 dBi UE
  antenna; the serving cell is the one with the strongest coupling gain (handover margin 0 dB);
- **geometry** (dB) = coupling gain to the serving cell over the sum of the coupling gains to every other cell, i.e.
  the SIR with all cells fully loaded at equal power and no noise.

A *drop* is one independent network (`Network.from_scenario(scenario, seed=s)` with its own seed): new shadowing and
LOS maps and a new user drop, as in the calibration's independent drops. The percentiles are taken over the users of
all drops together.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .network import Network
from .scenarios import get_scenario
from .types import InvalidParameterError

__all__ = ["PERCENTILES", "R1_165974", "calibrate", "coupling_and_geometry_db"]

#: The percentiles reported (and compared with the reference): 5th, 50th and 95th.
PERCENTILES: tuple[int, ...] = (5, 50, 95)

#: R1-165974 (3GPP RAN1 #86, "Summary of calibration results", TR 38.900 V14.0.0 large-scale calibration, 6 GHz):
#: the median over the companies' CDFs, read at 5 %, 50 % and 95 %, dB. Values as tabulated in QuaDRiGa's
#: calibration reference data (fraunhoferhhi/QuaDRiGa, tutorials/calib_3GPP_ref_data.m, `cl38900a`/`gf38900a`,
#: 6 GHz rows). The UMa curves predate the TR 38.901 V14.1.0 change of the UMa LOS parameters.
R1_165974: dict[str, dict[str, dict[str, float]]] = {
    "umi-calibration": {
        "coupling_gain_db": {"p5": -142.3, "p50": -112.2, "p95": -74.8},
        "geometry_db": {"p5": -1.7, "p50": 7.3, "p95": 24.9},
    },
    "uma-calibration": {
        "coupling_gain_db": {"p5": -150.4, "p50": -120.3, "p95": -86.0},
        "geometry_db": {"p5": -1.0, "p50": 8.6, "p95": 25.6},
    },
}


def coupling_and_geometry_db(gain_db: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per-user coupling gain to the serving cell and geometry, both dB, from the (users x cells) coupling gains.

    Serving cell = strongest coupling gain (TR 38.901 Table 7.8-1: cell association on large-scale gain, 0 dB
    handover margin). Geometry = serving gain / Σ other cells' gains: every cell transmits at the same power and is
    fully loaded, and there is no noise. A user with no interferer at all gets +inf dB.
    """
    g = np.asarray(gain_db, dtype=float)
    if g.ndim != 2 or g.shape[1] < 1:
        raise InvalidParameterError(
            f"gain_db must be a (users x cells) array; got shape {g.shape}. Pass Network.users.gain_db.",
            field="gain_db", value=list(g.shape), allowed="(n_users, n_cells)")
    best_db = g.max(axis=1)
    # Relative to the serving cell, so the linear sums neither underflow nor overflow.
    rel = 10.0 ** ((g - best_db[:, None]) / 10.0)
    others = rel.sum(axis=1) - 1.0
    with np.errstate(divide="ignore"):
        geometry_db = -10.0 * np.log10(np.maximum(others, 0.0))
    return best_db, geometry_db


def _check_int(name: str, value: Any, lo: int, hi: int | None, hint: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < lo or (
            hi is not None and value > hi):
        allowed = [lo, hi] if hi is not None else f">= {lo}"
        raise InvalidParameterError(f"{name}={value!r}: {hint}", field=name, value=value, allowed=allowed)
    return int(value)


def calibrate(scenario: str = "umi-calibration", *, drops: int = 20, seed: int = 0,
              n_ues: int | None = None) -> dict[str, Any]:
    """Coupling gain and geometry percentiles (p5/p50/p95, dB) over `drops` independent drops of `scenario`.

    Drop k is `Network.from_scenario(scenario, seed=s_k)` where s_k comes from `SeedSequence([seed, k])`: every drop
    has its own shadowing and LOS maps and its own users (TR 38.901 §7.8.1 calibration drops); the same `seed`
    reproduces the figures exactly. `n_ues` overrides the users per drop (default: the scenario's, 10 per cell
    for the calibration scenarios, as in Table 7.8-1).

    Returns ``{"scenario", "seed", "drops", "ues", "coupling_gain_db": {"p5", "p50", "p95"}, "geometry_db": {...}}``
    where ``ues`` is the number of users the percentiles are taken over. Compare with `R1_165974[scenario]`.
    """
    get_scenario(scenario)  # raises UnknownScenarioError naming the scenarios
    drops = _check_int("drops", drops, 1, 10_000, "the number of drops must be an integer in 1..10000 "
                                                  "(20 gives stable percentiles; more are slower)")
    seed = _check_int("seed", seed, 0, None, "the seed must be a non-negative integer")
    cg: list[np.ndarray] = []
    geo: list[np.ndarray] = []
    for k in range(drops):
        drop_seed = int(np.random.SeedSequence([seed, k]).generate_state(1, dtype=np.uint32)[0])
        net = Network.from_scenario(scenario, seed=drop_seed, n_ues=n_ues)
        c, g = coupling_and_geometry_db(net.users.gain_db)
        cg.append(c)
        geo.append(g)
    cg_all = np.concatenate(cg)
    geo_all = np.concatenate(geo)

    def pct(x: np.ndarray) -> dict[str, float]:
        vals = np.percentile(x, PERCENTILES)
        return {f"p{p}": round(float(v), 2) for p, v in zip(PERCENTILES, vals, strict=True)}

    return {
        "scenario": scenario,
        "seed": seed,
        "drops": drops,
        "ues": int(cg_all.size),
        "coupling_gain_db": pct(cg_all),
        "geometry_db": pct(geo_all),
    }
