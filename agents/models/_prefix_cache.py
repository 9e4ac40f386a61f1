"""The embedded model's KV cache for the part of a prompt that calls share: everything before the last message.

Prompt evaluation is most of an embedded call's time (about 1,500 tokens at ~50 tokens/s on one core, against a
hundred-odd tokens of answer), and most of a prompt is the same from call to call: hybrid's system prompt and its
few-shot turns for an objective family, the planner's system prompt and examples. A call here is evaluated in two
steps, always the same two: the head (every message but the last, as the chat template writes them), then the rest.
The head's keys and values are kept (llama.cpp's per-sequence state, a few tens of MB each, the last `MAX_STATES`
heads) and restored when a later call starts with the same head under the same weights, so only the last message is
evaluated again.

Because a head is always evaluated on its own from an empty cache, restoring it gives the bits a fresh evaluation
gives: an answer depends on its own messages only, not on which call ran before (the property that made airloop
reset the cache between runs, see `LlamaCppModel._prepare_context`).
"""

from __future__ import annotations

import ctypes
import logging
from collections import OrderedDict
from typing import Any

log = logging.getLogger(__name__)

#: heads kept per loaded model (each holds its tokens' keys and values: ~23 kB per token for SmolLM2-135M)
MAX_STATES = 4
#: a head shorter than this is evaluated with the rest (not worth a state)
MIN_HEAD_TOKENS = 128


class PrefixStates:
    """Per loaded ``Llama``: the chat template's two renderings and the saved heads, least recently used first."""

    def __init__(self, llama: Any, llama_cpp: Any, max_states: int = MAX_STATES) -> None:
        self._lib = llama_cpp
        self.max_states = max_states
        self.states: OrderedDict[tuple[bool, tuple[int, ...]], bytes] = OrderedDict()
        self.hits = 0
        self.misses = 0
        self._formatters: tuple[Any, Any] | None = None
        template = (getattr(llama, "metadata", None) or {}).get("tokenizer.chat_template")
        if template and getattr(llama, "chat_handler", None) is None and llama.chat_format == "chat_template.default":
            from llama_cpp import llama_chat_format

            eos_id, bos_id = llama.token_eos(), llama.token_bos()
            eos = llama._model.token_get_text(eos_id) if eos_id != -1 else ""
            bos = llama._model.token_get_text(bos_id) if bos_id != -1 else ""
            # as llama-cpp-python builds the handler for a GGUF's own template (Llama.__init__)
            full = llama_chat_format.Jinja2ChatFormatter(template=template, eos_token=eos, bos_token=bos,
                                                         stop_token_ids=[eos_id])
            head = llama_chat_format.Jinja2ChatFormatter(template=template, eos_token=eos, bos_token=bos,
                                                         stop_token_ids=[eos_id], add_generation_prompt=False)
            self._formatters = (full, head)

    def split(self, llama: Any, messages: list[dict[str, str]]) -> tuple[list[int], list[int]] | None:
        """(head tokens, whole prompt tokens) as the chat handler tokenizes them; None when the prompt has no head
        worth keeping or the template does not render the head as a prefix of the whole."""
        if self._formatters is None or len(messages) < 2:
            return None
        full_fmt, head_fmt = self._formatters
        full = full_fmt(messages=messages)
        head = head_fmt(messages=messages[:-1])
        if not full.prompt.startswith(head.prompt):
            return None
        tokens = llama.tokenize(full.prompt.encode("utf-8"), add_bos=not full.added_special, special=True)
        head_tokens = llama.tokenize(head.prompt.encode("utf-8"), add_bos=not head.added_special, special=True)
        n = len(head_tokens)
        if n < MIN_HEAD_TOKENS or n >= len(tokens) or tokens[:n] != head_tokens:
            return None
        return head_tokens, tokens

    def prepare(self, llama: Any, messages: list[dict[str, str]], *, adapter_on: bool,
                parts: tuple[list[int], list[int]] | None = None) -> int | None:
        """Leave the model's cache holding exactly the head of `messages` (restored, or evaluated and saved) and
        return the number of head tokens restored (0 on a first sight); None when the prompt has no head to keep,
        after which the caller evaluates it whole from an empty cache. ``parts``: `split`'s answer when the caller
        has it already (the template is then rendered and tokenized once per call)."""
        if parts is None:
            parts = self.split(llama, messages)
        if parts is None:
            return None
        head, _ = parts
        key = (adapter_on, tuple(head))
        ctx = llama._ctx.ctx
        saved = self.states.get(key)
        llama.reset()
        llama._ctx.kv_cache_clear()
        if saved is not None:
            buf = (ctypes.c_uint8 * len(saved)).from_buffer_copy(saved)
            if self._lib.llama_state_seq_set_data(ctx, buf, len(saved), 0) == 0:
                log.warning("llama.cpp refused a saved prompt head; evaluating it again")
                del self.states[key]
                llama._ctx.kv_cache_clear()
                saved = None
        if saved is None:
            self.misses += 1
            llama.eval(head)  # on its own, from an empty cache: the same bits every time
            size = self._lib.llama_state_seq_get_size(ctx, 0)
            buf = (ctypes.c_uint8 * size)()
            written = self._lib.llama_state_seq_get_data(ctx, buf, size, 0)
            self.states[key] = ctypes.string_at(buf, written)  # one copy (slicing a ctypes array makes a list)
            while len(self.states) > self.max_states:
                self.states.popitem(last=False)
            return 0
        self.hits += 1
        self.states.move_to_end(key)
        llama.input_ids[: len(head)] = head
        llama.n_tokens = len(head)
        llama._requires_eval = True  # the logits are not restored: the rest of the prompt is decoded after the head
        return len(head)
