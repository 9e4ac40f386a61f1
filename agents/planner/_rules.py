"""The rule reader (`parse_rules`): plain-language text → a draft `Intent` plus the evidence the merge uses.

Deterministic, no model. The words come from the lexicon (``lexicon.yaml``, see `_lexicon`); this module holds the
grammar: number-and-unit patterns, clock times, the clause split and how a clause's KPIs, numbers, comparators,
negations and verbs combine. Patterns run on lower-cased text; a matched span is masked so that no later pattern
reads it again, so the order in which the readers run matters.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Literal, cast, overload

from airloop.core import (
    FRACTION_KPIS,
    KNOB_NAMES,
    KPI_DIRECTION,
    KPI_NAMES,
    KPI_UNITS,
    SLICES,
    UNIT_FAMILY,
    WINDOWS,
    Constraint,
    Goal,
    Intent,
    KnobName,
    Objective,
    Op,
    constraint_key,
    describe_window,
    normalize_value,
    span_hours,
    values_close,
    window_clock,
    window_hours,
)

from ..intent import default_goal
from ._lexicon import READER_ONLY_UNITS, alternatives, load_lexicon
from ._spelling import common_words, correct, proper_names, vocabulary_of

MAX_TEXT_CHARS = 2000

#: A KPI guarded without a number ("without hurting coverage") gets this bound; other KPIs get none (and a note),
#: because no absolute default fits every scenario. 0.95 is DESIGN.md's example target.
GUARD_DEFAULTS: dict[str, tuple[Op, float]] = {"coverage": (">=", 0.95)}

EXAMPLE_INTENT = "cut energy at night but keep coverage above 95%"

#: KPIs of the whole network: a slice qualifier near them is not theirs (a slice has no power draw of its own)
NETWORK_ONLY_KPIS = frozenset({"energy_w", "energy_efficiency", "active_cells"})

#: the unit family of every unit the reader reads: the shared table plus the units only the planner reads
_UNIT_FAMILY = {**UNIT_FAMILY, **READER_ONLY_UNITS}
#: units the draft shown to the model may carry as written
_LLM_UNITS = {"none", "%", "W", "kW", "MW", "Mbps", "Gbps", "kbps", "ms", "s", "per_min", "per_hour"}
_GOAL_VERBS = ("min", "max", "dir")

# == the lexicon, as patterns ==========================================================================================

LEXICON = load_lexicon()
_NUMBER_WORDS = LEXICON.number_words
_SLICE_SUFFIX = rf"(?:\s+(?:{alternatives(LEXICON.slice_suffix)}))?"
_SLICE_PATTERNS = [(e.pattern, e.name) for e in LEXICON.slices]
_KNOB_PATTERNS = [(e.pattern, e.name, e.flag) for e in LEXICON.knobs]
_PRE_KNOB_KPI_PATTERNS = [(e.pattern, e.name, e.flag) for e in LEXICON.kpis_before_knobs]
_KPI_PATTERNS = [(e.pattern, e.name, e.flag) for e in LEXICON.kpis]
_UNIT_MAP = [(e.pattern, e.name) for e in LEXICON.units]
_UNIT_RE = alternatives(e.pattern for e in LEXICON.units)
_UNIT_IMPLIES = LEXICON.unit_implies
_COMPARATORS = [(e.pattern, e.name, e.flag or "cmp") for e in LEXICON.comparators]
_NEGATION = rf"\b(?:{alternatives(LEXICON.negation)})\b"
_VERBS = [(e.pattern, e.name) for e in LEXICON.verbs]
_KNOB_POS_CUE = rf"\b(?:{alternatives(LEXICON.knob_means)})\b"
_KNOB_NEG_AFTER = rf"^\s*(?:{alternatives(LEXICON.knob_excluded_after)})"
_KNOB_NEG_BEFORE = rf"\b(?:{alternatives(LEXICON.knob_excluded_before)})\b"
_KNOB_POS_AFTER = LEXICON.knob_only_after
_KNOB_PERMITTED_BEFORE = rf"\b(?:{alternatives(LEXICON.knob_permitted_before)})\s*$"
_KNOB_PERMITTED_AFTER = rf"^[\s\0]*(?:{alternatives(LEXICON.knob_permitted_after)})"
#: a noun between a knob and the cue after it ("cell on/off states are to be left as they are")
_KNOB_NOUNS = alternatives(LEXICON.knob_nouns)
_KNOB_NOUN = rf"^\s*(?:{_KNOB_NOUNS})\b"
#: "except (touching) the tilt", "other than the CIO", "besides the tilt": excluded, or the only means after a negation
#: ("change nothing except the tilt", "no other changes than slice shares", "no changes besides the tilt") or as
#: "nothing but the tilt"
_KNOB_EXCEPT = r"\b(?:except|besides|other\s+(?:\w+\s+){0,2}?than|apart\s+from|(?:anything|everything|all|nothing)\s+but)(?:\s+for)?(?:\s+(?:by\s+)?\w+ing)?(?:\s+(?:the|its|their))?(?:\s+cells?)?\s*$"

# A colon between clauses ("without hurting coverage: cut energy") separates them; one inside a clock time does not.
_BOUNDARY = re.compile(r"[;!?]|\.(?!\d)|(?<!\d),|,(?!\d)|(?<!\d):|:(?!\d)|(?<!\d)\s-\s(?!\d)|\b(?:"
                       + alternatives(LEXICON.clause_words)
                       + r")\b|\bby(?=\s+\w+ing\b)")
#: a slice referred back to ("packet loss for that slice", "coverage for those devices"): the slice named last before it
_SLICE_ANAPHOR = (r"\b(?:that|this|the\s+same)(?:\s+same)?\s+(?:slice|traffic)\b"
                  r"|\b(?:those|these|the\s+same)\s+(?:users|devices|ues|subscribers|customers)\b|\b(?:for|of)\s+them\b"
                  # (not what a change costs: "coverage shouldn't suffer for it")
                  r"|(?<!\bsuffer\s)(?<!\bsuffers\s)(?<!\bpay\s)(?<!\bpays\s)\b(?:on|for)\s+it\b"
                  # "Packet loss for those must stay under 0.2%", "During the fire test it needs mean latency under 5 ms"
                  r"|\b(?:for|of)\s+(?:those|these)\b(?!\s+(?:cells?|sites?|hours?|times?|days?|\d))"
                  r"|\bit(?=\s+(?:needs|requires|must\s+(?:have|get|see)|should\s+(?:have|get|see)|wants)\b)"
                  r"|\bthere\b"  # after a KPI only (`_slice_there`): "keep packet loss there under 0.5%"
                  r"|\b(?:their|its)\b|\bthe\s+slice(?:'s)?(?=\s)(?!\s+(?:shares?|splits?|allocations?|weights?|quotas?|partition))")
#: what opens a bound: a colon before it joins a KPI to its value ("coverage: 95% or more"), not two clauses
_BOUND_AHEAD = re.compile(r"\s*(?:[<>≤≥=~]|\d|\.\d|(?:" + alternatives(p for p, _, kind in _COMPARATORS if kind != "post")
                          + r"))")
#: joules per bit -> Mbit/J is this over the value (1 µJ/bit is 1 Mbit/J)
_PER_BIT = {"uJ/bit": 1.0, "nJ/bit": 1e3}
#: a KPI's movement said in the past ("dropped", "spiked"), and past events ("failed", "went down"): the words of the
#: readers that tell what happened from what is asked (`_STATE_PAST`, `_PAST_EVENT`, `_PAST_TIME`, `_PAST_EVENT_TIME`)
_PAST_MOVES = (r"dropped|fell|fallen|rose|risen|climbed|jumped|slipped|sank|sunk|dipped|plunged|declined|surged|slid|"
               r"tumbled|crashed|soared|peaked|spiked|(?:went|gone|changed|moved)(?=\s+from\s)|"
               r"(?:went|gone|shot|crept)\s+(?:up|down)(?=\s+to\s)")
_PAST_EVENTS = (_PAST_MOVES + r"|degraded|collapsed|failed|happened|occurred|went\s+(?:up|down|off|dark|dead|silent|quiet|"
                r"off-?line)|broke|tripped|alarmed|"
                r"rebooted|restarted|woke|fired|came\s+back|kicked\s+in|triggered")
#: a level reached by a verb of motion: "latency has gone up to 12 ms", "PRB use crept up to 90 %" (a state, not "up to")
MOTION_TO_LEVEL = r"(?:went|gone|goes|going|shot|crept|creeping)\s+(?:up|down)"
#: a bound said as a state: a state verb right before the comparator or number ("is over", "gets under", "has been")
_STATE_VERB = re.compile(r"\b(?:is|are|was|were|gets?|got|getting|sits?|sitting|sat(?:\s+(?:at|around|about))?|runs?|running|hovers?|hovering|stands?|hits?|hitting|pulling|drawing|draws|drew|consumes|consumed|"
                         r"takes|taking|took|"  # "scans are taking 3-4 secs to upload"
                         # what it takes to run: "the network burns 40 kW at night", "our cells consume 40 kW"
                         r"(?:burns|burning|burned|burnt|consume|consuming|eats|eating|uses)(?!\s+\x00)|"  # (not a slice used: "ride control uses urllc")
                         r"reads?|reading|shows?|showing|"
                         r"(?:dropped|fell|fallen|rose|risen|climbed|jumped|slipped|sank|sunk|dipped|plunged|declined|"
                         r"surged|slid|tumbled|crashed|soared|drops|falls|rises|dips|sinks|slips|jumps)(?:\s+(?:to|at))?|"
                         r"peaks?|peaking|peaked(?:\s+at)?|(?:spikes?|spiking|spiked)(?:\s+(?:to|at))?|averages|averaging|averaged|climbs?|goes|went(?:\s+to)?|"
                         rf"{MOTION_TO_LEVEL}(?:\s+to)?|"
                         r"(?:has|have|had)\s+been|"
                         # what we observe: "we're seeing something like 6 per user per hour", "we measured 40 ms"
                         r"(?:(?:we|i)(?:'re|'ve|\s+are|\s+have|\s+were)?\s+)(?:seeing|see|saw|seen|observ\w+|measur\w+|"
                         r"record\w+|logg\w+|experienc\w+|getting|(?:burn|use|consume|draw|pull)(?!\s+\x00))|"
                         # what the users or devices see: "their devices on the URLLC slice see delays over 20 ms" (an
                         # ask around it, "we want users to see ...", is caught by `_ASKING` first)
                         r"sees?|saw|seeing|experienc(?:e|es|ed|ing)|suffer(?:s|ed|ing)?|stuck(?:\s+(?:at|on))?)"
                         r"\s+(?:(?>\x00+\s*)|[-–:]\s+|(?:currently|now|already|still|often|regularly|routinely|consistently|sometimes|"
                         r"constantly|always|usually|typically|just|well|way|around|about|roughly|nearly|almost|at|"
                         r"near|close\s+to|something\s+like|somewhere\s+around|a\s+whopping|a\s+mere|only|barely|just|"
                         r"sitting|running|hovering|fine|ok|okay|good|steady|stable)\s+)*$")
#: words before a state verb that make it a request ("coverage must be at least", "ensure latency is under")
_ASKING = re.compile(r"\b(?:must|should|shall|needs?|needed|has\s+to|have\s+to|ensur\w*|make\s+sure|making\s+sure|"
                     r"keep\w*|kept|guarantee\w*|maintain\w*|requir\w*|want\w*|wish|(?<!something\s)like|expect\w*|let|lets|"
                     r"allow\w*|can|cannot|may|might|will|would|so|if|when|whenever|unless|until|goals?|targets?|"
                     r"slas?|objectives?|constraints?|guardrails?|requirements?|limits?|please)\b")
#: clause openers after which a state is a condition asked for ("... while coverage is above 95%")
#: the clause words of a proviso: what follows them is kept, not asked for
_PROVISO_SEPARATORS = frozenset({"provided", "provided that", "as long as", "so long as"})
_ASKING_SEPARATORS = frozenset({"while", "whilst", "with", "without", "so that", "such that", "as long as", "provided",
                                "provided that", "subject to", "where", "whereby", "unless", "but", "yet"})
#: a state said to be the network's now ("currently", "all afternoon", "has been")
_STATE_NOW = re.compile(r"\b(?:currently|presently|right\s+now|at\s+the\s+moment|at\s+present|these\s+days|on\s+average|"
                        r"lately|recently|already|still|again|constantly|regularly|routinely|every\s+(?:day|night|"
                        r"evening|morning|afternoon)|all\s+(?:day|night|evening|morning|afternoon|week)|"
                        r"(?:has|have|had)\s+been)\b")
#: a state said in the past ("coverage dipped to 91 % last Tuesday", "the network averaged 96 kW last month"): what
#: was, never a bound asked
_STATE_PAST = re.compile(rf"\b(?:{_PAST_MOVES}|averaged|was|were|hit|reached|yesterday|ago|"
                         r"last\s+(?:week|month|night|year|quarter|monday|tuesday|wednesday|thursday|friday|saturday|"
                         r"sunday|weekend))\b")
#: a value a report or a measurement gives ("the report shows average throughput at 14.2 Mbps", "we measured
#: latency of 40 ms"): the network's state, not a bound
_REPORTED_VALUE = re.compile(r"\b(?:shows|showed|showing|reports|reported|measured|recorded|logged|averaged|averages|"
                             r"averaging|says|said|states|stated|estimates|estimated)\b"
                             r"[^.;]*?\b(?:at|of|as|around|about)\s*$")
#: a third party whose values a text compares with: "their", "they", "Region A's", "operator X's", "the South sites'"
_OTHERS = re.compile(r"\b(?:their|theirs|they|competitors?'?s?|rivals?'?s?|(?:region|operator|market|city|country|vendor|"
                     r"pilot|cluster|area|site)\s+[a-z0-9]+'s|[a-z]+\s+sites')(?![\w'])")
#: the verb that reports another network's value: "their energy efficiency is 1.8", "Region A's fairness is 0.78"
_OTHERS_STATE = re.compile(r"\b(?:is|are|was|were|sits?|runs?|gets?|got|had|has|have|hit|hits|reached|reaches|achieved?|"
                           r"achieves|managed?|manages|delivers?|delivered)\b")
_FIRST_PERSON = re.compile(r"\b(?:we|our|ours|us|my|mine)\b")
_SOFT_BOUNDARY = re.compile(r"^\s*(?:,|and|or)\s*$")
_SENTENCE_ENDS = (";", ".", "!", "?")
#: where a sentence ends in a text being read (not the dot of "0.6")
_SENTENCE_BREAK = re.compile(r"[;!?\n]|\.(?!\d)")
#: a clause that is only a bound ("Can the IoT meters get better coverage? At least 98%", "... go up? needs to be at
#: least 2Mbps"): about the KPI named just before
_BOUND_ONLY = re.compile(r"[\W\0]*(?:(?:it|that|this)\s+)?(?:(?:needs?\s+to|has\s+to|must|should)\s+(?:be|stay|remain)\s+)?(?:at\s+least|at\s+most|"
                         r"no\s+(?:less|more|lower|higher|fewer)\s+than|min(?:imum)?|max(?:imum)?|over|under|above|below|>=|<=|<|>)"
                         r"\s*[~\d.]")
#: a slice as the subject of what follows ("the urllc slice needs ...", "eMBB (video) must get ..."), or its topic
#: ("for urllc, keep ..."): its slice carries over the bounds coordinated after it
_SLICE_AS_SUBJECT = re.compile(r"[\s\0)]*(?:slice|users?|traffic|devices?|service)?[\s\0]*(?:\([^()]{0,30}\))?[\s\0]*"
                               # (a link of the slice named: "the urllc link for the balloon tracker has ...")
                               r"(?:(?:links?|connections?|channels?|feeds?)\s+(?:(?:for|of|to)\s+(?:the\s+|our\s+)?(?:[a-z-]+\s+){1,2})?"
                               r"(?:has|have)\b|"
                               r"(?:needs?|requires?|wants?|gets?|(?:must|should|shall|has\s+to|have\s+to|will)\s+"
                               r"(?:have|get|see|keep|stay|hold))\b)")
_SLICE_AS_TOPIC = re.compile(r"\b(?:for|on|in)\s+(?:the\s+|our\s+|their\s+)?[\s\0]*$")
_INJECTION = re.compile(alternatives(LEXICON.injection))
_KNOB_VALUE = re.compile(r"(?<![\w.])(-?\d+(?:\.\d+)?)\s*(dbm|db|degrees?|deg|°)(?![\w])")
#: words that say the text is about some time of day ("per hour" is a unit, not a time)
_TIME_HINT = re.compile(r"\d\s*(?:a\.?m|p\.?m)\b|\b(?:" + alternatives(LEXICON.time_hints) + r")\b")
_NUM = r"(\d+(?:\.\d+)?|\.\d+)"
#: words of the grammar below that are not lexicon phrases (clock spans: "from 1am until 6am"), corrected towards too
_GRAMMAR_WORDS = ("from", "between", "before", "after", "until", "till", "through", "thru", "hours")
_VOCABULARY = vocabulary_of((*LEXICON.phrases, *_GRAMMAR_WORDS), common_words())


def _word(pattern: str) -> str:
    """``pattern`` as whole words (no letter, digit or underscore on either side)."""
    return rf"(?<![\w])(?:{pattern})(?![\w])"


def _ends_with_kpi(s: str) -> bool:
    """Does a KPI phrase end ``s`` (spaces aside)? "... for the whole site" does not, "... active cells" does."""
    return any(re.search(_word(p) + r"\s*$", s) for p, _, _ in _KPI_PATTERNS)


# == the evidence ======================================================================================================

MentionKind = Literal["kpi", "slice", "num", "cmp", "verb", "neg"]


@dataclass
class _Mention:
    """One phrase the reader found. ``value``: the KPI or slice name, the comparator's op or the verb's kind;
    ``flag``: the KPI's flag or the comparator's kind; ``number`` and ``unit``: a number as written."""

    start: int
    end: int
    kind: MentionKind
    value: str = ""
    flag: str | None = None
    number: float = 0.0
    unit: str = "none"
    slice_of: str | None = None  # a KPI referred back to ("get it below 75%"): the slice it was named with


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
    #: why the text was refused, when it was: "text" (empty or too long), "no_kpi", "no_objective", "impossible",
    #: "scope" (hardware, an unmodelled metric, a report), "freeze" (every knob excluded), "invalid"
    error_kind: str | None = None
    #: the fields read so far, kept when the reading stops short of an intent (a reply that revises an earlier
    #: request names only what changes: `_revision`)
    objective: Objective | None = None
    constraints: list[Constraint] = field(default_factory=list)
    hours: list[int] | None = None
    cells: list[int] | None = None
    knobs: list[str] | None = None
    knobs_means: set[str] = field(default_factory=set)  # knobs named as the means (the rest of `knobs` by exclusion)
    whole_slice: str | None = None  # a slice said for the whole request ("slice=URLLC", a closing ", mMTC")


class _Text:
    """Lower-cased text with a mask: matched spans are blanked so that later patterns do not read them again."""

    def __init__(self, s: str) -> None:
        self.orig = s
        self.s = s

    def take(self, pattern: str, flags: int = 0) -> list[re.Match[str]]:
        out = [m for m in re.finditer(pattern, self.s, flags) if m.group(0).strip()]
        for m in out:
            self.mask(m.start(), m.end())
        return out

    def mask(self, a: int, b: int) -> None:
        # NUL, not a space: a pattern with \s+ must not bridge a masked phrase ("and <kpi> above" is not "and above")
        self.s = self.s[:a] + "\0" * (b - a) + self.s[b:]


# == text normalization ================================================================================================

_TENS_AND_UNITS = re.compile(rf"\b({alternatives(LEXICON.tens)})[- ]({alternatives(LEXICON.unit_number_words)})\b")
#: a number word before a unit, "cells", a time or a digit ("five cells", not "one of the goals")
_NUMBER_WORDS_RE = alternatives(sorted(_NUMBER_WORDS, key=len, reverse=True))  # longest first
_NUMBER_WORD = re.compile(rf"\b({_NUMBER_WORDS_RE})\b"
                          rf"(?=\s*(?:{alternatives(LEXICON.number_followers)}))")


_BOUND_NUMBER_WORD = re.compile(r"\b((?:at\s+(?:least|most)|no\s+(?:more|fewer|less)\s+than|minimum(?:\s+of)?|maximum(?:\s+of)?"
                                rf"|min|max)\s+)({_NUMBER_WORDS_RE})\b(?!\s+(?:of|in|out|per|and|point|hundred|thousand|million)\b|[-\u2011])")


_ANY_NUMBER_WORD = rf"(?:(?:{alternatives(LEXICON.tens)})[- ](?:{alternatives(LEXICON.unit_number_words)})|{_NUMBER_WORDS_RE}|\d+)"
_DIGIT_WORD = rf"(?:{alternatives(w for w, v in _NUMBER_WORDS.items() if v < 10)}|\d)"
#: "three point two", "zero point nine five": a number said with its decimals
_SPOKEN_DECIMAL = re.compile(rf"\b(?:({_ANY_NUMBER_WORD})\s+)?point\s+({_DIGIT_WORD}(?:\s+{_DIGIT_WORD}(?![\w.]))*)\b")
#: "cells four through seven", "cell two cell five and cell eleven": number words that name cells
#: (not a pronoun after the list: "three crews share cell 12 and one always hogs it"; nor a word after a spaced dash
#: that starts a clause: "tenants sharing cells 5 and 6 - one firm's uploads hog everything")
_CELL_NUMBER_WORDS = re.compile(rf"\b(cells?\s+)({_ANY_NUMBER_WORD}(?:(?!\s+[-–]\s+[a-z]+\s+(?!(?:and|or|to|through|thru|cells?)\b)"
                                rf"[a-z])\s*(?:,|and|&|or|-|to|through|thru|cells?)+\s*"
                                rf"{_ANY_NUMBER_WORD}\b(?!(?:\s+(?!(?:and|or|but|then|to|through|thru)\b)[a-z]+)?\s+(?:always|usually|often|never|just|keeps?|is|was|has|"
                                r"does|gets|takes|hogs?|uses|sits|seems|of\s+(?:them|us|the|our))\b))*)\b")


@overload
def opposite(op: Op) -> Op: ...
@overload
def opposite(op: str) -> str: ...
def opposite(op: str) -> str:
    """The comparator turned around: ">=" for "<=" and back (the kind a word asks for passes through unchanged)."""
    return {">=": "<=", "<=": ">="}.get(op, op)


def opens_aside(s: str, a: int, b: int) -> bool:
    """An aside opens between `a` and `b` and is still open at `b`: a negation at `a` does not reach a comparator at
    `b` ("don't kill coverage (>= 95%)", "without hurting coverage (at least 95%)": the aside states the bound)."""
    depth = 0
    for ch in s[a:b]:
        if ch == "(":
            depth += 1
        elif ch == ")" and depth:
            depth -= 1
    return depth > 0


def _number_value(word: str) -> str:
    """One spoken or written number ("twenty-five", "seven", "12") as digits."""
    m = _TENS_AND_UNITS.fullmatch(word)
    return str(_NUMBER_WORDS[m[1]] + _NUMBER_WORDS[m[2]]) if m else str(_NUMBER_WORDS.get(word, word))


def _words_to_numbers(s: str) -> str:
    # first, before "three" is read as a number of its own ("cell (61) to three quarters" was cells 3..61)
    s = re.sub(r"\b(?:three\s+quarters|3/4)\b", "0.75", s)  # "remain below three quarters"
    s = _SPOKEN_DECIMAL.sub(lambda m: f"{_number_value(m[1]) if m[1] else '0'}."
                            + "".join(_number_value(d) for d in m[2].split()), s)
    s = _CELL_NUMBER_WORDS.sub(lambda m: m[1] + re.sub(_ANY_NUMBER_WORD, lambda d: _number_value(d[0]), m[2]), s)
    s = re.sub(rf"\b({_NUMBER_WORDS_RE})\s+and\s+a\s+half\b",
               lambda m: f"{_NUMBER_WORDS[m[1]]}.5", s)  # "seven and a half kilowatts"
    s = _TENS_AND_UNITS.sub(lambda m: _number_value(m[0]), s)
    s = _NUMBER_WORD.sub(lambda m: str(_NUMBER_WORDS[m[1]]), s)
    # the two ends of a span said in words: "between four and six", "from nine to twelve" (read as digits are)
    # (not a count: "between two and three cells awake" is read by the count's own rules)
    s = re.sub(rf"\b(between|from)\s+({_ANY_NUMBER_WORD})\s+(and|to|till|until)\s+({_ANY_NUMBER_WORD})\b"
               rf"(?!\s*(?:cells?|sites?|%|percent|per\b|handovers?|users?|ues?|devices?|(?:{_UNIT_RE})(?![\w])))",
               lambda m: f"{m[1]} {_number_value(m[2])} {m[3]} {_number_value(m[4])}"
               if not (m[2].isdigit() and m[4].isdigit()) else m[0], s)
    s = re.sub(r"\b(\d+)\s+thousand(?:\s+(?:and\s+)?(\d)\s+hundred)?\b",  # "2 thousand 5 hundred W"
               lambda m: str(int(m[1]) * 1000 + (int(m[2]) * 100 if m[2] else 0)), s)
    s = re.sub(r"\b(\d+)\s+hundred\b", lambda m: str(int(m[1]) * 100), s)
    s = re.sub(r"\ba\s+hundred\b", "100", s)
    s = re.sub(r"\bhalf\s+an?\s+(?=second|millisecond|percent|per\s?cent|(?:mega|giga|kilo)bit|mbit|mbps|gbps|kilowatt|kw\b"
               r"|watt|handover)", "0.5 ", s)  # "half a megabit per second", "half a kilowatt"
    # "a tenth of a percent", "a fortieth of a second", "eight tenths": a fraction said in words
    s = _FRACTION_WORDS.sub(lambda m: f"{1 / _DENOMINATORS[m[2]]:g} {m[3]}" if m[1] else
                            f"{_NUMBER_WORDS[m[4]] / _DENOMINATORS[m[5]]:g}", s)
    s = re.sub(r"\b(\d+)\s+and\s+a\s+half\b", r"\1.5", s)  # "3 and a half kW"
    # a number word right after a word of bound: "as few cells as possible, minimum six", "at least one has to stay up"
    s = _BOUND_NUMBER_WORD.sub(lambda m: m[1] + str(_NUMBER_WORDS[m[2]]), s)
    return s


_DENOMINATORS = {"half": 2, "third": 3, "quarter": 4, "fifth": 5, "sixth": 6, "eighth": 8, "tenth": 10,
                 "twentieth": 20, "thirtieth": 30, "fortieth": 40, "fiftieth": 50, "hundredth": 100, "thousandth": 1000}
#: (not "by a quarter", a relative target; "a tenth" alone only with its unit, "of a percent")
_FRACTION_WORDS = re.compile(rf"(?<!\bby\s)\b(?:(a|an|one)\s+({alternatives(_DENOMINATORS)})\s+of\s+(?:a|an|one)\s+"
                             r"(percent|per\s*cent|second|millisecond|megabit|kilowatt|watt)\b"
                             rf"|(two|three|four|five|six|seven|eight|nine)\s+({alternatives(_DENOMINATORS)})s\b)")
_FILLERS = re.compile(rf"(?<![\w'])(?:{alternatives(LEXICON.fillers)})(?![\w'])\s*,?")
_SELF_CORRECTION = re.compile(rf"(?<![\w.])\d+(?:\.\d+)?(?:\s*%|\s+(?!(?:{alternatives(LEXICON.self_corrections)})\b)"
                              rf"[a-z/]+){{0,4}}?\s*,?\s*(?:{alternatives(LEXICON.self_corrections)})\s*,?\s+(?=\d)"
                              # (not a clock time said as an example: "cells 30 to 33 out of hours, say 7pm to 7am")
                              # (nor a clock span said to round one off: "tea is 4 to 4.20 so say 4-5pm")
                              r"(?!\d{1,2}(?::\d{2})?\s*(?:(?:-|to|till|until)\s*\d{1,2}(?::\d{2})?\s*)?(?:am|pm|a\.m|p\.m)\b"
                              r"|\d{1,2}:\d{2})")
_FAILURE_CONDITION = re.compile(rf"\b(?:{alternatives(LEXICON.failure_conditions)})(?![\w])")
_SENTENCE_END = re.compile(r"\.(?:\s|$)|[;!?\n]|$")
#: a failure condition ends where its sentence does, or where a new ask starts after a comma or "so"/"and"/"but":
#: "the meters time out if delay goes over 200 ms, so keep latency under 100 ms" keeps the second bound as said
#: a verb of being right before: what follows is the state the network is in, not the ask ("we're running on fewer
#: sites", "we are running only 2 cells")
_STATE_BEFORE = re.compile(r"(?:'re|'s|\b(?:are|is|am|was|were|been|currently|already))\s+$")
#: a percentile said: "p95 latency", "the 5th percentile throughput", "tail latency"
_PERCENTILE_SAID = re.compile(r"\b(?:p\d{1,2}|\d{1,2}(?:st|nd|rd|th)[\s-]+percentile|percentile|tail)\b")
_FAILURE_END = re.compile(r"\.(?:\s|$)|[;!?\n]|$|(?:,\s*|\s+(?=(?:so|and|but|then)\b))(?:(?:so|and|but|then)\s+)?(?:please\s+)?"
                          r"(?:keep|hold|make\s+sure|ensure|minimi[sz]e|maximi[sz]e|cut|reduce|lower|raise|increase|improve|"
                          r"save|aim|target|bring|push)\b")
#: a failure said after its condition: "if loss goes above 2 %, roll it back", "..., I'll count the change as failed"
_FAILURE_AFTER = re.compile(r",?\s*(?:then\s+)?(?:(?:i|we)(?:'ll|\s+will|\s+would)?\s+)?(?:roll\s*(?:it\s+|the\s+change\s+)?back"
                            r"|revert|undo|abort|back\s+(?:it\s+)?out|(?:count|treat|consider|mark)\w*\s+(?:it|this|that"
                            r"|the\s+\w+)\s+as\s+(?:a\s+)?fail\w*|(?:it|that|this)(?:'s|\s+is|\s+will\s+be|\s+would\s+be)"
                            r"\s+a\s+fail\w*)\b")
_EXCEPTION_CONDITION = re.compile(rf"\b(?:{alternatives(LEXICON.exception_conditions)})(?![\w])")
#: an exception ends where its sentence does, or at a dash that starts a new statement
_EXCEPTION_END = re.compile(r"\.(?:\s|$)|[;!?\n]|\s[-–—]\s|$")


#: a greeting is no time window: "Morning!", "Good afternoon,", "Evening all"
_GREETING = re.compile(r"^(?:morning|afternoon|evening)(?:\s*!|\s*\.(?=\s+\S.*?(?:\d\s*(?:am|pm)\b|\d:\d\d|\b(?:from|between)\s+\d|"
                       r"\b(?:night|evening|afternoon|lunch|peak|overnight|tonight)\b))|\s+(?:all|team|everyone|folks|guys|lads)\b\s*[!,.;]?)"
                       r"|\bgood\s+(?:morning|afternoon|evening)\b")  # "Evening, cut energy" keeps its window
#: ("Morning. Could you save some power ... between 10pm and 5am": a sentence of its own is a greeting when the text
#: says its time elsewhere; a telegram's "MORNING STOP FAIRNESS AT LEAST 0.7" keeps its window)
_CLOCK_WORDS = r"\d{1,2}(?::\d{2})?\s*(?:a\.?m\.?|p\.?m\.?|h)?"
#: a clock time that dates an event of the message, not the window asked for: "the 2 pm review moved to 3 pm",
#: "the 9am stand-up (it ran to 10:15)", "opened 14:32, closed 16:05"
_EVENT_TIME = re.compile(rf"(?<![\w:.]){_CLOCK_WORDS}\s+(?=(?:review|meeting|stand-?up|call|sync|session|briefing|"
                         rf"huddle|catch-?up|standup)\b)|\b(?:moved\s+to|opened|closed|ran\s+(?:to|until|till|over\s+to)|"
                         rf"starts?\s+at(?!\s+{_CLOCK_WORDS}\s*,?\s*(?:and\s+)?(?:it\s+)?(?:runs?|goes|lasts?|finish(?:es)?|ends?|"
                         rf"wraps?\s+up)\b)|meeting\s+at)\s+{_CLOCK_WORDS}(?![\w:])"
                         r"(?!\s*(?:-|–|to|till|til|until|through|thru)\s*\d)"  # (not "closed 1am to 10am": a span)
                         # a log entry's time stamp: "Shift log 14:00:", "Handover 06:45," "Update 09:10 -"
                         # ("Handover 06:45," reaches here as "crew report 06:45," by `_SHIFT_HANDOVER`)
                         rf"|\b(?:log|entry|update|report|note|summary)\s+\d{{1,2}}:\d{{2}}(?:\s*h)?(?!\w)(?!:\d)"
                         r"(?!\s*(?:-|–|to|until|till)\s*\d)")  # ("shift handover 14:00-15:00" is a span)
#: the time a past event happened at is no window: "the controller woke every cell at 06:00", "it failed at 3 am"
_PAST_EVENT_TIME = re.compile(rf"(\b(?:{_PAST_EVENTS})\b(?:\s+[a-z-]+){{0,3}}?\s+at\s+){_CLOCK_WORDS}(?![\w:])")


#: letters spelt out one by one, as speech-to-text writes acronyms ("u r l l c", "five a m"), joined when they spell
#: a word the reader knows
_SPELLED = re.compile(r"(?<![\w'])(?:[a-z]\s){1,5}[a-z](?![\w'])")
_SPELLED_WORDS = frozenset({"urllc", "embb", "mmtc", "iot", "am", "pm", "prb", "cio", "kpi", "sla", "ue", "ues", "ho",
                            "ee", "kw", "ms", "rf"})


_VOCABULARY_NAMES = frozenset(KPI_NAMES) | frozenset(KNOB_NAMES)
#: the first part of a KPI written as a symbol with subscripts ("lat_urllc", "tput_p5", "mean_delay", "cov_mmtc");
#: form fields such as "min_coverage" or "exclude_knobs" are read elsewhere and stay whole
_MATH_KPI_PARTS = "lat|latency|tput|thpt|throughput|cov|coverage|ho|loss|mean|p5|p95|delay|energy|prb|jain|fairness"
#: a KPI word after "min"/"max": the objective's verb ("cells 7-9 min energy", "cells 24,25 max EE"), not a bound on
#: the number before it ("cells 30 min" = at least 30 cells)
_OBJECTIVE_AHEAD = (rf"(?!\s+(?:the\s+)?(?:(?:embb|urllc|mmtc)\s+)?(?:{_MATH_KPI_PARTS}|ee|power|handovers?|thruput|active|packet|pkt|speeds?|util"
                    r"|utili[sz]ation|efficiency|consumption|draw)\b)")


def _clock_set(m: re.Match[str]) -> str:
    """"t ∈ [0,6)": hours from 0 to 6, as a clock span."""
    a, b = int(m[1]), int(m[2])
    return f" from {a % 24:02d}:00 to {b % 24:02d}:00 " if 0 <= a <= 24 and 0 <= b <= 24 else m[0]


def _math_notation(s: str) -> str:
    """Engineers' notation: "min E s.t. cov ≥ 0.95, t ∈ [0,6)", "argmax p5_tput | lat_urllc ≤ 10ms", "c ∈ {0..4}",
    "loss(mMTC) ≤ 1e-2". Symbols become the words the reader reads; vocabulary names (latency_p95_ms) stay whole."""
    s = re.sub(r"\barg(max|min)\b", r"\1imize", s)
    s = re.sub(r"#\s*active\s+cells|\bn_?active(?:_cells)?\b", "active cells", s)
    s = re.sub(r"ρ\s*_?\s*", "", s)  # "ρ_PRB": the utilisation symbol
    s = re.sub(r"\b(min|max)(?:imi[sz]e)?\s+(?:j\s*=\s*)?e\b(?!\s*[-=])", r"\1imize energy", s)
    s = re.sub(r"\b[th]\s*∈\s*\[\s*(\d{1,2})\s*,\s*(\d{1,2})\s*\)", _clock_set, s)
    s = re.sub(r"\[\s*(\d{1,2})\s*,\s*(\d{1,2})\s*\)", _clock_set, s)  # "∪ [0,6)"
    s = re.sub(r"\s*∪\s*", " and ", s)
    s = re.sub(r"\bh\s*∈\s*", " hours ", s)
    s = re.sub(r"\b(?:c|cells?(?:\s+c)?)\s*(?:∈|=)\s*", " cells ", s)
    s = re.sub(r"∀\s*t\s*∈\s*", " during ", s)
    s = re.sub(r"\b([a-z][a-z0-9_]*)\((urllc|embb|mmtc|iot)\)", r"\2 \1", s)  # "loss(mmtc)"
    s = re.sub(rf"\b(?:{_MATH_KPI_PARTS})(?:_[a-z0-9]+)+\b",
               lambda m: m[0] if m[0] in _VOCABULARY_NAMES else m[0].replace("_", " "), s)  # "lat_urllc", "tput_p5"
    return s


#: arrows and chart emoji written as the verb ("p95 latency ↓ to 10 ms", "energy efficiency 📈")
_DOWN_ARROWS = "↓⬇📉🔽"
_ARROWS = re.compile(r"[↓⬇📉🔽↑⬆📈🔼]\ufe0f?")
#: a shift is a crew, not a window ("from the morning shift", "night shift to day shift", "continued by the late
#: shift"); "during the night shift" and "on the night shift" keep the window
_SHIFT = re.compile(r"\b(?:night|day|late|early|morning|evening|afternoon|graveyard|swing)\s+shifts?\b")
_SHIFT_AS_TIME = re.compile(r"\b(?:during|in|over|on|across|throughout|for)\s+(?:the\s+|our\s+|this\s+|each\s+|every\s+)?$")
#: a report named by its time of day is a document: "Overnight summary:", "morning report"
_NAMED_REPORT = re.compile(r"\b(?:overnight|nightly|daily|morning|evening|afternoon)\s+(?=(?:summary|report|update|digest|"
                           r"briefing|log|notes?)\b)")
#: the shift handover is a note between crews, not the handover KPI: "Shift handover", "Handover summary:",
#: "Handover 06:45, night shift to day shift"
_SHIFT_HANDOVER = re.compile(r"\bshift\s+hand-?overs?\b|\bhand-?overs?\b(?=\s*(?:\d{1,2}:\d{2}|(?:notes?|summary|log|"
                             r"report|brief(?:ing)?|sheet|doc(?:ument)?)\b|\s+(?:from|to)\s+(?:the\s+)?\w+\s+shift\b))")
#: dates are not values: "the 3 May spike", "since 14th of March", "on May 3rd" ("may" alone is a verb: only with
#: "on"/"the"/"since" before a day-first date, and never as month-first)
_MONTHS = r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
_DATE = re.compile(rf"(?<![\w.])\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_MONTHS})\b\.?"
                   rf"|\b(?:on|the|since|from|until|before|after)\s+\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?may\b"
                   rf"|\b(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?\b(?!\s*(?:%|percent|ms|mbps|kw|w\b|cells?))")


_TABLE_ROW = re.compile(r"^\s*\|(.*)\|\s*$")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$"
                         r"|^\s*\+[-=+:\s]*\+\s*$")  # an ASCII-art table's border: "+------+-----+"
#: a table column whose header qualifies its cells: said before each cell ("fail if > 0.012 s", "limit <= 10 ms")
_QUALIFYING_HEADER = re.compile(r"fail(?:s|ure)?(?:\s+(?:if|when))?|limit|max(?:imum)?|min(?:imum)?|floor|ceiling|cap|"
                                r"target|wanted|required|bound|threshold|goal|(?:upper|lower)\s+(?:bound|limit)")
#: a column of the state now: its cells are current values ("| now | 6 |"), not asks
_STATE_HEADER = re.compile(r"now|current(?:ly)?|today|baseline|measured|actual|observed|as[\s-]+is|was")


def _qualified(header: list[str], j: int) -> bool:
    head = header[j] if j < len(header) else ""
    return bool(_STATE_HEADER.fullmatch(head) or _QUALIFYING_HEADER.fullmatch(head))


#: a column header said before each cell as the reader needs it: a time ("from 07:00"), a cell id ("cell 33")
_SAID_HEADER = {"from": "from", "start": "from", "starts": "from", "start time": "from", "to": "to", "until": "until",
                "end": "to", "ends": "to", "end time": "to", "cell": "cell", "cells": "cells", "cell id": "cell",
                "cell_id": "cell", "cell ids": "cells"}
_CSV_CELL = re.compile(r"[^,\n]*")


def _csv_blocks(text: str) -> str:
    """Comma-separated rows under a header of column names ("kpi,goal,slice,bound"), pasted from a sheet: written as
    a Markdown table, so that `_tables` reads them row by row. A header is two or more names with no digit; the rows
    under it have as many commas (a line with another count ends the block)."""
    if "," not in text or "\n" not in text:
        return text
    lines = text.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        head = [c.strip() for c in lines[i].split(",")]
        n = lines[i].count(",")
        rows = []
        j = i + 1
        while j < len(lines) and n and lines[j].count(",") == n and "|" not in lines[j]:
            rows.append([c.strip() for c in lines[j].split(",")])
            j += 1
        if n and rows and "|" not in lines[i] and all(re.fullmatch(r"[a-z_][a-z_ ()/.-]*", c.lower()) for c in head):
            out.append("| " + " | ".join(head) + " |")
            out.append("|" + "---|" * len(head))
            out += ["| " + " | ".join(r) + " |" for r in rows]
            i = j
            continue
        out.append(lines[i])
        i += 1
    return "\n".join(out)


#: a table row pasted without its outer bars: two cells or more, each with some text
_BARE_ROW = re.compile(r"^[^|\n]*\w[^|\n]*(?:\|[^|\n]*\w[^|\n]*)+$")


def _tables(text: str) -> str:
    """A Markdown table read row by row, each row a line of its cells in order; a column whose header qualifies its
    cells (`_QUALIFYING_HEADER`: "fail if", "limit", "target") says the header before each cell, a column of the state
    now (`_STATE_HEADER`) says "is currently" (a state, not an ask); a row of a key and one value reads "key: value". The header row is a line of its own (column names, or a key/value table's
    first pair); the rule under it and empty or dash cells are dropped. Text without a table is returned as it is."""
    text = _csv_blocks(text)
    if "|" not in text:
        return text
    bare = [ln for ln in text.split("\n") if _BARE_ROW.match(ln)]
    if len(bare) >= 2 and not any(ln.lstrip().startswith("|") for ln in text.split("\n")):
        # rows pasted without their outer bars ("Guard | coverage | >=0.93"): a table all the same
        text = "\n".join(f"| {ln.strip()} |" if _BARE_ROW.match(ln) else ln for ln in text.split("\n"))
    out: list[str] = []
    header: list[str] | None = None
    for line in text.split("\n"):
        m = _TABLE_ROW.match(line)
        if m is None or line.count("|") < 3:
            header = None
            out.append(line)
            continue
        if _TABLE_RULE.match(line):
            continue
        cells = [c.strip() for c in m[1].split("|")]
        if header is None:  # column names, or (a two-column key/value table) a first pair: read as a line too
            header = [c.lower() for c in cells]
            pair = [c for c in cells if c]
            label = len(pair) == 2 and re.fullmatch(r"(?:excluded|forbidden|frozen|allowed|permitted)\s+(?:knobs?|levers?"
                                                    r"|actions?|changes?|controls?)", pair[0].strip().lower())
            out.append(f"{pair[0]}: {pair[1]}" if label else " ".join(pair))
            continue
        filled = [j for j, c in enumerate(cells) if c and c not in ("-", "—", "–", "n/a")]
        if len(filled) == 2 and filled[0] == 0 and not _qualified(header, filled[1]):
            # a key/value row: "allowed knobs: tx power, tilt"; a verb as the key is said with its object
            # ("| Optimise | energy efficiency |")
            verb = re.fullmatch(r"(?:optimi[sz]e|maximi[sz]e|minimi[sz]e|improve|reduce|increase|raise|lower|cut|boost)",
                                cells[0].strip().lower())
            out.append(f"{cells[0]} {cells[filled[1]]}" if verb else f"{cells[0]}: {cells[filled[1]]}")
            continue
        parts = []
        # a slice column is said first, as a request names it ("eMBB mean throughput"), not after the bound
        order = sorted(range(len(cells)), key=lambda j: 0 if j < len(header) and re.fullmatch(r"slices?", header[j])
                       and cells[j].lower() not in ("all", "any", "none", "-") else 1)
        for j in order:
            cell = cells[j]
            if not cell or cell in ("-", "—", "–", "n/a"):
                continue
            head = header[j] if j < len(header) else ""
            if head in _SAID_HEADER:
                parts.append(f"{_SAID_HEADER[head]} {cell}")
            elif j and _STATE_HEADER.fullmatch(head):
                parts.append(f"is currently {cell},")
            elif j and _QUALIFYING_HEADER.fullmatch(head):
                parts.append(f"{head} {cell}")
            else:
                parts.append(cell)
        out.append(" ".join(parts))
    return "\n".join(out)


#: a date at the start of a log or ticket line ("2024-03-02", "[2024/03/02"): the line's time stamp
DATE_STAMP = r"\[?\d{4}[-/.]\d{1,2}[-/.]\d{1,2}"
#: a line that reports, not asks: a stand-up's "Yesterday:" and "Blockers:", a checked item "[x] ...", "Done: ..."
_CONTEXT_LINE = re.compile(r"^[ \t]*(?:[-*•][ \t]*)?(?:(?:yesterday|blockers?|blocked\s+by|impediments?|done|completed|"
                           r"last\s+(?:week|sprint)|previously)[ \t]*(?:[:=]|-\s|–|—)|\[[x✓✔]\])[^\n]*$"
                           # a ticket's status changes and creation lines ("status: New → In progress")
                           rf"|^[ \t]*(?:{DATE_STAMP}[^\n]{{0,12}}?)?(?:status(?:\s+changed)?\s*:|created\s+by\b)"
                           r"[^\n]*$", re.M)


#: a Markdown heading ("## Summary", "### Constraints")
_MD_HEADING = re.compile(r"^[ \t]*#{2,4}[ \t]+\w", re.M)


#: a word with a digit inside its letters ("W0RK", "ce1ls", "thr0ughput", "CI0"): what OCR of a printed form writes
_OCR_WORD = re.compile(r"\b[A-Za-z]+[015]+[A-Za-z]+\b|\b[A-Za-z]{2,}[01]+\b|\b[01]+[A-Za-z]{2,}\b")
#: a number with letters OCR put for its digits ("9O", "O.95", "l2", "1O:OO", "2O-24", "9S %")
_OCR_NUMBER = re.compile(r"(?<![A-Za-z])(?=[0-9OolIS.:,-]*\d)(?=[0-9.:,-]*[OolIS])[0-9OolIS][0-9OolIS.:,-]*(?![A-Za-z])"
                         r"|(?<![A-Za-z])[OolI]\.[0-9OolI]+(?![A-Za-z])")
#: a lone letter standing for a digit: after a comparator ("cov >= O.95" is a number above; ">= l Mbps"), before a
#: unit, or in a list of numbers ("cells 8, 9, lO, ll")
_OCR_LONE = re.compile(r"(?<=[<>=]\s)[lIO]{1,2}(?=\s)|(?<=[<>=])[lIO]{1,2}(?=\s)|\b[lO](?=\s+(?:%|mbps|ms\b|kw\b|w\b))"
                       r"|(?<=\d,\s)[lIO]{1,3}(?![A-Za-z])|(?<=\d,)[lIO]{1,3}(?![A-Za-z])")
_OCR_DIGITS = str.maketrans("OolIS", "00115")
_OCR_CAPITALS = str.maketrans("015", "OIS")
_ORDINAL = re.compile(r"\d+(?:st|nd|rd|th|s)", re.I)
#: a clock time or a value written against its unit ("1am", "10pm", "100ms"): no OCR swap, though it mixes 1s and letters
_TIME_OR_VALUE = re.compile(rf"\d+(?:[.:]\d+)?\s*(?:am|pm|h|{_UNIT_RE})")


def _ocr_word(w: str, known: Callable[[str], bool]) -> str:
    """A word with digits OCR put for its letters, spelt with letters: the spelling the vocabulary knows among 0 -> o,
    1 -> l or i, 5 -> s ("max1mise" -> "maximise", "ce11s" -> "cells"); upper case stays upper ("CI0" -> "CIO")."""
    if _ORDINAL.fullmatch(w) or not re.search(r"[A-Za-z]", w):
        return w
    if _TIME_OR_VALUE.fullmatch(w.lower()):
        return w  # a time or a value with its unit ("1am", "10pm", "5ms"), not a word
    options = [""]
    for ch in w:
        subs = {"0": "o", "1": "li", "5": "s"}.get(ch, ch)
        options = [o + c for o in options for c in subs][:64]
    lowered = [o.lower() for o in options]
    best = next((o for o, low in zip(options, lowered, strict=True) if known(low)), None)
    if best is None:  # "p95", "5G": no word of the vocabulary; a word of capitals or of three letters or more is one
        if w.upper() == w and sum(ch.isalpha() for ch in w) >= 2:
            return w.translate(_OCR_CAPITALS)  # "CI0"
        if sum(ch.isalpha() for ch in w) < 3:
            return w
        best = options[0]
    return best.upper() if w.upper() == w else best


def _ocr_repaired(text: str) -> str:
    """A scanned form's text with OCR's letter-digit swaps undone, when it has them (two or more words or numbers
    with a swap): letters inside numbers become digits ("9O %" -> "90 %", "l2" -> "12"), digits inside words letters
    ("ce1ls" -> "cells"), "rn" read for "m" ("rnean" -> "mean"), "l" for a capital I ("lncrease"), and a word split by
    a space joined again ("c0nsumpti on", "fair ness"), each only when it gives a word of the vocabulary. Other text is
    returned as it is."""
    words = [w for w in _OCR_WORD.findall(text) if not _TIME_OR_VALUE.fullmatch(w.lower())]  # "10pm to 1am": no swap
    if len(words) + len(_OCR_NUMBER.findall(text)) < 2:
        return text
    known = _VOCABULARY.known

    def word(w: str) -> bool:  # a word as it is, not as the start of a longer one ("under" + "o")
        return w in _VOCABULARY.words or w in _VOCABULARY.keep

    s = _OCR_NUMBER.sub(lambda m: m[0].translate(_OCR_DIGITS), text)
    for _ in range(4):  # "8, 9, lO, ll": each lone letter after the number before it
        s = _OCR_LONE.sub(lambda m: m[0].translate(_OCR_DIGITS), s)
    s = re.sub(r"[A-Za-z0-9]*[A-Za-z][A-Za-z0-9]*", lambda m: _ocr_word(m[0], known) if re.search(r"[015]", m[0])
               else m[0], s)
    s = re.sub(r"(?<=[a-z])I(?=[a-z])|(?<=[a-z])I\b", "l", s)  # "nightIy", "ceIls"
    s = re.sub(r"\b[lI][a-z]{3,}\b", lambda m: m[0] if known(m[0].lower()) or not known("i" + m[0][1:].lower())
               else "i" + m[0][1:], s)  # "lncrease"
    s = re.sub(r"[A-Za-z]*rn[A-Za-z]*", lambda m: m[0] if known(m[0].lower()) or not known(
        m[0].lower().replace("rn", "m")) else m[0].replace("rn", "m"), s)
    s = re.sub(r"\brns\b", "ms", s)
    # (the second word is looked at, not taken, so that "keep fair ness" can join its second pair)
    return re.sub(r"\b([A-Za-z]{2,})[ \t](?=([A-Za-z]{1,5})\b)", lambda m: m[1] if word((m[1] + m[2]).lower())
                  and not (word(m[1].lower()) and word(m[2].lower())) else m[0], s)


#: the fields of a calendar invite ("Title:", "When:", "Where:", "Attendees:", "Description:")
_INVITE_FIELD = re.compile(r"^[ \t]*(?:title|subject|when|where|location|attendees|organi[sz]er|description|agenda)"
                           r"[ \t]*:", re.M)
_INVITE_TIME = re.compile(r"^[ \t]*(?:when|date|time|attendees|organi[sz]er)[ \t]*:[^\n]*$", re.M)


#: signs of a request written as code: a call, a comparison, an assignment of a list or a range, a def or an if
#: (a call alone is no sign: math notation writes "max mean_tput(eMBB) s.t. loss(mMTC) <= 1e-2")
_CODE_SIGN = re.compile(r"==|:=|\brange\s*\(|^\s*(?:def|if|for|select|from|where|with)\b|=\s*[\[{]|^\s*(?:#|--)\s|"
                        r"^\s*=\s*[a-z]+\s*\(|\b[a-z_]+\s+in\s*\((?=[\d,\s]+\))|\bwhere\b.*\band\b|"
                        r"\b(?:minimi[sz]e|maximi[sz]e|optimi[sz]e|require|assert)\s*\(", re.I | re.M)


def _hour_list(listed: str) -> str:
    """"22,23,0,1,2" -> "hours 22-23, 0-2": a listed set of hours as the inclusive ranges `_hour_indices` reads."""
    hours = sorted({int(h) for h in re.findall(r"\d+", listed) if int(h) < 24})
    runs: list[list[int]] = []
    for h in hours:
        if runs and h == runs[-1][-1] + 1:
            runs[-1].append(h)
        else:
            runs.append([h])
    return "hours " + ", ".join(f"{r[0]}-{r[-1]}" for r in runs)


def _code(text: str) -> str:
    """A request written as pseudo-code or a query, in words the reader knows: ``range(1, 5)`` for hours as 01:00 to
    05:00 and for cells as cells 1 to 4, ``cell_id IN (30, 31)`` as cells, ``hour BETWEEN 16 AND 19`` as hours 16-19,
    ``slice == "urllc"`` as the form field ``slice=urllc``, ``p95(latency)`` as the 95th-percentile latency,
    ``minimize("power_draw")`` as words, and snake_case names as words. Text that is no code is returned as it is."""
    if len(_CODE_SIGN.findall(text)) < 2:
        return text

    def ranged(m: re.Match[str]) -> str:
        a, b = int(m[2]), int(m[3])
        if re.search(r"cell", m[1], re.I):
            return f"{m[1]}cells {a} to {b - 1}"
        if re.search(r"hour|window|\bh\b|time", m[1], re.I) and b <= 24:
            return f"{m[1]}from {a:02d}:00 to {b % 24:02d}:00"
        return m[0]

    s = re.sub(r"([^\n(]*?)\b(?:list\s*\(\s*)?range\s*\(\s*(\d+)\s*,\s*(\d+)\s*\)\)?", ranged, text)
    s = re.sub(r"\b(?:cell_?ids?|cells?)\s+in\s*[(\[{]([\d,\s]+)[)\]}]", r"cells \1", s, flags=re.I)
    s = re.sub(r"\bhours?\s+between\s+(\d{1,2})\s+and\s+(\d{1,2})\b", r"hours \1-\2", s, flags=re.I)
    s = re.sub(r"\bhours?\s+in\s*[(\[{]([\d,\s]+)[)\]}]", lambda m: _hour_list(m[1]), s, flags=re.I)
    s = re.sub(r"\b(slice)\s*==?\s*[\"']?(\w+)[\"']?", r"\1=\2", s, flags=re.I)
    s = re.sub(r"\bp(\d{1,2})\s*\(\s*(\w+)\s*\)", r"p\1 \2", s, flags=re.I)
    s = re.sub(r"\b(mean|avg|average|median)\s*\(\s*(\w+)\s*\)", r"\1 \2", s, flags=re.I)
    s = re.sub(r"\b(minimi[sz]e|maximi[sz]e|min|max|optimi[sz]e)\s*\(\s*[\"']?([\w ]+?)[\"']?\s*[,)]", r"\1 \2 ", s,
               flags=re.I)
    return re.sub(r"(?<=[a-z])_(?=[a-z])", " ", s)


_HTML_TAG = re.compile(r"<\s*(/?)\s*([a-z][a-z0-9]*)\b[^<>]*>", re.I)
_HTML_BLOCK = frozenset({"p", "br", "div", "li", "ul", "ol", "tr", "td", "th", "table", "h1", "h2", "h3", "h4", "h5",
                         "h6", "blockquote", "hr"})


def _html(text: str) -> str:
    """An e-mail body pasted with its HTML: the text without the markup (a block element ends a line, an inline one
    such as <b> goes) and with its entities decoded ("&gt;=", "&ndash;", "&nbsp;"). Other text is returned as it
    is."""
    if not _HTML_TAG.search(text) and not re.search(r"&(?:[a-z]{2,8}|#\d{2,5});", text):
        return text
    s = _HTML_TAG.sub(lambda m: "\n" if m[2].lower() in _HTML_BLOCK else "", text)
    return html.unescape(s).replace("\u00a0", " ")


#: a log or ticket line's date and time stamp ("2024-03-02 10:14 comment: ..."): when it was written, not a window
_LOG_STAMP = re.compile(rf"^[ \t]*{DATE_STAMP}(?:[ t,]+\d{{1,2}}:\d{{2}}(?::\d{{2}})?)?\]?", re.M)


#: a footnote's text at the foot of the request: "[1] subject to ...", "¹ network-wide", "* target: ...", "† only CIO"
_FOOTNOTE = re.compile(r"^[ \t]*(?P<mark>\[\d{1,2}\]|[¹²³⁴⁵⁶⁷⁸⁹]|\*{1,3}|†|‡)[ \t]*(?P<note>\S[^\n]*)$", re.M)


def _footnotes(text: str) -> str:
    """Footnotes put where their markers stand ("for eMBB users[1]" with "[1] subject to ..." reads "for eMBB users
    (subject to ...)"); a marker is no number. Text without footnotes is returned as it is."""
    notes = {m["mark"]: m["note"].strip() for m in _FOOTNOTE.finditer(text)}
    if not notes:
        return text
    body = _FOOTNOTE.sub("", text)
    used = False
    for mark, note in notes.items():
        # the marker right after a word, a number, a unit or a closing bracket (not "* target" at a line's start)
        pattern = rf"(?<=[\w%)\].])(?:{re.escape(mark)})(?![\w\[])"
        if re.search(pattern, body):
            body = re.sub(pattern, " (" + note.replace("\\", "\\\\") + ")", body)
            used = True
    return body if used else text


#: an identifier in capitals with a number ("REQ-COV-001", "INC-2024-5530", "MW-77"): a name, never a value
_CAPS_ID = re.compile(r"(?<![\w.-])[A-Z][A-Z0-9]{1,7}(?:-[A-Z0-9]{1,8})*-\d{1,6}[A-Za-z]?(?![\w.-])")
#: a spreadsheet cell reference before its content ("B3: latency_ms[urllc] <= 10", "window D1 = 17:00-21:00")
_SHEET_REF = re.compile(r"(?<![\w.])[A-H][1-9]\d{0,2}\s*(?::(?!\d)|=(?!=))")
#: an abbreviation defined in brackets after what it stands for: "cell-edge throughput (CET, the 5th-percentile user
#: rate)", "active cell count (ACC)", "the morning shift (MS = 06:00-12:00)"
_DEFINED = re.compile(r"\((?P<abbr>[A-Z][A-Za-z0-9]{1,6})(?P<rest>\s*(?:[,;:=]|i\.e\.)[^()]*)?\)")


def _stands_for(words: list[str], abbr: str) -> str | None:
    """The last words before a bracket that ``abbr`` abbreviates: their initials ("ACC": active cell count), or its
    letters in order from the start of a word ("COV": coverage, "PRBU": PRB utilisation); None when none do."""
    letters = [c for c in abbr.lower() if c.isalpha()]
    if len(letters) != len([c for c in abbr if c.isalnum()]) or not letters:
        return None
    for k in range(len(letters), 0, -1):  # initials first
        tail = words[-k:]
        if len(tail) == k and [w[0].lower() for w in tail] == letters:
            return " ".join(tail)
    for k in range(1, 4):  # letters in order, the first one starting the first word
        tail = words[-k:]
        joined = " ".join(tail).lower()
        if len(tail) < k or not joined or joined[0] != letters[0]:
            continue
        it = iter(joined)
        if all(c in it for c in letters):
            return " ".join(tail)
    return None


def _abbreviations(text: str) -> str:
    """Abbreviations the text defines written out where it uses them, their definitions dropped (the words stay):
    "Active cell count (ACC) should be brought down ... With SIC, ..." reads "active cell count ... with sleeping idle
    cells". An abbreviation the vocabulary already knows ("CIO", "PRB") is left as it is."""
    found: dict[str, str] = {}
    for m in _DEFINED.finditer(text):
        abbr = m["abbr"]
        words = re.findall(r"[A-Za-z][A-Za-z0-9']*", text[max(0, m.start() - 80):m.start()].replace("-", " "))
        phrase = _stands_for(words, abbr)
        if phrase is not None and abbr not in found and not names_domain(abbr):
            found[abbr] = phrase
    if not found:
        return text
    text = _DEFINED.sub(lambda m: m[0] if m["abbr"] not in found else
                        (f"({m['rest'].lstrip(' ,;:=')})" if m["rest"] and m["rest"].strip(" ,;:=") else ""), text)
    return re.sub(rf"(?<![\w-])({'|'.join(map(re.escape, found))})(?![\w-])", lambda m: found[m[1]], text)


_TZ_OFFSET = r"(?:utc|gmt)(?:\s*[+\-−]\s*\d{1,2}(?::?00)?)?\b"
#: the clock the network runs on: "local time, which is UTC+2", "the cells' clock is UTC", "cells running on UTC-5"
_LOCAL_CLOCK = re.compile(rf"(?:local\s+(?:time|clock)|clock|running\s+on|runs\s+on|set\s+to)[^.;\n]{{0,40}}?\b(?:{_TZ_OFFSET})"
                          rf"|\b(?:{_TZ_OFFSET})\s+local\s+time", re.I)
#: a named zone and its offset: "New York (UTC-5)", "Pacific (UTC-8)", "CET (UTC+1)"
_NAMED_ZONE = re.compile(r"\b(?P<name>[A-Z][A-Za-z]+(?:\s+[A-Z][A-Za-z]+)?)\s*\(\s*(?:UTC|GMT)\s*[+\-−]\s*\d{1,2}(?::?00)?"
                         r"\s*\)")
_TZ_TIME = r"(?:\d{1,2}(?::\d{2})?\s*(?:a\.?m\.?|p\.?m\.?)|\d{1,2}:\d{2}|[01]\d[0-5]\dz|2[0-3][0-5]\dz)"


def _offset(s: str) -> int:
    """Hours east of UTC in "UTC+2", "GMT-5", "UTC" (0)."""
    m = re.search(r"(?:utc|gmt)\s*([+\-−])\s*(\d{1,2})", s, re.I)
    return 0 if m is None else int(m[2]) * (-1 if m[1] in "-−" else 1)


def _shifted(token: str, delta: int) -> str:
    """A clock time moved by ``delta`` hours, written as 24-hour HH:MM."""
    t = token.strip().lower().rstrip("z")
    mark = re.search(r"([ap])\.?m", t)
    digits = re.sub(r"[^\d:]", "", t)
    if ":" in digits:
        h, mins = (int(x) for x in digits.split(":")[:2])
    elif len(digits) == 4:
        h, mins = int(digits[:2]), int(digits[2:])
    else:
        h, mins = int(digits), 0
    if mark:
        h = h % 12 + (12 if mark[1] == "p" else 0)
    return f"{(h + delta) % 24:02d}:{mins:02d}"


def _time_zones(text: str) -> str:
    """Clock times given in another zone than the network's, moved to the network's clock: with the local clock
    stated ("our clock is UTC+2"), "22:00 UTC", "1900Z", "7 pm New York time" (with "New York (UTC-5)" said) and a
    range whose end carries the zone ("from 1 pm to 5 pm Pacific (UTC-8)") are written in local 24-hour time. Text
    that does not state the local clock is returned as it is: a time is then read as the network's."""
    local = _LOCAL_CLOCK.search(text)
    if local is None:  # "from 22:00 UTC to 04:00 UTC": the zone, said after each time, would split the range
        return re.sub(r"(?<=\d)\s*(?:utc|gmt)\b(?!\s*[+\-−]\s*\d)|(?<=\d)z\b", "", text, flags=re.I)
    local_off = _offset(local.group(0))
    zones = {m["name"].lower(): _offset(m.group(0)) for m in _NAMED_ZONE.finditer(text)
             if m.start() not in range(local.start(), local.end())}
    names = "|".join(re.escape(z) for z in sorted(zones, key=len, reverse=True))
    tag = rf"(?:\s*(?:{_TZ_OFFSET})|(?<=z))" + (rf"|\s+(?P<zone>{names})(?:\s+time)?(?:\s*\((?:utc|gmt)[^)]*\))?" if names else "")
    pattern = re.compile(rf"(?P<a>{_TZ_TIME})(?:(?P<join>\s*(?:-|–|to|until|till|and)\s*)(?P<b>{_TZ_TIME}))?(?P<tag>{tag})",
                         re.I)

    def moved(m: re.Match[str]) -> str:
        if m.start() in range(local.start(), local.end()):
            return m.group(0)
        zone_off = zones.get((m["zone"] or "").lower()) if names and m["zone"] else None
        if zone_off is None:
            zone_off = _offset(m["tag"])  # "1900Z" and "UTC" are UTC
        delta = local_off - zone_off
        out = _shifted(m["a"], delta)
        if m["b"]:
            out += f" to {_shifted(m['b'], delta)}"
        return out + " "

    # a range whose start carries no tag is moved with its end ("from 1 pm to 5 pm Pacific")
    return pattern.sub(moved, text)


_DICTATED = {"new line": "\n", "new paragraph": "\n", "full stop": ".", "period": ".", "comma": ",", "semicolon": ";",
             "colon": ":", "percent sign": "%", "hyphen": "-", "dash": " - ", "open quote": '"', "close quote": '"',
             "unquote": '"', "open paren": "(", "close paren": ")", "question mark": "?", "exclamation mark": "!"}
_DICTATED_WORD = re.compile(rf"\s*\b({alternatives(sorted(_DICTATED, key=len, reverse=True))})\b\s*", re.I)
#: a transcript line's time stamp and speaker: "[00:14:32] Priya: ..." (when it was said, not a window)
_TRANSCRIPT_STAMP = re.compile(r"^[ \t]*\[?\d{1,2}:\d{2}(?::\d{2})?\]?[ \t]+(?=[A-Z][\w.-]*(?:[ \t][A-Z][\w.-]*)?:)", re.M)


def _spoken_forms(text: str) -> str:
    """Dictation and telegrams in written form: punctuation said as words ("comma", "period", "new line", "percent
    sign", two of them or more), a telegram's STOP between its phrases (two or more), and a transcript's time stamps
    before its speakers dropped."""
    said = [w.lower() for w in _DICTATED_WORD.findall(text)]
    if len(said) >= 2 and set(said) & {"comma", "new line", "new paragraph", "percent sign", "full stop", "open quote",
                                       "close quote", "semicolon"}:  # "the trial period ... the night period": words
        text = _DICTATED_WORD.sub(lambda m: _DICTATED[m[1].lower()] + " ", text)
        text = re.sub(r"(?<=\d)\s+point\s+(?=\d)", ".", text)  # "0 point 75"
        text = re.sub(r"(?<=\d)\s*:\s+(?=\d\d\b)", ":", text)  # "1 colon 00" → "1: 00" → "1:00"
    if len(re.findall(r"\bSTOP\b|\bstop\b(?=\s+[a-z]+\s)", text)) >= 2 and re.search(r"\bstop\s*$", text, re.I):
        text = re.sub(r"\s*\bstop\b\s*", ". ", text, flags=re.I)
    return _TRANSCRIPT_STAMP.sub("", text)


_TEX_CMD = [(r"\\(?:mathrm|text|operatorname|mathbf|mathit|textrm|mathsf)\s*\{([^{}]*)\}", r"\1"),
            (r"\\(?:bar|hat|tilde|overline)\s*\{([^{}]*)\}", r"\1"), (r"\\(?:bar|hat|tilde)\s*(\w)", r"\1"),
            (r"\\mathrm\{h\}\s*\^\s*\{?-1\}?|\bh\s*\^\s*\{-1\}", " per hour "), (r"\\(?:leq?|leqslant)\b", " <= "),
            (r"\\(?:geq?|geqslant)\b", " >= "), (r"\\min\b", " minimise "), (r"\\max\b", " maximise "),
            (r"\\in\b", " ∈ "), (r"\\[,;:! ]", " "), (r"\\%", "%"), (r"\{:\}", ":"), (r"\\[{}]", " "),
            (r"\\(?:l|c|ld)?dots\b", ".."), (r"\\(?:quad|qquad|cdot|times)\b", " "), (r"\\frac\s*\{[^{}]*\}\s*\{[^{}]*\}", " ")]


def _as_text(words: str) -> Callable[[re.Match[str]], str]:
    """A replacement that inserts ``words`` as they are (a string given to re.sub is a template: "\\l" would raise)."""
    return lambda _m: words


def _latex(text: str) -> str:
    """A request written in LaTeX, in words: a symbol explained in brackets right after it ("$\\bar{R}_{\\mathrm{eMBB}}$
    (mean eMBB user throughput)"; after an inequality the explanation is its left-hand side's) or by "let ... denote"
    stands for its explanation wherever it is used; \\leq, \\geq, \\mathrm{...}, \\, and \\% as plain text; hour and cell
    sets ("h \\in \\{1, 2\\}", "t \\in [22{:}00, 05{:}00)", "\\{0, \\dots, 3\\}") as the math notation reads them. Text
    without two dollar signs is returned as it is."""
    if text.count("$") < 2:
        return text
    names: dict[str, str] = {}

    def unwrap(math: str) -> str:
        for _ in range(2):
            math = re.sub(r"\\(?:mathrm|text|operatorname|mathbf|mathit|textrm|mathsf|bar|hat|tilde|overline)\s*\{([^{}]*)\}",
                          r"\1", math)
        return re.sub(r"\\(?:bar|hat|tilde)\s*(\w)", r"\1", math)

    def key(math: str) -> str:
        return re.sub(r"[\s{}]", "", re.sub(r"\\(?:min|max|text\s*\{\s*(?:minimi[sz]e|maximi[sz]e)\s*\})\b", "", unwrap(math)))

    def named(m: re.Match[str]) -> str:
        lhs = re.split(r"\\(?:leq?|geq?|leqslant|geqslant)\b|[<>=]", m[1])[0]
        names.setdefault(key(lhs), m[2].strip())
        return f"${m[1]}$"
    text = re.sub(r"\$([^$]{1,80})\$\s*\(([^()]{3,80})\)", named, text)
    for m in re.finditer(r"\blet\s+\$([^$]{1,30})\$\s+(?:denote|be|stand\s+for)\s+([^.;,$]{3,60})", text, re.I):
        names.setdefault(key(m[1]), m[2].strip())
    for m in re.finditer(r"\$([A-Za-z\\]{1,12})\s*=[^$]*\$\s+is\s+([^.;,$]{3,60})", text):
        names.setdefault(key(m[1]), m[2].strip())

    def math(m: re.Match[str]) -> str:
        s = unwrap(m[1]).replace(r"\{", "{").replace(r"\}", "}")
        s = re.sub(r"\\in\b", " ∈ ", s)
        s = re.sub(r"\{\s*(\d+)\s*,\s*\\(?:l|c)?dots\s*,\s*(\d+)\s*\}", r"\1 to \2", s)
        s = re.sub(r"(\d)\s*\^\s*\{\s*([-−]?\d+)\s*\}", r"\1^\2", s)  # 10^{-3}
        s = re.sub(r"\bh\s*∈\s*\{\s*([\d,\s]+)\}", lambda n: " " + _hour_list(n[1]) + " ", s)
        s = re.sub(r"\bc\s*∈\s*\{\s*([\d,\s]+)\}", r" cells \1 ", s)
        for sym in sorted(names, key=len, reverse=True):  # a defined symbol, wherever it is used
            if re.search(r"\w", sym):
                s = re.sub(r"(?<![\w\\])" + r"[\s{}]*".join(re.escape(c) for c in sym) + r"\}*(?![\w])",
                           _as_text(f" {names[sym]} "), s)  # the text's words, never a template
        for pattern, repl in _TEX_CMD:
            s = re.sub(pattern, repl, s)
        s = re.sub(r"\b([th])\s*∈\s*\[\s*(\d{1,2}):00\s*,\s*(\d{1,2}):00\s*\)", r"\1 ∈ [\2, \3)", s)
        s = re.sub(r"[_^]\s*\{([^{}]*)\}|(?<!\d)[_^](\w)", lambda n: f" {n[1] or n[2]}", s)
        return " " + re.sub(r"[{}\\$]", " ", s) + " "
    text = re.sub(r"\$([^$]*)\$", math, text)
    # an explanation in brackets after its symbol has been put in its place
    for expl in set(names.values()):
        text = text.replace(f"({expl})", " ")
    return text


#: a greeting with a name: "Morning Dave," (the lower-case `_GREETING` cannot tell "morning dave," from "morning
#: peak,"); the name is capitalised and no word the reader knows ("Evening Peak," keeps its window)
_NAMED_GREETING = re.compile(r"^\s*(?:Good\s+)?(?:[Mm]orning|[Aa]fternoon|[Ee]vening)\s+([A-Z][a-z]+)\s*[,!]")


def _names_and_references(text: str) -> str:
    """A greeting with a name, capitalised ids and, in a sheet (two references or more), spreadsheet cell references
    dropped; abbreviations written out (`_abbreviations`)."""
    if (g := _NAMED_GREETING.match(text)) is not None and not _VOCABULARY.known(g[1].lower()):
        text = " ; " + text[g.end():]
    text = _CAPS_ID.sub(lambda m: m[0] if names_domain(m[0].split("-")[0]) else " ",
                        _time_zones(_spoken_forms(_latex(text))))  # "CIO-3": a knob
    if len(_SHEET_REF.findall(text)) >= 2:
        text = _SHEET_REF.sub(" ", text)
    return _abbreviations(text)


_CONTRACTED = {**{f"{w}nt": f"{w}n't" for w in ("do", "does", "did", "should", "must", "would", "could", "is", "are",
                                                "was", "were", "has", "have", "had", "need", "might")},
               "cant": "can't", "wont": "won't", "shant": "shan't", "aint": "ain't",
               # typed without the apostrophe and one letter short: "coverage musnt drop under 96%"
               "musnt": "mustn't", "shoudnt": "shouldn't", "dosnt": "doesn't"}
_NO_APOSTROPHE = re.compile(rf"\b({alternatives(_CONTRACTED)})\b")
#: "can't you ...?", "couldn't the network ...?", "won't someone ...?" opening a question: a request, not a negation
_NEGATIVE_QUESTION = re.compile(r"(?:^|(?<=[.;!?,\n]\s)|(?<=[.;!?,\n]))\s*(can|could|would|will)(?:'t|n't|\s+not|nt|not)\s+"
                                r"(?=(?:you|u|we|the|they|it|someone|somebody|anyone|our)\b(?:[^.;!?\n]|\.(?=\d))*\?)")


def plain_text(text: str) -> str:
    """Lower case, plain quotes and dashes, ≥ and ≤ spelt out; Markdown tables read row by row (`_tables`)."""
    s = _tables(_code(_ocr_repaired(_footnotes(_html(_names_and_references(text)))))).lower()
    for a, b in (("’", "'"), ("‘", "'"), ("–", "-"), ("—", " - "), ("\u00a0", " "), ("≥", ">="), ("≤", "<="),
                 ("μ", "µ"), ("‰", " per mille")):
        s = s.replace(a, b)
    s = _ARROWS.sub(lambda m: " reduce " if m[0] in _DOWN_ARROWS else " increase ", s)  # "latency ↓ to 10ms"
    # a negation typed without its apostrophe ("fairness shouldnt fall below 0.6"): the spelling pass would make
    # "shouldn" or "went" of it, and the bound would turn around
    s = _NO_APOSTROPHE.sub(lambda m: _CONTRACTED[m[1]], s)
    # comparators typed as one word: "keep atleast one cell up" (read as a bound the other way round before)
    s = re.sub(r"\bat(least|most)\b", r"at \1", s)
    # "it's" before what it owns: "keep it's 95th percentile latency below 10ms" (its)
    s = re.sub(r"\bit's(?=\s+(?:95th|5th|p95|p5|mean|average|avg|median|packet|latency|delay|throughput|coverage|"
               r"energy|power|share|slice|prb|handover|load|fairness|users?|traffic)\b)", "its", s)
    # ... and "its" before a state verb: "its hitting 90% some days" (it's)
    s = re.sub(r"\bits(?=\s+(?:hitting|running|sitting|hovering|peaking|reaching|going|getting|been|currently|now|still|always|"
               r"often|usually|at\s+(?:least|most|\d)|over|above|under|below|about|around)\b)", "it's", s)
    # a request asked as a negative question is no negation: "cant the network keep them under 0.05 per minute?"
    s = _NEGATIVE_QUESTION.sub(lambda m: m[1] + " ", s)
    if _MD_HEADING.search(s):  # a pull request or a design doc: its checked items are its content, not done work
        s = re.sub(r"^([ \t]*(?:[-*•][ \t]*)?)\[[x✓✔ ]\][ \t]*", r"\1", s, flags=re.M)
    s = _LOG_STAMP.sub("", _CONTEXT_LINE.sub("", s))
    # a value said "as the minimum" or "as a cap" is that bound: "improve coverage with 95% as the minimum", "2 kW as
    # our ceiling"
    s = re.sub(r"(?<![\w.])(\d+(?:\.\d+)?\s*(?:%|[a-z/]+)?)\s+as\s+(?:the|a|an|our|your|its|their)\s+(?:absolute\s+|bare\s+|hard\s+)?"
               r"(minimum|min|floor|lower\s+(?:limit|bound)|maximum|max|ceiling|cap|upper\s+(?:limit|bound))\b",
               lambda m: ("at least " if m[2].startswith(("min", "floor", "lower")) else "at most ") + m[1], s)
    # a "max"/"min" after a value closes its bound: "~0.8/min max dont hurt coverage" (not "maximise coverage"; not
    # after a cell or the last of a list of cells, where it is the objective's verb: "cells 7-9 min energy 22:00-06:00",
    # "cell 42 max fairness")
    s = re.sub(r"((?<![\w.])\d+(?:\.\d+)?\s*(%|[a-z/]+)?\s+(?:max|min|maximum|minimum))"
               r"(?=\s+(?!(?:for|on|in|at|during|of|per|across|between|from|until|till|and|or|over|within)\b)[a-z])",
               lambda m: m[0] if m[2] is None and re.search(r"\bcells?\s*#?(?:\d+(?:\s*(?:,|&|\+|-|/|to|and)\s*#?\d+)*\s*(?:,|&|\+|-|/|to|and)\s*)?$",
                                                              s[:m.start()]) else m[1] + " ;", s)
    # a number with a plus after it is a floor: "keep 2+ cells active", "20+ Mbps" (not a sum, "cells 2+3", "58 + 59",
    # nor "5G+"; "95%+" is read as a bound already)
    s = re.sub(r"(?<![\w.+])(\d+(?:\.\d+)?)\+(?![\w+]|\s*[\d(])", r"at least \1", s)
    # ... and after its unit: "p95 latency 120ms+" (not "20 Mbps + 5"; "95%+" as above)
    s = re.sub(rf"(?<![\w.+])(\d+(?:\.\d+)?)\s*((?!%|percent)(?:{_UNIT_RE})(?![\w]))\+(?![\w+]|\s*[\d(])", r"at least \1 \2", s)
    # a clock time "onwards" is where a span starts: "7pm onwards until 2am", "20:00 onwards" (as "from 7pm")
    s = re.sub(rf"(?<![\w:.])(?<!\bfrom\s)(?<!\bafter\s)(?<!\bsince\s)({_CLOCK_WORDS})\s+onwards?\b", r"from \1", s)
    # texting: "needs 2 stay 95%", "get em down 2 ~0.8/min": a "2" before a verb or a value is "to"
    # (not the end of a clock span: "between 12 and 2 keep handovers under 0.4")
    s = re.sub(r"(?<=[a-z]\s)(?<!\d\sand\s)(?<!\d\sto\s)(?<!\d\still\s)2(?=\s+(?:stay|be|get|keep|remain|go|drop|fall|hit|reach|reduce|cut|make|have|bring)\b)"
               r"|(?<=\bdown\s)2(?=\s+~?\d)|(?<=\bup\s)2(?=\s+~?\d)|(?<=\bback\s)2(?=\s+~?\d)", "to", s)
    if len(_INVITE_FIELD.findall(s)) >= 2:  # a calendar invite: its "When:" is the meeting's time, not the window
        s = _INVITE_TIME.sub("", s)
    # a line break ends a clause (e-mails, chat threads, YAML and key=value lines)
    return re.sub(r"\s*\n\s*", " ; ", s.strip())


#: words after which a signed percentage is a value, not a change: "under -2%", "set it to +3%"
_BEFORE_A_SIGNED_VALUE = frozenset({"under", "below", "over", "above", "than", "most", "least", "to", "of", "by", "is", "at",
                                    "be", "from", "between", "and", "or", "exceed", "exceeds", "within", "about", "around",
                                    "approx", "approximately", "roughly", "max", "min", "limit", "cap", "floor", "target"})
_IN_A = {"ten": 10, "twenty": 20, "fifty": 50, "hundred": 100, "thousand": 1000, "ten_thousand": 10000, "million": 1000000}
#: what may follow the "1 in 500" of a loss ratio: what is lost, or the words that go on to hours, cells or the next
#: clause ("loss to 1 in 500 from 6 to 10 pm"); any other word ("1 in 10 users", "1 in 20 minutes") makes it no ratio
_AFTER_A_RATIO = (r"(?:packets?|pkts?|messages?|frames?|readings?|datagrams?|from|in|on|at|during|between|over|across|"
                  r"and|or|but|by|before|after|till|until|to|for|please|pls|tonight|overnight|this|then|while|when|"
                  r"if|without|with|keeping|plus)\b")
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
             "ninth": 9}
#: a form field naming the slice of the whole request ("KPI=latency; target<=15ms; slice=URLLC")
_SLICE_FIELD = re.compile(r"\bslices?\s*(?:=|:)\s*([a-z]+)\b|(?:^|(?<=;\s))slices?\s+([a-z]+)(?=\s*(?:;|$))")


def into_english(s: str) -> str:
    """The words of the vocabulary in other languages (`LEXICON.glossary`: German, French, Spanish, Portuguese,
    Italian, Dutch, Swedish, Polish, Turkish, Czech, Hindi, Malay/Indonesian, Tagalog) in English: "Energieverbrauch
    nachts minimieren" reads "energy consumption at night minimise". A language's function words ("und", "sans", "y")
    only in a text that has one of its words, so that English text is never touched by them."""
    for g in LEXICON.glossary:
        if not any(p.search(s) for p, _ in g.words):
            continue
        for p, english in (*g.words, *g.function):
            s = p.sub(f" {english} ", s)
    return s


#: a bound on a metric airloop does not model ("jitter under 15 ms", "RSRP above -100 dBm") is no bound on the KPI its
#: unit would suggest: the number goes, the word stays (a text about it alone is refused for naming no KPI)
#: radio metrics airloop does not model (their values name no KPI, asking for them is refused)
_UNMODELLED_METRICS = r"jitter|mos|rsrp|rsrq|sinr|cqi|bler|rssi"
_UNMODELLED_VALUE = re.compile(rf"\b({_UNMODELLED_METRICS})\b((?:\s+(?:on|for|of)\s+the\s+[\w-]+(?:\s+\([\w\x00-]+\))?\s+(?:slice|users|"
                               r"traffic))?(?:(?!latenc|delay|throughput|speed|coverage|loss|energy|power|fairness|"
                               r"handover|prb|load|utili[sz])[^;,.\n\d()]){0,60}?)-?\d[\d.]*\s*"
                               r"(?:ms|msec|milliseconds?|µs|us|dbm|db)?(?![\w%])")


#: ... and its value said after a comma with a pronoun: "sort out the jitter on the console games, keep it under 5ms", or
#: in the next sentence: "The jitter on the link is awful after midnight. Get it under 5 ms"
_UNMODELLED_PRONOUN_VALUE = re.compile(
    rf"\b({_UNMODELLED_METRICS})\b([^;.\n\d()]{{0,80}}?[,.!]\s*(?:and\s+)?(?:please\s+|pls\s+|so\s+)?(?:keep|get|hold|bring|push|make)"
    r"\s+(?:it|that|this|them)\s+(?:[a-z]+\s+){0,3})-?\d[\d.]*\s*(?:ms|msec|milliseconds?|µs|us|dbm|db)?(?![\w%])")


def _unmodelled_values(s: str) -> str:
    return _UNMODELLED_PRONOUN_VALUE.sub(r"\1\2", _UNMODELLED_VALUE.sub(r"\1\2", s))


_LOAD_WORDS = (r"(?:(?:offered\s+|cell\s+|network\s+|traffic\s+)?load|traffic|demand|(?:prb|resource(?:\s+block)?)\s+"
               r"(?:use|usage|utili[sz]ation|load)|utili[sz]ation)")
_LOAD_CONDITION = re.compile(
    rf"\b(?:when|whenever|while|if|once)\s+(?:the\s+)?{_LOAD_WORDS}(?P<where>\s+(?:on|in|at)\s+(?:those\s+|these\s+|the\s+)?"
    r"cells?\s+[\d,\s]*(?:(?:and|to|-)\s*\d+)?)?\s+(?:is\s+|are\s+|gets\s+|goes\s+|has\s+been\s+)?(?:drops?\s+|dropping\s+"
    r"|falls?\s+|exceeds?\s+|rises?\s+|climbs?\s+|running\s+|sitting\s+)?(?:above|below|over|under"
    r"|beyond|past|less\s+than|more\s+than|higher\s+than|lower\s+than|[<>])?\s*\d+(?:\.\d+)?\s*"
    r"(?:%|percent|[kmg]bps|[kmg]bit/s|[kmg]b/s)?")
_LOAD_ASIDE = re.compile(rf"\(\s*(?:under|below|over|above|less\s+than|more\s+than|<|>)\s*\d+(?:\.\d+)?\s*(?:%|percent)\s*"
                         rf"(?:of\s+)?{_LOAD_WORDS}\s*\)")


@functools.lru_cache(maxsize=256)
def expand_abbreviations(s: str) -> str:
    """`LEXICON.abbreviations` written out (on `plain_text`); a form that ends in a letter only as a whole word. Form
    labels of change-request templates lose their punctuation: "Means: CIO" is "using CIO", "Window: peak" is "during
    peak", "Cells - 2, 8" is "cells 2, 8", and a parenthesised cell list "cells (26 to 29)" is "cells 26 to 29"."""
    s = _FILLERS.sub(" ", s)
    # a bare "between" span whose start is said with am or pm elsewhere in the text takes that mark: "Load-in starts at
    # 6 am ... keep mMTC coverage at 97% or more between 6 and 10" (read as a coverage range)
    s = re.sub(r"\bbetween\s+(1[0-2]|[1-9])\s+(and|to)\s+(1[0-2]|[1-9])\b(?!\s*(?:[.:]\d|%|percent|a\.?m\b|p\.?m\b|[a-z/]))",
               lambda m: (f"between {m[1]}{mark[1].replace('.', '')} {m[2]} {m[3]}"
                          if (mark := re.search(rf"(?<![\d:.]){m[1]}\s*(a\.?m|p\.?m)\b", s)) is not None else m[0]), s)
    # a window said by its length and start, before the length is dropped as a duration: "a 2-hour streaming test
    # from 20:00", "from 8pm for 3 hours"
    s = _DURATION_FROM.sub(_duration_span, s)
    s = _FROM_FOR_DURATION.sub(_duration_span, s)
    s = re.sub(r"\b((?:new\s+year'?s|christmas|hallowe'?en|midsummer)\s+)eve\b", r"\1holiday", s, flags=re.I)  # a date
    s = into_english(s)
    s = _math_notation(s)
    s = re.sub(r'["{}\[\]]', " ", s)  # JSON and YAML punctuation: '"min_coverage": "96%"' is min_coverage: 96%
    # command-line flags: each a clause ("--keep 'coverage>=0.9'"), but "--from 23:00 --to 05:00" stays one span
    s = re.sub(r"(?:^|(?<=\s))--(?=(?:to|until|till)\b)", " ", s)
    s = re.sub(r"(?:^|(?<=\s))--(?=[a-z])", " ; ", s)
    s = re.sub(r"\b(?:knobs?_frozen|frozen_knobs|exclude[sd]?_knobs|knobs?_excluded|do_not_touch)\s*[:=]\s*", " without touching ",
               s)
    # release notes and priority lists: a removed item, a version number and a former value say nothing asked now
    s = re.sub(r"(?:^|(?<=;))\s*(?:removed|deprecated|dropped|deleted)\s*:[^;]*", " ", s)  # "Removed: the 90 % cap"
    s = re.sub(r"\b(?:release|version|ver\.?|rev\.?|v)\s*\d+(?:\.\d+)+\b", " ", s)  # "Release 2.4", "v1.3.0"
    s = re.sub(r"\(\s*(?:was|previously|formerly)\b[^()]*\)", " ", s)  # "(was 11:00-15:00)"; not "(before 6am)"
    s = re.sub(r"\bwon'?t(?:\s+have)?\s*:\s*", " without ", s)  # MoSCoW "WON'T: touch tilt"
    s = re.sub(r"\bnot\s+at\s+the\s+(?:price|cost|expense)\s+of\b", " without ", s)  # "but not at the price of X falling"
    s = _GREETING.sub(" ; ", s)
    # a condition on the load says when to act, not what to keep: "when load drops below 30 %, ...", "while PRB
    # utilisation is above 80 %", "if the load on cells 3 and 4 is over 70 %" (the cells stay), "(under 25 % PRB use)"
    s = _LOAD_CONDITION.sub(lambda m: f" {m['where'] or ''} ", s)
    s = _LOAD_ASIDE.sub(" ", s)
    # a slice the ask leaves out is no slice of it: "apart from the urllc slice, which is fine, maximise ..."
    s = re.sub(rf"\b(?:apart\s+from|except(?:\s+for)?|other\s+than|excluding|besides|but\s+not)\s+(?:the\s+)?"
               rf"(?:{'|'.join(p for p, _ in _SLICE_PATTERNS)})(?:\s+(?:slice|users|traffic|devices))?(?:\s*,\s*which[^,;.]*)?",
               " ", s)
    s = re.sub(r"(?<![\w&])#[a-z][\w-]*", " ", s)  # hashtags are topics, not requests: "#energy #sleepmode"
    s = re.sub(r"\bout\s+of\s+scope\s*(?::|-|=)?\s*", " without touching ", s)  # "Out of scope: any Tx power change"
    # a design doc's "Non-goals: touching slice shares", a form's "exclude: switching cells off", "excluding
    # switching cells off": what follows is excluded, never the only means
    s = re.sub(r"\b(?:non[\s-]?goals?|not\s+(?:a|our)\s+goals?|exclu(?:de|ded|sions?))\s*(?::|=|\s-)\s*", " without touching ", s)
    s = re.sub(r"\bexcluding\s+(?=\w+ing\b)", " without ", s)
    s = re.sub(r"\bping\s+(?=(?:me|us|him|her|them|you|someone|somebody|the\s+team)\b)", "contact ", s)  # not latency
    # "no more than 2 of cells 24-27 need to stay awake", "leave at most two of cells 1 to 6 on": a bound on the count
    # of active cells, on the cells named
    s = re.sub(r"\b(no\s+more\s+than|not\s+more\s+than|at\s+most|at\s+least|no\s+fewer\s+than|no\s+less\s+than)\s+"
               r"(\d+|[a-z]+)\s+of\s+(?:the\s+)?(cells?\s+#?\d{1,3}(?:\s*(?:,|and|&|-|–|to|through|thru)\s*#?\d{1,3})*)\s+"
               r"(?:(?:need\s+to|needs\s+to|should|must|may|can|will|to)\s+)?(?:(?:stay|be|remain|be\s+kept)\s+)?"
               r"(?:awake|on|active|up|lit|running|powered(?:\s+on)?)\b",
               lambda m: f"{m[1]} {_number_value(m[2])} active cells on {m[3]}"
               if m[2].isdigit() or m[2] in _NUMBER_WORDS else m[0], s)
    # a range of the count: "we need between 2 and 3 cells awake", "keep 4-6 cells on overnight": a floor and a ceiling
    # on the count of active cells (it was refused, or read the ceiling alone)
    s = re.sub(rf"\b(?:between\s+({_ANY_NUMBER_WORD})\s+(?:and|&)|({_ANY_NUMBER_WORD})\s*(?:to|-|–))\s*({_ANY_NUMBER_WORD})\s+"
               r"(?:of\s+(?:the|our|my)\s+)?cells?\s+(?:(?:need\s+to|needs\s+to|should|must|to)\s+)?(?:(?:stay|be|remain|kept)\s+)?"
               r"(?:awake|on|active|up|lit|running|powered(?:\s+on)?|switched\s+on)\b",
               lambda m: f"at least {_number_value(m[1] or m[2])} active cells and at most {_number_value(m[3])} active cells", s)
    # a terse "keep >= 2 on", "keep ≥ 2 up": a floor on the count of active cells
    s = re.sub(r"\bkeep\s+(?:>=|=>|at\s+least)\s*(\d+)\s+(?:on|up|awake|active|lit)\b(?!\s+(?:the|a|an|cells?|sites?)\b)",
               r"keep at least \1 active cells", s)
    # "keep 5 cells active": a floor on the count, however the KPI's direction would read a bare number
    s = re.sub(r"\b(keep(?:ing|s)?|leave|leaving)\s+(\d+|[a-z]+)\s+cells?\s+(?:active|on|awake|lit|running|powered(?:\s+on)?|up)\b"
               r"(?!\s+(?:standby|stand-by|sleep|hold|reserve|low\s+power|idle))",
               lambda m: f"{m[1]} at least {_number_value(m[2])} active cells"
               if m[2].isdigit() or m[2] in _NUMBER_WORDS else m[0], s)
    # a trade-off's concession: "we'd accept a higher handover rate, up to 1 per minute, in exchange for better
    # cell-edge throughput": the comparative says what is given up (a bound after it), not what to improve
    s = re.sub(r"\b((?:accept|tolerat|live\s+with|put\s+up\s+with|take|allow|sacrific|giv(?:e|ing)\s+up)\w*\s+)"
               r"(?:a\s+|an\s+|some\s+)?(?:slightly\s+|somewhat\s+|a\s+bit\s+|a\s+little\s+)?"
               r"(?:higher|more|lower|less|worse|increased|reduced|extra|longer|bigger)\s+(?=[a-z])", r"\1", s)
    # "limit handovers to no more than 30 per hour", "cap the power draw to 6 kW": a bound, as "keep X at most V" (with
    # no other objective the first KPI bounded is minimised, as before; with one, "... and, within that limit,
    # maximise the mean throughput", that one is the objective)
    s = re.sub(r"(?<!\ball\s)(?<!\bthe\s)(?<!\bany\s)(?<!\bno\s)(?<!\bour\s)(?<!\bits\s)(?<!\bof\s)"
               r"\b(?:limit|cap|restrict)(?:s|ed|ing)?\s+((?:(?!(?:and|or|set|but|to|from|between|cells?)\b)[^\s,.;:]+\s+){1,6}?)to\s+"
               r"(?=(no\s+more\s+than|not\s+more\s+than|at\s+most|under|below|less\s+than|a\s+maximum\s+of|max(?:imum)?\b)?\s*\d"
               r"(?!\d*(?:\s*(?:am|pm|a\.m|p\.m|h)\b|:\d)))",
               lambda m: f"keep {m[1]}" + ("" if m[2] else "at most "), s)
    # a rule cited as the reason is no request: "Pursuant to the energy-saving directive, the operator shall ..."
    s = re.sub(r"\b(?:(?:pursuant\s+to|in\s+(?:line|accordance|compliance)\s+with|as\s+required\s+by|according\s+to)\s+"
               r"(?:the\s+|our\s+|its\s+|their\s+|this\s+|that\s+)?|under\s+(?:the|our|its|their|this|that)\s+)"
               r"(?:[a-z][\w-]*\s+){0,5}?(?:directive|regulation|policy|act|law|"
               r"licen[cs]e|mandate|programme|program|framework|standard|guideline|rule)s?\b", " ", s)
    # (not the KPI asked for at a time: "Minimise handovers 9:00-12:00")
    s = _SHIFT_HANDOVER.sub(lambda m: m[0] if re.search(r"\b(?:minimi[sz]\w*|reduc\w*|cut\w*|lower\w*|decreas\w*|limit\w*|"
                                                        r"fewer|less|min|max|keep|cap)\s+(?:the\s+|our\s+)?$",
                                                        s[max(0, m.start() - 30):m.start()]) else " crew report ", s)
    s = _SHIFT.sub(lambda m: m[0] if _SHIFT_AS_TIME.search(s[:m.start()]) else " crew ", s)
    s = _NAMED_REPORT.sub(" ", s)
    # (before dates are dropped) "cells 5/6", "the cell 8/9 border" (not "all cells 24/7": round the clock)
    s = re.sub(r"\b(cells?)\s+(?!24/7\b)(\d{1,3})/(\d{1,3})(?![\d/])", r"cells \2 and \3", s)
    s = _DATE.sub(" ", s)
    s = re.sub(r"\b((?:is|are|was|were)\s+(?:now\s+|still\s+|already\s+|nearly\s+|almost\s+|about\s+)?)"
               r"(?:double|doubled|twice|triple|tripled|half|halved)\b", r"\1 high ", s)  # "our latency is double"
    s = _EVENT_TIME.sub(" ", s)
    s = _PAST_EVENT_TIME.sub(lambda m: m[1], s)
    s = _SPELLED.sub(lambda m: m[0].replace(" ", "") if m[0].replace(" ", "") in _SPELLED_WORDS else m[0], s)
    s = re.sub(r"\btwo\s+(?=(?:below|above|under|over|at\s+most|at\s+least|no\s+more|no\s+less)\b)", "to ", s)  # speech
    s = re.sub(r"\bate\b(?=\s*(?:p\.?m|a\.?m|o'?clock|milli|ms\b|seconds?|percent|%|kilowatts?|watts?|megabits?|cells?))",
               "eight", s)  # speech-to-text: "from ate pm", "under ate milliseconds"
    s = re.sub(r"(\d{1,2}(?::\d{2})?)\s*(?:→|->)\s*(?=\d{1,2}(?::\d{2})?\b)", r"\1 to ", s)  # "01:00→05:00"
    s = re.sub(r"(?<![\w-])c(\d{1,3})\s*-\s*c(\d{1,3})(?![\w.%])", r"cells \1-\2", s)  # "c3-c5"
    s = re.sub(r"(?<![\w-])c(\d{1,3})(?![\w.%])", r"cell \1", s)  # pager shorthand "on c12"
    # "c.52", "c.48 & c.49" (not "c. 200 people": circa)
    s = re.sub(r"(?<![\w.-])c\.(\d{1,3})(?![\w.%])(?!\s*(?:users|people|subscribers|devices|phones|ues|customers|guests|visitors)\b)",
               r"cell \1", s)
    s = re.sub(r"(?<=[a-z])\+(?=[a-z])", " and ", s)  # "tilt+pwr only"
    for written, words in LEXICON.abbreviations.items():
        tail = r"(?![\w'])" if written[-1].isalnum() else ""
        s = re.sub(rf"(?<![\w/.'])(?<![a-z]-){re.escape(written)}{tail}", f" {words} ", s)  # not "wi-fi"
    s = _bare_percentile(_postposed_percentile(s))
    # "improve 5th percentile embb throughput", "the p5 embb throughput": the slice said before its KPI's percentile
    # (same length: positions after it stay)
    s = re.sub(r"\b((?:5th|fifth)[- ]?(?:percentile|pct)|p5)\s+(embb|urllc|mmtc)\s+(?=throughput|speeds?|data\s+rates?|tput)",
               r"\2 \1 ", s)
    # form labels: "Allowed actions: cell sleep, Tx power"; "Forbidden changes: tilt"
    s = re.sub(r"\b(?:(?:allowed|permitted|available|approved)\s+(?:actions?|levers?|knobs?|changes?|controls?)|"
               r"(?:actions?|levers?|knobs?|changes?|controls?)\s+(?:allowed|permitted))\s*(?::|=|\s-)\s*(?=[a-z])",
               " using ", s)
    s = re.sub(r"\b(?:(?:forbidden|prohibited|disallowed|excluded|frozen)\s+(?:actions?|levers?|knobs?|changes?|controls?)|"
               r"(?:actions?|levers?|knobs?|changes?|controls?)\s+(?:not\s+allowed|forbidden|prohibited|excluded))"
               r"\s*(?::|=|\s-)\s*(?=[a-z])", " without touching ", s)
    s = re.sub(r"\b(?:means|levers?|knobs?)\s*(?::|=|\s-)\s*(?=[a-z])", " using ", s)
    s = re.sub(r"\b(?:time\s+)?window\s*(?::|=|\s-)\s*", " during ", s)
    s = re.sub(r"\b(peak|busy|rush[- ]hours?|night|morning|evening|afternoon|lunch(?:time)?|business[- ]hours|daytime|off[- ]peak)"
               r"\s+(?:time\s+)?window\b", lambda m: f"{m[1]} hours" if m[1] in ("peak", "busy") else m[1], s)
    s = re.sub(r"(?<=during )([a-z]+)_([a-z]+)\b", r"\1 \2", s)  # "window: rush_hours"
    s = re.sub(r"\b(cells?|sites?)\s*(?::|=|\s-|\t)\s*\[?\s*(\d+(?:\s*[,;]\s*\d+)*)(?:\s*\])?",
               lambda m: f"{m[1]} " + ", ".join(re.split(r"\s*[,;]\s*", m[2])), s)  # "cells=[0,2,4]", "cells: 0;1;2"
    s = re.sub(r"\bhours?\s*(?::|=)\s*(?=\d)", "hours ", s)
    # form fields: "min_coverage=96%", "latency_max: 25 ms", "max=12/h", "p5_throughput>=1.5"
    s = re.sub(r"\b(min|max)_([a-z]+)\s*[=:]\s*", lambda m: f" {m[2]} {'at least' if m[1] == 'min' else 'at most'} ", s)
    s = re.sub(r"\b([a-z]+)_(min|max)\s*[=:]\s*", lambda m: f" {m[1]} {'at least' if m[2] == 'min' else 'at most'} ", s)
    s = re.sub(r"\b(max|min|limit|target|floor|cap|ceiling)\s*=\s*(?=[\d.])", r"\1 ", s)
    s = re.sub(r"\b(?:limit|target|threshold|value)\s*(?=[<>≤≥]=?)", " ", s)  # "limit<=0.01": the symbol says it
    s = re.sub(r"\bp(5|95)_([a-z])", r"p\1 \2", s)
    # identifiers and years are not values: "ticket#8812", "WO-2291", "row 14:", "our 2030 carbon targets", a kanban
    # "Card #77", "sprint 4", an OKR's "KR2:"
    s = re.sub(r"\b(?:ticket|tt|wo|cr|chg|req|inc|incident|case|ref|row|ai|action\s+item|step|card|story|epic|sprint|kr|okr|"
               r"remediation|(?:preventive|corrective|follow[- ]?up)\s+action|follow[- ]?up|finding|recommendation|"
               r"requirement|article|section|clause|condition|item|task|priority|phase)"
               r"\s*(?:#|no\.?|nr\.?|-|:)?\s*\d+(?:\.\d+)*\b(?!:\d\d)(?!\s*(?:%|percent|ms\b|kw\b|w\b|[mgk]bps|mbit|dbm?\b|cells?\b)):?",
               " ", s)
    # "#1 fairness, maximise it; #2 keep ...": a rank or an id, never a value (a cell's "#3" stays a cell)
    s = re.sub(r"\b((?:cells?|sites?)\s*)((?:#\s?\d+\s*(?:,|and|&|or|to|-)?\s*)+)",
               lambda m: m[1] + m[2].replace("#", ""), s)  # "cells #0, #1, #2": cell ids
    s = re.sub(r"(?<![\w&#])#\s?\d+\b:?", " ; ", s)
    # a duration is no value: "latency spiked for 40 minutes", "for about 2 hours"
    s = re.sub(r"\bfor\s+(?:about\s+|around\s+|nearly\s+|almost\s+|over\s+|roughly\s+)?\d+(?:\.\d+)?\s*"
               r"(?:minutes?|mins?|hours?|hrs?|h|days?|weeks?|months?|seconds?|secs?)\b", " ", s)
    # a working day's backward span after the cells and a comma: "at least 8 Mbps on cell 30, 9 to 5" (read cells 5-9)
    s = re.sub(r"\b(cells?\s+\d{1,3}(?:\s*(?:,|and|&)\s*\d{1,3})*)\s*,\s*(1[0-2]|[6-9])\s*(to|-|till|until)\s*([1-7])\b"
               r"(?![.:]\d|\s*(?:%|[a-z]))",
               lambda m: f"{m[1]}, from {m[2]} to {m[4]}" if int(m[4]) < int(m[2]) else m[0], s)
    # a place named without a number, then a working day's backward span: "works from the green room 9 to 5" (the
    # span was taken as rooms 9 to 5, no rooms run backwards)
    s = re.sub(r"\b(room|office|hall|studio|yard|shop|site|depot)\s+(1[0-2]|[6-9])\s*(to|-|till|until)\s*([1-7])\b(?![.:]\d)",
               lambda m: f"{m[1]}, {m[2]} {m[3]} {m[4]}" if int(m[4]) < int(m[2]) else m[0], s)
    # more numbers that are no values: ids ("RAN-2291", "7710-RAN"), money, phone numbers, dates, rooms and pages
    s = re.sub(r"(?<![\w.])(?:(?!(?:am|pm|hrs?|kw|mw|ms|mbps|gbps|kbps|db|dbm|min|cells?|hours?)-)[a-z]{2,6}-\d{2,}"
               r"|\d{2,}-(?!(?:am|pm|hrs?|kw|mw|ms|mbps|gbps|kbps|db|dbm|min|cells?|hours?)\b)[a-z]{2,6})(?![\w.])|[$€£]\s?\d[\d,.]*\s*(?:[kmb]n?|million|billion)?\b"
               r"|\+\d[\d ()-]{7,}\d|(?<![\w.])\d{3}-\d{4}(?![\w.])|\b(?:19|20)\d{2}-\d{2}-\d{2}\b"
               # (not a room's name before a clock span: "works from the green room 9 to 5")
               r"|\b(?:room|rm|ext|extension|pin|page|p\.|mobile|tel|phone|dial-in|budget\s+code)\.?\s*[a-z]?\d[\d.]*\b"
               r"(?!\s*(?:to|till|until|-|–)\s*\d{1,2}(?:\s*(?:am|pm)|:\d\d)?\b(?!\s*(?:%|ms|mbps|kw|w\b)))"
               r"|\b0\d{4}\s\d{6}\b"
               # "(account 100-448-92)", "ticket #4412", "order no. 5521"
               r"|(?<![\w.])\d+(?:-\d+){2,}(?![\w.])"
               r"|\b(?:account|acct|order|ticket|case|ref|reference|invoice|contract|incident)\s*(?:no\.?|number|#|id)?\s*[:#]?\s*\d[\d-]*\b"
               # places named by number: "courtroom 3 (cell 19)", "gate 12", "floor 3", "platform 4" (not "a floor of
               # 95 %", "floor 10 ms": a value has a unit)
               r"|\b(?:(?:court|class|board|meeting|server|control|lecture|waiting|reading|plant)\s?rooms?|(?:floor|gate|"
               r"platform|pier|berth|dock|bay|ward|wing|hall|building|terminal|aisle|suite|lab|pavilion|warehouse|"
               r"shed|hangar|stage|studio|door|storey|pitch|court|lane|field|track|block|unit|room|zone|stand|"
               r"level|yard|pen|paddock|arena|rink|screen|ring|theatre|theater|bed|bay|line|potline|kiln|pit|"
               r"route|bus|coach|van|tram|train|truck|shuttle|pod|cabin|chalet|caravan|lodge|tent|hut|cottage|villa|"
               r"apartment|plot|booth|stall|desk|table|hole|tee|kennel|stable|locker)(?:s|es)?)"
               r"\s+(?:no\.?\s*)?(?:[-−]\s?)?\d{1,3}(?![:.]\d\d)[a-z]?(?:'s)?"  # (a basement level: "level -2"; not "hall 9:00-12:00")
               r"(?:\s*(?:-|to|and|&)\s*\d{1,3}[a-z]?)?\b"  # "floors 3-5 (cells 18, 19, 20)", "dock doors 1-8"
               r"(?!\s*(?:%|percent|ms\b|msec|milli|mbps|kbps|gbps|mbit|kw\b|w\b|db|per\b|/|\.\d|,\d))"
               r"(?!\s+(?:new|more|extra|additional|small|macro|micro|pico|femto|cells?|sites?)\b)", " ", s)
    # what a request replaces is not asked: "for the evening instead of the afternoon", "97 % rather than 95 %"; a
    # knob it replaces is excluded ("by lowering the power instead of switching cells off")
    s = _REPLACED_PHRASE.sub(lambda m: f" without {m['old']}" if any(re.search(_word(p), m["old"])
                                                                    for p, _, _ in _KNOB_PATTERNS) else " ", s)
    # a forecast's numbers are no bounds: "annual growth of 18 %", "load will go up ~10 %", "demand +15 %",
    # "projected to hit 95 % by Q4"
    s = re.sub(r"\b(?:growth|grow(?:s|ing|n)?|ris(?:e|es|ing)|go(?:es|ing)?\s+up|climb\w*|jump\w*|surg\w*)\s+(?:of\s+|by\s+)?"
               r"(?:about\s+|around\s+|roughly\s+|~\s*)?\d+(?:\.\d+)?\s*%|(?<![\w.])\+\s?\d+(?:\.\d+)?\s*%"
               r"|\b(?:projected|expected|forecast|predicted|set|likely|going)\s+to\s+(?:hit|reach|exceed|top|pass|touch)\s+"
               r"\d+(?:\.\d+)?\s*%?", " ", s)
    # a prediction is no ask: "the handover load will keep climbing", "demand will continue to grow"
    s = re.sub(r"\b(?:will|would|is\s+going\s+to|are\s+going\s+to)\s+(?:keep\s+(?:on\s+)?|continue\s+(?:to\s+)?)?"
               r"(?:climb|ris|grow|increas|go\s+up|worsen|get\s+worse|explod|balloon|spike)\w*", " ", s)
    # money said with its currency word ("4 lakh rupees", "200 dollars"), an e-mail header's date ("Sent: 02/06 09:14")
    # and an export's time stamp ("exported 2024-11-03 16:02") are no values and no windows
    s = re.sub(r"(?<![\w.])\d[\d,.]*\s*(?:k|m|bn)?\s*[€$£](?:\s*/\s*[a-z]+)?"  # "412 k€/yr"
               r"|(?<![\w.])\d[\d,.]*\s*(?:lakhs?|crores?|k|thousand|million|billion)?\s*(?:rupees?|rs\b\.?|inr\b|dollars?|usd\b|"
               r"euros?|eur\b|pounds?\s+sterling|gbp\b|bucks\b)|(?<![\w.])\d[\d,.]*\s*(?:lakhs?|crores?)\b"
               r"|(?:^|(?<=;\s))(?:>\s*)*(?:sent|date|received)\s*:[^;]*"
               r"|\b(?:exported|generated|created|printed|saved|pulled|extracted)\s+(?:on\s+|at\s+)?[\d/.\s-]*\d{1,2}:\d{2}\b", " ", s)
    s = re.sub(r"\b(our|the|by|in|since|until|before|after|of|fy)\s+(?:19|20)\d{2}\b(?!\s*(?:w\b|kw|watts?|%|[kmg]bps|[kmg]bit|"
               r"ms\b|s\b|dbm?\b|per\b|cells?))",
               r"\1 ", s)
    # a standard's number is no level: "for our ISO 20121 report", "ISO/IEC 27001", "3GPP TR 38.901", "IEEE 802.11"
    s = re.sub(r"\b(iso|iec|ieee|rfc|ansi|etsi|itu-t|3gpp)(?:\s*/\s*iec)?(?:\s+(?:t[sr]|en|es))?\s*\d[\d.:-]*\d\b", r"\1 standard", s)
    s = _unmodelled_values(s)
    # how often devices report is no value: "GPS trackers report every 10 seconds" (not "1 handover per user every 2 mins")
    s = _REPORTING_PERIOD.sub(lambda m: m[0][: m.start(1) - m.start()] + "regularly", s)
    s = _REPORTING_RATE.sub("readings regularly", s)
    s = re.sub(r"\(\s*(?:19|20)\d{2}(?=\s+[a-z])(?!\s*(?:w\b|kw|watts?|%|mbps|ms\b|cells?))", "( ", s)  # "(2025 budget)"
    # "one in a thousand" (packet loss) is a percentage
    s = re.sub(r"\b(?:one|1)\s+in\s+(?:a\s+|one\s+)?(ten\s+thousand|ten|twenty|fifty|hundred|thousand|million)\b",
               lambda m: f"{100.0 / _IN_A[m[1].replace(' ', '_')]:g}%", s)
    # ... in digits: "packet loss below 1 in 1000"
    s = re.sub(r"\b(?:one|1)\s+in\s+(?:a\s+|every\s+)?([1-9]\d{1,6})\b(?![.,]\d|\s*(?:%|(?!" + _AFTER_A_RATIO + r")[a-z]))",
               lambda m: f"{100.0 / int(m[1]):g}%", s)
    # ... with what is lost between: "lose about one packet in fifty" is a share of packets lost, and so are "1 packet in
    # 1000" and "2 packets per 1000" (not "2 readings per 60 s")
    s = re.sub(r"\b(?:one|1)\s+(packet|message|reading|frame|datagram)\s+in\s+(?:a\s+|every\s+)?(ten\s+thousand|ten|twenty|fifty|"
               r"hundred|thousand|million)\b", lambda m: f"{100.0 / _IN_A[m[2].replace(' ', '_')]:g}% packet loss", s)
    s = re.sub(r"(?<![\d.,])(\d{1,3}|one)\s+(?:packets?|messages?|readings?|frames?|datagrams?)\s+(?:in|per|out\s+of)\s+"
               r"(?:a\s+|every\s+|each\s+)?([1-9]\d{1,6})\b(?![.,]\d|\s*(?:%|s\b|secs?\b|seconds?|mins?\b|minutes?|ms\b|hours?|hrs?\b|h\b|days?))",
               lambda m: (f"{100.0 * (1 if m[1] == 'one' else int(m[1])) / int(m[2]):g}% packet loss"
                          if (1 if m[1] == "one" else int(m[1])) < int(m[2]) else m[0]), s)
    s = re.sub(rf"\b({alternatives(LEXICON.tens)})[- ]({alternatives(_ORDINALS)})\b",
               lambda m: f"{_NUMBER_WORDS[m[1]] + _ORDINALS[m[2]]}th", s)  # "ninety-fifth percentile"
    s = re.sub(r"\(\s*(\d+(?:st|nd|rd|th)[- ]percentile|p\d+|mean|average|avg|median)\s*\)", r" \1 ", s)  # "cell-edge (5th-percentile) throughput"
    return re.sub(r"\b(cells?)\s*\(([\d\s,and&to\-]+)\)", r"\1 \2", s)


def _scientific(m: re.Match[str]) -> str:
    mant, exp = (m[1] or "1", m[2]) if m[4] is None else (m[3], m[4])
    value = float(mant) * 10.0 ** int(exp.replace("−", "-"))
    return f"{value:.12f}".rstrip("0").rstrip(".")


@functools.lru_cache(maxsize=256)
def normalize_text(text: str) -> str:
    """`plain_text`, abbreviations written out, thousands separators and decimal commas, number words as digits
    (cached: the reader and the checks both read the same text)."""
    return _normalize_expanded(expand_abbreviations(plain_text(text)))


#: the cells named in a list that ends where the text is cut: "keep our cells 30, 31 and " (`search(s, 0, end)`)
_LISTED_CELLS_BEFORE = re.compile(r"\bcells\s*\(?\s*#?\d{1,3}(?:\s*(?:,|and|&)\s*#?\d{1,3})*\s*(?:,|and|&)\s*#?$")
#: a number in a list of cells, sites or hours: "cells 4,5" is two cells, never 4.5
_LISTED = re.compile(r"\b(?:cells?|sites?|hours?|ids?|nodes?)\s*[\d,\s]*$")
_UNIT_AHEAD = r"(?=\s*(?:%|percent|per\s+mille|[kmg]?w\b|[kmg]bit|[kmg]bps|[kmg]b/s|ms\b|s\b|sec|µs|us\b|mbit|kilo|mega|"
_UNIT_AHEAD += r"giga|watts?|handovers?|per\b|/|\)|[;.]|$))"


def _number_formats(s: str) -> str:
    """European and typeset numbers: a decimal comma ("0,025 Gbit/s", "97,5 %", "2,4 kW"), dotted thousands with a
    decimal comma ("1.250,5 W"), dotted thousands in a text that writes decimal commas ("3.500 W (that is 3,5 kW)"),
    and thousands split by a space before a unit ("1 500 kbit/s"). A comma between numbers listed after "cells"
    stays a list."""
    def listed(m: re.Match[str]) -> bool:
        return _LISTED.search(s[max(0, m.start() - 40):m.start()]) is not None

    def decimal(m: re.Match[str]) -> str:
        return m[0] if listed(m) else f"{m[1]}.{m[2]}"

    s = re.sub(r"(?<![\d.,])(\d{1,3})((?:\.\d{3})+),(\d+)(?![\d,])",
               lambda m: m[1] + m[2].replace(".", "") + "." + m[3], s)  # 1.250,5
    if re.search(r"(?<![\d.,])\d+,\d{1,2}(?![\d,])" + _UNIT_AHEAD + r"|(?<![\d.,])0,\d+", s):
        # a text that writes decimal commas writes thousands with dots: "3.500 W (that is 3,5 kW)"
        s = re.sub(r"(?<![\d.,])([1-9]\d{0,2})\.(\d{3})(?![\d.,])", r"\1\2", s)
    s = re.sub(r"(?<![\d.,])(0),(\d+)(?![\d,])", decimal, s)  # 0,025
    s = re.sub(r"(?<![\d.,])(\d+),(\d{1,2})(?![\d,])" + _UNIT_AHEAD, decimal, s)  # 2,4 kW; 97,5 %
    return re.sub(r"(?<![\d.,])(\d{1,3})[ \u202f\u2009](\d{3})(?![\d.,])(?=\s*(?:[kmg]?w\b|[kmg]bit|[kmg]bps|µs|us\b|ms\b|watts?))",
                  lambda m: m[0] if listed(m) else m[1] + m[2],
                  s)  # 1 500 kbit/s, but not "cells 3 4 5 100 ms"


_REPLACED_PHRASE = re.compile(rf"\b(?:{alternatives(LEXICON.revision.replaced_before)})\s+"
                              r"(?P<old>[^,.;:()\n]+?)(?=\s*(?:[,.;:()]|$|\b(?:and|but|with|while|so)\b))")


_ARITH_UNIT = r"(?:%|percent|ms|s\b|kw|w\b|mw|mbps|gbps|kbps|mbit/s|per\s+minute|/min|per\s+hour|/h\b|cells?)"
_ARITH_NUM = r"(\d+(?:\.\d+)?)"
_FACTOR_WORDS = {"half": 0.5, "a half": 0.5, "one half": 0.5, "a third": 1 / 3, "one third": 1 / 3, "a quarter": 0.25,
                 "one quarter": 0.25, "a fifth": 0.2, "one fifth": 0.2, "a tenth": 0.1, "one tenth": 0.1, "twice": 2.0,
                 "double": 2.0, "triple": 3.0, "three quarters": 0.75}
_FACTOR = (rf"(?P<fw>{alternatives(sorted(_FACTOR_WORDS, key=len, reverse=True))})|(?P<fn>\d+(?:\.\d+)?)\s*"
           r"(?:times|x|×)(?=\s)|(?P<ff>0\.\d+)(?=\s+of\b)")
#: what a factor applies to: a number with its unit, or the number said last ("that", "it", "them")
_BASE = (rf"(?:of\s+)?(?:the\s+current\s+|today's\s+|current\s+|our\s+|the\s+)?(?:{_ARITH_NUM}\s*(?P<u>{_ARITH_UNIT})?"
         r"|(?P<ref>that|it|them|this))")
_FACTOR_OF = re.compile(rf"\b(?:{_FACTOR})\s+{_BASE}")
_SUM = re.compile(rf"(?<![\w.])(?<!\bcells\s)(?<!\bcell\s)(?<!\bcells\s\s){_ARITH_NUM}\s*(?P<u1>{_ARITH_UNIT})?\s*(?:\+|plus)\s*(?:{_ARITH_NUM}\s*(?P<u2>{_ARITH_UNIT})?"
                  rf"|(?P<fw>{alternatives(sorted(_FACTOR_WORDS, key=len, reverse=True))})\s+of\s+(?:that|it))")
_PRODUCT = re.compile(rf"(?<![\w.]){_ARITH_NUM}\s*[×x*]\s*{_ARITH_NUM}\s*(?P<u>{_ARITH_UNIT})")
_PERCENT_OFF = re.compile(rf"(?<![\w.])(?<!slowest[\s-])(?<!worst[\s-])(?<!bottom[\s-])(?<!lowest[\s-])(?<!weakest[\s-])"
                          rf"(?<!poorest[\s-])(?<!top[\s-]){_ARITH_NUM}\s*(?:%|percent)\s+(?P<dir>below|under|less\s+than|above|over|more\s+than)\s+"
                          rf"(?:the\s+current\s+|today's\s+|current\s+|our\s+)?{_ARITH_NUM}\s*(?P<u>{_ARITH_UNIT})")
_POINTS = re.compile(rf"(?<![\w.]){_ARITH_NUM}\s+percentage\s+points?\s+(?P<dir>higher|lower|above|below|more|less)\s+than\s+"
                     rf"(?:that|it|this|the\s+current\s+value|{_ARITH_NUM}\s*(?:%|percent))")
#: a share said as a count: "at least 49 out of 50 campers covered", "9 in every 10 users", "19 out of every 20
#: shoppers" (not of cells or hours)
_OUT_OF = re.compile(r"(?<![\w.])(\d+)\s+(?:out\s+of(?:\s+every)?|in\s+every|of\s+every)\s+(\d+)(?![\d.])"
                     r"(?!\s*(?:cells?|sites?|hours?|days?|nights?|minutes?|mins?|seconds?|%|percent)\b)")
_LAST_VALUE = re.compile(rf"(?<![\w.]){_ARITH_NUM}\s*({_ARITH_UNIT})")


_BOUND_WORDS = (r"(?:at\s+least|at\s+most|no\s+more\s+than|no\s+less\s+than|not\s+more\s+than|not\s+less\s+than|under"
                r"|below|above|over|up\s+to|max(?:imum)?|min(?:imum)?|<=|>=|<|>)")
#: a bound taken back and said again: "no more than 12 active cells... wait, no: at least 12 cells must stay on"
_BOUND_CORRECTION = re.compile(rf"\b{_BOUND_WORDS}\s*\d+(?:\.\d+)?(?:\s*[%a-z/]+){{0,4}}?[\s.,!…]*\b(?:wait[\s,]*no|no[\s,]*wait"
                               r"|i\s+mean|correction|scratch\s+that)\b[\s,:;!.]*"
                               rf"(?={_BOUND_WORDS}\s*\d|\d)")


_COLOUR = r"(?:green|amber|yellow|red)"
_LIGHT_UNIT = r"(?:%|percent|ms|s\b|kw|w\b|mbps|gbps|kbps|mbit/j|per\s+minute|/min|per\s+hour|cells?)?"
#: one level of a traffic light: "green = at least 96%", "amber 5 to 10 ms", "red anything over 10 ms", "green 97%+"
_LEVEL = re.compile(rf"\b(?P<c>{_COLOUR})\s*(?:=|:|is|means)?\s*(?:anything\s+|everything\s+)?(?P<cmp>at\s+least|at\s+most|up\s+to"
                    r"|under|below|less\s+than|above|over|more\s+than|>=|<=|>|<)?\s*(?P<a>\d+(?:\.\d+)?)\s*(?P<ua>" + _LIGHT_UNIT[3:-2]
                    + r")?\s*(?P<plus>\+)?(?:\s*(?:to|-)\s*(?P<b>\d+(?:\.\d+)?)\s*(?P<ub>" + _LIGHT_UNIT[3:-2] + r")?)?")
_LIGHT_NOISE = re.compile(r"\b(?:dashboard|thresholds?|traffic\s+lights?|lights?|rag|levels?|bands?|scorecard|health|our|per\s+slice"
                          r"|for)\b|[:,]")
_KPI_HEADS = ("coverage", "power", "energy", "latency", "delay", "throughput", "utilisation", "utilization", "fairness",
              "cells", "handover", "efficiency", "loss")


def _light_bounds(levels: dict[str, re.Match[str]]) -> tuple[str | None, str | None]:
    """(green, not red) as bound words ("at least 96 %", "at most 10 ms") from a KPI's levels."""
    unit = next((m["ua"] or m["ub"] for m in levels.values() if m["ua"] or m["ub"]), "") or ""
    red, amber, green = levels.get("red"), levels.get("amber") or levels.get("yellow"), levels.get("green")
    def said(level: re.Match[str]) -> str:  # the level's comparator, one space between its words
        return " ".join((level["cmp"] or "").split())

    low = {"under", "below", "less than", "<", "<="}
    red_low = red is not None and said(red) in low
    green_bound = None
    if green is not None:
        if said(green) in ("at least", "above", "over", "more than", ">", ">=") or green["plus"]:
            green_bound = f"at least {green['a']} {unit}"
        elif said(green) in low | {"at most", "up to"}:
            green_bound = f"at most {green['a']} {unit}"
    not_red = None
    if amber is not None and amber["b"] is not None and red is not None:
        lo, hi = sorted((float(amber["a"]), float(amber["b"])))
        not_red = f"at least {lo:g} {unit}" if red_low else f"at most {hi:g} {unit}"
    elif red is not None:
        not_red = f"at least {red['a']} {unit}" if red_low else f"at most {red['a']} {unit}"
    return green_bound, not_red


def _traffic_lights(s: str) -> str:
    """Thresholds defined as traffic-light levels and then asked by colour: "coverage: green = at least 96 %, amber
    93-96 %, red below 93 % ... keep coverage green" reads "keep coverage at least 96 %"; "out of red", "never red",
    "amber is acceptable, red is not", "at least reach amber" read as the bound between amber and red. A sentence that
    only defines levels is dropped; text without two levels is returned as it is."""
    sentences = re.split(r"(?<=[.;!?])\s+|\s*;\s*", s)
    defs: list[tuple[str, tuple[str | None, str | None]]] = []
    kept: list[str] = []
    for sentence in sentences:
        levels = {m["c"]: m for m in _LEVEL.finditer(sentence)}
        first = re.search(rf"\b{_COLOUR}\b", sentence)
        if first is None or not levels or not re.search(r"\d", sentence) or (len(levels) < 2 and not re.search(
                rf"^[^.]*?:\s*{_COLOUR}\b", sentence)):
            kept.append(sentence)
            continue
        subject = re.sub(r"\s+", " ", _LIGHT_NOISE.sub(" ", sentence[:first.start()])).strip()
        if not any(h in subject for h in _KPI_HEADS):
            kept.append(sentence)
            continue
        defs.append((subject, _light_bounds(levels)))
    if not defs:
        return s
    text = " ; ".join(kept)

    def kpi_before(pos: int) -> tuple[str, tuple[str | None, str | None]] | None:
        clause = re.split(r"[;]|\.(?!\d)|\band\b|\bbut\b", text[:pos])[-1]
        best = None
        for subject, bounds in defs:
            head = next((h for h in _KPI_HEADS if h in subject), subject)
            at = clause.rfind(head)
            if at >= 0 and (best is None or at > best[0]):
                best = (at, subject, bounds)
        return (best[1], best[2]) if best else None

    def said(m: re.Match[str], which: int) -> str:
        found = kpi_before(m.start()) or (defs[-1] if len(defs) == 1 else None)
        if found is None or found[1][which] is None:
            return m[0]
        named = kpi_before(m.start()) is not None
        return f" {'' if named else found[0] + ' '}{found[1][which]} "

    text = re.sub(r"\b(?:don'?t|do\s+not|never)\s+let\s+([\w\s-]{1,30}?)\s+leave\s+green\b", r"keep \1 green", text)
    text = re.sub(r"\b(?:can|may|could)\s+(?:drop|sit|go|fall|slip)\s+(?:to|in|into)\s+amber\s*(?:,|but|and)?\s*(?:not|never)"
                  r"\s+(?:go\s+)?(?:in\s+|into\s+)?red\b|\bout\s+of\s+(?:the\s+)?red\b|\b(?:must|should|may)\s+not\s+go\s+red\b"
                  r"|\bnever\s+(?:go\s+)?red\b|\bat\s+least\s+reach\s+amber\b", lambda m: said(m, 1), text)
    text = re.sub(r"\bamber\s+is\s+(?:acceptable|ok|okay|fine)\s*,?\s*red\s+is\s+not\b",
                  lambda m: f" keep {defs[-1][0]} {defs[-1][1][1]} " if defs[-1][1][1] else m[0], text)
    return re.sub(r"\b(?:in\s+the\s+|to\s+)?green\b", lambda m: said(m, 0), text)


def _fmt(v: float, unit: str | None) -> str:
    return f" {round(v, 6):g} {unit or ''} "


def _last_value(s: str, end: int) -> tuple[float, str] | None:
    found = list(_LAST_VALUE.finditer(s[:end]))
    return (float(found[-1][1]), found[-1][2]) if found else None


def _arithmetic(s: str) -> str:
    """Values given by a little arithmetic, worked out: "half of today's 12 kW" is 6 kW, "a quarter of that" a quarter
    of the value said last, "1.5 times the current 4 kW" 6 kW, "30 + 15 Mbps" 45 Mbps, "5 kW plus a fifth of that"
    6 kW, "3 × 1.5 Mbps" 4.5 Mbps, "10 % below the current 20 ms" 18 ms, "7 percentage points higher than that" (88 %)
    95 %. A factor with nothing to apply to is left as it is."""
    def factor(m: re.Match[str]) -> float:
        if m["fw"]:
            return _FACTOR_WORDS[m["fw"]]
        return float(m["fn"] or m["ff"])

    def of(m: re.Match[str]) -> str:
        k = factor(m)
        if m["ref"]:
            last = _last_value(s, m.start())
            return m[0] if last is None else _fmt(k * last[0], last[1])
        return _fmt(k * float(m[4]), m["u"])

    def summed(m: re.Match[str]) -> str:
        a, u1 = float(m[1]), m["u1"]
        if m["fw"]:
            return _fmt(a * (1 + _FACTOR_WORDS[m["fw"]]), u1)
        u2 = m["u2"]
        if u1 and u2 and u1 != u2:
            return m[0]
        return _fmt(a + float(m[3]), u1 or u2)

    def off(m: re.Match[str]) -> str:
        n, v = float(m[1]), float(m[3])
        sign = -1 if m["dir"] in ("below", "under") or m["dir"].startswith("less") else 1
        return _fmt(v * (1 + sign * n / 100), m["u"])

    def points(m: re.Match[str]) -> str:
        base = float(m[3]) if m[3] else (_last_value(s, m.start()) or (None, None))[0]
        if base is None:
            return m[0]
        sign = 1 if m["dir"] in ("higher", "above", "more") else -1
        return _fmt(base + sign * float(m[1]), "%")

    def share(m: re.Match[str]) -> str:
        a, b = float(m[1]), float(m[2])
        return f"{100 * a / b:g}%" if 0 < a <= b else m[0]

    s = _POINTS.sub(points, s)
    s = _PERCENT_OFF.sub(off, s)
    s = _OUT_OF.sub(share, s)
    s = _PRODUCT.sub(lambda m: _fmt(float(m[1]) * float(m[2]), m["u"]), s)
    s = _SUM.sub(summed, s)
    return _FACTOR_OF.sub(of, s)


#: a KPI the text says does not matter ("throughput for the IoT devices is irrelevant but coverage matters", "we
#: don't care about latency"): neither a goal nor a guard; the words go
_NOT_WANTED = re.compile(
    r"(?:^|(?<=[,.;:!?]\s)|(?<=\bbut\s)|(?<=\band\s))[^,.;:!?\d]{1,50}?\s+(?:is|are)\s+(?:totally\s+|completely\s+|largely\s+|"
    r"frankly\s+)?(?:irrelevant|unimportant|not\s+important|not\s+(?:a|an|our)\s+(?:concern|priority|worry|issue)|"
    r"of\s+no\s+(?:concern|importance|interest))\b(?:\s+(?:here|for\s+(?:us|now|this)))?"
    r"|(?:^|(?<=[,.;:!?]\s)|(?<=\bbut\s)|(?<=\band\s))[^,.;:!?\d]{1,50}?\s+(?:doesn't|does\s+not|don't|do\s+not)\s+matter\b"
    r"|\b(?:we|i)\s+(?:don't|do\s+not)\s+(?:really\s+)?care\s+(?:about|for|much\s+about)\s+[^,.;:!?\d]{1,40}?(?=\s*(?:[,.;:!?]|\bbut\b|$))"
    # the KPI first, the shrug after: "Coverage don't care", "coverage, we don't care"
    r"|(?:^|(?<=[,.;:!?]\s)|(?<=\bbut\s)|(?<=\band\s))[^,.;:!?\d]{1,30}?,?\s+(?:(?:we|i)\s+)?(?:don'?t|do\s+not)\s+(?:really\s+)?care\b"
    r"(?:\s+(?:about\s+(?:it|that|them)|much))?(?=\s*(?:[,.;:!?]|$))")


def _active_counts(s: str) -> str:
    """Counts of active cells said without the noun, as "N cells active"."""
    # a count of active cells with its noun left out: "no more than 40 active at night"
    # (not the last of the cells named: "keep our cells 30, 31 and 32 awake"; but "no more than 2 of the cells (8, 9,
    # 10) active" counts them)
    s = re.sub(r"(?<![\w.])(\d+)\s+(active|awake|live)\b(?=\s*(?:$|[,.;:!?)]|(?:at|during|in|on|overnight|from|between|after|"
               r"before|by|until|till|and|or|with|while|but|please|tonight|today)\b))",
               lambda m: m[0] if (listed := _LISTED_CELLS_BEFORE.search(m.string, 0, m.start())) is not None
               and not re.search(r"\b(?:\d+|one|two|three|four|five|six)\s+of\s+(?:the\s+|our\s+|your\s+|those\s+|these\s+)?[^.;!?]{0,40}$",
                                 m.string[max(0, listed.start() - 60):listed.start()])
               else f"{m[1]} {m[2]} cells", s)
    # ... or with "of them", or a verb of staying: "keep at least 6 of them awake", "at least one has to stay up"
    # (the count said as a word too: "keep no more than two of them awake")
    s = re.sub(r"\b((?:at\s+(?:least|most)|no\s+(?:more|fewer|less)\s+than|minimum(?:\s+of)?|maximum(?:\s+of)?)\s+)"
               rf"(\d+|{_ANY_NUMBER_WORD})"
               r"(?:\s+of\s+(?:them|those|these|the\s+cells))?\s+(?:(?:has|have|must|should|needs?|need)\s+(?:to\s+)?)?"
               r"(?:(?:stay|stays|remain|remains|be|kept|left)\s+)?(?:up|on|awake|active|running|lit|(?:switched|turned|powered)\s+on)"
               r"\b(?![\w-])(?!\s+(?:to|by|the|a|an|at)\b)", lambda m: f"{m[1]}{_number_value(m[2])} cells active", s)
    return s


def _per_interval(m: re.Match[str]) -> str:
    """A count over an interval of several minutes or hours as a rate per one: groups (count, the words between,
    interval length, its unit)."""
    return f"{float(m[1]) / max(int(m[3]), 1):g}{m[2]}per {'minute' if m[4].startswith('min') else 'hour'}"


_WEEKDAY = rf"\b(?:{alternatives(LEXICON.weekdays)})\b"
_CLOCK_TIME = r"\d{1,2}(?::\d\d)?\s*(?:am|pm)\b|\d{1,2}:\d\d\b|[01]\d[0-5]\d\b|2[0-3][0-5]\d\b"
_DAY_BESIDE_CLOCK = re.compile(rf"{_WEEKDAY}\s+(?=(?:{_CLOCK_TIME}))|"
                               r"(?:(?<=\d[ap]m)|(?<=\d\s[ap]m)|(?<=:\d\d)|(?<=[01]\d[0-5]\d)|(?<=2[0-3][0-5]\d))"
                               rf"\s+{_WEEKDAY}(?!\s*(?:\d|am|pm))")


def _days_beside_clocks(s: str) -> str:
    """Weekdays said right before or after a clock time, moved to a clause of their own at the end of the text."""
    days = [m[0].strip() for m in _DAY_BESIDE_CLOCK.finditer(s)]
    return f"{_DAY_BESIDE_CLOCK.sub(' ', s)} ; {' '.join(days)}" if days else s


#: the KPI words a cell's bare number or range may follow ("coverage on 15", "throughput for eMBB on 15-18")
_KPI_BEFORE_CELLS = (r"coverage|throughput|latency|delay|speeds?|handovers|loss|fairness|utili[sz]ation|"
                     r"(?:prb|cell)\s+(?:load|usage|use)|prb")


def _rate_count(said: str) -> float:
    """The count of a rate said "one handover every two minutes", "a handover every 2 minutes"."""
    return 1.0 if said in ("a", "an") else float(_number_value(said))


def _span_after_bound(m: re.Match[str]) -> str:
    """"N to M" set off by commas right after a bound with its unit is a span of hours ("mean under 60ms, 9 to 12,"):
    "from N to M". Unchanged after a list of cells or numbers ("cells 4, 9 to 12") or with an end no hour can be."""
    before = m.string[max(0, m.start() - 60):m.start()]
    if int(m[1]) > 24 or int(m[3]) > 24 or re.search(
            r"\b(?:cells?|sites?|sectors?|#)\s*#?\d[\d\s,&+#-]*(?:and\s+\d+\s*)?,\s*$|\d\s*,\s*$|[%a-z/]\s+(?:to|and)\s+\d+\s*,\s*$",
            before) or not re.search(r"\b(?:under|over|below|above|at\s+(?:least|most)|max|min|<|>)\s*\d+(?:\.\d+)?\s*[%a-z/]+\s*,\s*$",
                                     before):
        return m[0]
    return f"from {m[1]} to {m[3]}"


def _normalize_expanded(s: str) -> str:
    """`normalize_text` after `expand_abbreviations` (`parse_rules` corrects the spelling in between)."""
    s = re.sub(r"(?<![\w.])(?:(\d+(?:\.\d+)?)\s*[x×*]\s*)?10\^\s*\(?([-−]?\d+)\)?|(?<![\w.])(\d+(?:\.\d+)?)e([-−]?\d+)\b",
               _scientific, s)  # 10^-3, 2x10^-4, 1e-3
    # contracts: "no more than eight (8) active cells": the numeral repeating a number word is the number
    s = re.sub(rf"\b({_ANY_NUMBER_WORD})\s*\((\d+)\)",
               lambda m: m[2] if _number_value(m[1]) == m[2] else m[0], s)
    s = re.sub(r"(?:(?<=\s)|^|(?<=[:;,]))\(?[1-9]\)\s+(?=[a-z])",
               lambda m: m[0] if s.rfind("(", 0, m.start()) > s.rfind(")", 0, m.start()) else " ; ",
               s)  # "1) objective: ... 2) constraint: ...", but not the "4)" closing "(cells 2, 3, 4)"
    # a time referred back to: "Doors open 17:00. From then until 23:00, ..." is from 17:00 until 23:00
    s = re.sub(r"\bfrom\s+then\s+(?=(?:until|till|to|through)\s+\d)",
               lambda m: f"from {c[-1].rstrip('.')} " if (c := _CLOCK_SAID.findall(m.string[:m.start()])) else m[0], s)
    # a level pushed up to: "push fairness up to 0.7 or more" raises it to that ("up to" is no ceiling here, and the
    # verb's "up" would be lost in it)
    s = re.sub(r"\b(?:push|bring|get|drive|pull)(?:es|s|ing)?\s+((?:(?!up\b)[^\s,.;:!?]+\s+){1,6}?)up\s+to\s+(?=\d|\.\d)",
               r"raise \1to ", s)
    # the cell's number in apposition: "we end up on the same cell, 102, and ..."
    s = re.sub(r"\b((?:the\s+same|one|a\s+single|that|this|our)\s+cell)\s*,\s*(?=#?\d{1,3}\s*,)", r"\1 ", s)
    # "from cell 10 through to 13": a range of cells, as "cells 10 through 13"
    s = re.sub(r"\b(cells?\s+#?\d{1,3})\s+(?:through|thru)\s+to\s+(?=#?\d{1,3}\b(?![.:]\d))", r"\1 through ", s)
    # a desk, counter or bay named after the handover is a place, not the handover KPI ("handover desk needs ...")
    s = re.sub(r"\bhand-?over\s+(?=(?:desk|counter|area|bay|point|room|office|zone|lounge|station)s?\b)", "reception ", s)
    # a bound said as what would do: "anything under 1% would do", "anything over 0.75 is fine" is "under 1%"
    s = re.sub(r"\b(?:anything|something)\s+((?:over|under|above|below|more\s+than|less\s+than)\s+(?:\d|\.\d))", r"\1", s)
    # "We only need 2 of them running": at most that many cells on
    s = re.sub(r"\b(?:only\s+)?need\s+(\d+)\s+of\s+(?:them|those|these|the\s+cells)\s+(?:running|on|active|awake|lit|switched\s+on)\b",
               r"need at most \1 active cells", s)
    # "cover at least 92% of users": a coverage bound
    s = re.sub(r"\bcover(?:s|ing)?\s+((?:at\s+least|no\s+less\s+than|a\s+minimum\s+of|over|more\s+than|above)\s+)?"
               r"(\d+(?:\.\d+)?\s*(?:%|percent))\s+of\s+(?:the\s+|our\s+|all\s+)?(?:users|people|devices|customers|subscribers|ues|"
               r"whoever(?:'s|\s+is)?|anyone|everyone|everybody|those)\b",
               lambda m: f"coverage {m[1] or 'at least '}{m[2]}", s)
    # "the mean" with a bound in a rate or a delay: "Maximise 5th percentile throughput ..., keep the mean above 10
    # Mbit/s" bounds the mean throughput
    s = re.sub(r"\bthe\s+(mean|average)\s+(?=(?:(?:stays?|is|remains?|must|should|needs?\s+to)\s+(?:be\s+|stay\s+)?)?"
               r"(?:above|below|over|under|at\s+least|at\s+most|>=|<=|>|<|no\s+(?:more|less|lower|higher)\s+than)\s*"
               r"\d+(?:\.\d+)?\s*(?:([kmg]bps|[kmg]bit/s|[kmg]b/s)|(ms|milliseconds?|s\b|seconds?)))",
               # (after a percentile of it, "its" mean: "minimise p95 latency on the URLLC slice, and keep the mean
               # below 8 ms" keeps the slice's mean; it read the mean of every user)
               lambda m: f"{'its' if _PERCENTILE_SAID.search(s, 0, m.start()) else 'the'} {m[1]} "
                         f"{'throughput' if m[2] else 'latency'} ", s)
    # ... and a slice's mean with its bound said after "at": "keep the eMBB mean at 10 Mbit/s or more" (it read the
    # 5th-percentile throughput named before it)
    s = re.sub(r"\bthe\s+(embb|urllc|mmtc)\s+(mean|average)\s+(?=(?:at|of|=|around|about)?\s*\d+(?:\.\d+)?\s*"
               r"(?:([kmg]bps|[kmg]bit/s|[kmg]b/s)|(ms|milliseconds?|s\b|seconds?)))",
               lambda m: f"the {m[1]} {m[2]} {'throughput' if m[3] else 'latency'} ", s)
    # a level referred back to: "drops rows when loss goes above 0.3%. Keep it under that" keeps it under 0.3%
    s = _levels_referred_back(s)
    s = _slice_aliases(s)
    # "switch of the idle cells", "without switching any cells of?": a typo of "off"
    # (not "power of the antenna", "the turn of the hour")
    s = re.sub(r"\b((?:switch|shut)(?:es|s|ed|ing)?)\s+of\b(?=\s+(?:the|idle|spare|unused|some|any|a|all)\b)"
               r"|\b(turn(?:s|ed|ing)?)\s+of\b(?=\s+(?:idle|spare|unused|some|any|all|the\s+(?:cells?|sites?|masts?|sectors?|radios?|"
               r"small\s+cells?)\b)\b)", lambda m: f"{m[1] or m[2]} off", s)
    s = re.sub(r"\b((?:switch|turn|shut)(?:es|s|ed|ing)?\s+(?:any|the|some|all|idle|spare|unused|\s)*cells?)\s+of\b"
               r"(?=\s*(?:[.,;:!?)]|$|\s+(?:at|after|before|during|from|until|till|overnight|tonight|when|if|and|but)\b))", r"\1 off", s)
    # a duration said as an adjective is no value and no hour: "the 48-hour endurance run", "a 72-hour test"
    s = re.sub(r"(?<![\w.:])\d+-(?:hours?|hrs?|days?|weeks?|minutes?|mins?)\b(?=\s+[a-z])", " ", s)
    # "30 HO/user/hr": the KPI's name inside its unit (HO is written out before) is the unit's
    s = re.sub(r"(?<![\w.])(\d+(?:\.\d+)?)\s*handovers?\s*(?=/\s*(?:user|ue)\s*/)", r"\1 ", s)
    # a rate over several minutes or hours: "not more than 1 per user every 2 mins" is 0.5 per user per minute
    # ... or "1 per 2 minutes per user"
    s = re.sub(r"(?<![\w.])(\d+(?:\.\d+)?)(\s+(?:handovers?\s+)?)per\s+(\d+)\s*(mins?|minutes|hours?|hrs?)\b",
               _per_interval, s)
    s = re.sub(r"(?<![\w.])(\d+(?:\.\d+)?)(\s+(?:handovers?\s+)?(?:per|a|for\s+each)\s+(?:user|ue|device|phone)\s+)every\s+"
               r"(\d+)\s*(mins?|minutes|hours?|hrs?)\b",
               _per_interval, s)
    # a clock time with a dot and am/pm ("2.30pm", "2.00-5.00pm", "from 2.00 pm to 5.00 pm"): a colon ("17.00" is
    # read as it stands; without am/pm "2.30" stays a number)
    s = re.sub(r"(?<![\d.])(\d{1,2})\.(00|15|30|45)(\s*(?:-|–|to|till|until)\s*)(\d{1,2})\.(00|15|30|45)(?=\s*(?:a\.?m|p\.?m)\b)",
               r"\1:\2\3\4:\5", s)
    s = re.sub(r"(?<![\d.])(\d{1,2})\.(00|15|30|45)(?=\s*(?:a\.?m|p\.?m)\b)", r"\1:\2", s)
    # ... and the dotted start of a span whose end has am/pm: "between 6.30 and 10pm"
    s = re.sub(r"(?<![\d.])(\d{1,2})\.(00|15|30|45)(?=\s*(?:-|–|to|till|until|and)\s*\d{1,2}(?::\d{2})?\s*(?:a\.?m|p\.?m)\b)",
               r"\1:\2", s)
    s = re.sub(r"(?<![\d.:])([01]?\d|2[0-4])h([0-5]\d)\b", r"\1:\2", s)  # "18h00 to 20h00", "7h30"
    # a dotted start of a span of whole hours, with no unit after it: "at the bread rush 7.30 to 10" (not "7.30 to 10
    # Mbps")
    s = re.sub(rf"(?<![\d.])(\d{{1,2}})\.(15|30|45)(?=\s*(?:-|–|to|till|until)\s*(?:[1-9]|1\d|2[0-4])(?![\d:]|\.\d)(?!\s*(?:%|percent|"
               rf"per\s*cent|(?:{_UNIT_RE})(?![\w]))))", r"\1:\2", s)
    # a clock range ending in a spoken hour: "between midnight and six", "from 10 pm until two"
    s = re.sub(rf"(\b(?:between|from)\s+(?:midnight|noon|midday|\d{{1,2}}(?::\d{{2}})?\s*(?:a\.?m\.?|p\.?m\.?)?)\s+"
               rf"(?:and|to|until|till)\s+)({_DIGIT_WORD}|ten|eleven|twelve)\b(?!\s*(?:%|percent|ms|milli|kw|w\b|mbps|cells?))",
               lambda m: m[1] + str(_NUMBER_WORDS.get(m[2], m[2])), s)
    # ... and right before it, as a name: "morning rush 7 to 10", "the evening peak, 5-8" (no unit after the span)
    s = re.sub(rf"\b(morning|afternoon|evening)((?:(?:\s+[a-z]+)?\s+(?:rush|peak|shift|session|slot|period|window|lessons|classes|service))?"
               rf"\s*,?\s+)(?:from\s+)?([1-9]|1[0-2])\s*(?:to|-|till|until)\s*([1-9]|1[0-2])"
               rf"(?!\s*(?:a\.?m|p\.?m|:\d|\d|[.,]\d|%|h\b|o'?clock|in\s+the\b|at\s+night|(?:{_UNIT_RE})(?![\w])))",
               r"\1\2from \3 to \4 in the \1", s)
    # ... and a night out's, from 6 on: "streams live on Friday nights 8 till 11" is 20-23 (not "nights 1 to 5")
    s = re.sub(rf"\b(nights?\s*,?\s+)(?:from\s+)?([6-9]|1[0-1])\s*(?:to|-|till|until)\s*([7-9]|1[0-2])"
               rf"(?!\s*(?:a\.?m|p\.?m|:\d|\d|[.,]\d|%|h\b|o'?clock|in\s+the\b|at\s+night|(?:{_UNIT_RE})(?![\w])))",
               lambda m: f"{m[1]}from {int(m[2]) + 12:02d}:00 to {int(m[3]) + 12 if int(m[3]) < 12 else 0:02d}:00"
               if int(m[2]) < int(m[3]) else m[0], s)
    # a part of the day said before a bare clock span marks it as after it does: "at night from 12 to 6"
    s = re.sub(r"\b(at\s+night|in\s+the\s+(?:morning|afternoon|evening))\s*,?\s+((?:from|between)\s+\d{1,2}(?::\d{2})?\s+"
               r"(?:to|and|until|till|-)\s+\d{1,2}(?::\d{2})?)(?!\s*(?:a\.?m|p\.?m|:|\d|%|h\b))", r"\2 \1", s)
    # an acceptable range said loosely: "anywhere from 10 to 25 ms", "somewhere in the 2-4 ms range", "in the 3 to 6
    # Mbps band" is a floor and a ceiling
    s = re.sub(r"\b(?:anywhere|somewhere)\s+(?:from|between|in)\s+(?:the\s+)?(\d+(?:\.\d+)?)\s*(?:to|-|and)\s*(\d+(?:\.\d+)?)",
               r"between \1 and \2", s)
    s = re.sub(r"\bin\s+the\s+(\d+(?:\.\d+)?)\s*(?:to|-)\s*(\d+(?:\.\d+)?)\s*(%|ms|mbps|gbps|kbps|kw|w)\s+(?:band|range|window)\b",
               r"between \1 and \2 \3", s)
    # weights among KPIs are no values: "weights: handovers 50, coverage 30", "priority split 80/20", "0.6 x efficiency"
    s = re.sub(r"\b(?:weights?|weighting)\s*(?::|=)\s*[^.;\n]*|\b(?:priority\s+)?split\s+\d+\s*/\s*\d+|\b\d+\s*/\s*\d+\s+split\b",
               " ", s)
    s = re.sub(r"(?<![\w.])\d+(?:\.\d+)?\s*[x×*]\s*(?=[a-z])", " ", s)
    s = _NOT_WANTED.sub(" ", s)
    # a threshold given once and referred back to: "loss above threshold (0.5%). Bring it under the threshold": the
    # value goes where the ask is; said first, it only names the threshold
    th = re.search(r"\b(threshold|limit|sla|target)\s*(?:\(\s*|of\s+|:\s*|=\s*)(\d+(?:\.\d+)?\s*(?:%|[a-z/]{1,6})?)\s*\)?", s)
    if th is not None:
        name, value = th[1], th[2]
        later = re.compile(rf"\b((?:under|below|above|over|within|beneath|back\s+(?:under|below))\s+)(?:the|our|that)\s+{name}\b")
        if later.search(s, th.end()):
            s = s[:th.start()] + f"{name} " + later.sub(lambda x: x[1] + value + " ", s[th.end():])
    # "SIP trunks hate anything more", "anything lower is a problem": the bound said again, no goal of its own
    s = re.sub(r"\banything\s+(?:more|higher|above|over|less|lower|below|under|worse)(?:\s+than\s+that)?\b", " ", s)
    # more PRBs for a slice are its slice share, a means: "give the urllc slice more PRBs to get its latency down"
    s = re.sub(r"\b(give|allocate|assign|grant)\s+((?:the\s+)?(?:[a-z\x00]+\s+){0,2}?)more\s+(?:prbs|resource\s+blocks|radio\s+resources|"
               r"resources)\b", r"\1 \2a bigger slice share", s)
    # cells counted, placed, then listed: "we've got 4 cells in the building, 2, 3, 4 and 5"
    s = re.sub(r"\bcells((?:\s+(?:in|at|on|of|around|round|near|by)\s+(?:the\s+|our\s+)?[a-z-]+){1,2})\s*,\s*(\d{1,3}(?:\s*,\s*\d{1,3})*"
               r"\s*(?:,\s*)?(?:and|&)\s*\d{1,3})(?!\d|[.,]\d|\s*%)", r"cells \2 \1", s)
    # what a device suffers when something happens is the complaint, no guard: "my card reader at the show stand loses
    # signal when it switches over" (it read a default coverage guard beside the handovers asked)
    # (or at the end of the sentence that tells why: "Racegoers move around ... and their phones keep losing the
    # signal", after the handovers asked)
    # (not a worry about what is asked: "cut energy at night but the alarms lose signal")
    s = re.sub(r"(?<!\bbut\s)(?<!\bif\s)(?<!\bunless\s)(?<!\bthen\s)(?<!\bor\s)"
               r"\b((?:my|our|the|their|his|her)\s+(?:(?!(?:shouldn'?t|mustn'?t|can'?t|cannot|won'?t|don'?t|doesn'?t|"
               r"never|not|should|must|may|might|will|would|to|no)\b)[a-z'-]+\s+){0,5}?)(?:loses|lose|lost|keeps?\s+losing|kept\s+losing)\s+"
               r"(?:its\s+|their\s+|the\s+)?(?:signal|coverage|service|reception|connection)\s*(?=(?:when|whenever|every\s+time|each\s+time|"
               r"as\s+soon\s+as|once|if)\b|[.!?;]|$)", r"\1has trouble ", s)
    # "only 6 cells should be on" is a ceiling on the cells on (it read a floor of 6); devices that "ping back" report
    # (no latency named: "the alarms ping back on the mMTC slice")
    s = re.sub(r"\bonly\s+(\d{1,3})\s+(?:of\s+(?:the|our)\s+)?cells?\s+(?:(?:should|must|can|may|need\s+to|needs\s+to|are\s+to)\s+)?"
               r"(?:(?:be|stay|remain)\s+)?(?:on|active|awake|running|lit|switched\s+on|powered\s+on)\b", r"at most \1 active cells", s)
    s = re.sub(r"\bping(?:s|ed|ing)?\s+(?:back|home|in)\b", "report in", s)
    # power put into cells is their transmit power: "put more power into the exhibit hall cells (31 and 34) to lift
    # coverage" (it read *maximize energy*)
    s = re.sub(r"\b(?:put|pump|push|give)(?:s|ting|ing)?\s+more\s+power\s+(?:into|onto|on|to)\s+(?=(?:the\s+|our\s+)?(?:[a-z'-]+\s+){0,3}?cells?\b)",
               "raise the transmit power on ", s)
    # a place that fills up is busy, no KPI pushed up: "the p95 delay spikes at lunch when the cafe fills up. Keep p95
    # latency under 15 ms and lower it" (it read *maximize* the latency); a bill or a KPI said to be up is its state:
    # "Energy bill's up. Cut network power draw at night" (it read *maximize energy*)
    s = re.sub(r"\b(?:fill(?:s|ed|ing)?|pack(?:s|ed|ing)?)\s+up\b", "gets busy", s)
    s = re.sub(r"\b((?:bill|bills|costs?|usage|consumption|draw|latency|delay|lag|load|loss)(?:'s|\s+is|\s+are|\s+has\s+gone|"
               r"\s+have\s+gone|\s+went))\s+up(?=\s*(?:again|a\s+lot|lately|recently|this\s+(?:month|week|year))?\s*(?:[.!;,]|$))",
               r"\1 high", s)
    # the cells' numbers set off by a comma: "on the high street cells, 25 26 27, ..."
    s = re.sub(r"\bcells\s*,\s*(?=\d{1,3}(?:\s*,?\s+\d{1,3})+\s*(?:,|\)|;|\.|$))", "cells ", s)
    # and after the words that place them: "the cells near us, 10 to 12, are maxed out" (the numbers moved next to
    # "cells")
    # (not a period said first, the numbers its clock: "don't switch off any cells during Sunday trading, 10 to 4")
    s = re.sub(r"\bcells((?:\s+(?!(?:are|is|were|was|and|or|at|from|between|to|in|on|during|over|through|throughout|"
               r"after|before|until|till)\b)[a-z]+){1,5})\s*,\s*"
               r"(\d{1,3}(?:\s*(?:-|–|to)\s*\d{1,3}|(?:\s*,?\s+\d{1,3})+))\s*(?=,|\)|;|\.(?!\d)|$)", r"cells \2\1", s)
    # a sentence with its subject left out, after one that named the KPI: "Please improve the coverage on cell 3.
    # Needs to be 98% at least" (as "It needs to be ...")
    s = re.sub(r"((?:^|[.!?]\s+))((?:needs?\s+to|has\s+to|must|should)\s+(?:be|stay|remain)\s+(?:\d|\.\d))", r"\1it \2", s)
    # the tail of the latency named after it: "latency for staff is rubbish, p95 must be under 60 ms" is the p95
    # latency's state and bound; "Minimise the latency on urllc ..., p95 not mean" names the p95 as the KPI
    s = re.sub(r"(?<![\w-])(?<!p95\s)(?<!mean\s)(?<!average\s)(latency|delay)\b([^.;!?\d]{0,40}?),\s*(?:the\s+|its\s+)?(?:p95|95th[- ]percentile)"
               r"\s+(must|should|needs?\s+to|has\s+to|to\s+be|is\s+to|can'?t|cannot)\b", r"p95 \1\2, it \3", s)
    if (clarified := re.search(r"[,;(-]?\s*\b(?:p95|95th[- ]percentile)\s*,?\s+not\s+(?:the\s+)?(?:mean|average|avg)\b\s*\)?", s)) is not None:
        sentence = _SENTENCE_BREAK.split(s[:clarified.start()])[-1]
        head = clarified.start() - len(sentence)
        s = (s[:head] + re.sub(r"(?<![\w-])(?<!p95\s)(?<!mean\s)(?<!average\s)(latency|delay)\b", r"p95 \1", sentence, count=1)
             + s[clarified.end():])
    # the hours of every day of a weekend, when no other time is said: "maximise throughput ... all weekend" (days
    # are not modelled; "all weekend, daytime only" is the daytime)
    if (wk := re.search(r"\b(?:all[\s-]weekend(?:\s+long)?|(?:the\s+)?(?:whole|entire)\s+weekend)\b", s)) is not None \
            and not _TIME_SAID.search(s[:wk.start()] + s[wk.end():]):
        s = s[:wk.start()] + "all day" + s[wk.end():]
    s = _context_all_day(s)
    # (a bare span whose ends were said as clock times before is read first: "usually starting at 6am ... Between 6
    # and 11 I'm uploading" is no context time beside a span of its own)
    s = _context_hours(_referred_span(s))
    # a delay bound "for 95 % of packets" is on the 95th percentile: "end-to-end delay must be under 0.05 s for 95% of
    # packets"
    s = re.sub(r"\b(?:(?:end[- ]to[- ]end|e2e|one[- ]way|round[- ]trip)\s+)?(latency|delay)\b((?:[^.;!?%]|(?<=\d)\.(?=\d)){0,60}?)\s*,?\s+for\s+"
               r"(?:at\s+least\s+)?95\s*(?:%|percent|per\s*cent)\s+of\s+(?:the\s+|all\s+|our\s+)?(?:packets|the\s+time|time|traffic|"
               r"requests|users|sessions|frames|transactions|messages)\b", r"p95 \1\2", s)
    # a bare hour in an aside is no level of the KPI before it: "reduce energy ... during the evening (we're mostly
    # empty after 6)" (it read energy <= 6 W)
    # (not a span's end: "for the 9 o'clock paper (9 till 12)")
    s = re.sub(r"(\((?:[^()\d]{0,60}?\s)?(?:after|since|from|before|until|till|til|by))\s+(?:[1-9]|1[0-2])\s*\)", r"\1 then)", s)
    # another machine's eco mode is no energy goal: "The base generators go to eco mode 22:00-06:00. In that window
    # can the network hit 3 Mbit per joule ..." (the network's, the cells', the sites' eco mode still is)
    s = re.sub(r"\b((?:generators?|gensets?|lights?|lighting|heating|hvac|air[- ]?con\w*|boilers?|pumps?|chargers?|"
               r"vehicles?|buses|trucks?|cars?|vans?|fleet|screens?|displays?|laptops?|tablets?|machines?|fridges?|"
               r"freezers?|escalators?|lifts?|elevators?|servers?|printers?|compressors?|chillers?)\s+"
               r"(?:(?:go|goes|went|switch|switches|switched|drop|drops|dropped|are|is|were|was|run|runs|sit|sits|flip|"
               r"flips|turn|turns|kick|kicks)\s+)?(?:(?:back\s+)?(?:to|into|in|on|over\s+to)\s+)?(?:their\s+|its\s+|the\s+)?)"
               r"eco[- ]?mode\b", r"\1quiet setting", s)
    # sensors that weigh are no cell load: "the flying system's load sensors", "load cells on the gantry"
    s = re.sub(r"\bload\s+(sensors?|cells?(?!\s*\d)|pins?|monitors?)\b", r"weight \1", s)
    # bare "power" listed with the knobs is the transmit power: "no changes to slice shares or power", "tilt changes
    # are fine, power too" (not "... or power consumption")
    s = re.sub(r"\b(tilts?|tilting|cios?|offsets?|(?:slice\s+)?shares?|sleep\w*|slicing)(\s*(?:,|and|&|/|or|nor|\+)\s*|"
               r"(?:\s+[a-z]+){0,3}\s+(?:is|are)\s+(?:fine|ok|okay|allowed)\s*,\s*)(?:the\s+)?powers?\b"
               r"(?!\s*(?:consumption|draw|usage|use|bill|budget|levels?\s+of\s+the\s+network))",
               r"\1\2transmit power", s)  # (plural too: "Without changing any tilts or powers")
    s = re.sub(r"\bmidnite\b", "midnight", s)
    s = re.sub(r"\btonite\b", "tonight", s)
    s = re.sub(r"\bovernite\b", "overnight", s)
    # a day named beside a clock time would split its span ("Saturday 10pm through to Sunday 4am", "from 10pm Saturday
    # to 8am Sunday"): it is moved to a clause of its own at the end, where the time reader still notes it as ignored
    s = _days_beside_clocks(s)
    # "from now (11:00) till 6pm": the clock time in brackets is when now is
    s = re.sub(r"\bnow\s*\(\s*(\d{1,2}(?::\d\d)?\s*(?:am|pm)?)\s*\)", r"\1", s)
    # a terse signed change: "energy -20% evening", "HO rate -30%", "tput +15%" (down or up by that much)
    # (not after a comparator or a verb: "under -2%" stays a negative value, refused as one)
    s = re.sub(r"\b([a-z]+)\s+(?:([-−–])|\+)\s?(\d+(?:\.\d+)?)\s*%",
               lambda m: m[0] if m[1] in _BEFORE_A_SIGNED_VALUE else f"{m[1]} {'down' if m[2] else 'up'} {m[3]}%", s)
    # "the cells in 50-58": the range is the cells (not a place "in" them)
    s = re.sub(r"\bcells\s+in\s+(\d{1,3}\s*[-–]\s*\d{1,3})(?![\d.%]|\s*(?:%|ms|mbps|am|pm|h\b))", r"cells \1", s)
    # an event called a fair is no fairness: "for the volunteer fair in the town hall", "the craft fair"
    s = re.sub(r"\b((?:volunteer|craft|trade|jobs?|careers?|book|county|fun|science|food|christmas|summer|spring|charity|"
               r"school|antiques?|vintage|art|beer|wine|street|village|farmers'?|steam|country|student|freshers'?|wedding|"
               r"bridal)\s+)fair(s)?\b", r"\1event\2", s)
    # ... nor one said with its days or its ground: "During the wedding fair weekend", "on fair days"
    s = re.sub(r"\bfair(s)?(?=\s+(?:weekends?|days?|weeks?|season|grounds?|stalls?|stands?|organi[sz]ers?|visitors|goers|tents?|"
               r"halls?)\b)", r"event\1", s)
    # a window word inside a quoted name is no window: "a 'Museum at Night' event, 6pm to 11pm" (a name of several
    # words; a window quoted alone, "at 'night'", stays one)
    s = re.sub(r"(?<![\w'])(['\"‘“])([^'\"‘’“”\n]{1,40})(['\"’”])(?!\w)",
               lambda m: m[1] + _WINDOW_ONLY.sub("x", m[2]) + m[3] if " " in m[2].strip() and _WINDOW_ONLY.search(m[2])
               else m[0], s)
    # a time of day said by the clock face is no value: "around the 12 o'clock shift change"
    s = re.sub(r"(?<![\w.])(\d{1,2})\s*o'?\s?clock\b", lambda m: f"{int(m[1]):02d}:00" if 0 < int(m[1]) <= 12 else m[0], s)
    # the cells' on/off state kept: "no cell switching", "No changes to which cells are on or off"
    s = re.sub(r"\bno\s+(?:cell\s+switching|changes?\s+to\s+which\s+cells\s+are\s+(?:on\s+or\s+off|off\s+or\s+on|switched\s+on|"
               r"active|awake))\b", "no cells off", s)
    # a noun "shut-off" (a valve's, an alarm's) is no act on cells: "the emergency fuel shut-off alarms"
    s = re.sub(r"\bshut-off\s+(?=(?:alarms?|valves?|switch(?:es)?|systems?|buttons?|signals?|sensors?|controls?)\b)", "cutoff ", s)
    # transmit power and sleep named as the only means, power first: "using only power reductions and cell sleep"
    s = re.sub(r"\b(only\s+)power\s+(reductions?|cuts?|trims?)(\s+(?:and|&|plus)\s+)(?:cell\s+)?sleep\b(?!\s+modes?)",
               r"\1transmit power\3sleep mode", s)
    # the transmit power turned up as the means: "Turn up the power to improve coverage there" (not the power draw)
    s = re.sub(r"\bturn(?:s|ed|ing)?\s+(?:up\s+the\s+power|the\s+power\s+up)\b(?!\s*(?:consumption|draw|usage|use|bill))",
               "raise the transmit power", s)
    # as few cells awake as possible: "keep as few of cells 20, 21 and 22 awake as you can"
    s = re.sub(r"\bkeep\s+as\s+few\s+(?:of\s+)?(?:the\s+)?(cells?\s+[\d,\s]*\d(?:\s*(?:,|and|&)\s*\d+)*|cells|them)\s+(?:awake|on|active|"
               r"running|switched\s+on)\s+as\s+(?:you\s+can|possible|we\s+can)\b", r"minimise the active cells on \1", s)
    # an emissions analyser or test is a device, no carbon goal: "The brake tester and emissions analyser stream results"
    s = re.sub(r"\bemissions?\s+(?=(?:analy[sz]ers?|testers?|tests?|testing|bays?|probes?|readings?|data)\b)", "exhaust ", s)
    # "with out putting any cells to sleep": "without"
    s = re.sub(r"\bwith\s+out\s+(?=[a-z]+ing\b)", "without ", s)
    # sleep said to be the only means allowed: "Only switching cells off is allowed, no tilt or power changes"
    s = re.sub(r"\bonly\s+((?:switching|turning|putting)\s+(?:the\s+|some\s+|idle\s+)?cells\s+(?:off|to\s+sleep)|sleeping\s+cells|"
               r"cell\s+sleep)\s+(?:is|are)\s+(?:allowed|permitted|ok|okay|fine)\b", r"\1 only", s)
    # the only means said with bare "power": "Only by dialling the power down please", "just adjust power" (the
    # transmit power; not "just cut power consumption")
    s = re.sub(r"\b((?:only|just)\s+(?:by\s+)?(?:adjust\w*|tweak\w*|chang\w*|dial\w*|turn\w*|lower\w*|reduc\w*|trim\w*|"
               r"tun\w*)\s+(?:the\s+)?)power\b(?!\s*(?:consumption|draw|usage|use|bill|budget|levels?\s+of\s+the\s+network))",
               r"\1transmit power", s)
    # running cost as the goal: "while making the network as cheap to run as possible" is its energy use, minimised
    s = re.sub(r"\b(?:(?:making|make|keeping|keep|running|run)\s+)?(?:(?:the|our)\s+(?:network|cells|site|sites)\s+|it\s+)?"
               r"as\s+cheap\s+to\s+run\s+as\s+(?:possible|we\s+can|you\s+can|it\s+can\s+be)\b", "minimising energy use", s)
    # a level of a mine or a building named by its depth or number: "on the old 200 level", "400 level (cells 50-53)"
    # (a place, no value; not "a 200 level of ...")
    s = re.sub(r"(?<![\w.%$£€-])[1-9]\d{2,3}\s+level\b(?!\s+(?:of|for)\b)", "that level", s)
    # a span's end said by an arrival: "from 2am until the early shift comes in at 7", "till the day crew arrives at 6"
    s = re.sub(r"\b(until|till|til)\s+(?:the\s+|our\s+)?(?:[a-z]+\s+){0,3}?(?:(?:comes?|gets?|clocks?|turns?)\s+(?:in|on|up)|"
               r"arrives?|starts?|opens?)\s+at\s+(\d{1,2}(?::\d{2})?(?:\s*(?:am|pm))?)\b", r"\1 \2", s)
    # a bare span of hours set off by commas after a bound, the cells said apart: "mean under 60ms, 9 to 12, cells 56
    # and 57" (not the rest of a list of cells: "cells 4, 9 to 12")
    s = re.sub(r"(?<=,\s)(\d{1,2})\s*(to|till|til|until|-)\s*(\d{1,2})(?=\s*(?:,|;|\.(?!\d)|$))", _span_after_bound, s)
    # a bare hour "tomorrow" that ends a span is the morning's: "nobody in till 8 tomorrow" (8am)
    s = re.sub(r"(?<!\d\s)(?<!\d)\b(until|till|til)\s+([1-9]|1[01])\s+(?=tomorrow\b(?!\s+(?:afternoon|evening|night)))", r"\1 \2am ", s)
    # the transmit power turned up or down: said as the means ("save energy ... by turning the power down and nothing
    # else"), on named cells ("turn the power up on cell 2", "turn down the power on cell 4"), or "up or down, whatever
    # works" (not the network's draw, which no one turns up to lift coverage)
    s = re.sub(r"\b(by\s+turning\s+(?:up\s+|down\s+)?(?:the\s+)?)power\b(?!\s*(?:consumption|draw|usage|use|bill))"
               r"|\b(turn(?:s|ed|ing)?\s+(?:(?:up|down)\s+)?(?:the\s+)?)power(?=(?:\s+(?:up|down))?\s+(?:on|of|at|for|in)\s+"
               r"(?:the\s+)?(?:cells?\b|sites?\b|masts?\b|sectors?\b|\d)|\s+(?:up\s+or\s+down|down\s+or\s+up)\b)",
               lambda m: f"{m[1] or m[2]}transmit power", s)
    # "through put" typed apart
    s = re.sub(r"\bthrough\s+put\b", "throughput", s)
    # "only the power" after transmit power was named: the knob ("turn the transmit power up on cell 2, only the power
    # mind")
    s = re.sub(r"(\btransmit\s+power\b[^.;!?]{0,40}?\b(?:only|just)\s+(?:the\s+)?)power\b(?!\s*(?:consumption|draw|usage|use|bill))",
               r"\1transmit power", s)
    # fairness between two groups is the network's, not one slice's: "Fairness between the sensor traffic and the café
    # customers is poor"
    s = re.sub(r"\b(fairness|jain(?:'?s)?\s+index)\s+between\s+(?:the\s+)?[^.;!?,\d]{1,50}?\s+and\s+(?:the\s+)?[^.;!?,\d]{1,50}?"
               r"(?=\s+(?:is|are|was|were|has|have|looks?|seems?)\b)", r"\1 between the user groups", s)
    # the mobility settings said by the handovers they tune: "I don't want ... the handovers fiddled with" (the
    # offsets, a knob, not the handover rate as a goal)
    s = re.sub(r"\b(?:the\s+)?hand-?overs?(?:\s+settings?)?(?=\s+(?:(?:being|to\s+be)\s+)?(?:fiddled|messed|tampered|played|"
               r"meddled|mucked\s+about|touched|changed|tweaked)(?:\s+(?:with|about|around))?\b)", "the handover offsets", s)
    # a machine or a place that is shut down is its state, no cell switched off: "The still is shut down over lunch"
    s = re.sub(r"\b(?!(?:cells?|sites?|sectors?|radios?|masts?|antennas?|towers?|they|these|those|some|all|it|which|that|"
               r"network|everything|nothing|none|one|any|anything|carriers?|nodes?)\b)([a-z]+)\s+(is|are|was|were|gets|got|has\s+been|have\s+been)\s+"
               r"(?:shut|switched|turned|powered)\s+(?:down|off)\b", r"\1 \2 closed", s)
    # "its mean" after a KPI family named: "keep the URLLC slice's p95 delay under 20 ms and its mean under 8 ms"
    s = re.sub(r"\b(its|their)\s+(mean|average)\b(?!\s+(?:latency|delay|throughput|speeds?))(?=\s+(?:under|below|over|above|at\s+(?:most|least)|"
               r"<|>|no\s+(?:more|less)|\d))", _mean_of_family_before, s)
    # "keep just 1 of cells 12, 13 and 14 active": a ceiling on the cells kept on, among the cells named
    s = re.sub(r"\b(?:just|only|at\s+most|no\s+more\s+than)\s+(\d+|one|two|three)\s+of\s+(cells\s+\d{1,3}(?:\s*(?:,|and|&|-|to)\s*\d{1,3})*)"
               r"\s+(?:(?:active|on|awake|lit|running|switched\s+on)\b)",
               lambda m: f"{m[2]} with at most {m[1] if m[1].isdigit() else _number_value(m[1])} active cells", s)
    # "at most one of our two cells (18 and 19) needs to be on": a ceiling on the cells kept on
    s = re.sub(r"\b(at\s+most|no\s+more\s+than|only)\s+(\d+|one|two|three|four|five)\s+of\s+(?:our|the|those|these)\s+(?:\w+\s+)?cells"
               r"(\s*\([^)]*\)|\s+\d{1,3}(?:\s*(?:,|and|&)\s*\d{1,3})*)?\s+(?:needs?\s+to\s+be|should\s+be|has\s+to\s+be|must\s+be|to\s+be|is|are|stays?)\s+(?:on|active|awake|lit)\b",
               lambda m: f"cells{m[3] or ''}, with {m[1]} {_number_value(m[2]) if not m[2].isdigit() else m[2]} active cells", s)
    # the cells counted "out of" a numbered range: "no more than 2 cells awake out of 20-24"
    s = re.sub(r"\b(cells\s+(?:awake|on|active|running|lit)\s+)out\s+of\s+(?=\d{1,3}\s*(?:-|–|to)\s*\d{1,3}\b)", r"\1on cells ", s)
    # slow speeds accepted are no throughput goal: "I'm fine with slow-ish speeds as long as it's reliable", "we don't
    # mind lower throughput", "slower speeds are ok"
    s = re.sub(r"\b(?:(?:i'?m|we'?re|they'?re|am|are|is|be)\s+(?:(?:totally|perfectly|quite|really)\s+)?"
               r"(?:fine|ok|okay|happy|content|good|alright|all\s+right)\s+with|(?:i|we|they)\s+(?:don'?t|do\s+not)\s+"
               r"(?:really\s+)?mind)\s+(?:a\s+bit\s+of\s+|some\s+)?(?:slow(?:er)?|low(?:er)?|reduced|modest|less)(?:-?ish)?\s+"
               r"(?:speeds?|throughput|bandwidth|data\s+rates?)\b"
               r"|\b(?:slow(?:er)?|low(?:er)?)(?:-?ish)?\s+(?:speeds?|throughput|bandwidth)\s+(?:is|are)\s+(?:fine|ok|okay|acceptable)\b",
               "that is fine", s)
    # a free hand over the means is no negation of the goal: "I don't mind what you do to save power then"
    s = re.sub(r"\b(?:i|we)\s+(?:don'?t|do\s+not)\s+(?:really\s+)?mind\s+(?:what|whatever|how)\s+you\s+do\s+to\s+", "do what you can to ", s)
    # a floor or a ceiling said alone after the KPI: "improve Jain fairness on cells 50 through 53 ...? Floor of 0.65"
    s = re.sub(r"((?:^|[.?!;]\s+))(?:a\s+|with\s+a\s+)?(floor|minimum|ceiling|maximum|cap)\s+of\s+(?=\d|\.\d)",
               lambda m: f"{m[1]}keep it {'at least' if m[2] in ('floor', 'minimum') else 'at most'} ", s)
    # an emergency number rung is no level: "coverage must stay at 90% for anyone ringing 999"
    s = re.sub(r"\b((?:ring|ringing|rings|call|calling|calls|dial|dialling|dialing|dials|phone|phoning)\s+)(?:999|911|112|000|111)\b",
               r"\1the emergency services", s)
    # an antenna rotated is its azimuth turned (no knob airloop has): "Could you rotate the antenna on cell 32 (the
    # azimuth) about 20 degrees towards the driving range?" (not tilted: "tilt the antenna down")
    s = re.sub(r"\b(rotat(?:e|es|ed|ing)|swing(?:s|ing)?|swung|re-?point(?:s|ed|ing)?)\s+(?:the\s+|its\s+|their\s+)?antennas?\b", r"\1 the azimuth", s)
    # a second bare span after one that crosses noon is in the afternoon too: "Birthday parties are 12-2 and 3-5"
    s = re.sub(r"(?<![\w.:])(1[0-2])\s*-\s*([1-5])\s+and\s+([1-9])\s*-\s*([1-9]|1[01])(?![\w:%]|\.\d)",
               lambda m: (f"from {int(m[1]):02d}:00 to {int(m[2]) + 12:02d}:00 and from {int(m[3]) + 12:02d}:00 to "
                          f"{int(m[4]) + 12:02d}:00") if int(m[1]) > int(m[2]) and int(m[3]) < int(m[4]) else m[0], s)
    # a relative change said as a noun: "We'd like a 10% drop in mean latency" is the latency reduced by 10 %
    s = re.sub(r"\ba\s+(\d+(?:\.\d+)?\s*%)\s+(drop|cut|reduction|decrease|fall|increase|rise|boost|improvement)\s+in\s+(?:the\s+)?",
               lambda m: f"{'raise' if m[2] in ('increase', 'rise', 'boost', 'improvement') else 'reduce'} by {m[1]} the ", s)
    # coverage said to get worse, guarded: "don't let coverage get worse"
    s = re.sub(r"\blet\s+(coverage|the\s+coverage|signal|the\s+signal)\s+get\s+worse\b", r"let \1 drop", s)
    # a relative clause that names a busy time is no window: "at lunchtime, which is our busiest hour for food"
    s = re.sub(r",\s*which\s+is\s+(?:our|the|their)\s+(?:busiest|quietest|peak|main)\s+(?:hour|time|period|slot)\b(?:\s+for\s+[a-z]+)?",
               "", s)
    # "keep 4 on minimum": a floor on the cells kept on
    s = re.sub(r"\bkeep\s+(\d+)\s+on\s+(?:(?:at\s+)?(?:a\s+)?minimum|at\s+least|min)\b", r"keep at least \1 active cells", s)
    # handed over so often, said as what happens: "Getting handed over like 3 times a minute" is the state now
    s = re.sub(r"\b(?:getting|being)\s+handed\s+over\s+(?:like\s+|about\s+|around\s+|roughly\s+)?(\d+(?:\.\d+)?)\s+times\s+(?:a|an|per)\s+"
               r"(minute|hour)\b", r"the handover rate is \1 per \2", s)
    # "0.75+" is "0.75 or more" (no sum with the number after it: "get it to 0.75+ 9-5")
    s = re.sub(r"(?<![\w.])(\d+(?:\.\d+)?)\+(?=\s|$|[,.;!?)])", r"\1 or more", s)
    # "midnight till six" with no "from": the span
    s = re.sub(r"(?<!\bfrom\s)(?<!\bbetween\s)\b(midnight|noon|midday)\s+(?:till|until|to)\s+(\d{1,2}|one|two|three|four|five|six|seven|"
               r"eight|nine|ten|eleven)\b(?![:.]?\d|\s*(?:%|percent|am|pm|a\.m|p\.m|ms|mbps|kw|cells?))",
               lambda m: f"from {0 if m[1] == 'midnight' else 12:02d}:00 to "
                         f"{(int(h) if (h := _number_value(m[2])).isdigit() else 0) % 12 + (0 if m[1] == 'midnight' else 12):02d}:00", s)
    # a cell's place said in brackets between two cells: "between cell 50 (shore side) and 53 (the one facing the ship)"
    s = re.sub(r"\b(cells?\s+\d{1,3})\s*\((?![^)]*\d)[^)]{1,40}\)\s+(and|&)\s+(?:cell\s+)?(\d{1,3})(?:\s*\((?![^)]*\d)[^)]{1,40}\))?",
               r"\1 \2 \3", s)
    # the cells handed over between, by their numbers: "keep handing over between 30, 31 and 32"
    s = re.sub(r"\b((?:handing\s+over|hand\s+over|hands\s+over|handovers?|bouncing|hopping|flipping|switching)\s+between\s+)"
               r"(?=\d{1,3}(?:\s*,\s*\d{1,3})+\s*,?\s*(?:and|&)\s*\d{1,3}\b(?![.:]\d|\s*(?:am|pm|%|ms)))", r"\1cells ", s)
    # "noone" is "no one" (not noon)
    s = re.sub(r"\bnoone\b", "no one", s)
    # a device named "cut-out" is no cut: "The geofence cut-outs ... ride on URLLC"
    s = re.sub(r"\bcut-?outs?\b", "interlocks", s)
    # the network "as lean as possible" is its energy use minimised
    s = re.sub(r"\bas\s+lean\s+as\s+(?:possible|we\s+can|you\s+can|it\s+can\s+be)\b", "minimising energy use", s)
    # a target said alone after the ask: "... to get coverage up along the test route? 98 percent would be great"
    s = re.sub(r"((?:^|[.?!]\s+))(\d+(?:\.\d+)?\s*(?:%|percent|per\s*cent))\s+(?:would\s+be|is)\s+(?:great|ideal|good|nice|"
               r"perfect|fine|lovely|brilliant|the\s+(?:target|goal|aim))\b", r"\1get it to \2", s)
    # a span's start said by an event, its end after the words between: "After the last show finishes at 11pm the
    # clubhouse is empty until 7", "after the shops shut at 8pm, till midnight" (the start moved to the end: from 11pm
    # until 7)
    s = re.sub(r"\b(?:at|after|from)\s+(\d{1,2}(?::\d{2})?\s*(?:am|pm)|\d{1,2}:\d{2}|midnight|noon|midday)"
               r"((?:\s*,)?(?:\s+(?!(?:from|to|between|and|or)\b)[a-z']+){0,8}?\s*,?\s+)(until|till|til)\s+"
               r"(?=(?:\d{1,2}(?::\d{2})?\s*(?:am|pm)?|midnight|noon|midday)(?![\w:%]|\.\d)(?!\s+(?:o'?clock\s+)?(?:in\s+the|the\s+next|the\s+following|next|"
               r"tomorrow|each|every|at\s+night)\b))", r"\2from \1 \3 ", s)
    # a bare span said as the hours of something: "Phone-in hour is 8 to 9", "the show runs 6-10"
    # (or of events that come then: "morning deliveries come 6 to 9")
    s = re.sub(r"\b((?:hour|hours|slot|show|shift|session|window|programme|program|broadcast|deliveries|delivery|collections?|"
               r"pick-?ups?|drop-?offs?)\s+(?:is|are|runs?|goes|come|comes|arrive|arrives|happen|happens)\s+)"
               r"([1-9]|1\d|2[0-3])\s*(?:to|-|–)\s*([1-9]|1\d|2[0-4])(?![\w%:]|\.\d|\s*(?:%|percent|ms|mbps|mbit|kw|db))",
               r"\1from \2 to \3", s)
    # "from 4 till 9 tonight": the span's end is in the evening
    s = re.sub(r"\b(?<!cells\s)(?<!cell\s)((?:from\s+)?(?:[1-9]|1[0-2])\s*(?:-|to|till|until)\s*)([1-9]|1[01])\s+tonight\b",
               r"\1\2pm tonight", s)  # (not "on cells 5-7 tonight")
    # the two cells users move between: "bounce between cells 3 and 5" (not the range 3-5, as in "the towpath between
    # cells 50 and 53")
    s = re.sub(r"\b((?:hop|bounc|ping[- ]?pong|flip(?:[- ]?flop)?|flap|jump|switch|swap|mov|walk|driv|travel|roam|toggl|handover|"
               r"hand(?:ing)?\s+over|handed|pass|shuffl|shunt)\w*(?:\s+(?:back\s+and\s+forth|constantly|all\s+the\s+time|a\s+lot))?\s+)between\s+cells?\s+"
               r"#?(\d{1,3})(?:\s+and\s+|\s*&\s*)(?:cell\s+)?#?(\d{1,3})\b(?![.,]\d|\s*(?:-|to)\s*\d)", r"\1between cells \2, \3", s)
    # "power the network down as much as you can": a cut in the network's power (not a goal to maximise it)
    s = re.sub(r"\bpower(?:s|ed|ing)?\s+(the\s+|our\s+)?(network|site|sites|everything|things)\s+down\b", r"cut \1\2 power", s)
    # a cell named by its bare number right after the KPI it is asked for: "maximise coverage on 15", "more throughput
    # for the broadband users on 22 between 1100 and 1500", "boost eMBB avg throughput on 41 to at least 25 Mbps", or
    # whose state is told: "PRB utilisation on 11 is maxed out at lunch"; its slice may stand between ("p5 throughput
    # for embb on 21 and 22"), and its bound follow ("mean throughput on 21 >= 4 Mbit/s")
    s = re.sub(rf"\b({_KPI_BEFORE_CELLS}|users|devices)((?:\s+(?:for|on)\s+(?:the\s+)?(?:embb|urllc|mmtc)(?:\s+slice)?)?)\s+on\s+"
               r"(?=\d{1,3}\b(?![.,]\d)(?=\s*(?:[,;:!?)]|\.(?!\d)|$|>=|<=|=>|=<|[<>≥≤]|\s+(?:from|for|at|in|during|between|until|"
               r"till|and|or|to\s+(?:at\s+least|at\s+most|no|under|over|above|below|\d)|please|pls|too|only|all|every|each|today|"
               r"tonight|tomorrow|this|when|while|but|so|is|was|keeps|sits|has|hits|under|over|above|below|must|should|needs?)\b)))",
               r"\1\2 on cell ", s)
    # cells named by a bare range after the KPI asked (its slice may stand between): "mean throughput for eMBB on 15-18
    # needs to be 30 Mbps" (on a range, the cells; a clock span is said "from", "between")
    s = re.sub(rf"\b({_KPI_BEFORE_CELLS})"
               r"((?:\s+(?:for|on)\s+(?:the\s+)?(?:embb|urllc|mmtc)(?:\s+slice)?)?)\s+on\s+"
               r"(?=\d{1,3}\s*(?:-|–|to)\s*\d{1,3}\b(?![.,:]\d)(?!\s*(?:%|percent|am|pm|a\.m|p\.m|ms|mbps|mbit|kw|w\b|h\b|hrs?|hours?|"
               r"o'?clock)))", r"\1\2 on cells ", s)
    # the cells set off by commas between a KPI and its level: "Coverage around the band room, cell 7, should be 99%"
    # (the level's clause would have no KPI)
    s = re.sub(r",\s*((?:on\s+|at\s+|for\s+)?cells?\s+#?\d{1,3}(?:\s*(?:,|and|&|-|–|to)\s*#?\d{1,3})*)\s*,\s*"
               r"(?=(?:should|must|shall|needs?\s+to|has\s+to|have\s+to|ought\s+to|is\s+to|are\s+to)\s+(?:be|stay|remain|sit|hold)\b)",
               lambda m: f" {m[1] if re.match(r'on|at|for', m[1]) else 'on ' + m[1]} ", s)
    # "apart from that" between two asks is "also" (not hours left out: "..., and apart from that cut energy from 8 in the
    # morning to 6 in the evening")
    # (a new sentence: what was said before it, its slice too, stays there)
    s = re.sub(r"\s*,?\s*(?:and\s+)?apart\s+from\s+(?:that|this)\s*,?\s*(?=[a-z])", ". also, ", s)
    # a rate said as one in so many minutes or hours: "one handover every two minutes per user" is 0.5 per minute
    s = re.sub(rf"(?<![\w.])(\d+(?:\.\d+)?|one|a|an)\s+((?:handovers?|hand-?offs?)\s+)?(?:every|each)\s+(\d+(?:\.\d+)?|{_ANY_NUMBER_WORD})"
               r"\s+(minute|min|hour|hr)s?\b",
               lambda m: (f"{_rate_count(m[1]) / float(_number_value(m[3])):g} {m[2] or ''}per {m[4]}"
                          if float(_number_value(m[3])) > 0 and (m[2] or re.search(  # (the handovers said before the count)
                              r"\b(?:handovers?|hand-?offs?)\b[^.;!?\d]{0,30}$", m.string[:m.start()])) else m[0]), s)
    # "every night this week" beside the part of the day asked says which days: "evening fittings every night this
    # week" (not "every night and on weekend mornings", where the night is asked)
    s = re.sub(r"[^.;!?\n]+", lambda m: re.sub(r"\b(every|each)\s+night(?=\s+(?:this|of\s+the|for\s+(?:a|the|one|two))\s+"
                                                r"(?:week|fortnight|month|run|festival)\b)", r"\1 day", m[0]) if re.search(
        r"\b(?:morning|afternoon|evening|lunch\w*)s?\b", m[0]) else m[0], s)
    # "low-latency" naming the URLLC slice, its latency asked after it: "Prioritise the low-latency URLLC slice: p95
    # latency under 20 ms" asks the p95 (the slice's name is no KPI of its own there)
    s = re.sub(r"\b(?:ultra[- ]reliable\s+)?low[- ]latency\s+(?=\(?urllc\b)", lambda m: "" if re.search(
        r"\blatency\b", s[m.end():]) else m[0], s)
    # the slice that opens a pair of bounds holds for both: "URLLC mean latency <= 5 ms and packet loss <= 0.1%" (a
    # loss or latency bound after "and" with no slice or users of its own in its clause)
    s = re.sub(r"\b(urllc|embb|mmtc)(\s+(?:(?!and\b|or\b|but\b)[a-z0-9]+\s+){0,3}?(?:latency|delay|loss)\s*(?:<=|=<|<|≤|under|below|"
               r"at\s+most|no\s+more\s+than|of\s+at\s+most)\s*\d+(?:\.\d+)?\s*(?:%|ms|milliseconds?)?\s+and\s+)(?=(?:the\s+)?(?:mean\s+|"
               r"average\s+|p95\s+|95th[- ]percentile\s+)?(?:packet\s+loss|latency|delay|loss)\b"
               r"(?![^.;,!?]*\b(?:urllc|embb|mmtc|for|of|on\s+(?:the|our|their))\b))", r"\1\2\1 ", s)
    # the slice in brackets after two names of its users: "mean throughput for phones and streaming (eMBB)" is eMBB's
    # ("for the video-call and browsing users (eMBB)": names of two or three words, hyphenated ones too)
    s = re.sub(r"\b(for\s+(?:the\s+|our\s+)?)[a-z][a-z-]*\s+(?:and|&|or)\s+((?:[a-z][a-z-]*\s+){0,2}[a-z][a-z-]*\s*"
               r"\((?:embb|urllc|mmtc)\))", r"\1\2", s)
    # a level told after a judgement of it, the sentence ending there: "Handover figures look daft, 2 per minute per
    # user." is the state now (as "are at 2"), not a ceiling ("latency is too high, 20 ms max" keeps its bound)
    s = re.sub(r"\b(?:looks?|seems?|are|is)\s+(?:(?:really|very|quite|pretty|a\s+bit|totally|way|just)\s+)?(?:daft|silly|mad|crazy|"
               r"bad|awful|terrible|ridiculous|insane|wrong|nuts|bonkers|mental|absurd|excessive|too\s+high|too\s+low|through\s+the\s+roof)"
               r"\s*(?:,|:|-|–|—|\bat\b)\s*(?=\d+(?:\.\d+)?(?:\s*(?!(?:max|min|tops|maximum|minimum|please|pls|limit|or|and)\b)[a-z%/]+){0,5}"
               r"\s*(?:[.!]|$))", "are at ", s)
    # "all night long" of what goes on in a clock span said in its sentence is that span: "every Friday from 8pm to
    # midnight and people are uploading reels all night long" (no night window of its own)
    s = re.sub(r"[^.;!?\n]+", lambda m: re.sub(r"\s*\ball\s+(?:night|evening|day)\s+long\b", "", m[0])
               if _FROM_SPAN.search(m[0]) else m[0], s)
    # a span's end said by an event at its clock time: "from opening at 9 until lunch", "From sunset, call it 19:00,
    # until 21:00" (the time is the end; it read "at 9" as a latency ceiling, and "until 21:00" from midnight)
    s = re.sub(rf"\b(from|until|till|til)\s+(?:the\s+)?{_SPAN_EVENT}\s*(?:,\s*)?(?:at|around|about|(?:call|make)\s+it|say|so|"
               r"i\.?e\.?|roughly)\s*,?\s+(\d{1,2}(?::\d{2})?\s*(?:am|pm)?)\s*,?(?=\s+(?:until|till|til|to|through|and|from)\b)",
               r"\1 \2", s)
    # ... and its end too, after such a start: "From opening at 10:00 to close at 20:00"
    s = re.sub(r"\b(from\s+\d{1,2}(?::\d{2})?\s*(?:am|pm)?\s+)(?:until|till|til|to)\s+(?:the\s+)?(?:[a-z]+ing|open|close|end|"
               r"sunrise|sunset|dawn|dusk|nightfall|last\s+orders)\s*(?:,\s*)?(?:at|around|about|(?:call|make)\s+it|say|roughly)"
               r"\s*,?\s+(?=\d{1,2}(?::\d{2})?\s*(?:am|pm)?\b)", r"\1until ", s)
    # savings asked with no KPI said are the energy's: "Evening savings plese, 19:00 to 23:00. Coverage 94%." (it read
    # the coverage as the objective)
    s = re.sub(r"(?<!\benergy\s)(?<!\bpower\s)(?<!\bcost\s)(?<!\bcarbon\s)(?<!\belectricity\s)(?<!\btime\s)(?<!\bmoney\s)"
               r"(?<!\bfuel\s)(?<!\bspace\s)\b((?:(?:some|more|big|bigger|extra|any|the)\s+)?(?:(?:evening|night|nighttime|night-time|"
               r"overnight|weekend|morning|afternoon|daytime|off-peak|lunchtime)\s+)?)savings\b(?=\s*(?:please|pls|plz|[,.;!?]|$|"
               r"(?:at|in|during|overnight|tonight|from|between|after|before)\b))", r"\1energy savings", s)
    # "12 noon", "12 midnight": the word says which 12 (it read hours 12 and 15 from "between 12 noon and 3pm")
    s = re.sub(r"\b12(?::00)?\s+(noon|midday|midnight)\b", r"\1", s)
    # "the most throughput you can for the cell-edge users": the users it is for, right after the KPI
    s = re.sub(r"\b(throughput|speeds?|bandwidth)\s+(?:(?:you|we)\s+can(?:\s+(?:get|give|manage))?|possible)\s+(?=for\s)", r"\1 ", s)
    # "as few of their packets lost as possible" is the packet loss minimised (it found no KPI)
    s = re.sub(r"\bas\s+few\s+(?:of\s+)?((?:their|the|our|its)\s+)?packets\s+(?:lost|dropped)\s+as\s+(?:possible|you\s+can|we\s+can)",
               lambda m: f"minimal {m[1] or ''}packet loss", s)
    # throughput made fair is the fairness: "make user throughput as fair as possible across them" (it read the mean
    # throughput, the fairness a second objective)
    s = re.sub(r"\bmake\s+(?:the\s+)?(?:users?'?\s+)?(?:throughput|speeds?|bandwidth|data\s+rates?)\s+(?:as\s+fair\s+as\s+(?:possible|you\s+can|"
               r"we\s+can)|fairer|more\s+(?:fair|even|equal))", "maximise fairness", s)
    # "from then" after a close said at its clock time starts there: "we close at 6. from then until 8 the next morning"
    s = re.sub(r"\b((?:close|closes|closing|shut|shuts|finish|finishes|leave|leaves)\s+at\s+(\d{1,2}(?::\d{2})?\s*(?:am|pm)?)"
               r"[^.;!?]{0,40}[.;!?,]?\s+)from\s+then\b(?=\s+(?:until|till|til|to)\s)",
               lambda m: f"{m[1]}from {m[2]}" + ("pm" if re.fullmatch(r"[5-9]|1[01]", m[2].strip()) else ""), s)  # (a close at 6 is 18:00)
    # the cells counted among a numbered range: "Reduce the number of active cells among 10 to 15 to 2" (it read
    # hours 10-14)
    s = re.sub(r"\b(cells\s+)(among|amongst)\s+(\d{1,3}\s*(?:to|-|through)\s*\d{1,3})\b", r"\1\2 cells \3", s)
    # a broadcaster's coverage is its reporting, no KPI: "for the live flood coverage tonight from 7pm till 11pm ..."
    s = re.sub(r"\b(live|news|press|media|election|flood|sports?|race|match[- ]day)\s+coverage\b"
               r"(?!\s*(?:above|below|under|over|at\s+least|at\s+most|of\s+at|>=|<=|>|<|\d|should|must|needs?|has\s+to|is|of\s+\d))",
               r"\1 reporting", s)
    # the cells named after an aside that says which: "the cells round the retail park please, that's 7, 8 and 9"
    s = re.sub(r"\bcells((?:\s+(?!(?:at|from|between|until|till|during)\b)[a-z'-]+){1,8}?)\s*,\s*(?:that'?s|that\s+is|i\.?e\.?|namely)\s+"
               r"(?:cells\s+)?(\d{1,3}(?:\s*,\s*\d{1,3})*\s*(?:,\s*)?(?:and|&)\s*\d{1,3})\b(?![.,]\d|\s*(?:%|[a-z]))", r"cells \2\1", s)
    # "run on fewer cells": the count of active cells asked down (it read the coverage bound beside it as the objective)
    # ("we're running on fewer sites until the repair crew is done" is the state the network is in, not the ask)
    s = re.sub(r"\b(?:run|running|operate|operating|get\s+by)\s+(?:the\s+\w+\s+)?(?:on|with)\s+fewer\s+(?:cells|masts|sites|radios)\b",
               lambda m: m[0] if _STATE_BEFORE.search(s, 0, m.start())
               else "minimise the number of active cells", s)
    # "nothing above 100ms" is a ceiling, "nothing under 90%" a floor (the negation turned "above" into a floor)
    s = re.sub(r"\b(?:nothing|none|no\s+(?:user|one|hour|cell|sample)s?)\s+(?:(above|over|higher\s+than|more\s+than|beyond|past|exceeding)"
               r"|(below|under|lower\s+than|less\s+than))\s+(?=\.?\d)",
               lambda m: "at most " if m[1] else "at least ", s)
    # a slice named by what it is for, in brackets: "their slice (the low-latency one)" (no slice read)
    s = re.sub(r"\b(?:their|its|the|our|that)\s+slice\s*\(\s*(?:the\s+)?(low[- ]latency|reliable|critical|broadband|video|iot|sensors?|"
               r"machines?|meters?)\s+one\s*\)",
               lambda m: "the " + ("urllc" if m[1].startswith(("low", "reliable", "critical")) else
                                   "embb" if m[1] in ("broadband", "video") else "mmtc") + " slice", s)
    # "the count" after the active cells named is their count: "Active cells: can we get the count down to 10" (lost)
    s = re.sub(r"\bthe\s+count\b(?=\s+(?:down|under|below|to)\b)",
               lambda m: "the number of active cells" if re.search(r"\bactive\s+cells\b", s[:m.start()]) else m[0], s)
    # a cell named by its number after a comma: "the lending desk cell, number 12" (the 12 was lost)
    s = re.sub(r"\bcell\s*,?\s+(?:number|no\.?|num\.?)\s*(\d{1,3})\b", r"cell \1", s)
    # "as low as it'll go" is as low as possible (no goal read: the count of cells asked down was lost to the means)
    s = re.sub(r"\bas\s+(low|high|few|many|much|little|far)\s+as\s+(?:it|they|you|we)(?:'ll|\s+will|\s+can|\s+could|'d)\s+go\b",
               r"as \1 as possible", s)
    # bare numbers right after a KPI said "on": "coverage on 40 & 41 from 18.00 to 20.00" (numbers no value can be
    # said so; read coverage 0.41)
    s = re.sub(r"\b(coverage|throughput|latency|delay|energy|power|speeds?|handovers?|loss|load)\s+on\s+(\d{1,3})\s*(&|and|,)\s*(\d{1,3})\b"
               r"(?!\s*(?:%|percent|[.:]\d|a\.?m\b|p\.?m\b|h\b|hrs?\b|o'?clock|ms\b|[kmg]?bps|[kmg]?bit|kw\b|w\b|db))",
               r"\1 on cells \2 and \4", s)
    # a device moving between two numbers moves between cells: "the modem keeps bouncing between 14 and 15" (read
    # 14:00-15:00)
    s = re.sub(r"\b(bounc\w*|ping[- ]?pong\w*|flip[- ]?flop\w*|flipping|toggl\w*|hopping|swapping|handing\s+over|jumping)\s+"
               r"((?:back\s+and\s+forth|to\s+and\s+fro)\s+)?between\s+(?:cells?\s+)?(\d{1,3})\s+(?:and|&)\s+(\d{1,3})\b"
               r"(?!\s*(?:am\b|pm\b|a\.m|p\.m|[:.]\d|h\b|hrs?\b|o'?clock))", r"\1 \2between cell \3 and cell \4", s)
    # a cause that moves a KPI, told with its particle last: "the telemetry burst pushes the gauges' p95 delay up" is
    # the state, as "pushes up the p95 delay" (it read *maximize* the p95 latency over the PRB utilisation asked)
    s = re.sub(r"\b(push(?:es|ed)|drives|drove|sends|sent|bumps|bumped|forces|forced|drags|dragged|pulls|pulled)\s+"
               r"((?:the|our|their|its|a)\s+(?:[\w'\x00-]+\s+){0,4}?[\w'\x00-]+)\s+(up|down)\b", r"\1 \3 \2", s)
    # the count asked after a range of cells: "reduce the number of active cells among 10 to 15 to 2" (the 2 was lost)
    s = re.sub(r"\b(cells\s+\d{1,3}\s*(?:-|to|through|thru)\s*\d{1,3})\s+to\s+(\d{1,3})\b"
               r"(?!\s*(?:%|[.:]\d|a\.?m\b|p\.?m\b|h\b|hours?\b|o'?clock|ms\b|[kmg]?bps|[kmg]?bit|[a-z]+/)|[.,]\d)",
               lambda m: f"{m[1]} down to {m[2]}" if re.search(r"\b(?:reduce|cut|lower|bring|trim|drop)\b[^.;!?]*$", s[:m.start()])
               else m[0], s)
    # "run only 2 of them": a ceiling on the cells on (no goal was found); not the state ("we're running only 2 cells")
    s = re.sub(r"\b(?:run|operate|leave)\s+(?:only|just)\s+(\d{1,3})\s+(?:of\s+(?:them|those|these|the\s+cells|our\s+cells)"
               r"|(?:small\s+)?cells|masts|sites)(?:\s+(?:on|up|active|running|lit|awake))?\b",
               lambda m: m[0] if _STATE_BEFORE.search(s, 0, m.start())
               else f"with at most {m[1]} active cells", s)
    # the bound said after the count: "keep 2 cells minimum on", "4 cells max" (it was dropped)
    s = re.sub(r"\b(\d{1,3})\s+(?:cells?|sites?|masts?)\s+(?:(minimum|min|at\s+(?:the\s+)?(?:minimum|least))|(maximum|max|at\s+(?:the\s+)?"
               r"(?:maximum|most)))\b(?:\s+(?:on|active|awake|running|lit|switched\s+on|powered(?:\s+on)?))?(?![\w-])",
               lambda m: f"{'at least' if m[2] else 'at most'} {m[1]} active cells", s)
    # "use at most 4 cells": a ceiling on the cells on (it was dropped)
    s = re.sub(r"\b(?:use|using|uses)\s+(at\s+most|no\s+more\s+than|up\s+to|a\s+maximum\s+of|max)\s+(\d{1,3})\s+(?:cells|masts|sites)\b",
               r"with at most \2 active cells", s)
    # a level said with "at the moment" is the state now: "It's over 2% at the moment" (it read a floor of 2 %)
    s = re.sub(r"\b((?:it|they|that)(?:'s|'re|\s+is|\s+are)\s+)(?:over|above|under|below|around|about)\s+(\d+(?:\.\d+)?\s*(?:%|[a-z/]+)?)"
               r"(?=\s+(?:at\s+the\s+moment|right\s+now|currently|these\s+days|today)\b)", r"\1at \2", s)
    # ... and one said as where it has been: "it's been over 2 seconds at times" (it read a floor of 2 s)
    s = re.sub(r"\b((?:it|they|that)(?:'s|\s+has|'ve|\s+have)\s+been\s+)(?:over|above|under|below|around|about|up\s+to)\s+"
               r"(\d+(?:\.\d+)?\s*(?:%|[a-z/]+)?)(?=\s+(?:at\s+times|sometimes|lately|recently|often|on\s+and\s+off|"
               r"at\s+the\s+moment|this\s+(?:week|month)|today)\b)", r"\1at \2", s)
    # dotted 24-hour clock times on both ends: "From 7.00 to 19.00" (it read hour 19 alone)
    s = re.sub(r"\b(from|between)\s+(\d{1,2})\.(00|15|30|45)\s*(to|till|until|and|-)\s*(\d{1,2})\.(00|15|30|45)\b(?![.,]?\d)",
               r"\1 \2:\3 \4 \5:\6", s)
    # an event with its clock in brackets starting a span: "from dusk (9pm) till 6" (it read 21:00 alone, then 00-06)
    s = re.sub(rf"\b(from|until|till|til)\s+(?:the\s+)?{_SPAN_EVENT}\s*\((\d{{1,2}}(?::\d{{2}})?\s*(?:am|pm)?)\)", r"\1 \2", s)
    # a list of inclusive hour ranges after "hours": "hours 22-23 and 0-4" (it read the second as 0-3)
    s = re.sub(r"\bhours\s+(\d{1,2}\s*-\s*\d{1,2})\s*(,|and|&)\s*(?=\d{1,2}\s*-\s*\d{1,2}\b)", r"hours \1 \2 hours ", s)
    # a span that ends where a part of the day begins: "from 9 until lunch" is 09:00-12:00 (it read the lunch window)
    s = re.sub(r"\b(from\s+\d{1,2}(?::\d{2})?\s*(?:am|pm)?\s+)(?:until|till|til|to|up\s+to)\s+(?:the\s+)?"
               r"(lunch(?:time)?|afternoon|evening)\b(?!\s*(?:ends?|is\s+over|finish\w*|closes?|rush|peak))",
               lambda m: f"{m[1]}until {WINDOWS['lunch' if m[2].startswith('lunch') else m[2]][0]:02d}:00", s)
    # a level a complaint is about, as its subject: "Mean latency above 25 ms on cells 8-10 is hurting our classes"
    # tells the state (read as "at 25 ms"), not a floor (not a time: "Congestion past 6pm is killing our tills")
    s = re.sub(r"\b(above|over|below|under|beyond)(\s+\d+(?:\.\d+)?(?!\s*(?:am|pm|a\.m|p\.m|[:.]\d|h\b|o'?clock))\s*(?:%|[a-z/]+)?"
               r"(?:\s+(?:on|in|at|for|across)\s+"
               r"[^.;!?,]{1,30}?)?\s+(?:is|are|was|were|has\s+been|have\s+been|keeps?|kept)\s+(?:really\s+|badly\s+|seriously\s+)?"
               r"(?:hurting|killing|ruining|affecting|breaking|disrupting|wrecking|spoiling|messing|hampering|harming|"
               r"annoying|frustrating|causing)\b)", r"at\2", s)
    # "in and around the shop": one place (the "and" would split the clause from its KPI)
    s = re.sub(r"\b(?:in|on|at)\s+and\s+(around|about|near|outside)\b", r"\1", s)
    # a block of cells named by its range: "in the 80-85 group", "the 40 to 43 cluster" (numbers no hour can be, or
    # cells said in the sentence; not "the 18-24 age group")
    # (or after the noun, where no hour is meant: "night market cluster 50-53", "cluster 2-5")
    s = re.sub(r"\b(?:the\s+)?(\d{1,3})\s*(?:-|–|to)\s*(\d{1,3})\s+(?:group|cluster|block|bank)\b(?:\s+of\s+(?:cells|sites))?"
               r"|\b(?:cluster|block|bank)\s+(?:of\s+cells\s+)?(\d{1,3})\s*(?:-|–|to)\s*(\d{1,3})\b(?![.:,]\d|\s*(?:%|[ap]\.?m\b))",
               lambda m: (f"cells {m[1] or m[3]} to {m[2] or m[4]}" if int(m[1] or m[3]) < int(m[2] or m[4]) and (
                   m[3] or int(m[2]) > 24 or re.search(r"\bcells?\b", re.split(r"[.;!?]\s", s[:m.start()])[-1]
                                                       + s[m.end():].split(".")[0])) else m[0]), s)
    # the rush of one part of the day: "during the morning rush" is 07:00-10:00, the evening's 16:00-19:00 (the rush hours
    # of the conventions, one part of them)
    # (said with "during", the hours asked; not "morning and evening rush", nor a rush told of)
    s = re.sub(r"\bduring\s+the\s+morning\s+rush(?:[- ]hours?)?\b(?!\s*[,(:]?\s*(?:so\s+|from\s+|between\s+)?\d)", "from 07:00 to 10:00", s)
    s = re.sub(r"\bduring\s+the\s+evening\s+rush(?:[- ]hours?)?\b(?!\s*[,(:]?\s*(?:so\s+|from\s+|between\s+)?\d)", "from 16:00 to 19:00", s)
    # transmit power named as a means beside sleep: "using sleep on idle cells and power reduction only", "by putting
    # unused cells to sleep and turning the power down on the rest", "either by switching it off or by turning its power
    # down"
    s = re.sub(r"\b((?:sleep\w*|switch\w*\s+(?:\w+\s+)?off|shut\w*\s+down)[^.;!?]{0,40}?\s(?:and|&|,|plus|or)\s+(?:by\s+)?)"
               r"(power\s+(?:reduction|reductions|cuts?|trims?|changes?|adjustments?)|turn(?:s|ed|ing)?\s+(?:the\s+|its\s+|their\s+)?"
               r"power\s+down)\b",
               lambda m: m[1] + ("lowering the transmit power" if m[2].startswith("turn") else "transmit " + m[2]), s)
    # street lighting's "part-night" is no window; a freezer named by its temperature ("the -80s") is no value
    s = re.sub(r"\bpart[- ]night\b", "part-time", s)
    s = re.sub(r"(?<![\w.])[-−]\d+s\b", "freezers", s)
    # "midday" naming a thing: "the crews all watch the midday news" (not the hours asked)
    s = re.sub(r"\b(?:midday|noon)\s+(?=(?:news|bulletin|meal|break|prayers?|service|show|programme|program|slot|rush)\b)", "", s)
    # a count of cells to run, said with "of its cells": "Run no more than 2 of its cells (40-43)"
    s = re.sub(r"\b(run|keep|leave|have)\s+(no\s+more\s+than|at\s+most|only|max(?:imum)?(?:\s+of)?)\s+(\d+)\s+of\s+"
               r"(?:its|the|these|those|our|their)\s+cells\b", r"\1 \2 \3 active cells of the cells", s)
    # "overnight" describing a thing, not the hours asked: "the overnight scans sync", "while the overnight sensor logs
    # upload"
    s = re.sub(r"\b(?:the\s+)?overnight\s+(?=(?:[a-z]+\s+)?(?:scans?|logs?|backups?|uploads?|jobs?|batch(?:es)?|builds?|runs?|"
               r"data|files?|transfers?|syncs?|reports?|updates?|downloads?|deliveries|delivery|post|mail|trains?|flights?|"
               r"sailings?|results|readings|footage|recordings?)\b)", "the ", s)
    # "done for the night" beside a clock span: the idiom, not the hours ("flys done for the night, ... from 10pm to
    # midnight")
    if re.search(r"\d\s*(?:am|pm)\b|\b\d{1,2}:\d{2}\b|\bmidnight\b", s):
        s = re.sub(r"\b((?:done|finished|wrapped(?:\s+up)?|packed\s+up|knocked\s+off))\s+for\s+the\s+(?:night|day)\b", r"\1", s)
        # ... and "late-night" describing an event ("the late-night shopping event ... from 7 pm until 11 pm")
        s = re.sub(r"\blate[- ]night\s+(?=(?!hours?\b)[a-z])", "late ", s)
    # ... and "but not power" after knobs: "tilt and CIO are fine to change but not power"
    s = re.sub(r"\b((?:tilts?|cios?|offsets?|shares?|sleep\w*)\b[^.;!?]{0,40}?\b(?:but|and)\s+not\s+(?:the\s+)?)power\b"
               r"(?!\s*(?:consumption|draw|usage|use|bill|budget))", r"\1transmit power", s)
    # numbered cells between the verb and its particle: "switch cell 3 off", "put cells 22 and 23 to sleep"
    s = re.sub(r"\b(switch(?:es|ed|ing)?|turn(?:s|ed|ing)?|shut(?:s|ting)?|put(?:s|ting)?|send(?:s|ing)?)\s+((?:the\s+)?cells?\s+"
               r"#?\d{1,3}(?:\s*(?:,|and|&|or)\s*#?\d{1,3})*)\s+(off|to\s+sleep)\b", r"\1 \3 \2", s)
    # a bare number no hour can be after "on", where a cell is meant: "maximise 5th percentil throughput on 85 from 7 till
    # 3", "Mean latency for the URLLC scanners on 84: under 20 ms" (not "on 50 %", "on 45 kW", "on 30 days")
    s = re.sub(r"(?<!cells\s)(?<!cell\s)\b(on)\s+(?=(?:2[5-9]|[3-9]\d|[1-9]\d\d)\b(?![.,]\d)(?=\s*(?:[,;:!?)]|\.(?!\d)|$|\s+(?:from|for|at|"
               r"in|during|between|until|till|and|or|please|pls|too|only|all|every|each|today|tonight|tomorrow|this|when|while|but|"
               r"so|dont|don't|do\s+not|(?:down|up)\s+(?:to|by))\b)))", r"\1 cell ", s)
    # a bare run of numbers after "on" names cells: "save energy on 40-45", "turn down whatever you can on 30 to 33",
    # "scooters hopping between cells on 10-12" (numbers no hour can be, or cells said before them in the clause; not
    # "on 10-12 %", "on 6-10pm", "on 8-10 in the morning")
    s = re.sub(rf"\bon\s+(\d{{1,3}})\s*(?:-|–|to|through|thru)\s*(\d{{1,3}})\b(?![.,:]\d)"
               rf"(?!\s*(?:%|percent|am\b|pm\b|a\.m|p\.m|h\b|hrs?\b|hours?\b|o'?clock|(?:{_UNIT_RE})(?![\w])))"
               r"(?P<when>\s+(?:in\s+the\s+(?:morning|afternoon|evening)|at\s+night|tonight))?",
               lambda m: (f"on cells {m[1]} to {m[2]}{m['when'] or ''}" if int(m[1]) < int(m[2]) and (
                   int(m[2]) > 24 or (not m["when"] and re.search(r"\bcells?\b[^.;:!?]*$", s[max(0, m.start() - 60):m.start()])))
                          else m[0]), s)
    # a terse line's bare run of numbers right after its objective names cells: "min HO rate 50-53 07-19h", "min energy
    # 72,73 rush hrs" (numbers no hour can be, after a KPI whose values are never such bare numbers: handovers, energy,
    # the count of active cells; not after coverage, throughput or latency, where "max cov 90-95" is a range)
    s = re.sub(r"\b((?:min|max|minimi[sz]e|maximi[sz]e)\s+(?:the\s+)?(?:handovers?(?:\s+rate)?|energy(?:\s+efficiency)?|power|"
               r"active\s+cells)\s+)(\d{2,3})\s*(-|–|,)\s*(\d{2,3})\b(?![.,:]\d)"
               rf"(?!\s*(?:%|percent|(?:{_UNIT_RE})(?![\w])))",
               lambda m: (f"{m[1]}on cells {m[2]}{' to ' if m[3] != ',' else ', '}{m[4]} "
                          if 24 < int(m[2]) < int(m[4]) <= int(m[2]) + 40 else m[0]), s)
    # users moving between two cells: "every time they ride from cell 15 into 16" names both
    s = re.sub(r"\bfrom\s+cell\s+#?(\d{1,3})\s+(?:into|onto|over\s+to|across\s+to)\s+(?:cell\s+)?#?(\d{1,3})\b(?![.,]\d)",
               r"between cells \1 and \2", s)
    # cells counted or named, then their numbers after "across": "run as few cells as possible across 50 to 53" (numbers
    # no hour can be)
    s = re.sub(rf"\b(cells\b[^.;:!?\d]{{0,40}}?\b(?:across|among|amongst)\s+)(\d{{2,3}})\s*(?:to|-|–|through|thru)\s*(\d{{2,3}})\b"
               rf"(?![.,]\d)(?!\s*(?:%|percent|am\b|pm\b|a\.m|p\.m|h\b|(?:{_UNIT_RE})(?![\w])))",
               lambda m: f"{m[1]}cells {m[2]} to {m[3]}" if 24 < int(m[2]) < int(m[3]) else m[0], s)
    # the cells' numbers in apposition after where they are: "switching off cells around the club, 3 to 6" (not a time:
    # "crowding the cells in the morning commute, 7 to 10")
    s = re.sub(rf"\bcells\s+((?:around|round|near|by|at|in|on|next\s+to|beside|outside)\s+(?:the\s+|our\s+|your\s+)?"
               rf"(?!(?:[a-z-]+\s+)?(?:morning|afternoon|evening|night|day|commute|rush|peak|shift|hours?|lunch\w*|weekends?)\b)[a-z-]+"
               rf"(?:\s+[a-z-]+)?)\s*,\s*(\d{{1,3}})\s*(?:to|-|–)\s*(\d{{1,3}})\b(?![.,:]\d)"
               rf"(?!\s*(?:%|percent|am\b|pm\b|a\.m|p\.m|h\b|hrs?\b|hours?\b|o'?clock|(?:{_UNIT_RE})(?![\w])))",
               lambda m: f"cells {m[2]} to {m[3]} {m[1]}" if int(m[2]) < int(m[3]) else m[0], s)
    # ... or with no "cells" before: "Cut energy by 25% in the evening across 40 to 43" (numbers no hour can be)
    s = re.sub(rf"\b(across|among|amongst)\s+(?:the\s+)?(\d{{2,3}})\s*(?:to|-|–|through|thru)\s*(\d{{2,3}})\b"
               rf"(?![.,]\d)(?!\s*(?:%|percent|am\b|pm\b|a\.m|p\.m|h\b|(?:{_UNIT_RE})(?![\w])))",
               lambda m: f"{m[1]} cells {m[2]} to {m[3]}" if 24 < int(m[2]) < int(m[3]) else m[0], s)
    # a cell run "at reduced power" is its transmit power, no energy goal: "the council only lets us run cell 8 at
    # reduced power"
    s = re.sub(r"\bat\s+(?:a\s+)?(reduced|low|lower|full|max(?:imum)?|minimum|min|half)\s+power\b(?!\s*(?:consumption|draw|usage|use|bill))",
               r"with \1 transmit power", s)
    # "cells 40 to 44 lost power for 2h": an outage, not the network's power
    s = re.sub(r"\b(?:lost|losing|loses)\s+(?:mains\s+|grid\s+)?power\b|\bpower\s+(?:cut|outage|failure)s?\b", "had a fault", s)
    # an outage of a system of one's own is its fault, no coverage goal: "last week's order system outage"
    s = re.sub(r"\b((?:system|server|software|app|website|web\s?site|it|till|tills|payment|booking|ordering|order|"
               r"card\s+machine|pos|epos)\s+)outages?\b", r"\1fault", s)
    # "at least 20 cells need to stay on": a count of active cells
    # ("3 cells must stay on": with no comparator of its own, a floor)
    s = re.sub(r"(?<![\w.])(\d+)\s+cells\s+(?:need\s+to|must|should|have\s+to|to|will)\s+(?:stay|remain|be\s+kept|be|keep)\s+"
               r"(?:on|active|awake|up|running|lit)\b",
               lambda m: (f"{m[1]} active cells" if re.search(r"(?:least|most|than|more|fewer|less|max\w*|min\w*|under|over|above|"
                                                             r"below|[<>=≤≥])\s*$", s[max(0, m.start() - 20):m.start()])
                          else f"at least {m[1]} active cells"), s)
    # a level reported as having moved is a state, no direction asked: "Energy bill is way up. Can we trim network
    # power by about 15 %?" (the "up" had been read as the goal, maximise energy)
    s = re.sub(r"\b(is|are|was|were|has\s+been|have\s+been)\s+(?:way|far|much|well|a\s+lot|really|so)\s+(up|down)\b",
               lambda m: f"{m[1]} {'high' if m[2] == 'up' else 'low'}", s)
    s = _active_counts(s)
    # a cell named, then referred to by its bare number: "users on cell 51 ... max the mean throughput on 51"
    named_cells = {str(c) for m in _CELLS_SAID.finditer(s) for c in _cell_numbers(m[1])}
    if named_cells:  # ... or by the bare numbers of a list: "near cells 38 and 39 ... throughput on 38 and 39"
        one = alternatives(sorted(named_cells, key=len, reverse=True))
        s = re.sub(rf"\b(on|at|in|for)\s+((?:{one})(?:\s*(?:,|and|&)\s*(?:{one}))*)\b(?![.,:]?\d)"
                   rf"(?!\s*(?:{_UNIT_RE})(?![\w]))(?!\s*(?:%|percent|am\b|pm\b|a\.m|p\.m|h\b|o'?clock))",
                   r"\1 cells \2", s)
    # a carrier frequency is no KPI value: "sleep the cells on the 2.6 GHz band" bounds no active cells
    s = re.sub(r"(?<![\w.])\d+(?:[.,]\d+)?\s*(?:ghz|mhz)\b", "carrier", s)
    s = _number_formats(s)
    # 1,500 W (not a list of cells: "cells 210,211", "cells 550,551,552")
    s = re.sub(r"(\d),(\d{3})(?!\d)", lambda m: m[0] if _LISTED.search(s[max(0, m.start() - 40):m.start() + 1])
               else m[1] + m[2], s)
    s = _unmodelled_values(_words_to_numbers(s))  # again, for values said in words ("a quarter of a millisecond")
    s = _active_counts(s)  # again, for counts said in words ("at least one has to stay up")
    s = re.sub(r"(?<![\d.]\s)(?<!\d)\bminus\s+(?=\d)", "-", s)  # "down to minus five milliseconds" (refused: no KPI is negative)
    s = _traffic_lights(_arithmetic(s))
    s = _SELF_CORRECTION.sub("", s)  # "ninety five no ninety six percent": the number said last
    s = _BOUND_CORRECTION.sub("", s)  # "no more than 12 active cells... wait, no: at least 12": the bound said last
    s = re.sub(r"\b(µj|uj|nj|pj)\s+per\s+bit\b", r"\1/bit", s)  # "0.5 µJ per bit"
    s = re.sub(r"(?<![\w.])(\d+(?:\.\d+)?)\s*per\s*mill[ei]\b", lambda m: f"{float(m[1]) / 10:g}%", s)  # "5 per mille"
    s = _before_the_ask(s)
    # shorthand after the KPI: "enrgy down 20% at nite", "mean user throughput up 10%": a relative target
    s = re.sub(r"(?<=[a-z])(?<!\bwent)(?<!\bgone)(?<!\bgoes)(?<!\bgo)(?<!\bcame)(?<!\bcome)(?<!\bwas)(?<!\bis)"
               r"(?<!\bare)(?<!\bwere)(?<!\bbeen)\s+(down|up)\s+(?:by\s+)?(\d+(?:\.\d+)?\s*(?:%|percent))",
               lambda m: f" {'cut' if m[1] == 'down' else 'raised'} by {m[2]}", s)  # not "the bill went up 18%"
    # "coverage>=92% prb_utilization<=0.8": a bound written as KPI-comparator-number ends where the next one starts
    # ("jain fi >= 0.7 + prb util <= 75%": a "+" or "&" between them, and a KPI of up to four words)
    s = re.sub(r"(?<![\w.])(\d+(?:\.\d+)?\s*(?:%|[a-z/]+)?)\s+(?:(?=[a-z_][\w()]*\s*(?:>=|<=|=>|=<|>|<)\s*\d)|[+&]\s+"
               r"(?=(?:[a-z_][\w()]*\s+){0,3}[a-z_][\w()]*\s*(?:>=|<=|=>|=<|>|<)\s*\d))", r"\1 ; ", s)
    # a negated aside in parentheses ends its clause: "Pmax only (no tilt, no CIO) for energy saving" saves energy
    s = re.sub(rf"\(([^()]*{_NEGATION}[^()]*)\)", r"(\1);", s)
    s = re.sub(r"(?<![\w.])(\d+(?:\.\d+)?)\s+(?:out\s+)?(?:of|in)\s+(?:every\s+)?(100|1000)(?![\w.%])",
               lambda m: f"{float(m[1]) * 100 / int(m[2]):g}%", s)  # "95 out of every 100 residents"
    s = re.sub(rf"\b({_ANY_NUMBER_WORD})\s+(out\s+of|in)\s+(every\s+)?({_ANY_NUMBER_WORD})\b",
               lambda m: f"{_number_value(m[1])} {m[2]} {m[3] or ''}{_number_value(m[4])}", s)  # "nine out of ten"
    # ... a share then, as the digits are ("at least nine out of ten of us ... covered" is 90 %)
    s = _OUT_OF.sub(lambda m: f"{100 * float(m[1]) / float(m[2]):g}%" if 0 < float(m[1]) <= float(m[2]) else m[0], s)
    # the people counted named between the two numbers: "19 golfers out of 20 should have a usable signal"
    s = re.sub(r"(?<![\w.])(\d+)\s+(?!(?:cells?|sites?|hours?|days?|nights?|minutes?|mins?|seconds?|packets?|ms|mbps|kw|w)\b)"
               r"([a-z]+s)\s+out\s+of\s+(?:every\s+)?(\d+)(?![\w.%])",
               lambda m: f"{int(m[1]) * 100 / int(m[3]):g}% of {m[2]}" if 0 < int(m[1]) <= int(m[3]) else m[0], s)
    s = re.sub(r"(?<![\w.])(\d+)\s+(?:out\s+of|in)\s+(?:every\s+)?(\d+)(?=\s+(?:of\s+(?:the|our)\s+)?(?:users|subscribers|"
               r"customers|devices|people|ues|residents|visitors|fans|students|calls|packets)\b)",
               lambda m: f"{int(m[1]) * 100 / int(m[2]):g}%" if 0 < int(m[1]) <= int(m[2]) else m[0], s)  # "9 out of 10 users"
    # a share of packets lost said with the verb: "must not lose more than 1 % of their packets", "loses no more than
    # 2 % of packets" is a bound on packet loss
    s = re.sub(r"\blos(?:e|es|ing)\s+((?:no\s+)?(?:more|less|fewer)\s+than|over|under|at\s+most|up\s+to)\s+"
               r"(\d+(?:\.\d+)?\s*(?:%|percent))\s+of\s+(?:its\s+|their\s+|thier\s+|the\s+|our\s+|all\s+)?"
               r"(?:packets|data|readings|traffic|messages|frames)\b", r"have packet loss \1 \2", s)
    # two ends of an event said apart: "kick-off 15:00, final whistle 17:00" is the span 15:00-17:00
    s = re.sub(r"\b(?:kick[- ]?off|starts?|begins?|doors\s+open)\s*(?:at|:)?\s*(\d{1,2}(?::\d{2})?\s*(?:am|pm)?)\s*[,;]?\s*"
               r"(?:and\s+)?(?:the\s+)?(?:final\s+whistle|ends?|finish(?:es)?|wraps?\s+up)\s*(?:at|:)?\s*"
               r"(\d{1,2}(?::\d{2})?\s*(?:am|pm)?)(?![\d:])", r"from \1 to \2", s)
    # a change said from one value to another: "efficiency dropped from 0.9 to 0.6 Mbit/J" is the state it dropped to
    s = re.sub(rf"\b({_PAST_MOVES}|increased|decreased|went\s+(?:up|down))\s+from\s+\d+(?:\.\d+)?\s*(?:%|[a-z/]+)?\s+to\s+",
               r"\1 to ", s)
    # "in the morning and evening rush hours" are the rush hours
    s = re.sub(r"\b(?:the\s+)?morning\s+and\s+evening\s+(rush(?:\s+hours?)?|peaks?|commutes?)\b",
               lambda m: "rush hours" if m[1].startswith("rush") else m[1], s)
    # ... and the morning's or the evening's rush alone is that part of them (7-10, 16-19; not the whole morning or
    # evening), unless the text says its hours ("the morning rush, 7 to 9", "morning rush = 6-9"; "between 8pm and 2am
    # we get the evening rush": a clock time in its sentence); said with "during", the rule further up has read it so
    # whatever its sentence says
    def rush_part(m: re.Match[str]) -> str:
        before = re.split(r"[.;!?\n]", m.string[:m.start()])[-1]  # the sentence's words before and after it
        after = re.split(r"[.;!?\n]", m.string[m.end():])[0]
        sentence = before + after
        rest = m.string[:m.start() - len(before)] + m.string[m.end() + len(after):]
        if re.search(r"\d\s*(?:a\.?m|p\.?m)\b|\d:\d\d|\b(?:from|between|until|till|til|after|before)\s+\d", sentence) \
                or (not re.search(_ASK_WORDS, re.sub(r"\bkeeps?\s+[a-z]+ing\b", " ", sentence)) and mentions_time(rest)):
            # ("keep timing out" tells what goes on, no ask)
            return m[0]  # (nor in a sentence that asks nothing when another says a time: "Latency spikes to 0.2 s in the
            # evening rush. Keep it under 0.05 s during peak hours" is left to the context reader)
        return " from 07:00 to 10:00 " if m[1] == "morning" else " from 16:00 to 19:00 "
    s = re.sub(r"\b(?:the\s+|our\s+|its\s+)?(morning|evening)(?:'s)?\s+(?:rush|commute)(?:[- ]hours?)?\b"
               r"(?!\s*(?:[:=(]|is\b|means\b|runs\b|,?\s*(?:from\s+|between\s+)?\d))", rush_part, s)
    # an hour list said with "and": "in hours 2, 3 and 4"
    s = re.sub(r"\bhours\s+(\d{1,2}(?:\s*,\s*\d{1,2})*)\s*,?\s*(?:and|&)\s*(\d{1,2})\b(?!\s*(?::|am|pm|a\.m|p\.m|h\b))",
               lambda m: "hours " + ", ".join(f"{int(h)}-{int(h)}" for h in [*re.findall(r"\d+", m[1]), m[2]]), s)
    # a discourse marker is no goal: "More precisely: minimise active cells" ("more" would raise them)
    s = re.sub(r"\b(?:or\s+|to\s+be\s+)?more\s+(precisely|specifically|exactly|concretely|importantly)\b", r"\1", s)
    # "make the signal reach more people" asks for coverage ("reach" would be read as a comparator first)
    s = re.sub(r"\b(?:the\s+)?(?:signal|coverage)\s+reach(?:es)?\s+more\s+(?:people|users|customers|homes|streets)\b",
               "more coverage", s)
    # cells given in apposition: "the downtown cells, 2 to 6, in the afternoon" are cells 2 to 6
    s = re.sub(r"\bcells\s*,\s*(\d+\s*(?:to|-|–|through|thru)\s*\d+)\s*([,.;]|$)", r"cells \1\2", s)
    # ... and listed: "on the busiest cells, 7, 12 and 19, by rebalancing"
    s = re.sub(r"\bcells\s*,\s*(\d{1,3}(?:\s*,\s*\d{1,3})*\s*(?:,\s*)?(?:and|&)\s*\d{1,3})(?!\d|[.,]\d)(?!\s*(?:%|[a-z]{1,4}\b(?<!and)))",
               r"cells \1", s)
    # the two cells a handover bounces between: "ping pong between 47/48"
    s = re.sub(r"\b((?:ping[- ]?pong\w*|handovers?|hand-?offs?|bounc\w*|flip[- ]?flop\w*)\s+between)\s+(?:cells?\s+)?"
               r"(\d{1,3})\s*(?:/|and|&)\s*(\d{1,3})\b(?![\d.%])"
               # (not a rate's range: "keep handovers between 2 and 5 per hour")
               r"(?!\s*(?:a\.?m|p\.?m|o'?clock|h\b|in\s+the\s+(?:morning|afternoon|evening)|at\s+night|tonight|per\b|an?\s+(?:hour|minute|min)\b|"
               r"/\s*(?:h|hr|hour|min|minute|user|ue)\b|times\b))",
               r"\1 cells \2 and \3", s)
    # a knob's setting now said in brackets after it: "pwr (43 dBm now) + tilt only" lists power and tilt
    s = re.sub(r"\(\s*-?\d+(?:\.\d+)?\s*(?:dbm|db|deg|degrees?|°)\s*(?:now|currently|today|at\s+present)?\s*\)", " ", s)
    # "turning down transmit power" lowers a knob; it switches no cell off
    s = re.sub(r"\bturn(?:s|ed|ing)?\s+down\s+(?=(?:the\s+|its\s+|their\s+)?(?:(?:transmit|tx|output|radiated|antenna)\s+)?power\b)",
               "lowering ", s)
    # a bare clock span in brackets after the hours it gives: "during lectures (9 to 5)", "office hours (8-6)"
    s = re.sub(r"(\b(?:during|lectures?|class(?:es)?|shifts?|hours|working|opening|office|daytime|business|sessions?)\b"
               r"[^.;()\d]{0,25}\()\s*(\d{1,2})\s*(?:to|-|–|until|till)\s*(\d{1,2})\s*\)",
               lambda m: f"{m[1]}from {m[2]} to {m[3]})" if int(m[2]) <= 24 and int(m[3]) <= 24 else m[0], s)
    # a span opened with no preposition: "(during the shifts,) 6 in the morning to 10 at night"
    s = re.sub(r"(?<![\w.:])(?<!\bfrom\s)(?<!\bbetween\s)(?=\d{1,2}\s+(?:o'?clock\s+)?(?:in\s+the\s+(?:morning|afternoon|evening)|at\s+night)\s+"
               r"(?:to|until|till|through)\s+\d{1,2}\s+(?:o'?clock\s+)?(?:in\s+the\s+(?:morning|afternoon|evening)|at\s+night))",
               "from ", s)
    s = _DAY_PART_TIME.sub(_day_part_time, s)  # "from 8 in the evening until 6 in the morning"
    s = _DAY_SPAN_BEFORE.sub(_day_span, s)
    s = _DAY_SPAN_AFTER.sub(_day_span, s)
    s = _LEAD_SPAN.sub(_lead_span, s)
    s = _BARE_SPAN.sub(_between_span, s)
    s = _referred_span(s)
    s = _window_definitions(_opening_hours(_slot_between_events(s)))
    s = re.sub(r"\bp\s+(\d{1,2})\b(?!\s*(?:%|percent))", r"p\1", s)  # "p ninety five delay"
    s = _bare_mean(s)
    return re.sub(r"\s+", " ", s).strip()


#: "the mean" said alone as what to improve, of the one KPI family the text gives a mean of
_BARE_MEAN = re.compile(r"\b((?:improve|raise|increase|boost|maximi[sz]e|lift|push\s+up|reduce|lower|cut|minimi[sz]e|bring\s+down)\s+"
                        r"the)\s+(mean|average)\b(?=\s*(?:[.;,!?]|$|as\s+(?:far|much|high|low)|(?:even\s+)?(?:further|more)|too\b))")
_THROUGHPUT_SAID = re.compile(r"\b(?:throughput|tput|speeds?|data\s+rates?|\d+(?:\.\d+)?\s*(?:[kmg]bps|[kmg]bit/s))\b")
_LATENCY_SAID = re.compile(r"\b(?:latency|latencies|delays?|lag|ping|\d+(?:\.\d+)?\s*ms)\b")


def _mean_of_family_before(m: re.Match[str]) -> str:
    """"its mean" named by the KPI family said last before it (latency or throughput); unchanged after neither."""
    said = re.findall(r"\b(latency|delay|throughput|speed)", m.string[:m.start()])
    if not said:
        return m[0]
    return f"{m[1]} {m[2]} {'latency' if said[-1] in ('latency', 'delay') else 'throughput'}"


def _bare_mean(s: str) -> str:
    """"5th percentile throughput at least 6 Mbps and mean at least 20 Mbps. Improve the mean as far as you can": the
    mean of the one family the text names (throughput or latency); left as said when it names both or neither."""
    m = _BARE_MEAN.search(s)
    if m is None:
        return s
    families = [w for w, said in (("throughput", _THROUGHPUT_SAID), ("latency", _LATENCY_SAID)) if said.search(s)]
    if len(families) != 1:
        return s
    return s[:m.end()] + f" {families[0]}" + s[m.end():]


_CLOCK = r"(?:\d{1,2}(?:[:.]\d{2})?\s*(?:am|pm|a\.m\.|p\.m\.|h)?|noon|midday|midnight)"
#: opening hours stated ("the mall opens at 9am and closes at 10pm", "open from 7 am to 11 pm", "opening hours are
#: 08:00-20:00"): a venue's, a site's, a shop's
_OPEN_HOURS = re.compile(
    # (what opens may be named between: "We open the vaccination clinic at 8am and close at 6pm")
    rf"\b(?:opens?(?:\s+(?:the|our|its|their)(?:\s+[a-z'-]+){{1,3}}?)?|opening|doors\s+open|gates\s+open)\s+(?:at\s+)?"
    rf"(?P<a>{_CLOCK})\s*(?:,|and|but)?\s*(?:it\s+|they\s+|then\s+|we\s+)?"
    rf"(?:closes?|closing|shuts?|shutting)(?:\s+(?:it|them|(?:the|our|its|their)(?:\s+[a-z'-]+){{1,3}}?))?\s+(?:at\s+)?"
    rf"(?P<b>{_CLOCK})"
    rf"|\b(?:(?:is|are)\s+)?open(?:ing\s+hours(?:\s+are)?)?\s*:?\s*(?:from|between)?\s*(?P<a2>{_CLOCK})\s*(?:-|–|to|till|until|and)\s*"
    rf"(?P<b2>{_CLOCK})"
    # closed first: "we close at 8pm and open again at 9am"
    rf"|\b(?:closes?|closing|shuts?|shutting|locks?\s+up|locking\s+up)\s+(?:at\s+)?(?P<b3>{_CLOCK})\s*(?:,|and|but)?\s*(?:we\s+|it\s+|they\s+|then\s+)?"
    rf"(?:(?:re-?)?(?:opens?|opening)\s+(?:again\s+|back\s+up\s+)?(?:at\s+)?"
    # (or nobody in until then: "We shut at 6 and nobody's in until 8am")
    rf"|(?:nobody|no\s*-?\s*one)(?:'s|\s+is|\s+comes?|\s+gets?)?\s+(?:(?:in|here|back|around|on\s+site)\s+)?(?:until|till|til)\s+"
    # (or back in then: "Yard shuts at 5:00 pm and we're back in at 6:00 am")
    rf"|(?:we'?re|we\s+are|they'?re|they\s+are|staff\s+(?:are|come|get)|everyone'?s|everyone\s+is|(?:we|they)\s+(?:come|get))\s+"
    rf"back(?:\s+in|\s+on\s+site)?\s+(?:at\s+|from\s+)?)"
    rf"(?P<a3>{_CLOCK})")
#: after "close at X and open again at Y": the hours in between are the closed ones
_IN_BETWEEN = re.compile(r"\b(?:in\s+between|in\s+the\s+meantime|meanwhile|between\s+(?:those|these|the\s+two)(?:\s+(?:times|hours))?|"
                         r"(?:in|during|over|for|across|throughout)\s+(?:that|this)\s+(?:time|window|gap))\b")
#: the hours said as the venue being closed or open ("while it's closed", "outside opening hours", "after closing")
_CLOSED_TIME = re.compile(r"\b(?:while|when|whenever|whilst)\s+(?:it'?s|it\s+is|we'?re|we\s+are|they'?re|they\s+are|"
                          r"(?:the\s+)?[a-z]+\s+(?:is|are))\s+(?:closed|shut)\b|\boutside\s+(?:of\s+)?(?:its\s+|our\s+|the\s+|"
                          r"their\s+)?(?:opening|trading|shop|store|visiting)\s+hours\b|\boutside\s+(?:of\s+)?(?:those|these|them|that|"
                          r"such)(?:\s+(?:opening\s+)?(?:hours|times))?\b|\b(?:after|once\s+it)\s+closes?\b(?!\s+at)"
                          r"|\bafter\s+closing(?:\s+time)?\b|\bclosing\s+hours\b")
_OPEN_TIME = re.compile(r"\b(?:while|when|whenever|whilst)\s+(?:it'?s|it\s+is|we'?re|we\s+are|they'?re|they\s+are|"
                        r"(?:the\s+)?[a-z]+\s+(?:is|are))\s+open\b|\bduring\s+(?:its\s+|our\s+|the\s+|their\s+)?"
                        r"(?:opening|trading|shop|store|visiting)\s+hours\b")
#: the span referred back: "Gates open at 10am and we close the arena at 11pm. Across that whole period ..." (the hours
#: open), "we close at 7pm and nobody's in till 7 next morning. ... over that stretch" (the hours closed)
_SPAN_REFERRED = re.compile(r"\b(?:across|over|during|for|throughout)\s+(?:that|this|the)\s+(?:whole\s+|entire\s+)?"
                            r"(?:period|stretch|span)\b")


def _opening_hours(s: str) -> str:
    """Hours said through stated opening hours: "opens at 9am and closes at 10pm. While it's closed, cut energy" is
    from 10 pm to 9 am ("while it's open", "during opening hours": from 9 am to 10 pm). The statement of the opening
    hours then says no hours of its own."""
    m = _OPEN_HOURS.search(s)
    if m is None or not (_CLOSED_TIME.search(s) or _OPEN_TIME.search(s) or _SPAN_REFERRED.search(s, m.end())
                         or (m["b3"] is not None and _IN_BETWEEN.search(s, m.end()))):
        return s
    a, b = m["a"] or m["a2"] or m["a3"], m["b"] or m["b2"] or m["b3"]
    if re.fullmatch(r"\d{1,2}", b.strip()) and (open_at := re.fullmatch(r"(\d{1,2})(?::\d{2})?\s*(?:am|a\.m\.)?", a.strip())) \
            and 1 <= int(b) <= 11 and int(b) <= int(open_at[1]):
        b = b.strip() + "pm"  # "we shut at 6 and open at 8am": a close before the opening on the clock is the evening's
    closed, open_ = f" from {b} to {a} ", f" from {a} to {b} "
    edits = [(x.start(), x.end(), closed) for x in _CLOSED_TIME.finditer(s)]
    edits += [(x.start(), x.end(), open_) for x in _OPEN_TIME.finditer(s)]
    edits += [(x.start(), x.end(), closed if m["b3"] is not None else open_) for x in _SPAN_REFERRED.finditer(s, m.end())]
    if m["b3"] is not None:
        edits += [(x.start(), x.end(), closed) for x in _IN_BETWEEN.finditer(s, m.end())]
    # the statement says no hours of its own; one that overlaps its own reference ("during opening hours 10:00-22:00")
    # is that reference's span (every edit is made on the text as found, right to left, so no position shifts)
    touching = [e for e in edits if e[0] < m.end() and m.start() < e[1]]
    edits = [e for e in edits if e not in touching]
    if touching:
        edits.append((min(m.start(), *(e[0] for e in touching)), max(m.end(), *(e[1] for e in touching)), touching[0][2]))
    else:
        edits.append((m.start(), m.end(), " opening hours stated "))
    for start, end, text in sorted(edits, reverse=True):
        s = s[:start] + text + s[end:]
    return s


#: a start said with "from" and an end said as an event's time, then the slot between referred back: "Drivers sign on
#: from 04:00 and the first coaches leave at 07:00. In that slot, ..." is 04:00-07:00 (it read from 04:00 to midnight)
_FROM_THEN_EVENT = re.compile(rf"\bfrom\s+(?P<a>{_CLOCK})\s*,?\s+(?:and|but|while|until|till)\s+(?:[a-z'-]+\s+){{1,6}}?"
                              rf"(?:at|by|around)\s+(?P<b>{_CLOCK})(?![\w:]|\.\d)")
_SLOT_REFERRED = re.compile(r"\b(?:in|during|over|for|across|throughout|within)\s+(?:that|this|those|these)\s+(?:whole\s+)?"
                            r"(?:slot|window|gap|time|period|stretch|span|hours)\b|\bin\s+between\b|\bbetween\s+(?:those|these|the\s+two)"
                            r"(?:\s+(?:times|hours))?\b")


def _slot_between_events(s: str) -> str:
    m = _FROM_THEN_EVENT.search(s)
    if m is None or not any(c.isdigit() for c in m["a"] + m["b"]):
        return s
    refs = list(_SLOT_REFERRED.finditer(s, m.end()))
    if not refs:
        return s
    span = f" from {m['a'].strip()} to {m['b'].strip()} "
    for r in reversed(refs):
        s = s[:r.start()] + span + s[r.end():]
    return s[:m.start()] + " the events' times stated " + s[m.end():]


#: a named window the text defines ("afternoon = 12 to 6", "evening peak: 17 to 23"): read as that clock span, and the
#: window's name elsewhere in the text as the same span (not the default window as well)
_WINDOW_DEFINITION = re.compile(r"\b(?P<name>(?:morning|evening)\s+rush|morning|afternoon|evening(?:\s+peak)?|night|lunch(?:time)?|"
                                r"peak(?:\s+hours)?|rush\s+hours?|business\s+hours|daytime|off-?peak)\s*(?:=|:|means|is)\s*"
                                r"(?P<a>\d{1,2})(?::00)?\s*(?:to|-|till|until)\s*(?P<b>\d{1,2})(?::00)?"
                                r"(?!\s*(?:a\.?m|p\.?m|h\b|%|ms\b|mbps|kw|w\b|per\b|cells?\b|users?\b)|\.\d|:\d)")
_WINDOW_KEYS = {"peak hours": "peak", "rush hour": "rush_hours", "rush hours": "rush_hours", "lunchtime": "lunch",
                "off-peak": "night", "offpeak": "night", "morning rush": "rush_hours", "evening peak": "peak"}
_LATE_WINDOWS = ("afternoon", "evening", "evening peak", "evening rush", "peak", "peak hours", "night")


def _window_definitions(s: str) -> str:
    for m in list(_WINDOW_DEFINITION.finditer(s)):
        a, b = int(m["a"]), int(m["b"])
        if a > 24 or b > 24:
            continue
        name = m["name"]
        if name in _LATE_WINDOWS and name != "night":  # "afternoon = 12 to 6": 12:00 to 18:00
            a, b = (a + 12 if a < 12 else a), (b + 12 if b <= 12 and b + 12 > a else b)
        elif name == "night" and a < 12 and a >= 6:  # "night = 10 to 6": 22:00 to 06:00
            a += 12
        standard = WINDOWS.get(_WINDOW_KEYS.get(name, name.replace(" ", "_")))
        if standard is not None and standard == (a % 24, b % 24 or 24):
            s = s[:m.start()] + " " + s[m.end():]  # the default window, said again: nothing to change
            continue
        span = f"from {a % 24:02d}:00 to {b % 24:02d}:00"
        rest = re.sub(rf"\b{re.escape(name)}\b", " ", s[:m.start()] + "\x01" + s[m.end():])
        s = rest.replace("\x01", span)
    return s


#: a clock time with its own day part after a time preposition ("until 6 in the morning", "between 10 at night and 6 in
#: the morning"); "between 1 and 5 in the morning" is left to the clock reader, which marks the whole span
_DAY_PART_TIME = re.compile(r"\b(from|until|till|til|to|at|after|before|since|between|and|around|about|roughly)\s+(\d{1,2})\s+(?:o'?clock\s+)?(?:(?:in\s+the|the\s+next|"
                            r"the\s+following|next|tomorrow|each|every)\s+(morning|afternoon|evening)|at\s+(night))\b")


#: a bare span of hours beside the day it is on: "for the keynote tomorrow, 10 to 11", "between 10 and 12 today" (no
#: unit after the second number: "today, 10 to 12 Mbps" is a range of values)
_DAY_SPAN_NEXT = rf"(?!\d|:\d|\.\d|\s*(?:%|a\.?m|p\.?m|o'?clock|h\b|{_UNIT_RE})(?![\w]))"
_DAY_SPAN_BEFORE = re.compile(rf"\b(?P<day>today|tomorrow|after\s+school|after\s+work|before\s+(?:they|we|it)\s+opens?|before\s+opening)\s*,?\s*(?:from\s+|between\s+)?(?P<a>\d{{1,2}})\s*(?:to|-|–|till|"
                              rf"until|and)\s*(?P<b>\d{{1,2}}){_DAY_SPAN_NEXT}")
#: a bare span with its preposition ("between 2 and 12"), read as clock hours only where something says they are
_BARE_SPAN = re.compile(rf"\b(?:from|between)\s+(?P<a>\d{{1,2}})\s*(?:to|-|–|till|until|and)\s*(?P<b>\d{{1,2}}){_DAY_SPAN_NEXT}")
_DAY_SPAN_AFTER = re.compile(_BARE_SPAN.pattern + r"(?=\s*,?\s*(?P<day>today|tomorrow|after\s+school|after\s+work)\b"
                                                  r"(?!\s+(?:morning|afternoon|evening|night)))")  # (its part said: `_DAY_PART`)
#: a bare span that opens its sentence, an order right after it ("Between 8 and 12 don't let coverage fall under 97%"):
#: no KPI stands before it for it to bound, so it gives the hours
_LEAD_SPAN = re.compile(r"(?:^|(?<=[.;!?]\s)|(?<=\n))" + _BARE_SPAN.pattern
                        + r"(?=\s*,?\s+(?:please\s+|pls\s+|(?:can|could)\s+you\s+|(?:we|i)\s+need\s+you\s+to\s+)?"
                          r"(?:don'?t|do\s+not|never|keep|make|get|cut|reduce|lower|raise|boost|improve|maximi[sz]e|"
                          r"minimi[sz]e|hold|ensure|push|bring|save|let|stop|avoid|prioriti[sz]e)\b)")


def _lead_span(m: re.Match[str]) -> str:
    """The span that opens its sentence as clock times: on a 24-hour clock ("Between 13 and 17"), or a working day's
    hours ("Between 8 and 12" is 08-12, "From 9 to 5" 09-17); one that starts before 6 ("Between 2 and 5": the small
    hours or the afternoon) is left as it was."""
    a, b = int(m["a"]), int(m["b"])
    if 12 < b <= 24 and 0 <= a < b:
        pass
    elif 6 <= a <= 12 and 1 <= b <= 12 and a != b:
        b = b if a < b else b + 12
    else:
        return m[0]
    return f"from {a:02d}:00 to {b:02d}:00"


#: the cells named just before a bare span, as its own numbers could be ("sleep the cells between 10 and 20"); not cells
#: counted or referred back to ("on those two cells between 6 and 12", whose numbers a range of seven cannot be)
_CELLS_BEFORE_SPAN = re.compile(r"(?<!\d\s)(?<!\bboth\s)(?<!\bthose\s)(?<!\bthese\s)(?<!\btwo\s)(?<!\bthree\s)\bcells?\s*$")
#: a part of the day said in the sentence of a bare span, which the span's reading on a 12-hour clock needs
#: ("this evening from 6 until 10", "from 6 to 9 in the evening")
_DAY_PART_SAID = re.compile(r"\b(?:morning|afternoon|evening|night|tonight|overnight|lunch\w*|midday|noon|midnight|dawn|dusk|"
                            r"am|pm|a\.m|p\.m)\b")
#: a KPI other than the energy in the clause before a span
_OTHER_KPI_BEFORE = re.compile(r"\b(?:coverage|throughput|latency|delay|ping|handovers?|prb|utili[sz]ation|loss|fairness|speeds?|"
                               r"active|efficien\w*|mbps|ms)\b")


def _between_span(m: re.Match[str]) -> str:
    """A bare span said with "between" and no unit, as clock times (as `_lead_span` reads one), where no bound can be
    meant: after the energy asked for, with no other KPI in the clause ("save power on those two cells between 6 and
    12" is 06-12; a floor of 6 W and a ceiling of 12 W on a network's energy are no bounds anyone means), or in a
    sentence that names no KPI and counts nothing after the span ("Our fitters are on the road between 8 and 11
    delivering re-covered suites" is 08-11; not "between 8 and 11 vans"). Left as it was when cells are named right
    before it ("cells between 10 and 20") or a part of the day is said in its sentence (which says the half of the
    day, read elsewhere: "this evening between 6 and 10"). Also a span right before the colon that opens the ask, no
    KPI in its clause ("make things better for the customers' phones between 9 and 12: average throughput up"). ("from 6 to 12" is read as a span by the clock reader, which
    says how it read it.)"""
    before, after, sentence = m.string[:m.start()], m.string[m.end():], _sentence_of(m)
    if not m[0].startswith("between") or _CELLS_BEFORE_SPAN.search(before) or _DAY_PART_SAID.search(sentence):
        return m[0]
    clause = re.split(r"[.;!?,:]", before)[-1]
    after_energy = re.search(r"\b(?:energy|power|electricity|consumption)\b", clause) is not None \
        and not _OTHER_KPI_BEFORE.search(clause)
    no_kpi = not re.search(_KPI_WORDS, sentence) and not re.match(r"\s+[a-z]+s\b", after)
    before_ask = re.match(r"\s*:", after) is not None and not re.search(_KPI_WORDS, clause)
    return _lead_span(m) if after_energy or no_kpi or before_ask else m[0]


def _sentence_of(m: re.Match[str]) -> str:
    """The sentence the match stands in."""
    return (re.split(r"[.;!?\n]\s", m.string[:m.start()])[-1] + m[0]
            + re.split(r"[.;!?\n](?:\s|$)", m.string[m.end():])[0])


def _day_span(m: re.Match[str]) -> str:
    """The bare span as clock times: a working day's hours read on a 12-hour clock ("10 to 11", "between 2 and 4
    today" is 14-16, "after school, 3 till 6" 15-18); unchanged when no reading fits ("tonight from 1 to 6" is read elsewhere, as the small hours)."""
    a, b = int(m["a"]), int(m["b"])
    if not (1 <= a <= 12 and 1 <= b <= 12) or a == b or re.search(r"\b(?:cells?|sites?|ids?)\s*$", m.string[:m.start()]):
        return m[0]  # (cells: "keep the cells between 10 and 12 today at low power")
    if a <= 5 or m["day"].startswith("after"):  # ("tomorrow from 6 to 10" is the morning; after school, the afternoon)
        a, b = a + 12 if a < 12 else a, b + 12 if b < 12 else b
    elif b < a:
        b += 12  # "10 to 2": into the afternoon
    if not a < b <= 24:
        return m[0]
    prefix = m[0][:m.start("a") - m.start()]
    if m.re is _DAY_SPAN_BEFORE:
        prefix = re.sub(r"(?:from|between)\s+$", "", prefix)
        return f"{prefix}from {a:02d}:00 to {b:02d}:00"
    return f"from {a:02d}:00 to {b:02d}:00"


_SAID_CLOCK = re.compile(r"(?<![\d.:])(\d{1,2})(?::\d\d)?\s*(a\.?m|p\.?m)\b|\b(noon|midday|midnight)\b")


def _span_in_day_part(m: re.Match[str]) -> str:
    """A bare span after a part of the day said before it, in its half of the day: "On theory test mornings we get 40
    candidates ... Between 7 and 12, please maximise ..." is 07-12; "Saturday afternoons ... from 2 to 5" 14-17."""
    a, b = int(m["a"]), int(m["b"])
    before = m.string[:m.start()]
    if not 1 <= a < b <= 12 or _CELLS_BEFORE_SPAN.search(before) or re.match(
            r"\s*(?:in\s+the\s+(?:morning|afternoon|evening)|at\s+night|tonight|this\s+(?:morning|afternoon|evening))\b",
            m.string[m.end():]):
        return m[0]  # (the span's own part of the day after it is read elsewhere: "between 6 and 8 in the evening")
    # (or the meal of that part of the day: "We serve dinner from 5 till 7" is 17-19)
    if re.search(r"\b(?:mornings?|breakfast)\b", before) and not re.search(
            r"\b(?:afternoons?|evenings?|nights?|dinner|supper)\b", before) and a >= 5:
        return f"from {a:02d}:00 to {b:02d}:00"
    if re.search(r"\b(?:afternoons?|evenings?|dinner|supper)\b", before) and not re.search(
            r"\b(?:mornings?|breakfast)\b", before) and b <= 11:
        return f"from {a + 12:02d}:00 to {b + 12:02d}:00"
    return m[0]


def _referred_span(s: str) -> str:
    """A bare span whose two ends are clock times said before it: "After we lock up at 2am nobody is in until noon.
    Cut the energy between 2 and 12" is 02:00-12:00 (it read a floor of 2 W and a ceiling of 12 W on the energy)."""
    said: dict[int, int] = {}  # the hour on a 12-hour dial -> the hour of the day said
    for c in _SAID_CLOCK.finditer(s):
        if c[3]:
            hour = 0 if c[3] == "midnight" else 12
        else:
            h = int(c[1])
            if not 1 <= h <= 12:
                continue
            hour = h % 12 + (12 if c[2].startswith("p") else 0)
        said.setdefault(hour % 12, hour)
    if not said:
        return _BARE_SPAN.sub(_span_in_day_part, s)

    def span(m: re.Match[str]) -> str:
        a, b = int(m["a"]), int(m["b"])
        if not (1 <= a <= 12 and 1 <= b <= 12) or a == b \
                or not _SAID_CLOCK.search(s, 0, m.start()) or re.search(r"\bcells?\s*$", s[:m.start()]):
            return m[0]
        if a % 12 not in said:
            # only the end said before: "Courier comes at 4pm so from 1 to 4 we're printing labels" is 13-16, the
            # start on the end's half of the day
            if b % 12 not in said or not (a < b and said[b % 12] - (b - a) >= 0 and said[b % 12] % 12 == b % 12) \
                    or re.search(r"\b(?:latency|delay|throughput|speeds?|coverage|loss|handovers?|fairness|energy|power|"
                                 r"utili[sz]ation|load|prbs?|index|rate|kpi)\s+(?:\w+\s+)?$", s[max(0, m.start() - 40):m.start()]):
                return m[0]  # (not a range of values: "we close at 5pm. Keep latency between 2 and 5")
            return f"from {said[b % 12] - (b - a):02d}:00 to {said[b % 12]:02d}:00"
        if b % 12 not in said:
            # only the start said before: "usually starting at 6am ... Between 6 and 11 I'm uploading" is 06-11, the
            # end on the start's half of the day
            if not (a < b and said[a % 12] + b - a <= 24 and (len(said) == 1 or said[a % 12] % 12 == a % 12)):
                return m[0]
            return f"from {said[a % 12]:02d}:00 to {(said[a % 12] + b - a) % 24:02d}:00"
        return f"from {said[a % 12]:02d}:00 to {said[b % 12]:02d}:00"
    return _BARE_SPAN.sub(span, s)


#: a clock time as said ("17:00", "5pm", "5 p.m.")
_CLOCK_SAID = re.compile(r"(?<![\d.:])(\d{1,2}:\d{2}|\d{1,2}\s*(?:a\.?m\.?|p\.?m\.?))(?![\d:])")
#: "keep it under that", "keep the 95th percentile latency below that": a verb, what it keeps, a comparator and "that"
#: ("Under that, max ...", "stay under that" say "within that limit", read elsewhere)
_LEVEL_REFERRED_BACK = re.compile(r"\b((?:(?:keep|get|bring|hold|push)(?:s|ing)?\s+(?:it|them|(?:the\s+)?[a-z0-9-]+(?:\s+[a-z0-9-]+){0,3}?)|"
                                  # "make sure the 95th percentile latency stays under that"
                                  r"(?:make\s+sure|ensure)\s+(?:that\s+)?(?:it|they|(?:the\s+)?[a-z0-9-]+(?:\s+[a-z0-9-]+){0,3}?)\s+"
                                  r"(?:stays?|remains?|is|are))"
                                  r"\s+(?:under|below|beneath|above|over|at\s+most|at\s+least|no\s+more\s+than|no\s+less\s+than))"
                                  r"\s+(?:that|this)(?:\s+(?:level|value|figure|mark|number))?\b"
                                  r"(?!\s*(?:\d|\.\d|%|[a-z]+\s+(?:of|is|was)\b))")
_LEVEL_SAID = re.compile(r"(?<![\w.,])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)\s*(%|percent|ms|milliseconds|s|secs?|seconds|[kmg]bps|[kmg]bit/s|kw|w)(?![\w/])")


#: users named with their slice in brackets: "Telemetry (mMTC) and the ops tablets (eMBB) share cell 22"
_SLICE_ALIAS = re.compile(r"\b([a-z][a-z-]{2,})\s*\(\s*(urllc|embb|mmtc)(?:\s+slice)?\s*\)")
#: words before a bracketed slice that are no name of users ("latency (urllc)", "the slice (embb)")
_NO_ALIAS = frozenset({"slice", "slices", "traffic", "latency", "delay", "throughput", "loss", "coverage", "energy",
                       "fairness", "handovers", "utilisation", "utilization", "prb", "speed", "speeds", "percentile",
                       "cell", "cells", "users", "devices", "the", "and", "for", "on", "of", "to", "in"})


def _slice_aliases(s: str) -> str:
    """"Telemetry (mMTC) and the ops tablets (eMBB) share cell 22. Keep the telemetry's packet loss ... maximise the
    tablets' 5th-percentile throughput": users named with a slice are that slice where they are named again."""
    for m in list(_SLICE_ALIAS.finditer(s))[::-1]:
        word, sl = m[1], m[2]
        if word in _NO_ALIAS or word in SLICES:
            continue
        named = f"the {sl} slice"

        def as_slice(a: re.Match[str], named: str = named) -> str:
            return named + ("'s" if a[1] or a[2] else "")

        s = s[:m.end()] + re.sub(rf"\bthe\s+{re.escape(word)}(?:('s|s')|(?<=s)('))?(?![\w'-])", as_slice, s[m.end():])
    return s


#: the whole day said (the lexicon's words for the all-day window, and "day and night")
_ALL_DAY_SAID = re.compile(r"\b(?:" + "|".join(w.pattern for w in LEXICON.windows if w.name == "all_day")
                           + r"|day\s+and\s+night)\b")
#: what asks in a sentence, or names what is asked: a request, a verb of the lexicon (goal or guard), a KPI word of it
_ASK_WORDS = (r"\b(?:please|pls|can\s+you|could\s+you|need\w*|want\w*|must|should|ensure|get|make|push\w*|bring|"
              r"drop|cap|aim|target|do\s+(?:it|this|that))\b|" + "|".join(rf"\b(?:{v})\b" for v, _ in _VERBS))
_KPI_WORDS = "|".join(rf"\b(?:{k})\b" for k, _, _ in _PRE_KNOB_KPI_PATTERNS + _KPI_PATTERNS)
_ASKS = re.compile(f"{_ASK_WORDS}|{_KPI_WORDS}")
#: a sentence that asks for the hours it says: a request or a verb of the lexicon, or a KPI with a bound (not a state:
#: "We're on call 24/7 and the app's p95 latency is about 300ms at peak. Reduce it to 150 ms during peak hours")
_ASKS_FOR_HOURS = re.compile(rf"{_ASK_WORDS}|(?=.*(?:{_KPI_WORDS}))(?=.*(?:\b(?:under|over|below|above|at\s+least|at\s+most|"
                             r"no\s+(?:more|less|lower|higher)\s+than|max(?:imum)?|min(?:imum)?|up\s+to)\s*\d|[<>≤≥]\s*\d|"
                             r"\d[^.;!?]{0,12}?\bor\s+(?:more|less|better|above|below|higher|lower)\b))")


def _sentence_spans(s: str) -> list[re.Match[str]]:
    """The sentences of `s` as matches (positions in `s`): an abbreviation's dot ("e.g.", "a.m.") and a decimal point
    end none."""
    scan = re.sub(r"\b(?:i\.e|e\.g|etc|approx|vs|a\.m|p\.m)\.|(?<=\d)\.(?=\d)", lambda a: a[0].replace(".", "_"), s)
    return list(re.finditer(r"[^.!?\n]+(?:[.!?\n]|$)", scan))  # (the scan has the length of s)


def _context_all_day(s: str) -> str:
    """"Our webcams stream to the website all day. Push eMBB mean throughput up by 30% in business hours": a sentence
    that only tells what goes on all day is context when another sentence asks for other hours."""
    sentences = _sentence_spans(s)
    if len(sentences) < 2:
        return s
    windows = re.compile(rf"\b(?:{_WINDOW_WORDS})(?![\w])|\d\s*(?:am|pm)\b|\b\d{{1,2}}:\d{{2}}\b|\b(?:from|between)\s+\d")
    for m in reversed(sentences):
        said = s[m.start():m.end()]
        # (a KPI named with no level asks nothing: "the handhelds roam around the site all day and the handovers are
        # silly. Cut handovers ... during business hours")
        if not _ALL_DAY_SAID.search(said):
            continue
        if _ASKS_FOR_HOURS.search(said):
            # the statement before a consequence asked: "Artists take card payments all day, so keep URLLC packet loss
            # below 0.1%" (the day of the event said elsewhere: "Fri-Sun, 10:00 to 22:00")
            so = re.search(r",\s+so\s+", said)
            if so is None or not _ALL_DAY_SAID.search(said[:so.start()]) or _ASKS_FOR_HOURS.search(said[:so.start()]):
                continue
            elsewhere = s[:m.start()] + " " + said[so.start():] + " " + s[m.end():]
            if any(not _ALL_DAY_SAID.fullmatch(w[0].strip()) for w in windows.finditer(_ALL_DAY_SAID.sub(" ", elsewhere))):
                s = s[:m.start()] + _ALL_DAY_SAID.sub("then", said[:so.start()]) + said[so.start():] + s[m.end():]
            continue
        elsewhere = s[:m.start()] + " " + s[m.end():]
        if any(not _ALL_DAY_SAID.fullmatch(w[0].strip()) for w in windows.finditer(_ALL_DAY_SAID.sub(" ", elsewhere))):
            s = s[:m.start()] + _ALL_DAY_SAID.sub("then", said) + s[m.end():]
    return s


#: an ask for now, said at the end of its clause ("Can you cut power now?", "drop it right now, please")
_ASKED_NOW = re.compile(r"\b(?:cut|reduce|lower|drop|save|raise|boost|improve|fix|sort|change|do|apply|start|get|bring|push|"
                        r"minimi[sz]e|maximi[sz]e|increase|decrease)\b[^.;!?]{0,60}?\b(?:right\s+)?now\b"
                        r"(?=\s*(?:[?.!,;]|please\b|pls\b|thanks\b|$))|^\W*(?:right\s+)?now\W+(?:please|pls)\b")


def _context_hours(s: str) -> str:
    """"Could you reduce p95 latency ... during the morning? Blasts are always before noon.": the hours of a sentence
    that asks nothing are context when a sentence that asks gives its own hours whole (a window, or a span with both
    ends) and points nowhere back ("then", "after that", "till then" keep them). `_context_all_day` is the all-day
    case, which needs no asking sentence (the whole day said aside is never the window asked)."""
    sentences = _sentence_spans(s)
    if len(sentences) < 2:
        return s
    # (a bare particle asks nothing: "the evening crowd fills it right up")
    asking = [m for m in sentences if any(a[0] not in ("up", "down") for a in _ASKS.finditer(s[m.start():m.end()]))]
    # ("Quiet morning, only about a dozen in. Can you cut power now?": the ask's time is now, the morning is context)
    if not any(_WHOLE_HOURS.search(s[m.start():m.end()]) or _ASKED_NOW.search(s[m.start():m.end()]) for m in asking) \
            or any(_HOURS_POINTED_BACK.search(s[m.start():m.end()]) for m in asking):
        return s
    for m in reversed(sentences):
        said = s[m.start():m.end()]
        # (a span said whole aside is left to the window reader: "cut the power use overnight? Building's empty from
        # about 8pm to 6am" asks both)
        # (the window words taken out leave a mark, so that what stood on both sides does not make a window of its
        # own: "in the evening peak" is no "in the peak")
        if m in asking or not _TIME_SAID.search(said) or _WHOLE_HOURS.search(_WINDOW_ONLY.sub(" ~ ", said)) or re.search(
                rf"\b(?:from|since|after|till|til|until|between)\s+(?:about\s+|around\s+)?{_CLOCK_AT}(?![\w%]|\.\d)", said):
            continue  # (nor one end of a span: "shuts at 5pm. from then till 9" reads "from 5pm." as a sentence)
        for _ in range(3):  # (again while it finds more: "in the evening peak" without "evening" says "in the peak")
            said, n = _TIME_SAID.subn(" ", said)
            if not n:
                break
        s = s[:m.start()] + said + s[m.end():]
    return s


def _levels_referred_back(s: str) -> str:
    """"... drops rows when loss goes above 0.3%. Keep it under that": the comparator takes the level said last
    before it, and where that level was said only a threshold remains ("goes above the threshold": a condition, no
    bound of its own). Unchanged when no level was said before."""
    for m in reversed(list(_LEVEL_REFERRED_BACK.finditer(s))):
        said = list(_LEVEL_SAID.finditer(s, 0, m.start()))
        if not said:
            continue
        level = said[-1]
        head = re.split(r"[.;!?\n]", s[:level.start()])[-1]
        # (the level's own words stay when they ask for it: "Keep mean latency under 20 ms, and keep the p95 latency
        # under that as well" bounds both)
        asked = re.search(r"\b(?:keep\w*|must|should|needs?|ensur\w*|make\s+sure|stay\w*|hold\w*|maintain\w*|want\w*|"
                          r"cap\w*|limit\w*|max(?:imum)?|min(?:imum)?|at\s+(?:most|least)|no\s+(?:more|less)|under|below|above|"
                          r"over)\b", head) and not re.search(r"\b(?:if|when|whenever|once|as\s+soon\s+as|whenever)\b", head)
        s = (s[:level.start()] + (level[0] if asked else "the threshold") + s[level.end():m.start()]
             + f"{m[1]} {level[1]} {level[2]}" + s[m.end():])
    return s


def _day_part_time(m: re.Match[str]) -> str:
    before = m.string[max(0, m.start() - 20):m.start()]
    daily = m[1] == "at" and re.search(r"\b(?:each|every)\s+\w+$", m[0])  # "the tenants move in at 8 each morning"
    if m[1] in ("to", "at", "and") and not daily \
            and not re.search(r"\b(?:from|between)\s+\S+", m.string[max(0, m.start() - 40):m.start()]):
        return m[0]  # "reduce active cells to 6 at night", "cells 2 and 6 at night": values, not the end of a clock span
    if m[1] not in ("from", "after", "since", "before", "between", "at") and (
            re.search(r"\bcells?\s+#?\d+\s*$", before) or re.search(r"(?<![\w.:])\d{1,2}\s*$", before)):
        return m[0]  # "cells 4 to 6 in the evening": cell numbers; "from 10 to 12 in the evening": the span's day part
    c = _marked(_Clock(int(m[2]), None), m[3] or m[4])
    if m[4] == "night" and m[1] in ("until", "till", "til", "to", "and") and c.hour in (5, 6) and re.search(
            r"\bin\s+the\s+morning\b|\d\s*a\.?m\b", m.string[max(0, m.start() - 40):m.start()]):
        c = _Clock(c.hour + 12, "pm")  # "from 6 in the morning till 6 at night": the evening's 6, after a morning start
    return f"{m[1]} {'midnight' if c.hour == 0 else f'{c.hour:02d}:00'}"  # (zero-padded: a 24-hour time)


#: a marker after which the request itself follows, the text before it being context (a relayed complaint, a
#: meeting's small talk): "support note: ...", "the actual ask: ...", "concretely: ...", "bottom line: ..."
_ASK_MARKER = re.compile(r"(?:^|[;.!?]\s*|\s-\s)(?:-\s*)?(?:(?:support\s+note|the\s+(?:actual|real)\s+ask(?:\s+from\s+[\w\s]{1,30}?)?"
                         r"|concretely|main\s+point|bottom\s+line|tl;?\s?dr"
                         # a monitoring alert's measured values before its request: "[ALERT] ... ACTION REQUESTED: ..."
                         r"|action\s+(?:requested|required)|requested\s+action)\s*(?::|-|,)\s*)")


def _before_the_ask(s: str) -> str:
    """The request after an ask marker, with the context before it dropped (a customer's "200ms ping" in a relayed
    complaint is no bound); unchanged when there is no marker or nothing follows it."""
    marks = list(_ASK_MARKER.finditer(s))
    return s[marks[-1].end():] if marks and re.search(r"[a-z]{3}", s[marks[-1].end():]) else s


#: a state said to be unacceptable, at the end of its sentence: what it describes must not happen
#: a level said with the harm it does: "packet loss above 0.1% breaks our netcode" (the level must not happen)
_HARMFUL = re.compile(r"(?<=[\d%a-z])\s+(?:breaks?|kills?|ruins?|wrecks?|cripples?|(?:will|would|could)\s+(?:break|kill|ruin|wreck|"
                      r"cripple))\s+(?=(?:our|the|their|its|my|all|every|everything|it|them)\b)")
_UNACCEPTABLE = re.compile(r"\b(?:is|are|would\s+be|will\s+be)\s+(?:not\s+(?:ok|okay|acceptable|fine|tolerable)|unacceptable|"
                           r"intolerable)\b(?=\s*(?:[.;!\n]|$))")


@functools.lru_cache(maxsize=64)
def failure_spans(s: str) -> tuple[tuple[int, int], ...]:
    """[start, end) of each failure condition in normalized text: from "rollback if", "abort criterion:" ... to the end
    of its sentence, and of each exception ("unless", "except when": to the end of its sentence or a dash) that no
    negation before it in its sentence turns into "only if". What it describes must not happen, so a comparator inside
    it is the bound turned around."""
    spans = [(m.start(), _FAILURE_END.search(s, m.end()).start())  # type: ignore[union-attr]
             for m in _FAILURE_CONDITION.finditer(s)]
    for m in _FAILURE_AFTER.finditer(s):  # "if latency goes over 20 ms, I'll count the change as failed"
        sentence_start = max((e.end() for e in _SENTENCE_END.finditer(s[:m.start()]) if e.end() < m.start()), default=0)
        cond = None
        for c in re.finditer(r"\b(?:if|when|whenever|should|once)\b", s[sentence_start:m.start()]):
            cond = c
            break
        if cond is not None:
            spans.append((sentence_start + cond.start(), m.start()))
    for m in [*_UNACCEPTABLE.finditer(s), *_HARMFUL.finditer(s)]:  # "packet loss over 0.5 % for the door-entry system
        # is not ok", "packet loss above 0.1% breaks our netcode"
        sentence_start = max((e.end() for e in _SENTENCE_END.finditer(s[:m.start()]) if e.end() < m.start()), default=0)
        spans.append((sentence_start, m.start()))
    for m in _EXCEPTION_CONDITION.finditer(s):
        sentence = s[:m.start()]
        starts = [e.end() for e in _SENTENCE_END.finditer(sentence) if e.end() < len(sentence)]
        if re.search(_NEGATION, sentence[starts[-1] if starts else 0:]):
            continue  # "don't sleep cells unless coverage stays above 95 %": only if, a guard as said
        spans.append((m.start(), _EXCEPTION_END.search(s, m.end()).start()))  # type: ignore[union-attr]
    return tuple(sorted(spans))


def in_failure_condition(spans: tuple[tuple[int, int], ...], pos: int) -> bool:
    return any(a <= pos < b for a, b in spans)


def _sentence_before(s: str, pos: int) -> str:
    """The words of ``s`` from the start of the sentence ``pos`` is in up to ``pos``."""
    return s[max((m.end() for m in _SENTENCE_BREAK.finditer(s, 0, pos)), default=0):pos]


def _tells_past_event(words: str) -> bool:
    """Do ``words`` report a past event and ask nothing ("latency spiked to 80 ms at 02:10")?"""
    return bool(_PAST_EVENT.search(words)) and not _ASKING.search(words)


def mentions_time(text: str) -> bool:
    """Does ``text`` (lower-cased or normalized) name some time of day (not one said of the past: "last night",
    "latency spiked to 80 ms at 02:10")?"""
    asked = " ".join(p for p in _SENTENCE_BREAK.split(text) if not _tells_past_event(p))
    return bool(_TIME_HINT.search(re.sub(_PAST_TIME, " ", asked)))


def names_domain(text: str) -> bool:
    """Does the text name anything of the domain at all (a KPI, slice or knob word)? The ``llm`` strategy's gate."""
    s = normalize_text(text)
    words = [p for p, _ in _SLICE_PATTERNS] + [p for p, _, _ in _PRE_KNOB_KPI_PATTERNS + _KPI_PATTERNS] + [
        p for p, _, _ in _KNOB_PATTERNS]
    return any(re.search(rf"\b(?:{p})\b", s) for p in words)


# == time ==============================================================================================================

#: a clock time: "22:00", "22.00" (a dot only after two digits and before :00, :15, :30 or :45, so that "0.95" stays a
#: number), "0600" / "2300h" (four digits, minutes 00, 15, 30 or 45; from 10 on only with an h, so that "1000 kbps"
#: and "between 1000 and 2000 W" stay numbers), "10pm", "10 p.m.", "22h",
#: "midnight"
_T = (r"(?<![\d.])(\d{1,2})(?:(?::|(?<=\d\d)\.(?=(?:00|15|30|45)(?!\d))|(?<=0\d)(?=(?:00|15|30|45)(?!\d)(?!\.\d))|(?<=1\d|2[0-3])(?=(?:00|15|30|45)\s*(?:h|hrs?)\b))(\d{2}))?(?!\d)"
      r"\s*(a\.m\.|p\.m\.|a\.?m|p\.?m|h\b|hrs?\b|o'?clock)?"  # (the dot after "8pm." ends a sentence)
      r"|(midnight|noon|midday)")
_T_NEXT = rf"(?!\s*(?:{alternatives(LEXICON.not_a_time)}))"


@dataclass
class _Clock:
    hour: int
    marker: str | None  # "am" | "pm" | "24" (colon, h, >12, midnight/noon) | "bad" (no clock time) | None


def _clock(groups: tuple[str | None, ...]) -> _Clock:
    num, minutes, mark, word = groups
    if word:
        return _Clock(0 if word == "midnight" else 12, "24")
    h = int(num or 0)
    mark = (mark or "").replace(".", "")
    if h > 24 or int(minutes or 0) > 59 or (mark in ("am", "pm") and not 1 <= h <= 12):
        return _Clock(0, "bad")  # "30 to 17:00" of "9.30 to 17:00", "13pm"
    if mark in ("am", "pm"):
        return _Clock(h % 12 + (12 if mark == "pm" else 0), mark)
    if minutes is not None or mark.startswith("h") or h > 12 or h == 0 or (num or "").startswith("0"):
        return _Clock(h % 24, "24")  # (a leading zero is the 24-hour clock's: "06-09")
    return _Clock(h, None)


def twelve_hour_with_minutes(groups: tuple[str | None, ...]) -> bool:
    """Is a clock time written "2:00" or "10:30" (an hour of 1-12 with minutes, no leading zero, no am/pm)?"""
    num, minutes, mark, word = groups
    return bool(num and minutes is not None and not mark and not word and not num.startswith("0") and 1 <= int(num) <= 12)


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


@dataclass
class _Times:
    """The hours read so far, and whether any time words were read."""

    assumptions: list[str]
    hours: set[int] = field(default_factory=set)
    found: bool = False
    ends: set[int] = field(default_factory=set)  # where the clock spans read end (exclusive)
    single_at: list[int] = field(default_factory=list)  # where the single times read were said
    open_start: set[int] = field(default_factory=set)  # the hours of spans said by their end alone ("before noon")

    def add(self, hours: Iterable[int], assumption: str | None = None) -> None:
        self.hours |= set(hours)
        self.found = True
        if assumption:
            self.assumptions.append(assumption)


def _hour_indices(t: _Text, times: _Times) -> None:
    """"hours 0-5": hour indices, inclusive."""
    span = r"(\d{1,2})\s*(?:-|to|through|thru|until|and)\s*(\d{1,2})\b"
    for m in t.take(rf"\bhours?\s+{span}(?:\s*,\s*{span})*" + _T_NEXT):  # "--hours 22-23,0-5": every range listed
        for a, b in ((int(x), int(y)) for x, y in re.findall(span, m[0])):
            if 0 <= a <= 23 and 0 <= b <= 23:
                times.add(range(a, b + 1) if a <= b else [*range(a, 24), *range(0, b + 1)])


#: a part of the day after a clock span without am/pm marks its hours ("between 1 and 5 in the morning")
#: "7 to 9 tonight", "between 9 and 10 each morning", "from 5 till 8 tomorrow morning"
_DAY_PART = (r"(?:\s*(?:(?:in\s+the|this|each|every|tomorrow|next|the\s+next|the\s+following|on\s+[a-z]+day)\s+"
             r"(morning|afternoon|evening)|at\s+(night)|to(night)\b))?")
#: the part of the day right before a span of bare hours: "tonight from 7 to 10", "Wednesday afternoons, 3 to 6"
#: what makes a bare span without "from" a clock span: "till" said after a verb of being or lasting that gives a period
#: its hours ("the trade rush is 6 till 9"; not after a bare comma, "lower latency, 6 till 10", where 6 may be the
#: evening), or any span said right after a period of the day and a comma ("during Sunday trading, 10 to 4")
_BARE_SPAN_BEFORE = re.compile(r"\b(?:is|are|was|were|runs?|ran|lasts?|goes|go)\s+$")
_BARE_SPAN_PERIOD = re.compile(r"\b(?:during|over|through|throughout|for)\s+(?:the\s+|our\s+)?(?:[a-z']+\s+){0,2}?"
                               r"(?:trading|opening(?:\s+hours)?|hours|shifts?|sessions?|breaks?|service|surgery|clinic)\s*[,(]\s*$")
_PART_BEFORE = re.compile(r"\b(tonight|overnight|at\s+night|(?:this\s+|in\s+the\s+|on\s+\w+\s+|\w+day\s+)?(?:morning|afternoon|evening)s?)"
                          r"\s*,?\s*$")  # ("Overnight, between 1 and 5": 01:00-05:00)


def _marked(c: _Clock, part: str | None) -> _Clock:
    """An unmarked hour read with the part of the day said after its span: am in the morning and at night before
    7, pm in the afternoon, the evening and at night from 7."""
    if c.marker is not None or part is None:
        return c
    if c.hour == 12:  # noon in the morning and the afternoon, midnight in the evening and at night
        return _Clock(12 if part in ("morning", "afternoon") else 0, "24")
    pm = part in ("afternoon", "evening") or (part == "night" and c.hour >= 7)
    return _Clock(c.hour % 12 + (12 if pm else 0), "pm" if pm else "am")


def _am_or_pm(bare: int) -> tuple[int, ...]:
    """The hours a bare clock hour can be: 3 is 03:00 or 15:00 (12 is noon or midnight); 15 is only 15:00."""
    return (bare % 12, bare % 12 + 12) if bare <= 12 else (bare,)


#: "from 2200 to 0200": four-digit 24-hour times on the quarter hour, both ends (a lone "2200" may be watts); "2400"
#: ends a span at midnight ("0000-2400": the whole day)
_HHMM_SPAN = re.compile(r"\b(?:(from|between)\s+)?([01]\d|2[0-3])(00|15|30|45)\s*(-|to|till|until|through|and)\s*"
                        r"([01]\d|2[0-3]|24(?=00))(00|15|30|45)(?:\s*(?:h|hrs?)\b|\b)" + _T_NEXT)  # "(1800-2200h)"


def _with_end_hour(hours: list[int], note: str | None) -> tuple[list[int], str | None]:
    """A span that ends inside an hour ("20:00-21:30"): that hour is asked too, as every hour it touches is, the hour
    it starts in among them."""
    hours = [*hours, (hours[-1] + 1) % 24]
    return hours, f"{note + '; ' if note else ''}the hour the span ends in ({hours[-1]:02d}:00) included"


def _clock_spans(t: _Text, times: _Times) -> None:
    for m in _HHMM_SPAN.finditer(t.s):
        if m[1] is None and m[4] in ("and", "through"):
            continue  # "1500 and 2000" needs "between" to be times
        hs, note = _span(_Clock(int(m[2]), "24"), _Clock(int(m[5]), "24"))
        if m[6] != "00" and hs and int(m[5]) != int(m[2]):
            hs, note = _with_end_hour(hs, note)  # "0930-1630", as "09:30-16:30"
        times.add(hs, note)
        times.ends.add((hs[-1] + 1) % 24)
        t.mask(m.start(), m.end())
    # ends tied to events: "after we close at 10pm through to opening at 6am", "between closing at 22:00 and opening
    # at 07:00" (each end a marked clock time, so no bare number is taken)
    # (an event may be hyphenated: "between checkout at 10am and check-in at 3pm")
    for m in [*re.finditer(rf"\b(?:from|after|between)\s+(?:[a-z'][a-z'-]*\s+){{1,4}}?at\s+(?:{_T}){_T_NEXT}\s*,?\s*"
                           rf"(?:(?:right\s+)?(?:through|thru)(?:\s+to)?|until|till|til|up\s+to|to|and)\s+"
                           rf"(?:[a-z'][a-z'-]*\s+){{1,4}}?at\s+(?:{_T}){_T_NEXT}", t.s),
              # "Tournament starts at 10:00 and runs to 18:00", "our gate opens an hour earlier, at 05:00, and runs
              # through to 21:00" (the verb of running says the span; the start's verb may be any)
              # (not opening hours, "open at 5pm and close at 11pm", read as such by `_opening_hours`)
              *re.finditer(rf"\bat\s+(?:{_T}){_T_NEXT}\s*,?\s*(?:and\s+)?(?:it\s+)?"
                           rf"(?:runs?|goes|lasts?|finish(?:es)?|ends?|wraps?\s+up)\s+(?:on\s+)?"
                           rf"(?:(?:right\s+)?(?:through|thru)(?:\s+to)?|to|until|till|til|at|by)\s+(?:{_T}){_T_NEXT}", t.s)]:
        g = m.groups()
        start, end = _clock(g[0:4]), _clock(g[4:8])
        if start.marker is None or end.marker is None or "bad" in (start.marker, end.marker) or start == end:
            continue
        hs, note = _span(start, end)
        times.add(hs, note)
        times.ends.add((hs[-1] + 1) % 24)
        t.mask(m.start(), m.end())
    # a start and an end said as events: "the test weights go in at 7 and we're done at 3" (a working day: the end
    # before the start on the clock is in the afternoon)
    for m in re.finditer(rf"\b(?:go(?:es)?\s+in|start(?:s|ing)?|arriv(?:e|es|ing)|begin(?:s|ning)?|kick(?:s|ing)?\s+off)\s+at\s+"
                         rf"(?:{_T}){_T_NEXT}[^.;!?\d]{{0,30}}?\b(?:done|finish(?:ed|es)?|end(?:s|ed)?|out|leave|leaving|"
                         rf"wrap(?:s|ped)?\s+up|off\s+site)\s+(?:at|by)\s+(?:{_T}){_T_NEXT}", t.s):
        g = m.groups()
        start, end = _clock(g[0:4]), _clock(g[4:8])
        if "bad" in (start.marker, end.marker) or start.hour == end.hour:
            continue
        if end.marker is None and start.marker is None and 6 <= start.hour <= 11 and end.hour < start.hour:
            start, end = _Clock(start.hour, "am"), _Clock(end.hour + 12, "pm")
        hs, note = _span(start, end)
        times.add(hs, note)
        times.ends.add((hs[-1] + 1) % 24)
        t.mask(m.start(), m.end())
    span_re = (rf"\b(?:(from|between)\s+)?(?:{_T})\s*(?:-|to|till|til|until|(?:through|thru)(?:\s+to)?|and)\s*(?:{_T}){_T_NEXT}"
               + _DAY_PART)
    last: tuple[int, int, bool] | None = None  # where the last span read ends, its start hour, whether it was bare
    for m in re.finditer(span_re, t.s):
        g = m.groups()
        part = g[9] or g[10] or g[11]
        before = _PART_BEFORE.search(t.s, 0, m.start()) if part is None else None
        if before:  # "tonight from 7 to 10", "on Wednesday afternoons from 3 to 6": the part of the day said before it
            part = next(p for p in ("morning", "afternoon", "evening", "night") if p in before[1]) if before[1] != "tonight" \
                else "night"
        start, end = _marked(_clock(g[1:5]), part), _marked(_clock(g[5:9]), part)
        if before and _clock(g[5:9]).marker is None and start.marker not in (None, "bad") and end.marker != "bad":
            # "Saturday mornings from 8 till 1": the part of the day said before the span is its start's; the end is
            # the first such hour after it (13:00, not 1am)
            end = _Clock(min(_am_or_pm(_clock(g[5:9]).hour), key=lambda h: (h - start.hour) % 24 or 24), "24")
        elif part and _clock(g[1:5]).marker is None and end.marker not in (None, "bad"):
            # "from 11 till 3 in the afternoon": the day part is the end's; the start is the hour before it, am or pm
            start = _Clock(min(_am_or_pm(_clock(g[1:5]).hour), key=lambda h: (end.hour - h) % 24 or 24), "24")
        if "bad" in (start.marker, end.marker):
            continue
        # "2:00-5:00pm", "10:00-11:30pm": one am/pm said for both ends; an hour of 1-12 written with minutes and no
        # leading zero is no 24-hour time then ("02:00-5pm" still is)
        if end.marker in ("am", "pm") and twelve_hour_with_minutes(g[1:5]):
            start = _Clock(start.hour, None)
        elif start.marker in ("am", "pm") and twelve_hour_with_minutes(g[5:9]):
            end = _Clock(end.hour, None)
        listed = last is not None and re.fullmatch(r"\s*(?:,|and|&|,\s*and)\s*", t.s[last[0]:m.start()]) is not None
        if m[1] in (None, "between") and start.marker is None and end.marker is None:
            till = re.search(r"\b(?:till|til|until)\b", m[0]) and _BARE_SPAN_BEFORE.search(t.s, max(0, m.start() - 12), m.start())
            # "straight after landing, roughly 9 to 11": a span said roughly after a comma is the clock
            till = till or re.search(r",\s*(?:roughly|about|around|approx\.?|approximately)\s+$", t.s[max(0, m.start() - 20):m.start()])
            if m[1] is not None or not (listed or till or _BARE_SPAN_PERIOD.search(t.s, max(0, m.start() - 60), m.start())):
                continue
            said = re.findall(r"\b(morning|afternoon|evening|night|tonight)s?\b", _SENTENCE_BREAK.split(t.s[:m.start()])[-1])
            if till and said:
                # "Our Thursday evening drop-in runs 6 till 9": the part of the day said before it in its sentence
                part = "night" if said[-1] == "tonight" else said[-1]
                start, end = _marked(start, part), _marked(end, part)
            if listed and last is not None and last[2] and start.hour < last[1] < 12 and end.hour < 12:
                # "from 10 to 11 and 3 to 4": a span listed after a bare one, earlier on the clock, is in the afternoon
                start, end = _Clock(start.hour + 12, "pm"), _Clock(end.hour + 12, "pm")
                times.assumptions.append(f"'{m[0].strip()}', listed after a span earlier in the day, read in the "
                                         f"afternoon: {start.hour:02d}:00-{end.hour:02d}:00")
        if m[1] is None and re.search(r"\band\b", m[0]) and not re.search(r"\b(?:btwn|betw|btw|b/w|bw)\s*$",
                                                                        t.s[max(0, m.start() - 8):m.start()]):
            continue  # "at 14:00 and 15:00": two hours, not a span (that takes "between")
        hs, note = _span(start, end)
        if start.hour == end.hour and int(g[6] or 0) > int(g[2] or 0):
            hs, note = [start.hour], None  # "the halftime show at 19:00-19:45": within the hour
        elif int(g[6] or 0) > 0 and hs:
            hs, note = _with_end_hour(hs, note)  # "from 20:00 to 21:30", "7.30pm to 10.30pm"
        times.add(hs, note)
        times.ends.add((hs[-1] + 1) % 24)
        t.mask(m.start(), m.end())
        last = (m.end(), start.hour, _clock(g[1:5]).marker is None and _clock(g[5:9]).marker is None)


#: what follows a number that is a measurement, not an hour: "go past 0.2 seconds", "from 2.5 ms"
_MEASURE_AFTER = re.compile(r"[.,]\d|\s*(?:ms|s|secs?|seconds?|milliseconds?|%|percent|[kmg]bps|[kmg]bit/s|w|kw|watts?)\b")


def _open_spans(t: _Text, times: _Times) -> None:
    """"after 10pm" (to midnight), "before 6am" (from midnight). One start and one end said apart ("after 7 pm, use
    it: ... until 11 pm") are one span when the start comes first on the clock (19:00-23:00, not the whole day);
    a start after the end ("before 9am and after 5pm") is the union either way."""
    starts: list[tuple[int, str]] = []
    ends: list[tuple[int, str]] = []
    end_at: list[int] = []  # where each end was said
    # (and an event's end: "after the welcome party finishes at 2am", "After the contest finishes (around 10 at night)",
    # "After the last show at 22:00")
    for m in re.finditer(rf"\b(after|past|from|since|starting\s+(?:at|from))\s+(?:(?:[a-z']+\s+){{1,5}}?(?:finish(?:es)?|ends?|"
                         rf"closes?|is\s+over|wraps?\s+up|stops?)(?:\s+(?:at|around|about)\s+|\s*\(\s*(?:(?:at|around|about|"
                         rf"roughly|approx\.?|approximately|~)\s*)?)|(?:the\s+)?(?:last|final)\s+[a-z]+\s+(?:at|around|about)\s+)?"
                         rf"(?:{_T}){_T_NEXT}", t.s):
        c = _clock(m.groups()[1:5])
        if c.marker in (None, "bad") or _MEASURE_AFTER.match(t.s, m.end()):
            continue
        if c.hour == 0 and m[1] == "after" and re.match(r"[^.;!?]*?\b(?:until|till|til|to)\s+(?:\d{1,2}(?::\d\d)?\s*(?:am|pm|a\.m|"
                                                        r"p\.m)|\d{1,2}:\d\d)", t.s[m.end():]):
            # "after midnight, get p95 under 100ms til 4am": a start, its end said on the clock (a bare "until 6" is
            # the night window's end, below)
            starts.append((0, m[0].strip()))
        elif c.hour == 0 and m[1] == "after":
            if 0 in times.hours and times.ends:  # "no sailings after midnight, so from midnight to 5am ...": the clock
                times.assumptions.append("'after midnight' taken as the clock span given with it")
            else:
                times.add(window_hours("night"), "after midnight read as " + window_clock("night"))
        else:
            starts.append((c.hour, m[0].strip()))
        t.mask(m.start(), m.end())
    # (and an event's time: "until the cleaning crew leaves at 02:00", "till the last train goes at 1am")
    for m in re.finditer(rf"\b(before|until|till)\s+(?:(?:[a-z']+\s+){{1,5}}?(?:leaves?|goes|go\s+home|finish(?:es)?|ends?|"
                         rf"closes?|is\s+over|wraps?\s+up|stops?|opens?|arrives?)\s+(?:at|around|about)\s+)?(?:{_T}){_T_NEXT}",
                         t.s):
        c = _clock(m.groups()[1:5])
        if c.marker is None and m[1] != "before" and c.hour - 1 in times.hours and c.hour not in times.hours:
            # "its quiet after midnight, put idle cells to sleep to save energy until 6": a bare hour that ends the
            # window already read is that window's end, not a KPI value
            times.assumptions.append(f"'{m[0].strip()}' read as the end of the hours already read, not a value")
            t.mask(m.start(), m.end())
            continue
        if c.hour == 0 and c.marker not in (None, "bad") and m[1] != "before" and len(starts) == 1:
            ends.append((24, m[0].strip()))  # "after 6pm ... until midnight is fine": the day's end
            end_at.append(m.start())
            t.mask(m.start(), m.end())
            continue
        if c.marker in (None, "bad") or c.hour == 0:
            continue
        ends.append((c.hour, m[0].strip()))
        end_at.append(m.start())
        t.mask(m.start(), m.end())
    if not starts and len(ends) == 1:
        # "We close at 5pm and the building is empty till 8 the next morning": the closing time starts the night;
        # "Lorries start arriving at 4am and the yard tablets need decent signal till 10am": an event starts the span
        for m in re.finditer(rf"\b(?:(?P<close>close|closes|shut|shuts|lock\s+up|locks\s+up|leave|leaves|go\s+home|goes\s+home|"
                             rf"knock\s+off|knocks\s+off|clock\s+off|clocks\s+off)|start(?:s|ing)?(?:\s+arriving)?|arriv(?:e|es|ing)|"
                             rf"begin(?:s|ning)?|open(?:s|ing)?|kick(?:s|ing)?\s+off|go(?:es|ing)?\s+live|launch(?:es|ing)?)"
                             rf"\s+(?:at|around|about|from)\s+(?:{_T}){_T_NEXT}",
                             t.s):
            c = _clock(m.groups()[1:5])
            closing = m["close"] is not None
            # (a close earlier in the day, said before the end: "We close at 2pm. After that, cut energy till 6pm")
            if c.marker in ("am", "pm", "24") and (
                    (c.hour >= 12 > ends[0][0] or (c.hour < ends[0][0] and m.start() < end_at[0])) if closing
                    else c.hour < ends[0][0]):
                starts.append((c.hour, m[0].strip()))
                times.assumptions.append(f"'{m[0].strip()}' read as the start of the hours until '{ends[0][1]}'")
                t.mask(m.start(), m.end())
                break
    if not starts and len(ends) == 1:
        # "Guests roll back in from the pubs around 10pm and the dorms are streaming till 1am": a clock time said
        # earlier in the end's sentence, of something that goes on until then, starts the span
        (h1, w1), = ends
        before = _SENTENCE_BREAK.split(t.s[:end_at[0]])[-1]
        at = list(re.finditer(rf"\b(?:at|around|about|from)\s+(?:{_T}){_T_NEXT}", before))
        if len(at) == 1 and not _PAST_EVENT.search(before):
            c = _clock(at[0].groups()[0:4])
            if c.marker in ("am", "pm", "24") and c.hour != h1 and (c.hour < h1 or c.hour >= 12 > h1):
                starts.append((c.hour, at[0][0].strip()))
                times.assumptions.append(f"'{at[0][0].strip()}' read as the start of the hours until '{w1}'")
                start_at = end_at[0] - len(before) + at[0].start()
                t.mask(start_at, start_at + len(at[0][0]))
    if len(starts) == 1 and len(ends) == 1 and starts[0][0] < ends[0][0]:
        (h0, w0), (h1, w1) = starts[0], ends[0]
        times.add(range(h0, h1), f"'{w0}' and '{w1}' read as one span, {h0:02d}:00-{h1:02d}:00")
        return
    spanned = set(times.ends) and set(times.hours)  # a closed clock span read: an open one at its edge says it again
    for h, w in starts:
        if spanned and h in times.hours:  # "the canteen empties after 3 pm. Between 15:00 and 18:00, ..."
            times.assumptions.append(f"'{w.strip(' .,;')}' read as the start of the clock span given, not a span to "
                                     "midnight")
            continue
        times.add(range(h, 24), f"'{w}' read as {h:02d}:00-24:00")
    for h, w in ends:
        if spanned and (h - 1) % 24 in times.hours:
            times.assumptions.append(f"'{w.strip(' .,;')}' read as the end of the clock span given, not a span from "
                                     "midnight")
            continue
        if spanned and h in times.hours and (h - 1) % 24 not in times.hours:
            # "We're only open till 9pm. After that, ... from 21:00 to 06:00": the end of the day before the span
            # says when the span starts
            times.assumptions.append(f"'{w.strip(' .,;')}' read as where the clock span given starts, not a span "
                                     "from midnight")
            continue
        times.add(range(0, h), f"'{w}' read as 00:00-{h:02d}:00")
        times.open_start |= set(range(0, h))


#: a reporting period: a device's verb of sending, then "every N seconds" in its clause (group 1: "every N unit")
_REPORTING_PERIOD = re.compile(
    r"\b(?:report|check(?:s|ing)?\s+in|send|upload|poll|ping|transmit|beacon|sync|refresh|scrape|wake|push|log|sample|"
    r"update|heartbeat)(?:s|es|ed|ing)?\b[^.;,!?\d]{0,40}?(\bevery\s+\d+(?:\.\d+)?\s*(?:seconds?|secs?|s|minutes?|mins?|"
    r"ms|milliseconds?|hours?|hrs?|h)\b)")
#: ... said as a rate: "the meters send 2 readings per 60 seconds", "4 messages a minute"
_REPORTING_RATE = re.compile(
    r"(?<![\d.])\d+(?:\.\d+)?\s+(?:readings?|messages?|reports?|updates?|samples?|pings?|heartbeats?|beacons?|uplinks?)\s+"
    r"(?:per|every|a|an|each)\s+(?:\d+(?:\.\d+)?\s*)?(?:seconds?|secs?|s|minutes?|mins?|hours?|hrs?|h|days?)\b")


#: a past event in the sentence of a time ("loss spiked to 3 % at 02:10", "the site went down at 4am")
_PAST_EVENT = re.compile(rf"\b(?:{_PAST_EVENTS})\b")
#: a verb of an event right before a time ("opens at", "kicks off around", "finishes by")
_EVENT_BEFORE = re.compile(r"\b(?:opens?|opened|closes?|closed|starts?|started|begins?|began|ends?|ended|finish(?:es|ed)?|"
                           r"kicks?\s+off|kicked\s+off|arrives?|arrived|leaves?|left|lands?|landed|departs?|departed)"
                           r"\s*(?:at|around|by|about|from)?\s*$")


def _single_times(t: _Text, times: _Times) -> None:
    """"at 9pm", "around 18:00": one hour (not the end of a clock span read, said again)."""
    for m in re.finditer(rf"\b(?:at|around|by)?\s*(?:{_T}){_T_NEXT}", t.s):
        c = _clock(m.groups()[0:4])
        if c.marker is None and m.group(0).strip().startswith("at") and times.hours and 1 <= c.hour <= 12 \
                and _EVENT_BEFORE.search(t.orig[max(0, m.start() - 30):m.start() + len(m.group(0)) - len(m.group(0).lstrip())]):
            # "after the last class finishes at 9, so from 9pm to midnight": an event's bare hour beside the hours
            # asked is no KPI's value
            times.assumptions.append(f"'{m.group(0).strip(' .,;')}' read as when an event happens, not a value")
            t.mask(m.start(), m.end())
            continue
        if c.marker in (None, "bad") or not m.group(0).strip() or m.group(1) == "24":  # "24h" is a duration
            continue
        hour_word = (m.group(3) or "").startswith(("h", "o"))
        if c.marker == "24" and m.group(4) is None and m.group(2) is None and not hour_word:
            continue  # a bare number above 12 is not a time
        if _tells_past_event(_sentence_before(t.orig, m.start())):
            # "latency on cell 12 spiked to 80 ms at 02:10": when it happened, not an hour asked
            times.assumptions.append(f"'{m.group(0).strip(' .,;')}' read as when something happened, not an hour asked")
            t.mask(m.start(), m.end())
            continue
        if times.hours and _EVENT_BEFORE.search(t.orig[max(0, m.start() - 30):m.start() + len(m.group(0)) -
                                                    len(m.group(0).lstrip())]):
            # "the gates open at 5pm ... from 6pm to 10pm": when something happens, beside the hours asked
            times.assumptions.append(f"'{m.group(0).strip(' .,;')}' read as when an event happens, not an hour asked")
            t.mask(m.start(), m.end())
            continue
        if c.hour in times.ends and c.hour not in times.hours:
            # "the match ends around 10pm ... from 5pm to 10pm": the span's end said again, not an hour of its own
            times.assumptions.append(f"'{m.group(0).strip(' .,;')}' read as the end of the clock span, not an hour of "
                                     "its own")
            t.mask(m.start(), m.end())
            continue
        times.add([c.hour])
        times.single_at.append(m.start())
        t.mask(m.start(), m.end())


#: a noun right before "night" makes it an event's name ("quiz night", "match night", "Saturday night"): with a clock
#: span said, the clock gives its hours, not the night window
_EVENT_NAMED = re.compile(r"\b(?!(?:at|the|a|an|every|each|last|per|by|during|over|in|through|all|of|to|tomorrow|this|that|"
                          r"on|for|and|or|from|until|till|into|late|early|mid|whole|entire|next|same|one|any|some|"
                          r"overnight|good|tonight)\b)"
                          r"[a-z]{3,}\s+$")
#: a part of the day naming events, right after it: "the morning and afternoon sessions", "the evening show"
_WINDOW_NAMES_EVENT = re.compile(r"(?:\s+(?:and|or|&)\s+(?:the\s+)?(?:morning|afternoon|evening|lunchtime)'?s?)?\s+(?:sessions?|shows?|"
                                 r"performances?|services?|rehearsals?|classes|lessons?|meetings?|briefings?|matinees?|"
                                 r"concerts?|matches|games|sittings?|screenings?|lectures?|deliveries|delivery|rounds?|"
                                 r"collections?|pick-?ups?|drop-?offs?|school\s+runs?)\b")


#: a clause that says why a time was asked: "during peak - that's when the sensors are busiest with the evening loading"
_EXPLAINS_WHEN = re.compile(r"\b(?:that'?s|that\s+is|which\s+is|which'?s|this\s+is)\s+(?:when|because)\b[^.;!?\n]*")


def _named_windows(t: _Text, times: _Times) -> None:
    """Named windows ("at night", "off-peak"). One that overlaps a clock span already read adds nothing: the clock
    is the exact statement ("night shift: 23:00-05:00" is 23..04, not 23..05)."""
    clocked = set(times.hours)
    if clocked and t.take(r"\btonight\b"):  # "during the match tonight, from 7 to 10 pm": a day, not the night window
        times.assumptions.append("'tonight' taken as the clock hours given with it")
    explaining = [(m.start(), m.end()) for m in _EXPLAINS_WHEN.finditer(t.orig)]
    asked_outside = explaining and any(not any(a <= m.start() < b for a, b in explaining) for m in _TIME_SAID.finditer(t.orig))
    for window in LEXICON.windows:
        said = t.take(_word(window.pattern))
        if not said:
            continue
        if asked_outside and all(any(a <= m.start() < b for a, b in explaining) for m in said):
            # "during peak - that's when the sensors are busiest with the evening loading": the part of the day in the
            # clause that says why explains the time asked, it adds none
            times.assumptions.append(f"'{said[0][0].strip()}' said to explain the time asked, not a time of its own")
            continue
        named = set(window_hours(window.flag or window.name))
        # (or a time said as the name of an event in it: "at lunch, when we run the midday meeting")
        apart = all(re.search(r"[.;!?\n]", t.orig[min(a, said[0].start()):max(a, said[0].start())])
                    or re.search(r"\b(?:the|our|their|a)\s*$", t.orig[max(0, a - 10):a]) for a in times.single_at)
        if clocked & named and not times.ends and clocked <= named and len(clocked) <= 2 and times.single_at and apart:
            # "shift change is at 2pm. During the afternoon, ...": a time said on its own inside the window named is
            # an event in it; the window is the hours asked
            times.hours -= clocked
            times.add(named, f"{describe_window(window.flag or window.name)}; the time{'s' if len(clocked) > 1 else ''} "
                             "said inside it (in another sentence, or naming an event) read as events in it")
            continue
        if clocked & named and clocked <= times.open_start and min(named) > 0 and not any(
                re.search(r"\b(?:till|til|until|before|to)\s+\d{1,2}(?::\d\d)?\s*(?:am|pm)?\s+(?:tomorrow\s+|in\s+the\s+|"
                          r"this\s+|the\s+next\s+)?$", t.orig[max(0, m.start() - 40):m.start()]) for m in said):
            # (not the end's own part of the day: "till 8 tomorrow morning")
            # "in the morning – no matches before noon –", "in the morning, before 10am": a span said by its end
            # alone starts where the window does
            times.hours = (times.hours - clocked) | (named & clocked)
            times.add(named & clocked, f"{describe_window(window.flag or window.name)}; the span said by its end "
                                       "alone starts there")
            continue
        if clocked & named:
            times.assumptions.append(f"'{window.name.replace('_', ' ')}' taken as the clock hours given with it")
            continue
        if clocked and all(_EVENT_NAMED.search(t.orig, 0, m.start()) and re.fullmatch(r"nights?", m[0].strip())
                           for m in said):
            # "quiz night 8 till 11pm", "match night, from 19:00": the night names the event; the clock its hours
            times.assumptions.append(f"'{t.orig[max(0, said[0].start() - 12):said[0].end()].strip()}' read as an "
                                     "event's name; the clock gives the hours")
            continue
        naming = all(_WINDOW_NAMES_EVENT.match(t.orig, m.end()) for m in said)
        if naming and not clocked and any(not any(m.start() <= x.start() < m.end() for m in said)
                                          and not _WINDOW_NAMES_EVENT.match(t.orig, x.end())
                                          for x in _TIME_SAID.finditer(t.orig)):
            # "We've started evening sittings and the booths need ... at peak time": the part of the day names the
            # events; the other time said gives the hours
            times.assumptions.append(f"'{said[0][0].strip()}' read as naming an event; the other time said gives the "
                                     "hours")
            continue
        if clocked and naming:
            # "Between the morning and afternoon sessions (lunch, 12-2) the foyer is packed": the parts of the day name
            # the events; the clock, outside them, gives the hours
            times.assumptions.append(f"'{said[0][0].strip()}' read as naming an event; the clock gives the hours")
            continue
        if clocked and all(re.search(r"(?:night|evening|morning|afternoon)s\s*$", m[0]) for m in said):
            # "on match nights, between 19:00 and 23:00": the plural says which days; the clock says the hours
            times.assumptions.append(f"'{said[0][0].strip()}' read as the days it happens; the clock gives the hours")
            continue
        if window.flag:  # read as another window ("off-peak" as night)
            times.add(window_hours(window.flag), f"{window.name.replace('_', '-')} read as {window.flag}, "
                                                 f"{window_clock(window.flag)}")
        else:
            times.add(window_hours(window.name), describe_window(window.name))


#: a time the ask leaves out: "all day apart from the 17:00-21:00 peak", "outside business hours", "except at lunch"
#: words that leave what follows out of the ask ("all day apart from the peak", "outside business hours"); the checks
#: read an excluded clock range with them too
LEFT_OUT = (r"\b(?:apart\s+from|except(?:\s+(?:for|during|in|at|over))?|excluding|other\s+than|outside(?:\s+of)?"
            r"|but\s+not(?:\s+(?:during|in|at|over))?)\s+(?:the\s+)?")
_EXCEPT_TIME = re.compile(LEFT_OUT)
_EXCEPT_END = re.compile(r"[;.!?)]|\((?!\s*(?:from\s+)?\d)|,(?!\s*\d{1,2}\s*(?:-|to|till|until)\s*\d{1,2}\b)"
                         r"|\b(?:where|when|while|but|with|without|on|for)\b|\band\b(?!\s*\d)|$"
                         # the ask after a named span with no comma: "outside business hours cut energy"
                         r"|(?<=\bhours)\s+(?!\d|of\b|and\b|to\b|-|\()|\b(?:please|pls|kindly|can|could|let'?s)\b"
                         r"|(?<=\d)\s+(?=[a-z])(?!(?:am|pm|a\.m|p\.m|h|hrs?|hours?|and|to|till|til|until|through|thru|or|"
                         r"o'?clock|in|at|on|the|next|tonight|today|tomorrow|daily|every|each)\b)")


_WINDOW_WORDS = alternatives(p for w in LEXICON.windows for p in [w.pattern])
#: an hour or a part of the day said (a window word, a clock time, noon or midnight)
_TIME_SAID = re.compile(rf"\b(?:{_WINDOW_WORDS})(?![\w])|(?<![\w.])\d{{1,2}}(?::\d{{2}})?\s*(?:am|pm|a\.m\.|p\.m\.)(?![\w])|"
                        r"(?<![\w.:])\d{1,2}:\d{2}(?![\d])|\b(?:noon|midnight|midday)\b")
#: hours asked whole in a sentence: a window word, or a clock span with both ends ("from 6 to 10", "between 1 and 5
#: am", "13:00-15:00", "6-8pm"; not "cells 33-35", "between cell 26 and 27")
_CLOCK_AT = r"(?:\d{1,2}(?::\d{2})?\s*(?:am|pm)?|noon|midnight|midday)"
_WHOLE_HOURS = re.compile(rf"\b(?:{_WINDOW_WORDS})(?![\w])|\b(?:from|between)\s+(?:about\s+|around\s+)?{_CLOCK_AT}\s*"
                          rf"(?:to|till|til|until|and|-|–)\s*{_CLOCK_AT}(?![\w%]|\.\d|\s*(?:%|percent\b|per\s*cent\b))|(?<![\w.])\d{{1,2}}(?::\d{{2}}\s*(?:am|pm)?|\s*(?:am|pm))"
                          r"\s*[-–]\s*\d{1,2}(?::\d{2})?\s*(?:am|pm)?(?![\w%]|\.\d)|(?<![\w.])\d{1,2}\s*[-–]\s*\d{1,2}(?::\d{2})?\s*(?:am|pm)(?![\w])")
_WINDOW_ONLY = re.compile(rf"\b(?:{_WINDOW_WORDS})(?![\w])")
#: words of a sentence that point back to hours said elsewhere ("then", "after that", "in that window", "till then")
_HOURS_POINTED_BACK = re.compile(r"\b(?:then|that\s+(?:time|window|slot|period|span)|those\s+(?:hours|times|windows|slots)|"
                                 r"(?:after|before|until|till|from|by)\s+(?:that|this|then)|the\s+same\s+(?:hours|window|time))\b")
#: a window said of the past: "last night", "yesterday evening", "the previous peak", or right after a past event
#: ("throughput dropped overnight", "it spiked in the evening"), which says when it happened, not when to act
_PAST_TIME = (rf"\b(?:(?:last|yesterday(?:'s)?|previous|the\s+past|this\s+past)\s+(?:{_WINDOW_WORDS})"
              # ("the docks went dark for a morning", "failed for the whole evening": how long it lasted)
              rf"|(?:{_PAST_EVENTS})\s+(?:(?:for|during|over|through)\s+(?:a\s+|an\s+|one\s+|the\s+)?(?:whole\s+|entire\s+)?)?"
              rf"(?:{_WINDOW_WORDS}))(?:'s)?(?![\w])")


def _times_in(t: _Text, times: _Times) -> None:
    _hour_indices(t, times)
    _clock_spans(t, times)
    _open_spans(t, times)
    _single_times(t, times)
    _named_windows(t, times)


#: "above 20 Mbit/s between 12 and 2": after a bound already said with its number, two bare numbers that no range
#: of a KPI can be (the second below the first) and no unit after them are the clock, the second in the afternoon
_BARE_CLOCK_RANGE = (r"(?<=\d)(?:\s*(?:%|[a-z]+(?:/[a-z]+)?))?"
                     r"(?:\s+or\s+(?:above|more|better|higher|greater|over|less|below|lower|fewer|under))?\s+(?:between|from)\s+(1[0-2]|[5-9])\s+(?:and|to|till|until)\s+"
                     r"([1-7])(?!\s*(?:[.,:]?\d|%|[a-z]))")


#: a bare span after a verb of a working day ("court sits 9 to 5", "the site is staffed 7-3"): a clock span
_WORKING_SPAN = (r"\b(?:sits?|sitting|works?|working|operates?|operating|staffed|manned|on\s+duty|on\s+site|in\s+session|open|"
                 r"(?:working|office|business|opening|school|core|shop)\s+hours?\s*[,:(]?)\s*"
                 r"(?:from\s+)?(1[0-2]|[5-9])\s*(?:to|-|till|until)\s*([1-9])(?!\s*(?:[.,:]?\d|%|[a-z]))")


#: a bare span whose end comes before its start on a 12-hour clock ("between 9 and 5", "9 to 5", "9-5") and no unit
#: after it: a morning start and an afternoon end (a KPI range is said low to high; "from 9 to 5" is read as a span
#: already; "cells 9-5" are taken before)
_BACKWARD_SPAN = (r"(?<!\bfrom\s)(?<![\w.:/-])(?<!\btill\s)(?<!\buntil\s)(?<!\bto\s)(?<!-\s)"
                  r"(?:between\s+)?(1[0-2]|[6-9])\s*(?:to|-|till|until|and|through)\s*([1-7])(?!\d|[.,:]\d)"
                  r"(?!\s*(?:till|until|to|-|through)\s*\d)"  # (not "8 till 11 and 2 till 4": the ends of two spans)"
                  rf"(?!\s*(?:%|percent|per\b|x\b|times\b|cells?\b|sites?\b|users?\b|handovers?\b|am\b|pm\b|a\.m|p\.m|h\b|o'?clock|"
                  rf"(?:{_UNIT_RE})(?![\w])))")


#: a bare forward span of morning hours, no unit after it ("..., between 8 and 12"): the clock when said after a bound
_MORNING_RANGE = r"(?<![\w.])(?:between|from)\s+([7-9]|1[01])\s+(?:and|to|till|until)\s+([8-9]|1[0-2])"
_BARE_MORNING_RANGE = _MORNING_RANGE + r"(?!\s*(?:[.,:]?\d|%|percent|[a-z]))"
#: ... and one followed by anything but a unit, read as the clock after a goal (`_GOAL_BEFORE_RANGE`)
_GOAL_MORNING_RANGE = (_MORNING_RANGE + rf"(?!\s*(?:[.,:]?\d|%|percent|a\.?m\b|p\.?m\b|h\b|hrs?\b|o'?clock|in\s+the\b|"
                                        rf"at\s+night|tonight|(?:{_UNIT_RE})(?![\w])))")
#: a goal said before a bare range in its sentence ("minimise ...", "... maximised", "get ... as low as possible"), and
#: the words that hold a KPI in a range ("keep ... between", "to between", "within")
_GOAL_BEFORE_RANGE = re.compile(r"\b(?:minimi[sz]\w*|maximi[sz]\w*|as\s+(?:low|high|few|many|much|little)\s+as\s+(?:possible|you\s+can))")
_RANGE_VERB = re.compile(r"\b(?:keep\w*|kept|hold\w*|held|stay\w*|remain\w*|maintain\w*|within|range|band|to|at|is|are|be)\s*$"
                         r"|\b(?:keep\w*|kept|hold\w*|held|stay\w*|remain\w*|maintain\w*|within|range|band)\b")
#: a bare span with "till"/"until" and no unit after it ("9 till 12"): the clock, as said (a KPI range has no "till")
_TILL_SPAN = (r"(?<!\bfrom\s)(?<!\bbetween\s)(?<![\w.:/-])(1[0-2]|[1-9])\s*(?:till|until|til|'til)\s*(1[0-2]|[1-9])(?!\d|[.,:]\d)"
              rf"(?!\s*(?:%|percent|per\b|x\b|times\b|cells?\b|sites?\b|users?\b|am\b|pm\b|a\.m|p\.m|h\b|o'?clock|in\s+the\b|"
              rf"at\s+night|tonight|(?:{_UNIT_RE})(?![\w])))")


#: an event that starts or ends a span by its clock time ("from opening at 9", "From sunset, call it 19:00, until
#: 21:00", "from dusk (9pm) till 6")
_SPAN_EVENT = (r"(?:[a-z]+ing|open|close|kick[- ]?off|start|end|sunrise|sunset|dawn|dusk|doors\s+open|first\s+light|"
               r"nightfall)")


#: a clock span with "from" or "between" ("from 5pm until 09:00"): with a colon, am/pm, midnight or noon it is the clock
_FROM_SPAN = re.compile(r"\b(?:from|between)\s+(?P<a>\d{1,2}(?::\d{2})?\s*(?:a\.?m\.?|p\.?m\.?)?|midnight|noon)\s*(?:-|to|till|til|until|and)\s*"
                        r"(?P<b>\d{1,2}(?::\d{2})?\s*(?:a\.?m\.?|p\.?m\.?)?|midnight|noon)(?![\d.])")


def _working_day(m: re.Match[str]) -> range | None:
    """The hours of a bare span that ends before it starts on a 12-hour clock (a morning start, an afternoon end:
    "9 to 5" is 09:00-17:00), or None for any other span."""
    a, b = int(m[1]), int(m[2])
    return range(a, b + 12) if b < a else None


_CLOCKED_WINDOWS = {"lunch": r"lunch\w*|midday", "evening": r"evenings?", "morning": r"mornings?",
                    "afternoon": r"afternoons?", "night": r"nights?|overnight", "peak": r"peak(?:\s+hours?)?",
                    "rush_hours": r"rush(?:\s+hours?)?", "business_hours": r"(?:business|office|working)\s+hours"}
_WINDOW_CLOCK = re.compile(rf"\b({'|'.join(_CLOCKED_WINDOWS.values())})\s*\(\s*(\d{{1,2}})\s*(?:to|-|–|till|until)\s*"
                           r"(\d{1,2})\s*\)")


#: "outside working hours (6pm to 8am)": a clock span in brackets right after the hours left out (up to the bracket)
_OUTSIDE_SAID = re.compile(r"outside\s+(?:of\s+)?(?:(?:the|our|its|their|normal|usual|regular|core)\s+)*(?:business|office|"
                           r"working|work|opening|trading|shop|store|visiting|school|core|lab|site)\s+hours\s*\((?=\s*\d{1,2}"
                           r"(?::\d\d)?\s*(?:am|pm|a\.m\.|p\.m\.)?\s*(?:-|–|to|till|until)\s*\d{1,2})")


def _parse_times(t: _Text, assumptions: list[str], notes: list[str]) -> tuple[list[int] | None, bool]:
    times = _Times(assumptions)
    now = bool(t.take(rf"\b(?:{alternatives(LEXICON.now_words)})\b"))
    excluded: set[int] = set()
    for m in _EXCEPT_TIME.finditer(t.s):  # the hours the ask leaves out, read on their own
        end = _EXCEPT_END.search(t.s, m.end()).start()  # type: ignore[union-attr]
        left_out = _Times([])
        # read with its preposition: "except during the peak", "except at peak" name the window as "during the peak"
        lead = re.match(r"(?:apart\s+from|except|excluding|other\s+than|outside(?:\s+of)?|but\s+not)\s+", t.s[m.start():])
        if m[0].startswith("outside") and not re.match(
                rf"(?:(?:the|our|its|their|normal|usual|regular|core|of)\s+)*(?:\d|(?:{_WINDOW_WORDS})(?![\w])|(?:business|"
                r"office|working|work|opening|trading|(?:shop|store)\s+(?:hours|opening)|visiting|school|core|peak|busy|those|these|that|them)\b|hours?\b)",
                t.s[m.end():]):
            continue  # "Outside broadcast at the racecourse tomorrow afternoon": no time said right after it
        rest = t.s[m.start() + (lead.end() if lead else m.end() - m.start()):end]
        bracketed = _OUTSIDE_SAID.match(t.s, m.start()) if m[0].startswith("outside") else None
        if bracketed is not None:
            # "outside working hours (6pm to 8am)": the clock in brackets names the hours asked, outside the others
            t.mask(m.start(), bracketed.end())
            assumptions.append(f"'{bracketed[0].strip(' (')}' read as the clock span in brackets after it")
            continue
        _times_in(_Text(rest), left_out)
        # "outside office hours, 8-6", "outside 9-5": a working day's span (it runs backwards on a 12-hour clock)
        for w in [*re.finditer(_WORKING_SPAN, t.s[m.end():end]), *re.finditer(_BACKWARD_SPAN, rest)]:
            if (day := _working_day(w)) is not None:
                left_out.add(day)
        if not left_out.hours and re.match(r"(?:the\s+)?(?:peak|rush|evening|morning|afternoon|night)\b", rest):
            _times_in(_Text("during " + rest), left_out)  # "outside of peak": the window said bare
        if left_out.hours:
            excluded |= left_out.hours
            t.mask(m.start(), end)
            assumptions.append(f"hours {sorted(left_out.hours)} left out ('{m.group(0).strip()} ...')")
    for m in t.take(_PAST_TIME):  # "loss spiked last night", "edge throughput dropped overnight": when it happened
        assumptions.append(f"'{m[0].strip()}' read as when something happened, not the hours asked")
    for m in list(_WINDOW_CLOCK.finditer(t.s)):
        # "at lunchtime (12 to 2)": bare numbers in brackets after a window are its clock, am or pm as the window says
        window = next(w for w, words in _CLOCKED_WINDOWS.items() if re.fullmatch(words, m[1]))
        w0, w1 = WINDOWS[window]
        a, b = int(m[2]), int(m[3])
        inside = set(range(w0, w1)) if w0 < w1 else set(range(w0, 24)) | set(range(0, w1))
        if window == "night":
            inside |= set(range(18, 24))  # "busy Friday nights (7 to 11)": a night out starts in the evening
        readings = [set(range(a, b)), set(range(a + 12, min(b + 12, 24)))] if a < b else \
            [set(range(a, b + 12)), set(range(a, 24)) | set(range(0, b))]
        best = max(readings, key=lambda h: len(h & inside))
        if a <= 24 and b <= 24 and best & inside:
            times.add(best, f"'{m[0].strip()}' read as the window's clock, hours {sorted(best)}")
            t.mask(m.start(1) + len(m[1]), m.end())
    for m in list(re.finditer(_BARE_CLOCK_RANGE, t.s)):
        # (only the span is taken: the unit before it stays its number's, "down to 0.5% between 12 and 2")
        said = m[0][re.search(r"\b(?:between|from)\b", m[0]).start():]  # type: ignore[union-attr]
        t.mask(m.end() - len(said), m.end())
        a, b = int(m[1]), int(m[2])
        times.add(range(a, b + 12), f"'{said.strip()}' after a bound read as the clock, {a:02d}:00-{b + 12:02d}:00")
    for m in re.finditer(_BARE_MORNING_RANGE, t.s):
        # "urllc p95 delay no more than 20 ms please, between 8 and 12": the sentence's bound has its value and unit
        # already; a second, unitless range after it is the clock (a morning, as said)
        said = _SENTENCE_BREAK.split(t.s[:m.start()])[-1]
        if (re.search(rf"\d\s*(?:%|percent|(?:{_UNIT_RE})(?![\w]))", said)
                or re.search(r"(?:[<>≤≥]=?|\b(?:under|below|above|over|at\s+(?:least|most)|no\s+more\s+than|no\s+less\s+than|"
                             r"max(?:imum)?|min(?:imum)?))\s*\d", said)) and "\0" not in m[0]:
            a, b = int(m[1]), int(m[2])
            t.mask(m.start(), m.end())
            times.add(range(a, b), f"'{m[0].strip()}' after a bound read as the clock, {a:02d}:00-{b:02d}:00")
    for m in re.finditer(_GOAL_MORNING_RANGE, t.s):
        # "the handover rate minimised for the whole site between 8 and 10", "Maximise p5 throughput for eMBB between 9
        # and 12 without hurting coverage": nothing minimised or maximised is held in a range
        said = _SENTENCE_BREAK.split(t.s[:m.start()])[-1]
        if (_GOAL_BEFORE_RANGE.search(said) and not _RANGE_VERB.search(said) and "\0" not in m[0]
                and not _ends_with_kpi(said)):
            a, b = int(m[1]), int(m[2])
            t.mask(m.start(), m.end())
            times.add(range(a, b), f"'{m[0].strip()}' after a goal read as the clock, {a:02d}:00-{b:02d}:00")
    # "court sits 9 to 5", "the crew works 7-3", "between 9 and 5": a morning start, an afternoon end (no KPI range
    # runs backwards); "... cut energy outside that": the hours left out
    marked = [x for x in _FROM_SPAN.finditer(t.s) if re.search(r":|[ap]\.?m|midnight|noon", x["a"] + x["b"])]
    for m in [*re.finditer(_WORKING_SPAN, t.s), *re.finditer(_BACKWARD_SPAN, t.s)]:
        if (day := _working_day(m)) is None or "\0" in t.s[m.start():m.end()]:
            continue
        t.mask(m.start(), m.end())
        if re.search(rf"{LEFT_OUT}(?:that|those(?:\s+hours)?|these\s+hours|them|it)\b", t.s[m.end():]):
            excluded |= set(day)
            times.found = True
            continue
        if any(x.end() <= m.start() or x.start() >= m.end() for x in marked):
            # "we're staffed 9 to 5, so from 5pm until 9 the next morning ...": the clock span said beside it is asked
            times.assumptions.append(f"'{m[0].strip()}' taken as context: the clock span said beside it is the window")
            continue
        times.add(day, f"'{m[0].strip()}' read as the clock, {day.start:02d}:00-{day.stop:02d}:00")
    last_till = -1
    for m in re.finditer(_TILL_SPAN, t.s):  # "morning sessions, 9 till 12": "till" says the clock, not a KPI range
        a, b = int(m[1]), int(m[2])
        sentence = _SENTENCE_BREAK.split(t.s[:m.start()])[-1]
        # ("6 till 10" may be the evening, unless said so: "in the mornings", "first thing, 6 till 9")
        morning = 7 <= a or re.search(r"\bmornings?\b|\bfirst\s+thing\b", sentence)
        if morning and a < b <= 12 and "\0" not in m[0]:
            t.mask(m.start(), m.end())
            times.add(range(a, b), f"'{m[0].strip()}' read as the clock, {a:02d}:00-{b:02d}:00")
            last_till = m.end()
        elif a == b and 6 <= a <= 9 and "\0" not in m[0]:
            # "we're open 7 till 7": a working day, morning to evening
            t.mask(m.start(), m.end())
            times.add(range(a, a + 12), f"'{m[0].strip()}' read as the clock, {a:02d}:00-{a + 12:02d}:00")
            last_till = m.end()
        elif a < b <= 7 and "\0" not in m[0] and (
                re.search(r"\bafternoons?\b", sentence)
                or (last_till >= 0 and re.fullmatch(r"\s*(?:,|and|&|then)?\s*(?:and\s+)?(?:again\s+)?", t.s[last_till:m.start()]))):
            # "feeding rounds, 8 till 11 and 2 till 4": a second span of small hours after a morning one is the
            # afternoon's
            t.mask(m.start(), m.end())
            times.add(range(a + 12, b + 12), f"'{m[0].strip()}' read as the clock, {a + 12:02d}:00-{b + 12:02d}:00")
            last_till = m.end()
    _times_in(t, times)
    outside = re.search(r"\boutside\s+(?:of\s+)?(?:those|these|that|them)(?:\s+(?:hours|times|periods?))?\b", t.s)
    if outside and times.hours and not excluded and not re.search(_KPI_WORDS, t.s[:outside.start()]) \
            and not mentions_time(t.orig[outside.end():]) \
            and not re.search(r"\b(?:during|in|within|inside)\s+(?:it|that|those|them|these)\b", t.orig[outside.end():]):
        # "full strength while classes run, 10am to 10pm. Outside those hours, keep no more than 3 cells active": the
        # span said as context, the ask outside it (no KPI before the reference, no time said after it, nor the span
        # referred back to: "Outside those hours the building is empty. ... from 16:00 through to ...")
        excluded = set(times.hours)
        times.hours = set()
        assumptions.append(f"'{outside[0]}' read as every hour but {sorted(excluded)}")
    if excluded:
        kept = (times.hours or set(range(24))) - excluded
        times.hours, times.found = kept, True
        if not kept:
            notes.append("every hour asked for is also left out; the time window was ignored")
    if t.take(rf"\b(?:{alternatives(LEXICON.weekdays)})\b"):
        notes.append("days of the week are not modelled (every simulated day is alike); the day was ignored")
    if now and times.found:
        notes.append("'now' and a time window both given; the time window was used")
    return (sorted(times.hours) if times.hours else None), times.found


# == cells and knobs ===================================================================================================

_CELLS_SAID = re.compile(r"\bcells?\s+#?(\d+(?:\s*(?:,|and|&|or|-|to|through|thru)\s*#?\d+)*)")


def _context_cells(s: str, cells: set[int]) -> set[int]:
    """Cells named only in sentences that name no KPI, when a sentence that names a KPI names cells of its own."""
    asked: set[int] = set()
    said: set[int] = set()
    for sentence in re.split(r"(?<=[.;!?])\s+|\s*\n\s*", s):
        found = set().union(*(_cell_numbers(m[1]) for m in _CELLS_SAID.finditer(sentence))) & cells
        if not found:
            continue
        if any(re.search(_word(p), sentence) for p, _, _ in _KPI_PATTERNS):
            asked |= found
        else:
            said |= found
    return said - asked if asked else set()


def _cell_numbers(listed: str) -> set[int]:
    """"1, 2 and 5-7" -> {1, 2, 5, 6, 7}"""
    cells: set[int] = set()
    for k, part in enumerate(re.split(r"\s*(?:,|and|&|\+|or)\s*|\s+(?=#?\d)(?<!to\s)(?<!through\s)(?<!thru\s)(?<!-\s)", listed)):
        r = re.match(r"#?(\d+)\s*(?:-|to|through|thru|\.\.)\s*#?(\d+)", part.strip())
        if r:
            a, b = int(r[1]), int(r[2])
            if k and a > b and a <= 12 and re.fullmatch(r"\d+-\d+", part.strip()):
                continue  # "on cell 31 12-2": a span of the clock after the cell, not cells 2-12
            cells |= set(range(min(a, b), max(a, b) + 1))
        elif part.strip().lstrip("#").isdigit():
            cells.add(int(part.strip().lstrip("#")))
    return cells


#: not right after a part of the day: "at lunch (12-2)" gives the clock in brackets
_AFTER_NO_DAY_PART = "".join(rf"(?<!\b{w}\s)" for w in ("lunch", "lunchtime", "night", "nights", "morning", "mornings",
                                                       "afternoon", "afternoons", "evening", "evenings", "overnight",
                                                       "peak", "hours", "day", "daytime", "shift"))


_LEFT_OUT_NUMS = r"(\d{1,3}(?:\s*(?:,|and|&|-|to|through|or)\s*#?\d{1,3})*)"
#: cells an order leaves out, said after their numbers: "leave cells 0-2 alone", "keep cells 3 and 4 on (at night)",
#: "cells 4 and 5 are off limits" (group 1 or 2: the numbers)
LEFT_OUT_AFTER = (rf"\b(?:leave|keep)\s+(?:the\s+)?cells?\s*#?\s*{_LEFT_OUT_NUMS}\s+(?:alone|untouched|unchanged|"
                  r"as\s+(?:they|it)\s+(?:are|is)|on|active|awake|switched\s+on|powered(?:\s+(?:on|up))?|running|lit)\b"
                  rf"|\bcells?\s*#?\s*{_LEFT_OUT_NUMS}\s+(?:are|is|stay|stays|remain|remains|must\s+(?:stay|remain|be)|"
                  r"should\s+(?:stay|remain|be))\s+(?:off[\s-]limits|frozen|untouchable|locked|out\s+of\s+(?:scope|bounds)|"
                  r"untouched)\b"
                  # said fine, then left as they are: "the PRB load on cells 8 and 9 is fine, leave them be"
                  rf"|\bcells?\s*#?\s*{_LEFT_OUT_NUMS}\s+(?:[a-z']+\s+){{0,3}}?(?:is|are|looks?|seems?)\s+(?:fine|ok|okay|good|"
                  r"alright)\s*[,;.–-]?\s*(?:so\s+)?(?:leave|don'?t\s+touch|do\s+not\s+touch)\s+(?:them|it|those|that)"
                  r"(?:\s+(?:be|alone))?\b")


def _parse_cells(t: _Text, notes: list[str]) -> list[int] | None:
    cells: set[int] = set()
    excluded: set[int] = set()
    except_re = (rf"\b(?:{alternatives(LEXICON.cell_exclusion)})\s+(?:for\s+)?(?:on\s+)?cells?\s*#?\s*"
                 r"\d[\d,\s&andort-]*")  # (a number first: "do not modify cell on/off switching" names no cell)
    said: list[str] = []
    for m in t.take(except_re):
        excluded |= _cell_numbers(re.sub(r"^\D*", "", m[0]))
        said.append(m[0].strip(" ,"))
    # the cells left out, said after them: "leave cells 0-2 alone", "keep cells 3 and 4 on", "cells 4 and 5 are off
    # limits" (the intent cannot exclude cells: the reading is for every cell, and the checks ask to confirm it)
    for m in t.take(LEFT_OUT_AFTER):
        excluded |= _cell_numbers(next(g for g in m.groups() if g))
        said.append(m[0].strip(" ,"))
    # "between cells 50 and 53": the cells from one to the other
    for m in t.take(r"\bbetween\s+cells?\s+#?(\d{1,3})\s+and\s+(?:cells?\s+)?#?(\d{1,3})\b(?![.:]\d)"):
        a, b = int(m[1]), int(m[2])
        cells |= set(range(min(a, b), max(a, b) + 1)) if abs(a - b) <= 20 else {a, b}
    for m in t.take(r"\bcells?\s*(?:#|no\.?|ids?|numbers?)?\s*(\d{1,3}(?![:]?\d)(?!\.\d)(?!/\d)(?:\s*(?:,|and|&|\+|or|-|to|through|thru|\.\.|(?<=\d)\s(?=\d))\s*#?(?!0\d)\d{1,3}(?![:]?\d)(?!\.\d)(?!/\d))*)"
                    r"(?!\s*(?:%|percent|quarters?\b|thirds?\b|halves\b|fifths?\b|tenths?\b|w\b|kw|ms|mbps|(?!cells?\b)(?:" + _UNIT_RE + r")(?![\w/])|cells?(?!\s*#?\d)|a\.?m\b|p\.?m\b|h\b|hrs?\b|o'?clock|minimum\b(?!\s*\.?\d)" + _OBJECTIVE_AHEAD + r"|min\b(?!\s*\.?\d)" + _OBJECTIVE_AHEAD +
                    r"|per\s+(?:hour|hr|minute|min|user|ue|second|sec|day)\b|an?\s+(?:hour|minute)\b|/\s*(?:hr?|hour|min)\b"  # a rate
                    # "cell 5, 7 till 9 pm": 7 is a time (not "cell 35 until 2am": no hour is 35)
                    r"|(?:(?<=\b[1-9])|(?<=\b1[0-2]))\s*(?:till|until|til|to|-)\s*\d{1,2}(?::\d\d)?\s*(?:am|pm|a\.m|p\.m)\b"
                    # "on cell 8, 10 till 12 pls": a span after the cell, said with "till" (cells run "to" and "-")
                    r"|(?:(?<=\b[1-9])|(?<=\b1\d)|(?<=\b2[0-3]))\s*(?:till|until|til)\s*\d{1,2}(?::\d\d)?\b"
                    r"|maximum\b(?!\s*\.?\d)" + _OBJECTIVE_AHEAD + r"|max\b(?!\s*\.?\d)" + _OBJECTIVE_AHEAD + r"|or\s+(?:more|less|fewer|higher|lower|above|below)))\b"):
        cells |= _cell_numbers(m[1])
    # the cells described, then their numbers after "are": "the MVNO's dedicated cells are 60, 61 and 62", "the cells
    # in the mall are 12 and 13" (a list, or one cell: "the problem cell is 7"; not a count, "active cells are 30")
    for m in t.take(r"(?<!active\s)(?<!awake\s)(?<!asleep\s)(?<!sleeping\s)(?<!of\s)\b(?:cells\s+(?:(?!(?:active|awake|asleep|"
                    r"sleeping|on|off|running|loaded|busy|full|down|up)\b)[a-z'-]+\s+){0,5}?are\s+(?:cells\s+)?"
                    r"(\d{1,3}(?:\s*(?:,|and|&)\s*#?\d{1,3})+)|cell\s+(?:(?!(?:active|awake|asleep|sleeping|on|off)\b)"
                    r"[a-z'-]+\s+){0,5}?is\s+(?:cell\s+)?#?(\d{1,3}))"
                    rf"(?!\d|[.:]\d|\s*(?:%|percent|loaded|busy|full|users?\b|ues?\b|(?:{_UNIT_RE})(?![\w])))"):
        cells |= _cell_numbers(m[1] or m[2])
    # the cells described, then their numbers in brackets: "the cells near the town hall (15, 16, 17)"; not a clock
    # span in brackets after a part of the day ("fewer cells on at lunch (12-2)", "half the cells at night (00-06)")
    # (only the brackets are taken: the words before them may say when, "the theatre cells at night (20 through 27)")
    for m in list(re.finditer(r"\bcells?\s*(?:[a-z'-]+\s+){0,6}?(?:" + _AFTER_NO_DAY_PART
                              + r"|(?=\([^)]*\b(?:2[5-9]|[3-9]\d|\d{3})\b))(?P<br>\(\s*(?:cells?\s*)?(?:(?:no\.?|nr\.?|#|number)\s*)?"
                              r"(?!0\d)(\d{1,3}(?:\s*(?:,|and|&|-|to|through|thru)\s*\d{1,3})*)\s*\))", t.s)):
        cells |= _cell_numbers(m[2])
        t.mask(m.start("br"), m.end("br"))
    # (not a clock time after "on site": "the crew is on site 6am-2pm")
    if t.take(rf"(?<!\bon\s)\bsites?\s+#?\d+(?![\d:]|\.\d|\s*(?:a\.?m|p\.?m|h|hrs?|o'?clock)\b|\s*%|\s*(?:{_UNIT_RE})(?![\w]))"):
        notes.append("sites are not addressable in an intent; name the cells (e.g. 'cells 3, 4 and 5')")
    if said and cells and excluded:  # "cells 0 to 7, except cells 3 and 4": the cells named, less those left out
        notes.append(f"'{'; '.join(said)}': cells {sorted(excluded & cells)} left out of the cells named")
        cells -= excluded
    elif said:
        notes.append(f"'{'; '.join(said)}': excluding cells from all of them is not supported by the intent (name the "
                     "cells to change); all cells are in scope")
    return sorted(cells) if cells else None


def _clause_spans(s: str, unmasked: str | None = None) -> list[tuple[int, int, str]]:
    """[start, end) of each clause and the separator word that opened it (`unmasked`: `s` before any phrase was
    masked, to see whether a colon opens a bound)."""
    out, last, sep = [], 0, ""
    for m in _BOUNDARY.finditer(s):
        if m.group(0) == ":" and _BOUND_AHEAD.match(unmasked if unmasked is not None else s, m.end()):
            continue  # "coverage: at least 95%": one clause, a KPI and its bound
        out.append((last, m.start(), sep))
        last, sep = m.start(), m.group(0).strip()
    out.append((last, len(s), sep))
    return out


def _clause_of(pos: int, spans: list[tuple[int, int, str]]) -> int:
    for i, (a, b, _) in enumerate(spans):
        if a <= pos < b:
            return i
    return len(spans) - 1


_LATENCY_VALUE = r"\d[\d.,]*\s*(?:ms|milliseconds?|msecs?)\b"
_RATE_VALUE = r"\d[\d.,]*\s*(?:[kmg]bps|[kmg]bit/s|[kmg]b/s|(?:kilo|mega|giga)bits?(?:\s+per\s+second)?)(?![\w/])"
_P95_TAIL = r"\s+at\s+(?:the\s+)?(?:95th|95|ninety-fifth|p95)[- ]?(?:percentile|pct|%ile|%-ile)?\b"
_P5_TAIL = r"\s+(?:even\s+)?at\s+(?:the\s+)?(?:(?:5th|5|fifth|p5)[- ]?(?:percentile|pct|%ile|%-ile)|(?:cell[- ])?edge)\b"


def _bare_percentile(s: str) -> str:
    """A percentile named without its KPI, the unit saying which: "the 5th percentile stays at or above 500 kbps" is the
    5th-percentile throughput, "the 95th percentile under 40 ms" the p95 latency."""
    gap = r"((?:(?!latenc|delay|throughput|speed|rate|\d)[^.;\n]){0,30}?)"
    verb = (r"(?=\s+(?:stays?|is|remains?|must|should|needs?|has|at|above|below|under|over|no|not|never|drops?|falls?|dips?|"
            r"doesn'?t|does\s+not|won'?t|will\s+not|shouldn'?t|mustn'?t|can'?t|cannot|[<>≤≥]))")
    # (a slice may be said between: "don't let the 5th percentile on eMBB fall under 1500 kbps")
    of_slice = r"((?:\s+(?:on|for|of|in|across)\s+(?:the\s+)?(?:embb|urllc|mmtc)(?:\s+(?:slice|users|traffic|devices))?)?)"
    s = re.sub(rf"\b((?:the\s+)?(?:5th|fifth)[- ]?(?:percentile|pct|%ile|%-ile)){of_slice}{verb}{gap}(?={_RATE_VALUE})",
               r"\1 throughput\2\3", s)
    return re.sub(rf"\b((?:the\s+)?(?:95th|ninety-fifth)[- ]?(?:percentile|pct|%ile|%-ile)){of_slice}{verb}{gap}(?={_LATENCY_VALUE})",
                  r"\1 latency\2\3", s)


def _postposed_percentile(s: str) -> str:
    """A percentile said after the bound: "latency of 10 ms at the 95th percentile" is a bound on the p95 latency,
    "2 Mbps at the 5th percentile" one on the 5th-percentile throughput. The percentile moves before the KPI word
    (or stands in for it when the number has none before it)."""
    # the cell edge named alone before a rate: "mean throughput at least 15 Mbps, and the cell-edge 3 Mbps"
    s = re.sub(rf"\b(the\s+(?:cell[- ])?edge)\s+(?=(?:at\s+least\s+|>=\s*|of\s+)?{_RATE_VALUE})", r"\1 throughput ", s)
    # the percentile in apposition: "the tail latency of the robotics slice, the 95th percentile, ..."
    s = re.sub(r"\b(?:(?:tail|worst[- ]case)\s+)?(latenc(?:y|ies)|delays?)((?:\s+(?:of|for|on)\s+[^,.;()]{0,40}?"
               r"(?:\s*\([^()]{0,15}\))?)?)\s*[,(]\s*"
               r"(?:the\s+|i\.e\.\s+|that\s+is\s+)?(?:95th|p95|ninety-fifth)[- ]?(?:percentile)?\s*[,)]", r"p95 \1\2 ", s)
    # the percentile right after its KPI word: "throughput at the 5th percentile mustn't go under 1.5 Mbit/s"
    s = re.sub(rf"\b(latenc(?:y|ies)|delays?){_P95_TAIL}", r"p95 \1", s)
    s = re.sub(rf"\b(throughput|(?:data\s+)?rates?|speeds?){_P5_TAIL}(?<!edge)", r"5th percentile \1", s)
    gap = r"((?:(?!latenc|delay|throughput|speed|rate|\d)[^.;\n]){0,40}?)"  # no other KPI word or number between
    s = re.sub(rf"\b(latenc(?:y|ies)|delays?)\b{gap}({_LATENCY_VALUE}){_P95_TAIL}", r"p95 \1\2\3", s)
    s = re.sub(rf"(?<![\w.])({_LATENCY_VALUE}){_P95_TAIL}", r"p95 latency \1", s)
    # (not a KPI word whose own value comes before it: "15 Mbit/s mean throughput and 2 Mbit/s at the 5th percentile")
    s = re.sub(rf"\b(throughput|(?:data\s+)?rates?|speeds?)\b{gap}({_RATE_VALUE}){_P5_TAIL}",
               lambda m: m[0] if re.search(rf"{_RATE_VALUE}\s+(?:(?:mean|average|avg|median)\s+)?$", m.string[:m.start()])
               else f"5th percentile {m[1]}{m[2]}{m[3]}", s)
    # "at least 8 Mbps 5th percentile for that slice": the percentile right after the value
    s = re.sub(rf"(?<![\w.])({_RATE_VALUE})\s+(?:5th|fifth|p5)[- ]?(?:percentile|pct|%ile|%-ile)\b", r"5th percentile throughput \1", s)
    return re.sub(rf"(?<![\w.])({_RATE_VALUE}){_P5_TAIL}", r"5th percentile throughput \1", s)


#: the means said to be the only ones after they are named: "..., nothing else changed", "no other changes"
_NOTHING_ELSE = re.compile(r"[,;(-]\s*(?:but\s+|and\s+)?(?:(?:nothing\s+else|no\s+other\s+(?:changes?|knobs?|settings?|parameters?))"
                           r"(?:\s+(?:changed|touched|modified|adjusted|please|pls))?"
                           # "..., leave everything else alone", "don't touch anything else"
                           r"|leave\s+(?:everything|all|anything)\s+else\s+(?:alone|as\s+(?:it\s+)?is|untouched|unchanged)"
                           # "..., just don't touch any other settings"
                           r"|(?:just\s+|but\s+)?(?:don'?t|do\s+not)\s+(?:touch|change)\s+(?:anything\s+else|any\s+other\s+"
                           r"(?:settings?|knobs?|parameters?)))\s*(?:[.;!?),\n\u2013\u2014-]|$)")  # (closing a sentence, a clause or an aside)


def _knob_polarity(before: str, after: str, mode: str | None, follows: bool | None) -> bool | None:
    """True: the knob is a means; False: it is excluded; None: just named. ``follows``: the polarity of a knob
    listed right before this one ("via tx power and tilt")."""
    if mode == "neg":
        return False
    if re.match(_KNOB_PERMITTED_AFTER, re.sub(_KNOB_NOUN, "", after)):
        return None  # said to be fine, whatever the knob before it: "Don't touch tilt or power, putting cells to sleep is fine"
    if follows is not None and not re.match(_KNOB_NEG_AFTER, re.sub(_KNOB_NOUN, "", after)):
        return follows  # (not "only adjust CIO and tilt, power is locked": said of the knob itself)
    after = re.sub(_KNOB_NOUN, "", after)
    if m := re.search(_KNOB_EXCEPT, before):
        # "change nothing except", "leave everything except ... alone", "freeze all but": the only means
        only = m.group().startswith("nothing") or bool(re.search(
            rf"{_NEGATION}|{_KNOB_NEG_BEFORE}|\b(?:nothing|none|no\s+other|freez\w*|lock\w*)\b", before[: m.start()]))
        if only or not m.group().startswith("besides"):  # "besides sleeping cells you may tilt": one more means
            return only
    if re.search(_NEGATION, before) or re.search(_KNOB_NEG_BEFORE, before) or re.match(_KNOB_NEG_AFTER, after) \
            or re.search(r"\b(?:nothing|none)(?:\s+(?:of\s+(?:them|the\s+cells)|at\s+all))?(?:\s+(?:is|are|gets?|will\s+be|"
                         r"should\s+be|must\s+be|to\s+be))?\s*$", before):
        return False  # (and "nothing switched off", "none of them turned off", "make sure nothing is switched off")
    if (mode == "act" and re.search(_KNOB_PERMITTED_BEFORE, before)) or re.match(_KNOB_PERMITTED_AFTER, after):
        return None  # "it's fine to switch cells off", "switching off cells is fine", "Tweaking the CIO is fine":
        # allowed, not the only means
    if mode == "act" or re.search(_KNOB_POS_CUE, before) or re.match(_KNOB_POS_AFTER, after):
        return True
    return None


def _parse_knobs(t: _Text, spans: list[tuple[int, int, str]]) -> tuple[list[str] | None, bool, set[str]]:
    """Knobs the text restricts the change to: named after a means cue ("only by tilt", "using sleep mode") or
    excluded after a negation ("without touching the tilt", "keep all cells on"). A knob listed right after another
    ("via tx power and tilt") takes the first one's polarity."""
    found: list[tuple[int, int, str, str | None]] = []
    for pattern, knob, mode in _KNOB_PATTERNS:
        found += [(m.start(), m.end(), knob, mode) for m in t.take(_word(pattern))]
    found.sort()
    polarities: list[tuple[str, bool | None, bool]] = []  # (knob, polarity, listed right after the one before)
    prev: tuple[int, bool | None] = (-1, None)
    for start, end, knob, mode in found:
        ci = _clause_of(start, spans)
        a, _, sep = spans[ci]
        coordinated = prev[0] >= 0 and re.fullmatch(r"(?:\s+(?:on|of|for)\s+(?:the\s+|all\s+)?(?:(?:idle|unused|spare|empty|quiet|"
                                                    r"other|remaining|lightly[- ]loaded)\s+)?cells)?"
                                                    r"[\s\0()]*(?:,|and|or|&|/|plus|\+)?[\s\0()]*(?:the\s+|cell\s+)?",
                                                    t.s[prev[0]: start]) is not None  # "cell offsets (CIO) and slice shares",
        # "sleep on idle cells and transmit power reduction only"
        before = t.s[a:start]
        if (sep == "with" and (re.search(_NEGATION + r"(?:\s+\w+){1,4}\s*$", t.s[max(0, a - 40):a])
                               or re.search(_KNOB_NEG_BEFORE + r"\s*$", t.s[max(0, a - 40):a]))) or (
                sep in ("using", "via", "through") and re.search(_NEGATION + r"(?:\s+\w+){0,3}\s*$", t.s[max(0, a - 40):a])):
            # "don't mess with the CIO", "don't go mucking about with ...", "avoid using transmit power changes": the
            # clause split cut the verb off
            before = t.s[max(0, a - 40):start]
        elif sep == "except" or (sep == "but" and re.search(r"\b(?:anything|everything|all|nothing)\s*$", t.s[max(0, a - 20):a])):
            before = t.s[max(0, a - 40):start]  # "change nothing except the tilt": the negation is before the split
        elif sep == "by" and re.search(r"\b(?:not|other\s+than|except|apart\s+from|save)\s*$", t.s[max(0, a - 20):a]):
            before = t.s[max(0, a - 20):start]  # "other than by switching cells off", "but not by ...": excluded
        elif sep in ("or", "nor") and ci > 0 and not re.search(_NEGATION, before):
            # "don't sleep any cells or touch the offsets", "without sleeping cells or touching the CIO": a negated
            # verb's "or" carries its negation to the next verb
            pa, pb, psep = spans[ci - 1]
            if psep == "without" or re.match(rf"\W*(?:{re.escape(psep)})?\W*(?:please\s+)?(?:{_NEGATION})",
                                             t.s[pa:pb]):
                before = t.s[pa:start]
        polarity = _knob_polarity(before, t.s[end: end + 40], mode, prev[1] if coordinated and prev[1] is not None
                                  else None)
        if polarity is None and (sep in ("", ".", ";", "!", "?") or (
                # after a comma, colon or dash only a verb ("cut energy 22:00-06:00, sleep idle cells", "re: night
                # savings - sleep what you can"), not a noun or a gerund ("Component: slicing", "sleep modes allowed"),
                # nor after a dash a knob that is also a noun ("... slice shares for this one - tilt changes take ...")
                (sep.strip() in (",", ":") and re.match(r"(?:sleep|switch|turn|shut|power|put|tilt)\b(?!\s+modes?\b)",
                                                        t.orig[start:end]))
                or (sep.strip() in ("-", "–", "—") and re.match(r"(?:sleep|switch|turn|shut|put)\b(?!\s+modes?\b)",
                                                              t.orig[start:end])))) \
                and re.fullmatch(r"[\s\0;.!?,:]*(?:please\s+)?(?:down|up|re)?-?\s*", before) \
                and not re.match(_KNOB_PERMITTED_AFTER, t.s[end:end + 40]) \
                and not re.match(rf"(?:[\s\0,/&]|and\b|or\b|plus\b|the\b)*(?:(?:{_KNOB_NOUNS})\s+)?"
                                 r"(?:must|should|shall|may|can|could|will|is|are|was|were|stays?|remains?)\b",
                                 t.s[end:end + 60]):
            polarity = True  # "Down-tilt the antennas of cells 2 and 3": a knob as the imperative verb is the means
        polarities.append((knob, polarity, coordinated))
        prev = (end, polarity)
    # "Give the urllc slice a bigger share of the resource blocks ..., nothing else changed", "You can tilt and change
    # power, leave everything else alone": the knobs named before "nothing else" in its sentence are the only ones
    if (last := _NOTHING_ELSE.search(t.s)) is not None:
        sentence_start = max((e.end() for e in _SENTENCE_BREAK.finditer(t.s[:last.start()])), default=0)
        polarities = [(k, True if p is None and sentence_start <= found[i][0] < last.start() else p, c)
                      for i, (k, p, c) in enumerate(polarities)]
    # "tilt and CIO changes only": a knob listed right before one restricted by a word after it shares the restriction
    for i in range(len(polarities) - 1, 0, -1):
        knob, polarity, coordinated = polarities[i - 1]
        if polarity is None and polarities[i][2] and polarities[i][1] is not None:
            polarities[i - 1] = (knob, polarities[i][1], coordinated)
    pos = {k for k, p, _ in polarities if p is True}
    neg = {k for k, p, _ in polarities if p is False}
    if pos - neg:
        knobs = [k for k in KNOB_NAMES if k in pos - neg]
    elif neg:  # (a means also excluded, "sleep mode caused the hole ... without switching off any cells": excluded)
        knobs = [k for k in KNOB_NAMES if k not in neg]
    else:
        return None, False, set()
    return knobs, True, pos - neg  # [] : every knob excluded (`parse_rules` refuses the text)


# == numbers and units =================================================================================================

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
    if unit == "cells":  # "on those 2 cells" bounds no latency; "at most 30 cells on" bounds the active cells
        return (value, "none", None) if kpi == "active_cells" else (None, "none", None)
    if unit in ("Mbit/J", "kbit/J", "bit/J"):
        if kpi != "energy_efficiency":
            return None, "none", None
        return value / {"Mbit/J": 1.0, "kbit/J": 1e3, "bit/J": 1e6}[unit], "none", None
    if kpi == "handover_rate" and unit == "none":
        if re.search(r"per\s+hour|an\s+hour|/\s*h(?:our)?\b|hourly", clause):
            return value / 60.0, "per_hour", f"handover_rate {value:g} per hour = {value / 60:g} per minute"
        return value, "per_min", None
    if unit in UNIT_FAMILY and UNIT_FAMILY[unit] != KPI_UNITS[kpi]:
        return None, "none", None
    v, note = normalize_value(kpi, value, unit)
    return v, unit, note


def _fits(kpi: str, unit: str, *, absolute: bool = False) -> bool:
    """Can a number with ``unit`` be about ``kpi``? (``absolute``: as a bound, not a relative "20%" target.)"""
    if unit == "%":
        return kpi in FRACTION_KPIS or not absolute
    if unit == "none":
        return True
    return _UNIT_FAMILY.get(unit) == KPI_UNITS[kpi]


def grounded_value(kpi: str, value: float, free: list[tuple[float, str]]) -> bool:
    """Is ``value`` (in ``kpi``'s unit) one of the text's unused numbers, read with its own unit?"""
    for v, unit in free:
        if not _fits(kpi, unit):
            continue
        conv = _convert(kpi, v, unit, "")[0]
        if conv is not None and values_close(conv, value, 1e-6):
            return True
    return False


# == mentions ==========================================================================================================

def _ranges(t: _Text) -> list[_Mention]:
    """"between 90% and 98%", "90-98%": a range is a floor and a ceiling; read before clauses split at "and"."""
    out: list[_Mention] = []
    for m in t.take(rf"(?:\bbetween\s+{_NUM}\s*(?:({_UNIT_RE})(?![\w]))?\s*(?:and|to|-)\s*{_NUM}"
                    rf"|(?<![\w.]){_NUM}\s*-\s*{_NUM})\s*(?:({_UNIT_RE})(?![\w])|(?![a-z]))"):
        lo, hi = (float(m[1]), float(m[3])) if m[1] is not None else (float(m[4]), float(m[5]))
        unit = _unit_name(m[6] or m[2])
        lo, hi = min(lo, hi), max(lo, hi)
        out += [_Mention(m.start() + 1, m.start() + 2, "num", number=lo, unit=unit),
                _Mention(m.start(), m.start(), "cmp", ">=", "range"),
                _Mention(m.end() - 1, m.end(), "num", number=hi, unit=unit),
                _Mention(m.end() - 2, m.end() - 2, "cmp", "<=", "range")]
    return out


def _comparators(t: _Text) -> list[_Mention]:
    """Read before the clauses: "at or above", "or more" hold words the clause split would cut at."""
    out: list[_Mention] = []
    failing = failure_spans(t.s)
    for pattern, op, kind in _COMPARATORS:
        if kind == "sym":  # symbols need no word boundary: "coverage>=0.9"
            out += [_Mention(m.start(), m.end(), "cmp", ">=" if m[0] in (">=", "=>", ">") else "<=", "cmp")
                    for m in t.take(pattern)]
            continue
        for m in re.finditer(_word(pattern), t.s):
            # a comparator that follows its number ("90% minimum") needs a number before it: "maximum bits/J" is not
            if not m.group(0).strip() or (kind == "post" and not re.search(r"\d", t.s[max(0, m.start() - 30):m.start()])):
                continue
            t.mask(m.start(), m.end())
            out.append(_Mention(m.start(), m.end(), "cmp", op, kind))
    # inside a failure condition ("rollback if coverage < 93 %") every comparator is the bound turned around
    return [_Mention(c.start, c.end, "cmp", opposite(c.value), c.flag) if in_failure_condition(failing, c.start) else c
            for c in out]


_WHO = re.compile(r"[\s-]+(?:team|teams|department|dept|group|manager|managers|folks|people|guys|division|office|"
                  r"squad|colleagues|engineers?|experts?|specialists?|leads?|owners?|officers?)\b"
                  r"(?!\s+(?:get|gets|got|see|sees|experience|experiences|have|has|receive|receives|enjoy|enjoys)\b)")
#: a KPI word naming a thing, not the KPI: "the coverage maps", "the latency dashboard", "the energy invoice"
_ARTEFACT = re.compile(r"[\s-]+(?:maps?|dashboards?|invoices?|reports?|charts?|graphs?|plots?|pages?|links?|wiki|"
                       r"spreadsheets?|slides?|decks?|tickets?|channel|documentation|docs|notes|log|logs)\b")
_AFTER_NUMBER = re.compile(r"(?<![\w.])\d+(?:\.\d+)?\s*$")


def _named(t: _Text, patterns: list[tuple[str, str, str | None]], kind: MentionKind, *,
           slice_words: bool = False) -> list[_Mention]:
    """KPI, slice or verb phrases, pattern by pattern (each masks what it read). A KPI word right after a number that
    is also a unit word is the number's unit ("8000 watts"), left for the numbers."""
    out: list[_Mention] = []
    for pattern, name, flag in patterns:
        regex = rf"(?<![\w])(?:the\s+)?(?:{pattern}){_SLICE_SUFFIX}(?![\w])" if slice_words else _word(pattern)
        for m in re.finditer(regex, t.s):
            if not m.group(0).strip():
                continue
            if kind == "kpi" and re.fullmatch(_UNIT_RE, m.group(0)) and _AFTER_NUMBER.search(t.s[:m.start()]):
                continue
            if kind == "kpi" and (_WHO.match(t.s, m.end()) or _ARTEFACT.match(t.s, m.end())):
                continue  # "the energy team", "the coverage maps": people and things, not a KPI
            t.mask(m.start(), m.end())
            out.append(_Mention(m.start(), m.end(), kind, name, flag))
    return out


def _heads(kpis: list[_Mention], s: str) -> list[_Mention]:
    """A compound of two KPI words names its head, the last one ("throughput fairness" is fairness, "handover
    latency" is latency): the modifier right before it is dropped."""
    kpis = sorted(kpis, key=lambda x: x.start)
    out: list[_Mention] = []
    for k in kpis:
        if out and re.fullmatch(r"[\s-]*", s[out[-1].end:k.start]) and out[-1].value != k.value:
            k = _Mention(out[-1].start, k.end, "kpi", k.value, k.flag)
            out.pop()
        out.append(k)
    return out


def _numbers(t: _Text) -> list[_Mention]:
    # a minus sign kept when it stands alone before the digits ("below -5 ms": no KPI of the vocabulary can be
    # negative, so the bound is refused with its range, not read as 5 ms); not in "3-5" or "cells 2-4"
    return [_Mention(m.start(), m.end(), "num", number=float(m[2]) * (-1.0 if m[1] else 1.0), unit=_unit_name(m[3]))
            for m in t.take(rf"(?:(?<=[\s(<>≤≥=:~])([-−])(?=[\d.]))?(?<![\w.]){_NUM}(?!\d)\s*(?:({_UNIT_RE})(?![\w])|(?![a-z]))")]  # "95th" is no 9


def _their_edge_throughput(kpis: list[_Mention], before: list[_Mention], orig: str) -> list[_Mention]:
    """"The cell-edge users on cell 41 are having a bad time ... improve their throughput": throughput said of a group
    named before as the 5th percentile (by a pronoun, with no "mean" or "average") is theirs."""
    named = [x.start for x in (*before, *kpis) if x.kind == "kpi" and x.value == "throughput_p5_mbps"]
    return [replace(k, value="throughput_p5_mbps")
            if k.value == "throughput_mean_mbps" and any(p < k.start for p in named)
            and re.search(r"\b(?:their|they\s+get|them\s+(?:better|more|faster))\s+$", orig[max(0, k.start - 30):k.start])
            and not re.search(r"\b(?:mean|average|avg|overall|total)\b", orig[k.start:k.end]) else k
            for k in kpis]


def _slice_there(s: str, slice_end: int, at: int) -> bool:
    """Does "there" at ``at`` refer back to the slice named before it ("the urllc slice runs the interlocks. Latency
    there must be 10ms or lower")? Only right after a KPI, with no cell or place named since the slice ("cut latency
    for urllc on cells 4 and 5, keep coverage there above 95%": the cells)."""
    if not _ends_with_kpi(s[max(0, at - 60):at]):
        return False
    return not re.search(r"\bcells?\b|\bsites?\b|\b(?:in|at|on)\s+(?:the\s+)?(?:[a-z]+\s+)?(?:building|floor|hall|area|zone|"
                         r"room|park|campus|station|site|ward|wing|yard|field|ground|stand|car\s+park)s?\b", s[slice_end:at])


def _max_as_ceiling(v: _Mention, mentions: list[_Mention], s: str) -> _Mention:
    """"Max packet loss 0.2% for mmtc", "maximum latency 10 ms": "max" right before a KPI to keep low that a number
    follows is its ceiling, not the goal to maximize it ("max throughput 50 Mbps" stays the goal)."""
    if v.value != "max" or not re.fullmatch(r"max(?:imum)?\.?", s[v.start:v.end]):
        return v
    after = sorted((m for m in mentions if m.start >= v.end), key=lambda m: m.start)
    if (len(after) >= 2 and after[0].kind == "kpi" and after[1].kind == "num" and not after[0].flag
            and KPI_DIRECTION[after[0].value] == "min"
            and re.fullmatch(r"\s*", s[v.end:after[0].start])
            and re.fullmatch(r"\s*(?:of|at|is|=|:)?\s*", s[after[0].end:after[1].start])):
        return _Mention(v.start, v.end, "cmp", "<=", "cmp")
    return v


def _mentions(t: _Text) -> tuple[list[_Mention], list[tuple[int, int, str]], list[str] | None, bool, set[str]]:
    """Every phrase of the text, in reading order (which masks what), then sorted by position; the clause spans;
    the knobs (the restriction, whether one was found, the knobs named as the means)."""
    mentions = _ranges(t)
    mentions += _comparators(t)
    spans = _clause_spans(t.s, t.orig)
    slices = _named(t, [(p, s, None) for p, s in _SLICE_PATTERNS], "slice", slice_words=True)
    # "Sensor cells 41 to 44": cells named by what they serve, not a slice ("the urllc cells" keeps its slice)
    slices = [x for x in slices if t.orig[x.start:x.end].split()[-1:] in ([n] for n in SLICES)
              or not re.match(r"\s+(?:cells?|sites?)\b", t.orig[x.end:])]
    # "don't touch the slice shares, the URLLC split is agreed": a slice's share of the cell is the knob, not a slice
    # the KPIs are asked for
    slices = [x for x in slices if not re.match(r"(?:\s+slice)?(?:'s)?\s+(?:split|shares?|allocation|quota|partition)\b(?!\s+(?:of|for)\b)",
                                                t.orig[x.end:])]
    mentions += slices
    for m in re.finditer(_SLICE_ANAPHOR, t.s):  # "for that slice", "for those devices": the slice named last before it
        before = [x for x in slices if x.start < m.start()]
        if m[0] == "there" and before and not _slice_there(t.orig, max(before, key=lambda x: x.start).end, m.start()):
            continue
        if before:  # with none named before, the words stay for the other readers, as without this pass
            t.mask(m.start(), m.end())
            mentions.append(_Mention(m.start(), m.end(), "slice", max(before, key=lambda x: x.start).value))
    mentions += _named(t, _PRE_KNOB_KPI_PATTERNS, "kpi")
    knobs, knobs_found, means = _parse_knobs(t, spans)
    mentions += _their_edge_throughput(_heads(_named(t, _KPI_PATTERNS, "kpi"), t.s), mentions, t.orig)
    mentions += _numbers(t)
    mentions += [_Mention(m.start(), m.end(), "neg") for m in re.finditer(_NEGATION, t.s)]
    verbs = _named(t, [(p, k, None) for p, k in _VERBS], "verb")
    kpi_starts = [m.start for m in mentions if m.kind == "kpi"]
    mentions += [_max_as_ceiling(v, mentions, t.orig) for v in verbs if not _reported(t.orig, v, kpi_starts)]
    mentions.sort(key=lambda x: x.start)
    return mentions, spans, knobs, knobs_found, means


def is_year(value: float, unit: str) -> bool:
    """A bare whole number from 1990 to 2100: a year ("the board's 2025 target"), not a level."""
    return unit == "none" and value == int(value) and 1990 <= value <= 2100


#: an amount said against a need ("2 kW more than we need", "3 ms over what the SLA allows"): a difference, not a level
_EXCESS = re.compile(r"\s*(?:[a-z/]+\s+)?(?:more|less|fewer|over|above|under|below|too\s+much|too\s+little|extra)\s+(?:than\s+)?"
                     r"(?:what\s+)?(?:we|you|they|it|is|are|the\s+\w+)\s+(?:needs?|needed|necessary|required|requires?|"
                     r"allows?|planned|budgeted)\b")
#: a window said by its length, then its start ("a 2-hour test from 20:00"), or its start, then its length ("from 8pm
#: for 3 hours"): the clock span from the start for that many hours
_CLOCK_START = r"(\d{1,2})(?::(\d{2}))?\s*(am|pm|a\.m\.?|p\.m\.?)?"
_DURATION_FROM = re.compile(rf"\b(?P<n>[1-9]|1[0-2])[- ]?(?:hours?|hrs?|h)\b(?P<mid>[^.;!?\d]{{0,50}}?)\bfrom\s+{_CLOCK_START}(?!\s*(?:to|till|until|-|–)\b)(?![\d:])")
_FROM_FOR_DURATION = re.compile(rf"\bfrom\s+{_CLOCK_START}\s+for\s+(?:(?:a|the)\s+)?(?:next\s+)?(?P<n>[1-9]|1[0-2])\s+(?:hours?|hrs?)\b")


def _duration_span(m: re.Match[str]) -> str:
    hour, minutes, half = int(m[1] if m.re is _FROM_FOR_DURATION else m[3]), \
        (m[2] if m.re is _FROM_FOR_DURATION else m[4]), (m[3] if m.re is _FROM_FOR_DURATION else m[5])
    if half and half.startswith("p") and hour < 12:
        hour += 12
    elif half and half.startswith("a") and hour == 12:
        hour = 0
    if hour > 23 or (minutes is not None and int(minutes) > 59) or (half is None and minutes is None and hour < 13):
        return m[0]  # not a clock time said plainly ("from 9", a time no day has): left to the clock reader
    end = (hour + int(m["n"])) % 24
    mm = minutes or "00"
    head = "" if m.re is _FROM_FOR_DURATION else f"{m['n']}-hour{m['mid']}"
    return f"{head}from {hour:02d}:{mm} to {end:02d}:{mm}"


#: a dash between spaces that ends a statement ("packet loss over 2% at rush hour – fix it")
_DASH_BREAK = re.compile(r"\s[\u2013\u2014-]\s")
#: the trail's words for a bound read as the complaint a later order contradicts (`_drop_complaints_before_orders`;
#: the checks count its number as read)
COMPLAINT_BEFORE_ORDER = "read as the complaint (the network's state now): the bound asked after it contradicts it"
#: the trail's words for a bound said as a state
_READ_AS_STATE = "read as the network's state now, not a bound"
#: an amount added ("without adding more than 1 kW", "at most 2 kW extra", "1 kW more than today")
_ADDED_BEFORE = re.compile(r"\b(?:add|adds|adding|added)\s+(?:(?:no\s+)?(?:more|less|fewer)\s+than|over|under|at\s+most|"
                           r"up\s+to|only|just|about|around|roughly)?\s*$")
_ADDED_AFTER = re.compile(r"\s*(?:%|(?!(?:or|and|nor|to)\b)[a-z/]+)?\s+(?:extra|additional|more)\b(?!\s+(?:than\s+(?:that|this|\d)|or\b))")
#: an amount taken off ("knock 2 kW off the night-time draw", "shave 10% off the bill"; not "off-peak")
_TAKEN_OFF = re.compile(r"\s*(?:%|[a-z/]+)?\s+off\b(?![-\s]*peak)")
#: a number of minutes, hours, days ... or of meters (not a rate: "per hour" is a unit)
_DURATION = re.compile(r"\s*(minutes?|hours?|hrs?|days?|weeks?|months?|years?|meters?|metres?|kilometers?|kilometres?|km|"
                       r"miles?|feet|ft)\b(?!\s*(?:per\b|/))")
#: a whole number followed by the things it counts ("our 12 macro sites", "found 7 dead spots", "3 complaints"): a
#: plural noun, perhaps after a word or two that describe it, and no rate ("per minute") after it
_COUNT_OF = re.compile(r"\s*((?:(?!(?:across|all|in|on|at|of|for|the|our|its|their|every|each|per|by|over|under|"
                       r"during|from|to|and|or|with|without|while|when|is|are|was|were|be)\b)[a-z][\w-]*\s+){0,2}"
                       r"[a-z]+[^s\W]s)\b(?!\s+(?:per|an?|each|every)\b|/)")


#: a negation said after what it negates: "raising power there is not an option", "... is out of the question"
_RULED_OUT = re.compile(r"(?:\s+(?:there|here|on\s+(?:them|it|those|these)|at\s+night|now|today)){0,2}\s+"
                        r"(?:is|are|was|would\s+be|will\s+be)\s+(?:not\s+(?:an?\s+)?(?:option|possible|allowed|"
                        r"acceptable|permitted|on)|out\s+of\s+the\s+question|off\s+the\s+table|a\s+no[- ]go|"
                        r"forbidden|prohibited|not\s+something\s+we\s+can\s+do)\b")


#: words before a past-tense verb that make it no report: a passive or an infinitive ("must be reduced", "to be
#: lowered"), a list of orders ("tilt cell 4 and reduced ..." misspelt), a request
_NOT_A_SUBJECT = re.compile(r"(?:^|\s)(?:be|been|being|is|are|was|were|am|get|gets|got|gotten|getting|to|and|or|then|"
                            r"please|also|just|further|not|never|\W)\s*$")


def _reported(s: str, v: _Mention, kpi_starts: list[int]) -> bool:
    """Is the verb `v` a report of what happened, not an order ("the new firmware on our 12 macro sites raised idle
    power draw", "the upgrade has increased latency")? A past tense in -ed with a subject before it in its sentence,
    no KPI before it there (not a telegraphic "energy reduced by 20 %"), one after it, and nothing that asks ("we
    need", "want ... lowered", "please", "if") or supposes ("suppose we reduced handovers")."""
    head = _sentence_before(s, v.start)
    start = v.start - len(head)
    if re.match(r"(?:goes|comes)\s+(?:up|down)\b", s[v.start:v.end + 6]) and re.search(r"[a-z]", head) \
            and not _ASKING.search(head):
        return True  # "the number of handovers per user goes up a lot": what happens, not what to do
    if not re.fullmatch(r"[a-z]+ed", s[v.start:v.end]):
        return False
    if _ASKING.search(head) or re.search(r"\b(?:suppose|supposing|imagine|what\s+if|assuming|say)\b", head):
        return False  # "we want latency lowered", "suppose we reduced ..."
    if re.search(r"[a-z]\s+(?:has|have|had)\s+(?:\w+ly\s+)?$", head):
        return True  # "handovers have doubled since the reopening": a present perfect reports, whatever its subject
    if not re.search(r"[a-z]", head) or _NOT_A_SUBJECT.search(head):
        return False
    return not any(start <= k < v.start for k in kpi_starts) and any(k > v.start for k in kpi_starts)


# == the clauses =======================================================================================================

@dataclass
class _Clause:
    """One clause: where it starts, the separator that opened it, its text (normalized, and as written) and the
    phrases found in it by kind."""

    start: int
    sep: str
    text: str
    phrase: str
    mentions: list[_Mention]
    kpis: list[_Mention]
    nums: list[_Mention]
    verbs: list[_Mention]
    negs: list[_Mention]
    cmps: list[_Mention]


def _of(mentions: list[_Mention], kind: MentionKind) -> list[_Mention]:
    return [x for x in mentions if x.kind == kind]


def _phrase(ctext: str) -> str:
    return re.sub(r"\s+", " ", ctext).strip(" ,;.")


def _slice_for(kpi: _Mention, clause: list[_Mention], carried: str | None) -> str | None:
    if kpi.value in NETWORK_ONLY_KPIS:
        return None
    if kpi.slice_of is not None:  # a KPI referred back to keeps the slice it was named with
        return kpi.slice_of
    slices = _of(clause, "slice")
    if not slices:
        return carried
    return min(slices, key=lambda x: abs(x.start - kpi.start)).value


def _gap(k: _Mention, n: _Mention) -> int:
    """Characters between a KPI phrase and a number (0 when adjacent), either order."""
    return n.start - k.end if k.end <= n.start else max(0, k.start - n.end)


_COORDINATION = re.compile(r"\s*(?:,|and|or|&|/|as\s+well\s+as|plus)?\s*(?:both\s+)?(?:the\s+)?")


def _coordinated(a: _Mention, b: _Mention, s: str) -> bool:
    """Are two KPI phrases listed together ("coverage and fairness", "coverage, fairness")? Masked phrases between
    them (a slice name) do not count."""
    first, second = (a, b) if a.start <= b.start else (b, a)
    return bool(_COORDINATION.fullmatch(s[first.end:second.start].replace("\0", " ")))


def _pair_numbers(kpis: list[_Mention], nums: list[_Mention], cmps: list[_Mention],
                  notes: list[str], s: str = "") -> dict[int, list[_Mention]]:
    """Which number bounds which KPI in one clause: closest first, one number a KPI (the two ends of a range go
    together), a number only to a KPI its unit fits; one number and several KPIs listed together ("coverage and
    fairness above 0.9") bounds them all."""
    paired: dict[int, list[_Mention]] = {id(k): [] for k in kpis}
    ranges = {n.start for n in nums for c in cmps if c.flag == "range" and abs(c.start - n.start) <= 2}
    taken: set[int] = set()
    pairs = sorted(((_gap(k, n), k.start > n.start, i, j) for i, k in enumerate(kpis) for j, n in enumerate(nums)
                    if _fits(k.value, n.unit)))
    for _, _, i, j in pairs:
        k, n = kpis[i], nums[j]
        if j in taken or (paired[id(k)] and not (n.start in ranges and all(m.start in ranges for m in paired[id(k)]))):
            continue
        paired[id(k)].append(n)
        taken.add(j)
    for j, n in enumerate(nums):
        if j not in taken:
            _pair_leftover(n, kpis, paired, notes)
    if len(nums) == 1:
        group = [k for k in kpis if paired[id(k)]]
        for k in sorted(kpis, key=lambda x: abs(x.start - nums[0].start)):
            if not paired[id(k)] and _fits(k.value, nums[0].unit, absolute=True) and (
                    not s or any(_coordinated(k, g, s) for g in group)):
                paired[id(k)] = [nums[0]]
                group.append(k)
    return paired


def _pair_leftover(n: _Mention, kpis: list[_Mention], paired: dict[int, list[_Mention]], notes: list[str]) -> None:
    """More numbers than KPIs: the closest KPI the number fits takes it as a second bound."""
    fits = [k for k in kpis if _fits(k.value, n.unit)]
    if fits:
        paired[id(min(fits, key=lambda k: _gap(k, n)))].append(n)
    else:
        unit = "" if n.unit == "none" else f" {n.unit}"
        notes.append(f"'{n.number:g}{unit}' fits no KPI named near it; ignored")


def _verb_for(k: _Mention, verbs: list[_Mention], kpis: Sequence[_Mention] = ()) -> _Mention | None:
    """The verb of a KPI: the last one before it, else the first one after it with no other KPI in between ("the
    energy team wants the active cells minimised": the verb is the cells')."""
    strong = [v for v in verbs if v.value in _GOAL_VERBS]
    pool = strong or verbs
    before = [v for v in pool if v.start < k.start]
    if before:
        return before[-1]
    after = [v for v in pool if v.start >= k.start
             and not any(k.start < j.start < v.start and j.value != k.value for j in kpis)]
    return after[0] if after else None


def _goal(k: _Mention, verb: str) -> Goal:
    if verb == "dir":
        return default_goal(k.value)
    goal: Goal = "minimize" if verb == "min" else "maximize"
    if k.flag == "inv":
        goal = "maximize" if goal == "minimize" else "minimize"
    return goal


def _comparator_for(n: _Mention, cmps: list[_Mention]) -> _Mention | None:
    before = [c for c in cmps if c.start < n.start and c.flag != "post"]
    after = [c for c in cmps if c.start >= n.end - 1 and c.flag == "post" and c.start - n.end < 12]
    if after:
        return after[0]
    return before[-1] if before else None


def _unit_text(unit: str) -> str:
    return "" if unit == "none" else " " + unit


#: an objective the text states: (kpi, slice, goal, source)
_Stated = tuple[str, str | None, Goal, str]


class _ClauseReader:
    """One pass over the clauses: objectives stated, constraints, guarded KPIs and KPIs named bare. State carried from
    clause to clause: a leading slice ("for URLLC users, ..."), the last goal verb ("reduce energy and handovers") and
    the last KPI bounded ("coverage above 99% and below 50%")."""

    def __init__(self, s: str, orig: str, spans: list[tuple[int, int, str]], clauses: list[list[_Mention]],
                 reading: RuleReading) -> None:
        self.s, self.orig, self.spans, self.clauses, self.reading = s, orig, spans, clauses, reading
        self.notes, self.assumptions = reading.notes, reading.assumptions
        self.objectives: list[_Stated] = []
        self.constraints: list[Constraint] = []
        self.guards: list[tuple[str, str | None, str]] = []  # (kpi, slice, the clause as written)
        self.bare: list[tuple[str, str | None]] = []
        self.bare_said: dict[tuple[str, str | None], str] = {}  # the sentence each bare KPI was named in, up to it
        self.bare_told: set[tuple[str, str | None]] = set()  # bare KPIs with a telegraphic "up"/"down" its good way
        self.said_fine: set[tuple[str, str | None]] = set()  # bare KPIs said to be fine ("throughput's fine")
        self.carried: str | None = None
        self.subject_slice: tuple[str, int] | None = None  # a slice a clause is about, and that clause's index
        #: the one slice a whole sentence with no KPI said the request is about ("Machine protection alarms ride on
        #: URLLC."), when the text names no other: the slice of the latency and loss bounds of the sentences after it
        self.topic_slice: tuple[str, int] | None = None  # (the slice, where its sentence ends)
        self.constraint_clause: dict[int, int] = {}  # id of each bound -> the clause it was read in
        self.header_slice: tuple[set[str], str] | None = None  # (KPI families, slice) of a "KPI on slice:" header
        self.prev_verb: str | None = None
        self.last_bounded: _Mention | None = None
        self.last_slice: str | None = None
        self.last_named: tuple[_Mention, str | None] | None = None  # the KPI named last, with its slice
        self.last_named_clause = -1
        self.ci = 0
        self.kpi_slices: dict[str, str] = {}  # the slice each KPI was last named with
        self.trailing_slice: str | None = None
        self.last_kpi_slice: str | None = None
        self.impossible: list[str] = []  # bounds no network can meet ("coverage of 140%"): the text is refused
        self.descriptive: list[tuple[Constraint, str, bool]] = []  # bounds said as a state: (bound, clause, now-word)
        self.levels: set[int] = set()  # ids of the bounds among them said as a level, with no comparator ("is 0.55")
        #: id of a bound -> the guess made of its comparator ("... with no comparator read as a ceiling"), taken back
        #: when the bound turns out to be a state
        self.comparator_guesses: dict[int, str] = {}
        #: id of a bound -> (where its number is in the text, the clause as written)
        self.said_at: dict[int, tuple[int, str]] = {}

    def read(self) -> _ClauseReader:
        for ci in range(len(self.clauses)):
            self._clause(ci)
        self._drop_descriptions()
        self._drop_complaints_before_orders()
        return self

    def _drop_complaints_before_orders(self) -> None:
        """"Latency over 60 ms at lunch. Bring it under 30 ms", "PRB above 85% is killing us. Bring it down to 70%":
        a bound on the wrong side of its KPI (a floor on what is minimized, a ceiling on what is maximized) that the
        text contradicts later, in a sentence of its own, with a bound on the right side, and whose own sentence asks
        for nothing, is the complaint (the network's state now), not a bound; the two were kept, contradictory, and the
        run would end infeasible. Contradictory bounds asked for together ("PRB above 80% and below 60%", "keep
        coverage above 98% ... and also below 90%") stay as stated."""
        for w in list(self.constraints):
            # (not a count of cells: "no more than 10 cells active ... at least 15 at all times" is a range asked)
            if w.kpi == "active_cells" or id(w) not in self.said_at:
                continue
            wrong_side = (w.op == ">=") == (KPI_DIRECTION[w.kpi] == "min")
            at, phrase = self.said_at[id(w)]
            # (a habit is no ask: "users keep complaining, latency over 40 ms")
            sentence = _sentence_before(self.orig, at)
            sentence = sentence[max((m.end() for m in _DASH_BREAK.finditer(sentence)), default=0):]
            said = re.sub(r"\b(?:keeps?|kept)\s+[a-z]+ing\b", " ", sentence)
            if not wrong_side or _ASKING.search(said):
                continue
            for b in self.constraints:
                if b is w or b.kpi != w.kpi or w.slice not in (None, b.slice) or b.op == w.op or id(b) not in self.said_at:
                    continue
                b_at = self.said_at[id(b)][0]
                contradicts = (w.value > b.value) if w.op == ">=" else (w.value < b.value)
                if contradicts and b_at > at and (_SENTENCE_BREAK.search(self.orig, at, b_at)
                                                  or _DASH_BREAK.search(self.orig, at, b_at)):
                    self._drop_as_state((w, phrase, True), COMPLAINT_BEFORE_ORDER)
                    break

    def _drop_descriptions(self) -> None:
        """A bound stated as the network's state ("PRB load is over 90% all afternoon", "edge users get under
        1 Mbps") is the current value, not a bound, when its clause says so ("currently", "all afternoon") or the
        text bounds the same KPI elsewhere as a request ("... get it below 75%"). Without either it stays a bound,
        as before this rule ("coverage is at least 95%")."""
        described = [c for c, _, _ in self.descriptive]
        for c, phrase, cue in list(self.descriptive):
            asked = any(o.kpi == c.kpi and o.slice == c.slice and all(o is not d for d in described)
                        for o in self.constraints)
            if cue or asked:
                self._drop_as_state((c, phrase, cue))

    def drop_states_against(self, objective: Objective) -> None:
        """"we're pulling over 4 kW at night. Knock the power draw down": a bound said as a state on the objective's
        own KPI that works against the goal (a floor on what is minimized), or said as a level with no comparator, is
        the network's state now, not a bound."""
        for c, phrase, cue in list(self.descriptive):
            against = (c.op == ">=") == (objective.goal == "minimize")
            # "Jain fairness is 0.55 across the network. Raise it": a level said of the objective's KPI, with no
            # comparator, is where it starts from, whichever way the goal goes
            if c.kpi == objective.kpi and c.slice == objective.slice and (against or id(c) in self.levels):
                self._drop_as_state((c, phrase, cue))
            elif (id(c) in self.levels and c.slice == objective.slice
                  and _FAMILY.get(c.kpi, c.kpi) == _FAMILY.get(objective.kpi, objective.kpi)):
                # "our 5G ping is 80ms. get the p95 latency below 60 ms": a level of the objective's family
                self._drop_as_state((c, phrase, cue))
            elif id(c) in self.levels and any(o is not c and o.kpi == c.kpi and all(o is not d[0] for d in self.descriptive)
                                              for o in self.constraints):
                # "the door app's p95 latency is spiking to 90 ms. keep it under 40 ms for urllc and raise coverage
                # there": a level said as the state of a KPI that a bound asked for elsewhere holds
                self._drop_as_state((c, phrase, cue))

    def slice_from_states(self, objective: Objective, reading: RuleReading) -> Objective:
        """"URLLC users are seeing delays above 10 ms; bring latency down": a goal with no slice on the KPI whose
        state the text complained of on the one slice it names is that slice's goal (the state is then dropped as
        working against it, `drop_states_against`)."""
        if objective.slice is not None or len(set(reading.slices_mentioned)) != 1:
            return objective
        for c, _, _ in self.descriptive:
            if c.kpi == objective.kpi and c.slice == reading.slices_mentioned[0] \
                    and any(o is c for o in self.constraints) and (c.op == ">=") == (objective.goal == "minimize"):
                reading.assumptions.append(f"the goal is on the {c.slice} slice, whose {c.kpi} the text says is off")
                return objective.model_copy(update={"slice": c.slice})
        return objective

    def _drop_as_state(self, stated: tuple[Constraint, str, bool], why: str = _READ_AS_STATE) -> None:
        """Drop a kept bound said as a state: the network's value now, not a bound (nothing if it is no longer kept)."""
        c = stated[0]
        if all(o is not c for o in self.constraints):
            return
        self.constraints = [o for o in self.constraints if o is not c]
        self.reading.raw_values.pop(constraint_key(c), None)
        self._as_state(stated, why)

    def _as_state(self, stated: tuple[Constraint, str, bool], why: str = _READ_AS_STATE) -> None:
        """Take a bound said as a state out of the descriptive ones, saying so in the trail with ``why`` (the caller
        drops or replaces it)."""
        self.descriptive = [d for d in self.descriptive if d[0] is not stated[0]]
        guess = self.comparator_guesses.pop(id(stated[0]), None)
        if guess in self.assumptions:  # no bound, so no comparator was guessed (in place: the reading's own list)
            self.assumptions.remove(guess)
        self.assumptions.append(f"'{stated[1]}' {why}")

    def _make(self, ci: int) -> _Clause:
        a, b, sep = self.spans[ci]
        ms = self.clauses[ci]
        negs = _of(ms, "neg")
        if sep in ("or", "nor") and ci > 0 and not negs and _of(ms, "cmp") and not _of(ms, "verb"):
            # "without throughput dropping under 4 Mbit/s or coverage falling below 95 %", "don't let A ... or B ...":
            # a negation before the first of two coordinated bounds governs the second too
            prev = self.clauses[ci - 1]
            prev_negs, prev_cmps = _of(prev, "neg"), _of(prev, "cmp")
            if prev_cmps and prev_negs and prev_negs[0].start < prev_cmps[0].start:
                negs = [prev_negs[0]]
        if ci > 0 and not negs and _of(ms, "cmp") and all(x.kind == "neg" for x in self.clauses[ci - 1]) \
                and self.clauses[ci - 1] and re.fullmatch(r"\W*without\W*", self.orig[self.spans[ci - 1][0]:a]):
            negs = _of(self.clauses[ci - 1], "neg")  # "without | using more than 3500 W": the clause word cut it off
        return _Clause(a, sep, self.s[a:b], _phrase(self.orig[a:b]), ms, _of(ms, "kpi"), _of(ms, "num"),
                       _of(ms, "verb"), negs, _of(ms, "cmp"))

    def _clause(self, ci: int) -> None:
        self.ci = ci
        c = self._make(ci)
        if not c.kpis and _of(c.mentions, "slice") and not c.nums:
            if _IDLE_SLICE.search(self.orig, c.start, c.start + len(c.text)):
                return  # "The mMTC slice at the depot is quiet overnight, so ...": why the ask is made, not its slice
            self.carried = _of(c.mentions, "slice")[0].value  # "for URLLC users, ..."
            head, tail = ci, ci  # the sentence's clauses ("... says the loop goes | through the urllc slice now.")
            while head > 0 and self.spans[head][2] not in (*_SENTENCE_ENDS, ""):
                head -= 1
            while tail + 1 < len(self.spans) and self.spans[tail + 1][2] not in _SENTENCE_ENDS:
                tail += 1
            named = [m for ms in self.clauses for m in ms if m.kind == "slice"]
            names = [m for m in named if not re.match(_SLICE_ANAPHOR, self.orig[m.start:m.end])]  # (not "that slice")
            if not any(m.kind in ("kpi", "num") for ms in self.clauses[head:tail + 1] for m in ms) \
                    and len({m.value for m in named}) == 1 \
                    and all(self.spans[head][0] <= m.start < self.spans[tail][1] for m in names):
                # (a slice named again with a KPI later is read there: "it's mostly the eMBB slice. Request:
                # minimise eMBB mean latency")
                self.topic_slice = (self.carried, self.spans[tail][1])
            said = _sentence_before(self.orig, c.start + len(c.text))
            # (a slice referred back names no slice of the request: "Keep URLLC latency under 10 ms - the cranes run
            # on it" is the latency's slice only)
            own = [m for m in _of(c.mentions, "slice") if not re.match(_SLICE_ANAPHOR, self.orig[m.start:m.end])]
            if ci == max((j for j, ms in enumerate(self.clauses) if ms), default=-1) and own \
                    and not re.search(r"\b(?:because|since|cause|cos)\s", said) \
                    and not _NOT_MEMBERSHIP.search(self.orig[c.start:c.start + len(c.text)]):
                # "packet loss < 0.5%, mMTC": the slice of the whole request (not a reason: "... because the
                # sensors wake up at random"; not a slice to spare: "... without hurting the URLLC slice")
                self.trailing_slice = self.carried
            return
        if c.sep in _SENTENCE_ENDS:
            self.carried = self.header_slice = None
        if not c.kpis:
            c.kpis = self._unnamed_kpis(c)
        if not c.kpis:
            if c.nums:
                self.notes.append(f"number(s) {[n.number for n in c.nums]} not tied to any KPI were ignored")
            self.prev_verb = next((v.value for v in c.verbs), self.prev_verb) if c.verbs else None
            return
        self._share_next_bound(ci, c)
        for n in c.nums:  # "the network may draw up to 7.5 kW if it takes that to cut loss": kW names energy
            if n.unit in _UNIT_IMPLIES and c.cmps and not any(_fits(k.value, n.unit) for k in c.kpis):
                kpi = _UNIT_IMPLIES[n.unit]
                c.kpis = sorted([*c.kpis, _Mention(n.start, n.start, "kpi", kpi, None)], key=lambda k: k.start)
                self.assumptions.append(f"'{n.number:g} {n.unit}' next to no KPI it fits read as {kpi}")
        paired = _pair_numbers(c.kpis, c.nums, c.cmps, self.notes, self.s)
        for k in c.kpis:
            self._kpi(k, paired[id(k)], c)
        if not c.nums and ci + 1 < len(self.spans) and self.spans[ci + 1][2] == ":" \
                and (sl := _of(c.mentions, "slice")):
            # "Throughput on eMBB: mean >= 50 Mbps, 5th pct >= 4 Mbps": the header's slice on its KPI's variants
            self.header_slice = ({_FAMILY.get(k.value, k.value) for k in c.kpis}, sl[0].value)
        # the clause's KPIs are in reading order; one in a reason after the KPI the clause is about ("Fairness is only
        # 0.52 because a few users hog the capacity; raise it") is not what a pronoun after it refers to, nor one in a
        # consequence ("PRB usage is at 90 % every evening, which is why the speeds tank. Bring it down to 75 %")
        # (nor one ranked below another: "fairness ... matters more to me than top speed. raise it to 0.85")
        reasons = [k for k in c.kpis if re.search(r"\b(?:because|since|cause|cos|due\s+to|as\s+a\s+result\s+of|"
                                                 r"which\s+is\s+why|that'?s\s+why|which\s+means)\b",
                                                 self.s[c.start:k.start])
                   or _RANKED_BELOW.search(self.orig[max(0, k.start - 60):k.start].rstrip() + " ")]
        if reasons and len(reasons) < len(c.kpis):
            last = [k for k in c.kpis if k not in reasons][-1]
            self.last_named = (last, self.kpi_slices.get(last.value))
        elif not reasons or self.last_named is None:
            # (a clause that is all reason keeps the KPI before: "PRB load sits at 90 %, which is why the speeds drop.
            # Bring it down to 70 %")
            self.last_named = (c.kpis[-1], self.last_kpi_slice)
        self.last_named_clause = ci
        self.prev_verb = next((v.value for v in c.verbs if v.value in _GOAL_VERBS), None)
        slices = _of(c.mentions, "slice")
        if len(slices) == 1 and c.nums and slices[0].start > max(x.end for x in [*c.nums, *c.kpis]) \
                and _SLICE_AS_TOPIC.search(self.s, c.start, slices[0].start) and c.sep in ("and", ",") \
                and re.match(r"[\s\0]*(?:slice\b)?[\s\0]*(?:(?:at|in|during|over|from|between|around|throughout|after|before|"
                             r"until|till)\s+(?:the\s+)?\0[\s\0]*)?(?:[.;!?,]|$)", self.s[slices[0].end:]):
            # (a time said after it, read and masked by now: "... and loss under 1% on urllc at lunch")
            self._slice_back(ci, slices[0].value)
        if slices and len({x.value for x in slices}) == 1 and slices[-1].end <= c.kpis[0].start and (
                _SLICE_AS_SUBJECT.match(self.s, slices[-1].end, c.kpis[0].start)
                or _SLICE_AS_TOPIC.search(self.s, c.start, slices[0].start)):
            # "the urllc slice needs latency under 10 ms and packet loss under 0.1%", "for urllc keep latency ... and
            # loss ...": the slice the clause is about is the slice of the bounds coordinated after it
            self.subject_slice = (slices[0].value, ci)

    def said_network_wide(self, c: Constraint, normalized: str) -> bool:
        """Is bound `c` said of the whole network ("overall", "network-wide") in its own clause? (A bound read
        elsewhere than a clause: anywhere in the text.)"""
        if (ci := self.constraint_clause.get(id(c))) is None:
            return _network_wide(normalized)
        return self._clause_network_wide(ci)

    def _clause_network_wide(self, ci: int) -> bool:
        a, b, _ = self.spans[ci]
        return _network_wide(self.orig[a:b])

    def _slice_back(self, ci: int, sl: str) -> None:
        """"Keep mean delay under 40ms and loss under half a percent for our telemetry links on the mmtc slice": a
        slice said after the last of bounds coordinated in one sentence is the slice of each of them (bounds said
        with a goal verb or a slice of their own, or of the whole network, keep theirs)."""
        a, b, _ = self.spans[ci]
        if _of(self.clauses[ci], "verb") or re.match(r"\W*(?:and\s+|but\s+)?(?:we|i|you|they|it|this|that)\b", self.orig[a:b]):
            return  # (a statement of its own: "..., we require a maximum of 60 handovers on the video slice")
        first = ci
        while first > 0 and self.spans[first][2] in ("and", ",") and self.clauses[first - 1] \
                and not _of(self.clauses[first - 1], "slice") \
                and not any(v.value in _GOAL_VERBS for v in _of(self.clauses[first - 1], "verb")):
            first -= 1
            if _of(self.clauses[first], "verb"):
                break  # the list's first bound carries the verb ("Keep mean delay under 40ms and loss under ...")
        if first == ci or self.spans[first][2] not in _SENTENCE_ENDS + ("",):
            return  # (only a whole sentence of coordinated bounds)
        for i, c in enumerate(self.constraints):
            if first <= (said_in := self.constraint_clause.get(id(c), -1)) < ci and c.slice is None \
                    and c.kpi not in NETWORK_ONLY_KPIS and not self._clause_network_wide(said_in):
                self.constraints[i] = _on_slice(c, sl, self.reading)
                self.assumptions.append(f"the bound {c.kpi} {c.op} {c.value:g} read on {sl}, the slice said after "
                                        "the bounds listed with it")

    def _unnamed_kpis(self, c: _Clause) -> list[_Mention]:
        """A clause with numbers but no KPI: a bound after "and" is about the KPI bounded just before ("coverage
        above 99% and below 50%"); a pronoun ("get it below 75%") or a bound set off by a comma right after a KPI
        ("coverage for the IoT sensors, at least 99%") is about the KPI named last; else the unit names the KPI
        ("keep it under 3 kW")."""
        named = self.last_named
        said = self.orig[c.start:c.start + len(c.text)]
        if named is not None and c.nums and c.cmps and len(c.nums) == 1 and not any(v.value in _GOAL_VERBS for v in c.verbs) \
                and re.match(r"[\W\0]*(?:(?:and|but|also)\s+)?(?:the\s+)?(?:average|mean|avg)\b", said) \
                and named[0].value in _FAMILY and _fits(_FAMILY[named[0].value], c.nums[0].unit, absolute=True):
            # "the 95th percentile latency stays below 80 ms ..., and the average stays under 35 ms": the mean of it
            return [_Mention(c.start, c.start, "kpi", _FAMILY[named[0].value], None, slice_of=named[1])]
        if named is not None and c.nums and len(c.nums) == 1 and self.ci - self.last_named_clause <= 3 \
                and re.match(r"[\W\0]*(?:(?:and|but|also)\s+)?(?:the\s+|our\s+|a\s+)?(?:target|aim|goal)\b", said) \
                and _fits(named[0].value, c.nums[0].unit, absolute=True) \
                and not any(o.kpi == named[0].value and id(o) not in self.levels for o in self.constraints):
            # "prb utilisation too high at lunch. rebalance with CIO only, target below 65%": the KPI named last
            return [_Mention(c.start, c.start, "kpi", named[0].value, named[0].flag, slice_of=named[1])]
        last = self.last_bounded
        if c.nums and c.cmps and last is not None and c.sep in (",", "and", "or", "but", "also") \
                and (self.last_named is None or self.last_named[0].value == last.value) \
                and all(_fits(last.value, n.unit) for n in c.nums):
            self.carried = self.last_slice
            return [_Mention(c.start, c.start, "kpi", last.value, last.flag)]
        ci = self.ci
        nxt = self.clauses[ci + 1] if ci + 1 < len(self.clauses) else []
        nxt_kpis, nxt_nums = _of(nxt, "kpi"), _of(nxt, "num")
        if c.nums and c.cmps and len(nxt_kpis) == 1 and nxt_nums and nxt_nums[0].start < nxt_kpis[0].start \
                and self.spans[ci + 1][2] in ("and", "or", ",") \
                and all(_fits(nxt_kpis[0].value, n.unit, absolute=True) for n in c.nums):
            k = nxt_kpis[0]  # "no fewer than 10 and no more than 6 cells active": both bounds are on the cells
            return [_Mention(c.start, c.start, "kpi", k.value, k.flag)]
        pronoun = re.search(r"\b(?:it|this|that|them)\b", c.text)
        if pronoun is not None and c.nums and c.start + pronoun.start() < c.nums[0].start:
            at, end = c.start + pronoun.start(), c.start + pronoun.end()  # "... Get it below 75%"
        elif pronoun is not None and not c.nums and named is not None and any(
                (v.value in ("min", "max") or re.fullmatch(r"improv\w*|optimi[sz]\w*|enhanc\w*|fix\w*|better",
                                                             self.orig[v.start:v.end]))
                and 0 <= c.start + pronoun.start() - v.end <= 2 for v in c.verbs):
            at, end = c.start + pronoun.start(), c.start + pronoun.end()  # "Coverage is at 91 % right now. Improve it."
        elif not c.nums and named is not None and (v := next((v for v in c.verbs if v.value in ("min", "max") and re.fullmatch(
                r"fewer|less|more", self.orig[v.start:v.end])), None)) is not None:
            at = end = v.end  # "Twenty-two cells are on at night right now. Run fewer at night": fewer of them
        elif c.sep == "," and self.last_named_clause == ci - 1 and c.cmps and len(c.nums) == 1 and not c.verbs \
                and (_BOUND_AHEAD.match(self.orig, c.start + 1) is not None or any(x.flag == "post" for x in c.cmps)):
            at = end = c.start  # "coverage for the IoT sensors, at least 99%", "edge throughput, 500 kbps floor"
        elif c.sep == "," and self.last_named_clause == ci - 1 and len(c.nums) == 1 \
                and not any(v.value in _GOAL_VERBS for v in c.verbs) \
                and re.match(r"[\s,]*(?:(?:say|maybe|perhaps|ideally|like|roughly|about|around|preferably|e\.?g\.?)[\s,]+)?"
                             r"(?:up\s+|down\s+)?(?:to|towards)\s+[\d.]", self.orig[c.start:c.start + len(c.text)]):
            at = end = c.start  # "Can we get it up, say to 0.75, without ...": the target of the KPI just named
        elif named is not None and c.cmps and c.nums and not any(v.value in _GOAL_VERBS for v in c.verbs) \
                and not any(o.kpi == named[0].value for o in self.constraints) \
                and all(self.spans[j][2] not in (".", "!", "?") for j in range(self.last_named_clause + 1, ci + 1)):
            at = end = c.start  # "the p95 latency, which the reviewers asked for, stays below 50 ms"
        elif named is not None and len(c.nums) == 1 and c.cmps and (all(x.value == "dir" or x.flag == "post" for x in c.cmps)
                                                                    or _BOUND_ONLY.match(said)) \
                and not any(_of(self.clauses[j], "kpi") or _of(self.clauses[j], "num")
                            for j in range(self.last_named_clause + 1, self.ci)) \
                and self.ci - self.last_named_clause <= 3 \
                and not any(o.kpi == named[0].value and id(o) not in self.levels for o in self.constraints):
            at = end = c.start  # "Improve coverage on cells 3 to 6. Aim for 97 %.", "Coverage first. 96 % min": the KPI just named
        else:
            at = end = -1
        if at >= 0 and named is not None and not c.nums and (problem := self._problem_fixed(c, at, named)) is not None:
            return [_Mention(at, end, "kpi", problem[0], None, slice_of=problem[1])]
        if at >= 0 and named is not None and all(_fits(named[0].value, n.unit, absolute=at == end) for n in c.nums):
            return [_Mention(at, end, "kpi", named[0].value, named[0].flag, slice_of=named[1])]
        kpis = []
        for n in c.nums:
            if n.unit in _UNIT_IMPLIES:
                # the one KPI of the text that the unit fits ("the 5th percentile ... target 750 kbps"), else the
                # unit's usual KPI
                fitting = [k for k in self.reading.kpis_mentioned if _fits(k, n.unit)]
                kpi = fitting[0] if len(fitting) == 1 else _UNIT_IMPLIES[n.unit]
                if re.search(r"\b(?:mean|average|avg)\b", c.text):
                    kpi = _FAMILY.get(kpi, kpi)  # "For eMBB: mean >= 50 Mbps, 5th percentile >= 4 Mbps": the mean
                kpis.append(_Mention(n.start, n.start, "kpi", kpi, None))
                self.assumptions.append(f"'{n.number:g} {n.unit}' with no KPI named read as {kpi}")
        return kpis

    def _problem_fixed(self, c: _Clause, pronoun_at: int, named: tuple[_Mention, str | None]) -> tuple[str, str | None] | None:
        """"Users complain about high latency; keep coverage above 95% while you fix it": what is fixed is the problem
        named before (a KPI said with no goal or bound), not the KPI named last when that one is only kept. None
        unless the verb before the pronoun names a problem put right (fix, sort out, address, tackle, solve, resolve)
        and the KPI named last is bounded or guarded."""
        if not re.search(r"\b(?:fix\w*|sort(?:s|ed|ing)?\s+out|address\w*|tackl\w*|solv\w*|resolv\w*|deal\s+with)\s+$",
                         self.orig[max(0, pronoun_at - 24):pronoun_at]):
            return None
        kept = any(o.kpi == named[0].value for o in self.constraints) or any(g[0] == named[0].value for g in self.guards)
        problems = [b for b in self.bare if b[0] != named[0].value and b not in self.said_fine]
        if not kept or not problems:
            return None
        self.reading.assumptions.append(f"'{self.orig[c.start:c.start + len(c.text)].strip()}' read as fixing "
                                        f"{problems[-1][0]}, the problem named before, not {named[0].value}, which is kept")
        return problems[-1]

    def _share_next_bound(self, ci: int, c: _Clause) -> None:
        """"keep coverage and fairness above 0.9": a KPI-only clause shares the next clause's bound."""
        nxt = self.clauses[ci + 1] if ci + 1 < len(self.clauses) else []
        nxt_nums = _of(nxt, "num")
        if c.nums or c.cmps or not nxt or not _SOFT_BOUNDARY.match(self.spans[ci + 1][2] or ",") \
                or nxt[0].kind != "kpi" or not nxt_nums or len(_of(nxt, "kpi")) != 1:
            return
        if not all(_fits(k.value, n.unit, absolute=True) for k in c.kpis for n in nxt_nums) \
                or any(v.value in _GOAL_VERBS for v in c.verbs) or any(k.flag for k in c.kpis) \
                or re.search(r"\b(?:down|up|lower|higher|less|more|better|worse)\b", c.text):
            return  # ("energy down, coverage at least 0.9": the first KPI has its own direction, no share of the bound)
        c.nums, c.cmps, c.negs = nxt_nums, _of(nxt, "cmp"), c.negs + _of(nxt, "neg")

    def _kpi(self, k: _Mention, own: list[_Mention], c: _Clause) -> None:
        self._read_kpi(k, own, c)
        if self.last_kpi_slice is not None:
            self.kpi_slices[k.value] = self.last_kpi_slice

    def _read_kpi(self, k: _Mention, own: list[_Mention], c: _Clause) -> None:
        carried = self.carried
        if carried is not None and (self._clause_network_wide(self.ci)
                                    or _TOPIC_CHANGE.search(self.orig[c.start:c.start + len(c.text)])):
            carried = None  # "Crowd counters are on mMTC: their loss under 1 %, and overall PRB load under 50 %"
        if carried is None and self.subject_slice is not None and self.subject_slice[1] == self.ci - 1 \
                and c.sep in ("and", ",", "plus") and not c.verbs \
                and not _network_wide(self.orig[c.start:c.start + len(c.text)]):
            carried = self.subject_slice[0]  # a bound coordinated after the slice's own, with no verb of its own
            self.subject_slice = (carried, self.ci)
        if carried is None and self.topic_slice is not None and k.value in _TOPIC_SLICE_KPIS \
                and k.start >= self.topic_slice[1] and not self._clause_network_wide(self.ci) \
                and not _TOPIC_CHANGE.search(self.orig[c.start:c.start + len(c.text)]):
            # "The referee comms are URLLC. Mean delay on that slice must stay below 10 ms and loss below 0.01%",
            # "... goes through the urllc slice now. Mean latency must be under 5ms, p95 under 12ms"
            carried = self.topic_slice[0]
        sl = _slice_for(k, c.mentions, carried)
        if sl is None and k.value in self.kpi_slices and re.search(r"\b(?:that|this|the\s+same|said)\s+$",
                                                                  self.s[max(0, k.start - 12):k.start]):
            sl = self.kpi_slices[k.value]  # "... URLLC latency no higher than 10 ms. Minimise that latency"
        named = self.last_named
        if sl is None and named is not None and named[1] is not None and self.last_named_clause == self.ci - 1 \
                and not c.verbs and (named[0].value == k.value and c.sep == "," or c.sep in (",", "and")
                                     and _FAMILY.get(named[0].value, named[0].value) == _FAMILY.get(k.value, k.value)
                                     and bool(own) and bool(c.cmps)
                                     and re.fullmatch(r"[\W\0]*(?:and|,)?[\W\0]*(?:also\s+)?",
                                                      self.s[c.start:c.cmps[0].start]) is not None):
            # "the IoT slice to lose fewer packets, max 2% loss": the same KPI in apposition, its slice; "keep the
            # URLLC slice under 15 ms p95 latency and under 8 ms average latency": bounds listed on one KPI family
            sl = named[1]
        if sl is None and self.header_slice is not None and _FAMILY.get(k.value, k.value) in self.header_slice[0]:
            sl = self.header_slice[1]
        if sl is None and k.value not in NETWORK_ONLY_KPIS and len(set(self.reading.slices_mentioned)) == 1 \
                and any(bs == self.reading.slices_mentioned[0] and _FAMILY.get(bk, bk) == _FAMILY.get(k.value, k.value)
                        for bk, bs in self.bare):
            # "Latency for the URLLC slice is creeping up, get the mean delay down under 10 ms": the KPI complained
            # about on the one slice named, asked for again without it, is still that slice's
            sl = self.reading.slices_mentioned[0]
        self.last_kpi_slice = sl
        verb = _verb_for(k, c.verbs, c.kpis)
        negated = bool(c.negs) if verb is None else any(g.start < verb.start for g in c.negs)
        negated |= _RULED_OUT.match(self.orig, k.end, c.start + len(c.text)) is not None
        if own:
            self._bounded_kpi(k, own, sl, verb, negated, c)
            return
        if verb is None and self.prev_verb and c.sep in (",", "and", "or") and not c.negs and not c.cmps:
            verb = _Mention(c.start, c.start, "verb", self.prev_verb)  # "reduce energy and handovers"
        if verb is not None and verb.value in _GOAL_VERBS and not negated:
            # "make the network greener": a word that carries its own direction, after a verb with none, is as loose
            # as the word alone ("..., maximise energy efficiency" names the KPI and wins)
            loose = k.flag == "min" and verb.value == "dir"
            self.objectives.append((k.value, sl, _goal(k, verb.value), "implied" if loose else "explicit"))
        elif k.flag == "min" and not negated:
            self.objectives.append((k.value, sl, "minimize", "implied"))
        elif not negated and verb is not None and verb.value == "guard" and _KEPT_AT_LEVEL.match(self.orig, verb.start) \
                and (level := _LEVEL_AFTER_KPI.match(self.orig, k.end)) is not None:
            # "keep the mean throughput high", "Keep handovers down", "keep energy use low": a level asked with no
            # number is a goal in the direction said (the weakest kind: a goal verb said elsewhere wins)
            goal: Literal["minimize", "maximize"] = "maximize" if level[1].lower() in ("high", "up") else "minimize"
            self.objectives.append((k.value, sl, goal, "implied"))
            self.reading.assumptions.append(f"'{c.phrase.strip()}' read as a goal: {goal} {k.value}")
        elif negated or (verb is not None and verb.value == "guard") or (
                verb is None and not c.cmps and k.value == "coverage" and re.sub(r"\s+", " ", c.sep) in _PROVISO_SEPARATORS
                and not re.search(r"\b(?:up|down|goes|go|rises?|falls?|drops?|improves?|increases?|decreases?|better|"
                                  r"worse|more|less|higher|lower)\b", c.text)):
            # (coverage said with no verb in a proviso is kept, not asked for: "..., provided users still get a
            # signal"; not "as long as coverage goes up")
            if k.flag != "inv" or k.value == "coverage":  # the opposite of coverage guarded is coverage guarded
                self.guards.append((k.value, sl, c.phrase))
        else:
            self.bare.append((k.value, sl))
            self.bare_said.setdefault((k.value, sl), _sentence_before(self.orig, k.end))
            if (told := _TELEGRAPHIC_WAY.match(self.orig, k.end)) and \
                    (told[1] == "up") == (default_goal(k.value) == "maximize"):
                self.bare_told.add((k.value, sl))  # "Throughput up for everyone on cell 33 then"
            if _SAID_FINE.match(self.orig, k.end) or _RANKED_BELOW.search(self.orig[max(0, k.start - 40):k.start].rstrip() + " ") \
                    or _CONSEQUENCE.search(self.orig, max(0, k.start - 40), k.start):
                self.said_fine.add((k.value, sl))

    def _bounded_kpi(self, k: _Mention, own: list[_Mention], sl: str | None, verb: _Mention | None, negated: bool,
                     c: _Clause) -> None:
        relative = False
        for n in own:
            relative |= self._add_constraint(k, n, sl, c)
        self.last_bounded, self.last_slice = k, sl
        # "reduce energy to 5 kW": the objective and a bound; "handovers should be cut by 25%": the objective
        if verb is not None and verb.value in _GOAL_VERBS and not negated and (verb.start < k.start or relative) \
                and not any(verb.start < j.start < k.start for j in c.kpis if j is not k):
            # ("make coverage at least 97 % and minimise energy": "make" with a level sets a bound, as "keep" does;
            # its KPI is the objective only when no other is asked for)
            made = not relative and re.fullmatch(r"mak(?:e|es|ing)", self.orig[verb.start:verb.end]) is not None
            self.objectives.append((k.value, sl, _goal(k, verb.value), "implied" if made else "explicit"))

    # -- one bound ----------------------------------------------------------------------------------------------------

    def _add_constraint(self, k: _Mention, n: _Mention, sl: str | None, c: _Clause) -> bool:
        """Add the bound `n` on `k`; True when `n` is a relative target ("by 25%") rather than a bound."""
        kpi, value, unit = k.value, n.number, n.unit
        self.reading.used_numbers.add(n.start)
        if self._not_a_bound(kpi, value, unit, self.s[:n.start][-24:]):
            return not re.search(r"\bfrom\s+(?:today'?s|yesterday'?s|the\s+current|current|the\s+present|present|the\s+usual)?"
                                 r"\s*$", self.s[:n.start][-24:])
        if is_year(value, unit) and _comparator_for(n, c.cmps) is None:
            self.notes.append(f"'{value:g}' read as a year, not a level of {kpi}; ignored")
            return False  # "the board's 2025 target is a 10 % energy reduction"
        if _EXCESS.match(self.orig, n.end):
            self.notes.append(f"'{value:g}{_unit_text(unit)}' read as an amount too much or too little, not a level of "
                              f"{kpi}; ignored")
            return False  # "we pay for 2 kW more than we need at lunchtime"
        if unit not in ("none", "cells") and (_ADDED_BEFORE.search(self.orig[:n.start]) or _ADDED_AFTER.match(self.orig, n.end)):
            if KPI_DIRECTION[kpi] == "max":  # "get 5 Mbps more for eMBB users": as "raise it by 5 Mbps"
                self.assumptions.append(f"'{value:g}{_unit_text(unit)}' more on {kpi} read as a relative target, not a "
                                        "bound: the objective asks for as much as the network allows")
                return True
            self.notes.append(f"'{value:g}{_unit_text(unit)}' read as an amount added to today's {kpi}, not a level; a "
                              "bound relative to today cannot be held: ignored")
            return False  # "without adding more than 1 kW": 1 kW more than now, not a 1 kW ceiling
        if unit not in ("none", "cells") and _TAKEN_OFF.match(self.orig, n.end):
            self.assumptions.append(f"'{value:g}{_unit_text(unit)} off' on {kpi} read as an amount to take off (a "
                                    "relative target), not a bound: the objective asks for as much as the network allows")
            return False  # "knock 2 kW off the night-time draw": 2 kW less, not a 2 kW ceiling
        if unit == "none" and (m := _DURATION.match(self.orig, n.end)) is not None:
            what = "a distance" if re.match(r"[mkf]", m[1]) and not m[1].startswith(("min", "mon")) else "a duration"
            self.notes.append(f"'{value:g} {m[1]}' read as {what}, not a level of {kpi}; ignored")
            return False  # "measured over 14 days", "within 300 meters": no KPI is counted in days or meters
        if unit == "none" and value == int(value) and kpi not in ("active_cells", "coverage", "fairness") \
                and re.match(r"\s+of\s+(?:them|those|these|the\s+cells|our\s+cells|its\s+cells)\b", self.orig[n.end:]):
            self.notes.append(f"'{value:g} of them' read as a count of things, not a level of {kpi}; ignored")
            return False  # "putting the quietest cells to sleep, but never more than 20 of them": 20 cells, not 20 W
        if unit == "none" and value == int(value) and kpi != "active_cells" and _comparator_for(n, c.cmps) is None \
                and (m := _COUNT_OF.match(self.orig, n.end)) is not None:
            what = "a duration" if re.search(r"(?:second|minute|hour|day|week|month|year)s$", m[1]) else "a count of things"
            self.notes.append(f"'{value:g} {m[1]}' read as {what}, not a level of {kpi}; ignored")
            return False
        guessed = len(self.assumptions)
        op = self._op(k, n, c)
        guess = self.assumptions[guessed] if len(self.assumptions) > guessed else None
        if unit in _PER_BIT and kpi == "energy_efficiency":
            # "energy per bit at most 2 µJ/bit": a ceiling on joules per bit is a floor on bits per joule
            if value <= 0:
                self.notes.append(f"{value:g} {unit} is not a positive energy per bit; ignored")
                return False
            mbit_per_j = _PER_BIT[unit] / value
            self.assumptions.append(f"{value:g} {unit} read as energy efficiency {mbit_per_j:g} Mbit/J (its inverse)")
            self._keep(kpi, opposite(op), mbit_per_j, "Mbit/J", sl, c.text)
            return False
        if k.flag == "inv":
            if kpi != "coverage" or unit not in ("%", "none"):
                self.notes.append(f"a bound on the opposite of {kpi} cannot be expressed; ignored")
                return False
            frac = value / 100.0 if (unit == "%" or value > 1) else value
            op = opposite(op)
            value, unit = round(1.0 - frac, 12), "none"
            self.assumptions.append(f"bound on uncovered users read as coverage {op} {value:g}")
        kept = len(self.constraints)
        self._keep(kpi, op, value, unit, sl, c.text)
        if len(self.constraints) > kept:
            self.said_at[id(self.constraints[-1])] = (n.start, _phrase(self.orig[c.start:c.start + len(c.text)]))
            if guess is not None:
                self.comparator_guesses[id(self.constraints[-1])] = guess
            others = self._someone_elses(n, c)
            if others or self._states(n, c, k):
                end = c.start + len(c.text)
                cue = others or bool(_STATE_NOW.search(self.orig[c.start:end])) \
                    or bool(_STATE_PAST.search(self.orig[c.start:n.start])) \
                    or bool(_REPORTED_VALUE.search(self.orig[c.start:n.start]))
                self.descriptive.append((self.constraints[-1], _phrase(self.orig[c.start:end]), cue))
                cmp = _comparator_for(n, c.cmps)
                bound_noun = re.search(r"\b(?:ceiling|cap|limit|floor|target|budget|maximum|minimum|max|min|threshold|"
                                       r"slas?|slos?|goal|requirement)\b", self.orig[c.start:n.start])
                if not bound_noun and (cmp is None or (cmp.value == "dir" and re.fullmatch(
                        r"at|to|hits?|hitting|reach(?:es|ed|ing)?|touch(?:es|ed|ing)?", self.orig[cmp.start:cmp.end].strip()))):
                    self.levels.add(id(self.constraints[-1]))
        return False

    def _someone_elses(self, n: _Mention, c: _Clause) -> bool:
        """Is the value on `n` another network's ("their energy efficiency is 1.8 Mbit/J", "Region A's fairness is
        0.78"): a third party named before it in its clause, a verb that reports a value after it, and no "we"/"our"
        and nothing that asks ("needs", "should", "want") in between? It is then a state to compare with, never a
        bound (dropped with the other states)."""
        head = self.s[c.start:n.start]
        last = max(_OTHERS.finditer(head), key=lambda m: m.start(), default=None)
        if last is None or _FIRST_PERSON.search(head, last.end()) or _ASKING.search(head):
            return False  # "their URLLC traffic needs latency below 5 ms": a customer's need is a request
        return bool(_OTHERS_STATE.search(head, last.end()))

    def _states(self, n: _Mention, c: _Clause, k: _Mention | None = None) -> bool:
        """Is the bound on `n` said as a state ("latency is over 40 ms", "users get under 1 Mbps"): a state verb
        right before its comparator or number, and nothing before it in the clause that asks for it ("must",
        "keep", "ensure that", "while")?"""
        cmp = _comparator_for(n, c.cmps)
        if cmp is None and re.search(r"[~≈]\s*$", self.orig[max(0, n.start - 3):n.start]):
            return True  # "(PRB ~95%)"
        head = self.s[c.start:cmp.start if cmp is not None and cmp.start < n.start else n.start]
        sentence = _sentence_before(self.orig, c.start)
        if c.sep == "with" and _STATE_PAST.search(sentence) and not _ASKING.search(sentence + head):
            return True  # "last month the network averaged 96 kW with 310 cells on air": the same past state
        if re.sub(r"\s+", " ", c.sep) in _ASKING_SEPARATORS or _ASKING.search(head):
            return False
        if re.search(r"\b(?:could|can|would|will|should|must)\s+(?:[a-z\x00']+\s+){0,4}?(?:run|draw|use|consume|sit|stay)\s+(?:at\s+)?$", head):
            return False  # a modal and the bare verb ask: "Could that cell run under 1.2 kW all day"
        if re.match(r"[\s.,;:!?–-]*(?:(?:and|then|so|now)\s+)?(?:get|bring|push)\s+(?:the|their|its|it|our|this|that|these|"
                    r"those|them)\b|[\s.,;:!?–-]*(?:get|bring|push)\s+\x00", head):  # (a slice pronoun is masked by now)
            return False  # an order opening its sentence: "sensors drop packets. get their loss below 0.2% all day"
        if cmp is None and re.match(r"[^,;.!?]{0,40}?\b(?:at\s+the\s+moment|right\s+now|at\s+present|these\s+days)\b",
                                    self.orig[n.end:c.start + len(c.text)]):
            return True  # "something like 6 handovers a minute per driver at the moment": the level now
        if c.sep.strip() in ("-", "–", ":") and _STATE_VERB.search(re.sub(r"[\s,;:–-]+$", " ", _sentence_before(self.s, c.start))) \
                and not _ASKING.search(_sentence_before(self.orig, c.start)):
            return True  # "users are seeing tail delays - p95 over 0.3 s": the figure after the dash is what they see
        if _REPORTED_VALUE.search(self.orig[c.start:n.start]):
            return True  # "the monthly report shows average throughput at 14.2 Mbps"
        if c.sep == "and" and re.fullmatch(r"\s*(?:and\s+)?(?:the\s+|their\s+|its\s+)?\x00+\s*", head):
            before = _sentence_before(self.s, c.start)
            seen = re.search(r"\s+(?:[a-z]+|\x00+)\s*$", before)  # what they see: a word, or a KPI ("congestion")
            if seen is not None and _STATE_VERB.search(before[:seen.start()] + " ") and not _ASKING.search(before):
                return True  # "users are seeing jitter and delays above 10 ms": the KPI co-ordinated with what they see
        if k is not None and cmp is None and k.start >= n.start and re.search(r"\b(?:are|is|were|was)\b",
                                                                             self.orig[k.start:k.end]):
            return True  # "twenty-two cells are on at night right now": the count, then its state verb
        if cmp is None and re.search(r"\b(?:we|they|it|the\s+network)\s+(?:currently\s+|now\s+|still\s+)?(?:have|has|had|runs?)\s*$",
                                     self.orig[c.start:n.start]):
            return True  # "we currently have 24 cells awake at 3am"
        if cmp is not None and cmp.value == "dir" and re.fullmatch(r"hits?|hitting|reach(?:ed|es|ing)|touch(?:ed|es|ing)",
                                                                    self.orig[cmp.start:cmp.end].strip()):
            return True  # "PRB utilisation on cells 90-95 hit 98%": a past value, not a target
        return bool(_STATE_VERB.search(head))

    def _not_a_bound(self, kpi: str, value: float, unit: str, tail: str) -> bool:
        """"from 5 kW" (the current value) and "by 20%" (a relative target) are not bounds."""
        if re.search(r"\bfrom\s+(?:today'?s|yesterday'?s|the\s+current|current|the\s+present|present|the\s+usual)?\s*$", tail):
            self.assumptions.append(f"'from {value:g}' read as the current value, not a bound")
            return True
        if re.search(r"\bby\s+(?:like|about|around|roughly|approximately|some|maybe)?\s*$", tail) \
                or (unit == "%" and kpi not in FRACTION_KPIS):
            written = "%" if unit == "%" else _unit_text(unit)
            self.assumptions.append(f"'{value:g}{written}' on {kpi} read as a relative target, not a bound: the "
                                    "objective asks for as much as the network allows")
            return True
        return False

    def _op(self, k: _Mention, n: _Mention, c: _Clause) -> Op:
        """The comparator of a bound: the one next to the number (flipped by a negation before it), else the KPI's
        better direction."""
        cmp = _comparator_for(n, c.cmps)
        if cmp is None or cmp.value == "dir":
            op: Op = "<=" if k.flag == "inv" or KPI_DIRECTION[k.value] != "max" else ">="
            if k.value == "active_cells" and cmp is None and re.search(
                    r"\b(?:stay|stays|remain|remains|kept|be)\s+(?:on|awake|active|lit|up|live|in\s+service)\b",
                    self.orig[k.start:k.end]) and not re.search(r"\b(?:only|just)\s+$", self.orig[max(0, n.start - 12):n.start]):
                op = ">="  # "3 cells must stay on": the cells kept on are a floor, not the fewer-is-better ceiling
                # (but "only 6 cells should be on" is a ceiling)
            if cmp is None:
                self.assumptions.append(f"{k.value} {n.number:g}{_unit_text(n.unit)} with no comparator read as "
                                        f"{'a floor (>=)' if op == '>=' else 'a ceiling (<=)'}")
            return op
        op = cast(Op, cmp.value)
        if cmp.flag == "cmp" and any(g.start < cmp.start and not opens_aside(self.s, g.start, cmp.start) for g in c.negs):
            op = opposite(op)
        return op

    def _keep(self, kpi: str, op: Op, value: float, unit: str, sl: str | None, ctext: str) -> None:
        conv, draft_unit, note = _convert(kpi, value, unit, ctext)
        if conv is None:
            self.notes.append(f"unit {unit} does not apply to {kpi}; the number {value:g} was ignored")
            return
        if note:
            self.reading.conversions.append(note)
        if kpi in FRACTION_KPIS and conv > 1:
            self.notes.append(f"{kpi} {conv:g} is not a fraction in [0, 1]; ignored")
            self.impossible.append(f"{kpi} {conv:g} is outside its range [0, 1] (0-100 %): give a bound in range, "
                                   f"e.g. '{LEXICON.example_bounds[kpi]}'")
            return
        if conv < 0:
            self.notes.append(f"{kpi} {conv:g} is negative; ignored")
            self.impossible.append(f"{kpi} cannot be negative (read {value:g}{_unit_text(unit)}): give a bound of 0 "
                                   f"or more, e.g. '{LEXICON.example_bounds[kpi]}'")
            return
        c = Constraint.model_validate({"kpi": kpi, "op": op, "value": conv, "slice": sl})
        # the draft shown to the model keeps the number as written, with its unit, like the few-shot answers
        written = (value, draft_unit) if draft_unit in _LLM_UNITS else (conv, "none")
        for i, other in enumerate(self.constraints):
            if constraint_key(other) == constraint_key(c):
                stated = next((d for d in self.descriptive if d[0] is other), None)
                if stated is not None and not values_close(other.value, c.value):
                    # "latency is 40 ms now; bring it under 20 ms": the state gives way to the bound asked for
                    self._as_state(stated)
                    self.constraints[i] = c
                    self.reading.raw_values[constraint_key(c)] = written
                    return
                if not values_close(other.value, c.value):
                    if _tighter(other, c, self.notes) is c:
                        self.constraints[i] = c
                        self.reading.raw_values[constraint_key(c)] = written
                return
            if (other.kpi, other.op) == (c.kpi, c.op) and values_close(other.value, c.value) \
                    and None in (other.slice, c.slice) and other.slice != c.slice \
                    and any(self.spans[j][2] in _SENTENCE_ENDS
                            or re.match(r"[\s,;:-]*(?:so|therefore|hence|thus)\b", self.s[self.spans[j][0]:]) is not None
                            for j in range(self.constraint_clause.get(id(other), self.ci) + 1, self.ci + 1)):
                # the same bound said again in a later sentence, once with its slice ("packet loss above 0.1% breaks
                # our netcode. Keep URLLC loss <= 0.1%", "... only need about 200 kbps each, so on the mMTC slice keep
                # the 5th-percentile throughput above 200 kbps"): the slice's (in one sentence both are asked: "eMBB latency
                # and latency at or below 2.5 ms")
                if other.slice is None:
                    self.constraints[i] = c
                    self.reading.raw_values.pop(constraint_key(other), None)
                    self.reading.raw_values[constraint_key(c)] = written
                    self.constraint_clause[id(c)] = self.ci
                self.assumptions.append(f"the bound {c.kpi} {c.op} {c.value:g} said twice read once, on its slice")
                return
        self.constraints.append(c)
        self.constraint_clause[id(c)] = self.ci
        self.reading.raw_values[constraint_key(c)] = written


# == the objective =====================================================================================================

#: a KPI and its tail or edge variant: the general word ("delay", "speed") and the exact KPI a bound names
_FAMILY = {"latency_p95_ms": "latency_ms", "throughput_p5_mbps": "throughput_mean_mbps"}


def _stated_objective(objectives: list[_Stated], bare: list[tuple[str, str | None]], constraints: list[Constraint],
                      notes: list[str]) -> tuple[Objective, str] | None:
    """The first objective stated with a verb (else implied by a word like "greener"); the others are noted."""
    ranked = [o for o in objectives if o[3] == "explicit"] or [o for o in objectives if o[3] == "implied"]
    if not ranked:
        return None
    kpi, sl, goal, source = ranked[0]
    exact = next((o for o in ranked[1:] if _FAMILY.get(o[0]) == kpi and o[2] == goal and o[1] in (None, sl)), None) or \
        next((o for o in ranked[1:] if o[0] == kpi and o[2] == goal and sl is None and o[1] is not None), None)
    # (or the same goal said again with the slice the first left out: "Reduce the slowest users' pain: improve 5th
    # percentile throughput for eMBB")
    if exact is not None:
        # "the URLLC users need less delay. Minimise URLLC p95 latency there": the same goal said again, exactly
        kpi, sl, goal, source = exact[0], exact[1] or sl, exact[2], exact[3]
    seen = {(kpi, sl)} | ({(ranked[0][0], ranked[0][1])} if exact is not None else set())
    for other in objectives[1:] if objectives[0] == ranked[0] else objectives:
        if (other[0], other[1]) not in seen:
            seen.add((other[0], other[1]))
            if other[3] == "implied" and any(c.kpi == other[0] and c.slice == other[1] for c in constraints):
                continue  # ("make coverage at least 97 % and minimise energy": its bound says what it asks)
            notes.append(f"a second objective ({other[2]} {other[0]}) was not used: an intent has one objective; "
                         "state the other as a bound (e.g. 'keep latency below 20 ms')")
    for kb, sb in bare:
        if (kb, sb) not in seen and not any(c.kpi == kb for c in constraints):
            notes.append(f"{kb} is named without a goal or a bound; not used")
    return Objective.model_validate({"kpi": kpi, "goal": goal, "slice": sl}), source


#: a KPI ranked below another: "energy efficiency matters to us more than raw power" (no candidate objective)
_RANKED_BELOW = re.compile(r"\b(?:matters?|counts?|important|priority|care\s+about)\b[^.;!?]{0,20}\b(?:more|rather)"
                           r"(?:\s+(?:to|for)\s+(?:me|us|them|him|her|everyone))?\s+than\s+"
                           r"(?:(?:the|our|its|raw|pure|plain|total|overall|top|peak|headline)\s+){0,2}$")
#: the verbs that keep a KPI at a level ("keep", "hold", "maintain"), as against the guard verbs that only protect it
_KEPT_AT_LEVEL = re.compile(r"(?:keep|kept|hold|held|maintain)\w*\b", re.I)
#: a level said right after the KPI kept there, with no number: "keep the mean throughput high", "handovers down"
#: (not "low-latency ...", "up to 95 %", "down to 2 kW", "high enough", "low as possible": read elsewhere)
_LEVEL_AFTER_KPI = re.compile(r"\s+(high|low|up|down)\b(?![-\u2011]|\s+(?:to|by|at|from|below|above|under|over|than|enough|as|"
                              r"and\s+(?:up|down|high|low))\b)(?!\s*\d)", re.I)


#: a KPI said to be fine as it is: "Throughput's fine but ...", "latency on icu cells 32-37 is fine but ..."
_SAID_FINE = re.compile(r"[^.,;!?\n]{0,40}?(?:'s|\bis|\bare|\blooks?|\bseems?)\s+(?:(?:all\s+)?fine|ok|okay|good|great|alright|"
                        r"acceptable|not\s+(?:a|the|an)\s+(?:problem|issue))\b")


#: a KPI's way said right after it, telegraphically, before whom, where or when: "Throughput up for everyone on cell
#: 33 then, but keep the cell edge (5th percentile) above 2 Mbps" asks for the throughput, not its 5th percentile
_TELEGRAPHIC_WAY = re.compile(r"\s+(up|down)\b(?!\s+(?:to|by|from|and|or)\b)(?=\s*(?:[,;:!)\n]|\.(?!\d)|$|(?:for|on|across|at|in|"
                              r"during|then|please|pls|between|from|until|till|over|throughout|everywhere|when|while|"
                              r"whenever|around|there|here)\b))")
#: a KPI named in what a state leads to, bare, is no candidate objective: "Latency on cell 2 sits at 40 ms at lunch,
#: which is why the speeds drop; get it under 15 ms" improves the latency
_CONSEQUENCE = re.compile(r"\b(?:which\s+is\s+why|that'?s\s+why|which\s+means)\b[^.;!?]*$")


def _default_objective(r: _ClauseReader, reading: RuleReading) -> tuple[Objective | None, str | None]:
    """No objective stated: a KPI named bare, else the first KPI bounded, else the first KPI guarded. A KPI said to be
    fine ("Throughput's fine but ... keep mean latency under 18 ms") is no candidate."""
    bare = [(k, s_) for k, s_ in r.bare if (k, s_) not in r.said_fine]
    if bare:
        unbounded = [(k, s_) for k, s_ in bare if not any(c.kpi == k and c.slice == s_ for c in r.constraints)]
        reading.bare_candidates = list(dict.fromkeys(unbounded or bare))
        kpi, sl = reading.bare_candidates[0]
        asked = (kpi, sl) in r.bare_told or re.search(
            r"\b(?:objective|goal|target|aim|priority|max\w*|min\w*|best|highest|lowest)\b", r.bare_said.get((kpi, sl), ""))
        family = [c for c in r.constraints if _FAMILY.get(c.kpi, c.kpi) == _FAMILY.get(kpi, kpi)]
        specific = None if asked or any(c.kpi == kpi for c in r.constraints) else next(
            (c for c in family if c.kpi != kpi), None)
        if not asked and family and family[0].kpi != kpi and any(c.kpi == kpi for c in family):
            # "latency for the crane controllers on urllc: p95 must stay under 12 ms, mean under 5 ms": the general
            # word heads bounds on two of its KPIs; the first one bounded is the objective, as with no word before
            specific = family[0]
        if specific is not None:
            # "scanners time out when delay spikes. 95th-percentile latency needs to stay under 50 ms": the KPI named
            # bare is the general word for the one the bound names exactly
            reading.assumptions.append(f"{kpi} named without a verb, {specific.kpi} bounded: the objective is "
                                       f"{default_goal(specific.kpi)} {specific.kpi}")
            return Objective(kpi=specific.kpi, goal=default_goal(specific.kpi), slice=specific.slice), "from_constraint"
        reading.assumptions.append(f"no verb for {kpi}: read as the objective, {default_goal(kpi)}")
        return Objective.model_validate({"kpi": kpi, "goal": default_goal(kpi), "slice": sl}), "bare"
    if r.constraints:
        # (not a level said with no comparator when a bound on another KPI of its family follows: "our 5G ping is
        # 80ms. get the p95 latency below 60 ms" improves the p95 latency; the 80 ms is where the network is now)
        def later_kin(c: Constraint) -> bool:
            return any(o.kpi != c.kpi and _FAMILY.get(o.kpi, o.kpi) == _FAMILY.get(c.kpi, c.kpi) for o in r.constraints)

        first = next((c for c in r.constraints if id(c) not in r.levels or not later_kin(c)), r.constraints[0])
        reading.assumptions.append(f"no objective stated: {default_goal(first.kpi)} {first.kpi}, the first KPI bounded")
        return Objective(kpi=first.kpi, goal=default_goal(first.kpi), slice=first.slice), "from_constraint"
    if r.guards:
        kpi, sl, _ = r.guards[0]
        if kpi == "energy_w" and _POWER_RAISED.search(r.orig):
            # "raise transmit power on cells 3-5 without hurting energy": the guard is no goal when the means asked
            # for works against it (read "minimize energy" with power the only knob, the optimizer would lower it)
            return None, None
        reading.assumptions.append(f"no objective stated: {default_goal(kpi)} {kpi}")
        return Objective.model_validate({"kpi": kpi, "goal": default_goal(kpi), "slice": sl}), "from_constraint"
    return None, None


def _asked_after(r: _ClauseReader, kpi: str, sl: str | None) -> bool:
    """Is the KPI named bare asked for later in its sentence ("coverage on 40 & 41 from 18.00 to 20.00, as high as
    possible")?"""
    before = r.bare_said.get((kpi, sl))
    if not before or (at := r.orig.find(before)) < 0:
        return False
    sentence = re.split(r"[.;!?](?:\s|$)", r.orig[at + len(before):], maxsplit=1)[0]
    return bool(re.search(r"\bas\s+(?:high|low|good|fast|few|much|little|strong)\s+as\s+(?:possible|you\s+can|we\s+can)\b",
                          sentence))


def _choose_objective(r: _ClauseReader, reading: RuleReading, end: str | None) -> tuple[Objective | None, str | None]:
    """The objective stated; else, when the text names only a means that serves an end ("switch off what you can":
    `LEXICON.knob_ends`), that end; else the defaults of `_default_objective`."""
    ratio = next(((k, s_) for k, s_ in r.bare if k == "energy_efficiency" and (k, s_) not in r.said_fine), None)
    if ratio is not None and r.objectives and all(o[0] == "energy_w" and o[3] == "implied" for o in r.objectives):
        # "a 'green concert' ... the network as energy efficient as possible", "A sustainability question: could the
        # energy efficiency of cells 80-83 go up": a word that only leans to less energy names the topic; the ratio
        # named is the end
        reading.assumptions.append("energy efficiency named, a word for less energy beside it: the objective is "
                                   "maximize energy_efficiency")
        return Objective.model_validate({"kpi": "energy_efficiency", "goal": "maximize", "slice": ratio[1]}), "bare"
    stated = _stated_objective(r.objectives, r.bare, r.constraints, reading.notes)
    if stated is not None:
        return stated
    if end == "energy_w" and "energy_efficiency" in reading.kpis_mentioned:
        end = None  # "get energy efficiency above 0.5 Mbit/J by putting idle cells to sleep": the ratio named is the end
    if end == "energy_w" and any(c.kpi == "active_cells" and c.op == "<=" for c in r.constraints) \
            and "energy_w" not in reading.kpis_mentioned:
        end = None  # "Can active cells go down to 5 ...? Only by putting cells to sleep": the count bounded is the end
    if end is not None and any(k != end and (k, s_) not in r.said_fine and _asked_after(r, k, s_) for k, s_ in r.bare):
        end = None  # "coverage on 40 & 41 ..., as high as possible, only by switching cells on or off": the KPI asked
    if end is not None:
        goal = default_goal(end)
        reading.assumptions.append(f"the text names the means, not the end: {goal} {end}, the end they serve")
        return Objective.model_validate({"kpi": end, "goal": goal}), "means"
    return _default_objective(r, reading)


#: transmit power asked to be lowered ("reduce tx power at night", "turn the transmit power down"; not a state, "run
#: cell 8 at reduced power"), and raised
_TX_POWER = r"(?:tx|transmit|transmission|output|radiated|downlink|radio|antenna)[- ]power"
_POWER_LOWERED = re.compile(rf"\b(?:(?:(?:lower|lowering|reduce|reducing|cut|cutting|decrease|decreasing|trim|trimming|drop|"
                            rf"dropping|throttle|throttling)\s+|(?:turn|turning|dial|dialling|dialing|scale|scaling)\s+"
                            rf"(?:down|back)\s+|back\s+off\s+)(?:the\s+|their\s+|its\s+|our\s+)?{_TX_POWER}\b(?!\s+up\b)|"
                            rf"{_TX_POWER}\s+(?:reduction|cuts?|decrease|down\b))")
_POWER_RAISED = re.compile(rf"\b(?:(?:rais|increas|boost|bump|push)(?:e|es|ed|s|ing)?\s+(?:up\s+)?|turn(?:s|ed|ing)?\s+up\s+)"
                           rf"(?:the\s+|their\s+|its\s+|our\s+)?{_TX_POWER}\b|{_TX_POWER}\s+up\b")


def _means_end(means: set[str], text: str) -> str | None:
    """The one end the knobs named as the means serve (`LEXICON.knob_ends`), if they agree on one. Transmit power
    serves an end only when it is said to go down (and never up): less power is less energy ("reduce tx power at
    night without hurting coverage" was read "maximize coverage" from the guard alone, with power as the only knob)."""
    ends = {LEXICON.knob_ends[k] for k in means if k in LEXICON.knob_ends}
    if ("tx_power_dbm" in means or not means) and _POWER_LOWERED.search(text) and not _POWER_RAISED.search(text):
        ends.add("energy_w")
    return ends.pop() if len(ends) == 1 else None


def _apply_guards(r: _ClauseReader, objective: Objective | None, reading: RuleReading) -> None:
    """A KPI guarded without a number gets its default bound (`GUARD_DEFAULTS`) or a note."""
    for kpi, sl, negated_text in r.guards:
        if any(c.kpi == kpi and c.slice == sl for c in r.constraints) or (
                objective and objective.kpi == kpi and objective.slice == sl):
            continue
        if kpi in GUARD_DEFAULTS:
            op, value = GUARD_DEFAULTS[kpi]
            r.constraints.append(Constraint.model_validate({"kpi": kpi, "op": op, "value": value, "slice": sl}))
            reading.raw_values[(kpi, op, sl)] = (value, "none")
            reading.assumptions.append(
                f"'{negated_text}' without a number read as {kpi} {op} {value:g} (default bound)")
        else:
            reading.assumptions.append(f"{kpi} named without a number ('{negated_text}'): not constrained")
            reading.notes.append(f"{kpi} has no bound: give one to protect it (e.g. '{LEXICON.example_bounds[kpi]}')")


# == the reader ========================================================================================================

def _on_slice(c: Constraint, sl: str | None, reading: RuleReading) -> Constraint:
    """`c` on slice `sl`, its value as written (for the model's draft) moved to the new key."""
    if sl == c.slice:
        return c
    new = c.model_copy(update={"slice": sl})
    reading.raw_values[constraint_key(new)] = reading.raw_values.pop(constraint_key(c), (c.value, "none"))
    return new


def for_slice(sl: str, objective: Objective, constraints: list[Constraint],
               reading: RuleReading) -> tuple[Objective, list[Constraint]]:
    """A slice said for the whole request ("slice=URLLC", a closing ", mMTC") qualifies every KPI read without one,
    except the network-wide ones."""
    def scoped(kpi: str, current: str | None) -> str | None:
        return current if current is not None or kpi in NETWORK_ONLY_KPIS else sl
    out = [_on_slice(c, scoped(c.kpi, c.slice), reading) for c in constraints]
    reading.assumptions.append(f"the request's slice {sl} applies to every KPI without one")
    return objective.model_copy(update={"slice": scoped(objective.kpi, objective.slice)}), out


#: words that put a KPI on the whole network, not on the slice the request names
#: words that leave the topic said before: "... keep their loss under 0.2 %, and apart from that reduce the PRB usage"
#: the KPIs a slice named as the topic of a request qualifies in the sentences after it (its latency and loss: the
#: outsiders' golds carry the slice to these, 213 of 216 texts, and not to throughput, coverage or load)
_TOPIC_SLICE_KPIS = frozenset({"latency_ms", "latency_p95_ms", "packet_loss"})
#: a slice said to be idle: "the mMTC slice is quiet overnight", "URLLC sits idle at night"
_IDLE_SLICE = re.compile(r"\b(?:is|are|goes|go|sits?|stays?|gets?|is\s+pretty|are\s+pretty)\s+(?:\w+\s+)?(?:quiet|idle|empty|dead|unused|"
                         r"silent)\b")
_TOPIC_CHANGE = re.compile(r"\b(?:apart\s+from\s+(?:that|this|those|them)|other\s+than\s+(?:that|this)|besides\s+(?:that|this)"
                           r"|aside\s+from\s+(?:that|this)|beyond\s+(?:that|this)|more\s+generally|in\s+general)\b")
_NETWORK_WIDE = re.compile(r"\b(?:network[- ]wide|overall|across\s+the\s+(?:whole\s+|entire\s+)?(?:network|cells?)|(?:for\s+)?everyone|everybody|"
                           r"(?:all|every)\s+(?:users?|ues?|subscribers?|slices?)|whole\s+network|entire\s+network|"
                           r"network\s+as\s+a\s+whole|other\s+slices?)\b")


def _network_wide(text: str) -> bool:
    """Does `text` put a KPI on the whole network (`_NETWORK_WIDE`)? Not "everyone" as the subject of a time clause
    ("between 3pm and 9pm when everyone checks in": when, not whose)."""
    return any(not (m[0].startswith("every") and re.search(
        r"\b(?:when|while|whilst|once|until|till|before|after|as\s+soon\s+as)\s+$", text[max(0, m.start() - 14):m.start()]))
        for m in _NETWORK_WIDE.finditer(text))


#: what puts the devices or traffic a request is about on a slice: "they're on the IoT slice", "the tags (mMTC)",
#: "audio runs on the low-latency slice", "meters that use the mMTC slice"
_MEMBERSHIP = re.compile(r"(?:\b(?:on|in|over|via|uses?|using|belongs?\s+to|part\s+of|(?<=\blink\s)is|(?<=\blinks\s)are)\s+(?:the\s+|our\s+|a\s+|their\s+|its\s+)?"
                         r"|\(\s*(?:[^()\d]{0,20}\d+\s+of\s+them\s*,\s*)?)$")  # ("(about 300 of them, mMTC)")
_NOT_MEMBERSHIP = re.compile(r"\b(?:no|not|never|without|don'?t|do\s+not|hurt\w*|protect\w*|degrad\w*|impact\w*|"
                             r"affect\w*|except|excluding|other\s+than|apart\s+from|unless)\b")


#: KPIs a request about one slice's users leaves on the network: the network-wide ones, and coverage, PRB load,
#: handovers and fairness, which are the cells' (fairness is among all users: "push-to-talk on the URLLC slice ...
#: keeping fairness at 0.7" is the network's; the gold convention: "the kiosks use the low-latency slice; ... maximize coverage"
#: is the network's coverage; "sensors on the mMTC slice ... keep PRB utilization under 80 %" the cells' load)
_NOT_MEMBERS = frozenset(NETWORK_ONLY_KPIS) | {"coverage", "prb_utilization", "handover_rate", "fairness"}


def _member_slice(text: str, mentions: list[_Mention], objective: Objective) -> str | None:
    """The slice of the users a request is about, said before any KPI as where they are ("the turnstile scanners are
    on the IoT slice. Packet loss for them below 1 %", "the tracking tags (mMTC) lose too many packets"): the slice of
    every KPI of the request but `_NOT_MEMBERS`, when the text names that one slice only and the objective is no
    `_NOT_MEMBERS` KPI. Not when the slice is named to be spared ("without hurting the URLLC slice")."""
    slices = _of(mentions, "slice")
    kpis = [x for x in _of(mentions, "kpi") if x.value == objective.kpi]
    # (the users' own fairness or coverage, said of them by a pronoun: "Drivers ... are streaming on the broadband
    # slice. Give them the best fairness you can", "The barrier sensors ... are on the IoT slice. They need coverage of
    # 99.5%")
    theirs = objective.kpi in ("fairness", "coverage") and bool(kpis) and re.search(
        r"\b(?:them|their|they)\b[^.;!?]{0,30}$", text[:kpis[0].start]) is not None
    if ((objective.kpi in _NOT_MEMBERS and not theirs) or len({x.value for x in slices}) != 1 or not kpis
            or objective.slice not in (None, slices[0].value) or _network_wide(text)):
        return None
    every_kpi = [k.start for k in _of(mentions, "kpi")]
    for x in slices:
        if re.search(r"(?<!\()(?<!\(\s)\b(?:it'?s|its|it\s+is|they'?re|they\s+are|these\s+are|those\s+are)\s+(?:all\s+|also\s+)?"
                     r"(?:on|in|over)\s+(?:the\s+|our\s+)?$", text[:x.start]) \
                and not _NOT_MEMBERSHIP.search(_sentence_before(text, x.start)):
            return x.value  # the devices said by a pronoun, after the KPI: "latency on the card reader is rubbish, its on
            # the urllc slice i think" (not in brackets, which name the slice of the KPI just said: "cell-edge
            # throughput on the loaders' tablets (they're on the eMBB slice)")
        sentence = _sentence_before(text, x.start)
        if x.start < kpis[0].start and _MEMBERSHIP.search(text[:x.start]) and not _NOT_MEMBERSHIP.search(sentence) \
                and not any(x.start - len(sentence) <= k < x.start for k in every_kpi):
            return x.value  # (not "a fairness on the eMBB slice of at least 0.6": that slice is the KPI's own)
    return None


def _slice_of_objective_on_its_bound(objective: Objective, constraints: list[Constraint], reading: RuleReading,
                                     network_wide: Callable[[Constraint], bool] | None = None) -> list[Constraint]:
    """"The eMBB slice needs better fairness; target a Jain index of 0.9": in a text that names one slice, the
    objective's, a bound on the objective's own KPI said without a slice is on that slice too (not one said of the
    whole network)."""
    out = []
    for c in constraints:
        if c.kpi == objective.kpi and c.slice is None and not (network_wide is not None and network_wide(c)):
            reading.assumptions.append(f"the bound {c.kpi} {c.op} {c.value:g} read on the objective's slice "
                                       f"{objective.slice}")
            c = _on_slice(c, objective.slice, reading)
        out.append(c)
    return out


def _tighter_of_twins(constraints: list[Constraint], notes: list[str]) -> list[Constraint]:
    """Two bounds the same way on one KPI and slice, once the slices are known ("times out when the average delay goes
    past 0.05 s. Bring mean latency for the URLLC slice down to 0.03 s"): the tighter one (both hold then)."""
    out: list[Constraint] = []
    for c in constraints:
        twin = next((i for i, o in enumerate(out) if constraint_key(o) == constraint_key(c)), None)
        if twin is None:
            out.append(c)
            continue
        out[twin] = _tighter(out[twin], c, notes)
    return out


def _tighter(kept: Constraint, new: Constraint, notes: list[str]) -> Constraint:
    """Of two bounds the same way on one KPI and slice, the tighter one (both hold then), noted."""
    tighter = new if (new.value < kept.value) == (new.op == "<=") else kept
    notes.append(f"two bounds {new.kpi} {new.op} ({kept.value:g}, {new.value:g}); kept the tighter, {tighter.value:g} "
                 "(both hold then)")
    return tighter


def _text_error(text: str) -> str | None:
    if not text or not text.strip():
        return f"empty intent: say what the network should do, e.g. '{EXAMPLE_INTENT}'"
    if len(text) > MAX_TEXT_CHARS:
        return f"intent too long ({len(text)} characters, at most {MAX_TEXT_CHARS}): state one goal in a sentence"
    return None


def _flag_settings(t: _Text, notes: list[str]) -> None:
    """Text that asks to bypass limits, or for knob values, is flagged; a value never reaches the intent."""
    if _INJECTION.search(t.s):
        notes.append("the text asks to bypass limits or switch everything off: an intent carries goals only; "
                     "the policy bounds every change, below every agent")
    for m in t.take(_KNOB_VALUE.pattern):
        notes.append(f"knob value '{m[0].strip()}' ignored: an intent holds goals, not settings; the optimizer "
                     "chooses values within the policy")


#: radio conditions an operator names as the problem that are no KPI of their own here: they show in coverage (SINR)
#: and in the cell-edge throughput
_INTERFERENCE = re.compile(r"\b(?:interference|interferers?|overshoot(?:s|ing)?|over-shoot(?:s|ing)?|pilot\s+pollution|"
                           r"(?:too\s+much|excessive)\s+overlap|cell\s+overlap)\b")


def _no_kpi_error(says_what_to_change: bool, s: str = "") -> str:
    if (m := _INTERFERENCE.search(s)) is not None:
        return (f"'{m[0]}' is no KPI of its own here: it shows as lower coverage (the share of users with SINR >= -6 dB) "
                "and lower cell-edge throughput (the 5th percentile); say which to improve, e.g. 'improve the "
                "cell-edge throughput on cells 10-12 but keep coverage above 95%'")
    if says_what_to_change:
        return ("the text says what to change but not what for: name the KPI to improve (energy, coverage, "
                f"throughput, latency, fairness, handovers, ...), e.g. '{EXAMPLE_INTENT}'")
    return ("no network goal found in the text: name a KPI (energy, coverage, throughput, latency, fairness, "
            f"handovers, PRB utilization, active cells) and what to do with it, e.g. '{EXAMPLE_INTENT}'")


#: a text that allows no change at all ("change freeze", "no parameter may be modified", "do not touch anything"), with
#: no exception after it in its clause ("change nothing except the tilt" restricts the means instead)
_FREEZE = re.compile(
    r"(?:\bchange\s+freeze\b|\b(?:freeze|frozen)\s+(?:on\s+)?(?:all\s+)?(?:changes|configuration|parameters)\b"
    r"|\b(?:no|not\s+a\s+single|not\s+one|none\s+of\s+the)\s+(?:radio\s+|cell\s+)?(?:parameters?|settings?|knobs?|"
    r"configuration(?:\s+changes?)?|changes?)\s+(?:may|can|shall|must|is|are|will|to)\s+(?:be\s+)?"
    r"(?:modified|changed|touched|altered|made|allowed|permitted|applied)"
    r"|\bnothing\s+(?:may|can|shall|must|is\s+to)\s+(?:be\s+)?(?:changed|modified|touched|altered)"
    r"|\b(?:do\s+not|don'?t|must\s+not|may\s+not|shall\s+not)\s+(?:change|modify|touch|alter)\s+(?:anything|any\s+"
    r"(?:parameters?|settings?|knobs?|configuration)))"
    r"(?!\s+else\b)(?![^;.\n]*\b(?:except|other\s+than|apart\s+from|besides|but\s+(?:the|for)|only|unless|"
    # a freeze for some hours or cells only ("no changes may be made during business hours") leaves the others
    r"during|between|from|until|till|before|after|at\s+night|in\s+the\s+(?:morning|afternoon|evening|day)|on\s+cells?|"
    r"for\s+cells?|to\s+cells?)\b)")


_HARDWARE_NOUN = (r"(?:small[- ]cells?|macro[- ]?cells?|cells|sites?|antennas?|towers?|masts?|radios?|carriers?|"
                  r"base\s+stations?|gnbs?|enbs?|hardware|equipment|fibre|fiber|backhaul\s+links?)\b"
                  # "add more cells to the sleep list" picks cells that are there
                  r"(?!\s+(?:to|into|in)\s+(?:the\s+|a\s+)?(?:sleep\w*|list|plan|set|group|pool|selection|schedule|policy|scope|search))")
#: an ask for new hardware ("install two additional small cells", "add 3 new sites"): airloop configures the cells
#: there are; not said as the time of something else ("until the new sites are built, ...", "once we install ...")
_HARDWARE = re.compile(
    r"(?<!\buntil\s)(?<!\bbefore\s)(?<!\bonce\s)(?<!\bafter\s)(?<!\bwhen\s)(?<!\bwhile\s)(?<!\bwe\s)"
    r"(?<!\bin-)(?<!\bin\s)"  # (an adjective: "the in-building small cells")
    r"\b(?:install|deploy|erect|build|put\s+up|roll\s+out|procure|buy|purchase|order)(?:s|ing)?\s+(?:a\s+|an\s+|several\s+|"
    rf"some\s+|{_ANY_NUMBER_WORD}\s+)?"
    r"(?:new\s+|additional\s+|extra\s+|more\s+|temporary\s+|(?:energy[- ])?efficient\s+|modern\s+|5g\s+)*"
    r"(?:radio\s+units?\b|" + _HARDWARE_NOUN + r")" +
    r"|\b(?:should|shall|can|could)\s+we\s+(?:install|deploy|procure|buy|purchase|order)\s+(?:a\s+|an\s+|some\s+|"
    rf"{_ANY_NUMBER_WORD}\s+)?(?:new\s+|additional\s+|extra\s+|more\s+|(?:energy[- ])?efficient\s+|modern\s+)*"
    r"(?:radio\s+units?\b|" + _HARDWARE_NOUN + r")" +
    rf"|\badd(?:s|ing)?\s+(?:a\s+|an\s+|several\s+|some\s+|{_ANY_NUMBER_WORD}\s+)?"
    r"(?:new|additional|extra|more)\s+" + _HARDWARE_NOUN)
#: an objective on a metric airloop does not model ("minimise the jitter", "improve RSRP")
_UNMODELLED_OBJECTIVE = re.compile(
    r"\b(?:minimi[sz]|maximi[sz]|reduc|lower|cut|improv|rais|increas|optimi[sz]|decreas|boost)\w*\s+(?:the\s+|our\s+|its\s+|their\s+)?"
    rf"(?:[\w'-]+\s+){{0,2}}?({_UNMODELLED_METRICS}|packet\s+delay\s+variation|pdv|battery\s+life"
    r"|arpu|revenue|profits?|net\s+promoter\s+score|nps|csat|customer\s+satisfaction)\b"  # business figures
    r"(?![\s-]+(?:coverage|based|threshold|level\s+coverage))"  # "SINR coverage" is coverage
    r"|\b(battery\s+life)\s+(?:gets?|becomes?|grows?|lasts?)\s+(?:longer|better)"  # "... as long as battery life gets longer"
    # "get jitter under 2 ms" (its value already taken out by `_unmodelled_values`; "keep jitter under 15 ms" beside
    # a real ask is a guard on nothing, dropped)
    rf"|\b(?:get|bring|push)\s+(?:the\s+|our\s+|its\s+)?(?:[\w'-]+\s+){{0,2}}?({_UNMODELLED_METRICS})"
    r"(?:\s+(?:on|for|at|in)\s+[^.;!?]{0,25}?)?\s+"  # (cells or a place between: "get the jitter on cells 2-3 down")
    r"(?:under|below|down|lower|less|within|beneath|above|over|up)\b"
    r"|\b(power\s+factor|reactive\s+power)\b")  # the sites' electrical power factor is no radio KPI
#: a metric airloop does not model, named in a text that names no KPI ("need jitter on the control link under 5 ms")
_UNMODELLED_NAME = re.compile(rf"\b({_UNMODELLED_METRICS}|packet\s+delay\s+variation|pdv|battery\s+life|"
                             r"call\s+drops?|dropped\s+calls|call\s+setup\s+success)\b")
#: a means airloop has no knob for, asked for as the means ("by changing the antenna azimuth", "by adding bandwidth")
_UNMODELLED_MEANS = re.compile(
    r"\b(?:by|using|via|through)\s+(?:(?:re-?)?[a-z]+ing\s+)?(?:the\s+|a\s+|an\s+|more\s+|extra\s+|its\s+|their\s+|"
    r"our\s+)?(?:[a-z0-9'-]+\s+){0,2}?((?:antenna\s+)?azimuths?|(?:antenna|mast|mounting)\s+heights?|frequency\s+bands?|"
    r"(?:carrier|centre|center|channel)\s+frequenc(?:y|ies)|"
    r"(?:channel\s+|carrier\s+)?bandwidth|spectrum|mimo(?:\s+layers)?|beam-?forming|(?:handover\s+)?hysteresis|"
    r"time[- ]to[- ]trigger|drx|numerology|carrier\s+aggregation)\b"
    # ordered outright: "Set the azimuth on cell 8 to 120 degrees", "Rotate the azimuth ... azimuth only", "Move
    # cells 30 to 33 onto the 2.6 GHz band"
    r"|(?:^|[.;:!?,(]\s*|\band\s+)(?:please\s+|pls\s+)?(?:(?:can|could|would|will)\s+(?:you|someone|somebody|anyone|we|u|"
    r"your\s+(?:engineers?|team|techs?|technicians?|crew|people|field\s+team))\s+"
    r"(?:please\s+|pls\s+)?)?(?:only\s+|just\s+)?(?:set|rotate|turn(?:\s+on)?|switch\s+on|swing|re-?point|shift|raise|lower|change|"
    r"widen|increase|expand|extend|double|boost|bump(?:\s+up)?|"
    r"adjust|tweak|modify|alter|re-?align|allocate|assign|give|add|enable|activate)\s+(?:the\s+|its\s+|their\s+)?(?:more\s+|extra\s+|additional\s+)?"
    r"((?:antenna\s+)?azimuths?|(?:antenna|mast|mounting)\s+heights?|(?:carrier|channel)\s+(?:bandwidth|frequenc(?:y|ies))"
    r"|frequency\s+bands?|carrier\s+aggregation)\b"
    r"|\b(?:mov(?:e|es|ed|ing)|migrat\w*|shift\w*|put(?:s|ting)?|re-?farm\w*)\s+[^.;]{0,40}?\b(?:onto|to|into)\s+(?:the\s+|a\s+|another\s+)?"
    r"(?:carrier\s+|new\s+|other\s+|higher\s+|lower\s+|different\s+)?((?:frequency\s+)?(?:band|channel))\b"
    # a bandwidth set in MHz: "Increase the 5G bandwidth to 200 MHz on cell 9" (a frequency reads "carrier" by now)
    r"|\b(?:increas\w*|rais\w*|set|widen\w*|expand\w*|doubl\w*|boost\w*|bump\w*(?:\s+up)?|chang\w*|give)\s+(?:the\s+|its\s+|their\s+|more\s+)?"
    r"(?:[a-z0-9-]+\s+){0,2}?((?:channel\s+|carrier\s+)?bandwidth)\b(?=(?:\s+[a-z0-9]+){0,3}?\s+(?:to|of|at|by)\s+(?:\d+\s*[mg]hz|carrier)\b)"
    # "just an azimuth change", "only a height adjustment"
    r"|\b(?:just|only)\s+(?:an?\s+|the\s+)?((?:antenna\s+)?azimuth|(?:antenna|mast)\s+height|bandwidth|frequency)\s+"
    r"(?:change|adjustment|tweak|move|rotation|increase)\b"
    # "use azimuth only" (not "use the spectrum more efficiently")
    r"|\b(?:use|change|adjust)\s+(?:the\s+)?((?:antenna\s+)?azimuths?|(?:antenna|mast)\s+heights?|frequency\s+bands?)\s+only\b")
#: a request for a report of the KPIs, not for a change ("submit a report stating the measured coverage")
_REPORT_ASK = re.compile(r"\b(?:submit|publish|file|send|provide|prepare|deliver|compile|produce|share)\w*\s+(?:[\w,-]+\s+){0,10}?"
                         r"(?:reports?|summary|summaries|statements?|dashboards?|figures|overview|numbers)\b")


def _not_modelled(metric: str) -> str:
    return (f"airloop does not model {metric}: the KPIs it can improve are energy, energy efficiency, coverage, "
            "throughput (mean or 5th percentile), latency (mean or 95th percentile), packet loss, fairness, "
            "handover rate, PRB utilization and active cells; ask for one of them")


def _out_of_scope(s: str, source: str | None) -> str | None:
    """Why the text asks for something airloop cannot do, or None: new hardware, a metric it does not model, or a
    report (a KPI named with no verb or bound beside a request for a report)."""
    m = next((h for h in _HARDWARE.finditer(s) if not re.search(
        r"(?:\b(?:will|shall|going\s+to|plan(?:s|ned)?\s+to|is|are|was|were|be|being|been|has|have|had)|'ll|'re)\s+(?:\w+\s+)?$",
        s[max(0, h.start() - 40):h.start()]) and not re.match(r"\s*(?:#|no\.?\s*)?\d", s[h.end():])), None)
    # (a plan or a state, "we will deploy ...", is context; so are cells named by number, "terminal building cells 20
    # to 23": they exist)
    if m is not None:
        return (f"the text asks for new hardware ('{m[0].strip()}'): airloop reconfigures the cells there are (transmit "
                "power, tilt, sleep, CIO, slice shares); say what to improve with them, e.g. "
                f"'{EXAMPLE_INTENT}'")
    if (m := _UNMODELLED_OBJECTIVE.search(s)) is not None:
        return _not_modelled(next(g for g in m.groups() if g))
    if source == "bare" and (m := _REPORT_ASK.search(s)) is not None:
        return (f"the text asks for a report ('{m[0].strip()}'), not a change: `airloop sim --json` prints the KPIs; "
                f"to change the network, say what to improve, e.g. '{EXAMPLE_INTENT}'")
    return None


def _frozen(s: str) -> bool:
    """`_FREEZE` with no means named before it in its sentence ("with only the slice shares, don't touch anything")
    and no knob named in its clause (then the knob reader decides what is excluded)."""
    for m in _FREEZE.finditer(s):
        before = _SENTENCE_BREAK.split(s[max(0, m.start() - 120):m.start()])[-1]
        after = _SENTENCE_BREAK.split(s[m.end():m.end() + 120])[0]
        names_a_knob = any(re.search(_word(p), after) for p, _, _ in _KNOB_PATTERNS)  # "... applied to the tilt"
        if not re.search(r"\b(?:only|just|except|solely|exclusively)\b", before) and not names_a_knob:
            return True
    return False


#: a clock time past the end of the day ("starting at 25:00", "to 24:30"): no hour of the 24 the simulator has. Only
#: after a word that says a time follows, so that a ratio ("a 60:40 split of the PRBs") is no time
_NO_CLOCK_TIME = re.compile(r"(?:\b(?:at|from|to|until|till|til|after|before|by|between|and|since|for|around|about|window|slot"
                            r"|period)\s+|[-–@]\s*|^\s*)"
                            r"((?:2[5-9]|[3-9]\d|24(?=:[0-5][1-9]|:[1-5]\d)):[0-5]\d)(?!\d|:\d)")  # ("to 25:00: reduce ...")


def read_text(text: str) -> RuleReading:
    """Read ``text`` as one request with the rule lexicon. Deterministic; never raises on any string.
    (`parse_rules` reads a reply that revises an earlier request as that request with the reply's edits.)"""
    notes: list[str] = []
    assumptions: list[str] = []
    error = _text_error(text)
    if error:
        return RuleReading(None, None, set(), [], [], [], {}, notes, assumptions, error=error, error_kind="text")
    # Spelling first, so that a misspelt number word ("nienty-five percent") is read as a number afterwards.
    corrected, fixes = correct(expand_abbreviations(plain_text(text)), _VOCABULARY, proper_names(text))
    normalized = _normalize_expanded(corrected)
    if (bad := _NO_CLOCK_TIME.search(normalized)) is not None:
        return RuleReading(None, None, set(), [], [], [], {}, notes, assumptions, error_kind="impossible",
                           error=f"'{bad[1]}' is no time of day (a day runs from 00:00 to 24:00): give the hour again, "
                                 "e.g. 'from 01:00 to 05:00'")
    field_slice = None
    if (sf := _SLICE_FIELD.search(normalized)) is not None:
        field_slice = next((name for pattern, name in _SLICE_PATTERNS if re.fullmatch(pattern, sf[1] or sf[2])), None)
        if field_slice is not None:
            normalized = normalized[:sf.start()] + " " * (sf.end() - sf.start()) + normalized[sf.end():]
    assumptions += [f"'{written}' read as '{meant}' (spelling)" for written, meant in fixes]
    t = _Text(normalized)
    _flag_settings(t, notes)
    cells = _parse_cells(t, notes)  # before the times: "cells 0-3" is not a clock span
    if cells and (context := _context_cells(normalized, set(cells))):
        # "Cell 7 dropped overnight ... keep latency under 40 ms on cells 6 and 8": the cells of a sentence that
        # asks nothing, beside the cells the ask names, are context
        cells = sorted(set(cells) - context)
        assumptions.append(f"cell(s) {sorted(context)} named only where nothing is asked: not in scope")
    hours, hours_found = _parse_times(t, assumptions, notes)
    mentions, spans, knobs, knobs_found, means = _mentions(t)
    if _frozen(normalized):
        knobs, knobs_found = [], True
    end = _means_end(means, normalized)
    clauses: list[list[_Mention]] = [[] for _ in spans]
    for x in mentions:
        clauses[_clause_of(x.start, spans)].append(x)
    reading = RuleReading(None, None, set(), list(dict.fromkeys(x.value for x in _of(mentions, "kpi"))),
                          list(dict.fromkeys(x.value for x in _of(mentions, "slice"))), [], {}, notes, assumptions)
    reading.found = {name for name, found in (("hours", hours_found), ("cells", cells is not None),
                                              ("knobs", knobs_found)) if found}
    reading.hours, reading.cells, reading.knobs, reading.knobs_means = hours, cells, knobs, means
    if not reading.kpis_mentioned and not any(x.unit in _UNIT_IMPLIES for x in _of(mentions, "num")) and end is None:
        scope = _out_of_scope(normalized, None)
        if scope is None and (m := _UNMODELLED_NAME.search(normalized)) is not None:
            scope = _not_modelled(m[1])
        reading.error = scope or _no_kpi_error(knobs_found or bool(_of(mentions, "verb")), normalized)
        reading.error_kind = "scope" if scope else "no_kpi"
        return reading
    r = _ClauseReader(t.s, t.orig, spans, clauses, reading).read()
    if r.impossible:
        reading.error = "a bound no network can meet: " + "; ".join(r.impossible)
        reading.error_kind = "impossible"
        return reading
    reading.free_numbers = [(x.number, x.unit) for x in _of(mentions, "num") if x.start not in reading.used_numbers]
    objective, source = _choose_objective(r, reading, end)
    if objective is not None and objective.kpi == "energy_w" and any(o[0] == "energy_efficiency" and o[2] == "maximize"
                                                                 for o in r.objectives) \
            and re.search(r"\b(?:carbon|emissions?|footprint|co2)\b", normalized) \
            and not re.search(r"\b(?:energy|power|electricity|kwh|kw)\b(?![\s-]*efficien)", normalized):
        # "The council wants our carbon numbers improved. Can the network ... get more bits per joule": the energy
        # efficiency asked for is how the carbon is cut
        objective = Objective(kpi="energy_efficiency", goal="maximize")
        reading.assumptions.append("the carbon goal read as the energy efficiency asked for")
    if objective is not None:
        objective = r.slice_from_states(objective, reading)
        r.drop_states_against(objective)
    _apply_guards(r, objective, reading)
    whole = field_slice or r.trailing_slice
    if objective is not None and whole is not None and set(reading.slices_mentioned) <= {whole}:
        objective, r.constraints = for_slice(whole, objective, r.constraints, reading)
        reading.whole_slice = whole
    if objective is not None and (member := _member_slice(t.orig, mentions, objective)) is not None:
        # "the robot arms run on the URLLC slice. Keep their latency under 5 ms and loss under 0.1 %"
        reading.assumptions.append(f"the request is about the {member} slice's users (named before the KPIs)")
        objective = objective.model_copy(update={"slice": member})
        r.constraints = [_on_slice(c, member if c.slice is None and c.kpi not in _NOT_MEMBERS else c.slice, reading)
                         for c in r.constraints]
    first_slice = min((x.start for x in _of(mentions, "slice")), default=0)
    if objective is not None and objective.slice is None and objective.kpi not in NETWORK_ONLY_KPIS \
            and (own := [c for c in r.constraints if c.kpi == objective.kpi]) \
            and len({c.slice for c in own}) == 1 and own[0].slice is not None \
            and (first := min((k.start for k in _of(mentions, "kpi") if k.value == objective.kpi), default=None)) is not None \
            and (source != "explicit" or (all(x.start > first for x in _of(mentions, "slice")) and (
                re.search(r"(?<!\d):(?!\d)", t.s[:first_slice]) or re.search(r"[.!?](?:\s|$)", t.s[first:first_slice])))):
        # "Fleet trackers need low latency in rush hours: URLLC mean delay max 5 ms", "The HVAC controllers need low
        # delay. Get urllc latency below 25 ms": the objective named loosely first, then its bound on the one slice
        # its bounds are on (other slices may bound other KPIs): the objective is that slice's (not an objective said
        # with its verb in the sentence of the bound, "maximize coverage while eMBB coverage stays above 90 %", nor
        # "URLLC latency at most 10 ms. Minimise latency"; but "Can you prioritise speed then? Mean throughput for
        # video (eMBB) above 20 Mbit/s", the slice in a sentence after the objective's; and a complaint after the bound,
        # "URLLC slice latency below 10 ms all evening? ... any lag looks awful", is that slice's)
        objective = objective.model_copy(update={"slice": own[0].slice})
        reading.assumptions.append(f"the objective {objective.kpi} read on the slice of its own bound, "
                                   f"{objective.slice}")
    if objective is not None and objective.slice is not None and set(reading.slices_mentioned) == {objective.slice}:
        # (not a bound said of the whole network: "... and keep overall PRB use under 80%")
        r.constraints = _slice_of_objective_on_its_bound(
            objective, r.constraints, reading, lambda c: r.said_network_wide(c, normalized))
    r.constraints = _tighter_of_twins(r.constraints, notes)
    reading.objective, reading.constraints, reading.objective_source = objective, r.constraints, source
    if objective is None:
        reading.error = f"no objective found: say what to improve, e.g. '{EXAMPLE_INTENT}'"
        reading.error_kind = "no_objective"
        return reading
    if (why := _out_of_scope(normalized, source)) is not None:
        reading.error, reading.error_kind = why, "scope"
        return reading
    if (m := _UNMODELLED_MEANS.search(normalized)) is not None:
        what = re.sub(r"\s+", " ", next(g for g in m.groups() if g))
        if not knobs_found:  # "by changing the antenna azimuth only": the only means asked for is none airloop has
            reading.error = (f"airloop cannot change the {what}: the knobs it has are transmit power, tilt, cell sleep, "
                             "CIO and slice shares; allow one of them, or drop the restriction on the means")
            reading.error_kind = "scope"
            return reading
        notes.append(f"the {what} is no knob airloop has: only the knobs it has, of those named, are used")
    if knobs == []:
        reading.error = ("every knob is excluded (a change freeze, or each of transmit power, tilt, cell sleep, CIO and "
                         "slice shares ruled out), so no change can serve the objective; allow at least one knob, "
                         "e.g. 'using tilt only', or ask again when changes are allowed")
        reading.error_kind = "freeze"
        return reading
    try:
        reading.intent = Intent(text=text, objective=objective, constraints=r.constraints, hours=hours, cells=cells,
                                knobs=cast("list[KnobName] | None", knobs), assumptions=assumptions)
    except ValueError as e:  # a reading the Intent refuses is a bug here, but bad text must never crash a run
        reading.error = f"the text could not be read as a valid intent ({e}); rephrase it, e.g. '{EXAMPLE_INTENT}'"
        reading.error_kind = "invalid"
    return reading
