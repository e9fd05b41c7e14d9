"""The deployment files in deploy/ stay in step with the code they start: a renamed setting, a new
runtime folder or another model file would otherwise leave them pointing at nothing."""

from __future__ import annotations

import configparser
import re
import shlex
from pathlib import Path

import pytest

from bot.models.gguf_weights import QWEN_FILENAME
from bot.models.runtime import runtime_dir
from bot.settings import Settings
from deployment import SITE, nginx_site

DEPLOY = Path(__file__).resolve().parent.parent / "deploy"
INSTALL = Path("/opt/brismis")  # where the units expect the checkout


def unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str
    parser.read(DEPLOY / "systemd" / name)
    return parser


def exec_start(name: str) -> list[str]:
    return shlex.split(unit(name)["Service"]["ExecStart"].replace("\\\n", " "))


def test_every_variable_of_the_env_file_is_a_setting(monkeypatch):
    pairs = [line.split("=", 1) for line in (DEPLOY / "brismis.env").read_text().splitlines()
             if line and not line.startswith("#")]
    brismis = {name: value for name, value in pairs if name.startswith("BRISMIS_")}
    assert len(brismis) >= 10
    assert [n for n in brismis if n.removeprefix("BRISMIS_").lower() not in Settings.model_fields] == []
    for name, value in brismis.items():
        monkeypatch.setenv(name, value)
    settings = Settings()  # every value parses, read the way a server process reads them
    assert settings.chroma_host == "127.0.0.1" and settings.trusted_proxies == 1
    assert settings.allowed_origins == ["https://www.brismis.org"]


def test_the_units_start_what_the_checkout_has():
    api = exec_start("brismis-api@.service")
    assert api[:2] == [str(INSTALL / ".venv/bin/brismis"), "serve"] and "127.0.0.1" in api
    chroma = exec_start("brismis-chroma.service")
    assert chroma[:2] == [str(INSTALL / ".venv/bin/chroma"), "run"]
    model = exec_start("brismis-model.service")
    runtime = runtime_dir(INSTALL / ".cache")
    assert model[0] == str(runtime / "llama-server"), "the runtime folder changed: update deploy/systemd"
    assert model[model.index("--model") + 1] == str(INSTALL / ".cache/llm" / QWEN_FILENAME)
    assert model[model.index("--alias") + 1] == Settings().llm_model
    settings = Settings()
    assert int(model[model.index("--ctx-size") + 1]) == settings.llm_context * settings.llm_parallel
    env = dict(e.split("=", 1) for e in unit("brismis-model.service")["Service"].get("Environment", "").split("\n") if e)
    assert env.get("LD_LIBRARY_PATH") == str(runtime)


def test_the_nginx_site_has_no_unfilled_placeholder():
    text = nginx_site("127.0.0.1:8080", "127.0.0.1:8001", "127.0.0.1:8002")
    assert "${" not in text and "server 127.0.0.1:8001" in text and "listen 127.0.0.1:8080;" in text
    assert set(re.findall(r"\$\{(\w+)\}", SITE.read_text())) == {"LISTEN", "API_1", "API_2"}


@pytest.mark.parametrize("name", ["brismis-api@.service", "brismis-chroma.service", "brismis-model.service"])
def test_units_run_unprivileged(name):
    service = unit(name)["Service"]
    assert service["User"] == "brismis" and service.get("NoNewPrivileges") == "yes"
