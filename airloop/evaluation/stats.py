"""Statistics for paired evaluations: bootstrap confidence intervals, Wilson intervals, a paired sign-flip
permutation test and Holm's step-down correction.

Every function is pure and seeded: the same data and seed give the same interval, so a summary can be rebuilt from
its results bit for bit. Only numpy and scipy's normal distribution are used; the tests check the intervals against
`scipy.stats.bootstrap` and `scipy.stats.binomtest(...).proportion_ci(method="wilson")`.

    >>> wilson_interval(8, 10)                      # (0.4902, 0.9433)
    >>> bootstrap_ci([0.1, 0.3, 0.2, 0.5], "median", method="bca", seed=0)
    >>> sign_flip_test([0.1, 0.2, -0.05, 0.3])      # two-sided p for a zero mean difference
    >>> holm([0.01, 0.04, 0.03])                    # [0.03, 0.06, 0.06]
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence
from typing import Literal

import numpy as np
from scipy.special import ndtr, ndtri

__all__ = ["Statistic", "bootstrap_ci", "holm", "sign_flip_test", "wilson_interval"]

Statistic = Literal["mean", "median"] | Callable[[np.ndarray], np.ndarray]

#: Exact enumeration of the 2^n sign patterns up to this n (65,536 patterns); Monte Carlo above it.
EXACT_SIGN_FLIP_MAX_N = 16


def wilson_interval(successes: int, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson score interval for a binomial proportion (Wilson 1927; Newcombe 1998, method 3).

    centre = (p̂ + z²/2n) / (1 + z²/n),  half-width = z·sqrt(p̂(1−p̂)/n + z²/4n²) / (1 + z²/n), z = Φ⁻¹(1 − α/2).
    n = 0 gives (0, 1): no data, no information.
    """
    if n < 0 or not 0 <= successes <= n:
        raise ValueError(f"need 0 <= successes <= n, got successes={successes}, n={n}")
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must lie in (0, 1), got {confidence}")
    if n == 0:
        return 0.0, 1.0
    z = float(ndtri(0.5 + confidence / 2))
    p = successes / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    # Clamp the rounding dust at the ends (k = 0 or k = n give exactly 0 or 1 in exact arithmetic).
    return max(0.0, centre - half), min(1.0, centre + half)


def _stat_fn(statistic: Statistic) -> Callable[[np.ndarray], np.ndarray]:
    """A function of a (..., n) array that reduces the last axis."""
    if statistic == "mean":
        return lambda a: np.mean(a, axis=-1)
    if statistic == "median":
        return lambda a: np.median(a, axis=-1)
    if callable(statistic):
        return statistic
    raise ValueError(f"statistic must be 'mean', 'median' or a function of an array's last axis, got {statistic!r}")


def bootstrap_ci(data: Sequence[float] | np.ndarray, statistic: Statistic = "mean", *, confidence: float = 0.95,
                 n_resamples: int = 9999, method: Literal["percentile", "bca"] = "percentile",
                 seed: int = 0) -> tuple[float, float]:
    """Two-sided bootstrap confidence interval of `statistic` over one sample (for paired data: the deltas).

    ``percentile``: the α/2 and 1−α/2 quantiles of the resampled statistics (Efron & Tibshirani 1993, §13.3).
    ``bca``: bias-corrected and accelerated (Efron 1987; Efron & Tibshirani §14.3): bias z0 from the share of
    resampled statistics below the estimate (ties counted half, as scipy does) and acceleration from the jackknife.
    A sample whose values are all equal gives (value, value); an empty sample raises.
    """
    x = np.asarray(data, dtype=float).ravel()
    if x.size == 0:
        raise ValueError("bootstrap_ci needs at least one value")
    if not np.all(np.isfinite(x)):
        raise ValueError("bootstrap_ci got a NaN or infinite value; drop unavailable samples first")
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must lie in (0, 1), got {confidence}")
    if method not in ("percentile", "bca"):
        raise ValueError(f"method must be 'percentile' or 'bca', got {method!r}")
    fn = _stat_fn(statistic)
    theta_hat = float(fn(x))
    if np.all(x == x[0]):
        return theta_hat, theta_hat
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, x.size, size=(n_resamples, x.size))
    theta_b = np.asarray(fn(x[idx]), dtype=float)
    alpha = (1 - confidence) / 2
    if method == "percentile":
        lo, hi = np.percentile(theta_b, [100 * alpha, 100 * (1 - alpha)])
        return float(lo), float(hi)
    share_below = (np.sum(theta_b < theta_hat) + np.sum(theta_b <= theta_hat)) / (2 * theta_b.size)
    z0 = float(ndtri(share_below))
    jack = np.asarray(fn(np.stack([np.delete(x, i) for i in range(x.size)])), dtype=float)
    d = jack.mean() - jack
    denom = 6 * float(np.sum(d * d)) ** 1.5
    accel = float(np.sum(d ** 3)) / denom if denom > 0 else 0.0
    if not math.isfinite(z0):  # every resample on one side of the estimate: BCa is undefined, fall back
        lo, hi = np.percentile(theta_b, [100 * alpha, 100 * (1 - alpha)])
        return float(lo), float(hi)
    levels = []
    for z_a in (float(ndtri(alpha)), float(ndtri(1 - alpha))):
        levels.append(float(ndtr(z0 + (z0 + z_a) / (1 - accel * (z0 + z_a)))))
    lo, hi = np.percentile(theta_b, [100 * levels[0], 100 * levels[1]])
    return float(lo), float(hi)


def sign_flip_test(deltas: Sequence[float] | np.ndarray, *, n_permutations: int = 9999, seed: int = 0) -> float:
    """Two-sided p-value of a paired sign-flip permutation test that the mean difference is zero.

    Under the null each pair's difference is as likely to have either sign; the statistic is |mean(d)|. Up to
    `EXACT_SIGN_FLIP_MAX_N` pairs every sign pattern is enumerated (an exact p); above it `n_permutations` random
    patterns are drawn and p = (1 + #{|T*| ≥ |T|}) / (1 + n_permutations) (Phipson & Smyth 2010). All-zero or no
    differences give p = 1.
    """
    d = np.asarray(deltas, dtype=float).ravel()
    if d.size == 0 or np.all(d == 0):
        return 1.0
    observed = abs(float(d.mean()))
    tol = 1e-12 * max(1.0, observed)  # equal statistics up to rounding count as "at least as extreme"
    if d.size <= EXACT_SIGN_FLIP_MAX_N:
        signs = np.array(list(itertools.product((1.0, -1.0), repeat=d.size)))
        stats = np.abs(signs @ d) / d.size
        return float(np.mean(stats >= observed - tol))
    rng = np.random.default_rng(seed)
    signs = rng.choice((-1.0, 1.0), size=(n_permutations, d.size))
    stats = np.abs(signs @ d) / d.size
    return float((1 + np.sum(stats >= observed - tol)) / (1 + n_permutations))


def holm(pvalues: Sequence[float]) -> list[float]:
    """Holm's step-down adjusted p-values (Holm 1979), in the input's order.

    Sorted ascending, p_(i) is multiplied by (m − i + 1), then a running maximum keeps the adjusted values monotone,
    capped at 1. Rejecting where the adjusted p < α controls the family-wise error rate at α.
    """
    p = np.asarray(pvalues, dtype=float)
    m = p.size
    if m == 0:
        return []
    order = np.argsort(p, kind="stable")
    adjusted = np.minimum(1.0, np.maximum.accumulate((m - np.arange(m)) * p[order]))
    out = np.empty(m)
    out[order] = adjusted
    return [float(v) for v in out]
