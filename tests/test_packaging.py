"""The distribution installs `airloop.*` only, from a built wheel, in a fresh virtual environment."""

from __future__ import annotations

import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_wheel_installs_in_a_fresh_venv_and_imports(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(dist),
                    str(ROOT)], check=True)
    wheel = next(dist.glob("airloop-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    top = {n.split("/")[0] for n in names}
    # Only the airloop package and its metadata: no top-level agents/tools/simulator/prompts module.
    assert top == {"airloop", wheel.name.split("-")[0] + "-" + wheel.name.split("-")[1] + ".dist-info"}
    for sub in ("simulator", "tools", "agents", "agents/models", "prompts"):
        assert f"airloop/{sub}/__init__.py" in names, sub
    assert any(n.startswith("airloop/prompts/") and n.endswith(".md") for n in names), "prompt files are data"
    assert "airloop/tools/default_policy.yaml" in names

    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    py = env_dir / "bin" / "python"
    subprocess.run([str(py), "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheel)], check=True)
    # Dependencies come from this environment through a .pth file; airloop itself only from the wheel.
    site = subprocess.run([str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          check=True, capture_output=True, text=True).stdout.strip()
    Path(site, "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    code = (
        "import importlib.util, airloop, airloop.simulator as s, airloop.prompts, airloop.tools, airloop.agents\n"
        f"assert airloop.__file__.startswith({str(env_dir)!r}), airloop.__file__\n"
        "for name in ('simulator', 'tools', 'agents', 'prompts'):\n"
        "    spec = importlib.util.find_spec(name)\n"
        f"    assert spec is None or {str(env_dir)!r} not in str(spec.origin), name\n"
        "net = s.Network.from_scenario('rural-7', seed=1, n_ues=30); net.step(2)\n"
        "print(net.kpis().network.coverage)\n"
    )
    out = subprocess.run([str(py), "-c", code], check=True, capture_output=True, text=True, cwd=tmp_path)
    assert 0.0 <= float(out.stdout.strip()) <= 1.0
    # No top-level module of those names was installed into the fresh venv.
    for name in ("simulator", "tools", "agents", "prompts"):
        assert not (Path(site) / name).exists()
        assert not (Path(site) / f"{name}.py").exists()


def test_every_third_party_import_is_a_declared_dependency() -> None:
    """The base install (plus `local` for llama.cpp) must carry what the package imports: a module that only the
    test extras bring in would break `pip install ".[local]"` on a fresh machine."""
    import ast
    import tomllib
    from importlib import metadata

    from packaging.requirements import Requirement

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    runtime = [Requirement(r).name.lower() for r in project["dependencies"] + project["optional-dependencies"]["local"]]
    declared = {n.replace("_", "-") for n in runtime}
    # An optional extra (e.g. `ray`) may be imported, but only inside a function: importing the package must not
    # need it.
    optional = {Requirement(r).name.lower().replace("_", "-") for extra, reqs in project["optional-dependencies"].items()
                if extra not in ("local", "dev") for r in reqs}
    dist_of = {m: {d.lower().replace("_", "-") for d in ds} for m, ds in metadata.packages_distributions().items()}
    missing: dict[str, str] = {}
    for folder in ("simulator", "tools", "agents", "prompts", "airloop"):
        for path in (ROOT / folder).rglob("*.py"):
            tree = ast.parse(path.read_text())
            top_level = set(tree.body)
            for node in ast.walk(tree):
                names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                         else [node.module] if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module
                         else [])
                for name in names:
                    top = name.split(".")[0]
                    if top in sys.stdlib_module_names or top == "airloop":
                        continue
                    dists = dist_of.get(top, set())
                    if dists & optional and node not in top_level:
                        continue
                    if not dists & declared:
                        missing[top] = str(path.relative_to(ROOT))
    assert not missing, f"imported but not declared in [project.dependencies] or the `local` extra: {missing}"
