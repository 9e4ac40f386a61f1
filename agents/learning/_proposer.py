"""Proposers for prompt refinement, plugged into GEPA as its ``custom_candidate_proposer``: GEPA selects the parent
(Pareto front), the minibatch and the component, and keeps the budget and the run directory; a proposer only writes
the new text.

* `RuleProposer` — deterministic, no model: the library ``prompts/refine_rules.jsonl`` maps structured failures
  (a KPI short at some hours, no gain for an objective family, a malformed answer, a refused guardrail) to a sentence
  added to the prompt. The rule matched by the rollouts that fell furthest short, not yet in the text and not yet
  proposed from this parent, wins.
* `LLMProposer` — a reflection model (any configured backend) rewrites the prompt from the same feedback
  (``prompts/refine.md``, ``refine_user.md``) under a bounded schema. An answer that fails the schema, drops or adds a
  placeholder, or is empty is a *failed proposal*: logged with the reason, no candidate, and the run goes on.

Every call appends to `Proposer.log` (which proposer ran, for which component, what it did, and why).
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Annotated, Any

from airloop.prompts import Prompt, load_examples, load_prompt
from pydantic import BaseModel, ConfigDict, Field

from ..models import Budget, ChatModel, structured

__all__ = ["LLMProposer", "Proposer", "RuleProposer", "sha"]

MAX_PROMPT_CHARS = 6000


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _placeholders(file: str, text: str) -> list[str]:
    return Prompt(name=file, text=text, sha256="", path=load_prompt("refine").path).placeholders


class Proposer:
    """What GEPA calls: ``proposer(candidate, reflective_dataset, components) -> {component: new text}``."""

    name = "proposer"

    def __init__(self) -> None:
        self.log: list[dict[str, Any]] = []
        self.reasoning: dict[str, dict[str, Any]] = {}  # sha256 of a proposed text -> how it came about

    def __call__(self, candidate: dict[str, str], reflective_dataset: Mapping[str, Sequence[Mapping[str, Any]]],
                 components_to_update: list[str]) -> dict[str, str]:
        out: dict[str, str] = {}
        for comp in components_to_update:
            records = list(reflective_dataset.get(comp, []))
            entry: dict[str, Any] = {"proposer": self.name, "component": comp, "parent": sha(candidate[comp])[:12]}
            try:
                text, why = self.propose(comp, candidate[comp], records)
            except Exception as e:  # a proposer bug is a failed proposal, never a dead tuning run
                text, why = None, f"failed: {type(e).__name__}: {e}"
            if text is None or text == candidate[comp]:
                entry.update(status="failed" if why.startswith("failed") else "nothing", reason=why)
            else:
                entry.update(status="ok", reason=why, child=sha(text)[:12])
                self.reasoning[sha(text)] = {"proposer": self.name, "reasoning": why,
                                             "parent": sha(candidate[comp])}
                out[comp] = text
            self.log.append(entry)
        return out

    def propose(self, component: str, current: str, records: list[Mapping[str, Any]]) -> tuple[str | None, str]:
        raise NotImplementedError

    def state(self) -> dict[str, Any]:
        return {"log": list(self.log), "reasoning": dict(self.reasoning)}

    def restore(self, state: Mapping[str, Any]) -> None:
        self.log = list(state.get("log", []))
        self.reasoning = dict(state.get("reasoning", {}))


def _matches(when: Mapping[str, Any], fact: Mapping[str, Any]) -> bool:
    return all(fact.get(k) == v for k, v in when.items())


class RuleProposer(Proposer):
    """Deterministic: the KPI-failure rules of ``prompts/refine_rules.jsonl``."""

    name = "rules"

    def __init__(self) -> None:
        super().__init__()
        items = list(load_examples("refine_rules"))
        self.header = next((i["header"] for i in items if "header" in i), "Lessons from verified runs:")
        self.rules = [i for i in items if "id" in i]

    def propose(self, component: str, current: str, records: list[Mapping[str, Any]]) -> tuple[str | None, str]:
        weight: dict[str, float] = defaultdict(float)
        for r in records:
            facts = r.get("facts") or {}
            miss = max(0.0, 1.0 - float(facts.get("score", 0.0)))
            for fact in facts.get("failures", []):
                for rule in self.rules:
                    if rule["text"] not in current and _matches(rule["when"], {**facts.get("intent", {}), **fact}):
                        weight[rule["id"]] += miss * float(fact.get("weight", 1.0))
        if not weight:
            return None, "no rule matches the rollouts' failures (or every matching rule is in the prompt already)"
        order = {r["id"]: i for i, r in enumerate(self.rules)}
        # A child this proposer already made from this parent was scored then (GEPA keeps it or not): the next rule
        # by weight makes a new candidate instead of the same one again.
        tried = {child for child, r in self.reasoning.items() if r.get("parent") == sha(current)}
        body = current.rstrip("\n")
        for rid in sorted(weight, key=lambda k: (-weight[k], order[k])):
            rule = next(r for r in self.rules if r["id"] == rid)
            text = (body + "\n" + f"- {rule['text']}\n") if self.header in body else \
                (body + f"\n\n{self.header}\n- {rule['text']}\n")
            if sha(text) not in tried:
                return text, f"rule {rid} (weight {weight[rid]:.3f}): {rule['text']}"
        return None, f"every matching rule ({len(weight)}) was proposed from this prompt already"


class _Rewrite(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reasoning: Annotated[str, Field(max_length=400)]
    new_prompt: Annotated[str, Field(min_length=20, max_length=MAX_PROMPT_CHARS)]


class LLMProposer(Proposer):
    """A reflection model rewrites the prompt; its answer is checked (schema, placeholders) before GEPA sees it."""

    def __init__(self, model: ChatModel, *, budget: Budget | None = None, max_attempts: int = 2,
                 max_records: int = 6) -> None:
        super().__init__()
        self.model = model
        self.budget = budget
        self.max_attempts = max_attempts
        self.max_records = max_records
        self.name = f"llm:{getattr(model, 'spec', type(model).__name__)}"
        self.calls = 0

    def propose(self, component: str, current: str, records: list[Mapping[str, Any]]) -> tuple[str | None, str]:
        want = _placeholders(component, current)
        system = load_prompt("refine").fill(placeholder_list=", ".join("{" + p + "}" for p in want) or "(none)")
        fb = "\n".join(f"- intent {r.get('Inputs', '')}: {r.get('Generated Outputs', '')}; {r.get('Feedback', '')}"
                       for r in records[: self.max_records]) or "- (no rollouts)"
        user = load_prompt("refine_user").fill(component=component, current=current, feedback=fb)
        res = structured(self.model, _Rewrite, [{"role": "system", "content": system},
                                                {"role": "user", "content": user}],
                         budget=self.budget, max_attempts=self.max_attempts)
        self.calls += len(res.usage)
        if not res.ok:
            return None, f"failed: malformed reflection answer ({res.reason})"
        new = res.value.new_prompt.strip() + "\n"
        have = _placeholders(component, new)
        if set(have) != set(want):
            return None, f"failed: the rewrite changed the placeholders ({sorted(have)} instead of {sorted(want)})"
        return new, res.value.reasoning

    def state(self) -> dict[str, Any]:
        return {**super().state(), "calls": self.calls}

    def restore(self, state: Mapping[str, Any]) -> None:
        super().restore(state)
        self.calls = int(state.get("calls", 0))


def feedback_json(facts: Mapping[str, Any]) -> str:
    return json.dumps(facts, separators=(", ", ": "), default=str)
