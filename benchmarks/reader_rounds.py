"""The tools of an outsider round for the planner's reader (issue 13's protocol, see benchmarks/intents/README.md).

    python benchmarks/reader_rounds.py brief 145 --theme "ports and shipping" > /tmp/brief145.md
    python benchmarks/reader_rounds.py brief 17 --train --theme "..." > /tmp/train17.md  # a written training set
    python benchmarks/reader_rounds.py firstrun 145 146 ...   # after HOLDOUT_FILES holds them; before reading misses
    python benchmarks/reader_rounds.py dump /tmp/before.jsonl # the rule reading of every text in benchmarks/intents
    python benchmarks/reader_rounds.py compare /tmp/before.jsonl /tmp/after.jsonl

A round: helpers write `holdoutNN.jsonl` from the brief (they see only DESIGN.md, core/ and the first lines of
benchmarks/intents/README.md); the new personas go into `benchmarks/intents/used_personas.txt`; the sets are added to
`paraphrases.HOLDOUT_FILES` and committed; ``firstrun`` scores them with the reader as it is (rules only) and writes
``results/paraphrases_holdoutNN_firstrun.{json,_misses.txt}``, committed before any miss is read. Rules written from
the misses are then checked with ``dump`` before and after and ``compare`` (every text of benchmarks/intents that
changed reading: BETTER, WORSE or same-score against its gold).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import paraphrases as P  # noqa: E402
from airloop.agents.intent import intent_matches  # noqa: E402
from airloop.agents.planner import plan_intent  # noqa: E402
from airloop.core import Intent  # noqa: E402

HERE = Path(__file__).resolve().parent
INTENTS = HERE / "intents"


def brief(nn: str, theme: str, train: bool) -> str:
    """The writer's brief with its set number and theme filled in."""
    if not nn.isdigit() or not theme.strip():
        raise SystemExit(f"brief needs a set number (digits, got {nn!r}) and a non-empty --theme")
    path = INTENTS / ("train_writer.md" if train else "outsider_brief.md")
    return path.read_text(encoding="utf-8").replace("NN", nn).replace("PERSONA_HINT", theme.strip())


def firstrun(numbers: list[str]) -> None:
    """Score new outsider sets with the rules as they are and write the first-run result files."""
    reader = subprocess.run(["git", "-C", str(HERE.parent), "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True).stdout.strip() or "unknown"
    for nn in numbers:
        split = f"holdout{nn}"
        if split not in P.HOLDOUT_FILES:
            raise SystemExit(f"{split} is not in paraphrases.HOLDOUT_FILES: add it (and commit the set) first")
        items = P._old_items(split)
        buf = io.StringIO()
        with contextlib.redirect_stdout(buf), contextlib.redirect_stderr(buf):
            res = P.score(items, None, "rules", P.old_tags, True)
        res["refused"] = list(P.refusals(split))
        missed = {m["id"] for m in res.pop("misses")}
        styles: dict[str, list[int]] = {}
        for it in items:
            st = styles.setdefault(it["tags"][0] if it.get("tags") else "-", [0, 0])
            st[0] += it["id"] not in missed
            st[1] += 1
        res["by_style"] = {k: f"{a}/{b}" for k, (a, b) in styles.items()}
        out = {"benchmark": "paraphrases", "split": split, "reader": reader,
               "rows": [{"set": f"new {split}", "model": "none", "strategy": "rules", **res}]}
        base = HERE / "results" / f"paraphrases_{split}_firstrun"
        base.with_suffix(".json").write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
        head = (f"# {split} first run, rules only, reader as of {reader} (frozen before the file was read): "
                f"python benchmarks/paraphrases.py run -v (the {split} misses)\n")
        misses = "".join(line + "\n" for line in buf.getvalue().splitlines() if line.startswith(("  MISS", "    ")))
        Path(f"{base}_misses.txt").write_text(head + misses, encoding="utf-8")
        print(split, f"{res['exact_match']:.1%} ({round(res['exact_match'] * res['n'])}/{res['n']})",
              "inverted", res["inverted"], "unflagged", res["inverted_unflagged"], "refused", res["refused"],
              res["by_style"])


def _gold(row: dict[str, Any]) -> Any:
    gold = row.get("gold", row.get("gold_intent", "n/a"))
    return {k: v for k, v in gold.items() if k not in ("text", "assumptions")} if isinstance(gold, dict) else gold


def dump(out: Path) -> int:
    """The rules' reading of every text under benchmarks/intents (the written training sets too), one JSON line each.
    The adapters' training files (`train_planner*.jsonl`) are left out: their texts are the generated and written
    texts, labelled by this reader."""
    paths = [p for p in sorted(INTENTS.glob("*.jsonl")) if not p.stem.startswith("train_planner")]
    paths += sorted((INTENTS / "train_written").glob("train*.jsonl"))
    n = 0
    with out.open("w", encoding="utf-8") as f:
        for path in paths:
            for line in path.read_text(encoding="utf-8").splitlines():
                row = json.loads(line) if line.strip() else {}
                if not row.get("text"):
                    continue
                res = plan_intent(row["text"], None, strategy="rules")
                f.write(json.dumps({"file": path.stem, "id": row.get("id"), "text": row["text"], "status": res.status,
                                    "intent": res.intent.model_dump(mode="json", exclude={"text", "assumptions"})
                                    if res.intent else None, "gold": _gold(row)}) + "\n")
                n += 1
    return n


def _right(row: dict[str, Any]) -> bool | None:
    gold = row["gold"]
    if gold == "n/a":
        return None
    if gold is None:
        return bool(row["status"] != "ok")
    if row["intent"] is None:
        return False
    return intent_matches(Intent.model_validate({**row["intent"], "text": row["text"]}),
                          Intent.model_validate({**gold, "text": row["text"]}))


def compare(before: Path, after: Path) -> tuple[int, int, int]:
    """Print every reading that changed between two dumps; return (better, worse, same-score). Texts are matched by
    set, id and text, so a dump taken after a set was added still compares on the texts both hold (the others are
    counted and named by set)."""
    def rows(path: Path) -> dict[tuple[str, Any, str], dict[str, Any]]:
        out = {}
        for line in path.read_text(encoding="utf-8").splitlines():
            r = json.loads(line)
            out[(r["file"], r["id"], r["text"])] = r
        return out

    a, b = rows(before), rows(after)
    common = [k for k in a if k in b]
    if not common:
        raise SystemExit(f"{before} and {after} hold no text in common: dump both from the same benchmarks/intents")
    for path, only in ((before, [k for k in a if k not in b]), (after, [k for k in b if k not in a])):
        if only:
            sets = sorted({k[0] for k in only})
            print(f"{len(only)} texts only in {path} (not compared), in {', '.join(sets[:8])}{' ...' if len(sets) > 8 else ''}")
    counts = {"BETTER": 0, "WORSE": 0, "same-score": 0}
    for x, y in ((a[k], b[k]) for k in common):
        if (x["status"], x["intent"]) == (y["status"], y["intent"]):
            continue
        ox, oy = _right(x), _right(y)
        tag = "BETTER" if ox is False and oy else "WORSE" if ox and oy is False else "same-score"
        counts[tag] += 1
        print(tag, x["file"], x["id"], repr(x["text"][:160]))
        print("   old:", x["status"], x["intent"])
        print("   new:", y["status"], y["intent"])
        if x["gold"] != "n/a":
            print("   gold:", x["gold"])
    print(f"changed {sum(counts.values())}: better {counts['BETTER']} worse {counts['WORSE']} "
          f"other {counts['same-score']} (of {len(common)} texts)")
    return counts["BETTER"], counts["WORSE"], counts["same-score"]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("brief", help="print a writer's brief")
    b.add_argument("nn")
    b.add_argument("--theme", required=True, help="the personas' field, e.g. 'ports, shipping and logistics'")
    b.add_argument("--train", action="store_true", help="a written training set (train_writer.md), not a test set")
    f = sub.add_parser("firstrun", help="score new outsider sets with the rules as they are")
    f.add_argument("numbers", nargs="+")
    d = sub.add_parser("dump", help="the rules' reading of every benchmark text")
    d.add_argument("out", type=Path)
    c = sub.add_parser("compare", help="what changed between two dumps")
    c.add_argument("before", type=Path)
    c.add_argument("after", type=Path)
    args = ap.parse_args(argv)
    if args.cmd == "brief":
        print(brief(args.nn, args.theme, args.train), end="")
    elif args.cmd == "firstrun":
        firstrun(args.numbers)
    elif args.cmd == "dump":
        print(f"{dump(args.out)} texts read into {args.out}")
    else:
        compare(args.before, args.after)
    return 0


if __name__ == "__main__":
    sys.exit(main())
