"""The package as a wheel lays it out, for tools that cannot follow the editable install's import hook.

The repository maps folders into `airloop.*` (`core/` → `airloop.core`, ...). Static tools (import-linter's graph
builder, mypy) only see `airloop/` itself through an editable install, and would treat every cross-package import as
unknown; on a copy laid out as `airloop/core`, `airloop/agents`, ... they check the whole package as users get it.
"""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def installed_layout(dest: Path) -> Path:
    """Copy every package folder to where a wheel puts it (from pyproject's `package-dir`); returns `dest`."""
    cfg = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    for package, folder in cfg["package-dir"].items():
        target = dest.joinpath(*package.split("."))
        shutil.copytree(ROOT / folder, target, dirs_exist_ok=True,
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc", ".mypy_cache"))
    return dest
