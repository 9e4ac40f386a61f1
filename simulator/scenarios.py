"""Scenarios are data: a name maps to the parameters of one `Network` (mobile-env's habit: a new scenario needs no
new class). `Network.from_scenario(name, seed=..., **overrides)` deep-merges overrides over these values.
"""

from __future__ import annotations

import copy
from typing import Any

from .types import UnknownScenarioError

# Hour-of-day multiplier on the share of active users (and, more gently, on per-user demand): quiet nights,
# a morning ramp, a working-day plateau and an evening peak. Index = hour 0..23.
DIURNAL_PROFILE: list[float] = [
    0.10, 0.10, 0.10, 0.10, 0.10, 0.10,  # 00-06 night
    0.25, 0.45, 0.70, 0.85, 0.90, 0.90,  # 06-12 morning ramp
    0.90, 0.90, 0.85, 0.85, 0.90, 0.95,  # 12-18 working day
    1.00, 1.00, 0.90, 0.70, 0.45, 0.25,  # 18-24 evening peak, then down
]  # fmt: skip

FLAT_PROFILE: list[float] = [1.0] * 24

_BASE: dict[str, Any] = {
    "description": "",
    "n_sites": 19,
    "isd_m": 500.0,
    "wrap_around": True,
    "propagation": "uma",  # TR 38.901 scenario of the macro layer
    "small_cell_propagation": "umi",
    "fc_ghz": 3.5,
    "bandwidth_mhz": 20.0,
    "n_prb": 100,
    "h_bs_m": 25.0,
    "min_ue_dist_m": 35.0,
    "ues_per_cell": 20,
    "indoor_share": 0.8,
    "o2i_high_loss_share": 0.2,
    "antenna": {"kind": "element", "n_vertical": 1, "spacing_wl": 0.5},
    "small_cells_per_site": 0,
    "small_cell_antenna_gain_dbi": 5.0,
    "hotspot_share": 0.0,
    "ue_noise_figure_db": 9.0,
    "step_s": 1.0,
    "channel_update_m": 2.0,
    "shadowing": True,
    "spatial_consistency": True,
    "rate_model": "shannon",  # "shannon" (TR 36.942 A.2) or "cqi" (TS 38.214 Table 5.2.2.1-2)
    "scheduler": "pf",  # "pf" (work-conserving) or "rr" (equal shares)
    "traffic": "finite",  # "finite" demand per slice, or "full_buffer"
    "diurnal": True,
    "hour": 12,
    "handover": {"hysteresis_db": 2.0, "ttt_s": 0.32, "ping_pong_s": 5.0},
    "macro": {"tx_power_dbm": 46.0, "tilt_deg": 6.0, "cio_db": 0.0},
    "micro": {"tx_power_dbm": 37.0, "tilt_deg": 0.0, "cio_db": 0.0},
    "slice_shares": {"embb": 0.6, "urllc": 0.2, "mmtc": 0.2},
    "slices": {
        # share of users, demand per active user (Mbit/s), packet size (bit), fixed delay budget (ms) and the buffer
        # in time (ms): the PDCP discard timer (TS 38.323 §5.3; a TS 38.331 discardTimer value), after which a waiting
        # packet is dropped; eMBB 300 ms = the packet delay budget of 5QI 9 (TS 23.501 Table 5.7.4-1), URLLC 30 ms =
        # 5QI 84's, mMTC 500 ms (delay-tolerant). docs/kpis.md.
        "embb": {"user_share": 0.7, "demand_mbps": 1.0, "packet_bits": 12000, "base_latency_ms": 10.0,
                 "buffer_ms": 300.0},
        "urllc": {"user_share": 0.1, "demand_mbps": 0.2, "packet_bits": 256, "base_latency_ms": 1.0,
                  "buffer_ms": 30.0},
        "mmtc": {"user_share": 0.2, "demand_mbps": 0.05, "packet_bits": 800, "base_latency_ms": 20.0,
                 "buffer_ms": 500.0},
    },
    "mobility": {
        # user class -> share of users and speed (km/h); indoor users are static
        "model": "random_waypoint",  # "static", "random_waypoint" or "random_direction"
        "pedestrian": {"share": 0.7, "speed_kmh": 3.0},
        "vehicle": {"share": 0.3, "speed_kmh": 30.0},
    },
}


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(base)
    for k, v in over.items():
        if isinstance(v, dict) and isinstance(out.get(k), dict):
            out[k] = _merge(out[k], v)
        else:
            out[k] = copy.deepcopy(v)
    return out


_CALIBRATION: dict[str, Any] = {
    # R1-165974 / TR 38.901 Table 7.8-1 large-scale calibration: 19 sites x 3 sectors, wrap-around, 6 GHz, 80%
    # indoor (50% high-loss / 50% low-loss O2I per Table 7.8-1), 10 UEs per cell, strongest cell serves (no
    # handover margin), no fast fading, BS panel M=10 x N=1 with 12° electrical downtilt.
    "fc_ghz": 6.0,
    "ues_per_cell": 10,
    "indoor_share": 0.8,
    "o2i_high_loss_share": 0.5,
    "antenna": {"kind": "panel", "n_vertical": 10, "spacing_wl": 0.5},
    "diurnal": False,
    "traffic": "full_buffer",
    "mobility": {"model": "static"},
    "handover": {"hysteresis_db": 0.0, "ttt_s": 0.0, "ping_pong_s": 5.0},
    "macro": {"tilt_deg": 12.0},
    "bandwidth_mhz": 20.0,
}

SCENARIOS: dict[str, dict[str, Any]] = {
    "urban-macro-19": _merge(
        _BASE,
        {"description": "19 sites x 3 sectors, UMa, ISD 500 m, 3.5 GHz, wrap-around, diurnal traffic, 3 slices"},
    ),
    "dense-urban-hetnet": _merge(
        _BASE,
        {
            "description": "7 macro sites x 3 sectors (UMa, ISD 500 m) plus 4 micro cells per site in hotspots (UMi), "
            "3.5 GHz, wrap-around, diurnal traffic, 3 slices",
            "n_sites": 7,
            "small_cells_per_site": 4,
            "hotspot_share": 0.5,
            "ues_per_cell": 15,
        },
    ),
    "stadium-hotspot": _merge(
        _BASE,
        {
            "description": "7 macro sites x 3 sectors (UMa, ISD 500 m) around a stadium precinct: 1 micro cell per site "
            "(UMi) at the gates, stands and fan zones, 60% of the users crowded within 40 m of them, mostly "
            "outdoors and on foot, 30 users per cell; diurnal traffic peaks in the evening (the event)",
            "n_sites": 7,
            "small_cells_per_site": 1,
            "hotspot_share": 0.6,
            "ues_per_cell": 30,
            "indoor_share": 0.3,
            "mobility": {"pedestrian": {"share": 0.9}, "vehicle": {"share": 0.1}},
        },
    ),
    "rural-7": _merge(
        _BASE,
        {
            "description": "7 sites x 3 sectors, RMa, ISD 1732 m, 700 MHz, 35 m masts, wrap-around, diurnal traffic",
            "n_sites": 7,
            "isd_m": 1732.0,
            "propagation": "rma",
            "fc_ghz": 0.7,
            "bandwidth_mhz": 10.0,
            "n_prb": 50,
            "h_bs_m": 35.0,
            "indoor_share": 0.5,
            "o2i_high_loss_share": 0.0,
            "ues_per_cell": 10,
            "macro": {"tilt_deg": 3.0},
            "mobility": {"vehicle": {"share": 0.5, "speed_kmh": 90.0}, "pedestrian": {"share": 0.5}},
        },
    ),
    "umi-calibration": _merge(
        _merge(_BASE, _CALIBRATION),
        {
            "description": "R1-165974 UMi street canyon calibration: ISD 200 m, 10 m masts, 6 GHz",
            "propagation": "umi",
            "isd_m": 200.0,
            "h_bs_m": 10.0,
            "min_ue_dist_m": 10.0,
            "macro": {"tx_power_dbm": 44.0},
        },
    ),
    "uma-calibration": _merge(
        _merge(_BASE, _CALIBRATION),
        {
            "description": "R1-165974 UMa calibration: ISD 500 m, 25 m masts, 6 GHz",
            "propagation": "uma",
            "isd_m": 500.0,
            "h_bs_m": 25.0,
            "min_ue_dist_m": 35.0,
        },
    ),
}


def list_scenarios() -> list[str]:
    return sorted(SCENARIOS)


def get_scenario(name: str, **overrides: Any) -> dict[str, Any]:
    """The scenario's parameters with `overrides` deep-merged over them."""
    if name not in SCENARIOS:
        raise UnknownScenarioError(
            f"unknown scenario {name!r}; choose one of {', '.join(list_scenarios())} "
            "(run `airloop sim --help` to see them)",
            field="scenario",
            value=name,
            allowed=list_scenarios(),
        )
    unknown = sorted(set(overrides) - set(_BASE))
    if unknown:
        from .types import InvalidParameterError

        raise InvalidParameterError(
            f"unknown scenario parameter(s) {unknown}; allowed: {sorted(_BASE)}",
            field=unknown[0],
            value=overrides[unknown[0]],
            allowed=sorted(_BASE),
        )
    params = _merge(SCENARIOS[name], overrides)
    params["name"] = name
    return params
