"""A reply that revises an earlier request, read as that request with the reply's edits applied.

Operators rarely restate a whole intent when they answer a proposal: "> Proposal: minimise energy at night, coverage
>= 95 %" followed by "make the coverage floor 97 % rather than 95 %, and leave the tilt alone", a chat whose later
turn says "no, make that 94 %", or "Re: your draft (...): drop the throughput floor". Read as one text, the old and the
new values both become bounds. Here the earlier request is read on its own (`read_text`), then each later part edits
it, in order:

* what the reply replaces is taken out before it is read ("97 % rather than 95 %", "5 ms, not 10", "the 5th
  percentile instead of the mean", "0.8 is too strict"), and a KPI said in place of the objective's becomes the
  objective;
* a bound the reply drops ("drop the throughput floor", "scrap the power cap") is removed;
* a value given for a bound without naming its KPI ("make it 0.2", "raise the floor to 97 %") goes to the one bound
  of the earlier request its unit fits;
* what the reply reads as (`read_text` of what is left) replaces the same field of the earlier request: its bounds
  replace the bounds on the same KPI, its hours, cells and knobs the earlier ones; knobs it only excludes or adds
  ("leave the tilt alone", "allow CIO as well") edit the earlier list; a new start or end time moves the earlier span.

The words are `lexicon.yaml`'s ``revision`` section. A text with none of these shapes is read by `read_text` as before.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple, cast

from airloop.core import KNOB_NAMES, Constraint, Intent, KnobName, Objective, clock_spans

from ..intent import default_goal
from ._echo import kpi_text
from ._rules import (
    _KNOB_PATTERNS,
    DATE_STAMP,
    EXAMPLE_INTENT,
    LEXICON,
    NETWORK_ONLY_KPIS,
    RuleReading,
    _slice_of_objective_on_its_bound,
    _word,
    alternatives,
    for_slice,
    read_text,
)
from ._zones import expand_zones

_R = LEXICON.revision
_ROLE = re.compile(rf"^[ \t]*(?:\[[^\]\n]{{0,20}}\][ \t]*)?(?P<role>{alternatives(_R.user_roles)}|{alternatives(_R.bot_roles)})"
                   r"[ \t]*:", re.I | re.M)
_BOT = re.compile(rf"(?:{alternatives(_R.bot_roles)})$", re.I)
_QUOTED = re.compile(r"^[ \t]*((?:>[ \t]?)+)", re.M)
_PRECEDENT = re.compile(rf"\b(?:{alternatives(_R.precedent_words)})\b", re.I)
_PRECEDENT_BARE = re.compile(rf"\b(?:{alternatives(_R.precedent_bare)})\b", re.I)
_PAST_JOB = re.compile(rf"\b(?:{alternatives(_R.past_job_words)})\b", re.I)
_PROPOSAL = re.compile(rf"\b(?:{alternatives(_R.proposal_words)})\b", re.I)
_OPEN = {"(": ")", "'": "'", '"': '"', "“": "”", "‘": "’", "[": "]"}
_CLOCK = r"(?:midnight|noon|midday|\d{1,2}(?::\d{2})?(?:\s*(?:a\.?m\.?|p\.?m\.?|h\b))?)"
#: what a reply replaces: "97 % rather than 95 %", "instead of the evening", "5 ms, not 10", "not 22:00 but midnight"
_REPLACED = re.compile(
    rf"\s*\b(?:{alternatives(_R.replaced_before)})\s+(?P<old>[^,.;:\n—–()]+)"
    rf"|\s*[,—–-]\s*not\s+(?:up\s+to\s+|at\s+|from\s+|the\s+)?(?P<old2>(?!(?:{alternatives(_R.not_a_replacement)})\b)"
    r"[^,.;:\n—–()]+)"
    rf"|\bnot\s+(?P<old3>[^,.;:\n]+?)\s+but\s+", re.I)
#: a value the reply turns down: "0.8 fairness is too strict", "95 % feels too tight"
_TURNED_DOWN = re.compile(rf"\d+(?:\.\d+)?\s*(?P<what>(?:%|[a-z/]+)?(?:\s+[a-z-]+){{0,3}}?)\s+(?:is|are|was|seems?|looks?|feels?|"
                          rf"would\s+be|sounds?)\s+(?:way\s+|much\s+|a\s+bit\s+|a\s+tad\s+|slightly\s+|far\s+)?too\s+"
                          rf"(?:{alternatives(_R.too_words)})\b", re.I)
_BOUND_NOUN = rf"(?:{alternatives(_R.floor_nouns)}|{alternatives(_R.cap_nouns)}|{alternatives(_R.bound_nouns)})"
#: a bound the reply drops: "drop the throughput floor", "scrap the power cap entirely", "no need for the latency cap"
_DROPPED = re.compile(rf"\b(?:{alternatives(_R.drop_verbs)})\s+(?:the\s+|that\s+|this\s+|any\s+|our\s+|its\s+)?"
                      rf"(?P<what>(?:[^\s,.;:]+\s+){{0,4}}?){_BOUND_NOUN}s?\b(?!\s+(?:to|at|down\s+to)\s+\d)", re.I)
#: a new value for a bound: "make it 0.2 per user per minute", "raise the coverage floor to 97 %", "set that to 5 ms"
_NEW_VALUE = re.compile(rf"\b(?:(?:{alternatives(_R.set_verbs)})\s+(?P<pron>it|that|this|them)\b|(?:(?:{alternatives(_R.set_verbs)})\s+)?"
                        rf"(?:the\s+|that\s+|this\s+|our\s+)(?P<what>(?:[^\s,.;:]+\s+){{0,4}}?)(?P<noun>{_BOUND_NOUN})s?\b)\s*"
                        r"(?:from\s+\d+(?:\.\d+)?\s*[^\s\d,.;:]*\s+)?(?:to\s+|at\s+|=\s*)?(?=\d)", re.I)
_START = re.compile(rf"\b(?:{alternatives(_R.start_verbs)})\s+(?:it\s+|them\s+|the\s+window\s+)?(?:at|from)\s+(?P<t>{_CLOCK})",
                    re.I)
_END = re.compile(rf"\b(?:{alternatives(_R.end_verbs)})\s+(?:it\s+|them\s+|the\s+window\s+)?(?:at|by)\s+(?P<t>{_CLOCK})",
                  re.I)
_ADD = re.compile(rf"\b(?:{alternatives(_R.add_words)})\b", re.I)
#: words that refer back to the earlier request's slice ("as long as its packet loss stays below 2 %")
_ANAPHOR = re.compile(r"\b(?:its|their|that\s+slice|this\s+slice|the\s+same\s+slice|those\s+(?:users|devices|ues))\b", re.I)
#: a turn correcting itself: what follows replaces what came before ("CIO only. actually, CIO and tilt")
_SELF_CORRECTION = re.compile(rf"(?:^|(?<=[.,;!?])|(?<=\s))\s*(?:{alternatives(_R.self_corrections)})\b[\s,.!:;—–-]*", re.I)
_RESET = re.compile(rf"^\s*(?:(?:{alternatives(_R.assent)})\b[\s,.!:;—–-]*)*(?:{alternatives(_R.reset_words)})\b[\s,.!:;—–-]*", re.I)
_ASSENT = re.compile(rf"^\s*(?:(?:{alternatives(_R.assent)})\b[\s,.!:;—–-]*)+", re.I)


def parse_rules(text: str) -> RuleReading:
    """Read ``text`` with the rule lexicon (`read_text`). A diff is read as the file after the patch and named zones as
    their cells first; a text that revises an earlier request (a reply under quoted lines, a chat with a bot, a
    negotiation, a ticket's comment history, a choice among listed options, a proposal quoted or put in brackets, a
    request by precedent) is read as that request with each later part's edits. Deterministic; never raises on any
    string."""
    shown = text
    text, patched = _patched(text)
    text, zone_notes = expand_zones(text)
    zone_notes = patched + zone_notes
    if zone_notes:
        reading = _parse(text)
        reading.assumptions += zone_notes
        if reading.intent is not None:
            reading.intent = reading.intent.model_copy(update={"text": shown, "assumptions": list(reading.assumptions)})
        return reading
    return _parse(text)


def _parse(text: str) -> RuleReading:
    whole = read_text(text)
    parts = revision_parts(text)
    if parts is None or (whole.error_kind is not None and whole.error_kind not in ("impossible", "no_objective")):
        return whole
    reading = read_text(parts[0].text)
    if reading.intent is None:
        return whole
    last: Constraint | None = None  # the bound the edit before touched ("coverage 96" then "no wait, 0.955")
    for part in parts[1:]:
        before = reading.intent.constraints if reading.intent is not None else []
        if (reset := _RESET.match(part.text)) is not None:  # "scratch that, the real issue is URLLC: ..."
            fresh = read_text(part.text[reset.end():])
            if fresh.intent is not None:
                reading, last = fresh, None
                continue
        reading = revise(reading, part, text, last)
        if reading.intent is None:
            return reading
        last = next((c for c in reading.intent.constraints if c not in before), last)
    reading.assumptions.append(f"read as {len(parts) - 1} edit(s) of the earlier request '{_short(parts[0].text)}'")
    assert reading.intent is not None
    reading.intent = reading.intent.model_copy(update={"text": text, "assumptions": list(reading.assumptions)})
    return reading


class Part(NamedTuple):
    """One part of a revised request: its words, the bot's question it answers (a chat), and whether it corrects the
    part before it ("CIO only. actually, CIO and tilt")."""

    text: str
    question: str = ""
    correction: bool = False


#: a unified diff's own lines: file headers, hunks, the diffstat, git's commit headers
_DIFF_HEADER = re.compile(r"^(?:diff\s+--git|index\s+[0-9a-f]|---\s|\+\+\+\s|@@|\s*\d+\s+files?\s+changed|\s*\S+\s+\|\s+\d+|"
                          r"from\s+[0-9a-f]{7,}|commit\s+[0-9a-f]{7,}|author:|date:)", re.I)


def _patched(text: str) -> tuple[str, list[str]]:
    """A unified diff of an intent file ("--- a/intent.yaml", "+++ b/...", "-  coverage >= 0.95", "+  coverage >= 0.97"):
    the file after the patch, i.e. its context and added lines without the removed ones and the diff's own headers.
    Other text is returned as it is."""
    lines = text.split("\n")
    if not any(re.match(r"^(?:@@|---\s|\+\+\+\s)", ln) for ln in lines) or not any(
            re.match(r"^[-+](?![-+])", ln) for ln in lines):
        return text, []
    kept = [ln[1:] if ln.startswith("+") else ln for ln in lines
            if not _DIFF_HEADER.match(ln) and not (ln.startswith("-") and not ln.startswith("--"))]
    return "\n".join(kept), ["a diff: read as the file after the patch (removed lines dropped)"]


#: an option of a list to choose from: "Option B: ...", "(b) ...", "2. ...", "(ii) ...", "- A: ...", "Y) ..."
_OPTION = re.compile(r"^[ \t]*(?:[-*•][ \t]*)?(?:option[ \t]+)?\(?(?P<label>[a-z]|[1-9]|i{1,3}|iv|vi{0,3})\)?[ \t]*"
                     r"(?:[.):\-–—][ \t]*|(?<=\))[ \t]*)(?P<body>\S.*)$", re.I | re.M)


def _options(text: str) -> list[str] | None:
    """A choice among listed options ("Option A: ... Option B: ... I vote B", "(b) ... Team picked (b)", "B, but with
    coverage at least 98 %"): the lines before the list with the chosen option, then the words after the choice (its
    amendments)."""
    found = [m for m in _OPTION.finditer(text)]
    labels = [m["label"].lower() for m in found]
    if len(found) < 2 or len(set(labels)) != len(labels):
        return None
    rest = text[found[-1].end():]
    label = alternatives(re.escape(x) for x in labels)
    choice = re.search(rf"(?:\b(?:vote|votes|voted|pick|picks|picked|choose|chose|chosen|take|taking|go(?:ing)?\s+with|"
                       rf"do|prefer|decided\s+on|select(?:ed)?|want|option)\b[^\n.;]{{0,20}}?|^[\s\->:\"'“]*|"
                       rf"(?<=[:>])\s*[\"'“]?)\(?(?P<label>{label})\)?(?![\w])"
                       # a label alone at a line's start is a choice only when a pause or "but" follows ("B, but
                       # with ...", "(ii) please"), not "3 cells stay on"
                       rf"(?:(?<=[a-z)])|(?=[,.!:;)]|\s+(?:but|please|then|it\s+is|it's)\b|\s*$))", rest, re.I | re.M)
    if choice is None:
        return None
    chosen = next(m for m in found if m["label"].lower() == choice["label"].lower())
    intro = text[: found[0].start()]
    after = rest[choice.end():]
    return [intro + "\n" + chosen["body"], re.sub(r"^[\s,.;:!\-–—]*(?:please\b|but\b)?", "", after)]


def _short(s: str, n: int = 80) -> str:
    s = " ".join(s.split())
    return s if len(s) <= n else s[: n - 3] + "..."


# == finding the parts =================================================================================================

def revision_parts(text: str) -> list[Part] | None:
    """[the earlier request, edit, edit, ...] when the text revises an earlier request, else None."""
    if (turns := _chat_turns(text) or _dialogue(text) or _history(text)) is not None:
        return turns
    parts = _quote_levels(text) or _options(text) or _proposal(text) or _precedent(text)
    return None if parts is None else [Part(p) for p in parts]


def _precedent(text: str) -> list[str] | None:
    """A request by precedent: "On the east side we maximised mean throughput on cells 0-5. Repeat that on cells 6-11,
    but ...", "Same as the north cluster rollout (sleep cells at night to save energy), but ...": the earlier job
    (the sentences before the marker, or its words in brackets after it), then the rest."""
    m = _PRECEDENT.search(text)
    if m is None and (bare := _PRECEDENT_BARE.search(text)) is not None and _PAST_JOB.search(text[: bare.start()]):
        m = bare  # "we maximised throughput on cells 0-5. Do that on cells 6-11"; not "... Do it with CIO only"
    if m is None:
        return None
    before = text[: m.start()]
    if re.search(r"[.;!?\n]\s*$", before) and read_text(before).intent is not None:
        return [before, text[m.start():]]
    rest = text[m.end():]
    if (found := _bracketed(rest, 80, "([")) is not None:
        a, b, c = found
        return [rest[b:c], text[: m.start()] + rest[:a] + rest[c + 1:]]
    return None


def _bracketed(rest: str, within: int, openers: str = "(\"'“‘[") -> tuple[int, int, int] | None:
    """The first bracket or quote opened in the first ``within`` characters of ``rest``, on its line, after a space
    (not the apostrophe of "we'd") and with a word right inside: (where it opens, where its words start, where it
    closes)."""
    opening = re.search(rf"(?:(?<=\s)|^)[{re.escape(openers)}](?=\w)", rest[:within])
    if opening is None or "\n" in rest[: opening.start()]:
        return None
    close = rest.find(_OPEN[opening[0]], opening.end())
    return (opening.start(), opening.end(), close) if close > opening.end() else None


def _chat_turns(text: str) -> list[Part] | None:
    """A chat with a bot ("User: ... Bot: ... User: no, 94 %"): the user's turns in order, each with the bot's question
    before it (the bot's words are not the user's request, but "96" answers "Any coverage floor?"); a turn that
    corrects itself ("daytime. wait no, the afternoon") is two parts."""
    marks = list(_ROLE.finditer(text))
    if len(marks) < 2 or not any(_BOT.fullmatch(m["role"]) for m in marks) \
            or not any(not _BOT.fullmatch(m["role"]) for m in marks):
        return None
    parts: list[Part] = []
    question = ""
    for i, m in enumerate(marks):
        said = text[m.end(): marks[i + 1].start() if i + 1 < len(marks) else len(text)].strip()
        if _BOT.fullmatch(m["role"]):
            asked = re.findall(r"[^.?!\n]*\?", said)  # the question itself, not the echo before it
            question = asked[-1] if asked else ""
            continue
        pieces = _SELF_CORRECTION.split(said)  # [before the first correction word, after it, ...]
        parts += [Part(p.strip(), question if j == 0 else "", j > 0) for j, p in enumerate(pieces) if p.strip(" ,.;!")]
        question = ""
    return parts if len(parts) >= 2 else None


#: a speaker's line of a dialogue: "Energy team: ...", "RAN: ...", "Transport authority: ..."
_SPEAKER = re.compile(r"^[ \t]*(?P<who>[A-Z][\w'&.-]*(?:[ \t]+[A-Za-z][\w'&.-]*){0,2})[ \t]*:[ \t]+(?P<said>\S[^\n]*)$", re.M)


def _dialogue(text: str) -> list[Part] | None:
    """Two parties bargaining over the request, one line each ("Energy team: cut power from midnight to 6" / "RAN team:
    only if coverage stays at 97 %" / "Energy team: 97 is too tight, can we do 94?"): every line edits the request as
    said so far, a bare number answering for the bound the line before named. A dialogue has a speaker who speaks
    twice, so a form of "Key: value" lines is none."""
    lines = list(_SPEAKER.finditer(text))
    speakers = [m["who"].lower() for m in lines]
    if len(lines) < 3 or len(set(speakers)) < 2 or len(set(speakers)) == len(speakers) \
            or any(re.fullmatch(alternatives(_R.bot_roles), w) for w in speakers) \
            or any(a == b for a, b in zip(speakers, speakers[1:], strict=False)):  # "MUST: ... MUST: ...": a list
        return None
    return [Part(m["said"].strip(), "", j > 0) for j, m in enumerate(lines)]


#: a ticket's or a log's comment line: "2024-03-02 11:02 comment: ...", "2024-07-02 09:10 comment (RF lead): ..."
_COMMENT = re.compile(rf"^[ \t]*{DATE_STAMP}[^\n]{{0,14}}?\b(?:comment|note|update|reply)\b[^:\n]{{0,30}}:[ \t]*"
                      r"(?P<said>\S[^\n]*)$", re.I | re.M)


def _history(text: str) -> list[Part] | None:
    """A ticket's update history: the title and the first comment, then each later comment editing them (the latest
    comment's ask is what counts)."""
    comments = list(_COMMENT.finditer(text))
    if len(comments) < 2:
        return None
    title = text[: text.find("\n")] if "\n" in text else ""
    parts = [Part(title + "\n" + comments[0]["said"])]
    return parts + [Part(m["said"].strip(), "", True) for m in comments[1:]]


def _quote_levels(text: str) -> list[str] | None:
    """An e-mail reply under quoted lines ("> ..."): the most deeply quoted lines first, the unquoted reply last."""
    levels: dict[int, list[str]] = {}
    for line in text.splitlines():
        m = _QUOTED.match(line)
        depth = m[1].count(">") if m else 0
        body = line[m.end():] if m else line
        if body.strip():
            levels.setdefault(depth, []).append(body.strip())
    if len(levels) < 2 or 0 not in levels:
        return None
    return ["\n".join(levels[d]) for d in sorted(levels, reverse=True)]


def _proposal(text: str) -> list[str] | None:
    """"Re: your draft ('maximise mean throughput, evening'): ...", "Proposal: ...\\nReply: ...", "On Tom's suggestion
    to cut ...: I agree except ...": the proposal's words, then the rest."""
    for m in _PROPOSAL.finditer(text):
        rest = text[m.end():]
        if (found := _bracketed(rest, 60)) is not None:
            a, b, c = found
            return [rest[:a] + " " + rest[b:c], text[: m.start()] + rest[c + 1:]]
        colon = re.match(r"\s*(?:#?\d+\s*)?:(?!\d)", rest)
        if colon is not None:
            line_end = rest.find("\n", colon.end())
            if line_end > colon.end():
                return [rest[colon.end(): line_end], text[: m.start()] + rest[line_end:]]
            continue
        to = re.match(r"\s+(?:to|of|for)\s+", rest)
        if to is not None:
            end = re.search(r":(?!\d)|\n", rest[to.end():])
            if end is not None:
                stop = to.end() + end.start()
                return [rest[to.start(): stop], text[: m.start()] + rest[stop + 1:]]
    return None


# == one edit ==========================================================================================================

@dataclass
class _Edit:
    text: str  # what is left to read
    replaced: list[str]  # what the reply replaced (its old words)
    dropped: list[str]  # the words naming the bounds it drops
    start: int | None = None
    end: int | None = None


def _hour(t: str) -> int | None:
    t = t.strip().lower()
    if t in ("midnight",):
        return 0
    if t in ("noon", "midday"):
        return 12
    m = re.match(r"(\d{1,2})(?::(\d{2}))?\s*(a\.?m\.?|p\.?m\.?|h)?$", t)
    if m is None or int(m[1]) > 24:
        return None
    h = int(m[1]) % 24
    if m[3] and m[3].startswith("p") and h < 12:
        h += 12
    if m[3] and m[3].startswith("a") and h == 12:
        h = 0
    return h


def _kpis_in(words: str) -> list[str]:
    """The KPIs a short phrase names ("throughput", "the mMTC coverage")."""
    return read_text(words).kpis_mentioned if words.strip() else []


def _family(kpi: str) -> str:
    return kpi.split("_")[0]


def _fits(c: Constraint, value: str) -> bool:
    """Whether ``value`` (a number with the unit as written) reads as a bound on ``c``'s KPI."""
    op = "at least" if c.op == ">=" else "at most"
    r = read_text(f"keep {kpi_text(c.kpi, c.slice)} {op} {value}")
    return r.intent is not None and any(x.kpi == c.kpi for x in r.intent.constraints)


def _bound_words(c: Constraint) -> str:
    return f"{kpi_text(c.kpi, c.slice)} {'at least' if c.op == '>=' else 'at most'}"


def _prepare(edit: str, base: Intent) -> _Edit:
    """Take out what the reply replaces, turns down or drops, and name the KPI of a value given for a bound without
    one, so that `read_text` reads only the new request."""
    s = _ASSENT.sub(" ", edit)
    replaced: list[str] = []

    def cut(m: re.Match[str]) -> str:
        replaced.append((m["old"] or m["old2"] or m["old3"] or "").strip())
        return " "

    s = _TURNED_DOWN.sub(lambda m: f" {m['what']} " if _kpis_in(m["what"]) else " ", s)  # "0.8 fairness is too strict"
    s = _REPLACED.sub(cut, s)
    dropped = [m["what"] or "" for m in _DROPPED.finditer(s)]
    s = _DROPPED.sub(" ", s)
    start = next((_hour(m["t"]) for m in _START.finditer(s)), None)
    end = next((_hour(m["t"]) for m in _END.finditer(s)), None)
    s = _END.sub(" ", _START.sub(" ", s))

    def named(m: re.Match[str]) -> str:
        value = re.match(r"\d+(?:\.\d+)?\s*(?:%|per\s+user\s+per\s+minute|per\s+(?:minute|hour)|[a-zµ/]+)?", s[m.end():], re.I)
        written = value[0] if value else ""
        candidates = list(base.constraints)
        if m["what"] is not None and (kpis := _kpis_in(m["what"])):
            candidates = [c for c in candidates if c.kpi in kpis or _family(c.kpi) in map(_family, kpis)]
        noun = (m["noun"] or "").lower()
        if re.fullmatch(alternatives(_R.floor_nouns), noun):
            candidates = [c for c in candidates if c.op == ">="]
        elif re.fullmatch(alternatives(_R.cap_nouns), noun):
            candidates = [c for c in candidates if c.op == "<="]
        fitting = [c for c in candidates if _fits(c, written)]
        if len(fitting) != 1:
            return m[0]
        return f" keep {_bound_words(fitting[0])} "

    s = _NEW_VALUE.sub(named, s)
    return _Edit(s, [r for r in replaced if r], dropped, start, end)


def _moved_span(hours: list[int] | None, start: int | None, end: int | None) -> list[int] | None:
    """The earlier window with a new start or end ("start at midnight, not 22:00"), when it was one span."""
    if hours is None or (start is None and end is None):
        return hours
    spans = clock_spans(hours)
    if len(spans) != 1:
        return hours
    a, b = spans[0]
    a, b = (a if start is None else start) % 24, (b if end is None else end) % 24
    n = (b - a) % 24 or 24
    return sorted((a + i) % 24 for i in range(n))


def _with_context(edit: str, question: str, a: Intent, last: Constraint | None, unit: str | None = None) -> str:
    """An answer that names no KPI, read with what it answers: "96" after "Any coverage floor?" is the coverage,
    "below 0.3 %" after "To what level?" the objective's KPI, "55 to 58" after "Which cells?" cells, and "0.955" after
    a correction the bound the part before set."""
    lead = re.match(r"\s*(?:(?:ok|fine|then|so|deal)[,.!]?\s*)*(\d+(?:\.\d+)?\s*%?)(?:\s*(?:then|it\s+is))?\s*(?=[,.;!?]|$|\s+and\b)",
                    edit, re.I)
    if last is not None and lead is not None:  # "95, and mean latency under 30 ms": the 95 is for the bound before
        value = lead[1].strip()
        if unit and unit not in ("none", "%") and "%" not in value:
            value = f"{value} {unit}"  # "9 kW", then "actually, 8.5": kW too
        return f"{_bound_words(last)} {value}" + edit[lead.end():]
    if not re.search(r"\d", edit) or read_text(edit).kpis_mentioned:
        return edit
    if question and re.search(r"\bcells?\b", question, re.I) and re.match(r"\s*\d", edit):
        return "cells " + edit
    if question:
        kpis = _kpis_in(question)
        if len(kpis) == 1:
            return f"{kpi_text(kpis[0], None)} {edit}"
        if not kpis:
            return f"{kpi_text(a.objective.kpi, a.objective.slice)} {edit}"
    elif last is not None:
        return f"{_bound_words(last)} {edit}"
    return edit


def revise(base: RuleReading, part: Part, whole_text: str, last: Constraint | None = None) -> RuleReading:
    """``base`` (a reading with an intent) edited by the reply ``part``."""
    assert base.intent is not None
    a = base.intent
    unit = base.raw_values.get((last.kpi, last.op, last.slice), (0.0, None))[1] if last is not None else None
    edit = _with_context(part.text, part.question, a, last if part.correction else None, unit)
    e = _prepare(edit, a)
    b = read_text(e.text)
    if b.error_kind in ("scope", "freeze", "impossible"):  # the reply itself asks for what cannot be done
        return b
    # -- the objective: the reply's stated one, or the KPI said in place of the earlier one's
    objective = a.objective
    b_slices = set(b.slices_mentioned)
    if b.objective is not None and b.objective_source in ("explicit", "implied", "means"):
        objective = b.objective
    elif b.objective is not None and b.objective_source == "bare" and not any(
            c.kpi == b.objective.kpi for c in b.constraints) and (
            e.replaced or re.search(alternatives(_R.objective_words), e.text, re.I)):
        objective = Objective(kpi=b.objective.kpi, goal=default_goal(b.objective.kpi), slice=b.objective.slice)
    if objective is not a.objective and objective.slice is None and not b_slices and a.objective.slice is not None \
            and objective.kpi not in NETWORK_ONLY_KPIS:  # "the 95th percentile rather than the mean" keeps the slice
        objective = Objective(kpi=objective.kpi, goal=objective.goal, slice=a.objective.slice)
    # -- the bounds: dropped ones out, the reply's replace those on the same KPI and direction
    dropped_kpis = {k for words in e.dropped for k in _kpis_in(words)}
    constraints = [c for c in a.constraints if c.kpi not in dropped_kpis
                   and _family(c.kpi) not in {_family(k) for k in dropped_kpis}]
    if any(not words.strip() for words in e.dropped) and not dropped_kpis and len(constraints) == 1:
        constraints = []  # "drop the cap": the one bound there was
    b_bounds = b.constraints if b.intent is None else b.intent.constraints
    carried = base.whole_slice or (a.objective.slice if _ANAPHOR.search(e.text) else None)
    if carried is not None and not b_slices:  # "minimise PRB use for mMTC" / "sure, if its loss stays <= 2 %"
        b_bounds = for_slice(carried, objective, b_bounds, b)[1]
    elif objective.slice is not None and not b_slices:  # "target p95 under 6 ms" for the URLLC p95 objective
        b_bounds = _slice_of_objective_on_its_bound(objective, b_bounds, b)
    if part.correction and last is not None and any(c.kpi == last.kpi and c.op == last.op for c in b_bounds):
        constraints = [x for x in constraints if x != last]  # "coverage 97 %", then "sorry, 0.97 for URLLC only"
    for c in b_bounds:
        if c.slice is None and not b_slices:
            same = [x for x in constraints if x.kpi == c.kpi and x.op == c.op]
            if same and same[0].slice is not None:
                c = Constraint(kpi=c.kpi, op=c.op, value=c.value, slice=same[0].slice)
        constraints = [x for x in constraints if not (x.kpi == c.kpi and x.op == c.op and x.slice == c.slice)]
        constraints.append(c)
    # -- hours, cells, knobs
    hours = b.hours if "hours" in b.found and not (e.start is not None or e.end is not None) else \
        _moved_span(a.hours, e.start, e.end)
    cells = b.cells if "cells" in b.found else a.cells
    if "cells" in b.found and a.cells is not None and b.cells is not None and re.search(
            rf"\b(?:{alternatives(_R.add_words)})\s+(?:(?!only\b|just\b)\w+\s+)?cells?\b", e.text, re.I):
        cells = sorted(set(a.cells) | set(b.cells))  # "oh wait, also cell 13"
    knobs = _edited_knobs(None if a.knobs is None else list(a.knobs), b, e.text, part.correction)
    if knobs == []:
        b.error = ("the reply leaves no knob to change (every one excluded), so no change can serve the objective; "
                   "allow at least one knob, e.g. 'using tilt only'")
        b.error_kind, b.intent = "freeze", None
        return b
    reading = RuleReading(None, base.objective_source if objective is a.objective else b.objective_source,
                          base.found | b.found, list(dict.fromkeys(base.kpis_mentioned + b.kpis_mentioned)),
                          list(dict.fromkeys(base.slices_mentioned + b.slices_mentioned)),
                          base.free_numbers + b.free_numbers, {**base.raw_values, **b.raw_values},
                          base.notes + b.notes, base.assumptions + b.assumptions,
                          conversions=base.conversions + b.conversions)
    try:
        reading.intent = Intent(text=whole_text, objective=objective, constraints=constraints, hours=hours, cells=cells,
                                knobs=cast("list[KnobName] | None", knobs), assumptions=reading.assumptions)
    except ValueError as err:
        reading.error = f"the edits could not be read as a valid intent ({err}); state the whole request, e.g. " \
                        f"'{EXAMPLE_INTENT}'"
        reading.error_kind = "invalid"
        return reading
    reading.objective, reading.constraints, reading.whole_slice = objective, constraints, base.whole_slice
    reading.hours, reading.cells, reading.knobs = hours, cells, knobs
    return reading


def _edited_knobs(before: list[str] | None, b: RuleReading, edit: str, correction: bool = False) -> list[str] | None:
    """The reply's knobs: its own restriction; or the earlier list less those it excludes ("leave the tilt alone"),
    or with those it adds ("allow CIO as well"); knobs named in a correction ("CIO only. actually, CIO and tilt")
    replace the earlier list."""
    named = [knob for pattern, knob, _ in _KNOB_PATTERNS if re.search(_word(pattern), edit.lower())]
    if correction and named and before is not None and "knobs" not in b.found:
        return [k for k in KNOB_NAMES if k in named]
    added = set()
    for m in _ADD.finditer(edit):
        near = edit[m.start(): m.end() + 40]
        added |= {knob for pattern, knob, _ in _KNOB_PATTERNS if re.search(_word(pattern), near.lower())}
    if "knobs" in b.found and b.knobs is not None:
        if not b.knobs_means:  # only exclusions
            return [k for k in before if k in b.knobs] if before is not None else list(b.knobs)
        if before is not None and added & b.knobs_means:
            return [k for k in KNOB_NAMES if k in set(before) | b.knobs_means]
        return list(b.knobs)
    if added and before is not None:
        return [k for k in KNOB_NAMES if k in set(before) | added]
    return before
