"""User mobility: static, random waypoint and random direction, with a speed per user class.

Indoor users are static (their speed is 0). Moving users walk or drive at their class speed; with wrap-around a
user leaving the cluster re-enters from the opposite side, otherwise random direction turns around at the edge.
"""

from __future__ import annotations

import numpy as np

from ._radio import UserState
from .layout import Layout, sample_in_hexagon

MOBILITY_MODELS = ("static", "random_waypoint", "random_direction")


def _new_waypoints(rng: np.random.Generator, layout: Layout, n: int) -> np.ndarray:
    owners = rng.integers(0, layout.n_macro_sites, size=n)
    return layout.site_xy_m[owners] + sample_in_hexagon(rng, n, layout.isd_m)


def move_users(rng: np.random.Generator, users: UserState, layout: Layout, model: str, step_s: float) -> bool:
    """Advance moving users by one step of `step_s` seconds, in place. Returns False when nobody moves."""
    if model == "static":
        return False
    moving = np.flatnonzero(users.speed_mps > 0)
    if moving.size == 0:
        return False
    xy = users.xy_m[moving]
    dist = users.speed_mps[moving] * step_s
    if model == "random_waypoint":
        to = users.waypoint_m[moving] - xy
        remaining = np.hypot(to[:, 0], to[:, 1])
        arrive = remaining <= dist
        frac = np.divide(dist, remaining, out=np.ones_like(dist), where=remaining > 0)
        new_xy = np.where(arrive[:, None], users.waypoint_m[moving], xy + to * frac[:, None])
        if arrive.any():
            users.waypoint_m[moving[arrive]] = _new_waypoints(rng, layout, int(arrive.sum()))
    elif model == "random_direction":
        head = users.heading_rad[moving]
        new_xy = xy + np.stack([np.cos(head), np.sin(head)], axis=1) * dist[:, None]
        if not layout.wrap_around:
            out = ~layout.inside(new_xy)
            if out.any():
                # Turn around at the edge: stay this step and pick a new heading.
                new_xy[out] = xy[out]
                users.heading_rad[moving[out]] = rng.uniform(0.0, 2 * np.pi, size=int(out.sum()))
    else:
        raise ValueError(f"mobility model {model!r}: choose one of {MOBILITY_MODELS}")
    users.xy_m[moving] = layout.wrap_positions(new_xy)
    return True
