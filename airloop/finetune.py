"""Fine-tuning the embedded model on what airloop verifies: `airloop train planner` (the rule reader's readings; GRPO
rewards field agreement with them, `planner_reward`) and `airloop train hybrid` (the default plan of each reading on a
simulated network, `hybrid_rows`; GRPO rewards each sampled plan with its verified reward after search,
`HybridReward`).

The optional extra ``airloop[train]`` (TRL, PEFT, transformers, gguf, datasets; torch) is needed here and nowhere
else. The pipeline, every step with a library that does it:

1. **Base weights**: transformers reads the shipped SmolLM2 GGUF (Q4_1) and dequantizes it to float32 (its GGUF
   integration); the GGUF "quantization" marker is then cleared, because the weights in memory are plain tensors.
2. **Teacher labels**: each training text is read by the rule planner (`plan_intent`, strategy ``rules``); a text is
   kept only when the reading is ``ok`` and needs no confirmation, and its label is the rule reading written as the
   LLM draft (numbers as written, with their unit: `draft_json`). The prompt is `tuned_messages` (the short
   ``prompts/planner_tuned.md``), the one the planner sends to a model whose adapter says it was tuned for it.
3. **SFT with LoRA** (TRL's `SFTTrainer`, PEFT `LoraConfig`; loss on the answer tokens only), on CPU, with
   checkpoints every ``save_every`` steps and ``--resume`` from the newest one (hybrid GRPO checkpoints also hold
   the reward's counts and cached simulations, `HYBRID_REWARD_STATE`, so a resumed run goes on counting and does not
   simulate again what it saw).
4. **Export**: the LoRA pairs are written as a llama.cpp LoRA adapter (GGUF ``general.type = adapter``) with the
   ``gguf`` package; tensor names come from gguf's own HF→GGUF map, and ``lora_b`` of q/k is permuted as llama.cpp's
   converter permutes q/k weights. A manifest beside it records the base model's digest, the data hash, the prompt
   hashes, the steps and the training curve.

Shipped (``--ship``), the adapter is loaded beside the base model by ``llamacpp`` and applied to the planner's calls
only (``llamacpp:base`` runs without it; see `airloop.agents.models.shipped_adapter`).
"""

from __future__ import annotations

import functools
import importlib.util
import json
import shutil
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from airloop.agents.intent import HOURS_FORMATS
from airloop.agents.models import ModelError, embedded_model_path, file_digest
from airloop.agents.planner import parse_rules, plan_intent
from airloop.agents.planner._merge import draft_json, draft_text, tuned_messages
from airloop.campaign_runner import package_versions

TRAIN_PACKAGES = ("torch", "transformers", "peft", "trl", "gguf", "datasets")
TRAIN_HINT = 'install the training extra: pip install "airloop[train]"'
#: the projections LoRA adapts in every decoder block (llama names; all of attention and the MLP)
LORA_TARGETS = ("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj")
#: what an adapter can be trained for: the planner's reading, hybrid's search plan (`ChatRequest.task`)
TASKS = ("planner", "hybrid")
#: the networks hybrid's training prompts are drawn on (the eval's scenarios, several user drops)
HYBRID_SCENARIOS = ("urban-macro-19", "dense-urban-hetnet")
HYBRID_SEEDS = (0, 1, 2)


def adapter_file(task: str) -> str:
    return f"{task}-lora.gguf"


def manifest_file(task: str) -> str:
    return f"{task}-lora.json"


class TrainError(ValueError):
    """Bad training input: the message says what was wrong and what to do."""


def train_missing() -> str | None:
    """None if the training extra is installed, else which packages are missing and how to install them."""
    missing = [p for p in TRAIN_PACKAGES if importlib.util.find_spec(p) is None]
    return f"missing {', '.join(missing)}; {TRAIN_HINT}" if missing else None


@dataclass
class TrainConfig:
    """SFT settings. The defaults train the shipped adapter (~1.2 s per step of 4 examples on 2 cores)."""

    steps: int = 600
    batch_size: int = 4
    learning_rate: float = 1e-3
    rank: int = 8
    alpha: float = 16.0
    max_length: int = 320
    seed: int = 0
    save_every: int = 50
    #: "sft" (teacher-forced on the labels) or "grpo" (sampled answers scored by `planner_reward`; start it from an
    #: SFT run with ``init``)
    method: str = "sft"
    num_generations: int = 4
    max_completion_length: int = 160
    #: how the planner's labels write custom hours: ``"list"`` (the enumerated hours) or ``"spans"`` (clock spans
    #: ``{"start": 23, "end": 5}``, which the model copies from the text instead of counting); recorded in the
    #: manifest as ``planner_draft`` and used by the planner when it asks the tuned model
    hours_as: str = "list"

    def check(self) -> None:
        limits = {"steps": (1, 100_000), "batch_size": (1, 256), "rank": (1, 256), "max_length": (64, 8192),
                  "save_every": (1, 100_000)}
        for name, (lo, hi) in limits.items():
            v = getattr(self, name)
            if not lo <= v <= hi:
                raise TrainError(f"{name}={v} is outside {lo}..{hi}; pass a value in that range")
        if not 0 < self.learning_rate <= 0.1:
            raise TrainError(f"learning_rate={self.learning_rate} is outside (0, 0.1]; 1e-3 suits LoRA on 135M")
        if self.method not in ("sft", "grpo"):
            raise TrainError(f"method={self.method!r} is not one of sft, grpo")
        if self.method == "grpo" and (self.num_generations < 2 or self.batch_size % self.num_generations):
            raise TrainError(f"grpo needs num_generations >= 2 dividing batch_size (got {self.num_generations} and "
                             f"{self.batch_size}); e.g. --batch-size 4 with 4 generations")
        if self.hours_as not in HOURS_FORMATS:
            raise TrainError(f"hours_as={self.hours_as!r} is not one of {', '.join(HOURS_FORMATS)}")
        if self.alpha <= 0:
            raise TrainError(f"alpha={self.alpha} must be > 0 (LoRA scale = alpha / rank)")


# == data ==============================================================================================================

def read_texts(path: Path) -> list[str]:
    """The ``text`` of every JSONL row of ``path``; a clear error naming the line for anything else."""
    if not path.is_file():
        raise TrainError(f"training data {path} does not exist; make one with "
                         "`python benchmarks/paraphrases.py train-data` (JSONL rows with a \"text\" field)")
    texts = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as e:
            raise TrainError(f"{path}:{n}: not JSON ({e.msg}); every line must be an object with a \"text\"") from e
        if not isinstance(row, dict) or not isinstance(row.get("text"), str) or not row["text"].strip():
            raise TrainError(f"{path}:{n}: a row needs a non-empty \"text\" string")
        texts.append(row["text"])
    if not texts:
        raise TrainError(f"{path} holds no rows; the planner needs at least one text to learn from")
    return texts


def confident_readings(texts: Iterable[str], dropped: dict[str, int]) -> Iterator[tuple[str, Any]]:
    """(text, Intent) for each distinct text the rule reader reads without needing a confirmation: what a training row
    may be built on. Counts the others in ``dropped`` (``duplicate``, ``not_read``, ``needs_confirmation``)."""
    seen: set[str] = set()
    for text in texts:
        if text in seen:
            dropped["duplicate"] += 1
            continue
        seen.add(text)
        res = plan_intent(text, strategy="rules")
        if res.status != "ok" or res.intent is None:
            dropped["not_read"] += 1
        elif res.needs_confirmation:
            dropped["needs_confirmation"] += 1
        else:
            yield text, res.intent


def teacher_rows(texts: Iterable[str], hours_as: str = "list") -> tuple[list[dict[str, Any]], dict[str, int]]:
    """Prompt/completion rows labelled by the rule reader (custom hours as a list or as clock spans, ``hours_as``),
    and how many texts were dropped and why (``too_many_spans``: hours in more pieces than the span form holds)."""
    rows: list[dict[str, Any]] = []
    dropped = {"not_read": 0, "needs_confirmation": 0, "duplicate": 0}
    if hours_as != "list":
        dropped["too_many_spans"] = 0
    for text, _ in confident_readings(texts, dropped):
        msgs, _ = tuned_messages(text)
        try:
            draft = draft_json(parse_rules(text), hours_as=hours_as)
        except ValueError:
            dropped["too_many_spans"] += 1
            continue
        rows.append({"text": text, "prompt": msgs,
                     "completion": [{"role": "assistant", "content": draft_text(draft)}]})
    return rows, dropped


def held_out_golds(paths: Iterable[Path]) -> list[Any]:
    """The gold intents of every row of ``paths`` (JSONL) that is not on the tuning side (split ``dev``, ``tune`` or
    ``train``): what no training prompt may ask. A missing file is an error (a silent skip would leak)."""
    from airloop.agents.intent import Intent

    golds = []
    for path in paths:
        if not Path(path).is_file():
            raise TrainError(f"held-out file {path} does not exist; pass the benchmark intent files (--held-out)")
        for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip() or line.lstrip().startswith("//"):
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as e:
                raise TrainError(f"{path}:{n}: not JSON ({e.msg})") from e
            if isinstance(row, dict) and row.get("gold") and row.get("split") not in ("dev", "tune", "train"):
                golds.append(Intent.model_validate(row["gold"]))
    return golds


def hybrid_rows(texts: Iterable[str], *, held_out: Iterable[Any] = (), scenarios: tuple[str, ...] = HYBRID_SCENARIOS,
                seeds: tuple[int, ...] = HYBRID_SEEDS, limit: int | None = None,
                ) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """Prompt/completion rows for hybrid's plan call: each training text's confident rule reading (an Intent; no
    held-out gold intent, compared field by field as the model sees them) on one of the scenarios' networks (they take
    turns, the user drop cycles through ``seeds``), asked as hybrid asks a tuned model (`plan_messages`: the short
    system prompt, no few-shot examples), labelled with the deterministic default plan written as the model's answer (`answer_of`): the plan
    whose searches the agent benchmark verifies (hybrid, heuristic: median regret against the oracle 0.1-3.9 %)."""
    from airloop.agents.strategies._hybrid import answer_of, plan_messages
    from airloop.agents.strategies._llm import intent_text
    from airloop.agents.strategies._plan import default_plan
    from airloop.agents.strategies._space import SearchSpace

    blocked = {intent_text(g) for g in held_out}
    rows: list[dict[str, Any]] = []
    dropped = {"not_read": 0, "needs_confirmation": 0, "duplicate": 0, "held_out": 0, "no_plan": 0}
    seen: set[str] = set()
    if limit is not None and limit < 1:
        raise TrainError(f"limit={limit}: at least 1 row; pass a limit in 1..100000")
    for text, intent in confident_readings(texts, dropped):
        key = intent_text(intent)
        if key in seen:  # another text of an intent already asked
            dropped["duplicate"] += 1
            continue
        seen.add(key)
        if key in blocked:
            dropped["held_out"] += 1
            continue
        n = len(rows)
        where = (scenarios[n % len(scenarios)], seeds[(n // len(scenarios)) % len(seeds)])
        space = SearchSpace.build(network_view(*where), intent)
        answer = answer_of(default_plan(intent, space), space, intent) if space.usable_knobs() else None
        if answer is None:
            dropped["no_plan"] += 1
            continue
        msgs, _, _ = plan_messages(space, intent, n_examples=0, tuned=True)
        rows.append({"text": text, "scenario": where[0], "seed": where[1], "prompt": msgs,
                     "intent": intent.model_dump_json(),
                     "completion": [{"role": "assistant", "content": json.dumps(answer, separators=(", ", ": "))}]})
        if limit is not None and len(rows) >= limit:
            break  # before the next text is read: the drop counts stop where the rows do
    return rows, dropped


@functools.cache
def network_view(scenario: str, seed: int) -> Any:
    """A read-only view of one scenario's network with one user drop, under the default policy: what hybrid's training
    prompts are asked on (`hybrid_rows`) and its GRPO plans searched on (`HybridReward`); built once per process."""
    from airloop.simulator import Network
    from airloop.tools import NetworkSession, NetworkView, Policy

    return NetworkView(NetworkSession(Network.from_scenario(scenario, seed=seed), Policy.default()))


#: the planner reward's parts: a schema-valid answer, then each intent field that agrees with the teacher's reading
REWARD_SCHEMA = 0.2
REWARD_FIELDS = ("objective", "constraints", "hours", "cells", "knobs")


@functools.cache
def _reward_schema(hours_as: str) -> Any:
    """The full planner draft schema in one hours form, built once (GRPO scores every sampled answer with it)."""
    from airloop.agents.intent import draft_schema

    return draft_schema(hours_as=hours_as)


def planner_reward(completion: str, label: str) -> float:
    """GRPO's reward for one answer: 0 unless it parses into the planner's draft schema and post-processes into a
    valid intent; then `REWARD_SCHEMA` plus the share of `REWARD_FIELDS` on which it agrees with the label (the rule
    reader's draft, post-processed the same way), scaled to 1. Never raises: a malformed answer scores 0."""
    from airloop.agents.intent import intent_diff, intent_from_draft

    # the label's form (hours as a list or as clock spans) is the form the answer must have
    schema = _reward_schema("spans" if '"spans"' in label else "list")
    try:
        answer = schema.model_validate_json(completion.strip())
        got, _ = intent_from_draft(answer)
        want, _ = intent_from_draft(schema.model_validate_json(label))
    except ValueError:
        return 0.0
    wrong = set(intent_diff(got, want))
    return REWARD_SCHEMA + (1 - REWARD_SCHEMA) * sum(f not in wrong for f in REWARD_FIELDS) / len(REWARD_FIELDS)


#: hybrid GRPO: the simulator evaluations each sampled plan's search may spend (hybrid's own default is 60; its TPE
#: and polish run the same way, on fewer points, so a training step stays short)
HYBRID_REWARD_EVALS = 24
#: the reward of a plan answer that does not parse into the plan schema, or leaves no usable move after
#: `plan_from_answer`'s repairs: below "searched, nothing approved" (0), where the agent would fall back to the
#: default plan
HYBRID_REWARD_FAILED = -0.05
#: beside each hybrid GRPO checkpoint: the reward's counts and caches (`HybridReward.state`), taken up by ``--resume``
HYBRID_REWARD_STATE = "hybrid_reward.json"


class HybridReward:
    """GRPO's reward for hybrid's plan call: the verified reward of a sampled plan after search.

    The answer is parsed with the plan schema the prompt was asked with and repaired as the agent repairs it
    (`plan_from_answer`); the plan alone (no default-plan yardstick, so the reward is the plan's own) is searched as
    hybrid searches a plan (`Hybrid.search`: TPE from its start points, the last evaluations kept for `Hybrid.finish`:
    `polish` and sleeping-cell swaps) with `HYBRID_REWARD_EVALS` evaluations on the optimizer's drops, and its best
    candidate goes to the verifier (`verify`, on the verifier's fresh drops for the intent and scenario; never the
    evaluation judge's seeds). Reward: the verified reward if the verifier approves, else 0 (nothing would be
    applied); `HYBRID_REWARD_FAILED` for an answer that is no usable plan. Never raises on a model's answer.

    The simulations are cached: one network view per (scenario, drop) (`network_view`), one search space and plan
    schema per row, one reward per (row, repaired plan), one verdict per (row, candidate), so the same plan sampled
    again costs nothing. ``stats`` counts answers, failures, searches, cache hits and simulator evaluations (the
    manifest records them).
    """

    def __init__(self, *, max_evals: int = HYBRID_REWARD_EVALS, opt_steps: int = 5,
                 opt_seeds: tuple[int, ...] = (0, 1)) -> None:
        self.max_evals = max_evals
        self.opt_steps = opt_steps
        self.opt_seeds = opt_seeds
        from airloop.agents.strategies._hybrid import Hybrid

        self._hybrid = Hybrid(max_evals=max_evals)  # its `search` and `finish`, with hybrid's own parameters
        self._rows: dict[tuple[str, str, int], tuple[Any, Any, Any, Any]] = {}
        self._plans: dict[tuple[str, str, int, str], float] = {}
        self._verdicts: dict[tuple[str, str, int, str], float] = {}
        self.stats = {"answers": 0, "failed": 0, "searched": 0, "cached": 0, "approved": 0, "sim_evals": 0}

    def state(self) -> dict[str, Any]:
        """The counts and the cached rewards and verdicts, as JSON (saved beside each checkpoint, so a resumed run
        neither re-simulates what it saw nor restarts its counts)."""
        return {"stats": dict(self.stats), "plans": [[*k, v] for k, v in self._plans.items()],
                "verdicts": [[*k, v] for k, v in self._verdicts.items()]}

    def load_state(self, state: dict[str, Any]) -> None:
        """Take up a `state` written by an earlier run of the same training (its checkpoint's)."""
        self.stats.update({k: int(v) for k, v in state.get("stats", {}).items() if k in self.stats})
        for cache, name in ((self._plans, "plans"), (self._verdicts, "verdicts")):
            for *key, value in state.get(name, []):
                cache[(str(key[0]), str(key[1]), int(key[2]), str(key[3]))] = float(value)

    def _row(self, row: tuple[str, str, int]) -> tuple[Any, Any, Any, Any]:
        """(intent, network view, search space, plan schema) of a row, built once."""
        from airloop.agents.intent import Intent
        from airloop.agents.strategies._hybrid import plan_schema
        from airloop.agents.strategies._space import SearchSpace

        if row not in self._rows:
            intent, view = Intent.model_validate_json(row[0]), network_view(row[1], row[2])
            space = SearchSpace.build(view, intent)
            self._rows[row] = (intent, view, space, plan_schema(space, intent))
        return self._rows[row]

    def __call__(self, completion: str, intent_json: str, scenario: str, seed: int) -> float:
        from airloop.agents.strategies._hybrid import plan_from_answer

        self.stats["answers"] += 1
        row = (intent_json, scenario, int(seed))
        intent, view, space, schema = self._row(row)
        try:
            answer = schema.model_validate_json(completion.strip())
            plan, _ = plan_from_answer(answer.model_dump(), space, intent)
        except ValueError:
            plan = None
        if plan is None or not plan.moves:
            self.stats["failed"] += 1
            return HYBRID_REWARD_FAILED
        key = (*row, json.dumps(plan.to_dict(), sort_keys=True))
        if key in self._plans:
            self.stats["cached"] += 1
            return self._plans[key]
        self._plans[key] = reward = self._search_and_verify(plan, row, intent, view, space)
        return reward

    def _search_and_verify(self, plan: Any, row: tuple[str, str, int], intent: Any, view: Any, space: Any) -> float:
        from airloop.agents.evaluate import Evaluator, changes_key, representative_hours
        from airloop.agents.models import Budget
        from airloop.agents.strategies import OptimizeContext
        from airloop.agents.strategies._scoring import Scorer, SearchStopped
        from airloop.agents.verifier import verifier_seeds, verify

        self.stats["searched"] += 1
        _, scenario, seed = row
        budget = Budget(max_sim_evals=self.max_evals)
        evaluator = Evaluator(view, intent, hours=representative_hours(intent.hours), steps=self.opt_steps,
                              seeds=self.opt_seeds, budget=budget)
        ctx = OptimizeContext(intent=intent, network=view, evaluator=evaluator, budget=budget, seed=seed,
                              max_evals=self.max_evals)
        scorer = Scorer(ctx, max_evals=self.max_evals)
        try:  # hybrid's own search of one plan: TPE keeping the last evaluations for polish, then polish and swaps
            self._hybrid.finish(plan, space, scorer, self._hybrid.search(plan, space, scorer, seed=seed))
        except SearchStopped:
            pass
        self.stats["sim_evals"] += evaluator.n_evals
        best = scorer.best
        if best is None or not best.changes:
            return 0.0
        vkey = (*row, changes_key(best.changes))
        if vkey not in self._verdicts:
            verdict = verify(view, intent, best.changes, seeds=verifier_seeds(intent, scenario))
            self.stats["sim_evals"] += 1
            self.stats["approved"] += int(verdict.approved)
            self._verdicts[vkey] = float(verdict.reward) if verdict.approved else 0.0
        return self._verdicts[vkey]


# == model =============================================================================================================

def load_base(gguf_path: Path | None = None) -> tuple[Any, Any]:
    """(model, tokenizer) of a GGUF file, dequantized to float32 by transformers; default the embedded SmolLM2."""
    if missing := train_missing():
        raise ModelError("not_installed", missing)
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()
    path = gguf_path or embedded_model_path()
    if path is None or not Path(path).is_file():
        raise ModelError("not_installed", "no base GGUF file to train", hint='pip install "airloop[local]"')
    path = Path(path)
    tokenizer = AutoTokenizer.from_pretrained(path.parent, gguf_file=path.name)
    model = AutoModelForCausalLM.from_pretrained(path.parent, gguf_file=path.name, dtype=torch.float32)
    # The tensors are dequantized float32 now; the marker would make Trainer refuse to train (GGUF "quantization").
    model.hf_quantizer = None  # type: ignore[assignment]
    model.is_quantized = False  # type: ignore[assignment]
    if hasattr(model.config, "quantization_config"):
        del model.config.quantization_config
    return model, tokenizer


def _permute(w: Any, n_head: int) -> Any:
    """llama.cpp's q/k row order (convert_hf_to_gguf ``LlamaModel.permute``) applied to a (out, r) LoRA B matrix."""
    return w.reshape(n_head, 2, w.shape[0] // n_head // 2, *w.shape[1:]).swapaxes(1, 2).reshape(w.shape)


def export_lora_gguf(peft_model: Any, path: Path, *, alpha: float) -> int:
    """Write the LoRA pairs of ``peft_model`` as a llama.cpp adapter GGUF (float16); returns the pairs written."""
    import gguf
    import numpy as np

    cfg = peft_model.config
    if cfg.model_type != "llama":
        raise TrainError(f"export knows llama-architecture models only, not {cfg.model_type!r}")
    names = gguf.get_tensor_name_map(gguf.MODEL_ARCH.LLAMA, cfg.num_hidden_layers)
    state = peft_model.state_dict()
    tmp = path.with_suffix(".tmp")
    writer = gguf.GGUFWriter(str(tmp), "llama")
    writer.add_string("general.type", "adapter")
    writer.add_string("adapter.type", "lora")
    writer.add_float32("adapter.lora.alpha", float(alpha))
    n = 0
    for key, a in sorted(state.items()):
        if ".lora_A." not in key:
            continue
        hf_name = key.split("base_model.model.", 1)[1].split(".lora_A.", 1)[0]
        b = state[key.replace(".lora_A.", ".lora_B.")].detach().float().numpy()
        if hf_name.endswith("q_proj"):
            b = _permute(b, cfg.num_attention_heads)
        elif hf_name.endswith("k_proj"):
            b = _permute(b, cfg.num_key_value_heads)
        gguf_name = names.get_name(hf_name)
        if gguf_name is None:
            raise TrainError(f"no GGUF name for {hf_name}; the adapter cannot be exported")
        writer.add_tensor(f"{gguf_name}.weight.lora_a", np.ascontiguousarray(a.detach().float().numpy(), np.float16))
        writer.add_tensor(f"{gguf_name}.weight.lora_b", np.ascontiguousarray(b, np.float16))
        n += 1
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    tmp.replace(path)  # never a half-written adapter where the backend looks
    return n


# == training ==========================================================================================================

@dataclass
class TrainResult:
    out_dir: Path
    adapter: Path
    manifest: dict[str, Any] = field(default_factory=dict)


def _latest_checkpoint(ckpt_dir: Path) -> Path | None:
    found = sorted((p for p in ckpt_dir.glob("checkpoint-*") if p.name.split("-")[-1].isdigit()),
                   key=lambda p: int(p.name.split("-")[-1]))
    return found[-1] if found else None


def train_planner(data: Path, out_dir: Path, config: TrainConfig | None = None, **kw: Any) -> TrainResult:
    """`train_adapter` for the planner."""
    return train_adapter("planner", data, out_dir, config, **kw)


def train_adapter(task: str, data: Path, out_dir: Path, config: TrainConfig | None = None, *, resume: bool = False,
                  base: Path | None = None, init: Path | None = None, progress: bool = True,
                  held_out: Iterable[Path] = (), limit: int | None = None,
                  on_log: Callable[[dict[str, Any]], None] | None = None) -> TrainResult:
    """Train a LoRA adapter of the base model for ``task`` on labels of the texts of ``data``: for ``planner`` the rule
    reader's readings (SFT, or GRPO with `planner_reward`); for ``hybrid`` the default plan of each reading on a
    simulated network (`hybrid_rows`, SFT; ``held_out``: intent files whose test-side golds are kept out; ``limit``:
    at most that many rows). Export it with its manifest. ``init``: an earlier run folder whose newest checkpoint's
    adapter is trained further (how GRPO starts from SFT).

    ``out_dir`` holds ``checkpoints/`` (every ``save_every`` steps), ``train_log.jsonl``, the adapter and the
    manifest. ``resume``: continue from the newest checkpoint (same data and settings), else start afresh; a directory
    that already has checkpoints is refused without ``resume`` so nothing is overwritten by accident.
    """
    config = config or TrainConfig()
    config.check()
    if task not in TASKS:
        raise TrainError(f"unknown task {task!r}; an adapter is trained for one of {', '.join(TASKS)}")
    if missing := train_missing():
        raise ModelError("not_installed", missing)
    texts = read_texts(data)
    ckpt_dir = out_dir / "checkpoints"
    latest = _latest_checkpoint(ckpt_dir) if ckpt_dir.is_dir() else None
    if latest is not None and not resume:
        raise TrainError(f"{out_dir} already holds checkpoints (newest {latest.name}); pass --resume to continue, "
                         "or choose a new --out directory")
    if task == "planner":
        rows, dropped = teacher_rows(texts, hours_as=config.hours_as)
    else:
        rows, dropped = hybrid_rows(texts, held_out=held_out_golds(held_out), limit=limit)
    if not rows:
        raise TrainError(f"the rule reader labelled none of the {len(texts)} texts of {data} with confidence; "
                         "nothing to train on")

    import torch
    from datasets import Dataset
    from peft import LoraConfig, PeftModel
    from transformers import TrainerCallback
    from trl import GRPOConfig, GRPOTrainer, SFTConfig, SFTTrainer

    init_ckpt = None
    if init is not None:
        init_ckpt = _latest_checkpoint(Path(init) / "checkpoints") if (Path(init) / "checkpoints").is_dir() else None
        if init_ckpt is None:
            raise TrainError(f"--init {init} holds no checkpoints/checkpoint-N folder; give an earlier run's --out")
    torch.manual_seed(config.seed)
    base_path = Path(base) if base else embedded_model_path()
    if base_path is None:
        raise ModelError("not_installed", "no base GGUF file to train", hint='pip install "airloop[local]"')
    model, tokenizer = load_base(base_path)
    if init_ckpt is not None:
        model = PeftModel.from_pretrained(model, str(init_ckpt), is_trainable=True)
        # the adapter keeps its own shape: rank and alpha are the earlier run's, whatever was passed
        adapter_cfg: Any = model.peft_config["default"]
        config = replace(config, rank=int(adapter_cfg.r), alpha=float(adapter_cfg.lora_alpha))
    out_dir.mkdir(parents=True, exist_ok=True)
    log_path = out_dir / "train_log.jsonl"

    class _Log(TrainerCallback):  # type: ignore[misc]
        def on_log(self, args: Any, state: Any, control: Any, logs: dict[str, Any] | None = None,
                   **kw: Any) -> None:
            if logs:
                rec = {"step": state.global_step, **{k: v for k, v in logs.items() if isinstance(v, int | float)}}
                with log_path.open("a", encoding="utf-8") as f:
                    f.write(json.dumps(rec) + "\n")
                if on_log:
                    on_log(rec)

    common: dict[str, Any] = dict(
        output_dir=str(ckpt_dir), max_steps=config.steps, per_device_train_batch_size=config.batch_size,
        learning_rate=config.learning_rate, lr_scheduler_type="cosine", warmup_steps=min(20, config.steps // 10),
        logging_steps=max(1, min(10, config.steps // 20)), save_strategy="steps", save_steps=config.save_every,
        save_total_limit=2, report_to=[], use_cpu=True, seed=config.seed, data_seed=config.seed,
        disable_tqdm=not progress, dataloader_num_workers=0,
    )
    lora = None if init_ckpt is not None else LoraConfig(
        r=config.rank, lora_alpha=config.alpha,  # type: ignore[arg-type]  # PEFT takes a float scale too
        lora_dropout=0.0, target_modules=list(LORA_TARGETS), task_type="CAUSAL_LM")
    trainer: Any
    callbacks: list[Any] = [_Log()]
    if config.method == "sft":
        dataset = Dataset.from_list([{"prompt": r["prompt"], "completion": r["completion"]} for r in rows])
        trainer = SFTTrainer(model=model, args=SFTConfig(**common, max_length=config.max_length), train_dataset=dataset,
                             processing_class=tokenizer, peft_config=lora, callbacks=[_Log()])
    elif task == "planner":
        dataset = Dataset.from_list([{"prompt": r["prompt"], "label": r["completion"][0]["content"]} for r in rows])

        def planner_rewards(completions: list[Any], label: list[str], **_: Any) -> list[float | None]:
            return [planner_reward(t, lab) for t, lab in zip(_answers(completions), label, strict=True)]

        reward_func: Callable[..., list[float | None]] = planner_rewards

    else:  # hybrid: each sampled plan is searched and verified on the row's network (`HybridReward`)
        dataset = Dataset.from_list([{"prompt": r["prompt"], "intent_json": r["intent"], "network_scenario":
                                      r["scenario"], "network_seed": r["seed"]} for r in rows])
        hybrid_reward = HybridReward()
        if resume and latest is not None and (latest / HYBRID_REWARD_STATE).is_file():
            hybrid_reward.load_state(json.loads((latest / HYBRID_REWARD_STATE).read_text(encoding="utf-8")))

        class _SaveReward(TrainerCallback):  # type: ignore[misc]
            def on_save(self, args: Any, state: Any, control: Any, **kw: Any) -> None:
                folder = Path(args.output_dir) / f"checkpoint-{state.global_step}"
                if folder.is_dir():
                    (folder / HYBRID_REWARD_STATE).write_text(json.dumps(hybrid_reward.state()), encoding="utf-8")

        callbacks.append(_SaveReward())

        def hybrid_rewards(completions: list[Any], intent_json: list[str], network_scenario: list[str],
                           network_seed: list[int], **_: Any) -> list[float | None]:
            return [hybrid_reward(t, i, sc, sd) for t, i, sc, sd in
                    zip(_answers(completions), intent_json, network_scenario, network_seed, strict=True)]

        reward_func = hybrid_rewards

    if config.method == "grpo":
        grpo = GRPOConfig(**common, num_generations=config.num_generations,
                          max_completion_length=config.max_completion_length, temperature=1.0, beta=0.0)
        trainer = GRPOTrainer(model=model, reward_funcs=[reward_func], args=grpo, train_dataset=dataset,
                              processing_class=tokenizer, peft_config=lora, callbacks=callbacks)
    t0 = time.perf_counter()
    trainer.train(resume_from_checkpoint=str(latest) if (resume and latest) else None)
    train_s = time.perf_counter() - t0

    adapter = out_dir / adapter_file(task)
    pairs = export_lora_gguf(trainer.model, adapter, alpha=config.alpha)
    history = [h for h in trainer.state.log_history if "loss" in h or "reward" in h]
    manifest = {
        "task": task,
        "tasks": [task],
        "adapter_file": adapter.name,
        "adapter_sha256": file_digest(adapter),
        "base_model": base_path.name,
        "base_digest": file_digest(base_path),
        "prompts": tuned_messages("")[1] if task == "planner" else _hybrid_prompt_hashes(),
        **({"planner_draft": config.hours_as} if task == "planner" else {}),
        "data": {"file": data.name, "sha256": file_digest(data), "texts": len(texts), "rows": len(rows),
                 "dropped": dropped, **({"held_out_files": [Path(p).name for p in held_out],
                                         "networks": sorted({f"{r['scenario']}/{r['seed']}" for r in rows})}
                                        if task == "hybrid" else {})},
        "method": config.method,
        "init": str(init_ckpt) if init_ckpt else None,
        "parent": parent_summary(Path(init), task) if init is not None else None,
        "total_steps": trainer.state.global_step + (parent_steps(Path(init), task) if init is not None else 0),
        "config": asdict(config),
        "lora_pairs": pairs,
        "steps": trainer.state.global_step,
        "resumed_from": latest.name if (resume and latest) else None,
        "train_s_this_run": round(train_s, 1),
        "final_loss": history[-1].get("loss") if history else None,
        "final_token_accuracy": history[-1].get("mean_token_accuracy") if history else None,
        "final_reward": history[-1].get("reward") if history else None,
        **({"reward": {"kind": "verified reward of the sampled plan after search", "evals_per_plan":
                       hybrid_reward.max_evals, "failed_answer": HYBRID_REWARD_FAILED, **hybrid_reward.stats}}
           if task == "hybrid" and config.method == "grpo" else {}),
        "curve": [{"step": h["step"], "loss": h.get("loss"), "token_accuracy": h.get("mean_token_accuracy"),
                   "reward": h.get("reward")} for h in history],
        "versions": package_versions(("torch", "transformers", "peft", "trl", "gguf")),
        "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    (out_dir / manifest_file(task)).write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    return TrainResult(out_dir=out_dir, adapter=adapter, manifest=manifest)


def _answers(completions: list[Any]) -> list[str]:
    """The text of each sampled completion (TRL gives conversational ones as message lists)."""
    return [c[-1]["content"] if isinstance(c, list) else str(c) for c in completions]


def _hybrid_prompt_hashes() -> dict[str, str]:
    from airloop.prompts import load_prompt

    return {p.path.name: p.sha256 for p in (load_prompt("hybrid_tuned"), load_prompt("hybrid_user"))}


def parent_summary(run: Path, task: str = "planner") -> dict[str, Any] | None:
    """What an ``--init`` run folder's manifest says of its training (its own parent included), for the lineage of
    the adapter trained from it; None when the folder has no manifest."""
    try:
        m = json.loads((run / manifest_file(task)).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return None
    return {k: m.get(k) for k in ("method", "steps", "total_steps", "config", "final_loss", "final_token_accuracy",
                                  "final_reward", "adapter_sha256", "created", "parent")}


def parent_steps(run: Path, task: str = "planner") -> int:
    p = parent_summary(run, task) or {}
    return int(p.get("total_steps") or p.get("steps") or 0)


def ship(out_dir: Path, dest: Path, task: str = "planner") -> list[Path]:
    """Copy a trained adapter and its manifest into ``dest`` (the package's adapter folder)."""
    src = [out_dir / adapter_file(task), out_dir / manifest_file(task)]
    for p in src:
        if not p.is_file():
            raise TrainError(f"{p} is missing; train first (`airloop train {task} --out {out_dir}`)")
    dest.mkdir(parents=True, exist_ok=True)
    return [Path(shutil.copy2(p, dest / p.name)) for p in src]
