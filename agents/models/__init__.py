"""airloop's model layer: every LLM call of the agents goes through here.

```python
model = get_model("auto")          # or "ollama:qwen2.5:7b", "llamacpp[:path.gguf]", "openai:<base>#<model>",
                                   #    "scripted:<file.jsonl>"
res = structured(model, Intent, messages, budget=budget)   # Ok(value, usage, attempts) | Failed(reason, raw, ...)
turn = chat_tools(model, messages, tool_specs, budget=budget)  # ToolTurn(content, tool_calls, usage)
budget = Budget(max_llm_calls=50, max_tokens=200_000, max_wall_s=600, max_sim_evals=400)
```
Neither call raises for model trouble: malformed output is repaired (validation errors sent back) and then scored as
``Failed``; backend errors, timeouts and exhausted budgets come back as ``Failed`` / ``ToolTurn.error`` with a reason.
Backends register with :func:`register_backend`; :func:`inventory` is what ``airloop models`` prints.
"""

from . import _llamacpp, _ollama, _openai, _scripted  # noqa: F401  (register the backends)
from ._base import (
    BackendInfo,
    ChatModel,
    check_spec,
    current_session,
    model_session,
    register_backend,
    registered_backends,
)
from ._budget import LIMITS, Budget
from ._cache import CallCache, open_cache
from ._llamacpp import (
    LlamaCppModel,
    adapter_manifest,
    embedded_model_loaded,
    embedded_model_path,
    file_digest,
    shipped_adapter,
    shipped_adapters,
    usable_cpus,
)
from ._ollama import OllamaModel
from ._openai import OpenAICompatModel
from ._schema import action_schema, pydantic_schema
from ._scripted import ScriptedModel
from ._select import get_model, inventory
from ._structured import chat_tools, structured, validate_answer
from ._types import (
    LLAMACPP_THREADS_ENV,
    ChatRequest,
    Completion,
    Failed,
    ModelConfig,
    ModelError,
    Ok,
    ToolTurn,
    Usage,
)

__all__ = [
    "LIMITS",
    "LLAMACPP_THREADS_ENV",
    "BackendInfo",
    "Budget",
    "CallCache",
    "ChatModel",
    "ChatRequest",
    "Completion",
    "Failed",
    "LlamaCppModel",
    "ModelConfig",
    "ModelError",
    "Ok",
    "OllamaModel",
    "OpenAICompatModel",
    "ScriptedModel",
    "ToolTurn",
    "Usage",
    "action_schema",
    "adapter_manifest",
    "chat_tools",
    "check_spec",
    "current_session",
    "embedded_model_loaded",
    "embedded_model_path",
    "file_digest",
    "get_model",
    "inventory",
    "model_session",
    "open_cache",
    "pydantic_schema",
    "register_backend",
    "registered_backends",
    "shipped_adapter",
    "shipped_adapters",
    "structured",
    "usable_cpus",
    "validate_answer",
]
