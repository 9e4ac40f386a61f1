"""Simulator speed: step time vs users and cells, mobile-env side by side, and what-if latency.

    /work/venv/bin/python benchmarks/simulator.py            # full run (~2-4 min on 2 cores)
    /work/venv/bin/python benchmarks/simulator.py --quick    # fewer repetitions

Prints a table, then one JSON line (the last line of the output) with every figure. Measured:

- median wall time of one step *including* `Network.kpis()` (the KPI report is computed every step) on
  `urban-macro-19` (57 cells, UMa, wrap-around) with full-buffer traffic, no diurnal profile and the scenario's
  default mobility (random waypoint, 20 % of users outdoors and moving), wideband, at 100 / 1000 / 10000 users;
  goals (issue 2): 1000 users <= 2 ms, 10000 users <= 20 ms;
- the same at 21 cells (7 sites) to see whether the cost is linear in users x cells (a least-squares fit
  t = a + b * users * cells over all points);
- mobile-env's `mobile-large-central-v0` (30 users, 13 base stations, no interference model) in user-steps per
  second, run in the same benchmark through a separate interpreter (mobile-env pins its own dependencies): the
  interpreter is $MOBILE_ENV_PYTHON or /work/venv-mobileenv/bin/python; set one up with
  ``python3 -m venv /work/venv-mobileenv && /work/venv-mobileenv/bin/pip install mobile-env``. Skipped, with a
  message, when absent. Goal: airloop >= 500x mobile-env per user-step;
- `Network.what_if([{"cell": 0, "tx_power_dbm": 40}], steps=10)` on `urban-macro-19` as built (1140 users,
  finite traffic, diurnal): median over several runs, cold (new network state each run) and warm (another change
  on the same state: the unchanged run is cached); goal <= 50 ms, judged on the cold figure.

Wall times depend on what else the machine runs: the load average at the start is reported with the figures, and
the step table has the median process CPU time per step beside the wall-clock median (on a busy machine the wall
time exceeds the CPU time; on an idle one they agree, unless BLAS threads add CPU time).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import time
from pathlib import Path
from typing import Any

import numpy as np
from airloop.simulator import Network

GOALS = {"step_ms_1000": 2.0, "step_ms_10000": 20.0, "ratio_vs_mobile_env": 500.0, "what_if_ms": 50.0}
DEFAULT_MOBILE_ENV_PYTHON = "/work/venv-mobileenv/bin/python"

_MOBILE_ENV_SCRIPT = r"""
import json, sys, time
from importlib.metadata import version
import gymnasium
import mobile_env  # noqa: F401  (registers the mobile-* environments)

steps, warmup = int(sys.argv[1]), int(sys.argv[2])
env = gymnasium.make("mobile-large-central-v0")
env.reset(seed=0)
env.action_space.seed(0)
u = env.unwrapped
n_users, n_bs = len(u.users), len(u.stations)
times, cpu = [], []
for i in range(warmup + steps):
    a = env.action_space.sample()
    c0, t0 = time.process_time(), time.perf_counter()
    _, _, term, trunc, _ = env.step(a)
    dt, dc = time.perf_counter() - t0, time.process_time() - c0
    if i >= warmup:
        times.append(dt)
        cpu.append(dc)
    if term or trunc:
        env.reset()
times.sort()
cpu.sort()
median = times[len(times) // 2]
print(json.dumps({"env": "mobile-large-central-v0", "version": version("mobile-env"),
                  "users": n_users, "base_stations": n_bs, "steps": steps, "median_step_ms": median * 1e3,
                  "mean_step_ms": sum(times) / len(times) * 1e3, "median_cpu_ms": cpu[len(cpu) // 2] * 1e3,
                  "user_steps_per_s": n_users / median}))
"""


def time_steps(n_ues: int, *, n_sites: int = 19, steps: int, warmup: int = 5, seed: int = 0) -> dict[str, Any]:
    """Median time of `net.step(); net.kpis()` on urban-macro-19 (full buffer, flat profile, default mobility)."""
    net = Network.from_scenario("urban-macro-19", seed=seed, n_ues=n_ues, traffic="full_buffer", diurnal=False,
                                n_sites=n_sites)
    for _ in range(warmup):
        net.step()
        net.kpis()
    times, cpu = [], []
    for _ in range(steps):
        c0, t0 = time.process_time(), time.perf_counter()
        net.step()
        net.kpis()
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    median_s = statistics.median(times)
    return {
        "users": n_ues, "cells": net.n_cells, "steps": steps, "median_step_ms": median_s * 1e3,
        "p90_step_ms": float(np.percentile(times, 90)) * 1e3, "median_cpu_ms": statistics.median(cpu) * 1e3,
        "user_steps_per_s": n_ues / median_s,
        "ns_per_user_cell": median_s * 1e9 / (n_ues * net.n_cells),
    }


def time_what_if(runs: int) -> dict[str, Any]:
    """`what_if` of one change over 10 steps. `Network` caches the unchanged ("before") run per network state, so
    two figures: *cold* = the first what-if after the state changed (one `net.step()` before each run: both the
    before and the after runs are simulated), *warm* = another candidate change on the same state (only the after
    run is simulated), which is what an optimizer scoring many candidates sees."""
    net = Network.from_scenario("urban-macro-19", seed=0)
    change = [{"cell": 0, "tx_power_dbm": 40}]
    net.what_if(change, steps=10)
    cold, cold_cpu, warm = [], [], []
    for i in range(runs):
        net.step()  # a new state: the cache is invalid
        c0, t0 = time.process_time(), time.perf_counter()
        net.what_if(change, steps=10)
        cold.append(time.perf_counter() - t0)
        cold_cpu.append(time.process_time() - c0)
        t0 = time.perf_counter()
        net.what_if([{"cell": 1 + i % (net.n_cells - 1), "tx_power_dbm": 40}], steps=10)
        warm.append(time.perf_counter() - t0)
    return {"scenario": "urban-macro-19", "users": net.n_ues, "cells": net.n_cells, "steps": 10, "runs": runs,
            "median_ms": statistics.median(cold) * 1e3, "min_ms": min(cold) * 1e3,
            "median_cpu_ms": statistics.median(cold_cpu) * 1e3,
            "warm_median_ms": statistics.median(warm) * 1e3}


def run_mobile_env(steps: int, warmup: int = 20) -> dict[str, Any]:
    """Time mobile-env in its own interpreter; {"skipped": reason} when it is not installed."""
    py = os.environ.get("MOBILE_ENV_PYTHON", DEFAULT_MOBILE_ENV_PYTHON)
    if not Path(py).exists():
        return {"skipped": f"no interpreter at {py}: create it with `python3 -m venv /work/venv-mobileenv && "
                           "/work/venv-mobileenv/bin/pip install mobile-env`, or point MOBILE_ENV_PYTHON at one"}
    try:
        proc = subprocess.run([py, "-c", _MOBILE_ENV_SCRIPT, str(steps), str(warmup)], capture_output=True,
                              text=True, timeout=900, check=False)
    except subprocess.TimeoutExpired:
        return {"skipped": f"mobile-env did not finish {steps} steps in 900 s"}
    if proc.returncode != 0:
        tail = (proc.stderr.strip().splitlines() or ["?"])[-1]
        return {"skipped": f"mobile-env failed with {py}: {tail} (is mobile-env installed there?)"}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def linear_fit(points: list[dict[str, Any]], key: str = "median_step_ms") -> dict[str, Any]:
    """Least-squares cost models over all measured sizes (U users, C cells), R² for each:

    - t = a + b * U * C (cost linear in users x cells);
    - t = a + b_u * U + b_uc * U * C (a per-user part that does not grow with cells, e.g. mobility, per-site
      channel work, scheduling and KPIs, plus a per-user-per-cell part).
    """
    u = np.array([p["users"] for p in points], dtype=float)
    uc = np.array([p["users"] * p["cells"] for p in points], dtype=float)
    y = np.array([p[key] for p in points])

    def r2(pred: np.ndarray) -> float:
        return 1.0 - float(((y - pred) ** 2).sum() / ((y - y.mean()) ** 2).sum())

    x1 = np.c_[np.ones_like(u), uc]
    c1 = np.linalg.lstsq(x1, y, rcond=None)[0]
    x2 = np.c_[np.ones_like(u), u, uc]
    c2 = np.linalg.lstsq(x2, y, rcond=None)[0]
    return {"intercept_ms": float(c1[0]), "ns_per_user_cell": float(c1[1] * 1e6), "r2": r2(x1 @ c1),
            "two_term": {"intercept_ms": float(c2[0]), "ns_per_user": float(c2[1] * 1e6),
                         "ns_per_user_cell": float(c2[2] * 1e6), "r2": r2(x2 @ c2)}}


def main(argv: list[str] | None = None) -> dict[str, Any]:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="fewer repetitions (noisier figures)")
    ap.add_argument("--no-mobile-env", action="store_true", help="skip the mobile-env comparison")
    args = ap.parse_args(argv)
    reps = {100: 300, 1000: 200, 10000: 40} if not args.quick else {100: 60, 1000: 40, 10000: 10}
    load_before = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")

    scaling = [time_steps(n, steps=reps[n]) for n in (100, 1000, 10000)]
    scaling_21 = [time_steps(n, n_sites=7, steps=reps[n]) for n in (1000, 10000)]
    what_if = time_what_if(runs=9 if not args.quick else 3)
    mobile = {"skipped": "--no-mobile-env"} if args.no_mobile_env else run_mobile_env(
        steps=300 if not args.quick else 60)

    by_users = {p["users"]: p for p in scaling}
    ratios = ratios_cpu = None
    if "user_steps_per_s" in mobile:
        ratios = {str(n): p["user_steps_per_s"] / mobile["user_steps_per_s"] for n, p in by_users.items()}
        me_cpu_per_user_step = mobile["median_cpu_ms"] / mobile["users"]
        ratios_cpu = {str(n): me_cpu_per_user_step / (p["median_cpu_ms"] / n) for n, p in by_users.items()}
    fit = linear_fit(scaling + scaling_21)
    fit_cpu = linear_fit(scaling + scaling_21, key="median_cpu_ms")
    result = {
        "benchmark": "airloop.simulator",
        "machine": {"python": platform.python_version(), "numpy": np.__version__, "cpus": os.cpu_count(),
                    "load_avg_1min_at_start": load_before},
        "step": scaling, "step_21_cells": scaling_21, "linear_fit": fit, "linear_fit_cpu": fit_cpu, "what_if": what_if, "mobile_env": mobile,
        # airloop user-steps/s at 57 cells and 100 / 1000 / 10000 users over mobile-env's user-steps/s
        "ratio_vs_mobile_env_per_user_step": ratios,
        # the same ratio on CPU time per user-step (less sensitive to other load on the machine)
        "ratio_vs_mobile_env_per_user_step_cpu": ratios_cpu,
        "goals": GOALS,
        "met": {
            "step_ms_1000": by_users[1000]["median_step_ms"] <= GOALS["step_ms_1000"],
            "step_ms_10000": by_users[10000]["median_step_ms"] <= GOALS["step_ms_10000"],
            "ratio_vs_mobile_env": None if ratios is None else {
                n: q >= GOALS["ratio_vs_mobile_env"] for n, q in ratios.items()},
            "what_if_ms": what_if["median_ms"] <= GOALS["what_if_ms"],
        },
    }
    _print_table(result)
    print(json.dumps(result))
    return result


def _print_table(r: dict[str, Any]) -> None:
    print(f"airloop simulator benchmark  (python {r['machine']['python']}, numpy {r['machine']['numpy']}, "
          f"{r['machine']['cpus']} cpus, load average {r['machine']['load_avg_1min_at_start']:.2f} at start)")
    print("step = Network.step() + Network.kpis(); urban-macro-19, full buffer, flat profile, default mobility")
    print(f"{'cells':>5} {'users':>6} {'median ms':>10} {'p90 ms':>8} {'CPU ms':>7} {'user-steps/s':>13} "
          f"{'ns/user/cell':>13}  goal (on the wall-clock median)")
    goals = {1000: GOALS["step_ms_1000"], 10000: GOALS["step_ms_10000"]}
    for p in r["step"] + r["step_21_cells"]:
        g = goals.get(p["users"]) if p["cells"] == 57 else None
        mark = "" if g is None else f"<= {g:g} ms: {'met' if p['median_step_ms'] <= g else 'MISSED'}"
        print(f"{p['cells']:>5} {p['users']:>6} {p['median_step_ms']:>10.3f} {p['p90_step_ms']:>8.3f} "
              f"{p['median_cpu_ms']:>7.3f} {p['user_steps_per_s']:>13,.0f} {p['ns_per_user_cell']:>13.2f}  {mark}")
    for what, f in (("wall", r["linear_fit"]), ("CPU ", r["linear_fit_cpu"])):
        t2 = f["two_term"]
        print(f"fit ({what}): t = {f['intercept_ms']:.3f} ms + {f['ns_per_user_cell']:.2f} ns x users x cells "
              f"(R² {f['r2']:.4f});  t = {t2['intercept_ms']:.3f} ms + {t2['ns_per_user']:.0f} ns x users + "
              f"{t2['ns_per_user_cell']:.2f} ns x users x cells (R² {t2['r2']:.4f})")
    m = r["mobile_env"]
    if "skipped" in m:
        print(f"mobile-env: skipped ({m['skipped']})")
    else:
        print(f"mobile-env {m['version']} {m['env']}: {m['users']} users, {m['base_stations']} BS, "
              f"{m['median_step_ms']:.2f} ms/step ({m['median_cpu_ms']:.2f} ms CPU) = {m['user_steps_per_s']:,.0f} "
              "user-steps/s (no interference)")
        for n, q in r["ratio_vs_mobile_env_per_user_step"].items():
            qc = r["ratio_vs_mobile_env_per_user_step_cpu"][n]
            print(f"airloop (57 cells, {int(n):>5} users) / mobile-env, per user-step: {q:>7,.0f}x wall, "
                  f"{qc:>7,.0f}x CPU  "
                  f"(goal >= {GOALS['ratio_vs_mobile_env']:g}x: {'met' if q >= GOALS['ratio_vs_mobile_env'] else 'MISSED'})")
    w = r["what_if"]
    print(f"what-if (1 change, 10 steps, {w['users']} users, {w['cells']} cells): cold median {w['median_ms']:.1f} ms "
          f"({w['median_cpu_ms']:.1f} ms CPU) over {w['runs']} runs (min {w['min_ms']:.1f} ms)  (goal <= {GOALS['what_if_ms']:g} ms: "
          f"{'met' if r['met']['what_if_ms'] else 'MISSED'}); warm (another change, same state) median "
          f"{w['warm_median_ms']:.1f} ms")


if __name__ == "__main__":
    main()
