"""The agents' real model calls on the embedded model: llama-cpp-python's own way against airloop's, side by side.

    python benchmarks/llm_calls.py                       # i002,i004,i048,i056,i060,i062 x hybrid,llm-direct
    python benchmarks/llm_calls.py --ids i002 --strategies hybrid --threads 1

Each strategy is run on each gold intent (urban-macro-19) until its first model call, which is recorded and not
answered (the run then goes on without the model; nothing of it is measured). The recorded calls are then replayed on
the embedded SmolLM2 in order, as one evaluation worker meets them, each twice in a row:
- `stock`: from an empty cache, the whole prompt evaluated at once, llama-cpp-python's sampler chain (the JSON-schema
  grammar matched against the whole vocabulary every token): what airloop did before;
- `airloop`: as the backend does it now: the prompt's head (every message but the last) restored when an earlier
  call saved it, or evaluated on its own and saved (`agents/models/_prefix_cache.py`), and the grammar asked about
  the preferred token first (`agents/models/_fast_grammar.py`).
Both are greedy, so the answers must be identical (checked per call; the exit code is 2 otherwise). One llama.cpp
thread by default, as each of the evaluation harness's two workers uses on 2 cores. The machine is shared: read the
ratios, measured side by side, not the seconds. Prints a table, then one JSON line.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
INTENTS = ROOT / "benchmarks" / "intents" / "intents.jsonl"


def record_calls(ids: list[str], strategies: list[str], scenario: str) -> list[dict[str, Any]]:
    """The first model request of each (strategy, intent) run, as the strategy builds it."""
    from airloop.agents.models import ModelError
    from airloop.agents.models._llamacpp import LlamaCppModel
    from airloop.simulator import Network
    from airloop.tools import NetworkSession

    from airloop.app import DEFAULT_BUDGET, RunSettings, run
    from airloop.runs import RunStore

    golds = {}
    for line in INTENTS.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if row.get("id") in ids and row.get("gold"):
            golds[row["id"]] = row["gold"]
    if missing := [i for i in ids if i not in golds]:
        raise SystemExit(f"no gold intent for {', '.join(missing)} in {INTENTS}")
    calls: list[dict[str, Any]] = []
    original = LlamaCppModel._complete
    seen: dict[str, Any] = {}

    def record(self: Any, request: Any) -> Any:
        if "request" not in seen:
            seen["request"] = request
        # unanswered: the strategy falls back to its no-model path; nothing after this is timed
        raise ModelError("backend_error", "recorded by benchmarks/llm_calls.py, not answered")

    LlamaCppModel._complete = record  # type: ignore[method-assign]
    try:
        for strategy in strategies:
            for intent_id in ids:
                seen.clear()
                session = NetworkSession(Network.from_scenario(scenario, seed=0))
                try:
                    settings = RunSettings(text=golds[intent_id]["text"], intent=golds[intent_id], model="llamacpp",
                                           strategy=strategy, record_demos=False,
                                           budget={**DEFAULT_BUDGET, "sim_evals": 60})
                    try:
                        run(settings, RunStore(Path(tempfile.mkdtemp(prefix="llm-calls-"))), session=session)
                    except Exception:  # noqa: BLE001 - the run may stop on the unanswered call; the request is kept
                        pass
                finally:
                    session.close()
                if "request" in seen:
                    calls.append({"strategy": strategy, "intent": intent_id, "request": seen["request"]})
    finally:
        LlamaCppModel._complete = original  # type: ignore[method-assign]
    return calls


def replay(llama: Any, llama_cpp: Any, request: Any, *, fast: bool, heads: bool) -> tuple[float, dict, int | None]:
    """One call, timed from an empty cache (`heads=False`: llama-cpp-python evaluates the whole prompt) or as
    airloop's backend prepares it (`heads=True`: the saved head restored, or evaluated on its own first)."""
    from airloop.agents.models._llamacpp import LlamaCppModel, _plain_messages, schema_grammar

    grammar = None
    if request.schema is not None:
        grammar = llama_cpp.LlamaGrammar.from_string(schema_grammar(request.schema), verbose=False)
    messages = _plain_messages(request.messages)
    llama.fast_grammar = fast
    t0 = time.perf_counter()
    reused = None
    if heads:
        reused = LlamaCppModel._prepare_context(llama, llama_cpp, messages)
    else:
        llama.reset()
    out = llama.create_chat_completion(messages=messages, grammar=grammar, temperature=0.0,
                                       max_tokens=request.max_tokens, repeat_penalty=1.0)
    return time.perf_counter() - t0, out, reused


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ids", default="i002,i004,i048,i056,i060,i062", help="gold intents of intents.jsonl")
    ap.add_argument("--strategies", default="hybrid,llm-direct")
    ap.add_argument("--scenario", default="urban-macro-19")
    ap.add_argument("--threads", type=int, default=1)
    args = ap.parse_args(argv)
    if args.threads < 1:
        ap.error("--threads must be at least 1")

    from airloop.agents.models import ModelConfig, get_model
    from airloop.agents.models._llamacpp import import_llama_cpp

    calls = record_calls(args.ids.split(","), args.strategies.split(","), args.scenario)
    if not calls:
        print("no strategy made a model call", file=sys.stderr)
        return 1
    model = get_model("llamacpp", config=ModelConfig(llamacpp_threads=args.threads))
    llama, lock, _ = model._llama()
    llama_cpp = import_llama_cpp()
    rows = []
    with lock:
        for c in calls:  # in order, as one evaluation worker meets them: the saved heads carry over
            req = c["request"]
            stock_s, stock, _ = replay(llama, llama_cpp, req, fast=False, heads=False)
            new_s, new, reused = replay(llama, llama_cpp, req, fast=True, heads=True)
            s = llama.last_grammar_sampler
            rows.append({
                "strategy": c["strategy"], "intent": c["intent"],
                "prompt_tokens": stock["usage"]["prompt_tokens"],
                "completion_tokens": stock["usage"]["completion_tokens"],
                "head_restored": reused or 0, "stock_s": round(stock_s, 2), "airloop_s": round(new_s, 2),
                "speedup": round(stock_s / new_s, 2),
                "grammar_fallbacks": f"{s.fallbacks}/{s.checked}" if s is not None else "-",
                "identical": stock["choices"][0]["message"]["content"] == new["choices"][0]["message"]["content"]})
        llama.fast_grammar = True
        llama.reset()
    cols = list(rows[0])
    print(" | ".join(cols))
    for r in rows:
        print(" | ".join(str(r[k]) for k in cols))
    per_strategy = {}
    for strategy in dict.fromkeys(r["strategy"] for r in rows):
        mine = [r for r in rows if r["strategy"] == strategy]
        per_strategy[strategy] = round(sum(r["stock_s"] for r in mine) / sum(r["airloop_s"] for r in mine), 3)
    summary = {"threads": args.threads, "calls": len(rows),
               "speedup_total": round(sum(r["stock_s"] for r in rows) / sum(r["airloop_s"] for r in rows), 3),
               "speedup_per_strategy": per_strategy,
               "heads_restored": sum(1 for r in rows if r["head_restored"]),
               "all_identical": all(r["identical"] for r in rows), "rows": rows}
    print(json.dumps(summary))
    return 0 if summary["all_identical"] else 2


if __name__ == "__main__":
    sys.exit(main())
