"""The RL policy arm: a stable-baselines3 PPO policy trained on ``airloop/Network-v0`` and saved to a file, run as the
``rl-ppo`` optimizer strategy.

`train_ppo` trains on the Gym environment (the judge's reward, actions projected onto the policy) and saves
``<path>`` (SB3's zip) with ``<path>.json`` (scenario, intent, knobs, timesteps, seed). The strategy reads the live
network (`NetworkView`: config, KPIs) into the environment's observation, asks the policy for its deterministic action,
turns it into changes the way the environment does (`Policy.project`), and scores the action at a few scales through
the evaluator like any candidate: the judge, not the policy, decides what is proposed. stable-baselines3 and torch are
imported only when the strategy runs (``pip install 'airloop[rl]'``); without them, or without a policy file for the
scenario, it proposes nothing and says why.
"""

from __future__ import annotations

import json
import os
import types
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
from pydantic import BaseModel, Field

from ..env import NetworkEnv
from ..intent import Intent
from ..strategies._base import OptimizeContext, Proposal, Strategy
from ..strategies._scoring import Scorer, SearchStopped
from ..strategies._space import SearchSpace

__all__ = ["RL_POLICY_ENV", "RLPolicy", "default_policy_path", "train_ppo"]

#: Where the strategy looks for ``ppo-<scenario>.zip`` when no ``model_path`` is given.
RL_POLICY_ENV = "AIRLOOP_RL_DIR"


def default_policy_path(scenario: str, directory: str | Path | None = None) -> Path:
    base = Path(directory or os.environ.get(RL_POLICY_ENV) or Path(os.environ.get("AIRLOOP_RUNS", "runs")) / "learning")
    return base / f"ppo-{scenario}.zip"


def _env(scenario: str, intent: Intent | dict[str, Any] | None, *, n_ues: int | None, seed: int,
         steps_per_action: int = 2, episode_steps: int = 8, hour: int | None = None) -> NetworkEnv:
    return NetworkEnv(scenario, intent=intent, n_ues=n_ues, steps_per_action=steps_per_action,
                      episode_steps=episode_steps, seed=seed, hour=hour, redraw="users")


def train_ppo(path: str | Path, *, scenario: str = "urban-macro-19", intent: Intent | dict[str, Any] | None = None,
              timesteps: int = 256, seed: int = 0, n_ues: int | None = None, hour: int | None = None,
              n_steps: int = 64) -> dict[str, Any]:
    """Train PPO on the environment for `timesteps` decisions and save it to `path` (+ ``.json`` metadata)."""
    import torch
    from stable_baselines3 import PPO

    if timesteps < 1:
        raise ValueError(f"timesteps={timesteps}: train for at least one step")
    torch.set_num_threads(1)
    env = _env(scenario, intent, n_ues=n_ues, seed=seed, hour=hour)
    model = PPO("MlpPolicy", env, n_steps=min(n_steps, max(timesteps, 8)), batch_size=min(32, n_steps, max(timesteps, 8)),
                n_epochs=2, seed=seed, device="cpu", verbose=0)
    model.learn(total_timesteps=timesteps)
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    model.save(str(p))
    zipped = p if p.suffix == ".zip" else p.with_name(p.name + ".zip")
    meta = {"scenario": scenario, "intent": env.intent.model_dump(), "timesteps": int(model.num_timesteps),
            "seed": seed, "n_ues": n_ues, "hour": hour, "knobs": list(env.knobs), "allow_sleep": env.allow_sleep,
            "algorithm": "PPO", "policy": "MlpPolicy", "file": zipped.name}
    zipped.with_suffix(".json").write_text(json.dumps(meta, indent=1))
    return {**meta, "path": str(zipped)}


def _observe(env: NetworkEnv, ctx: OptimizeContext) -> np.ndarray:
    """The environment's observation of the live network (its config and KPIs now)."""
    cfg = ctx.network.config()
    rep = ctx.network.kpis()
    cells = cfg.cells
    knobs = types.SimpleNamespace(
        tx_power_dbm=np.array([c.tx_power_dbm for c in cells]), tilt_deg=np.array([c.tilt_deg for c in cells]),
        cio_db=np.array([c.cio_db for c in cells]), active=np.array([c.active for c in cells], bool))
    n_ues = int(sum(c.users for c in rep.per_cell)) or len(cells)
    env.network = types.SimpleNamespace(knobs=knobs, n_ues=n_ues, hour=ctx.network.hour, config=cfg)  # type: ignore[assignment]
    env._t = 0
    return env._observation(rep)


class RLPolicy(Strategy):
    name: ClassVar[str] = "rl-ppo"
    uses_llm: ClassVar[bool] = False
    description: ClassVar[str] = "a PPO policy trained on airloop/Network-v0 proposes; the judge scores its action"

    class Params(BaseModel, extra="forbid"):
        model_path: str | None = Field(None, description="the SB3 zip (default: $AIRLOOP_RL_DIR or "
                                                         "runs/learning, ppo-<scenario>.zip)")
        scales: list[float] = Field(default_factory=lambda: [1.0, 0.5, 0.25], min_length=1, max_length=8,
                                    description="the action is scored at these scales")

    model_path: str | None
    scales: list[float]

    def propose(self, ctx: OptimizeContext) -> Proposal:
        space = SearchSpace.build(ctx.network, ctx.intent)
        scorer = Scorer(ctx, max_evals=len(self.scales))
        notes = list(space.notes)
        path = Path(self.model_path) if self.model_path else default_policy_path(ctx.network.scenario_name)
        if not path.is_file():
            return scorer.proposal(self.name, self.params, notes=[*notes, f"no RL policy file {path}: nothing "
                                                                           "proposed (train one: airloop policies "
                                                                           "--train-rl)"])
        try:
            from stable_baselines3 import PPO
        except ImportError:
            return scorer.proposal(self.name, self.params, notes=[*notes, "stable-baselines3 is not installed "
                                                                           "(pip install 'airloop[rl]'): nothing "
                                                                           "proposed"])
        meta_path = path.with_suffix(".json")
        meta = json.loads(meta_path.read_text()) if meta_path.is_file() else {}
        env = NetworkEnv(ctx.network.scenario_name, intent=ctx.intent, knobs=meta.get("knobs", ("tx_power_dbm",
                         "tilt_deg", "cio_db")), allow_sleep=meta.get("allow_sleep", True))
        if env.n_cells != ctx.network.n_cells:
            return scorer.proposal(self.name, self.params, notes=[*notes, f"the policy's scenario has {env.n_cells} "
                                                                           f"cells, this network "
                                                                           f"{ctx.network.n_cells}: nothing proposed"])
        model = PPO.load(str(path), device="cpu")
        obs = _observe(env, ctx)
        if model.observation_space.shape != obs.shape:
            return scorer.proposal(self.name, self.params, notes=[*notes, "the policy was trained on another "
                                                                           "observation shape: nothing proposed"])
        action, _ = model.predict(obs, deterministic=True)
        a = np.clip(np.asarray(action, dtype=np.float64).reshape(env.n_cells, -1), -1.0, 1.0)
        notes.append(f"PPO policy {path.name} ({meta.get('timesteps', '?')} timesteps)")
        try:
            for s in self.scales:
                scaled = a * s
                if env.allow_sleep:
                    scaled[:, -1] = a[:, -1]  # sleeping is a threshold, not a size: keep the decision
                raw = env._changes(scaled)
                cand = space.project(raw)
                if cand:
                    scorer.evaluate(cand)
        except SearchStopped as e:
            notes.append(f"stopped: {e.limit}")
        return scorer.proposal(self.name, self.params, notes=notes, info={"policy_file": str(path)})
