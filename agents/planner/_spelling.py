"""Typo tolerance for the rule reader: a word the lexicon does not know, one edit away from exactly one word it
knows, is read as that word ("covrage" → "coverage", "nigjt" → "night"), and the reading says so in its assumptions.

The words corrected towards are the lexicon's own (every literal word in ``lexicon.yaml``'s phrases, plus the stems its
patterns complete, "reduc" of ``reduc\\w*``), so a word added to the lexicon is also corrected towards. A word is
never corrected when it is a word at all: the lexicon's, or one of ``common_words.txt`` (21,504 lower-case English
words: every whole-word token of the embedded model's tokenizer, SmolLM2's 49,152-token BPE vocabulary, read with
``llama_cpp.Llama(path, vocab_only=True)``), or a regular inflection of one ("buffering", "flapping", "bounced",
"tills": `Vocabulary.inflects`), so "letting" stays "letting" although "setting" is one edit away, and "buffering" is
not "suffering". Nor is a name: a word the text capitalises inside a sentence ("Morning Dave," is not "have"). One
edit is a deletion, an insertion, a substitution or a swap of two neighbouring letters (optimal string alignment);
words shorter than 4 letters are never corrected, and 4-letter words only to a whole lexicon word. A word of 8 letters
or more with nothing one edit away may be its word with two letters left out ("effiency" → "efficiency"), when
exactly one such word begins with its letter; other two-edit changes are not made, as too many words of the
language ("caterers", "headsets", "moorings") are two edits from a lexicon word.
"""

from __future__ import annotations

import re
import string
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

COMMON_WORDS = Path(__file__).with_name("common_words.txt")

_TOKEN = re.compile(r"[a-z]{3,}")
_WORD = re.compile(r"(?<![a-z0-9_'])[a-z]{4,}(?![a-z0-9_]|'(?!s\b))")
#: the longest ending a stem may take and still count as a known word ("reduc" + "tions")
_MAX_SUFFIX = 5
#: the endings whose plural takes -es ("boxes", "switches")
_SIBILANTS = ("s", "x", "z", "ch", "sh")
_VOWELS = frozenset("aeiou")
#: the endings a 4-letter stem may take and still count as a known word ("halv" + "e")
_REGULAR_ENDINGS = frozenset({"e", "es", "ed", "ing", "s", "er", "ers"})
_ANY_TAIL = re.compile(r"\w*")
#: consonants English does not double before -ing and -ed ("unussed" is a misspelling)
_NEVER_DOUBLED = frozenset("hswxy")


def _short_vowel_before_last(stem: str) -> bool:
    """Does ``stem`` end consonant-vowel-consonant ("flap"), where English doubles the last letter
    before -ing and -ed?"""
    return len(stem) >= 3 and stem[-1] not in _VOWELS and stem[-2] in _VOWELS and stem[-3] not in _VOWELS


@dataclass(frozen=True)
class Vocabulary:
    words: frozenset[str]
    stems: tuple[str, ...]  # literal prefixes a pattern completes (``reduc\w*``, ``latenc(?:y|ies)``)
    keep: frozenset[str]  # words of the language, never corrected
    counts: Counter[str] = field(default_factory=Counter, hash=False, compare=False)  # how often the lexicon uses each word (the tie-break)
    #: what each stem's patterns let follow it, as regular expressions ("latenc" → "(?:y|ies)", "reduc" → "\\w*")
    tails: dict[str, tuple[re.Pattern[str], ...]] = field(default_factory=dict, hash=False, compare=False)

    def completes_stem(self, w: str) -> bool:
        """Does ``w`` complete a stem of the lexicon as one of its patterns does ("reductions" of ``reduc\\w*``; not
        "latencey" of ``latenc(?:y|ies)``, a misspelling)? A 4-letter stem only with a regular ending ("halve" of
        ``halv\\w*``; not "keepping")."""
        for s in self.stems:
            if len(s) < 4 or not w.startswith(s):
                continue
            rest = w[len(s):]
            if len(rest) > _MAX_SUFFIX or (len(s) == 4 and rest not in _REGULAR_ENDINGS):
                continue
            if any(t.fullmatch(rest) for t in self.tails.get(s, (_ANY_TAIL,))):
                return True
        return False

    def known(self, w: str) -> bool:
        return w in self.words or w in self.keep or self.completes_stem(w) or self.inflects(w)

    def inflects(self, w: str) -> bool:
        """Is ``w`` a regular inflection of a word of the language ("buffering", "flapping", "bounced", "tills")?
        A misspelling seldom is one: "keepping" doubles after a long vowel, "useing" keeps the silent e, "losss"
        adds s after s. The base has 4 letters or more: shorter "words" of the tokenizer are often pieces ("cel" of
        "cels", "dur" of "durring")."""
        def base(b: str) -> bool:
            return len(b) >= 4 and (b in self.keep or b in self.words)

        for ending in ("ing", "ed"):
            if not w.endswith(ending) or len(w) - len(ending) < 3:
                continue
            b = w[:-len(ending)]
            if b[-1] == "e" and b[-2] not in "eoy":  # "useing": English drops the silent e
                return False
            if base(b) or base(b + "e") or (b[-1] == "i" and base(b[:-1] + "y")):
                return True
            return (b[-1] == b[-2] and b[-1] not in _NEVER_DOUBLED and _short_vowel_before_last(b[:-1])
                    and base(b[:-1]))  # "flapping"
        if w.endswith("ies"):
            return base(w[:-3] + "y")
        if w.endswith("es") and w[:-2].endswith(_SIBILANTS):
            return base(w[:-2])
        return w.endswith("s") and not w[:-1].endswith((*_SIBILANTS, "s")) and base(w[:-1])


def vocabulary_of(patterns: Iterable[str], keep: Iterable[str]) -> Vocabulary:
    """The words and stems of regular-expression phrases (``"(?:switch|turn)\\s+off"``, ``"reduc\\w*"``)."""
    words: set[str] = set()
    stems: set[str] = set()
    tails: dict[str, set[re.Pattern[str]]] = {}
    counts: Counter[str] = Counter()
    for p in patterns:
        p = p.replace("\\s", " ").replace("\\b", " ").replace("\\d", " ")
        for m in _TOKEN.finditer(p):
            tok, rest = m.group(0), p[m.end():]
            counts[tok] += 1
            if rest.startswith(("\\w", "(", "[")) and not rest.startswith(("(?=", "(?!")):
                stems.add(tok)
                tails.setdefault(tok, set()).add(_word_tail(rest))
                if _optional_group_follows(rest):
                    words.add(tok)  # "jain(?:'?s)?": the word alone is one too
                continue
            if rest.startswith("?") and len(tok) > 3:
                words.add(tok[:-1])
            words.add(tok)
    return Vocabulary(frozenset(w for w in words if len(w) >= 4), tuple(sorted(stems, key=len, reverse=True)),
                      frozenset(keep), counts, {k: tuple(v) for k, v in tails.items()})


def _word_tail(rest: str) -> re.Pattern[str]:
    """The part of a pattern that continues a stem's word (``(?:y|ies)``, ``[sz]\\w*``), up to the word's end: a space,
    a lookaround or an alternative at the top level; ``\\w*`` (anything) when it cannot be read."""
    depth, i = 0, 0
    while i < len(rest):
        ch = rest[i]
        if ch == "\\":
            if rest[i + 1:i + 2] not in ("w", "'", "-", "."):
                break
            i += 2
            continue
        if depth == 0 and (ch in " |)" or rest.startswith(("(?=", "(?!", "(?<"), i)):
            break
        if ch == "[":
            j = rest.find("]", i + 1)
            if j < 0:
                return _ANY_TAIL
            if depth == 0 and (" " in rest[i:j] or "-" in rest[i:j]):
                break  # "ultra[- ]?reliable": the word may end here
            i = j + 1
            continue
        depth += ch == "("
        depth -= ch == ")"
        i += 1
    try:
        return re.compile(rest[:i])
    except re.error:
        return _ANY_TAIL


def _optional_group_follows(rest: str) -> bool:
    """Does ``rest`` open with a group that may be left out ("(?:'?s)?", "(?:es)*")?"""
    if not rest.startswith("("):
        return False
    depth = 0
    for i, ch in enumerate(rest):
        if ch == "\\":
            continue
        if ch == "(" and (i == 0 or rest[i - 1] != "\\"):
            depth += 1
        elif ch == ")" and rest[i - 1] != "\\":
            depth -= 1
            if depth == 0:
                return rest[i + 1:i + 2] in ("?", "*")
    return False


#: a capitalised word inside a sentence: after a lower-case word or a comma ("Morning Dave,", "in New York", "Warm
#: regards,\nChen"); a sentence's first word is not one
_PROPER_NAME = re.compile(r"(?:(?<=[a-z])[ \t]+|(?<=,)\s+)([A-Z][a-z]{3,})(?![A-Za-z])")


def proper_names(text: str) -> frozenset[str]:
    """The words ``text`` (as written) capitalises inside a sentence, lower case: names of people and places, which
    the spelling pass leaves alone ("Dave" is not "have", "Chen" not "when")."""
    return frozenset(w.lower() for w in _PROPER_NAME.findall(text))


@cache
def common_words(path: Path = COMMON_WORDS) -> frozenset[str]:
    return frozenset(w for w in path.read_text(encoding="utf-8").split() if w)


def _edits(w: str) -> set[str]:
    """Every string one edit (optimal string alignment) from ``w``."""
    letters = string.ascii_lowercase
    splits = [(w[:i], w[i:]) for i in range(len(w) + 1)]
    out = {a + b[1:] for a, b in splits if b}
    out |= {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    out |= {a + c + b[1:] for a, b in splits if b for c in letters}
    out |= {a + c + b for a, b in splits for c in letters}
    out.discard(w)
    return out


def _best(w: str, cands: set[str], vocab: Vocabulary) -> str | None:
    """One candidate, or None when the choice is not clear: the same first letter as ``w`` first (typos seldom hit
    it), then the word the lexicon uses most."""
    if len(cands) > 1:
        cands = {c for c in cands if c[0] == w[0]} or cands
    if len(cands) == 1:
        return next(iter(cands))
    ranked = sorted(cands, key=lambda c: (-vocab.counts[c], c))
    if len(ranked) > 1 and vocab.counts[ranked[0]] > vocab.counts[ranked[1]]:
        return ranked[0]
    return None


#: the shortest misspelling read as a word with two letters left out; shorter ones are too often other words
_TWO_LEFT_OUT_FROM = 8


@cache
def _long_words(vocab: Vocabulary) -> frozenset[str]:
    """The words a long misspelling may leave two letters out of: the lexicon's, and the language's that complete its
    stems."""
    return frozenset(w for w in vocab.words | {k for k in vocab.keep if vocab.completes_stem(k)}
                     if len(w) >= _TWO_LEFT_OUT_FROM + 2)


def _drops_two(w: str, v: str) -> bool:
    """Is ``w`` the word ``v`` with two of its letters left out ("effiency" of "efficiency")?"""
    letters = iter(v)
    return len(v) == len(w) + 2 and all(ch in letters for ch in w)


@cache
def _correction(w: str, vocab: Vocabulary) -> str | None:
    """The word ``w`` was meant to be, or None: a whole lexicon word one edit away, else (5 letters or more) a word of
    the language that completes a lexicon stem ("enhannce" → "enhance" for ``enhanc\\w*``), else (8 letters or more)
    the one such word of two letters more, with the same first letter, that it is with two left out ("effiency" →
    "efficiency")."""
    if vocab.known(w):
        return None
    edits = _edits(w)
    whole = {e for e in edits if e in vocab.words}
    if whole:
        return _best(w, whole, vocab)
    if len(w) < 5:
        return None
    completed = {e for e in edits if e in vocab.keep and vocab.completes_stem(e)}
    if completed:
        return _best(w, completed, vocab)
    if len(w) < _TWO_LEFT_OUT_FROM:
        return None
    two = {v for v in _long_words(vocab) if v[0] == w[0] and _drops_two(w, v)}
    return next(iter(two)) if len(two) == 1 else None


def correct(text: str, vocab: Vocabulary, names: Iterable[str] = ()) -> tuple[str, list[tuple[str, str]]]:
    """``text`` (lower case) with misspelt words corrected, and the (written, read as) pairs. ``names`` (lower case)
    are never corrected: the text's proper names (`proper_names`)."""
    fixes: list[tuple[str, str]] = []
    names = frozenset(names)

    def sub(m: re.Match[str]) -> str:
        fixed = None if m.group(0) in names else _correction(m.group(0), vocab)
        if fixed is None:
            return m.group(0)
        fixes.append((m.group(0), fixed))
        return fixed

    return _WORD.sub(sub, text), fixes
