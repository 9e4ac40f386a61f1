"""The simulator's shared vocabulary: knobs (`CellChange`, `CellConfig`), KPIs and errors.

These names are the contract of DESIGN.md ("Shared vocabulary"): the CLI, tools, agents, reports and tests all use them.
"""

from __future__ import annotations

import math
from functools import cached_property
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, computed_field

SLICES: tuple[str, ...] = ("embb", "urllc", "mmtc")
SliceName = Literal["embb", "urllc", "mmtc"]
CellClass = Literal["macro", "micro"]

#: KPI name -> "min" (lower is better) or "max" (higher is better).
KPI_DIRECTION: dict[str, Literal["min", "max"]] = {
    "energy_w": "min",
    "energy_efficiency": "max",
    "throughput_mean_mbps": "max",
    "throughput_p5_mbps": "max",
    "coverage": "max",
    "fairness": "max",
    "latency_ms": "min",
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
    "handover_rate": 0.01,
    "prb_utilization": 0.01,
    "active_cells": 1.0,
}
KNOB_NAMES: tuple[str, ...] = ("tx_power_dbm", "tilt_deg", "active", "cio_db", "slice_shares")


class SimulatorError(ValueError):
    """Base class of every error a user or an LLM can meet in the simulator.

    ``code`` is machine-readable; the message says what was wrong, the allowed range and what to do next.
    """

    code = "simulator_error"

    def __init__(self, message: str, *, field: str | None = None, value: Any = None, allowed: Any = None) -> None:
        super().__init__(message)
        self.field = field
        self.value = value
        self.allowed = allowed

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "message": str(self),
            "field": self.field,
            "value": _jsonable(self.value),
            "allowed": _jsonable(self.allowed),
        }


class InvalidChangeError(SimulatorError):
    """A knob value out of its physical range, NaN/inf, an unknown cell or a malformed change."""

    code = "invalid_change"


class UnknownScenarioError(SimulatorError):
    code = "unknown_scenario"


class InvalidParameterError(SimulatorError):
    """A bad argument other than a knob: hour, steps, seeds, n_ues, an override."""

    code = "invalid_parameter"


def _jsonable(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return repr(value)


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


class CellConfig(BaseModel):
    """Every knob of one cell, plus its fixed identity."""

    model_config = ConfigDict(frozen=True)

    cell: int
    site: int
    sector: int
    cell_class: CellClass
    tx_power_dbm: float
    tilt_deg: float
    active: bool
    cio_db: float
    slice_shares: dict[str, float]


class NetworkConfig(BaseModel):
    """The configuration of every cell (the `.config` of a `Network`)."""

    model_config = ConfigDict(frozen=True)

    cells: list[CellConfig]

    def cell(self, cell_id: int) -> CellConfig:
        return self.cells[cell_id]


class KPIs(BaseModel):
    """Key performance indicators, named as in DESIGN.md; units are in the names or in `KPI_UNITS`."""

    energy_w: float
    energy_efficiency: float
    throughput_mean_mbps: float
    throughput_p5_mbps: float
    coverage: float
    fairness: float
    latency_ms: float
    handover_rate: float
    prb_utilization: float
    active_cells: float


class CellKPIs(KPIs):
    cell: int
    users: int
    load: float
    power_w: float


class KPIReport(BaseModel):
    """`Network.kpis()`: network-wide, per slice and per cell.

    `per_cell` is built on first access (or when dumped) from arrays the simulator attaches, so that a loop that
    reads only network KPIs does not pay for one object per cell.
    """

    network: KPIs
    per_slice: dict[str, KPIs]
    hour: int
    step: int
    _cells: Any = PrivateAttr(default=None)

    @computed_field  # type: ignore[prop-decorator]
    @cached_property
    def per_cell(self) -> list[CellKPIs]:
        build = self._cells
        return [] if build is None else build()

    def value(self, kpi: str, slice: str | None = None) -> float:
        src = self.network if slice is None else self.per_slice[slice]
        return float(getattr(src, kpi))
