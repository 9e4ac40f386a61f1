"""A/B of the simulator's step against another git revision, in one process, interleaved (a noisy shared machine
slows both sides alike), with the KPIs compared for bit-identity.

    python benchmarks/simulator_ab.py HEAD~1                 # 1,000 users
    python benchmarks/simulator_ab.py HEAD~1 --users 100,1000,10000 --reps 40

The revision's `simulator/` folder is extracted (git archive) into a temporary package `simulator_at_rev`; its
absolute imports (`airloop.core`) resolve to the working tree's, so only the simulator is compared. Prints a table,
then one JSON line. Exit status 1 if any KPI differs.
"""

from __future__ import annotations

import argparse
import importlib
import io
import json
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def load_revision(rev: str, into: Path) -> type:
    """The `Network` class of `simulator/` at git revision `rev`, imported as the package `simulator_at_rev`."""
    blob = subprocess.run(["git", "-C", str(REPO), "archive", rev, "simulator"], check=True,
                          capture_output=True).stdout
    with tarfile.open(fileobj=io.BytesIO(blob)) as tar:
        tar.extractall(into, filter="data")
    (into / "simulator").rename(into / "simulator_at_rev")
    sys.path.insert(0, str(into))
    return importlib.import_module("simulator_at_rev").Network


def compare(old_cls: type, new_cls: type, n_ues: int, reps: int, steps: int = 10) -> dict[str, float | bool | int]:
    nets = {side: cls.from_scenario("urban-macro-19", seed=0, n_ues=n_ues, traffic="full_buffer", diurnal=False)
            for side, cls in (("rev", old_cls), ("tree", new_cls))}
    for net in nets.values():
        for _ in range(5):
            net.step()
            net.kpis()
    times: dict[str, list[float]] = {side: [] for side in nets}
    for _ in range(reps):
        for side, net in nets.items():
            t = time.perf_counter()
            for _ in range(steps):
                net.step()
                net.kpis()
            times[side].append((time.perf_counter() - t) / steps)
    a, b = nets["rev"].kpis(), nets["tree"].kpis()
    same = (a.network.model_dump() == b.network.model_dump()
            and {k: v.model_dump() for k, v in a.per_slice.items()} == {k: v.model_dump() for k, v in b.per_slice.items()})
    rev_ms, tree_ms = statistics.median(times["rev"]) * 1e3, statistics.median(times["tree"]) * 1e3
    return {"users": n_ues, "rev_ms": rev_ms, "tree_ms": tree_ms, "speedup": rev_ms / tree_ms, "kpis_identical": same}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("rev", help="the git revision to compare against (e.g. HEAD~1)")
    ap.add_argument("--users", default="1000", help="comma-separated user counts (57 cells)")
    ap.add_argument("--reps", type=int, default=40, help="interleaved repetitions of 10 steps per side")
    args = ap.parse_args(argv)
    from airloop.simulator import Network

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        old_cls = load_revision(args.rev, Path(tmp))
        print(f"simulator step + kpis(), urban-macro-19, full buffer: {args.rev} against the working tree")
        print(f"{'users':>6} {args.rev + ' ms':>14} {'tree ms':>10} {'speed-up':>9}  KPIs")
        for n in (int(x) for x in args.users.split(",")):
            r = compare(old_cls, Network, n, args.reps)
            rows.append(r)
            print(f"{n:>6} {r['rev_ms']:>14.3f} {r['tree_ms']:>10.3f} {r['speedup']:>8.3f}x  "
                  f"{'bit-identical' if r['kpis_identical'] else 'DIFFERENT'}")
    print(json.dumps({"benchmark": "simulator_ab", "rev": args.rev, "rows": rows}))
    return 0 if all(r["kpis_identical"] for r in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
