"""airloop.simulator — a fast, 3GPP-faithful multi-cell radio network (TR 38.901 channel, EARTH energy).

The Gymnasium environment ``airloop/Network-v0`` lives one layer up, in `airloop.agents.env` (it scores with the
agents' judge and acts through the tools' policy); importing `airloop.agents` registers it.
"""

from .network import CellInfo, CellSummary, KnobLimits, Network, NetworkSnapshot, WhatIfResult
from .scenarios import get_scenario, list_scenarios
from .types import (
    KNOB_NAMES,
    KPI_DIRECTION,
    KPI_NAMES,
    KPI_UNITS,
    SLICES,
    CellChange,
    CellConfig,
    CellKPIs,
    InvalidChangeError,
    InvalidParameterError,
    KPIReport,
    KPIs,
    NetworkConfig,
    SimulatorError,
    UnknownScenarioError,
)

__all__ = [
    "KNOB_NAMES",
    "KPI_DIRECTION",
    "KPI_NAMES",
    "KPI_UNITS",
    "SLICES",
    "CellChange",
    "CellConfig",
    "CellInfo",
    "CellSummary",
    "CellKPIs",
    "InvalidChangeError",
    "InvalidParameterError",
    "KPIReport",
    "KPIs",
    "KnobLimits",
    "Network",
    "NetworkConfig",
    "NetworkSnapshot",
    "SimulatorError",
    "UnknownScenarioError",
    "WhatIfResult",
    "get_scenario",
    "list_scenarios",
]
