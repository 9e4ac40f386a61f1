"""``airloop models``: what models this machine can use, and what ``auto`` would pick.

Registered in ``airloop/cli.py`` as ``app.command("models")(models)``.
"""

from __future__ import annotations

import json
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from airloop.agents.models import ModelConfig, inventory


def _size(n: int | None) -> str:
    if n is None:
        return "-"
    size = float(n)
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if size < 1000 or unit == "TB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1000
    return str(size)


def render(inv: dict[str, Any], console: Console) -> None:
    """Human-readable view of :func:`airloop.agents.models.inventory`."""
    ol = inv["ollama"]
    console.print(f"[bold]Ollama[/bold] at {ol['host']} (OLLAMA_HOST; num_ctx {ol['num_ctx']})")
    if not ol["reachable"]:
        console.print(f"  not reachable: {ol['error']}")
        console.print(f"  {ol['hint']}")
    else:
        table = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
        for col in ("model", "size", "params", "quant", "digest"):
            table.add_column(col)
        for m in ol["models"]:
            mark = " *" if m["name"].split(":")[0] == ol["configured_model"].split(":")[0] else ""
            table.add_row(f"{m['name']}{mark}", _size(m["size_bytes"]), m["parameter_size"] or "-",
                          m["quantization"] or "-", (m["digest"] or "-")[:12])
        console.print(table if ol["models"] else "  no models pulled")
        if not ol["has_configured_model"]:
            console.print(f"  configured model {ol['configured_model']} is not pulled: "
                          f"`ollama pull {ol['configured_model']}`")

    em = inv["embedded"]
    console.print("\n[bold]Embedded[/bold] (llama.cpp in-process)")
    console.print(f"  model file   {em['path'] or '-'} ({_size(em['size_bytes'])})")
    version = f" {em['llama_cpp_version']}" if em["llama_cpp_version"] else ""
    console.print(f"  llama-cpp    {'importable' + version if em['llama_cpp_importable'] else 'not installed'}"
                  f"; n_ctx {em['n_ctx']}; weight repack {'on' if em['weight_repack'] else 'off'}")
    ads = em.get("adapters") or ([em["adapter"]] if em.get("adapter") else [])
    for ad in ads:
        lineage = f" ({ad['steps']} in its last run)" if ad["total_steps"] != ad["steps"] else ""
        console.print(f"  adapter      {ad['path']} ({_size(ad['size_bytes'])}): {ad['method']}, {ad['total_steps']} steps{lineage}, "
                      f"the last on {ad['rows']} rows, tuned for {', '.join(ad['tasks'] or [])} (`llamacpp` applies it to those "
                      "calls; `llamacpp:base` runs without)"
                      + "".join(f"; {t} hours written as {f}" for t, f in (ad.get("draft_formats") or {}).items()))
    if not ads:
        console.print("  adapter      none shipped (`airloop train planner --ship` makes one)")
    if em["problem"]:
        console.print(f"  unavailable: {em['problem']}")

    if inv["endpoints"]:
        console.print("\n[bold]Configured endpoints[/bold] (AIRLOOP_ENDPOINTS)")
        for e in inv["endpoints"]:
            state = "reachable" if e["reachable"] else f"not reachable: {e['error']}"
            console.print(f"  {e['spec']}  {state}")

    console.print("\n[bold]Backends[/bold]")
    for b in inv["backends"].values():
        console.print(f"  {b['example']:<28} {b['summary']}")

    auto = inv["auto"]
    console.print(f"\n[bold]auto[/bold] -> {auto['spec'] or 'nothing can run'}")
    console.print(f"  {auto['why']}")


def models(json_out: bool = typer.Option(False, "--json", help="print the inventory as JSON")) -> None:
    """List the models airloop can use here: the Ollama server and its models, the embedded model, configured
    endpoints, and what `auto` would pick (and why)."""
    inv = inventory(ModelConfig.from_env())
    if json_out:
        typer.echo(json.dumps(inv, indent=2, default=str))
        return
    render(inv, Console(highlight=False, soft_wrap=True))
