"""The agents' real model calls on the embedded model: where their time goes, and the grammar fast path side by side.

    python benchmarks/llm_calls.py                          # i002,i048 x hybrid,llm-direct on urban-macro-19
    python benchmarks/llm_calls.py --ids i002 --strategies hybrid --reps 2 --threads 1

Each strategy is run on each gold intent until its first model call, which is recorded and not answered (the run
then goes on without the model; nothing of it is measured). Every recorded call is then replayed on the embedded
SmolLM2 in one process, in alternation:
- `prompt`: the prompt alone (one token generated): the prompt-evaluation part of the call;
- `stock`: llama-cpp-python's own sampler chain, which matches the JSON-schema grammar against the whole vocabulary
  every token;
- `fast`: airloop's chain (`agents/models/_fast_grammar.py`), which asks the grammar about the preferred token first.
Both are greedy, so the answers must be identical (checked, and reported). Decoding time = call − prompt. The machine
is shared: read the ratios measured side by side, not the seconds. One llama.cpp thread by default, as each of the
evaluation harness's two workers uses on 2 cores. Prints a table, then one JSON line.
"""

from __future__ import annotations

import argparse
import json
import statistics
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
    from airloop.app import DEFAULT_BUDGET, RunSettings, run
    from airloop.runs import RunStore
    from airloop.simulator import Network
    from airloop.tools import NetworkSession

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


def replay(llama: Any, llama_cpp: Any, request: Any, *, fast: bool, max_tokens: int | None = None) -> tuple[float, dict]:
    from airloop.agents.models._llamacpp import _plain_messages, schema_grammar

    grammar = None
    if request.schema is not None and max_tokens is None:
        grammar = llama_cpp.LlamaGrammar.from_string(schema_grammar(request.schema), verbose=False)
    llama.fast_grammar = fast
    llama.reset()
    t0 = time.perf_counter()
    out = llama.create_chat_completion(messages=_plain_messages(request.messages), grammar=grammar, temperature=0.0,
                                       max_tokens=max_tokens or request.max_tokens, repeat_penalty=1.0)
    return time.perf_counter() - t0, out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ids", default="i002,i048", help="gold intents of benchmarks/intents/intents.jsonl")
    ap.add_argument("--strategies", default="hybrid,llm-direct")
    ap.add_argument("--scenario", default="urban-macro-19")
    ap.add_argument("--reps", type=int, default=1, help="alternations of stock and fast per call")
    ap.add_argument("--threads", type=int, default=1)
    args = ap.parse_args(argv)
    if args.reps < 1 or args.threads < 1:
        ap.error("--reps and --threads must be at least 1")

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
        for c in calls:
            req = c["request"]
            prompt_s = [replay(llama, llama_cpp, req, fast=True, max_tokens=1)[0] for _ in range(args.reps)]
            times: dict[bool, list[float]] = {False: [], True: []}
            answers: dict[bool, set[str]] = {False: set(), True: set()}
            usage: dict[str, Any] = {}
            fallbacks = checked = 0
            for _ in range(args.reps):
                for fast in (False, True):
                    dt, out = replay(llama, llama_cpp, req, fast=fast)
                    times[fast].append(dt)
                    answers[fast].add(out["choices"][0]["message"]["content"])
                    usage = out["usage"]
                    if fast and llama.last_grammar_sampler is not None:
                        checked, fallbacks = llama.last_grammar_sampler.checked, llama.last_grammar_sampler.fallbacks
            p = statistics.median(prompt_s)
            stock, fast_ = statistics.median(times[False]), statistics.median(times[True])
            rows.append({
                "strategy": c["strategy"], "intent": c["intent"], "prompt_tokens": usage.get("prompt_tokens"),
                "completion_tokens": usage.get("completion_tokens"), "prompt_s": round(p, 2),
                "stock_s": round(stock, 2), "fast_s": round(fast_, 2),
                "decode_stock_s": round(stock - p, 2), "decode_fast_s": round(fast_ - p, 2),
                "decode_speedup": round((stock - p) / max(1e-9, fast_ - p), 2),
                "call_speedup": round(stock / fast_, 2), "prompt_share_fast": round(p / fast_, 2),
                "grammar_fallbacks": f"{fallbacks}/{checked}",
                "identical": len(answers[False] | answers[True]) == 1})
        llama.fast_grammar = True
        llama.reset()
    cols = ["strategy", "intent", "prompt_tokens", "completion_tokens", "prompt_s", "stock_s", "fast_s",
            "decode_stock_s", "decode_fast_s", "decode_speedup", "call_speedup", "prompt_share_fast",
            "grammar_fallbacks", "identical"]
    print(" | ".join(cols))
    for r in rows:
        print(" | ".join(str(r[k]) for k in cols))
    total_stock = sum(r["stock_s"] for r in rows)
    total_fast = sum(r["fast_s"] for r in rows)
    summary = {"threads": args.threads, "reps": args.reps, "calls": len(rows),
               "call_speedup_total": round(total_stock / total_fast, 3),
               "decode_speedup_total": round(sum(r["decode_stock_s"] for r in rows)
                                             / max(1e-9, sum(r["decode_fast_s"] for r in rows)), 3),
               "prompt_share_of_fast_calls": round(sum(r["prompt_s"] for r in rows) / total_fast, 3),
               "all_identical": all(r["identical"] for r in rows), "rows": rows}
    print(json.dumps(summary))
    return 0 if summary["all_identical"] else 2


if __name__ == "__main__":
    sys.exit(main())
