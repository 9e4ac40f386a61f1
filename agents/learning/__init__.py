"""Learning across runs: versioned prompts refined with GEPA, demonstrations from verified runs, and a Thompson-
sampling bandit that picks the policy (strategy × prompt version × demonstrations, "no change", a PPO policy) per
context.

```python
from airloop.agents.learning import PromptStore, DemoStore, Bandit, Arm, context_of, run_tune, RuleProposer
```
Every store is one SQLite file with transactions (`StoreError` for a file it cannot use, which is left untouched).
The app wires them into runs (`airloop intent --strategy auto`, `airloop tune`, `airloop prompts`, `airloop policies`).
"""

from ._bandit import NO_CHANGE, Arm, Bandit, Choice, Posterior
from ._db import StoreError
from ._demos import DEMO_COMPONENTS, Demo, DemoStore, demo_overlay, plan_answer_from_changes
from ._features import HOUR_BANDS, Context, context_of, hour_band, intent_distance, objective_family
from ._gepa import (
    LIMIT_KEYS,
    BudgetStopper,
    Meter,
    RolloutCache,
    RolloutResult,
    TuneAdapter,
    TuneError,
    TuneResult,
    item_key,
    run_tune,
)
from ._nochange import NoChange, register_policy_strategies
from ._prompt_store import (
    COMPONENT_STRATEGY,
    COMPONENTS,
    SHIPPED,
    PromotionRefused,
    PromptStore,
    PromptVersion,
    check_placeholders,
    shipped_files,
    version_id,
)
from ._proposer import LLMProposer, Proposer, RuleProposer
from ._rl import RL_POLICY_ENV, RLPolicy, default_policy_path, train_ppo

__all__ = [
    "COMPONENTS",
    "COMPONENT_STRATEGY",
    "DEMO_COMPONENTS",
    "HOUR_BANDS",
    "LIMIT_KEYS",
    "NO_CHANGE",
    "NoChange",
    "RL_POLICY_ENV",
    "SHIPPED",
    "Arm",
    "Bandit",
    "BudgetStopper",
    "Choice",
    "Context",
    "Demo",
    "DemoStore",
    "LLMProposer",
    "Meter",
    "Posterior",
    "PromotionRefused",
    "PromptStore",
    "PromptVersion",
    "Proposer",
    "RLPolicy",
    "RolloutCache",
    "RolloutResult",
    "RuleProposer",
    "StoreError",
    "TuneAdapter",
    "TuneError",
    "TuneResult",
    "check_placeholders",
    "context_of",
    "default_policy_path",
    "demo_overlay",
    "hour_band",
    "intent_distance",
    "item_key",
    "objective_family",
    "plan_answer_from_changes",
    "register_policy_strategies",
    "run_tune",
    "shipped_files",
    "train_ppo",
    "version_id",
]
