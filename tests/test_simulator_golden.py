"""Same seed, bit-identical KPIs across refactors of the simulator's step (issue 11, item 5).

`tests/data/simulator_golden.json` holds KPIs recorded before the per-step fixed cost was cut: stepped networks
(network, per slice, per cell) and what-ifs, on several scenarios, seeds, traffic models and hours. The test
replays them and asserts exact float equality for every recorded field. Fields added to the KPI vocabulary later
are not in the file and are not compared; a deliberate change to a KPI model re-records the file:

    python tests/test_simulator_golden.py --record

Bit-identity is a property of the code *on one numeric kernel set*: numpy picks AVX-512 loops (and OpenBLAS its
kernels) by the CPU it runs on, and those round differently in the last bit than the AVX2 ones (measured: 629 of the
recorded values moved by 1 ulp on an AVX-512 host, with no code change). So recording and replay both run in a
subprocess with the kernels pinned to AVX2 (`pinned_env`: numpy's AVX-512 dispatch off, OpenBLAS's Haswell kernels),
which every x86-64 host with AVX2 has: the comparison sees code changes, not the host.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from airloop.simulator import Network

GOLDEN = Path(__file__).parent / "data" / "simulator_golden.json"

#: (name, scenario, seed, n_ues, overrides, steps, hour, changes applied before stepping)
STEPPED: list[tuple[str, str, int, int | None, dict[str, Any], int, int | None, list[dict[str, Any]]]] = [
    ("uma19-s0-fullbuffer", "urban-macro-19", 0, 1000, {"traffic": "full_buffer", "diurnal": False}, 12, None, []),
    ("uma19-s3-finite-h19", "urban-macro-19", 3, 600, {}, 8, 19, []),
    ("uma19-s5-changes", "urban-macro-19", 5, 500, {}, 10, 9,
     [{"cell": 0, "tilt_deg": 9.0}, {"cell": 4, "active": False}, {"cell": 7, "tx_power_dbm": 40.0, "cio_db": 3.0},
      {"cell": 11, "slice_shares": {"embb": 0.5, "urllc": 0.3, "mmtc": 0.2}}]),
    ("hetnet-s1", "dense-urban-hetnet", 1, 400, {}, 6, 18, []),
    ("rural-s2-rr-cqi", "rural-7", 2, 300, {"scheduler": "rr", "rate_model": "cqi"}, 6, 12, []),
    ("stadium-s4", "stadium-hotspot", 4, 400, {}, 5, 20, []),
]

#: (name, scenario, seed, n_ues, changes, steps, hours, seeds)
WHAT_IFS: list[tuple[str, str, int, int | None, list[dict[str, Any]], int, list[int] | None, list[int]]] = [
    ("uma19-sleep", "urban-macro-19", 0, 500, [{"cell": c, "active": False} for c in (3, 9, 15)], 5, [2, 20],
     [0, 1001]),
    ("uma19-tilt-power", "urban-macro-19", 7, 400, [{"cell": 2, "tilt_deg": 12.0, "tx_power_dbm": 43.0}], 4, None,
     [0, 1, 7001]),
    ("hetnet-cio", "dense-urban-hetnet", 0, 300, [{"cell": 1, "cio_db": -4.0}], 3, [10], [1002]),
]


def _kpis(k: Any) -> dict[str, float]:
    return {f: float(getattr(k, f)) for f in type(k).model_fields}


def _report(rep: Any) -> dict[str, Any]:
    return {"network": _kpis(rep.network), "per_slice": {s: _kpis(v) for s, v in rep.per_slice.items()},
            "per_cell": [{f: float(getattr(c, f)) for f in type(c).model_fields} for c in rep.per_cell]}


def compute() -> dict[str, Any]:
    out: dict[str, Any] = {"stepped": {}, "what_if": {}}
    for name, scen, seed, n_ues, over, steps, hour, changes in STEPPED:
        net = Network.from_scenario(scen, seed=seed, n_ues=n_ues, **over)
        if hour is not None:
            net.set_hour(hour)
        if changes:
            net.apply(changes)
        net.step(steps // 2)
        first = _report(net.kpis())
        net.step(steps - steps // 2)
        out["stepped"][name] = {"half": first, "end": _report(net.kpis())}
    for name, scen, seed, n_ues, changes, steps, hours, seeds in WHAT_IFS:
        net = Network.from_scenario(scen, seed=seed, n_ues=n_ues)
        net.step(2)
        r = net.what_if(changes, steps=steps, hours=hours, seeds=seeds)
        out["what_if"][name] = {
            "before": _kpis(r.kpis_before), "after": _kpis(r.kpis_after),
            "after_by_hour": {str(h): _kpis(v) for h, v in r.after_by_hour.items()},
            "slices_after": {s: _kpis(v) for s, v in r.per_slice_after.items()}}
    return out


def _compare(expected: Any, actual: Any, path: str, diffs: list[str]) -> None:
    if isinstance(expected, dict):
        for k, v in expected.items():
            if k not in actual:
                diffs.append(f"{path}.{k}: missing")
            else:
                _compare(v, actual[k], f"{path}.{k}", diffs)
    elif isinstance(expected, list):
        if len(expected) != len(actual):
            diffs.append(f"{path}: length {len(actual)} != {len(expected)}")
        for i, (e, a) in enumerate(zip(expected, actual, strict=False)):
            _compare(e, a, f"{path}[{i}]", diffs)
    elif expected != actual:
        diffs.append(f"{path}: {actual!r} != golden {expected!r}")


def pinned_env() -> dict[str, str]:
    """The environment of the recording/replaying subprocess: numpy's AVX-512 loops disabled (only those this CPU has:
    numpy refuses to disable a feature it cannot see) and OpenBLAS's Haswell (AVX2) kernels. Unchanged elsewhere."""
    from numpy._core._multiarray_umath import __cpu_features__ as features

    env = dict(os.environ)
    if platform.machine().lower() in ("x86_64", "amd64") and features.get("AVX2"):
        env["NPY_DISABLE_CPU_FEATURES"] = " ".join(
            k for k, on in features.items() if on and k.startswith(("AVX512", "X86_V4")))
        env["OPENBLAS_CORETYPE"] = "Haswell"
    return env


def compute_pinned() -> dict[str, Any]:
    res = subprocess.run([sys.executable, __file__, "--print"], env=pinned_env(), capture_output=True, text=True,
                         timeout=600)
    assert res.returncode == 0, res.stderr[-3000:]
    return json.loads(res.stdout)


@pytest.fixture(scope="module")
def actual() -> dict[str, Any]:
    return compute_pinned()


@pytest.mark.parametrize("kind", ["stepped", "what_if"])
def test_kpis_are_bit_identical_to_the_golden_record(actual: dict[str, Any], kind: str) -> None:
    golden = json.loads(GOLDEN.read_text())
    diffs: list[str] = []
    _compare(golden[kind], actual[kind], kind, diffs)
    assert not diffs, f"{len(diffs)} KPI values differ from {GOLDEN.name}, e.g.\n" + "\n".join(diffs[:15])


if __name__ == "__main__":
    if "--print" in sys.argv:  # the pinned subprocess of `compute_pinned`
        print(json.dumps(compute()))
    elif "--record" in sys.argv:
        GOLDEN.write_text(json.dumps(compute_pinned(), indent=0, sort_keys=True) + "\n")
        print(f"recorded {GOLDEN}")
