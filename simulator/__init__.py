"""airloop.simulator — a fast, 3GPP-faithful multi-cell radio network (TR 38.901 channel, EARTH energy).

Importing this package registers the Gymnasium environment ``airloop/Network-v0``.
"""

from .network import CellInfo, KnobLimits, Network, NetworkSnapshot, WhatIfResult
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

# Registers the Gymnasium environment "airloop/Network-v0" (gymnasium is a base dependency).
from . import env as _env  # noqa: E402, F401
