"""`benchmarks/simulator.py` keeps working: it runs and prints its table and JSON line. No timing is asserted
(speed goals live in the benchmark's output, never in tests)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from bench_modules import load_benchmark

BENCH = Path(__file__).resolve().parent.parent / "benchmarks" / "simulator.py"


def _load():
    return load_benchmark("simulator")


def test_mobile_env_is_skipped_with_a_clear_message_when_absent(monkeypatch):
    mod = _load()
    monkeypatch.setenv("MOBILE_ENV_PYTHON", "/nonexistent/python")
    res = mod.run_mobile_env(steps=1)
    assert "skipped" in res and "pip install mobile-env" in res["skipped"]


def test_fit_recovers_a_known_cost_model():
    mod = _load()
    pts = [{"users": u, "cells": c, "median_step_ms": 0.5 + 1e-3 * u + 2e-5 * u * c}
           for u, c in ((100, 57), (1000, 57), (10000, 57), (1000, 21), (10000, 21))]
    fit = mod.linear_fit(pts)["two_term"]
    assert fit["intercept_ms"] == pytest.approx(0.5)
    assert fit["ns_per_user"] == pytest.approx(1000.0)
    assert fit["ns_per_user_cell"] == pytest.approx(20.0)
    assert fit["r2"] == pytest.approx(1.0)


@pytest.mark.slow
def test_quick_run_prints_a_table_and_a_json_line():
    env = {**os.environ, "MOBILE_ENV_PYTHON": "/nonexistent/python"}
    proc = subprocess.run([sys.executable, str(BENCH), "--quick"], capture_output=True, text=True, timeout=600,
                          env=env, check=False)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.strip().splitlines()
    assert "median ms" in proc.stdout and "mobile-env: skipped" in proc.stdout
    out = json.loads(lines[-1])
    assert [p["users"] for p in out["step"]] == [100, 1000, 10000]
    assert all(p["cells"] == 57 for p in out["step"])
    assert out["what_if"]["steps"] == 10 and out["what_if"]["median_ms"] > 0
    assert out["ratio_vs_mobile_env_per_user_step"] is None


def _load_ab():
    return load_benchmark("simulator_ab")


def test_ab_detects_a_kpi_difference_and_passes_identical_code() -> None:
    """`simulator_ab.compare` says bit-identical for the same code and catches a simulator whose KPIs differ."""
    from airloop.simulator import Network

    ab = _load_ab()

    class Louder(Network):  # the same network with one cell's power 1 dB down: other KPIs
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            self.apply([{"cell": 0, "tx_power_dbm": float(self.knobs.tx_power_dbm[0]) - 1.0}])

    same = ab.compare(Network, Network, 100, reps=1, steps=2)
    assert same["kpis_identical"] is True and same["rev_ms"] > 0 and same["tree_ms"] > 0
    assert ab.compare(Network, Louder, 100, reps=1, steps=2)["kpis_identical"] is False
