"""The rule reader's lexicon: ``lexicon.yaml`` (data) loaded once into typed, checked entries.

Each entry holds its phrases as regular-expression alternatives (``words``); ``pattern`` joins them in order. The
fragments ``{num_ahead}`` and ``{p5}`` are substituted at load time. KPI, slice, knob and window names are checked
against the shared vocabulary (`airloop.core`), every pattern must compile, and every KPI must have an example bound,
so a typo in the data fails at import with the entry named, not later as a silent miss.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

import yaml
from airloop.core import KNOB_NAMES, KPI_NAMES, SLICES, UNIT_FACTORS, WINDOWS

LEXICON_PATH = Path(__file__).with_name("lexicon.yaml")

KPI_FLAGS = frozenset({"inv", "min"})
KNOB_MODES = frozenset({"neg", "act"})
COMPARATOR_OPS = frozenset({">=", "<=", "dir", "sym"})
COMPARATOR_KINDS = frozenset({"cmp", "fixed", "post", "sym"})
VERB_KINDS = frozenset({"min", "max", "dir", "guard"})
#: units the rule reader converts that `airloop.core.UNIT_FACTORS` has no entry for -> the KPI unit they apply to
READER_ONLY_UNITS: dict[str, str] = {"us": "ms", "Mbit/J": "Mbit/J", "kbit/J": "Mbit/J", "bit/J": "Mbit/J",
                                     "uJ/bit": "Mbit/J", "nJ/bit": "Mbit/J", "cells": "count"}
#: every unit a unit word may name ("%" = a percentage)
UNIT_NAMES = frozenset(UNIT_FACTORS) | frozenset(READER_ONLY_UNITS) | {"%"}


class LexiconError(ValueError):
    """The lexicon file is malformed: a missing key, an unknown name or a pattern that does not compile."""


def alternatives(words: Iterable[str]) -> str:
    """Regular-expression alternatives joined in order (``a|b|c``)."""
    return "|".join(words)


@dataclass(frozen=True)
class Phrases:
    """One lexicon entry: the ``name`` it reads as (a KPI, slice, knob, unit, verb kind, comparator op or window),
    its ``words`` (alternatives, most specific first) and ``flag`` (KPI flag, knob mode, comparator kind, window
    alias; None when the entry has none)."""

    name: str
    words: tuple[str, ...]
    flag: str | None = None

    @property
    def pattern(self) -> str:
        return alternatives(self.words)


class Glossary(NamedTuple):
    """One language's words of the vocabulary (`lexicon.yaml`'s ``glossary``): its function words ("und", "sans",
    "y") are put into English only in a text that has one of its words."""

    language: str
    words: tuple[tuple[re.Pattern[str], str], ...]
    function: tuple[tuple[re.Pattern[str], str], ...]


@dataclass(frozen=True)
class Revision:
    """The words of a reply that revises an earlier request (`lexicon.yaml`'s ``revision``; `_revision.py`)."""

    user_roles: tuple[str, ...]
    bot_roles: tuple[str, ...]
    proposal_words: tuple[str, ...]
    replaced_before: tuple[str, ...]
    not_a_replacement: tuple[str, ...]
    too_words: tuple[str, ...]
    floor_nouns: tuple[str, ...]
    cap_nouns: tuple[str, ...]
    bound_nouns: tuple[str, ...]
    drop_verbs: tuple[str, ...]
    set_verbs: tuple[str, ...]
    start_verbs: tuple[str, ...]
    end_verbs: tuple[str, ...]
    add_words: tuple[str, ...]
    objective_words: tuple[str, ...]
    assent: tuple[str, ...]
    self_corrections: tuple[str, ...]
    precedent_words: tuple[str, ...]
    precedent_bare: tuple[str, ...]
    past_job_words: tuple[str, ...]
    reset_words: tuple[str, ...]


@dataclass(frozen=True)
class Zones:
    """The words of named groups of cells (`lexicon.yaml`'s ``zones``; `_zones.py`)."""

    nouns: tuple[str, ...]
    not_names: tuple[str, ...]


@dataclass(frozen=True)
class Lexicon:
    number_words: Mapping[str, int]
    tens: tuple[str, ...]
    unit_number_words: tuple[str, ...]
    number_followers: tuple[str, ...]
    units: tuple[Phrases, ...]  # name: the unit ("%", "kW", "ms", ...)
    unit_implies: Mapping[str, str]  # unit -> KPI
    slice_suffix: tuple[str, ...]
    slices: tuple[Phrases, ...]  # name: the slice
    kpis_before_knobs: tuple[Phrases, ...]  # name: the KPI, flag: inv | min | None
    kpis: tuple[Phrases, ...]  # the ratio phrases first (see `ratios`)
    knobs: tuple[Phrases, ...]  # name: the knob, flag: neg | act | None
    knob_ends: Mapping[str, str]  # knob -> the KPI it serves when the text names only the means
    knob_means: tuple[str, ...]
    knob_excluded_before: tuple[str, ...]
    knob_excluded_after: tuple[str, ...]
    knob_only_after: str
    knob_permitted_before: tuple[str, ...]
    knob_permitted_after: tuple[str, ...]
    knob_nouns: tuple[str, ...]
    comparators: tuple[Phrases, ...]  # name: the op, flag: the kind
    negation: tuple[str, ...]
    verbs: tuple[Phrases, ...]  # name: the verb kind
    abbreviations: Mapping[str, str]  # written form -> the words it stands for
    glossary: tuple[Glossary, ...]  # other languages' words of the vocabulary, put into English before reading
    fillers: tuple[str, ...]
    self_corrections: tuple[str, ...]
    failure_conditions: tuple[str, ...]
    exception_conditions: tuple[str, ...]
    clause_words: tuple[str, ...]
    injection: tuple[str, ...]
    time_hints: tuple[str, ...]
    now_words: tuple[str, ...]
    not_a_time: tuple[str, ...]
    weekdays: tuple[str, ...]
    windows: tuple[Phrases, ...]  # name: the window, flag: the window it is read as (None: itself)
    cell_exclusion: tuple[str, ...]
    example_bounds: Mapping[str, str]  # KPI -> an example bound in words
    phrases: tuple[str, ...]  # every phrase pattern of the file (the spelling pass's vocabulary)
    echo_kpis: Mapping[str, str]  # KPI -> how the planner says it reading an intent back
    echo_knobs: Mapping[str, str]
    echo_slices: Mapping[str, str]
    revision: Revision
    zones: Zones


# -- reading the file --------------------------------------------------------------------------------------------------


class _Reader:
    """Typed access to the parsed YAML: fragments substituted, every pattern checked by compiling it."""

    def __init__(self, data: Any) -> None:
        if not isinstance(data, dict):
            raise LexiconError("the lexicon is not a mapping")
        self.data = data
        self.fragments: dict[str, str] = {}  # the fragments themselves hold none
        fragments = self.mapping(data, "fragments")
        self.fragments = {"{num_ahead}": self.string(fragments, "num_ahead", "fragments"),
                          "{p5}": f"(?:{alternatives(self.strings(fragments, 'p5', 'fragments'))})"}
        slices = self.mapping(data, "slices")
        self.fragments["{slice_suffix}"] = f"(?:{alternatives(self.strings(slices, 'suffix', 'slices'))})"

    def expand(self, pattern: str, where: str) -> str:
        for name, text in self.fragments.items():
            pattern = pattern.replace(name, text)
        try:
            re.compile(pattern)
        except re.error as e:
            raise LexiconError(f"{where}: pattern {pattern!r} does not compile ({e})") from e
        return pattern

    def mapping(self, parent: Mapping[str, Any], key: str, where: str = "") -> dict[str, Any]:
        value = parent.get(key)
        if not isinstance(value, dict):
            raise LexiconError(f"{where}{'.' if where else ''}{key}: expected a mapping")
        return value

    def string(self, parent: Mapping[str, Any], key: str, where: str) -> str:
        value = parent.get(key)
        if not isinstance(value, str) or not value:
            raise LexiconError(f"{where}.{key}: expected a non-empty string")
        return value

    def strings(self, parent: Mapping[str, Any], key: str, where: str = "") -> tuple[str, ...]:
        value = parent.get(key)
        label = f"{where}{'.' if where else ''}{key}"
        if not isinstance(value, list) or not value or not all(isinstance(v, str) and v for v in value):
            raise LexiconError(f"{label}: expected a non-empty list of strings")
        return tuple(self.expand(v, label) for v in value)

    def entries(self, parent: Mapping[str, Any], key: str, name_key: str, names: Iterable[str],
                flag_key: str | None = None, flags: Iterable[str] = (), where: str = "") -> tuple[Phrases, ...]:
        value = parent.get(key)
        label = f"{where}{'.' if where else ''}{key}"
        if not isinstance(value, list) or not value:
            raise LexiconError(f"{label}: expected a non-empty list of entries")
        allowed, allowed_flags = set(names), set(flags)
        out = []
        for i, entry in enumerate(value):
            at = f"{label}[{i}]"
            if not isinstance(entry, dict):
                raise LexiconError(f"{at}: expected a mapping")
            name = entry.get(name_key)
            if name not in allowed:
                raise LexiconError(f"{at}.{name_key}: {name!r} is not one of {sorted(allowed)}")
            flag = entry.get(flag_key) if flag_key else None
            if flag is not None and flag not in allowed_flags:
                raise LexiconError(f"{at}.{flag_key}: {flag!r} is not one of {sorted(allowed_flags)}")
            out.append(Phrases(str(name), self.strings(entry, "words", at), flag))
        return tuple(out)


def _vocabulary_map(value: Any, keys: Iterable[str], values: Iterable[str] | None, where: str) -> dict[str, str]:
    allowed_keys = set(keys)
    if not isinstance(value, dict) or not value:
        raise LexiconError(f"{where}: expected a non-empty mapping")
    for k, v in value.items():
        if k not in allowed_keys:
            raise LexiconError(f"{where}: {k!r} is not one of {sorted(allowed_keys)}")
        if not isinstance(v, str) or (values is not None and v not in set(values)):
            raise LexiconError(f"{where}.{k}: {v!r} is not a valid value")
    return {str(k): str(v) for k, v in value.items()}


def _numbers(r: _Reader) -> tuple[dict[str, int], tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    numbers = r.mapping(r.data, "numbers")
    words = numbers.get("words")
    if not isinstance(words, dict) or not all(isinstance(k, str) and type(v) is int for k, v in words.items()):
        raise LexiconError("numbers.words: expected a mapping of words to integers")
    tens, units = r.strings(numbers, "tens", "numbers"), r.strings(numbers, "units", "numbers")
    if not set(tens) | set(units) <= set(words):
        raise LexiconError("numbers: every word in tens and units must be in numbers.words")
    return dict(words), tens, units, r.strings(numbers, "followers", "numbers")


def _build(r: _Reader) -> Lexicon:
    number_words, tens, unit_number_words, followers = _numbers(r)
    units, slices, cues, time = (r.mapping(r.data, k) for k in ("units", "slices", "knob_cues", "time"))
    unit_entries = r.entries(units, "words", "unit", UNIT_NAMES, where="units")
    windows = r.entries(time, "windows", "window", set(WINDOWS) | {"off_peak"}, "alias_of", WINDOWS, "time")
    return Lexicon(
        number_words=number_words,
        tens=tens,
        unit_number_words=unit_number_words,
        number_followers=followers,
        units=unit_entries,
        unit_implies=_vocabulary_map(units.get("implies"), [u.name for u in unit_entries], KPI_NAMES, "units.implies"),
        slice_suffix=r.strings(slices, "suffix", "slices"),
        slices=r.entries(slices, "names", "slice", SLICES, where="slices"),
        kpis_before_knobs=r.entries(r.data, "kpis_before_knobs", "kpi", KPI_NAMES, "flag", KPI_FLAGS),
        kpis=_ratios(r) + r.entries(r.data, "kpis", "kpi", KPI_NAMES, "flag", KPI_FLAGS),
        knobs=r.entries(r.data, "knobs", "knob", KNOB_NAMES, "mode", KNOB_MODES),
        knob_ends=_vocabulary_map(r.data.get("knob_ends"), KNOB_NAMES, KPI_NAMES, "knob_ends"),
        knob_means=r.strings(cues, "means", "knob_cues"),
        knob_excluded_before=r.strings(cues, "excluded_before", "knob_cues"),
        knob_excluded_after=r.strings(cues, "excluded_after", "knob_cues"),
        knob_only_after=r.expand(r.string(cues, "only_after", "knob_cues"), "knob_cues.only_after"),
        knob_permitted_before=r.strings(cues, "permitted_before", "knob_cues"),
        knob_permitted_after=r.strings(cues, "permitted_after", "knob_cues"),
        knob_nouns=r.strings(cues, "nouns", "knob_cues"),
        comparators=r.entries(r.data, "comparators", "op", COMPARATOR_OPS, "kind", COMPARATOR_KINDS),
        negation=r.strings(r.data, "negation"),
        verbs=r.entries(r.data, "verbs", "kind", VERB_KINDS),
        abbreviations=_abbreviations(r.data.get("abbreviations")),
        glossary=_glossary(r.data.get("glossary")),
        fillers=r.strings(r.data, "fillers"),
        self_corrections=r.strings(r.data, "self_corrections"),
        failure_conditions=r.strings(r.data, "failure_conditions"),
        exception_conditions=r.strings(r.data, "exception_conditions"),
        clause_words=r.strings(r.data, "clause_words"),
        injection=r.strings(r.data, "injection"),
        time_hints=r.strings(time, "hints", "time"),
        now_words=r.strings(time, "now", "time"),
        not_a_time=r.strings(time, "not_a_time", "time"),
        weekdays=r.strings(time, "weekdays", "time"),
        windows=windows,
        cell_exclusion=r.strings(r.data, "cell_exclusion"),
        example_bounds=_example_bounds(r.data.get("example_bounds")),
        phrases=tuple(_strings_in({k: v for k, v in r.data.items()
                                   if k not in ("example_bounds", "echo", "glossary", "revision", "zones")})),
        echo_kpis=_complete(r.mapping(r.data, "echo"), "kpis", KPI_NAMES),
        echo_knobs=_complete(r.mapping(r.data, "echo"), "knobs", KNOB_NAMES),
        echo_slices=_complete(r.mapping(r.data, "echo"), "slices", SLICES),
        revision=Revision(**{f.name: r.strings(r.mapping(r.data, "revision"), f.name, "revision")
                             for f in fields(Revision)}),
        zones=Zones(**{f.name: r.strings(r.mapping(r.data, "zones"), f.name, "zones") for f in fields(Zones)}),
    )


def _strings_in(value: Any) -> Iterable[str]:
    """Every string value (not key) in parsed YAML, depth first."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings_in(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings_in(v)


def _ratios(r: _Reader) -> tuple[Phrases, ...]:
    """KPI phrases composed from a ratio's parts: "<numerator> [qualifier] per [qualifier] <denominator>" names the
    KPI ("bits delivered per joule"), "<denominator> [qualifier] per [qualifier] <numerator>" names it upside down
    ("energy spent per delivered bit", flag ``inv``). Never right after a number (there it is the number's unit:
    "0.05 Mbit/J")."""
    ratios = r.mapping(r.data, "ratios")
    per = alternatives(r.strings(ratios, "per", "ratios"))
    qual = alternatives(r.strings(ratios, "qualifiers", "ratios"))
    kpis = ratios.get("kpis")
    if not isinstance(kpis, list) or not kpis:
        raise LexiconError("ratios.kpis: expected a non-empty list of entries")
    out = []
    for i, entry in enumerate(kpis):
        at = f"ratios.kpis[{i}]"
        if not isinstance(entry, dict) or entry.get("kpi") not in KPI_NAMES:
            raise LexiconError(f"{at}.kpi: expected one of {sorted(KPI_NAMES)}")
        num = alternatives(r.strings(entry, "numerator", at))
        den = alternatives(r.strings(entry, "denominator", at))

        def ratio(a: str, b: str, where: str = at, idiom: str = "") -> str:
            return r.expand(rf"(?<![\d.])(?<![\d.]\s)(?:{a}){idiom}(?:\s+(?:{qual}))?(?:{per})(?:(?:{qual})\s+)?(?:{b})(?![\w/])",
                            where)

        out.append(Phrases(str(entry["kpi"]), (ratio(num, den),), None))
        # "cut energy a bit" is "a little", not energy per bit
        out.append(Phrases(str(entry["kpi"]), (ratio(den, num, idiom=r"(?!\s+a\s+bit(?![\w/]))"),), "inv"))
    return tuple(out)


def _complete(parent: Mapping[str, Any], key: str, names: Iterable[str]) -> dict[str, str]:
    """A mapping with an entry for every name of the vocabulary (``echo.kpis``, ...)."""
    out = _vocabulary_map(parent.get(key), names, None, f"echo.{key}")
    missing = set(names) - set(out)
    if missing:
        raise LexiconError(f"echo.{key}: no entry for {sorted(missing)}")
    return out


def _glossary(value: Any) -> tuple[Glossary, ...]:
    if not isinstance(value, dict):
        raise LexiconError("glossary: expected a mapping of languages to {words, function}")
    out = []
    for lang, parts in value.items():
        if not isinstance(parts, dict) or set(parts) != {"words", "function"}:
            raise LexiconError(f"glossary.{lang}: expected the keys words and function")
        pairs = []
        for part in ("words", "function"):
            table = _string_mapping(parts[part], f"glossary.{lang}.{part}", "patterns to English words")
            try:
                pairs.append(tuple((re.compile(rf"(?<![\w'-])(?:{k})(?![\w'-])"), v)
                                   for k, v in sorted(table.items(), key=lambda kv: -len(kv[0]))))
            except re.error as e:
                raise LexiconError(f"glossary.{lang}.{part}: a pattern does not compile: {e}") from e
        out.append(Glossary(str(lang), pairs[0], pairs[1]))
    return tuple(out)


def _string_mapping(value: Any, where: str, what: str) -> dict[str, str]:
    if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
        raise LexiconError(f"{where}: expected a mapping of {what}")
    return value


def _abbreviations(value: Any) -> dict[str, str]:
    table = _string_mapping(value, "abbreviations", "written forms to words")
    return dict(sorted(table.items(), key=lambda kv: -len(kv[0])))


def _example_bounds(value: Any) -> dict[str, str]:
    bounds = _vocabulary_map(value, KPI_NAMES, None, "example_bounds")
    missing = set(KPI_NAMES) - set(bounds)
    if missing:
        raise LexiconError(f"example_bounds: no example for {sorted(missing)}")
    return bounds


@cache
def load_lexicon(path: Path = LEXICON_PATH) -> Lexicon:
    """The lexicon at ``path`` (default: the package's ``lexicon.yaml``), read and checked once."""
    return _build(_Reader(yaml.safe_load(path.read_text(encoding="utf-8"))))
