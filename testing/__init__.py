"""Conformance kits for airloop's plug-ins, installed with the package (Gymnasium's ``env_checker`` habit).

```python
from airloop.testing import check_strategy, check_model_backend

check_strategy("heuristic")                       # any registered name, or a Strategy class (registered or not)
check_strategy("hybrid", model=lambda: get_model("scripted:plan.jsonl"))
check_model_backend(scripted_harness())           # or a ChatModel / spec (real: scripted checks are skipped)
```
Each is a plain function: it raises `AssertionError` naming the likely cause, or returns a `CheckReport` of the
checks passed and skipped. airloop's own tests run them over every registered strategy and backend.
"""

from ._model import (
    GOOD,
    KIT_CONFIG,
    MESSAGES,
    MODEL_CHECKS,
    TOOLS,
    BackendHarness,
    Verdict,
    check_model_backend,
    scripted_harness,
)
from ._report import CheckReport
from ._strategy import (
    DEFAULT_SCENARIO,
    GAIN_INTENT,
    GARBAGE_ANSWERS,
    STRATEGY_CHECKS,
    THROUGHPUT_INTENT,
    Situation,
    check_strategy,
    garbage_model,
    make_situation,
)

__all__ = [
    "DEFAULT_SCENARIO",
    "GAIN_INTENT",
    "GARBAGE_ANSWERS",
    "GOOD",
    "KIT_CONFIG",
    "MESSAGES",
    "MODEL_CHECKS",
    "STRATEGY_CHECKS",
    "THROUGHPUT_INTENT",
    "TOOLS",
    "BackendHarness",
    "CheckReport",
    "Situation",
    "Verdict",
    "check_model_backend",
    "check_strategy",
    "garbage_model",
    "make_situation",
    "scripted_harness",
]
