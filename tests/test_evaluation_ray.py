"""The Ray executor runs the same tiny grid as the process pool (2 arms × 2 intents × 1 seed, no LLM) on a local Ray
instance limited to 2 CPUs, and gives the same results: a sample is deterministic for its seed, wherever it runs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from airloop.evaluation import run_eval

ray = pytest.importorskip("ray", reason="ray is not installed (pip install 'airloop[ray]'; the dev extra has it)")

from test_evaluation import comparable, tiny_spec  # noqa: E402


def test_ray_gives_the_same_results_as_the_process_pool(tmp_path: Path) -> None:
    on_ray = run_eval(tiny_spec(tmp_path / "ray", executor="ray", workers=2), progress=None)
    assert not ray.is_initialized(), "the executor shuts down the local instance it started"
    pooled = run_eval(tiny_spec(tmp_path / "pool", executor="process", workers=2), progress=None)
    assert on_ray.computed == pooled.computed == 4
    assert all(r["status"] != "error" for r in on_ray.rows), [r["error"] for r in on_ray.rows]
    assert comparable(on_ray.rows) == comparable(pooled.rows)
    assert _same_but_time(on_ray.summary, pooled.summary)


def _same_but_time(a: dict[str, Any], b: dict[str, Any]) -> bool:
    drop = ("wall_s", "overhead_share")
    return all({k: v for k, v in a["arms"][n].items() if k not in drop}
               == {k: v for k, v in b["arms"][n].items() if k not in drop} for n in a["arms"])
