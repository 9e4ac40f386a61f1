"""airloop's prompts: text files in this folder, and the one loader that reads them.

No prompt text lives in Python code. A prompt is ``<name>.md``; few-shot examples are ``<name>.jsonl`` (one JSON
object a line). Code fills a prompt's ``{placeholders}`` with `Prompt.fill`; every load returns the text's sha256 so
that a run record can list exactly which prompts it used (`prompt_hashes`).

    >>> p = load_prompt("planner")
    >>> system = p.fill(kpi_names="energy_w, coverage, ...")
    >>> examples = load_examples("planner")   # planner_examples.jsonl
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

__all__ = ["Prompt", "ExampleSet", "PromptError", "load_prompt", "load_examples", "list_prompts", "prompt_hashes",
           "use_prompts", "prompt_overlay"]

_NAME = re.compile(r"^[a-z0-9][a-z0-9_\-]*$")
#: ``{identifier}`` — JSON in a prompt (``{"kpi": ...}``) never matches, so prompts need no brace escaping.
_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


class PromptError(LookupError):
    """A prompt or example file that does not exist, or a placeholder left unfilled."""


@dataclass(frozen=True)
class Prompt:
    """One prompt file: its ``name``, raw ``text`` (placeholders unfilled), ``sha256`` of the text and ``path``."""

    name: str
    text: str
    sha256: str
    path: Path

    @property
    def placeholders(self) -> list[str]:
        """The ``{names}`` the text expects, in order of first use."""
        return list(dict.fromkeys(_PLACEHOLDER.findall(self.text)))

    def fill(self, **values: Any) -> str:
        """The text with every ``{name}`` replaced by ``str(values[name])``.

        Raises `PromptError` naming the placeholders left without a value; extra values are an error too (a typo in a
        placeholder name would otherwise pass silently).
        """
        missing = [p for p in self.placeholders if p not in values]
        extra = [k for k in values if k not in self.placeholders]
        if missing or extra:
            raise PromptError(
                f"prompt {self.name!r} ({self.path.name}) expects {self.placeholders}; "
                f"missing {missing}, unexpected {extra}"
            )
        return _PLACEHOLDER.sub(lambda m: str(values[m.group(1)]), self.text)


@dataclass(frozen=True)
class ExampleSet:
    """Few-shot examples from ``<name>.jsonl``: ``items`` (dicts, file order), ``sha256`` of the file, ``path``."""

    name: str
    items: tuple[dict[str, Any], ...]
    sha256: str
    path: Path

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, i: int) -> dict[str, Any]:
        return self.items[i]


def _dir() -> Path:
    return Path(str(resources.files(__name__)))


#: Versioned prompts (prompt refinement, demonstrations): ``{file name: text}`` read instead of the shipped file while
#: `use_prompts` is active. Process-wide on purpose: the graph's nodes may run on other threads, and forked evaluation
#: workers inherit it.
_OVERLAY: dict[str, str] = {}


@contextmanager
def use_prompts(texts: Mapping[str, str] | None) -> Iterator[None]:
    """Read these texts (``{"hybrid.md": "...", "hybrid_examples.jsonl": "..."}``) instead of the shipped files
    until the block ends; `load_prompt`, `load_examples` and `prompt_hashes` see them (the sha256 is the text's)."""
    global _OVERLAY
    for file in texts or {}:
        stem, dot, suffix = file.rpartition(".")
        if not dot or suffix not in ("md", "jsonl") or not _NAME.match(stem):
            raise PromptError(f"bad prompt file name {file!r} in an overlay: use <name>.md or <name>.jsonl")
    before = _OVERLAY
    _OVERLAY = {**before, **(texts or {})}
    try:
        yield
    finally:
        _OVERLAY = before


def prompt_overlay() -> dict[str, str]:
    """The texts `use_prompts` put in place of shipped files now (empty: the shipped prompts)."""
    return dict(_OVERLAY)


def _read(name: str, suffix: str) -> tuple[str, Path]:
    if not _NAME.match(name):
        raise PromptError(f"bad prompt name {name!r}: use lowercase letters, digits, '_' or '-', no path or suffix")
    path = _dir() / f"{name}{suffix}"
    if path.name in _OVERLAY:
        return _OVERLAY[path.name], path
    if not path.is_file():
        raise PromptError(f"no prompt file {path.name} in {_dir()}; available: {list_prompts()}")
    return path.read_text(encoding="utf-8"), path


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def load_prompt(name: str) -> Prompt:
    """The prompt ``prompts/<name>.md``, read afresh on every call (files are small; prompt refinement edits them)."""
    text, path = _read(name, ".md")
    return Prompt(name=name, text=text, sha256=_sha(text), path=path)


def load_examples(name: str) -> ExampleSet:
    """The few-shot examples ``prompts/<name>.jsonl``, or ``prompts/<name>_examples.jsonl`` when that exists instead.

    Blank lines and lines starting with ``//`` are skipped; any other line must be one JSON object.
    """
    stem = name if (_NAME.match(name) and ((_dir() / f"{name}.jsonl").is_file() or f"{name}.jsonl" in _OVERLAY)) \
        else f"{name}_examples"
    text, path = _read(stem, ".jsonl")
    items = []
    for n, line in enumerate(text.splitlines(), 1):
        s = line.strip()
        if not s or s.startswith("//"):
            continue
        try:
            item = json.loads(s)
        except json.JSONDecodeError as e:
            raise PromptError(f"{path.name}:{n}: not JSON ({e.msg}); one JSON object a line") from e
        if not isinstance(item, dict):
            raise PromptError(f"{path.name}:{n}: expected a JSON object, got {type(item).__name__}")
        items.append(item)
    return ExampleSet(name=stem, items=tuple(items), sha256=_sha(text), path=path)


def list_prompts() -> list[str]:
    """Every prompt and example file name here, with its suffix."""
    return sorted(p.name for p in _dir().iterdir() if p.suffix in (".md", ".jsonl"))


def prompt_hashes(*names: str) -> dict[str, str]:
    """``{file name: sha256}`` for the given prompt or example names (all files when none are given)."""
    out = {}
    for file in list_prompts() if not names else [*names]:
        stem, _, suffix = file.rpartition(".") if file.endswith((".md", ".jsonl")) else (file, "", "md")
        if suffix == "jsonl":
            ex = load_examples(stem)
            out[ex.path.name] = ex.sha256
        else:
            p = load_prompt(stem)
            out[p.path.name] = p.sha256
    return out
