"""Input checks shared by the pure radio models: one error format for NaN, inf and out-of-range values."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from .types import InvalidParameterError

FloatArray = npt.NDArray[np.float64]


def finite(
    name: str, value: npt.ArrayLike, unit: str, *, lo: float | None = None, hi: float | None = None, what: str = ""
) -> FloatArray:
    """``value`` as a float array; raise InvalidParameterError on NaN/inf or values outside [lo, hi]."""
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise InvalidParameterError(
            f"{name} must be a number or an array of numbers in {unit}; got {value!r}.", field=name, value=value
        ) from exc
    bad = ~np.isfinite(arr)
    if lo is not None:
        bad |= arr < lo
    if hi is not None:
        bad |= arr > hi
    if np.any(bad):
        first = arr[bad].flat[0] if arr.ndim else float(arr)
        rng_txt = f"[{'-inf' if lo is None else lo}, {'inf' if hi is None else hi}] {unit}"
        raise InvalidParameterError(
            f"{name} must be finite and within {rng_txt}{what}; got {first!r} "
            f"({int(np.count_nonzero(bad))} of {arr.size} values out of range). Fix the input before calling.",
            field=name,
            value=float(first),
            allowed=[lo, hi],
        )
    return arr
