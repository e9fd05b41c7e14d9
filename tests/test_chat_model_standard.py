"""langchain's own standard test suites (langchain-tests) run against the project's chat model class,
``SupervisedChat`` (the embedded model's supervised llama-server, through ChatOpenAI).

The integration suite talks to a real llama-server with the packaged SmolLM2-135M (fast, English
only). Skipped by the suites themselves, with the reason: tool calling, tool choice, structured
output and JSON mode (the assistant never asks the model for tools or JSON: answers are verified
text), image, audio and PDF inputs (text-only model), model override (one model per process),
VCR tests (no recorded cassettes: the real server runs instead).
"""

from __future__ import annotations

import atexit
import sys
from pathlib import Path

import pytest
from langchain_tests.integration_tests import ChatModelIntegrationTests
from langchain_tests.unit_tests import ChatModelUnitTests

from bot.models.embedded import SupervisedChat, start_model_process
from bot.models.gguf_weights import smollm2_path
from bot.settings import Settings

sys.path.insert(0, str(Path(__file__).parent))


class _Offline:
    """A model process that is never started: enough to construct the chat model (unit suite)."""

    base_url = "http://127.0.0.1:9/v1"
    api_key = "unused"
    ready = False

    def status(self):
        from bot.models.model_process import ProcessStatus

        return ProcessStatus("down", "not started (unit test)")

    def suspect(self, reason):
        pass


_RUNNING: dict = {}


def smol_process():
    """One real llama-server with SmolLM2 for the whole integration suite."""
    if "process" not in _RUNNING:
        settings = Settings(llm_parallel=2, llm_context=2048)
        process = start_model_process(settings, smollm2_path(), name="standard-tests")
        assert process.wait_ready(120), process.status()
        atexit.register(process.stop)
        _RUNNING["process"] = process
    return _RUNNING["process"]


class TestSupervisedChatUnit(ChatModelUnitTests):
    @property
    def chat_model_class(self):
        return SupervisedChat

    @property
    def chat_model_params(self) -> dict:
        return {"process": _Offline(), "model_name": "smol", "temperature": 0.0}

    @property
    def has_tool_calling(self) -> bool:
        return False

    @property
    def has_structured_output(self) -> bool:
        return False


@pytest.mark.integration
class TestSupervisedChatIntegration(ChatModelIntegrationTests):
    @property
    def chat_model_class(self):
        return SupervisedChat

    @property
    def chat_model_params(self) -> dict:
        return {"process": smol_process(), "model_name": "smol", "temperature": 0.0}

    @property
    def has_tool_calling(self) -> bool:
        return False

    @property
    def has_structured_output(self) -> bool:
        return False

    @property
    def supports_json_mode(self) -> bool:
        return False
