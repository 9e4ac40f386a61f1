"""What a learning store keys on: an intent's objective family, its hour band and the scenario (the bandit's context,
the demonstrations' neighbourhood)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..intent import Intent
from ..strategies._plan import objective_family

__all__ = ["HOUR_BANDS", "Context", "context_of", "hour_band", "intent_distance", "objective_family"]

#: Bands of the day: hours of the band → its name. An intent whose hours fall mostly in one band takes that band;
#: ``now`` (no hours), ``all-day`` (hours over more than two bands).
HOUR_BANDS: dict[str, tuple[int, ...]] = {
    "night": (0, 1, 2, 3, 4, 5),
    "morning": (6, 7, 8, 9, 10, 11),
    "afternoon": (12, 13, 14, 15, 16, 17),
    "evening": (18, 19, 20, 21, 22, 23),
}


def hour_band(hours: Sequence[int] | None) -> str:
    """``night``, ``morning``, ``afternoon``, ``evening``, ``now`` (no hours) or ``all-day``: the band holding most
    of the hours (23:00 counts as night when the others are night hours, as in "from 11pm to 5am")."""
    if not hours:
        return "now"
    counts = {band: sum(1 for h in hours if h in hs) for band, hs in HOUR_BANDS.items()}
    if 23 in hours and counts["night"] >= len(hours) - 1:
        return "night"
    ranked = sorted(counts.items(), key=lambda kv: -kv[1])
    if sum(1 for _, n in ranked if n) > 2:
        return "all-day"
    return ranked[0][0]


class Context(tuple[str, str, str]):
    """(objective family, hour band, scenario); ``str(ctx)`` is ``family|band|scenario`` (the stores' key)."""

    __slots__ = ()

    def __new__(cls, family: str, band: str, scenario: str) -> Context:
        return super().__new__(cls, (family, band, scenario))

    @property
    def family(self) -> str:
        return self[0]

    @property
    def band(self) -> str:
        return self[1]

    @property
    def scenario(self) -> str:
        return self[2]

    def __str__(self) -> str:
        return "|".join(self)

    @classmethod
    def parse(cls, key: str) -> Context:
        parts = key.split("|")
        if len(parts) != 3:
            raise ValueError(f"context {key!r}: expected family|band|scenario")
        return cls(*parts)


def context_of(intent: Intent | dict[str, Any], scenario: str) -> Context:
    it = intent if isinstance(intent, Intent) else Intent.model_validate(intent)
    return Context(objective_family(it), hour_band(it.hours), scenario)


def intent_distance(a: Intent, b: Intent) -> float:
    """A small distance between two intents of one family and band, for ranking demonstrations: the objective KPI
    and slice, the constrained KPIs (Jaccard), the hours (Jaccard) and the cells."""
    d = 0.0
    if a.objective.kpi != b.objective.kpi:
        d += 1.0
    if a.objective.slice != b.objective.slice:
        d += 0.5
    ca = {(c.kpi, c.op, c.slice) for c in a.constraints}
    cb = {(c.kpi, c.op, c.slice) for c in b.constraints}
    if ca or cb:
        d += 1.0 - len(ca & cb) / len(ca | cb)
    ha, hb = set(a.hours or []), set(b.hours or [])
    if ha or hb:
        d += 0.5 * (1.0 - len(ha & hb) / len(ha | hb))
    if (a.cells is None) != (b.cells is None):
        d += 0.5
    return d
