"""How many user drops (what-if seeds) a KPI needs before a change of a given size can be told from drop-to-drop noise.

The figures are measured by `benchmarks/kpi_spread.py` and shipped as package data (`kpi_spread.json`, next to this
module): for every scenario measured, KPI, slice ("all" = network-wide) and hour of day, the mean over the drops,
the seed-to-seed standard deviation of the KPI (`sd_seed`) and of its paired change under a reference change
(`sd_paired`: the same drops before and after), and the hour-to-hour standard deviation (`sd_hour`). docs/kpis.md
shows the table and the method.

The number of seeds is the one-sided test's (a verifier asks a directional question: does the objective gain, does
the KPI stay on the right side of its bound), at significance α and power 1 − β, with the t-test correction of
Guenther (1981):

    n = ((z_{1−α} + z_{1−β}) · σ / δ)² + z_{1−α}² / 2,   δ = rel_change · max(|mean|, KPI_SCALE_FLOOR[kpi])

σ is `sd_paired` for a gain judged on the same drops before and after (``paired=True``), `sd_seed` for a KPI held
against a fixed bound (``paired=False``: a one-sample question). δ is relative to the KPI's mean, floored by the
vocabulary's smallest magnitude that counts, as the reward normalizes. The answer is the worst over the hours and
scenarios asked for; a KPI that does not move between drops needs 1.
"""

from __future__ import annotations

import json
import math
from functools import cache
from importlib.resources import files
from statistics import NormalDist
from typing import Any

from airloop.core import KPI_NAMES, KPI_SCALE_FLOOR, SLICES

__all__ = ["SPREAD_FILE", "kpi_spread", "recommended_seeds", "seeds_needed"]

SPREAD_FILE = "kpi_spread.json"


def seeds_needed(sigma: float, delta: float, *, alpha: float = 0.05, power: float = 0.8) -> int:
    """Drops needed for a one-sided test at level `alpha` and `power` to detect a shift `delta` of a quantity whose
    drop-to-drop standard deviation is `sigma` (normal approximation plus Guenther's t correction); 1 if σ = 0."""
    if not (0.0 < alpha < 0.5 and 0.5 < power < 1.0):
        raise ValueError(f"alpha={alpha!r} must be in (0, 0.5) and power={power!r} in (0.5, 1)")
    if not (math.isfinite(sigma) and sigma >= 0.0 and math.isfinite(delta) and delta > 0.0):
        raise ValueError(f"sigma={sigma!r} must be finite and >= 0, delta={delta!r} finite and > 0")
    if sigma == 0.0:
        return 1
    z_a = NormalDist().inv_cdf(1.0 - alpha)
    z_b = NormalDist().inv_cdf(power)
    return max(1, math.ceil(((z_a + z_b) * sigma / delta) ** 2 + z_a**2 / 2.0))


@cache
def _data() -> dict[str, Any]:
    return json.loads(files("airloop.agents").joinpath(SPREAD_FILE).read_text(encoding="utf-8"))


def kpi_spread() -> dict[str, Any]:
    """The measured figures (a copy of `kpi_spread.json`): ``meta`` (seeds, hours, steps, the reference change, the
    code they were measured on) and ``scenarios`` → scenario → KPI → slice or "all" → ``mean``, ``sd_seed``,
    ``sd_paired`` (lists over ``meta.hours``) and ``sd_hour``."""
    return json.loads(json.dumps(_data()))


def recommended_seeds(kpi: str, slice: str | None = None, rel_change: float = 0.01, *, paired: bool = True,
                      scenario: str | None = None, hours: list[int] | None = None, alpha: float = 0.05,
                      power: float = 0.8) -> int:
    """Seeds needed to detect a relative change `rel_change` of `kpi` (on `slice`; None = network-wide) at one-sided
    level `alpha` with `power`, the worst over `hours` (None: every hour measured) and over `scenario` (None, or a
    scenario not measured: every scenario measured). ``paired=True`` for a gain judged on the same drops before and
    after, ``False`` for a KPI held against a fixed bound. A KPI measured only network-wide (energy, PRB use, active
    cells) uses the network-wide figure for any slice."""
    if kpi not in KPI_NAMES:
        raise ValueError(f"kpi={kpi!r}: not a KPI; choose one of {', '.join(KPI_NAMES)}")
    if slice is not None and slice not in SLICES:
        raise ValueError(f"slice={slice!r}: choose one of {', '.join(SLICES)} or None")
    if not (math.isfinite(rel_change) and rel_change > 0.0):
        raise ValueError(f"rel_change={rel_change!r} must be a positive fraction (0.01 = 1 %)")
    data = _data()
    measured = data["scenarios"]
    names = [scenario] if scenario in measured else sorted(measured)
    all_hours: list[int] = data["meta"]["hours"]
    wanted = all_hours if hours is None else [h for h in hours if h in all_hours]
    if not wanted:
        raise ValueError(f"hours={hours!r}: none of them measured; measured hours are {all_hours}")
    cols = [all_hours.index(h) for h in wanted]
    floor = KPI_SCALE_FLOOR[kpi]
    n = 1
    for name in names:
        per_slice = measured[name][kpi]
        entry = per_slice.get(slice or "all", per_slice["all"])
        sds = entry["sd_paired" if paired else "sd_seed"]
        for i in cols:
            delta = rel_change * max(abs(entry["mean"][i]), floor)
            n = max(n, seeds_needed(sds[i], delta, alpha=alpha, power=power))
    return n
