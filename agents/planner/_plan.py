"""`plan_intent`, the planner's entry point: a strategy, the rule reading, the model call and the merge."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from airloop.core import Intent
from pydantic import BaseModel

from ..intent import draft_schema, intent_from_draft
from ..models import Budget, ChatModel, Failed, Ok, Usage, get_model, structured
from ._checks import CONFIRM_BELOW, assess, repaired

__all__ = ["CONFIRM_BELOW", "PLANNER_STRATEGIES", "STRATEGIES", "PlanResult", "Status", "Strategy", "plan_intent"]
from ._echo import describe
from ._merge import drop_invented_numbers, ground_units, merge, messages
from ._revision import parse_rules
from ._rules import MAX_TEXT_CHARS, RuleReading, mentions_time, names_domain, normalize_text

Strategy = Literal["rules", "llm", "rules+llm"]
STRATEGIES: tuple[str, ...] = ("rules", "llm", "rules+llm")
#: the same tuple, under a name that cannot be confused with the optimizer's strategy registry
PLANNER_STRATEGIES = STRATEGIES
Status = Literal["ok", "invalid", "failed"]


@dataclass
class PlanResult:
    """What `plan_intent` returns. ``status``: ``ok``; ``invalid`` (empty or unreadable text: the CLI exits 2);
    ``failed`` (the model failed and no rule reading could stand in, in the ``llm`` strategy)."""

    intent: Intent | None
    status: Status
    notes: list[str] = field(default_factory=list)
    postprocessing: list[str] = field(default_factory=list)
    usage: list[Usage] = field(default_factory=list)
    strategy: str = "rules"
    model: str | None = None
    prompts: dict[str, str] = field(default_factory=dict)
    raw: str | None = None
    #: how sure the planner is of the reading (0..1; see `_checks.assess`), why, and what else the text may mean
    confidence: float = 0.0
    reasons: list[str] = field(default_factory=list)
    findings: list[dict[str, Any]] = field(default_factory=list)
    alternatives: list[dict[str, Any]] = field(default_factory=list)  # {"intent": ..., "why": ..., "echo": ...}
    #: the reading in plain words (`_echo.describe`); reading it again gives the same intent
    echo: str = ""

    @property
    def needs_confirmation(self) -> bool:
        """A reading below `CONFIRM_BELOW` is shown and confirmed by a person; unattended runs refuse it."""
        return self.status == "ok" and self.confidence < CONFIRM_BELOW

    def to_dict(self) -> dict[str, Any]:
        return {
            "intent": self.intent.model_dump() if self.intent else None,
            "status": self.status,
            "notes": self.notes,
            "postprocessing": self.postprocessing,
            "strategy": self.strategy,
            "model": self.model,
            "prompts": self.prompts,
            "usage": [u.model_dump() for u in self.usage],
            "confidence": self.confidence,
            "needs_confirmation": self.needs_confirmation,
            "reasons": self.reasons,
            "findings": self.findings,
            "alternatives": self.alternatives,
            "echo": self.echo,
        }


def _strategy(strategy: Strategy | None, model: ChatModel | str | None) -> Strategy:
    chosen: Strategy = strategy or ("rules+llm" if model is not None else "rules")
    if chosen not in STRATEGIES:
        raise ValueError(f"unknown planner strategy {chosen!r}; choose one of {list(STRATEGIES)}")
    if chosen != "rules" and model is None:
        raise ValueError(f"strategy {chosen!r} needs a model; pass model=... or use strategy='rules'")
    return chosen


def _schema(narrow: bool, reading: RuleReading, text: str, hours_as: str = "list") -> type[BaseModel]:
    """The draft schema; in ``rules+llm`` narrowed to what the text names (a 135M model cannot wander off under
    these enums). ``hours_as``: how the model writes custom hours (its adapter's ``planner_draft``)."""
    if not narrow or reading.intent is None:
        return draft_schema(hours_as=hours_as)
    kpis = set(reading.kpis_mentioned) | {k for k, _ in reading.intent.kpis()}
    slices = set(reading.slices_mentioned) | {s for _, s in reading.intent.kpis() if s}
    windows = None if mentions_time(normalize_text(text)) else ["now"]
    return draft_schema(kpis=kpis, slices=slices, windows=windows, hours_as=hours_as)


def _finish(result: PlanResult, intent: Intent | None, steps: list[str], other: Intent | None = None,
            other_name: str = "the model") -> PlanResult:
    """The reading checked (`_checks.assess`): its confidence, findings and alternatives, and said back in plain
    words. A finding never changes the reading silently: its repair is offered as an alternative (the one that
    resolves every finding first), and the confidence falls below the confirmation threshold."""
    result.postprocessing = steps
    if intent is None:
        result.status = "invalid"
        return result
    a = assess(intent, notes=result.notes, other=other, other_name=other_name)
    fixed = repaired(intent) if any(f.severity == "error" for f in a.findings) else None
    if fixed is not None:
        a.alternatives.insert(0, {"intent": fixed.model_dump(exclude={"text", "assumptions"}),
                                  "why": "the reading with every finding repaired"})
    for problem in intent.contradictions():
        result.notes.append(f"contradictory constraints: {problem}; kept as stated, the run will report infeasible")
    result.intent = intent
    result.confidence = a.confidence
    result.reasons = a.reasons
    result.findings = [f.to_dict() for f in a.findings]
    result.alternatives = [_with_echo(alt) for alt in _unique(a.alternatives, intent)]
    result.echo = describe(intent)
    return result


def _unique(alternatives: list[dict[str, Any]], intent: Intent) -> list[dict[str, Any]]:
    """Alternatives that differ from the reading and from each other."""
    seen = [intent.model_dump(exclude={"text", "assumptions"})]
    out = []
    for alt in alternatives:
        if alt["intent"] not in seen:
            seen.append(alt["intent"])
            out.append(alt)
    return out


def _with_echo(alt: dict[str, Any]) -> dict[str, Any]:
    try:
        return {**alt, "echo": describe(Intent.model_validate(alt["intent"]))}
    except ValueError:
        return alt


def _fail(result: PlanResult, status: Status, note: str) -> PlanResult:
    result.status = status
    result.notes.insert(0, note)
    return result


def _model_failed(result: PlanResult, reading: RuleReading, strategy: Strategy, reason: str) -> PlanResult:
    if strategy == "llm":
        return _fail(result, "failed", f"the model gave no usable intent ({reason})")
    result.notes.append(f"the model gave no usable answer ({reason}); the rule reading was used")
    return _finish(result, reading.intent, ["model failed: rule reading used as is", *reading.conversions])


def _use_answer(result: PlanResult, reading: RuleReading, strategy: Strategy, text: str,
                answer: BaseModel) -> PlanResult:
    """The model's draft → an intent: post-processed alone (``llm``) or merged with the rule reading."""
    steps: list[str] = []
    draft = answer.model_dump()
    if strategy == "llm":
        draft = ground_units(draft, text, steps)
    try:
        llm_intent, converted = intent_from_draft(draft, text=text)
        steps = [*steps, *converted]
    except ValueError as e:
        if strategy == "llm" or reading.intent is None:
            return _fail(result, "failed", f"the model's answer is not a valid intent: {e}")
        result.notes.append(f"the model's answer is not a valid intent ({e}); the rule reading was used")
        return _finish(result, reading.intent, ["model answer invalid: rule reading used as is", *reading.conversions])
    if strategy == "llm":
        llm_intent = drop_invented_numbers(llm_intent, text, steps)
        return _finish(result, llm_intent, ["llm only: post-processing of the model's draft", *steps],
                       other=reading.intent, other_name="the rule reader")
    if reading.intent is None:
        return _fail(result, "invalid", reading.error or "no intent found")
    merged = merge(reading, llm_intent, steps)
    return _finish(result, merged, ["rules+llm: rule reading merged with the model's draft", *reading.conversions,
                                    *steps], other=llm_intent.model_copy(update={"text": text}))


def _with_model(result: PlanResult, reading: RuleReading, text: str, strategy: Strategy, model: ChatModel,
                budget: Budget | None, max_attempts: int | None) -> PlanResult:
    narrow = strategy == "rules+llm"
    tuned = "planner" in getattr(model, "tuned_for", ())
    hours_as = getattr(model, "draft_formats", {}).get("planner", "list") if tuned else "list"
    schema = _schema(narrow, reading, text, hours_as)
    msgs, result.prompts = messages(text, reading, with_draft=narrow and reading.intent is not None, tuned=tuned)
    attempts = max_attempts or (1 if narrow else 2)
    res: Ok[BaseModel] | Failed = structured(model, schema, msgs, budget=budget, max_attempts=attempts, task="planner")
    result.usage = list(res.usage)
    result.raw = res.raw
    if isinstance(res, Failed):
        return _model_failed(result, reading, strategy, res.reason)
    return _use_answer(result, reading, strategy, text, res.value)


def _refused(reading: RuleReading, strategy: Strategy, text: str) -> bool:
    """Text the rules cannot read is refused, except by the ``llm`` strategy when it names something of the
    domain (and is neither empty nor too long)."""
    return bool(reading.error) and (strategy != "llm" or not text.strip() or len(text) > MAX_TEXT_CHARS
                                    or not names_domain(text))


def plan_intent(
    text: str,
    model: ChatModel | str | None = None,
    *,
    budget: Budget | None = None,
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
    chosen = _strategy(strategy, model)
    chat_model = None if chosen == "rules" else get_model(model) if isinstance(model, str) else model
    reading = parse_rules(text)
    result = PlanResult(intent=None, status="ok", strategy=chosen,
                        model=chat_model.spec if chat_model is not None else None)
    result.notes = list(reading.notes)
    if _refused(reading, chosen, text):
        return _fail(result, "invalid", reading.error or "")
    if chat_model is None:
        return _finish(result, reading.intent, ["rules only: the rule reading is the intent", *reading.conversions])
    return _with_model(result, reading, text, chosen, chat_model, budget, max_attempts)
