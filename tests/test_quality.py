"""Lint and type checks run as tests, and the README's commands stay in sync with CI."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from layout import installed_layout

ROOT = Path(__file__).resolve().parents[1]


def test_ruff_is_clean() -> None:
    res = subprocess.run([sys.executable, "-m", "ruff", "check", "."], cwd=ROOT, capture_output=True, text=True)
    assert res.returncode == 0, res.stdout + res.stderr


def test_mypy_on_every_package(tmp_path: Path) -> None:
    """mypy over the whole `airloop` package (every layer, app included) laid out as users install it, so that calls
    between packages are type-checked too (through the editable install they would all be `Any`)."""
    site = installed_layout(tmp_path)
    res = subprocess.run([sys.executable, "-m", "mypy", "--config-file", str(ROOT / "pyproject.toml"),
                          "--cache-dir", str(ROOT / ".mypy_cache" / "layout"), "-p", "airloop"],
                         cwd=site, capture_output=True, text=True)
    assert res.returncode == 0, res.stdout[-6000:] + res.stderr[-2000:]
    assert "Success: no issues found" in res.stdout


def _readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text()
    return re.findall(r"```(?:bash|sh)\n(.*?)\n```", text, flags=re.S)


def test_ci_runs_exactly_the_readme_test_command() -> None:
    blocks = _readme_commands()
    test_cmds = [b.strip() for b in blocks if "pytest" in b and "pip install" in b]
    assert test_cmds, "the README must show one command that installs and runs the tests"
    ci = (ROOT / ".ci" / "run").read_text()
    assert test_cmds[0] in ci, f"CI must run the README's test command verbatim: {test_cmds[0]!r}"


def test_readme_opens_with_the_two_commands() -> None:
    blocks = _readme_commands()
    assert len(blocks) >= 2
    main_job, tests = blocks[0].strip(), blocks[1].strip()
    assert "airloop intent" in main_job and "pip install" in main_job
    assert "pytest" in tests and "pip install" in tests
