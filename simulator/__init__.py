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

try:  # registering the Gym environment must not make the simulator unusable without gymnasium's extras
    from . import env as _env  # noqa: F401
except ImportError:  # pragma: no cover
    pass
