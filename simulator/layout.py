"""Network layout: hexagonal macro sites with three sectors, wrap-around, small cells, and user drops.

Geometry follows the 3GPP system-level convention (TR 38.901 §7.8 / TR 36.814 Annex A.2.1.1): sites on a hexagonal
grid with inter-site distance `isd_m`, three sectors per site with boresights 30°, 150° and 270°, and wrap-around by
six images of the whole cluster so that every cell sees a full ring of interferers.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

SECTOR_BORESIGHT_DEG = (30.0, 150.0, 270.0)
_SQRT3 = float(np.sqrt(3.0))


def hex_site_positions_m(n_sites: int, isd_m: float) -> np.ndarray:
    """Site centres, (n_sites, 2), for 1, 7 or 19 sites: the centre, then ring 1, then ring 2."""
    rings = {1: 0, 7: 1, 19: 2}
    if n_sites not in rings:
        raise ValueError(f"n_sites={n_sites}: hexagonal layouts have 1, 7 or 19 sites")
    axial = [(q, r) for q in range(-2, 3) for r in range(-2, 3) if max(abs(q), abs(r), abs(q + r)) <= rings[n_sites]]
    axial.sort(key=lambda qr: (max(abs(qr[0]), abs(qr[1]), abs(qr[0] + qr[1])), np.arctan2(*_axial_xy(*qr)[::-1])))
    return np.array([_axial_xy(q, r) for q, r in axial]) * isd_m


def _axial_xy(q: float, r: float) -> tuple[float, float]:
    return (q + r / 2.0, r * _SQRT3 / 2.0)


def wrap_shifts_m(n_sites: int, isd_m: float) -> np.ndarray:
    """The 7 image offsets (the cluster itself first) for wrap-around, (7, 2).

    A hexagonal cluster of N = i² + ij + j² sites tiles the plane by the six 60° rotations of the axial vector (i, j):
    (3, 2) for 19 sites, (2, 1) for 7 sites. The repeat distance is sqrt(N)·ISD.
    """
    ij = {7: (2, 1), 19: (3, 2)}
    if n_sites not in ij:
        return np.zeros((1, 2))
    base = np.array(_axial_xy(*ij[n_sites])) * isd_m
    angles = np.deg2rad(60.0 * np.arange(6))
    rot = np.stack(
        [base[0] * np.cos(angles) - base[1] * np.sin(angles), base[0] * np.sin(angles) + base[1] * np.cos(angles)],
        axis=1,
    )
    return np.vstack([np.zeros((1, 2)), rot])


def in_hexagon(dx_m: np.ndarray, dy_m: np.ndarray, isd_m: float) -> np.ndarray:
    """True where (dx, dy) lies in the pointy-topped hexagonal site area of a site at the origin.

    A site's area is the Voronoi cell of the site grid: a hexagon with apothem ISD/2 whose flat sides face the
    six neighbouring sites.
    """
    apothem = isd_m / 2.0
    ang = np.deg2rad(np.array([0.0, 60.0, 120.0]))
    proj = np.abs(dx_m[..., None] * np.cos(ang) + dy_m[..., None] * np.sin(ang))
    return np.all(proj <= apothem, axis=-1)


@dataclass(frozen=True)
class Layout:
    """Fixed geometry: transmission points ("sites": macro sites and small cells) and cells.

    Small cells are single-cell sites with an omnidirectional antenna, so the per-site arrays cover both.
    """

    isd_m: float
    n_macro_sites: int
    site_xy_m: np.ndarray  # (n_sites, 2)
    site_height_m: np.ndarray  # (n_sites,)
    site_is_micro: np.ndarray  # (n_sites,) bool
    cell_site: np.ndarray  # (n_cells,) int
    cell_sector: np.ndarray  # (n_cells,) int, 0..2 for macro, 0 for micro
    cell_azimuth_deg: np.ndarray  # (n_cells,) boresight, NaN for omni
    cell_is_micro: np.ndarray  # (n_cells,) bool
    wrap_shifts_m: np.ndarray  # (n_images, 2)
    hotspot_xy_m: np.ndarray  # (n_hotspots, 2)

    @property
    def n_sites(self) -> int:
        return int(self.site_xy_m.shape[0])

    @property
    def n_cells(self) -> int:
        return int(self.cell_site.shape[0])

    @property
    def wrap_around(self) -> bool:
        return self.wrap_shifts_m.shape[0] > 1

    def wrap_positions(self, xy_m: np.ndarray) -> np.ndarray:
        """Map points back into the cluster by the nearest image shift (identity without wrap-around)."""
        if not self.wrap_around:
            return xy_m
        # The nearest lattice point of the cluster tiling is the image whose shift is closest to the point.
        # x and y kept apart (numpy reduces a trailing axis of length 2 slowly); dx² + dy² is that sum exactly.
        dx = xy_m[:, 0, None] - self.wrap_shifts_m[None, :, 0]
        dy = xy_m[:, 1, None] - self.wrap_shifts_m[None, :, 1]
        return xy_m - self.wrap_shifts_m[np.argmin(dx * dx + dy * dy, axis=1)]

    def inside(self, xy_m: np.ndarray) -> np.ndarray:
        """True for points inside the union of the macro sites' hexagons."""
        macro = self.site_xy_m[: self.n_macro_sites]
        d = xy_m[:, None, :] - macro[None, :, :]
        nearest = np.argmin((d**2).sum(-1), axis=1)
        rel = xy_m - macro[nearest]
        return in_hexagon(rel[:, 0], rel[:, 1], self.isd_m)


def build_layout(
    rng: np.random.Generator,
    *,
    n_sites: int,
    isd_m: float,
    h_bs_m: float,
    wrap_around: bool,
    small_cells_per_site: int = 0,
    h_small_cell_m: float = 10.0,
    small_cell_min_dist_m: float = 75.0,
) -> Layout:
    """Build the macro grid and drop `small_cells_per_site` micro cells per macro site (hotspots).

    Small cells are dropped uniformly in each macro site's hexagon at least `small_cell_min_dist_m` from the macro
    site (TR 36.872 §A.2: pico drop ≥ 75 m from the macro), and each marks a hotspot for user clustering.
    """
    macro_xy = hex_site_positions_m(n_sites, isd_m)
    hotspots = np.zeros((0, 2))
    if small_cells_per_site > 0:
        n_small = n_sites * small_cells_per_site
        owners = np.repeat(np.arange(n_sites), small_cells_per_site)
        rel = sample_in_hexagon(rng, n_small, isd_m, min_dist_m=small_cell_min_dist_m)
        hotspots = macro_xy[owners] + rel
    site_xy = np.vstack([macro_xy, hotspots])
    n_all = site_xy.shape[0]
    site_is_micro = np.arange(n_all) >= n_sites
    site_height = np.where(site_is_micro, h_small_cell_m, h_bs_m)

    macro_cells_site = np.repeat(np.arange(n_sites), 3)
    cell_site = np.concatenate([macro_cells_site, np.arange(n_sites, n_all)])
    cell_sector = np.concatenate([np.tile(np.arange(3), n_sites), np.zeros(n_all - n_sites, dtype=int)])
    cell_az = np.concatenate([np.tile(SECTOR_BORESIGHT_DEG, n_sites), np.full(n_all - n_sites, np.nan)])
    return Layout(
        isd_m=isd_m,
        n_macro_sites=n_sites,
        site_xy_m=site_xy,
        site_height_m=site_height,
        site_is_micro=site_is_micro,
        cell_site=cell_site,
        cell_sector=cell_sector,
        cell_azimuth_deg=cell_az,
        cell_is_micro=site_is_micro[cell_site],
        wrap_shifts_m=wrap_shifts_m(n_sites, isd_m) if wrap_around else np.zeros((1, 2)),
        hotspot_xy_m=hotspots,
    )


def sample_in_hexagon(rng: np.random.Generator, n: int, isd_m: float, *, min_dist_m: float = 0.0) -> np.ndarray:
    """`n` points uniform in a site hexagon centred at the origin, at least `min_dist_m` from the centre."""
    out = np.empty((0, 2))
    r = isd_m / _SQRT3  # circumradius of the hexagon with apothem ISD/2
    while out.shape[0] < n:
        m = 2 * (n - out.shape[0]) + 16
        cand = rng.uniform(-r, r, size=(m, 2))
        ok = in_hexagon(cand[:, 0], cand[:, 1], isd_m) & (np.hypot(cand[:, 0], cand[:, 1]) >= min_dist_m)
        out = np.vstack([out, cand[ok]])
    return out[:n]


def drop_users(
    rng: np.random.Generator,
    layout: Layout,
    n_ues: int,
    *,
    min_dist_m: float,
    hotspot_share: float = 0.0,
    hotspot_radius_m: float = 40.0,
) -> np.ndarray:
    """Drop users uniformly over the macro sites' area (TR 38.901 Table 7.8-1: uniform UT distribution), with a
    share clustered around the small-cell hotspots (TR 36.872 §A.2.1: 2/3 of users within 40 m of a small cell).

    Users keep at least `min_dist_m` 2D distance from every site (Table 7.8-1: 35 m UMa, 10 m UMi).
    """
    n_hot = int(round(hotspot_share * n_ues)) if layout.hotspot_xy_m.shape[0] else 0
    xy = np.empty((0, 2))
    owners = rng.integers(0, layout.n_macro_sites, size=n_ues - n_hot)
    xy_uniform = layout.site_xy_m[owners] + sample_in_hexagon(rng, n_ues - n_hot, layout.isd_m, min_dist_m=min_dist_m)
    xy = xy_uniform
    if n_hot:
        hs = rng.integers(0, layout.hotspot_xy_m.shape[0], size=n_hot)
        radius = hotspot_radius_m * np.sqrt(rng.uniform(0.0, 1.0, n_hot))
        ang = rng.uniform(0.0, 2 * np.pi, n_hot)
        offs = np.stack([radius * np.cos(ang), radius * np.sin(ang)], axis=1)
        # Keep hotspot users off the small-cell mast itself (same minimum distance rule).
        short = np.hypot(offs[:, 0], offs[:, 1]) < min_dist_m
        offs[short] *= (min_dist_m / np.maximum(np.hypot(offs[short, 0], offs[short, 1]), 1e-9))[:, None]
        xy = np.vstack([xy, layout.hotspot_xy_m[hs] + offs])
    return layout.wrap_positions(xy)
