"""The report's matplotlib figures (Agg backend: no display needed). Each function writes one PNG and returns its path.

Campaign figures read the hour records of `summary.json` (see `campaign_runner`), the layout written at the start of
the campaign (`layout.json`) and the events; eval figures read the harness's summary (arms × figures).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.patches import Circle, Wedge  # noqa: E402

SLICE_COLORS = {"embb": "tab:blue", "urllc": "tab:red", "mmtc": "tab:green"}
LIVE, ALWAYS_ON, JUDGE = "tab:blue", "0.45", "tab:orange"
DPI = 110


def _save(fig: Any, path: Path) -> None:
    """Save as PNG, then map to a 256-colour palette (indistinguishable for line plots, a quarter of the bytes: the
    HTML embeds these and docs/ commits them)."""
    fig.savefig(path, dpi=DPI)
    plt.close(fig)
    from PIL import Image  # matplotlib's own dependency

    with Image.open(path) as im:
        small = im.convert("RGB").quantize(colors=256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
    small.save(path, optimize=True)


def _hours_axis(ax: Any, records: list[dict[str, Any]]) -> None:
    ks = [r["k"] for r in records]
    step = max(1, len(ks) // 12)
    ax.set_xticks(ks[::step])
    ax.set_xticklabels([f"{r['hour']:02d}" for r in records][::step])
    ax.set_xlabel("hour of day")
    ax.grid(alpha=0.3)
    ax.set_xlim(ks[0] - 0.5, ks[-1] + 0.5)


def _series(records: list[dict[str, Any]], side: str, kpi: str, slice: str | None = None) -> np.ndarray:
    if side == "judge":
        return np.array([r["judge"]["live"][kpi] for r in records])
    if side == "judge_always_on":
        return np.array([r["judge"]["always_on"][kpi] for r in records])
    if slice is None:
        return np.array([r[side]["network"][kpi] for r in records])
    return np.array([r[side]["per_slice"][slice][kpi] for r in records])


def campaign_kpis(records: list[dict[str, Any]], bounds: list[dict[str, Any]], path: Path, title: str) -> Path:
    """KPIs per hour, live against always-on (same users) and on the judge's fresh seeds: energy, coverage,
    throughput, latency per slice, throughput per slice, active cells. Constraint bounds are drawn as red lines."""
    ks = np.array([r["k"] for r in records])
    bounds = list({(b["kpi"], b.get("slice"), b["op"], b["value"]): b for b in bounds}.values())  # one line each
    fig, axes = plt.subplots(2, 3, figsize=(16, 8.5))
    ax = axes[0, 0]
    ax.plot(ks, _series(records, "always_on", "energy_w") / 1e3, "--", color=ALWAYS_ON, label="always-on")
    ax.plot(ks, _series(records, "live", "energy_w") / 1e3, "-o", ms=3, color=LIVE, label="campaign (live)")
    ax.plot(ks, _series(records, "judge", "energy_w") / 1e3, ":", color=JUDGE, label="campaign, judge seeds")
    ax.set_ylabel("network power (kW)")
    ax.set_ylim(bottom=0)
    ax.set_title("energy")
    ax.legend(fontsize=8, loc="lower right")
    ax = axes[0, 1]
    ax.plot(ks, _series(records, "always_on", "coverage"), "--", color=ALWAYS_ON, label="always-on")
    ax.plot(ks, _series(records, "live", "coverage"), "-o", ms=3, color=LIVE, label="campaign (live)")
    ax.plot(ks, _series(records, "judge", "coverage"), ":s", ms=3, color=JUDGE, label="campaign, judge seeds")
    for b in bounds:
        if b["kpi"] == "coverage" and b.get("slice") is None:
            ax.axhline(b["value"], color="tab:red", lw=1, label=f"bound {b['op']} {b['value']:g}")
    ax.set_ylabel("coverage (share SINR ≥ −6 dB)")
    ax.set_title("coverage")
    ax.legend(fontsize=8)
    ax = axes[0, 2]
    ax.plot(ks, _series(records, "always_on", "throughput_mean_mbps"), "--", color=ALWAYS_ON, label="always-on")
    ax.plot(ks, _series(records, "live", "throughput_mean_mbps"), "-o", ms=3, color=LIVE, label="campaign (live)")
    ax.plot(ks, _series(records, "live", "throughput_p5_mbps"), "-", color="tab:purple", lw=1,
            label="campaign p5")
    ax.plot(ks, _series(records, "always_on", "throughput_p5_mbps"), "--", color="tab:purple", lw=1, alpha=0.6,
            label="always-on p5")
    ax.set_ylabel("user throughput (Mbit/s)")
    ax.set_title("throughput (network)")
    ax.legend(fontsize=8)
    ax = axes[1, 0]
    for s, col in SLICE_COLORS.items():
        ax.plot(ks, _series(records, "live", "latency_ms", s), "-", color=col, label=f"{s} campaign")
        ax.plot(ks, _series(records, "always_on", "latency_ms", s), "--", color=col, alpha=0.6,
                label=f"{s} always-on")
    for b in bounds:
        if b["kpi"] == "latency_ms" and b.get("slice") in SLICE_COLORS:
            ax.axhline(b["value"], color=SLICE_COLORS[b["slice"]], lw=1, ls="-.",
                       label=f"{b['slice']} bound {b['op']} {b['value']:g}")
    ax.set_yscale("log")
    lo, hi = ax.get_ylim()
    ax.set_ylim(lo, hi * 8)  # headroom for the legend
    ax.set_ylabel("mean packet delay (ms, log)")
    ax.set_title("latency per slice")
    ax.legend(fontsize=7, ncol=3, loc="upper left")
    ax = axes[1, 1]
    for s, col in SLICE_COLORS.items():
        ax.plot(ks, _series(records, "live", "throughput_mean_mbps", s), "-", color=col, label=f"{s} campaign")
        ax.plot(ks, _series(records, "always_on", "throughput_mean_mbps", s), "--", color=col, alpha=0.6,
                label=f"{s} always-on")
    ax.set_yscale("log")
    lo, hi = ax.get_ylim()
    ax.set_ylim(lo / 8, hi)  # room for the legend below the lines
    ax.set_ylabel("mean user throughput (Mbit/s, log)")
    ax.set_title("throughput per slice")
    ax.legend(fontsize=7, ncol=3, loc="lower left")
    ax = axes[1, 2]
    n_cells = records[0]["active_cells"] + len(records[0]["asleep"])
    ax.bar(ks, [len(r["asleep"]) for r in records], color="0.3", label="cells asleep")
    ax.set_ylim(0, n_cells)
    ax.axhline(n_cells - np.ceil(n_cells / 2), color="tab:red", lw=1, ls=":",
               label="most asleep the default policy allows (≥ 50 % active)")
    ax.set_ylabel(f"cells asleep (of {n_cells})")
    ax.set_title("cells asleep")
    ax.legend(fontsize=8)
    for ax in axes.flat:
        _hours_axis(ax, records)
    fig.suptitle(title)
    fig.tight_layout()
    _save(fig, path)
    return path


def _draw_cells(ax: Any, layout: dict[str, Any], asleep: set[int], flipped: set[int] | None = None) -> None:
    flipped = flipped or set()
    xy = np.array(layout["site_xy_m"])
    r = layout["isd_m"] / 3.2
    for c, site in enumerate(layout["cell_site"]):
        x, y = xy[site]
        off = c in asleep
        face = "0.2" if off else "#8fd18f"
        edge, lw = ("tab:red", 1.4) if c in flipped else ("k", 0.4)
        if layout["cell_is_micro"][c]:
            ax.add_patch(Circle((x, y), r * 0.35, facecolor=face, edgecolor=edge, lw=lw, zorder=3))
            continue
        az = layout["cell_azimuth_deg"][c]
        ax.add_patch(Wedge((x, y), r, az - 60, az + 60, facecolor=face, edgecolor=edge, lw=lw))
    n_macro = layout["n_macro_sites"]
    ax.plot(xy[:n_macro, 0], xy[:n_macro, 1], "k.", ms=2)
    pad = layout["isd_m"] * 0.6
    ax.set_xlim(xy[:, 0].min() - pad, xy[:, 0].max() + pad)
    ax.set_ylim(xy[:, 1].min() - pad, xy[:, 1].max() + pad)
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])


def sleep_maps(records: list[dict[str, Any]], layout: dict[str, Any], path: Path, title: str) -> Path:
    """The site map once per hour (up to 24 panels): asleep cells dark, active cells green."""
    shown = records if len(records) <= 24 else records[:: int(np.ceil(len(records) / 24))]
    cols = min(6, len(shown))
    rows = int(np.ceil(len(shown) / cols))
    fig, axes = plt.subplots(rows, cols, figsize=(2.6 * cols, 2.7 * rows + 0.6), squeeze=False)
    for ax in axes.flat:
        ax.axis("off")
    prev: set[int] = set()
    for ax, r in zip(axes.flat, shown, strict=False):
        ax.axis("on")
        now = set(r["asleep"])
        _draw_cells(ax, layout, now, now ^ prev)
        prev = now
        ax.set_title(f"{r['hour']:02d}:00 · {len(r['asleep'])} asleep", fontsize=9)
    fig.suptitle(f"{title}: cells asleep per hour (dark = asleep, green = active, red edge = changed since the "
                 "panel before)")
    fig.tight_layout()
    _save(fig, path)
    return path


def change_timeline(records: list[dict[str, Any]], changes: list[dict[str, Any]], items: list[str], path: Path,
                    title: str) -> Path:
    """Every apply and rollback by hour, one row per intent (or manual change); marker size grows with the number
    of cells touched; cells asleep per hour as a step line on the right axis."""
    fig, ax = plt.subplots(figsize=(14, 2.2 + 0.55 * max(1, len(items))))
    row = {iid: i for i, iid in enumerate(items)}
    style = {"apply": ("^", "tab:green", "apply"), "monitor": ("v", "tab:red", "monitor rollback"),
             "campaign": ("v", "0.5", "revert (hours ended)")}
    seen: set[str] = set()
    for ch in changes:
        kind = "apply" if ch["kind"] == "apply" else ch["actor"] if ch["actor"] in style else "campaign"
        mk, col, label = style[kind]
        y = row.get(ch.get("item") or "", len(items))
        # spread several changes in one hour a little, so they do not hide each other
        x = ch["k"] + 0.12 * ch.get("slot", 0)
        ax.scatter([x], [y], marker=mk, s=40 + 12 * ch.get("n_cells", 1), color=col, edgecolor="k", lw=0.5,
                   label=None if label in seen else label, zorder=3)
        seen.add(label)
        undo = f"↩{ch['rollback_of']}" if ch.get("rollback_of") is not None else ""
        ax.annotate(f"#{ch['change_id']}{undo} ({ch.get('n_cells', 1)})", (x, y), textcoords="offset points",
                    xytext=(6, 6 + 9 * ch.get("slot", 0)), fontsize=7)
    for r in records:  # graph runs that applied nothing
        for o in r.get("outcomes", []):
            if o.get("change_id") is None and o.get("item") in row:
                ax.scatter([r["k"]], [row[o["item"]]], marker="o", s=22, facecolor="none", edgecolor="0.4",
                           label=None if "ran, nothing applied" in seen else "ran, nothing applied", zorder=2)
                seen.add("ran, nothing applied")
    ax.set_yticks(range(len(items)))
    ax.set_yticklabels(items)
    ax.set_ylim(-0.7, len(items) - 0.3)
    ax2 = ax.twinx()
    ax2.step([r["k"] for r in records], [len(r["asleep"]) for r in records], where="mid", color="0.3", lw=1,
             alpha=0.7, label="cells asleep")
    ax2.set_ylabel("cells asleep")
    ax2.set_ylim(bottom=0)
    _hours_axis(ax, records)
    h1, l1 = ax.get_legend_handles_labels()
    h2, l2 = ax2.get_legend_handles_labels()
    ax.legend(h1 + h2, l1 + l2, fontsize=8, loc="upper left", bbox_to_anchor=(1.06, 1.0))
    ax.set_title(f"{title}: changes and rollbacks (#change-log id, ↩ the change undone, (cells touched))")
    fig.tight_layout()
    _save(fig, path)
    return path


# ------------------------------------------------------------------------------------------------------------ eval
def train_curve(curve: list[dict[str, Any]], path: Path, title: str) -> Path:
    """Loss and token accuracy (SFT) or mean reward (GRPO) per logged step of an `airloop train` run."""
    steps = np.array([c["step"] for c in curve], float)
    fig, ax = plt.subplots(figsize=(7, 3.2))
    series = [("loss", "tab:blue", ax)]
    if any(c.get("reward") is not None for c in curve):
        series = [("reward", "tab:green", ax)]
    right = ax.twinx() if any(c.get("token_accuracy") is not None for c in curve) else None
    if right is not None:
        series.append(("token_accuracy", "tab:orange", right))
    for key, color, axis in series:
        ys = np.array([np.nan if c.get(key) is None else c[key] for c in curve], float)
        axis.plot(steps, ys, color=color, marker=".", label=key.replace("_", " "))
        axis.set_ylabel(key.replace("_", " "), color=color)
    ax.set_xlabel("optimizer step")
    ax.set_title(title)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    _save(fig, path)
    return path


def _arm_rows(summary: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [(name, a) for name, a in summary["arms"].items() if a.get("n", 1)]


def eval_comparison(summary: dict[str, Any], path: Path, title: str) -> Path:
    """Success (Wilson 95 % CI) and regret against the oracle (median, bootstrap 95 % CI) per arm."""
    arms = _arm_rows(summary)
    names = [n for n, _ in arms]
    y = np.arange(len(arms))
    fig, axes = plt.subplots(1, 2, figsize=(13, 1.2 + 0.45 * len(arms)), sharey=True)
    ax = axes[0]
    for i, (_, a) in enumerate(arms):
        s, ci = a.get("success"), a.get("success_ci")
        if s is None:
            continue
        ref = a.get("reference")
        ax.barh(i, s, color="tab:orange" if ref else "tab:blue", alpha=0.8)
        if ci:
            ax.errorbar(s, i, xerr=[[s - ci[0]], [ci[1] - s]], fmt="none", ecolor="k", capsize=3)
    ax.set_yticks(y)
    ax.set_yticklabels(names)
    ax.set_xlim(0, 1)
    ax.set_xlabel("success (share of samples, Wilson 95 % CI; orange = reference arm)")
    ax.invert_yaxis()
    ax.grid(axis="x", alpha=0.3)
    ax = axes[1]
    for i, (_, a) in enumerate(arms):
        m = a.get("regret_median", a.get("regret"))
        ci = a.get("regret_ci")
        if m is None:
            ax.text(0.01, i, "no regret (no oracle)", va="center", fontsize=8, color="0.4")
            continue
        ax.plot([m], [i], "o", color="tab:red")
        if ci:
            ax.errorbar(m, i, xerr=[[m - ci[0]], [ci[1] - m]], fmt="none", ecolor="k", capsize=3)
        if a.get("regret_mean") is not None:
            ax.plot([a["regret_mean"]], [i], "x", color="0.3")
    ax.set_xlabel("regret vs oracle (median ●, bootstrap 95 % CI; mean ×)")
    ax.grid(axis="x", alpha=0.3)
    ax.set_xlim(left=0)
    fig.suptitle(title)
    fig.tight_layout()
    _save(fig, path)
    return path


def eval_cost(summary: dict[str, Any], path: Path, title: str) -> Path:
    """Mean cost per sample and arm: LLM calls, tokens, simulator evaluations, wall time."""
    arms = _arm_rows(summary)
    names = [n for n, _ in arms]
    y = np.arange(len(arms))
    fig, axes = plt.subplots(1, 4, figsize=(16, 1.2 + 0.45 * len(arms)), sharey=True)
    for ax, key, label in zip(axes, ("llm_calls", "tokens", "sim_evals", "wall_s"),
                              ("LLM calls", "tokens", "simulator evaluations", "wall time (s)"), strict=True):
        vals = [float(a.get(key) or 0.0) for _, a in arms]
        ax.barh(y, vals, color="tab:gray")
        for i, v in enumerate(vals):
            ax.text(v, i, f" {v:,.0f}" if v >= 100 else f" {v:.3g}", va="center", fontsize=8)
        ax.set_xlabel(f"{label} per sample")
        ax.grid(axis="x", alpha=0.3)
        ax.set_xlim(0, max(vals + [1e-9]) * 1.3)
    axes[0].set_yticks(y)
    axes[0].set_yticklabels(names)
    axes[0].invert_yaxis()
    fig.suptitle(title)
    fig.tight_layout()
    _save(fig, path)
    return path
