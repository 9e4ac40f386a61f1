"""Grammar-constrained greedy decoding that checks the grammar on the model's choice first.

llama-cpp-python puts the grammar sampler in its chain before the greedy pick, so every token the grammar is matched
against all 49,152 entries of SmolLM2's vocabulary: under a JSON-schema grammar the embedded model decoded at about
half its free speed. llama.cpp's own `common_sampler` does it the other way round, and so does this sampler: take the
token the model prefers, ask the grammar about that one token, and only when the grammar refuses it match the whole
vocabulary. Under greedy decoding the result is the same token (the preferred token, when the grammar allows it, is
also the best allowed one; ties go to the lower id both ways), so every answer is unchanged; only the time differs.

It is used for structured calls at temperature 0, the only kind airloop makes; any other call keeps llama-cpp-python's
own chain (`fast_grammar_llama`).
"""

from __future__ import annotations

import ctypes
import functools
import math
from typing import Any

import numpy as np

#: llama_token_data as numpy sees it (int32 id, float logit, float p; 12 bytes, no padding).
_TOKEN_DTYPE = np.dtype([("id", np.intc), ("logit", np.single), ("p", np.single)])


class FastGrammarSampler:
    """A llama.cpp sampler (for a sampler chain, before the greedy pick) that applies `grammar` to the best-scoring
    candidate alone, and to all candidates only when that one is refused. Counts both in `checked` and `fallbacks`.
    """

    def __init__(self, llama_cpp: Any, vocab: Any, grammar: str, root: str = "root") -> None:
        self._lib = llama_cpp
        self.grammar = llama_cpp.llama_sampler_init_grammar(vocab, grammar.encode("utf-8"), root.encode("utf-8"))
        if not self.grammar:
            raise ValueError("llama.cpp could not parse the grammar")
        self.checked = 0
        self.fallbacks = 0
        self._one = llama_cpp.llama_token_data()
        self._one_array = llama_cpp.llama_token_data_array(
            data=ctypes.pointer(self._one), size=1, selected=-1, sorted=False)
        self._token_array_type = llama_cpp.llama_token_data

        def apply(_smpl: Any, cur_p: Any) -> None:
            self._apply(cur_p)

        def accept(_smpl: Any, token: int) -> None:
            llama_cpp.llama_sampler_accept(self.grammar, token)

        def reset(_smpl: Any) -> None:
            llama_cpp.llama_sampler_reset(self.grammar)

        # keep the callbacks alive as long as the sampler: llama.cpp holds only their addresses
        self._callbacks = (llama_cpp.llama_sampler_i_apply(apply), llama_cpp.llama_sampler_i_accept(accept),
                           llama_cpp.llama_sampler_i_reset(reset))
        self._iface = llama_cpp.llama_sampler_i()
        self._iface.apply, self._iface.accept, self._iface.reset = self._callbacks
        self._iface.name = llama_cpp.llama_sampler_i_name(0)
        self._iface.clone = llama_cpp.llama_sampler_i_clone(0)
        self._iface.free = llama_cpp.llama_sampler_i_free(0)  # the chain must not free it; `close` does
        self._sampler = llama_cpp.llama_sampler()
        self._sampler.iface = ctypes.pointer(self._iface)
        self._sampler.ctx = None

    def pointer(self) -> Any:
        return ctypes.pointer(self._sampler)

    def _apply(self, cur_p: Any) -> None:
        arr = cur_p.contents
        n = int(arr.size)
        if n == 0:
            return
        data = (self._token_array_type * n).from_address(ctypes.addressof(arr.data.contents))
        view = np.frombuffer(data, dtype=_TOKEN_DTYPE)
        best = int(np.argmax(view["logit"]))  # the first of equal maxima, as llama.cpp's greedy pick
        self.checked += 1
        self._one.id = int(view["id"][best])
        self._one.logit = float(view["logit"][best])
        self._one.p = 0.0
        self._one_array.size, self._one_array.selected, self._one_array.sorted = 1, -1, False
        self._lib.llama_sampler_apply(self.grammar, ctypes.byref(self._one_array))
        if math.isinf(self._one.logit) and self._one.logit < 0:  # refused: the grammar picks from everything
            self.fallbacks += 1
            self._lib.llama_sampler_apply(self.grammar, cur_p)

    def close(self) -> None:
        if self.grammar:
            self._lib.llama_sampler_free(self.grammar)
            self.grammar = None

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:  # noqa: BLE001 - interpreter teardown
            pass


@functools.cache
def fast_grammar_llama(llama_cls: Any) -> Any:
    """A subclass of llama-cpp-python's ``Llama`` whose greedy grammar-constrained calls use `FastGrammarSampler`;
    set ``fast_grammar = False`` on an instance for llama-cpp-python's own chain (the benchmark compares both)."""
    from llama_cpp import _internals

    class FastGrammarLlama(llama_cls):  # type: ignore[misc, valid-type]
        fast_grammar = True
        last_grammar_sampler: FastGrammarSampler | None = None

        def _init_sampler(self, *args: Any, **kwargs: Any) -> Any:
            grammar = kwargs.get("grammar")
            if (args or not self.fast_grammar or grammar is None or kwargs.get("temp") != 0.0
                    or kwargs.get("logits_processor") is not None):
                return super()._init_sampler(*args, **kwargs)
            import llama_cpp

            sampler = _internals.LlamaSampler()
            sampler.add_penalties(  # as llama-cpp-python's chain (a no-op at repeat_penalty 1.0, which airloop sends)
                n_vocab=self._n_vocab, penalty_last_n=self.last_n_tokens_size,
                penalty_repeat=kwargs.get("repeat_penalty", 1.0), penalty_freq=kwargs.get("frequency_penalty", 0.0),
                penalty_present=kwargs.get("presence_penalty", 0.0))
            fast = FastGrammarSampler(llama_cpp, self._model.vocab, grammar._grammar, grammar._root)
            llama_cpp.llama_sampler_chain_add(sampler.sampler, fast.pointer())
            # listed as a custom sampler so that LlamaSampler removes it from the chain before freeing the chain
            index = llama_cpp.llama_sampler_chain_n(sampler.sampler) - 1
            sampler.custom_samplers.append((index, fast))  # type: ignore[arg-type]
            sampler.add_greedy()
            self.last_grammar_sampler = fast
            return sampler

    return FastGrammarLlama
