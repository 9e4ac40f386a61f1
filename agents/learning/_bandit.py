"""Policy selection: Thompson sampling per context over arms (strategy × prompt version × demonstration set, a
"no change" arm and an RL policy arm), on the verified reward, persisted in SQLite.

Each (context, arm) has a Normal-Gamma posterior over the arm's mean reward (rewards are real numbers: the judge's R,
0 for nothing applied). A choice draws one mean per arm and takes the largest. With ``pool > 0`` an arm's prior mean
is its mean in the other contexts, worth up to ``pool`` observations (what one context learnt helps the next).

Every choice and update is a row: the draw is seeded by (seed, context, number of choices made in that context), so
the same history gives the same choice in any process; `Bandit.choose` logs the posterior it chose from.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from ._db import open_store

__all__ = ["NO_CHANGE", "Arm", "Bandit", "Choice", "Posterior"]

NO_CHANGE = "no-change"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS arms (id TEXT PRIMARY KEY, spec TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS stats (context TEXT NOT NULL, arm TEXT NOT NULL REFERENCES arms(id), n INTEGER NOT NULL,
    sum REAL NOT NULL, sumsq REAL NOT NULL, PRIMARY KEY (context, arm));
CREATE TABLE IF NOT EXISTS choices (id INTEGER PRIMARY KEY AUTOINCREMENT, time TEXT NOT NULL, context TEXT NOT NULL,
    arm TEXT NOT NULL, run TEXT, posterior TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS rewards (id INTEGER PRIMARY KEY AUTOINCREMENT, time TEXT NOT NULL, context TEXT NOT NULL,
    arm TEXT NOT NULL, run TEXT, reward REAL NOT NULL)
"""


@dataclass(frozen=True)
class Arm:
    """One policy: a strategy with its parameters, a prompt version (``shipped``, ``active`` or an id) and whether
    demonstrations are drawn into its prompts. `NO_CHANGE` applies nothing."""

    strategy: str
    params: dict[str, Any] = field(default_factory=dict)
    prompts: str = "shipped"
    demos: bool = False

    @property
    def id(self) -> str:
        if self.strategy == NO_CHANGE:
            return NO_CHANGE
        p = "" if not self.params else "(" + ",".join(f"{k}={v}" for k, v in sorted(self.params.items())) + ")"
        return f"{self.strategy}{p}@{self.prompts}" + ("+demos" if self.demos else "")

    def spec(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Posterior:
    arm: str
    n: int
    mean: float  # posterior mean of the arm's mean reward
    sd: float  # posterior sd of that mean (inf before enough data)
    observed_mean: float | None  # the plain average of the rewards seen (None: never pulled here)


@dataclass(frozen=True)
class Choice:
    context: str
    arm: Arm
    draws: dict[str, float]
    posterior: list[Posterior]
    index: int  # the number of choices made in this context before this one

    def log(self) -> dict[str, Any]:
        return {"context": self.context, "arm": self.arm.id, "spec": self.arm.spec(), "index": self.index,
                "draws": {k: round(v, 6) for k, v in self.draws.items()},
                "posterior": [asdict(p) for p in self.posterior]}


def _stable(text: str) -> int:
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "little")


class Bandit:
    """Thompson sampling over `Arm`s per context. ``prior_mean``, ``prior_strength`` (kappa0), ``prior_shape``
    (alpha0) and ``prior_scale`` (beta0: the prior's guess at the reward variance times alpha0) set the
    Normal-Gamma prior; ``pool`` the weight of the other contexts' mean as an arm's prior."""

    def __init__(self, path: str | Path, *, seed: int = 0, prior_mean: float = 0.0, prior_strength: float = 1.0,
                 prior_shape: float = 1.0, prior_scale: float = 0.003, pool: float = 4.0) -> None:
        self.path = Path(path)
        self.seed = int(seed)
        self.mu0, self.kappa0, self.alpha0, self.beta0 = prior_mean, prior_strength, prior_shape, prior_scale
        self.pool = pool
        self._conn = open_store(self.path, "bandit", _SCHEMA)

    def close(self) -> None:
        self._conn.close()

    # ------------------------------------------------------------------------------------------------ arms
    def register(self, arms: Sequence[Arm]) -> None:
        self._conn.execute("BEGIN IMMEDIATE")
        for a in arms:
            self._conn.execute("INSERT OR IGNORE INTO arms VALUES (?, ?)", (a.id, json.dumps(a.spec())))
        self._conn.execute("COMMIT")

    def arms(self) -> list[Arm]:
        return [Arm(**json.loads(s)) for _, s in self._conn.execute("SELECT id, spec FROM arms ORDER BY id")]

    def contexts(self) -> list[str]:
        return [r[0] for r in self._conn.execute("SELECT DISTINCT context FROM stats UNION "
                                                 "SELECT DISTINCT context FROM choices ORDER BY 1")]

    # ------------------------------------------------------------------------------------------------ posterior
    def _stats(self, context: str) -> dict[str, tuple[int, float, float]]:
        return {a: (n, s, q) for a, n, s, q in
                self._conn.execute("SELECT arm, n, sum, sumsq FROM stats WHERE context = ?", (context,))}

    def _others(self, context: str) -> dict[str, tuple[int, float, float]]:
        return {a: (n, s, q) for a, n, s, q in self._conn.execute(
            "SELECT arm, SUM(n), SUM(sum), SUM(sumsq) FROM stats WHERE context != ? GROUP BY arm", (context,))}

    def _params(self, arm: str, stats: dict[str, tuple[int, float, float]],
                others: dict[str, tuple[int, float, float]]
                ) -> tuple[float, float, float, float, int, float | None]:
        mu0, kappa0, alpha0, beta0 = self.mu0, self.kappa0, self.alpha0, self.beta0
        if self.pool > 0 and arm in others and others[arm][0] > 0:
            # The other contexts' rewards of this arm, worth at most `pool` observations: the prior's mean and (in
            # the same proportion) its variance, so an arm that did badly everywhere is not explored afresh.
            n_o, s_o, q_o = others[arm]
            w = min(float(n_o), self.pool)
            m_o = s_o / n_o
            mu0, kappa0 = m_o, w
            alpha0 = self.alpha0 + w / 2
            beta0 = self.beta0 + 0.5 * (w / n_o) * max(q_o - n_o * m_o * m_o, 0.0)
        n, s, q = stats.get(arm, (0, 0.0, 0.0))
        if n == 0:
            return mu0, kappa0, alpha0, beta0, 0, None
        xbar = s / n
        ss = max(q - n * xbar * xbar, 0.0)
        kappa = kappa0 + n
        mu = (kappa0 * mu0 + s) / kappa
        alpha = alpha0 + n / 2
        beta = beta0 + 0.5 * ss + kappa0 * n * (xbar - mu0) ** 2 / (2 * kappa)
        return mu, kappa, alpha, beta, n, xbar

    def posterior(self, context: str, arms: Sequence[Arm] | None = None) -> list[Posterior]:
        arms = list(arms) if arms is not None else self.arms()
        stats, others = self._stats(context), self._others(context)
        out = []
        for a in arms:
            mu, kappa, alpha, beta, n, xbar = self._params(a.id, stats, others)
            sd = math.sqrt(beta / ((alpha - 1) * kappa)) if alpha > 1 else math.inf
            out.append(Posterior(a.id, n, mu, sd, xbar))
        return out

    # ------------------------------------------------------------------------------------------------ act
    def choose(self, context: str, arms: Sequence[Arm] | None = None, *, run: str | None = None) -> Choice:
        """Draw a mean for every arm from its posterior and take the largest (ties: the first in `arms`)."""
        arms = list(arms) if arms is not None else self.arms()
        if not arms:
            raise ValueError("the bandit has no arms to choose from; register some first")
        self.register(arms)
        index = int(self._conn.execute("SELECT COUNT(*) FROM choices WHERE context = ?", (context,)).fetchone()[0])
        rng = np.random.default_rng([self.seed, _stable(context), index])
        stats, others = self._stats(context), self._others(context)
        draws: dict[str, float] = {}
        for a in arms:
            mu, kappa, alpha, beta, _, _ = self._params(a.id, stats, others)
            tau = rng.gamma(alpha, 1.0 / beta)
            draws[a.id] = float(rng.normal(mu, 1.0 / math.sqrt(kappa * tau)))
        best = max(arms, key=lambda a: draws[a.id])
        choice = Choice(context, best, draws, self.posterior(context, arms), index)
        self._conn.execute("BEGIN IMMEDIATE")
        self._conn.execute("INSERT INTO choices (time, context, arm, run, posterior) VALUES (?,?,?,?,?)",
                           (_now(), context, best.id, run, json.dumps(choice.log())))
        self._conn.execute("COMMIT")
        return choice

    def update(self, context: str, arm: Arm | str, reward: float, *, run: str | None = None) -> None:
        """Record a verified reward for an arm in a context."""
        arm_id = arm.id if isinstance(arm, Arm) else arm
        if not math.isfinite(reward):
            raise ValueError(f"reward {reward!r} is not a finite number")
        self._conn.execute("BEGIN IMMEDIATE")
        try:
            if isinstance(arm, Arm):
                self._conn.execute("INSERT OR IGNORE INTO arms VALUES (?, ?)", (arm.id, json.dumps(arm.spec())))
            elif self._conn.execute("SELECT 1 FROM arms WHERE id = ?", (arm_id,)).fetchone() is None:
                raise ValueError(f"unknown arm {arm_id!r}")
            self._conn.execute(
                "INSERT INTO stats VALUES (?, ?, 1, ?, ?) ON CONFLICT (context, arm) DO UPDATE SET n = n + 1, "
                "sum = sum + excluded.sum, sumsq = sumsq + excluded.sumsq",
                (context, arm_id, float(reward), float(reward) ** 2))
            self._conn.execute("INSERT INTO rewards (time, context, arm, run, reward) VALUES (?,?,?,?,?)",
                               (_now(), context, arm_id, run, float(reward)))
            self._conn.execute("COMMIT")
        except BaseException:
            self._conn.execute("ROLLBACK")
            raise

    def best(self, context: str, arms: Sequence[Arm] | None = None) -> Posterior:
        """The arm with the highest posterior mean (pulled arms before unpulled ones)."""
        post = self.posterior(context, arms)
        return max(post, key=lambda p: (p.n > 0, p.mean))

    def table(self) -> list[dict[str, Any]]:
        """Every context's arms with pulls and posterior (what `airloop policies` shows)."""
        arms = self.arms()
        out = []
        for ctx in self.contexts():
            for p in self.posterior(ctx, arms):
                out.append({"context": ctx, **asdict(p)})
        return out

    def choices(self, limit: int = 20) -> list[dict[str, Any]]:
        rows = self._conn.execute("SELECT time, context, arm, run, posterior FROM choices ORDER BY id DESC LIMIT ?",
                                  (limit,)).fetchall()
        return [{"time": t, "context": c, "arm": a, "run": r, "log": json.loads(p)} for t, c, a, r, p in rows]


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
