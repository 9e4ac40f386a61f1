"""JSON-schema plumbing: bounded schemas for constrained decoding, the tool "action" fallback schema, and reading
JSON (answers, tool calls) out of free text.

Small models run away under loose grammars (SmolLM2 under a plain JSON grammar emitted ``1e15`` and repeated one
constraint until ``max_tokens``), so every structured call sends a closed schema (``additionalProperties: false``,
``$ref`` inlined for converters that do not follow them) and a completion cap derived from the schema's own bounds.
"""

from __future__ import annotations

import copy
import json
import math
import re
from typing import Any

from pydantic import BaseModel

#: Assumed sizes (characters) where a schema leaves a value unbounded; the cap in ModelConfig bounds the total anyway.
_UNBOUNDED_STRING_CHARS = 160
_UNBOUNDED_ITEMS = 8
_NUMBER_CHARS = 16
_RESPOND = "respond"


def pydantic_schema(schema: type[BaseModel] | dict[str, Any]) -> dict[str, Any]:
    """The closed, self-contained JSON schema sent to the backend for ``schema`` (a pydantic model or a dict)."""
    raw = schema.model_json_schema() if isinstance(schema, type) else copy.deepcopy(schema)
    return close_objects(inline_refs(raw))


def inline_refs(schema: dict[str, Any]) -> dict[str, Any]:
    """Replace every local ``$ref`` (``#/$defs/X``, ``#/definitions/X``) by its target; drop ``$defs``.

    Recursive schemas are refused: a recursive shape cannot be bounded, and bounded is the point.
    """
    defs: dict[str, Any] = {**schema.get("definitions", {}), **schema.get("$defs", {})}

    def resolve(node: Any, seen: tuple[str, ...]) -> Any:
        if isinstance(node, list):
            return [resolve(x, seen) for x in node]
        if not isinstance(node, dict):
            return node
        if "$ref" in node:
            ref = node["$ref"]
            name = ref.rsplit("/", 1)[-1]
            if not ref.startswith("#/") or name not in defs:
                raise ValueError(f"cannot inline $ref {ref!r}: only local #/$defs references are supported")
            if name in seen:
                raise ValueError(f"recursive schema at {ref!r}: bound the structure (no self-reference) for "
                                 "constrained decoding")
            target = resolve(copy.deepcopy(defs[name]), (*seen, name))
            siblings = {k: resolve(v, seen) for k, v in node.items() if k != "$ref"}
            return {**target, **siblings}
        return {k: resolve(v, seen) for k, v in node.items() if k not in ("$defs", "definitions")}

    return resolve(schema, ())


def close_objects(schema: dict[str, Any]) -> dict[str, Any]:
    """Set ``additionalProperties: false`` on every object with declared properties (where not already set)."""

    def walk(node: Any) -> Any:
        if isinstance(node, list):
            return [walk(x) for x in node]
        if not isinstance(node, dict):
            return node
        out = {k: walk(v) for k, v in node.items()}
        if "properties" in out and "additionalProperties" not in out:
            out["additionalProperties"] = False
        return out

    return walk(schema)


def max_chars(schema: Any) -> int:
    """Upper estimate of the characters of a compact JSON value matching ``schema``."""
    if not isinstance(schema, dict):
        return _UNBOUNDED_STRING_CHARS
    for key in ("anyOf", "oneOf"):
        if key in schema:
            return max((max_chars(s) for s in schema[key]), default=_UNBOUNDED_STRING_CHARS)
    if "allOf" in schema:
        return sum(max_chars(s) for s in schema["allOf"])
    if "const" in schema:
        return len(json.dumps(schema["const"]))
    if "enum" in schema:
        return max((len(json.dumps(v)) for v in schema["enum"]), default=4)
    kind = schema.get("type")
    if isinstance(kind, list):
        return max(max_chars({**schema, "type": k}) for k in kind)
    if kind == "string":
        return int(schema.get("maxLength", _UNBOUNDED_STRING_CHARS)) + 2
    if kind in ("integer", "number"):
        return _NUMBER_CHARS
    if kind == "boolean":
        return 5
    if kind == "null":
        return 4
    if kind == "array":
        n = int(schema.get("maxItems", _UNBOUNDED_ITEMS))
        return 2 + n * (max_chars(schema.get("items", {})) + 1)
    if kind == "object" or "properties" in schema:
        total = 2 + sum(len(k) + 4 + max_chars(v) for k, v in schema.get("properties", {}).items())
        extra = schema.get("additionalProperties")
        if isinstance(extra, dict):
            n = int(schema.get("maxProperties", 4))
            total += n * (20 + max_chars(extra))
        return total
    return _UNBOUNDED_STRING_CHARS


def max_tokens_for(schema: dict[str, Any], *, cap: int, floor: int = 64) -> int:
    """Completion cap for a structured call: the schema's size bound at ~2 characters a token (digits and
    punctuation tokenise finely in small vocabularies), plus room for whitespace, clamped to ``[floor, cap]``."""
    return max(floor, min(cap, math.ceil(max_chars(schema) / 2) + 32))


# --- tools -----------------------------------------------------------------------------------------------------------


def normalize_tools(tools: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Accept OpenAI-style ``{"type": "function", "function": {...}}`` or flat ``{"name", "description",
    "parameters"}`` specs; return flat ones with closed, ref-free parameter schemas."""
    out = []
    for spec in tools:
        fn = spec.get("function", spec) if spec.get("type") == "function" or "function" in spec else spec
        if "name" not in fn:
            raise ValueError(f"tool spec without a name: {spec!r}")
        params = fn.get("parameters") or {"type": "object", "properties": {}}
        out.append({"name": fn["name"], "description": fn.get("description", ""),
                    "parameters": close_objects(inline_refs(params))})
    return out


def openai_tools(tools: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Flat specs as OpenAI / Ollama function tools."""
    return [{"type": "function", "function": t} for t in tools]


def action_schema(tools: list[dict[str, Any]], *, content_max_chars: int = 400) -> dict[str, Any]:
    """The JSON "action" schema used when a backend has no native tool calls: one branch per tool
    (``{"action": name, "arguments": {...}}``) plus ``{"action": "respond", "content": "..."}`` for a plain answer."""
    branches = [
        {
            "type": "object",
            "properties": {"action": {"enum": [t["name"]]}, "arguments": t["parameters"]},
            "required": ["action", "arguments"],
            "additionalProperties": False,
        }
        for t in tools
    ]
    branches.append({
        "type": "object",
        "properties": {"action": {"enum": [_RESPOND]}, "content": {"type": "string", "maxLength": content_max_chars}},
        "required": ["action", "content"],
        "additionalProperties": False,
    })
    return {"anyOf": branches}


# --- reading JSON out of text ------------------------------------------------------------------------------------------

_FENCE = re.compile(r"```(?:json)?\s*(.*?)```", re.S)
_TOOL_TAG = re.compile(r"<tool_call>\s*(.*?)\s*(?:</tool_call>|$)", re.S)
_DECODER = json.JSONDecoder()


def json_values(text: str) -> list[Any]:
    """Every top-level JSON object or array found in ``text`` (whole text, fenced blocks, ``<tool_call>`` tags,
    then embedded values), first found first."""
    text = text.strip()
    if not text:
        return []
    try:
        return [json.loads(text)]
    except ValueError:
        pass
    found: list[Any] = []
    for block in [*_TOOL_TAG.findall(text), *_FENCE.findall(text)]:
        try:
            found.append(json.loads(block))
        except ValueError:
            continue
    if found:
        return found
    i = 0
    while i < len(text):
        if text[i] in "{[":
            try:
                value, end = _DECODER.raw_decode(text, i)
            except ValueError:
                i += 1
                continue
            found.append(value)
            i = end
        else:
            i += 1
    return found


def first_json(text: str) -> Any:
    """The first JSON value in ``text``; raises ``ValueError`` when there is none."""
    values = json_values(text)
    if not values:
        raise ValueError("no JSON object found in the answer")
    return values[0]


def _as_arguments(value: Any) -> dict[str, Any] | None:
    if value is None:
        return {}
    if isinstance(value, str):
        try:
            value = json.loads(value) if value.strip() else {}
        except ValueError:
            return None
    return value if isinstance(value, dict) else None


def _call_from(obj: Any) -> tuple[str, Any] | None:
    """(name, raw arguments) if ``obj`` looks like one tool call in any common dialect."""
    if not isinstance(obj, dict):
        return None
    if isinstance(obj.get("function"), dict):
        obj = obj["function"]
    name = obj.get("name") or obj.get("tool") or obj.get("action")
    if not isinstance(name, str):
        return None
    for key in ("arguments", "parameters", "args", "action_input", "input"):
        if key in obj:
            return name, obj[key]
    return name, {}


def calls_in_content(content: str, tool_names: set[str]) -> tuple[list[dict[str, Any]], list[dict[str, Any]], str]:
    """Tool calls a model wrote into its text: ``(calls, invalid, remaining_text)``.

    Recognises ``{"name", "arguments"}``, ``{"function": {...}}``, ``{"tool_calls": [...]}``, ``{"action", ...}``
    (the fallback schema and ReAct style), lists of these, and ``<tool_call>`` tags. A call naming no offered tool
    goes to ``invalid``; ``{"action": "respond", "content": ...}`` becomes the remaining text.
    """
    calls: list[dict[str, Any]] = []
    invalid: list[dict[str, Any]] = []
    text = content
    for value in json_values(content):
        items = value.get("tool_calls") if isinstance(value, dict) and "tool_calls" in value else value
        for item in items if isinstance(items, list) else [items]:
            if not isinstance(item, dict):  # not a call (`_call_from` would say so too)
                continue
            if item.get("action") == _RESPOND:
                text = str(item.get("content", ""))
                continue
            call = _call_from(item)
            if call is None:
                continue
            name, raw_args = call
            args = _as_arguments(raw_args)
            if name in tool_names and args is not None:
                calls.append({"name": name, "arguments": args})
            elif name in tool_names or "arguments" in item or "parameters" in item or "function" in item:
                invalid.append({"name": name, "arguments": raw_args,
                                "error": "arguments are not a JSON object" if name in tool_names
                                else f"unknown tool {name!r}; offered: {sorted(tool_names)}"})
    if (calls or invalid) and text is content:
        # what is left around the calls: nothing for a bare JSON answer, the prose around <tool_call> tags otherwise
        text = _TOOL_TAG.sub("", content).strip()
        if _FENCE.search(text) or _is_json(text):
            text = _FENCE.sub("", text).strip()
            text = "" if _is_json(text) else text
    return calls, invalid, text


def _is_json(text: str) -> bool:
    try:
        json.loads(text)
    except ValueError:
        return False
    return True
