"""The planner: plain-language text → `Intent`.

Three strategies (`STRATEGIES`), all ending in the same deterministic post-processing:

* ``rules``: a deterministic reader (`parse_rules`): a lexicon of KPI, slice, knob and time words, number-and-unit
  patterns, comparators and their negations, read clause by clause. No model.
* ``llm``: the model alone fills the bounded `IntentDraft` schema (`airloop.agents.intent.draft_schema`) under
  constrained decoding, with few-shot examples from ``prompts/planner_examples.jsonl``; code only converts units, maps
  the window to hours, drops constraints and cells whose number the text does not contain, and validates. The text
  must still name something of the domain, or it is refused unread.
* ``rules+llm`` (the default with a model): the rule reading is shown to the model as a draft, with the schema's enums
  narrowed to the KPIs and slices the text names (and to "now" when it names no time); the model confirms or
  completes it. Merge rules (`_merge`), each decision listed in ``PlanResult.postprocessing``:
  - the objective stays the rule reading's, except when the text names several KPIs with no verb and no bound: then
    the model picks which one (its direction stays the KPI's own);
  - the rules' constraints stay; a model constraint is added only on a KPI the text names and has no bound yet, with
    a value equal to a number of the text that no rule constraint used (read with its own unit);
  - hours, cells and knobs read from explicit words stay; the model may fill hours only when the text has a time
    word the rules could not read, and cells only with numbers the text contains when it says "cell"; model knobs are
    dropped (a knob restriction needs explicit words).
  Text in which the rules find no KPI at all is refused without a model call. If the model fails (malformed answer,
  timeout, exhausted budget) the rule reading is used, with a note.

A 135M model cannot be trusted to read "95 %" as 0.95 or a clock span as hours, so the model copies numbers and units
and names a window, and code does the arithmetic. Ambiguities are settled by documented defaults (`WINDOWS`, the
comparator a bare number gets, `GUARD_DEFAULTS`) and listed in the intent's ``assumptions``.

Text that asks for knob values or to ignore limits ("set 80 dBm everywhere") never carries a value into the intent:
an intent has no field for one. Such text is flagged in ``notes``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any, Literal, cast

from airloop.prompts import load_examples, load_prompt

from .intent import (
    FRACTION_KPIS,
    KNOB_NAMES,
    KPI_DIRECTION,
    KPI_UNITS,
    SLICES,
    WINDOWS,
    Constraint,
    Goal,
    Intent,
    KnobName,
    Objective,
    Op,
    _close,
    constraint_key,
    default_goal,
    describe_window,
    draft_schema,
    intent_from_draft,
    normalize_value,
    span_hours,
    window_clock,
    window_hours,
)

Strategy = Literal["rules", "llm", "rules+llm"]
STRATEGIES: tuple[str, ...] = ("rules", "llm", "rules+llm")
#: the same tuple, under a name that cannot be confused with the optimizer's strategy registry
PLANNER_STRATEGIES = STRATEGIES
Status = Literal["ok", "invalid", "failed"]

MAX_TEXT_CHARS = 2000

#: A KPI guarded without a number ("without hurting coverage") gets this bound; other KPIs get none (and a note),
#: because no absolute default fits every scenario. 0.95 is DESIGN.md's example target.
GUARD_DEFAULTS: dict[str, tuple[str, float]] = {"coverage": (">=", 0.95)}

EXAMPLE_INTENT = "cut energy at night but keep coverage above 95%"


@dataclass
class PlanResult:
    """What `plan_intent` returns. ``status``: ``ok``; ``invalid`` (empty or unreadable text: the CLI exits 2);
    ``failed`` (the model failed and no rule reading could stand in, in the ``llm`` strategy)."""

    intent: Intent | None
    status: Status
    notes: list[str] = field(default_factory=list)
    postprocessing: list[str] = field(default_factory=list)
    usage: list[Any] = field(default_factory=list)
    strategy: str = "rules"
    model: str | None = None
    prompts: dict[str, str] = field(default_factory=dict)
    raw: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "intent": self.intent.model_dump() if self.intent else None,
            "status": self.status,
            "notes": self.notes,
            "postprocessing": self.postprocessing,
            "strategy": self.strategy,
            "model": self.model,
            "prompts": self.prompts,
            "usage": [u.model_dump() if hasattr(u, "model_dump") else u for u in self.usage],
        }


# == lexicon ============================================================================================================
# Patterns run on lower-cased text. Order matters: the most specific phrase first; a matched span is masked so that
# no later pattern reads it again.

_NUMBER_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}
_TENS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_UNITS_WORDS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine")

_SLICE_SUFFIX = r"(?:\s+(?:slice|users?|traffic|devices?|services?|ues|subscribers|customers))?"
_SLICE_PATTERNS: list[tuple[str, str]] = [
    (r"urllc|ultra[- ]?reliable(?:[- ]low[- ]latency)?(?:\s+communications?)?|low[- ]latency\s+(?:slice|users?|traffic"
     r"|services?|communications?)|mission[- ]critical|critical\s+(?:traffic|services|communications)", "urllc"),
    (r"embb|enhanced\s+mobile\s+broadband|mobile\s+broadband|broadband\s+(?:slice|users?|traffic)|video\s+(?:users?"
     r"|streaming|slice)", "embb"),
    (r"mmtc|massive\s+(?:machine[- ]type|iot|mtc)(?:\s+communications?)?|machine[- ]type(?:\s+communications?)?"
     r"|iot|sensors?|m2m|smart\s+meters?", "mmtc"),
]

# Knobs: (pattern, knob, mode). Mode "neg": the phrase excludes its knob by itself ("keep all cells on"); "act": the
# phrase is an action on the knob, a means unless negated; None: the knob is a means only after a cue word.
_KNOB_PATTERNS: list[tuple[str, str, str | None]] = [
    (r"(?:keep|leave)\s+(?:all|every)(?:\s+the)?\s+cells?\s+(?:on|active|awake|running|switched\s+on|powered)"
     r"|all\s+cells\s+(?:stay|remain)\s+(?:on|active)", "active", "neg"),
    (r"(?:tx|transmit|transmission|output|radiated|antenna|downlink|radio|signal|cell)[- ]power(?:\s+levels?)?"
     r"(?!\s*(?:consumption|draw|usage|use|bill|budget))|power\s+(?:levels?|settings?)|tx_power_dbm", "tx_power_dbm",
     None),
    (r"(?:electrical\s+|antenna\s+|mechanical\s+)?(?:down)?tilt(?:s|ing|ed)?|tilt_deg|antenna\s+angles?", "tilt_deg",
     None),
    (r"cell\s+individual\s+offsets?|cios?|cio_db|(?:handover|mobility|cell[- ]selection|individual)\s+offsets?"
     r"|offsets?", "cio_db", None),
    (r"slice[ _]shares?|slice\s+(?:split|splits|allocations?|weights?|quotas?|partition\w*)|(?:prb|resource)\s+"
     r"(?:split|splits|shares?|partition\w*)|shares?\s+(?:between|among|across|per)\s+(?:the\s+)?slices|re-?slic\w+"
     r"|slicing", "slice_shares", None),
    # an action phrase names its knob as the means by itself ("switch off idle cells at night to save energy")
    (r"(?:switch|turn|shut|put)(?:ing|ed|s)?\s+(?:(?:the|some|any|a|an|all|every|each|more|extra|spare"
     r"|redundant|lightly[- ]loaded|idle|unused|empty|quiet|low[- ]load|cells?|sites?|them|it|of)\s+){0,3}(?:off|down"
     r"|to\s+sleep)\b|power(?:ing|ed|s)?\s+(?:down|off)\s+(?:\w+\s+){0,2}(?:cells?|sites?)|deactivat\w+", "active",
     "act"),
    (r"sleep(?:ing)?\s+modes?|sleep\w*|asleep|on/off|cell\s+activation", "active", None),
]

# KPIs: (pattern, kpi, flag). flag: None; "inv" = the phrase names the KPI's opposite ("coverage holes", "sleeping
# cells"); "min" = the phrase itself asks to minimize ("greener").
# the cell-edge qualifier of the 5th-percentile throughput
_P5 = (r"(?:(?:worst|bottom|lowest)\s+5\s*%(?:\s+of(?:\s+the)?)?|(?:cell[- ])?edge|worst(?:[- ]case|[- ]served)?|tail"
       r"|weakest|5th[- ]percentile|fifth[- ]percentile|p5|5\s*%[- ]?(?:ile|tile))")
#: read before the knobs, which would otherwise take "switch off" as the `active` knob
_PRE_KNOB_KPI_PATTERNS: list[tuple[str, str, str | None]] = [
    (r"(?:switch|turn|put|send|shut)(?:ing)?\s+(?:off\s+|down\s+)?as\s+many\s+cells(?:\s+as\s+(?:possible|you\s+can))?"
     r"(?:\s+(?:off|down|to\s+sleep))?|as\s+many\s+cells\s+(?:as\s+(?:possible|you\s+can)\s+)?(?:off|asleep|to\s+sleep"
     r"|sleeping)|(?:the\s+)?(?:most|max(?:imum)?)\s+(?:number\s+of\s+)?(?:sleeping\s+cells|cells\s+(?:asleep|off))",
     "active_cells", "min"),
]
_KPI_PATTERNS: list[tuple[str, str, str | None]] = [
    (r"energy[- ]efficien\w*|bits?\s+per\s+joule|energy_efficiency|efficiency", "energy_efficiency", None),
    (rf"{_P5}\s+(?:users?'?s?\s+)?(?:throughput|speeds?|data\s+rates?|rates?|bit\s?rates?)|throughput_p5(?:_mbps)?"
     rf"|(?:throughput|speeds?|data\s+rates?|rates?)\s+(?:of|for|at|seen\s+by)\s+(?:the\s+)?{_P5}(?:\s+users?)?"
     rf"|{_P5}\s+users?", "throughput_p5_mbps", None),
    (r"throughput_mean(?:_mbps)?|(?:mean|average|avg|user|overall|total|network|aggregate|downlink|cell)?\s*"
     r"throughputs?|data\s+rates?|bit\s?rates?|download\s+speeds?|speeds?|capacity|bandwidth", "throughput_mean_mbps",
     None),
    (r"coverage\s+(?:holes?|gaps?)|dead\s+(?:zones?|spots?)|outages?|out[- ]of[- ]coverage|uncovered(?:\s+users|"
     r"\s+areas)?|not\s+covered", "coverage", "inv"),
    (r"coverage|covered", "coverage", None),
    (r"fairness|jain(?:'s)?(?:\s+(?:fairness\s+)?index)?|fair(?:ly|er)?|equit\w+", "fairness", None),
    (r"latency_ms|latenc(?:y|ies)|delays?|lag|ping(?!\s*-?\s*pong)|response\s+times?|round[- ]trip(?:\s+times?)?|rtt",
     "latency_ms", None),
    (r"handover_rate|ping[- ]?pong(?:s|ing)?(?:\s+handovers?)?|hand-?overs?|hand-?offs?|ho\s+rate|mobility\s+events",
     "handover_rate", None),
    (r"prb_utilization|prbs?(?:\s+(?:utili[sz]ation|usage|load|occupancy))?|resource(?:\s+block)?\s+(?:utili[sz]ation"
     r"|usage)|utili[sz]ation|congestion|(?:cell|radio|network|prb)\s+load|loads?", "prb_utilization", None),
    (r"sleeping\s+cells|cells?\s+(?:asleep|sleeping|in\s+sleep(?:\s+mode)?)",
     "active_cells", "inv"),
    (r"active_cells|active\s+cells|awake\s+cells|cells?\s+(?:(?:stay|stays|remain|remains|kept|staying|remaining)\s+)?"
     r"(?:active|on|awake|switched\s+on|turned\s+on|powered\s+on|running|in\s+service)|number\s+of\s+(?:active\s+|awake\s+|powered\s+)?cells|cell\s+count", "active_cells",
     None),
    (r"energy_w|energy(?:[- ](?:use|usage|consumption|draw|bill|costs?|footprint|spend(?:ing)?))?|power(?:[- ]"
     r"(?:consumption|draw|usage|use|bill|budget|costs?))?|electricity(?:\s+(?:use|usage|bill|consumption))?"
     r"|consumption|watts?|carbon(?:\s+footprint)?|co2|emissions", "energy_w", None),
    (r"green(?:er)?|eco[- ]?(?:friendly|mode)|sustainab\w+", "energy_w", "min"),
]

_UNIT_RE = (
    r"%|percent|per\s?cent|pct|kw|kilowatts?|megawatts?|mw|w|watts?|gbps|gbit/s|gb/s|gbits?/s|gigabits?(?:\s+per\s+"
    r"second)?|mbps|mbit/s|mb/s|mbits?/s|megabits?(?:\s+per\s+second)?|kbps|kbit/s|kb/s|kilobits?(?:\s+per\s+second)?"
    r"|ms|msecs?|millis(?:econds?)?|milliseconds?|µs|us|microseconds?|mbit/j|mb/j|bits?/j|secs?|seconds?|s"
)
_UNIT_MAP: list[tuple[str, str]] = [
    (r"%|percent|per\s?cent|pct", "%"),
    (r"kw|kilowatts?", "kW"), (r"megawatts?|mw", "MW"), (r"w|watts?", "W"),
    (r"gbps|gbit/s|gb/s|gbits?/s|gigabits?.*", "Gbps"), (r"mbps|mbit/s|mb/s|mbits?/s|megabits?.*", "Mbps"),
    (r"kbps|kbit/s|kb/s|kilobits?.*", "kbps"),
    (r"ms|msecs?|millis(?:econds?)?|milliseconds?", "ms"), (r"µs|us|microseconds?", "us"),
    (r"mbit/j|mb/j", "Mbit/J"), (r"bits?/j", "bit/J"),
    (r"secs?|seconds?|s", "s"),
]
#: unit -> the KPI a number with it implies when its clause names none
_UNIT_IMPLIES = {"W": "energy_w", "kW": "energy_w", "MW": "energy_w", "Mbps": "throughput_mean_mbps",
                 "Gbps": "throughput_mean_mbps", "kbps": "throughput_mean_mbps", "ms": "latency_ms", "s": "latency_ms",
                 "us": "latency_ms", "Mbit/J": "energy_efficiency", "bit/J": "energy_efficiency"}
_UNIT_FAMILY = {"W": "W", "kW": "W", "MW": "W", "Mbps": "Mbit/s", "Gbps": "Mbit/s", "kbps": "Mbit/s", "ms": "ms",
                "s": "ms", "us": "ms", "Mbit/J": "Mbit/J", "bit/J": "Mbit/J"}

_NUM_AHEAD = r"(?=\s*(?:(?:the|a|an|level\s+of|mark\s+of|value\s+of)\s+)?(?:\d|\.\d))"
# (pattern, op, kind): kind "cmp" is a comparator a negation flips; "fixed" already contains its negation.
_COMPARATORS: list[tuple[str, str, str]] = [
    (r"at\s+or\s+(?:above|over)|(?:equal\s+to\s+)?or\s+(?:greater|more|higher)\s+than|(?:greater|more|higher)\s+than\s+or"
     r"\s+equal(?:\s+to)?", ">=", "cmp"),
    (r"at\s+or\s+(?:below|under)|(?:equal\s+to\s+)?or\s+(?:less|lower|fewer)\s+than|(?:less|lower|fewer)\s+than\s+or"
     r"\s+equal(?:\s+to)?", "<=", "cmp"),
    (r"no\s+(?:less|lower|fewer|smaller|worse)\s+than|not\s+(?:less|lower|fewer|smaller)\s+than|never\s+(?:less|lower)"
     r"\s+than", ">=", "fixed"),
    (r"no\s+(?:more|higher|greater|longer|bigger|larger)\s+than|not\s+(?:more|higher|greater|longer)\s+than",
     "<=", "fixed"),
    (r"at\s+least|(?:a\s+)?minimum\s+of|min(?:imum)?\.?" + _NUM_AHEAD + r"|floor\s+of|upwards\s+of", ">=", "cmp"),
    (r"at\s+most|(?:a\s+)?maximum\s+of|max(?:imum)?\.?" + _NUM_AHEAD + r"|ceiling\s+of|cap(?:ped)?\s+(?:at|of)"
     r"|limit(?:ed)?\s+(?:it\s+)?to|within" + _NUM_AHEAD, "<=", "cmp"),
    (r"(?:or\s+(?:more|higher|above|better|greater|over)|and\s+(?:above|up)|(?:minimum|min))(?![\w])(?!" + _NUM_AHEAD[3:],
     ">=", "post"),
    (r"(?:or\s+(?:less|lower|below|fewer|under|smaller)|and\s+(?:below|under)|(?:maximum|max|tops))(?![\w])(?!"
     + _NUM_AHEAD[3:], "<=", "post"),
    (r"(?:greater|more|higher|larger|bigger)\s+than|above|over|beyond|exceed\w*|surpass\w*", ">=", "cmp"),
    (r"(?:less|lower|fewer|smaller|shorter)\s+than|below|under(?:neath)?|beneath", "<=", "cmp"),
    # "get coverage up to 99%" raises it, "latency up to 10 ms" caps it: the KPI's better direction decides
    (r"up\s+to" + _NUM_AHEAD + r"|reach\w*|hit(?:s|ting)?|target(?:ing|s)?(?:\s+of)?|aim(?:ing)?\s+(?:for|at)|goal\s+of",
     "dir", "cmp"),
    (r">=|=>|>|<=|=<|<", "sym", "sym"),
]
_NEGATION = (r"\b(?:not|no|never|don'?t|do\s+not|does\s+not|doesn'?t|must\s+not|mustn'?t|should\s+not|shouldn'?t"
             r"|cannot|can'?t|won'?t|without|avoid\w*|prevent\w*|nor)\b")
_VERBS: list[tuple[str, str]] = [
    (r"as\s+(?:low|little|small|few)\s+as\s+possible|bring(?:ing)?\s+down|drive\s+down|push\s+down|get\s+rid\s+of"
     r"|go(?:es)?\s+down|minimi[sz]\w*|reduc\w*|cut\w*|lower(?:ing|s|ed)?|decreas\w*|sav(?:e|es|ing|ings)|shrink\w*"
     r"|trim\w*|slash\w*|halv\w*|fewer|less|least|lowest|smallest|minimal|curb\w*|limit(?:ing|s)?|eliminat\w*"
     r"|suppress\w*|mitigat\w*|shorter|smaller|conserv\w+|economi[sz]\w*|min(?![\w])", "min"),
    (r"as\s+(?:high|much|many|large|good)\s+as\s+possible|push\s+up|max(?:imi[sz]\w*)?(?:\s+out)?(?![\w])"
     r"|maximi[sz]\w*|increas\w*|boost\w*|rais\w*|grow\w*|more|higher|highest|extend\w*|expand\w*|widen\w*|greater"
     r"|larger|bigger|strengthen\w*|double|doubl\w+|maximum", "max"),
    (r"improv\w*|optimi[sz]\w*|better|best|enhanc\w*|prioriti[sz]\w*|priority|focus(?:ing)?\s+on|fix\w*|close|tackl\w*"
     r"|address", "dir"),
    (r"hurt\w*|harm\w*|degrad\w*|sacrific\w*|compromis\w*|wors\w*|impact\w*|affect\w*|damag\w*|los(?:e|es|ing)"
     r"|break\w*|jeopardi[sz]\w*|keep\w*|maintain\w*|preserv\w*|protect\w*|hold\w*|retain\w*|sustain\w*|ensur\w*"
     r"|guarantee\w*|stable|steady|unchanged|intact|untouched|suffer\w*|(?:stay|remain)s?", "guard"),
]
_KNOB_POS_CUE = (r"\b(?:only|just|solely|exclusively|purely|by|using|use|via|through|with|adjust\w*|chang\w*|tun(?:e|ing)"
                 r"|tweak\w*|modif\w*|touch\w*|alter\w*|vary\w*|optimi[sz]\w*|configur\w*|re-?balanc\w*|balanc\w*"
                 r"|realloc\w*|redistribut\w*|play(?:ing)?\s+with|lower\w*|rais\w*|increas\w*|decreas\w*|reduc\w*|boost\w*"
                 r"|cut\w*)\b")
_KNOB_NEG_AFTER = r"^\s*(?:alone|untouched|unchanged|as\s+(?:it\s+is|they\s+are|is)|fixed|frozen|off[- ]limits)"
_KNOB_POS_AFTER = r"^\s*(?:changes?|adjustments?|tuning)?\s*(?:only|alone)\b"

_BOUNDARY = re.compile(
    r"[;!?]|\.(?!\d)|(?<!\d),|,(?!\d)|\b(?:but|while|whilst|whereas|although|though|yet|without|with|so\s+that|such\s+that|as\s+long\s+as"
    r"|provided(?:\s+that)?|subject\s+to|and|or|then|also|plus|except|unless|using|via|through|meanwhile|otherwise)\b"
    r"|\bby(?=\s+\w+ing\b)"
)
_SOFT_BOUNDARY = re.compile(r"^\s*(?:,|and|or)\s*$")

_INJECTION = re.compile(
    r"ignore\s+(?:all\s+|any\s+|the\s+|every\s+|previous\s+|prior\s+)*(?:limits?|rules?|guardrails?|polic\w+"
    r"|instructions?|constraints?|safety|restrictions?)|disable\s+(?:the\s+|all\s+)?(?:guardrails?|polic\w+|limits?"
    r"|safety)|override|bypass|no\s+matter\s+what|everything\s+off|all\s+cells\s+off|switch\s+off\s+everything"
)
_KNOB_VALUE = re.compile(r"(?<![\w.])(-?\d+(?:\.\d+)?)\s*(dbm|db|degrees?|deg|°)(?![\w])")
#: words that say the text is about some time of day ("per hour" is a unit, not a time)
_TIME_HINT = re.compile(r"\d\s*(?:a\.?m|p\.?m)\b|\b(?:o'?clock|night\w*|overnight|tonight|morning|evening|afternoon|noon"
                        r"|midnight|midday|lunch\w*|peak|off-peak|rush|commut\w*|daytime|dawn|dusk|sunrise|sunset"
                        r"|\d{1,2}:\d{2}|\d{1,2}\s*h|hours?\s+\d{1,2}|business\s+hours|office\s+hours|working\s+hours"
                        r"|all\s+day|24/7)\b")


# == the rule reader ====================================================================================================

@dataclass
class _Mention:
    start: int
    end: int
    kind: str  # kpi | slice | knob | num | cmp | verb | neg
    value: Any = None
    flag: Any = None


@dataclass
class RuleReading:
    """What `parse_rules` found: a draft intent (or None) plus the evidence the merge and the notes use."""

    intent: Intent | None
    objective_source: str | None  # "explicit" | "implied" | "bare" | "from_constraint" | None
    found: set[str]  # fields read from explicit words: "hours", "cells", "knobs"
    kpis_mentioned: list[str]
    slices_mentioned: list[str]
    free_numbers: list[tuple[float, str]]  # (value, unit) of numbers no rule constraint used (for grounding)
    raw_values: dict[tuple[str, str, str | None], tuple[float, str]]  # constraint key -> (value as written, unit)
    notes: list[str]
    assumptions: list[str]
    error: str | None = None
    conversions: list[str] = field(default_factory=list)  # unit conversions done (postprocessing)
    used_numbers: set[int] = field(default_factory=set)  # text positions of the numbers the rules gave a meaning
    bare_candidates: list[tuple[str, str | None]] = field(default_factory=list)  # KPIs named with no verb or bound


class _Text:
    """Lower-cased text with a mask: matched spans are blanked so that later patterns do not read them again."""

    def __init__(self, s: str) -> None:
        self.orig = s
        self.s = s

    def take(self, pattern: str, flags: int = 0) -> list[re.Match[str]]:
        out = []
        for m in re.finditer(pattern, self.s, flags):
            if not m.group(0).strip():
                continue
            out.append(m)
        for m in out:
            self.mask(m.start(), m.end())
        return out

    def mask(self, a: int, b: int) -> None:
        # NUL, not a space: a pattern with \s+ must not bridge a masked phrase ("and <kpi> above" is not "and above")
        self.s = self.s[:a] + "\0" * (b - a) + self.s[b:]


def _words_to_numbers(s: str) -> str:
    tens = "|".join(_TENS)
    units = "|".join(_UNITS_WORDS)
    s = re.sub(rf"\b({tens})[- ]({units})\b", lambda m: str(_NUMBER_WORDS[m[1]] + _NUMBER_WORDS[m[2]]), s)
    words = "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True))
    s = re.sub(rf"\b({words})\b(?=\s*(?:%|percent|per\s?cent|kw|w\b|watts?|kilowatts?|mbps|gbps|ms|milli|seconds?"
               rf"|cells?|handovers?|am\b|pm\b|o'?clock|to\s+\w+\s*(?:am|pm)|\d))",
               lambda m: str(_NUMBER_WORDS[m[1]]), s)
    s = re.sub(r"\b(\d+)\s+hundred\b", lambda m: str(int(m[1]) * 100), s)
    s = re.sub(r"\ba\s+hundred\b", "100", s)
    s = re.sub(r"\bhalf\s+a\s+(?=second|millisecond)", "0.5 ", s)
    return s


def _normalize_text(text: str) -> str:
    s = text.lower()
    for a, b in (("’", "'"), ("‘", "'"), ("–", "-"), ("—", " - "), ("\u00a0", " "), ("≥", ">="), ("≤", "<="),
                 ("μ", "µ")):
        s = s.replace(a, b)
    s = re.sub(r"(\d),(\d{3})(?!\d)", r"\1\2", s)  # 1,500 W
    s = re.sub(r"(\d),(\d{1,2})(?!\d)\s*(%|percent)", r"\1.\2\3", s)  # 99,5 % (decimal comma)
    s = _words_to_numbers(s)
    return re.sub(r"\s+", " ", s).strip()


# -- time --------------------------------------------------------------------------------------------------------------

_T = r"(\d{1,2})(?::(\d{2}))?\s*(a\.?m\.?|p\.?m\.?|h\b|hrs?\b|o'?clock)?|(midnight|noon|midday)"
_T_NEXT = r"(?!\s*(?:%|percent|ms|w\b|kw|mbps|gbps|cells?|db|degrees|mbit|s\b|seconds))"


@dataclass
class _Clock:
    hour: int
    marker: str | None  # "am" | "pm" | "24" (colon, h, >12, midnight/noon) | None


def _clock(groups: tuple[str | None, ...]) -> _Clock:
    num, minutes, mark, word = groups
    if word:
        return _Clock(0 if word == "midnight" else 12, "24")
    h = int(num or 0)
    mark = (mark or "").replace(".", "")
    if mark in ("am", "pm"):
        return _Clock(h % 12 + (12 if mark == "pm" else 0), mark)
    if minutes is not None or mark.startswith("h") or h > 12 or h == 0:
        return _Clock(h % 24, "24")
    return _Clock(h, None)


def _span(a: _Clock, b: _Clock) -> tuple[list[int], str | None]:
    """Hours of a clock span, with an assumption when an unmarked hour had to be read as am or pm."""
    options = []
    for sa in ([a.hour] if a.marker else [a.hour, (a.hour + 12) % 24]):
        for sb in ([b.hour] if b.marker else [b.hour, (b.hour + 12) % 24]):
            length = (sb - sa) % 24 or 24
            options.append((length, (sa != a.hour) + (sb != b.hour), sa != a.hour, sa, sb))
    _, changed, _, sa, sb = min(options)
    note = None
    if changed or (a.marker is None and b.marker is None):
        note = f"clock span read as {sa:02d}:00-{sb:02d}:00"
    return span_hours(sa, sb if sb != 0 else 24), note


def _parse_times(t: _Text, assumptions: list[str], notes: list[str]) -> tuple[list[int] | None, bool]:
    hours: set[int] = set()
    found = False
    now = bool(t.take(r"\b(?:right\s+now|now|currently|at\s+the\s+moment|immediately)\b"))
    # hour indices: "hours 0-5" (inclusive)
    for m in t.take(r"\bhours?\s+(\d{1,2})\s*(?:-|to|through|thru|until|and)\s*(\d{1,2})\b" + _T_NEXT):
        a, b = int(m[1]), int(m[2])
        if 0 <= a <= 23 and 0 <= b <= 23:
            hours |= set(range(a, b + 1)) if a <= b else set(range(a, 24)) | set(range(0, b + 1))
            found = True
    # clock spans
    span_re = (rf"\b(?:(from|between)\s+)?(?:{_T})\s*(?:-|to|till|til|until|through|thru|and)\s*(?:{_T}){_T_NEXT}")
    for m in re.finditer(span_re, t.s):
        g = m.groups()
        start, end = _clock(g[1:5]), _clock(g[5:9])
        if m[1] in (None, "between") and start.marker is None and end.marker is None:
            continue
        hs, note = _span(start, end)
        hours |= set(hs)
        found = True
        if note:
            assumptions.append(note)
        t.mask(m.start(), m.end())
    for m in re.finditer(rf"\b(after|past|from|since)\s+(?:{_T}){_T_NEXT}", t.s):
        c = _clock(m.groups()[1:5])
        if c.marker is None:
            continue
        if c.hour == 0 and m[1] == "after":
            hours |= set(window_hours("night"))
            assumptions.append("after midnight read as " + window_clock("night"))
        else:
            hours |= set(range(c.hour, 24))
            assumptions.append(f"'{m[0].strip()}' read as {c.hour:02d}:00-24:00")
        found = True
        t.mask(m.start(), m.end())
    for m in re.finditer(rf"\b(before|until|till)\s+(?:{_T}){_T_NEXT}", t.s):
        c = _clock(m.groups()[1:5])
        if c.marker is None or c.hour == 0:
            continue
        hours |= set(range(0, c.hour))
        assumptions.append(f"'{m[0].strip()}' read as 00:00-{c.hour:02d}:00")
        found = True
        t.mask(m.start(), m.end())
    for m in re.finditer(rf"\b(?:at|around|by)?\s*(?:{_T}){_T_NEXT}", t.s):
        c = _clock(m.groups()[0:4])
        if c.marker is None or not m.group(0).strip() or m.group(1) == "24":  # "24h" is a duration
            continue
        if c.marker == "24" and m.group(4) is None and m.group(2) is None and not (m.group(3) or "").startswith(("h", "o")):
            continue  # a bare number above 12 is not a time
        hours.add(c.hour)
        found = True
        t.mask(m.start(), m.end())
    named = [
        ("off_peak", r"off[- ]peak(?:\s+hours?)?"),
        ("all_day", r"all\s+day(?:\s+long)?|24/7|(?:a|around|round)\s+the\s+clock|every\s+hour|whole\s+day"
                    r"|all\s+hours|throughout\s+the\s+day|(?:all\s+)?24\s+hours|24h|day\s+and\s+night"),
        ("business_hours", r"(?:business|office|working|work)\s+hours|work(?:ing)?\s*days?(?!\s*s)|during\s+work"),
        ("rush_hours", r"rush[- ]hours?|commut\w+(?:\s+hours?)?"),
        ("peak", r"(?:peak|busy)[- ]hours?|peak\s+(?:time|traffic|load|period)|prime[- ]time|at\s+peak|during\s+peak"
                 r"|busiest\s+hours?"),
        ("night", r"(?:at|during\s+the|over\s*the|in\s+the|by|every)?\s*(?:night(?:time|-time|s|ly)?|overnight|tonight"
                  r"|small\s+hours|wee\s+hours|late\s+at\s+night)"),
        ("evening", r"evenings?"),
        ("morning", r"(?:early\s+)?mornings?"),
        ("lunch", r"lunch(?:time|\s+time|\s+hours?|\s+break)?|midday"),
        ("afternoon", r"afternoons?"),
        ("daytime", r"day[- ]?time|during\s+the\s+day|in\s+the\s+day"),
    ]
    for name, pattern in named:
        if t.take(rf"(?<![\w])(?:{pattern})(?![\w])"):
            if name == "off_peak":
                hours |= set(window_hours("night"))
                assumptions.append("off-peak read as night, " + window_clock("night"))
            else:
                hours |= set(window_hours(name))
                assumptions.append(describe_window(name))
            found = True
    if t.take(r"\b(?:week\s*days?|week\s*ends?|mondays?|tuesdays?|wednesdays?|thursdays?|fridays?|saturdays?"
              r"|sundays?)\b"):
        notes.append("days of the week are not modelled (every simulated day is alike); the day was ignored")
    if now and found:
        notes.append("'now' and a time window both given; the time window was used")
    return (sorted(hours) if hours else None), found


# -- cells and knobs -----------------------------------------------------------------------------------------------------

def _parse_cells(t: _Text, notes: list[str]) -> list[int] | None:
    cells: set[int] = set()
    except_re = r"\b(?:except|excluding|apart\s+from|other\s+than|but\s+not)\s+(?:for\s+)?(?:on\s+)?cells?\s*#?\s*[\d,\s&andort-]+"
    for m in t.take(except_re):
        notes.append(f"'{m[0].strip()}': excluding cells is not supported by the intent; all cells are in scope")
    for m in t.take(r"\bcells?\s*(?:#|no\.?|ids?|numbers?)?\s*(\d+(?:\s*(?:,|and|&|or|-|to|through|thru)\s*#?\d+)*)"
                    r"(?!\s*(?:%|percent|w\b|kw|ms|mbps|cells?))\b"):
        for part in re.split(r"\s*(?:,|and|&|or)\s*", m[1]):
            r = re.match(r"#?(\d+)\s*(?:-|to|through|thru)\s*#?(\d+)", part.strip())
            if r:
                a, b = int(r[1]), int(r[2])
                cells |= set(range(min(a, b), max(a, b) + 1))
            elif part.strip().lstrip("#").isdigit():
                cells.add(int(part.strip().lstrip("#")))
    if t.take(r"\bsites?\s+#?\d+"):
        notes.append("sites are not addressable in an intent; name the cells (e.g. 'cells 3, 4 and 5')")
    return sorted(cells) if cells else None


def _clause_spans(s: str) -> list[tuple[int, int, str]]:
    """[start, end) of each clause and the separator word that opened it."""
    out, last, sep = [], 0, ""
    for m in _BOUNDARY.finditer(s):
        out.append((last, m.start(), sep))
        last, sep = m.start(), m.group(0).strip()
    out.append((last, len(s), sep))
    return out


def _clause_of(pos: int, spans: list[tuple[int, int, str]]) -> int:
    for i, (a, b, _) in enumerate(spans):
        if a <= pos < b:
            return i
    return len(spans) - 1


def _parse_knobs(t: _Text, spans: list[tuple[int, int, str]]) -> tuple[list[str] | None, bool]:
    """Knobs the text restricts the change to: named after a means cue ("only by tilt", "using sleep mode") or
    excluded after a negation ("without touching the tilt", "keep all cells on"). A knob listed right after another
    ("via tx power and tilt") takes the first one's polarity."""
    found: list[tuple[int, int, str, str | None]] = []
    for pattern, knob, mode in _KNOB_PATTERNS:
        found += [(m.start(), m.end(), knob, mode) for m in t.take(rf"(?<![\w])(?:{pattern})(?![\w])")]
    found.sort()
    pos: set[str] = set()
    neg: set[str] = set()
    prev: tuple[int, bool | None] = (-1, None)
    for start, end, knob, mode in found:
        polarity: bool | None
        a, _, _ = spans[_clause_of(start, spans)]
        before, after = t.s[a:start], t.s[end : end + 40]
        if mode == "neg":
            polarity = False
        elif prev[1] is not None and re.fullmatch(r"[\s\0]*(?:,|and|or|&|/|plus)?[\s\0]*(?:the\s+)?",
                                                  t.s[prev[0] : start]):
            polarity = prev[1]
        elif re.search(_NEGATION, before) or re.match(_KNOB_NEG_AFTER, after):
            polarity = False
        elif mode == "act" or re.search(_KNOB_POS_CUE, before) or re.match(_KNOB_POS_AFTER, after):
            polarity = True
        else:
            polarity = None
        if polarity is True:
            pos.add(knob)
        elif polarity is False:
            neg.add(knob)
        prev = (end, polarity)
    if pos:
        knobs = [k for k in KNOB_NAMES if k in pos - neg]
    elif neg:
        knobs = [k for k in KNOB_NAMES if k not in neg]
    else:
        return None, False
    return (knobs or None), True


# -- numbers -------------------------------------------------------------------------------------------------------------

def _unit_name(raw: str | None) -> str:
    if not raw:
        return "none"
    raw = raw.strip()
    for pattern, name in _UNIT_MAP:
        if re.fullmatch(pattern, raw):
            return name
    return "none"


def _convert(kpi: str, value: float, unit: str, clause: str) -> tuple[float | None, str, str | None]:
    """(value in the KPI's unit or None if it cannot apply, unit for the LLM draft, note)."""
    if unit == "us":
        return value / 1000.0, "none", f"{kpi} {value:g} µs = {value / 1000:g} ms"
    if unit in ("Mbit/J", "bit/J"):
        if kpi != "energy_efficiency":
            return None, "none", None
        return (value if unit == "Mbit/J" else value / 1e6), "none", None
    if kpi == "handover_rate" and unit == "none":
        if re.search(r"per\s+hour|an\s+hour|/\s*h(?:our)?\b|hourly", clause):
            return value / 60.0, "per_hour", f"handover_rate {value:g} per hour = {value / 60:g} per minute"
        return value, "per_min", None
    if unit in _UNIT_FAMILY and _UNIT_FAMILY[unit] != KPI_UNITS[kpi]:
        return None, "none", None
    v, note = normalize_value(kpi, value, unit)
    return v, unit, note


def _grounded_value(kpi: str, value: float, free: list[tuple[float, str]]) -> bool:
    """Is ``value`` (in ``kpi``'s unit) one of the text's unused numbers, read with its own unit?"""
    for v, unit in free:
        if not _fits(kpi, unit):
            continue
        conv = _convert(kpi, v, unit, "")[0]
        if conv is not None and _close(conv, value, 1e-6):
            return True
    return False


# -- the reader ----------------------------------------------------------------------------------------------------------

def parse_rules(text: str) -> RuleReading:
    """Read ``text`` with the rule lexicon. Deterministic; never raises on any string."""
    notes: list[str] = []
    assumptions: list[str] = []
    empty = RuleReading(None, None, set(), [], [], [], {}, notes, assumptions)
    if not text or not text.strip():
        empty.error = f"empty intent: say what the network should do, e.g. '{EXAMPLE_INTENT}'"
        return empty
    if len(text) > MAX_TEXT_CHARS:
        empty.error = f"intent too long ({len(text)} characters, at most {MAX_TEXT_CHARS}): state one goal in a sentence"
        return empty
    t = _Text(_normalize_text(text))
    if _INJECTION.search(t.s):
        notes.append("the text asks to bypass limits or switch everything off: an intent carries goals only; "
                     "the policy bounds every change, below every agent")
    for m in t.take(_KNOB_VALUE.pattern):
        notes.append(f"knob value '{m[0].strip()}' ignored: an intent holds goals, not settings; the optimizer "
                     "chooses values within the policy")
    cells = _parse_cells(t, notes)  # before the times: "cells 0-3" is not a clock span
    hours, hours_found = _parse_times(t, assumptions, notes)
    mentions: list[_Mention] = []
    # "between 90% and 98%", "90-98%": a range is a floor and a ceiling; read before clauses split at "and"
    num = r"(\d+(?:\.\d+)?|\.\d+)"
    for m in t.take(rf"(?:\bbetween\s+{num}\s*(?:({_UNIT_RE})(?![\w]))?\s*(?:and|to|-)\s*{num}|(?<![\w.]){num}\s*-\s*{num})"
                    rf"\s*(?:({_UNIT_RE})(?![\w])|(?![a-z]))"):
        lo, hi = (float(m[1]), float(m[3])) if m[1] is not None else (float(m[4]), float(m[5]))
        unit = _unit_name(m[6] or m[2])
        lo, hi = min(lo, hi), max(lo, hi)
        mentions += [_Mention(m.start() + 1, m.start() + 2, "num", lo, unit), _Mention(m.start(), m.start(), "cmp", ">=", "range"),
                     _Mention(m.end() - 1, m.end(), "num", hi, unit), _Mention(m.end() - 2, m.end() - 2, "cmp", "<=", "range")]
    # comparators before the clauses: "at or above", "or more" hold words the clause split would cut at
    for pattern, op, kind in _COMPARATORS:
        if kind == "sym":  # symbols need no word boundary: "coverage>=0.9"
            mentions += [_Mention(m.start(), m.end(), "cmp", ">=" if m[0] in (">=", "=>", ">") else "<=", "cmp")
                         for m in t.take(pattern)]
            continue
        mentions += [_Mention(m.start(), m.end(), "cmp", op, kind)
                     for m in t.take(rf"(?<![\w])(?:{pattern})(?![\w])")]
    spans = _clause_spans(t.s)
    for pattern, sl in _SLICE_PATTERNS:
        mentions += [_Mention(m.start(), m.end(), "slice", sl) for m in t.take(rf"(?<![\w])(?:the\s+)?(?:{pattern}){_SLICE_SUFFIX}(?![\w])")]
    for pattern, kpi, flag in _PRE_KNOB_KPI_PATTERNS:
        mentions += [_Mention(m.start(), m.end(), "kpi", kpi, flag) for m in t.take(rf"(?<![\w])(?:{pattern})(?![\w])")]
    knobs, knobs_found = _parse_knobs(t, spans)
    for pattern, kpi, flag in _KPI_PATTERNS:
        mentions += [_Mention(m.start(), m.end(), "kpi", kpi, flag) for m in t.take(rf"(?<![\w])(?:{pattern})(?![\w])")]
    for m in t.take(rf"(?<![\w.])(\d+(?:\.\d+)?|\.\d+)\s*(?:({_UNIT_RE})(?![\w])|(?![a-z]))"):
        value, unit = float(m[1]), _unit_name(m[2])
        mentions.append(_Mention(m.start(), m.end(), "num", value, unit))
    for m in re.finditer(_NEGATION, t.s):
        mentions.append(_Mention(m.start(), m.end(), "neg"))
    for pattern, kind in _VERBS:
        mentions += [_Mention(m.start(), m.end(), "verb", kind) for m in t.take(rf"(?<![\w])(?:{pattern})(?![\w])")]
    mentions.sort(key=lambda x: x.start)
    clauses: list[list[_Mention]] = [[] for _ in spans]
    for x in mentions:
        clauses[_clause_of(x.start, spans)].append(x)

    kpis_mentioned = list(dict.fromkeys(x.value for x in mentions if x.kind == "kpi"))
    slices_mentioned = list(dict.fromkeys(x.value for x in mentions if x.kind == "slice"))
    reading = RuleReading(None, None, set(), kpis_mentioned, slices_mentioned, [], {}, notes, assumptions)
    if hours_found:
        reading.found.add("hours")
    if cells is not None:
        reading.found.add("cells")
    if knobs_found:
        reading.found.add("knobs")
    if not kpis_mentioned and not any(x.kind == "num" and x.flag in _UNIT_IMPLIES for x in mentions):
        if knobs_found or any(x.kind == "verb" for x in mentions):
            reading.error = ("the text says what to change but not what for: name the KPI to improve (energy, "
                             f"coverage, throughput, latency, fairness, handovers, ...), e.g. '{EXAMPLE_INTENT}'")
        else:
            reading.error = ("no network goal found in the text: name a KPI (energy, coverage, throughput, latency, "
                             f"fairness, handovers, PRB utilization, active cells) and what to do with it, e.g. "
                             f"'{EXAMPLE_INTENT}'")
        return reading

    objectives, constraints, guards, bare = _read_clauses(t.s, t.orig, spans, clauses, reading)
    reading.free_numbers = [(x.value, x.flag) for x in mentions if x.kind == "num" and x.start not in reading.used_numbers]
    objective, source = _choose_objective(objectives, bare, constraints, guards, reading)
    for kpi, sl, negated_text in guards:
        if any(c.kpi == kpi and c.slice == sl for c in constraints) or (objective and objective.kpi == kpi
                                                                        and objective.slice == sl):
            continue
        if kpi in GUARD_DEFAULTS:
            op, value = GUARD_DEFAULTS[kpi]
            constraints.append(Constraint(kpi=kpi, op=cast(Op, op), value=value, slice=sl))
            reading.raw_values[(kpi, op, sl)] = (value, "none")
            assumptions.append(f"'{negated_text}' without a number read as {kpi} {op} {value:g} (default bound)")
        else:
            assumptions.append(f"{kpi} named without a number ('{negated_text}'): not constrained")
            notes.append(f"{kpi} has no bound: give one to protect it (e.g. '{_example_bound(kpi)}')")
    if objective is None:
        reading.error = ("no objective found: say what to improve, e.g. "
                         f"'{EXAMPLE_INTENT}'")
        return reading
    reading.objective_source = source
    try:
        reading.intent = Intent(
            text=text, objective=objective, constraints=constraints, hours=hours, cells=cells,
            knobs=cast("list[KnobName] | None", knobs),
            assumptions=assumptions,
        )
    except ValueError as e:  # a reading the Intent refuses is a bug here, but bad text must never crash a run
        reading.error = f"the text could not be read as a valid intent ({e}); rephrase it, e.g. '{EXAMPLE_INTENT}'"
    return reading


def _example_bound(kpi: str) -> str:
    return {"latency_ms": "latency below 20 ms", "throughput_mean_mbps": "throughput above 50 Mbps",
            "throughput_p5_mbps": "5th-percentile throughput above 2 Mbps", "fairness": "fairness above 0.7",
            "energy_w": "energy below 5 kW", "handover_rate": "handovers below 1 per user per minute",
            "prb_utilization": "PRB utilization below 80%", "active_cells": "at least 10 active cells",
            "energy_efficiency": "efficiency above 0.05 Mbit/J", "coverage": "coverage above 95%"}[kpi]


#: KPIs of the whole network: a slice qualifier near them is not theirs (a slice has no power draw of its own)
NETWORK_ONLY_KPIS = frozenset({"energy_w", "energy_efficiency", "active_cells"})


def _slice_for(kpi: _Mention, clause: list[_Mention], carried: str | None) -> str | None:
    if kpi.value in NETWORK_ONLY_KPIS:
        return None
    slices = [x for x in clause if x.kind == "slice"]
    if not slices:
        return carried
    return min(slices, key=lambda x: abs(x.start - kpi.start)).value


def _read_clauses(s, orig, spans, clauses, reading):  # noqa: C901 — one pass over the clauses, kept in one place
    objectives: list[tuple[str, str | None, str, str]] = []  # (kpi, slice, goal, source)
    constraints: list[Constraint] = []
    guards: list[tuple[str, str | None, str]] = []
    bare: list[tuple[str, str | None]] = []
    carried: str | None = None
    prev_verb: str | None = None
    last_bounded: _Mention | None = None
    last_slice: str | None = None
    notes, assumptions = reading.notes, reading.assumptions
    for ci, clause in enumerate(clauses):
        a, b, sep = spans[ci]
        ctext = s[a:b]
        phrase = _phrase(orig[a:b])
        kpis = [x for x in clause if x.kind == "kpi"]
        nums = [x for x in clause if x.kind == "num"]
        verbs = [x for x in clause if x.kind == "verb"]
        negs = [x for x in clause if x.kind == "neg"]
        cmps = [x for x in clause if x.kind == "cmp"]
        if not kpis and [x for x in clause if x.kind == "slice"] and not nums:
            carried = clause[[x.kind for x in clause].index("slice")].value  # "for URLLC users, ..."
            continue
        if sep in (";", ".", "!", "?"):
            carried = None
        # "coverage above 99% and below 50%": a bound with no KPI after "and" is about the KPI bounded just before
        if not kpis and nums and cmps and last_bounded is not None and sep in (",", "and", "or", "but") \
                and all(_fits(last_bounded.value, n.flag) for n in nums):
            kpis = [_Mention(a, a, "kpi", last_bounded.value, last_bounded.flag)]
            carried = last_slice
        # a number without a KPI in its clause: the unit may name the KPI ("keep it under 3 kW")
        if not kpis:
            for n in nums:
                if n.flag in _UNIT_IMPLIES:
                    kpis.append(_Mention(n.start, n.start, "kpi", _UNIT_IMPLIES[n.flag], None))
                    assumptions.append(f"'{n.value:g} {n.flag}' with no KPI named read as {_UNIT_IMPLIES[n.flag]}")
            if not kpis:
                if nums:
                    notes.append(f"number(s) {[n.value for n in nums]} not tied to any KPI were ignored")
                prev_verb = next((v.value for v in verbs), prev_verb) if verbs else None
                continue
        # "keep coverage and fairness above 0.9": a KPI-only clause shares the next clause's bound
        nxt = clauses[ci + 1] if ci + 1 < len(clauses) else []
        nxt_nums = [x for x in nxt if x.kind == "num"]
        if not nums and not cmps and nxt and _SOFT_BOUNDARY.match(spans[ci + 1][2] or ",") and nxt[0].kind == "kpi" \
                and nxt_nums and sum(x.kind == "kpi" for x in nxt) == 1 \
                and all(_fits(k.value, n.flag, absolute=True) for k in kpis for n in nxt_nums) \
                and not any(v.value in ("min", "max", "dir") for v in verbs) and not any(k.flag for k in kpis):
            nums = [x for x in nxt if x.kind == "num"]
            cmps = [x for x in nxt if x.kind == "cmp"]
            negs = negs + [x for x in nxt if x.kind == "neg"]
        paired = _pair_numbers(kpis, nums, cmps, notes)
        for k in kpis:
            sl = _slice_for(k, clause, carried)
            own = paired[id(k)]
            verb = _verb_for(k, verbs)
            negated = bool(negs) and (verb is None or any(g.start < verb.start for g in negs)) if verb else bool(negs)
            if own:
                for n in own:
                    _add_constraint(k, n, sl, ctext, s[:n.start], cmps, negs, constraints, reading)
                last_bounded, last_slice = k, sl
                if verb is not None and verb.value in ("min", "max", "dir") and not negated and verb.start < k.start \
                        and not any(j.start < k.start and j.start > verb.start for j in kpis if j is not k):
                    objectives.append((k.value, sl, _goal(k, verb.value), "explicit"))
                continue
            if verb is None and prev_verb and sep in (",", "and", "or") and not negs and not cmps:
                verb = _Mention(a, a, "verb", prev_verb)  # "reduce energy and handovers"
            if verb is not None and verb.value in ("min", "max", "dir") and not negated:
                objectives.append((k.value, sl, _goal(k, verb.value), "explicit"))
            elif k.flag == "min" and not negated:
                objectives.append((k.value, sl, "minimize", "implied"))
            elif negated or (verb is not None and verb.value == "guard"):
                if k.flag == "inv":
                    if k.value == "coverage":
                        guards.append(("coverage", sl, phrase))
                    continue
                guards.append((k.value, sl, phrase))
            else:
                bare.append((k.value, sl))
        prev_verb = next((v.value for v in verbs if v.value in ("min", "max", "dir")), None)
    return objectives, constraints, guards, bare


def _gap(k: _Mention, n: _Mention) -> int:
    """Characters between a KPI phrase and a number (0 when adjacent), either order."""
    return n.start - k.end if k.end <= n.start else max(0, k.start - n.end)


def _pair_numbers(kpis: list[_Mention], nums: list[_Mention], cmps: list[_Mention],
                  notes: list[str]) -> dict[int, list[_Mention]]:
    """Which number bounds which KPI in one clause: closest first, one number a KPI (the two ends of a range go
    together), a number only to a KPI its unit fits; one number and several KPIs ("coverage and fairness above
    0.9") bounds them all."""
    paired: dict[int, list[_Mention]] = {id(k): [] for k in kpis}
    ranges = {n.start for n in nums for c in cmps if c.flag == "range" and abs(c.start - n.start) <= 2}
    taken: set[int] = set()
    pairs = sorted(((_gap(k, n), k.start > n.start, i, j) for i, k in enumerate(kpis) for j, n in enumerate(nums)
                    if _fits(k.value, n.flag)))
    for _, _, i, j in pairs:
        k, n = kpis[i], nums[j]
        if j in taken:
            continue
        if paired[id(k)] and not (n.start in ranges and all(m.start in ranges for m in paired[id(k)])):
            continue
        paired[id(k)].append(n)
        taken.add(j)
    for j, n in enumerate(nums):
        if j in taken:
            continue
        fits = [k for k in kpis if _fits(k.value, n.flag)]
        if fits:  # more numbers than KPIs: the closest KPI takes a second bound
            paired[id(min(fits, key=lambda k: _gap(k, n)))].append(n)
        else:
            unit = "" if n.flag == "none" else f" {n.flag}"
            notes.append(f"'{n.value:g}{unit}' fits no KPI named near it; ignored")
    if len(nums) == 1:
        for k in kpis:
            if not paired[id(k)] and _fits(k.value, nums[0].flag, absolute=True):
                paired[id(k)] = [nums[0]]
    return paired


def _phrase(ctext: str) -> str:
    return re.sub(r"\s+", " ", ctext).strip(" ,;.")


def _fits(kpi: str, unit: str, *, absolute: bool = False) -> bool:
    """Can a number with ``unit`` be about ``kpi``? (``absolute``: as a bound, not a relative "20%" target.)"""
    if unit == "%":
        return kpi in FRACTION_KPIS or not absolute
    if unit == "none":
        return True
    if unit in ("Mbit/J", "bit/J"):
        return kpi == "energy_efficiency"
    return _UNIT_FAMILY.get(unit) == KPI_UNITS[kpi]


def _verb_for(k: _Mention, verbs: list[_Mention]) -> _Mention | None:
    strong = [v for v in verbs if v.value in ("min", "max", "dir")]
    pool = strong or verbs
    before = [v for v in pool if v.start < k.start]
    if before:
        return before[-1]
    after = [v for v in pool if v.start >= k.start]
    return after[0] if after else None


def _goal(k: _Mention, verb: str) -> str:
    if verb == "dir":
        return default_goal(k.value)
    goal = "minimize" if verb == "min" else "maximize"
    if k.flag == "inv":
        goal = "maximize" if goal == "minimize" else "minimize"
    return goal


def _add_constraint(k, n, sl, ctext, before_text, cmps, negs, constraints, reading) -> None:
    kpi, value, unit = k.value, n.value, n.flag
    notes, assumptions = reading.notes, reading.assumptions
    reading.used_numbers.add(n.start)
    tail = before_text[-12:]
    if re.search(r"\bfrom\s*$", tail):
        assumptions.append(f"'from {value:g}' read as the current value, not a bound")
        return
    relative = re.search(r"\bby\s*$", tail) or (unit == "%" and kpi not in FRACTION_KPIS)
    if relative:
        assumptions.append(f"'{value:g}{'%' if unit == '%' else ' ' + unit if unit != 'none' else ''}' on {kpi} read "
                           "as a relative target, not a bound: the objective asks for as much as the network allows")
        return
    cmp = _comparator_for(n, cmps)
    op = cmp.value if cmp is not None else None
    if op == "dir" or op is None:
        op = ">=" if KPI_DIRECTION[kpi] == "max" else "<="
        if k.flag == "inv":
            op = "<="
        if cmp is None:
            assumptions.append(f"{kpi} {value:g}{'' if unit == 'none' else ' ' + unit} with no comparator read as "
                               f"{'a floor (>=)' if op == '>=' else 'a ceiling (<=)'}")
    elif cmp is not None and cmp.flag == "cmp" and any(g.start < cmp.start for g in negs):
        op = "<=" if op == ">=" else ">="
    if k.flag == "inv":
        if kpi != "coverage" or unit not in ("%", "none"):
            notes.append(f"a bound on the opposite of {kpi} cannot be expressed; ignored")
            return
        frac = value / 100.0 if (unit == "%" or value > 1) else value
        op = ">=" if op == "<=" else "<="
        value, unit = round(1.0 - frac, 12), "none"
        assumptions.append(f"bound on uncovered users read as coverage {op} {value:g}")
    conv, draft_unit, note = _convert(kpi, value, unit, ctext)
    if conv is None:
        notes.append(f"unit {unit} does not apply to {kpi}; the number {value:g} was ignored")
        return
    if note:
        reading.conversions.append(note)
    if kpi in FRACTION_KPIS and conv > 1:
        notes.append(f"{kpi} {conv:g} is not a fraction in [0, 1]; ignored")
        return
    c = Constraint(kpi=kpi, op=cast(Op, op), value=conv, slice=sl)
    for other in constraints:
        if constraint_key(other) == constraint_key(c):
            if not _close(other.value, c.value):
                notes.append(f"two bounds {c.kpi} {c.op} ({other.value:g}, {c.value:g}); kept the first")
            return
    constraints.append(c)
    # the draft shown to the model keeps the number as written, with its unit, like the few-shot answers
    reading.raw_values[constraint_key(c)] = (value, draft_unit) if draft_unit in _LLM_UNITS else (conv, "none")


_LLM_UNITS = {"none", "%", "W", "kW", "MW", "Mbps", "Gbps", "kbps", "ms", "s", "per_min", "per_hour"}


def _comparator_for(n: _Mention, cmps: list[_Mention]) -> _Mention | None:
    before = [c for c in cmps if c.start < n.start and c.flag != "post"]
    after = [c for c in cmps if c.start >= n.end - 1 and c.flag == "post" and c.start - n.end < 12]
    if after:
        return after[0]
    return before[-1] if before else None


def _choose_objective(objectives, bare, constraints, guards, reading) -> tuple[Objective | None, str | None]:
    notes, assumptions = reading.notes, reading.assumptions
    ranked = [o for o in objectives if o[3] == "explicit"] or [o for o in objectives if o[3] == "implied"]
    if ranked:
        kpi, sl, goal_word, source = ranked[0]
        goal = cast(Goal, goal_word)
        seen = {(kpi, sl)}
        for other in objectives[1:] if objectives[0] == ranked[0] else objectives:
            if (other[0], other[1]) not in seen:
                seen.add((other[0], other[1]))
                notes.append(f"a second objective ({other[2]} {other[0]}) was not used: an intent has one objective; "
                             "state the other as a bound (e.g. 'keep latency below 20 ms')")
        for kb, sb in bare:
            if (kb, sb) not in seen and not any(c.kpi == kb for c in constraints):
                notes.append(f"{kb} is named without a goal or a bound; not used")
        return Objective(kpi=kpi, goal=goal, slice=sl), source
    if bare:
        unbounded = [(k, s_) for k, s_ in bare if not any(c.kpi == k and c.slice == s_ for c in constraints)]
        reading.bare_candidates = list(dict.fromkeys(unbounded or bare))
        kpi, sl = reading.bare_candidates[0]
        goal = default_goal(kpi)
        assumptions.append(f"no verb for {kpi}: read as the objective, {goal}")
        return Objective(kpi=kpi, goal=goal, slice=sl), "bare"
    if constraints:
        c = constraints[0]
        goal = default_goal(c.kpi)
        assumptions.append(f"no objective stated: {goal} {c.kpi}, the first KPI bounded")
        return Objective(kpi=c.kpi, goal=goal, slice=c.slice), "from_constraint"
    if guards:
        kpi, sl, _ = guards[0]
        goal = default_goal(kpi)
        assumptions.append(f"no objective stated: {goal} {kpi}")
        return Objective(kpi=kpi, goal=goal, slice=sl), "from_constraint"
    return None, None


# == the model ==========================================================================================================

def _system_prompt() -> tuple[str, dict[str, str]]:
    p = load_prompt("planner")
    windows = ", ".join(f'"{w}" ({window_clock(w)})' for w in WINDOWS)
    text = p.fill(
        window_names=f'"now", {windows}, "custom"',
        knob_names=", ".join(KNOB_NAMES),
        slice_names=", ".join(SLICES),
    )
    return text, {p.path.name: p.sha256}


def _draft_json(reading: RuleReading) -> dict[str, Any]:
    from .intent import draft_from_intent

    assert reading.intent is not None
    d = draft_from_intent(reading.intent)
    for c in d["constraints"]:
        key = (c["kpi"], c["op"], None if c["slice"] == "all" else c["slice"])
        if key in reading.raw_values:
            c["value"], c["unit"] = reading.raw_values[key]
    return d


def _messages(text: str, reading: RuleReading | None, with_draft: bool) -> tuple[list[dict[str, str]], dict[str, str]]:
    system, hashes = _system_prompt()
    examples = load_examples("planner")
    hashes[examples.path.name] = examples.sha256
    user = load_prompt("planner_user_draft" if with_draft else "planner_user")
    hashes[user.path.name] = user.sha256
    msgs = [{"role": "system", "content": system}]
    for ex in examples:
        if with_draft:
            draft = ex.get("draft")
            if draft is None:
                r = parse_rules(ex["text"])
                draft = _draft_json(r) if r.intent is not None else ex["answer"]
            content = user.fill(text=ex["text"], draft=json.dumps(draft, separators=(", ", ": ")))
        else:
            content = user.fill(text=ex["text"])
        msgs.append({"role": "user", "content": content})
        msgs.append({"role": "assistant", "content": json.dumps(ex["answer"], separators=(", ", ": "))})
    if with_draft and reading is not None and reading.intent is not None:
        content = user.fill(text=text, draft=json.dumps(_draft_json(reading), separators=(", ", ": ")))
    else:
        content = load_prompt("planner_user").fill(text=text) if with_draft else user.fill(text=text)
    msgs.append({"role": "user", "content": content})
    return msgs, hashes


def _merge(reading: RuleReading, llm: Intent, steps: list[str]) -> Intent:
    """The rules+llm merge: explicit rule readings stay; the model fills gaps, only with what the text supports."""
    rule = reading.intent
    assert rule is not None
    assumptions = list(rule.assumptions)
    objective = rule.objective
    choice = (llm.objective.kpi, llm.objective.slice)
    if reading.objective_source == "bare" and len(reading.bare_candidates) > 1 and choice in reading.bare_candidates:
        # the text names several KPIs with no verb: the model picks which is the objective, the direction stays the
        # KPI's own (a 135M model's "maximize energy" is noise)
        if choice != (rule.objective.kpi, rule.objective.slice):
            objective = Objective(kpi=choice[0], goal=default_goal(choice[0]), slice=choice[1])
            steps.append(f"objective {objective.goal} {objective.kpi} chosen by the model among the KPIs named without "
                         f"a verb {[k for k, _ in reading.bare_candidates]}")
            assumptions = [a for a in assumptions if not a.startswith("no verb for")]
            assumptions.append(f"no verb for {objective.kpi}: the model chose it as the objective, {objective.goal}")
    elif (llm.objective.kpi, llm.objective.goal, llm.objective.slice) != (
            rule.objective.kpi, rule.objective.goal, rule.objective.slice):
        steps.append(f"objective: kept the rule reading ({rule.objective.goal} {rule.objective.kpi}) over the "
                     f"model's ({llm.objective.goal} {llm.objective.kpi})")
    constraints = list(rule.constraints)
    for c in llm.constraints:
        if any(constraint_key(c) == constraint_key(r) for r in constraints):
            continue
        grounded = (c.kpi in reading.kpis_mentioned and (c.slice is None or c.slice in reading.slices_mentioned)
                    and _grounded_value(c.kpi, c.value, reading.free_numbers))
        if grounded and not any(r.kpi == c.kpi and r.slice == c.slice for r in constraints):
            constraints.append(c)
            steps.append(f"constraint {c.kpi} {c.op} {c.value:g} added from the model (the rules missed it)")
        else:
            steps.append(f"model constraint {c.kpi} {c.op} {c.value:g} dropped: not supported by the text")
    hours = rule.hours
    if "hours" not in reading.found and llm.hours is not None:
        if _TIME_HINT.search(rule.text.lower()):
            hours = llm.hours
            assumptions += [a for a in llm.assumptions if a not in assumptions]
            steps.append("hours from the model (the rules read no time)")
        else:
            steps.append("model hours dropped: the text names no time")
    cells = rule.cells
    if "cells" not in reading.found and llm.cells is not None:
        text_ints = {int(x) for x in re.findall(r"(?<![\d.])\d{1,3}(?![\d.])", rule.text)}
        if re.search(r"\bcells?\b", rule.text.lower()) and set(llm.cells) <= text_ints:
            cells = llm.cells
            steps.append("cells from the model (the rules read none)")
        else:
            steps.append("model cells dropped: the text names no such cells")
    knobs = rule.knobs
    if "knobs" not in reading.found and llm.knobs is not None:
        steps.append("model knobs dropped: the text restricts no knob")
    return Intent(text=rule.text, objective=objective, constraints=constraints, hours=hours, cells=cells, knobs=knobs,
                  assumptions=assumptions)


def _resolve_model(model: Any) -> Any:
    if isinstance(model, str):
        from .models import get_model

        return get_model(model)
    return model


def plan_intent(
    text: str,
    model: Any = None,
    *,
    budget: Any = None,
    strategy: Strategy | None = None,
    max_attempts: int | None = None,
) -> PlanResult:
    """Read ``text`` into an `Intent`.

    ``model``: a model from `airloop.agents.models.get_model`, a spec string, or None (rules only). ``strategy``:
    one of `STRATEGIES`; default ``rules+llm`` with a model, ``rules`` without. ``budget``: the run's `Budget`,
    charged for every model call. ``max_attempts``: model calls per answer, repairs included (default 1 for
    ``rules+llm``, whose fallback is the rule reading, and 2 for ``llm``). Never raises for bad text or model trouble:
    see ``PlanResult.status``.
    """
    strategy = strategy or ("rules+llm" if model is not None else "rules")
    if strategy not in STRATEGIES:
        raise ValueError(f"unknown planner strategy {strategy!r}; choose one of {list(STRATEGIES)}")
    if strategy != "rules" and model is None:
        raise ValueError(f"strategy {strategy!r} needs a model; pass model=... or use strategy='rules'")
    model = _resolve_model(model) if strategy != "rules" else None
    model_name = getattr(model, "spec", None)
    reading = parse_rules(text)
    result = PlanResult(intent=None, status="ok", strategy=strategy, model=model_name)
    result.notes = list(reading.notes)
    if reading.error and (strategy != "llm" or not text.strip() or len(text) > MAX_TEXT_CHARS or not _domain(text)):
        result.status = "invalid"
        result.notes.insert(0, reading.error)
        return result
    if strategy == "rules":
        return _finish(result, reading.intent, ["rules only: the rule reading is the intent", *reading.conversions])
    narrow = strategy == "rules+llm"
    schema = draft_schema()
    if narrow and reading.intent is not None:
        # the model picks among what the text names: a 135M model cannot wander off under these enums
        kpis = set(reading.kpis_mentioned) | {k for k, _ in reading.intent.kpis()}
        slices = set(reading.slices_mentioned) | {s for _, s in reading.intent.kpis() if s}
        windows = None if _TIME_HINT.search(_normalize_text(text)) else ["now"]
        schema = draft_schema(kpis=kpis, slices=slices, windows=windows)
    msgs, hashes = _messages(text, reading, with_draft=narrow and reading.intent is not None)
    result.prompts = hashes
    attempts = max_attempts or (1 if strategy == "rules+llm" else 2)
    res = _structured(model, schema, msgs, budget, attempts)
    result.usage = list(getattr(res, "usage", []) or [])
    result.raw = getattr(res, "raw", None)
    if not getattr(res, "ok", False):
        reason = getattr(res, "reason", "model failed")
        if strategy == "llm":
            result.status = "failed"
            result.notes.insert(0, f"the model gave no usable intent ({reason})")
            return result
        result.notes.append(f"the model gave no usable answer ({reason}); the rule reading was used")
        return _finish(result, reading.intent, ["model failed: rule reading used as is", *reading.conversions])
    steps: list[str] = []
    try:
        llm_intent, steps = intent_from_draft(res.value, text=text)
    except ValueError as e:
        if strategy == "llm" or reading.intent is None:
            result.status = "failed"
            result.notes.insert(0, f"the model's answer is not a valid intent: {e}")
            return result
        result.notes.append(f"the model's answer is not a valid intent ({e}); the rule reading was used")
        return _finish(result, reading.intent, ["model answer invalid: rule reading used as is", *reading.conversions])
    if strategy == "llm":
        llm_intent = _drop_invented_numbers(llm_intent, text, steps)
        return _finish(result, llm_intent, ["llm only: post-processing of the model's draft"] + steps)
    if reading.intent is None:
        result.status = "invalid"
        result.notes.insert(0, reading.error or "no intent found")
        return result
    merged = _merge(reading, llm_intent, steps)
    return _finish(result, merged, ["rules+llm: rule reading merged with the model's draft", *reading.conversions,
                                    *steps])


def _structured(model: Any, schema: Any, msgs: list[dict[str, str]], budget: Any, max_attempts: int) -> Any:
    from .models import structured

    return structured(model, schema, msgs, budget=budget, max_attempts=max_attempts)


def _text_numbers(text: str) -> list[float]:
    return [float(x) for x in re.findall(r"\d+(?:\.\d+)?|\.\d+", _normalize_text(text))]


def _drop_invented_numbers(intent: Intent, text: str, steps: list[str]) -> Intent:
    """``llm`` strategy: drop constraints and cells whose number the text does not contain under any unit reading
    (small models fill every list the schema offers). Digits only, no lexicon."""
    nums = _text_numbers(text)
    readings = {round(v * f, 9) for v in nums for f in (1.0, 0.01, 1e3, 1e-3, 1e6, 1 / 60)}
    kept = [c for c in intent.constraints if round(c.value, 9) in readings]
    for c in intent.constraints:
        if c not in kept:
            steps.append(f"dropped model constraint {c.kpi} {c.op} {c.value:g}: the text has no such number")
    cells = [c for c in intent.cells or [] if float(c) in nums] or None
    if intent.cells and cells != intent.cells:
        steps.append(f"dropped model cells {sorted(set(intent.cells) - set(cells or []))}: not in the text")
    return intent.model_copy(update={"constraints": kept, "cells": cells})


def _domain(text: str) -> bool:
    """Does the text name anything of the domain at all? (The ``llm`` strategy's only gate.)"""
    s = _normalize_text(text)
    words = [p for p, _ in _SLICE_PATTERNS] + [p for p, _, _ in _PRE_KNOB_KPI_PATTERNS + _KPI_PATTERNS] + [
        p for p, _, _ in _KNOB_PATTERNS]
    return any(re.search(rf"\b(?:{p})\b", s) for p in words)


def _finish(result: PlanResult, intent: Intent | None, steps: list[str]) -> PlanResult:
    result.postprocessing = steps
    if intent is None:
        result.status = "invalid"
        return result
    for problem in intent.contradictions():
        result.notes.append(f"contradictory constraints: {problem}; kept as stated, the run will report infeasible")
    result.intent = intent
    return result


__all__ = ["GUARD_DEFAULTS", "PLANNER_STRATEGIES", "STRATEGIES", "PlanResult", "RuleReading", "parse_rules",
           "plan_intent"]
