"""The evaluation grid: arms × (scenario, intent, seed) units, each sample with a cache key.

A *unit* (scenario, intent, network seed) is what every arm sees identically — the pairing of the paired design. An
*arm* is a strategy with its parameters, a prompt set and a mode (``opt``: the gold intent is given; ``e2e``: the
planner reads the text). A sample is one arm on one unit.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ._spec import SHIPPED_PROMPTS, ArmSpec, EvalSpec, EvalSpecError

__all__ = ["Arm", "Sample", "Unit", "build_grid", "code_hash", "load_intents", "prompt_set_hashes", "resolve_path"]

#: The packages whose source a result depends on (the app's presentation modules are left out below).
_PACKAGES = ("airloop", "airloop.core", "airloop.simulator", "airloop.tools", "airloop.agents", "airloop.prompts",
             "airloop.testing")
#: Presentation only (command line, reports, campaign driver): editing them cannot change a sample's numbers, and
#: including them would invalidate every cached result and oracle entry at each CLI or plot tweak.
_NOT_RESULTS = ("airloop/cli", "airloop/report", "airloop/campaign")


def _sha(data: str | bytes) -> str:
    return hashlib.sha256(data.encode() if isinstance(data, str) else data).hexdigest()


@functools.cache
def code_hash() -> str:
    """sha256 over the package's source files (``*.py`` and the policy ``*.yaml``), sorted by path, computed once per
    process. Prompt files are hashed apart (`prompt_set_hashes`), since an arm names its prompt set."""
    files: dict[str, Path] = {}
    for name in _PACKAGES:
        spec = importlib.util.find_spec(name)
        if spec is None or not spec.submodule_search_locations:
            continue
        for root in spec.submodule_search_locations:
            root_path = Path(root)
            for path in root_path.rglob("*"):
                if path.suffix not in (".py", ".yaml") or "__pycache__" in path.parts or not path.is_file():
                    continue
                rel = f"{name.replace('.', '/')}/{path.relative_to(root_path).as_posix()}"
                files.setdefault(rel, path)
    h = hashlib.sha256()
    for rel in sorted(files):
        if rel.startswith(_NOT_RESULTS):
            continue
        h.update(rel.encode() + b"\0" + files[rel].read_bytes() + b"\0")
    return h.hexdigest()


def prompt_set_hashes(prompts: str = SHIPPED_PROMPTS) -> dict[str, str]:
    """``{file: sha256}`` of the prompt set an arm runs with (the shipped set: `airloop.prompts.prompt_hashes`)."""
    if prompts != SHIPPED_PROMPTS:
        raise EvalSpecError(f"prompt set {prompts!r} is not supported yet")
    from airloop.prompts import prompt_hashes

    return prompt_hashes()


def resolve_path(path: str) -> Path:
    """A path from an evaluation file: absolute as is; else relative to the working directory, then to the source
    checkout (so `airloop eval` finds benchmarks/ from anywhere in an editable install)."""
    p = Path(path).expanduser()
    if p.is_absolute() or p.exists():
        return p
    checkout = Path(__file__).resolve().parents[2] / p
    return checkout if checkout.exists() else p


def load_intents(file: str | Path, split: str = "test", limit: int | None = None,
                 ids: list[str] | None = None) -> list[dict[str, Any]]:
    """Intent rows with a gold intent from the intent benchmark file; `limit` picks by a fixed stride over the file
    (categories stay mixed, the choice reproducible) exactly as benchmarks/agent.py did."""
    path = resolve_path(str(file))
    if not path.is_file():
        raise EvalSpecError(f"intents.file: {path} does not exist")
    rows = [json.loads(ln) for ln in path.read_text().splitlines() if ln.strip() and not ln.startswith("//")]
    if ids:
        by_id = {r["id"]: r for r in rows}
        unknown = [i for i in ids if i not in by_id]
        if unknown:
            raise EvalSpecError(f"intents.ids: no intent {unknown} in {path}")
        picked = [by_id[i] for i in ids]
        no_gold = [r["id"] for r in picked if not r.get("gold")]
        if no_gold:
            raise EvalSpecError(f"intents.ids: {no_gold} have no gold intent (texts to refuse); pick others")
        return picked
    rows = [r for r in rows if r.get("gold") and (split == "all" or r.get("split") == split)]
    if limit is not None and limit < len(rows):
        step = len(rows) / limit
        rows = [rows[int(i * step)] for i in range(limit)]
    return rows


def gold_sha(row: dict[str, Any]) -> str:
    """Identifies an intent's gold reading (the oracle's and the judge's target): sha256 of its canonical JSON."""
    return _sha(json.dumps(row["gold"], sort_keys=True))


@dataclass(frozen=True)
class Arm:
    name: str  # "<label>/<mode>"
    label: str  # the arm spec's name (reference names this)
    strategy: str
    params: dict[str, Any]
    prompts: str
    prompt_hash: str  # sha256 over the prompt set's {file: sha256}
    mode: str
    model: str  # the spec actually run ("none" for no-LLM strategies in opt mode)

    def identity(self) -> dict[str, Any]:
        return {"strategy": self.strategy, "params": self.params, "prompts": self.prompts, "mode": self.mode,
                "model": self.model}


@dataclass(frozen=True)
class Unit:
    scenario: str
    intent: str
    seed: int


@dataclass
class Sample:
    arm: Arm
    unit: Unit
    row: dict[str, Any]  # the intent row (id, text, gold)
    key: str = ""
    task: dict[str, Any] = field(default_factory=dict)  # what a worker needs (plain data: it crosses processes)


def _model_for(arm: ArmSpec, mode: str, spec: EvalSpec) -> str:
    from airloop.agents.strategies import strategy_class

    wanted = arm.model or spec.model
    return wanted if strategy_class(arm.strategy).uses_llm or mode == "e2e" else "none"


def _model_digest(model: str) -> str:
    """What a cached answer depends on beyond the spec: a scripted model's answers file; the embedded model's weights
    and LoRA adapter (a shipped adapter retrained under the same spec must not reuse old results). Other backends:
    the spec names it."""
    if model.startswith("scripted:"):
        p = Path(model.split(":", 1)[1]).expanduser()
        return _sha(p.read_bytes()) if p.is_file() else "missing"
    if model == "llamacpp" or model.startswith("llamacpp:"):
        from airloop.agents.models import LlamaCppModel, ModelConfig, ModelError

        try:
            return LlamaCppModel.from_spec(model.partition(":")[2], ModelConfig.from_env()).digest or ""
        except ModelError:
            return ""
    return ""


def build_grid(spec: EvalSpec, *, runs_dir: str | None) -> tuple[list[Arm], list[Unit], list[Sample]]:
    """Every arm × unit, in a fixed order (scenario, intent, seed, arm), with its cache key and worker task."""
    rows: list[dict[str, Any]] = []
    for sel in spec.intent_selections():
        picked = load_intents(sel.file, sel.split, sel.limit, sel.ids)
        if not picked:
            raise EvalSpecError(f"intents: no gold intent in split {sel.split!r} of {sel.file}")
        rows += picked
    twice = sorted(i for i, n in Counter(r["id"] for r in rows).items() if n > 1)
    if twice:
        raise EvalSpecError(f"intents: the selections pick intent ids {twice} more than once; an intent id names one "
                            "unit of the grid (and its oracle entry), so select each once")
    code = code_hash()
    arms: list[Arm] = []
    for mode in spec.modes:
        for a in spec.arm_specs():
            hashes = prompt_set_hashes(a.prompts)
            arms.append(Arm(name=f"{a.label()}/{mode}", label=a.label(), strategy=a.strategy, params=dict(a.params),
                            prompts=a.prompts, prompt_hash=_sha(json.dumps(hashes, sort_keys=True)), mode=mode,
                            model=_model_for(a, mode, spec)))
    units = [Unit(scen, r["id"], seed) for scen in spec.scenarios for r in rows for seed in spec.seeds]
    by_id = {r["id"]: r for r in rows}
    budget = spec.budget.model_dump()
    digests = {arm.name: _model_digest(arm.model) for arm in arms}  # files read once per arm, not once per sample
    samples = []
    for u in units:
        row = by_id[u.intent]
        for arm in arms:
            key_data = {"arm": arm.identity(), "model_digest": digests[arm.name],
                        "intent": {"id": u.intent, "gold": gold_sha(row), "text": _sha(row["text"])},
                        "scenario": u.scenario, "n_ues": spec.n_ues, "seed": u.seed, "budget": budget,
                        "margin": spec.margin, "code": code, "prompts": arm.prompt_hash}
            key = _sha(json.dumps(key_data, sort_keys=True))
            task = {"key": key, "arm": arm.name, "strategy": arm.strategy, "params": arm.params, "mode": arm.mode,
                    "model": arm.model, "scenario": u.scenario, "n_ues": spec.n_ues, "seed": u.seed,
                    "intent": u.intent, "text": row["text"], "gold": row["gold"], "budget": budget,
                    "margin": spec.margin, "runs_dir": runs_dir}
            samples.append(Sample(arm=arm, unit=u, row=row, key=key, task=task))
    return arms, units, samples
