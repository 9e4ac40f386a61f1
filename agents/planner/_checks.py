"""Consistency checks on a reading: does the Intent say what the text says? Run on every Intent, whoever produced it
(rules, model, merge, a file), so that a misreading is visible before anything is applied.

Each check is a second, simpler reading of one thing, done differently from the rule reader, so that the two can
disagree (`check_intent` returns `Finding`s; a finding may carry a repaired Intent):

* ``constraint_direction``: the words next to a bound's number say floor or ceiling. The comparator nearest the
  number (before it, or right after it: "90% or more"), flipped once for each negation before it in its clause
  ("must not drop below", "without letting ... exceed", "no lower than"); a range ("between 90% and 97%") is a floor
  and a ceiling. A bound whose operator is the opposite is flagged (repair: the other operator).
* ``constraint_sense``: a bound against its KPI's usual sense (a ceiling on coverage, a floor on latency) that no word
  of the text asks for (repair: the usual sense).
* ``constraint_kpi``: a bound whose number follows another KPI's name in its clause, its own KPI named neither there
  nor right after the number ("coverage>=92% prb_utilization<=0.8" read as coverage <= 0.8).
* ``constraint_value``: a bound whose value is no number of the text under any unit reading (the documented default
  bound of an unquantified guard excepted; repair: drop it).
* ``objective_direction``: an objective against its KPI's good direction ("maximize energy_w"): refused, with the
  re-reading the text supports (energy efficiency when the text names a ratio, else the other direction).
* ``ratio_neighbour``: energy efficiency (a ratio: bits per joule) confused with its neighbour energy: the text names a
  ratio but the intent has only energy_w, or the intent has energy_efficiency that the text never names.
* ``means_ends``: the text names a means ("switch off what you can") and the intent made something else the end
  (the objective a bounded KPI, or the number of active cells the text never names); repair: the end the means
  serves (`LEXICON.knob_ends`), with the knob.
* ``clock_span``: a clock range ("from 22:00 to 06:00") read as anything but its one span (wrapped past midnight).

What the reading leaves unread (warnings: nothing in the reading contradicts the text, but part of the text is not in
it; a warning puts the reading below `CONFIRM_BELOW`, so a person confirms it and unattended runs refuse it):

* ``unread_number``: a number said as a level (with a unit, or with a comparator) that is no bound, hour or cell of the
  reading; numbers that are no level are passed over (a change "by 20 %" or "a 10 % reduction", a state "dropped to
  88 %", a value a report gives, ids, versions, years, minutes, percentiles, counts of things, an amount against a need
  "2 kW more than we need", a corrected value "not 9 kW", a number said twice).
* ``unread_time`` / ``unread_cells`` / ``unread_knobs``: a time of day, a named cell, or a restricted means ("tilt
  only", "don't touch CIO") with the reading at every hour, on every cell, or with every knob.
* ``state_as_bound``: a bound whose number the text gives only as what the network has or had.
* ``objective_bound``: a bound on the objective's own KPI and slice that holds it back from its goal (a floor on the
  latency to minimize, a ceiling on the throughput to maximize): people bound the KPI they improve from the goal's side
  ("cut latency to below 20 ms"); the other side is usually a value the text reports ("devices see delays over 20 ms")
  read as a bound (repair: drop it). A floor on the active cells and one side of a range are the usual exceptions
  (a range no value meets is none: "over 120 an hour each. Bring it down to 60/hour" read as >= 2 and <= 1).

`assess` turns the findings, the reading's guesses (assumptions, dropped words) and the rules/model disagreement into
a confidence and a list of alternatives; below `CONFIRM_BELOW` the reading must be confirmed by a person.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from airloop.core import KPI_DIRECTION, KPI_NAMES, WINDOWS, Constraint, Intent, Objective, span_hours, values_close

from ..intent import default_goal
from ._rules import (
    _ADDED_AFTER,
    _EXCESS,
    _REPORTED_VALUE,
    _TAKEN_OFF,
    _UNIT_RE,
    _VOCABULARY,
    COMPLAINT_BEFORE_ORDER,
    GUARD_DEFAULTS,
    LEFT_OUT,
    LEFT_OUT_AFTER,
    LEXICON,
    MOTION_TO_LEVEL,
    _convert,
    _fits,
    _unit_name,
    alternatives,
    correct,
    failure_spans,
    in_failure_condition,
    is_year,
    mentions_time,
    normalize_text,
    opens_aside,
    opposite,
    twelve_hour_with_minutes,
)

Severity = Literal["error", "warning"]
#: a reading whose confidence is below this is shown and must be confirmed; unattended runs refuse it
CONFIRM_BELOW = 0.6


@dataclass(frozen=True)
class Finding:
    """One thing a check found. ``repair``: the intent re-read so that this finding no longer holds (or None)."""

    check: str
    severity: Severity
    message: str
    repair: Intent | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"check": self.check, "severity": self.severity, "message": self.message,
                "repair": self.repair.model_dump(exclude={"text", "assumptions"}) if self.repair else None}


# == the text, read simply ============================================================================================

def _text(text: str) -> str:
    return correct(normalize_text(text), _VOCABULARY)[0]


def _pattern(words: Iterable[str]) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w])(?:{alternatives(words)})(?![\w])")


_LOWER: list[tuple[str, str | None]] = []
_UPPER: list[tuple[str, str | None]] = []
_DIR: list[tuple[str, str | None]] = []
for _e in LEXICON.comparators:
    if _e.flag == "sym":
        continue
    (_LOWER if _e.name == ">=" else _UPPER if _e.name == "<=" else _DIR).append((_e.pattern, _e.flag))
_PRE = [(re.compile(rf"(?<![\w])(?:{p})(?![\w])"), op) for op, group in ((">=", _LOWER), ("<=", _UPPER), ("dir", _DIR))
        for p, kind in group if kind != "post"]
_PRE += [(re.compile(r">=|=>|>(?!=)|≥"), ">="), (re.compile(r"<=|=<|<(?!=)|≤"), "<=")]
_POST = [(re.compile(rf"^\s*(?:[a-z/]+\s+){{0,4}}?(?:{p})(?![\w])(?!\s*\d)"), op)
         for op, group in ((">=", _LOWER), ("<=", _UPPER)) for p, kind in group if kind == "post"]
#: the reader's negations, but "from" before a verb of change ("keep it from dropping") is counted with its "keep"/"stop"
_NEGATION = re.compile(rf"\b(?:{alternatives(n for n in LEXICON.negation if not n.startswith('from'))})\b"
                       r"|\b(?:keep|keeping|stop|stopping)\b[^,;]*\bfrom\b")
#: where the scope of a comparator or a negation ends, looking back from a number
_SCOPE_BREAK = re.compile(r"[;!?:]|\.\s|,\s|\s-\s|\b(?:but|while|whilst|whereas|where|subject\s+to|provided|unless"
                          r"|otherwise|also)\b|\band\s+(?:also\s+)?(?=(?:keep|maintain|ensure|hold|make|guarantee"
                          r"|protect|preserve|let|never|don't|do|please)\b)")
_NUMBER = re.compile(rf"(?<![\w.])(\d+(?:\.\d+)?|\.\d+)\s*(?:({_UNIT_RE})(?![\w]))?")
_RANGE = re.compile(rf"\bbetween\s+(\d+(?:\.\d+)?)\s*(?:{_UNIT_RE})?\s*(?:and|to|-)\s*(\d+(?:\.\d+)?)"
                    rf"|(?<![\w.])(\d+(?:\.\d+)?)\s*(?:{_UNIT_RE})?\s*-\s*(\d+(?:\.\d+)?)(?!\s*(?:a\.?m|p\.?m|h\b|:))")
_MIN_VERBS = _pattern(p for e in LEXICON.verbs if e.name == "min" for p in e.words)
_MAX_VERBS = _pattern(p for e in LEXICON.verbs if e.name == "max" for p in e.words)
_GOAL_VERBS = _pattern(p for e in LEXICON.verbs if e.name in ("min", "max", "dir") for p in e.words)


def _kpi_pattern(kpi: str, flag: str | None | Literal["any"] = "any") -> re.Pattern[str]:
    words = [p for e in (*LEXICON.kpis_before_knobs, *LEXICON.kpis) if e.name == kpi and (flag == "any" or e.flag == flag)
             for p in e.words]
    return re.compile(rf"(?<![\w])(?:{alternatives(words)})(?![\w])") if words else re.compile(r"(?!x)x")


_KPI_PATTERNS = {kpi: _kpi_pattern(kpi) for kpi in KPI_NAMES}
_EFFICIENCY = _kpi_pattern("energy_efficiency")
_ENERGY = _kpi_pattern("energy_w")
_ACTIVE_CELLS = _kpi_pattern("active_cells")
_SLEEP_MEANS = re.compile(rf"(?<![\w])(?:{alternatives(p for e in LEXICON.knobs if e.name == 'active' and e.flag != 'neg' for p in e.words)})(?![\w])")


@dataclass
class _Occurrence:
    start: int
    end: int
    value: float
    unit: str


def _numbers(s: str) -> list[_Occurrence]:
    return [_Occurrence(m.start(), m.end(), float(m[1]), _unit_name(m[2])) for m in _NUMBER.finditer(s)]


def _scope(s: str, end: int) -> str:
    """The text before position ``end`` back to the last break of scope (a clause boundary)."""
    before = s[max(0, end - 90):end]
    cut = 0
    for m in _SCOPE_BREAK.finditer(before):
        cut = m.end()
    return before[cut:]


def _range_side(s: str, occ: _Occurrence) -> str | None:
    for m in _RANGE.finditer(s):
        lo_g, hi_g = (1, 2) if m[1] is not None else (3, 4)
        if m.start(lo_g) == occ.start or m.start(hi_g) == occ.start:
            lo, hi = float(m[lo_g]), float(m[hi_g])
            low_side = (m.start(lo_g) == occ.start) == (lo <= hi)
            return ">=" if low_side else "<="
    return None


def _said_direction(s: str, occ: _Occurrence, kpi: str) -> tuple[str | None, str]:
    """The operator the words around a number ask for (None: no word does), and the words. Inside a failure condition
    ("rollback if coverage < 93 %") the words describe what must not happen: the operator is turned around."""
    op, words = _said_direction_plain(s, occ, kpi)
    if op is not None and in_failure_condition(failure_spans(s), occ.start):
        return opposite(op), f"{words}, in a failure condition"
    return op, words


def _said_direction_plain(s: str, occ: _Occurrence, kpi: str) -> tuple[str | None, str]:
    side = _range_side(s, occ)
    if side is not None:
        return side, "a range"
    after = s[occ.end:occ.end + 45]
    for rx, op in _POST:
        m = rx.match(after)
        if m:
            return op, m.group(0).strip()
    scope = _scope(s, occ.start)
    best: tuple[int, int, str] | None = None
    for rx, op in _PRE:
        for m in rx.finditer(scope):
            if best is None or m.start() > best[0]:
                best = (m.start(), m.end(), op)
    if best is None:
        return None, ""
    start, end, op = best
    words = scope[start:end]
    if op == "dir":
        lead = scope[:start]
        if _MIN_VERBS.search(lead):
            return "<=", words
        if _MAX_VERBS.search(lead):
            return ">=", words
        return None, words
    negations = [g for g in _NEGATION.finditer(scope[:start]) if not opens_aside(scope, g.start(), start)]
    last_number = max((m.end() for m in re.finditer(r"\d", scope[:start])), default=-1)
    if last_number >= 0 and re.search(r"\band\b", scope[last_number:start]) \
            and not re.search(r"\b(?:or|nor)\b", scope[last_number:start]):
        # "coverage not under 0.95 and handovers under 0.6": the negation was the first bound's ("... or loss above
        # 1 %" after "don't let" would share it)
        negations = [g for g in negations if g.start() >= last_number]
    if len(negations) % 2:
        op = opposite(op)
        words = scope[negations[0].start():end]
    return op, words


def _grounding(s: str, c: Constraint) -> list[_Occurrence]:
    out = []
    for occ in _numbers(s):
        conv = _convert(c.kpi, occ.value, occ.unit, s[occ.end:occ.end + 25])[0]
        if conv is not None and values_close(conv, c.value, 1e-6):
            out.append(occ)
    return out


def _usual_op(kpi: str) -> str:
    return ">=" if KPI_DIRECTION[kpi] == "max" else "<="


def _flip(intent: Intent, c: Constraint) -> Intent:
    flipped = c.model_copy(update={"op": opposite(c.op)})
    return intent.model_copy(update={"constraints": [flipped if x is c else x for x in intent.constraints]})


# == the checks =========================================================================================================

def guard_default(c: Constraint, s: str) -> bool:
    """``c`` is the default bound of a KPI the text guards without a number ("without hurting coverage": coverage >=
    0.95, `GUARD_DEFAULTS`) and the text (normalized, `_text`) names that KPI: grounded though no number says it."""
    default = GUARD_DEFAULTS.get(c.kpi)
    return default is not None and (c.op, c.value) == default and _kpi_pattern(c.kpi).search(s) is not None


def _check_constraints(intent: Intent, s: str) -> list[Finding]:
    out = []
    for c in intent.constraints:
        where = f"{c.kpi}{' (' + c.slice + ')' if c.slice else ''} {c.op} {c.value:g}"
        occs = _grounding(s, c)
        if not occs:
            if guard_default(c, s):
                continue
            out.append(Finding("constraint_value", "error",
                               f"{where}: the text has no such number (under any unit reading)",
                               intent.model_copy(update={"constraints": [x for x in intent.constraints if x is not c]})))
            continue
        said = [_said_direction(s, occ, c.kpi) for occ in occs]
        ops = {op for op, _ in said if op is not None}
        if ops and c.op not in ops:
            words = next(w for op, w in said if op is not None)
            kind = "floor" if c.op == "<=" else "ceiling"
            out.append(Finding("constraint_direction", "error",
                               f"{where} contradicts the text's own words ('{words}': a {kind})", _flip(intent, c)))
        elif not ops and c.op != _usual_op(c.kpi):
            usual = "floor (>=)" if _usual_op(c.kpi) == ">=" else "ceiling (<=)"
            out.append(Finding("constraint_sense", "error",
                               f"{where} goes against the usual sense of {c.kpi} (a {usual}) and no word of the text "
                               "asks for it", _flip(intent, c)))
    return out


#: a clause that states a condition ("if loss goes above 2 %", "when latency exceeds 10 ms"), read back from a number
_CONDITION = re.compile(r"\b(?:if|when|whenever|once|in\s+case(?:\s+of)?|as\s+soon\s+as)\b")


def _check_conditions(intent: Intent, s: str) -> list[Finding]:
    """A bound read from a condition states what happens then, not what to keep: "the contract penalises us if loss
    goes above 2 %" asks for the opposite of its words, "it's fine if latency goes above 20 ms" for no bound at all.
    Failure conditions the reader knows ("roll back if", "we get fined if") are already turned around, and a negated
    condition ("do not proceed if the rate would exceed 0.5", "if it can be done without coverage going under 92 %")
    is a guard the reader turns around itself; any other constraint whose every number sits in an if/when clause
    is flagged, with the bound turned around as the alternative."""
    out = []
    spans = failure_spans(s)
    for c in intent.constraints:
        occs = _grounding(s, c)
        found = [m for o in occs if not in_failure_condition(spans, o.start)
                 for scope in [_scope(s, o.start)] if not _NEGATION.search(scope)
                 for m in [_CONDITION.search(scope)] if m is not None]
        if occs and len(found) == len(occs):
            where = f"{c.kpi}{' (' + c.slice + ')' if c.slice else ''} {c.op} {c.value:g}"
            out.append(Finding("constraint_condition", "error",
                               f"{where} was read from a condition ('{found[0][0]} ...'), which says what happens then, "
                               "not what to keep: the bound may be meant the other way round, or not at all",
                               _flip(intent, c)))
    return out


def _kpi_named_before(scope: str) -> tuple[set[str], str] | None:
    """The KPI(s) named last in a number's scope (the longest phrase ending there: "p95 latency" is the p95,
    "throughput fairness" fairness), and the words; None when no KPI is named there."""
    found = [(m.end(), -m.start(), kpi) for kpi in KPI_NAMES for m in _KPI_PATTERNS[kpi].finditer(scope)]
    if not found:
        return None
    end, neg_start, _ = max(found)
    return {k for e, ns, k in found if e == end and ns == neg_start}, scope[-neg_start:end]


#: a KPI's bare word, which the lexicon reads only right before a symbol or a digit ("loss < 1 %"), as the KPI's own
#: name in a bound's scope ("with loss under 1 %", "or loss exceed 1 %")
_LOOSE_OWN = {"packet_loss": re.compile(r"(?<![\w-])loss(?:es)?(?![\w-])")}


def _check_constraint_kpis(intent: Intent, s: str) -> list[Finding]:
    """A bound whose number follows another KPI's name in its clause, with its own KPI named neither there nor right
    after the number ("coverage>=92% prb_utilization<=0.8" read as coverage <= 0.8): the number belongs to the other
    KPI."""
    out = []
    for c in intent.constraints:
        occs = _grounding(s, c)
        wrong = []
        own = _KPI_PATTERNS[c.kpi]
        for occ in occs:
            scope = _scope(s, occ.start)
            named = _kpi_named_before(scope)
            loose = _LOOSE_OWN.get(c.kpi)
            if named is None or c.kpi in named[0] or own.search(scope) or (loose is not None and loose.search(scope)) \
                    or own.search(s[occ.end:occ.end + 30]) or not any(_fits(k, occ.unit) for k in named[0]):
                break  # its own KPI, or a unit the other KPI cannot have ("latency down without going over 12 kW")
            wrong.append(named)
        if occs and len(wrong) == len(occs):
            others, words = wrong[0]
            out.append(Finding("constraint_kpi", "error",
                               f"{c.kpi} {c.op} {c.value:g}: the number follows '{words.strip()}' "
                               f"({', '.join(sorted(others))}) in the text, not {c.kpi}"))
    return out


def _names_ratio(s: str) -> bool:
    return bool(_EFFICIENCY.search(s))


def _names_energy(s: str) -> bool:
    """Does the text name energy other than inside a ratio ("bits per joule")?"""
    return bool(_ENERGY.search(_EFFICIENCY.sub(" ", s)))


def _check_objective(intent: Intent, s: str) -> list[Finding]:
    o = intent.objective
    if o.goal == default_goal(o.kpi):
        return []
    if o.kpi == "energy_w" and _names_ratio(s):
        repair = intent.model_copy(update={"objective": Objective(kpi="energy_efficiency", goal="maximize")})
        why = "the text names a ratio: energy efficiency, maximize"
    else:
        repair = intent.model_copy(update={"objective": o.model_copy(update={"goal": default_goal(o.kpi)})})
        why = f"{default_goal(o.kpi)} is what improves it"
    return [Finding("objective_direction", "error",
                    f"objective {o.goal} {o.kpi} goes against {o.kpi}'s good direction; refused ({why})", repair)]


def _check_ratio(intent: Intent, s: str) -> list[Finding]:
    kpis = {k for k, _ in intent.kpis()}
    o = intent.objective
    if _names_ratio(s) and "energy_efficiency" not in kpis:
        repair = None
        if o.kpi in ("energy_w", "throughput_mean_mbps"):
            repair = intent.model_copy(update={"objective": Objective(kpi="energy_efficiency", goal="maximize")})
        return [Finding("ratio_neighbour", "error", "the text names a ratio (energy efficiency, bits per joule) but "
                        f"the intent never reads it (objective {o.goal} {o.kpi})", repair)]
    if "energy_efficiency" in kpis and not _names_ratio(s) and s.strip():
        repair = None
        if o.kpi == "energy_efficiency":
            repair = intent.model_copy(update={"objective": Objective(kpi="energy_w", goal="minimize")})
        return [Finding("ratio_neighbour", "error", "the intent reads energy_efficiency (a ratio) but the text never "
                        "names efficiency or a ratio", repair)]
    return []


def _sleep_means(s: str) -> bool:
    for m in _SLEEP_MEANS.finditer(s):
        if not _NEGATION.search(s[max(0, m.start() - 25):m.start()]):
            return True
    return False


def _check_means(intent: Intent, s: str) -> list[Finding]:
    if not _sleep_means(s):
        return []
    o = intent.objective
    end = LEXICON.knob_ends.get("active")
    if end is None or o.kpi == end or (end == "energy_w" and o.kpi == "energy_efficiency"):
        return []  # the ratio is an end cells asleep serve as well
    knobs = intent.knobs if intent.knobs is not None and "active" in intent.knobs else ["active"]
    repair = intent.model_copy(update={"objective": Objective.model_validate({"kpi": end, "goal": default_goal(end)}),
                                       "knobs": knobs})  # type: ignore[dict-item]
    if o.kpi == "active_cells" and not _ACTIVE_CELLS.search(s):
        return [Finding("means_ends", "error", "the text names a means (cells to sleep) but not the number of active "
                        f"cells; the end it serves is {end}", repair)]
    bounded = any(c.kpi == o.kpi and c.slice == o.slice for c in intent.constraints)
    if bounded and not _stated_goal(s, o.kpi) and not _names_energy(s):
        return [Finding("means_ends", "error", f"the text names a means (cells to sleep); {o.kpi}, which it only "
                        f"bounds, was read as the end; the end the means serves is {end}", repair)]
    return []


def _stated_goal(s: str, kpi: str) -> bool:
    """Does a goal verb (minimize, maximize, improve, ...) go with some mention of ``kpi`` in its clause?"""
    for m in _kpi_pattern(kpi).finditer(s):
        if _GOAL_VERBS.search(_scope(s, m.start())) or _GOAL_VERBS.match(s[m.end():m.end() + 30].lstrip()):
            return True
    return False


_CLOCK_T = (r"(?:(?<![\d.])(\d{1,2})(?:(?::|(?<=\d\d)\.)(\d{2}))?\s*(a\.?m\.?|p\.?m\.?|h\b)?"
            r"|(midnight|noon|midday))")
_CLOCK_RANGE = re.compile(rf"(?<!hours\s)(?<!hour\s)\b(?:from\s+{_CLOCK_T}\s*(?:-|to|until|till|through)|between\s+"
                          rf"{_CLOCK_T}\s*(?:-|to|until|till|and)|{_CLOCK_T}\s*(?:-|to|until|till))\s*"
                          rf"{_CLOCK_T}(?!\s*(?:%|percent|ms|w\b|kw|mbps|cells?|st\b|nd\b|rd\b|th\b))")
_CELL_LIST = re.compile(r"\bcells?\s*(?:#|no\.?|ids?|numbers?)?\s*#?\d+(?:\s*(?:,|and|&|or|-|to|through|thru)\s*#?\d+)*")


#: words before a clock range that leave its hours out of the ask
_LEFT_OUT = re.compile(LEFT_OUT + "$")


def _hour(num: str | None, minutes: str | None, mark: str | None, word: str | None) -> tuple[int, bool] | None:
    """(hour, marked) or None when the digits are no clock time."""
    if word:
        return (0 if word == "midnight" else 12), True
    h = int(num or 0)
    mark = (mark or "").replace(".", "")
    if h > 24 or int(minutes or 0) > 59:
        return None
    if mark in ("am", "pm"):
        if not 1 <= h <= 12:
            return None
        return h % 12 + (12 if mark == "pm" else 0), True
    return h % 24, bool(minutes is not None or mark == "h" or h > 12)


def _check_clock(intent: Intent, s: str) -> list[Finding]:
    expected: set[int] = set()
    s = _CELL_LIST.sub(" ", s)
    rest = s
    left_out: set[int] = set()
    for m in _CLOCK_RANGE.finditer(s):
        g = m.groups()
        first = next(g[i:i + 4] for i in (0, 4, 8) if any(g[i:i + 4]))
        a, b = _hour(*first), _hour(*g[12:16])
        if a is None or b is None or not (a[1] and b[1]):
            continue
        if (twelve_hour_with_minutes(first) and (g[14] or "").replace(".", "") in ("am", "pm")) or (
                twelve_hour_with_minutes(g[12:16]) and (first[2] or "").replace(".", "") in ("am", "pm")):
            continue  # "2:00-5:00pm": one am/pm for both ends, read by the reader
        end = b[0] if b[0] != 0 or g[13] else 24
        if int(g[13] or 0) > 0:
            end += 1  # "from 13:30 to 17:30": a span that ends on the half hour asks that hour too
        span = set(span_hours(a[0], end))
        if a[0] == b[0] and int(g[13] or 0) > int(first[1] or 0):
            span = {a[0]}  # "at 19:00-19:45": within the hour
        if _LEFT_OUT.search(s[max(0, m.start() - 25):m.start()]):
            left_out |= span  # "all day apart from the 17:00-21:00 peak": hours the reading must not have
        else:
            expected |= span
        rest = rest.replace(m.group(0), " ")
    if left_out & set(intent.hours or []):
        return [Finding("clock_span", "error", f"the text leaves hours {sorted(left_out)} out (a clock range after "
                        f"'except', 'apart from', 'outside'...); the intent has {intent.hours}",
                        intent.model_copy(update={"hours": sorted(set(intent.hours or range(24)) - left_out) or None}))]
    if not expected:
        return []
    got = set(intent.hours or [])
    other_times = mentions_time(rest) or any(re.search(rf"\b{w.replace('_', ' ')}\b", rest) for w in WINDOWS)
    if not expected <= got or (not other_times and got != expected):
        spans = sorted(expected)
        return [Finding("clock_span", "error", f"the text's clock range means hours {spans} (one span, wrapped past "
                        f"midnight when it ends before it starts); the intent has {intent.hours}",
                        intent.model_copy(update={"hours": spans if not other_times else sorted(got | expected)}))]
    return []


# == what the reading leaves unread ======================================================================================
# A reader that misses a part of the text gives a reading that is consistent but incomplete: no check above can see
# it. These checks read the text the other way round: what in it *looks like* part of an ask (a number with a unit or a
# comparator, a time of day, a cell, a restricted means) must show up in the reading, or the reading must be confirmed.
# They are warnings (the reading is not wrong by their evidence, only unexplained) and carry no repair.

#: a number said as a change ("by 20 %", "down 15 %", "↓ 25 %"), not as a level: the gold conventions read no bound
_RELATIVE = re.compile(r"(?:\bby|\b(?:down|up|reduce|reduced|cut|grow|growth|increase|decrease|lower|raise)|[↓↑])"
                       r"\s*(?:about\s+|around\s+|roughly\s+|some\s+)?$")
#: a number said as what the network does or did ("is at 95 %", "hit 14 ms", "dropped to 88 %", "current: 82 %")
_STATE = re.compile(r"\b(?:is|are|was|were|been|be|hit|hits|hitting|reached|reaches|reaching|sits|sitting|sat|stood"
                    r"|stands|standing|fell|falls|dropped|rose|rises|peaked|peaks|averaged|averages|currently|current"
                    r"|now|already|run|runs|running|measured|showing|shows|seeing|saw|observed|spiked|spikes|dipped|dips|dip"
                    r"|spiking|peaking|hovering|hovers|climbing|averaging|drawing|draws|pulling|consuming|consumes|consume"
                    r"|burns|burning|burned|burnt|eats|eating|uses|(?:we|they|i)\s+(?:burn|use|consume|draw|pull|eat)(?!\s+to\b)"
                    r"|jumped|climbed|went|today's|yesterday's|left\s+[\w\s-]{1,30}?\s+at|takes|taking|took"
                    rf"|{MOTION_TO_LEVEL})\b(?:\s+(?:at|to"
                    r"|around|about|approximately|roughly|over|above|below|under|only|just|nearly|almost|~))*[\s:~]*$")
#: a number that a correction replaces ("9.5 kW, not 9 kW", "instead of 20 ms")
_REPLACED = re.compile(r"\b(?:not|instead\s+of|rather\s+than)\s*$")
#: words that make a stated level an ask ("the ceiling is 9.5 kW", "coverage must be at 95 %")
_ASKED = re.compile(r"\b(?:must|should|shall|need|needs|needed|has\s+to|have\s+to|got\s+to|gotta|want|wants|keep"
                    r"|keeping|stay|stays|remain|remains|hold|target|targets|goal|limit|ceiling|floor|cap|budget"
                    r"|guard|require[sd]?|required|allowed|acceptable|ok|okay|fine|make|ensure|never|always"
                    r"|at\s+least|at\s+most|no\s+more|no\s+less|to\s+be|will|would|can|could|may|let|provided|as\s+long\s+as"
                    r"|if|unless|so\s+that|such\s+that|letting|lets|without|prevent|preventing|avoid|avoiding|stop"
                    r"|stopping)\b")
#: a number that names a thing (a ticket, an invoice, a floor, a step, a version), not a value
_ID_BEFORE = re.compile(r"(?:#|\b(?:ticket|inc|incident|invoice|account|ref|no|nr|id|cr|chg|req|district|floor|desk"
                        r"|build|version|v|rev|sprint|card|kr|room|ext|phone|tel|zone|region|step|item|option|q[1-4]"
                        r"|week|wk|day|page)\b[\s.:#-]*)$")
_PERCENTILE_AFTER = re.compile(r"^(?:st|nd|rd|th)\b|^\s*(?:-\s*)?(?:percentile|pct|%ile|perc|ile\b|tile\b)")
#: a change verb earlier in the clause makes a bare percentage a change ("cut energy consumption 30 % all day")
_CHANGE_VERB = re.compile(r"\b(?:cut|cuts|reduce|reduced|lower|lowered|raise|raised|increase|increased|decrease"
                          r"|decreased|boost|boosted|grow|shrink|trim|slash|knock|knocked|shave|shaved)\b")
_PERCENTILE_BEFORE = re.compile(r"(?:\bp|\btop|\bbottom|\bworst|\bbest|\bslowest|\bweakest|\bpoorest|\blowest)[\w-]*\s*$")
_COUNTED = re.compile(r"^\s*(?:cells?|sites?|sectors?|users?|ues?|devices?)\b")
_LEFT_OUT_CELL = re.compile(rf"\b(?:{alternatives(LEXICON.cell_exclusion)})\s+(?:for\s+|on\s+)*$")
_LEFT_OUT_AFTER = re.compile(LEFT_OUT_AFTER)
_CELLS_NAMED = re.compile(r"\b(?:cells?|sites?|sectors?|gnbs?|enbs?)\s*(?:#|no\.?|nr\.?|ids?)?\s*(\d+)(?![\d:])(?![.,]\d)"
                          r"(?!\s*(?::|h\b|a\.?m\b|p\.?m\b|minimum|maximum|or\s+(?:more|fewer|less)))")
_KNOB_WORDS = re.compile(rf"(?<![\w])(?:{alternatives(p for e in LEXICON.knobs for p in e.words)})(?![\w])")
_RESTRICTS = re.compile(r"\b(?:only|just|solely|exclusively|don'?t|do\s+not|never|no|without|not|except|leave"
                        r"|untouched|avoid|forbidden|frozen|allowed|use|using|by\s+(?:tuning|adjusting|changing))\b")


def _accounted(intent: Intent, s: str, occ: _Occurrence) -> bool:
    """Does the reading use the number at ``occ``: as a bound's value (under any unit reading), a cell, or an hour
    (a start or an end of its hours; four-digit times such as 2300 too)?"""
    if any(values_close(conv, c.value, 1e-6) for c in intent.constraints
           for conv in [_convert(c.kpi, occ.value, occ.unit, s[occ.end:occ.end + 25])[0]] if conv is not None):
        return True
    v = occ.value
    if v != int(v):
        return False
    hours = set(intent.hours or [])
    edges = hours | {(h + 1) % 24 for h in hours}
    digits = s[occ.start:occ.end].split()[0]
    if int(v) in set(intent.cells or []):
        return True
    if not hours or occ.unit != "none":
        return False
    h = int(v)
    if 0 <= h <= 24 and (h % 24 in edges or (1 <= h <= 11 and h + 12 in edges) or (h == 12 and 0 in edges)):
        return True
    return len(digits) == 4 and h % 100 < 60 and (h // 100) % 24 in edges


def _not_a_level(s: str, occ: _Occurrence) -> bool:
    """A number the ask does not bound by: minutes of a clock time, a version, a percentile, a change, a stated
    state, an id, a count of things, or the same number said again ("twenty percent (20 %)")."""
    before, after = s[max(0, occ.start - 40):occ.start], s[occ.end:occ.end + 14]
    if re.search(r"\d[:.,]$|[a-z]-$", before) or re.match(r"^\.\d", after) or re.match(r"^-\d{2,}", after) \
            or re.search(r"\d-$", before):
        return True
    if _PERCENTILE_AFTER.match(after) or _PERCENTILE_BEFORE.search(before[-25:]) or _RELATIVE.search(before[-14:]):
        return True
    if _ID_BEFORE.search(before[-20:]):
        return True
    if occ.unit == "%" and _CHANGE_VERB.search(_scope(s, occ.start)) and _said_direction_plain(s, occ, "")[0] is None:
        return True
    if any(abs(x.value - occ.value) < 1e-9 for x in _numbers(s[max(0, occ.start - 30):occ.start])):
        return True
    if (occ.unit == "cells" or _COUNTED.match(after)) and _said_direction_plain(s, occ, "")[0] is None:
        return True
    if _REPLACED.search(before) or _REPORTED_VALUE.search(_scope(s, occ.start)):
        return True  # ... or a value a report gives ("the report shows throughput at 14.2 Mbps")
    if _EXCESS.match(s, occ.end) or is_year(occ.value, occ.unit):
        return True  # an amount against a need ("2 kW more than we need"), a year ("the 2025 target")
    if occ.unit not in ("none", "cells") and _TAKEN_OFF.match(s, occ.end):
        return True  # an amount taken off ("knock 2 kW off the night-time draw")
    if occ.unit in ("Mbps", "Gbps", "kbps") and _ADDED_AFTER.match(s, occ.end):
        return True  # a rate more, a relative target ("get 5 Mbps more for eMBB users"; an amount of energy added is
        # a tolerance the reading cannot hold, and stays unread)
    if occ.unit == "%" and re.match(r"\s*(?:[a-z]+\s+){0,2}(?:reductions?|cuts?|savings?|increases?|improvements?|"
                                    r"decreases?|drops?|rises?|gains?|uplifts?)\b", s[occ.end:occ.end + 40]):
        return True  # a change said as a noun ("a 10 % energy reduction")
    if occ.unit == "%" and re.match(r"\s*(?:less|more|lower|higher|fewer|better|faster|cheaper|smaller|bigger|greater)\s+"
                                    r"(?!than\b|or\b|and\b)[a-z]", s[occ.end:occ.end + 30]):
        return True  # a change said as a comparison ("10 % less energy than now", "20 % lower latency")
    m = _STATE.search(before)
    if m is None or any(rx.match(s[occ.end:occ.end + 45]) for rx, _ in _POST) \
            or in_failure_condition(failure_spans(s), occ.start):
        return False
    scope = _scope(s, occ.start)
    return not _ASKED.search(scope[:max(0, len(scope) - (len(before) - m.start()))])


def _check_unread(intent: Intent, s: str) -> list[Finding]:
    """What the text asks that the reading leaves out: a number said as a level (with a unit or a comparator) that is
    no bound, hour or cell of the reading; a time of day with no hours read; cells named with every cell read; a means
    restricted ("CIO only", "don't touch the tilt") with every knob allowed; and a bound read from a stated state
    ("coverage dropped to 88 %")."""
    out = []
    # the complaints the reading says a later order contradicts ("latency over 60 ms. Bring it under 30 ms"): their
    # numbers are read, as the network's state
    complaints = [a[1:a.index("' " + COMPLAINT_BEFORE_ORDER)] for a in intent.assumptions
                  if a.startswith("'") and a.endswith("' " + COMPLAINT_BEFORE_ORDER)]
    for occ in _numbers(s):
        if _accounted(intent, s, occ) or _not_a_level(s, occ):
            continue
        said = (m[1] if (m := re.search(r"(\w+\s*)$", s[:occ.start])) else "") + s[occ.start:occ.end]
        if any(said in phrase for phrase in complaints):  # the number with the word before it, as the trail quotes it
            continue
        if occ.unit != "none" or _said_direction_plain(s, occ, "")[0] is not None:
            words = s[max(0, occ.start - 20):occ.end + 4].strip()
            out.append(Finding("unread_number", "warning", f"'...{words}...' is in no bound, hour or cell of the "
                               "reading; confirm that the text asks nothing with it"))
            break
    if intent.hours is None and mentions_time(s):
        out.append(Finding("unread_time", "warning", "the text names a time of day but the reading applies at every "
                           "hour; confirm, or say the hours"))
    if intent.cells is None:  # a cell named by a number the reading uses as a bound or an hour is no cell
        left_out = [x.span() for x in _LEFT_OUT_AFTER.finditer(s)]  # "leave cells 0-2 alone"
        named = next((m for m in _CELLS_NAMED.finditer(s)
                      if not _accounted(intent, s, _Occurrence(m.start(1), m.end(1), float(m[1]), "none"))
                      or _LEFT_OUT_CELL.search(s[max(0, m.start() - 25):m.start()])  # "all cells except cell 3"
                      or any(a <= m.start() < b for a, b in left_out)), None)
        if named:
            out.append(Finding("unread_cells", "warning", f"the text names '{named.group(0)}' but the reading applies "
                               "to every cell; confirm, or say the cells"))
    if intent.knobs is None:
        for m in _KNOB_WORDS.finditer(s):
            after = _SCOPE_BREAK.split(s[m.end():m.end() + 25], maxsplit=1)[0]
            if _RESTRICTS.search(_scope(s, m.start())[-40:] + " " + m.group(0) + after):
                out.append(Finding("unread_knobs", "warning", f"the text restricts a means ('{m.group(0)}') but the "
                                   "reading allows every knob; confirm, or say which knobs"))
                break
    for c in intent.constraints:
        occs = _grounding(s, c)
        if occs and all(_STATE.search(s[max(0, o.start - 40):o.start]) and _not_a_level(s, o) for o in occs):
            out.append(Finding("state_as_bound", "warning", f"{c.kpi} {c.op} {c.value:g} was read from a value the "
                               "network has or had, not one asked for"))
    return out


def _check_objective_bounds(intent: Intent) -> list[Finding]:
    """A floor on the KPI to minimize (a ceiling on the one to maximize), except the usual guards of that shape: a
    floor on the active cells ("as few cells as possible, at least 3 on"), and one side of a range (the other side,
    toward the goal, at another value: "between 0.7 and 0.9"). The same number on both sides is no range: one value
    read twice; nor is a range that is empty ("over 120 an hour each. Bring it down to 60/hour max": a floor of 2 per
    minute on the handovers to minimize, a ceiling of 1): the floor is a level the text reports."""
    o = intent.objective
    against = ">=" if o.goal == "minimize" else "<="
    if o.kpi == "active_cells":
        return []
    own = [c for c in intent.constraints if (c.kpi, c.slice) == (o.kpi, o.slice)]
    return [Finding("objective_bound", "warning",
                    f"{c.kpi}{' (' + c.slice + ')' if c.slice else ''} {c.op} {c.value:g} holds the objective "
                    f"({o.goal} {c.kpi}) back from its goal: a value the text reports, read as a bound?",
                    intent.model_copy(update={"constraints": [x for x in intent.constraints if x is not c]}))
            for c in own if c.op == against
            and not any(x.op != against and not values_close(x.value, c.value)
                        and (x.value > c.value if against == ">=" else x.value < c.value) for x in own)]


def check_intent(intent: Intent, text: str | None = None) -> list[Finding]:
    """Every consistency check on ``intent`` against ``text`` (default: ``intent.text``). Without a text, only the
    checks that need none run (the objective's direction)."""
    text = intent.text if text is None else text
    s = _text(text) if text.strip() else ""
    findings = _check_objective(intent, s)
    if not s:
        return findings
    findings += _check_constraints(intent, s)
    findings += _check_conditions(intent, s)
    findings += _check_constraint_kpis(intent, s)
    findings += _check_ratio(intent, s)
    findings += _check_means(intent, s)
    findings += _check_clock(intent, s)
    findings += _check_unread(intent, s)
    findings += _check_objective_bounds(intent)
    return findings


# == confidence ==========================================================================================================

#: the reader's guesses: an assumption starting with one of these lowers the confidence by `GUESS_PENALTY`
GUESSES = ("no objective stated", "no verb for", "with no comparator read as", "clock span read as",
           "with no KPI named read as", "the text names the means")
#: notes that say the reader dropped words of the text
DROPPED = ("fits no KPI", "not tied to any KPI", "is named without a goal or a bound", "a second objective",
           "does not apply to", "is not a fraction", "two bounds")
GUESS_PENALTY = 0.1
SPELLING_PENALTY = 0.05
DROPPED_PENALTY = 0.15
DISAGREEMENT_PENALTY = 0.2
ERROR_CAP = 0.4
#: a warning (something of the text the reading leaves unexplained) puts the reading below `CONFIRM_BELOW`
WARNING_CAP = 0.55


@dataclass
class Assessment:
    """A reading's confidence (0..1), what lowered it, the findings and the alternative readings."""

    confidence: float
    findings: list[Finding] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    alternatives: list[dict[str, Any]] = field(default_factory=list)  # {"intent": ..., "why": ...}

    @property
    def needs_confirmation(self) -> bool:
        return self.confidence < CONFIRM_BELOW


def _differs(a: Intent, b: Intent) -> list[str]:
    out = []
    if (a.objective.kpi, a.objective.goal, a.objective.slice) != (b.objective.kpi, b.objective.goal, b.objective.slice):
        out.append(f"objective {b.objective.goal} {b.objective.kpi}")
    ka = {(c.kpi, c.op, c.slice, round(c.value, 9)) for c in a.constraints}
    kb = {(c.kpi, c.op, c.slice, round(c.value, 9)) for c in b.constraints}
    if ka != kb:
        # sorted with the slice as text: a network-wide bound (slice None) beside a slice's bound must not crash
        out.append("constraints " + ", ".join(f"{k} {op} {v:g}" + (f" ({sl})" if sl else "")
                                              for k, op, sl, v in sorted(kb, key=lambda x: (x[0], x[1], x[2] or "", x[3])))
                   if kb else "no constraints")
    return out


def assess(intent: Intent, text: str | None = None, *, notes: Iterable[str] = (),
           other: Intent | None = None, other_name: str = "the model") -> Assessment:
    """The confidence of a reading: 1, lowered by each guess of the reader (its assumptions), each word it dropped
    (its notes), a disagreement with ``other`` (another reader's intent that passes the checks) and capped at
    `ERROR_CAP` by any error finding. The alternatives: each finding's repair, and ``other`` when it differs."""
    text = intent.text if text is None else text
    findings = check_intent(intent, text)
    a = Assessment(confidence=1.0, findings=findings)
    for assumption in intent.assumptions:
        if assumption.endswith("(spelling)"):
            a.confidence -= SPELLING_PENALTY
            a.reasons.append(assumption)
        elif assumption.startswith(GUESSES) or any(g in assumption for g in GUESSES[2:4]):
            a.confidence -= GUESS_PENALTY
            a.reasons.append(f"guess: {assumption}")
    for note in notes:
        if any(d in note for d in DROPPED):
            a.confidence -= DROPPED_PENALTY
            a.reasons.append(f"dropped: {note}")
    if other is not None:
        diff = _differs(intent, other)
        if diff and not any(f.severity == "error" for f in check_intent(other, text)):
            a.confidence -= DISAGREEMENT_PENALTY
            a.reasons.append(f"{other_name} read it differently: " + "; ".join(diff))
            a.alternatives.append({"intent": other.model_dump(exclude={"text", "assumptions"}),
                                   "why": f"{other_name}'s reading"})
    errors = [f for f in findings if f.severity == "error"]
    for f in findings:
        a.reasons.append(f"{f.check}: {f.message}")
        if f.repair is not None:
            a.alternatives.append({"intent": f.repair.model_dump(exclude={"text", "assumptions"}), "why": f.message})
    if any(f.severity == "warning" for f in findings):
        a.confidence = min(a.confidence, WARNING_CAP)
    if errors:
        a.confidence = min(a.confidence, ERROR_CAP) - 0.05 * (len(errors) - 1)
    a.confidence = round(max(0.0, min(1.0, a.confidence)), 2)
    return a


def repaired(intent: Intent) -> Intent | None:
    """The reading with every error finding's repair applied, when that leaves no error; else None."""
    current = intent
    for _ in range(4):
        errors = [f for f in check_intent(current) if f.severity == "error"]
        if not errors:
            return current if current is not intent else None
        fix = next((f.repair for f in errors if f.repair is not None), None)
        if fix is None:
            return None
        current = fix.model_copy(update={"text": intent.text, "assumptions": intent.assumptions})
    return None
