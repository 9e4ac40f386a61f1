"""The evaluation harness: strategies × prompt sets × modes against intents × scenarios × seeds, paired, seeded,
cached, with confidence intervals, on one process, a process pool or Ray.

```python
from airloop.evaluation import load_spec, run_eval, print_table
result = run_eval(load_spec("eval.yaml", {"executor": "process"}))
print_table(result.summary)           # also in result.out / "summary.json"
```
Command line: ``airloop eval EVAL.yaml`` (flags override the file). Oracle regret reads ``benchmarks/oracle/*.json``
(written by ``python benchmarks/oracle.py``); statistics live in `airloop.evaluation.stats`.
"""

from ._executors import EXECUTORS, default_workers, execute
from ._grid import Arm, Sample, Unit, build_grid, code_hash, gold_sha, load_intents, prompt_set_hashes, resolve_path
from ._judge import JUDGE_SEEDS, JUDGE_STEPS, MIN_ORACLE_REWARD, judge, oracle_search, regret, success_of
from ._oracle import OracleLookup, OracleStore, entry_key
from ._run import EvalResult, rescore_eval, run_eval
from ._sample import COST_FIELDS, TIMING_FIELDS, run_sample
from ._spec import SHIPPED_PROMPTS, ArmSpec, EvalSpec, EvalSpecError, load_spec, parse_spec
from ._summary import print_table, summarize
from .stats import bootstrap_ci, holm, sign_flip_test, wilson_interval

__all__ = [
    "COST_FIELDS",
    "EXECUTORS",
    "JUDGE_SEEDS",
    "JUDGE_STEPS",
    "MIN_ORACLE_REWARD",
    "SHIPPED_PROMPTS",
    "TIMING_FIELDS",
    "Arm",
    "ArmSpec",
    "EvalResult",
    "EvalSpec",
    "EvalSpecError",
    "OracleLookup",
    "OracleStore",
    "Sample",
    "Unit",
    "bootstrap_ci",
    "build_grid",
    "code_hash",
    "default_workers",
    "entry_key",
    "execute",
    "gold_sha",
    "holm",
    "judge",
    "load_intents",
    "load_spec",
    "oracle_search",
    "parse_spec",
    "print_table",
    "prompt_set_hashes",
    "regret",
    "resolve_path",
    "rescore_eval",
    "run_eval",
    "run_sample",
    "sign_flip_test",
    "success_of",
    "summarize",
    "wilson_interval",
]
