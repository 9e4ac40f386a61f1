"""The reading in plain words (`describe`): what `airloop plan` and `airloop intent` print back, so that the user sees
what will be optimized before anything is applied.

"minimize energy from 23:00 to 05:00 while coverage stays at or above 90%". The words are the lexicon's own
(``lexicon.yaml``'s ``echo`` section) and the phrasing is one the rule reader reads: reading the echo gives the same
Intent (a test checks it over every gold intent), so the echo cannot say something the intent does not.
"""

from __future__ import annotations

from airloop.core import FRACTION_KPIS, KNOB_NAMES, Constraint, Intent, clock_spans

from ._rules import LEXICON, NETWORK_ONLY_KPIS

#: the unit an echoed value is written in, per KPI unit (fractions as percentages)
_UNITS = {"W": " W", "Mbit/J": " Mbit/J", "Mbit/s": " Mbit/s", "ms": " ms", "1/min per user": " per user per minute",
          "count": "", "Jain index": ""}


def _number(x: float) -> str:
    return f"{x:.10g}"


def value_text(kpi: str, value: float) -> str:
    """A bound's value as the echo writes it: "90%", "3500 W", "0.5 per user per minute"."""
    from airloop.core import KPI_UNITS

    if kpi in FRACTION_KPIS and kpi != "fairness":
        return f"{_number(round(value * 100, 9))}%"
    return _number(value) + _UNITS.get(KPI_UNITS[kpi], "")


def kpi_text(kpi: str, sl: str | None) -> str:
    name = LEXICON.echo_kpis[kpi]
    return name if sl is None or kpi in NETWORK_ONLY_KPIS else f"{LEXICON.echo_slices[sl]} {name}"


def constraint_text(c: Constraint, objective_slice: str | None = None) -> str:
    """A bound in words; "overall" where a bound on the whole network sits beside an objective on one slice (a bound
    said without a slice there would be read on the objective's slice)."""
    op = "at or above" if c.op == ">=" else "at or below"
    overall = "overall " if c.slice is None and objective_slice is not None and c.kpi not in NETWORK_ONLY_KPIS else ""
    return f"{overall}{kpi_text(c.kpi, c.slice)} stays {op} {value_text(c.kpi, c.value)}"


def _clock(h: int) -> str:
    return "midnight" if h % 24 == 0 else f"{h % 24:02d}:00"


def hours_text(hours: list[int] | None) -> str | None:
    """"from 23:00 to 05:00", "at 03:00 and from 18:00 to 22:00", "all day"; None for now."""
    if hours is None:
        return None
    if len(set(hours)) == 24:
        return "all day"
    parts = [f"at {_clock(a)}" if b - a == 1 else f"from {_clock(a)} to {_clock(b)}" for a, b in clock_spans(hours)]
    return " and ".join(parts)


def _listing(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def describe(intent: Intent) -> str:
    """The intent in plain words, in a phrasing the rule reader reads back to the same intent."""
    o = intent.objective
    parts = [f"{o.goal} {kpi_text(o.kpi, o.slice)}"]
    if intent.cells is not None:
        parts.append(("on cell " if len(intent.cells) == 1 else "on cells ") + _listing([str(c) for c in intent.cells]))
    when = hours_text(intent.hours)
    if when:
        parts.append(when)
    if intent.knobs is not None and len(intent.knobs) < len(KNOB_NAMES):
        parts.append("changing only " + _listing([LEXICON.echo_knobs[k] for k in intent.knobs]))
    text = " ".join(parts)
    if intent.constraints:
        text += " while " + _listing([constraint_text(c, o.slice) for c in intent.constraints])
    return text
