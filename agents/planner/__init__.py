"""The planner: plain-language text → `Intent`.

Three strategies (`STRATEGIES`), all ending in the same deterministic post-processing:

* ``rules``: a deterministic reader (`parse_rules`): a lexicon of KPI, slice, knob and time words (``lexicon.yaml``,
  data, loaded by ``_lexicon.py``), number-and-unit patterns, comparators and their negations, read clause by clause
  (``_rules.py``, `read_text`); a reply that revises an earlier request is read as that request with the reply's edits
  (``_revision.py``), and named zones of cells as their cells (``_zones.py``). No model.
* ``llm``: the model alone fills the bounded `IntentDraft` schema (`airloop.agents.intent.draft_schema`) under
  constrained decoding, with few-shot examples from ``prompts/planner_examples.jsonl``; code only converts units (a
  copied number takes the unit the text writes beside it, where the model named another: `ground_units`), maps the
  window to hours, drops constraints and cells whose number the text does not contain, and validates. The text
  must still name something of the domain, or it is refused unread.
* ``rules+llm`` (the default with a model): the rule reading is shown to the model as a draft, with the schema's enums
  narrowed to the KPIs and slices the text names (and to "now" when it names no time); the model confirms or
  completes it. Merge rules (``_merge.py``), each decision listed in ``PlanResult.postprocessing``:
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
and names a window, and code does the arithmetic (the shared unit table, `airloop.core.normalize_value`).
Ambiguities are settled by documented defaults (`airloop.core.WINDOWS`, the comparator a bare number gets,
`GUARD_DEFAULTS`) and listed in the intent's ``assumptions``.

Text that asks for knob values or to ignore limits ("set 80 dBm everywhere") never carries a value into the intent:
an intent has no field for one. Such text is flagged in ``notes``.
"""

from ._checks import CONFIRM_BELOW, Assessment, Finding, assess, check_intent
from ._echo import describe
from ._lexicon import Lexicon, LexiconError, load_lexicon
from ._plan import PLANNER_STRATEGIES, STRATEGIES, PlanResult, Status, Strategy, plan_intent
from ._revision import parse_rules
from ._rules import EXAMPLE_INTENT, GUARD_DEFAULTS, MAX_TEXT_CHARS, NETWORK_ONLY_KPIS, RuleReading

__all__ = [
    "CONFIRM_BELOW",
    "EXAMPLE_INTENT",
    "GUARD_DEFAULTS",
    "MAX_TEXT_CHARS",
    "NETWORK_ONLY_KPIS",
    "PLANNER_STRATEGIES",
    "STRATEGIES",
    "Assessment",
    "Finding",
    "Lexicon",
    "LexiconError",
    "PlanResult",
    "RuleReading",
    "Status",
    "Strategy",
    "assess",
    "check_intent",
    "describe",
    "load_lexicon",
    "parse_rules",
    "plan_intent",
]
