"""`interviewkit record …`: record a session from a microphone (`interviewkit devices`, in
audio_commands, lists the devices).

    interviewkit record PROJECT SESSION [--device NAME_OR_INDEX] [--rate 16000|48000] [--seconds N]
                        [--resume [TAKE]] [--identity FILE]
"""

from __future__ import annotations

import argparse
import signal
import sys
import time
from pathlib import Path
from types import FrameType

from interviewkit.cli.args import identity_arg

METER_WIDTH = 20
TICK = 0.1


def register(sub: argparse._SubParsersAction) -> None:
    """Add this module's commands to the top-level parser."""
    text = ("Record a session from a microphone, encrypted from the first byte (a segment every 5 s). "
            "Stops on Ctrl+C, SIGTERM or after --seconds. Every participant of the session must have "
            "consented to audio recording.")
    p = sub.add_parser("record", help="record a session from a microphone (encrypted)", description=text)
    p.add_argument("project", type=Path, metavar="PROJECT", help="the project folder")
    p.add_argument("session", metavar="SESSION", help="the session id, e.g. S01")
    p.add_argument("--device", "-d", metavar="NAME_OR_INDEX",
                   help="input device: its index or a part of its name (see 'interviewkit devices'; default: "
                        "the system's default input)")
    p.add_argument("--rate", type=int, default=16000, choices=[16000, 48000], help="sample rate (default 16000)")
    p.add_argument("--seconds", type=float, metavar="N", help="stop after N seconds of audio")
    p.add_argument("--resume", nargs="?", const="", metavar="TAKE",
                   help="continue an interrupted take (the only one, or the one named) instead of starting a new one")
    identity_arg(p)
    p.set_defaults(handler=cmd_record)


def clock(seconds: float) -> str:
    seconds = int(seconds)
    return f"{seconds // 3600:d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


def duration(seconds: float) -> str:
    """A free-disk estimate in words: '42 min', '17 h'."""
    if seconds >= 2 * 3600:
        return f"{seconds / 3600:.0f} h"
    return f"{seconds / 60:.0f} min"


def cmd_record(args: argparse.Namespace) -> int:
    from interviewkit.audio.recorder import Recorder
    from interviewkit.cli.unlock import open_project
    from interviewkit.errors import InvalidInput
    from interviewkit.sessions import get_session

    if args.seconds is not None and not args.seconds > 0:
        raise InvalidInput("--seconds", f"'{args.seconds:g}' is not a length", "give seconds, e.g. 60")
    project = open_project(args.project, args.identity)
    session = get_session(project, args.session)
    recorder = Recorder(project, session, device=args.device, rate=args.rate, max_seconds=args.seconds)
    interrupted = Recorder.recover(project, session)
    resume_take = None
    if args.resume is not None:
        if args.resume:
            resume_take = args.resume
        elif len(interrupted) == 1:
            resume_take = interrupted[0].id
        elif not interrupted:
            raise InvalidInput("--resume", f"session {session.id} has no interrupted take", "leave out --resume")
        else:
            ids = ", ".join(f"{t.id} ({clock(t.duration_seconds)})" for t in interrupted)
            raise InvalidInput("--resume", "more than one interrupted take", f"name one: --resume TAKE ({ids})")
    elif interrupted:
        for take in interrupted:
            print(f"Session {session.id} has an interrupted take {take.id} ({clock(take.duration_seconds)} saved); "
                  "continue it with --resume, or leave it as it is. Recording a new take.", file=sys.stderr)

    stop_requested: list[int] = []

    def request_stop(signum: int, frame: FrameType | None) -> None:
        stop_requested.append(signum)

    previous = {sig: signal.signal(sig, request_stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        recorder.start(resume_take=resume_take)
        verb = "Continuing" if resume_take else "Recording"
        print(f"{verb} take {recorder.take_id} of session {session.id} from '{recorder.device_name}' at "
              f"{recorder.rate} Hz (room for about {duration(recorder.free_disk_seconds())}); Ctrl+C stops",
              file=sys.stderr, flush=True)
        live = sys.stderr.isatty()
        while not stop_requested and recorder.failure is None and not recorder.limit_reached.is_set():
            if live:
                sys.stderr.write("\r" + status_line(recorder))
                sys.stderr.flush()
            time.sleep(TICK)
    finally:
        # Stop first (the take is closed even if Ctrl+C comes again), then give the signals back.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        take = recorder.stop() if recorder.active else None
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if sys.stderr.isatty():
            sys.stderr.write("\r\033[K")
    if take is None:
        return 2
    state = "kept" if recorder.failure else "saved"
    print(f"Take {take.id}: {clock(take.duration_seconds)} ({take.duration_seconds:.1f} s) {state}, encrypted, "
          f"in session {session.id}")
    if recorder.overflows:
        print(f"interviewkit: warning: the system dropped audio {recorder.overflows} time(s) (the computer was "
              "too busy)", file=sys.stderr)
    if recorder.failure is not None:
        raise recorder.failure
    return 0


def status_line(recorder: object) -> str:
    """● 0:01:23  [██████······]  -23 dBFS  CLIPPING"""
    from interviewkit.audio.recorder import Recorder

    assert isinstance(recorder, Recorder)
    level = recorder.level
    filled = round(level.fraction() * METER_WIDTH)
    bar = "█" * filled + "·" * (METER_WIDTH - filled)
    mark = "‖" if recorder.paused else "●"
    line = f"{mark} {clock(recorder.elapsed)}  [{bar}] {level.rms_dbfs:5.0f} dBFS"
    if level.clipping:
        line += "  CLIPPING: lower the input gain"
    elif level.silence:
        line += f"  silence for {level.silent_seconds:.0f} s: is the microphone on?"
    return line + "\033[K"
