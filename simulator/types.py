"""The simulator's types: cell configuration, KPI reports and errors. The vocabulary they use (KPI names, units,
slices, knobs, `CellChange`) lives one layer down, in `airloop.core`, and is re-exported here."""

from __future__ import annotations

import math
from functools import cached_property
from typing import Any

from airloop.core import (
    KNOB_NAMES,
    KPI_DIRECTION,
    KPI_NAMES,
    KPI_SCALE_FLOOR,
    KPI_UNITS,
    SLICES,
    CellChange,
    CellClass,
    SliceName,
)
from pydantic import BaseModel, ConfigDict, PrivateAttr, computed_field

__all__ = [
    "KNOB_NAMES", "KPI_DIRECTION", "KPI_NAMES", "KPI_SCALE_FLOOR", "KPI_UNITS", "SLICES", "CellChange", "CellClass",
    "SliceName", "SimulatorError", "InvalidChangeError", "UnknownScenarioError", "InvalidParameterError",
    "CellConfig", "NetworkConfig", "KPIs", "CellKPIs", "KPIReport",
]

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
    latency_p95_ms: float
    packet_loss: float
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
