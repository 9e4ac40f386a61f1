"""The model's side of the planner: the messages it is shown, the call, and what code does with its answer.

``rules+llm``: `merge` keeps every explicit rule reading and lets the model fill gaps, only with what the text
supports (see the package docstring for the rules). ``llm``: `ground_units` takes a copied number's unit from the
text where the model named another, and `drop_invented_numbers` removes constraints and cells whose number the text
does not contain.
"""

from __future__ import annotations

import json
import re
from typing import Any

from airloop.core import (
    KNOB_NAMES,
    KPI_UNITS,
    SLICES,
    WINDOWS,
    Constraint,
    Intent,
    Objective,
    constraint_key,
    normalize_value,
    values_close,
    window_clock,
)
from airloop.prompts import load_examples, load_prompt

from ..intent import default_goal, draft_from_intent
from ._checks import _CELL_LIST, _numbers, _text, guard_default
from ._revision import parse_rules
from ._rules import RuleReading, _convert, _fits, grounded_value, mentions_time, normalize_text

_JSON_SEPARATORS = (", ", ": ")


# == the messages ======================================================================================================

def _system_prompt() -> tuple[str, dict[str, str]]:
    p = load_prompt("planner")
    windows = ", ".join(f'"{w}" ({window_clock(w)})' for w in WINDOWS)
    text = p.fill(
        window_names=f'"now", {windows}, "custom"',
        knob_names=", ".join(KNOB_NAMES),
        slice_names=", ".join(SLICES),
    )
    return text, {p.path.name: p.sha256}


def draft_json(reading: RuleReading, hours_as: str = "list") -> dict[str, Any]:
    """The rule reading as the draft shown to the model: numbers as written, with their units; custom hours as a list
    or as clock spans (``hours_as``, `draft_from_intent`)."""
    if reading.intent is None:
        raise ValueError("a rule reading without an intent has no draft")
    d = draft_from_intent(reading.intent, hours_as=hours_as)
    for c in d["constraints"]:
        key = (c["kpi"], c["op"], None if c["slice"] == "all" else c["slice"])
        if key in reading.raw_values:
            c["value"], c["unit"] = reading.raw_values[key]
    return d


def _example_draft(example: dict[str, Any]) -> Any:
    draft = example.get("draft")
    if draft is None:
        r = parse_rules(example["text"])
        draft = draft_json(r) if r.intent is not None else example["answer"]
    return draft


def tuned_messages(text: str) -> tuple[list[dict[str, str]], dict[str, str]]:
    """The messages a model fine-tuned for the planner (`airloop train planner`) is trained on and asked with: the
    short system prompt ``planner_tuned.md`` and the request, no few-shot pairs (the adapter learnt the format; the
    prompt stays short so that training on CPU is affordable). Plus the sha256 of every prompt file used."""
    p = load_prompt("planner_tuned")
    system = p.fill(window_names=", ".join(['"now"', *(f'"{w}"' for w in WINDOWS), '"custom"']),
                    knob_names=", ".join(KNOB_NAMES), slice_names=", ".join(SLICES))
    user = load_prompt("planner_user")
    return ([{"role": "system", "content": system}, {"role": "user", "content": user.fill(text=text)}],
            {p.path.name: p.sha256, user.path.name: user.sha256})


def draft_text(draft: dict[str, Any]) -> str:
    """A draft as the model writes it (the separators of the few-shot answers)."""
    return json.dumps(draft, separators=_JSON_SEPARATORS)


def messages(text: str, reading: RuleReading | None, with_draft: bool,
             tuned: bool = False) -> tuple[list[dict[str, str]], dict[str, str]]:
    """The system prompt, the few-shot pairs (with their rule drafts when ``with_draft``) and the text; plus the
    sha256 of every prompt file used. ``tuned``: the model carries a planner adapter, and is asked the way it was
    trained (`tuned_messages`), whatever the strategy."""
    if tuned:
        return tuned_messages(text)
    system, hashes = _system_prompt()
    examples = load_examples("planner")
    hashes[examples.path.name] = examples.sha256
    user = load_prompt("planner_user_draft" if with_draft else "planner_user")
    hashes[user.path.name] = user.sha256
    msgs = [{"role": "system", "content": system}]
    for ex in examples:
        if with_draft:
            content = user.fill(text=ex["text"], draft=json.dumps(_example_draft(ex), separators=_JSON_SEPARATORS))
        else:
            content = user.fill(text=ex["text"])
        msgs.append({"role": "user", "content": content})
        msgs.append({"role": "assistant", "content": json.dumps(ex["answer"], separators=_JSON_SEPARATORS)})
    if with_draft and reading is not None and reading.intent is not None:
        content = user.fill(text=text, draft=json.dumps(draft_json(reading), separators=_JSON_SEPARATORS))
    else:
        content = load_prompt("planner_user").fill(text=text) if with_draft else user.fill(text=text)
    msgs.append({"role": "user", "content": content})
    return msgs, hashes


# == rules+llm =========================================================================================================

def _merge_objective(reading: RuleReading, rule: Intent, llm: Intent, steps: list[str],
                     assumptions: list[str]) -> tuple[Objective, list[str]]:
    """The rule reading's objective, except when the text names several KPIs with no verb: then the model picks
    which one, and the direction stays the KPI's own (a 135M model's "maximize energy" is noise)."""
    choice = (llm.objective.kpi, llm.objective.slice)
    if reading.objective_source == "bare" and len(reading.bare_candidates) > 1 and choice in reading.bare_candidates:
        if choice == (rule.objective.kpi, rule.objective.slice):
            return rule.objective, assumptions
        objective = Objective(kpi=choice[0], goal=default_goal(choice[0]), slice=choice[1])
        steps.append(f"objective {objective.goal} {objective.kpi} chosen by the model among the KPIs named without "
                     f"a verb {[k for k, _ in reading.bare_candidates]}")
        assumptions = [a for a in assumptions if not a.startswith("no verb for")]
        assumptions.append(f"no verb for {objective.kpi}: the model chose it as the objective, {objective.goal}")
        return objective, assumptions
    if (llm.objective.kpi, llm.objective.goal, llm.objective.slice) != (
            rule.objective.kpi, rule.objective.goal, rule.objective.slice):
        steps.append(f"objective: kept the rule reading ({rule.objective.goal} {rule.objective.kpi}) over the "
                     f"model's ({llm.objective.goal} {llm.objective.kpi})")
    return rule.objective, assumptions


def _merge_constraints(reading: RuleReading, rule: Intent, llm: Intent, steps: list[str]) -> list[Constraint]:
    """The rules' constraints stay; a model constraint is added only on a KPI the text names and has no bound yet,
    with a value equal to a number of the text that no rule constraint used."""
    constraints = list(rule.constraints)
    for c in llm.constraints:
        if any(constraint_key(c) == constraint_key(r) for r in constraints):
            continue
        grounded = (c.kpi in reading.kpis_mentioned and (c.slice is None or c.slice in reading.slices_mentioned)
                    and grounded_value(c.kpi, c.value, reading.free_numbers))
        if grounded and not any(r.kpi == c.kpi and r.slice == c.slice for r in constraints):
            constraints.append(c)
            steps.append(f"constraint {c.kpi} {c.op} {c.value:g} added from the model (the rules missed it)")
        else:
            steps.append(f"model constraint {c.kpi} {c.op} {c.value:g} dropped: not supported by the text")
    return constraints


def _merge_hours(reading: RuleReading, rule: Intent, llm: Intent, steps: list[str],
                 assumptions: list[str]) -> list[int] | None:
    """The model may fill hours only when the text has a time word the rules could not read."""
    if "hours" in reading.found or llm.hours is None:
        return rule.hours
    if not mentions_time(rule.text.lower()):
        steps.append("model hours dropped: the text names no time")
        return rule.hours
    assumptions += [a for a in llm.assumptions if a not in assumptions]
    steps.append("hours from the model (the rules read no time)")
    return llm.hours


def _merge_cells(reading: RuleReading, rule: Intent, llm: Intent, steps: list[str]) -> list[int] | None:
    """The model may fill cells only with numbers the text contains, when it says "cell"."""
    if "cells" in reading.found or llm.cells is None:
        return rule.cells
    text_ints = {int(x) for x in re.findall(r"(?<![\d.])\d{1,3}(?![\d.])", rule.text)}
    if re.search(r"\bcells?\b", rule.text.lower()) and set(llm.cells) <= text_ints:
        steps.append("cells from the model (the rules read none)")
        return llm.cells
    steps.append("model cells dropped: the text names no such cells")
    return rule.cells


def merge(reading: RuleReading, llm: Intent, steps: list[str]) -> Intent:
    """The rules+llm merge: explicit rule readings stay; the model fills gaps, only with what the text supports.
    Model knobs are always dropped (a knob restriction needs explicit words)."""
    rule = reading.intent
    if rule is None:
        raise ValueError("merge needs a rule reading with an intent")
    objective, assumptions = _merge_objective(reading, rule, llm, steps, list(rule.assumptions))
    constraints = _merge_constraints(reading, rule, llm, steps)
    hours = _merge_hours(reading, rule, llm, steps, assumptions)
    cells = _merge_cells(reading, rule, llm, steps)
    if "knobs" not in reading.found and llm.knobs is not None:
        steps.append("model knobs dropped: the text restricts no knob")
    return Intent(text=rule.text, objective=objective, constraints=constraints, hours=hours, cells=cells,
                  knobs=rule.knobs, assumptions=assumptions)


# == llm only ==========================================================================================================

def _text_numbers(text: str) -> list[float]:
    return [float(x) for x in re.findall(r"\d+(?:\.\d+)?|\.\d+", normalize_text(text))]


def ground_units(draft: dict[str, Any], text: str, steps: list[str]) -> dict[str, Any]:
    """``llm`` strategy: the unit of a number the model copied from the text is the text's.

    A small model copies numbers well and names their units badly: "coverage no less than 0.96" drafted as 0.96 %
    (0.0096), "0.5 handovers per minute" as 0.5 per hour. Where the draft's number is written in the text, read for
    that KPI with the unit written beside it (or none) gives one value, and the model's unit gives another, the text's
    reading is used and the step is recorded. Numbers the text does not contain, several readings of the same number
    that disagree, or a unit that cannot be about the KPI leave the draft as it is (`drop_invented_numbers` and the
    checks see to those)."""
    s = _text(text)
    occurrences = _numbers(s)
    out: list[dict[str, Any]] = []
    for c in draft.get("constraints") or []:
        kpi, value, unit = c["kpi"], float(c["value"]), c.get("unit") or "none"
        said = [o for o in occurrences if values_close(o.value, value, 1e-9) and _fits(kpi, o.unit)]
        readings = {round(v, 9) for o in said for v in [_convert(kpi, o.value, o.unit, s[o.end:o.end + 25])[0]]
                    if v is not None}
        model_value = normalize_value(kpi, value, unit)[0]
        if len(readings) != 1 or any(values_close(model_value, r, 1e-6) for r in readings):
            out.append(c)
            continue
        (reading,) = readings
        written = " ".join(sorted({f"with unit {o.unit}" if o.unit != "none" else "with no unit" for o in said}))
        steps.append(f"{kpi} {value:g}: the model wrote unit {unit}, the text writes {value:g} {written}; read as "
                     f"{reading:g} {KPI_UNITS[kpi]}")
        out.append({**c, "value": reading, "unit": "none"})
    return {**draft, "constraints": out}


#: a range inside a list of cells (`_CELL_LIST`: "cells 0-3", "cells 20 to 23", "cells 1-3 and 10-12"); not one
#: whose end is a clock time ("cell 3 to 5pm" is cell 3 until 5 pm)
_RANGE = re.compile(r"(\d{1,3})\s*(?:-|–|—|to|through|thru)\s*#?(\d{1,3})(?![\d.:])"
                    r"(?!\s*(?:[ap]\.?m\b|o'?\s?clock|h\b|hrs?\b))")


def _cell_range_ids(s: str) -> set[int]:
    """Every cell id inside a range of cells the text writes ("cells 0-3" holds 1 and 2), ends included."""
    # ranges searched in the whole text (the clock-time look-ahead sees past the list), kept inside the list
    return {c for lst in _CELL_LIST.finditer(s) for m in _RANGE.finditer(s, lst.start()) if m.end() <= lst.end()
            for a, b in [(int(m[1]), int(m[2]))] if a < b for c in range(a, b + 1)}


def drop_invented_numbers(intent: Intent, text: str, steps: list[str]) -> Intent:
    """``llm`` strategy: drop constraints and cells whose number the text does not contain under any unit reading
    (small models fill every list the schema offers). Digits only, no lexicon, with two exceptions the checks
    (`assess`) make as well: a guarded KPI's default bound (`guard_default`) and the cells inside a written range
    of cells ("cells 0-3")."""
    nums = _text_numbers(text)
    s = _text(text)
    readings = {round(v * f, 9) for v in nums for f in (1.0, 0.01, 1e3, 1e-3, 1e6, 1 / 60)}
    kept = [c for c in intent.constraints if round(c.value, 9) in readings or guard_default(c, s)]
    for c in intent.constraints:
        if c not in kept:
            steps.append(f"dropped model constraint {c.kpi} {c.op} {c.value:g}: the text has no such number")
    named = {float(c) for c in _cell_range_ids(s)} | set(nums)
    cells = [c for c in intent.cells or [] if float(c) in named] or None
    if intent.cells and cells != intent.cells:
        steps.append(f"dropped model cells {sorted(set(intent.cells) - set(cells or []))}: not in the text")
    return intent.model_copy(update={"constraints": kept, "cells": cells})
