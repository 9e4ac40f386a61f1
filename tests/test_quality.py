"""Lint and type checks run as tests, and the README's commands stay in sync with CI."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_ruff_is_clean() -> None:
    res = subprocess.run([sys.executable, "-m", "ruff", "check", "."], cwd=ROOT, capture_output=True, text=True)
    assert res.returncode == 0, res.stdout + res.stderr


def test_mypy_on_the_simulator() -> None:
    res = subprocess.run([sys.executable, "-m", "mypy", "simulator"], cwd=ROOT, capture_output=True, text=True)
    assert res.returncode == 0, res.stdout + res.stderr


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
