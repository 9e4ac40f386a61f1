"""The bandit's "no change" arm as a strategy: it proposes nothing, so the run applies nothing (approved as "nothing
needed" when the network already meets the intent); and the registration of the bandit's own arms."""

from __future__ import annotations

from typing import ClassVar

from pydantic import BaseModel

from ..strategies._base import OptimizeContext, Proposal, Strategy, register_strategy, strategy_names
from ..strategies._scoring import Scorer


class NoChange(Strategy):
    name: ClassVar[str] = "no-change"
    uses_llm: ClassVar[bool] = False
    description: ClassVar[str] = "propose nothing (the policy bandit's 'leave the network as it is' arm)"

    class Params(BaseModel, extra="forbid"):
        pass

    def propose(self, ctx: OptimizeContext) -> Proposal:
        return Scorer(ctx, max_evals=0).proposal(self.name, self.params, notes=["no change proposed (by design)"])


def register_policy_strategies() -> list[str]:
    """Register the bandit's own arms as strategies ("no-change", "rl-ppo"): done by the app (`airloop.tuning`) when
    it runs, not on import, since neither is a general-purpose optimizer (the conformance kit's "finds a gain where
    one exists" does not apply to them)."""
    from ._rl import RLPolicy

    for cls in (NoChange, RLPolicy):
        if cls.name not in strategy_names():
            register_strategy(cls)
    return [NoChange.name, RLPolicy.name]
