"""`airloop models [--json]` (airloop/cli_models.py) against fake servers."""

from __future__ import annotations

import json
import socket

import typer
from typer.testing import CliRunner

from airloop.cli_models import models

try:
    from tests.fake_ollama import FakeOllama, FakeOpenAI
except ImportError:
    from fake_ollama import FakeOllama, FakeOpenAI

app = typer.Typer()
app.command("models")(models)


@app.command("version")
def _version() -> None:  # a second command keeps typer in multi-command mode, as in airloop/cli.py
    pass


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_models_json_with_server_and_endpoint(monkeypatch):
    with FakeOllama() as ollama, FakeOpenAI() as openai:
        monkeypatch.setenv("OLLAMA_HOST", ollama.url)
        monkeypatch.setenv("AIRLOOP_ENDPOINTS", f"openai:{openai.base_url}#{openai.model}")
        result = CliRunner().invoke(app, ["models", "--json"])
    assert result.exit_code == 0, result.output
    inv = json.loads(result.output)
    assert inv["ollama"]["reachable"] and inv["ollama"]["has_configured_model"]
    assert inv["auto"]["backend"] == "ollama" and "answers and has" in inv["auto"]["why"]
    assert inv["endpoints"][0]["reachable"] is True
    assert inv["embedded"]["size_bytes"] and inv["embedded"]["llama_cpp_importable"]
    assert set(inv["backends"]) >= {"ollama", "llamacpp", "openai", "scripted"}


def test_models_human_output_without_server(monkeypatch):
    monkeypatch.setenv("OLLAMA_HOST", f"127.0.0.1:{_closed_port()}")
    monkeypatch.delenv("AIRLOOP_ENDPOINTS", raising=False)
    result = CliRunner().invoke(app, ["models"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "not reachable" in out and "ollama serve" in out
    assert "SmolLM2-135M-Instruct.Q4_1.gguf" in out and "MB" in out
    assert "auto -> llamacpp" in out


def test_models_lists_pulled_models(monkeypatch):
    with FakeOllama() as ollama:
        monkeypatch.setenv("OLLAMA_HOST", ollama.url)
        monkeypatch.setenv("AIRLOOP_OLLAMA_MODEL", "mistral:7b")
        result = CliRunner().invoke(app, ["models"])
    assert result.exit_code == 0, result.output
    assert "qwen2.5:7b" in result.output and "tiny:latest" in result.output
    assert "ollama pull mistral:7b" in result.output and "auto -> llamacpp" in result.output


def test_models_counts_an_adapters_steps_across_its_lineage(monkeypatch, tmp_path):
    """An adapter trained further from an earlier run (--init) shows all its steps, not only its last run's."""
    import shutil

    from airloop.agents.models import _llamacpp

    shipped = _llamacpp.shipped_adapters()
    assert shipped, "the package ships a planner adapter for the embedded model"
    folder = tmp_path / "adapters"
    folder.mkdir()
    shutil.copy(shipped[0], folder / shipped[0].name)
    m = json.loads(shipped[0].with_suffix(".json").read_text())
    m.update(steps=240, total_steps=560)
    (folder / shipped[0].with_suffix(".json").name).write_text(json.dumps(m))
    monkeypatch.setattr(_llamacpp, "ADAPTER_DIR", folder)
    monkeypatch.setenv("OLLAMA_HOST", f"127.0.0.1:{_closed_port()}")
    result = CliRunner().invoke(app, ["models", "--json"])
    ads = json.loads(result.output)["embedded"]["adapters"]
    assert [(a["steps"], a["total_steps"]) for a in ads] == [(240, 560)]
    human = CliRunner().invoke(app, ["models"]).output
    assert "560 steps (240 in its last run)" in human
    # an adapter trained to write the planner's hours as clock spans says so
    m["planner_draft"] = "spans"
    (folder / shipped[0].with_suffix(".json").name).write_text(json.dumps(m))
    ads = json.loads(CliRunner().invoke(app, ["models", "--json"]).output)["embedded"]["adapters"]
    assert [a["draft_formats"] for a in ads] == [{"planner": "spans"}]
    assert "planner hours written as spans" in " ".join(CliRunner().invoke(app, ["models"]).output.split())
