"""The typed tools: one pydantic input and output model per tool, and `call_tool`, used by both faces (LangChain, MCP).

Outputs are compact JSON for small context windows: numbers rounded to 4-5 significant digits, lists bounded (top-N
with the total count). A refused call returns ``{"error": {"code", "message", "allowed", "hint", ...}}`` and leaves the
network, its KPIs and the change log as they were.
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from airloop.simulator import CellSummary
from airloop.simulator.types import KPI_NAMES, KPI_UNITS, CellChange, SliceName
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ._errors import ToolError
from ._session import ApplyResult, Horizon, NetworkSession, horizon_error

log = logging.getLogger(__name__)

_NEIGHBOURS_IN_LIST = 6  # neighbours shown per row of list_cells (get_cell shows them all)
_LOG_CELLS_SHOWN = 4  # cells shown per change-log entry (n_cells says how many it touched)
# KPIs whose change each change-log entry shows.
_LOG_KPIS = ("energy_w", "coverage", "throughput_mean_mbps", "throughput_p5_mbps", "latency_ms", "packet_loss")
# KPIs that mean something per slice (energy, PRB use and active cells are network-wide).
_SLICE_KPIS = ("throughput_mean_mbps", "throughput_p5_mbps", "coverage", "fairness", "latency_ms", "latency_p95_ms",
               "packet_loss", "handover_rate")


# -- rounding -------------------------------------------------------------------------------------------------------


def _sig(x: Any, digits: int = 5) -> Any:
    """Round to `digits` significant digits (ints and bools pass through; NaN/inf become null)."""
    if isinstance(x, bool) or isinstance(x, int):
        return x
    if isinstance(x, float):
        if not math.isfinite(x):
            return None
        if x == 0.0:
            return 0.0
        return round(x, max(0, digits - 1 - int(math.floor(math.log10(abs(x))))))
    return x


def _kpis(k: Any, digits: int = 5) -> dict[str, Any] | None:
    if k is None:
        return None
    d = k.model_dump() if isinstance(k, BaseModel) else dict(k)
    return {name: _sig(float(d[name]), digits) for name in KPI_NAMES if name in d}


# -- I/O models -----------------------------------------------------------------------------------------------------

_Forbid = ConfigDict(extra="forbid")

Kpis = dict[str, float | None]


class CellChangeIn(CellChange):
    """One cell's knobs to set; knobs left out keep their value. tx_power_dbm: dBm; tilt_deg: degrees of
    downtilt; active: false puts the cell to sleep; cio_db: offset (dB) added to the cell's RSRP for cell selection
    (higher pulls users in); slice_shares: share of the cell's PRBs per slice, summing to 1."""


Changes = list[CellChangeIn]


class NoInput(BaseModel):
    model_config = _Forbid


class GetKpisInput(BaseModel):
    model_config = _Forbid

    slice: SliceName | None = Field(default=None, description="embb, urllc or mmtc; null = all users")
    cells: list[int] | None = Field(
        default=None, max_length=20, description="up to 20 cell ids to report per cell as well; null = none"
    )


class CellFilter(BaseModel):
    model_config = _Forbid

    active: bool | None = Field(default=None, description="only active (true) or sleeping (false) cells")
    cell_class: Literal["macro", "micro"] | None = None
    site: int | None = Field(default=None, description="only cells of this site")
    min_load: float | None = Field(default=None, ge=0, le=1, description="only cells with PRB load >= this")
    max_load: float | None = Field(default=None, ge=0, le=1, description="only cells with PRB load <= this")


SortKey = Literal["cell", "site", "load", "users", "power_w", "tx_power_dbm", "tilt_deg", "cio_db"]


class ListCellsInput(BaseModel):
    model_config = _Forbid

    sort_by: SortKey = Field(default="load", description="column to sort by")
    descending: bool = Field(default=True, description="largest first")
    limit: int = Field(default=20, ge=1, le=50, description="rows to return (1..50)")
    filter: CellFilter | None = Field(default=None, description="keep only the cells matching every given field")


class GetCellInput(BaseModel):
    model_config = _Forbid

    cell: int = Field(description="cell id")


class SimulateInput(Horizon):
    """`changes` plus the what-if's horizon (hours, steps, seeds: the fields and limits of `Horizon`)."""

    model_config = _Forbid

    changes: Changes = Field(max_length=100, description="CellChanges to try; [] = the current config as it is")


class ApplyInput(Horizon):
    """The changes to apply and why; the horizon (`Horizon`'s fields) is the what-if that must keep the coverage
    floor."""

    model_config = _Forbid

    changes: Changes = Field(min_length=1, max_length=100, description="the CellChanges to apply, all or nothing")
    reason: str = Field(min_length=1, max_length=500, description="why, in one sentence; recorded in the change log")
    expected_version: int | None = Field(
        default=None, description="config version you planned against; the apply is refused if it has moved on"
    )


class RollbackInput(BaseModel):
    model_config = _Forbid

    change_id: int = Field(description="id of the change to undo (from apply_changes or get_change_log)")
    reason: str | None = Field(default=None, max_length=500, description="why; recorded in the change log")
    expected_version: int | None = Field(default=None, description="refuse if the config version is not this")


class ChangeLogInput(BaseModel):
    model_config = _Forbid

    limit: int = Field(default=20, ge=1, le=50, description="newest entries to return (1..50)")


class ErrorBody(BaseModel):
    code: str
    message: str
    allowed: Any = None
    hint: str | None = None
    field: str | None = None
    value: Any = None
    violations: list[dict[str, Any]] | None = None


class ErrorOutput(BaseModel):
    error: ErrorBody


class PolicyCheck(BaseModel):
    allowed: bool = Field(description="true if apply_changes would accept this change")
    violations: list[dict[str, Any]]


class NetworkSummary(BaseModel):
    scenario: str
    n_cells: int
    n_ues: int
    cells_by_class: dict[str, int]
    active_cells: int
    hour: int
    step: int
    version: int = Field(description="config version; pass it as expected_version to apply_changes")
    changes_logged: int
    kpis: Kpis
    units: dict[str, str]
    policy: dict[str, Any]


class KpisOutput(BaseModel):
    hour: int
    step: int
    slice: str | None
    kpis: Kpis
    cells: list[dict[str, Any]] | None = None


class CellRow(CellSummary):
    """One row of `list_cells` (the simulator's cell summary)."""


class CellList(BaseModel):
    total: int = Field(description="cells in the network")
    matched: int = Field(description="cells matching the filter")
    returned: int
    sort_by: str
    cells: list[CellRow]


class CellDetail(CellRow):
    slice_shares: dict[str, float]
    protected: bool
    kpis: Kpis | None
    allowed_now: dict[str, Any] = Field(description="values an apply may set now (policy range within one step)")


class SimulationOutput(BaseModel):
    horizon: dict[str, Any]
    kpis_before: Kpis
    kpis_after: Kpis
    delta: Kpis
    per_slice_delta: dict[str, Kpis]
    by_hour: dict[str, dict[str, float]] | None = None
    policy: PolicyCheck


class ChangeOutput(BaseModel):
    change_id: int
    version: int
    kind: Literal["apply", "rollback"]
    rollback_of: int | None = None
    exact: bool = Field(description="rollback restored the network snapshot: KPIs bit-identical to before the change")
    cells: list[int]
    kpis_before: Kpis | None
    kpis_after: Kpis | None
    delta: Kpis | None


class LogEntryOut(BaseModel):
    change_id: int
    version: int
    time: str
    kind: str
    actor: str
    reason: str
    rollback_of: int | None
    rolled_back_by: list[int]
    n_cells: int
    changes: dict[str, dict[str, list[Any]]] = Field(
        description="cell -> knob -> [before, after] for the first 4 cells; slice_shares as [embb, urllc, mmtc]"
    )
    delta: Kpis | None = Field(description="what-if change of the headline KPIs")


class ChangeLogOutput(BaseModel):
    version: int
    total: int
    returned: int
    entries: list[LogEntryOut]


class PolicyOutput(BaseModel):
    sha256: str
    policy: dict[str, Any]


# -- tool bodies ----------------------------------------------------------------------------------------------------


def get_network_summary(s: NetworkSession, a: NoInput, actor: str) -> NetworkSummary:
    """Overview of the network: scenario, cell and user counts, hour, config version, headline KPIs, policy.

    Call this first. `kpis` are network-wide averages since the last measurement reset (units in `units`).
    """
    net = s.network
    with s.lock:
        cfg = net.config
        by_class: dict[str, int] = {}
        for c in cfg.cells:
            by_class[c.cell_class] = by_class.get(c.cell_class, 0) + 1
        report = net.kpis()
        return NetworkSummary(
            scenario=net.scenario_name,
            n_cells=net.n_cells,
            n_ues=net.n_ues,
            cells_by_class=by_class,
            active_cells=sum(c.active for c in cfg.cells),
            hour=net.hour,
            step=net.step_index,
            version=s.version,
            changes_logged=s.change_count(),
            kpis=_kpis(report.network) or {},
            units=dict(KPI_UNITS),
            policy=s.policy.summary(),
        )


def get_kpis(s: NetworkSession, a: GetKpisInput, actor: str) -> KpisOutput:
    """KPIs now: network-wide or for one slice (embb, urllc, mmtc), optionally per cell for up to 20 cells.

    Units: energy_w W (lower better), energy_efficiency Mbit/J, throughput_*_mbps Mbit/s (network-wide p5: eMBB
    users only), coverage, packet_loss and prb_utilization fractions 0..1, fairness Jain index 0..1, latency_ms (mean)
    and latency_p95_ms ms (over served users; the unserved count in packet_loss), handover_rate per user per minute.
    """
    net = s.network
    with s.lock:
        if a.cells is not None:
            _check_cells(a.cells, net.n_cells)
        report = net.kpis()
        src = report.network if a.slice is None else report.per_slice.get(a.slice)
        if src is None:
            raise ToolError("invalid_parameter", f"no KPIs for slice {a.slice!r}", allowed=sorted(report.per_slice))
        cells = None
        if a.cells is not None:
            by_id = {c.cell: c for c in report.per_cell}
            cells = []
            for cid in dict.fromkeys(a.cells):
                ck = by_id.get(cid)
                if ck is not None:
                    cells.append(
                        {"cell": cid, "users": ck.users, "load": _sig(ck.load, 4), "power_w": _sig(ck.power_w, 4)}
                        | (_kpis(ck, 4) or {})
                    )
        return KpisOutput(hour=report.hour, step=report.step, slice=a.slice, kpis=_kpis(src) or {}, cells=cells)


def list_cells(s: NetworkSession, a: ListCellsInput, actor: str) -> CellList:
    """Cells as rows (id, site, class, active, tx_power_dbm, tilt_deg, cio_db, PRB load 0..1, users, power_w,
    first neighbours), sorted by `sort_by` and cut to `limit`; `filter` keeps matching cells only.

    E.g. the least-loaded active cells (sleep candidates): sort_by="load", descending=false, filter={"active": true}.
    """
    with s.lock:
        table = s.network.cell_table()
    f = a.filter or CellFilter()
    rows = [
        c
        for c in table
        if (f.active is None or c.active == f.active)
        and (f.cell_class is None or c.cell_class == f.cell_class)
        and (f.site is None or c.site == f.site)
        and (f.min_load is None or c.load >= f.min_load)
        and (f.max_load is None or c.load <= f.max_load)
    ]
    rows.sort(key=lambda c: (getattr(c, a.sort_by), c.cell), reverse=a.descending)
    out = [_row(c, _NEIGHBOURS_IN_LIST) for c in rows[: a.limit]]
    return CellList(total=len(table), matched=len(rows), returned=len(out), sort_by=a.sort_by, cells=out)


def get_cell(s: NetworkSession, a: GetCellInput, actor: str) -> CellDetail:
    """One cell in full: knobs, slice shares, load, users, power, all neighbours, its KPIs, whether the policy
    protects it, and `allowed_now`: the values one apply may set on it now (policy range within one step).
    """
    net = s.network
    with s.lock:
        _check_cells([a.cell], net.n_cells)
        info = next(c for c in net.cell_table() if c.cell == a.cell)
        report = net.kpis()
        ck = next((c for c in report.per_cell if c.cell == a.cell), None)
        allowed = s.policy.allowed_now(net.config, a.cell)
    row = _row(info, None)
    return CellDetail(
        **row.model_dump(),
        slice_shares={k: _sig(float(v), 4) for k, v in info.slice_shares.items()},
        protected=a.cell in s.policy.protected_cells,
        kpis=_kpis(ck),
        allowed_now=allowed,
    )


def simulate_changes(s: NetworkSession, a: SimulateInput, actor: str) -> SimulationOutput:
    """What-if: simulate `changes` on a copy of the network and return KPIs before, after and delta (after - before)
    over the horizon, the delta per slice, and whether the policy would allow applying it. Changes nothing.

    Use it before apply_changes. `hours` are hours of day (null = now), `steps` simulated seconds per hour, `seeds`
    random seeds (more = less noise, slower). A change is {"cell": id, and any of "tx_power_dbm", "tilt_deg",
    "active", "cio_db", "slice_shares"}.
    """
    r = s.simulate(a.changes, hours=a.hours, steps=a.steps, seeds=a.seeds)
    per_slice = {}
    for name, after in r.per_slice_after.items():
        before = r.per_slice_before.get(name)
        if before is not None:
            per_slice[name] = {k: _sig(getattr(after, k) - getattr(before, k), 4) for k in _SLICE_KPIS}
    by_hour = None
    if len(r.after_by_hour) > 1:
        by_hour = {
            str(h): {
                "coverage": _sig(after.coverage, 4),
                "energy_w": _sig(after.energy_w, 5),
                "throughput_p5_mbps": _sig(after.throughput_p5_mbps, 4),
                "d_coverage": _sig(after.coverage - r.before_by_hour[h].coverage, 3) if h in r.before_by_hour else 0.0,
            }
            for h, after in sorted(r.after_by_hour.items())
        }
    return SimulationOutput(
        horizon=r.horizon.model_dump(),
        kpis_before=_kpis(r.kpis_before) or {},
        kpis_after=_kpis(r.kpis_after) or {},
        delta=_kpis(r.delta, 4) or {},
        per_slice_delta=per_slice,
        by_hour=by_hour,
        policy=PolicyCheck(allowed=r.allowed, violations=[v.model_dump(mode="json") for v in r.violations]),
    )


def apply_changes(s: NetworkSession, a: ApplyInput, actor: str) -> ChangeOutput:
    """Apply `changes` to the live network, all or nothing, after checking the policy and simulating them: refused
    (with the rules broken) if any knob leaves its policy range or moves more than one step, a protected cell would
    sleep, too few cells would stay active, too many cells change, or the what-if over `hours` breaks the coverage
    floor. Returns the change id (for rollback), the new config version and the what-if KPIs before/after.
    """
    r = s.apply(
        a.changes,
        reason=a.reason,
        actor=actor,
        expected_version=a.expected_version,
        hours=a.hours,
        steps=a.steps,
        seeds=a.seeds,
    )
    return _change_out(r)


def rollback(s: NetworkSession, a: RollbackInput, actor: str) -> ChangeOutput:
    """Undo an applied change by its id: its cells get back the knob values they had before it. Logged as a new
    change. Refused if those knobs were changed again later (roll the later change back first, newest first).
    """
    r = s.rollback(a.change_id, actor=actor, reason=a.reason, expected_version=a.expected_version)
    return _change_out(r)


def get_change_log(s: NetworkSession, a: ChangeLogInput, actor: str) -> ChangeLogOutput:
    """The newest entries of the append-only change log: id, version, time, actor, reason, the knobs changed
    (before -> after) and the KPI delta. Rollbacks are entries too (`rollback_of`); undone changes list `rolled_back_by`.
    """
    entries = s.change_log(a.limit)
    out = []
    for e in entries:
        cells = sorted(e.after, key=int)
        changes = {
            c: {k: [_knob(e.before.get(c, {}).get(k)), _knob(v)] for k, v in e.after[c].items()}
            for c in cells[:_LOG_CELLS_SHOWN]
        }
        delta = None
        if e.kpis_before and e.kpis_after:
            delta = {k: _sig(e.kpis_after[k] - e.kpis_before[k], 4) for k in _LOG_KPIS if k in e.kpis_before}
        out.append(
            LogEntryOut(
                change_id=e.change_id,
                version=e.version,
                time=e.time[:19] + "Z",
                kind=e.kind,
                actor=e.actor,
                reason=e.reason if len(e.reason) <= 160 else e.reason[:157] + "...",
                rollback_of=e.rollback_of,
                rolled_back_by=e.rolled_back_by,
                n_cells=len(cells),
                changes=changes,
                delta=delta,
            )
        )
    return ChangeLogOutput(version=s.version, total=s.change_count(), returned=len(out), entries=out)


def get_policy(s: NetworkSession, a: NoInput, actor: str) -> PolicyOutput:
    """The guardrail policy every apply must pass: per-knob ranges (per cell class) and largest step, minimum
    active cells, protected cells, the coverage floor and the most cells per apply. No prompt can change it.
    """
    return PolicyOutput(sha256=s.policy.digest(), policy=s.policy.model_dump(mode="json"))


# -- registry and dispatch ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ToolSpec:
    name: str
    fn: Callable[[NetworkSession, Any, str], BaseModel]
    input_model: type[BaseModel]
    output_model: type[BaseModel]
    read_only: bool
    title: str

    @property
    def description(self) -> str:
        return " ".join((self.fn.__doc__ or "").split())


TOOLS: dict[str, ToolSpec] = {
    t.name: t
    for t in (
        ToolSpec("get_network_summary", get_network_summary, NoInput, NetworkSummary, True, "Network summary"),
        ToolSpec("get_kpis", get_kpis, GetKpisInput, KpisOutput, True, "KPIs"),
        ToolSpec("list_cells", list_cells, ListCellsInput, CellList, True, "List cells"),
        ToolSpec("get_cell", get_cell, GetCellInput, CellDetail, True, "One cell"),
        ToolSpec("simulate_changes", simulate_changes, SimulateInput, SimulationOutput, True, "What-if simulation"),
        ToolSpec("apply_changes", apply_changes, ApplyInput, ChangeOutput, False, "Apply changes"),
        ToolSpec("rollback", rollback, RollbackInput, ChangeOutput, False, "Roll back a change"),
        ToolSpec("get_change_log", get_change_log, ChangeLogInput, ChangeLogOutput, True, "Change log"),
        ToolSpec("get_policy", get_policy, NoInput, PolicyOutput, True, "Guardrail policy"),
    )
}

# Fields a client may send JSON-encoded inside a string (some MCP clients do): decoded before validation.
_STRUCTURED_FIELDS = {"changes", "cells", "hours", "filter", "seeds"}


def call_tool(session: NetworkSession, name: str, arguments: Any = None, *, actor: str = "user") -> dict[str, Any]:
    """Run one tool by name on raw JSON arguments. Never raises: a refused call returns ``{"error": {...}}``."""
    spec = TOOLS.get(name)
    if spec is None:
        return _error(ToolError("not_found", f"no tool named {name!r}", allowed=sorted(TOOLS)))
    try:
        args = _parse_args(spec, arguments)
        return spec.fn(session, args, actor).model_dump(mode="json")
    except ToolError as exc:
        return _error(exc)
    except Exception as exc:  # a bug, not the caller's fault: say so, never leak a traceback into the agent
        log.exception("tool %s failed", name)
        return _error(
            ToolError(
                "internal_error",
                f"{name} failed unexpectedly ({type(exc).__name__}); nothing was changed",
                hint="report this; try a different call",
            )
        )


def _parse_args(spec: ToolSpec, arguments: Any) -> BaseModel:
    if arguments is None:
        arguments = {}
    if not isinstance(arguments, dict):
        raise ToolError("invalid_parameter", "arguments must be a JSON object", allowed=_field_names(spec))
    data = dict(arguments)
    for k in _STRUCTURED_FIELDS & data.keys():
        if isinstance(data[k], str):
            try:
                decoded = json.loads(data[k])
            except (ValueError, RecursionError):
                continue
            if isinstance(decoded, (list, dict)):
                data[k] = decoded
    try:
        return spec.input_model.model_validate(data)
    except ValidationError as exc:
        raise validation_error(spec, exc) from None


def validation_error(spec: ToolSpec, exc: ValidationError) -> ToolError:
    """The `ToolError` for arguments that do not match a tool's input model (first error, and how many more)."""
    err = exc.errors()[0]
    loc = ".".join(str(p) for p in err["loc"])
    head = str(err["loc"][0]) if err["loc"] else ""
    code: Any = "invalid_change" if head == "changes" else "invalid_parameter"
    if head in Horizon.model_fields and err["type"] != "extra_forbidden":
        return horizon_error(exc, where=f"{spec.name}: ")  # hours, steps, seeds: one set of rules and words
    if err["type"] == "extra_forbidden":
        msg = f"unknown argument {loc!r} for {spec.name}"
        allowed: Any = _field_names(spec) if len(err["loc"]) == 1 else None
    else:
        msg = f"{spec.name}: {loc}: {err['msg']}"
        allowed = _allowed_of(err)
    more = f" (+{exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
    return ToolError(
        code,
        msg + more,
        allowed=allowed,
        field=loc or None,
        hint="check the argument against the tool's input schema and call again",
    )


def _field_names(spec: ToolSpec) -> list[str]:
    return list(spec.input_model.model_fields)


def _allowed_of(err: Any) -> Any:
    ctx = err.get("ctx") or {}
    if "expected" in ctx:
        return ctx["expected"]
    bounds = [ctx.get(k) for k in ("ge", "gt", "le", "lt", "min_length", "max_length") if k in ctx]
    return bounds or None


def _error(exc: ToolError) -> dict[str, Any]:
    return {"error": _jsonable(exc.to_dict())}


def _jsonable(value: Any) -> Any:
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, (str, int, bool)) or value is None:
        return value
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [_jsonable(v) for v in value]
    if isinstance(value, BaseModel):
        return _jsonable(value.model_dump(mode="json"))
    return repr(value)


def _check_cells(cells: list[int], n_cells: int) -> None:
    bad = [c for c in cells if not 0 <= c < n_cells]
    if bad:
        raise ToolError(
            "invalid_parameter",
            f"unknown cell id {bad[0]}; cells are 0..{n_cells - 1}",
            field="cells",
            value=bad[0],
            allowed=[0, n_cells - 1],
            hint="list_cells shows the cell ids",
        )


def _row(c: Any, n_neighbours: int | None) -> CellRow:
    nb = list(c.neighbours)
    return CellRow(
        cell=c.cell,
        site=c.site,
        cell_class=c.cell_class,
        active=c.active,
        tx_power_dbm=_sig(float(c.tx_power_dbm), 4),
        tilt_deg=_sig(float(c.tilt_deg), 4),
        cio_db=_sig(float(c.cio_db), 4),
        load=_sig(float(c.load), 3),
        users=int(c.users),
        power_w=_sig(float(c.power_w), 4),
        neighbours=nb if n_neighbours is None else nb[:n_neighbours],
    )


def _knob(v: Any) -> Any:
    if isinstance(v, dict):
        return [_sig(float(v.get(sl, 0.0)), 3) for sl in ("embb", "urllc", "mmtc")]
    return _sig(v, 4)


def _change_out(r: ApplyResult) -> ChangeOutput:
    return ChangeOutput(
        change_id=r.change_id,
        version=r.version,
        kind=r.kind,
        rollback_of=r.rollback_of,
        exact=r.exact,
        cells=sorted(int(c) for c in r.after),
        kpis_before=_kpis(r.kpis_before),
        kpis_after=_kpis(r.kpis_after),
        delta=_kpis(r.delta, 4),
    )
