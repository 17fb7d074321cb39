"""`interviewkit transcribe | models | vocabulary`: local Whisper transcription.

    interviewkit transcribe PROJECT SESSION [--take ID] [--model M] [--engine E] [--language L] [--restart]
    interviewkit transcribe FILE [--model M] [--engine E] [--language no|nn|en|auto] [--format F] [-o OUT]
    interviewkit models list | add NAME [PATH] | check [NAME]
    interviewkit vocabulary PROJECT [--add WORD ...] [--remove WORD ...]
"""

from __future__ import annotations

import argparse
import sys
import threading
from pathlib import Path

from interviewkit.cli.args import identity_arg
from interviewkit.cli.output import table
from interviewkit.errors import InvalidInput

LANGUAGE_HELP = "no (bokmål), nn (nynorsk), en, or auto to detect (default: the project's language; files: auto)"


def register(sub: argparse._SubParsersAction) -> None:
    text = ("Transcribe with Whisper on this machine. With PROJECT SESSION: the session's audio (the latest take, "
            "or --take), decrypted in memory only; the transcription is stored encrypted in the session, checkpointed "
            "as it goes: run the same command again after a stop or crash and it continues. With FILE: any audio or "
            "video file outside a project, printed to standard output (or -o) as txt, srt, vtt or json.")
    p = sub.add_parser("transcribe", help="transcribe a session's audio or a file (local Whisper)", description=text)
    p.add_argument("target", type=Path, metavar="PROJECT|FILE", help="a project folder (then SESSION) or an audio/video file")
    p.add_argument("session", nargs="?", metavar="SESSION", help="the session id, with a project")
    p.add_argument("--take", metavar="ID", help="the take to transcribe (default: the latest)")
    p.add_argument("--model", "-m", metavar="M",
                   help="model name or path (default: base, embedded; see 'interviewkit models list')")
    p.add_argument("--engine", "-e", default=None, metavar="E",
                   help="faster-whisper (default) or openai-whisper (the reference)")
    p.add_argument("--language", "-l", metavar="L", help=LANGUAGE_HELP)
    p.add_argument("--vocabulary", action="append", default=[], metavar="WORD",
                   help="a word or name to spell right (repeatable; a project's own vocabulary is always used)")
    p.add_argument("--format", "-f", default=None, choices=("txt", "srt", "vtt", "json"),
                   help="output format (files: default txt; a session: also write it out, unencrypted)")
    p.add_argument("--output", "-o", type=Path, metavar="OUT",
                   help="write to this file (outside any project) instead of standard output")
    p.add_argument("--force", action="store_true", help="replace the -o file if it is already there")
    p.add_argument("--restart", action="store_true", help="discard a checkpoint and start from the beginning")
    p.add_argument("--chunk-seconds", type=float, default=120.0, metavar="S",
                   help="transcribe this much audio at a time, cut at a pause; a checkpoint is saved after each "
                   "(default 120)")
    p.add_argument("--device", default="auto", choices=("auto", "cpu", "cuda"), help="where to run the model")
    identity_arg(p)
    p.set_defaults(handler=cmd_transcribe)

    parser = sub.add_parser("models", help="the Whisper models this machine has",
                            description="Whisper models: the embedded ones and those you added.")
    group = parser.add_subparsers(dest="models_command", required=True, metavar="COMMAND", parser_class=type(parser))
    p = group.add_parser("list", help="list models and where they are")
    p.set_defaults(handler=cmd_models_list)
    p = group.add_parser("add", help="register a model folder (or download a named model, with network)")
    p.add_argument("name", metavar="NAME", help="a name to use with --model, or a model to download "
                   "(e.g. NbAiLab/nb-whisper-small)")
    p.add_argument("path", nargs="?", type=Path, metavar="PATH",
                   help="a CTranslate2 model folder or an openai-whisper .pt file")
    p.set_defaults(handler=cmd_models_add)
    p = group.add_parser("check", help="verify checksums and load a model")
    p.add_argument("name", nargs="?", metavar="NAME", help="the model (default: every embedded model)")
    p.set_defaults(handler=cmd_models_check)

    p = sub.add_parser("vocabulary", help="words transcription should spell right",
                       description="The project vocabulary: names of places, programmes and local terms, given to "
                       "Whisper as a prompt (with the guide placeholder values). Stored encrypted.")
    p.add_argument("project", type=Path, metavar="PROJECT")
    p.add_argument("--add", nargs="+", default=[], metavar="WORD")
    p.add_argument("--remove", nargs="+", default=[], metavar="WORD")
    identity_arg(p)
    p.set_defaults(handler=cmd_vocabulary)


class _ProgressLine:
    """Progress on standard error: a bar with elapsed and remaining time on a terminal, nothing otherwise."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.tty = sys.stderr.isatty()

    def __call__(self, progress) -> None:  # type: ignore[no-untyped-def]
        from interviewkit.audio.clock import clock

        if not self.tty:
            return
        cells = 24
        filled = round(progress.fraction * cells)
        remaining = progress.remaining
        left = f", {clock(remaining)} left" if remaining is not None else ""
        print(f"\r{self.label} [{'█' * filled}{'░' * (cells - filled)}] {progress.fraction:4.0%}  "
              f"{clock(progress.done)} / {clock(progress.total)} (working {clock(progress.elapsed)}{left})   ",
              end="", file=sys.stderr, flush=True)

    def close(self) -> None:
        if self.tty:
            print(file=sys.stderr)


def _write(text: str, args: argparse.Namespace) -> None:
    if args.output is None:
        sys.stdout.write(text)
        return
    from interviewkit.export.output import save_file

    save_file(args.output, text.encode(), args.force)


def cmd_transcribe(args: argparse.Namespace) -> int:
    from interviewkit.transcribe.engines import engine_name, load_engine, whisper_language

    engine_name(args.engine)  # bad options are reported before any slow work
    if not 10 <= args.chunk_seconds <= 600:
        raise InvalidInput("--chunk-seconds", f"{args.chunk_seconds:g} is out of range", "use 10 to 600 seconds")
    if args.language is not None:
        whisper_language(args.language)
    if args.output is not None:
        from interviewkit.export.output import check_output

        check_output([args.output], args.force)  # before any transcription (and again when written)
    if args.session is None:
        return _transcribe_file(args)
    from interviewkit.cli.unlock import open_project
    from interviewkit.sessions import get_session
    from interviewkit.transcribe.chunking import ChunkPlan
    from interviewkit.transcribe.job import project_options, transcribe_take

    project = open_project(args.target, args.identity)
    session = get_session(project, args.session)
    options = project_options(project, args.language, tuple(args.vocabulary))
    engine = load_engine(args.engine, args.model, args.device)
    line = _ProgressLine(f"Transcribing {session.id}")
    cancel = threading.Event()
    try:
        result = transcribe_take(project, session, engine, options, take=args.take, progress=line, cancel=cancel,
                                 restart=args.restart, plan=ChunkPlan.of(args.chunk_seconds))
    except KeyboardInterrupt:
        line.close()
        print("interviewkit: transcription stopped; the work so far is kept (encrypted) — run the same command "
              "to continue", file=sys.stderr)
        return 130
    line.close()
    words = sum(len(s.words) for s in result.segments)
    print(f"Transcribed session {session.id}: {len(result.segments)} segments, {words} words, language "
          f"{result.language}, {result.engine} with {result.model}; stored encrypted.")
    if args.format:
        from interviewkit.transcribe.formats import render

        _write(render(result, args.format), args)
    return 0


def _transcribe_file(args: argparse.Namespace) -> int:
    from interviewkit.audio.importer import probe
    from interviewkit.audio.reader import iter_file_audio
    from interviewkit.transcribe.chunking import ChunkPlan
    from interviewkit.transcribe.engines import TranscribeOptions, load_engine, whisper_language
    from interviewkit.transcribe.formats import render
    from interviewkit.transcribe.job import transcribe_blocks

    if args.take or args.restart:
        raise InvalidInput("--take" if args.take else "--restart", "only for a session in a project",
                           "give PROJECT SESSION, or leave the option out")
    info = probe(args.target)
    options = TranscribeOptions(language=whisper_language(args.language or "auto"), vocabulary=tuple(args.vocabulary))
    engine = load_engine(args.engine, args.model, args.device)
    line = _ProgressLine(f"Transcribing {args.target.name}")
    try:
        result = transcribe_blocks(iter_file_audio(args.target), engine, options, info.duration or 0.0,
                                   progress=line, where=str(args.target), plan=ChunkPlan.of(args.chunk_seconds))
    finally:
        line.close()
    _write(render(result, args.format or "txt"), args)
    return 0


def cmd_models_list(args: argparse.Namespace) -> int:
    from interviewkit.transcribe.models import list_models

    table(["name", "source", "state", "path", "description"],
          [(m.name, m.source, m.state, m.path, m.description) for m in list_models()])
    return 0


def cmd_models_add(args: argparse.Namespace) -> int:
    from interviewkit.transcribe.models import register_model, resolve_model

    if args.path is None:
        ref = resolve_model(args.name)  # downloads a named model into the cache (needs network)
        print(f"Model {ref.name} is ready: {ref.path}")
        return 0
    ref = register_model(args.name, args.path)
    print(f"Registered model {ref.name} ({ref.kind}): {ref.path}")
    return 0


def cmd_models_check(args: argparse.Namespace) -> int:
    from interviewkit.transcribe.engines import load_engine
    from interviewkit.transcribe.models import EMBEDDED, check_embedded, resolve_model

    names = [args.name] if args.name else list(EMBEDDED)
    for name in names:
        if name in EMBEDDED:
            path = check_embedded(name)
            what = "checksums match"
        else:
            path = resolve_model(name).path
            what = "found"
        engine = load_engine("openai-whisper" if path.suffix == ".pt" else "faster-whisper", name)
        print(f"{name}: {what}; loads with {engine.name} ({path})")
    return 0


def cmd_vocabulary(args: argparse.Namespace) -> int:
    from interviewkit.cli.unlock import open_project
    from interviewkit.placeholders import set_vocabulary

    project = open_project(args.project, args.identity)
    words = project.index.study.vocabulary
    if args.add or args.remove:
        words = set_vocabulary(project, args.add, args.remove)
    for word in words:
        print(word)
    return 0
