"""`NetworkView`: the read-only face of a `NetworkSession` that optimizer strategies get.

A strategy may read the network (KPIs, cells, config, policy) and run what-ifs; it may not apply or roll back. That is
enforced by the type: `NetworkView` has no mutating method and hands out no session, so a strategy that tries to
apply fails mypy and raises `AttributeError` at run time; `call_tool` refuses every tool that is not read-only. The
graph's apply node, below the verifier, is the only caller of `NetworkSession.apply`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from airloop.simulator.types import CellChange, KPIReport, NetworkConfig

from ._errors import ToolError
from ._policy import Policy, PolicyViolation
from ._session import NetworkSession, SimulationResult
from ._tools import TOOLS, ToolSpec, call_tool

if TYPE_CHECKING:
    from airloop.simulator.network import CellInfo

#: The tools a read-only caller may use: every tool whose spec is marked read-only.
READ_ONLY_TOOLS: tuple[str, ...] = tuple(name for name, spec in TOOLS.items() if spec.read_only)


class NetworkView:
    """Read-only access to a session's network: reads are taken under the session's lock, what-ifs never mutate."""

    __slots__ = ("__session",)

    def __init__(self, session: NetworkSession) -> None:
        self.__session = session

    # -- reads ----------------------------------------------------------------------------------------------------
    @property
    def policy(self) -> Policy:
        return self.__session.policy

    @property
    def version(self) -> int:
        return self.__session.version

    @property
    def n_cells(self) -> int:
        return int(self.__session.network.n_cells)

    @property
    def hour(self) -> int:
        return int(self.__session.network.hour)

    @property
    def scenario_name(self) -> str:
        return str(self.__session.network.scenario_name)

    def config(self) -> NetworkConfig:
        with self.__session.lock:
            return self.__session.network.config

    def kpis(self) -> KPIReport:
        """The live KPIs (averaged over the steps since the last reset)."""
        with self.__session.lock:
            return self.__session.network.kpis()

    def read(self) -> tuple[NetworkConfig, list[CellInfo], KPIReport]:
        """Config, cell table and KPIs, read together under the lock (one consistent picture of the network)."""
        with self.__session.lock:
            net = self.__session.network
            return net.config, net.cell_table(), net.kpis()

    # -- what-ifs -------------------------------------------------------------------------------------------------
    def simulate(self, changes: Sequence[CellChange | Mapping[str, Any]], *, hours: Sequence[int] | None = None,
                 steps: int = 10, seeds: int | Sequence[int] = 1) -> SimulationResult:
        """`NetworkSession.simulate`: a what-if over the horizon, policy findings included; never mutates."""
        return self.__session.simulate(changes, hours=hours, steps=steps, seeds=seeds)

    def check_policy(self, changes: Sequence[CellChange | Mapping[str, Any]]) -> list[PolicyViolation]:
        return self.__session.check_policy(changes)

    # -- the typed tools, read-only subset --------------------------------------------------------------------------
    @staticmethod
    def tool_spec(name: str) -> ToolSpec:
        """The spec (function, input and output models) of a read-only tool; `ToolError` for any other name."""
        if name not in READ_ONLY_TOOLS:
            raise ToolError("not_allowed", f"{name!r} is not a read-only tool", allowed=list(READ_ONLY_TOOLS),
                            hint="strategies read and simulate; only the graph's apply step changes the network")
        return TOOLS[name]

    def call_tool(self, name: str, arguments: Any = None, *, actor: str = "agent") -> dict[str, Any]:
        """Run a read-only tool by name on raw JSON arguments, exactly as the LangChain and MCP faces do; never
        raises: a refused call (a write tool included) returns ``{"error": {...}}``."""
        try:
            self.tool_spec(name)
        except ToolError as exc:
            return {"error": exc.to_dict()}
        return call_tool(self.__session, name, arguments, actor=actor)
