"""`interviewkit transcribe FILE`, `models` and `vocabulary` from the command line."""

from __future__ import annotations

import json

import pytest

from tests.conftest import assert_user_error, run_cli
from tests.transcribe.conftest import script_text, wer


@pytest.mark.slow
def test_a_file_to_srt_on_stdout_and_json_to_a_file(sample_en, cli_env, tmp_path):
    result = run_cli(["transcribe", str(sample_en), "--language", "en", "--format", "srt"], cli_env)
    assert result.stdout.startswith("1\n00:00:0")
    assert " --> " in result.stdout and "youth worker" in result.stdout
    out = tmp_path / "out.json"
    run_cli(["transcribe", str(sample_en), "--format", "json", "-o", str(out)], cli_env)
    data = json.loads(out.read_text())
    assert data["language"] == "en" and data["engine"] == "faster-whisper"
    text = " ".join(s["text"] for s in data["segments"])
    assert wer(script_text("interview-en"), text) < 0.15


@pytest.mark.parametrize("args, fragments", [
    (["transcribe", "missing.wav"], ["missing.wav"]),
    (["transcribe", "notes.txt"], ["notes.txt"]),
    (["transcribe", "SAMPLE", "--language", "norsk"], ["--language", "unknown language 'norsk'"]),
    (["transcribe", "SAMPLE", "--engine", "whisperx"], ["--engine", "unknown engine 'whisperx'"]),
    (["transcribe", "SAMPLE", "--model", "/nowhere/model"], ["/nowhere/model", "no such model file or folder"]),
    (["transcribe", "SAMPLE", "--restart"], ["--restart", "only for a session in a project"]),
    (["transcribe", "SAMPLE", "--chunk-seconds", "2"], ["--chunk-seconds", "use 10 to 600 seconds"]),
    (["models", "add", "mine", "/nowhere"], ["/nowhere", "no such model"]),
    (["models", "add", "base", "/tmp"], ["base", "embedded model"]),
])
def test_bad_input_is_one_line(args, fragments, sample_en, cli_env, tmp_path):
    (tmp_path / "notes.txt").write_text("not audio")
    args = [str(sample_en) if a == "SAMPLE" else a for a in args]
    assert_user_error(run_cli(args, cli_env, check=False, cwd=tmp_path), *fragments)


def test_models_list_and_check(cli_env, base_model_dir):
    listing = run_cli(["models", "list"], cli_env).stdout
    assert "base (default)" in listing and "tiny.en" in listing and "embedded" in listing
    checked = run_cli(["models", "check", "base"], cli_env).stdout
    assert "base: checksums match; loads with faster-whisper" in checked


def test_a_registered_model_is_found_by_name(cli_env, tmp_path):
    from interviewkit.transcribe.models import embedded_model_dir

    tiny = embedded_model_dir("tiny.en")
    result = run_cli(["models", "add", "english-tiny", str(tiny)], cli_env)
    assert "Registered model english-tiny (ctranslate2)" in result.stdout
    assert "english-tiny" in run_cli(["models", "list"], cli_env).stdout


def test_vocabulary_is_kept_in_the_project(project_dir, cli_env):
    run_cli(["vocabulary", str(project_dir), "--add", "Bodø", "Nav", "helsestasjon for ungdom"], cli_env)
    out = run_cli(["vocabulary", str(project_dir), "--remove", "Nav"], cli_env).stdout
    assert out.splitlines() == ["Bodø", "helsestasjon for ungdom"]
    assert_user_error(run_cli(["vocabulary", str(project_dir), "--remove", "Tromsø"], cli_env, check=False),
                      "Tromsø", "no such word")
    from tests.conftest import scan_for

    assert scan_for(project_dir, "Bodø") == []
