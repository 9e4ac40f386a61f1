"""Choosing a model: :func:`get_model` (spec strings, ``auto``) and :func:`inventory` (what ``airloop models`` shows)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from ._base import ChatModel, build, registered_backends
from ._llamacpp import (
    LlamaCppModel,
    _draft_formats,
    adapter_manifest,
    auto_n_ctx,
    embedded_model_path,
    embedded_unavailable,
    llama_cpp_missing,
    repack_default,
    shipped_adapter,
    shipped_adapters,
)
from ._ollama import OllamaModel, full_name, list_models, normalize_host
from ._types import ModelConfig, ModelError

log = logging.getLogger("airloop.agents.models")


def get_model(spec: str = "auto", *, config: ModelConfig | None = None) -> ChatModel:
    """Build the model a spec names.

    Specs: ``auto``; ``ollama:<model>``; ``llamacpp`` or ``llamacpp:<path.gguf>``; ``openai:<base_url>#<model>``;
    ``scripted:<file.jsonl>``. ``auto`` uses Ollama at ``OLLAMA_HOST`` with ``config.ollama_model`` when the server
    answers within ``config.probe_timeout_s`` and has the model, else the embedded model; ``model.picked_because``
    and ``describe()["picked_because"]`` say why. Raises :class:`ModelError` (with a hint) for a bad spec or when
    ``auto`` finds nothing that can run.
    """
    config = config or ModelConfig.from_env()
    spec = spec.strip() or "auto"
    if spec == "auto":
        return _auto(config)
    return build(spec, config)


def _probe_ollama(config: ModelConfig) -> tuple[list[dict[str, Any]] | None, str | None]:
    host = normalize_host(config.ollama_host)
    try:
        return list_models(host, timeout_s=config.probe_timeout_s), None
    except ModelError as e:
        return None, e.message


def _auto(config: ModelConfig,
          probe: tuple[list[dict[str, Any]] | None, str | None] | None = None) -> ChatModel:
    host = normalize_host(config.ollama_host)
    models, error = probe or _probe_ollama(config)
    wanted = full_name(config.ollama_model)
    chosen: ChatModel | None = None
    if models is not None and any(full_name(m["name"] or "") == wanted for m in models):
        chosen = OllamaModel.from_spec(config.ollama_model, config)
        try:
            chosen.preflight()  # digest and capabilities for describe(); cheap once the server answered
            chosen.picked_because = f"Ollama at {host} answers and has {config.ollama_model}"
        except ModelError as e:
            chosen, error, models = None, e.message, None
    if chosen is not None:
        model = chosen
    else:
        if models is None:
            why_not = f"{error}, probe timeout {config.probe_timeout_s:g}s"
        else:
            why_not = (f"Ollama at {host} answers but {config.ollama_model} is not pulled "
                       f"(`ollama pull {config.ollama_model}` to use it)")
        if problem := embedded_unavailable(config):
            raise ModelError("not_installed", f"no model can run here: {why_not}; and the embedded model is "
                             f"unavailable: {problem}", hint="start Ollama, or install airloop[local]")
        model = LlamaCppModel.from_spec("", config)
        model.picked_because = f"{why_not}; using the embedded model {model.name}"
    log.info("auto picked %s: %s", model.spec, model.picked_because)
    return model


def inventory(config: ModelConfig | None = None) -> dict[str, Any]:
    """What can run here, as JSON-ready data: the Ollama server and its models, the embedded model, configured
    endpoints, the registered backends, and what ``auto`` would pick (and why). Never raises."""
    config = config or ModelConfig.from_env()
    host = normalize_host(config.ollama_host)
    models, error = _probe_ollama(config)
    ollama: dict[str, Any] = {"host": host, "reachable": models is not None, "configured_model": config.ollama_model,
                              "num_ctx": config.num_ctx}
    if models is None:
        ollama["error"] = error
        ollama["hint"] = "start it with `ollama serve`, or point OLLAMA_HOST at a running server"
    else:
        ollama["models"] = models
        ollama["has_configured_model"] = any(full_name(m["name"] or "") == full_name(config.ollama_model)
                                             for m in models)

    path = Path(config.llamacpp_path) if config.llamacpp_path else embedded_model_path()
    embedded: dict[str, Any] = {
        "path": str(path) if path else None,
        "exists": bool(path and path.is_file()),
        "size_bytes": path.stat().st_size if path and path.is_file() else None,
        "llama_cpp_importable": llama_cpp_missing() is None,
        "llama_cpp_version": _version("llama_cpp_python") if llama_cpp_missing() is None else None,
        "weight_repack": repack_default() if config.llamacpp_repack is None else config.llamacpp_repack,
        "n_ctx": config.llamacpp_n_ctx or (auto_n_ctx(path) if path and path.is_file() else None),
        "problem": embedded_unavailable(config),
        "adapter": _adapter_entry(path if path and path.is_file() else None),
        "adapters": _adapter_entries(path if path and path.is_file() else None),
    }

    endpoints = []
    for spec in config.endpoints:
        entry: dict[str, Any] = {"spec": spec}
        try:
            m = build(spec, config)
            m.preflight()
            entry["reachable"] = True
        except ModelError as e:
            entry["reachable"] = False
            entry["error"] = str(e)
        except Exception as e:  # inventory never raises
            entry["reachable"] = False
            entry["error"] = f"{type(e).__name__}: {e}"
        endpoints.append(entry)

    try:
        picked = _auto(config, (models, error))
        auto = {"spec": picked.spec, "backend": picked.backend, "name": picked.name, "why": picked.picked_because}
    except ModelError as e:
        auto = {"spec": None, "why": str(e)}

    backends = {p: {"example": i.example, "summary": i.summary} for p, i in registered_backends().items()}
    return {"ollama": ollama, "embedded": embedded, "endpoints": endpoints, "auto": auto, "backends": backends,
            "cache_path": config.cache_path}


def _adapter_entries(base: Path | None) -> list[dict[str, Any]]:
    """Every adapter shipped for ``base`` (``llamacpp`` loads them all, each for its own task's calls), summarized."""
    return [_summary(a) for a in shipped_adapters(base)] if base is not None else []


def _adapter_entry(base: Path | None) -> dict[str, Any] | None:
    """The shipped planner adapter for ``base`` (what ``llamacpp`` loads and ``llamacpp:tuned`` requires), summarized;
    None when none fits."""
    adapter = shipped_adapter(base) if base is not None else None
    return None if adapter is None else _summary(adapter)


def _summary(adapter: Path) -> dict[str, Any]:
    m = adapter_manifest(adapter)
    return {"path": str(adapter), "size_bytes": adapter.stat().st_size, "tasks": m.get("tasks"),
            "method": m.get("method"), "steps": m.get("steps"),
            # a run started from an earlier one (--init) counts its parents' steps too
            "total_steps": m.get("total_steps") or m.get("steps"), "rows": (m.get("data") or {}).get("rows"),
            "created": m.get("created"), "spec": "llamacpp:tuned",
            # how it writes the answers where there is a choice (the planner's hours: "spans" or the list)
            "draft_formats": _draft_formats(m, m.get("tasks") or [])}


def _version(dist: str) -> str | None:
    from importlib import metadata

    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return None
