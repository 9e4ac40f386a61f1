"""Imports go one way (core < simulator < tools | prompts < agents < testing < app): import-linter's layers contract
in pyproject.toml, checked on the installed package layout.

import-linter's graph builder cannot follow the editable install's folder mapping, so the test runs `lint-imports` with
the project's own contract on a copy laid out as a wheel would (`layout.installed_layout`).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from layout import installed_layout

ROOT = Path(__file__).resolve().parents[1]


def lint_imports(site: Path) -> subprocess.CompletedProcess[str]:
    """`lint-imports` with the project's contract, on the package laid out under `site`."""
    exe = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or "lint-imports"
    env = {**os.environ, "PYTHONPATH": str(site), "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run([exe, "--config", str(ROOT / "pyproject.toml"), "--no-cache"], cwd=site, env=env,
                          capture_output=True, text=True, timeout=300)


def test_the_layers_contract_holds(tmp_path):
    pytest.importorskip("importlinter")
    out = lint_imports(installed_layout(tmp_path))
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-2000:]
    assert "1 kept, 0 broken" in out.stdout


def test_the_contract_catches_an_upward_import(tmp_path):
    """The check can fail: a simulator module that imports the agents breaks the contract."""
    pytest.importorskip("importlinter")
    site = installed_layout(tmp_path)
    (site / "airloop" / "simulator" / "_upward.py").write_text("from airloop.agents import judge  # noqa: F401\n")
    out = lint_imports(site)
    assert out.returncode != 0
    assert "airloop.simulator._upward -> airloop.agents" in out.stdout
