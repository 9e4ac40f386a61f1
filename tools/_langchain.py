"""The LangChain face: every tool as a `StructuredTool` whose `args_schema` is the tool's pydantic input model.

The session never appears in the schema the model sees: it is an injected argument. It is found, in order, in an
explicit ``session`` argument (`InjectedToolArg`), in the LangGraph ``runtime`` that `ToolNode` injects into a
parameter of that name (``runtime.context.session``, ``runtime.context["session"]``, or the context itself), or in
the session bound by `make_langchain_tools(session)`. LangGraph itself is not imported here.

Results use ``response_format="content_and_artifact"``: the model reads compact JSON, code reads the dict in
``ToolMessage.artifact``. A refused call is a ``ToolMessage`` with ``status="error"`` and the JSON
``{"error": {...}}``; nothing is raised through the agent.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Annotated, Any

from langchain_core.tools import InjectedToolArg, StructuredTool, ToolException
from pydantic import ValidationError, create_model
from pydantic.v1 import ValidationError as ValidationErrorV1

from ._errors import ToolError
from ._session import NetworkSession
from ._tools import TOOLS, ToolSpec, _error, call_tool, validation_error


def _dumps(obj: Any) -> str:
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False)


def _session_from(explicit: Any, runtime: Any, bound: NetworkSession | None) -> NetworkSession | None:
    if isinstance(explicit, NetworkSession):
        return explicit
    ctx = getattr(runtime, "context", None) if runtime is not None else None
    if isinstance(ctx, NetworkSession):
        return ctx
    if ctx is not None:
        found = ctx.get("session") if isinstance(ctx, Mapping) else getattr(ctx, "session", None)
        if isinstance(found, NetworkSession):
            return found
    return bound


def _actor_from(runtime: Any, default: str) -> str:
    ctx = getattr(runtime, "context", None) if runtime is not None else None
    actor = ctx.get("actor") if isinstance(ctx, Mapping) else getattr(ctx, "actor", None)
    return actor if isinstance(actor, str) and actor.strip() else default


def _make_tool(spec: ToolSpec, bound: NetworkSession | None, actor: str) -> StructuredTool:
    schema = create_model(
        "".join(p.title() for p in spec.name.split("_")) + "Args",
        __base__=spec.input_model,
        __doc__=spec.description,
        session=(Annotated[Any, InjectedToolArg], None),
        runtime=(Annotated[Any, InjectedToolArg], None),
    )

    def run(
        session: Annotated[Any, InjectedToolArg] = None,
        runtime: Annotated[Any, InjectedToolArg] = None,
        **kwargs: Any,
    ) -> tuple[str, dict[str, Any]]:
        s = _session_from(session, runtime, bound)
        if s is None:
            out = _error(
                ToolError(
                    "no_session",
                    "no NetworkSession to act on",
                    hint="pass session= to make_langchain_tools, or put it in the graph context as `session`",
                )
            )
        else:
            args = {k: (v.model_dump(exclude_none=True) if hasattr(v, "model_dump") else v) for k, v in kwargs.items()}
            if isinstance(args.get("changes"), list):
                args["changes"] = [
                    c.model_dump(exclude_none=True) if hasattr(c, "model_dump") else c for c in kwargs["changes"]
                ]
            out = call_tool(s, spec.name, args, actor=_actor_from(runtime, actor))
        if "error" in out:
            raise ToolException(_dumps(out))
        return _dumps(out), out

    def on_validation_error(exc: ValidationError | ValidationErrorV1) -> str:
        if isinstance(exc, ValidationError):
            return _dumps(_error(validation_error(spec, exc)))
        return _dumps(_error(ToolError("invalid_parameter", f"{spec.name}: {exc}")))

    return StructuredTool(
        name=spec.name,
        description=spec.description,
        args_schema=schema,
        func=run,
        response_format="content_and_artifact",
        handle_tool_error=True,
        handle_validation_error=on_validation_error,
        metadata={"read_only": spec.read_only, "title": spec.title},
    )


def make_langchain_tools(
    session: NetworkSession | None = None, *, actor: str = "agent", names: Iterable[str] | None = None
) -> list[StructuredTool]:
    """The tools as LangChain `StructuredTool`s, optionally bound to `session` (else injected per call).

    `actor` is recorded in the change log for applies and rollbacks (a graph may override it per run with
    ``context.actor``). `names` selects a subset (e.g. the read-only tools for a planner).
    """
    wanted = list(TOOLS) if names is None else list(names)
    unknown = [n for n in wanted if n not in TOOLS]
    if unknown:
        raise ValueError(f"unknown tool name(s) {unknown}; choose from {sorted(TOOLS)}")
    return [_make_tool(TOOLS[n], session, actor) for n in wanted]
