"""`NetworkSession`: a live `Network` behind transactions, guardrails and an append-only change log.

Every write goes: parse -> physical validation (`Network.validate_changes`) -> static policy rules -> what-if over the
caller's horizon -> coverage floor -> one SQLite transaction (BEGIN IMMEDIATE; apply to the network; insert the log
row; COMMIT). The COMMIT is the commit point: a process killed anywhere before it leaves no row and (the network being
in memory) no change; killed after it, `NetworkSession.open` rebuilds the network from the log's header and replays
the last committed config. An in-process failure restores the network snapshot and rolls the transaction back.
"""

from __future__ import annotations

import math
import os
import signal
import threading
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

from airloop.simulator.network import WhatIfResult
from airloop.simulator.types import CellChange as CellChange
from airloop.simulator.types import KPIs, SimulatorError
from airloop.simulator.types import NetworkConfig as NetworkConfig
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ._errors import ToolError
from ._log import ChangeEntry, ChangeLog, LogLockedError
from ._policy import Policy, PolicyViolation

if TYPE_CHECKING:
    from airloop.simulator.network import Network

#: Fault injection for the crash-consistency tests: SIGKILL this process at the named point of a write.
CRASH_ENV = "AIRLOOP_TOOLS_CRASH_AT"
CRASH_POINTS = ("after_network_apply", "after_log_write", "after_commit")

_KNOBS = ("tx_power_dbm", "tilt_deg", "active", "cio_db", "slice_shares")
_MAX_CHANGES = 500  # a hard cap on one call's payload, far above any policy's max_cells_per_apply
_UNDO_SNAPSHOTS = 8  # snapshots kept for exact (bit-identical) rollbacks of the most recent changes


def _crash_point(name: str) -> None:
    if os.environ.get(CRASH_ENV) == name:
        os.kill(os.getpid(), signal.SIGKILL)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def cell_knobs(cell: Any) -> dict[str, Any]:
    """The knobs of one `CellConfig` as plain JSON values (the unit of the log's `config`)."""
    return {
        "cell": int(cell.cell),
        "tx_power_dbm": float(cell.tx_power_dbm),
        "tilt_deg": float(cell.tilt_deg),
        "active": bool(cell.active),
        "cio_db": float(cell.cio_db),
        "slice_shares": {str(k): float(v) for k, v in cell.slice_shares.items()},
    }


def config_knobs(config: NetworkConfig) -> list[dict[str, Any]]:
    return [cell_knobs(c) for c in config.cells]


#: The one set of limits on a what-if's horizon at the tool boundary (LLM, MCP, CLI and agents alike). The
#: simulator's own limits underneath are wider (steps 1..1000, seeds 1..64).
MAX_STEPS = 100
MAX_SEEDS = 8


class Horizon(BaseModel):
    """What a what-if covers: the hours of day (None = the network's current hour), steps per hour and seeds.

    The one validation model for hours, steps and seeds: the tool faces embed its fields, `NetworkSession.simulate` and
    `apply` build one, and a bad value becomes a `ToolError` naming the field, the value and the allowed range.
    """

    model_config = ConfigDict(extra="forbid")

    hours: list[Annotated[int, Field(ge=0, le=23)]] | None = Field(
        default=None, min_length=1, max_length=24, description="hours of day 0..23 to simulate; null = current hour")
    steps: int = Field(default=10, ge=1, le=MAX_STEPS, description=f"simulation steps (1 s each) per hour and seed "
                                                                    f"(1..{MAX_STEPS})")
    seeds: Annotated[int, Field(ge=1, le=MAX_SEEDS)] | Annotated[
        list[Annotated[int, Field(ge=0)]], Field(min_length=1, max_length=MAX_SEEDS)] = Field(
        default=1, description=f"number of random seeds (1..{MAX_SEEDS}) or a list of up to {MAX_SEEDS} seeds")

    @field_validator("hours")
    @classmethod
    def _unique_hours(cls, v: list[int] | None) -> list[int] | None:
        return None if v is None else list(dict.fromkeys(v))

    @classmethod
    def of(cls, hours: Any = None, steps: Any = 10, seeds: Any = 1) -> Horizon:
        """Validate a horizon from loose arguments; raises `ToolError` (field, value, allowed range, hint)."""
        try:
            return cls.model_validate({"hours": None if hours is None else list(hours) if isinstance(
                hours, Sequence) and not isinstance(hours, (str, bytes)) else hours, "steps": steps,
                "seeds": list(seeds) if isinstance(seeds, Sequence) and not isinstance(seeds, (str, bytes))
                else seeds}, strict=True)
        except ValidationError as exc:
            raise horizon_error(exc) from None


#: field -> (allowed range, the rule in words, what to do)
_HORIZON_RULES = {
    "hours": ([0, 23], "hours are integers 0..23, each at most once, 1 to 24 of them",
              "null means the network's current hour"),
    "steps": ([1, MAX_STEPS], f"steps is an integer 1..{MAX_STEPS} (seconds simulated per hour and seed)",
              "10 steps (10 s) is the usual what-if horizon"),
    "seeds": ([1, MAX_SEEDS], f"seeds is a count 1..{MAX_SEEDS} or a list of 1..{MAX_SEEDS} non-negative integers",
              "1 seed for a quick look, 3 to verify"),
}


def horizon_error(exc: ValidationError, *, where: str = "") -> ToolError:
    """The `ToolError` for a horizon that fails `Horizon`'s checks: the field, the value given, the allowed range."""
    err = exc.errors()[0]
    field = str(err["loc"][0]) if err["loc"] else "horizon"
    allowed, rule, hint = _HORIZON_RULES.get(field, (None, err["msg"], None))
    value = err.get("input")
    item = f"[{err['loc'][1]}]" if len(err["loc"]) > 1 and isinstance(err["loc"][1], int) else ""  # one list item
    shown = value if isinstance(value, (int, float, str)) and not isinstance(value, bool) else str(value)
    return ToolError("invalid_parameter", f"{where}{field}{item}={shown!r}: {rule}", field=field, value=shown,
                     allowed=allowed, hint=hint)


class SimulationResult(WhatIfResult):
    """A what-if (the simulator's `WhatIfResult`: KPIs before and after over the horizon, per hour and slice) with the
    horizon asked for and what the policy says of the change."""

    horizon: Horizon
    violations: list[PolicyViolation]

    @property
    def allowed(self) -> bool:
        return not self.violations


class ApplyResult(BaseModel):
    """The outcome of an apply or a rollback: its log entry id, the new config version and the KPIs around it.

    For an apply, the KPIs are the what-if's over the requested horizon. For a rollback they are those of the change
    rolled back, swapped, when the network snapshot was restored (`exact`), else a fresh what-if of the restore.
    """

    change_id: int
    version: int
    kind: Literal["apply", "rollback"]
    rollback_of: int | None = None
    exact: bool = False
    changes: list[dict[str, Any]]
    before: dict[str, dict[str, Any]]
    after: dict[str, dict[str, Any]]
    kpis_before: KPIs | None
    kpis_after: KPIs | None
    delta: dict[str, float] | None


class _Undo(BaseModel):
    """The network snapshot taken just before a logged change, and the state ids around it.

    State ids name in-memory network states: the version whose commit produced the state, or, after an exact rollback,
    the id of the state it restored. A change can be undone exactly while the network is still in its `post_state`
    (same id, not stepped since), so a chain of changes can be unwound exactly, newest first.
    """

    model_config = {"arbitrary_types_allowed": True}

    snapshot: Any
    pre_state: int
    post_state: int
    step_index: int
    hour: int


class NetworkSession:
    """A live network, a guardrail policy and an append-only change log, safe to share between threads.

    `log_path=None` keeps the log in memory (nothing to reopen). An existing log is reopened: its header must name
    the same scenario and seed, and the network is brought to the log's last committed config. The log's header records
    how to rebuild the network (`params`, `seed`, `n_ues`, read from the network; `build` overrides them) for
    `NetworkSession.open`.
    """

    def __init__(
        self,
        network: Network,
        policy: Policy | None = None,
        log_path: str | Path | None = None,
        *,
        build: Mapping[str, Any] | None = None,
    ) -> None:
        self._network = network
        self._policy = policy if policy is not None else Policy.default()
        self._lock = threading.RLock()
        self._undo: OrderedDict[int, _Undo] = OrderedDict()
        self._state_id = 0
        self._log = ChangeLog(log_path)
        header = self._log.header()
        mine = self._build_header(network, build)
        if not header:
            self._log.write_header(mine)
            header = self._log.header()
        else:
            self._check_header(header, mine)
        self._initial_config: list[dict[str, Any]] = header["initial_config"]
        self._version = self._log.latest_version()
        self._replay()

    @classmethod
    def open(cls, log_path: str | Path, policy: Policy | None = None) -> NetworkSession:
        """Reopen a session from its change log alone: rebuild the network from the header, replay the last config."""
        from airloop.simulator.network import Network

        if not Path(log_path).exists():
            raise ToolError(
                "not_found", f"no change log at {log_path}", hint="start a session with NetworkSession(...)"
            )
        probe = ChangeLog(log_path)
        header = probe.header()
        probe.close()
        if header.get("params") is None or header.get("seed") is None:
            raise ToolError("log_mismatch", f"{log_path} has no session header (params, seed): cannot rebuild")
        try:
            network = Network(header["params"], seed=header["seed"], n_ues=header.get("n_ues"))
        except SimulatorError as exc:
            raise ToolError("log_mismatch", f"cannot rebuild the network from {log_path}: {exc}") from exc
        return cls(network, policy, log_path)

    # -- properties ---------------------------------------------------------------------------------------------

    @property
    def network(self) -> Network:
        return self._network

    @property
    def policy(self) -> Policy:
        return self._policy

    @property
    def version(self) -> int:
        """Config version: 0 at the session's start, +1 per apply or rollback."""
        return self._version

    @property
    def log_path(self) -> Path | None:
        return self._log.path

    @property
    def lock(self) -> threading.RLock:
        """Hold it to read the network consistently (or step it) while other threads may write."""
        return self._lock

    def header(self) -> dict[str, Any]:
        return self._log.header()

    def close(self) -> None:
        self._log.close()

    # -- reads --------------------------------------------------------------------------------------------------

    def change_log(self, limit: int = 20) -> list[ChangeEntry]:
        """The newest `limit` entries, newest first."""
        return self._log.entries(limit)

    def change_count(self) -> int:
        return self._log.count()

    def check_policy(
        self,
        changes: Sequence[CellChange | Mapping[str, Any]],
        *,
        hours: Sequence[int] | None = None,
        steps: int = 10,
        seeds: int | Sequence[int] = 1,
        what_if: bool = True,
    ) -> list[PolicyViolation]:
        """Every policy rule the change breaks (empty: it may be applied). `what_if=False` skips the coverage floor."""
        with self._lock:
            parsed = self._validate(changes, allow_empty=True)
            violations = self._policy.check_changes(parsed, self._network.config)
            if what_if and not violations:
                violations = self._coverage(self._what_if(parsed, Horizon.of(hours, steps, seeds)))
            return violations

    def simulate(
        self,
        changes: Sequence[CellChange | Mapping[str, Any]],
        *,
        hours: Sequence[int] | None = None,
        steps: int = 10,
        seeds: int | Sequence[int] = 1,
    ) -> SimulationResult:
        """What-if of `changes` over the horizon; never mutates. Policy violations are reported, not raised."""
        with self._lock:
            parsed = self._validate(changes, allow_empty=True)
            horizon = Horizon.of(hours, steps, seeds)
            wi = self._what_if(parsed, horizon)
            violations = self._policy.check_changes(parsed, self._network.config) + self._coverage(wi)
            return SimulationResult(**dict(wi), horizon=horizon, violations=violations)

    # -- writes -------------------------------------------------------------------------------------------------

    def apply(
        self,
        changes: Sequence[CellChange | Mapping[str, Any]],
        *,
        reason: str,
        actor: str = "user",
        expected_version: int | None = None,
        hours: Sequence[int] | None = None,
        steps: int = 10,
        seeds: int | Sequence[int] = 1,
    ) -> ApplyResult:
        """Validate, check the policy, simulate over the horizon, then apply and log atomically.

        Raises `ToolError` (nothing changed) on a malformed or out-of-range change, a policy violation (including the
        coverage floor in the what-if), or a stale `expected_version`.
        """
        with self._lock:
            _check_text(reason, "reason")
            _check_text(actor, "actor")
            self._check_expected(expected_version)
            parsed = self._validate(changes, allow_empty=False)
            config = self._network.config
            violations = self._policy.check_changes(parsed, config)
            if violations:
                raise _refusal(violations)
            horizon = Horizon.of(hours, steps, seeds)
            wi = self._what_if(parsed, horizon)
            violations = self._coverage(wi)
            if violations:
                raise _refusal(violations)
            before, after = _touched(parsed, config)
            return self._commit(
                kind="apply",
                changes=parsed,
                before=before,
                after=after,
                reason=reason,
                actor=actor,
                horizon=horizon,
                kpis_before=wi.kpis_before,
                kpis_after=wi.kpis_after,
            )

    def rollback(
        self, change_id: int, *, actor: str = "user", reason: str | None = None, expected_version: int | None = None
    ) -> ApplyResult:
        """Undo one logged change: set the knobs it touched back to their values before it.

        Refused when those knobs were changed again later (roll the later change back first) or were already restored.
        When the network is still in the state the change left (nothing applied on top that was not itself rolled back
        exactly, no step, same hour), the snapshot taken before the change is restored, so every KPI comes back
        bit-identical (`exact`); the last 8 changes keep snapshots. Rollbacks are exempt from the step and range rules
        (they return to a configuration that was live), but not from the protected-cell rule.
        """
        with self._lock:
            _check_text(actor, "actor")
            self._check_expected(expected_version)
            entry = (
                self._log.entry(change_id) if isinstance(change_id, int) and not isinstance(change_id, bool) else None
            )
            if entry is None:
                ids = self._log.ids()
                raise ToolError(
                    "not_found",
                    f"no change with id {change_id!r} in the log",
                    allowed=list(ids) if ids else [],
                    hint="read get_change_log for the ids of applied changes",
                )
            config = self._network.config
            current = {c["cell"]: c for c in config_knobs(config)}
            self._check_undoable(entry, current)
            comp = [CellChange.model_validate({"cell": int(c), **knobs}) for c, knobs in entry.before.items()]
            comp = self._validate(comp, allow_empty=False)
            protected = [v for v in self._policy.check_changes(comp, config) if v.rule == "protected_cell"]
            if protected:
                raise _refusal(protected)
            before, after = _touched(comp, config)
            undo = self._undo.get(change_id)
            exact = (
                undo is not None
                and undo.post_state == self._state_id
                and undo.step_index == self._network.step_index
                and undo.hour == self._network.hour
            )
            horizon = Horizon.model_validate(entry.horizon)
            if exact:
                kpis_before = KPIs.model_validate(entry.kpis_after) if entry.kpis_after else None
                kpis_after = KPIs.model_validate(entry.kpis_before) if entry.kpis_before else None
            else:
                wi = self._what_if(comp, horizon)
                kpis_before, kpis_after = wi.kpis_before, wi.kpis_after
            return self._commit(
                kind="rollback",
                changes=comp,
                before=before,
                after=after,
                reason=reason or f"rollback of change {change_id}",
                actor=actor,
                horizon=horizon,
                kpis_before=kpis_before,
                kpis_after=kpis_after,
                rollback_of=change_id,
                restore=undo if exact else None,
            )

    def rollback_to(self, version: int, *, actor: str = "user", reason: str | None = None) -> ApplyResult:
        """Return every cell to its config at `version` (0 = the session's start); logged as one rollback entry."""
        with self._lock:
            _check_text(actor, "actor")
            if not isinstance(version, int) or isinstance(version, bool) or not 0 <= version <= self._version:
                raise ToolError(
                    "not_found",
                    f"no config version {version!r}",
                    allowed=[0, self._version],
                    hint="versions run from 0 (session start) to the current one",
                )
            target = self._config_at(version)
            config = self._network.config
            current = {c["cell"]: c for c in config_knobs(config)}
            comp = [
                CellChange.model_validate({k: v for k, v in t.items()}) for t in target if t != current.get(t["cell"])
            ]
            if not comp:
                raise ToolError(
                    "rollback_conflict",
                    f"the config already equals version {version}",
                    hint="nothing to roll back",
                )
            comp = self._validate(comp, allow_empty=False)
            before, after = _touched(comp, config)
            wi = self._what_if(comp, Horizon())
            return self._commit(
                kind="rollback",
                changes=comp,
                before=before,
                after=after,
                reason=reason or f"rollback to version {version}",
                actor=actor,
                horizon=Horizon(),
                kpis_before=wi.kpis_before,
                kpis_after=wi.kpis_after,
            )

    # -- internals ----------------------------------------------------------------------------------------------

    def _commit(
        self,
        *,
        kind: Literal["apply", "rollback"],
        changes: list[CellChange],
        before: dict[str, dict[str, Any]],
        after: dict[str, dict[str, Any]],
        reason: str,
        actor: str,
        horizon: Horizon,
        kpis_before: KPIs | None,
        kpis_after: KPIs | None,
        rollback_of: int | None = None,
        restore: _Undo | None = None,
    ) -> ApplyResult:
        net = self._network
        snap = net.snapshot()
        try:
            with self._log.transaction():
                if self._log.latest_version() != self._version:
                    raise ToolError(
                        "version_conflict",
                        f"the change log {self._log.path} was written by another process "
                        f"(log at version {self._log.latest_version()}, this session at {self._version})",
                        hint="one log per live session: reopen the session from the log to continue",
                    )
                if restore is not None:
                    net.restore(restore.snapshot)
                else:
                    net.apply(changes)
                _crash_point("after_network_apply")
                # Record what the network holds, not what was asked (the simulator may normalise, e.g. slice shares).
                live = {c["cell"]: c for c in config_knobs(net.config)}
                after = {c: {k: live[int(c)][k] for k in knobs} for c, knobs in after.items()}
                digest = self._policy.digest()
                self._log.record_policy(digest, self._policy.model_dump(mode="json"))
                change_id = self._log.append(
                    {
                        "version": self._version + 1,
                        "parent_version": self._version,
                        "time": _now(),
                        "kind": kind,
                        "rollback_of": rollback_of,
                        "actor": actor,
                        "reason": reason,
                        "changes": [c.model_dump(exclude_none=True) for c in changes],
                        "before": before,
                        "after": after,
                        "config": config_knobs(net.config),
                        "kpis_before": kpis_before.model_dump() if kpis_before is not None else None,
                        "kpis_after": kpis_after.model_dump() if kpis_after is not None else None,
                        "horizon": horizon.model_dump(),
                        "hour": int(net.hour),
                        "step_index": int(net.step_index),
                        "policy_sha256": digest,
                    }
                )
                _crash_point("after_log_write")
        except ToolError:
            net.restore(snap)
            raise
        except LogLockedError as exc:
            net.restore(snap)
            raise ToolError("version_conflict", str(exc), hint="another writer holds the log; retry shortly") from exc
        except SimulatorError as exc:
            net.restore(snap)
            raise ToolError.from_simulator(exc) from exc
        except Exception:
            net.restore(snap)
            raise
        _crash_point("after_commit")
        self._version += 1
        pre_state = self._state_id
        self._state_id = restore.pre_state if restore is not None else self._version
        self._undo[change_id] = _Undo(
            snapshot=snap, pre_state=pre_state, post_state=self._state_id, step_index=net.step_index, hour=net.hour
        )
        while len(self._undo) > _UNDO_SNAPSHOTS:
            self._undo.popitem(last=False)
        return ApplyResult(
            change_id=change_id,
            version=self._version,
            kind=kind,
            rollback_of=rollback_of,
            exact=restore is not None,
            changes=[c.model_dump(exclude_none=True) for c in changes],
            before=before,
            after=after,
            kpis_before=kpis_before,
            kpis_after=kpis_after,
            delta=_delta(kpis_before, kpis_after),
        )

    def _validate(self, changes: Any, *, allow_empty: bool) -> list[CellChange]:
        parsed = parse_changes(changes, allow_empty=allow_empty)
        if not parsed:
            return parsed
        try:
            out = self._network.validate_changes(parsed)
        except SimulatorError as exc:
            raise ToolError.from_simulator(
                exc, hint="fix the value named in `field` to lie within `allowed`; nothing was changed"
            ) from exc
        return list(out) if out is not None else parsed

    def _what_if(self, changes: list[CellChange], horizon: Horizon) -> Any:
        try:
            return self._network.what_if(changes, steps=horizon.steps, hours=horizon.hours, seeds=horizon.seeds)
        except SimulatorError as exc:
            raise ToolError.from_simulator(exc) from exc

    def _coverage(self, wi: Any) -> list[PolicyViolation]:
        pairs: list[tuple[int | None, float, float]] = [(None, wi.kpis_before.coverage, wi.kpis_after.coverage)]
        for h, after in wi.after_by_hour.items():
            before = wi.before_by_hour.get(h)
            if before is not None:
                pairs.append((int(h), before.coverage, after.coverage))
        return self._policy.check_coverage(pairs)

    def _check_expected(self, expected_version: int | None) -> None:
        if expected_version is None:
            return
        if isinstance(expected_version, bool) or not isinstance(expected_version, int):
            raise ToolError(
                "invalid_parameter",
                "expected_version must be an integer",
                field="expected_version",
                value=expected_version,
            )
        if expected_version != self._version:
            raise ToolError(
                "version_conflict",
                f"the config is at version {self._version}, not {expected_version}: it changed since you read it",
                allowed=[self._version],
                hint="read the network again (get_network_summary / get_change_log), re-plan, and retry with the "
                "current version",
                field="expected_version",
                value=expected_version,
            )

    def _check_undoable(self, entry: ChangeEntry, current: dict[int, dict[str, Any]]) -> None:
        if entry.rolled_back_by:
            last = self._log.entry(entry.rolled_back_by[-1])
            if last is not None and not last.rolled_back_by:
                raise ToolError(
                    "rollback_conflict",
                    f"change {entry.change_id} was already rolled back by change {last.change_id}",
                    allowed=[last.change_id],
                    hint=f"nothing to do; to redo change {entry.change_id}, roll back change {last.change_id}",
                )
        moved = [
            (int(c), knob)
            for c, knobs in entry.after.items()
            for knob, value in knobs.items()
            if current[int(c)][knob] != value
        ]
        if not moved:
            return
        later = [
            e.change_id
            for e in self._log.entries_after(entry.change_id)
            if any(str(c) in e.after and k in e.after[str(c)] for c, k in moved)
        ]
        cell, knob = moved[0]
        raise ToolError(
            "rollback_conflict",
            f"cell {cell} {knob} was changed again after change {entry.change_id}"
            + (f" (by change {later[-1]})" if later else ""),
            allowed=sorted(set(later)),
            hint="roll back the later changes first, newest first",
        )

    def _config_at(self, version: int) -> list[dict[str, Any]]:
        if version == 0:
            return self._initial_config
        entry = self._log.entry_at_version(version)
        if entry is None:
            raise ToolError("not_found", f"no config version {version} in the log", allowed=[0, self._version])
        return entry.config

    def _replay(self) -> None:
        """Bring the network to the log's last committed config (a reopened session; nothing to do when fresh)."""
        target = self._config_at(self._version)
        current = config_knobs(self._network.config)
        if current == target:
            return
        if current != self._initial_config:
            raise ToolError(
                "log_mismatch",
                "the network's config matches neither the log's initial config nor its latest one",
                hint="reopen with NetworkSession.open(log_path), or start a new log",
            )
        by_cell = {c["cell"]: c for c in current}
        changes = [CellChange.model_validate(t) for t in target if t != by_cell.get(t["cell"])]
        try:
            self._network.apply(changes)
        except SimulatorError as exc:
            raise ToolError("log_mismatch", f"the log's config cannot be replayed on this network: {exc}") from exc
        if config_knobs(self._network.config) != target:
            raise ToolError("log_mismatch", "replaying the log's config did not reproduce it exactly")

    @staticmethod
    def _build_header(network: Network, build: Mapping[str, Any] | None) -> dict[str, Any]:
        b = dict(build or {})
        params = b.get("params", getattr(network, "params", None))
        return {
            "scenario": b.get("scenario", getattr(network, "scenario_name", None)),
            "seed": b.get("seed", getattr(network, "seed", None)),
            "n_ues": b.get("n_ues", getattr(network, "n_ues", None)),
            # The full scenario parameters (overrides merged in): enough to rebuild the network bit for bit.
            "params": _json_safe(params) if params is not None else None,
            "initial_config": config_knobs(network.config),
            "created": _now(),
        }

    @staticmethod
    def _check_header(header: dict[str, Any], mine: dict[str, Any]) -> None:
        for key in ("scenario", "seed", "n_ues", "params"):
            if mine.get(key) is not None and header.get(key) is not None and mine[key] != header[key]:
                shown = "different scenario parameters" if key == "params" else f"{key}={mine[key]!r}"
                raise ToolError(
                    "log_mismatch",
                    f"the change log is for another network: this one has {shown}"
                    + ("" if key == "params" else f", the log {key}={header[key]!r}"),
                    allowed=None if key == "params" else [header[key]],
                    hint="use a new log path (run directory) for a different network",
                )


def _json_safe(value: Any) -> Any:
    """Scenario parameters as plain JSON (numpy scalars and tuples included)."""
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_safe(v) for v in value]
    if hasattr(value, "item") and callable(value.item):
        return value.item()
    return value


# -- helpers --------------------------------------------------------------------------------------------------------


def parse_changes(changes: Any, *, allow_empty: bool = True) -> list[CellChange]:
    """Coerce a list of dicts/`CellChange`s, refusing the wrong shape, non-finite numbers, duplicates and no-ops."""
    if isinstance(changes, (str, bytes, Mapping)) or not isinstance(changes, Sequence):
        raise ToolError(
            "invalid_change",
            "changes must be a list of CellChange objects",
            allowed='[{"cell": int, "tx_power_dbm"?: float, "tilt_deg"?: float, "active"?: bool, "cio_db"?: float, '
            '"slice_shares"?: {"embb": f, "urllc": f, "mmtc": f}}]',
            hint="wrap a single change in a list",
        )
    if len(changes) > _MAX_CHANGES:
        raise ToolError("invalid_change", f"at most {_MAX_CHANGES} changes per call", allowed=[0, _MAX_CHANGES])
    out: list[CellChange] = []
    seen: set[int] = set()
    for i, ch in enumerate(changes):
        try:
            cc = ch if isinstance(ch, CellChange) else CellChange.model_validate(ch)
        except ValidationError as exc:
            err = exc.errors()[0]
            loc = ".".join(str(p) for p in err["loc"])
            raise ToolError(
                "invalid_change",
                f"changes[{i}]: {loc}: {err['msg']}",
                field=f"changes[{i}].{loc}" if loc else f"changes[{i}]",
                allowed=list(("cell", *_KNOBS)),
                hint="each change is {'cell': id, <knob>: value, ...} with knobs from `allowed`",
            ) from None
        knobs = cc.knobs()
        if not knobs:
            raise ToolError(
                "invalid_change",
                f"changes[{i}] (cell {cc.cell}) sets no knob",
                field=f"changes[{i}]",
                allowed=list(_KNOBS),
                hint="set at least one knob, or leave the cell out",
            )
        for k, v in knobs.items():
            values = v.values() if isinstance(v, dict) else [v]
            if any(isinstance(x, float) and not math.isfinite(x) for x in values):
                raise ToolError(
                    "invalid_change",
                    f"changes[{i}] (cell {cc.cell}): {k} must be a finite number",
                    field=f"changes[{i}].{k}",
                    value=str(v),
                    hint="use a finite value in the knob's range (get_policy)",
                )
        if cc.cell in seen:
            raise ToolError(
                "invalid_change",
                f"cell {cc.cell} appears twice in one change list",
                field=f"changes[{i}].cell",
                value=cc.cell,
                hint="merge the knobs of one cell into a single change",
            )
        seen.add(cc.cell)
        out.append(cc)
    if not out and not allow_empty:
        raise ToolError("invalid_change", "no changes given", hint="pass at least one CellChange")
    return out


def _touched(changes: Sequence[CellChange], config: NetworkConfig) -> tuple[dict[str, Any], dict[str, Any]]:
    before: dict[str, dict[str, Any]] = {}
    after: dict[str, dict[str, Any]] = {}
    for ch in changes:
        cur = cell_knobs(config.cell(ch.cell))
        knobs = ch.knobs()
        before[str(ch.cell)] = {k: cur[k] for k in knobs}
        after[str(ch.cell)] = {k: (dict(v) if isinstance(v, dict) else v) for k, v in knobs.items()}
    return before, after


def _delta(before: KPIs | None, after: KPIs | None) -> dict[str, float] | None:
    if before is None or after is None:
        return None
    b, a = before.model_dump(), after.model_dump()
    return {k: a[k] - b[k] for k in b}


def _refusal(violations: list[PolicyViolation]) -> ToolError:
    first = violations[0]
    return ToolError(
        "policy_violation",
        "; ".join(v.message for v in violations[:5])
        + (f" (+{len(violations) - 5} more)" if len(violations) > 5 else ""),
        allowed=first.allowed,
        hint="nothing was changed; adjust the change to satisfy the rules in `violations` (see get_policy)",
        field=first.field,
        value=first.value,
        violations=[v.model_dump(mode="json") for v in violations],
    )


def _check_text(value: Any, name: str) -> None:
    if not isinstance(value, str) or not value.strip() or len(value) > 2000:
        raise ToolError(
            "invalid_parameter",
            f"{name} must be a non-empty string of at most 2000 characters",
            field=name,
            hint=f"say in one sentence why: the {name} is recorded in the change log",
        )
