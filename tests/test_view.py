"""Strategies get a read-only `NetworkView`: they read and simulate through the typed tools; only the graph's apply
step writes. Enforced by the type (no mutating method, no session handed out) and by `call_tool`."""

from __future__ import annotations

import pytest
from airloop.agents.strategies import OptimizeContext
from airloop.tools import READ_ONLY_TOOLS, TOOLS, NetworkView


@pytest.fixture
def session(shared_session):
    return shared_session("rural-7", seed=2, n_ues=60)


def test_the_view_has_no_way_to_write(session):
    view = NetworkView(session)
    for name in ("apply", "rollback", "rollback_to", "session", "network", "_session"):
        assert not hasattr(view, name), name
    with pytest.raises(AttributeError):
        view.extra = 1  # __slots__: nothing can be attached to smuggle a session in
    assert "network" in OptimizeContext.__dataclass_fields__ and "session" not in OptimizeContext.__dataclass_fields__


def test_call_tool_runs_the_read_only_tools_and_refuses_the_others(session):
    view = NetworkView(session)
    assert set(READ_ONLY_TOOLS) == {n for n, t in TOOLS.items() if t.read_only}
    assert {"apply_changes", "rollback"}.isdisjoint(READ_ONLY_TOOLS)
    cells = view.call_tool("list_cells", {"limit": 3})
    assert len(cells["cells"]) == 3
    before = (session.version, session.network.config)
    for name, args in (("apply_changes", {"changes": [{"cell": 0, "cio_db": 1.0}], "reason": "sneak"}),
                       ("rollback", {"change_id": 1})):
        out = view.call_tool(name, args)
        assert out["error"]["code"] == "not_allowed" and "apply_changes" not in out["error"]["allowed"]
    assert (session.version, session.network.config) == before
    sim = view.call_tool("simulate_changes", {"changes": [{"cell": 0, "cio_db": 1.0}]})
    assert "error" not in sim and (session.version, session.network.config) == before
