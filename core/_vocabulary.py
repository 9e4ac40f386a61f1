"""airloop's shared vocabulary, the bottom layer every other package reads: KPI names, units, directions and
scale floors, slices, knobs and the `CellChange` shape, and the unit table that turns a number as written into the
KPI's unit. DESIGN.md's "Shared vocabulary" is this module.
"""

from __future__ import annotations

from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field

SLICES: tuple[str, ...] = ("embb", "urllc", "mmtc")
SliceName = Literal["embb", "urllc", "mmtc"]
CellClass = Literal["macro", "micro"]
#: The slices whose users have a throughput target: the network-wide `throughput_p5_mbps` (the cell-edge user
#: throughput) is the 5th percentile over these users only. URLLC and mMTC carry small fixed-rate flows whose
#: throughput is their demand whenever they are served; their cell edge shows in `latency_p95_ms` and `packet_loss`,
#: not in throughput (counting them made the network p5 the mMTC demand, whatever the radio did). Per slice,
#: `throughput_p5_mbps` is over the slice's own users. See docs/kpis.md.
EDGE_THROUGHPUT_SLICES: tuple[str, ...] = ("embb",)

#: KPI name -> "min" (lower is better) or "max" (higher is better). Definitions (docs/kpis.md): `latency_ms` is the
#: mean over served users of their mean packet delay (fixed budget + an M/M/1/K queue per user, served at its
#: processor-sharing rate); `latency_p95_ms` the 95th percentile of that delay over the same users; `packet_loss` the share of the
#: offered traffic dropped (buffer overflow, or no usable link: a user never served counts here, not in the delays);
#: `throughput_p5_mbps` network-wide is over `EDGE_THROUGHPUT_SLICES` only.
KPI_DIRECTION: dict[str, Literal["min", "max"]] = {
    "energy_w": "min",
    "energy_efficiency": "max",
    "throughput_mean_mbps": "max",
    "throughput_p5_mbps": "max",
    "coverage": "max",
    "fairness": "max",
    "latency_ms": "min",
    "latency_p95_ms": "min",
    "packet_loss": "min",
    "handover_rate": "min",
    "prb_utilization": "min",
    "active_cells": "min",
}
KPI_NAMES: tuple[str, ...] = tuple(KPI_DIRECTION)
KPI_UNITS: dict[str, str] = {
    "energy_w": "W",
    "energy_efficiency": "Mbit/J",
    "throughput_mean_mbps": "Mbit/s",
    "throughput_p5_mbps": "Mbit/s",
    "coverage": "fraction",
    "fairness": "Jain index",
    "latency_ms": "ms",
    "latency_p95_ms": "ms",
    "packet_loss": "fraction",
    "handover_rate": "1/min per user",
    "prb_utilization": "fraction",
    "active_cells": "count",
}
#: The smallest magnitude that counts for each KPI, in its unit: a relative change or a normalized violation never
#: divides by less (so a zero baseline, e.g. no users at night, stays finite). Shared by the agents' reward and the
#: Gym environment's.
KPI_SCALE_FLOOR: dict[str, float] = {
    "energy_w": 1.0,
    "energy_efficiency": 1e-4,
    "throughput_mean_mbps": 0.01,
    "throughput_p5_mbps": 0.01,
    "coverage": 0.01,
    "fairness": 0.01,
    "latency_ms": 0.1,
    "latency_p95_ms": 0.1,
    # 0.1 %: the loss this model resolves over a what-if window (≈ 1000 users x 10-20 steps); a bound below it is
    # scaled as if it were 0.1 %.
    "packet_loss": 1e-3,
    "handover_rate": 0.01,
    "prb_utilization": 0.01,
    "active_cells": 1.0,
}
KNOB_NAMES: tuple[str, ...] = ("tx_power_dbm", "tilt_deg", "active", "cio_db", "slice_shares")

KPIName = Literal[
    "energy_w",
    "energy_efficiency",
    "throughput_mean_mbps",
    "throughput_p5_mbps",
    "coverage",
    "fairness",
    "latency_ms",
    "latency_p95_ms",
    "packet_loss",
    "handover_rate",
    "prb_utilization",
    "active_cells",
]
KnobName = Literal["tx_power_dbm", "tilt_deg", "active", "cio_db", "slice_shares"]
Goal = Literal["minimize", "maximize"]
Op = Literal[">=", "<="]

if set(get_args(KPIName)) != set(KPI_NAMES) or set(get_args(SliceName)) != set(SLICES) or set(
    get_args(KnobName)
) != set(KNOB_NAMES):  # pragma: no cover - guards the Literal copies of the name tables above
    raise ImportError("airloop.core: the KPI, slice or knob Literal types disagree with their name tables")

#: How an agent run ends (the run report's ``status``; `airloop.agents.graph` explains each).
RunStatus = Literal["approved", "nothing_needed", "no_headroom", "rejected", "infeasible", "no_safe_change",
                    "budget_exhausted", "invalid", "unconfirmed"]
#: Statuses that end a run well: a verified change applied, or nothing to do (said so, nothing changed).
OK_STATUSES: tuple[str, ...] = ("approved", "nothing_needed", "no_headroom")

#: KPIs whose values are fractions in [0, 1] ("95%" means 0.95).
FRACTION_KPIS: frozenset[str] = frozenset(k for k, u in KPI_UNITS.items() if u == "fraction") | {"fairness"}

#: Operators an LLM or a user may write, and the operator they become. ``==`` is refused (see module docstring).
OP_ALIASES: dict[str, str] = {">=": ">=", "=>": ">=", ">": ">=", "≥": ">=", "<=": "<=", "=<": "<=", "<": "<=", "≤": "<="}

#: unit -> (factor to the KPI's unit, the KPI unit families it applies to)
UNIT_FACTORS: dict[str, float] = {
    "W": 1.0, "kW": 1e3, "MW": 1e6,
    "Mbps": 1.0, "Gbps": 1e3, "kbps": 1e-3,
    "ms": 1.0, "s": 1e3,
    "per_min": 1.0, "per_hour": 1.0 / 60.0,
}
UNIT_FAMILY: dict[str, str] = {
    "W": "W", "kW": "W", "MW": "W",
    "Mbps": "Mbit/s", "Gbps": "Mbit/s", "kbps": "Mbit/s",
    "ms": "ms", "s": "ms",
    "per_min": "1/min per user", "per_hour": "1/min per user",
}


def normalize_value(kpi: str, value: float, unit: str) -> tuple[float, str | None]:
    """Convert ``value`` as written (with ``unit``) to the KPI's unit; returns (value, note or None).

    Percentages become fractions on fraction KPIs; a bare number above 1 on a fraction KPI is read as a percentage
    (coverage 95 → 0.95), except on fairness, an index in [0, 1]. A unit of the wrong family (ms on coverage) is ignored and noted.
    """
    note = None
    # Jain's fairness index is written as a number in [0, 1], never as a bare percentage: "fairness 1.3" is out of range
    if unit == "%" or (unit == "none" and kpi in FRACTION_KPIS and kpi != "fairness" and 1 < value <= 100):
        if kpi in FRACTION_KPIS:
            if unit == "none":
                note = f"{kpi} {value:g} read as {value:g}% = {value / 100:g}"
            return value / 100.0, note
        return value, f"'{value:g}%' on {kpi} is not a fraction KPI; kept {value:g} {KPI_UNITS[kpi]}"
    if unit in UNIT_FACTORS:
        if UNIT_FAMILY[unit] != KPI_UNITS[kpi]:
            return value, f"unit {unit} does not apply to {kpi} ({KPI_UNITS[kpi]}); kept the number {value:g}"
        factor = UNIT_FACTORS[unit]
        if factor != 1.0:
            note = f"{kpi} {value:g} {unit} = {value * factor:g} {KPI_UNITS[kpi]}"
        return value * factor, note
    return value, note


class CellChange(BaseModel):
    """A change to one cell's knobs. Unset fields are left as they are.

    The shape is DESIGN.md's `CellChange`. Range checks against the cell's physical limits happen in
    `Network.validate_changes`, because the limits depend on the cell class; policy limits (tighter) live in the tools.
    """

    model_config = ConfigDict(extra="forbid")

    cell: int = Field(description="cell id (0-based)")
    tx_power_dbm: float | None = Field(default=None, description="total transmit power of the cell, dBm")
    tilt_deg: float | None = Field(default=None, description="electrical downtilt, degrees below the horizon")
    active: bool | None = Field(default=None, description="false puts the cell to sleep")
    cio_db: float | None = Field(default=None, description="cell individual offset added to RSRP for cell selection, dB")
    slice_shares: dict[SliceName, float] | None = Field(
        default=None, description="share of the cell's PRBs per slice; the shares sum to 1"
    )

    def knobs(self) -> dict[str, Any]:
        """The knobs this change sets (cell id excluded)."""
        return self.model_dump(exclude={"cell"}, exclude_none=True)
