"""`interviewkit export`: the project's transcripts for coding tools, Word, text, subtitles, tables.

    interviewkit export PROJECT --format qdpx|qdc|docx|txt|md|srt|vtt|csv|json -o PATH [--force]
                        [--session S …] [--purpose analysis|archive] [--audio] [--highlight] [--guide FILE]
                        [--encrypt-to AGE_KEY …] [--unreviewed] [--identifiable --yes] [--identity FILE]

Only what consent allows leaves the project (see interviewkit.export.selection); the text is the
reviewed, de-identified transcript unless --identifiable (which is written to the audit log).
``-o`` names a file, or a folder (ending in ``/``, existing, or for several files: one per session);
an existing file is replaced only with --force (see interviewkit.export.output).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from interviewkit.cli.args import project_args
from interviewkit.errors import InvalidInput


def register(sub: argparse._SubParsersAction) -> None:
    from interviewkit.export.writers import FORMATS

    text = ("Export the project's transcripts: " + "; ".join(f"{f.name}: {f.description}" for f in FORMATS.values())
            + ". Withdrawn participants are left out; turns without consent to direct quotes are marked.")
    p = sub.add_parser("export", help="export transcripts (REFI-QDA, Word, text, subtitles, CSV/JSON)",
                       description=text)
    project_args(p)
    p.add_argument("--format", "-f", required=True, choices=list(FORMATS), help="the format")
    p.add_argument("--output", "-o", required=True, metavar="PATH",
                   help="the file; a folder (one file per session) when it ends in /, is a folder, "
                        "or the export has several files")
    p.add_argument("--force", action="store_true", help="replace files that are already there")
    p.add_argument("--session", action="append", default=[], metavar="ID", help="only these sessions (repeatable)")
    p.add_argument("--purpose", choices=["analysis", "archive"], default="analysis",
                   help="archive: only participants who consented to archiving")
    p.add_argument("--audio", action="store_true", help="include the audio (qdpx), where everyone consented")
    p.add_argument("--highlight", action="store_true", help="Word: shade turns by speaker and mark no-quote turns")
    p.add_argument("--guide", type=Path, metavar="FILE",
                   help="an interview guide: its themes and questions become a starter codebook (qdpx, qdc)")
    p.add_argument("--encrypt-to", action="append", default=[], metavar="AGE_KEY",
                   help="write age-encrypted files for this recipient (repeatable); default: plaintext")
    p.add_argument("--unreviewed", action="store_true", help="export sessions whose anonymisation is not reviewed")
    p.add_argument("--identifiable", action="store_true",
                   help="export the text with names (logged in the audit log; needs --yes)")
    p.add_argument("--yes", action="store_true", help="confirm --identifiable")
    p.set_defaults(handler=cmd_export)


def cmd_export(args: argparse.Namespace) -> int:
    from interviewkit.cli.unlock import open_project
    from interviewkit.export.output import refuse_inside_project, save_files
    from interviewkit.export.selection import build_export, log_export
    from interviewkit.export.writers import Options, render

    if args.identifiable and not args.yes:
        raise InvalidInput("--identifiable", "an identifiable export holds names and places",
                           "add --yes to confirm (it is recorded in the audit log)")
    refuse_inside_project(args.output)  # before anything is opened or rendered (and again when written)
    project = open_project(args.project, args.identity)
    export = build_export(project, sessions=args.session, purpose=args.purpose, identifiable=args.identifiable,
                          unreviewed_ok=args.unreviewed, audio=args.audio)
    if not export.sessions:
        raise InvalidInput(args.project, "nothing to export: no session passed the gates",
                           "; ".join(export.left_out) or "transcribe a session first")
    codebook = None
    if args.guide:
        from interviewkit.export.codebook import codebook_from_guide
        from interviewkit.guides.loader import load_guide

        # placeholders stay as written ({municipality}): the codebook names no place
        codebook = codebook_from_guide(load_guide(args.guide))
    files = render(export, args.format, Options(highlight=args.highlight, codebook=codebook))
    written = save_files(files, args.output, args.encrypt_to, overwrite=args.force)
    log_export(project, export, args.format, encrypted=bool(args.encrypt_to))
    for line in export.left_out:
        print(f"left out: {line}")
    for path in written:
        print(f"wrote {path}")
    if not args.encrypt_to:
        print("note: written unencrypted, as asked; "
              + ("it holds names: " if export.identifiable else "it is de-identified, but ")
              + "delete it once imported")
    return 0
