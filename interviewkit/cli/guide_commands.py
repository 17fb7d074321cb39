"""`interviewkit guide …`: check, show, list and copy interview guides."""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from interviewkit.cli.args import identity_arg
from interviewkit.cli.output import table
from interviewkit.errors import InvalidInput, NotFound
from interviewkit.guides import loader, shipped
from interviewkit.guides.problems import GuideUnreadable
from interviewkit.guides.render import render_guide, summary
from interviewkit.placeholders import parse_assignment, set_placeholder_values


def register(sub: argparse._SubParsersAction) -> None:
    """Add this module's commands to the top-level parser."""
    help_text = "interview guides (YAML): check, show, list, copy"
    parser = sub.add_parser("guide", help=help_text, description=help_text + ". The format: guides/README.md.")
    group = parser.add_subparsers(dest="guide_command", required=True, metavar="COMMAND",
                                  parser_class=type(parser))

    p = group.add_parser("check", help="check guide files; every problem as file:line:col: message — hint",
                         description="Check guide files. Exit 0: all clean; 1: problems found; "
                                     "2: a file is missing, unreadable or refused (over 5 MB, not a file, nested too "
                                     "deep, aliases that repeat too much, a base: chain in a circle).")
    p.add_argument("files", nargs="*", metavar="FILE", help="a guide file, or the name of a shipped guide")
    _values_options(p)
    p.set_defaults(handler=cmd_check)

    p = group.add_parser("show", help="print a guide as readable text")
    p.add_argument("files", nargs="*", metavar="FILE", help="a guide file, or the name of a shipped guide")
    p.add_argument("--audience", choices=["individual", "group"], help="which wording (default: the guide's)")
    p.add_argument("--ids", action="store_true", help="show section and question ids")
    p.add_argument("--width", type=int, default=None, help="wrap lines at this width (default: the terminal's)")
    _values_options(p)
    p.set_defaults(handler=cmd_show)

    p = group.add_parser("list", help="list the shipped guides (first column: the name)")
    p.set_defaults(handler=cmd_list)

    p = group.add_parser("values", help="show or set the project's values for placeholders such as {municipality}",
                         description="With no NAME=VALUE, list the project's values. The values are stored "
                                     "encrypted in the project, so guide files name no place or person.")
    p.add_argument("project", type=Path, metavar="PROJECT")
    p.add_argument("assignments", nargs="*", metavar="NAME=VALUE")
    p.add_argument("--unset", action="append", default=[], metavar="NAME", help="remove a value")
    identity_arg(p, help="unlock with an age identity file")
    p.set_defaults(handler=cmd_values)

    p = group.add_parser("copy", help="copy a shipped guide (with its base and the JSON Schema) to edit it")
    p.add_argument("name", metavar="NAME", help="a shipped guide (see 'guide list')")
    p.add_argument("dir", type=Path, nargs="?", default=Path("."), metavar="DIR", help="target folder (default: .)")
    p.set_defaults(handler=cmd_copy)


def _values_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--values", nargs="+", action="extend", default=[], metavar="NAME=VALUE",
                        help="values for placeholders such as {municipality}; then every placeholder must have one")
    parser.add_argument("--project", type=Path, metavar="PROJECT",
                        help="take placeholder values from this project (needs its passphrase or --identity)")
    identity_arg(parser, help="unlock the project with an age identity file")


def guide_files(args: argparse.Namespace, most: int | None = None) -> list[str]:
    """The FILE arguments, including any that --values swallowed (``--values a=1 guide.yaml``)."""
    swallowed = [item for item in args.values if "=" not in item and _looks_like_a_guide(item)]
    files = list(args.files) + swallowed
    args.values = [item for item in args.values if item not in swallowed]
    if not files:
        raise InvalidInput(f"guide {args.guide_command}", "no guide file given",
                           f"e.g. interviewkit guide {args.guide_command} guide.yaml --values municipality=Bodø")
    if most is not None and len(files) > most:
        raise InvalidInput(f"guide {args.guide_command}", f"one guide at a time, not {len(files)}",
                           "give one FILE; put --values after it")
    return files


def _looks_like_a_guide(item: str) -> bool:
    return Path(item).suffix in (".yaml", ".yml") or Path(item).exists() or guide_path(item) != Path(item)


def placeholder_values(args: argparse.Namespace) -> dict[str, str] | None:
    """The values from --project and --values (which win), or None when neither was given."""
    values: dict[str, str] | None = None
    if args.project is not None:
        from interviewkit.cli.unlock import open_project  # unlocking is only needed here

        values = dict(open_project(args.project, args.identity).index.study.placeholders)
    for item in args.values:
        name, value = parse_assignment(item, "--values")
        values = (values or {}) | {name: value}
    return values


def cmd_values(args: argparse.Namespace) -> int:
    from interviewkit.cli.unlock import open_project

    project = open_project(args.project, args.identity)
    assignments = dict(parse_assignment(item) for item in args.assignments)
    values = project.index.study.placeholders
    if assignments or args.unset:
        values = set_placeholder_values(project, assignments, args.unset)
    table(["placeholder", "value"], sorted(values.items()))
    return 0


def guide_path(name: str) -> Path:
    """A file as given; a name with no such file is looked up among the shipped guides."""
    path = Path(name)
    if path.is_file() or "/" in name or "\\" in name:  # a folder of a shipped guide's name is not the guide
        return path
    try:
        return shipped.shipped_guide(name)
    except NotFound:
        return path


def cmd_check(args: argparse.Namespace) -> int:
    files = guide_files(args)
    values = placeholder_values(args)
    status = 0
    for name in files:
        path = guide_path(name)
        try:
            guide, problems = loader.check_and_load(path, values)
        except GuideUnreadable as error:
            print(f"interviewkit: {error}", file=sys.stderr)
            status = 2
            continue
        for problem in problems:
            print(problem, file=sys.stderr)
        if problems:
            status = max(status, 1)
        else:
            print(f"{path}: ok ({summary(guide)})")
    return status


def cmd_show(args: argparse.Namespace) -> int:
    [file] = guide_files(args, most=1)
    values = placeholder_values(args)
    guide = loader.load_guide(guide_path(file))  # placeholders without a value are shown as {name}
    width = args.width or min(shutil.get_terminal_size((100, 24)).columns, 100)
    sys.stdout.write(render_guide(guide, args.audience, values, width=width, ids=args.ids))
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    rows = []
    for path in shipped.shipped_guides():
        guide, problems = loader.check_and_load(path, None)
        if guide is None:
            rows.append([path.stem, "-", "-", f"(broken: {problems[0]})"])
        else:
            rows.append([path.stem, guide.info.language, guide.info.audience, guide.info.title])
    table(["name", "language", "audience", "title"], rows)
    return 0


def cmd_copy(args: argparse.Namespace) -> int:
    from interviewkit.export.output import refuse_inside_project

    refuse_inside_project(args.dir)  # no file of ours lands in a project folder
    for path in shipped.copy_shipped(args.name, args.dir):
        print(f"Copied {path}")
    return 0
