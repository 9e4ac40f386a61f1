"""airloop's agents: the model layer, intents and their reward, the planner, optimizer strategies, the verifier and
the LangGraph graph that ties them together.

```python
from airloop.agents import Intent, plan_intent, reward, verify, make_strategy, compile_graph
```
The model layer is `airloop.agents.models`; strategies are `airloop.agents.strategies`.
"""

from airloop.core import reward, reward_breakdown, violations

from . import env as _env  # noqa: F401  (registers the Gymnasium environment airloop/Network-v0)
from ._spread import kpi_spread, recommended_seeds, seeds_needed
from .evaluate import BudgetExhausted, Evaluation, Evaluator, representative_hours
from .graph import RunContext, RunState, build_graph, compile_graph, initial_state
from .intent import Constraint, Intent, Objective, intent_matches
from .judge import Assessment, ConstraintCheck, assess, assess_simulation
from .planner import PlanResult, plan_intent
from .strategies import OptimizeContext, Proposal, Strategy, make_strategy, register_strategy, strategy_names
from .verifier import Verdict, verify

__all__ = [
    "Assessment",
    "BudgetExhausted",
    "ConstraintCheck",
    "assess",
    "assess_simulation",
    "Constraint",
    "Evaluation",
    "Evaluator",
    "Intent",
    "Objective",
    "OptimizeContext",
    "PlanResult",
    "Proposal",
    "RunContext",
    "RunState",
    "Strategy",
    "Verdict",
    "build_graph",
    "compile_graph",
    "initial_state",
    "intent_matches",
    "kpi_spread",
    "make_strategy",
    "plan_intent",
    "recommended_seeds",
    "register_strategy",
    "representative_hours",
    "reward",
    "reward_breakdown",
    "seeds_needed",
    "strategy_names",
    "verify",
    "violations",
]
