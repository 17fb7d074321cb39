"""`interviewkit edit PROJECT SESSION`: open the terminal interface on a session's transcript.

    interviewkit edit PROJECT SESSION [--identity FILE] [--lang en|nb]
"""

from __future__ import annotations

import argparse

from interviewkit.cli.args import project_args


def register(sub: argparse._SubParsersAction) -> None:
    """Add this module's commands to the top-level parser."""
    text = ("Open the transcript editor on a session: correct the text while listening (play, pause, skip, speed), "
            "set speakers, split and merge segments, mark them checked. Changes are saved, encrypted, a few seconds "
            "after each one; leaving keeps a revision.")
    p = sub.add_parser("edit", help="edit a session's transcript while listening", description=text)
    project_args(p, session=True)
    p.add_argument("--lang", choices=["en", "nb"], help="user-interface language")
    p.set_defaults(handler=cmd_edit)


def cmd_edit(args: argparse.Namespace) -> int:
    from interviewkit.cli.unlock import open_project
    from interviewkit.i18n import resolve_language
    from interviewkit.sessions import get_session
    from interviewkit.transcript.store import open_transcript

    language = resolve_language(args.lang)
    project = open_project(args.project, args.identity)
    session = get_session(project, args.session)
    open_transcript(project, session)  # nothing transcribed: one line here, before the screen opens
    from interviewkit.tui.screens.editor import EditorApp

    EditorApp(project, session, language=language).run()
    return 0
