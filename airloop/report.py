"""`airloop report RUN_OR_EVAL_DIR`: a self-contained HTML page (PNGs embedded as base64) and a Markdown file beside
its PNGs, for a campaign run directory (`airloop run`) or an evaluation directory (`airloop eval`).

A campaign directory has `manifest.json` with ``"kind": "campaign"``; its figures come from `summary.json` (or, for an
unfinished campaign, the ``hour_end`` events), `layout.json` and `events.jsonl`. An eval directory has a summary JSON
with ``"arms"``; `eval_report` takes that summary dict directly.
"""

from __future__ import annotations

import base64
import html
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any


class ReportError(ValueError):
    pass


def _plots() -> Any:
    from . import report_plots  # matplotlib: imported when a report is written, not when the CLI starts

    return report_plots


def write_report(run_dir: str | Path, out_dir: str | Path | None = None) -> dict[str, Path]:
    """Write the report of `run_dir` into `out_dir` (default: `run_dir/report`); returns the files written."""
    d = Path(run_dir)
    if not d.is_dir():
        raise ReportError(f"{d} is not a directory: give a campaign run directory or an eval directory")
    out = Path(out_dir) if out_dir else d / "report"
    out.mkdir(parents=True, exist_ok=True)
    manifest = _read_json(d / "manifest.json")
    if manifest and manifest.get("kind") == "campaign":
        return campaign_report(d, out)
    for p in sorted(d.glob("*-lora.json")):  # an `airloop train TASK` run: TASK-lora.json (`finetune.manifest_file`)
        trained = _read_json(p)
        if trained and "curve" in trained:
            return train_report(trained, out)
    for name in ("summary.json", "eval_summary.json"):
        s = _read_json(d / name)
        if s and "arms" in s:
            meta = {k: v for k, v in s.items() if k not in ("arms", "comparisons", "by_scenario")}
            return eval_report(s, out, title=f"evaluation {s.get('eval') or d.name}", meta=meta)
    raise ReportError(f"{d} holds neither a campaign (manifest.json with kind campaign), an eval summary "
                      "(summary.json with arms) nor a training run (TASK-lora.json with a loss curve)")


def _read_json(p: Path) -> dict[str, Any] | None:
    try:
        return json.loads(p.read_text())
    except (OSError, ValueError):
        return None


def campaign_events(d: Path) -> list[dict[str, Any]]:
    p = d / "events.jsonl"
    if not p.exists():
        return []
    evs = [json.loads(ln) for ln in p.read_text().splitlines() if ln.strip()]
    # A resumed campaign redoes the hour it was killed in: keep, per hour, only the last attempt's events.
    last: dict[int, int] = {}
    for e in evs:
        if e.get("k") is not None:
            last[e["k"]] = max(last.get(e["k"], 0), e.get("attempt", 1))
    return [e for e in evs if e.get("k") is None or e.get("attempt", 1) == last[e["k"]]]


def _changes(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    slot: dict[tuple[int, str | None], int] = {}
    for e in events:
        if e["event"] not in ("apply", "rollback"):
            continue
        k, key = e["k"], (e["k"], e.get("item"))
        ch = {"k": k, "hour": e["hour"], "change_id": e["change_id"], "slot": slot.get(key, 0),
              "kind": e["event"], "actor": e.get("actor", ""), "item": e.get("item"),
              "n_cells": len(e.get("changes") or []) or 1, "rollback_of": e.get("rollback_of"),
              "reason": e.get("reason", ""), "changes": e.get("changes") or []}
        slot[key] = slot.get(key, 0) + 1
        out.append(ch)
    return out


def judge_checks(records: list[dict[str, Any]], plans: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every intent constraint in force at each hour (the intent's hours; all hours when it has none), judged on the
    judge's fresh seeds with the campaign's config and with the always-on one. `plans`: the campaign's ``plan``
    events."""
    from airloop.core import Constraint, check_constraint, read_kpi

    out = []
    for r in records:
        j = r["judge"]
        live = {"network": j["live"], "per_slice": j.get("live_per_slice", {})}
        base = {"network": j["always_on"], "per_slice": j.get("always_on_per_slice", {})}
        for p in plans:
            window = p.get("window")
            if p.get("status") != "ok" or not p.get("intent") or (window is not None and r["hour"] not in window):
                continue
            for raw in p["intent"].get("constraints", []):
                c = Constraint.model_validate(raw)
                try:
                    y, b = read_kpi(live, c.kpi, c.slice), read_kpi(base, c.kpi, c.slice)
                except ValueError:
                    continue
                out.append({"k": r["k"], "hour": r["hour"], "item": p["item"], "kpi": c.kpi, "slice": c.slice,
                            "op": c.op, "bound": c.value, "judge": y, "judge_always_on": b,
                            "held": check_constraint(c, y) is None})
    return out


def _img(path: Path) -> str:
    return "data:image/png;base64," + base64.b64encode(path.read_bytes()).decode()


def campaign_report(d: Path, out: Path) -> dict[str, Path]:
    manifest = _read_json(d / "manifest.json") or {}
    summary = _read_json(d / "summary.json")
    events = campaign_events(d)
    if summary is None:
        from .campaign_runner import summarize

        records = [e["record"] for e in events if e["event"] == "hour_end" and "record" in e]
        if not records:
            raise ReportError(f"{d}: the campaign has not finished an hour yet; nothing to report")
        summary = summarize(records, name=manifest.get("campaign", {}).get("name"), unfinished=True)
    records = summary["records"]
    layout = _read_json(d / "layout.json")
    camp = manifest.get("campaign", {})
    name = camp.get("name", d.name)
    plans = [e for e in events if e["event"] == "plan"]
    items = [p["item"] for p in plans]
    bounds = [c for p in plans for c in ((p.get("intent") or {}).get("constraints") or [])]
    changes = _changes(events)
    checks = judge_checks(records, plans)
    files: dict[str, Path] = {}
    files["kpis"] = _plots().campaign_kpis(records, bounds, out / "campaign_kpis.png", f"{name} ({camp.get('scenario')})")
    if layout:
        files["sleep_map"] = _plots().sleep_maps(records, layout, out / "campaign_sleep_map.png", name)
    files["timeline"] = _plots().change_timeline(records, changes, items, out / "campaign_timeline.png", name)
    md, page = _campaign_text(summary, manifest, plans, changes, checks, files)
    (out / "report.md").write_text(md)
    (out / "report.html").write_text(page)
    return {**files, "markdown": out / "report.md", "html": out / "report.html"}


def _fmt(x: Any, spec: str = ".4g") -> str:
    return "n/a" if x is None else format(x, spec)


def _campaign_text(summary: dict[str, Any], manifest: dict[str, Any], plans: list[dict[str, Any]],
                   changes: list[dict[str, Any]], checks: list[dict[str, Any]],
                   files: dict[str, Path]) -> tuple[str, str]:
    camp = manifest.get("campaign", {})
    name = camp.get("name", "campaign")
    model = manifest.get("model") or {}
    figures = [
        ("hours run", str(summary["hours_run"])),
        ("energy (live)", f"{summary['energy_wh'] / 1e3:.1f} kWh (always-on {summary['always_on_energy_wh'] / 1e3:.1f})"),
        ("energy saved vs always-on", f"{summary['energy_saved_pct']:.1f} % (judge seeds "
                                      f"{summary['judge_energy_saved_pct']:.1f} %)"),
        ("min hourly coverage", f"{_fmt(summary['min_coverage'])} live, {_fmt(summary['min_judge_coverage'])} on the "
                                f"judge seeds (at {_fmt(summary.get('min_judge_coverage_hour'), '02d')}:00); "
                                f"always-on {_fmt(summary.get('min_always_on_judge_coverage'))}"),
        ("intent constraints on the judge seeds", checks_text(checks)),
        ("most cells asleep", str(summary.get("max_cells_asleep"))),
        ("applies / monitor rollbacks / reverts", f"{summary.get('totals', {}).get('applies', '?')} / "
                                                  f"{summary.get('totals', {}).get('monitor_rollbacks', '?')} / "
                                                  f"{summary.get('totals', {}).get('reverts', '?')}"),
        ("LLM calls / tokens / simulator evaluations", f"{summary.get('totals', {}).get('llm_calls', '?')} / "
                                                       f"{summary.get('totals', {}).get('tokens', '?')} / "
                                                       f"{summary.get('totals', {}).get('sim_evals', '?')}"),
        ("wall time", f"{summary.get('wall_s', 0):.0f} s" if summary.get("wall_s") else "n/a"),
        ("scenario / strategy / model", f"{camp.get('scenario')} / {camp.get('strategy')} / "
                                        f"{model.get('spec', camp.get('model'))}"),
        ("policy sha256", str((manifest.get("policy") or {}).get("sha256", ""))[:16]),
        ("result sha256", str(summary.get("result_sha256", ""))[:16]),
    ]
    sched = [(p["item"], p["kind"], p["text"], p.get("status"), _hours(p.get("due")), _hours(p.get("window")))
             for p in plans]
    hours = [(f"{r['hour']:02d}:00", f"{r['live']['network']['energy_w'] / 1e3:.2f}",
              f"{r['always_on']['network']['energy_w'] / 1e3:.2f}", f"{r['live']['network']['coverage']:.4f}",
              f"{r['judge']['live']['coverage']:.4f}", str(len(r["asleep"])),
              ", ".join(f"{o['item']} {outcome_text(o)}" for o in r.get("outcomes", [])) or "-")
             for r in summary["records"]]
    chg = [(f"{c['hour']:02d}:00", str(c["change_id"]), c["kind"], c["actor"], c.get("item") or "",
            str(c["n_cells"]), (c["reason"] or _describe(c["changes"]))[:120]) for c in changes]
    title = f"airloop campaign report: {name}"
    desc = camp.get("description", "")
    base = "always-on: a second network with the same scenario and seed, never changed, stepped in lockstep"
    md = [f"# {title}", "", desc, "", f"Baseline — {base}; judge seeds {manifest.get('seeds', {}).get('judge')} are "
          "fresh user drops neither the optimizer nor the verifier saw.", "", _md_table(("figure", "value"), figures),
          "", "## Schedule", "", _md_table(("item", "kind", "text", "plan", "runs at", "for hours"), sched), ""]
    for key, caption in (("kpis", "KPIs per hour against always-on"), ("sleep_map", "Cells asleep per hour"),
                         ("timeline", "Change timeline with rollbacks")):
        if key in files:
            md += [f"## {caption}", "", f"![{caption}]({files[key].name})", ""]
    md += ["## Hours", "", _md_table(("hour", "kW", "always-on kW", "coverage", "judge coverage", "asleep",
                                      "outcomes"), hours), "",
           "## Changes", "", _md_table(("hour", "id", "kind", "actor", "item", "cells", "what"), chg) if chg
           else "(none)", ""]
    h = [f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title>",
         "<style>body{font-family:sans-serif;max-width:1200px;margin:auto;padding:1em}table{border-collapse:collapse;"
         "margin:0.5em 0}td,th{border:1px solid #ccc;padding:2px 8px;font-size:13px;text-align:left}"
         "img{max-width:100%}</style></head><body>", f"<h1>{html.escape(title)}</h1>", f"<p>{html.escape(desc)}</p>",
         f"<p>Baseline — {html.escape(base)}.</p>", _html_table(("figure", "value"), figures), "<h2>Schedule</h2>",
         _html_table(("item", "kind", "text", "plan", "runs at", "for hours"), sched)]
    for key, caption in (("kpis", "KPIs per hour against always-on"), ("sleep_map", "Cells asleep per hour"),
                         ("timeline", "Change timeline with rollbacks")):
        if key in files:
            h += [f"<h2>{caption}</h2>", f"<img alt='{caption}' src='{_img(files[key])}'>"]
    h += ["<h2>Hours</h2>", _html_table(("hour", "kW", "always-on kW", "coverage", "judge coverage", "asleep",
                                         "outcomes"), hours),
          "<h2>Changes</h2>", _html_table(("hour", "id", "kind", "actor", "item", "cells", "what"), chg),
          "<h2>Manifest</h2>", f"<pre>{html.escape(_manifest_text(manifest))}</pre>", "</body></html>"]
    return "\n".join(md), "\n".join(h)


def checks_text(checks: list[dict[str, Any]]) -> str:
    if not checks:
        return "none in force"
    missed = [c for c in checks if not c["held"]]
    if not missed:
        return f"all held ({len(checks)} constraint-hours)"
    worst: dict[tuple[Any, ...], dict[str, Any]] = {}
    for c in missed:
        key = (c["item"], c["kpi"], c["slice"], c["op"], c["bound"])
        if key not in worst or (c["judge"] < worst[key]["judge"]) == (c["op"] == ">="):
            worst[key] = c
    parts = [f"{c['item']} {c['kpi']}{'(' + c['slice'] + ')' if c['slice'] else ''} {c['op']} {c['bound']:g}: "
             f"missed in {sum(1 for m in missed if (m['item'], m['kpi'], m['slice'], m['op'], m['bound']) == k)} h, "
             f"worst {c['judge']:.4g} at {c['hour']:02d}:00 (always-on {c['judge_always_on']:.4g})"
             for k, c in worst.items()]
    return f"{len(missed)} of {len(checks)} constraint-hours missed: " + "; ".join(parts)


def outcome_text(o: dict[str, Any]) -> str:
    """A graph run's outcome in a word or two ("approved" with nothing applied, as older runs reported it, reads
    "nothing needed"; ``nothing_needed`` and ``no_headroom`` read as words)."""
    if o.get("status") in ("approved", "nothing_needed") and o.get("change_id") is None:
        return "nothing needed"
    if o.get("status") == "no_headroom":
        return "no headroom"
    return f"{o.get('status')}" + (f" #{o['change_id']}" if o.get("change_id") is not None else "")


def _hours(hs: list[int] | None) -> str:
    if hs is None:
        return "every hour"
    if len(hs) > 2 and hs == list(range(hs[0], hs[-1] + 1)):
        return f"{hs[0]:02d}-{hs[-1] + 1:02d}h"
    return ", ".join(f"{h:02d}" for h in hs)


def _describe(changes: list[dict[str, Any]]) -> str:
    return "; ".join(f"cell {c['cell']}: " + ", ".join(f"{k}={v}" for k, v in c.items() if k != "cell" and v is not None)
                     for c in changes[:6]) + (" ..." if len(changes) > 6 else "")


def _manifest_text(m: dict[str, Any]) -> str:
    keep: dict[str, Any] = {k: m.get(k) for k in ("created", "campaign_path", "campaign_sha256", "code", "python", "platform", "packages",
                                  "model", "model_file", "seeds", "policy", "baseline", "resumed") if k in m}
    keep["prompts"] = {k: v[:12] for k, v in (m.get("prompts") or {}).items()}
    return json.dumps(keep, indent=2, default=str) + "\n\ncampaign file:\n" + (m.get("campaign_text") or "")


def _md_table(head: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    def cell(x: Any) -> str:
        return str(x).replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(cell(x) for x in r) + " |" for r in rows]
    return "\n".join(lines)


def _html_table(head: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    out = ["<table><tr>" + "".join(f"<th>{html.escape(h)}</th>" for h in head) + "</tr>"]
    out += ["<tr>" + "".join(f"<td>{html.escape(str(x))}</td>" for x in r) + "</tr>" for r in rows]
    return "".join(out) + "</table>"


# ------------------------------------------------------------------------------------------------------------ eval
def train_report(manifest: dict[str, Any], out: Path) -> dict[str, Path]:
    """The report of an `airloop train` run: its curve (loss and token accuracy, or GRPO reward, per logged step)
    and the manifest's facts (base model, data, settings, steps)."""
    title = f"airloop train {manifest.get('task', 'planner')} ({manifest.get('method')})"
    curve = _plots().train_curve(manifest["curve"], out / "train_curve.png", title)
    data = manifest.get("data") or {}
    facts = [("base model", f"{manifest.get('base_model')} ({str(manifest.get('base_digest'))[:19]})"),
             ("method", str(manifest.get("method"))), ("steps", f"{manifest.get('steps')} in this run, {manifest.get('total_steps') or manifest.get('steps')} in all"),
             ("started from", str(manifest.get("init") or manifest.get("resumed_from") or "the base")),
             ("data", f"{data.get('file')}: {data.get('rows')} rows of {data.get('texts')} texts "
                      f"(dropped {data.get('dropped')})"),
             ("settings", json.dumps(manifest.get("config"))),
             ("final", f"loss {_fmt(manifest.get('final_loss'))}, token accuracy "
                       f"{_fmt(manifest.get('final_token_accuracy'))}, reward {_fmt(manifest.get('final_reward'))}"),
             ("adapter", f"{manifest.get('adapter_file')} ({str(manifest.get('adapter_sha256'))[:19]})")]
    md = [f"# {title}", "", _md_table(("", ""), facts), "", f"![curve]({curve.name})", ""]
    h = [f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title></head><body>",
         f"<h1>{html.escape(title)}</h1>", _html_table(("", ""), facts),
         f"<img alt='curve' src='{_img(curve)}'></body></html>"]
    (out / "report.md").write_text("\n".join(md))
    (out / "report.html").write_text("\n".join(h))
    return {"curve": curve, "markdown": out / "report.md", "html": out / "report.html"}


def eval_report(summary: dict[str, Any], out: Path, *, title: str = "evaluation",
                meta: dict[str, Any] | None = None) -> dict[str, Path]:
    """The eval report from the harness's summary: ``{"arms": {name: {success, success_ci, regret_median (or
    regret), regret_ci, llm_calls, tokens, sim_evals, wall_s, ...}}, "comparisons": [...]?}``."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    files = {"comparison": _plots().eval_comparison(summary, out / "eval_comparison.png", title),
             "cost": _plots().eval_cost(summary, out / "eval_cost.png", f"{title}: cost per sample")}

    def pct(x: Any) -> str:
        return "n/a" if x is None else f"{x:.0%}"

    def ci(c: Any) -> str:
        return "" if not c else f"[{c[0]:.2f}, {c[1]:.2f}]"

    rows = [(name, str(a.get("n", "")), pct(a.get("success")), ci(a.get("success_ci")),
             _fmt(a.get("regret_median", a.get("regret")), ".3f"), ci(a.get("regret_ci")),
             _fmt(a.get("llm_calls"), ".3g"), _fmt(a.get("tokens"), ".4g"), _fmt(a.get("sim_evals"), ".3g"),
             _fmt(a.get("wall_s"), ".3g")) for name, a in summary["arms"].items()]
    head = ("arm", "n", "success", "95% CI", "regret (median)", "95% CI", "LLM calls", "tokens", "sim evals", "wall s")
    comps = [(c["arm"], c["reference"], c["metric"], str(c.get("n_pairs")), _fmt(c.get("delta"), "+.4f"),
              ci(c.get("delta_ci")), _fmt(c.get("p"), ".4f"), _fmt(c.get("p_holm"), ".4f"))
             for c in summary.get("comparisons", []) if c.get("n_pairs")]
    chead = ("arm", "reference", "metric", "pairs", "delta", "95% CI", "p", "p (Holm)")
    md = [f"# {title}", "", _md_table(head, rows), ""]
    if comps:
        md += ["## Paired comparisons against the reference arm", "", _md_table(chead, comps), ""]
    scen = [(sc, name, str(a.get("n", "")), pct(a.get("success")), ci(a.get("success_ci")),
             _fmt(a.get("regret_median"), ".3f"), ci(a.get("regret_ci")))
            for sc, arms in (summary.get("by_scenario") or {}).items() for name, a in arms.items() if a.get("n")]
    shead = ("scenario", "arm", "n", "success", "95% CI", "regret (median)", "95% CI")
    if scen:
        md += ["## Per scenario", "", _md_table(shead, scen), ""]
    md += ["## Success and regret", "", f"![comparison]({files['comparison'].name})", "", "## Cost", "",
           f"![cost]({files['cost'].name})", ""]
    h = [f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title><style>"
         "body{font-family:sans-serif;max-width:1200px;margin:auto;padding:1em}table{border-collapse:collapse}"
         "td,th{border:1px solid #ccc;padding:2px 8px;font-size:13px}img{max-width:100%}</style></head><body>",
         f"<h1>{html.escape(title)}</h1>", _html_table(head, rows)]
    if comps:
        h += ["<h2>Paired comparisons against the reference arm</h2>", _html_table(chead, comps)]
    if scen:
        h += ["<h2>Per scenario</h2>", _html_table(shead, scen)]
    h += ["<h2>Success and regret</h2>", f"<img alt='comparison' src='{_img(files['comparison'])}'>",
          "<h2>Cost</h2>", f"<img alt='cost' src='{_img(files['cost'])}'>"]
    if meta:
        h += ["<h2>Run</h2>", f"<pre>{html.escape(json.dumps(meta, indent=2, default=str)[:20000])}</pre>"]
    h += ["</body></html>"]
    (out / "report.md").write_text("\n".join(md))
    (out / "report.html").write_text("\n".join(h))
    return {**files, "markdown": out / "report.md", "html": out / "report.html"}
