"""The two calls the agents make: :func:`structured` (a validated object or a scored failure) and :func:`chat_tools`
(one turn with tools offered). Neither raises for anything a model or a backend does.

Repair loop (structured): constrained decoding where the backend has it; pydantic validation; on failure the model's
answer and the validation errors go back as the next turn, up to ``max_attempts`` calls; then ``Failed``.
"""

from __future__ import annotations

import json
import logging
from typing import Any, TypeVar, overload

from airloop.prompts import load_prompt
from pydantic import BaseModel, ValidationError

from ._base import ChatModel
from ._budget import Budget
from ._schema import action_schema, calls_in_content, first_json, max_tokens_for, normalize_tools, pydantic_schema
from ._types import ChatRequest, Completion, Failed, ModelError, Ok, ToolTurn, Usage

log = logging.getLogger("airloop.agents.models")

S = TypeVar("S", bound=BaseModel)

# The repair turn and the tool list shown to models without native tool calls are prompt files like every other
# prompt (prompts/repair.md, prompts/tools_fallback.md).
_MAX_ERRORS_SHOWN = 8


def _format_errors(exc: Exception) -> list[str]:
    if isinstance(exc, ValidationError):
        out = []
        for err in exc.errors()[:_MAX_ERRORS_SHOWN]:
            loc = ".".join(str(p) for p in err.get("loc", ())) or "(root)"
            got = json.dumps(err.get("input"), default=str)
            got = got if len(got) <= 60 else got[:57] + "..."
            out.append(f"{loc}: {err.get('msg')} (got {got})")
        return out
    return [str(exc)]


def validate_answer(schema: type[S] | dict[str, Any], raw: str) -> tuple[S | dict[str, Any] | None, list[str]]:
    """Parse and validate one answer: ``(value, [])`` or ``(None, errors)``."""
    try:
        data = first_json(raw)
    except ValueError as e:
        hint = " (the answer looks cut off: keep it shorter)" if raw.strip().startswith("{") else ""
        return None, [f"{e}{hint}"]
    if isinstance(schema, dict):
        import jsonschema

        validator = jsonschema.Draft202012Validator(schema)
        errs = [f"{'.'.join(map(str, e.absolute_path)) or '(root)'}: {e.message}"
                for e in list(validator.iter_errors(data))[:_MAX_ERRORS_SHOWN]]
        return (None, errs) if errs else (data, [])
    try:
        return schema.model_validate(data), []
    except ValidationError as e:
        return None, _format_errors(e)
    except Exception as e:  # a schema's own hook (model_post_init, ...) raising: still an invalid answer
        return None, [f"{type(e).__name__}: {e}"]


def _call(model: ChatModel, request: ChatRequest, budget: Budget | None, usage: list[Usage]) -> Completion:
    completion = model.complete(request)
    usage.append(completion.usage)
    if budget is not None:
        budget.charge_llm(completion.usage)
    return completion


@overload
def structured(model: ChatModel, schema: type[S], messages: list[dict[str, Any]], *, budget: Budget | None = None,
               max_attempts: int = 3, temperature: float | None = None,
               max_tokens: int | None = None, task: str | None = None) -> Ok[S] | Failed: ...


@overload
def structured(model: ChatModel, schema: dict[str, Any], messages: list[dict[str, Any]], *,
               budget: Budget | None = None, max_attempts: int = 3, temperature: float | None = None,
               max_tokens: int | None = None, task: str | None = None) -> Ok[dict[str, Any]] | Failed: ...


def structured(
    model: ChatModel,
    schema: type[S] | dict[str, Any],
    messages: list[dict[str, Any]],
    *,
    budget: Budget | None = None,
    max_attempts: int = 3,
    temperature: float | None = None,
    max_tokens: int | None = None,
    task: str | None = None,
) -> Ok[Any] | Failed:
    """Ask ``model`` for an instance of ``schema`` (a pydantic model; a JSON-schema dict gives a validated dict).

    Returns ``Ok(value, usage, attempts)`` or ``Failed(reason, raw, attempts, usage, errors)`` with ``reason``
    ``invalid_output: ...``, ``budget_exhausted: <limit>`` or ``model_error:<code>: ...``. Never raises for model,
    backend, timeout or budget trouble; a schema that cannot be bounded (recursive) is a programming error and raises.
    ``temperature`` None = ``model.config.temperature`` (0 by default); the seed is ``model.config.seed``. ``task``:
    what the call is for (`ChatRequest.task`: a model tuned for it answers with its adapter).
    """
    temperature = model.config.temperature if temperature is None else temperature
    if max_attempts < 1:
        raise ValueError(f"max_attempts must be >= 1, got {max_attempts}")
    json_schema = pydantic_schema(schema)
    cap = max_tokens or max_tokens_for(json_schema, cap=model.config.max_tokens_structured_cap)
    conversation = [dict(m) for m in messages]
    usage: list[Usage] = []
    raw = ""
    errors: list[str] = []
    for attempt in range(1, max_attempts + 1):
        if budget is not None and (limit := budget.exhausted()):
            return Failed(f"budget_exhausted: {limit}", raw, attempt - 1, usage, errors)
        request = ChatRequest(conversation, schema=json_schema, temperature=temperature, max_tokens=cap,
                              seed=model.config.seed, task=task)
        try:
            completion = _call(model, request, budget, usage)
        except ModelError as e:
            log.warning("structured call to %s failed: %s", model.spec, e)
            return Failed(e.reason, raw, attempt, usage, errors)
        except Exception as e:  # a backend bug must not take the graph down either
            log.exception("unexpected error from %s", model.spec)
            return Failed(f"model_error:backend_error: {type(e).__name__}: {e}", raw, attempt, usage, errors)
        raw = completion.content
        value, errors = validate_answer(schema, raw)
        if value is not None:
            return Ok(value, usage, attempt, raw)
        log.info("attempt %d/%d of %s invalid: %s", attempt, max_attempts, getattr(schema, "__name__", "schema"),
                 "; ".join(errors))
        conversation += [
            {"role": "assistant", "content": raw or "(empty answer)"},
            {"role": "user", "content": load_prompt("repair").fill(errors="\n".join(f"- {e}" for e in errors))},
        ]
    return Failed(f"invalid_output: {errors[0] if errors else 'no answer'} (after {max_attempts} attempts)",
                  raw, max_attempts, usage, errors)


def _with_tool_list(messages: list[dict[str, Any]], tools: list[dict[str, Any]]) -> list[dict[str, Any]]:
    listing = "\n".join(f"- {t['name']}: {t['description']} Arguments schema: "
                        f"{json.dumps(t['parameters'], separators=(',', ':'))}" for t in tools)
    note = load_prompt("tools_fallback").fill(tools=listing)
    out = [dict(m) for m in messages]
    if out and out[0].get("role") == "system":
        out[0]["content"] = f"{out[0].get('content', '')}\n\n{note}"
    else:
        out.insert(0, {"role": "system", "content": note})
    return out


def _split_native(calls: list[dict[str, Any]], names: set[str]) -> tuple[list[dict], list[dict]]:
    good, bad = [], []
    for c in calls:
        if "error" in c:
            bad.append(c)
        elif c.get("name") not in names:
            bad.append({**c, "error": f"unknown tool {c.get('name')!r}; offered: {sorted(names)}"})
        else:
            good.append({"name": c["name"], "arguments": c.get("arguments") or {}})
    return good, bad


def chat_tools(
    model: ChatModel,
    messages: list[dict[str, Any]],
    tools: list[dict[str, Any]],
    *,
    budget: Budget | None = None,
    temperature: float | None = None,
    max_tokens: int | None = None,
) -> ToolTurn:
    """One model turn with ``tools`` offered (JSON-schema tool specs, OpenAI or flat form).

    Native tool calls where the backend supports them; otherwise the JSON "action" schema, constrained. Tool-call
    JSON a model writes into its text is accepted either way. With ``tools=[]`` this is a plain chat turn. Never
    raises for model trouble: ``ToolTurn.error`` says what went wrong (``budget_exhausted: <limit>``, ...).
    """
    temperature = model.config.temperature if temperature is None else temperature
    specs = normalize_tools(tools)
    names = {t["name"] for t in specs}
    usage: list[Usage] = []
    if budget is not None and (limit := budget.exhausted()):
        return ToolTurn(error=f"budget_exhausted: {limit}")
    cap = max_tokens or model.config.max_tokens
    try:
        model.preflight()  # Ollama learns here whether the model has native tools
        if model.native_tools or not specs:
            try:
                request = ChatRequest([dict(m) for m in messages], tools=specs or None, temperature=temperature,
                                      max_tokens=cap, seed=model.config.seed)
                completion = _call(model, request, budget, usage)
                calls, invalid = _split_native(completion.tool_calls, names)
                content = completion.content
                if not calls and specs:
                    found, bad, text = calls_in_content(content, names)
                    calls, invalid, content = found, invalid + bad, (text if found or bad else content)
                return ToolTurn(content, calls, usage, invalid, native=bool(specs))
            except ModelError as e:
                if e.code != "tools_unsupported":
                    raise
                log.info("%s has no native tools; using the JSON action schema", model.spec)
                model.native_tools = False
                if budget is not None and (limit := budget.exhausted()):
                    return ToolTurn(usage=usage, error=f"budget_exhausted: {limit}")
        schema = action_schema(specs)
        request = ChatRequest(_with_tool_list(messages, specs), schema=schema, temperature=temperature,
                              max_tokens=max_tokens or max_tokens_for(schema, cap=model.config.max_tokens_structured_cap),
                              seed=model.config.seed)
        completion = _call(model, request, budget, usage)
        calls, invalid, content = calls_in_content(completion.content, names)
        if not calls and not invalid and content == completion.content:
            try:  # neither a call nor a "respond" action: say so, so the caller can re-ask
                first_json(completion.content)
            except ValueError as e:
                invalid = [{"name": None, "arguments": None, "error": f"no action in the answer: {e}"}]
        return ToolTurn(content, calls, usage, invalid, native=False)
    except ModelError as e:
        log.warning("tool turn of %s failed: %s", model.spec, e)
        return ToolTurn(usage=usage, error=e.reason)
    except Exception as e:
        log.exception("unexpected error from %s", model.spec)
        return ToolTurn(usage=usage, error=f"model_error:backend_error: {type(e).__name__}: {e}")
