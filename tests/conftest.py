"""Shared fixtures: networks and sessions built once per test session, handed out as independent copies.

Building a network (sites, shadowing and LOS maps, users) is the slow part of most tests; a deep copy of a built one
is cheap and bit-identical, so tests that mutate their network never disturb each other.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest
from airloop.simulator import Network
from airloop.tools import NetworkSession, Policy

_BUILT: dict[tuple[Any, ...], Network] = {}


def shared_network_copy(scenario: str = "rural-7", *, seed: int = 0, n_ues: int | None = None,
                        **overrides: Any) -> Network:
    """A copy of the network `Network.from_scenario(scenario, seed=..., n_ues=..., **overrides)`, built once."""
    key = (scenario, seed, n_ues, repr(sorted(overrides.items())))
    if key not in _BUILT:
        _BUILT[key] = Network.from_scenario(scenario, seed=seed, n_ues=n_ues, **overrides)
    return copy.deepcopy(_BUILT[key])


@pytest.fixture(scope="session")
def shared_network() -> Callable[..., Network]:
    return shared_network_copy


@pytest.fixture(scope="session")
def shared_session() -> Callable[..., NetworkSession]:
    """A fresh in-memory `NetworkSession` (default policy) over a copy of a network built once."""

    def make(scenario: str = "rural-7", *, seed: int = 0, n_ues: int | None = None, policy: Policy | None = None,
             **overrides: Any) -> NetworkSession:
        return NetworkSession(shared_network_copy(scenario, seed=seed, n_ues=n_ues, **overrides), policy)

    return make
