"""The Gymnasium environment `airloop/Network-v0`: both peers' env checkers, seeding, the action map, the reward,
bad input, and a short stable-baselines3 PPO run."""

from __future__ import annotations

import math
import warnings

import gymnasium
import numpy as np
import pytest
from airloop.agents.env import (
    CELL_FEATURES,
    ENV_ID,
    GLOBAL_FEATURES,
    NetworkEnv,
)
from airloop.agents.judge import assess
from airloop.core import Intent, reward_breakdown
from airloop.simulator import InvalidParameterError, UnknownScenarioError
from airloop.tools import Policy

POLICY = Policy.default()

SMALL = {"scenario": "rural-7", "n_ues": 63, "steps_per_action": 2, "episode_steps": 4}
STATIC = {"mobility": {"model": "static"}}


def small_env(**kw) -> NetworkEnv:
    return NetworkEnv(**{**SMALL, **kw})


def test_registered_on_import():
    import airloop.agents  # noqa: F401

    assert ENV_ID == "airloop/Network-v0"
    assert ENV_ID in gymnasium.registry
    env = gymnasium.make(ENV_ID, **SMALL)
    obs, info = env.reset(seed=0)
    assert env.observation_space.contains(obs)
    assert isinstance(env.unwrapped, NetworkEnv)
    env.close()


def test_gymnasium_env_checker_passes_without_warnings():
    from gymnasium.utils.env_checker import check_env

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        check_env(gymnasium.make(ENV_ID, render_mode="ansi", **SMALL).unwrapped)
        check_env(gymnasium.make(ENV_ID, allow_sleep=False, knobs=("tilt_deg",), **SMALL).unwrapped)
    assert [str(w.message) for w in caught] == []


def test_stable_baselines3_env_checker_passes_without_warnings():
    from stable_baselines3.common.env_checker import check_env

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        check_env(small_env(), warn=True)
        check_env(small_env(redraw="users", hour=[0, 3, 12]), warn=True)
    assert [str(w.message) for w in caught] == []


def test_spaces_shapes_and_names():
    env = small_env()
    n = env.n_cells
    assert n == 21
    assert env.action_space.shape == (n * 4,)  # tx power, tilt, CIO, sleep
    assert env.observation_space.shape == (n * len(CELL_FEATURES) + len(GLOBAL_FEATURES),)
    assert env.observation_space.dtype == np.float32 and env.action_space.dtype == np.float32
    assert len(env.describe_observation()) == env.observation_space.shape[0]
    assert env.describe_action()[:4] == ["cell0.tx_power_dbm", "cell0.tilt_deg", "cell0.cio_db", "cell0.sleep"]
    assert small_env(allow_sleep=False, knobs=("cio_db",)).action_space.shape == (n,)


def rollout(env: NetworkEnv, seed: int, n: int = 3) -> list:
    obs, info = env.reset(seed=seed)
    env.action_space.seed(seed)
    out = [obs.tobytes(), info["network_seed"]]
    for _ in range(n):
        obs, r, term, trunc, info = env.step(env.action_space.sample())
        out += [obs.tobytes(), r, term, trunc]
    return out


def test_same_seed_same_episode_and_every_random_number_from_np_random():
    assert rollout(small_env(), 11) == rollout(small_env(), 11)
    assert rollout(small_env(), 11) != rollout(small_env(), 12)
    # Unseeded resets continue the seeded np_random stream: reproducible, and a new network each episode.
    a, b = small_env(), small_env()
    seeds_a = [a.reset(seed=5)[1]["network_seed"], a.reset()[1]["network_seed"], a.reset()[1]["network_seed"]]
    seeds_b = [b.reset(seed=5)[1]["network_seed"], b.reset()[1]["network_seed"], b.reset()[1]["network_seed"]]
    assert seeds_a == seeds_b and len(set(seeds_a)) == 3
    # The constructor's seed seeds the first reset that gives none.
    assert small_env(seed=5).reset()[1]["network_seed"] == seeds_a[0]


def test_redraw_users_keeps_the_network_and_redraws_users():
    env = small_env(redraw="users", overrides=STATIC)
    env.reset(seed=3)
    first = env.network
    env.reset()
    second = env.network
    assert first is not None and second is not None
    assert first.env is second.env  # same sites, shadowing and LOS maps
    assert not np.array_equal(first.users.xy_m, second.users.xy_m)
    # An explicit seed rebuilds the network from that seed: reproducible.
    twin = small_env(redraw="users", overrides=STATIC)
    twin.reset(seed=3)
    assert np.array_equal(twin.network.users.xy_m, first.users.xy_m)


def test_zero_action_changes_nothing_and_scores_zero_on_a_static_network():
    env = small_env(overrides=STATIC)
    env.reset(seed=2)
    before = env.network.config
    obs, r, term, trunc, info = env.step(np.zeros(env.action_space.shape, np.float32))
    assert env.network.config == before
    assert info["changed_cells"] == 0
    assert r == pytest.approx(0.0, abs=1e-4)  # loads settled during the burn-in
    assert info["feasible"] and not term and not trunc


def test_action_mapping_steps_clips_and_rounds():
    env = small_env(allow_sleep=False)
    env.reset(seed=4)
    kn = env.network.knobs
    tx0, tilt0 = kn.tx_power_dbm.copy(), kn.tilt_deg.copy()
    a = np.zeros((env.n_cells, 3), np.float32)
    a[0] = [-1.0, 0.5, 1.0]
    a[1] = [1.0, -1.0, -0.25]
    env.step(a.reshape(-1))
    kn = env.network.knobs
    assert kn.tx_power_dbm[0] == pytest.approx(tx0[0] - POLICY.step_limit("tx_power_dbm"))
    assert kn.tilt_deg[0] == pytest.approx(tilt0[0] + 0.5 * POLICY.step_limit("tilt_deg"))
    assert kn.cio_db[0] == pytest.approx(6.0)
    assert kn.tx_power_dbm[1] == pytest.approx(46.0)  # clipped at the range's top
    assert kn.tilt_deg[1] == pytest.approx(0.0)  # 3 - 4 clipped at 0
    assert kn.cio_db[1] == pytest.approx(-1.5)
    assert np.array_equal(kn.tx_power_dbm[2:], tx0[2:])
    # Random actions never leave the policy-like ranges.
    env.action_space.seed(0)
    for _ in range(6):
        env.step(env.action_space.sample())
        kn = env.network.knobs
        assert np.all((kn.tx_power_dbm >= 30.0) & (kn.tx_power_dbm <= 46.0))
        assert np.all((kn.tilt_deg >= 0.0) & (kn.tilt_deg <= 15.0))
        assert np.all((kn.cio_db >= -6.0) & (kn.cio_db <= 6.0))
        assert np.allclose(kn.tilt_deg * 10, np.round(kn.tilt_deg * 10))


def test_sleep_keeps_the_minimum_of_active_cells_and_wakes_cells():
    env = small_env(knobs=(), policy=POLICY.model_copy(update={"min_active_share": 0.5}))
    env.reset(seed=1)
    n = env.n_cells
    a = np.full(n, -1.0, np.float32)
    a[3] = -0.9
    _, _, _, _, info = env.step(a)
    active = env.network.knobs.active
    assert active.sum() == math.ceil(0.5 * n)
    assert info["kpis"]["active_cells"] == pytest.approx(active.sum())
    env.step(np.zeros(n, np.float32))  # in the dead band: nothing changes
    assert env.network.knobs.active.sum() == math.ceil(0.5 * n)
    env.step(np.ones(n, np.float32))
    assert env.network.knobs.active.all()


def test_reward_follows_the_documented_formula():
    env = small_env(objective="throughput_mean_mbps", constraints=[("throughput_mean_mbps", ">=", 1000.0)],
                    overrides=STATIC)
    _, info0 = env.reset(seed=6)
    b = info0["baseline"]
    a = np.zeros(env.action_space.shape, np.float32)
    a[1::4] = 1.0  # tilt every cell down by 4 degrees
    _, r, _, _, info = env.step(a)
    x = info["objective"]
    v = (1000.0 - x) / 1000.0
    assert r == pytest.approx((x - b) / b - 10.0 * v - 1.0)
    assert not info["feasible"]
    # Minimising: lower is better, and energy drops when cells sleep.
    env = small_env(objective="energy_w", constraints=[], knobs=(), overrides=STATIC)
    env.reset(seed=6)
    _, r, _, _, info = env.step(np.full(env.n_cells, -1.0, np.float32))
    assert info["objective"] < info["baseline"]
    assert r == pytest.approx((info["baseline"] - info["objective"]) / info["baseline"]) and r > 0


def test_episode_truncates_after_episode_steps():
    env = small_env(episode_steps=3)
    obs, _ = env.reset(seed=0)
    assert obs[-1] == pytest.approx(1.0)  # share of the episode left
    flags = [env.step(np.zeros(env.action_space.shape, np.float32))[3] for _ in range(3)]
    assert flags == [False, False, True]


def test_hours_are_drawn_per_episode_from_the_given_list():
    env = small_env(hour=[0, 3])
    hours = {env.reset(seed=s)[1]["hour"] for s in range(8)}
    assert hours == {0, 3}


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"objective": "happiness"}, "objective"),
        ({"goal": "maximise"}, "goal"),
        ({"constraints": [{"kpi": "coverage", "op": "==", "value": 0.9}]}, "constraints.op"),
        ({"constraints": [{"kpi": "coverage", "op": ">=", "value": float("nan")}]}, "constraints.value"),
        ({"constraints": [("joules", ">=", 1)]}, "constraints.kpi"),
        ({"hour": 24}, "hour"),
        ({"hour": []}, "hour"),
        ({"n_ues": 0}, "n_ues"),
        ({"steps_per_action": 0}, "steps_per_action"),
        ({"burn_in_steps": -1}, "burn_in_steps"),
        ({"knobs": ("active",)}, "knobs"),
        ({"knobs": (), "allow_sleep": False}, "knobs"),
        ({"policy": "strict"}, "policy"),
        ({"constraints": [("coverage", ">=", 95)]}, "constraints.value"),
        ({"redraw": "everything"}, "redraw"),
        ({"render_mode": "human"}, "render_mode"),
    ],
)
def test_bad_arguments_name_the_field_and_the_allowed_values(kwargs, field):
    with pytest.raises(InvalidParameterError) as e:
        small_env(**kwargs)
    assert e.value.field == field
    assert e.value.allowed is not None


def test_unknown_scenario_and_bad_actions():
    with pytest.raises(UnknownScenarioError):
        NetworkEnv("downtown-mars")
    env = small_env()
    with pytest.raises(gymnasium.error.ResetNeeded):
        env.step(np.zeros(env.action_space.shape, np.float32))
    env.reset(seed=0)
    with pytest.raises(InvalidParameterError, match="84"):
        env.step(np.zeros(5, np.float32))
    with pytest.raises(InvalidParameterError, match="NaN"):
        env.step(np.full(env.action_space.shape, np.nan, np.float32))


@pytest.mark.slow
def test_ppo_trains_a_few_hundred_steps():
    torch = pytest.importorskip("torch")
    from stable_baselines3 import PPO

    torch.set_num_threads(1)
    env = NetworkEnv("rural-7", n_ues=105, steps_per_action=2, episode_steps=16, seed=0)
    model = PPO("MlpPolicy", env, n_steps=64, batch_size=32, n_epochs=2, seed=0, device="cpu", verbose=0)
    model.learn(total_timesteps=320)
    assert model.num_timesteps >= 320
    obs, _ = env.reset(seed=9)
    action, _ = model.predict(obs, deterministic=True)
    assert env.action_space.contains(action)
    _, reward, _, _, _ = env.step(action)
    assert math.isfinite(reward)


def test_ansi_render_shows_the_objective_and_the_reward():
    env = small_env(render_mode="ansi")
    assert env.render() is None  # nothing to show before reset
    env.reset(seed=0)
    env.step(np.zeros(env.action_space.shape, np.float32))
    text = env.render()
    assert text.startswith("t=1/4 rural-7") and "energy_w=" in text and "coverage=" in text and "reward=" in text


def test_reward_is_the_judges_reward():
    """One judge: the environment's reward is `judge.assess` on the same KPIs, which is the core reward."""
    intent = Intent.model_validate({"objective": {"kpi": "energy_w", "goal": "minimize"},
                                    "constraints": [{"kpi": "coverage", "op": ">=", "value": 0.97},
                                                    {"kpi": "latency_ms", "op": "<=", "value": 50.0,
                                                     "slice": "urllc"}]})
    env = small_env(intent=intent, overrides=STATIC)
    env.reset(seed=8)
    env.action_space.seed(8)
    for _ in range(3):
        _, r, _, _, info = env.step(env.action_space.sample())
        rep = env.network.kpis()
        assert r == assess(intent, env.baseline, rep).reward
        assert r == reward_breakdown(intent, env.baseline, rep).total
        assert info["feasible"] == assess(intent, env.baseline, rep).feasible


def test_actions_are_projected_onto_the_policy():
    """The action map goes through `Policy.project`: protected cells never sleep, and no decision touches more cells
    than the policy's max_cells_per_apply."""
    policy = POLICY.model_copy(update={"protected_cells": [0, 1], "max_cells_per_apply": 5})
    env = small_env(policy=policy, overrides=STATIC)
    env.reset(seed=4)
    env.action_space.seed(4)
    for _ in range(4):
        before = env.network.config
        _, _, _, _, info = env.step(env.action_space.sample())
        after = env.network.config
        assert info["changed_cells"] <= 5
        assert sum(a != b for a, b in zip(before.cells, after.cells, strict=True)) <= 5
        assert after.cell(0).active and after.cell(1).active
