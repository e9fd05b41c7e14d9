"""The `brismis` command: help, exit codes, and the stable JSON-lines interface."""

import json
import os
import shutil
import subprocess
import sys

import pytest

from bot.cli import EXIT_SKIPPED, build_parser, main

from conftest import SEED_DOC


@pytest.mark.parametrize("command", [[], ["prepare"], ["index"], ["ask"], ["serve"], ["eval"]])
def test_help_says_what_each_command_does(command, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(command + ["--help"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    assert "usage: brismis" in out and len(out) > 200


def test_every_subcommand_has_a_help_line():
    sub = next(a for a in build_parser()._actions if a.dest == "command")
    assert {c.dest for c in sub._choices_actions} >= {"prepare", "index", "import", "ask", "serve", "eval"}
    assert all(c.help for c in sub._choices_actions)


def test_ask_without_question_explains(capsys):
    assert main(["ask"]) == 1
    assert "give a question" in capsys.readouterr().err


def env_for(settings):
    return dict(
        os.environ,
        BRISMIS_CORPUS_DIR=str(settings.corpus_dir),
        BRISMIS_INDEX_DIR=str(settings.index_dir),
        BRISMIS_CACHE_DIR=str(settings.cache_dir),
        BRISMIS_CHAT_BACKEND="extractive",  # the embedded model has its own tests
    )


@pytest.mark.integration
def test_index_reports_skipped_file_by_name_and_exit_code(tmp_path, settings, monkeypatch, capsys):
    corpus = tmp_path / "corpus"
    shutil.copytree(settings.corpus_dir, corpus)
    (corpus / "notes.md").write_text("no front matter here\n", encoding="utf-8")
    for k, v in env_for(settings).items():
        monkeypatch.setenv(k, v)
    code = main(["index", "--quiet", "--corpus-dir", str(corpus), "--index-dir", str(tmp_path / "index")])
    captured = capsys.readouterr()
    assert code == EXIT_SKIPPED
    assert "notes.md" in captured.err and "front matter" in captured.err
    assert "added 1" in captured.out and "skipped 1" in captured.out

    code = main(["index", "--quiet", "--corpus-dir", str(corpus), "--index-dir", str(tmp_path / "index")])
    assert "unchanged 1" in capsys.readouterr().out
    (corpus / "notes.md").unlink()
    assert main(["index", "--quiet", "--corpus-dir", str(corpus), "--index-dir", str(tmp_path / "index")]) == 0


@pytest.mark.integration
def test_ask_jsonl_streams_one_answer_per_line(settings, built_index):
    lines = [
        {"id": 1, "question": "When was the first BRISMIS symposium held?"},
        {"id": "b", "question": "第一届BRISMIS研讨会是什么时候举办的？"},
        {"id": 3, "question": "And where was it signed?",
         "history": [{"role": "user", "content": "Who signed the Letter of Agreement with UNESCO?"},
                     {"role": "assistant", "content": "Dr. Cheng Donghong and Dr. Flavia Schlegel."}]},
        "not an object",
        {"id": 5, "question": "   "},
    ]
    stdin = "\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n\n"
    proc = subprocess.run(
        [sys.executable, "-m", "bot.cli", "ask", "--jsonl"], input=stdin, capture_output=True,
        text=True, env=env_for(settings), timeout=300,
    )
    out = [json.loads(line) for line in proc.stdout.splitlines()]
    assert len(out) == 5, proc.stderr
    first, second, third, bad, empty = out
    assert first["id"] == 1 and first["language"] == "en" and first["grounded"] is True
    assert any("In November 2017" in c["text"] for c in first["citations"])
    assert set(first["citations"][0]) >= {"n", "doc_id", "title", "url", "date", "text"}
    assert first["citations"][0]["doc_id"] == SEED_DOC
    assert second["id"] == "b" and second["language"] == "zh"
    assert any("In November 2017" in c["text"] for c in second["citations"])
    assert "Shanghai Science and Technology Museum" in third["answer"]
    assert "line 4" in bad["error"] and "JSON object" in bad["error"]
    assert "line 5" in empty["error"] and "question" in empty["error"]
    assert proc.returncode == 1  # some lines were bad


@pytest.mark.integration
def test_ask_human_output_lists_numbered_sources(settings, built_index, monkeypatch, capsys):
    for k, v in env_for(settings).items():
        monkeypatch.setenv(k, v)
    assert main(["ask", "Who", "signed", "the", "agreement?"]) == 0
    out = capsys.readouterr().out
    assert "Sources:" in out and "[1] Letter of Agreement signed between CANSM and UNESCO (2018-06-24)" in out


@pytest.mark.integration
def test_unloadable_chat_model_warns_and_still_answers(settings, built_index, monkeypatch, capsys, tmp_path):
    for k, v in env_for(settings).items():
        monkeypatch.setenv(k, v)
    monkeypatch.setenv("BRISMIS_CHAT_BACKEND", "embedded")
    monkeypatch.setenv("BRISMIS_GGUF_PATH", str(tmp_path / "missing.gguf"))
    assert main(["ask", "--json", "When was the first BRISMIS symposium held?"]) == 0
    captured = capsys.readouterr()
    assert "warning: chat backend 'embedded' unavailable" in captured.err and "missing.gguf" in captured.err
    out = json.loads(captured.out)
    assert out["path"] == "extractive" and out["grounded"]
