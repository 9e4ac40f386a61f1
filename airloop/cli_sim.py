"""`airloop sim`: run a scenario and print its KPIs (optionally draw the map and CDFs)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from airloop.simulator import KPI_NAMES, KPI_UNITS, Network, SimulatorError, list_scenarios

console = Console()


def _fmt(v: float) -> str:
    return f"{v:,.4g}" if abs(v) < 1e4 else f"{v:,.0f}"


def kpi_table(title: str, columns: dict[str, Any]) -> Table:
    """A rich table with one row per KPI and one column per entry of `columns` (name -> KPIs)."""
    t = Table(title=title)
    t.add_column("KPI")
    t.add_column("unit", style="dim")
    for name in columns:
        t.add_column(name, justify="right")
    for k in KPI_NAMES:
        t.add_row(k, KPI_UNITS[k], *(_fmt(getattr(col, k)) for col in columns.values()))
    return t


def sim(
    scenario: str = typer.Option("urban-macro-19", help=f"one of: {', '.join(list_scenarios())}"),
    steps: int = typer.Option(20, min=0, max=100_000, help="steps of the scenario's step_s (1 s by default)"),
    seed: int = typer.Option(0, min=0, help="the same seed gives bit-identical KPIs"),
    hour: int | None = typer.Option(None, min=0, max=23, help="hour of day (diurnal traffic); default: scenario's"),
    n_ues: int | None = typer.Option(None, "--n-ues", min=1, help="number of users (default: per scenario)"),
    json_out: bool = typer.Option(False, "--json", help="print one JSON object instead of tables"),
    plot: Path | None = typer.Option(None, help="draw the map and the SINR/throughput CDFs to this PNG"),
) -> None:
    """Run a scenario for N steps and print its KPIs: network-wide and per slice."""
    try:
        net = Network.from_scenario(scenario, seed=seed, n_ues=n_ues)
        if hour is not None:
            net.set_hour(hour)
        net.step(steps)
    except SimulatorError as e:
        console.print(f"[red]error:[/red] {e}")
        raise typer.Exit(2) from None
    rep = net.kpis()
    if json_out:
        out = {
            "scenario": scenario, "seed": seed, "steps": steps, "hour": net.hour, "n_cells": net.n_cells,
            "n_ues": net.n_ues, "kpis": rep.network.model_dump(),
            "per_slice": {k: v.model_dump() for k, v in rep.per_slice.items()},
        }
        typer.echo(json.dumps(out))
    else:
        console.print(f"[bold]{scenario}[/bold]: {net.n_cells} cells, {net.n_ues} users, hour {net.hour:02d}:00, "
                      f"{steps} steps of {net.step_s:g} s, seed {seed}")
        console.print(kpi_table("KPIs (mean over the steps)", {"network": rep.network, **rep.per_slice}))
    if plot is not None:
        draw(net, plot)
        if not json_out:
            console.print(f"map and CDFs written to {plot}")


def draw(net: Network, path: Path) -> None:
    """Sites, sector boresights and users coloured by SINR (asleep cells grey), plus SINR and throughput CDFs."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    lay, u, last = net.layout, net.users, net.last_users
    fig, axes = plt.subplots(1, 3, figsize=(17, 5.5), gridspec_kw={"width_ratios": [1.4, 1, 1]})
    ax = axes[0]
    sc = ax.scatter(u.xy_m[:, 0], u.xy_m[:, 1], c=np.clip(last["sinr_db"], -10, 30), s=4, cmap="viridis")
    fig.colorbar(sc, ax=ax, label="SINR (dB)")
    active = net.knobs.active
    for c in range(lay.n_cells):
        x, y = lay.site_xy_m[lay.cell_site[c]]
        color = "tab:red" if active[c] else "0.6"
        if lay.cell_is_micro[c]:
            ax.plot(x, y, "o", ms=6, color=color, mec="k")
        else:
            az = np.deg2rad(lay.cell_azimuth_deg[c])
            r = lay.isd_m / 3
            ax.plot([x, x + r * np.cos(az)], [y, y + r * np.sin(az)], color=color, lw=2)
    ax.plot(*lay.site_xy_m[: lay.n_macro_sites].T, "k^", ms=6)
    ax.set_aspect("equal")
    ax.set_title(f"{net.scenario_name}: users by SINR (grey sectors asleep)")
    ax.set_xlabel("x (m)")
    ax.set_ylabel("y (m)")
    for ax, values, label in ((axes[1], last["sinr_db"], "SINR (dB)"),
                              (axes[2], last["throughput_mbps"][last["active"]], "user throughput (Mbit/s)")):
        v = np.sort(values[np.isfinite(values)])
        ax.plot(v, np.arange(1, v.size + 1) / max(v.size, 1))
        ax.set_xlabel(label)
        ax.set_ylabel("CDF")
        ax.grid(alpha=0.3)
    axes[1].axvline(-6, color="r", ls="--", lw=1, label="coverage threshold −6 dB")
    axes[1].legend(loc="lower right")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def calibrate(
    scenario: str = typer.Option("umi-calibration", help=f"one of: {', '.join(list_scenarios())}"),
    drops: int = typer.Option(20, min=1, max=10_000,
                              help="independent drops (networks with their own shadowing, LOS maps and users)"),
    seed: int = typer.Option(0, min=0, help="the same seed gives the same percentiles"),
    json_out: bool = typer.Option(False, "--json", help="print one JSON object instead of a table"),
) -> None:
    """Large-scale calibration (TR 38.901 §7.8.1): coupling gain and geometry percentiles, against R1-165974."""
    from airloop.simulator.calibration import R1_165974
    from airloop.simulator.calibration import calibrate as run_calibration

    try:
        res = run_calibration(scenario, drops=drops, seed=seed)
    except SimulatorError as e:
        console.print(f"[red]error:[/red] {e}")
        raise typer.Exit(2) from None
    ref = R1_165974.get(scenario)
    if json_out:
        out = dict(res)
        if ref is not None:
            out["reference"] = {"source": "R1-165974 (6 GHz, median over companies)", **ref}
        typer.echo(json.dumps(out))
        return
    console.print(f"[bold]{scenario}[/bold]: {res['drops']} drops, {res['ues']} users, seed {seed}; serving cell = "
                  "strongest coupling gain, geometry = SIR with every cell fully loaded, no noise")
    t = Table(title="Large-scale calibration (dB)")
    for col in ("statistic", "percentile", "airloop", *(("R1-165974", "difference") if ref else ())):
        t.add_column(col, justify="left" if col in ("statistic", "percentile") else "right")
    for stat, label in (("coupling_gain_db", "coupling gain"), ("geometry_db", "geometry (SIR)")):
        for p, v in res[stat].items():
            row = [label, p, f"{v:.1f}"]
            if ref is not None:
                r = ref[stat][p]
                row += [f"{r:.1f}", f"{v - r:+.1f}"]
            t.add_row(*row)
    console.print(t)
