"""`interviewkit import | play | devices | audio list`: audio files in, audio out, takes listed.

    interviewkit import PROJECT SESSION FILE [--delete-original] [--identity FILE]
    interviewkit play PROJECT SESSION [--take ID] [--at mm:ss] [--speed 1.0] [--device N] [--identity FILE]
    interviewkit devices
    interviewkit audio list PROJECT SESSION [--identity FILE]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from interviewkit.audio.clock import clock, parse_clock
from interviewkit.cli.args import project_args


def register(sub: argparse._SubParsersAction) -> None:
    """Add this module's commands to the top-level parser."""
    text = ("Import an audio or video file (wav, mp3, m4a/aac, flac, ogg, mp4, mkv, webm) into a session: its "
            "audio track is decoded to 16 kHz mono and stored encrypted; no unencrypted copy is made. "
            "The original file is left where it is unless --delete-original is given. As for recording, everyone in "
            "the session must have consented to audio recording.")
    p = sub.add_parser("import", help="import an audio or video file into a session (encrypted)", description=text)
    project_args(p, session=True)
    p.add_argument("file", type=Path, metavar="FILE", help="the audio or video file")
    p.add_argument("--delete-original", action="store_true",
                   help="delete FILE once the take is stored and has been read back")
    p.set_defaults(handler=cmd_import)

    text = ("Play a session's audio from the encrypted store (decrypted in memory only) until the end or Ctrl+C. "
            "With no --take, all takes of the session in order.")
    p = sub.add_parser("play", help="play a session's audio", description=text)
    project_args(p, session=True)
    p.add_argument("--take", metavar="ID", help="the take to play (see 'interviewkit audio list')")
    p.add_argument("--at", default="0", metavar="MM:SS", help="start here: mm:ss, h:mm:ss or seconds (default 0)")
    p.add_argument("--speed", type=float, default=1.0, metavar="X", help="0.5 to 2.0, pitch kept (default 1.0)")
    p.add_argument("--device", "-d", metavar="N", help="output device: index or part of its name "
                   "(see 'interviewkit devices'; default: the system's default output)")
    p.set_defaults(handler=cmd_play)

    if "devices" not in sub.choices:  # the recorder's commands may have added it already
        p = sub.add_parser("devices", help="list the audio devices",
                           description="List the audio devices PortAudio finds (first column: the index).")
        p.set_defaults(handler=cmd_devices)

    parser = sub.add_parser("audio", help="a session's audio takes", description="A session's audio takes.")
    group = parser.add_subparsers(dest="audio_command", required=True, metavar="COMMAND", parser_class=type(parser))
    p = group.add_parser("list", help="list a session's takes (first column: the take id)")
    project_args(p, session=True)
    p.set_defaults(handler=cmd_audio_list)


def _session(args: argparse.Namespace):
    from interviewkit.cli.unlock import open_project
    from interviewkit.sessions import get_session

    project = open_project(args.project, args.identity)
    return project, get_session(project, args.session)


def cmd_import(args: argparse.Namespace) -> int:
    from interviewkit.audio.importer import import_file, probe

    probe(args.file)  # a bad file is reported before asking for the passphrase
    project, session = _session(args)
    tty = sys.stderr.isatty()

    def progress(done: float, total: float | None) -> None:
        if tty:
            share = f" ({done / total:.0%})" if total else ""
            print(f"\rImporting: {clock(done)} / {clock(total) if total else '?'}{share}   ", end="",
                  file=sys.stderr, flush=True)

    try:
        result = import_file(project, session, args.file, progress=progress, delete_original=args.delete_original)
    except KeyboardInterrupt:
        print(f"{chr(10) if tty else ''}interviewkit: import cancelled; nothing was kept and {args.file} is unchanged",
              file=sys.stderr)
        return 130
    if tty:
        print(file=sys.stderr)
    for warning in result.warnings:
        print(f"interviewkit: warning: {args.file}: {warning}", file=sys.stderr)
    take = result.take
    print(f"Imported take {take.id} into session {session.id}: {clock(take.duration_seconds)} "
          f"({take.rate // 1000} kHz mono), encrypted.")
    if result.original_on_disk:
        print(f"The original {args.file} is still on disk unencrypted; delete it with --delete-original or by hand.")
    else:
        print(f"Deleted the original {args.file}.")
    return 0


def cmd_play(args: argparse.Namespace) -> int:
    from interviewkit.audio.player import MAX_SPEED, MIN_SPEED, Player
    from interviewkit.errors import InvalidInput

    if not MIN_SPEED <= args.speed <= MAX_SPEED:
        raise InvalidInput("--speed", f"speed {args.speed:g} is out of range", f"use {MIN_SPEED:g} to {MAX_SPEED:g}")
    start = parse_clock(args.at)
    project, session = _session(args)
    player = Player.open(project, session, args.take, device=args.device)
    if start >= player.duration:
        raise InvalidInput("--at", f"{clock(start)} is past the end of the audio ({clock(player.duration)})",
                           "give an earlier time")
    player.speed = args.speed
    tty = sys.stderr.isatty()
    try:
        player.play(start)
        while not player.wait(0.25):
            if tty:
                print(f"\r{clock(player.position)} / {clock(player.duration)}  ×{player.speed:g}   ", end="",
                      file=sys.stderr, flush=True)
    except KeyboardInterrupt:
        player.pause()
        if tty:
            print(file=sys.stderr)
        print(f"Stopped at {clock(player.position)} of {clock(player.duration)}.")
        return 0
    finally:
        player.close()
    if tty:
        print(file=sys.stderr)
    print(f"Played to the end ({clock(player.duration)}).")
    return 0


def cmd_devices(args: argparse.Namespace) -> int:
    from interviewkit.audio.devices import list_devices
    from interviewkit.audio.errors import AudioUnavailable
    from interviewkit.cli.output import table

    devices = list_devices()
    if not devices:
        raise AudioUnavailable("PortAudio", "no audio devices found",
                               "connect a microphone or headphones, and check that the sound system "
                               "(PulseAudio/PipeWire) runs")
    table(["index", "name", "inputs", "outputs", "rate", "default"],
          [[d.index, d.name, d.inputs, d.outputs, f"{d.default_rate:.0f}",
            "/".join(k for k, on in (("input", d.is_default_input), ("output", d.is_default_output)) if on) or "-"]
           for d in devices])
    return 0


def cmd_audio_list(args: argparse.Namespace) -> int:
    from interviewkit.audio.store import list_takes
    from interviewkit.cli.output import table

    project, session = _session(args)
    table(["take", "source", "duration", "complete", "started", "rate"],
          [[t.id, t.source, clock(t.duration_seconds), "yes" if t.complete else "no", t.started[:19].replace("T", " "),
            f"{t.rate} Hz{'' if t.channels == 1 else f' ×{t.channels}'}"] for t in list_takes(project, session)])
    return 0
