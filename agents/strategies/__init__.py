"""Optimizer strategies: registered plug-ins that propose policy-valid `CellChange`s for an `Intent`.

Baselines without an LLM: ``random``, ``optuna`` (the oracle at a large budget) and ``heuristic``. LLM strategies:
``llm-direct`` (one structured call), ``llm-react`` (a tool-calling loop) and ``hybrid`` (the LLM picks a plan of
structured moves, optuna tunes its few parameters). Importing this package registers all of them.

```python
strategy = make_strategy("hybrid", max_evals=60)
proposal = strategy.propose(OptimizeContext(intent, session, evaluator, budget, model=model))
```
"""

from . import _heuristic, _hybrid, _llm_direct, _react, _search  # noqa: F401  (register the strategies)
from ._base import (
    OptimizeContext,
    Proposal,
    Strategy,
    StrategyFactory,
    StrategyParamError,
    make_strategy,
    register_strategy,
    strategy_class,
    strategy_names,
)
from ._plan import (
    DEFAULT_PLAN_TABLE,
    FAMILY_KNOBS,
    Move,
    Plan,
    TuneResult,
    default_plan,
    objective_family,
    polish,
    tune,
)
from ._scoring import Margins, Scorer, SearchStopped, margins_for
from ._space import RANK_RULES, CellSpace, SearchSpace, project_shares

__all__ = [
    "DEFAULT_PLAN_TABLE",
    "FAMILY_KNOBS",
    "RANK_RULES",
    "CellSpace",
    "Margins",
    "Move",
    "OptimizeContext",
    "Plan",
    "Proposal",
    "Scorer",
    "SearchSpace",
    "SearchStopped",
    "Strategy",
    "TuneResult",
    "StrategyFactory",
    "StrategyParamError",
    "default_plan",
    "make_strategy",
    "margins_for",
    "objective_family",
    "polish",
    "project_shares",
    "register_strategy",
    "strategy_class",
    "strategy_names",
    "tune",
]
