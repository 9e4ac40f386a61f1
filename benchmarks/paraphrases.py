"""Generated paraphrase benchmark for the planner: a large, tagged evaluation set nobody tuned on.

    python benchmarks/paraphrases.py generate [--seed 13]           # writes benchmarks/intents/paraphrases.jsonl
    python benchmarks/paraphrases.py run --model none               # rules on the generated test split
    python benchmarks/paraphrases.py run --model llamacpp --sample 120 --save   # + llm and rules+llm, saved

**Generation.** Every gold intent of ``benchmarks/intents/intents.jsonl`` (a *source*) is written out again from its
gold Intent, not from its text, by composing templates (``paraphrase_templates.py``): objective verbs and noun labels,
KPI and slice synonyms, comparators (plain and negated: "no lower than", "must not drop below", "without letting ...
exceed"), unguarded defaults ("without hurting coverage"), units (kW/W, s/ms, Gbps/kbps, per hour, percent, number
words), named windows and clock spans in six clock formats (wrapped spans included), cells, knob restrictions,
sentence frames (constraints before or after the objective), politeness wrappers and one-letter typos. Three derived
variants widen the rare phenomena: *ratio* (an energy objective becomes "maximize energy efficiency", or "cut the
energy per bit", the inverse ratio), *means* ("switch off what you can": the means named, the end is energy; gold
knobs ``[active]``) and *ends* ("as many cells asleep as possible": the number of active cells is the end).
Because the text is written from the gold intent by templates whose meaning follows the planner's documented
conventions (``benchmarks/intents/README.md``), the gold of every row is known by construction.

**Split.** Sources are split between ``tune`` and ``test`` (seeded, stratified by objective KPI); so is every
template family, and every key inside a family (each KPI's synonyms, each slice's names, each window's phrases). A
row is generated only from its split's sources and templates, and records them (``source``, ``templates``), so no
template id and no source id feeds both splits (``tests/test_paraphrases.py`` checks it). The planner may be tuned on
``tune``; ``test`` is for figures.

**Phenomena** (``tags``): negation, units, clock (clock spans and hours rather than named windows), slices, ratio
(energy efficiency), means_ends, multi (two or more constraints), plus reordered (constraints first) and typos.

**Scoring** (``run``): exact match (`intent_matches`) per phenomenon, per planner strategy, and the safety figure:
readings whose objective or a constraint is *inverted* against the gold (the same KPI with the opposite goal or
operator, or energy_w where energy_efficiency was meant) and whether the planner flagged them (confidence below the
confirmation threshold). The old splits are scored beside the generated test split. ``--save`` writes
``benchmarks/results/paraphrases.json`` and ``paraphrases.txt``.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import re
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import paraphrase_templates as T  # noqa: E402  (benchmarks/ is not a package)
from airloop.agents.intent import (  # noqa: E402
    KNOB_NAMES,
    KPI_DIRECTION,
    WINDOWS,
    Constraint,
    Intent,
    Objective,
    intent_diff,
    intent_matches,
    window_hours,
)
from airloop.agents.planner import NETWORK_ONLY_KPIS  # noqa: E402
from airloop.core import clock_spans  # noqa: E402

HERE = Path(__file__).resolve().parent
SOURCES = HERE / "intents" / "intents.jsonl"
#: the outsider sets: 80 hand-written texts each, in their own files, each written by a helper that had not seen the
#: reader, its lexicon, the templates, another set or a miss (benchmarks/intents/README.md)
HOLDOUT_FILES = {f"holdout{k}": HERE / "intents" / f"holdout{k}.jsonl" for k in range(3, 225)}
DATA = HERE / "intents" / "paraphrases.jsonl"
RESULTS = HERE / "results"
DEFAULT_SEED = 13
SPLITS = ("tune", "test")
PHENOMENA = ("negation", "units", "clock", "slices", "ratio", "means_ends", "multi", "reordered", "typos")
#: renders per source and variant (duplicates are dropped)
RENDERS = {"gold": 16, "ratio": 7, "means": 7, "ends": 10}
TYPO_RATE = 0.25
WRAPPER_RATE = 0.3


# == the split of templates =============================================================================================

def _families() -> dict[str, Mapping[str, Any]]:
    """Every template family, flattened to ``name -> {id: template}``; nested families get one entry per key."""
    flat: dict[str, Mapping[str, Any]] = {}
    for name in dir(T):
        value = getattr(T, name)
        if not name.isupper() or not isinstance(value, dict) or name == "REORDERED":
            continue
        first = next(iter(value.values()))
        if isinstance(first, dict):
            for key, sub in value.items():
                flat[f"{name}.{key}"] = sub
        else:
            flat[name] = value
    return flat


def split_templates(seed: int) -> dict[str, dict[str, dict[str, Any]]]:
    """``family -> split -> {id: template}``: each family's ids shuffled (seeded) and halved."""
    rng = random.Random(f"templates:{seed}")
    out: dict[str, dict[str, dict[str, Any]]] = {}
    for fam, entries in sorted(_families().items()):
        ids = sorted(entries)
        rng.shuffle(ids)
        cut = (len(ids) + rng.randint(0, 1)) // 2
        out[fam] = {"tune": {i: entries[i] for i in ids[:cut]}, "test": {i: entries[i] for i in ids[cut:]}}
        if not out[fam]["tune"] or not out[fam]["test"]:
            raise ValueError(f"template family {fam} has too few entries to split: {ids}")
    return out


def split_sources(items: list[dict[str, Any]], seed: int) -> dict[str, str]:
    """``source id -> split``, stratified (each stratum's sources shuffled, then alternated): sources with several
    constraints, with energy efficiency, with a slice, then by objective KPI, so both splits hold every phenomenon."""
    rng = random.Random(f"sources:{seed}")
    by_kpi: dict[str, list[str]] = defaultdict(list)
    for it in items:
        g = it["gold"]
        kpis = [g["objective"]["kpi"]] + [c["kpi"] for c in g["constraints"]]
        slices = [g["objective"]["slice"]] + [c["slice"] for c in g["constraints"]]
        stratum = ("~multi" if len(g["constraints"]) >= 2 else "~ratio" if "energy_efficiency" in kpis
                   else "~slice" if any(slices) else g["objective"]["kpi"])
        by_kpi[stratum].append(it["id"])
    out: dict[str, str] = {}
    flip = 0
    for kpi in sorted(by_kpi):
        ids = sorted(by_kpi[kpi])
        rng.shuffle(ids)
        for i, sid in enumerate(ids):
            out[sid] = SPLITS[(i + flip) % 2]
        flip += len(ids)
    return out


# == rendering ==========================================================================================================

def fmt(x: float) -> str:
    """A number as a person writes it: no trailing zeros, no exponent."""
    s = f"{x:.6f}".rstrip("0").rstrip(".")
    return s if s not in ("", "-0") else "0"


_ONES = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
         "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def number_words(n: int) -> str:
    if not 0 <= n < 100:
        return str(n)
    if n < 20:
        return _ONES[n]
    tens, ones = divmod(n, 10)
    return _TENS[tens] + ("" if ones == 0 else "-" + _ONES[ones])


def _unit_family(kpi: str) -> str:
    return {"energy_w": "W", "latency_ms": "ms", "throughput_mean_mbps": "Mbit/s", "throughput_p5_mbps": "Mbit/s",
            "coverage": "fraction", "prb_utilization": "fraction", "fairness": "fairness",
            "handover_rate": "handover", "active_cells": "count", "energy_efficiency": "Mbit/J"}[kpi]


def _format_fits(fid: str, value: float) -> bool:
    """Can format ``fid`` write ``value`` naturally? (kW only from 100 W, Gbps from 100 Mbps, words for integers)"""
    if fid in ("uf.kw", "uf.kilowatts", "uf.kwnosp"):
        return value >= 100
    if fid == "uf.wsep":
        return value >= 1000
    if fid in ("uf.s", "uf.seconds"):
        return value >= 10
    if fid == "uf.gbps":
        return value >= 100
    if fid == "uf.kbps":
        return value < 10
    if fid == "uf.pctwords":
        return float(round(value * 100, 9)).is_integer()
    if fid == "uf.cellwords":
        return float(value).is_integer() and value < 100
    if fid in ("uf.perhour", "uf.peruserhour"):
        return float(round(value * 60, 9)).is_integer()
    return True


def write_value(fid: str, kpi: str, value: float) -> tuple[str, bool]:
    """(the value as written with format ``fid``, whether reading it needs a unit conversion or number words)."""
    p = round(value * 100, 9)
    table: dict[str, tuple[str, bool]] = {
        "uf.pct": (f"{fmt(p)}%", True), "uf.pctsp": (f"{fmt(p)} %", True), "uf.percent": (f"{fmt(p)} percent", True),
        "uf.percent2": (f"{fmt(p)} per cent", True), "uf.frac": (fmt(value), False),
        "uf.pctwords": (f"{number_words(round(p))} percent", True),
        "uf.w": (f"{fmt(value)} W", False), "uf.watts": (f"{fmt(value)} watts", False),
        "uf.kw": (f"{fmt(value / 1000)} kW", True), "uf.kilowatts": (f"{fmt(value / 1000)} kilowatts", True),
        "uf.wsep": (f"{value:,.0f} W", True), "uf.kwnosp": (f"{fmt(value / 1000)}kW", True),
        "uf.ms": (f"{fmt(value)} ms", False), "uf.millis": (f"{fmt(value)} milliseconds", False),
        "uf.s": (f"{fmt(value / 1000)} s", True), "uf.seconds": (f"{fmt(value / 1000)} seconds", True),
        "uf.msec": (f"{fmt(value)} msec", False), "uf.msnosp": (f"{fmt(value)}ms", False),
        "uf.mbps": (f"{fmt(value)} Mbps", False), "uf.mbits": (f"{fmt(value)} Mbit/s", False),
        "uf.gbps": (f"{fmt(value / 1000)} Gbps", True), "uf.kbps": (f"{fmt(value * 1000)} kbps", True),
        "uf.megabits": (f"{fmt(value)} megabits per second", False), "uf.mbpsnosp": (f"{fmt(value)}Mbps", False),
        "uf.permin": (f"{fmt(value)} per user per minute", False), "uf.perminute": (f"{fmt(value)} per minute", False),
        "uf.perhour": (f"{fmt(value * 60)} per hour", True),
        "uf.peruserhour": (f"{fmt(value * 60)} per user per hour", True),
        "uf.fairfrac": (fmt(value), False), "uf.fairpct": (f"{fmt(p)}%", True),
        "uf.cells": (fmt(value), False), "uf.cellwords": (number_words(int(value)) if value < 100 else fmt(value), True),
        "uf.mbitj": (f"{fmt(value)} Mbit/J", False), "uf.mbj": (f"{fmt(value)} Mb/J", False),
    }
    return table[fid]


def clock(hour: int, style: str) -> str:
    """Hour 0..24 as a clock time in ``style`` (see `paraphrase_templates.CLOCK_FORMATS`)."""
    h = hour % 24
    if style == "h24":
        return f"{h:02d}:00"
    if style == "hh":
        return f"{h:02d}h"
    if style == "h24dot":
        return f"{h:02d}.00"
    if h == 0:
        return "midnight"
    if h == 12:
        return "noon"
    n, mark = (h if h < 12 else h - 12), ("am" if h < 12 else "pm")
    return {"h12": f"{n}{mark}", "h12sp": f"{n} {mark}", "h12dots": f"{n} {mark[0]}.{mark[1]}."}[style]


class NoTemplate(Exception):
    """No template of the needed family is on this split's side: the render is skipped."""


class Composer:
    """Writes one text for one gold intent from one split's templates; records the template ids and the tags."""

    def __init__(self, pools: dict[str, dict[str, dict[str, Any]]], split: str, rng: random.Random) -> None:
        self.pools, self.split, self.rng = pools, split, rng
        self.used: list[str] = []
        self.tags: set[str] = set()

    def pick(self, family: str, allow: Callable[[str], bool] | None = None) -> tuple[str, Any]:
        pool = self.pools[family][self.split]
        ids = [i for i in sorted(pool) if allow is None or allow(i)]
        if not ids:
            raise NoTemplate(f"no {family} template on the {self.split} side")
        tid = self.rng.choice(ids)
        self.used.append(tid)
        return tid, pool[tid]

    # -- phrases -------------------------------------------------------------------------------------------------------
    def kpi(self, kpi: str, sl: str | None) -> str:
        _, phrase = self.pick(f"KPI_FORMS.{kpi}")
        if sl is None:
            return str(phrase)
        self.tags.add("slices")
        _, name = self.pick(f"SLICE_NAMES.{sl}")
        _, q = self.pick("SLICE_QUALIFIERS")
        return str(q).format(k=phrase, s=name)

    def value(self, kpi: str, value: float) -> str:
        fid, _ = self.pick(f"UNIT_FORMATS.{_unit_family(kpi)}", lambda i: _format_fits(i, value))
        text, converted = write_value(fid, kpi, value)
        if converted:
            self.tags.add("units")
        return text

    def constraint(self, c: Constraint, kind: str) -> str:
        """One constraint as a clause of ``kind`` (imp, decl, adj, np; see `paraphrase_templates`)."""
        is_guard = c.kpi == "coverage" and c.op == ">=" and c.value == 0.95 and c.slice is None
        if is_guard and kind in ("imp", "adj") and self.rng.random() < 0.3:
            _, t = self.pick(f"GUARD_COVERAGE.{kind}")
            if re.search(r"\b(?:without|don't)\b", str(t)):
                self.tags.add("negation")
            return str(t).format(k=self.kpi(c.kpi, None))
        k = self.kpi(c.kpi, c.slice)
        v = self.value(c.kpi, c.value)
        style = self.rng.random()
        if style < 0.3 and kind != "np":
            self.tags.add("negation")
            _, (e, eing) = self.pick("FALL" if c.op == ">=" else "RISE")
            _, t = self.pick(f"CONSTRAINT_EVENT.{kind}")
            return str(t).format(k=k, e=e, eing=eing, v=v)
        lower_better = KPI_DIRECTION[c.kpi] == "min"
        value_first = style < 0.5 and kind != "np"

        def allow(i: str) -> bool:
            cmp = (T.LOWER | T.UPPER)[i][0]
            if value_first and (cmp.startswith(("{v}", ">", "<", "≥", "≤")) or i in ("up.within", "up.capped")):
                return False
            if i == "lo.orbetter":
                return not lower_better
            if i == "up.within":
                return lower_better
            return True

        _, (cmp, negated) = self.pick("LOWER" if c.op == ">=" else "UPPER", allow)
        if negated:
            self.tags.add("negation")
        cv = str(cmp).format(v=v)
        if value_first:
            _, t = self.pick(f"CONSTRAINT_VALUE_FIRST.{kind}")
            return str(t).format(k=_no_article(k), c=cv)
        _, t = self.pick(f"CONSTRAINT_PLAIN.{kind}")
        return _article(str(t), k, c=cv)

    def objective(self, gold: Intent, variant: str, bound: Constraint | None) -> tuple[str, bool]:
        """(the objective clause, whether it starts with a verb: politeness wrappers need one)."""
        o = gold.objective
        if variant == "means":
            self.tags.add("means_ends")
            return str(self.pick("MEANS_SLEEP")[1]), True
        if variant == "ends":
            self.tags.add("means_ends")
            return str(self.pick("ENDS_CELLS")[1]), True
        if o.kpi == "energy_efficiency":
            self.tags.add("ratio")
            if self.rng.random() < 0.35:
                _, inv = self.pick("INVERSE_EFFICIENCY")
                _, t = self.pick("OBJECTIVE_MIN", lambda i: i not in ("om.improve", "om.optimise"))
                return _article(str(t), str(inv)), True
        if bound is not None:
            want = ("ot.bringto", "ot.reduceto", "ot.cutto", "ot.getunder", "ot.lowerto") if o.goal == "minimize" \
                else ("ot.raiseto", "ot.pushto", "ot.getabove", "ot.increaseto", "ot.boostto")
            try:
                _, t = self.pick("OBJECTIVE_TO", lambda i: i in want)
            except NoTemplate:
                pass
            else:
                return str(t).format(k=self.kpi(o.kpi, o.slice), v=self.value(bound.kpi, bound.value)), True
        k = self.kpi(o.kpi, o.slice)
        r = self.rng.random()
        if o.kpi == "energy_w" and r < 0.25:
            _, t = self.pick("OBJECTIVE_ENERGY")
        elif r < 0.15:
            _, t = self.pick("OBJECTIVE_NOUN_MIN" if o.goal == "minimize" else "OBJECTIVE_NOUN_MAX")
            return _article(str(t), k), False
        else:
            _, t = self.pick("OBJECTIVE_MIN" if o.goal == "minimize" else "OBJECTIVE_MAX")
        return _article(str(t), k), True

    def time(self, hours: list[int] | None) -> str | None:
        if hours is None:
            return None
        named = [w for w in WINDOWS if window_hours(w) == hours]
        if named and (self.rng.random() < 0.5 or named[0] in ("rush_hours", "all_day")):
            _, t = self.pick(f"WINDOW_PHRASES.{named[0]}")
            return str(t)
        self.tags.add("clock")
        _, style = self.pick("CLOCK_FORMATS")
        spans = clock_spans(hours)
        parts = []
        for a, b in spans:
            if b - a == 1:
                _, t = self.pick("SINGLE_HOUR")
                parts.append(str(t).format(a=clock(a, str(style))))
            else:
                _, t = self.pick("SPAN_FORMATS")
                parts.append(str(t).format(a=clock(a, str(style)), b=clock(b, str(style))))
        return " and ".join(parts)

    def cells(self, cells: list[int] | None) -> str | None:
        if cells is None:
            return None
        contiguous = len(cells) > 2 and cells == list(range(cells[0], cells[-1] + 1))
        _, t = self.pick("CELL_FORMATS", lambda i: i != "cf.range" or contiguous)
        if len(cells) == 1:
            return str(t).replace("cells", "cell").format(list=cells[0], hash=f"#{cells[0]}", range=cells[0])
        listed = ", ".join(str(c) for c in cells[:-1]) + f" and {cells[-1]}"
        hashed = ", ".join(f"#{c}" for c in cells)
        return str(t).format(list=listed, hash=hashed, range=f"{cells[0]}-{cells[-1]}")

    def knob_list(self, knobs: Iterable[str]) -> str:
        names = [str(self.pick(f"KNOB_FORMS.{k}")[1]) for k in knobs]
        return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]

    def knobs(self, gold: Intent, variant: str) -> tuple[str | None, str | None]:
        """(a phrase right after the objective, a separate clause) for the knob restriction."""
        if gold.knobs is None or variant == "means":
            return None, None
        excluded = [k for k in KNOB_NAMES if k not in gold.knobs]
        if excluded == ["active"] and self.rng.random() < 0.6:
            _, t = self.pick("KEEP_CELLS_ON")
            self.tags.add("negation")
            return None, str(t)
        if gold.knobs == ["active"] and gold.objective.kpi == "energy_w":
            self.tags.add("means_ends")
            _, t = self.pick("MEANS_BY")
            return str(t), None
        if len(excluded) <= 2 and (len(gold.knobs) > 2 or self.rng.random() < 0.5):
            _, t = self.pick("KNOB_EXCLUDE")
            if re.search(r"\b(?:don't|without|not)\b", str(t)):
                self.tags.add("negation")
            return None, str(t).format(n=self.knob_list(excluded))
        _, t = self.pick("KNOB_ONLY")
        return str(t).format(n=self.knob_list(gold.knobs)), None

    # -- the text ------------------------------------------------------------------------------------------------------
    def compose(self, gold: Intent, variant: str) -> str:
        o = gold.objective
        # "reduce energy to 3.5 kW": a bound on the objective's own KPI in its better direction, said with the verb
        good_op = "<=" if KPI_DIRECTION[o.kpi] == "min" else ">="
        own = [c for c in gold.constraints if (c.kpi, c.slice, c.op) == (o.kpi, o.slice, good_op)]
        bound = own[0] if own and variant == "gold" and self.rng.random() < 0.7 else None
        objective, verb_first = self.objective(gold, variant, bound)
        if bound is not None and not any(u.startswith("ot.") for u in self.used):
            bound = None
        after, knob_clause = self.knobs(gold, variant)
        if after:
            objective += " " + after
        cells = self.cells(gold.cells)
        if cells:
            objective += " " + cells
        when = self.time(gold.hours)
        pos = str(self.pick("TIME_POSITIONS")[1]) if when else ""
        if when and pos == "after_objective":
            objective += " " + when
        rest = [c for c in gold.constraints if c is not bound]
        if len(gold.constraints) >= 2:
            self.tags.add("multi")
        reordered = False
        if rest:
            kind = self.rng.choice(["imp", "decl", "adj", "np"])
            clauses = [self.constraint(c, kind) for c in rest]
            cs = clauses[0]
            for c in clauses[1:]:
                cs += str(self.pick("JOINS")[1]) + c
            fid, frame = self.pick(f"FRAMES.{kind}")
            reordered = fid in T.REORDERED
            if reordered:
                self.tags.add("reordered")
            text = str(frame).format(o=objective, cs=cs, O=_cap(objective), CS=_cap(cs))
        else:
            text = objective
        if knob_clause:
            adjunct = knob_clause.startswith(("without", "keeping", "with "))
            text = text.rstrip(".") + (self.rng.choice([" ", ", "]) if adjunct else self.rng.choice([", ", "; ", ". "]))
            text += _cap(knob_clause) if text.endswith(". ") else knob_clause
        if when and pos == "start":
            text = f"{_cap(when)}, {_lower_first(text)}"
        elif when and pos == "end":
            text = text.rstrip(".") + " " + when
        if verb_first and not reordered and pos != "start" and self.rng.random() < WRAPPER_RATE:
            _, w = self.pick("WRAPPERS")
            text = str(w).format(t=_lower_first(text.rstrip(".")), T=_cap(text.rstrip(".")))
        if self.rng.random() < TYPO_RATE:
            text = self.typo(text)
        if self.rng.random() < 0.5:
            text = _cap(text)
        return re.sub(r"\s+", " ", text).strip()

    def typo(self, text: str) -> str:
        words = [m for m in re.finditer(r"[A-Za-z]{5,}", text)]
        if not words:
            return text
        m = self.rng.choice(words)
        w = m.group(0)
        tid, op = self.pick("TYPOS")
        i = self.rng.randrange(1, len(w) - 2)
        if op == "swap":
            new = w[:i] + w[i + 1] + w[i] + w[i + 2:]
        elif op == "drop":
            new = w[:i] + w[i + 1:]
        elif op == "double":
            new = w[:i] + w[i] + w[i:]
        else:
            new = w[:i] + _KEY_NEIGHBOURS.get(w[i].lower(), w[i]) + w[i + 1:]
        if new == w:
            self.used.remove(tid)
            return text
        self.tags.add("typos")
        return text[:m.start()] + new + text[m.end():]


_KEY_NEIGHBOURS = dict(zip("qwertyuiopasdfghjklzxcvbnm", "wertyuiopqsdfghjklaxcvbnmz", strict=True))


_DETERMINED = re.compile(r"(?:\bthe|possible|best|much|lowest|highest|more|less|minimal|maximum|lower|higher|a|our)\s*$")


def _no_article(k: str) -> str:
    return k[4:] if k.startswith("the ") else k


def _article(template: str, k: str, **kw: str) -> str:
    """``template`` filled with KPI phrase ``k``, dropping k's own "the" after a determiner ("the lowest energy")."""
    before = template.split("{k}")[0]
    return template.format(k=_no_article(k) if _DETERMINED.search(before) else k, **kw)


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def _lower_first(s: str) -> str:
    if len(s) > 1 and s[:2].isupper():  # "URLLC ...", "PRB ..."
        return s
    return s[:1].lower() + s[1:]


# == variants of a source ================================================================================================

def variants(gold: Intent) -> dict[str, Intent]:
    """The source's gold intent and the derived intents that widen the rare phenomena (see the module docstring)."""
    out = {"gold": gold}
    o = gold.objective
    plain_energy = o.kpi == "energy_w" and o.goal == "minimize" and gold.knobs is None
    if plain_energy and not any(c.kpi in ("energy_w", "energy_efficiency") for c in gold.constraints):
        out["ratio"] = gold.model_copy(update={"objective": Objective(kpi="energy_efficiency", goal="maximize")})
    if plain_energy and not any(c.kpi == "active_cells" for c in gold.constraints):
        out["means"] = gold.model_copy(update={"knobs": ["active"]})
    if o.kpi == "active_cells":
        out["ends"] = gold
    return out


def _tags(gold: Intent) -> set[str]:
    tags = set()
    if any(s for _, s in gold.kpis()):
        tags.add("slices")
    if any(k == "energy_efficiency" for k, _ in gold.kpis()):
        tags.add("ratio")
    if len(gold.constraints) >= 2:
        tags.add("multi")
    return tags


def load_sources(path: Path = SOURCES) -> list[dict[str, Any]]:
    return [r for r in _split_rows("all", path) if r["gold"] is not None]


def generate(seed: int = DEFAULT_SEED, sources: list[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    """The paraphrase rows, deterministic in ``seed``."""
    items = sources if sources is not None else load_sources()
    pools = split_templates(seed)
    side = split_sources(items, seed)
    rows: list[dict[str, Any]] = []
    seen: set[str] = set()
    for it in items:
        split = side[it["id"]]
        gold0 = Intent.model_validate(it["gold"])
        for variant, gold in variants(gold0).items():
            rng = random.Random(f"{seed}:{it['id']}:{variant}")
            made = tries = 0
            while made < RENDERS[variant] and tries < 10 * RENDERS[variant]:
                tries += 1
                c = Composer(pools, split, rng)
                try:
                    text = c.compose(gold, variant)
                except NoTemplate:
                    continue
                if text.lower() in seen:
                    continue
                seen.add(text.lower())
                made += 1
                tags = sorted((c.tags | _tags(gold)) & set(PHENOMENA))
                g = gold.model_copy(update={"text": text, "assumptions": []}).model_dump(mode="json")
                rows.append({"id": f"p{len(rows) + 1:05d}", "split": split, "seed": seed, "source": it["id"],
                             "variant": variant, "templates": sorted(set(c.used)), "tags": tags, "text": text,
                             "gold": g})
    return rows


def write(rows: list[dict[str, Any]], path: Path = DATA) -> None:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")


def load(path: Path = DATA, split: str = "test") -> list[dict[str, Any]]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    for r in rows:
        r["gold_intent"] = Intent.model_validate(r["gold"])
    return [r for r in rows if split == "all" or r["split"] == split]


# == training data for `airloop train planner` (issue 12) ==============================================================

TRAIN_DATA = HERE / "intents" / "train_planner.jsonl"
WRITTEN = HERE / "intents" / "train_written"
#: plausible bound values per KPI, in the vocabulary's units (low, high, decimals)
_TRAIN_VALUES = {
    "energy_w": (4000, 20000, -2), "energy_efficiency": (0.05, 2.0, 2), "throughput_mean_mbps": (1, 120, 0),
    "throughput_p5_mbps": (0.5, 20, 1), "coverage": (0.85, 0.99, 2), "fairness": (0.3, 0.9, 2),
    "latency_ms": (1, 50, 0), "latency_p95_ms": (5, 120, 0), "packet_loss": (0.001, 0.05, 3),
    "handover_rate": (0.1, 3.0, 1), "prb_utilization": (0.5, 0.95, 2), "active_cells": (5, 50, 0),
}


def random_intent(rng: random.Random, kpis: list[str]) -> Intent | None:
    """An intent drawn from the vocabulary (not from any source) over ``kpis``: objective, 0-3 bounds on other KPIs,
    sometimes a slice, a window or clock span, cells and knobs. None when the draw is not a valid intent."""
    okpi = rng.choice(kpis)

    def slice_for(k: str) -> str | None:
        return None if k in NETWORK_ONLY_KPIS or rng.random() > 0.25 else rng.choice(["embb", "urllc", "mmtc"])

    constraints = []
    for k in rng.sample([k for k in kpis if k != okpi], rng.choice([0, 1, 1, 1, 2, 2, 3])):
        lo, hi, nd = _TRAIN_VALUES[k]
        v = round(rng.uniform(lo, hi), nd) if nd > 0 else float(round(rng.uniform(lo, hi), nd))
        op = ">=" if KPI_DIRECTION[k] == "max" else "<="
        if k == "active_cells" and rng.random() < 0.5:
            op = ">="
        constraints.append(Constraint(kpi=k, op=op, value=v, slice=slice_for(k)))
    r = rng.random()
    if r < 0.35:
        hours = None
    elif r < 0.8:
        hours = window_hours(rng.choice(list(WINDOWS)))
    else:
        start = rng.randrange(0, 22)
        hours = list(range(start, min(24, start + rng.randint(1, 6))))
    cells = sorted(rng.sample(range(0, 57), rng.randint(1, 3))) if rng.random() < 0.12 else None
    knobs = sorted(rng.sample(list(KNOB_NAMES), rng.randint(1, 3))) if rng.random() < 0.15 else None
    try:
        return Intent(text="", objective=Objective(kpi=okpi, goal="minimize" if KPI_DIRECTION[okpi] == "min"
                                                    else "maximize", slice=slice_for(okpi)),
                      constraints=constraints, hours=hours, cells=cells, knobs=knobs)
    except ValueError:
        return None


def heldout_texts() -> set[str]:
    """Every text a planner figure is reported on (lower-cased): intents.jsonl's test and holdout2, the generated
    test split, and the outsider sets. Training data must hold none of them (tests/test_finetune.py checks)."""
    out = {r["text"].lower() for split in ("test", "holdout2", *HOLDOUT_FILES) for r in _split_rows(split)}
    if DATA.is_file():
        out |= {r["text"].lower() for r in load(split="test")}
    return out


def written_rows(folder: Path = WRITTEN) -> list[tuple[str, str, Intent]]:
    """The written training texts (``train_written/trainNN.jsonl``, see its README): ``(origin, text, gold)`` with
    the writer's gold intent, in file order."""
    paths = sorted(folder.glob("train*.jsonl"))
    if not paths:
        raise SystemExit(f"{folder} holds no trainNN.jsonl file: give the folder of the written training texts "
                         f"(e.g. {WRITTEN.relative_to(HERE.parent)})")
    out = []
    for path in paths:
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip():
                try:
                    r = json.loads(line)
                    if r["gold"] is not None:
                        out.append((f"written:{path.stem}", r["text"], Intent.model_validate(r["gold"])))
                except (ValueError, KeyError, TypeError) as e:
                    raise SystemExit(f"{path.name} line {n} is not a written training row (JSON with 'text' and an "
                                     f"Intent 'gold'): {str(e).splitlines()[0]}; fix or remove the line") from e
    return out


def train_data(seed: int = DEFAULT_SEED, n_random: int = 1500,
               written: Path | None = None) -> tuple[list[dict[str, Any]], Counter[str]]:
    """Texts for `airloop train planner`, written only with the *tune* side of the template split (the same split
    as the benchmark's, so no test template is ever trained on): the generated tune rows of intents.jsonl's *dev*
    sources (never a test or holdout2 intent), plus ``n_random`` intents drawn from the vocabulary (`random_intent`),
    plus, with ``written``, the texts of that folder (`written_rows`: requests written for training by people who
    never saw a test set or the reader). A row is kept when the rule reader's reading equals its gold (by construction,
    or as its writer gave it: two labellers that agree), and never when its text is a held-out text."""
    from airloop.agents.planner import plan_intent

    written_candidates = written_rows(written) if written is not None else []  # a bad folder fails before generating
    split_of = {it["id"]: it["split"] for it in _split_rows("all")}
    kpis = [k for k in KPI_DIRECTION if f"KPI_FORMS.{k}" in _families()]  # KPIs the templates can write
    pools = split_templates(seed)
    held = heldout_texts()
    counts: Counter[str] = Counter()
    candidates: list[tuple[str, str, Intent]] = []
    for r in generate(seed):
        if r["split"] == "tune" and split_of[r["source"]] == "dev":
            candidates.append((f"dev:{r['source']}", r["text"], Intent.model_validate(r["gold"])))
    rng = random.Random(f"train:{seed}")
    drawn = 0
    while drawn < n_random:
        gold = random_intent(rng, kpis)
        if gold is None:
            counts["invalid_draw"] += 1
            continue
        drawn += 1
        try:
            text = Composer(pools, "tune", rng).compose(gold, "gold")
        except NoTemplate:
            counts["no_template"] += 1
            continue
        candidates.append(("random", text, gold))
    candidates += written_candidates
    rows, seen = [], set()
    for origin, text, gold in candidates:
        if text.lower() in held:
            counts["held_out_text"] += 1
            continue
        if text.lower() in seen:
            counts["duplicate"] += 1
            continue
        seen.add(text.lower())
        res = plan_intent(text, strategy="rules")
        if res.status != "ok" or res.intent is None or res.needs_confirmation or not intent_matches(res.intent, gold):
            counts["teacher_wrong"] += 1
            continue
        counts[origin.split(":")[0]] += 1
        rows.append({"id": f"t{len(rows) + 1:05d}", "origin": origin, "text": text,
                     "gold": gold.model_copy(update={"text": text}).model_dump(mode="json")})
    return rows, counts


# == scoring =============================================================================================================

def inversions(pred: Intent, gold: Intent) -> list[str]:
    """What ``pred`` inverts against ``gold``: the objective with the opposite goal (or energy_w read where
    energy_efficiency was meant, the ratio KPI's neighbour), a constraint with the opposite operator on the same KPI,
    slice and value."""
    out = []
    po, go = pred.objective, gold.objective
    if (po.kpi, po.slice) == (go.kpi, go.slice) and po.goal != go.goal:
        out.append(f"objective {po.goal} {po.kpi}")
    elif {po.kpi, go.kpi} == {"energy_w", "energy_efficiency"}:
        out.append(f"objective {po.goal} {po.kpi} for {go.goal} {go.kpi}")
    for c in pred.constraints:
        if any(g.kpi == c.kpi and g.slice == c.slice and g.op != c.op and abs(g.value - c.value) <= 1e-6 * max(
                1.0, abs(g.value)) for g in gold.constraints) and not any(
                g.kpi == c.kpi and g.slice == c.slice and g.op == c.op for g in gold.constraints):
            out.append(f"constraint {c.kpi} {c.op} {c.value:g}")
    return out


def _cached_plan(text: str, model: Any, strategy: str, cache: Path | None, key: str) -> dict[str, Any]:
    """The planner's answer for one text as plain data; with ``cache`` (a JSONL file) answers are appended as they
    come and read back on the next run, so a long model run can be resumed or read while it goes on."""
    from airloop.agents.planner import plan_intent

    if cache is not None:
        if cache.exists():
            for line in cache.read_text(encoding="utf-8").splitlines():
                rec = json.loads(line)
                if rec["key"] == key:
                    return rec
    t0 = time.perf_counter()
    res = plan_intent(text, model, strategy=strategy)  # type: ignore[arg-type]
    rec = {"key": key, "status": res.status, "intent": res.intent.model_dump(mode="json") if res.intent else None,
           "needs_confirmation": res.needs_confirmation, "confidence": res.confidence,
           "seconds": round(time.perf_counter() - t0, 3)}
    if cache is not None:
        with cache.open("a", encoding="utf-8") as f:
            f.write(json.dumps(rec) + "\n")
    return rec


def merge_gaps(text: str) -> list[str]:
    """Where the rules+llm merge may take something from the model (see `airloop.agents.planner` and `_merge.py`):
    the rules read no intent, or several KPIs with no verb, or left a number unused, or did not read a time word, or
    did not read cells in a text that says "cell" and has a number. Elsewhere rules+llm's intent is the rule reading,
    whatever the model answers."""
    from airloop.agents.planner import parse_rules
    from airloop.agents.planner._rules import mentions_time, normalize_text

    rd = parse_rules(text)
    if rd.intent is None:
        return ["no rule reading"]
    out = []
    if rd.objective_source == "bare" and len(rd.bare_candidates) > 1:
        out.append("several KPIs with no verb")
    if rd.free_numbers:
        out.append("a number the rules did not use")
    if "hours" not in rd.found and mentions_time(normalize_text(text)):
        out.append("a time word the rules did not read")
    if "cells" not in rd.found and re.search(r"\bcells?\b", text.lower()) and re.search(r"\d", text):
        out.append("cells the rules did not read")
    return out


def score(rows: list[dict[str, Any]], model: Any, strategy: str, tags_of: Callable[[dict[str, Any]], list[str]],
          verbose: bool = False, cache: Path | None = None, name: str = "",
          gaps_only: bool = False) -> dict[str, Any]:
    """Exact match per phenomenon, inversions and flags. ``gaps_only`` (rules+llm): the model is asked only where the
    merge may use its answer (`merge_gaps`); elsewhere the rule reading is the answer (the same intent by the merge's
    rules; the confidence misses only the model-disagreement term)."""

    per_tag: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    ok_n = flagged = flagged_wrong = flagged_right = 0
    inverted = inverted_unflagged = 0
    fields: Counter[str] = Counter()
    misses = []
    t0 = time.perf_counter()
    spec = getattr(model, "spec", "none")
    seconds = 0.0
    for r in rows:
        gold = r["gold_intent"]
        if gaps_only and strategy == "rules+llm" and not merge_gaps(r["text"]):
            rec = _cached_plan(r["text"], None, "rules", None, "")
        else:
            rec = _cached_plan(r["text"], model, strategy, cache, f"{spec}|{strategy}|{r['id']}|{r['text']}")
        seconds += rec["seconds"]
        pred = Intent.model_validate(rec["intent"]) if rec["intent"] else None
        ok = rec["status"] == "ok" and pred is not None and intent_matches(pred, gold)
        low = bool(rec["needs_confirmation"])
        ok_n += ok
        flagged += low
        flagged_wrong += low and not ok
        flagged_right += low and ok
        inv = inversions(pred, gold) if pred is not None else []
        if inv:
            inverted += 1
            inverted_unflagged += not low
        for tag in ["all", *tags_of(r)]:
            per_tag[tag][0] += ok
            per_tag[tag][1] += 1
        if not ok:
            diff = intent_diff(pred, gold) if pred is not None else ["status"]
            fields.update(diff)
            misses.append({"id": r["id"], "text": r["text"], "fields": diff, "inverted": inv, "flagged": low})
            if verbose:
                got = pred.model_dump(exclude={"text", "assumptions"}) if pred else rec["status"]
                print(f"  MISS {r['id']} [{strategy}] {r['text']!r}\n    fields {diff} inverted {inv} flagged {low}\n"
                      f"    got:  {got}\n    gold: {gold.model_dump(exclude={'text', 'assumptions'})}",
                      file=sys.stderr)
    n = len(rows)
    wall = seconds if cache is not None else time.perf_counter() - t0
    return {
        "n": n, "exact_match": ok_n / n if n else None,
        "by_phenomenon": {t: {"exact": v[0] / v[1], "n": v[1]} for t, v in sorted(per_tag.items())},
        "flagged": flagged, "flagged_and_wrong": flagged_wrong, "flagged_but_right": flagged_right,
        "wrong_unflagged": (n - ok_n) - flagged_wrong,
        "inverted": inverted, "inverted_unflagged": inverted_unflagged,
        "misses_by_field": dict(fields), "seconds_per_text": wall / n if n else 0.0, "misses": misses,
    }


_CLOCK_RE = re.compile(r"\d\s*(?:am|pm|a\.m\.|p\.m\.|h\b)|\b\d{1,2}[:.]\d{2}\b|midnight|noon", re.I)


def old_tags(it: dict[str, Any]) -> list[str]:
    """The phenomena of an old-split item, from its gold intent, its hand tags and its text."""
    gold: Intent = it["gold_intent"]
    tags = _tags(gold)
    tags |= {t for t in it.get("tags", []) if t in ("negation", "units")}
    if gold.hours is not None and _CLOCK_RE.search(it["text"]):
        tags.add("clock")
    if gold.objective.kpi == "active_cells" or (gold.knobs == ["active"]):
        tags.add("means_ends")
    return sorted(tags)


def _split_rows(split: str, sources: Path = SOURCES) -> list[dict[str, Any]]:
    """The rows of one hand-written split (gold or not): intents.jsonl's, or an outsider set's own file."""
    path = HOLDOUT_FILES.get(split, sources)
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [r for r in rows if split == "all" or r["split"] == split]


def refusals(split: str, model: Any = None, strategy: str = "rules") -> tuple[int, int]:
    """(refused, texts to refuse) of one hand-written split: the planner must end without an intent on every text
    whose gold is null."""
    from airloop.agents.planner import plan_intent

    bad = [r for r in _split_rows(split) if r["gold"] is None]
    return sum(plan_intent(r["text"], model, strategy=strategy).status != "ok" for r in bad), len(bad)  # type: ignore[arg-type]


def _old_items(split: str) -> list[dict[str, Any]]:
    """The hand-written texts of one split with a gold intent (an outsider set: its own file, `HOLDOUT_FILES`)."""
    out = []
    for r in _split_rows(split):
        if r["gold"] is None:
            continue
        r["gold_intent"] = Intent.model_validate(r["gold"])
        out.append(r)
    return out


def _sample(rows: list[dict[str, Any]], n: int | None, seed: int) -> list[dict[str, Any]]:
    """At most ``n`` rows, stratified so every phenomenon keeps its share (seeded)."""
    if n is None or n >= len(rows):
        return rows
    rng = random.Random(f"sample:{seed}")
    picked: list[dict[str, Any]] = []
    order = list(rows)
    rng.shuffle(order)
    per = max(1, n // (len(PHENOMENA) + 1))
    for tag in (*PHENOMENA, "none"):
        cand = [r for r in order if (tag in r["tags"] or (tag == "none" and not r["tags"])) and r not in picked]
        picked += cand[:per]
    picked += [r for r in order if r not in picked][: max(0, n - len(picked))]
    return sorted(picked[:n], key=lambda r: r["id"])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    g = sub.add_parser("generate", help="write benchmarks/intents/paraphrases.jsonl")
    g.add_argument("--seed", type=int, default=DEFAULT_SEED)
    g.add_argument("--out", type=Path, default=DATA)
    t = sub.add_parser("train-data", help="write benchmarks/intents/train_planner.jsonl (airloop train planner)")
    t.add_argument("--seed", type=int, default=DEFAULT_SEED)
    t.add_argument("--random", type=int, default=1500, help="intents drawn from the vocabulary")
    t.add_argument("--out", type=Path, default=TRAIN_DATA)
    t.add_argument("--written", type=Path, default=None, help=f"also the written training texts of this folder "
                   f"(e.g. {WRITTEN.relative_to(HERE.parent)})")
    r = sub.add_parser("run", help="score the planner on the generated set and the old splits")
    r.add_argument("--model", action="append", help="model spec (repeatable); 'none' = rules only (default)")
    r.add_argument("--strategy", action="append", choices=["rules", "llm", "rules+llm"])
    r.add_argument("--split", default="test", choices=["tune", "test", "all"])
    r.add_argument("--sample", type=int, default=None, help="model strategies: at most N generated rows, "
                   "stratified by phenomenon (the rules always read every row)")
    r.add_argument("--old-sample", type=int, default=None, help="model strategies: at most N texts of each old split "
                   "(0: none)")
    r.add_argument("--model-old-sets", default=None, help="model strategies: only these hand-written sets "
                   "(comma-separated of dev,test,holdout2,holdout3..holdout14; default all, each cut by --old-sample)")
    r.add_argument("--cache", type=Path, default=None, help="model strategies: a JSONL file of answers, appended to "
                   "and read back (resumable)")
    r.add_argument("--default-full", action="store_true", help="also score rules+llm on the whole generated split and "
                   "the whole outsider sets, asking the model only where the merge may use its answer (see merge_gaps)")
    r.add_argument("--save", action="store_true", help="write benchmarks/results/paraphrases.{json,txt}")
    r.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args(argv)
    if args.cmd == "generate":
        rows = generate(args.seed)
        write(rows, args.out)
        counts = Counter(r["split"] for r in rows)
        tags = Counter(t for r in rows for t in r["tags"])
        print(f"wrote {len(rows)} rows to {args.out} (seed {args.seed}): {dict(counts)}; tags {dict(tags)}")
        return 0
    if args.cmd == "train-data":
        rows, counts = train_data(args.seed, args.random, args.written)
        write(rows, args.out)
        print(f"wrote {len(rows)} rows to {args.out} (seed {args.seed}): {dict(counts)}")
        return 0
    return _run(args)


def _run(args: argparse.Namespace) -> int:
    gen = load(split=args.split)
    specs = [s for s in (args.model or ["none"]) if s != "none"]
    strategies = args.strategy or (["rules", "llm", "rules+llm"] if specs else ["rules"])
    sets = {f"generated {args.split}": (gen, lambda r: r["tags"])}
    if specs and args.sample is not None and args.sample < len(gen):
        # the model strategies read a sample: the rules read it too, for a like-for-like row
        sets[f"sample of {args.sample}"] = (_sample(gen, args.sample, DEFAULT_SEED), lambda r: r["tags"])
    for old in ("dev", "test", "holdout2", *HOLDOUT_FILES):
        sets[f"new {old}" if old in HOLDOUT_FILES else f"old {old}"] = (_old_items(old), old_tags)
    rows: list[dict[str, Any]] = []
    lines: list[str] = []
    models: list[tuple[str, Any]] = [("none", None)]
    for spec in specs:
        from airloop.agents.models import get_model

        m = get_model(spec)
        m.preflight()
        models.append((m.spec, m))
    for name, (items, tags_of) in sets.items():
        for spec, model in models:
            for strategy in strategies:
                if (strategy == "rules") != (model is None):
                    continue
                use = items
                if model is not None:
                    if name.startswith("generated") and f"sample of {args.sample}" in sets:
                        continue  # the model strategies read the sample only
                    if name.startswith(("old", "new")) and args.model_old_sets is not None \
                            and name.split()[-1] not in args.model_old_sets.split(","):
                        continue
                    use = items if not name.startswith(("old", "new")) else \
                        items[: args.old_sample] if args.old_sample is not None else items
                if not use:
                    continue
                res = score(use, model, strategy, tags_of, args.verbose, cache=args.cache if model else None)
                if model is None and name.split()[-1] in HOLDOUT_FILES:
                    res["refused"] = list(refusals(name.split()[-1]))
                rows.append({"set": name, "model": spec, "strategy": strategy, **res})
                refused = f" refused {res['refused'][0]}/{res['refused'][1]}" if "refused" in res else ""
                print(f"  {name:<16} {spec[:24]:<24} {strategy:<10} {_pct(res['exact_match'])} n={res['n']}{refused}",
                      file=sys.stderr)
    if args.default_full:
        for spec, model in models[1:]:
            res = score(gen, model, "rules+llm", lambda r: r["tags"], args.verbose, cache=args.cache, gaps_only=True)
            n_gaps = sum(bool(merge_gaps(r["text"])) for r in gen)
            rows.insert(1, {"set": f"generated {args.split}", "model": spec, "strategy": "rules+llm", "gaps_only": n_gaps,
                            **res})
            # the outsider sets likewise, whole: the model is asked where the merge may use its answer
            wanted = args.model_old_sets.split(",") if args.model_old_sets else list(HOLDOUT_FILES)
            for h in (h for h in HOLDOUT_FILES if h in wanted):
                items = _old_items(h)
                res = score(items, model, "rules+llm", old_tags, args.verbose, cache=args.cache, gaps_only=True)
                rows.append({"set": f"new {h}", "model": spec, "strategy": "rules+llm",
                             "gaps_only": sum(bool(merge_gaps(r["text"])) for r in items), **res})
    lines.append(f"planner on generated paraphrases ({DATA.name}, seed {gen[0]['seed'] if gen else '-'}) and the old "
                 "splits; exact match per phenomenon (n in brackets)")
    cols = ["all", *PHENOMENA]
    lines.append(f"{'set':<16} {'model':<22} {'strategy':<10} " + " ".join(f"{c[:10]:>13}" for c in cols)
                 + "  inverted(unflagged) flagged(wrong/right)")
    for r in rows:
        cells = []
        for c in cols:
            v = r["by_phenomenon"].get(c)
            cells.append(f"{_pct(v['exact'])} ({v['n']:>3})" if v else f"{'-':>13}")
        lines.append(f"{r['set']:<16} {r['model'][:22]:<22} {r['strategy']:<10} " + " ".join(f"{x:>13}" for x in cells)
                     + f"  {r['inverted']:>3} ({r['inverted_unflagged']})"
                       f"             {r['flagged']:>3} ({r['flagged_and_wrong']}/{r['flagged_but_right']})")
    lines += [f"{r['set']}: {r['refused'][0]}/{r['refused'][1]} texts to refuse refused ({r['strategy']})"
              for r in rows if "refused" in r]
    summary = {"benchmark": "paraphrases", "split": args.split, "python": platform.python_version(),
               "sample": args.sample, "rows": rows}
    text = "\n".join(lines)
    print(text)
    print(json.dumps({**summary, "rows": [{k: v for k, v in r.items() if k != "misses"} for r in rows]}))
    if args.save:
        RESULTS.mkdir(exist_ok=True)
        (RESULTS / "paraphrases.json").write_text(json.dumps(summary, indent=1) + "\n")
        (RESULTS / "paraphrases.txt").write_text(text + "\n")
    return 0


def _pct(x: float | None) -> str:
    return "   -  " if x is None else f"{100 * x:5.1f}%"


if __name__ == "__main__":
    sys.exit(main())
