"""Named groups of cells: "Zone A = cells 1-4, Zone B = cells 10, 11. In Zone B only, maximise ...".

Operators name parts of the network and then ask for one of them. The definitions are taken out of the text and each
later mention of a name is written as its cell list ("in cells 10, 11 only"), so that the reader reads the cells the
request is about and not every cell defined. A definition is ``NAME = cells``, ``NAME: cells``, ``NAME := {cells}``
or a union of names defined before (``C := W ∪ E``); it counts only in a text that speaks of zones (the words of
`lexicon.yaml`'s ``zones``) or when its list says "cells", and a name that is a KPI, a knob or a field of a form
("kpi: ...", "cells: 2, 4") is none. The Intent keeps the text as written; the reading notes each name it replaced.
"""

from __future__ import annotations

import re

from ._rules import LEXICON, alternatives, read_text

_Z = LEXICON.zones
_ZONE_WORDS = re.compile(rf"\b(?:{alternatives(_Z.nouns)})\b", re.I)
_NAME = r"(?:[A-Za-z][\w'-]*(?:[ \t]+[A-Za-z][\w'-]*){0,2})"
_NUMBERS = r"\d+(?:\s*(?:,|and|&|-|–|to|through)\s*\d+)*"
_DEFINITION = re.compile(
    rf"(?:^|(?<=[\n;,.:—–(])|(?<=\s-\s))[ \t]*(?P<name>{_NAME})[ \t]*(?::=|=|:)[ \t]*"
    rf"(?:(?P<cells>cells?[ \t]*)?\{{?[ \t]*(?P<list>{_NUMBERS})[ \t]*\}}?(?![\d:%]|\.\d|\s*(?:%|[a-zµ]+/|ms\b|w\b|kw\b|mbps|"
    rf"gbps|kbps|dbm?\b|db\b|am\b|pm\b|h\b|hours?\b|per\b))(?=[ \t]*(?:[\n;,.(—–]|$))"
    rf"|(?P<union>{_NAME}(?:[ \t]*(?:∪|\+|\bu\b|\band\b|,)[ \t]*{_NAME})+)(?=[ \t]*(?:[\n;.]|$)))",
    re.M)
#: a name that is a form's field, not a zone ("cells: 2, 4", "hours: 0-6")
_FIELD = re.compile(rf"(?:{alternatives(_Z.not_names)})", re.I)


def _cells(listed: str) -> list[int]:
    out: set[int] = set()
    for part in re.split(r"\s*(?:,|and|&)\s*", listed):
        m = re.fullmatch(r"(\d+)\s*(?:-|–|to|through)\s*(\d+)", part.strip())
        if m and int(m[1]) <= int(m[2]) <= int(m[1]) + 200:
            out |= set(range(int(m[1]), int(m[2]) + 1))
        elif part.strip().isdigit():
            out.add(int(part.strip()))
    return sorted(out)


def _key(name: str) -> str:
    """A zone's name without the word "zone" ("Zone B", "Stadium zone" -> "b", "stadium")."""
    return re.sub(rf"\b(?:{alternatives(_Z.nouns)})\b", " ", name, flags=re.I).strip().lower()


def expand_zones(text: str) -> tuple[str, list[str]]:
    """``text`` with its zone definitions taken out and each mention of a zone written as its cells; the notes say
    which names were replaced. A text with no definition is returned as it is."""
    zones: dict[str, list[int]] = {}
    spans: list[tuple[int, int]] = []
    speaks_of_zones = _ZONE_WORDS.search(text) is not None
    for m in _DEFINITION.finditer(text):
        name = m["name"].strip()
        key = _key(name)
        if not key or _FIELD.fullmatch(key) or read_text(name).kpis_mentioned:
            continue
        if m["list"] is not None:
            if not (speaks_of_zones or m["cells"]):
                continue
            cells = _cells(m["list"])
        else:
            parts = [_key(p) for p in re.split(r"[ \t]*(?:∪|\+|\bu\b|\band\b|,)[ \t]*", m["union"])]
            if not parts or any(p not in zones for p in parts):
                continue
            cells = sorted({c for p in parts for c in zones[p]})
        if cells:
            zones[key] = cells
            spans.append((m.start("name"), m.end()))
    if not zones:
        return text, []
    out = text
    for a, b in reversed(spans):
        out = out[:a] + " " + out[b:]
    # the idiom holds only when a name is used after the definitions ("marco: cells 20 to 23" in a chat is a line of
    # the chat, not a zone)
    after = text[max(b for _, b in spans):]
    if not any(re.search(rf"(?<![\w-]){re.escape(key)}(?![\w-])", after, re.I) for key in zones):
        return text, []
    notes = []
    for key in sorted(zones, key=len, reverse=True):  # "old town" before "town"
        listed = ", ".join(map(str, zones[key][:-1])) + (" and " if len(zones[key]) > 1 else "") + str(zones[key][-1])
        noun = alternatives(_Z.nouns)
        # "Zone B", "zone beta", "Stadium zone", "the Mall zone"; a bare name only as it was written ("North", "P3")
        pattern = (rf"\b(?:(?:{noun})\s+{re.escape(key)}|{re.escape(key)}\s+(?:{noun}))\b(?:\s+cells?\b)?")
        out, n = re.subn(pattern, f"cells {listed}", out, flags=re.I)
        if len(key) >= 2:
            originals = {m[0] for m in re.finditer(rf"(?<![\w-]){re.escape(key)}(?![\w-])", text, re.I)
                         if m[0][0].isupper() or m[0].isupper() or any(ch.isdigit() for ch in m[0])}
            for written in originals:
                out, k = re.subn(rf"(?<![\w-]){re.escape(written)}(?![\w-])", f"cells {listed}", out)
                n += k
        if n:
            notes.append(f"zone '{key}' read as cells {listed}")
    return out, notes
